"""Lexicon coverage by code (issue 19 #1): every CHPL code has at least ten names in the lexicon, and the
everyday names of catalogues and customs rulings listed in tests/fixtures/everyday_names.yaml find their code."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from screener.lexicon.coverage import FLOOR, coverage_by_code, coverage_summary, listed_codes
from screener.lexicon.model import LexiconEntry

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "everyday_names.yaml"
CHPL = Path(__file__).resolve().parents[1] / "reference_data" / "lists" / "chpl.csv"
NAMES: dict[str, list] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["names"]


@pytest.fixture(scope="module")
def table(screener) -> pl.DataFrame:
    return coverage_by_code(screener.reference.entries.values(), listed_codes(screener.reference.coverage))


def test_every_chpl_code_has_ten_names(table):
    chpl = table.filter(pl.col("list") == "CHPL")
    report = "\n".join(f"{r['hs6']}: {r['names']} names, {len(r['languages'])} languages ({','.join(r['languages'])})"
                       for r in chpl.iter_rows(named=True))
    assert chpl.height == pl.read_csv(CHPL, infer_schema=False).height, report
    thin = chpl.filter(pl.col("names") < FLOOR)
    assert thin.is_empty(), f"CHPL codes with fewer than {FLOOR} names:\n{thin}\n{report}"
    assert chpl["languages"].list.contains("en").all() and (chpl["languages"].list.len() >= 4).all(), report


def test_the_summary_counts_every_listed_code(table):
    summary = {r["list"]: r for r in coverage_summary(table).to_dicts()}
    assert {"CHPL", "EU833-XL", "EU833-XVIII", "EU833-XXI"} <= set(summary)
    assert summary["CHPL"]["codes"] == 50 and summary["CHPL"][f"with_{FLOOR}_names"] == 50
    assert all(r["with_names"] <= r["codes"] for r in summary.values())


def test_names_and_languages_count_each_entry_that_names_the_code():
    entries = [LexiconEntry(id="t.a", label="a", category="microelectronics", hs6=["854231"], strong=["widget", "gizmo"],
                            i18n={"ru": ["виджет"]}),
               LexiconEntry(id="t.b", label="b", category="microelectronics", hs6=["854231", "854232"], weak=["Gizmo", "doohickey"],
                            context=["chip"])]
    listed = pl.DataFrame({"list": ["CHPL", "CHPL", "CHPL"], "hs6": ["854231", "854232", "854233"]})
    rows = {r["hs6"]: r for r in coverage_by_code(entries, listed).to_dicts()}
    assert (rows["854231"]["names"], rows["854231"]["languages"], rows["854231"]["entries"]) == (3, ["en", "ru"], 2)
    assert (rows["854232"]["names"], rows["854232"]["languages"]) == (2, ["en"])
    assert (rows["854233"]["names"], rows["854233"]["languages"]) == (0, [])


def test_the_fixture_names_ten_products_for_every_chpl_code():
    codes = set(pl.read_csv(CHPL, infer_schema=False)["hs6"])
    assert set(NAMES) == codes
    assert all(len(v) >= FLOOR for v in NAMES.values()), {k: len(v) for k, v in NAMES.items() if len(v) < FLOOR}


@pytest.mark.parametrize("code", sorted(NAMES))
def test_everyday_names_find_their_code(screener, code):
    cases = [(n["name"], n["text"]) if isinstance(n, dict) else (n, f"{n}, 100 pcs") for n in NAMES[code]]
    inferred = screener.score_frame([text for _, text in cases]).features["hs_inferred"].to_list()
    missed = [name for (name, _), codes in zip(cases, inferred) if code not in (codes or [])]
    assert not missed, f"{code}: {missed}"


def test_the_script_prints_the_summary_and_refuses_an_unknown_list(screener, capsys):
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "scripts" / "lexicon_coverage.py"
    spec = importlib.util.spec_from_file_location("lexicon_coverage", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--codes", "CHPL"]) == 0
    out = capsys.readouterr().out
    assert "| CHPL | 50 | 50 | 50 |" in out and "\n  850440 " in out
    assert script.main(["--codes", "NO-SUCH-LIST"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
