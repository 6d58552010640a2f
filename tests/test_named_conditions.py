"""Named conditions (rules/conditions.yaml): one home for a condition several rules share, `use: <name>`."""

from __future__ import annotations

from pathlib import Path

import pytest

from screener.errors import RuleError
from screener.reference.paths import rules_dir
from screener.rules.load import load_rules

RULE = """id: {id}
title: Uses a named condition
severity: low
weight: 5
when: {when}
message: "fired"
examples: {{fire: [a], silent: [b]}}
"""


def _folder(tmp_path: Path, conditions: str, when: str) -> Path:
    (tmp_path / "conditions.yaml").write_text(conditions, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(RULE.format(id="uses-condition", when=when), encoding="utf-8")
    return tmp_path


def test_use_stands_for_the_named_condition(tmp_path):
    folder = _folder(tmp_path, "conditions:\n  greeted: {phrase: {any: [hello there]}}\n",
                     "{all: [{phrase: {any: [good morning]}}, {not: {use: greeted}}]}")
    rule = load_rules(folder).rules[0]
    assert set(rule.node.phrases()) == {"good morning", "hello there"}
    assert rule.node.children[1].children[0].op == "phrase"  # the condition itself, in place of `use`


def test_unknown_condition_is_reported(tmp_path):
    with pytest.raises(RuleError, match="unknown condition 'farewell'"):
        load_rules(_folder(tmp_path, "conditions:\n  greeted: {phrase: {any: [hello]}}\n", "{use: farewell}"))


def test_a_named_condition_uses_no_other(tmp_path):
    conditions = "conditions:\n  a: {phrase: {any: [hello]}}\n  b: {use: a}\n"
    with pytest.raises(RuleError, match="conditions.b.use: unknown condition 'a'"):
        load_rules(_folder(tmp_path, conditions, "{use: a}"))


def test_a_broken_named_condition_is_reported_with_its_name(tmp_path):
    with pytest.raises(RuleError, match="conditions.greeted: unknown predicate 'frase'"):
        load_rules(_folder(tmp_path, "conditions:\n  greeted: {frase: {any: [hello]}}\n", "{use: greeted}"))


def test_the_conditions_file_counts_in_the_rules_version(tmp_path):
    folder = _folder(tmp_path, "conditions:\n  greeted: {phrase: {any: [hello]}}\n", "{use: greeted}")
    before = load_rules(folder).version
    (folder / "conditions.yaml").write_text("conditions:\n  greeted: {phrase: {any: [hi]}}\n", encoding="utf-8")
    assert load_rules(folder).version != before


def test_the_goods_rules_share_the_trade_guard():
    """Every goods rule that guards against goods outside trade uses the one named condition."""
    text = {p.name: p.read_text(encoding="utf-8") for p in (rules_dir() / "goods").glob("*.yaml")}
    guarded = [name for name, body in text.items() if "not_about_trade" in body]
    assert len(guarded) == 10
    assert not [name for name, body in text.items() if "sets: [off_trade]" in body]


def test_the_market_news_guard_has_one_home():
    """The market-news guard is the named condition `market_news_only`, not a block repeated in rule files."""
    shared = {"conditions.yaml", "phrase_sets.yaml"}
    bodies = [p.read_text(encoding="utf-8") for p in rules_dir().rglob("*.yaml") if p.name not in shared]
    assert sum("use: market_news_only" in b for b in bodies) >= 9  # nine when it moved here, more since
    assert not [b for b in bodies if "sets: [market_news]" in b]
