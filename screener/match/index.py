"""Compile the reference data into one pattern index for the Aho-Corasick pass.

Every searchable thing — goods terms, context words, place names, blockers, negation cues, rule
phrases — becomes a padded pattern (see forms.py) with one or more refs saying what it means.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import polars as pl

from screener.match.automaton import PatternScanner
from screener.match.forms import english_forms, guess_lang, has_cjk, padded_forms
from screener.match.part_filter import PartFilter, alternation
from screener.text.normalize import normalize_term

if TYPE_CHECKING:  # (the store is built with this module's patterns: a runtime import would be circular)
    from screener.lexicon.model import LexiconEntry
    from screener.reference.lookup import Reference
    from screener.reference.places import Places

MIN_FUZZY_LEN = 5
ROLE_KINDS = ("role_before", "role_after")
REF_SCHEMA = {"pattern": pl.String, "kind": pl.String, "ref": pl.String, "strength": pl.String,
              "form": pl.String, "ambiguous": pl.Boolean}


@dataclass(frozen=True)
class PartPattern:
    entry_id: str
    name: str
    source: str

    @property
    def regex(self) -> re.Pattern:
        """Compiled on first use: a process that meets no part number never pays for 424 compiles (0.16 s)."""
        return _compiled(self.source)


@lru_cache(maxsize=None)
def _compiled(source: str) -> re.Pattern:
    return re.compile(source)


@dataclass
class MatchIndex:
    """What the matcher searches for, compiled once per reference version and rule set."""

    patterns: list[str]
    refs: pl.DataFrame
    parts: list[PartPattern]
    part_filter: PartFilter           # which texts hold a part number
    part_groups: list[str]            # the part patterns in small groups: extraction (see _part_groups)
    fuzzy_vocab: list[str]
    negation_window: int
    hypothetical_window: int
    role_windows: tuple[int, int]     # (before, after): how far a role cue reaches to a place
    version: str
    cased_patterns: list[str]         # capitalised forms of ambiguous place names
    categories: pl.DataFrame          # ref, category (lexicon entries)
    weak_context: pl.DataFrame        # ref (entry with weak terms), word (its context words)
    suppressors: pl.DataFrame         # sid, category, window

    foreign_prefixes: tuple[str, ...] = ()  # Latin-script words of non-English terms: typo repair leaves them alone
    other_words: frozenset[str] = frozenset()  # words of place, cue and phrase patterns ("tashkent"): not typos either
    known_words: frozenset[str] = frozenset()  # ordinary English (screener.text.english), read from the store
    part_owners: dict = field(default_factory=dict)  # part string -> [(entry, pattern)], filled as met

    @property
    def lexicon_words(self) -> frozenset[str]:
        return frozenset(self.fuzzy_vocab)

    @cached_property
    def scanner(self) -> PatternScanner:
        """Every pattern but the context words and role cues: what each text is scanned for."""
        return PatternScanner(self.refs.filter(~pl.col("kind").is_in(["context", *ROLE_KINDS])))

    @cached_property
    def role_scanner(self) -> PatternScanner:
        """Role cues ("to", "from", "via" …): looked for only in the texts that name a place."""
        return PatternScanner(self.refs.filter(pl.col("kind").is_in(ROLE_KINDS)))

    @cached_property
    def context_scanner(self) -> PatternScanner:
        """Context words: looked for only in the few texts whose weak terms need their support."""
        return PatternScanner(self.refs.filter(pl.col("kind") == "context"))


def _rows_for(text: str, lang: str, kind: str, ref: str, strength: str = "", ambiguous: bool = False,
              generated: bool = True) -> list[tuple]:
    norm = normalize_term(text)
    if not norm:
        return []
    if not generated and lang == "en" and not has_cjk(norm):
        return [(f" {norm} ", kind, ref, strength, norm, ambiguous)]
    return [(pattern, kind, ref, strength, form, ambiguous) for pattern, form in padded_forms(norm, lang)]


def _goods_rows(entries: dict[str, LexiconEntry]) -> list[tuple]:
    rows: list[tuple] = []
    base_owner: dict[str, str] = {}
    for entry in entries.values():
        for t in entry.strong + entry.weak:
            base_owner[f" {normalize_term(t)} "] = entry.id
    # a term as written belongs to its entry: a form generated from another entry's term (a plural, a clitic
    # form) that spells it exactly is left out ("tapis noué à la main" -> "tapis noués à la main")
    written: dict[str, str] = {}
    for entry in entries.values():
        for words in entry.i18n.values():
            for t in words:
                written.setdefault(normalize_term(t), entry.id)
    for entry in entries.values():
        terms = [(t, "en", "strong") for t in entry.strong] + [(t, "en", "weak") for t in entry.weak]
        terms += [(t, lang, "strong") for lang, words in sorted(entry.i18n.items()) for t in words]
        for text, lang, strength in terms:
            norm = normalize_term(text)
            for row in _rows_for(text, lang, "goods", entry.id, strength):
                bare = row[0].strip(" ")
                if base_owner.get(row[0], entry.id) == entry.id and (
                        bare == norm or written.get(bare, entry.id) == entry.id):
                    rows.append(row)
        for word in entry.context:  # ref = the word itself; weak_context says which entries it supports
            rows += _rows_for(word, guess_lang(word, "en"), "context", normalize_term(word))
    return rows


def _place_rows(places: Places) -> list[tuple]:
    rows: list[tuple] = []
    for place in places.places:
        ambiguous = {normalize_term(a) for a in place.ambiguous}
        for name, lang in place.all_names():
            norm = normalize_term(name)
            rows += _rows_for(name, lang, "country", place.code, ambiguous=norm in ambiguous, generated=False)
    return rows


def _context_rows(context: dict) -> list[tuple]:
    rows: list[tuple] = []
    for blocker in context.get("blockers", {}).get("blockers", []):
        phrase = str(blocker["phrase"])  # English blockers get plurals too ("nail guns")
        rows += _rows_for(phrase, guess_lang(phrase, "en" if phrase.isascii() else "xx"), "blocker", normalize_term(phrase))
    for group in context.get("suppressors", {}).get("suppressors", []):
        for word in group["words"]:
            rows += _rows_for(str(word), guess_lang(str(word), "xx"), "suppressor", group["id"])
    roles = context.get("roles", {})
    for side in ("before", "after"):  # (ref = the role; the kind says on which side of a place the cue stands)
        for role, words in (roles.get(side) or {}).items():
            for word in words:
                rows += _rows_for(str(word), "xx", f"role_{side}", role)
    cues = context.get("cues", {})
    for kind in ("negation", "hypothetical"):
        for cue in cues.get(kind, {}).get("cues", []):
            rows += _rows_for(str(cue), "xx", kind, normalize_term(str(cue)))
    for sign in cues.get("negation", {}).get("number_signs", []):
        for digit in "0123456789":  # " no 5…" (prefix pattern): a number sign, which cancels the cue
            rows.append((f" {normalize_term(str(sign))} {digit}", "number_sign", "", "", "", False))
    return rows


def _cased_patterns(refs: pl.DataFrame) -> list[str]:
    """" Georgia ", " GEORGIA ", " US " …: the forms in which an ambiguous name counts."""
    out = set()
    for pattern in refs.filter(pl.col("ambiguous"))["pattern"].unique().to_list():
        words = pattern.strip(" ").split(" ")
        for form in (" ".join(w[:1].upper() + w[1:] for w in words), " ".join(words).upper()):
            out.add(pattern.replace(pattern.strip(" "), form))
    return sorted(out)


def _phrase_rows(phrases: tuple[str, ...]) -> list[tuple]:
    rows: list[tuple] = []
    for phrase in phrases:
        rows += _rows_for(phrase, "xx", "phrase", normalize_term(phrase))
    return rows


def _parts(ref: Reference) -> list[PartPattern]:
    return [PartPattern(e.id, p.name, p.regex) for e in ref.entries.values() for p in e.patterns]


PART_GROUP = 32  # patterns per extraction regex: measured, extraction from 1,200 texts 0.18 s -> 0.03 s


def _part_groups(parts: list[PartPattern]) -> list[str]:
    """The part patterns as regexes of PART_GROUP patterns each, one script per regex: extraction.

    Extraction runs an engine whose cost per text grows with the regex, so it uses small groups, each
    applied on its own (a string two groups' patterns both fit yields both; the owners are then found
    by full match anyway). It runs only on the texts the part filter picks.
    """
    ascii_rx = [p.source for p in parts if p.source.isascii()]
    other_rx = [p.source for p in parts if not p.source.isascii()]
    return [alternation(rxs[i:i + PART_GROUP]) for rxs in (ascii_rx, other_rx) for i in range(0, len(rxs), PART_GROUP)]


def reference_patterns(entries: dict[str, LexiconEntry], places: Places, context: dict) -> pl.DataFrame:
    """The patterns of the reference data (all but the rules' phrases), in order. Generating the forms
    of ~37,000 terms takes ~1 s, so the store holds them, computed when it is built."""
    return pl.DataFrame(_goods_rows(entries) + _place_rows(places) + _context_rows(context), schema=REF_SCHEMA,
                        orient="row")


def fuzzy_vocab(entries: dict[str, LexiconEntry]) -> list[str]:
    """The words of the strong English terms (and their forms) that typo repair maps unknown words to."""
    words = set()
    for entry in entries.values():
        for term in entry.strong:
            for form in english_forms(normalize_term(term)):
                words.update(w for w in form.split(" ") if len(w) >= MIN_FUZZY_LEN and w.isalpha() and w.isascii())
    return sorted(words)


def build_index(ref: Reference, phrases: tuple[str, ...] = ()) -> MatchIndex:
    """Compile the pattern index for a reference version and a set of rule phrases."""
    stored = ref.patterns if ref.patterns is not None else reference_patterns(ref.entries, ref.places, ref.context)
    refs = pl.concat([stored, pl.DataFrame(_phrase_rows(phrases), schema=REF_SCHEMA, orient="row")]).unique(
        maintain_order=True)
    parts = _parts(ref)
    cues = ref.context.get("cues", {})
    digest = hashlib.sha256((ref.version + "\n" + "\n".join(phrases)).encode()).hexdigest()
    return MatchIndex(
        patterns=refs["pattern"].unique(maintain_order=True).to_list(), refs=refs, parts=parts,
        part_filter=PartFilter([p.source for p in parts], ref.part_database), part_groups=_part_groups(parts),
        fuzzy_vocab=ref.fuzzy_vocab if ref.fuzzy_vocab is not None else fuzzy_vocab(ref.entries),
        negation_window=int(cues.get("negation", {}).get("window_chars", 28)),
        hypothetical_window=int(cues.get("hypothetical", {}).get("window_chars", 40)), version=digest,
        role_windows=(int(ref.context.get("roles", {}).get("before_window", 40)),
                      int(ref.context.get("roles", {}).get("after_window", 12))),
        cased_patterns=_cased_patterns(refs),
        foreign_prefixes=tuple(sorted({w for e in ref.entries.values() for lang, terms in e.i18n.items()
                                       if lang != "en"
                                       for t in terms for w in normalize_term(t).split(" ")
                                       if len(w) >= 4 and w.isascii() and w.isalpha()})),
        known_words=ref.known_words,
        other_words=frozenset(refs.filter(pl.col("kind") != "goods")
                              .select(pl.col("pattern").str.strip_chars().str.split(" ").explode().unique())
                              .to_series().to_list()),
        weak_context=pl.DataFrame(
            [(e.id, normalize_term(w)) for e in ref.entries.values() if e.weak for w in e.context],
            schema={"ref": pl.String, "word": pl.String}, orient="row").unique(),
        categories=pl.DataFrame({"ref": [e.id for e in ref.entries.values()],
                                 "category": [e.category for e in ref.entries.values()]},
                                schema={"ref": pl.String, "category": pl.String}),
        suppressors=pl.DataFrame(
            [(g["id"], c, int(g.get("window", 60))) for g in ref.context.get("suppressors", {}).get("suppressors", [])
             for c in g["categories"]], schema={"sid": pl.String, "category": pl.String, "window": pl.Int64},
            orient="row"))
