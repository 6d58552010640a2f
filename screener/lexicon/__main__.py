"""`python -m screener.lexicon [PATH ...]`: validate lexicon files and report counts."""

import sys
from collections import Counter
from pathlib import Path

from screener.lexicon.load import LexiconError, lexicon_files, load_entries

DEFAULT = Path(__file__).resolve().parents[2] / "reference_data" / "lexicon"


def main(argv: list[str]) -> int:
    """Validate the lexicon files (the bundled ones without arguments) and print counts; 1 on a problem."""
    files = lexicon_files(*(argv or [DEFAULT]))
    try:
        entries = load_entries(files)
    except LexiconError as exc:
        print(exc, file=sys.stderr)
        return 1
    cats = Counter(e.category for e in entries)
    print(f"{len(entries)} entries in {len(files)} files")
    for cat, n in sorted(cats.items()):
        print(f"  {cat}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
