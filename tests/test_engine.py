"""score_frame's rule columns and scores against the one-rule-at-a-time and one-row-at-a-time forms."""

from __future__ import annotations

import polars as pl

from screener.rules.conditions import compile_conditions, holds, parse
from screener.score import combine

TEXTS = [
    "500 pcs FPGA XC7A100T, consignee in Almaty, Kazakhstan, via Dubai",
    "Ball bearings 6204-2RS, HS 8482.10, to Moscow, Russia; end user tba",
    "Kazakh wheat, 20 t, FOB Aktau",
    "Quarterly revenue rose; the company makes drones and UAV flight controllers",
    "CNC milling machine, HS 9999.99, declines installation, contact ivan@mail.ru",
    "Not for military use: thermal imaging cameras, no night vision scopes",
    "",
    None,
]


def test_shared_predicates_give_each_rule_its_own_result(screener):
    feats = screener.score_frame(TEXTS).features
    names = [c for c, _, _ in screener.rule_cols]
    fired = feats.select(names)
    alone = feats.select(r.node.expr(lambda leaf: holds(leaf.witnesses(screener.tables))).fill_null(False).alias(c)
                         for c, r in zip(names, screener.rules.rules))
    assert fired.equals(alone)
    assert fired.to_numpy().any(), "some rule fires on these texts"


def test_a_predicate_used_twice_is_computed_once():
    node, problems = parse({"any": [{"all": [{"phrase": {"any": ["via"]}}, {"country": {"group": ["sanctioned"]}}]},
                                    {"not": {"phrase": {"any": ["via"]}}}]})
    assert not problems
    class Tables:  # (what the predicates would ask the reference data)
        def places_in_groups(self, groups):
            return ["RU", "BY"] if "sanctioned" in groups else []

    leaves, exprs, _ = compile_conditions([node, node], Tables())
    assert len(leaves) == 2
    frame = pl.DataFrame({"phrases": [["via"], [], ["via"]], "countries": [["RU"], [], []]})
    got = frame.with_columns(leaves).select(exprs[0].alias("x"))["x"].to_list()
    alone = node.expr(lambda leaf: holds(leaf.witnesses(Tables())))
    assert got == frame.select(alone.alias("x"))["x"].to_list() == [True, True, False]


def test_scores_bands_and_rule_ids_agree_with_the_formula_row_by_row(screener):
    scored = screener.score_frame(TEXTS)
    rules = screener.rules.rules
    for i, text in enumerate(TEXTS):
        row = scored.features.row(i, named=True)
        fired = [(r.rule.family, r.rule.weight) for (c, _, _), r in zip(screener.rule_cols, rules) if row[c]]
        ids = [r.rule.id for (c, _, _), r in zip(screener.rule_cols, rules) if row[c]]
        out = scored.out.row(i, named=True)
        if text is None:
            assert out["score"] is None and out["band"] is None and out["error"] == "missing text"
            continue
        score, _ = combine(fired, screener.rules.scoring)
        assert out["score"] == score
        assert out["band"] == screener.rules.scoring.band_of(score)
        assert out["rules"] == ";".join(ids)
