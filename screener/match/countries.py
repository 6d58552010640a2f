"""Countries in structured columns: free-form values ("Russian Federation", "RUS", "Kirgizstan") to codes.

Names come from the maintained `countrynames` library, with our places.yaml (regions, cities,
adjectives) consulted first so that "Crimea" is UA-43, not Ukraine.
"""

from __future__ import annotations

import countrynames
import polars as pl

from screener.reference.places import Places
from screener.text.normalize import normalize_term


def _place_lookup(places: Places) -> dict[str, str]:
    out: dict[str, str] = {}
    for place in places.places:
        out.setdefault(normalize_term(place.code), place.code)
        for name, _ in place.all_names():
            out.setdefault(normalize_term(name), place.code)
    return out


def code_for_value(value: str, lookup: dict[str, str]) -> list[str]:
    """Codes for one cell; a cell may hold several values separated by ; or /."""
    codes = []
    for part in value.replace("/", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        code = lookup.get(normalize_term(part)) or countrynames.to_code(part, fuzzy=False)
        if code:
            codes.append(code)
    return list(dict.fromkeys(codes))


def codes_for_values(values: pl.Series, places: Places) -> list[list[str]]:
    """Codes for each cell of a column, looking up each distinct value once."""
    lookup = _place_lookup(places)
    uniq = {v: code_for_value(v, lookup) for v in values.drop_nulls().unique().to_list()}
    return [uniq.get(v, []) if v is not None else [] for v in values.to_list()]
