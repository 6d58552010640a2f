"""Part-number patterns are checked when the lexicon is read from files, and trusted from the store."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from screener.lexicon.model import FROM_STORE, PartPattern


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
