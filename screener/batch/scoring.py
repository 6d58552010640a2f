"""Batch scoring of one chunk: its rows in, the result columns out, in order; the unit a worker (or a
distributed engine, per partition) runs.

Result columns (`result_columns`): engine.OUTPUT_COLUMNS, plus `parties` when parties are screened. An input
column named like a result column is kept as `input_<name>` in the output (in `batch` and `check` alike).
"""

from __future__ import annotations

import polars as pl

from screener.batch.job import BatchJob
from screener.engine import OUTPUT_COLUMNS, Screener
from screener.errors import InputError

PARTIES_COLUMN = "parties"
REVIEW_COLUMN = "parties_review"  # possible matches a person must look at (issue 14)
# lists in Parquet/JSONL, `;`-joined in CSV
LIST_COLUMNS = ("hs_codes", "controls", "goods", "rules", PARTIES_COLUMN, REVIEW_COLUMN)
INPUT_PREFIX = "input_"
SAMPLE_ROWS = 5_000


def result_columns(job: BatchJob) -> list[str]:
    """The columns a batch adds to every row, in order."""
    return OUTPUT_COLUMNS + ([PARTIES_COLUMN, REVIEW_COLUMN] if job.screens_parties else [])


def renamed_inputs(columns: list[str], job: BatchJob) -> dict[str, str]:
    """Input columns renamed in the output because a result column has their name: `score` → `input_score`.
    A clash that renaming cannot settle (`input_score` is there too) is an error naming it."""
    added = result_columns(job)
    renames = {c: f"{INPUT_PREFIX}{c}" for c in columns if c in added}
    taken = [new for new in renames.values() if new in columns]
    if taken:
        raise InputError(f"input column(s) {', '.join(map(repr, renames))} clash with result columns and "
                         f"{', '.join(map(repr, taken))} already exist; rename them")
    return renames


def _score_distinct(screener: Screener, texts: pl.Series) -> pl.DataFrame:
    """Score each distinct text once (customs extracts repeat descriptions), then put the rows back in order.

    Whether it pays is told from a sample first (every n-th row): a column of distinct texts then costs
    no de-duplication at all. The result is the same either way.
    """
    step = max(texts.len() // SAMPLE_ROWS, 1)
    sample = texts.gather_every(step)
    if step > 1 and sample.n_unique() > 0.9 * sample.len():
        return screener.score_frame(texts).out
    distinct = texts.unique(maintain_order=True)
    if distinct.len() > 0.8 * texts.len():
        return screener.score_frame(texts).out
    scored = screener.score_frame(distinct).out.with_columns(text=distinct)
    return pl.DataFrame({"text": texts}).join(scored, on="text", how="left", nulls_equal=True,
                                              maintain_order="left").drop("text")


def scoring_inputs(chunk: pl.DataFrame, job: BatchJob) -> tuple[pl.Series, pl.Series | None, pl.Series | None,
                                                                 pl.Series | None]:
    """The texts, the party names (one cell per row, names `\\n`-joined), the destination countries and the
    origins of a chunk."""
    texts = chunk[job.text_column].cast(pl.String)
    parties = None
    if job.party_columns:
        # one line per party column, empty when the cell is: a name's line matches its country's line
        parties = chunk.select(pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in job.party_columns],
                                             separator="\n")).to_series()
    countries = chunk[job.country_column].cast(pl.String) if job.country_column else None
    origins = chunk[job.origin_column].cast(pl.String) if job.origin_column else None
    return texts, parties, countries, origins


def party_countries(chunk: pl.DataFrame, job: BatchJob) -> pl.Series | None:
    """The country of each party name of a row, `\\n`-joined like the names (`--party-country-column`)."""
    if not job.party_country_columns or not job.party_columns:
        return None
    cols = list(job.party_country_columns)
    cols = cols * len(job.party_columns) if len(cols) == 1 else cols
    return chunk.select(pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in cols],
                                      separator="\n")).to_series()


def score_columns(screener: Screener, chunk: pl.DataFrame, job: BatchJob) -> pl.DataFrame:
    """The result columns (`result_columns(job)`) for the rows of `chunk`, in order."""
    texts, parties, countries, origins = scoring_inputs(chunk, job)
    if parties is None and countries is None and origins is None and not job.parties_in_text:
        out = _score_distinct(screener, texts)
    else:
        out = screener.score_frame(texts, parties=parties, countries=countries, parties_in_text=job.parties_in_text,
                                   origins=origins, party_countries=party_countries(chunk, job)).out
    return out.select(result_columns(job))


def attach(chunk: pl.DataFrame, scored: pl.DataFrame, job: BatchJob) -> pl.DataFrame:
    """The input columns (renamed where a result column has their name), then the result columns."""
    renames = renamed_inputs(chunk.columns, job)
    return pl.concat([chunk.rename(renames) if renames else chunk, scored], how="horizontal")


def score_chunk(screener: Screener, chunk: pl.DataFrame, job: BatchJob) -> pl.DataFrame:
    """Score one chunk: its rows with the result columns added."""
    return attach(chunk, score_columns(screener, chunk, job), job)


def output_rows(chunk: pl.DataFrame, scored: pl.DataFrame, job: BatchJob, lists: bool) -> pl.DataFrame:
    """The rows an output holds: input columns, then result columns; the list columns as lists (`lists`:
    Parquet, JSONL, Arrow) or `;`-joined strings (CSV)."""
    out = attach(chunk, scored, job)
    return as_lists(out) if lists else out


def as_lists(frame: pl.DataFrame) -> pl.DataFrame:
    """The `;`-joined result columns as lists of strings (Parquet and JSONL keep lists; CSV keeps strings)."""
    cols = [c for c in LIST_COLUMNS if c in frame.columns and frame.schema[c] == pl.String]
    return frame.with_columns(
        pl.when(pl.col(c) == "").then(pl.lit([], pl.List(pl.String))).otherwise(pl.col(c).str.split(";")).alias(c)
        for c in cols)
