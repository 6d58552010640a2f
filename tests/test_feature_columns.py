"""The feature columns (screener/features.py, plus what the engine adds) and the predicates that read them
(screener/rules/conditions.py) agree: every column a predicate reads exists, and every column is read.

A renamed or dropped feature column fails here, not as a rule that silently stops firing.
"""

from __future__ import annotations

import polars as pl
import pytest

from screener.engine import OUTPUT_COLUMNS
from screener.rules.conditions import PREDICATES, Node
from screener.rules.load import load_rules
from screener.reference.paths import rules_dir

# Parameters that take each predicate down each of its branches (columns differ by origin, role, muted …).
VARIANTS: dict[str, list[dict]] = {
    "nomenclature": [{}, {"lists": ["CHPL"], "min_similarity": 0.8}],
    "goods": [{}, {"category": ["microelectronics"]}, {"muted": True}, {"id_prefix": ["bearing"], "muted": True}],
    "on_list": [{"list": "CHPL"}, {"list": "CHPL", "tier": ["1"], "origin": "declared"},
                {"list": "EU833-XL", "origin": "inferred"}],
    "hs_code": [{"prefix": ["8542"]}, {"prefix": ["8542"], "origin": "declared"},
                {"prefix": ["84"], "origin": "inferred"}],
    "country": [{}, {"group": ["sanctioned"]}, {"role": ["destination"]}, {"codes": ["KZ"], "role": ["transit"]}],
    "phrase": [{"any": ["via"]}],
    "party": [{}, {"lists": ["UK"]}],
    "declared_code": [{}],
    "code_mismatch": [{}],
    "item_value": [{"list": "EU833-XVIII", "compare": "below"}, {"list": "EU833-XVIII", "compare": "at_least"}],
    "goods_count": [{}, {"min": 3}],
    "prose": [{}, {"min_words": 50}],
}

# Feature columns no predicate reads, and why they are there.
FOR_OUTPUT = {"goods_labels", "controls", "hs_codes", "parties"}  # the engine's `goods`, `controls` … columns
UNREAD = {"goods_cats", "country_groups", "ctl_inferred", "ctl_declared"}  # read by tests and by people only
TEXT = "500 pcs FPGA XC7A100T, HS 8542.39, EUR 20 per item, via Almaty, Kazakhstan, to Moscow, Russia"


def _read(expr: pl.Expr) -> set[str]:
    """The columns an expression reads (`pl.element()` inside a list expression names none)."""
    return set(expr.meta.root_names()) - {""}


def _nodes():
    for name, variants in VARIANTS.items():
        for params in variants:
            yield Node(name, (), PREDICATES[name].params.model_validate(params))
    for rule in load_rules(rules_dir()).rules:
        yield from rule.node.leaves()


@pytest.fixture(scope="module")
def features(screener) -> pl.DataFrame:
    """The frame predicates are compiled against: row_features' columns and those the engine adds."""
    feats = screener.score_frame([TEXT, "tea", None]).features
    return feats.select(c for c in feats.columns if not c.startswith("__"))


def test_every_predicate_has_variants():
    assert set(VARIANTS) == set(PREDICATES)


def test_every_column_a_predicate_reads_is_a_feature_column(screener, features):
    for node in _nodes():
        expr = node.witnesses(screener.tables)
        read = _read(expr)
        assert read and read <= set(features.columns), (node.key(), read - set(features.columns))
        witnesses = features.select(expr.alias("w"))["w"]  # compiles and runs on the real columns
        assert witnesses.dtype == pl.List(pl.String), node.key()


def test_every_feature_column_is_read(screener, features):
    read = {name for node in _nodes() for name in _read(node.witnesses(screener.tables))}
    assert set(features.columns) - {"row"} - read - FOR_OUTPUT == UNREAD
    assert not (read & UNREAD)


def test_the_output_columns_come_from_feature_columns(screener, features):
    out = screener.score_frame([TEXT]).out
    assert set(out.columns) == {*OUTPUT_COLUMNS, "parties", "parties_review"}
    assert out["goods"][0] == ";".join(features["goods_labels"][0])
    for col in ("hs_codes", "controls"):
        assert out[col][0] == ";".join(features[col][0]) and out[col][0]
