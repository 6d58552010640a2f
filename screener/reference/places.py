"""Countries, regions and their groups (sanctioned, transshipment hubs), from places.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from screener.errors import ScreenerError
from screener.safe_yaml import load_yaml


class Group(BaseModel):
    """A group of places (sanctioned, transshipment_hub …) with its source."""

    model_config = ConfigDict(extra="allow", frozen=True)
    title: str
    source: str = ""
    members: list[str]


class Place(BaseModel):
    """A country or region: its code and every name, adjective and city it is named by."""

    model_config = ConfigDict(extra="allow", frozen=True)
    code: str
    name: str
    names: list[str] = []
    adjectives: list[str] = []
    cities: list[str] = []
    i18n: dict[str, list[str]] = {}
    ambiguous: list[str] = []

    def all_names(self) -> list[tuple[str, str]]:
        """(name, lang) pairs to search for in text."""
        out = [(n, "en") for n in [self.name, *self.names, *self.adjectives, *self.cities]]
        for lang, words in sorted(self.i18n.items()):
            out += [(w, lang) for w in words]
        return out


class Places(BaseModel):
    """Every place and group of places.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    groups: dict[str, Group]
    places: list[Place]

    def groups_of(self) -> dict[str, list[str]]:
        """Place code -> the groups it belongs to."""
        out: dict[str, list[str]] = {}
        for gid, group in self.groups.items():
            for code in group.members:
                out.setdefault(code, []).append(gid)
        return out

    def by_code(self) -> dict[str, Place]:
        """Place code -> place."""
        return {p.code: p for p in self.places}


OVERLAY_DIR = "i18n"  # beside places.yaml: names in other languages, place code -> names


def _overlay_names(path: Path, out_ambiguous: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """{code: {lang: names}} of one overlay file: `language` + `places` {code: [names]} (hand-written), or
    `places` {code: {lang: [names]}} (derived from countrynames)."""
    doc = load_yaml(path.read_text(encoding="utf-8"), aliases=True)
    if not isinstance(doc, dict) or not isinstance(doc.get("places"), dict):
        raise ScreenerError(f"{path}: expected a mapping with a 'places' mapping")
    for code, names in (doc.get("ambiguous") or {}).items():  # names that count only when capitalised
        out_ambiguous.setdefault(str(code), []).extend(str(n) for n in names)
    lang = doc.get("language")
    out: dict[str, dict[str, list[str]]] = {}
    for code, names in doc["places"].items():
        by_lang = {lang: names} if lang else names
        if not isinstance(by_lang, dict) or not all(
                isinstance(v, list) and all(isinstance(n, str) for n in v) for v in by_lang.values()):
            raise ScreenerError(f"{path}: {code}: names must be a list of strings")
        out[str(code)] = {str(k): list(v) for k, v in by_lang.items()}
    return out


def merge_overlays(doc: dict, folder: Path) -> dict:
    """places.yaml's document with the names of every overlay file of `folder` added to each place's i18n;
    a code no place has is an error naming it."""
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        return doc
    places = {p.get("code"): p for p in doc.get("places", []) if isinstance(p, dict)}
    for path in files:
        ambiguous: dict[str, list[str]] = {}
        for code, by_lang in _overlay_names(path, ambiguous).items():
            if code not in places:
                raise ScreenerError(f"{path}: unknown place code {code!r}")
            i18n = places[code].setdefault("i18n", {})
            for lang, names in by_lang.items():
                i18n[lang] = list(dict.fromkeys(list(i18n.get(lang, [])) + names))
        for code, names in ambiguous.items():
            if code not in places:
                raise ScreenerError(f"{path}: unknown place code {code!r}")
            places[code]["ambiguous"] = list(dict.fromkeys(list(places[code].get("ambiguous", [])) + names))
    return doc


def load_places(path: Path) -> Places:
    """Load and validate places.yaml and the name overlays of its i18n/ folder (one-line error on failure)."""
    try:
        doc = load_yaml(Path(path).read_text(encoding="utf-8"), aliases=True)
        if isinstance(doc, dict):
            doc = merge_overlays(doc, Path(path).parent / OVERLAY_DIR)
        return Places.model_validate(doc)
    except (OSError, yaml.YAMLError) as exc:
        raise ScreenerError(f"{path}: cannot read places: {str(exc).splitlines()[0]}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ScreenerError(f"{path}: {loc}: {first['msg']} ({exc.error_count()} problem(s))") from exc
