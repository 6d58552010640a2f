"""Stream a table of any size through the screener: bounded chunks in, scored chunks out, in order.

Input is read in chunks (screener.tables), each chunk is scored — in this process or, for large inputs, in
worker processes so both cores work — and written as it comes (screener.outputs: a temporary file renamed onto
the target only when every row is written, or a stream). `check` runs the same path (`scored_chunks` with its
own task) and keeps the findings instead of writing rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

import polars as pl

from screener.batch.job import BatchJob
from screener.batch.scoring import output_rows
from screener.batch.workers import WorkerPool
from screener.errors import InputError
from screener.outputs import is_stdout, open_output
from screener.provenance import PARQUET_KEY
from screener.tables import Source


class ChunkWriter:
    """Append scored chunks to a CSV, Parquet or JSONL stream, keeping one schema.

    CSV holds strings (lists `;`-joined, as before); Parquet and JSONL keep the input's types as read and the
    list columns as lists. Parquet's footer carries the provenance (`metadata()`, called at the end).
    """

    def __init__(self, handle: BinaryIO, fmt: str, metadata: Callable[[], dict] | None = None):
        self.handle, self.fmt, self.metadata = handle, fmt, metadata
        self.parquet = None
        self.schema = None
        self.rows = 0

    def write(self, chunk: pl.DataFrame) -> None:
        """Append one chunk of output rows (`output_rows`: list columns as lists, except in CSV), cast to the first
        chunk's schema."""
        if self.schema is None:
            self.schema = chunk.schema
        else:
            chunk = chunk.cast(dict(self.schema), strict=False)
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            table = chunk.to_arrow()
            if self.parquet is None:
                self.parquet = pq.ParquetWriter(self.handle, table.schema)
            self.parquet.write_table(table.cast(self.parquet.schema))
        elif self.fmt == "jsonl":
            chunk.write_ndjson(self.handle)
        else:
            chunk.write_csv(self.handle, include_header=self.rows == 0)
        self.rows += chunk.height

    def close(self) -> None:
        """Finish the stream: Parquet's footer, with the provenance in its key-value metadata."""
        if self.parquet is not None:
            if self.metadata is not None:
                self.parquet.add_key_value_metadata({PARQUET_KEY: json.dumps(self.metadata(), ensure_ascii=False)})
            self.parquet.close()


def scored_chunks(chunks: Iterator[pl.DataFrame], job: BatchJob, local: Callable[[pl.DataFrame], Any] | None = None,
                  pool: WorkerPool | None = None, fail_on: str | None = None,
                  explain_limit: int | None = None) -> Iterator[tuple[pl.DataFrame, Any]]:
    """Each input chunk with what scoring gave for it, in order.

    `local` scores a chunk in this process; with a pool, its processes do, a few chunks in flight. A worker is
    sent only the columns scoring reads and sends back only its results (half the bytes through the pipes:
    measured, a third less system time). `fail_on` asks the workers for check's findings too (at most
    `explain_limit` rows of a chunk explained).
    """
    if pool is None:
        for chunk in chunks:
            yield chunk, local(chunk)
        return
    needed = job.input_columns()
    submit = (lambda frame: pool.submit_check(frame, fail_on, job, explain_limit)) if fail_on else pool.submit
    pending = []
    try:
        for chunk in chunks:
            pending.append((chunk, submit(chunk.select(needed))))
            if len(pending) > pool.workers:
                done, fut = pending.pop(0)
                yield done, fut.result()
        while pending:
            done, fut = pending.pop(0)
            result = fut.result()
            if not pending:  # every result is in: the workers may end while the last chunk is written
                pool.finish()
            yield done, result
    finally:
        for _, fut in pending:
            fut.cancel()


@dataclass
class BatchRun:
    """What a batch wrote: rows in and out, rows with an error."""

    rows_in: int = 0
    rows_out: int = 0
    errors: int = 0

    def as_dict(self) -> dict:
        """The `rows` of the provenance: in, out, errors."""
        return {"in": self.rows_in, "out": self.rows_out, "errors": self.errors}


def write_batch(source: Source, job: BatchJob, output: str | Path | None, fmt: str, scored: Iterator[tuple],
                provenance: Callable[[dict], dict], progress=None) -> BatchRun:
    """Write every scored chunk to `output` (with its provenance: Parquet metadata, else a sidecar file);
    `progress(frame)` is told of each written chunk."""
    run = BatchRun()
    sidecar = None if fmt == "parquet" else (
        lambda: (json.dumps(provenance(run.as_dict()), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    with open_output(output, sidecar=None if is_stdout(output) else sidecar) as handle:
        writer = ChunkWriter(handle, fmt, lambda: provenance(run.as_dict()))
        try:
            for chunk, result in scored:
                out = output_rows(chunk, result, job, lists=fmt != "csv")
                writer.write(out)
                run.rows_in += chunk.height
                run.rows_out += out.height
                run.errors += int((result["error"] != "").sum())
                if progress:
                    progress(out)
            if writer.rows == 0:
                raise InputError(f"{source.display}: no rows to score")
        finally:
            writer.close()
    return run


def in_process(screener, job: BatchJob) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """Score chunks in this process (small inputs, one worker): the scorer's result columns."""
    from screener.batch.scorer import TableScorer

    return TableScorer(job, screener).results
