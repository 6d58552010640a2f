"""The sanctions goods lists (EU833-XVII, -XVIII, -XXI, US-RU-IMPORT-BAN): our files, the store, lookup, info,
coverage of national codes and ranges, and importing a newer or older state of a list."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shutil

import duckdb
import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.reference.coverage import Nomenclature, covered, effective_code
from screener.reference.goods_lists import parse_threshold, read_specs
from screener.reference.paths import reference_dir

LISTS = reference_dir() / "lists"
FILES = {"EU833-XVIII": ("eu_833_annex_xviii.csv", "eu_833_2014/eu_833_annex_xviii_luxury.csv", 321),
         "EU833-XVII": ("eu_833_annex_xvii.csv", "eu_833_2014/eu_833_annex_xvii_iron_steel.csv", 50),
         "EU833-XXI": ("eu_833_annex_xxi.csv", "eu_833_2014/eu_833_annex_xxi_import_ban.csv", 205),
         "US-RU-IMPORT-BAN": ("us_ru_import_bans.csv", "us_import_bans/us_eo14068_import_bans.csv", 103)}


def ours(tag: str) -> list[dict]:
    return list(csv.DictReader((LISTS / FILES[tag][0]).open(encoding="utf-8")))


def upstream(shared_dir, tag: str) -> list[dict]:
    return list(csv.DictReader((shared_dir / "sources" / FILES[tag][1]).open(encoding="utf-8")))


# --- coverage of codes, national codes and ranges ---------------------------------------------------

HS = Nomenclature(["84", "8708", "870810", "870829", "4202", "420221", "420222", "97", "9701", "970121",
                   "0301", "030111", "030119", "030199", "0302", "030211", "030299", "950300"])


@pytest.mark.parametrize("code,expected", [
    ("8708", ("8708", True)), ("42022100", ("420221", True)), ("42022190", ("420221", False)),
    ("87080000", ("8708", True)), ("9700", ("97", True)), ("95030075", ("950300", False)),
    ("441860", ("441860", True)), ("0302110010", ("030211", False)), ("0302110000", ("030211", True))])
def test_a_code_stands_for_the_hs_code_it_covers(code, expected):
    assert effective_code(code, HS) == expected


def test_codes_cover_what_lies_below_them():
    assert covered("8708", None, False, HS) == [("870810", False), ("870829", False)]
    assert covered("87080000", None, True, HS) == [("870810", True), ("870829", True)]  # ex: in part
    assert covered("42022100", None, False, HS) == [("420221", False)]
    assert covered("42022190", None, False, HS) == [("420221", True)]


def test_a_range_covers_every_subheading_between_its_ends():
    # 0301.11.00 starts its subheading: whole; 0302.11.50 starts inside 030211; an 8-digit end is partial
    assert covered("03011100", "03021150", False, HS) == [
        ("030111", False), ("030119", False), ("030199", False), ("030211", True)]
    assert covered("03011150", "0301", False, HS)[0] == ("030111", True)


def test_thresholds_read():
    assert parse_threshold("EUR 300") == ("above", 300.0, "EUR")
    assert parse_threshold("any value") == ("any", None, None)
    assert parse_threshold("") == ("none", None, None)
    with pytest.raises(ValueError):
        parse_threshold("300 euros")


# --- our files ---------------------------------------------------------------------------------------

def test_every_list_is_declared_with_direction_and_countries():
    specs = read_specs(reference_dir())
    assert {t: specs[t].direction for t in FILES} == {
        "EU833-XVIII": "export", "EU833-XVII": "import", "EU833-XXI": "import", "US-RU-IMPORT-BAN": "import"}
    assert all(specs[t].countries == ["RU"] for t in FILES)
    assert specs["US-RU-IMPORT-BAN"].complete is False and all(specs[t].complete for t in FILES if t[0] == "E")
    assert len(specs["EU833-XVIII"].categories) == 23


@pytest.mark.parametrize("tag", list(FILES))
def test_our_files_have_their_rows(tag):
    rows = ours(tag)
    assert len(rows) == FILES[tag][2]
    assert all(re.fullmatch(r"\d{2}(\d{2}){0,4}", r["code"]) and int(r["level"]) == len(r["code"]) for r in rows)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["in_force"]) and r["legal_act"] for r in rows)
    assert all(len(r["description"]) <= 100 and r["description"] for r in rows)


def test_luxury_thresholds_follow_the_categories():
    by_code = {}
    for r in ours("EU833-XVIII"):
        by_code.setdefault(r["code"], {})[r["category"]] = r["threshold"]
    assert by_code["87110000"] == {"17": "EUR 5000"}          # motorbikes
    assert by_code["87020000"] == {"17": "EUR 50000"}         # vehicles for ten or more persons
    assert by_code["87080000"] == {"17": "EUR 300"}           # spare parts: no value of their own
    assert by_code["95045000"] == {"15": "EUR 750", "22": "EUR 300"}
    assert by_code["92010000"] == {"19": "EUR 1500"} and by_code["85190000"] == {"16": "EUR 1000"}
    assert by_code["90049090"] == {"23": "any value"}
    assert {t for r in ours("EU833-XVIII") for t in [r["threshold"]]} == {
        "EUR 300", "EUR 750", "EUR 1000", "EUR 1500", "EUR 5000", "EUR 50000", "any value"}
    assert all(r["ex"] == "1" for r in ours("EU833-XVIII"))


def test_us_ranges_are_kept_as_ranges():
    rows = ours("US-RU-IMPORT-BAN")
    ranges = [(r["code"], r["code_to"]) for r in rows if r["code_to"]]
    assert ("03011100", "03019903") in ranges and ("16051005", "16056900") in ranges and len(ranges) == 11
    assert {r["category"] for r in rows} == {"fish and seafood", "salmon", "cod", "pollock", "crab"}


def test_a_sample_of_rows_agrees_with_the_source(shared_dir):
    for tag in FILES:
        theirs, mine = upstream(shared_dir, tag), ours(tag)
        assert len(theirs) == len(mine), tag
        for i in range(0, len(mine), 7):  # every 7th row, read from the source here, not by our parser
            src, row = theirs[i], mine[i]
            code = src.get("cn_code") or src["hts_code_or_range"]
            first, _, last = code.partition(" to ")
            assert row["code"] == re.sub(r"\D", "", first) and row["code_to"] == re.sub(r"\D", "", last), (tag, i)
            if tag.startswith("EU"):
                assert row["ex"] == ("1" if "ex (" in src["notes"] else "0"), (tag, i)
            if tag == "EU833-XVIII":
                assert row["category"] == re.search(r"category \((\d+)\)", src["notes"]).group(1)
                if "EUR 300 per item" in src["notes"]:
                    assert row["threshold"] == "EUR 300"
            if tag == "US-RU-IMPORT-BAN":
                assert row["in_force"] == ("2023-12-22" if "Seafood Determination" in src["program"] else "2022-03-11")


def test_long_descriptions_are_our_own(shared_dir):
    for tag in FILES:
        theirs, mine = upstream(shared_dir, tag), ours(tag)
        long = [(a["description"], b["description"]) for a, b in zip(theirs, mine) if len(a["description"]) > 100]
        assert all(x != y for x, y in long), tag


def test_derived_files_are_current(shared_dir):
    spec = importlib.util.spec_from_file_location("derive_goods_lists", reference_dir().parent / "scripts" /
                                                  "derive_goods_lists.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "re-run scripts/derive_goods_lists.py"


# --- the store, lookup and info ----------------------------------------------------------------------

def test_every_row_is_in_the_store_with_its_fields(screener):
    con = duckdb.connect(str(screener.reference.db_path), read_only=True)
    try:
        for tag in FILES:
            rows = con.execute("SELECT code, code_to, category, threshold_kind, threshold_value, direction, countries, "
                               "legal_basis, legal_act, in_force FROM list_entries WHERE list = ? ORDER BY position",
                               [tag]).fetchall()
            assert len(rows) == FILES[tag][2], tag
            for (code, code_to, cat, kind, value, direction, countries, basis, act, in_force), r in zip(rows, ours(tag)):
                assert (code, code_to or "", cat or "", in_force, act) == (
                    r["code"], r["code_to"], r["category"], r["in_force"], r["legal_act"])
                assert direction in ("export", "import") and countries == ["RU"] and basis
                assert kind == parse_threshold(r["threshold"])[0] and value == parse_threshold(r["threshold"])[1]
    finally:
        con.close()


def test_lookup_shows_goods_lists_beside_the_dual_use_ones():
    result = CliRunner().invoke(cli, ["reference", "lookup", "4202.21", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["list"]: r for r in json.loads(result.stdout)["list_rows"]}
    assert rows["EU833-XVIII"]["direction"] == "export" and rows["EU833-XVIII"]["threshold"] == "above EUR 300 per item"
    assert rows["EU833-XVIII"]["covers"] == "part" and rows["EU833-XVIII"]["category"] == "7"
    assert rows["EU833-XXI"]["direction"] == "import" and rows["EU833-XXI"]["covers"] == "all"
    text = CliRunner().invoke(cli, ["reference", "lookup", "8542.31"]).output
    assert "CHPL: entry 854231, tier 1" in text and "EU833-XXI: entry 8542; import from RU" in text
    text = CliRunner().invoke(cli, ["reference", "lookup", "4202.21"]).output
    assert "EU833-XVIII: entry 42020000 (partial), category 7" in text and "above EUR 300 per item" in text


@pytest.mark.parametrize("query,expected", [
    ("0303.12.0022", {("03031100-03039900", "all"), ("0303120022", "all")}),
    ("0303.12", {("03031100-03039900", "all"), ("0303120012", "part"), ("0303120022", "part"),
                 ("0303120032", "part"), ("0303120052", "part"), ("0303120062", "part")}),
    ("0303.12.0099", {("03031100-03039900", "all")})])
def test_lookup_of_national_codes(query, expected):
    result = CliRunner().invoke(cli, ["reference", "lookup", query, "--format", "json"])
    rows = json.loads(result.stdout)["list_rows"]
    assert {(r["entry"], r["covers"]) for r in rows if r["list"] == "US-RU-IMPORT-BAN"} == expected


def test_info_shows_each_list_with_its_date_count_and_gaps():
    result = CliRunner().invoke(cli, ["reference", "info", "--format", "json"])
    lists = {m["list"]: m for m in json.loads(result.stdout)["lists"]}
    assert (lists["EU833-XVIII"]["rows"], lists["EU833-XVIII"]["date"]) == (321, "2023-06-24")
    assert (lists["EU833-XXI"]["rows"], lists["EU833-XXI"]["date"]) == (205, "2023-12-19")
    assert lists["US-RU-IMPORT-BAN"]["complete"] is False
    text = CliRunner().invoke(cli, ["reference", "info"]).output
    assert re.search(r"US-RU-IMPORT-BAN +103 rows +dated 2023-12-22 +import from RU .*PARTIAL COPY", text)


# --- importing a state of a list ---------------------------------------------------------------------

@pytest.fixture
def import_store(tmp_path, screener):
    """A copy of the session's store, to import into."""
    path = tmp_path / "store.duckdb"
    shutil.copy(screener.reference.db_path, path)
    return path


def _import(db, *args):
    return CliRunner().invoke(cli, ["reference", "import", *args, "--db", str(db)])


def _info(db) -> dict:
    result = CliRunner().invoke(cli, ["reference", "info", "--format", "json", "--db", str(db)])
    return {m["list"]: m for m in json.loads(result.stdout)["lists"]}


def test_an_older_then_the_current_state_is_imported_and_reported(shared_dir, import_store):
    src = shared_dir / "sources" / "eu_833_2014"
    older = _import(import_store, "eu833-annex", str(src / "eu_833_annex_xxi_import_ban_20230427.csv"))
    assert older.exit_code == 0, older.output
    assert "185 rows dated 2023-04-27 (was 205 rows dated 2023-12-19): rows added 1, dropped 21, changed 1" in older.output
    assert "added: 290511" in older.output and "dropped: 2701, 2702" in older.output
    info = _info(import_store)["EU833-XXI"]
    assert (info["rows"], info["date"], info["origin"]) == (185, "2023-04-27", "imported")
    older = _import(import_store, "eu833-annex", str(src / "eu_833_annex_xviii_luxury_20230427.csv"))
    assert "345 rows dated 2023-04-27 (was 321 rows dated 2023-06-24): rows added 24, dropped 0, changed 1" in older.output
    assert "changed: 84286000" in older.output  # 8428 60 00 had no ex marker in the older text

    current = _import(import_store, "eu833-annex", str(src / "eu_833_annex_xxi_import_ban.csv"))
    assert "205 rows dated 2023-12-19 (was 185 rows dated 2023-04-27): rows added 21, dropped 1, changed 1" in current.output
    current = _import(import_store, "eu833-annex", str(src / "eu_833_annex_xviii_luxury.csv"), "--date", "2023-06-24")
    assert "rows added 0, dropped 24, changed 1" in current.output
    info = _info(import_store)
    assert (info["EU833-XXI"]["rows"], info["EU833-XXI"]["date"]) == (205, "2023-12-19")
    assert (info["EU833-XVIII"]["rows"], info["EU833-XVIII"]["date"]) == (321, "2023-06-24")


def test_an_imported_state_survives_a_rebuild_and_covers_its_codes(shared_dir, import_store):
    src = shared_dir / "sources" / "eu_833_2014"
    assert _import(import_store, "eu833-annex", str(src / "eu_833_annex_xvii_iron_steel_20230427.csv")).exit_code == 0
    assert CliRunner().invoke(cli, ["reference", "build", "--db", str(import_store)]).exit_code == 0
    assert (_info(import_store)["EU833-XVII"]["rows"], _info(import_store)["EU833-XVII"]["date"]) == (383, "2023-04-27")
    result = CliRunner().invoke(cli, ["reference", "lookup", "7208.10.00", "--db", str(import_store), "--format", "json"])
    rows = [r for r in json.loads(result.stdout)["list_rows"] if r["list"] == "EU833-XVII"]
    assert {(r["entry"], r["covers"]) for r in rows} == {("7208", "all"), ("72081000", "all")}
    assert _import(import_store, "eu833-annex", str(src / "eu_833_annex_xvii_iron_steel.csv")).exit_code == 0
    assert _info(import_store)["EU833-XVII"]["rows"] == 50


def test_a_bad_file_is_one_line_exit_2_and_changes_nothing(tmp_path, import_store):
    before = _info(import_store)
    bad = tmp_path / "annex.csv"
    bad.write_text("annex,cn_code,description,notes\nXXI,2701,Coal,Reg. (EU) 2023/2878 Annex III\nXXI,27x1,Coal,\n",
                   encoding="utf-8")
    result = _import(import_store, "eu833-annex", str(bad))
    assert result.exit_code == 2 and "row 3: cn_code '27x1'" in result.output and "Traceback" not in result.output
    undated = tmp_path / "undated.csv"
    undated.write_text("annex,cn_code,description,notes\nXVIII,0101 21 00,Horses,category (1) Horses\n", encoding="utf-8")
    result = _import(import_store, "eu833-annex", str(undated))
    assert result.exit_code == 2 and "pass --date" in result.output
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("hs6,tier\n854231,1\n", encoding="utf-8")
    assert _import(import_store, "eu833-annex", str(wrong)).exit_code == 2
    assert _import(import_store, "eu833-annex", str(tmp_path / "absent.csv")).exit_code == 2
    assert _import(import_store, "eu833-annex", str(undated), "--list-name", "X").exit_code == 2
    assert _info(import_store) == before
