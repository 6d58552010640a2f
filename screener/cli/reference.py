"""`screener reference build|info|lookup|import|update`: the store, its lists, and importing newer lists."""

from __future__ import annotations

import json
from pathlib import Path

import click
import polars as pl

from screener.cli.options import db_option
from screener.errors import InputError
from screener.reference.annex_layout import PARSERS
from screener.reference.build import build as build_store, data_hash, ensure_built, stored_hash
from screener.reference.goods_lists import describe_threshold, read_specs
from screener.reference.list_lookup import entries_covering
from screener.reference.lookup import load_reference
from screener.reference.paths import reference_dir
from screener.reference.store import connect, query_frame, store_lock


def _kinds() -> list[str]:
    """The import kinds of the full HS and the party lists (their importers live in screener.parties)."""
    try:
        from screener.parties.importers import IMPORTERS
    except ImportError:
        return ["hs"]
    return ["hs", *sorted(IMPORTERS)]


PARTY_KINDS = _kinds()


@click.group()
def reference():
    """Build and inspect the DuckDB reference store."""


@reference.command("build")
@db_option
def build(db):
    """Compile reference_data/ into the store."""
    info = build_store(db)
    for k, v in info.items():
        click.echo(f"{k}: {v}")


@reference.command("info")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def info(db, fmt):
    """Show what the store holds: versions, table counts, lists and their dates."""
    ref = load_reference(db)
    con = connect(ref.db_path, read_only=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta WHERE key NOT LIKE '%_json'").fetchall())
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        # (table names from the catalog)
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}
        lists = con.execute("SELECT list, count(*) FROM list_entries GROUP BY list ORDER BY list").fetchall()
        list_meta = query_frame(con, "SELECT * FROM list_meta ORDER BY list").to_dicts()
        parties = []
        if "party_lists" in tables:
            try:
                from screener.parties.cli import list_summaries

                parties = list_summaries(con)
            except ImportError:
                parties = []
    finally:
        con.close()
    data = {"db": str(ref.db_path), "meta": meta, "tables": counts, "control_lists": dict(lists),
            "lists": list_meta, "party_lists": parties, "current_reference_hash": data_hash(),
            "stale": stored_hash(ref.db_path) != data_hash()}
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, default=str))
        return
    click.echo(f"store: {data['db']}")
    for k, v in meta.items():
        click.echo(f"{k}: {v}")
    click.echo("tables: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    click.echo("control lists: " + ", ".join(f"{k} {v}" for k, v in dict(lists).items()))
    for m in list_meta:
        way = "to" if m["direction"] == "export" else "from"
        click.echo(f"  {m['list']:18} {m['rows']:4} rows  dated {m['date']}  {m['direction']} {way} "
                   f"{', '.join(m['countries'])}  {m['origin']}: {m['source']}"
                   + ("" if m["complete"] else f"  PARTIAL COPY: {m['note']}"))
    for p in parties:
        click.echo("party list: " + ", ".join(f"{k} {v}" for k, v in p.items()))


@reference.command("lookup")
@click.argument("code")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def lookup(code, db, fmt):
    """Show an HS code's description and the list entries that cover it (direction, threshold, act)."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) not in (2, 4, 6, 8, 10):
        raise InputError(f"{code!r} is not an HS code (2, 4, 6, 8 or 10 digits)")
    ref = load_reference(db)
    key = digits[:6] if len(digits) >= 6 else digits
    controls = ref.controls_for(key)
    below = ref.hs.filter((pl.col("level") == 6) & pl.col("code").str.starts_with(key))["code"].to_list()
    categories = {tag: spec.categories for tag, spec in read_specs(reference_dir()).items()}
    rows = [_row_view(r, categories) for r in entries_covering(ref.list_entries, ref.coverage, digits, below or None)
            .to_dicts()]
    entries = [e.id for e in ref.entries.values() if any(h.startswith(key) for h in e.hs6)]
    data = {"code": key, "query": digits, "description": ref.describe(key), "controls": controls,
            "list_rows": rows, "lexicon_entries": entries}
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{digits if len(digits) > 6 else key}: {data['description'] or '(not in the HS table)'}")
    for r in rows:
        way = "to" if r["direction"] == "export" else "from"
        click.echo(f"  {r['list']}: entry {r['entry']}" + (f", tier {r['tier']}" if r["tier"] else "")
                   + (" (partial)" if r["covers"] == "part" else "")
                   + (f", category {r['category']}" + (f" ({r['category_name']})" if r["category_name"] else "")
                      if r["category"] else "")
                   + f"; {r['direction']} {way} {', '.join(r['countries'] or [])}"
                   + f"; {r['threshold'] or 'no value condition'}"
                   + (f"; {r['legal_act']}" if r["legal_act"] else "")
                   + (f", in force {r['in_force']}" if r["in_force"] else ""))
    if not rows:
        click.echo("  on no control list")
    click.echo(f"  lexicon entries: {', '.join(entries[:20]) or '-'}")


def _row_view(r: dict, categories: dict) -> dict:
    """A covering list row as `lookup` shows it: the threshold in words and the category's name added."""
    return {**r, "threshold": describe_threshold(r["threshold_kind"], r["threshold_value"], r["threshold_currency"]),
            "category_name": categories.get(r["list"], {}).get(r["category"] or "", "")}


@reference.command("import")
@click.argument("kind", type=click.Choice([*sorted(PARSERS), *PARTY_KINDS]), metavar="KIND")
@click.argument("path", type=click.Path(dir_okay=False))
@db_option
@click.option("--list-name", default=None, help="Name a party list is stored under (default per kind, e.g. OFAC-SDN).")
@click.option("--date", "date", default=None, help="Goods lists: the date of the file's state of the list "
              "(YYYY-MM-DD; default: from the file name or the act it names).")
def import_command(kind, path, db, list_name, date):
    """Import a reference file of KIND: goods lists (eu833-annex: EU 833/2014 Annex XVII, XVIII or XXI in the
    transcription layout annex,cn_code,description,notes; us-ru-import-ban), the full HS (hs) or a sanctions
    party list (ofac-sdn, ofac-alt, ofac-add, ofac-consolidated, un, ftm, eu, uk).

    The whole file is checked first and written in one transaction: a bad file leaves the store unchanged.
    A goods list replaces the list's rows (kept across rebuilds); the summary counts rows added and dropped.
    """
    if kind not in PARSERS:
        if date:
            raise InputError("--date applies to goods lists only")
        from screener.parties.cli import import_command as party_import

        return party_import.callback(kind=kind, path=path, db=str(db) if db else None, list_name=list_name)
    if list_name:
        raise InputError(f"--list-name does not apply to {kind}: the list is named by its file (e.g. EU833-XVIII)")
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    from screener.reference.list_import import import_goods_list, render_summary

    store = ensure_built(db)
    with store_lock(store):  # (not while a build or another import writes the store)
        con = connect(store)
        try:
            summary = import_goods_list(con, kind, path, date)
        finally:
            con.close()
    click.echo(render_summary(summary))


def _attach_update_command() -> None:
    try:
        from screener.parties.cli import update_command
    except ImportError:
        return
    reference.add_command(update_command, "update")


_attach_update_command()
__all__ = ["reference"]
