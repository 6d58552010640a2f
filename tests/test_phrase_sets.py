"""Named phrase sets: rules share lists of phrases; unknown or malformed sets are reported."""

from pathlib import Path

import pytest

from screener.errors import RuleError
from screener.rules.load import load_rules

RULE = """id: {id}
title: Uses a phrase set
severity: low
weight: 5
when: {{phrase: {{sets: [{set}]}}}}
message: "phrase {{phrase}}"
examples: {{fire: [a], silent: [b]}}
"""


def _folder(tmp_path: Path, sets: str, set_name: str) -> Path:
    (tmp_path / "phrase_sets.yaml").write_text(sets, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(RULE.format(id="uses-set", set=set_name), encoding="utf-8")
    return tmp_path


def test_sets_expand_into_phrases(tmp_path):
    rs = load_rules(_folder(tmp_path, "sets:\n  greetings: [hello there, good morning]\n", "greetings"))
    assert set(rs.phrases()) == {"hello there", "good morning"}


def test_unknown_set_is_reported(tmp_path):
    with pytest.raises(RuleError, match="unknown phrase set"):
        load_rules(_folder(tmp_path, "sets:\n  greetings: [hello]\n", "farewells"))


def test_malformed_set_is_reported(tmp_path):
    with pytest.raises(RuleError, match="must be a list of phrases"):
        load_rules(_folder(tmp_path, "sets:\n  greetings: hello\n", "greetings"))


def test_bundled_rules_use_the_shared_sets():
    from screener.reference.paths import rules_dir

    rs = load_rules(rules_dir())
    phrases = set(rs.phrases())
    assert {"export control", "earnings"} <= phrases
