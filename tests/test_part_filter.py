"""The part filter picks the texts that hold a part number; Hyperscan (when installed) and polars agree."""

from __future__ import annotations

import polars as pl
import pytest

from screener.lexicon.part_database import compile_database, database_key
from screener.match import part_filter
from screener.match.part_filter import PartFilter
from screener.match.pipeline import _parts

needs_hyperscan = pytest.mark.skipif(part_filter.hyperscan is None, reason="hyperscan is not installed")


def _frame(texts: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame({"row": range(len(texts)), "text": texts}, schema={"row": pl.UInt32, "text": pl.String})


def _texts(screener) -> list[str | None]:
    """Every pattern's examples, alone, inside a line, at a line's very end, split across two lines, and
    lines with none."""
    examples = [x for e in screener.reference.entries.values() for p in e.patterns for x in p.examples]
    return (examples + [f"500 pcs {x}, new, for {y}" for x, y in zip(examples, reversed(examples))]
            + [f"qty 4 of {x}" for x in examples] + [x[:3] for x in examples] + [x[3:] for x in examples]
            + ["", None, "ball bearings 6204 2RS", "steel pipes, 120 pcs",
               "Ту-214 запчасти", "ШХ15 steel bar",
               "запчасти для Су-27", "100Cr6 сталь", "bearing steel GCr15", "МиГ-29СМТ"])


def _polars_only(sources: list[str], monkeypatch) -> PartFilter:
    monkeypatch.setattr(part_filter, "hyperscan", None)
    only = PartFilter(sources)
    only._prepare()
    monkeypatch.undo()
    return only


@needs_hyperscan
def test_hyperscan_finds_every_text_polars_finds(screener, monkeypatch):
    frame = _frame(_texts(screener))
    fast = screener.index.part_filter
    slow = _polars_only(fast.sources, monkeypatch)
    picked, reference = set(fast.holding(frame)["row"]), set(slow.holding(frame)["row"])
    assert len(reference) > len(frame) // 3
    assert reference <= picked
    # a text Hyperscan picks beyond those (a match across two joined texts) holds no part number
    extra = frame.filter(pl.col("row").is_in(sorted(picked - reference)))
    assert _parts(extra, screener.index).is_empty()


@needs_hyperscan
def test_parts_found_are_the_same_with_and_without_hyperscan(screener, monkeypatch):
    frame = _frame(_texts(screener))
    with_hs = _parts(frame, screener.index)
    index = screener.index
    monkeypatch.setattr(index, "part_filter", _polars_only(index.part_filter.sources, monkeypatch))
    without = _parts(frame, index)
    assert with_hs.height > 100
    assert with_hs.sort(pl.all()).equals(without.sort(pl.all()))


@needs_hyperscan
def test_the_store_holds_the_compiled_patterns(screener):
    """A worker process loads the database (~1 ms) instead of compiling it (~1 s)."""
    key, db, ids = screener.reference.part_database
    sources = screener.index.part_filter.sources
    assert key == database_key(sources)
    assert ids == list(range(len(sources)))  # all of them accepted
    assert len(db) > 1000


@needs_hyperscan
def test_a_pattern_hyperscan_refuses_stays_with_polars():
    # (a pattern that matches the empty string: Hyperscan refuses it, the regex crate matches every text)
    sources = [r"\bXC7K\d{3}T\b", r"(?:QQ\d{2})?"]
    pf = PartFilter(sources)
    frame = _frame(["fpga XC7K325T", "QQ", "nothing here", "QQ12"])
    assert pf.holding(frame)["row"].to_list() == [0, 1, 2, 3]
    assert pf._db is not None and pf._everywhere == ["(?-u)(?:" + sources[1] + ")"]


@needs_hyperscan
def test_a_database_compiled_from_other_patterns_is_not_used():
    stale = compile_database([r"\bZZZ\d\b"])
    pf = PartFilter([r"\bXC7K\d{3}T\b"], ("not the key", stale[0], stale[1]))
    assert pf.holding(_frame(["ZZZ1", "XC7K325T"]))["row"].to_list() == [1]


def test_without_hyperscan_polars_does_the_job(monkeypatch):
    monkeypatch.setattr(part_filter, "hyperscan", None)
    pf = PartFilter([r"\bXC7K\d{3}T\b", r"\bСу-(?:27|30)\b"])
    frame = _frame(["fpga XC7K325T", "Су-27 parts", None, "nothing"])
    assert pf.holding(frame)["row"].to_list() == [0, 1]
    assert pf._db is None and len(pf._everywhere) == 2


@needs_hyperscan
def test_the_candidates_of_a_part_string_hold_every_pattern_that_fits_it(screener):
    """Owners are found among the candidates only: they must include every pattern that fits the string."""
    index = screener.index
    strings = set(_parts(_frame(_texts(screener)), index)["matched"]) | {"XC7K325T\x1c", "ШХ15", "bearing 6204"}
    assert len(strings) > 100
    narrowed = 0
    candidates = index.part_filter.candidates(sorted(strings))
    assert candidates.keys() == strings
    for s in strings:
        fits = [i for i, p in enumerate(index.parts) if p.regex.fullmatch(s)]
        which = candidates[s]
        assert which == index.part_filter.candidates([s])[s] or set(which) >= set(index.part_filter.candidates([s])[s])
        if which is not None:
            narrowed += 1
            assert set(fits) <= set(which), s
            assert len(which) < 30, s
    assert narrowed > 0.9 * len(strings)


@needs_hyperscan
def test_a_non_ascii_pattern_is_checked_by_polars_on_non_ascii_texts(screener, monkeypatch):
    """On a text with a non-ASCII character the two engines' Unicode classes may differ: polars decides
    there too. (A database that misses everything shows it: such texts are still found.)"""
    pf = PartFilter([r"\bXC7K\d{3}T\b", r"\bСу-(?:27|30)\b"])
    pf._prepare()
    monkeypatch.setattr(pf, "_scan", lambda texts: pl.repeat(False, len(texts), eager=True))
    frame = _frame(["fpga XC7K325T", "запчасти Су-27", "Su-27 parts", None])
    assert pf.holding(frame)["row"].to_list() == [1]
