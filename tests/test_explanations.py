"""The explanation a compliance officer signs off is the verdict's own: for every rule of the pack and every
example it fires on, the fired rule's evidence names exactly what made its predicates true (issue 13).

A predicate's witnesses (the entry ids, codes, places, phrases or parties that make it true) are the
columns the verdict was computed from; the evidence is read from them. These tests hold the two together:
an explanation that leaves out a kind of evidence, or names what did not decide, fails here.
"""

from __future__ import annotations

import pytest

from screener.reference.paths import rules_dir
from screener.rules.load import load_rules
from screener.screen import screen

PACK = load_rules(rules_dir()).rules
FIRE = [(r.rule.id, t) for r in PACK for t in r.rule.examples.fire]
TODO = [(r.rule.id, t) for r in PACK for t in r.rule.examples.todo]
KEY = {"goods": "entry_id", "hs_code": "code", "country": "code", "phrase": "phrase", "party": "ref", "value": "text"}


def _key(evidence, leaf) -> str:
    if evidence.kind == "country" and leaf.params.role:  # (a place in a role: `CODE:role`)
        return f"{evidence.finding.code}:{evidence.finding.role}"
    return getattr(evidence.finding, KEY[evidence.kind])


def _check(screener, rule_id: str, text: str) -> None:
    result = screen(screener, text)
    feats = screener.score_frame([text], parties_in_text=True).features.row(0, named=True)
    index = next(i for i, r in enumerate(screener.rules.rules) if r.rule.id == rule_id)
    fired = {r.id: r for r in result.rules}
    assert rule_id in fired, f"{rule_id} does not fire on its example: {text}"
    rule = fired[rule_id]
    said = [e for e in rule.evidence]
    expected: list[str] = []
    for column, leaf in screener.rule_leaves[index]:
        witnesses = feats[column]
        if not witnesses:
            continue  # (a predicate that did not hold, under `any`: no evidence of it)
        shown = leaf.evidence(witnesses, _findings(result))
        # every predicate that held is explained, by exactly the findings its witnesses name
        assert shown, f"{rule_id}: predicate {leaf.op} held on {witnesses} but has no evidence"
        assert {_key(e, leaf) for e in shown} == set(witnesses), (rule_id, leaf.op, witnesses)
        expected += [e.to_dict() for e in shown]
    assert [e.to_dict() for e in said] == expected
    for e in said:  # every span is the text it claims
        item = e.to_dict()
        spans = [item] if "start" in item else item.get("evidence", [])
        for span in spans:
            if (span.get("start") or -1) >= 0:  # (a party's span text is its `matched_text`)
                assert text[span["start"]:span["end"]] == span.get("text", span.get("matched_text")), (rule_id, span)


def _findings(result):
    from screener.results import Findings

    return Findings(result.goods, result.hs_codes, result.countries, result.phrases, result.parties + result.review,
                    result.values)  # the review tier is a party finding too (of the weaker rule)


@pytest.mark.parametrize("rule_id, text", FIRE, ids=[f"{rid}-{t[:30]}" for rid, t in FIRE])
def test_evidence_names_exactly_what_decided(screener, rule_id, text):
    _check(screener, rule_id, text)


@pytest.mark.parametrize("rule_id, text", TODO, ids=[f"{rid}-todo-{t[:30]}" for rid, t in TODO])
def test_party_evidence_names_the_listed_party(party_screener, rule_id, text):
    _check(party_screener, rule_id, text)


def test_each_kind_of_evidence_appears_in_the_pack(screener):
    """The examples above exercise every kind of evidence (so leaving one out of every explanation fails)."""
    kinds = set()
    for rule_id, text in FIRE:
        for r in screen(screener, text).rules:
            kinds |= {e.kind for e in r.evidence}
    assert {"goods", "hs_code", "country", "phrase"} <= kinds


def test_the_message_uses_the_evidence(screener):
    result = screen(screener, "Ball bearings 6205-2RS, 20,000 pcs, consignee in Moscow, Russia")
    rule = next(r for r in result.rules if r.id == "sanctioned-destination")
    assert "Russia" in rule.message and any(e.kind == "country" for e in rule.evidence)


def test_a_message_names_the_goods_behind_each_of_its_codes(screener):
    # the combination rule fires on a listed code (bearings, oscilloscope) and on a category (nitrocellulose):
    # its message once named only the category's term beside the other goods' codes
    result = screen(screener, "ball bearings, nitrocellulose and an oscilloscope shipped to Moscow")
    rule = next(r for r in result.rules if r.id == "controlled-goods-to-sanctioned")
    terms, codes = rule.message.split(" (HS ")[0], rule.message.split(" (HS ")[1].split(")")[0]
    assert {"ball bearings", "nitrocellulose", "oscilloscope"} <= set(terms.split(", "))
    assert {"848210", "391220", "903020"} <= set(codes.split(", "))


def test_a_message_names_goods_words_not_the_declared_code_s_text(screener):
    rules = {r.id: r for r in screen(screener, "Deep groove ball bearings SKF 6308, HS 8482.10, to Moscow").rules}
    assert rules["eu-annex-xl"].message.startswith("Deep groove ball bearings")  # not "HS 8482.10, Deep …"
    # with no goods word, the declared code's text is what the message can name
    only_code = {r.id: r for r in screen(screener, "Goods under HS 8482.10, 200 cartons, to Moscow").rules}
    assert only_code["eu-annex-xl"].message.startswith("HS 8482.10 (HS 848210)")
