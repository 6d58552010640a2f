"""Words of a company name are not goods (issue 19): "Kalashnikov Concern" ships no rifles; and what context
dropped is said in the JSON (`dropped`: term, span, reason)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rigour.names.org_types import extract_org_types

from screener.reference.paths import reference_dir
from screener.screen import screen_text


def _names():
    return yaml.safe_load((reference_dir() / "context" / "company_names.yaml").read_text(encoding="utf-8"))


def test_every_legal_form_is_one_of_rigours_org_types():
    assert [f for f in _names()["legal_forms"] if not extract_org_types(f.lower())] == []


def _goods(result):
    return [g["canonical"] for g in result["goods"]]


def test_goods_words_inside_a_company_name_are_not_goods(screener):
    result = screen_text(screener, "Paper notebooks, consignee Kalashnikov Concern, Minsk")
    assert not any("rifle" in g.lower() for g in _goods(result)), result["goods"]
    assert "munitions" not in " ".join(r["id"] for r in result["rules"])
    [dropped] = [d for d in result["dropped"] if d["text"] == "Kalashnikov"]
    assert dropped["start"] == 27 and dropped["end"] == 38
    assert "company name 'Kalashnikov Concern'" in dropped["reason"]


def test_a_company_name_after_words_of_several_bytes(screener):
    """The name's forms are found at byte offsets, as the goods are, whatever script comes before them."""
    result = screen_text(screener, "Бумага офисная, consignee Kalashnikov Concern, Minsk")
    assert not any("rifle" in g.lower() for g in _goods(result)), result["goods"]
    assert [d["text"] for d in result["dropped"]] == ["Kalashnikov"]


def test_legal_form_ending_and_upper_case(screener):
    result = screen_text(screener, "Silk Road Components FZE, Dubai: office paper, 200 kg")
    assert "Components (unspecified)" not in _goods(result)
    assert any("Silk Road Components FZE" in d["reason"] for d in result["dropped"])
    upper = screen_text(screener, "PAPER NOTEBOOKS CONSIGNEE KALASHNIKOV CONCERN MINSK")
    assert not any("rifle" in g.lower() for g in _goods(upper))


def test_goods_outside_the_name_are_still_found(screener):
    rifles = screen_text(screener, "Kalashnikov rifles, 20 pcs, consignee Alem Trade LLP, Almaty")
    assert any("rifle" in g.lower() for g in _goods(rifles))
    bearings = screen_text(screener, "Ball bearings 6205, consignee Silk Road Components FZE, Dubai")
    assert any("bearing" in g.lower() for g in _goods(bearings))
    assert "Components (unspecified)" not in _goods(bearings)


def test_batch_and_screen_agree_on_names(screener):
    texts = ["Paper notebooks, consignee Kalashnikov Concern, Minsk", "Kalashnikov rifles, 20 pcs"]
    out = screener.score_frame(texts).out
    for text, row in zip(texts, out.iter_rows(named=True)):
        assert screen_text(screener, text)["score"] == row["score"]


def test_dropped_says_why_context_suppressed_a_mention(screener):
    result = screen_text(screener, "cellulose nitrate lacquer base, 20 drums")
    assert not [g for g in result["goods"] if "itrocellulose" in g["canonical"]]
    [dropped] = result["dropped"]
    assert (dropped["term"], dropped["start"], dropped["end"]) == ("cellulose nitrate", 0, 17)
    assert "lacquer" in dropped["reason"] and "consumer-coatings" in dropped["reason"]
    blocked = screen_text(screener, "Potato chips, salted, 200 g")["dropped"]
    assert blocked and "potato chips" in blocked[0]["reason"]
    assert screen_text(screener, "500 pcs FPGA XC7A100T")["dropped"] == []


@pytest.fixture(scope="module")
def radar_party_screener(tmp_path_factory):
    """A store whose only list names a party with a goods word and no legal form: "Radar Stations Testovy"."""
    from click.testing import CliRunner

    from screener.api import load_screener
    from screener.cli import cli

    source = Path(__file__).resolve().parent / "parties" / "fixtures" / "uk_ofsi.csv"
    fixture = tmp_path_factory.mktemp("radar") / "uk_ofsi.csv"
    fixture.write_text(source.read_text(encoding="utf-8").replace("TESTOVY ZAVOD JSC", "RADAR STATIONS TESTOVY"),
                       encoding="utf-8")
    db = fixture.with_suffix(".duckdb")
    result = CliRunner().invoke(cli, ["reference", "import", "uk", str(fixture), "--db", str(db)])
    assert result.exit_code == 0, result.output
    screener = load_screener(db=db)
    if screener.parties is None:
        pytest.skip("party matcher not available")
    return screener


def test_goods_inside_a_listed_partys_name_are_not_goods(radar_party_screener):
    """A listed party's span in the text is a name, not goods; the party is still found."""
    result = screen_text(radar_party_screener, "Office chairs, 20 pcs, consignee Radar Stations Testovy, Moscow")
    assert result["parties"], "the listed party is found"
    assert "radar" not in _goods(result), result["goods"]
    assert any(d["text"] == "Radar Stations" and d["reason"].startswith("inside the name of the listed party")
               for d in result["dropped"]), result["dropped"]
    # the same goods word outside the name is still goods
    assert "radar" in _goods(screen_text(radar_party_screener, "Radar stations, 2 units, to Radar Stations Testovy"))


def test_the_prefix_trie_matches_what_a_longest_first_alternation_matches():
    import random
    import re

    from screener.match.names import _trie_alternation

    rng = random.Random(5)
    words = {"".join(rng.choice("LtdCo.") for _ in range(rng.randint(1, 5))) for _ in range(60)}
    flat = re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))
    trie = re.compile(_trie_alternation(words))
    for _ in range(2000):
        text = "".join(rng.choice("LtdCo. ") for _ in range(rng.randint(0, 12)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)], text
