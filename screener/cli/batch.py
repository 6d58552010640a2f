"""`screener batch` (score a table) and `screener check` (fail a build when a row reaches a band)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from screener.batch import score_table
from screener.cli.options import make_screener, screener_options
from screener.errors import EXIT_FINDINGS, EXIT_OK
from screener.io import FORMATS, format_of, read_table, require_columns, write_table
from screener.score import BANDS

input_format_option = click.option("--input-format", type=click.Choice(FORMATS), default=None,
                                   help="Input format (default: from the file extension).")
encoding_option = click.option("--encoding", default="utf-8", show_default=True, help="Input text encoding.")


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--text-column", required=True, help="Column holding the text to screen.")
@click.option("--id-column", default=None, help="Column identifying each row (kept; checked to exist).")
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from --output's extension, else csv).")
@click.option("--party-column", "party_columns", multiple=True, help="Column(s) with party names (repeatable).")
@click.option("--country-column", default=None, help="Column with a destination or consignee country.")
@input_format_option
@encoding_option
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@screener_options
def batch(input_path, text_column, id_column, output, fmt, party_columns, country_column, input_format,
          encoding, quiet, db, rules_dirs, lexicons):
    """Score every row of a CSV, Parquet or JSONL file; one output row per input row, in order."""
    df = read_table(input_path, input_format, encoding)
    require_columns(df, text_column, id_column, country_column, *party_columns)
    screener = make_screener(db, rules_dirs, lexicons)
    progress = None if quiet or not sys.stderr.isatty() else _Progress(df.height)
    out = score_table(screener, df, text_column, list(party_columns), country_column,
                      progress=progress.update if progress else None)
    if progress:
        progress.close()
    fmt = fmt or (format_of(output) if output else "csv")
    if output is None:
        if fmt == "parquet":
            raise click.UsageError("parquet output needs --output PATH")
        sys.stdout.write(out.write_csv() if fmt == "csv" else out.write_ndjson())
    else:
        write_table(out, output, fmt)


class _Progress:
    """Rows, rows/s and ETA on stderr, for long batches on a terminal."""

    def __init__(self, total: int):
        import time

        self.total, self.done, self.t0, self.time = total, 0, time.monotonic(), time.monotonic

    def update(self, n: int) -> None:
        self.done += n
        elapsed = max(self.time() - self.t0, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0
        sys.stderr.write(f"\r{self.done:,}/{self.total:,} rows  {rate:,.0f} rows/s  ETA {eta:,.0f}s ")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")
