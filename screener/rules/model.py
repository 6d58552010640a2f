"""The schema of a rule file, validated with pydantic (unknown keys are errors)."""

from __future__ import annotations

import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Severity = Literal["info", "low", "medium", "high", "critical"]
Family = Literal["goods", "destination", "route", "party", "paperwork", "article", "combination"]
PLACEHOLDERS = frozenset({"term", "terms", "hs6", "tier", "list", "lists", "country", "countries", "phrase",
                          "code", "party", "category"})


class Examples(BaseModel):
    """Texts the rule must fire on, and texts it must stay silent on."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    fire: list[str] = []
    silent: list[str] = Field(min_length=1)
    todo: list[str] = []    # texts that should fire but need data the bundled store lacks (e.g. a sanctions list)

    @model_validator(mode="after")
    def _some_fire(self) -> "Examples":
        """A rule needs a text it fires on; one that only fires with imported data says so under `todo`."""
        if not self.fire and not self.todo:
            raise ValueError("give at least one `fire` example (or, when it needs imported data, a `todo` one)")
        return self


class Rule(BaseModel):
    """One red flag: a condition over named predicates, a weight, a message and its own examples."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str = Field(min_length=3)
    severity: Severity
    weight: float = Field(ge=0, le=100)
    family: Family = "goods"
    aliases: list[str] = []
    references: list[str] = []
    tags: list[str] = []
    enabled: bool = True
    when: dict[str, Any]
    message: str = Field(min_length=3)
    examples: Examples

    @field_validator("message")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        """Named fields only: no format specs or conversions ({term:>999999999} would build a huge string)."""
        try:
            fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(value) if name is not None]
        except ValueError as exc:
            raise ValueError(f"not a valid message template: {exc}") from exc
        if any(spec or conv for _, spec, conv in fields):
            raise ValueError("placeholders take no format spec or conversion: write {term}, not {term:>9} or {term!r}")
        names = {name for name, _, _ in fields}
        unknown = names - PLACEHOLDERS
        if unknown:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; allowed: {sorted(PLACEHOLDERS)}")
        return value
