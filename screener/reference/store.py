"""Where the DuckDB reference store lives, and how to open it.

Order of precedence: an explicit path (the `--db` option), then the SCREENER_DB environment variable,
then the user's data directory.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator
from pathlib import Path

import duckdb
import platformdirs

ENV_VAR = "SCREENER_DB"


def resolve_db_path(db: str | os.PathLike | None = None) -> Path:
    """Return the store path chosen by flag, environment or default."""
    if db:
        return Path(db)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return Path(platformdirs.user_data_dir("screener")) / "screener.duckdb"


@contextmanager
def store_lock(db: str | os.PathLike | None = None) -> Iterator[None]:
    """Hold the store's lock file (`<store>.lock`, beside it) while writing it: two processes that find
    the store missing or stale at once (two first runs, two `reference build`s) build it one after the
    other instead of writing the same temporary file. Blocks until the lock is free."""
    from filelock import FileLock

    path = resolve_db_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        yield


def connect(db: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the store (creating its folder when writing)."""
    path = resolve_db_path(db)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """Run a parameterised query and return a polars DataFrame (via Arrow)."""
    import polars as pl

    cur = con.cursor()
    try:
        return pl.from_arrow(cur.sql(sql, params=params or None).to_arrow_table())
    finally:
        cur.close()
