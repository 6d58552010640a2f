"""`check` runs on the batch path: the same verdict as `batch` for every row, the same columns and options,
findings only for rows at or above --fail-on, capped reports that say what they left out (issue 18, 1-3, 11)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.errors import EXIT_ERROR, EXIT_FINDINGS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from workload import shipment_lines  # noqa: E402

pytestmark = pytest.mark.usefixtures("fast_check_screener")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def workload(screener, tmp_path_factory) -> Path:
    lines, _ = shipment_lines(screener.reference, 600, seed=3)
    countries = ["Russia", "Germany", "Kazakhstan", None, "UAE"]
    src = tmp_path_factory.mktemp("check") / "lines.csv"
    pl.DataFrame({"id": [f"r{i}" for i in range(len(lines))], "description": lines,
                  "country": [countries[i % 5] for i in range(len(lines))]}).write_csv(src)
    return src


@pytest.mark.parametrize("extra", [[], ["--country-column", "country"], ["--origin-column", "country"],
                                   ["--workers", "2", "--chunk-rows", "150"]])
def test_check_gives_every_row_the_batch_verdict(workload, tmp_path, extra):
    out = tmp_path / "out.csv"
    assert run("batch", workload, "--text-column", "description", "--output", out, *extra).exit_code == 0
    scored = pl.read_csv(out, infer_schema=False)
    result = run("check", workload, "--text-column", "description", "--id-column", "id", "--fail-on", "medium",
                 "--no-config", "--format", "json", "--max-findings", "100000", *extra)
    assert result.exit_code == EXIT_FINDINGS, result.output[-500:]
    doc = json.loads(result.stdout)
    flagged = scored.filter(pl.col("band").is_in(["medium", "high", "critical"]))
    assert doc["rows"] == scored.height and len(doc["findings"]) == flagged.height > 50
    for f, row in zip(doc["findings"], flagged.iter_rows(named=True)):
        assert (f["id"], f["score"], f["band"]) == (row["id"], int(row["score"]), row["band"])
        assert f["rules"] == row["rules"].split(";")
        assert all(r["message"] for r in f["rule_details"])  # every listed row is explained


def test_the_country_column_changes_check_as_it_changes_batch(tmp_path):
    src = tmp_path / "in.csv"
    pl.DataFrame({"d": ["500 pcs FPGA XC7A100T-1CSG324C"], "country": ["Russia"]}).write_csv(src)
    plain = json.loads(run("check", src, "--text-column", "d", "--fail-on", "low", "--no-config",
                           "--format", "json").output)
    with_country = json.loads(run("check", src, "--text-column", "d", "--country-column", "country",
                                  "--fail-on", "low", "--no-config", "--format", "json").output)
    assert with_country["findings"][0]["score"] > plain["findings"][0]["score"]
    assert "sanctioned-destination" in with_country["findings"][0]["rules"]


def test_max_findings_lists_some_counts_all_and_says_so(workload):
    args = [workload, "--text-column", "description", "--fail-on", "medium", "--no-config"]
    full = json.loads(run("check", *args, "--format", "json", "--max-findings", "100000").stdout)
    capped = run("check", *args, "--format", "json", "--max-findings", "5")
    assert capped.exit_code == EXIT_FINDINGS
    doc = json.loads(capped.stdout)
    assert len(doc["findings"]) == 5 and doc["omitted"] == len(full["findings"]) - 5
    assert doc["summary"]["new"] == len(full["findings"]) and doc["failed"]
    assert [f["row"] for f in doc["findings"]] == [f["row"] for f in full["findings"][:5]]
    text = run("check", *args, "--max-findings", "5").output
    assert f"{doc['omitted']} finding row(s) not listed" in text
    assert "not annotated: --max-findings" in run("check", *args, "--max-findings", "5", "--format", "github").output


def test_sarif_keeps_within_the_results_limit(workload, monkeypatch):
    monkeypatch.setattr("screener.cli.check.SARIF_MAX_RESULTS", 40)
    doc = json.loads(run("check", workload, "--text-column", "description", "--fail-on", "medium", "--no-config",
                         "--format", "sarif").output)
    run_ = doc["runs"][0]
    assert 0 < len(run_["results"]) <= 40
    assert run_["properties"]["omittedFindings"] > 0


def test_an_empty_read_is_an_error(tmp_path):
    """Issue 18.11: a CSV cut short after its header passed with zero rows and exit 0."""
    src = tmp_path / "cut.csv"
    src.write_text("id,description\n", encoding="utf-8")
    result = run("check", src, "--text-column", "description", "--fail-on", "high", "--no-config")
    assert result.exit_code == EXIT_ERROR and "no rows to check" in result.output
    assert len([line for line in result.output.strip().splitlines() if not line.startswith("Building")]) == 1


def test_a_csv_cut_inside_a_quoted_field_is_an_error_not_a_pass(tmp_path):
    src = tmp_path / "cut.csv"
    src.write_text('description,x\n"500 pcs FPGA XC7A100T to Moscow, 1\n', encoding="utf-8")
    result = run("check", src, "--text-column", "description", "--fail-on", "high", "--no-config")
    assert result.exit_code in (EXIT_ERROR, EXIT_FINDINGS) and "Traceback" not in result.output
    assert "0 of 0 row(s)" not in result.output


def test_rows_agree_with_pythons_csv_reader_on_stray_quotes(tmp_path):
    """Issue 18.11: a quote inside an unquoted field (5" pipe) is a character (RFC 4180, Python's csv), not the
    start of a quoted field swallowing the next lines."""
    src = tmp_path / "quotes.csv"
    src.write_text('description,x\n5" pipe to Moscow,1\nFPGA XC7A100T 7" board to Moscow,2\nok,3\n'
                   '"a ""quoted"" word",4\n', encoding="utf-8")
    with src.open(newline="", encoding="utf-8") as f:
        expected = list(csv.DictReader(f))
    result = run("check", src, "--text-column", "description", "--fail-on", "low", "--no-config", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["rows"] == len(expected) == 4
    assert [f["text"] for f in doc["findings"]] == [r["description"] for r in expected[:2]]
    assert [f["line"] for f in doc["findings"]] == [2, 3]
    out = tmp_path / "out.csv"
    assert run("batch", src, "--text-column", "description", "--output", out).exit_code == 0
    assert pl.read_csv(out, infer_schema=False)["description"].to_list() == [r["description"] for r in expected]


def test_a_field_over_pythons_csv_limit(tmp_path):
    """Issue 18.12: a field over 131,072 characters ended `check` in an internal error."""
    src = tmp_path / "big.csv"
    text = "spare parts and accessories " * 6000 + "FPGA XC7A100T to Moscow"
    src.write_text(f'description\n"{text}"\n', encoding="utf-8")
    result = run("check", src, "--text-column", "description", "--fail-on", "high", "--no-config")
    assert result.exit_code == EXIT_FINDINGS, result.output[-300:]
    assert "big.csv:2:" in result.output


@pytest.mark.parametrize("command", ["batch", "check"])
def test_an_input_column_named_like_a_result_column_is_kept_as_input_name(tmp_path, command):
    """Issue 18.11: an input column `score` or `band` ended in an internal error; the rule: it is kept, renamed
    input_<name> (batch output), and check reads the text column as given."""
    src = tmp_path / "clash.csv"
    pl.DataFrame({"score": ["1"], "band": ["x"], "rules": ["mine"],
                  "description": ["500 pcs FPGA XC7A100T to Moscow"]}).write_csv(src)
    if command == "batch":
        out = tmp_path / "out.csv"
        assert run("batch", src, "--text-column", "description", "--output", out).exit_code == 0
        got = pl.read_csv(out, infer_schema=False)
        assert got.columns[:4] == ["input_score", "input_band", "input_rules", "description"]
        assert got["input_score"][0] == "1" and got["band"][0] in ("high", "critical")
    else:
        result = run("check", src, "--text-column", "description", "--fail-on", "high", "--no-config")
        assert result.exit_code == EXIT_FINDINGS, result.output
    both = tmp_path / "both.csv"
    pl.DataFrame({"score": ["1"], "input_score": ["2"], "description": ["tea"]}).write_csv(both)
    result = run(command, both, "--text-column", "description", *(["--fail-on", "high", "--no-config"]
                                                                    if command == "check" else []))
    if command == "batch":  # the output would hold two columns named input_score
        assert result.exit_code == EXIT_ERROR and "input_score" in result.output
    else:  # check writes no rows: nothing clashes
        assert result.exit_code == 0, result.output
