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


def load_places(path: Path) -> Places:
    """Load and validate places.yaml (one-line error on failure)."""
    try:
        doc = load_yaml(Path(path).read_text(encoding="utf-8"), aliases=True)
        return Places.model_validate(doc)
    except (OSError, yaml.YAMLError) as exc:
        raise ScreenerError(f"{path}: cannot read places: {str(exc).splitlines()[0]}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise ScreenerError(f"{path}: {loc}: {first['msg']} ({exc.error_count()} problem(s))") from exc
