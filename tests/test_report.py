"""`screener report` and `batch --report` without a browser: reading batch outputs in every format, provenance,
the summary's figures, the table's cap, a page that needs no other host, and batch's terminal summary."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from screener.cli import cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "shipments.csv"
LIST_COLUMNS = ["hs_codes", "controls", "goods", "rules"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def page_data(page: str) -> dict:
    """The JSON data block of a report page."""
    found = re.findall(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.S)
    assert len(found) == 1
    return json.loads(found[0])


@pytest.fixture(scope="module")
def scored_csv(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scored") / "scored.csv"
    result = run("batch", EXAMPLES, "--text-column", "description", "--id-column", "id", "--output", out, "--quiet")
    assert result.exit_code == 0, result.output
    return out


def _as_lists(df: pl.DataFrame) -> pl.DataFrame:
    """The batch output as the reworked batch writes Parquet and JSONL: list columns as real lists."""
    return df.with_columns(pl.when(pl.col(c) == "").then(pl.lit([], pl.List(pl.String)))
                           .otherwise(pl.col(c).str.split(";")).alias(c) for c in LIST_COLUMNS)


def _write_report(screener, source, out, **kw):
    from screener.report.html import write_report

    return write_report(source, out, screener=screener, **kw)


def test_every_format_of_batch_output_gives_the_same_report_data(scored_csv, screener, tmp_path):
    df = pl.read_csv(scored_csv, infer_schema=False)
    listed = _as_lists(df)
    listed.write_parquet(tmp_path / "lists.parquet")
    listed.write_ndjson(tmp_path / "lists.jsonl")
    df.write_ndjson(tmp_path / "strings.jsonl")
    pages = {}
    for name in ("lists.parquet", "lists.jsonl", "strings.jsonl"):
        _write_report(screener, tmp_path / name, tmp_path / f"{name}.html", min_band="none")
        pages[name] = page_data((tmp_path / f"{name}.html").read_text())
    _write_report(screener, scored_csv, tmp_path / "csv.html", min_band="none")
    reference = page_data((tmp_path / "csv.html").read_text())
    assert len(reference["rows"]) == df.height
    for name, data in pages.items():
        assert data["rows"] == reference["rows"], name
    # the rows' list columns are the output's values, split
    by_id = {r["id"]: r for r in reference["rows"]}
    for row in df.iter_rows(named=True):
        assert by_id[row["id"]]["controls"] == [c for c in row["controls"].split(";") if c]
        assert by_id[row["id"]]["band"] == row["band"]


def test_summary_counts_every_row(scored_csv, screener, tmp_path):
    from screener.report.scored import read_scored
    from screener.report.summary import summarise

    df = pl.read_csv(scored_csv, infer_schema=False)
    big = pl.concat([df] * 50)  # 300 rows
    big.write_csv(tmp_path / "big.csv")
    s = summarise(read_scored(tmp_path / "big.csv"), {}, lambda code: "", {})
    expected = big.group_by("band").len()
    assert {b["band"]: b["count"] for b in s["bands"] if b["count"]} == dict(expected.iter_rows())
    assert sum(h["count"] for h in s["histogram"]) == big.height
    controls = big.select(pl.col("controls").str.split(";")).explode("controls").filter(pl.col("controls") != "")
    top = controls.group_by("controls").len().sort(["len", "controls"], descending=[True, False])
    assert [(c["value"], c["count"]) for c in s["controls"]] == [tuple(r) for r in top.head(15).iter_rows()]
    headings = {h["value"]: h["count"] for h in s["headings"]}
    rows_8482 = big.filter(pl.col("hs_codes").str.contains(r"(^|;)8482")).height
    assert headings["8482"] == rows_8482  # five HS-6 codes of heading 8482 in a row count once


def test_table_is_capped_and_says_how_many_it_left_out(scored_csv, screener, tmp_path):
    df = pl.read_csv(scored_csv, infer_schema=False).with_columns(pl.col("score").cast(pl.Int64))
    eligible = df.filter(pl.col("band").is_in(["medium", "high", "critical"]))
    out = tmp_path / "capped.html"
    stats = _write_report(screener, scored_csv, out, max_rows=2)
    page = out.read_text()
    data = page_data(page)
    assert stats.in_table == 2 and stats.eligible == eligible.height
    assert [r["score"] for r in data["rows"]] == sorted(eligible["score"].to_list(), reverse=True)[:2]
    left = re.search(r'id="left-out" data-count="(\d+)"', page)
    assert left and int(left.group(1)) == eligible.height - 2
    assert f"{eligible.height - 2:,} rows at or above medium are left out" in page


def test_page_asks_no_other_host_and_keeps_hostile_text_inert(screener, tmp_path):
    hostile = '</script><script>alert(1)</script> @@CSS@@ <img src="http://example.com/x.png"> FPGA to Almaty'
    src = tmp_path / "in.csv"
    pl.DataFrame({"id": ["H1"], "description": [hostile]}).write_csv(src)
    out = tmp_path / "scored.csv"
    assert run("batch", src, "--text-column", "description", "--output", out, "--quiet").exit_code == 0
    _write_report(screener, out, tmp_path / "r.html", min_band="none")
    page = (tmp_path / "r.html").read_text()

    class Refs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.refs, self.scripts, self.tags = [], 0, []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.scripts += tag == "script"
            self.refs += [v for k, v in attrs if k in ("src", "href", "srcset", "action", "data") and v]

    parser = Refs()
    parser.feed(page)
    assert parser.scripts == 3 and "img" not in parser.tags and "link" not in parser.tags
    assert all(ref.startswith("#") for ref in parser.refs), parser.refs
    assert "default-src 'none'" in page
    assert page_data(page)["rows"][0]["text"] == hostile
    outside_scripts = re.sub(r"<script[^>]*>.*?</script>", "", page, flags=re.S)
    assert page.count("<style>") == 1 and not re.search(r"@@[A-Z_]+@@", outside_scripts)


def test_provenance_from_parquet_metadata_and_sidecars(scored_csv, screener, tmp_path):
    from screener.report.scored import PROVENANCE_KEY

    prov = {"versions": {"rules": "rulesabc123", "reference": "refdef456"}, "rows": 6,
            "lists": [{"path": "lists/chpl.csv", "date": "2031-01-02"}, {"list": "EU833-XL", "date": "2031-03-04"}],
            "options": {"text_column": "description"},
            "command": ["screener", "batch", "shipments.csv", "--text-column", "description"]}
    table = pl.read_csv(scored_csv, infer_schema=False).to_arrow()
    table = table.replace_schema_metadata({PROVENANCE_KEY: json.dumps(prov)})
    pq.write_table(table, tmp_path / "p.parquet")
    _write_report(screener, tmp_path / "p.parquet", tmp_path / "p.html")
    page = (tmp_path / "p.html").read_text()
    assert "rulesabc123" in page and "refdef456" in page
    assert "screener batch shipments.csv --text-column description" in page
    data = page_data(page)
    assert data["listDates"]["CHPL"] == "2031-01-02" and data["listDates"]["EU833-XL"] == "2031-03-04"
    assert "re-screened with rules" in page  # the file's versions differ from the loaded screener's
    # CSV: a sidecar beside the output, either name
    for sidecar in ("scored.csv.provenance.json", "scored.provenance.json"):
        folder = tmp_path / sidecar
        folder.mkdir()
        (folder / "scored.csv").write_bytes(scored_csv.read_bytes())
        (folder / sidecar).write_text(json.dumps(prov))
        _write_report(screener, folder / "scored.csv", folder / "r.html")
        assert "rulesabc123" in (folder / "r.html").read_text(), sidecar


def test_without_provenance_the_page_says_whose_versions_it_shows(scored_csv, screener, tmp_path):
    bare = tmp_path / "bare.csv"  # (batch writes OUTPUT.provenance.json beside a CSV: this copy has none)
    bare.write_bytes(scored_csv.read_bytes())
    _write_report(screener, bare, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert "The file carries no provenance" in page
    assert screener.rules.version in page and screener.reference.version in page
    assert "2024-02-23" in page  # the CHPL's date, from the bundled manifest


def test_a_broken_sidecar_is_reported_not_fatal(scored_csv, screener, tmp_path):
    (tmp_path / "scored.csv").write_bytes(scored_csv.read_bytes())
    (tmp_path / "scored.csv.provenance.json").write_text("{not json")
    _write_report(screener, tmp_path / "scored.csv", tmp_path / "r.html")
    assert "is not valid JSON" in (tmp_path / "r.html").read_text()


def test_text_column_by_name_option_or_provenance(scored_csv, tmp_path):
    from screener.report.scored import PROVENANCE_KEY, read_scored

    df = pl.read_csv(scored_csv, infer_schema=False).rename({"description": "freitext"})
    df.write_csv(tmp_path / "odd.csv")
    assert read_scored(scored_csv).text_column == "description"
    assert read_scored(tmp_path / "odd.csv", text_column="freitext").text_column == "freitext"
    options = json.dumps({"options": {"text_column": "freitext"}})
    table = df.to_arrow().replace_schema_metadata({PROVENANCE_KEY: options})
    pq.write_table(table, tmp_path / "odd.parquet")
    assert read_scored(tmp_path / "odd.parquet").text_column == "freitext"
    result = run("report", tmp_path / "odd.csv", "--output", tmp_path / "r.html")
    assert result.exit_code == 2 and "--text-column" in result.output and "freitext" in result.output
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("content, message", [
    ("id,description,country\nS1,FPGA,KZ\n", "not an output of `screener batch`"),
    ("", "file is empty"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, content, message):
    src = tmp_path / "in.csv"
    src.write_text(content)
    result = run("report", src, "--output", tmp_path / "r.html")
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and not (tmp_path / "r.html").exists()
    missing = run("report", tmp_path / "nope.csv", "--output", tmp_path / "r.html")
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_batch_report_needs_an_output_file(tmp_path):
    result = run("batch", EXAMPLES, "--text-column", "description", "--report", tmp_path / "r.html")
    assert result.exit_code == 2 and "--report needs --output" in result.output


def test_segments_cover_the_text_and_name_their_spans():
    from screener.report.evidence import segments

    text = "Ball bearings 6205-2RS via Almaty"
    spans = [(0, 13, "goods", "g1"), (5, 18, "goods", "g2"), (27, 33, "place", "p"), (23, 26, "phrase", "via")]
    segs = segments(text, spans)
    assert "".join(s[0] for s in segs) == text
    pos = 0
    for piece, covering in segs:
        expected = [i for i, (s, e, _, _) in enumerate(spans) if s <= pos and pos + len(piece) <= e]
        assert covering == expected, piece
        pos += len(piece)
    assert [s for s in segs if s[1] == [0, 1]] == [["bearings", [0, 1]]]


def test_rows_of_the_table_carry_the_spans_screen_finds(scored_csv, screener, tmp_path):
    from screener.screen import screen_text

    _write_report(screener, scored_csv, tmp_path / "r.html")
    data = page_data((tmp_path / "r.html").read_text())
    for row in data["rows"]:
        result = screen_text(screener, row["text"])
        marked = {piece for piece, _, _ in row["d"]["spans"]}
        assert {g["text"] for g in result["goods"]} <= marked
        assert {c["text"] for c in result["countries"]} <= marked
        assert [r[0] for r in row["d"]["rules"]] == [r["id"] for r in result["rules"]] == row["rules"]


def test_batch_prints_a_summary_unless_quiet(tmp_path):
    out = tmp_path / "s.csv"
    result = CliRunner().invoke(cli, ["batch", str(EXAMPLES), "--text-column", "description", "--output", str(out)])
    assert result.exit_code == 0
    df = pl.read_csv(out, infer_schema=False)
    counts = dict(df.group_by("band").len().iter_rows())
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"Scored {df.height:,} rows in ") and "rows/s" in line and "0 rows with errors" in line
    for band in ("critical", "high", "medium", "low", "none"):
        assert f"{band} {counts.get(band, 0):,}" in line
    quiet = CliRunner().invoke(cli, ["batch", str(EXAMPLES), "--text-column", "description", "--output", str(out),
                                     "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_progress_bar_only_on_a_terminal_and_after_the_delay():
    from screener.cli.progress import BatchTracker

    class Tty(io.StringIO):
        def isatty(self):
            return True

    chunk = pl.DataFrame({"band": ["high", None, "none"], "error": ["", "missing text", ""]})
    tty = Tty()
    tracker = BatchTracker(total=9, stream=tty, delay=0)
    tracker.update(chunk)
    assert "[" in tty.getvalue() and "3/~9 rows" in tty.getvalue()
    tracker.finish()
    assert "Scored 3 rows" in tty.getvalue() and "high 1" in tty.getvalue() and "1 row with errors" in tty.getvalue()
    slow = Tty()
    later = BatchTracker(total=9, stream=slow, delay=3600)
    later.update(chunk)
    assert slow.getvalue() == ""
    pipe = io.StringIO()
    piped = BatchTracker(total=9, stream=pipe, delay=0)
    piped.update(chunk)
    assert pipe.getvalue() == ""  # no bar when stderr is not a terminal


def test_the_summary_rate_of_a_few_rows_is_not_zero():
    from screener.cli.progress import _rate

    assert _rate(2 / 4.7) == "0.4" and _rate(12_461.3) == "12,461" and _rate(10.0) == "10"


def test_screen_texts_equals_screen_text(screener):
    from screener.screen import screen_text, screen_texts

    texts = pl.read_csv(EXAMPLES)["description"].to_list() + ["", "FPGA FPGA 8542.31 Almaty, then Minsk"]
    assert screen_texts(screener, texts) == [screen_text(screener, t) for t in texts]


def test_cli_constants_match_the_library():
    from screener.cli import report as cli_report
    from screener.report import html
    from screener.score import BANDS

    assert cli_report.BANDS == BANDS and cli_report.MAX_ROWS == html.MAX_ROWS
    assert run("report", "--help").exit_code == 0


def test_the_command_that_produced_the_data(scored_csv, screener, tmp_path, monkeypatch):
    from screener.cli.report import command_line

    _write_report(screener, scored_csv, tmp_path / "unknown.html")
    assert "The command line that produced the data is not known" in (tmp_path / "unknown.html").read_text()
    command = ["screener", "batch", "in.csv", "--text-column", "description", "--report", "r.html"]
    _write_report(screener, scored_csv, tmp_path / "known.html", command=command)
    assert "screener batch in.csv --text-column description --report r.html" in (tmp_path / "known.html").read_text()
    monkeypatch.setattr("sys.argv", ["/usr/bin/screener", "batch", "x.csv"])
    assert command_line() == ["screener", "batch", "x.csv"]
    monkeypatch.setattr("sys.argv", ["/usr/lib/python3/pytest", "-n", "2"])
    assert command_line() is None  # not the screener command: nothing rather than a wrong command line
    monkeypatch.setattr("sys.argv", ["/venv/lib/python3.11/site-packages/pytest/__main__.py", "-q"])
    assert command_line() is None  # `python -m pytest`
    monkeypatch.setattr("sys.argv", ["/repo/screener/__main__.py", "batch", "x.csv"])
    assert command_line() == ["screener", "batch", "x.csv"]  # `python -m screener`
