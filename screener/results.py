"""The records of one screened text, shared by `screen`, `check`, the reports and the API.

Small frozen records, each with `to_dict()`: the JSON of `screen --format json` is exactly their dicts,
in field order. Offsets are characters of the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from operator import attrgetter
from typing import Any, Protocol

# the fields of a finding that a fired rule's evidence shows
GOODS_EVIDENCE = ("term", "canonical", "text", "start", "end", "matcher", "negated", "hypothetical")
COUNTED_GOODS = ("canonical", "text", "start", "end")
NET_EVIDENCE = ("term", "canonical", "text", "start", "end", "matcher", "similarity", "hs")
CODE_EVIDENCE = ("code", "origin", "controls", "evidence")


_SCALARS = (str, int, float, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)  # exact types: a set lookup, before any call (a long text's JSON has millions)


def _plain(value: Any) -> Any:
    if type(value) in _SCALAR_TYPES or isinstance(value, _SCALARS):
        return value
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _SCALAR_TYPES else _plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class _Record:
    """`to_dict()`: the fields in order, nested records and tuples as JSON-ready dicts and lists; `shallow()`:
    the fields in order as they are, for orjson to encode (`json_default`)."""

    __slots__ = ()

    def shallow(self) -> dict:
        """The fields in order, values as they are (nested records, tuples)."""
        names, values = _field_getter(type(self))
        return dict(zip(names, values(self)))

    def to_dict(self) -> dict:
        out = {}
        for name in _field_names(type(self)):
            value = getattr(self, name)
            out[name] = value if type(value) in _SCALAR_TYPES else _plain(value)
        return out


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def _field_getter(cls: type) -> tuple[tuple[str, ...], Any]:
    names = _field_names(cls)
    get = attrgetter(*names)
    return names, (get if len(names) > 1 else lambda record: (get(record),))


def json_default(value: Any) -> Any:
    """orjson's hook for the records (with `OPT_PASSTHROUGH_DATACLASS`): each record's fields as they are, or
    its own dict; orjson encodes the nested records, tuples and scalars itself. The bytes are those of
    `orjson.dumps(record.to_dict())`, without building the nested dicts first (a long text's JSON holds
    hundreds of thousands of records: 5 s of `to_dict` per 2 MB of text)."""
    shallow = getattr(value, "shallow", None)
    if shallow is not None:
        return shallow()
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:
        return to_dict()
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


@dataclass(frozen=True, slots=True)
class GoodsMention(_Record):
    """A lexicon entry found in the text: the term, the span that proves it, and how it was found."""

    term: str
    canonical: str
    category: str
    start: int
    end: int
    text: str
    matcher: str               # exact | fuzzy | pattern | nomenclature (the second net: term is the description)
    similarity: float | None
    hs: tuple[str, ...]
    entry_id: str
    negated: bool
    hypothetical: bool
    strength: str


@dataclass(frozen=True, slots=True)
class Control(_Record):
    """A control-list entry that covers an HS code."""

    list: str
    entry: str
    tier: str | None
    partial: bool
    direction: str | None = None    # export (to the list's countries) | import (from them)
    threshold: str | None = None    # the value per item above which the entry applies ("above EUR 300 per item")


@dataclass(frozen=True, slots=True)
class CodeSpan(_Record):
    """Where a code was declared in the text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GoodsSpan(_Record):
    """A goods mention that implies a code."""

    entry_id: str
    term: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class HsCode(_Record):
    """An HS code of the text, declared or inferred from its goods, with the list entries that name it."""

    code: str
    description: str
    origin: str                # declared | inferred
    controls: tuple[Control, ...]
    evidence: tuple[CodeSpan | GoodsSpan, ...]


@dataclass(frozen=True, slots=True)
class Place(_Record):
    """A country or place named in the text, with its risk groups and its role: destination, origin,
    transit or mentioned (which way the goods move, from the words around it)."""

    code: str
    name: str
    groups: tuple[str, ...]
    start: int
    end: int
    text: str
    role: str


@dataclass(frozen=True, slots=True)
class Phrase(_Record):
    """A rule phrase found in the text."""

    phrase: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Value(_Record):
    """A value per item stated in the text ("EUR 1,200 each"), in a currency the rules compare."""

    text: str
    start: int
    end: int
    amount: float


class PartyHit(Protocol):
    """A listed party found in the text (screener.parties' match record)."""

    @property
    def ref(self) -> str:
        """The list and entry of the match (`LIST:ID`)."""

    def to_dict(self) -> dict:
        """The match as JSON."""


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything found in one text: what a predicate's evidence is chosen from."""

    goods: tuple[GoodsMention, ...]
    codes: tuple[HsCode, ...]
    places: tuple[Place, ...]
    phrases: tuple[Phrase, ...]
    parties: tuple[PartyHit, ...]
    values: tuple[Value, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """One finding that made a predicate of a fired rule true, as the rule shows it: the finding's `fields`
    (all when None) and, for an HS code, the list entries the predicate asked about."""

    kind: str                  # goods | hs_code | country | phrase | party | value
    finding: Any
    fields: tuple[str, ...] | None = None
    controls: tuple[Control, ...] | None = None

    def to_dict(self) -> dict:
        """The evidence as JSON: its kind, the finding's fields, the list entries asked about."""
        return {k: _plain(v) for k, v in self.shallow().items()}

    def shallow(self) -> dict:
        """Its kind, the finding's fields shown and the list entries asked about, values as they are."""
        shallow = getattr(self.finding, "shallow", None)
        out = shallow() if shallow is not None else self.finding.to_dict()
        if self.fields is not None:
            out = {k: out[k] for k in self.fields}
        if self.controls is not None:
            out["controls"] = self.controls
        return {"kind": self.kind, **out}


@dataclass(frozen=True, slots=True)
class FiredRule(_Record):
    """A rule that fired, with its message and the evidence of each predicate that decided it."""

    id: str
    title: str
    severity: str
    weight: float
    family: str
    message: str
    references: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Screening(_Record):
    """One text screened in full: the verdict, every finding with its span, every rule with its evidence."""

    score: int | None
    band: str | None
    goods: tuple[GoodsMention, ...]
    hs_codes: tuple[HsCode, ...]
    countries: tuple[Place, ...]
    parties: tuple[PartyHit, ...]
    phrases: tuple[Phrase, ...]
    rules: tuple[FiredRule, ...]
    score_parts: dict[str, float]
    code_issues: tuple[dict, ...]
    hs_candidates: tuple[dict, ...]
    versions: dict[str, str]
    values: tuple[Value, ...] = ()
    review: tuple[PartyHit, ...] = ()  # possible listed parties a person must look at (not matches)
    dropped: tuple[dict, ...] = ()   # goods mentions context dropped: term, canonical, start, end, text, reason
    held_back: tuple[dict, ...] = ()  # rules a named guard condition kept from firing: rule, condition
    language: str = "und"          # the text's language (screener.text.language), ISO 639-1
    coverage: str = "unknown"      # full | partial | none: how much of the lexicon is in that language
