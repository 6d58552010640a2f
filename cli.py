"""Thin entry: `python cli.py ...` runs the same click app as the `screener` console script."""

from screener.cli import main

if __name__ == "__main__":
    main()
