"""`screener batch`'s scoring as one pure function of a table (public as `screener.api.TableScorer`): the unit
that `batch`'s worker processes, Ray's actors, Spark's and Dask's tasks call once per batch."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from screener.batch.job import BatchJob
from screener.batch.scoring import output_rows, score_columns
from screener.engine import Screener

if TYPE_CHECKING:
    import pyarrow as pa


class TableScorer:
    """`screener batch`'s scoring as one pure function of a table: built once per process (store read, rules
    compiled, automata built), then called on batch after batch.

    `scorer(rows)` takes an Arrow table or record batch, or a polars frame, and returns an Arrow table: the
    input columns (renamed `input_<name>` where a result column has their name), then `score`, `band`,
    `hs_codes`, `controls`, `goods`, `rules`, `error` (and `parties`), with the values and types `batch`
    writes to Parquet for the same rows. `batch` itself scores through `results` and `output`; Ray's
    `map_batches`, Spark's `mapInArrow` and Dask's `map_partitions` call the scorer once per batch.
    """

    def __init__(self, job: BatchJob, screener: Screener | None = None):
        self.job = job
        self.screener = screener if screener is not None else job.screener.load()

    def results(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The result columns alone, in row order (what batch's worker processes send back)."""
        return score_columns(self.screener, rows, self.job)

    @staticmethod
    def output(rows: pl.DataFrame, results: pl.DataFrame, job: BatchJob, lists: bool = True) -> pl.DataFrame:
        """The output rows: input columns, then result columns (lists as lists, or `;`-joined for CSV)."""
        return output_rows(rows, results, job, lists)

    def frame(self, rows: pl.DataFrame) -> pl.DataFrame:
        """`__call__` on a polars frame, returning a polars frame."""
        return self.output(rows, self.results(rows), self.job)

    def __call__(self, rows) -> "pa.Table":
        """Score an Arrow table or record batch, or a polars frame: the output rows as an Arrow table."""
        return self.frame(as_frame(rows)).to_arrow()

    def schema(self, input_schema: "pa.Schema") -> "pa.Schema":
        """The output schema for an input schema (Spark's `mapInArrow` and Dask's `meta` need it first): the
        scorer's own output for one empty row of that schema."""
        import pyarrow as pa

        return self(pa.Table.from_pylist([{}], schema=input_schema)).schema


def as_frame(rows) -> pl.DataFrame:
    """An Arrow table or record batch, or a polars frame, as a polars frame (zero-copy where Arrow allows)."""
    if isinstance(rows, pl.DataFrame):
        return rows
    import pyarrow as pa

    if isinstance(rows, pa.RecordBatch):
        rows = pa.Table.from_batches([rows])
    if not isinstance(rows, pa.Table):
        raise TypeError(f"a scorer takes an Arrow table or record batch or a polars frame, not {type(rows).__name__}")
    return pl.from_arrow(rows, rechunk=False)
