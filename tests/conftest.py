"""Shared fixtures: one isolated reference store per test session (per xdist worker), one screener."""

from __future__ import annotations

import os
from pathlib import Path

from functools import lru_cache

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base = Path(config.rootpath) / ".pytest_cache" / "stores"
    base.mkdir(parents=True, exist_ok=True)
    os.environ["SCREENER_DB"] = str(base / f"test-{worker}.duckdb")


@pytest.fixture(scope="session")
def screener():
    from screener.api import load_screener

    return load_screener()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def party_screener(tmp_path_factory):
    """A screener over a store holding the small UK fixture list (names such as TESTOVY ZAVOD JSC)."""
    from click.testing import CliRunner

    from screener.api import load_screener
    from screener.cli import cli

    db = tmp_path_factory.mktemp("rulespack") / "parties.duckdb"
    fixture = REPO / "tests" / "parties" / "fixtures" / "uk_ofsi.csv"
    result = CliRunner().invoke(cli, ["reference", "import", "uk", str(fixture), "--db", str(db)])
    assert result.exit_code == 0, result.output
    screener = load_screener(db=db)
    if screener.parties is None:
        pytest.skip("party matcher not available")
    return screener


@lru_cache(maxsize=16)
def _cached_screener(spec):
    return _LOAD(spec)


_LOAD = None


@pytest.fixture
def fast_check_screener(monkeypatch):
    """`screener check` tests: build each distinct screener once per session, not once per CLI call."""
    global _LOAD
    from screener.batch.job import ScreenerSpec

    if _LOAD is None:
        _LOAD = ScreenerSpec.load
    monkeypatch.setattr(ScreenerSpec, "load", _cached_screener)
