"""`screener reference import hs FILE`: load a complete HS nomenclature into the store.

The layout is the Frictionless `harmonized-system` CSV (section, hscode, description, parent, level).
The whole file is checked before anything is written, and the write is one transaction, so a bad
file leaves the store as it was. The edition is read from the file's TOTAL row ("... HS2022 ...").
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from screener.errors import InputError

COLUMNS = ["section", "hscode", "description", "parent", "level"]


def _read(path: Path) -> pl.DataFrame:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (first bad byte at offset {exc.start})") from exc
    try:
        df = pl.read_csv(raw, infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"{path}: cannot read CSV: {str(exc).splitlines()[0]}") from exc
    df = df.rename({c: c.lstrip("\ufeff") for c in df.columns})
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"{path}: not an HS nomenclature CSV (missing column(s) {', '.join(missing)})")
    return df


def _edition(df: pl.DataFrame) -> str:
    total = df.filter(pl.col("hscode") == "TOTAL")["description"].to_list()
    m = re.search(r"HS\s?(\d{4})", total[0]) if total else None
    return f"HS{m.group(1)}" if m else "unknown"


def import_hs(con: duckdb.DuckDBPyConnection, path: str | Path) -> dict:
    """Validate and load the nomenclature into `imported_hs_codes`; record it in `imported_hs_meta`."""
    path = Path(path)
    df = _read(path)
    codes = df.filter(pl.col("level").is_in(["2", "4", "6"]) & pl.col("hscode").str.contains(r"^\d+$")).select(
        code="hscode", level=pl.col("level").cast(pl.Int32), parent="parent", description="description",
        section="section")
    bad = codes.filter(pl.col("code").str.len_chars() != pl.col("level"))
    if codes.height < 100 or bad.height:
        raise InputError(f"{path}: does not look like a complete HS table ({codes.height} codes, "
                         f"{bad.height} with a length that does not match their level)")
    edition = _edition(df)
    meta = pl.DataFrame({"edition": [edition], "source_path": [str(path)],
                         "sha256": [hashlib.sha256(path.read_bytes()).hexdigest()],
                         "imported_at": [datetime.now(timezone.utc).isoformat(timespec="seconds")],
                         "codes": [codes.height]})
    con.execute("BEGIN TRANSACTION")
    try:
        for name, frame in (("imported_hs_codes", codes.with_columns(edition=pl.lit(edition))),
                            ("imported_hs_meta", meta)):
            con.register("frame_in", frame.to_arrow())
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM frame_in")  # constant names
            con.unregister("frame_in")
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise InputError(f"{path}: import failed: {str(exc).splitlines()[0]}") from exc
    return {"list": f"HS nomenclature {edition}", "kind": "hs", "entities": codes.height,
            "names": codes.height, "published": edition}
