"""The `party_*` tables of the DuckDB store and the one-transaction write of a parsed list.

Only tables prefixed `party_` belong to this package; other tables in the same file are left alone.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from screener.errors import InputError
from screener.parties.model import ParsedList

SCHEMA_SQL = [
    """CREATE TABLE IF NOT EXISTS party_lists (
        list VARCHAR PRIMARY KEY, kind VARCHAR, source_path VARCHAR, source_url VARCHAR,
        published VARCHAR, imported_at TIMESTAMP, sha256 VARCHAR, entities INTEGER)""",
    """CREATE TABLE IF NOT EXISTS party_entities (
        list VARCHAR, entity_id VARCHAR, schema VARCHAR, name VARCHAR,
        programs VARCHAR[], countries VARCHAR[], remarks VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS party_names (
        list VARCHAR, entity_id VARCHAR, name VARCHAR, strength VARCHAR, kind VARCHAR, origin VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS party_addresses (
        list VARCHAR, entity_id VARCHAR, address VARCHAR, city VARCHAR, country VARCHAR,
        country_code VARCHAR, origin VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS party_ids (
        list VARCHAR, entity_id VARCHAR, id_type VARCHAR, value VARCHAR, country VARCHAR)""",
]
PARTY_TABLES = ("party_lists", "party_entities", "party_names", "party_addresses", "party_ids")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the party tables when missing (idempotent)."""
    for sql in SCHEMA_SQL:
        con.execute(sql)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: dict[str, list]) -> None:
    """Bulk-insert column lists through Arrow (fast, and values never go through SQL text)."""
    if not rows or not next(iter(rows.values())):
        return
    arrow = pa.table(rows)  # noqa: F841  (referenced by name in the SQL below)
    cols = ", ".join(rows)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM arrow")


def write_list(con: duckdb.DuckDBPyConnection, parsed: ParsedList, origin: str = "main") -> int:
    """Replace list `parsed.list_name` by `parsed` in one transaction; return the entity count.

    origin `main` replaces the whole list; `alt`/`add` (OFAC sibling files) replace only the names or
    addresses that came from that sibling, for entities already in the list.
    """
    ensure_schema(con)
    con.execute("BEGIN TRANSACTION")
    try:
        _clear(con, parsed.list_name, origin)
        _insert_entities(con, parsed.list_name, parsed.entities, origin)
        _record_source(con, parsed, origin)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(parsed.entities)


def _clear(con: duckdb.DuckDBPyConnection, name: str, origin: str) -> None:
    """Delete what the import replaces: the whole list (`main`), or the rows that came from a sibling file."""
    if origin == "main":
        for table in PARTY_TABLES:  # our constants, not input
            con.execute(f"DELETE FROM {table} WHERE list = ?", [name])
        return
    present = con.execute("SELECT count(*) FROM party_lists WHERE list = ?", [name]).fetchone()[0]
    if not present:
        raise InputError(f"list {name} is not in the store; import its sdn.csv first (kind ofac-sdn)")
    table = "party_names" if origin == "alt" else "party_addresses"
    con.execute(f"DELETE FROM {table} WHERE list = ? AND origin = ?", [name, origin])


def _insert_entities(con: duckdb.DuckDBPyConnection, name: str, ents: list, origin: str) -> None:
    """Insert the entities (`main`), their names (`main`, `alt`), addresses (`main`, `add`) and ids (`main`)."""
    if origin == "main":
        _insert(con, "party_entities", {
            "list": [name] * len(ents),
            "entity_id": [e.entity_id for e in ents],
            "schema": [e.schema for e in ents],
            "name": [e.name for e in ents],
            "programs": [sorted(set(e.programs)) for e in ents],
            "countries": [sorted(set(e.countries)) for e in ents],
            "remarks": [e.remarks or None for e in ents],
        })
    if origin in ("main", "alt"):
        names = [(e.entity_id, n) for e in ents for n in e.names]
        _insert(con, "party_names", {
            "list": [name] * len(names),
            "entity_id": [eid for eid, _ in names],
            "name": [n.name for _, n in names],
            "strength": [n.strength for _, n in names],
            "kind": [n.kind for _, n in names],
            "origin": [origin] * len(names),
        })
    if origin in ("main", "add"):
        adds = [(e.entity_id, a) for e in ents for a in e.addresses]
        _insert(con, "party_addresses", {
            "list": [name] * len(adds),
            "entity_id": [eid for eid, _ in adds],
            "address": [a.get("address") for _, a in adds],
            "city": [a.get("city") for _, a in adds],
            "country": [a.get("country") for _, a in adds],
            "country_code": [a.get("country_code") for _, a in adds],
            "origin": [origin] * len(adds),
        })
    if origin == "main":
        ids = [(e.entity_id, i) for e in ents for i in e.ids]
        _insert(con, "party_ids", {
            "list": [name] * len(ids),
            "entity_id": [eid for eid, _ in ids],
            "id_type": [i.get("type") for _, i in ids],
            "value": [i.get("value") for _, i in ids],
            "country": [i.get("country") for _, i in ids],
        })


def _record_source(con: duckdb.DuckDBPyConnection, parsed: ParsedList, origin: str) -> None:
    """The list's row in `party_lists`: a new one for `main`; a sibling file adds its path and hash to it
    (and add.csv's countries become the entities' countries too)."""
    name, now = parsed.list_name, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    if origin == "main":
        con.execute("INSERT INTO party_lists VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [name, parsed.kind, ";".join(parsed.source_paths), parsed.source_url, parsed.published, now,
                     parsed.sha256, len(parsed.entities)])
        return
    con.execute(
        "UPDATE party_lists SET source_path = source_path || ';' || ?, sha256 = sha256 || ';' || ?, "
        "imported_at = ? WHERE list = ?",
        [";".join(parsed.source_paths), parsed.sha256, now, name],
    )
    if origin == "add":
        con.execute(
            """UPDATE party_entities e SET countries = list_sort(list_distinct(list_concat(e.countries, a.cc)))
               FROM (SELECT entity_id, list(DISTINCT country_code) FILTER (WHERE country_code IS NOT NULL) cc
                     FROM party_addresses WHERE list = ? GROUP BY entity_id) a
               WHERE e.list = ? AND e.entity_id = a.entity_id""",
            [name, name],
        )


def list_summaries(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One dict per imported list (name, kind, counts, dates, hash) for `screener reference info`."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not set(PARTY_TABLES) <= tables:
        return []
    rows = con.execute(
        """SELECT l.list, l.kind, l.published, l.imported_at, l.sha256, l.source_path, l.source_url, l.entities,
                  (SELECT count(*) FROM party_names n WHERE n.list = l.list) AS names,
                  (SELECT count(*) FROM party_addresses a WHERE a.list = l.list) AS addresses,
                  (SELECT count(*) FROM party_ids i WHERE i.list = l.list) AS ids
           FROM party_lists l ORDER BY l.list"""
    ).fetchall()
    keys = ["list", "kind", "published", "imported_at", "sha256", "source_path", "source_url", "entities",
            "names", "addresses", "ids"]
    out = []
    for row in rows:
        d = dict(zip(keys, row))
        d["imported_at"] = d["imported_at"].isoformat(timespec="seconds") if d["imported_at"] else None
        out.append(d)
    return out
