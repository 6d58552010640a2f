"""Issue 14: two tiers, decisions that do not depend on other lists, the same decision on every path, legal
forms through typos, the common-word rule in running text; issue 18: the list-import guard."""

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from screener.parties.match import PartyMatcher
from screener.parties.normalize import legal_forms, name_tokens
from tests.parties.conftest import BENCHMARK, SANCTIONS

TEXTS = BENCHMARK.parent / "party_texts.jsonl"


def _records(path: Path = BENCHMARK) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_legal_forms_and_generic_words_through_one_typo():
    assert name_tokens("JOINT STORK COMAPNY PROIZVODSTVENNOE OBEDINENIE FORT") == name_tokens(
        "JOINT STOCK COMPANY PROIZVODSTVENNOE OBEDINENIE FORT")
    assert name_tokens("OBSHCHESTVO S OGRANICHENNOI OTVETZTVENNOSTYU RUSAVTOMATIKA") == ("rusavtomatika",)
    assert name_tokens("AKTSIONERNOE OBSHCHESVTO AKONIT URAL") == name_tokens("AO AKONIT URAL")
    assert name_tokens("OPEN RIKOR ELECTRONICS") == ("rikor", "electronics")  # a legal form left half
    assert name_tokens("NEW IDEA GUANGZHOU TECHNOLOGI CO. LTD.")[-1] == "technology"
    assert name_tokens("ASERVICE") == ("aservice",)  # a listed name word is never "corrected" to a generic one
    assert legal_forms("JOINT STOK COMPANY START") == legal_forms("АО Старт") == frozenset({"jsc"})
    assert legal_forms("Alfa Laval AB") == frozenset({"ab"})


def test_second_list_changes_no_decision_on_the_first(shared_store, tmp_path):
    """Token weights come from reference_data, blocking is per list: importing the UN, consolidated and FTM lists
    beside the SDN changes no decision (tier, score) between a benchmark name and an SDN entity."""
    from screener.parties.importers import IMPORTERS

    full_path, _ = shared_store
    con = duckdb.connect(str(tmp_path / "sdn.duckdb"))
    IMPORTERS["ofac-sdn"](con, SANCTIONS / "ofac_sdn" / "sdn.csv")
    IMPORTERS["ofac-alt"](con, SANCTIONS / "ofac_sdn_alt" / "alt.csv")
    alone = PartyMatcher.from_store(con)
    con.close()
    con = duckdb.connect(str(full_path), read_only=True)
    full = PartyMatcher.from_store(con)
    con.close()
    assert len(full.index.lists) > len(alone.index.lists)
    recs = _records()
    names, countries = [r["name"] for r in recs], [r.get("country") for r in recs]

    def sdn(results):
        return [{(m.ref, m.tier, m.score) for m in ms if m.list == "OFAC-SDN"} for ms in results]

    a, b = sdn(alone.match_names(names, countries=countries)), sdn(full.match_names(names, countries=countries))
    assert sum(bool(x) for x in a) > 800
    assert [n for n, x, y in zip(names, a, b) if x != y] == []


def test_same_decision_in_eval_batch_and_screen(shared_matcher, shared_store):
    """`screener eval` (match_names), `batch --party-column --party-country-column` and `screen TEXT` decide alike
    for every name of the benchmark."""
    from screener.api import load_screener
    from screener.parties.evaluate import decisions
    from screener.screen import screen_texts

    recs = _records()
    screener = load_screener(parties=False)
    screener.parties = shared_matcher
    evals = decisions(recs, shared_matcher)
    frame = screener.score_frame(pl.Series([r["name"] for r in recs]),
                                 parties=pl.Series([r["name"] for r in recs]),
                                 party_countries=pl.Series([r.get("country") or "" for r in recs])).out
    screened = screen_texts(screener, [r["name"] for r in recs if not r.get("country")])
    it = iter(screened)
    for rec, (match, either), matched, review in zip(recs, evals, frame["parties"], frame["parties_review"]):
        want = set(rec["expected"]) if rec["listed"] else None
        got_match = set(matched.split(";")) - {""}
        got_review = set(review.split(";")) - {""}
        batch = (bool(got_match & want) if want else bool(got_match),
                 bool((got_match | got_review) & want) if want else bool(got_match | got_review))
        assert batch == (match, either), rec
        if not rec.get("country"):  # `screen` has no country for a bare name
            res = next(it)
            refs = {p["ref"] for p in res["parties"]}
            refs_review = {p["ref"] for p in res["review"]}
            scr = (bool(refs & want) if want else bool(refs),
                   bool((refs | refs_review) & want) if want else bool(refs | refs_review))
            assert scr == (match, either), rec


def test_common_words_in_trade_lines_raise_nothing(shared_matcher):
    from screener.api import load_screener
    from screener.screen import screen_texts

    screener = load_screener(parties=False)
    screener.parties = shared_matcher
    recs = [r for r in _records(TEXTS) if not r["listed"]]
    assert len(recs) >= 300
    party_rules = {r.rule.id for r in screener.rules.rules if r.rule.family == "party"}
    for rec, res in zip(recs, screen_texts(screener, [r["text"] for r in recs])):
        assert not res["parties"] and not {r["id"] for r in res["rules"]} & party_rules, (rec["text"], res["review"])


def test_full_names_in_running_text_are_found(shared_matcher):
    recs = [r for r in _records(TEXTS) if r["listed"]]
    assert len(recs) >= 200
    found = sum(bool({m.ref for m in shared_matcher.find_in_text(r["text"]) if m.tier == "match"}
                     & set(r["expected"])) for r in recs)
    assert found / len(recs) >= 0.95


def test_tiers_and_explanations(shared_matcher):
    m = shared_matcher
    [hit] = [x for x in m.match_name("Micron Technology Inc", country="US") if x.ref == "OFAC-SDN:35936"] or [None]
    assert hit is None or hit.tier == "review"
    star = m.find_in_text("Star brand tea, 20 cartons, to Hamburg")
    assert star == []
    got = m.match_name("JOINT STOCK COMAPNY MIKRON")
    assert got[0].ref == "OFAC-SDN:35936" and got[0].tier == "match"
    d = got[0].to_dict()
    assert {"tier", "extra_tokens", "features", "held_by"} <= set(d)
    planar = [x for x in m.match_name("Planar") if x.ref == "OFAC-SDN:35354"]
    assert planar and planar[0].tier == "review" and planar[0].held_by == "common_word"
    assert [x.tier for x in m.match_name("LLC Planar") if x.ref == "OFAC-SDN:35354"] == ["match"]
    # a country that is not the entity's lowers the score, and says so
    ru = [x for x in m.match_name("Mikron JSC") if x.ref == "OFAC-SDN:35936"][0]
    de = [x for x in m.match_name("Mikron JSC", country="DE") if x.ref == "OFAC-SDN:35936"][0]
    assert de.score < ru.score and dict(de.features).get("country_mismatch", 0) < 0


# -- list-import guard (issue 18) ------------------------------------------------------------------------------

def _half_sdn(tmp_path: Path) -> Path:
    lines = (SANCTIONS / "ofac_sdn" / "sdn.csv").read_bytes().split(b"\n")
    out = tmp_path / "sdn.csv"
    out.write_bytes(b"\n".join(lines[: len(lines) // 2]) + b"\n")
    return out


@pytest.fixture()
def sdn_store(tmp_path):
    if not (SANCTIONS / "ofac_sdn" / "sdn.csv").is_file():
        pytest.skip("../shared/sources/sanctions not available")
    from screener.parties.importers import IMPORTERS

    path = tmp_path / "guard.duckdb"
    con = duckdb.connect(str(path))
    IMPORTERS["ofac-sdn"](con, SANCTIONS / "ofac_sdn" / "sdn.csv")
    con.close()
    return path


def test_import_refuses_a_list_cut_to_half(sdn_store, tmp_path):
    from screener.cli import cli as main

    half = _half_sdn(tmp_path)
    r = CliRunner().invoke(main, ["reference", "import", "ofac-sdn", str(half), "--db", str(sdn_store)])
    assert r.exit_code == 2, r.output
    line = r.output.strip().splitlines()[-1]
    assert "15402" in line and "refusing" in line and "--allow-shrink" in line
    con = duckdb.connect(str(sdn_store), read_only=True)
    assert con.execute("SELECT entities FROM party_lists WHERE list = 'OFAC-SDN'").fetchone()[0] == 15402
    con.close()
    r = CliRunner().invoke(main, ["reference", "import", "ofac-sdn", str(half), "--db", str(sdn_store),
                                  "--allow-shrink"])
    assert r.exit_code == 0, r.output
    con = duckdb.connect(str(sdn_store), read_only=True)
    assert con.execute("SELECT entities FROM party_lists WHERE list = 'OFAC-SDN'").fetchone()[0] < 8000
    con.close()


def test_import_refuses_the_non_sdn_file_as_sdn(sdn_store, tmp_path):
    from screener.cli import cli as main

    cons = SANCTIONS / "ofac_consolidated_non_sdn" / "OFAC.csv"
    for db in (sdn_store, tmp_path / "empty.duckdb"):  # a shrink, and (in an empty store) the wrong kind
        r = CliRunner().invoke(main, ["reference", "import", "ofac-sdn", str(cons), "--db", str(db)])
        assert r.exit_code == 2, r.output
        assert "refusing" in r.output and "--allow-shrink" in r.output
