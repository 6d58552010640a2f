"""`screener batch`: score a table of any size, streaming, one output row per input row, in order."""

from __future__ import annotations

from pathlib import Path

import click

from screener.batch.formats import OUTPUT_FORMATS, output_format
from screener.batch.job import BatchJob, ScreenerSpec
from screener.cli.options import column_options, delimiter_value, input_options, run_options, screener_options
from screener.cli.running import Progress, planned, terminate_as_interrupt, worker_pool
from screener.outputs import check_target


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
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
@screener_options
def batch(input_path, text_column, id_column, output, fmt, party_columns, country_column, parties_in_text,
          input_format, encoding, delimiter, no_header, chunk_rows, workers, quiet, db, rules_dirs, lexicons):
    """Score every row of a CSV, TSV, Parquet, JSONL, Excel or text file; one output row per input row, in order.

    INPUT '-' is standard input. The file streams through in chunks, so files larger than memory work; output
    goes to a temporary file that replaces --output only when every row is written.
    """
    fmt = output_format(output, fmt)
    check_target(output)
    terminate_as_interrupt()
    from screener.batch.formats import input_format as format_of

    if format_of(input_path, input_format) == "lines":
        text_column = text_column or "text"
    elif not text_column:
        raise click.UsageError("missing --text-column (only .txt input, one text per line, needs none)")
    screens_parties = bool(party_columns or parties_in_text)
    job = BatchJob(text_column=text_column, id_column=id_column, party_columns=tuple(party_columns),
                   country_column=country_column, parties_in_text=parties_in_text, input_format=input_format,
                   encoding=encoding, delimiter=delimiter_value(delimiter), header=not no_header, workers=workers,
                   screener=ScreenerSpec(db=db and str(db), rules_dirs=tuple(map(str, rules_dirs)),
                                         lexicons=tuple(map(str, lexicons)), parties=screens_parties))
    job = planned(job, [input_path], chunk_rows)
    # the workers start first, before this process imports polars and the screener, and wait to load the
    # screener until the input, the store and the rules are checked below
    with worker_pool(job) as pool:
        run_batch(job, input_path, output, fmt, pool, quiet)


def run_batch(job: BatchJob, input_path: Path, output: Path | None, fmt: str, pool, quiet: bool) -> None:
    """Open and check the input, check the store and rules (or load the screener), then stream every chunk."""
    from screener.api import Setup, check_setup
    from screener.batch.stream import in_process, scored_chunks, write_batch
    from screener.provenance import run_provenance
    from screener.tables import open_source, require_columns

    spec = job.screener
    with open_source(input_path, job.input_format, job.encoding, job.delimiter, job.header) as source:
        if source.note:
            click.echo(f"Note: {source.note}", err=True)
        require_columns(source, *job.required_columns())
        from screener.batch.scoring import renamed_inputs

        renamed_inputs(source.columns, job)  # a clash renaming cannot settle fails before any work
        if pool is None:
            screener = spec.load()
            setup, local = Setup.of(screener), in_process(screener, job)
        else:  # each worker loads its own screener; here only what could fail is checked
            setup, local = check_setup(spec.db, spec.rules_dirs, spec.lexicons), None
            pool.ready()
        progress = Progress.on_terminal(quiet, source.estimated_rows)

        def provenance(rows: dict) -> dict:
            return run_provenance(setup.versions, setup.db_path, job, rows, source)

        write_batch(source, job, output, fmt, scored_chunks(source.batches(job.chunk_rows), job, local, pool),
                    provenance, progress)
        if progress:
            progress.close()
