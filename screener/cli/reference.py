"""`screener reference build|info|lookup` (and import/update of sanctions lists and the full HS)."""

from __future__ import annotations

import json

import click

from screener.cli.options import db_option
from screener.errors import InputError
from screener.reference.build import build as build_store, data_hash, stored_hash
from screener.reference.lookup import load_reference
from screener.reference.store import connect, resolve_db_path


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
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}  # names from the catalog
        lists = con.execute("SELECT list, count(*) FROM list_entries GROUP BY list ORDER BY list").fetchall()
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
            "party_lists": parties, "current_reference_hash": data_hash(),
            "stale": stored_hash(ref.db_path) != data_hash()}
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, default=str))
        return
    click.echo(f"store: {data['db']}")
    for k, v in meta.items():
        click.echo(f"{k}: {v}")
    click.echo("tables: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    click.echo("control lists: " + ", ".join(f"{k} {v}" for k, v in dict(lists).items()))
    for p in parties:
        click.echo("party list: " + ", ".join(f"{k} {v}" for k, v in p.items()))


@reference.command("lookup")
@click.argument("code")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def lookup(code, db, fmt):
    """Show an HS code's description and the list entries that cover it."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) not in (2, 4, 6, 8, 10):
        raise InputError(f"{code!r} is not an HS code (2, 4, 6, 8 or 10 digits)")
    ref = load_reference(db)
    key = digits[:6] if len(digits) >= 6 else digits
    controls = ref.controls_for(key)
    entries = [e.id for e in ref.entries.values() if any(h.startswith(key) for h in e.hs6)]
    data = {"code": key, "description": ref.describe(key), "controls": controls, "lexicon_entries": entries}
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{key}: {data['description'] or '(not in the HS table)'}")
    for c in controls:
        click.echo(f"  {c['list']}: entry {c['entry']}" + (f", tier {c['tier']}" if c["tier"] else "")
                   + (" (partial)" if c.get("partial") else ""))
    if not controls:
        click.echo("  on no control list")
    click.echo(f"  lexicon entries: {', '.join(entries[:20]) or '-'}")


def _attach_party_commands() -> None:
    try:
        from screener.parties.cli import import_command, update_command
    except ImportError:
        return
    reference.add_command(import_command, "import")
    reference.add_command(update_command, "update")


_attach_party_commands()
__all__ = ["reference", "resolve_db_path"]
