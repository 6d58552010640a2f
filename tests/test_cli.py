"""CLI contracts: command names, options, JSON keys, output columns, exit codes, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
SHIPMENT = "500 pcs FPGA XC7A100T-1CSG324C, HS 8542.39, consignee OOO Vostok, Moscow, Russia"


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_every_command_has_help():
    for args in (["--help"], ["screen", "--help"], ["batch", "--help"], ["check", "--help"], ["rules", "--help"],
                 ["rules", "list", "--help"], ["rules", "validate", "--help"], ["rules", "test", "--help"],
                 ["reference", "--help"], ["reference", "build", "--help"], ["reference", "info", "--help"],
                 ["reference", "lookup", "--help"], ["eval", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "Usage:" in result.output, args


def test_screen_json_contract():
    result = run("screen", SHIPMENT, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"score", "band", "goods", "hs_codes", "countries", "rules", "versions"} <= set(data)
    assert data["band"] in ("high", "critical")
    g = data["goods"][0]
    assert {"term", "canonical", "category", "start", "end", "text", "matcher", "similarity", "hs"} <= set(g)
    assert SHIPMENT[g["start"]:g["end"]] == g["text"]
    assert all(g["matcher"] in ("exact", "fuzzy", "pattern") for g in data["goods"])
    code = next(c for c in data["hs_codes"] if c["code"] == "854239")
    assert code["origin"] == "declared" and {"list", "entry", "tier"} <= set(code["controls"][0])
    assert all(len(c["code"]) == 6 for c in data["hs_codes"])
    rule = data["rules"][0]
    assert {"id", "title", "severity", "weight", "evidence"} <= set(rule) and rule["evidence"]
    assert set(data["versions"]) == {"rules", "reference"}


def test_screen_text_mode_file_and_stdin(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(SHIPMENT, encoding="utf-8")
    by_file = run("screen", "--file", str(path))
    by_stdin = run("screen", "--file", "-", input=SHIPMENT)
    assert by_file.exit_code == 0 and by_file.output == by_stdin.output
    assert "band CRITICAL" in by_file.output or "band HIGH" in by_file.output


def test_ordinary_goods_stay_low():
    for text in ("Black tea, 200 boxes", "Cotton shirts, 500 pieces", "Wooden dining chairs and tables"):
        data = json.loads(run("screen", text, "--format", "json").stdout)
        assert data["band"] in ("none", "low"), (text, data["rules"])


def _table(tmp_path: Path) -> pl.DataFrame:
    return pl.DataFrame({"id": ["a", "b", "c", "d"], "desc": [SHIPMENT, "Cotton shirts", None, "ball bearings 6205-2RS"]})


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_batch_round_trip_keeps_rows_order_and_columns(tmp_path, fmt):
    df = _table(tmp_path)
    src = tmp_path / f"in.{fmt}"
    {"csv": df.write_csv, "parquet": df.write_parquet, "jsonl": df.write_ndjson}[fmt](src)
    out = tmp_path / f"out.{fmt}"
    result = run("batch", str(src), "--text-column", "desc", "--id-column", "id", "--output", str(out))
    assert result.exit_code == 0, result.output
    got = {"csv": lambda p: pl.read_csv(p, infer_schema=False), "parquet": pl.read_parquet,
           "jsonl": pl.read_ndjson}[fmt](out)
    assert got["id"].to_list() == ["a", "b", "c", "d"]
    for col in ("score", "band", "hs_codes", "controls", "goods", "rules", "error"):
        assert col in got.columns
    # CSV holds `;`-joined strings; Parquet and JSONL keep the lists as lists
    listed = (lambda v: v.split(";") if v else []) if fmt == "csv" else (lambda v: v)
    rows = got.to_dicts()
    assert "CHPL:1" in listed(rows[0]["controls"]) and "854239" in listed(rows[0]["hs_codes"])
    assert rows[2]["error"] == "missing text" and (rows[1]["error"] or "") == ""
    assert all(len(c) == 6 for c in listed(rows[3]["hs_codes"]) if c)
    assert listed(rows[1]["controls"]) == []


def test_check_exit_codes(tmp_path):
    src = tmp_path / "lines.csv"
    pl.DataFrame({"desc": ["Cotton shirts", SHIPMENT]}).write_csv(src)
    clean = tmp_path / "clean.csv"
    pl.DataFrame({"desc": ["Cotton shirts", "Black tea"]}).write_csv(clean)
    assert run("check", str(clean), "--text-column", "desc", "--fail-on", "medium").exit_code == 0
    assert run("check", str(src), "--text-column", "desc", "--fail-on", "high").exit_code == 1
    assert run("check", str(src), "--text-column", "nope", "--fail-on", "high").exit_code == 2
    assert run("check", str(src), "--text-column", "desc", "--fail-on", "severe").exit_code == 2
    data = json.loads(run("check", str(src), "--text-column", "desc", "--fail-on", "high", "--format", "json").stdout)
    assert data["failed"] is True and len(data["findings"]) == 1


@pytest.mark.parametrize("case", ["missing", "column", "empty", "undecodable"])
def test_bad_input_is_one_line_exit_2_and_no_output(tmp_path, case):
    src = tmp_path / "in.csv"
    if case == "column":
        src.write_text("desc\nhello\n", encoding="utf-8")
    elif case == "empty":
        src.write_bytes(b"")
    elif case == "undecodable":
        src.write_bytes(b"desc\ncaf\xe9 \xff\xfe\n")
    out = tmp_path / "out.csv"
    column = "other" if case == "column" else "desc"
    strict = ["--encoding", "utf-8"] if case == "undecodable" else []  # (by default the encoding is detected)
    result = run("batch", str(src), "--text-column", column, "--output", str(out), *strict)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("Error:")
    assert not out.exists() and not list(tmp_path.glob(".out.csv*"))


def test_malformed_rule_and_unknown_predicate(tmp_path):
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "broken.yaml").write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    (bad / "unknown.yaml").write_text(
        "id: unknown-pred\ntitle: Unknown predicate\nseverity: low\nweight: 5\nwhen: {teleport: {}}\n"
        "message: a message\nexamples: {fire: [a], silent: [b]}\n", encoding="utf-8")
    result = run("screen", "hello", "--rules-dir", str(bad))
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "broken.yaml" in result.output and "teleport" in result.output
    validate = run("rules", "validate", "--rules-dir", str(bad))
    assert validate.exit_code == 2 and "unknown predicate 'teleport'" in validate.output


def test_user_lexicon_extension():
    result = run("screen", "2 units temporal chronoton emitter CHR-1985B", "--lexicon",
                 str(FIXTURES / "lexicon" / "mini.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    goods = json.loads(result.stdout)["goods"]
    assert {g["canonical"] for g in goods} == {"chronoton emitter"}
    assert {g["matcher"] for g in goods} == {"exact", "pattern"}


def test_rules_list_and_test_commands():
    listed = run("rules", "list")
    assert listed.exit_code == 0 and "chpl-tier-1-2" in listed.output
    tested = run("rules", "test")
    assert tested.exit_code == 0, tested.output
