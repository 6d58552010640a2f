"""Suppressions: a reviewed allow-list file. Each entry names what it accepts, why, who approved it, until when.

An entry accepts one of:
- `rule` + `fingerprint`: that rule on that text (fingerprint = sha256 of rule id and normalised text, printed
  by every `screener check` report; a prefix of at least 16 hex digits is enough). `rule: "*"` accepts any rule
  on that text fingerprint (`text_fingerprint`).
- `list_entry` (`LIST:ENTRY`, e.g. `CHPL:854231`) + `entry_hash`: rules whose only list evidence is that entry.
  The hash is of the entry's content; when the list changes the entry (tier, code, description) it no longer
  matches and the finding alerts again.
- `party` (`LIST:ID`): party rules on rows whose matched parties are all accepted.

Every entry needs `reason`, `approved_by` and `expires` (a date). An expired entry or a changed list entry does
not apply: the finding is reported as new, with a note saying why. There is no cap on the number of entries:
lookups are dictionary look-ups.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from screener.errors import ScreenerError
from screener.safe_yaml import load_yaml
from screener.text.normalize import normalize_term

HEX = r"^[0-9a-f]{16,64}$"
# The safe loader (no Python objects), in its C build when PyYAML has one: allow-lists can be long.


class SuppressionError(ScreenerError):
    """A suppression file that cannot be read or does not validate (exit 2)."""


def text_key(text: str) -> str:
    """The normalised form fingerprints are computed from (case, punctuation and spacing do not matter)."""
    return normalize_term(text or "")


def fingerprint(rule_id: str, text: str, key: str | None = None) -> str:
    """Stable id of one rule on one text: sha256 of the rule id and the normalised text (no line numbers).
    `key`: the text's `text_key`, when already computed (a row with several rules)."""
    return hashlib.sha256(f"{rule_id}\0{text_key(text) if key is None else key}".encode("utf-8")).hexdigest()


def text_fingerprint(text: str, key: str | None = None) -> str:
    """Stable id of a text alone (for `rule: "*"` entries)."""
    return fingerprint("*", text, key)


def entry_hashes(list_entries: pl.DataFrame) -> dict[str, str]:
    """`LIST:ENTRY` → sha256 of that entry's rows (codes, tier, flags, description), order-independent."""
    cols = [c for c in ("list", "entry", "code", "level", "ex", "tier", "description") if c in list_entries.columns]
    out: dict[str, list[str]] = {}
    for row in list_entries.select(cols).iter_rows(named=True):
        out.setdefault(f"{row['list']}:{row['entry']}", []).append(
            "\x1f".join("" if row[c] is None else str(row[c]) for c in cols))
    return {k: hashlib.sha256("\x1e".join(sorted(v)).encode("utf-8")).hexdigest() for k, v in out.items()}


class Suppression(BaseModel):
    """One reviewed allow-list entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    rule: str | None = None
    fingerprint: str | None = Field(default=None, pattern=HEX)
    list_entry: str | None = Field(default=None, pattern=r"^[^:\s]+:\S+$")
    entry_hash: str | None = Field(default=None, pattern=HEX)
    party: str | None = Field(default=None, pattern=r"^[^:\s]+:\S+$")
    reason: str = Field(min_length=3)
    approved_by: str = Field(min_length=2)
    expires: dt.date
    note: str = ""

    @model_validator(mode="after")
    def _one_target(self) -> "Suppression":
        kinds = [k for k, ok in (("rule", self.rule or self.fingerprint),
                                 ("list_entry", self.list_entry or self.entry_hash), ("party", self.party)) if ok]
        if len(kinds) != 1:
            raise ValueError("name exactly one target: rule + fingerprint, list_entry + entry_hash, or party")
        if kinds == ["rule"] and not (self.rule and self.fingerprint):
            raise ValueError("a rule suppression needs both rule and fingerprint")
        if kinds == ["list_entry"] and not (self.list_entry and self.entry_hash):
            raise ValueError("a list suppression needs both list_entry and entry_hash")
        return self

    @property
    def label(self) -> str:
        """How the suppression is named in notes: rule@fingerprint, list entry or party."""
        if self.rule:
            return f"{self.rule}@{self.fingerprint[:12]}"
        return self.list_entry or self.party or "?"


@dataclass
class Verdict:
    """What the suppressions say about one fired rule: applied (with its entry), or a note why not."""

    applied: Suppression | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Suppressions:
    """The loaded file, indexed for O(1) look-ups, and today's date (injectable for tests)."""

    entries: list[Suppression]
    path: Path | None = None
    sha256: str | None = None
    today: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        self.by_prefix: dict[str, list[Suppression]] = {}
        self.by_list: dict[str, list[Suppression]] = {}
        self.by_party: dict[str, list[Suppression]] = {}
        for s in self.entries:
            if s.rule:
                self.by_prefix.setdefault(s.fingerprint[:16], []).append(s)
            elif s.list_entry:
                self.by_list.setdefault(s.list_entry, []).append(s)
            else:
                self.by_party.setdefault(s.party, []).append(s)

    @property
    def expired(self) -> list[Suppression]:
        """The suppressions past their expiry date (they no longer suppress)."""
        return [s for s in self.entries if s.expires < self.today]

    def _live(self, candidates: list[Suppression], what: str, notes: list[str]) -> Suppression | None:
        for s in candidates:
            if s.expires < self.today:
                notes.append(f"suppression {what} expired on {s.expires.isoformat()} (approved by {s.approved_by})")
                continue
            return s
        return None

    def verdict(self, rule_id: str, family: str, text: str, controls: list[str], parties: list[str],
                current_hashes: dict[str, str], key: str | None = None) -> Verdict:
        """Whether one fired rule on one text is suppressed; notes explain expired or changed entries."""
        v = Verdict()
        if not self.entries:
            return v
        fps = {"rule": fingerprint(rule_id, text, key), "*": text_fingerprint(text, key)}
        cands = [s for s in self.by_prefix.get(fps["rule"][:16], []) + self.by_prefix.get(fps["*"][:16], [])
                 if (s.rule == rule_id and fps["rule"].startswith(s.fingerprint))
                 or (s.rule == "*" and fps["*"].startswith(s.fingerprint))]
        v.applied = self._live(cands, f"for {rule_id}", v.notes)
        if v.applied:
            return v
        if controls:
            chosen = []
            for c in dict.fromkeys(controls):
                live = None
                for s in self.by_list.get(c, []):
                    if s.entry_hash and not current_hashes.get(c, "").startswith(s.entry_hash):
                        v.notes.append(f"list entry {c} changed since its suppression was approved "
                                       f"by {s.approved_by}: review it again")
                        continue
                    live = self._live([s], f"of list entry {c}", v.notes)
                    if live:
                        break
                if live is None:
                    chosen = []
                    break
                chosen.append(live)
            if chosen:
                v.applied = chosen[0]
                return v
        if family == "party" and parties:
            chosen = [self._live(self.by_party.get(p, []), f"of party {p}", v.notes) for p in dict.fromkeys(parties)]
            if all(chosen):
                v.applied = chosen[0]
        return v


def load_suppressions(path: Path | None, today: dt.date | None = None) -> Suppressions:
    """Read and validate a suppression file; every problem is reported at once, with its entry number."""
    if path is None:
        return Suppressions([], today=today or dt.date.today())
    path = Path(path)
    if not path.is_file():
        raise SuppressionError(f"{path}: no such suppression file")
    raw = path.read_bytes()
    try:
        doc = load_yaml(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SuppressionError(f"{path}: not valid YAML: {' '.join(str(exc).split())[:200]}") from exc
    if doc is None:
        doc = {"suppressions": []}
    if not isinstance(doc, dict) or set(doc) - {"suppressions"} or not isinstance(doc.get("suppressions", []), list):
        raise SuppressionError(f"{path}: expected a mapping with one key, `suppressions`, holding a list of entries")
    entries, problems = [], []
    for i, item in enumerate(doc.get("suppressions") or [], start=1):
        try:
            entries.append(Suppression.model_validate(item))
        except ValidationError as exc:
            problems += [f"entry {i}: {'.'.join(str(x) for x in e['loc']) or '(entry)'}: {e['msg']}"
                         for e in exc.errors()]
    if problems:
        raise SuppressionError(f"{path}: {len(problems)} suppression problem(s): " + "; ".join(problems))
    return Suppressions(entries, path.resolve(), hashlib.sha256(raw).hexdigest(), today or dt.date.today())
