"""An Aho-Corasick automaton compiled once and run over a whole column in one pass.

polars' `str.extract_many`/`str.find_many` rebuild their automaton on every call: with ~78,000
patterns that is ~0.17 s a call, two calls a chunk, more than the scan itself. Here the automaton
(the `ahocorasick_rs` package, the same Rust crate polars uses) is built once per process and kept,
and a column is scanned as one byte string, its rows joined by a newline (no pattern holds one,
so no match crosses rows).
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from itertools import chain

import ahocorasick_rs
import numpy as np
import polars as pl

from screener.match.joined import joined, text_at

SCAN_SCHEMA = {"row": pl.UInt32, "pid": pl.UInt32, "pos": pl.Int64}
# Up to this many bytes of text, and until a larger input has built the automata, a scan looks the text's
# substrings up in a table of the patterns instead: a one-line `screen` then does not pay ~0.9 s of
# compiling automata over ~275,000 patterns to read forty bytes.
SMALL_INPUT = 4096


class Automaton:
    """Patterns compiled once; `scan` finds every (overlapping) occurrence of every pattern.

    Two automata in fact: the ASCII patterns, run over every row, and the others (Cyrillic, CJK …), run
    only over the rows that hold a non-ASCII byte — the only rows where such a pattern can occur — and
    compiled when the first such row comes. Half the patterns are Russian forms: without them the
    automaton English rows run through is a quarter of the size, builds 0.29 -> 0.08 s and scans a
    tenth faster. The occurrences come out as one automaton gives them: by row, end, then start.
    Short inputs (`SMALL_INPUT`) read before any automaton is compiled go through `_Lookup` instead, with
    the same occurrences in the same order (tests/test_automaton.py runs every test both ways).
    """

    def __init__(self, patterns: list[str] | pl.Series):
        self._series = pl.Series("pattern", patterns, dtype=pl.String)
        if self._series.str.contains("\n", literal=True).any():
            raise ValueError("a pattern holds a newline, which separates rows in a scan")

    @cached_property
    def patterns(self) -> list[str]:
        """The patterns as strings, pattern id = position (made when asked)."""
        return self._series.to_list()

    @cached_property
    def _ascii(self) -> _Part:
        return _Part(self._series, self._series.str.len_bytes() == self._series.str.len_chars())

    @cached_property
    def _other(self) -> _Part:
        return _Part(self._series, self._series.str.len_bytes() != self._series.str.len_chars())

    @cached_property
    def _lookup(self) -> _Lookup:
        return _Lookup(self._series)

    def scan(self, norm: pl.DataFrame) -> pl.DataFrame:
        """Occurrences in `norm` (columns row, norm): row, pattern id, byte offset in that row's text."""
        if self._series.is_empty() or norm.is_empty():
            return pl.DataFrame(schema=SCAN_SCHEMA)
        texts = norm["norm"].fill_null("")
        if "_ascii" not in self.__dict__ and texts.str.len_bytes().sum() <= SMALL_INPUT:
            at, pid, pos = self._lookup.scan(texts.to_list())
            return pl.DataFrame({"row": norm["row"].to_numpy()[at], "pid": pid, "pos": pos}, schema=SCAN_SCHEMA)
        at, pid, pos, end = self._ascii.scan(texts)
        if self._other.size:
            wide = np.flatnonzero((texts.str.len_bytes() != texts.str.len_chars()).to_numpy())
            if len(wide):  # merged into the order one automaton gives: by row (text), end, then start
                more = self._other.scan(texts.gather(wide))
                at, pid, pos, end = (np.concatenate([a, b]) for a, b in zip((at, pid, pos, end),
                                                                           (wide[more[0]], *more[1:])))
                order = np.lexsort((pos, end, at))
                at, pid, pos = at[order], pid[order], pos[order]
        return pl.DataFrame({"row": norm["row"].to_numpy()[at], "pid": pid, "pos": pos}, schema=SCAN_SCHEMA)


def starts(norm: pl.DataFrame, patterns: tuple[str, ...]) -> pl.DataFrame:
    """(row, start): the byte offset of every (overlapping) occurrence of a few patterns in `norm` (row, norm).

    The matcher's offsets are UTF-8 bytes; polars' `str.find_many` gives bytes up to 2.1 and characters from
    2.2 on, so small pattern sets (place names' capitalised forms, legal forms) go through this instead."""
    found = _compiled(patterns).scan(norm)
    return found.select("row", start="pos")


@lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> Automaton:
    return Automaton(list(patterns))


class _Part:
    """An automaton over the `chosen` patterns (`_global`: their positions in the full list), built on first use."""

    def __init__(self, patterns: pl.Series, chosen: pl.Series):
        self._global = np.flatnonzero(chosen.to_numpy())
        self.size = self._global.size
        self._patterns = patterns.filter(chosen).cast(pl.Binary).to_list()  # (polars encodes ~8x faster)
        self._ac = None

    def scan(self, texts: pl.Series) -> tuple[np.ndarray, ...]:
        """Every occurrence in `texts`: the text's index, the pattern's id (in the full list), and the
        start and end byte offsets in that text."""
        if not self.size:
            return tuple(np.zeros(0, dtype=np.int64) for _ in range(4))
        if self._ac is None:
            self._ac = ahocorasick_rs.BytesAhoCorasick(
                self._patterns, implementation=ahocorasick_rs.Implementation.ContiguousNFA)
        haystack, starts = joined(texts)
        found = self._ac.find_matches_as_indexes(haystack, overlapping=True)
        flat = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found)).reshape(-1, 3)
        at = text_at(starts, flat[:, 1])
        return at, self._global[flat[:, 0]], flat[:, 1] - starts[at], flat[:, 2] - starts[at]


class _Lookup:
    """The patterns as tables of byte strings: every substring of a short text that is a pattern, found by a
    join of the text's substrings to those tables (the same occurrences, in the same order, as the automata
    give; building the tables costs a tenth of compiling them).

    A pattern that begins with a space (a word's start) can only occur at a space of the text; the others
    (Chinese, Japanese, Korean terms and the like) at any character's first byte. Each kind is looked up only
    where it can start, with its own widths.
    """

    def __init__(self, patterns: pl.Series):
        table = pl.DataFrame({"key": patterns.cast(pl.Binary), "width": patterns.str.len_bytes(),
                              "ascii": patterns.str.len_bytes() == patterns.str.len_chars(),
                              "pid": pl.int_range(patterns.len(), eager=True, dtype=pl.UInt32)})
        led = patterns.str.starts_with(" ")
        self._led, self._free = table.filter(led), table.filter(~led)
        self._led_widths = self._led["width"].unique().sort().to_list()
        self._free_widths = self._free["width"].unique().sort().to_list()
        self._free_in_ascii = bool(self._free["ascii"].any())  # else ASCII text needs no free lookups

    def scan(self, texts: list[str]) -> tuple[np.ndarray, ...]:
        """Every occurrence in `texts`: the text's index, the pattern's id and its start byte offset, by text,
        end, then start."""
        led, free = ([], [], []), ([], [], [])
        for i, text in enumerate(texts):
            data = text.encode()
            _substrings(data, i, [b for b, byte in enumerate(data) if byte == 32], self._led_widths, led)
            if self._free_widths and (self._free_in_ascii or not data.isascii()):
                firsts = [b for b, byte in enumerate(data) if byte & 0xC0 != 0x80]
                _substrings(data, i, firsts, self._free_widths, free)
        schema = {"at": pl.Int64, "start": pl.Int64, "key": pl.Binary}
        found = pl.concat([pl.DataFrame(dict(zip(schema, cols)), schema=schema).join(table, on="key")
                           for cols, table in ((led, self._led), (free, self._free))])
        found = found.select("at", "start", "pid", end=pl.col("start") + pl.col("width")).sort("at", "end", "start")
        return found["at"].to_numpy(), found["pid"].to_numpy(), found["start"].to_numpy()


def _substrings(data: bytes, at: int, begins: list[int], widths: list[int], out: tuple[list, list, list]) -> None:
    """Append (text index, start, bytes) of every substring of `data` from each of `begins`, of each of
    `widths` (ascending) that fits."""
    for b in begins:
        for width in widths:
            if b + width > len(data):
                break
            out[0].append(at)
            out[1].append(b)
            out[2].append(data[b:b + width])


class PatternScanner:
    """An automaton over the patterns of a refs table, and that table keyed by pattern id.

    A pattern may carry several refs (a word that is a goods term of two entries); each occurrence
    yields one hit per ref. The pattern's padding (a leading or trailing space marks a word edge)
    is precomputed so that spans come out of integer arithmetic, not string operations per hit.
    """

    def __init__(self, refs: pl.DataFrame):
        patterns = refs["pattern"].unique(maintain_order=True)
        self.automaton = Automaton(patterns)
        keyed = pl.DataFrame({"pattern": patterns, "pid": pl.int_range(patterns.len(), eager=True, dtype=pl.UInt32)})
        self.refs = refs.join(keyed, on="pattern").with_columns(
            lead=pl.col("pattern").str.starts_with(" ").cast(pl.Int64),
            width=pl.col("pattern").str.len_bytes().cast(pl.Int64)
            - pl.col("pattern").str.ends_with(" ").cast(pl.Int64))

    def scan(self, norm: pl.DataFrame) -> pl.DataFrame:
        """Every occurrence in `norm` (row, norm) joined to its refs: row, pos and the ref columns."""
        return self.automaton.scan(norm).join(self.refs, on="pid", maintain_order="left")
