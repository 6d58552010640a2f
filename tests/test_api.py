"""The one screener factory (api.load_screener, rule configuration as arguments) and scoring from
rules/scoring.yaml alone (issue 13.4)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from screener.errors import RuleError
from screener.reference.paths import rules_dir
from screener.rules.load import load_rules
from screener.safe_yaml import load_yaml
from screener.score import Scoring


def test_scoring_has_no_defaults_of_its_own():
    with pytest.raises(ValidationError):
        Scoring()


def test_a_rule_folder_without_scoring_uses_the_bundled_file(tmp_path):
    (tmp_path / "one.yaml").write_text(
        "id: only-rule\ntitle: Only rule\nseverity: low\nweight: 5\nwhen: {phrase: {any: [widget]}}\n"
        "message: widget\nexamples: {fire: [a widget], silent: [a gadget]}\n", encoding="utf-8")
    bundled = load_yaml((rules_dir() / "scoring.yaml").read_text(encoding="utf-8"))
    rules = load_rules(tmp_path)
    assert rules.scoring.family_caps == bundled["family_caps"] and rules.scoring.bands == bundled["bands"]


def test_load_screener_applies_the_rule_configuration(screener):
    from screener.api import load_screener

    ids = [r.rule.id for r in screener.rules.rules]
    configured = load_screener(parties=False, disable=[ids[0]], weights={ids[1]: 7})
    got = {r.rule.id: r.rule.weight for r in configured.rules.rules}
    assert ids[0] not in got and got[ids[1]] == 7
    assert configured.rules.version != screener.rules.version
    with pytest.raises(RuleError, match="unknown rule id"):
        load_screener(parties=False, enable=["no-such-rule"])
