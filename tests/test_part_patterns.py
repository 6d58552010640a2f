"""Part-number patterns are checked when the lexicon is read from files, and trusted from the store."""

from __future__ import annotations

import polars as pl
import pytest
from pydantic import ValidationError

from screener.lexicon.model import FROM_STORE, PartPattern
from screener.match.part_filter import alternation
from screener.match.pipeline import _parts


@pytest.mark.parametrize("regex, message", [
    (r"\bXC7(", "does not compile"),
    (r"\bXC7(?=A)", "lookaround"),
    (r"\bXC7A\d+", "does not match its examples"),
])
def test_a_bad_pattern_is_refused_from_a_file(regex, message):
    with pytest.raises(ValidationError, match=message):
        PartPattern(name="fpga", regex=regex, examples=["XC7K325T"])


def test_the_store_skips_the_costly_checks_only():
    data = '{"name": "fpga", "regex": "\\\\bXC7A\\\\d+", "examples": ["XC7K325T"]}'
    with pytest.raises(ValidationError):
        PartPattern.model_validate_json(data)
    assert PartPattern.model_validate_json(data, context=FROM_STORE).regex == r"\bXC7A\d+"
    with pytest.raises(ValidationError):  # the schema itself still holds
        PartPattern.model_validate_json('{"name": "x", "regex": "a", "examples": []}', context=FROM_STORE)


def _one_regex_parts(texts: pl.DataFrame, index) -> set[tuple]:
    """Part hits as a single alternation of every pattern finds them (the reference the grouped extraction keeps)."""
    sources = [p.source for p in index.parts]
    found = pl.concat([texts.select("row", matched=pl.col("text").str.extract_all(alternation(rxs))).explode("matched")
                       .drop_nulls() for rxs in ([s for s in sources if s.isascii()], [s for s in sources if not s.isascii()])])
    return {(row, p.entry_id, s) for row, s in found.iter_rows() for p in index.parts if p.regex.fullmatch(s)}


def test_grouped_extraction_loses_nothing_one_regex_finds(screener):
    """Every pattern's examples, alone and run together in pairs: the grouped extraction finds what one
    alternation of all patterns finds, or a longer part number at the same place (9M723-1 for 9M723)."""
    examples = [x for e in screener.reference.entries.values() for p in e.patterns for x in p.examples]
    texts = examples + [f"500 pcs {x}, new, for {y}" for x, y in zip(examples, reversed(examples))]
    frame = pl.DataFrame({"row": range(len(texts)), "text": texts}, schema={"row": pl.UInt32, "text": pl.String})
    index = screener.index
    assert len(index.part_groups) > 2  # the grouping is in play
    grouped = {(r["row"], r["ref"], r["matched"]) for r in _parts(frame, index).iter_rows(named=True)}
    one = _one_regex_parts(frame, index)
    assert len(one) > len(examples)
    lost = {(row, ref, s) for row, ref, s in one - grouped
            if not any(g_row == row and s in g_s and s != g_s for g_row, _, g_s in grouped)}
    assert not lost, sorted(lost)[:10]


def test_a_part_number_inside_a_longer_one_is_not_a_part(screener):
    frame = pl.DataFrame({"row": [0], "text": ["an ACT1 FPGA, Part Number A40MX04-FPL84"]},
                         schema={"row": pl.UInt32, "text": pl.String})
    assert set(_parts(frame, screener.index)["matched"]) == {"A40MX04-FPL84"}
