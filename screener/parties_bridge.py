"""The seam between the screener and the sanctions-party matcher (screener.parties), kept optional."""

from __future__ import annotations

from pathlib import Path

import polars as pl


def load_party_matcher(db_path: Path | None):
    """A PartyMatcher over the lists imported into the store, or None when none are imported."""
    try:
        from screener.parties.match import PartyMatcher
        from screener.reference.store import connect
    except ImportError:
        return None
    if db_path is None or not Path(db_path).exists():
        return None
    con = connect(db_path, read_only=True)
    try:
        has = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'party_names'").fetchall()[0][0]
        if not has:
            return None
        matcher = PartyMatcher.from_store(con)
    finally:
        con.close()
    return matcher


def party_tags(matcher, texts: pl.Series, column: pl.Series | None) -> pl.Series:
    """Per row: `LIST:ID` of parties matched in the structured column, or else found in the text."""
    if column is not None:
        values = [[n.strip() for n in v.split("\n") if n.strip()] if v else [] for v in column.to_list()]
        uniq = list(dict.fromkeys(n for names in values for n in names))
        found = dict(zip(uniq, matcher.match_names(uniq))) if uniq else {}
        rows = [[f"{m.list}:{m.entity_id}" for n in names for m in found.get(n, [])] for names in values]
    else:
        rows = [[f"{m.list}:{m.entity_id}" for m in matcher.find_in_text(t or "")] for t in texts.to_list()]
    return pl.Series("parties", [list(dict.fromkeys(r)) for r in rows], dtype=pl.List(pl.String))
