"""Which texts may hold a part number: one yes/no pass over a column with every part pattern at once.

Few texts hold a part number (about 1 shipment line in 150), so this pass is most of what part numbers
cost. polars runs a regex per chunk on a lazy DFA it builds afresh on every call (0.38 s per 200,000
lines in 25,000-line chunks). Hyperscan, when installed, compiles the patterns once into a database,
which the reference store keeps so a process only loads it, and scans a chunk's texts joined by
newlines as one buffer (0.06 s for the same lines, the same rows found).

The engines agree where it matters: ASCII patterns run with ASCII classes in both (`(?-u)` for the
regex crate). Patterns outside ASCII run in Hyperscan's UTF-8 mode, whose classes are still ASCII ones
(it has no Unicode word boundary): the same as the regex crate's Unicode classes on ASCII text, not on
others, so on a text with a non-ASCII character such patterns are also run by polars. Patterns
Hyperscan refuses run by polars everywhere. A match Hyperscan reports across two joined texts only adds
a row to extract from: the extraction (the regex crate) decides what a part number is.
"""

from __future__ import annotations

import re
import threading

import numpy as np
import polars as pl

from screener.lexicon.part_database import compile_database, database_key
from screener.match.joined import joined, text_at

try:
    import hyperscan
except ImportError:  # an optional accelerator: without it the polars pass does the same job
    hyperscan = None


_PRINTABLE_ASCII = re.compile(r"[ -~]*")


def alternation(patterns: list[str]) -> str:
    """One regex of the patterns; all-ASCII ones without Unicode classes (`(?-u)`: a tenth of the size, faster)."""
    body = "|".join(f"(?:{rx})" for rx in patterns)
    return "(?-u)" + body if all(rx.isascii() for rx in patterns) else body


def _loaded(serialised: bytes):
    """A database ready to scan: deserialised, with its scratch space (a loaded database has none)."""
    db = hyperscan.loadb(serialised, hyperscan.HS_MODE_BLOCK)
    db.scratch = hyperscan.Scratch(db)
    return db


def _contains_any(texts: pl.Series, regexes: list[str]) -> pl.Series:
    return texts.to_frame("t").select(pl.any_horizontal(pl.col("t").str.contains(rx) for rx in regexes)
                                      .fill_null(False)).to_series()


class PartFilter:
    """The texts of a column that hold some part pattern. Prepared on first use: a process that screens
    no text never loads or compiles anything. Safe to share between threads (one scan at a time)."""

    def __init__(self, sources: list[str], stored: tuple[str, bytes, list[int]] | None = None):
        self.sources = sources
        self._stored = stored
        self._db = None
        self._held: list[int] = []  # positions in `sources` of the database's patterns, by their id there
        self._unheld: list[int] = []
        self._everywhere: list[str] | None = None  # alternations polars runs on every text
        self._non_ascii: list[str] = []  # and on the texts with a non-ASCII character
        self._lock = threading.Lock()

    def _prepare(self) -> None:
        if self._everywhere is not None:
            return
        if hyperscan is not None and self.sources:
            self._db, self._held = self._load()
        held = set(self._held)
        self._unheld = [i for i in range(len(self.sources)) if i not in held]
        unheld = [self.sources[i] for i in self._unheld]
        by_script = ([rx for rx in unheld if rx.isascii()], [rx for rx in unheld if not rx.isascii()])
        self._everywhere = [alternation(rxs) for rxs in by_script if rxs]
        wide = [self.sources[i] for i in self._held if not self.sources[i].isascii()]
        self._non_ascii = [alternation(wide)] if wide else []

    def _load(self):
        """The database and the patterns it holds: the stored one when it was compiled from these patterns
        by this engine, else compiled here (~1 s)."""
        stored = self._stored
        if stored is not None and stored[0] == database_key(self.sources):
            try:
                return _loaded(stored[1]), list(stored[2])
            except hyperscan.error:  # compiled for another CPU
                pass
        compiled = compile_database(self.sources)
        if compiled is None:
            return None, []
        return _loaded(compiled[0]), compiled[1]

    def holding(self, texts: pl.DataFrame) -> pl.DataFrame:
        """The rows of `texts` (columns row, text) that may hold a part number, in their order."""
        if not self.sources or texts.is_empty():
            return texts.clear()
        with self._lock:
            self._prepare()
            hit = pl.repeat(False, texts.height, eager=True)
            if self._db is not None:
                hit = hit | self._scan(texts["text"])
            if self._everywhere:
                hit = hit | _contains_any(texts["text"], self._everywhere)
            if self._non_ascii:
                wide = texts["text"].str.len_bytes() != texts["text"].str.len_chars()
                if wide.any():
                    hit = hit | (wide & _contains_any(texts["text"], self._non_ascii)).fill_null(False)
        return texts.filter(hit)

    def _scan(self, texts: pl.Series) -> pl.Series:
        """Per text: did the database match in it? One scan over the texts joined by newlines."""
        haystack, starts = joined(texts)
        ends: list[int] = []
        self._db.scan(haystack, match_event_handler=lambda _id, _start, end, _flags, _ctx: ends.append(end))
        hit = np.zeros(len(texts), dtype=bool)
        if ends:  # a match ending at `end` (exclusive) lies in the text that holds byte end - 1
            hit[text_at(starts, np.asarray(ends) - 1)] = True
        return pl.Series(hit)

    def candidates(self, parts: list[str]) -> dict[str, list[int] | None]:
        """For each part string, the positions of the patterns that may fit the whole of it (None: any
        may), in order.

        A pattern that fits a whole string of printable ASCII (Python's `re.fullmatch`) matches in that
        string under Hyperscan's rules too (the engines' classes agree on printable ASCII), so the
        database's matches in it, plus the patterns it does not hold, are the only ones to try: one or
        two instead of 424 (each compiled on first use). The strings are scanned in one pass, joined by
        newlines (no word character: a match inside one string is found as it would be alone; one across
        two only adds a candidate).
        """
        with self._lock:
            self._prepare()
            if self._db is None:
                return dict.fromkeys(parts)
            plain = [p for p in parts if _PRINTABLE_ASCII.fullmatch(p)]
            found: list[tuple[int, int]] = []  # (last byte, pattern) of each match
            if plain:
                haystack, starts = joined(pl.Series(plain, dtype=pl.String))
                self._db.scan(haystack,
                              match_event_handler=lambda pid, _start, end, _flags, _ctx: found.append((end - 1, pid)))
        out: dict[str, list[int] | None] = dict.fromkeys(parts)
        if plain:
            held: list[set[int]] = [set() for _ in plain]
            if found:
                last, pids = zip(*found)
                for i, pid in zip(text_at(starts, last).tolist(), pids):
                    held[i].add(self._held[pid])
            out.update((p, sorted(h.union(self._unheld))) for p, h in zip(plain, held))
        return out
