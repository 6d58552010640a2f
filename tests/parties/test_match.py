"""Name matching against the shared lists: exact, aliases, legal forms, scripts, strictness, explanations."""

import duckdb
import pytest

from screener.parties.evaluate import evaluate_parties
from screener.parties.importers import IMPORTERS
from screener.parties.match import PartyMatcher

from .conftest import BENCHMARK, FIXTURES


def refs(matches):
    """Refs of the match tier (review-tier entries are possible matches, not matches)."""
    return {m.ref for m in matches if m.tier == "match"}


@pytest.mark.parametrize("name", ["JOINT STOCK COMPANY MIKRON", "Mikron JSC", "OOO Mikron", "АО «Микрон»",
                                  "Joint-Stock Company Mikron"])
def test_legal_form_and_script_variants(shared_matcher, name):
    assert "OFAC-SDN:35936" in refs(shared_matcher.match_name(name))


def test_alias_from_alt_file_and_explanation(shared_matcher):
    m = [x for x in shared_matcher.match_name("Rosoboron Export") if x.ref == "OFAC-SDN:18782"][0]
    assert m.name and m.alias.upper().startswith("ROSOBORONEXPORT")
    assert m.alias_strength == "strong" and m.score >= m.threshold and m.tokens
    assert m.programs and "RU" in m.countries
    d = m.to_dict()
    assert {"list", "entity_id", "name", "alias", "alias_strength", "score", "threshold", "tokens"} <= set(d)


def test_cyrillic_vs_latin_fuzzy(shared_matcher):
    m = [x for x in shared_matcher.match_name("Концерн Калашников") if x.ref == "OFAC-SDN:16911"]
    assert m and m[0].method == "fuzzy" and any("→" in t for t in m[0].tokens)  # kontsern → concern


def test_weak_alias_and_short_names_need_exact(shared_matcher):
    assert "OFAC-SDN:306" in refs(shared_matcher.match_name("BNC"))  # weak alias, exact
    assert "OFAC-SDN:306" not in refs(shared_matcher.match_name("BNCC"))
    assert "OFAC-SDN:306" not in refs(shared_matcher.match_name("BNC Trading"))
    assert not refs(shared_matcher.match_name("CIMEXX")) & {"OFAC-SDN:535"}  # CIMEX: short name
    assert "OFAC-SDN:535" in refs(shared_matcher.match_name("Cimex"))


@pytest.mark.parametrize("name", ["Global Trading Company", "International Trading Group LLC",
                                  "Hong Kong Trading Company Limited", "Banco Nacional de Angola",
                                  "Mohammed Ahmed", "Micron Systems Engineering Group Berlin"])
def test_generic_word_lookalikes_do_not_match(shared_matcher, name):
    assert refs(shared_matcher.match_name(name)) == set()


def test_match_names_dedupes_and_keeps_order(shared_matcher):
    out = shared_matcher.match_names(["Mikron JSC", "", "Siemens AG", "Mikron JSC"])
    assert len(out) == 4 and out[0] is out[3] and out[1] == [] and refs(out[2]) == set()


def test_find_in_text_spans(shared_matcher):
    text = "The chips were supplied by Mikron JSC to a buyer; a 0.5 micron filter went via Rosoboronexport."
    found = shared_matcher.find_in_text(text)
    by_ref = {m.ref: m for m in found}
    m = by_ref["OFAC-SDN:35936"]
    assert text[m.start:m.end] == m.matched_text == "Mikron JSC"
    assert "OFAC-SDN:18782" in by_ref
    assert all("micron" not in m.matched_text.lower() for m in found)  # lower-case unit word is not a name


def test_find_in_text_person_and_lowercase_generic(shared_matcher):
    found = shared_matcher.find_in_text("Officials said Ismail Haniya met the delegation.")
    assert "OFAC-SDN:23627" in refs(found)
    assert shared_matcher.find_in_text("a global trading company shipped national bank notes") == []


def test_matcher_on_fixture_lists():
    con = duckdb.connect()
    IMPORTERS["eu"](con, FIXTURES / "eu_fsf.xml")
    IMPORTERS["uk"](con, FIXTURES / "uk_ofsi.csv")
    m = PartyMatcher.from_store(con)
    assert refs(m.match_name("Testovy Zavod JSC")) == {"EU-FSF:EU.9001.01", "UK:77001"}
    assert refs(m.match_name("АО Тестовый Завод")) == {"EU-FSF:EU.9001.01", "UK:77001"}
    assert refs(m.match_name("TZ")) == {"EU-FSF:EU.9001.01"}  # weak alias, exact
    assert refs(m.match_name("TZX")) == set()
    assert refs(m.match_name("Ivanov Petr Sergeevich")) == {"EU-FSF:EU.9002.02", "UK:77002"}
    assert m.match_name("Petr Ivanovich Sidorov") == []


def test_empty_store_matches_nothing():
    m = PartyMatcher.from_store(duckdb.connect())
    assert m.match_name("Mikron") == [] and m.find_in_text("Mikron JSC") == []


def test_benchmark_floors(shared_matcher):
    r = evaluate_parties(BENCHMARK, shared_matcher)
    assert r["records"] >= 1300
    assert r["recall"] >= 0.98, r["misses"]  # the match tier (issue 14 asks 0.98)
    assert r["false_positive_rate"] <= 0.01, r["false_positives"]
    assert r["review_recall"] >= 0.995, r["misses"]  # match or review (issue 14 asks 0.995)
    check, tune = r["splits"]["check"], r["splits"]["tune"]  # the untouched third stays close to the rest
    assert abs(check["recall"] - tune["recall"]) <= 0.02 and abs(check["false_positive_rate"] - tune["false_positive_rate"]) <= 0.02


def test_a_title_case_line_that_is_no_name_is_read_as_text():
    """"Bearings for Testovy Zavod JSC" looks like a name (capitals and `for`); matched as one it is nothing,
    so it is read as running text, where the listed name in it is found."""
    con = duckdb.connect()
    IMPORTERS["eu"](con, FIXTURES / "eu_fsf.xml")
    m = PartyMatcher.from_store(con)
    found = m.find_in_text("Bearings for Testovy Zavod JSC")
    assert refs(found) == {"EU-FSF:EU.9001.01"}
    assert found[0].matched_text == "Testovy Zavod JSC"
    assert m.find_in_text("Bearings for Testing Works JSC") == []
