"""Batch scoring: a table in, the same rows out with score columns added, in order, nothing lost."""

from __future__ import annotations

import polars as pl

from screener.engine import Screener

CHUNK_ROWS = 250_000
ADDED = ["score", "band", "hs_codes", "controls", "goods", "rules", "error"]


def score_table(screener: Screener, df: pl.DataFrame, text_column: str, party_columns: list[str] = (),
                country_column: str | None = None, chunk_rows: int = CHUNK_ROWS, progress=None) -> pl.DataFrame:
    """Score every row of `df`; return the input columns plus the result columns (see ADDED)."""
    parts = []
    for offset in range(0, max(df.height, 1), chunk_rows):
        chunk = df.slice(offset, chunk_rows)
        parts.append(score_chunk(screener, chunk, text_column, party_columns, country_column))
        if progress:
            progress(chunk.height)
    return pl.concat(parts) if parts else df


SAMPLE_ROWS = 5_000


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


def score_columns(screener: Screener, chunk: pl.DataFrame, text_column: str, party_columns=(), country_column=None,
                  parties_in_text: bool = False) -> pl.DataFrame:
    """The result columns (ADDED, plus `parties` when parties are screened) for the rows of `chunk`, in order."""
    texts = chunk[text_column].cast(pl.String)
    parties = None
    if party_columns:
        parties = chunk.select(pl.concat_str([pl.col(c).cast(pl.String) for c in party_columns], separator="\n",
                                             ignore_nulls=True)).to_series()
    countries = chunk[country_column].cast(pl.String) if country_column else None
    out = _score_distinct(screener, texts) if parties is None and countries is None and not parties_in_text else \
        screener.score_frame(texts, parties=parties, countries=countries, parties_in_text=parties_in_text).out
    return out.select(ADDED + (["parties"] if party_columns or parties_in_text else []))


def input_columns(text_column: str, party_columns=(), country_column=None, **_) -> list[str]:
    """The input columns scoring reads (a worker process is sent only these)."""
    return list(dict.fromkeys([text_column, *party_columns, *([country_column] if country_column else [])]))


def attach(chunk: pl.DataFrame, scored: pl.DataFrame) -> pl.DataFrame:
    """The input columns, then the result columns; an input column named like a result becomes input_<name>."""
    clash = [c for c in scored.columns if c in chunk.columns]
    base = chunk.rename({c: f"input_{c}" for c in clash}) if clash else chunk
    return pl.concat([base, scored], how="horizontal")


def score_chunk(screener: Screener, chunk: pl.DataFrame, text_column: str, party_columns=(), country_column=None,
                parties_in_text: bool = False) -> pl.DataFrame:
    """Score one chunk: its rows with the result columns added; the unit a distributed engine would call per partition."""
    return attach(chunk, score_columns(screener, chunk, text_column, party_columns, country_column, parties_in_text))
