"""Repeated descriptions are scored once and every row still gets its own, identical result, in order."""

import polars as pl

from screener.batch.job import BatchJob
from screener.batch.scoring import score_chunk


def test_repeated_texts_score_like_distinct_ones(screener):
    texts = ["FPGA XC7A100T to Moscow", None, "Black tea", "ball bearings 6205 via Almaty"]
    repeated = pl.DataFrame({"id": list(range(40)), "t": texts * 10})
    out = score_chunk(screener, repeated, BatchJob(text_column="t"))
    single = screener.score_frame(texts).out
    assert out["id"].to_list() == list(range(40))
    cols = [c for c in single.columns if c in out.columns]
    for i, row in enumerate(out.select(cols).to_dicts()):
        assert row == {c: single[c][i % 4] for c in cols}


def test_large_chunks_decided_by_a_sample_give_the_same_rows(screener):
    """Past SAMPLE_ROWS rows a sample decides whether de-duplicating pays; either way each row's result
    is the one its text gets alone."""
    from screener.batch.scoring import SAMPLE_ROWS

    n = 2 * SAMPLE_ROWS + 7
    distinct = [f"FPGA XC7A100T lot {i} to Moscow" if i % 3 else f"black tea {i}" for i in range(n)]
    repeated = [distinct[i % 50] for i in range(n)]
    for texts in (distinct, repeated):
        out = score_chunk(screener, pl.DataFrame({"t": texts}), BatchJob(text_column="t"))
        assert out.drop("t").equals(screener.score_frame(texts).out.select(out.drop("t").columns))
