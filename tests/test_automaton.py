"""The compiled automaton finds exactly what a plain search of each row's bytes finds; so does the
pattern lookup that reads short inputs (every test runs both ways)."""

from __future__ import annotations

import random

import ahocorasick_rs
import polars as pl
import pytest

from screener.match import automaton
from screener.match.automaton import Automaton

@pytest.fixture(autouse=True, params=["automata", "lookup"])
def way(request, monkeypatch):
    """Short inputs are looked up, longer ones run through the automata: each test runs through both."""
    monkeypatch.setattr(automaton, "SMALL_INPUT", 0 if request.param == "automata" else 10**9)
    return request.param


PATTERNS = [" bearing ", " ball bearing ", " bearings ", "подшипник", " чпу ", "轴承", " ic ", "ic ", " a "]


def _byte_hits(norm: pl.DataFrame, patterns: list[str]) -> list[tuple[int, int, int]]:
    """(row, pattern id, UTF-8 byte offset) of every overlapping occurrence, found one pattern at a time
    (not by polars' `find_many`, whose offsets became characters in polars 2.2)."""
    out = []
    for row, text in norm.select("row", "norm").iter_rows():
        data = text.encode()
        for pid, pattern in enumerate(patterns):
            at = data.find(pattern.encode())
            while at >= 0:
                out.append((row, pid, at))
                at = data.find(pattern.encode(), at + 1)
    return sorted(out)


def _random_rows(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = ["bearing", "bearings", "ball", "подшипники", "轴承钢", "ic", "a", "чпу", "x", ""]
    return [" " + " ".join(rng.choice(words) for _ in range(rng.randrange(0, 8))) + " " for _ in range(n)]


def test_scan_equals_a_plain_search_on_multilingual_rows():
    rows = _random_rows(400, seed=5)
    norm = pl.DataFrame({"row": pl.Series(range(len(rows)), dtype=pl.UInt32), "norm": rows})
    got = Automaton(PATTERNS).scan(norm)
    assert sorted(got.iter_rows()) == _byte_hits(norm, PATTERNS)
    assert got.height > 400  # the rows do hold matches, in several scripts


def test_offsets_are_utf8_bytes_within_each_row():
    norm = pl.DataFrame({"row": pl.Series([7, 3], dtype=pl.UInt32), "norm": [" подшипник ", " 轴承 bearing "]})
    got = Automaton(PATTERNS).scan(norm).sort("row", "pos").rows()
    assert got == [(3, 5, 1), (3, 0, 7), (7, 3, 1)]  # row ids kept; "轴承" is 6 bytes, so " bearing " is at 7


def test_no_match_spans_two_rows():
    # "ic " at the end of one row and " a " at the start of the next must not join across rows
    norm = pl.DataFrame({"row": pl.Series([0, 1], dtype=pl.UInt32), "norm": [" ic", "a "]})
    assert Automaton([" ic a "]).scan(norm).is_empty()


def test_empty_inputs():
    empty = pl.DataFrame({"row": pl.Series([], dtype=pl.UInt32), "norm": pl.Series([], dtype=pl.String)})
    assert Automaton(PATTERNS).scan(empty).is_empty()
    assert Automaton([]).scan(pl.DataFrame({"row": pl.Series([0], dtype=pl.UInt32), "norm": [" a "]})).is_empty()


def test_a_pattern_with_a_newline_is_refused():
    with pytest.raises(ValueError, match="newline"):
        Automaton(["a\nb"])


def test_occurrences_come_in_the_order_of_a_single_automaton():
    """ASCII and other patterns run in two automata; merged, their occurrences keep one automaton's order
    (by text, end, then start: the longest first) on rows that mix scripts."""
    patterns = [" ту 214 ", " 214 ", " ту ", "214 ", " usb ", " кабель usb ", " кабель", " cable "]
    rows = _random_rows(10, seed=1) + [" ту 214 usb ", " кабель usb cable ", " 214 ", " кабель"]
    norm = pl.DataFrame({"row": pl.Series(range(len(rows)), dtype=pl.UInt32).reverse(), "norm": rows})
    one = ahocorasick_rs.BytesAhoCorasick([p.encode() for p in patterns],
                                          implementation=ahocorasick_rs.Implementation.ContiguousNFA)
    expected = []
    for row, text in zip(norm["row"], rows):
        expected += [(row, pid, start) for pid, start, _ in one.find_matches_as_indexes(text.encode(), overlapping=True)]
    got = Automaton(patterns).scan(norm).rows()
    assert got == expected
    assert {p for _, p, _ in got} == set(range(len(patterns)))


def test_the_lookup_gives_what_the_automata_give_on_many_patterns():
    rng = random.Random(3)
    words = ["ball", "bearing", "bearings", "x", "подшипник", "чпу", "轴承", "a", "drohnen", "rahmen"]
    patterns = list(dict.fromkeys(
        (" " if rng.random() < 0.8 else "") + " ".join(rng.choice(words) for _ in range(rng.randrange(1, 4)))
        + (" " if rng.random() < 0.7 else "") for _ in range(300)))
    rows = _random_rows(300, seed=9) + [" drohnenrahmen ", "чпу轴承 ball "]
    norm = pl.DataFrame({"row": pl.Series(range(len(rows)), dtype=pl.UInt32), "norm": rows})
    automaton.SMALL_INPUT = 0
    by_automata = Automaton(patterns).scan(norm).rows()
    automaton.SMALL_INPUT = 10**9
    assert Automaton(patterns).scan(norm).rows() == by_automata
    assert len(by_automata) > 300


def test_once_the_automata_are_built_they_read_every_input():
    automaton.SMALL_INPUT = 100
    scanner = Automaton(PATTERNS)
    long = pl.DataFrame({"row": pl.Series([0], dtype=pl.UInt32), "norm": [" bearing " * 20]})
    short = pl.DataFrame({"row": pl.Series([0], dtype=pl.UInt32), "norm": [" ball bearing "]})
    scanner.scan(long)
    assert scanner.scan(short).height == 2 and "_lookup" not in scanner.__dict__
