"""CLI commands: import (exit codes, one-line errors) and update against a local HTTP server."""

import functools
import http.server
import threading

import duckdb
import pytest
from click.testing import CliRunner

from screener.parties.cli import import_command, update_command
from screener.parties.store import list_summaries

from .conftest import FIXTURES


def test_import_ok_and_info(tmp_path):
    db = tmp_path / "s.duckdb"
    r = CliRunner().invoke(import_command, ["eu", str(FIXTURES / "eu_fsf.xml"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "EU-FSF" in r.output and "2 entities" in r.output
    con = duckdb.connect(str(db), read_only=True)
    info = list_summaries(con)
    assert info[0]["list"] == "EU-FSF" and info[0]["published"] == "2026-10-01" and len(info[0]["sha256"]) == 64


def test_import_errors_exit_2_one_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<export><sanctionEntity")
    r = CliRunner().invoke(import_command, ["eu", str(bad), "--db", str(tmp_path / "s.duckdb")])
    assert r.exit_code == 2 and "malformed XML" in r.output and len(r.output.strip().splitlines()) == 1
    r = CliRunner().invoke(import_command, ["un", str(tmp_path / "missing.xml"), "--db", str(tmp_path / "s.duckdb")])
    assert r.exit_code == 2


def test_import_hs_kind_absent_or_present(tmp_path):
    import importlib.util

    r = CliRunner().invoke(import_command, ["hs", str(FIXTURES / "eu_fsf.csv"), "--db", str(tmp_path / "s.duckdb")])
    if importlib.util.find_spec("screener.reference.hs_import") is None:
        assert r.exit_code == 2 and "hs_import" in r.output
    else:
        assert r.exit_code in (0, 2)  # the lead's importer decides; never a traceback
        assert r.exception is None or isinstance(r.exception, SystemExit)


@pytest.fixture()
def http_root(tmp_path):
    root = tmp_path / "www"
    (root / "eu").mkdir(parents=True)
    (root / "eu" / "eu_fsf.xml").write_bytes((FIXTURES / "eu_fsf.xml").read_bytes())
    (root / "uk").mkdir()
    (root / "uk" / "UK-Sanctions-List.xml").write_bytes(b"<Designations><Designation>")  # truncated
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_update_from_local_server(tmp_path, http_root):
    db = tmp_path / "s.duckdb"
    r = CliRunner().invoke(update_command, ["--db", str(db), "--source", "eu", "--base-url", http_root])
    assert r.exit_code == 0, r.output
    con = duckdb.connect(str(db), read_only=True)
    info = list_summaries(con)
    assert info[0]["list"] == "EU-FSF" and info[0]["source_url"].startswith(http_root)
    con.close()
    # a bad download (truncated XML) and a missing one (404) fail with exit 2; the stored EU list stays
    r = CliRunner().invoke(update_command, ["--db", str(db), "--source", "uk", "--source", "un",
                                            "--base-url", http_root])
    assert r.exit_code == 2 and "2 of 2 sources failed" in r.output
    con = duckdb.connect(str(db), read_only=True)
    assert [d["list"] for d in list_summaries(con)] == ["EU-FSF"]
