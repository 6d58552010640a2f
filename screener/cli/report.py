"""`screener report`: a batch output as one self-contained HTML page (summary, charts, rows with evidence)."""

from __future__ import annotations

from pathlib import Path

import click

from screener.cli.options import screener_options
from screener.provenance import command_line
from screener.batch.formats import OUTPUT_FORMATS as FORMATS

BANDS = ("none", "low", "medium", "high", "critical")  # (screener.score.BANDS, without importing polars for --help)
MAX_ROWS = 1_000                                       # (screener.report.html.MAX_ROWS, idem)


def min_band_option(*names: str):
    """The --min-band option of `report` (and of `batch` under another name)."""
    return click.option(*names, "min_band", type=click.Choice(BANDS), default="medium", show_default=True,
                        help="The report's table lists the rows at or above this band (the summary counts every row).")


def max_rows_option(*names: str):
    """The --max-rows option of `report` (and of `batch` under another name)."""
    return click.option(*names, "max_rows", type=click.IntRange(min=0), default=MAX_ROWS, show_default=True,
                        help="At most this many rows in the report's table, highest scores first; the page says how "
                             "many it left out.")


@click.command()
@click.argument("scored", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (replaced only when complete).")
@click.option("--text-column", default=None,
              help="Column holding the screened text (default: from the file's provenance, else 'description', "
                   "'text' …).")
@click.option("--id-column", default=None, help="Column identifying each row (default: 'id' when present).")
@click.option("--country-column", default=None,
              help="Column with the destination country (default: 'country' or 'destination' when present).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Format of SCORED (default: from its extension).")
@min_band_option("--min-band", "--report-min-band")
@max_rows_option("--max-rows", "--report-max-rows")
@click.option("--title", default=None, help="Title of the page.")
@click.option("--quiet", is_flag=True, help="Say nothing on stderr.")
@screener_options
def report(scored, output, text_column, id_column, country_column, fmt, min_band, max_rows, title, quiet,
           db, rules_dirs, lexicons):
    """Write one self-contained HTML report of SCORED, a file that `screener batch` wrote (CSV, Parquet, JSONL).

    The page needs no network: scripts, styles and data are inside it. Its table's rows are re-screened
    with the same rules (--rules-dir, --lexicon as for the batch) to show their evidence.
    """
    from screener.report.html import write_report

    stats = write_report(scored, output, screener_options=(db, rules_dirs, lexicons), text_column=text_column,
                         id_column=id_column, country_column=country_column, fmt=fmt, min_band=min_band,
                         max_rows=max_rows, title=title)
    if not quiet:
        say(stats, min_band)


def say(stats, min_band: str) -> None:
    """One line on stderr: where the report went and what its table holds."""
    left = stats.eligible - stats.in_table
    click.echo(f"Report {stats.path} ({stats.bytes / 1e6:.1f} MB) of {stats.rows:,} rows; its table lists "
               f"{stats.in_table:,} rows at or above {min_band}" + (f" ({left:,} more left out)" if left else "")
               + f"; written in {stats.seconds:.1f} s.", err=True)


__all__ = ["report", "min_band_option", "max_rows_option", "command_line", "say"]
