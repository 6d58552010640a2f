"""`screener check` as a CI gate: every exit code, every input kind, line numbers, configuration, baselines."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK

FIX = Path(__file__).parent / "fixtures" / "check"
CSV = ["--text-column", "description", "--no-config"]


pytestmark = pytest.mark.usefixtures("fast_check_screener")


def run(*args, cwd: Path | None = None, monkeypatch=None):
    if cwd is not None:
        monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, ["check", *map(str, args)])


def as_json(result) -> dict:
    return json.loads(result.stdout)


# --- exit codes ---------------------------------------------------------------------------------------------

def test_exit_1_when_a_row_reaches_the_band_with_file_line_and_span():
    r = run(FIX / "items.csv", *CSV, "--fail-on", "medium", "--id-column", "id")
    assert r.exit_code == EXIT_FINDINGS, r.output
    # A2 is on line 3 of the file (header is line 1); FPGA starts at column 13 of that line.
    assert re.search(r"items\.csv:3:13 \(A2\): (MEDIUM|HIGH|CRITICAL) \d+", r.output)
    assert "            ^^^^" in r.output
    assert "(A1)" not in r.output and "(A3)" not in r.output
    assert "of 4 row(s) at or above medium" in r.output


def test_exit_0_when_no_row_reaches_the_band(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text("description\nOffice chairs\nCotton T-shirts\n", encoding="utf-8")
    r = run(clean, *CSV, "--fail-on", "low")
    assert r.exit_code == EXIT_OK, r.output
    assert "0 of 2 row(s) at or above low" in r.output


@pytest.mark.parametrize("args, message", [
    (["missing.csv", *CSV, "--fail-on", "medium"], "no such file"),
    ([FIX / "items.csv", "--text-column", "nope", "--no-config", "--fail-on", "medium"], "unknown column"),
    ([FIX / "items.csv", *CSV, "--fail-on", "extreme"], "Invalid value"),
    ([FIX / "items.csv", *CSV], "missing --fail-on"),
    ([FIX / "items.csv", "--no-config", "--fail-on", "medium"], "needs --text-column"),
    ([FIX / "items.csv", *CSV, "--fail-on", "medium", "--weight", "chpl-tier-1-2"], "RULE=WEIGHT"),
    ([FIX / "items.csv", *CSV, "--fail-on", "medium", "--disable-rule", "no-such-rule"], "unknown rule id"),
    ([FIX / "items.csv", *CSV, "--fail-on", "medium", "--baseline", "nothere.json"], "no such baseline"),
    ([FIX / "items.csv", *CSV, "--fail-on", "medium", "--suppressions", "nothere.yaml"], "no such suppression"),
])
def test_exit_2_on_usage_and_input_errors(args, message):
    r = CliRunner().invoke(cli, ["check", *map(str, args)])
    assert r.exit_code == EXIT_ERROR, r.output
    assert message in r.output
    assert "Traceback" not in r.output


def test_exit_2_on_malformed_config_and_suppression_files(tmp_path, monkeypatch):
    (tmp_path / "screener.toml").write_text("fail-on = 'high'\ncolour = 'red'\n", encoding="utf-8")
    r = run(FIX / "items.csv", "--text-column", "description", cwd=tmp_path, monkeypatch=monkeypatch)
    assert r.exit_code == EXIT_ERROR and "colour" in r.output
    (tmp_path / "screener.toml").write_text("fail-on = [unclosed\n", encoding="utf-8")
    r = run(FIX / "items.csv", "--text-column", "description", cwd=tmp_path, monkeypatch=monkeypatch)
    assert r.exit_code == EXIT_ERROR and "not valid TOML" in r.output
    (tmp_path / "screener.toml").write_text("fail-on = 'extreme'\n", encoding="utf-8")
    r = run(FIX / "items.csv", "--text-column", "description", cwd=tmp_path, monkeypatch=monkeypatch)
    assert r.exit_code == EXIT_ERROR and "fail-on" in r.output
    sup = tmp_path / "sup.yaml"
    sup.write_text("suppressions:\n  - rule: chpl-tier-1-2\n    reason: ok\n", encoding="utf-8")
    r = run(FIX / "items.csv", *CSV, "--fail-on", "medium", "--suppressions", sup)
    assert r.exit_code == EXIT_ERROR and "suppression problem" in r.output and "approved_by" in r.output


# --- inputs ---------------------------------------------------------------------------------------------------

def test_plain_text_lines_need_no_column_and_keep_file_line_numbers():
    r = run(FIX / "lines.txt", "--no-config", "--fail-on", "medium", "--format", "json")
    assert r.exit_code == EXIT_FINDINGS
    doc = as_json(r)
    [f] = doc["findings"]
    assert (f["line"], f["column"], f["end_column"]) == (3, 9, 13)  # the blank line 2 still counts
    assert f["text"][f["column"] - 1:f["end_column"] - 1] == "FPGA"
    assert doc["rows"] == 3


def test_jsonl_and_parquet_inputs(tmp_path):
    r = run(FIX / "items.jsonl", *CSV, "--fail-on", "medium", "--format", "json")
    assert r.exit_code == EXIT_FINDINGS
    [f] = as_json(r)["findings"]
    line = (FIX / "items.jsonl").read_text(encoding="utf-8").splitlines()[f["line"] - 1]
    assert f["line"] == 2 and line[f["column"] - 1:f["end_column"] - 1] == f["span"]["text"]
    pq = tmp_path / "items.parquet"
    pl.read_csv(FIX / "items.csv").write_parquet(pq)
    r = run(pq, *CSV, "--fail-on", "medium", "--format", "json")
    assert r.exit_code == EXIT_FINDINGS
    doc = as_json(r)
    assert [f["row"] for f in doc["findings"]] == [2, 4] and all(f["line"] is None for f in doc["findings"])


def test_csv_line_numbers_follow_multiline_quoted_cells(tmp_path):
    src = tmp_path / "multi.csv"
    src.write_text('description\n"Office chairs,\nstacking, grey"\n"Toys"\n"FPGA chips to Almaty, Kazakhstan"\n',
                   encoding="utf-8")
    r = run(src, *CSV, "--fail-on", "medium", "--format", "json")
    [f] = as_json(r)["findings"]
    assert f["line"] == 5 and f["column"] == 2  # after the opening quote


def test_folder_walks_known_extensions_and_skips_others():
    r = run(FIX / "folder", *CSV, "--fail-on", "medium", "--format", "json")
    assert r.exit_code == EXIT_FINDINGS, r.output
    doc = as_json(r)
    assert sorted(x["path"].rsplit("/", 2)[-1] for x in doc["files"]) == ["clean.txt", "descriptions.txt", "table.csv"]
    assert [(f["path"].rsplit("/", 1)[-1], f["line"]) for f in doc["findings"]] == [("descriptions.txt", 3)]
    assert doc["rows"] == 3 + 1 + 1


def test_several_inputs_at_once_as_pre_commit_passes_them():
    r = run(FIX / "lines.txt", FIX / "items.csv", *CSV, "--fail-on", "medium", "--format", "json")
    doc = as_json(r)
    assert r.exit_code == EXIT_FINDINGS and doc["inputs"] == [str(FIX / "lines.txt"), str(FIX / "items.csv")]
    assert {f["path"].rsplit("/", 1)[-1] for f in doc["findings"]} == {"lines.txt", "items.csv"}


def test_json_keeps_the_issue_2_contract_and_carries_the_certificate():
    doc = as_json(run(FIX / "items.csv", *CSV, "--fail-on", "medium", "--format", "json", "--id-column", "id"))
    for key in ("input", "rows", "fail_on", "findings", "failed", "versions"):
        assert key in doc
    assert doc["failed"] is True and doc["rows"] == 4
    f = doc["findings"][0]
    assert f["id"] == "A2" and f["row"] == 2 and "chpl-tier-1-2" in f["rules"]
    prov = doc["provenance"]
    assert prov["rules_version"] == doc["versions"]["rules"] and len(prov["reference_version"]) >= 64
    assert {x["path"] for x in prov["lists"]} >= {"lists/chpl.csv"} and all(x["date"] for x in prov["lists"])


def test_output_file_is_written(tmp_path):
    out = tmp_path / "report" / "check.json"
    r = run(FIX / "items.csv", *CSV, "--fail-on", "medium", "--format", "json", "--output", out)
    assert r.exit_code == EXIT_FINDINGS and r.output == ""
    assert json.loads(out.read_text(encoding="utf-8"))["failed"] is True


# --- configuration ---------------------------------------------------------------------------------------------

def test_screener_toml_settings_and_flag_override(tmp_path, monkeypatch):
    shutil.copy(FIX / "items.csv", tmp_path / "items.csv")
    (tmp_path / "screener.toml").write_text(
        "fail-on = 'medium'\ntext-column = 'description'\nformat = 'json'\n", encoding="utf-8")
    r = run("items.csv", cwd=tmp_path, monkeypatch=monkeypatch)
    doc = as_json(r)
    assert r.exit_code == EXIT_FINDINGS and doc["fail_on"] == "medium"
    assert doc["provenance"]["config"]["path"].endswith("screener.toml")
    r = run("items.csv", "--fail-on", "low", "--format", "text", cwd=tmp_path, monkeypatch=monkeypatch)
    assert "at or above low" in r.output  # flags win over the file


def test_pyproject_table_disables_rules_and_overrides_weights(tmp_path, monkeypatch):
    shutil.copy(FIX / "lines.txt", tmp_path / "lines.txt")
    base = as_json(run("lines.txt", "--no-config", "--fail-on", "low", "--format", "json",
                       cwd=tmp_path, monkeypatch=monkeypatch))["findings"][0]
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.screener]\nfail-on = 'low'\nformat = 'json'\n"
        "disable = ['transshipment-hub']\nweights = { chpl-tier-1-2 = 5 }\n", encoding="utf-8")
    doc = as_json(run("lines.txt", cwd=tmp_path, monkeypatch=monkeypatch))
    f = doc["findings"][0]
    assert "transshipment-hub" in base["rules"] and "transshipment-hub" not in f["rules"]
    assert [r["weight"] for r in f["rule_details"] if r["id"] == "chpl-tier-1-2"] == [5]
    assert f["score"] < base["score"]
    assert doc["versions"]["rules"] != as_json(run("lines.txt", "--no-config", "--fail-on", "low", "--format", "json",
                                                   cwd=tmp_path, monkeypatch=monkeypatch))["versions"]["rules"]


def test_enable_only_listed_rules():
    doc = as_json(run(FIX / "items.csv", *CSV, "--fail-on", "low", "--format", "json",
                      "--enable-rule", "sanctioned-destination"))
    assert {r for f in doc["findings"] for r in f["rules"]} == {"sanctioned-destination"}
    assert doc["provenance"]["rule_count"] == 1


# --- baselines ---------------------------------------------------------------------------------------------------

def test_baseline_fails_only_on_new_findings(tmp_path):
    data = tmp_path / "items.csv"
    shutil.copy(FIX / "items.csv", data)
    base = tmp_path / "baseline.json"
    r = run(data, *CSV, "--fail-on", "medium", "--write-baseline", base)
    assert r.exit_code == EXIT_OK and base.exists()
    recorded = json.loads(base.read_text(encoding="utf-8"))
    assert recorded["version"] == 1 and len(recorded["findings"]) >= 2
    assert recorded["provenance"]["rules_version"]

    r = run(data, *CSV, "--fail-on", "medium", "--baseline", base, "--format", "json")
    doc = as_json(r)
    assert r.exit_code == EXIT_OK and doc["summary"] == {"new": 0, "suppressed": 0, "baselined": 2}

    # Reordering rows and changing case/punctuation does not make a finding new (fingerprints ignore lines).
    lines = data.read_text(encoding="utf-8").splitlines()
    data.write_text("\n".join([lines[0], lines[4], lines[3], lines[2].replace("Almaty", "ALMATY"), lines[1]]) + "\n",
                    encoding="utf-8")
    assert run(data, *CSV, "--fail-on", "medium", "--baseline", base).exit_code == EXIT_OK

    with data.open("a", encoding="utf-8") as fh:
        fh.write('A5,"Ball bearings and 200 pcs FPGA XC7K325T for a plant in Moscow, Russia",RU\n')
    r = run(data, *CSV, "--fail-on", "medium", "--baseline", base, "--format", "json")
    doc = as_json(r)
    assert r.exit_code == EXIT_FINDINGS
    assert [f["text"][:12] for f in doc["findings"] if f["status"] == "new"] == ["Ball bearing"]
    assert doc["provenance"]["baseline"]["entries"] == len(recorded["findings"])


def test_corrupt_baseline_is_exit_2(tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("{not json", encoding="utf-8")
    r = run(FIX / "items.csv", *CSV, "--fail-on", "medium", "--baseline", bad)
    assert r.exit_code == EXIT_ERROR and "not a screener baseline" in r.output


def test_pre_commit_hook_runs_check_on_known_files():
    import re as _re

    import yaml

    [hook] = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "screener-check" and hook["entry"] == "screener check" and hook["pass_filenames"]
    assert all(_re.search(hook["files"], n) for n in ("a/b.csv", "x.txt", "y.parquet", "z.jsonl"))
    assert not _re.search(hook["files"], "README.md")
