"""A listed party found in a name or a text: the record `screen`, `batch` and the reports share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class PartyMatch:
    """One matched list entry, with the evidence for it."""

    list: str
    entity_id: str
    name: str  # listed primary name
    alias: str  # the alias that matched
    alias_strength: str  # strong | weak
    score: float
    threshold: float
    tokens: tuple[str, ...]  # normalised tokens that agreed (query form → list form when they differ)
    start: int | None = None  # char offsets in the original text (find_in_text) or None (names)
    end: int | None = None
    matched_text: str = ""
    programs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    schema: str = ""
    method: str = "fuzzy"  # exact | fuzzy
    tier: str = "match"  # match | review
    extra: tuple[str, ...] = ()  # query tokens with no counterpart in the alias
    features: tuple[tuple[str, float], ...] = ()  # (feature, what it added or took away from the score)
    held_by: str = ""  # review only: the feature (or `score_below_threshold`) that kept it from a match

    def __reduce__(self):
        """Pickled as its fields, in order (faster than dataclasses' `__setstate__`)."""
        return PartyMatch, tuple(getattr(self, f) for f in PartyMatch.__slots__)

    @property
    def ref(self) -> str:
        """`LIST:ID` as used in output columns."""
        return f"{self.list}:{self.entity_id}"

    def to_dict(self) -> dict:
        """JSON-ready dict (for `screen --format json`)."""
        return {"ref": self.ref, "list": self.list, "entity_id": self.entity_id, "name": self.name,
                "alias": self.alias, "alias_strength": self.alias_strength, "score": round(self.score, 4),
                "threshold": self.threshold, "tokens": list(self.tokens), "start": self.start, "end": self.end,
                "matched_text": self.matched_text, "programs": list(self.programs),
                "countries": list(self.countries), "schema": self.schema, "method": self.method,
                "tier": self.tier, "extra_tokens": list(self.extra),
                "features": {k: round(v, 4) for k, v in self.features}, "held_by": self.held_by}
