"""The reference data as the screener uses it: read once from the DuckDB store."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import polars as pl

from screener.lexicon.model import FROM_STORE, LexiconEntry
from screener.reference.build import ensure_built
from screener.reference.list_lookup import CONTROL_DETAIL, entries_covering
from screener.reference.places import Places
from screener.reference.store import connect, query_frame


@dataclass
class Reference:
    """Lexicon entries, places, context cues, HS descriptions and list coverage, with their version."""

    version: str
    entries: dict[str, LexiconEntry]
    places: Places
    context: dict
    hs: pl.DataFrame
    coverage: pl.DataFrame
    list_entries: pl.DataFrame
    editions: pl.DataFrame
    db_path: Path | None = None
    extra: dict = field(default_factory=dict)
    known_words: frozenset[str] = frozenset()  # ordinary English, which typo repair leaves alone
    patterns: pl.DataFrame | None = None  # the entries', places' and context patterns (None: compute them)
    fuzzy_vocab: list[str] | None = None  # the words typo repair maps to (None: compute them)
    foreign_words: tuple[str, ...] | None = None  # foreign terms' words typo repair leaves alone (None: compute)
    part_database: tuple[str, bytes, list[int]] | None = None  # the part filter's compiled patterns (key, db, ids)

    @cached_property
    def hs_descriptions(self) -> dict[str, str]:
        """HS code -> description, built on first use."""
        return dict(zip(self.hs["code"].to_list(), self.hs["description"].to_list()))

    def describe(self, code: str) -> str:
        """Short description of an HS code (or of its heading when the subheading is not known)."""
        return self.hs_descriptions.get(code) or self.hs_descriptions.get(code[:4], "")

    def controls_for(self, code: str) -> list[dict]:
        """List entries covering one HS code (6 digits; 4 digits for a declared heading), with the direction
        of trade and the value threshold of their list row where the store has them."""
        if len(code) >= 6:
            rows = self.coverage.filter(pl.col("hs6") == code[:6])
        else:
            rows = self.list_entries.filter(pl.col("code").str.starts_with(code)
                                            | pl.lit(code).str.starts_with(pl.col("code")))
        extra = [c for c in CONTROL_DETAIL if c in rows.columns]
        partial = "partial" if "partial" in rows.columns else pl.lit(False).alias("partial")
        # a full key: one order (rows alike in list, entry and direction, an entry with two value thresholds,
        # must not come out in the order `unique` happened to leave them in)
        return (rows.select("list", "entry", "tier", partial, *extra).unique()
                .sort("list", "entry", "tier", "partial", *extra, nulls_last=True).to_dicts())

    def entries_covering(self, code: str) -> pl.DataFrame:
        """The list rows that cover a code of any length (2 to 10 digits), each with `covers`: `all` when the
        row names the code or a code above it (in full unless it is `ex`), `part` when it names only part of it
        (a code below it, an `ex` row, a range that starts or ends inside it)."""
        return entries_covering(self.list_entries, self.coverage, code)

    def with_entries(self, extra: list[LexiconEntry]) -> "Reference":
        """A copy with user lexicon entries added (they win over bundled ones with the same id)."""
        merged = dict(self.entries)
        merged.update({e.id: e for e in extra})
        return Reference(self.version + "+" + str(len(extra)), merged, self.places, self.context, self.hs,
                         self.coverage, self.list_entries, self.editions, self.db_path, dict(self.extra),
                         self.known_words, part_database=self.part_database)  # (used only if the patterns match)

    def code_issue(self, code: str) -> str | None:
        """Why a declared 6-digit code is questionable: not an HS code, or an HS 2017 code HS 2022 replaced."""
        if len(code) < 6:
            return None
        row = self.editions.filter(pl.col("code") == code[:6])
        if row.is_empty():
            return "unknown"
        if not row["in_hs2022"][0]:
            return "hs2017_only"
        return None


def load_reference(db: str | Path | None = None) -> Reference:
    """Open (building when missing or stale) the store and read the reference data from it."""
    path = ensure_built(db)
    con = connect(path, read_only=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        rows = con.execute("SELECT entry_json FROM lexicon_entries ORDER BY id").fetchall()
        entries = [LexiconEntry.model_validate_json(r[0], context=FROM_STORE) for r in rows]
        hs = query_frame(con, "SELECT code, level, parent, description FROM hs_codes")
        imported = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'imported_hs_codes'").fetchall()[0][0]
        if imported:
            full = query_frame(con, "SELECT code, level, parent, description FROM imported_hs_codes")
            hs = pl.concat([hs, full.join(hs.select("code"), on="code", how="anti")], how="vertical_relaxed")
        coverage = query_frame(con, "SELECT * FROM list_coverage")
        lists = query_frame(con, "SELECT * FROM list_entries")
        editions = query_frame(con, "SELECT * FROM hs_editions")
        known = frozenset(query_frame(con, "SELECT word FROM guard_words")["word"].to_list())
        patterns = query_frame(con, "SELECT * EXCLUDE (seq) FROM patterns ORDER BY seq")
        vocab = query_frame(con, "SELECT word FROM fuzzy_vocab ORDER BY word")["word"].to_list()
        foreign = tuple(query_frame(con, "SELECT word FROM foreign_words ORDER BY word")["word"].to_list())
        part_db = con.execute("SELECT key, db, ids FROM part_database").fetchone()
    finally:
        con.close()
    return Reference(
        version=meta["reference_hash"], entries={e.id: e for e in entries},
        places=Places.model_validate_json(meta["places_json"]), context=json.loads(meta["context_json"]),
        hs=hs, coverage=coverage, list_entries=lists, editions=editions, db_path=path, known_words=known,
        patterns=patterns, fuzzy_vocab=vocab, foreign_words=foreign, part_database=part_db)
