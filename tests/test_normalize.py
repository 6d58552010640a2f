import polars as pl
import pytest

from screener.text.normalize import fold_spaces, normalize, normalize_expr, normalize_term

TEXTS = [
    "Ab İx ﬁ Ä straße 6205-2RS!",
    "Микросхемы ЁЛКА, ПОДШИПНИКИ; 集成电路，100个",
    "tab\there\nnew ‘quoted’ — dash… (HS 8542.31)",
    "Kugellager für Werkzeugmaschinen — 5 Stück",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_python_and_polars_normalisers_agree_and_keep_length(text):
    polars_out = pl.DataFrame({"t": [text]}).select(normalize_expr(pl.col("t"))).item()
    folded, where = fold_spaces(" " + normalize(text) + " ")
    assert polars_out == folded
    assert len(normalize(text)) == len(text) and len(where) == len(folded) + 1


def test_punctuation_becomes_space_and_case_folds():
    assert normalize_term("Micro-Electronics, Ltd.") == "micro electronics ltd"
    assert normalize_term("ЁЖ") == "еж"
