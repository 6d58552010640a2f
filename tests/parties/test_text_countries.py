"""The country a word of running text names: read from countrynames' table, as `countrynames.to_code` reads it
(which scans every code first, ~0.7 ms a call, and was half the cost of reading parties in messy text)."""

from __future__ import annotations

import random

import countrynames
import pytest
from countrynames.data import DATA

from screener.parties.text import _country

TRADE_WORDS = ("Bearings Moscow Almaty Consignee Shipment Turkey Georgia Jordan Chad Niger Guinea Hong Kong United "
               "Arab Emirates Straße Côte d'Ivoire Deutschland Россия Беларусь Suomi Rossiya Iran Islamic Republic "
               "Korea South North Congo Democratic Czech Republic Viet Nam Türkiye FPGA XC7A100T Total Order").split()


def _names() -> list[str]:
    """Every name countrynames lists, a seeded sample of them in upper and lower case, and trade words."""
    names = [n for alias in DATA.values() for n in alias]
    rng = random.Random(7)
    sample = rng.sample(names, 400)
    return names + [n.upper() for n in sample] + [n.lower() for n in sample] + TRADE_WORDS


def test_every_name_gets_the_code_countrynames_gives():
    for name in _names():
        expected = countrynames.to_code(name, fuzzy=False) if len(name) >= 4 else None
        assert _country(name) == (None if expected == "FAIL" else expected), name


@pytest.mark.parametrize("word", ["Bearings", "Consignee", "Total", "Order", "XC7A100T"])
def test_ordinary_words_name_no_country(word):
    assert _country(word) is None
