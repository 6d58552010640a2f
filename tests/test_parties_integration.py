"""Sanctioned parties end to end: an imported list makes `screen` and `batch --party-column` name the party."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli

FIXTURE = Path(__file__).parent / "parties" / "fixtures" / "uk_ofsi.csv"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A copy of the session store with the UK fixture list imported."""
    import os

    from screener.reference.build import ensure_built

    base = ensure_built(os.environ["SCREENER_DB"])
    db = tmp_path_factory.mktemp("parties") / "store.duckdb"
    shutil.copy(base, db)
    result = CliRunner().invoke(cli, ["reference", "import", "uk", str(FIXTURE), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_screen_names_the_listed_party(store):
    text = "Ball bearings 6205, consignee Testovy Zavod JSC, Moscow"
    result = CliRunner().invoke(cli, ["screen", text, "--db", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["parties"] and data["parties"][0]["name"].upper().startswith("TESTOVY")
    party = data["parties"][0]
    assert text[party["start"]:party["end"]].lower().startswith("testovy")
    assert "listed-party" in [r["id"] for r in data["rules"]] and data["band"] == "critical"


def test_batch_party_column(store, tmp_path):
    src = tmp_path / "in.csv"
    pl.DataFrame({"desc": ["Ball bearings 6205", "Black tea"],
                  "consignee": ["OOO Testovy Zavod", "Tea House Ltd"]}).write_csv(src)
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(cli, ["batch", str(src), "--text-column", "desc", "--party-column", "consignee",
                                      "--output", str(out), "--db", str(store)])
    assert result.exit_code == 0, result.output
    rows = pl.read_csv(out, infer_schema=False).to_dicts()
    assert rows[0]["parties"] and rows[0]["parties"].split(";")[0].startswith("UK")
    assert rows[0]["band"] == "critical" and "listed-party" in rows[0]["rules"]
    assert not rows[1]["parties"]


def test_info_lists_the_imported_list(store):
    result = CliRunner().invoke(cli, ["reference", "info", "--db", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["party_lists"] and data["tables"]["party_names"] > 0


def test_check_explains_a_party_found_in_the_text(store, tmp_path):
    """Issue 18.1: a party rule's evidence has a span but no `text` key; check crashed with KeyError 'text'."""
    src = tmp_path / "crash.txt"
    src.write_text("Deep groove ball bearings SKF 6308, 1609 pcs, HS 8482.10, consignee Testovy Zavod JSC, "
                   "Moscow, Russia\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(src), "--fail-on", "high", "--no-config", "--parties-in-text",
                                      "--db", str(store), "--format", "json"])
    assert result.exit_code == 1, result.output
    finding = json.loads(result.stdout)["findings"][0]
    party = next(r for r in finding["rule_details"] if r["id"] == "listed-party")
    assert party["span"]["text"].lower().startswith("testovy")
    assert finding["parties"] and finding["parties"][0].startswith("UK")


def test_check_reads_party_columns_like_batch(store, tmp_path):
    src = tmp_path / "in.csv"
    pl.DataFrame({"desc": ["Ball bearings 6205", "Black tea"],
                  "consignee": ["OOO Testovy Zavod", "Tea House Ltd"]}).write_csv(src)
    result = CliRunner().invoke(cli, ["check", str(src), "--text-column", "desc", "--party-column", "consignee",
                                      "--fail-on", "high", "--no-config", "--db", str(store), "--format", "json"])
    assert result.exit_code == 1, result.output
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["band"] == "critical" and "listed-party" in finding["rules"]
    party = next(r for r in finding["rule_details"] if r["id"] == "listed-party")
    assert "Testovy" in party["message"] or "TESTOVY" in party["message"]


def test_check_text_report_names_the_imported_sanctions_lists(store, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("Ball bearings 6205 to Moscow\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(src), "--fail-on", "high", "--no-config", "--db", str(store)])
    assert result.exit_code in (0, 1), result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("Screened with") and "; sanctions lists: UK" in last, last
