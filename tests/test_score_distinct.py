"""Repeated descriptions are scored once and every row still gets its own, identical result, in order."""

import polars as pl

from screener.batch import score_chunk


def test_repeated_texts_score_like_distinct_ones(screener):
    texts = ["FPGA XC7A100T to Moscow", None, "Black tea", "ball bearings 6205 via Almaty"]
    repeated = pl.DataFrame({"id": list(range(40)), "t": texts * 10})
    out = score_chunk(screener, repeated, "t")
    single = screener.score_frame(texts).out
    assert out["id"].to_list() == list(range(40))
    cols = [c for c in single.columns if c in out.columns]
    for i, row in enumerate(out.select(cols).to_dicts()):
        assert row == {c: single[c][i % 4] for c in cols}
