"""The goods lexicon's schema: one validated record per entry (see docs/CONTRIBUTING-DATA.md)."""

from __future__ import annotations

import re
from typing import Literal

import polars as pl

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

CATEGORIES = (
    "microelectronics", "passive_components", "discrete_semiconductors", "connectors", "bearings",
    "machine_tools", "navigation", "optics", "test_equipment", "semiconductor_equipment", "uav", "telecom",
    "computing", "aerospace", "energetics", "munitions", "chemicals", "materials", "nuclear", "vehicles",
    "industrial", "luxury", "dual_use_generic", "vague",
    # goods the sanctions ban for other reasons than military use, on the EU and US goods lists: everyday goods
    # banned for export above a value per item or for import (consumer_goods), and bulk and primary goods
    # banned for import (commodities). No dual-use rule reads them; the list rules read the list tags.
    "consumer_goods", "commodities",
)
Category = Literal[CATEGORIES]  # type: ignore[valid-type]

# Languages whose words inflect at the end: their terms match as word prefixes.
PREFIX_LANGS = frozenset({"ru", "uk", "be", "bg", "sr", "de", "pl", "cs", "sk", "nl", "sv", "fi", "hu", "tr", "kk"})
# Languages written without spaces between words: their terms match as substrings.
SUBSTRING_LANGS = frozenset({"zh", "ja", "ko"})
MAX_REGEX_LEN = 300
LABEL_SEPARATOR = ";"  # joins the labels of a row's goods in batch output: a label must not hold it
# Validation context for entries read back from the store: they passed every check when it was
# built, so the costly ones (compiling each regex for the batch engine, running its examples) are
# skipped; this halves the time a worker process takes to start.
FROM_STORE = {"from_store": True}


def _from_store(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("from_store"))


class PartPattern(BaseModel):
    """A part-number or designation regex, case-sensitive, run on the original text."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    regex: str = Field(max_length=MAX_REGEX_LEN)
    examples: list[str] = Field(min_length=1)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str, info: ValidationInfo) -> str:
        if _from_store(info):
            return value
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from exc
        if "(?P<" in value:
            raise ValueError("named groups are not allowed (patterns are combined into one regex)")
        if any(x in value for x in ("(?=", "(?!", "(?<=", "(?<!")) or re.search(r"\\[1-9]", value):
            raise ValueError("lookaround and backreferences are not allowed (the batch matcher runs patterns "
                             "with Rust's regex engine); use \\b or a character class instead")
        try:
            pl.select(pl.lit("").str.contains(value))
        except pl.exceptions.PolarsError as exc:
            raise ValueError(f"regex is not valid for the batch engine: {str(exc).splitlines()[-1][:120]}") from exc
        return value

    @model_validator(mode="after")
    def _examples_match(self, info: ValidationInfo) -> "PartPattern":
        if _from_store(info):
            return self
        compiled = re.compile(self.regex)
        missing = [ex for ex in self.examples if not compiled.search(ex)]
        if missing:
            raise ValueError(f"pattern {self.name!r} does not match its examples {missing}")
        return self


class FalseFriend(BaseModel):
    """A text that must not match the entry, with the reason why."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str
    why: str = Field(min_length=2)


class LexiconEntry(BaseModel):
    """One kind of goods: its names in several languages, its HS-6 codes and what it is not."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_\-]+)+$")
    label: str
    category: Category
    hs6: list[str] = []
    strong: list[str] = []
    weak: list[str] = []
    context: list[str] = []
    i18n: dict[str, list[str]] = {}
    patterns: list[PartPattern] = []
    false_friends: list[FalseFriend] = []
    sources: list[str] = []
    note: str = ""

    @field_validator("label")
    @classmethod
    def _label_joinable(cls, label: str) -> str:
        if not label.strip():
            raise ValueError("label is empty")
        if LABEL_SEPARATOR in label:
            raise ValueError(f"label must not contain {LABEL_SEPARATOR!r}: it separates the labels of the goods "
                             f"output column (write ',' instead): {label!r}")
        return label

    @field_validator("hs6")
    @classmethod
    def _six_digits(cls, codes: list[str]) -> list[str]:
        bad = [c for c in codes if not (isinstance(c, str) and len(c) == 6 and c.isdigit())]
        if bad:
            raise ValueError(f"hs6 codes must be 6-digit strings, got {bad}")
        return codes

    @model_validator(mode="after")
    def _has_terms(self) -> "LexiconEntry":
        if not (self.strong or self.weak or self.i18n or self.patterns):
            raise ValueError("entry has no strong, weak, i18n terms or patterns")
        if self.weak and not self.context:
            raise ValueError("weak terms need context words")
        return self
