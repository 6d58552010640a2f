"""Compile the reference data into one pattern index for the Aho-Corasick pass.

Every searchable thing — goods terms, context words, place names, blockers, negation cues, rule
phrases — is a padded pattern with one or more refs saying what it means. The store holds them (derived by
lexicon/patterns.py when it is built); this module reads them from the Reference and adds the rules' phrases.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import polars as pl

from screener.lexicon.patterns import foreign_words, fuzzy_vocab, phrase_patterns, reference_patterns
from screener.match.automaton import PatternScanner
from screener.match.names import NameFinder
from screener.match.part_filter import PartFilter, alternation
from screener.reference.lookup import Reference
from screener.text.english import EnglishWords
from screener.text.normalize import normalize_term

ROLE_KINDS = ("role_before", "role_after")


@dataclass(frozen=True)
class PartPattern:
    """A part-number pattern of a lexicon entry (its regex compiled on first use)."""

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

    refs: pl.DataFrame
    parts: list[PartPattern]
    part_filter: PartFilter           # which texts hold a part number
    part_groups: list[str]            # the part patterns in small groups: extraction (see _part_groups)
    fuzzy_vocab: list[str]
    negation_window: int
    hypothetical_window: int
    role_windows: tuple[int, int]     # (before, after): how far a role cue reaches to a place
    version: str
    cased_patterns: tuple[str, ...]   # capitalised forms of ambiguous place names
    categories: pl.DataFrame          # ref, category (lexicon entries)
    weak_context: pl.DataFrame        # ref (entry with weak terms), word (its context words)
    weak_shared: pl.DataFrame         # ref, word: trade and ruling words that support its weak words (not acronyms)
    suppressors: pl.DataFrame         # sid, category, window

    foreign_words: tuple[str, ...] = ()  # Latin-script words of non-English terms: typo repair leaves them alone
    other_words: frozenset[str] = frozenset()  # words of place, cue and phrase patterns ("tashkent"): not typos either
    known_words: frozenset[str] = frozenset()  # ordinary English (screener.text.english), read from the store
    part_owners: dict = field(default_factory=dict)  # part string -> [(entry, pattern)], filled as met
    names: NameFinder | None = None   # company names, whose goods words are not goods
    suppressor_why: dict = field(default_factory=dict)  # suppressor group id -> why (for `dropped`)

    @cached_property
    def patterns(self) -> list[str]:
        """Every distinct pattern, in the order of `refs` (made when asked: a list of ~275,000 strings)."""
        return self.refs["pattern"].unique(maintain_order=True).to_list()

    @cached_property
    def not_typos(self) -> frozenset[str]:
        """The foreign and other pattern words together, which typo repair leaves alone (a set made once)."""
        return frozenset(self.foreign_words) | self.other_words

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


def _cased_patterns(refs: pl.DataFrame) -> tuple[str, ...]:
    """" Georgia ", " GEORGIA ", " US " …: the forms in which an ambiguous name counts."""
    out = set()
    for pattern in refs.filter(pl.col("ambiguous"))["pattern"].unique().to_list():
        words = pattern.strip(" ").split(" ")
        for form in (" ".join(w[:1].upper() + w[1:] for w in words), " ".join(words).upper()):
            out.add(pattern.replace(pattern.strip(" "), form))
    return tuple(sorted(out))


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


def _weak_context(ref: Reference) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(ref, word) twice: the context words of each entry with weak terms, and the trade and customs-ruling words
    that support the weak terms of every entry but those of `not_for` (reference_data/context/weak_support.yaml)."""
    support = ref.context.get("weak_support", {})
    shared = [normalize_term(str(w)) for w in support.get("words", [])]
    own_only = set(support.get("not_for", []))
    weak = [e for e in ref.entries.values() if e.weak]
    schema = {"ref": pl.String, "word": pl.String}
    own = pl.DataFrame([(e.id, normalize_term(w)) for e in weak for w in e.context], schema=schema, orient="row")
    common = pl.DataFrame([(e.id, w) for e in weak if e.id not in own_only for w in shared], schema=schema,
                          orient="row")
    return own.unique(), common.unique()


def build_index(ref: Reference, phrases: tuple[str, ...] = ()) -> MatchIndex:
    """Compile the pattern index for a reference version and a set of rule phrases."""
    stored = ref.patterns if ref.patterns is not None else reference_patterns(
        ref.entries, ref.places.places, ref.context, EnglishWords(ref.known_words))
    refs = pl.concat([stored, phrase_patterns(phrases)]).unique(maintain_order=True)
    weak_context, weak_shared = _weak_context(ref)
    parts = _parts(ref)
    cues = ref.context.get("cues", {})
    digest = hashlib.sha256((ref.version + "\n" + "\n".join(phrases)).encode()).hexdigest()
    return MatchIndex(
        refs=refs, parts=parts,
        part_filter=PartFilter([p.source for p in parts], ref.part_database), part_groups=_part_groups(parts),
        fuzzy_vocab=ref.fuzzy_vocab if ref.fuzzy_vocab is not None else fuzzy_vocab(ref.entries),
        negation_window=int(cues.get("negation", {}).get("window_chars", 28)),
        hypothetical_window=int(cues.get("hypothetical", {}).get("window_chars", 40)), version=digest,
        role_windows=(int(ref.context.get("roles", {}).get("before_window", 40)),
                      int(ref.context.get("roles", {}).get("after_window", 12))),
        cased_patterns=_cased_patterns(refs),
        foreign_words=ref.foreign_words if ref.foreign_words is not None else tuple(foreign_words(ref.entries)),
        known_words=ref.known_words,
        other_words=frozenset(refs.filter(pl.col("kind") != "goods")
                              .select(pl.col("pattern").str.strip_chars().str.split(" ").explode().unique())
                              .to_series().to_list()),
        weak_context=weak_context,
        weak_shared=weak_shared,
        categories=pl.DataFrame({"ref": [e.id for e in ref.entries.values()],
                                 "category": [e.category for e in ref.entries.values()]},
                                schema={"ref": pl.String, "category": pl.String}),
        suppressors=pl.DataFrame(
            [(g["id"], c, int(g.get("window", 60))) for g in ref.context.get("suppressors", {}).get("suppressors", [])
             for c in g["categories"]], schema={"sid": pl.String, "category": pl.String, "window": pl.Int64},
            orient="row"),
        names=NameFinder.from_context(ref.context),
        suppressor_why={g["id"]: str(g.get("why", "")) for g in ref.context.get("suppressors", {}).get("suppressors", [])})
