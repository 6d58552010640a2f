"""Stated values per item (screener.match.values): which words tie a value to one item."""

from __future__ import annotations

import polars as pl
import pytest

from screener.match.values import find_values


def _amounts(text: str) -> list[float]:
    return find_values(pl.DataFrame({"row": [0], "text": [text]}))["amount"].to_list()


@pytest.mark.parametrize("text, amount", [
    ("Leather handbags, 40 pcs, EUR 1,200 each", 1200.0),
    ("Golfschläger-Sets, 40 Stück, je 1.200 EUR", 1200.0),        # German "je" (per piece) before the value
    ("Наручные часы, по 500 евро", 500.0),                         # Russian "по" before the value
    ("Leather handbags, unit price EUR 120", 120.0),
])
def test_a_value_tied_to_one_item_is_read(text, amount):
    assert _amounts(text) == [amount]


@pytest.mark.parametrize("text", ["Invoice value EUR 48,000 for 40 handbags", "Projekt 1.200 EUR gesamt"])
def test_a_total_is_not_a_value_per_item(text):
    assert _amounts(text) == []
