"""Outputs (screener/outputs.py): never replace what is not a regular file, honour the umask, `-` is stdout, a
closed pipe ends quietly, leftovers of killed runs are cleaned; typed Parquet/JSONL and provenance (issue 18,
items 4, 5, 8, 12)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.errors import EXIT_ERROR
from screener.outputs import clean_stale_partials, open_output, resolve_target

FPGA = "500 pcs FPGA XC7A100T to Moscow"
pytestmark = pytest.mark.usefixtures("fast_check_screener")


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], **kw)


@pytest.fixture
def table(tmp_path) -> Path:
    src = tmp_path / "in.csv"
    pl.DataFrame({"id": ["a", "b"], "description": [FPGA, "Black tea"]}).write_csv(src)
    return src


def test_a_folder_is_refused_in_one_line(table, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    for args in (["batch", table, "--text-column", "description"],
                 ["check", table, "--text-column", "description", "--fail-on", "high", "--no-config"]):
        result = run(*args, "--output", folder)
        assert result.exit_code == EXIT_ERROR and "is a folder" in result.output
        assert folder.is_dir() and not list(folder.iterdir())


def test_dev_null_is_written_in_place_never_replaced(table):
    """Issue 18.4: `check --output /dev/null` as root replaced the system's /dev/null with a regular file."""
    before = os.stat(os.devnull)
    assert run("check", table, "--text-column", "description", "--fail-on", "high", "--no-config",
               "--output", os.devnull).exit_code == 1
    assert run("batch", table, "--text-column", "description", "--output", os.devnull).exit_code == 0
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_fifo_is_streamed_into_not_replaced(table, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = {}

    def reader():
        with open(fifo, "rb") as f:
            got["data"] = f.read()

    thread = threading.Thread(target=reader)
    thread.start()
    result = run("batch", table, "--text-column", "description", "--output", fifo)
    thread.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert pl.read_csv(got["data"], infer_schema=False)["id"].to_list() == ["a", "b"]
    assert not (tmp_path / "pipe.provenance.json").exists()


def test_other_special_files_are_refused(tmp_path):
    import socket

    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    try:
        with pytest.raises(Exception, match="not a regular file"):
            resolve_target(path)
    finally:
        s.close()


def test_a_symlink_is_followed_and_kept(table, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert run("batch", table, "--text-column", "description", "--output", link).exit_code == 0
    assert link.is_symlink() and "score" in real.read_text()


def test_new_files_follow_the_umask_and_replaced_files_keep_their_mode(table, tmp_path):
    """Issue 18.4: outputs were created 0600 whatever the umask."""
    old = os.umask(0o022)
    try:
        out = tmp_path / "out.csv"
        assert run("batch", table, "--text-column", "description", "--output", out).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        assert stat.S_IMODE((tmp_path / "out.csv.provenance.json").stat().st_mode) == 0o644
        os.chmod(out, 0o640)
        assert run("batch", table, "--text-column", "description", "--output", out).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
        os.umask(0o077)
        report = tmp_path / "report.txt"
        run("check", table, "--text-column", "description", "--fail-on", "high", "--no-config", "--output", report)
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_dash_is_standard_output(table, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("batch", table, "--text-column", "description", "--output", "-")
    assert result.exit_code == 0 and "score" in result.stdout
    assert not (tmp_path / "-").exists()
    result = run("check", table, "--text-column", "description", "--fail-on", "high", "--no-config", "--output", "-")
    assert result.exit_code == 1 and "row(s) at or above high" in result.stdout and not (tmp_path / "-").exists()


def test_leftovers_of_killed_runs_are_cleaned_and_live_ones_kept(table, tmp_path):
    out = tmp_path / "out.csv"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".out.csv.{dead.stdout.strip()}.abc123.partial"
    live = tmp_path / f".out.csv.{os.getppid()}.def456.partial"
    stale.write_text("x")
    live.write_text("x")
    assert run("batch", table, "--text-column", "description", "--output", out).exit_code == 0
    assert not stale.exists() and live.exists()
    assert clean_stale_partials(out) == []


def test_an_error_leaves_nothing_under_the_target(tmp_path):
    out = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), open_output(out, sidecar=lambda: b"{}") as handle:
        handle.write(b"half")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


BIG = """
import sys
import polars as pl
pl.DataFrame({"description": ["500 pcs FPGA XC7A100T to Moscow", "Black tea"] * 100_000}).write_csv(sys.argv[1])
"""


def test_a_closed_pipe_ends_quietly(tmp_path):
    """Issue 18.5: `screener batch big.csv … | head -1` ended in `internal error (OSError: Broken pipe)`."""
    src = tmp_path / "big.csv"
    subprocess.run([sys.executable, "-c", BIG, str(src)], check=True)
    screener = Path(sys.executable).with_name("screener")
    cmd = f"'{screener}' batch '{src}' --text-column description --quiet | head -1; echo \"status ${{PIPESTATUS[0]}}\""
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SCREENER_DEBUG": ""})
    assert done.stdout.splitlines()[0].startswith("description,score,band")
    assert done.stdout.splitlines()[-1] == "status 141"  # as a process killed by SIGPIPE, like cat or grep
    assert done.stderr == "", done.stderr


@pytest.mark.parametrize("command", ["screen --file {text} --format json",
                                     "check {text} --fail-on low --format json --output -"])
def test_a_long_json_into_a_closed_pipe_ends_as_batch_does(tmp_path, command):
    """A long text's JSON written in one piece to a pipe whose reader had gone away came back short without an
    error: the rest was dropped, and `screen` exited 0, `check` 1. Piece by piece, the closed pipe is seen."""
    text = tmp_path / "long.txt"
    text.write_text("ball bearings to Moscow, nitrocellulose and oscilloscopes; " * 20_000, encoding="utf-8")
    screener = Path(sys.executable).with_name("screener")
    cmd = (f"'{screener}' {command.format(text=text)} | head -c 100 > /dev/null; "
           "echo \"status ${PIPESTATUS[0]}\"")
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "SCREENER_DEBUG": ""})
    assert done.stdout.splitlines()[-1] == "status 141"
    assert done.stderr == "", done.stderr


def test_parquet_and_jsonl_keep_types_and_lists_and_carry_provenance(tmp_path):
    """Issue 18.8: typed outputs (input types as read, list columns as lists) and provenance."""
    src = tmp_path / "in.parquet"
    pl.DataFrame({"id": [1, 2], "qty": [2.5, None], "description": [FPGA, "Black tea"]}).write_parquet(src)
    out = tmp_path / "out.parquet"
    assert run("batch", src, "--text-column", "description", "--output", out).exit_code == 0
    got = pl.read_parquet(out)
    assert got.schema["id"] == pl.Int64 and got.schema["qty"] == pl.Float64
    assert got.schema["controls"] == pl.List(pl.String) and "CHPL:1" in got["controls"][0].to_list()
    assert got["rules"][1].to_list() == []
    import pyarrow.parquet as pq

    prov = json.loads(pq.read_metadata(out).metadata[b"screener.provenance"])
    assert set(prov) >= {"screener", "versions", "lists", "party_lists", "options", "command", "rows", "created_at"}
    assert prov["rows"] == {"in": 2, "out": 2, "errors": 0}
    assert prov["options"]["text_column"] == "description" and prov["party_lists"] == []
    assert any(x["path"] == "lists/chpl.csv" and x["date"] for x in prov["lists"])
    jsonl = tmp_path / "out.jsonl"
    assert run("batch", src, "--text-column", "description", "--output", jsonl).exit_code == 0
    rows = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert rows[0]["id"] == 1 and isinstance(rows[0]["hs_codes"], list) and rows[1]["goods"] == []
    side = json.loads((tmp_path / "out.jsonl.provenance.json").read_text())
    assert side["rows"]["out"] == 2 and side["versions"]["rules"] == prov["versions"]["rules"]
    csv_out = tmp_path / "out.csv"
    assert run("batch", src, "--text-column", "description", "--output", csv_out).exit_code == 0
    assert ";" in pl.read_csv(csv_out, infer_schema=False)["controls"][0]
