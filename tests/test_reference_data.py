"""Reference data: list counts and tiers, HS coverage, places, manifest freshness, agreement with upstream.

These tests guard the curated files under reference_data/ (see docs/CONTRIBUTING-DATA.md). The
upstream comparisons read the read-only ../shared checkout and skip when it is absent.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "reference_data"
SHARED = (REPO / ".." / "shared" / "sources").resolve()

TIER_COUNTS = {"1": 4, "2": 5, "3A": 16, "3B": 9, "4A": 11, "4B": 5}
ANNEX_ROWS = {"XXIII": 542, "XXIIIA": 154, "XXIIIB": 28, "XXXVII": 14}
ANNEX_LEVELS = {
    "XXIII": {2: 2, 4: 253, 6: 285, 8: 2},
    "XXIIIA": {4: 21, 6: 132, 8: 1},
    "XXIIIB": {4: 1, 6: 27},
    "XXXVII": {6: 14},
}
# Codes a list names that are not HS 2022 codes (documented in MANIFEST.yaml notes).
KNOWN_NON_HS2022 = {"441860", "98"}
CORE_CHAPTERS = ("28", "29", "36", "84", "85", "88", "90", "93")
SANCTIONED = {"RU", "BY", "IR", "KP", "SY", "CU", "UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"}
OCCUPIED = {"UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"}
PRIMARY_HUBS = {"AM", "GE", "KZ", "KG", "TJ", "UZ", "TR", "AE", "CN", "HK", "MO"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def load_script(name: str):
    """Import scripts/<name>.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def chpl():
    return read_csv(DATA / "lists" / "chpl.csv")


@pytest.fixture(scope="module")
def annex_xl():
    return read_csv(DATA / "lists" / "eu_annex_xl.csv")


@pytest.fixture(scope="module")
def annexes():
    return read_csv(DATA / "lists" / "eu_833_annexes.csv")


@pytest.fixture(scope="module")
def hs():
    return {row["code"]: row for row in read_csv(DATA / "hs" / "hs2022.csv")}


@pytest.fixture(scope="module")
def places_doc():
    return yaml.safe_load((DATA / "countries" / "places.yaml").read_text(encoding="utf-8"))


# --- lists ---------------------------------------------------------------------------------------

def test_chpl_has_50_unique_codes_with_tier_counts(chpl):
    assert list(chpl[0]) == ["hs6", "tier", "description"]
    codes = [r["hs6"] for r in chpl]
    assert len(codes) == 50 and len(set(codes)) == 50
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert Counter(r["tier"] for r in chpl) == TIER_COUNTS


def test_chpl_tiers_are_strings_in_the_contract(chpl):
    raw = (DATA / "lists" / "chpl.csv").read_text(encoding="utf-8")
    assert all(isinstance(r["tier"], str) and r["tier"] in TIER_COUNTS for r in chpl)
    assert "\n854231,1," in raw  # leading digits kept, tier written as text
    assert all(r["description"].strip() for r in chpl)


def test_annex_xl_is_chpl_tiers_1_to_4a(chpl, annex_xl):
    assert list(annex_xl[0]) == ["hs6", "position", "description"]
    codes = [r["hs6"] for r in annex_xl]
    assert len(codes) == 45 and len(set(codes)) == 45
    assert [int(r["position"]) for r in annex_xl] == list(range(1, 46))
    assert set(codes) == {r["hs6"] for r in chpl if r["tier"] != "4B"}


def test_annex_rows_per_annex_and_levels(annexes):
    assert list(annexes[0]) == ["annex", "position", "code", "level", "ex", "description"]
    assert Counter(r["annex"] for r in annexes) == ANNEX_ROWS
    for annex, levels in ANNEX_LEVELS.items():
        got = Counter(int(r["level"]) for r in annexes if r["annex"] == annex)
        assert got == levels, annex


def test_annex_codes_are_digits_at_their_level(annexes):
    for r in annexes:
        assert re.fullmatch(r"\d+", r["code"]), r
        assert len(r["code"]) == int(r["level"]) and r["level"] in {"2", "4", "6", "8"}, r
        assert r["ex"] in {"0", "1"}, r
        assert r["description"].strip(), r
    assert sum(r["ex"] == "1" for r in annexes) == 10
    positions = [(r["annex"], int(r["position"])) for r in annexes]
    assert len(set(positions)) == len(positions)


def test_annex_quirks_are_kept(annexes):
    by_code = {(r["annex"], r["code"]): r for r in annexes}
    assert ("XXIII", "441860") in by_code  # HS 2017 code, as printed in the OJ
    assert by_code[("XXIII", "98")]["ex"] == "1"  # CN chapter 98


def test_manifest_expected_rows_match_lists():
    manifest = yaml.safe_load((DATA / "MANIFEST.yaml").read_text(encoding="utf-8"))
    by_path = {e["path"]: e for e in manifest["files"]}
    assert by_path["lists/chpl.csv"]["expected_rows"] == 50
    assert by_path["lists/eu_annex_xl.csv"]["expected_rows"] == 45
    assert by_path["lists/eu_833_annexes.csv"]["expected_rows"] == sum(ANNEX_ROWS.values())
    assert by_path["lists/eu_833_annexes.csv"]["expected_rows_by_annex"] == ANNEX_ROWS


# --- HS subset -----------------------------------------------------------------------------------

def test_hs_rows_are_well_formed(hs):
    for code, row in hs.items():
        assert re.fullmatch(r"\d{2}|\d{4}|\d{6}", code), code
        assert int(row["level"]) == len(code)
        assert row["parent"] == ("" if len(code) == 2 else code[: len(code) - 2])
        assert row["parent"] == "" or row["parent"] in hs, code
        assert row["description"].strip() and len(row["description"]) <= 100, code


def _list_codes(chpl, annex_xl, annexes):
    codes = {r["hs6"] for r in chpl} | {r["hs6"] for r in annex_xl}
    codes |= {r["code"][:6] if len(r["code"]) == 8 else r["code"] for r in annexes}
    return codes


def test_every_list_code_is_in_hs2022(chpl, annex_xl, annexes, hs):
    missing = _list_codes(chpl, annex_xl, annexes) - set(hs)
    assert missing == KNOWN_NON_HS2022


def test_every_hs6_below_a_listed_heading_or_chapter_is_present(annexes, hs):
    if not (SHARED / "hs" / "harmonized-system.csv").is_file():
        pytest.skip("../shared not present: cannot list the full nomenclature")
    full = {r["hscode"] for r in read_csv(SHARED / "hs" / "harmonized-system.csv") if r["level"] == "6"}
    prefixes = {r["code"] for r in annexes if len(r["code"]) < 6} - KNOWN_NON_HS2022
    prefixes |= set(CORE_CHAPTERS)
    for prefix in sorted(prefixes):
        below = {c for c in full if c.startswith(prefix)}
        assert below, prefix
        assert below <= set(hs), (prefix, sorted(below - set(hs))[:5])


def test_hs_has_codes_named_by_lexicon(hs):
    for path in sorted((DATA / "lexicon").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in doc.get("entries") or []:
            for code in entry.get("hs6") or []:
                assert str(code) in hs, f"{path.name}: {entry.get('id')} names {code}, not in hs2022.csv"


def test_hs_subset_is_current():
    if not (SHARED / "hs" / "harmonized-system.csv").is_file():
        pytest.skip("../shared not present")
    derive = load_script("derive_hs_subset")
    assert derive.main(["--check"]) == 0, "re-run scripts/derive_hs_subset.py"


def test_shorten_makes_own_short_descriptions():
    derive = load_script("derive_hs_subset")
    assert derive.shorten("Horses; live, pure-bred breeding animals") == "Horses: live, pure-bred breeding animals"
    assert derive.shorten("Electronic integrated circuits; n.e.c. in heading no. 8542") == \
        "Electronic integrated circuits: n.e.c."
    assert derive.shorten("Chlorates – Of sodium", style="cn") == "Chlorates: of sodium"
    assert derive.shorten("Gypsum; anhydrite", style="cn") == "Gypsum; anhydrite"
    long = "Hydrogen peroxide, whether or not solidified with urea"
    assert derive.shorten(long, style="cn") == "Hydrogen peroxide"
    assert derive.shorten("Peat (including peat litter)", style="cn") == "Peat"
    assert len(derive.shorten("word, " * 40)) <= derive.MAX_LEN


def test_derive_reports_missing_source(tmp_path, capsys):
    derive = load_script("derive_hs_subset")
    assert derive.main(["--source", str(tmp_path / "absent.csv"), "--output", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: HS source not found") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# --- places --------------------------------------------------------------------------------------

def test_places_validate(places_doc):
    places = places_doc["places"]
    codes = [p["code"] for p in places]
    assert len(codes) == len(set(codes)), "place codes must be unique"
    for p in places:
        assert isinstance(p["code"], str), f"{p['code']!r}: quote it (YAML reads NO as false)"
        assert re.fullmatch(r"[A-Z]{2}(-[0-9A-Z]{1,3})?", p["code"]), p["code"]
        assert set(p) >= {"code", "name", "names", "adjectives", "cities", "i18n", "ambiguous"}, p["code"]
        terms = p["names"] + p["adjectives"] + p["cities"]
        assert all(isinstance(t, str) and t == t.lower() and t.strip() for t in terms), p["code"]
        assert set(p["ambiguous"]) <= set(terms), p["code"]
        assert set(p["i18n"]) <= {"ru", "uk", "de", "zh", "ko", "ja", "it", "fr", "es", "tr", "ar", "fa"}, p["code"]
    for gid, group in places_doc["groups"].items():
        assert group["title"] and group["source"], gid
        assert set(group["members"]) <= set(codes), (gid, set(group["members"]) - set(codes))


def test_place_groups(places_doc):
    groups = {g: set(v["members"]) for g, v in places_doc["groups"].items()}
    assert groups["sanctioned"] == SANCTIONED
    assert groups["occupied_region"] == OCCUPIED
    assert groups["transshipment_hub_primary"] == PRIMARY_HUBS
    assert groups["transshipment_hub"] == groups["transshipment_hub_primary"] | groups["transshipment_hub_secondary"]
    assert not groups["transshipment_hub_primary"] & groups["transshipment_hub_secondary"]
    assert {"RS", "IN", "SG", "TW", "MD"} <= groups["transshipment_hub_secondary"]
    assert not groups["sanctioned"] & groups["transshipment_hub"]


def test_each_name_belongs_to_one_place(places_doc):
    owner: dict[str, str] = {}
    for p in places_doc["places"]:
        for term in set(p["names"] + p["adjectives"] + p["cities"]):
            assert owner.setdefault(term, p["code"]) == p["code"], f"{term!r}: {owner[term]} and {p['code']}"


def test_known_names_resolve(places_doc):
    owner = {}
    for p in places_doc["places"]:
        for term in p["names"] + p["adjectives"] + p["cities"]:
            owner[term] = p["code"]
    expect = {
        "kirgizia": "KG", "kyrgyz republic": "KG", "uae": "AE", "emirates": "AE", "türkiye": "TR",
        "turkiye": "TR", "dprk": "KP", "north korea": "KP", "republic of korea": "KR", "jebel ali": "AE",
        "almaty": "KZ", "kazakhstani": "KZ", "emirati": "AE", "zaporozhye": "UA-23", "lugansk": "UA-09",
        "krym": "UA-43", "sebastopol": "UA-40", "dnr": "UA-14", "lnr": "UA-09", "mariupol": "UA-14",
        "melitopol": "UA-23", "kowloon": "HK", "macao": "MO", "belgrade": "RS", "novorossiysk": "RU",
        "germany": "DE", "german": "DE", "kyiv": "UA",
    }
    for term, code in expect.items():
        assert owner.get(term) == code, term
    kp = next(p for p in places_doc["places"] if p["code"] == "KP")
    assert "republic of korea" not in kp["names"] and "korea" not in kp["names"]


def test_ambiguous_names_are_flagged(places_doc):
    amb = {p["code"]: set(p["ambiguous"]) for p in places_doc["places"]}
    assert "georgia" in amb["GE"] and "turkey" in amb["TR"] and "china" in amb["CN"]
    assert "jordan" in amb["JO"] and "chad" in amb["TD"] and "guinea" in amb["GN"]


def test_russian_adjective_stems(places_doc):
    ru = {p["code"]: p["i18n"].get("ru", []) for p in places_doc["places"]}
    assert "российск" in ru["RU"] and "белорусск" in ru["BY"]
    assert "иранск" in ru["IR"] and "китайск" in ru["CN"]


# --- manifest ------------------------------------------------------------------------------------

def test_manifest_is_current():
    manifest = load_script("update_manifest")
    assert manifest.check() == [], "re-run: python scripts/update_manifest.py"


def test_manifest_check_detects_staleness(tmp_path):
    manifest = load_script("update_manifest")
    root = tmp_path / "reference_data"
    (root / "lists").mkdir(parents=True)
    (root / "lexicon").mkdir()
    (root / "lists" / "a.csv").write_text("hs6,tier\n854231,1\n", encoding="utf-8")
    (root / "lexicon" / "ic.yaml").write_text("entries:\n  - {id: a.b}\n  - {id: a.c}\n", encoding="utf-8")
    doc = manifest.refresh({"edition": "x", "files": [{"path": "gone.csv", "title": "t"}]}, root)
    paths = [e["path"] for e in doc["files"]]
    assert paths == ["lexicon/ic.yaml", "lists/a.csv"]  # gone.csv dropped, lexicon added
    lex = doc["files"][0]
    assert lex["rows"] == 2 and lex["source"].startswith("screener team, written from public sources")
    assert manifest.problems(doc, root) == []
    doc["files"][1]["expected_rows"] = 5
    (root / "lists" / "a.csv").write_text("hs6,tier\n854231,1\n854232,1\n", encoding="utf-8")
    found = manifest.problems(doc, root)
    assert any("sha256" in m for m in found) and any("rows" in m for m in found)
    assert any("expected_rows 5" in m for m in found)
    assert manifest.dump(manifest.refresh(doc, root)) == manifest.dump(manifest.refresh(doc, root))


def test_manifest_has_provenance_fields():
    manifest = yaml.safe_load((DATA / "MANIFEST.yaml").read_text(encoding="utf-8"))
    assert manifest["edition"] and manifest["generated"]
    for entry in manifest["files"]:
        for key in ("path", "title", "source", "licence", "rows", "sha256"):
            assert key in entry, (entry["path"], key)
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])


# --- agreement with upstream (needs ../shared) ---------------------------------------------------

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared not present")


@needs_shared
def test_chpl_agrees_with_upstream(chpl):
    upstream = read_csv(SHARED / "chpl" / "chpl.csv")
    assert [(r["hs6"], r["tier"]) for r in chpl] == [(r["hs6"], r["tier"]) for r in upstream]


@needs_shared
def test_annex_xl_agrees_with_upstream(annex_xl):
    upstream = read_csv(SHARED / "chpl" / "eu_annex_xl_2023_2878.csv")
    assert [(r["hs6"], r["position"]) for r in annex_xl] == [(r["hs6"], r["position"]) for r in upstream]


@needs_shared
def test_annexes_agree_with_upstream(annexes):
    upstream = [r for r in read_csv(SHARED / "eu_833_2014" / "eu_833_2014_annexes_reg_2023_2878.csv")
                if r["annex"] != "XL"]
    ours = [(r["annex"], r["position"], r["code"], r["level"], r["ex"]) for r in annexes]
    theirs = [(r["annex"], r["position"], r["code_digits"], r["level"], r["ex"]) for r in upstream]
    assert ours == theirs


@needs_shared
def test_descriptions_are_not_copied_verbatim(chpl, annexes):
    upstream = {r["hs6"]: r["description"] for r in read_csv(SHARED / "chpl" / "chpl.csv")}
    same = [r["hs6"] for r in chpl if r["description"] == upstream[r["hs6"]] and len(r["description"]) > 40]
    assert not same
    # Annex descriptions are the official wording trimmed to a short first clause (then reviewed); a
    # short official name ("Ball bearings") may stay as it is, but no long official text is carried over.
    up = {(r["annex"], r["position"]): r["description"]
          for r in read_csv(SHARED / "eu_833_2014" / "eu_833_2014_annexes_reg_2023_2878.csv")}
    assert all(len(r["description"]) <= 100 for r in annexes)
    shortened = [r for r in annexes if len(up[(r["annex"], r["position"])]) > 100]
    assert len(shortened) > 100
    assert all(r["description"] != up[(r["annex"], r["position"])] for r in shortened)
