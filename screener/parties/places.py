"""Where a party is, written after its name: `Testovy Zavod, Moscow`, `... OOO, Saint Petersburg, Russia`,
`... JSC (Russia)`. The place is not part of the name (it would count as words of the query's own) but says the
party's country, which the country feature reads.
"""

from __future__ import annotations

import re
from functools import lru_cache

import countrynames

from screener.parties.normalize import word_token
from screener.reference.paths import reference_dir
from screener.reference.places import load_places

TAIL = re.compile(r"(?:,\s*([^,()]+?)|\(\s*([^()]+?)\s*\))[\s.;]*$")  # `, Moscow` or `(Russia)` at the end


@lru_cache(maxsize=1)
def _place_codes() -> dict[str, str]:
    """Folded country, city and region name (places.yaml, every language it gives) → ISO-2 code; names that
    belong to two countries are left out."""
    out: dict[str, str] = {}
    clash: set[str] = set()
    for place in load_places(reference_dir() / "countries" / "places.yaml").places:
        if len(place.code) != 2:
            continue
        for name, _ in place.all_names():
            key = _key(name)
            if key and out.setdefault(key, place.code) != place.code:
                clash.add(key)
    return {k: v for k, v in out.items() if k not in clash}


def _key(words: str) -> str:
    """A place name folded as party names are (`St. Petersburg` → `st petersburg`)."""
    return " ".join(t for t in (word_token(w) for w in re.split(r"[\s.\-]+", words)) if t)


@lru_cache(maxsize=100_000)
def place_code(words: str) -> str | None:
    """ISO-2 code of a country, city or region name, else None."""
    key = _key(words)
    if not key or key.isdigit():
        return None
    code = _place_codes().get(key)
    if code is None and len(key) >= 4:
        code = country_names().get(key)
    return code if code != "FAIL" else None


_COUNTRY_NAMES: dict[str, str] = {}


def country_names() -> dict[str, str]:
    """countrynames' table of normalised country name → code, read directly: `to_code` transliterates with ICU
    and scans every code first, ~1 ms a call, paid for every comma in a column of names. Loading the table
    normalises its 27,000 names (~1.3 s); the party index cache keeps a copy (`preload_country_names`)."""
    if not _COUNTRY_NAMES:
        countrynames.to_code("DE")  # loads the table
        _COUNTRY_NAMES.update(countrynames.COUNTRY_NAMES)
    return _COUNTRY_NAMES


def preload_country_names(table: dict[str, str]) -> None:
    """Use `table`, countrynames' own table as saved earlier under the same countrynames version."""
    if not _COUNTRY_NAMES:
        _COUNTRY_NAMES.update(table)


@lru_cache(maxsize=100_000)
def split_place(name: str) -> tuple[str, str | None]:
    """`name` without the places written after it (after a comma or in brackets), and the country they name
    (the last one written wins: `Moscow, Russia` → RU). A name with no such tail comes back as it is."""
    country = None
    rest = name
    while (m := TAIL.search(rest)) and m.start() > 0:
        code = place_code(m.group(1) or m.group(2))
        if code is None:
            break
        country = country or code
        rest = rest[:m.start()].rstrip()
    return (rest, country) if rest.strip() else (name, None)
