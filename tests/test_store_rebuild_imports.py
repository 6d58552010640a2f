"""A rebuild of the store keeps the lists imported into it, and refuses with a one-line error when another process
holds the old store open for writing (it used to drop the imported lists silently)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from screener.cli import cli
from tests.test_store_lock import _small_reference

FIXTURE = Path(__file__).parent / "parties" / "fixtures" / "uk_ofsi.csv"


def _party_names(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM party_names").fetchone()[0]
    finally:
        con.close()


@pytest.fixture()
def store(tmp_path, monkeypatch):
    """A small store with the UK fixture list imported; the environment a subprocess needs to rebuild it."""
    ref = _small_reference(tmp_path)
    db = tmp_path / "s.duckdb"
    monkeypatch.setenv("SCREENER_REFERENCE_DIR", str(ref))
    monkeypatch.setenv("SCREENER_DB", str(db))
    result = CliRunner().invoke(cli, ["reference", "import", "uk", str(FIXTURE), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _party_names(db) == 3
    return db, {**os.environ, "SCREENER_REFERENCE_DIR": str(ref), "SCREENER_DB": str(db)}


def test_rebuild_carries_the_imported_lists_over(store):
    db, _ = store
    result = CliRunner().invoke(cli, ["reference", "build", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _party_names(db) == 3


def test_rebuild_while_another_process_writes_the_store_fails_loudly(store):
    db, env = store
    holder = subprocess.Popen([sys.executable, "-c", "import sys, duckdb; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        run = subprocess.run([sys.executable, "-m", "screener", "reference", "build", "--db", str(db)], env=env,
                             capture_output=True, text=True, timeout=300)
    finally:
        holder.communicate("", timeout=30)
    assert run.returncode == 2, (run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "another process" in lines[0] and "Traceback" not in run.stderr, run.stderr
    assert _party_names(db) == 3  # the store in place is the old one, lists and all
    assert not list(db.parent.glob("*.building*"))
