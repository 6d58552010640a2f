"""`screen --format json` encodes the records with orjson's hook (`results.json_default`) instead of building
every nested dict first: the bytes must be exactly those of the records' `to_dict()`."""

from __future__ import annotations

import orjson
import pytest

from screener.results import json_default
from screener.screen import screen

OPTIONS = orjson.OPT_INDENT_2


def _both(result) -> tuple[bytes, bytes]:
    by_dicts = orjson.dumps(result.to_dict(), option=OPTIONS)
    by_hook = orjson.dumps(result, default=json_default, option=OPTIONS | orjson.OPT_PASSTHROUGH_DATACLASS)
    return by_dicts, by_hook


@pytest.mark.parametrize("text", [
    "Deep groove ball bearings SKF 6308, 1609 pcs, HS 8482.10, consignee in Moscow, Russia",  # goods, codes, places
    "Hermes handbags, 12 pcs at EUR 1,200 each, shipped to Minsk",                         # values, luxury
    "The invoice does not contain integrated circuits; nitrocellulose lacquer base",         # negated, dropped
    "Kalashnikov Concern ordered paper notebooks, HS 4820.20 declared as 8542.31",           # names, code issues
    "",
])
def test_the_hook_gives_the_bytes_of_to_dict(screener, text):
    by_dicts, by_hook = _both(screen(screener, text))
    assert by_hook == by_dicts


def test_party_records_keep_their_own_shape(party_screener):
    result = screen(party_screener, "Ball bearings to TESTOVY ZAVOD JSC, Moscow")
    assert result.parties, "the fixture list's party is found"
    by_dicts, by_hook = _both(result)
    assert by_hook == by_dicts
    assert b'"extra_tokens"' in by_hook  # the party record's to_dict, not its dataclass fields


def test_an_unknown_object_is_refused():
    with pytest.raises(TypeError, match="cannot encode object"):
        json_default(object())
