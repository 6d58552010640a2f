"""Streaming batches: chunk boundaries, odd rows, encodings, ragged CSV, interrupted runs, workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli

TEXTS = ["500 pcs FPGA XC7A100T-1CSG324C to Moscow", "Black tea, 20 cartons", "", None,
         "ball bearings 6205-2RS via Almaty", "Cotton shirts"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _write(tmp_path: Path, n: int = 23) -> Path:
    src = tmp_path / "in.csv"
    pl.DataFrame({"id": [f"r{i}" for i in range(n)], "desc": [TEXTS[i % len(TEXTS)] for i in range(n)]}).write_csv(src)
    return src


@pytest.mark.parametrize("chunk_rows", [1, 4, 5, 1000])
def test_chunk_boundaries_keep_every_row_in_order(tmp_path, chunk_rows):
    src = _write(tmp_path)
    whole, chunked = tmp_path / "whole.csv", tmp_path / "chunked.csv"
    assert run("batch", src, "--text-column", "desc", "--output", whole, "--chunk-rows", 1000).exit_code == 0
    result = run("batch", src, "--text-column", "desc", "--output", chunked, "--chunk-rows", chunk_rows)
    assert result.exit_code == 0, result.output
    a, b = pl.read_csv(whole, infer_schema=False), pl.read_csv(chunked, infer_schema=False)
    assert b["id"].to_list() == [f"r{i}" for i in range(23)]
    assert a.equals(b)


def test_empty_and_huge_rows(tmp_path):
    huge = ("spare parts and accessories " * 40_000) + " FPGA XC7A100T"
    src = tmp_path / "in.parquet"
    pl.DataFrame({"desc": ["", None, huge, "tea"]}).write_parquet(src)
    out = tmp_path / "out.parquet"
    result = run("batch", src, "--text-column", "desc", "--output", out)
    assert result.exit_code == 0, result.output
    got = pl.read_parquet(out)
    assert got.height == 4 and got["error"].to_list() == ["", "missing text", "", ""]
    assert "CHPL:1" in got["controls"][2]


def test_named_and_guessed_encodings(tmp_path):
    src = tmp_path / "latin1.csv"
    src.write_bytes('desc\n"Kugellager für München, 500 Stück"\n'.encode("latin-1"))
    strict = run("batch", src, "--text-column", "desc", "--encoding", "utf-8")
    assert strict.exit_code == 2 and "not valid UTF-8" in strict.output and "--encoding" in strict.output
    assert "it looks like cp1252" in strict.output
    good = run("batch", src, "--text-column", "desc", "--encoding", "latin-1")
    assert good.exit_code == 0 and "München" in good.output


def test_ragged_csv_names_the_lines(tmp_path):
    src = tmp_path / "rag.csv"
    src.write_text('id,desc\n1,"a,b"\n2,c,d\n3,e\n4,f,g\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("batch", src, "--text-column", "desc", "--output", out)
    assert result.exit_code == 2 and "line(s) 3, 5" in result.output
    assert not out.exists()


def test_two_workers_give_the_same_result(tmp_path):
    src = _write(tmp_path, 40)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert run("batch", src, "--text-column", "desc", "--output", one, "--chunk-rows", 7).exit_code == 0
    result = run("batch", src, "--text-column", "desc", "--output", two, "--chunk-rows", 7, "--workers", 2)
    assert result.exit_code == 0, result.output
    assert pl.read_csv(one, infer_schema=False).equals(pl.read_csv(two, infer_schema=False))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_run_leaves_no_output(tmp_path, sig):
    src = tmp_path / "big.csv"
    rows = 120_000
    # distinct texts (repeated ones are scored once, and the run could end before the signal arrives)
    pl.DataFrame({"desc": [f"{TEXTS[i % 5] or 'x'} lot {i}" for i in range(rows)]}).write_csv(src)
    out = tmp_path / "out.csv"
    proc = subprocess.Popen([sys.executable, "-m", "screener", "batch", str(src), "--text-column", "desc",
                             "--output", str(out), "--chunk-rows", "2000", "--quiet", "--workers", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".out.csv.*")):  # wait until writing started
        time.sleep(0.05)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert not out.exists(), "no partial output under the target name"
    assert not list(tmp_path.glob(".out.csv.*")), "no temporary file left behind"


def _children_of(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_ctrl_c_with_workers_leaves_no_output_and_no_process(tmp_path):
    """Ctrl-C reaches the main process and its workers alike (one process group): the run ends, the
    temporary output goes, and no worker is left behind."""
    import psutil

    src = tmp_path / "big.csv"
    pl.DataFrame({"desc": [f"{TEXTS[i % 5] or 'x'} lot {i}" for i in range(120_000)]}).write_csv(src)
    out = tmp_path / "out.csv"
    proc = subprocess.Popen([sys.executable, "-m", "screener", "batch", str(src), "--text-column", "desc",
                             "--output", str(out), "--chunk-rows", "2000", "--quiet", "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ),
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".out.csv.*")):  # wait until writing started
        time.sleep(0.05)
    workers = _children_of(proc.pid)
    assert workers, "the workers run"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert not out.exists() and not list(tmp_path.glob(".out.csv.*"))
    assert b"Traceback" not in err, err.decode()[-2000:]
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, "no worker is left behind"


def test_sigkill_of_the_main_process_ends_its_workers(tmp_path):
    """SIGKILL runs no clean-up in the main process: the workers notice their parent is gone and end."""
    import psutil

    src = tmp_path / "big.csv"
    pl.DataFrame({"desc": [f"{TEXTS[i % 5] or 'x'} lot {i}" for i in range(120_000)]}).write_csv(src)
    proc = subprocess.Popen([sys.executable, "-m", "screener", "batch", str(src), "--text-column", "desc",
                             "--output", str(tmp_path / "out.csv"), "--chunk-rows", "2000", "--quiet",
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".out.csv.*")):  # wait until writing started
        time.sleep(0.05)
    workers = _children_of(proc.pid)
    assert workers, "the workers run"
    proc.kill()
    proc.communicate(timeout=60)
    _, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, "no worker is left behind"


def test_a_bad_rule_fails_in_one_line_before_workers_load(tmp_path):
    """The workers start before the rules are checked; a bad rule still ends the run at once, one line."""
    import psutil

    src = tmp_path / "big.csv"
    pl.DataFrame({"desc": [f"{TEXTS[i % 5] or 'x'} lot {i}" for i in range(1000)]}).write_csv(src)
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "bad.yaml").write_text("id: broken\nwhen: {nonsense: 1}\n")
    proc = subprocess.Popen([sys.executable, "-m", "screener", "batch", str(src), "--text-column", "desc",
                             "--output", str(tmp_path / "out.csv"), "--workers", "2", "--rules-dir", str(bad)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    _, err = proc.communicate(timeout=60)
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("Error:"), err.decode()
    assert not (tmp_path / "out.csv").exists()
    assert not psutil.pid_exists(proc.pid) or not _children_of(proc.pid)


def test_utf8_check_in_small_blocks_finds_the_bad_byte_and_spares_split_characters(tmp_path, monkeypatch):
    """ASCII blocks are skipped without decoding, but never while a character is split across blocks."""
    from screener import tables

    monkeypatch.setattr(tables, "BLOCK", 8)
    good = tmp_path / "good.csv"
    good.write_bytes(b"desc\nabcdefg\xc3" + b"\xa9tudes ok\n" + b"plain ascii text\n")  # é split over two blocks
    assert tables._first_bad_utf8(good) is None
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"desc\nplain ascii text, more\nbad \xff here\n")
    assert tables._first_bad_utf8(bad) == 32


@pytest.mark.parametrize("rows, workers, expected", [
    (1_000_000, 2, 38_462),   # 25 chunks of 40,000 would leave the last alone: 26 instead
    (800_000, 2, 40_000),     # 20 chunks: already even
    (1_000_000, 1, 40_000),   # one process: nothing to balance
    (None, 2, 40_000),        # no estimate
    (50_000, 2, 25_000),
])
def test_chunks_split_evenly_between_workers(rows, workers, expected):
    from screener.batch.workers import balanced_chunk_rows

    size = balanced_chunk_rows(rows, 40_000, workers)
    assert size == expected and size <= 40_000
    if rows:
        assert -(-rows // size) % workers == 0
