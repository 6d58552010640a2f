"""`screener batch`: score a table of any size, streaming, one output row per input row, in order."""

from __future__ import annotations

from pathlib import Path

import click

from screener.batch.formats import OUTPUT_FORMATS, output_format
from screener.batch.job import CHUNK_ROWS, BatchJob, ScreenerSpec
from screener.cli.options import column_options, delimiter_value, input_options, run_options, screener_options
from screener.cli.progress import BatchTracker
from screener.cli.report import max_rows_option, min_band_option
from screener.cli.running import planned, terminate_as_interrupt, worker_pool
from screener.outputs import check_target, is_stdout

ENGINES = ("local", "ray")
STORE_BY = ("value", "path")


@click.command()
@click.argument("input_paths", metavar="INPUT...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--text-column", default=None,
              help="Column holding the text to screen (not needed for .txt files: one text per line).")
@click.option("--id-column", default=None, help="Column identifying each row (kept; checked to exist).")
@click.option("--output", "output", type=click.Path(path_type=Path), default=None,
              help="Output file ('-' or none: standard output).")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Output format (default: from --output's extension, else csv).")
@column_options
@input_options
@run_options
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a self-contained HTML report of the output (see `screener report`).")
@min_band_option("--report-min-band")
@max_rows_option("--report-max-rows")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="Where to score: this machine's processes, or Ray Data (pip install 'screener[ray]'; "
                   "reads Parquet, CSV or JSONL files, folders or globs; writes Parquet).")
@click.option("--address", default=None, help="--engine ray: the Ray cluster to join (default: a local Ray).")
@click.option("--store-by", type=click.Choice(STORE_BY), default="value", show_default=True,
              help="--engine ray: send the store and rules to the workers as an object (value), or let them read "
                   "the same paths (path: a shared filesystem).")
@screener_options
def batch(input_paths, text_column, id_column, output, fmt, party_columns, party_country_columns, country_column,
          origin_column, parties_in_text, input_format, encoding, delimiter, no_header, chunk_rows, workers, quiet,
          report_path, min_band, max_rows, engine, address, store_by, db, rules_dirs, lexicons):
    """Score every row of a CSV, TSV, Parquet, JSONL, Excel or text file; one output row per input row, in order.

    INPUT '-' is standard input. The file streams through in chunks, so files larger than memory work; output
    goes to a temporary file that replaces --output only when every row is written. With --engine ray, INPUT...
    are files, folders or globs, scored on Ray Data and written as Parquet (docs/distributed.md).
    """
    if engine == "ray":
        if report_path is not None or (fmt and fmt != "parquet"):
            raise click.UsageError("--engine ray writes Parquet only, without --report (write one file, --output "
                                   "OUT.parquet, and run `screener report` on it)")
        return ray_batch(input_paths, text_column, id_column, output, party_columns, party_country_columns,
                         country_column, origin_column, parties_in_text, input_format, encoding, delimiter, no_header, chunk_rows,
                         workers, quiet, address, store_by, db, rules_dirs, lexicons)
    if address is not None:
        raise click.UsageError("--address needs --engine ray")
    if len(input_paths) != 1:
        raise click.UsageError("batch reads one INPUT (several files, folders or globs need --engine ray)")
    input_path = input_paths[0]
    fmt = output_format(output, fmt)
    check_target(output)
    if report_path is not None and is_stdout(output):
        raise click.UsageError("--report needs --output PATH (the report reads the written file)")
    terminate_as_interrupt()
    from screener.batch.formats import input_format as format_of

    if format_of(input_path, input_format) == "lines":
        text_column = text_column or "text"
    elif not text_column:
        raise click.UsageError("missing --text-column (only .txt input, one text per line, needs none)")
    job = BatchJob(text_column=text_column, id_column=id_column, party_columns=tuple(party_columns),
                   party_country_columns=tuple(party_country_columns),
                   country_column=country_column, origin_column=origin_column, parties_in_text=parties_in_text,
                   input_format=input_format,
                   encoding=encoding, delimiter=delimiter_value(delimiter), header=not no_header, workers=workers,
                   screener=ScreenerSpec(db=db and str(db), rules_dirs=tuple(map(str, rules_dirs)),
                                         lexicons=tuple(map(str, lexicons)),
                                         parties=bool(party_columns or parties_in_text)))
    job = planned(job, [input_path], chunk_rows)
    from screener.batch.workers import estimate_rows

    tracker = BatchTracker(estimate_rows(input_path, format_of(input_path, input_format)), quiet)
    # the workers start first, before this process imports polars and the screener, and wait to load the
    # screener until the input, the store and the rules are checked below
    with worker_pool(job) as pool:
        screener = run_batch(job, input_path, output, fmt, pool, tracker)
    if report_path is not None:  # after the workers are gone: the report re-screens its rows in this process
        from screener.cli.report import command_line, say
        from screener.report.html import write_report

        spec = job.screener
        stats = write_report(output, report_path, screener=screener,
                             screener_options=(spec.db, spec.rules_dirs, spec.lexicons), text_column=job.text_column,
                             id_column=id_column, country_column=country_column, fmt=fmt, min_band=min_band,
                             max_rows=max_rows, command=command_line())
        if not quiet:
            say(stats, min_band)


def run_batch(job: BatchJob, input_path: Path, output: Path | None, fmt: str, pool, tracker=None):
    """Open and check the input, check the store and rules (or load the screener), then stream every chunk.
    Returns the screener when this process loaded one (no workers), else None."""
    from screener.api import Setup, check_setup
    from screener.batch.scoring import renamed_inputs
    from screener.batch.stream import in_process, scored_chunks, write_batch
    from screener.provenance import run_provenance
    from screener.tables import open_source, require_columns

    spec, screener = job.screener, None
    with open_source(input_path, job.input_format, job.encoding, job.delimiter, job.header) as source:
        if source.note:
            click.echo(f"Note: {source.note}", err=True)
        require_columns(source, *job.required_columns())
        renamed_inputs(source.columns, job)  # a clash renaming cannot settle fails before any work
        if pool is None:
            screener = spec.load()
            setup, local = Setup.of(screener), in_process(screener, job)
        else:  # each worker loads its own screener; here only what could fail is checked
            setup, local = check_setup(spec.db, spec.rules_dirs, spec.lexicons), None
            pool.ready()

        def provenance(rows: dict) -> dict:
            return run_provenance(setup.versions, setup.db_path, job, rows, source)

        write_batch(source, job, output, fmt, scored_chunks(source.batches(job.chunk_rows), job, local, pool),
                    provenance, tracker.update if tracker else None)
        if tracker:
            tracker.finish()
    return screener


def ray_batch(input_paths, text_column, id_column, output, party_columns, party_country_columns, country_column,
              origin_column, parties_in_text, input_format, encoding, delimiter, no_header, chunk_rows, workers, quiet, address,
              store_by, db, rules_dirs, lexicons) -> None:
    """`batch --engine ray`: everything checked here (inputs, columns, output, store, rules) before Ray
    starts; then screener.batch.on_ray runs it."""
    if not text_column:
        raise click.UsageError("missing --text-column")
    try:
        import ray  # noqa: F401
    except ImportError:
        raise click.UsageError("--engine ray needs Ray: pip install 'screener[ray]'") from None
    from screener.api import check_setup
    from screener.batch import on_ray
    from screener.errors import InputError
    from screener.cli.progress import BatchTracker

    job = BatchJob(text_column=text_column, id_column=id_column, party_columns=tuple(party_columns),
                   party_country_columns=tuple(party_country_columns),
                   country_column=country_column, origin_column=origin_column, parties_in_text=parties_in_text,
                   input_format=input_format, encoding=encoding, delimiter=delimiter_value(delimiter),
                   header=not no_header, workers=workers, chunk_rows=chunk_rows or CHUNK_ROWS,
                   screener=ScreenerSpec(db=db and str(db), rules_dirs=tuple(map(str, rules_dirs)),
                                         lexicons=tuple(map(str, lexicons)),
                                         parties=bool(party_columns or parties_in_text)))
    plan = on_ray.plan(list(input_paths), job, output, address, workers, store_by)
    if store_by == "path" and db is not None and not Path(db).is_file():
        raise InputError(f"{db}: no store there (--store-by path reads the store the workers see)")
    setup = check_setup(job.screener.db, job.screener.rules_dirs, job.screener.lexicons)
    tracker = BatchTracker(plan.rows_in, quiet)
    on_ray.run(plan, setup, tracker)
    tracker.finish()
