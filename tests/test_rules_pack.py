"""The bundled rule pack: every rule's own examples, rule authoring errors, user rule folders, the shape of
the score (graded, monotone, critical only with several kinds of evidence) and the labelled-set floors."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.errors import RuleError
from screener.evaluate import evaluate_dataset
from screener.reference.paths import rules_dir
from screener.rules.load import load_rules
from screener.score import BANDS

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BLINKEN = SHARED / "examples" / "blinken-beijing-dual-use.txt"

PACK = load_rules(rules_dir(), enabled_only=False)
CASES = [(r.rule.id, expect, text) for r in PACK.rules
         for expect, texts in (("fire", r.rule.examples.fire), ("silent", r.rule.examples.silent)) for text in texts]
TODO = [(r.rule.id, text) for r in PACK.rules for text in r.rule.examples.todo]


def _case_id(case) -> str:
    rid, expect, text = case
    return f"{rid}-{expect}-{text[:30]}"


@pytest.fixture(scope="session")
def fired_by_text(screener) -> dict[str, set[str]]:
    """All examples of the pack scored in one frame: text -> ids of the rules that fired."""
    texts = list(dict.fromkeys(c[2] for c in CASES))
    out = screener.score_frame(texts).out
    return {t: set(r.split(";")) - {""} for t, r in zip(texts, out["rules"].to_list())}


# ---- every rule's own examples --------------------------------------------------------------------------------

def test_every_rule_has_two_fire_and_two_silent_examples():
    thin = [r.rule.id for r in PACK.rules
            if len(r.rule.examples.fire) + len(r.rule.examples.todo) < 2 or len(r.rule.examples.silent) < 2]
    assert not thin, f"rules with fewer than 2 fire (or todo) and 2 silent examples: {thin}"


def test_every_rule_cites_a_source_and_fires_without_lists_where_it_can():
    assert all(r.rule.references for r in PACK.rules), [r.rule.id for r in PACK.rules if not r.rule.references]
    # only rules that need an imported sanctions list may keep their fire examples under `todo`
    assert {r.rule.id for r in PACK.rules if not r.rule.examples.fire} <= {"listed-party", "listed-party-review"}


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_rule_example(case, fired_by_text):
    rid, expect, text = case
    fired = rid in fired_by_text[text]
    assert fired == (expect == "fire"), f"{rid} should {'fire' if expect == 'fire' else 'stay silent'} on: {text}"


@pytest.mark.parametrize("case", TODO, ids=[f"{rid}-todo-{t[:30]}" for rid, t in TODO])
def test_todo_examples_fire_with_a_list(case, party_screener):
    from screener.screen import screen_text

    rid, text = case
    result = screen_text(party_screener, text)
    assert rid in {r["id"] for r in result["rules"]}, result["rules"]
    if rid == "listed-party":
        assert result["band"] == "critical", "a listed party alone is critical"
    else:  # a possible match is weaker evidence than a match: a person looks at it, it does not block alone
        assert result["band"] in ("low", "medium"), result["band"]


# ---- rule authoring -------------------------------------------------------------------------------------------

def _write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_RULE = """\
    id: {id}
    title: Test rule about tea
    severity: low
    weight: 10
    family: goods
    aliases: {aliases}
    references: ["our test"]
    when:
      phrase: {{any: [green tea]}}
    message: "tea: {{phrase}}"
    examples:
      fire: ["Green tea, 20 kg", "green tea leaves"]
      silent: ["Black coffee", "Teapot, ceramic"]
"""


def test_validate_reports_every_problem_with_file_rule_and_field(tmp_path):
    _write(tmp_path, "bad-weight.yaml", GOOD_RULE.format(id="bad-weight", aliases="[]").replace("weight: 10", "weight: 300"))
    _write(tmp_path, "bad-predicate.yaml", GOOD_RULE.format(id="bad-predicate", aliases="[]")
           .replace("phrase: {any: [green tea]}", "colour: {any: [green]}"))
    _write(tmp_path, "bad-param.yaml", GOOD_RULE.format(id="bad-param", aliases="[]")
           .replace("phrase: {any: [green tea]}", "on_list: {lists: CHPL}"))
    _write(tmp_path, "no-examples.yaml", GOOD_RULE.format(id="no-examples", aliases="[]")
           .replace('  fire: ["Green tea, 20 kg", "green tea leaves"]\n', ""))
    _write(tmp_path, "broken.yaml", "id: [unclosed\n")
    result = CliRunner().invoke(cli, ["rules", "validate", "--no-bundled", "--rules-dir", str(tmp_path)])
    assert result.exit_code == 2
    err = result.output
    assert "bad-weight.yaml: bad-weight: weight" in err
    assert "bad-predicate.yaml: bad-predicate: when: unknown predicate 'colour'" in err
    assert "bad-param.yaml: bad-param: when.on_list.list" in err and "when.on_list.lists" in err
    assert "no-examples.yaml: no-examples: examples" in err
    assert "broken.yaml: not valid YAML" in err
    assert "Traceback" not in err


def test_duplicate_ids_and_alias_collisions_are_errors(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    _write(a, "tea-one.yaml", GOOD_RULE.format(id="tea-one", aliases="[old-tea]"))
    _write(b, "tea-one.yaml", GOOD_RULE.format(id="tea-one", aliases="[]"))
    with pytest.raises(RuleError, match="'tea-one' is also used"):
        load_rules(a, b)
    _write(b, "tea-one.yaml", GOOD_RULE.format(id="tea-two", aliases="[old-tea]"))
    with pytest.raises(RuleError, match="'old-tea' is also used"):
        load_rules(a, b)
    # a user rule may not take a bundled rule's id either
    _write(b, "tea-one.yaml", GOOD_RULE.format(id="chpl-tier-1-2", aliases="[]"))
    with pytest.raises(RuleError, match="chpl-tier-1-2"):
        load_rules(rules_dir(), b)


def test_renamed_rule_keeps_its_alias(tmp_path):
    _write(tmp_path, "tea-new.yaml", GOOD_RULE.format(id="tea-new", aliases="[tea-old]"))
    rs = load_rules(tmp_path)
    assert rs.by_id()["tea-old"].rule.id == "tea-new"


def test_user_rules_folder_through_the_cli(tmp_path):
    _write(tmp_path, "tea-watch.yaml", GOOD_RULE.format(id="tea-watch", aliases="[]"))
    runner = CliRunner()
    listed = runner.invoke(cli, ["rules", "list", "--rules-dir", str(tmp_path)])
    assert listed.exit_code == 0 and "tea-watch" in listed.output and "chpl-tier-1-2" in listed.output
    tested = runner.invoke(cli, ["rules", "test", "--rule", "tea-watch", "--rules-dir", str(tmp_path)])
    assert tested.exit_code == 0, tested.output
    assert "4 passed, 0 failed" in tested.output
    screened = runner.invoke(cli, ["screen", "Green tea, 20 kg, to Lyon", "--format", "json", "--rules-dir", str(tmp_path)])
    assert screened.exit_code == 0, screened.output
    assert "tea-watch" in {r["id"] for r in json.loads(screened.stdout)["rules"]}


# ---- the shape of the score -----------------------------------------------------------------------------------

GOODS = "500 pcs FPGA XC7A100T-1CSG324C"
LADDER = [
    GOODS,
    GOODS + ", consignee in Moscow, Russia",
    GOODS + ", consignee in Moscow, Russia, end user: TBA",
    GOODS + ", consignee in Moscow, Russia, end user: TBA, contact ivan@mail.ru",
]


def test_more_independent_evidence_never_lowers_the_score(screener):
    scores = screener.score_frame(LADDER).out["score"].to_list()
    assert scores == sorted(scores) and scores[0] < scores[-1], scores


def test_goods_only_texts_never_reach_critical(screener):
    texts = [GOODS, GOODS + ", 200 ball bearings 6205-2RS, CNC lathe, nitrocellulose 20 drums, artillery shells",
             "Oscilloscopes, spectrum analysers, FPGA, DSP, microcontrollers, GNSS modules, thermal cameras, UAV motors"]
    out = screener.score_frame(texts).out
    assert "critical" not in out["band"].to_list(), out


def test_places_alone_stay_below_medium(screener):
    out = screener.score_frame(["Foreign ministers met in Moscow, Minsk, Tehran and Almaty",
                                "Black tea, 2,000 cartons, consignee Moscow tea house"]).out
    assert all(BANDS.index(b) < BANDS.index("medium") for b in out["band"].to_list()), out


def test_similar_risk_gives_similar_scores(screener):
    out = screener.score_frame(["500 pcs FPGA XC7A100T, consignee in Moscow, Russia",
                                "400 pcs FPGA XC7K325T, consignee in St Petersburg, Russia"]).out
    a, b = out["score"].to_list()
    assert abs(a - b) <= 5 and out["band"][0] == out["band"][1]


def test_negated_goods_are_marked_and_weigh_nothing(screener):
    from screener.screen import screen_text

    result = screen_text(screener, "The shipment does not contain dual-use items or integrated circuits")
    assert result["score"] == 0
    fired = {r["id"]: r for r in result["rules"]}
    assert "negated-goods" in fired and fired["negated-goods"]["weight"] == 0
    assert all(e["negated"] or e["hypothetical"] for e in fired["negated-goods"]["evidence"])


def test_each_fired_rule_appears_once_with_all_its_evidence(screener):
    from screener.screen import screen_text

    text = "FPGA XC7A100T and microcontrollers STM32F405, 500 pcs, consignee in Moscow, Russia"
    result = screen_text(screener, text)
    ids = [r["id"] for r in result["rules"]]
    assert len(ids) == len(set(ids))
    chpl = next(r for r in result["rules"] if r["id"] == "chpl-tier-1-2")
    spans = {e["text"] for c in chpl["evidence"] for e in c.get("evidence", [])}
    assert len(spans) >= 2, chpl["evidence"]


def test_blinken_article_is_high_with_goods_families_named(screener):
    if not BLINKEN.is_file():
        pytest.skip("../shared is not present")
    from screener.screen import screen_text

    text = BLINKEN.read_text(encoding="utf-8")
    result = screen_text(screener, text)
    assert result["band"] in ("high", "critical"), (result["score"], [r["id"] for r in result["rules"]])
    rules = {r["id"]: r for r in result["rules"]}
    assert {"chpl-tier-1-2", "chpl-tier-3-4", "energetics", "munitions"} <= set(rules)
    for rid, tier in (("chpl-tier-1-2", "1"), ("chpl-tier-3-4", "4B")):
        codes = [e for e in rules[rid]["evidence"] if e["kind"] == "hs_code"]
        assert any(c["list"] == "CHPL" and c["tier"] == tier for e in codes for c in e["controls"]), rid
        assert all(text[s["start"]:s["end"]] == s["text"] for e in codes for s in e["evidence"]), rid
        assert f"tier {tier}" in rules[rid]["message"]
    for rid in ("energetics", "munitions"):
        spans = [e for e in rules[rid]["evidence"] if e["kind"] == "goods"]
        assert spans and all(text[e["start"]:e["end"]] == e["text"] for e in spans), rid


# ---- floors on our labelled sets ------------------------------------------------------------------------------

def test_article_relevance_f1_floor(screener):
    metrics, _ = evaluate_dataset(screener, REPO / "benchmarks" / "data" / "articles.jsonl")
    assert metrics["records"] >= 80
    assert metrics["overall"]["f1"] >= 0.92, metrics["overall"]


def test_item_band_accuracy_floor(screener):
    metrics, _ = evaluate_dataset(screener, REPO / "benchmarks" / "data" / "items.jsonl")
    assert metrics["band_accuracy"] >= 0.90, metrics["band_accuracy"]
