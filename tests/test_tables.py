"""Inputs (screener/tables.py): one map of formats, delimiters, headers, Excel, encodings detected and said,
hostile files refused in one line (issue 18, items 6, 11, 12)."""

from __future__ import annotations

import json

import polars as pl
import pytest
from click.testing import CliRunner

from screener.batch.formats import input_format
from screener.cli import cli
from screener.errors import EXIT_ERROR, EXIT_FINDINGS
from screener.tables import detect_encoding, open_source

FPGA = "500 pcs FPGA XC7A100T to Moscow"
pytestmark = pytest.mark.usefixtures("fast_check_screener")


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], **kw)


def one_line_error(result) -> None:
    assert result.exit_code == EXIT_ERROR, result.output
    lines = [line for line in result.output.strip().splitlines() if not line.startswith("Building the reference")]
    assert len(lines) == 1 and lines[0].startswith("Error:"), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_txt_is_one_text_per_line_everywhere(tmp_path):
    assert input_format("a.txt") == "lines" and input_format("a.tsv") == "tsv" and input_format("a.xlsx") == "xlsx"
    src = tmp_path / "lines.txt"
    src.write_text(f"Black tea\n\n{FPGA}\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert run("batch", src, "--output", out).exit_code == 0
    got = pl.read_csv(out, infer_schema=False)
    assert got["line"].to_list() == ["1", "3"] and got["text"].to_list() == ["Black tea", FPGA]
    assert got["band"][1] in ("high", "critical")


def test_delimiter_and_no_header(tmp_path):
    semi = tmp_path / "semi.csv"
    semi.write_text(f"id;description\n1;{FPGA}\n2;Black tea, 20 cartons\n", encoding="utf-8")
    result = run("batch", semi, "--text-column", "description", "--delimiter", ";")
    assert result.exit_code == 0, result.output
    rows = pl.read_csv(result.stdout_bytes, infer_schema=False)
    assert rows["id"].to_list() == ["1", "2"] and rows["band"][0] in ("high", "critical")
    assert "20 cartons" in rows["description"][1]  # the comma is not a delimiter here
    without = run("batch", semi, "--text-column", "description")  # read with commas: one glued column
    assert without.exit_code == 2 and "is the delimiter ';'? name it with --delimiter" in without.output
    bare = tmp_path / "bare.csv"
    bare.write_text(f"1,{FPGA}\n2,tea\n", encoding="utf-8")
    result = run("check", bare, "--no-header", "--text-column", "column_2", "--fail-on", "high", "--no-config")
    assert result.exit_code == EXIT_FINDINGS and "bare.csv:1:" in result.output


def test_excel_is_read(tmp_path):
    pytest.importorskip("xlsxwriter")
    src = tmp_path / "sheet.xlsx"
    pl.DataFrame({"description": [FPGA, "Black tea"], "qty": [500, 20]}).write_excel(src)
    out = tmp_path / "out.parquet"
    assert run("batch", src, "--text-column", "description", "--output", out).exit_code == 0
    got = pl.read_parquet(out)
    assert got["qty"].to_list() == [500, 20] and got["band"][0] in ("high", "critical")
    result = run("check", src, "--text-column", "description", "--fail-on", "high", "--no-config")
    assert result.exit_code == EXIT_FINDINGS and "sheet.xlsx:row 1" in result.output


def test_a_file_that_is_not_excel_is_refused_in_one_line(tmp_path):
    src = tmp_path / "fake.xlsx"
    src.write_text("not a zip\n", encoding="utf-8")
    one_line_error(run("batch", src, "--text-column", "d"))


@pytest.mark.parametrize("text, encoding", [
    ('description\n"Kugellager für München, 500 Stück"\n', "cp1252"),
    ('description\n"naïve café – 20 “pcs” €"\n', "cp1252"),
    ('description\n"Façade naïve, Ærø, Kugellager für München"\n', "latin-1"),
    ('description\n"Подшипники шариковые, Москва"\n', "cp1251"),
    ('description\n"Łożyska kulkowe, Kraków, Gdańsk"\n', "cp1250"),
])
def test_western_european_encodings_are_detected_and_said(tmp_path, text, encoding):
    """Issue 18.6: cp1252 was guessed as cp1250, Latin-1 as cp775 ("naïve" → "naďve", "für" → "f³r")."""
    src = tmp_path / "in.csv"
    src.write_bytes(text.encode(encoding))
    with open_source(src) as source:
        rows = source.collect()["description"].to_list()
        assert source.note and "detected" in source.note
    assert rows == [text.splitlines()[1].strip('"')]
    result = run("batch", src, "--text-column", "description")
    assert result.exit_code == 0 and "Note:" in result.stderr and "detected" in result.stderr
    assert text.splitlines()[1].strip('"') in result.stdout


def test_detection_prefers_the_common_western_code_page():
    assert detect_encoding("naïve".encode("cp1252")) == "cp1252"
    assert detect_encoding("Kugellager für München".encode("latin-1")) == "cp1252"
    # one accented letter in a short line: a CJK code page also "reads" the byte with the next letter ("f黵")
    assert detect_encoding("Kugellager für Moskau".encode("latin-1")) == "cp1252"
    assert detect_encoding("轴承 出口 莫斯科".encode("gb18030")) == "gb18030"  # a real CJK text keeps its reading
    assert detect_encoding("Подшипники шариковые 6205, поставка в Москву".encode("cp1251")) == "cp1251"


def test_screen_file_takes_an_encoding_and_detects_one(tmp_path):
    src = tmp_path / "article.txt"
    src.write_bytes("Kugellager für München: 500 pcs FPGA XC7A100T nach Moskau".encode("cp1252"))
    named = run("screen", "--file", src, "--encoding", "cp1252", "--format", "json")
    assert named.exit_code == 0 and json.loads(named.stdout)["band"] in ("high", "critical")
    guessed = run("screen", "--file", src, "--format", "json")
    assert guessed.exit_code == 0 and "cp1252" in guessed.stderr
    one_line_error(run("screen", "--file", src, "--encoding", "utf-8"))


def test_non_utf8_bytes_as_the_screen_argument_are_one_line():
    """Issue 18.12: undecodable argument bytes (lone surrogates in Python) ended in an internal error."""
    one_line_error(run("screen", "caf\udce9 FPGA"))


def test_jsonl_with_a_byte_order_mark_is_read(tmp_path):
    src = tmp_path / "bom.jsonl"
    src.write_bytes(b'\xef\xbb\xbf{"description": "500 pcs FPGA XC7A100T to Moscow", "n": 1}\n{"description": "tea", "n": 2}\n')
    result = run("check", src, "--text-column", "description", "--fail-on", "high", "--no-config")
    assert result.exit_code == EXIT_FINDINGS, result.output
    assert "1 of 2 row(s)" in result.output


def test_a_corrupt_parquet_file_is_one_line(tmp_path):
    src = tmp_path / "ok.parquet"
    pl.DataFrame({"d": [FPGA] * 50, "n": list(range(50))}).write_parquet(src)
    data = bytearray(src.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 40):
        data[i] ^= 0xFF
    bad = tmp_path / "flipped.parquet"
    bad.write_bytes(bytes(data))
    out = tmp_path / "out.csv"
    one_line_error(run("batch", bad, "--text-column", "d", "--output", out))
    assert not out.exists()
    one_line_error(run("check", bad, "--text-column", "d", "--fail-on", "high", "--no-config"))
    truncated = tmp_path / "cut.parquet"
    truncated.write_bytes(src.read_bytes()[:-30])
    one_line_error(run("batch", truncated, "--text-column", "d"))


@pytest.mark.parametrize("command", ["batch", "check"])
def test_duplicate_header_names_are_refused_naming_them(tmp_path, command):
    src = tmp_path / "dup.csv"
    src.write_text(f"d,d,x,x\n{FPGA},b,c,e\n", encoding="utf-8")
    result = run(command, src, "--text-column", "d", *(["--fail-on", "high", "--no-config"] if command == "check"
                                                        else []))
    one_line_error(result)
    assert "duplicate column name(s)" in result.output and "'d', 'x'" in result.output


def test_standard_input(tmp_path):
    result = run("batch", "-", "--text-column", "description", input=f"description\n{FPGA}\ntea\n")
    assert result.exit_code == 0, result.output
    assert pl.read_csv(result.stdout_bytes, infer_schema=False)["band"].to_list()[1] == "none"
    result = run("check", "-", "--input-format", "lines", "--fail-on", "high", "--no-config", input=f"tea\n{FPGA}\n")
    assert result.exit_code == EXIT_FINDINGS and "<stdin>:2:" in result.output


@pytest.mark.parametrize("block", [3, 4, 5, 1 << 24])
def test_stray_quotes_are_found_across_block_edges(tmp_path, monkeypatch, block):
    from screener import tables

    monkeypatch.setattr(tables, "BLOCK", block)
    clean, stray = tmp_path / "clean.csv", tmp_path / "stray.csv"
    clean.write_text('d,x\n"a ""b"" c",1\n"",2\n"x, y",3\n', encoding="utf-8")
    stray.write_text('d,x\nab,1\n5" pipe,2\n', encoding="utf-8")
    assert not tables._has_stray_quote(clean, ",")
    assert tables._has_stray_quote(stray, ",")
