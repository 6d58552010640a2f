"""Shared fixtures: one isolated reference store per test session (per xdist worker), one screener."""

from __future__ import annotations

import os
from pathlib import Path

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
