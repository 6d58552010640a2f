"""`screener reference import eu833-annex|us-ru-import-ban FILE`: load a newer (or older) state of a goods list.

The file is parsed and checked whole before anything is written; the list's rows, coverage and record are
replaced in one transaction, so a bad file leaves the store as it was. The import is kept in
`imported_list_entries` / `imported_list_meta`, so a rebuild of the store keeps it in place of the bundled
list. The summary says what changed against the rows the store held: rows added, dropped, and changed (same
code and category, another `ex` marker, threshold or range).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from screener.errors import InputError
from screener.reference.annex_layout import ACTS_IN_FORCE, PARSERS
from screener.reference.goods_lists import STORE_SCHEMA, read_specs, rows_frame
from screener.reference.list_tables import coverage_table, entries_table, meta_table
from screener.reference.paths import reference_dir
from screener.reference.store import query_frame

KEY = ["entry", "category"]
COMPARED = ["ex", "code_to", "threshold_kind", "threshold_value", "threshold_currency"]
IMPORT_META = {"list": pl.String, "date": pl.String, "rows": pl.Int64, "source_path": pl.String,
               "sha256": pl.String, "imported_at": pl.String, "kind": pl.String, "added": pl.Int64,
               "dropped": pl.Int64, "changed": pl.Int64}
EXAMPLES = 8


def list_date(path: Path, acts: tuple[str, ...], given: str | None, row_dates: list[str] = ()) -> str:
    """The date of the list's state: given, else `_YYYYMMDD` in the file name, else the newest entry into
    force of the acts or rows it names; an error when none says it."""
    if given:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", given):
            raise InputError(f"--date {given!r} is not YYYY-MM-DD")
        return given
    m = re.search(r"_(\d{4})(\d{2})(\d{2})(?:\D|$)", path.stem)
    if m:
        return "-".join(m.groups())
    dates = sorted([ACTS_IN_FORCE[a] for a in acts if a in ACTS_IN_FORCE] + [d for d in row_dates if d])
    if dates:
        return dates[-1]
    raise InputError(f"{path}: cannot tell the date of this state of the list (no act or date in the file): "
                     "pass --date YYYY-MM-DD")


def compare(old: pl.DataFrame, new: pl.DataFrame) -> dict:
    """Rows added, dropped and changed between two states of a list. Rows are matched by entry and category
    (a code may stand in a list more than once); a matched row whose `ex` marker, range or threshold differs
    is changed."""
    def keyed(frame: pl.DataFrame) -> dict:
        out: dict = {}
        for r in frame.select(KEY + COMPARED).iter_rows(named=True):
            out.setdefault(tuple(r[k] for k in KEY), []).append(tuple(r[c] for c in COMPARED))
        return out
    before, after = keyed(old), keyed(new)
    added = {k: len(v) - len(before.get(k, [])) for k, v in after.items() if len(v) > len(before.get(k, []))}
    dropped = {k: len(v) - len(after.get(k, [])) for k, v in before.items() if len(v) > len(after.get(k, []))}
    changed = [k for k in after if k in before and sorted(after[k], key=repr) != sorted(before[k], key=repr)
               and len(after[k]) == len(before[k])]

    def names(keys) -> list[str]:
        entries = [e for e, _ in keys]
        return [e + (f" (category {c})" if c and entries.count(e) > 1 else "") for e, c in keys]
    return {"added": sum(added.values()), "dropped": sum(dropped.values()), "changed": len(changed),
            "added_entries": names(added)[:EXAMPLES], "dropped_entries": names(dropped)[:EXAMPLES],
            "changed_entries": names(changed)[:EXAMPLES],
            "added_codes": len({e for e, _ in added}), "dropped_codes": len({e for e, _ in dropped})}


def _hs_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    codes = [r[0] for r in con.execute("SELECT code FROM hs_codes").fetchall()]
    if "imported_hs_codes" in tables:
        codes += [r[0] for r in con.execute("SELECT code FROM imported_hs_codes").fetchall()]
    return codes


def _replace(con: duckdb.DuckDBPyConnection, table: str, tag: str, frame: pl.DataFrame) -> None:
    """Delete the list's rows from `table` (created like `frame` when missing) and insert `frame`."""
    con.register("frame_in", frame.to_arrow())
    try:
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} AS SELECT * FROM frame_in LIMIT 0")  # our constant names
        con.execute(f"DELETE FROM {table} WHERE list = ?", [tag])
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame_in")
    finally:
        con.unregister("frame_in")


def import_goods_list(con: duckdb.DuckDBPyConnection, kind: str, path: str | Path, date: str | None = None,
                      ref_dir: Path | None = None) -> dict:
    """Parse, check and load one goods list file into a built store; return what changed."""
    path = Path(path)
    if kind not in PARSERS:
        raise InputError(f"unknown goods list kind {kind!r}; choose one of: {', '.join(sorted(PARSERS))}")
    parsed = PARSERS[kind](path)
    specs = read_specs(ref_dir or reference_dir())
    if parsed.tag not in specs:
        raise InputError(f"{path}: list {parsed.tag} is not declared in reference_data/lists/lists.yaml")
    when = list_date(path, parsed.acts, date, [r["in_force"] for r in parsed.rows])
    rows = rows_frame(parsed.tag, parsed.rows, str(path)).with_columns(in_force=pl.col("in_force").fill_null(when))
    hs_codes = _hs_codes(con)
    entries = entries_table(rows, {parsed.tag: specs[parsed.tag]}, hs_codes)
    coverage = coverage_table(entries, hs_codes)
    old = query_frame(con, "SELECT * FROM list_entries WHERE list = ?", [parsed.tag])
    before = con.execute("SELECT date, rows FROM list_meta WHERE list = ?", [parsed.tag]).fetchone()
    diff = compare(old, entries)
    record = pl.DataFrame([{"list": parsed.tag, "date": when, "rows": rows.height, "source_path": str(path.resolve()),
                            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                            "imported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "kind": kind,
                            "added": diff["added"], "dropped": diff["dropped"], "changed": diff["changed"]}],
                          schema=IMPORT_META)
    meta = meta_table(entries, {parsed.tag: specs[parsed.tag]}, record)
    con.execute("BEGIN TRANSACTION")
    try:
        _replace(con, "list_entries", parsed.tag, entries)
        _replace(con, "list_coverage", parsed.tag, coverage)
        _replace(con, "list_meta", parsed.tag, meta)
        _replace(con, "imported_list_entries", parsed.tag, rows.select(list(STORE_SCHEMA)))
        _replace(con, "imported_list_meta", parsed.tag, record)
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise InputError(f"{path}: import failed: {str(exc).splitlines()[0]}") from exc
    return {"list": parsed.tag, "kind": kind, "rows": rows.height, "date": when,
            "previous_rows": before[1] if before else 0, "previous_date": before[0] if before else None, **diff}


def render_summary(s: dict) -> str:
    """One paragraph: the new state, the old one, and the rows that changed."""
    lines = [f"imported {s['list']} ({s['kind']}): {s['rows']} rows dated {s['date']} "
             f"(was {s['previous_rows']} rows dated {s['previous_date'] or '-'}): "
             f"rows added {s['added']}, dropped {s['dropped']}, changed {s['changed']}"]
    for what in ("added", "dropped", "changed"):
        if s[what]:
            shown, total = s[what + "_entries"], s.get(what + "_codes", s[what])
            more = f" and {total - len(shown)} more" if total > len(shown) else ""
            lines.append(f"  {what}: {', '.join(shown)}{more}")
    return "\n".join(lines)


__all__ = ["import_goods_list", "render_summary", "compare", "list_date"]
