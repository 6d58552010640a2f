"""`screener batch`: score a table of any size, streaming, one output row per input row, in order."""

from __future__ import annotations

import signal
from contextlib import nullcontext
from pathlib import Path

import click

from screener.cli.options import make_screener, screener_options
from screener.cli.progress import BatchTracker
from screener.cli.report import max_rows_option, min_band_option
from screener.errors import InputError
from screener.formats import FORMATS, format_of
from screener.workers import (CHUNK_ROWS, WorkerPool, balanced_chunk_rows, default_workers, estimate_rows,
                              leave_the_cores_to_workers)

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
@click.option("--parties-in-text", is_flag=True, help="Also look for listed parties in the text (slower).")
@input_format_option
@encoding_option
@click.option("--chunk-rows", type=click.IntRange(min=1), default=None,
              help=f"Rows read, scored and written at a time (bounds memory; default: {CHUNK_ROWS:,}, a little "
                   "less when that splits the input evenly between the workers).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: 2 on large inputs when the machine has 2 cores, else 1).")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a self-contained HTML report of the output (see `screener report`).")
@min_band_option("--report-min-band")
@max_rows_option("--report-max-rows")
@screener_options
def batch(input_path, text_column, id_column, output, fmt, party_columns, country_column, parties_in_text,
          input_format, encoding, chunk_rows, workers, quiet, report_path, min_band, max_rows, db, rules_dirs,
          lexicons):
    """Score every row of a CSV, Parquet or JSONL file; one output row per input row, in order.

    The file streams through in chunks, so files larger than memory work; output goes to a temporary
    file that replaces --output only when every row is written.
    """
    fmt = fmt or (format_of(output) if output else "csv")
    if output is None and fmt == "parquet":
        raise click.UsageError("parquet output needs --output PATH")
    if report_path is not None and output is None:
        raise click.UsageError("--report needs --output PATH (the report reads the written file)")
    _terminate_as_interrupt()
    # the workers start first, before this process imports polars and the screener, and wait to load the
    # screener until the input, the store and the rules are checked below
    estimated = estimate_rows(input_path, format_of(input_path, input_format)) if input_path.is_file() else None
    tracker = BatchTracker(estimated, quiet)  # (times the whole run, start-up included)
    n = workers or default_workers(estimated, chunk_rows or CHUNK_ROWS)
    chunk_rows = chunk_rows or balanced_chunk_rows(estimated, CHUNK_ROWS, n)
    options = {"text_column": text_column, "party_columns": list(party_columns),
               "country_column": country_column, "parties_in_text": parties_in_text}
    if n > 1:
        leave_the_cores_to_workers()
    with WorkerPool(n, (db and str(db), [str(d) for d in rules_dirs], [str(x) for x in lexicons], options)) \
            if n > 1 else nullcontext() as pool:
        from screener.stream import open_output, open_source, scored_chunks

        with open_source(input_path, input_format, encoding) as source:
            missing = [c for c in (text_column, id_column, country_column, *party_columns)
                       if c and c not in source.columns]
            if missing:
                raise InputError(f"unknown column(s) {', '.join(map(repr, missing))}; "
                                 f"the input has: {', '.join(source.columns)}")
            from screener.api import check_setup

            screener = None
            if pool is None:
                screener = make_screener(db, rules_dirs, lexicons)
                score = _in_process(screener, options)
            else:  # each worker loads its own screener; here only what could fail is checked
                check_setup(db, tuple(rules_dirs), tuple(lexicons))
                score = None
                pool.ready()
            with open_output(output, fmt) as writer:
                for scored in scored_chunks(source.batches(chunk_rows), score, pool):
                    writer.write(scored)
                    tracker.update(scored)
                if writer.rows == 0:
                    raise InputError(f"{input_path}: no rows to score")
            tracker.finish()
    if report_path is not None:  # after the workers are gone: the report re-screens its rows in this process
        from screener.cli.report import command_line, say
        from screener.report.html import write_report

        stats = write_report(output, report_path, screener=screener, screener_options=(db, rules_dirs, lexicons),
                             text_column=text_column, id_column=id_column, country_column=country_column, fmt=fmt,
                             min_band=min_band, max_rows=max_rows, command=command_line())
        if not quiet:
            say(stats, min_band)


def _in_process(screener, options):
    from screener.batch import score_columns

    return lambda chunk: score_columns(screener, chunk, **options)


def _terminate_as_interrupt() -> None:
    """SIGTERM ends a batch like Ctrl-C: the temporary output is removed, nothing partial remains."""
    def _raise(signum, frame):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _raise)
    except ValueError:  # not the main thread (e.g. inside a test runner thread)
        pass
