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


def test_ascii_fast_path_equals_the_per_character_rule():
    from screener.text.normalize import _char

    every_ascii = "".join(chr(i) for i in range(128)) * 2
    assert normalize(every_ascii) == "".join(_char(ch) for ch in every_ascii)
