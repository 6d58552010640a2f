"""The patterns the reference store holds: every searchable thing as a padded pattern with what it means.

Goods terms, context words, place names, blockers, suppressors, role and negation cues (and the rules'
phrases, added when a screener is built) each become one or more padded patterns (see forms.py) with a ref
saying what they mean. Generating the forms of ~37,000 terms takes ~1 s, so `reference/build.py` computes
them once and the store keeps them; `match/` only reads them.
"""

from __future__ import annotations

from typing import Iterable, Protocol

import polars as pl

from screener.lexicon.forms import english_forms, guess_lang, has_cjk, padded_forms
from screener.lexicon.model import LexiconEntry
from screener.lexicon.script_forms import ROMANCE_LANGS, closed_word_forms, strip_accents
from screener.text.normalize import normalize_term

MIN_FUZZY_LEN = 5
REF_SCHEMA = {"pattern": pl.String, "kind": pl.String, "ref": pl.String, "strength": pl.String,
              "form": pl.String, "ambiguous": pl.Boolean}


class NamedPlace(Protocol):
    """A place as patterns need it (reference.places.Place is one): its code, names and ambiguous names."""

    code: str
    ambiguous: list[str]

    def all_names(self) -> list[tuple[str, str]]:
        """(name, lang) pairs to search for in text."""


def _rows_for(text: str, lang: str, kind: str, ref: str, strength: str = "", ambiguous: bool = False,
              generated: bool = True) -> list[tuple]:
    norm = normalize_term(text)
    if not norm:
        return []
    if not generated and lang == "en" and not has_cjk(norm):
        return [(f" {norm} ", kind, ref, strength, norm, ambiguous)]
    if not generated and lang in ROMANCE_LANGS:  # a name has no plural (Italian "cuba" -> "cube" is a cube)
        return [(f" {form} ", kind, ref, strength, form, ambiguous) for form in sorted({norm, strip_accents(norm)})]
    return [(pattern, kind, ref, strength, form, ambiguous) for pattern, form in padded_forms(norm, lang)]


class EnglishGuard(Protocol):
    """Ordinary English words (screener.text.english.EnglishWords): what a foreign term's forms must not become."""

    def __contains__(self, word: object) -> bool: ...

    def extends(self, stem: str) -> bool:
        """Whether an English word is the stem plus more letters."""


def _guarded(row: tuple, norm: str, lang: str, english: EnglishGuard) -> list[tuple]:
    """A non-English term's pattern, kept off English words.

    A generated single-word form that is an English word is dropped (Spanish "carbón" without its accent is
    "carbon"); an open last word that runs on into English words ("profil" -> "profiling", "risin" ->
    "rising") is closed: it takes its language's endings as whole words instead of any continuation, save
    those that are English words themselves (Turkish "profile", to the profile).
    """
    pattern = row[0]
    bare = pattern.strip(" ")
    if bare != norm and " " not in bare and bare in english:
        return []
    words = bare.split(" ")
    if not pattern.startswith(" ") or pattern.endswith(" ") or not english.extends(words[-1]):
        return [row]
    head = " ".join(words[:-1])
    forms = [w for w in closed_word_forms(words[-1], lang) if w == words[-1] or w not in english]
    return [(f" {head} {w} ".replace("  ", " "), *row[1:]) for w in forms]


def _goods_rows(entries: dict[str, LexiconEntry], english: EnglishGuard | None) -> list[tuple]:
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
            generated = _rows_for(text, lang, "goods", entry.id, strength)
            if english is not None and lang != "en":
                generated = [r for row in generated for r in _guarded(row, norm, lang, english)]
            for row in generated:
                bare = row[0].strip(" ")
                if base_owner.get(row[0], entry.id) == entry.id and (
                        bare == norm or written.get(bare, entry.id) == entry.id):
                    rows.append(row)
        for word in entry.context:  # ref = the word itself; weak_context says which entries it supports
            rows += _rows_for(word, guess_lang(word, "en"), "context", normalize_term(word))
    return rows


def _place_rows(places: Iterable[NamedPlace]) -> list[tuple]:
    """A place's names; its adjectives ("Russian", "American") carry strength `adjective`, which a one-word
    role cue does not give a role to (`match.pipeline._roles`: "to catch American tastebuds")."""
    rows: list[tuple] = []
    for place in places:
        ambiguous = {normalize_term(a) for a in place.ambiguous}
        adjectives = {normalize_term(a) for a in getattr(place, "adjectives", ())}
        for name, lang in place.all_names():
            norm = normalize_term(name)
            rows += _rows_for(name, lang, "country", place.code, "adjective" if norm in adjectives else "",
                              ambiguous=norm in ambiguous, generated=False)
    return rows


def _context_rows(context: dict) -> list[tuple]:
    rows: list[tuple] = []
    for blocker in context.get("blockers", {}).get("blockers", []):
        phrase = str(blocker["phrase"])  # English blockers get plurals too ("nail guns")
        lang = guess_lang(phrase, "en" if phrase.isascii() else "xx")
        rows += _rows_for(phrase, lang, "blocker", normalize_term(phrase))
    for group in context.get("suppressors", {}).get("suppressors", []):
        for word in group["words"]:
            rows += _rows_for(str(word), guess_lang(str(word), "xx"), "suppressor", group["id"])
    roles = context.get("roles", {})
    for side in ("before", "after"):  # (ref = the role; the kind says on which side of a place the cue stands)
        for role, words in (roles.get(side) or {}).items():
            for word in words:  # strength `phrase`: a cue of several words ("exported to"), not a bare "to"
                phrase = "phrase" if " " in normalize_term(str(word)) else ""
                rows += _rows_for(str(word), "xx", f"role_{side}", role, phrase)
    for word in context.get("weak_support", {}).get("words", []):  # context words of every weak term
        rows += _rows_for(str(word), guess_lang(str(word), "en"), "context", normalize_term(str(word)))
    cues = context.get("cues", {})
    for kind in ("negation", "hypothetical"):
        for cue in cues.get(kind, {}).get("cues", []):
            rows += _rows_for(str(cue), "xx", kind, normalize_term(str(cue)))
    for sign in cues.get("negation", {}).get("number_signs", []):
        for digit in "0123456789":  # " no 5…" (prefix pattern): a number sign, which cancels the cue
            rows.append((f" {normalize_term(str(sign))} {digit}", "number_sign", "", "", "", False))
    return rows


def phrase_patterns(phrases: tuple[str, ...]) -> pl.DataFrame:
    """The patterns of the rules' phrases (not stored: they come with the rules a screener is built with).
    A Cyrillic phrase matches as context words do, its last word as a stem with its endings ("закуп" in
    "закупала", "санкц" in "санкционные"); an Arabic-script one with the article and clitics (عقوبات in
    والعقوبات); other phrases match as whole words."""
    rows: list[tuple] = []
    for phrase in phrases:
        rows += _rows_for(phrase, guess_lang(phrase, "xx"), "phrase", normalize_term(phrase))
    return pl.DataFrame(rows, schema=REF_SCHEMA, orient="row")


def reference_patterns(entries: dict[str, LexiconEntry], places: Iterable[NamedPlace], context: dict,
                       english: EnglishGuard | None = None) -> pl.DataFrame:
    """The patterns of the reference data (all but the rules' phrases), in order; with `english`, the forms
    of non-English terms are kept off ordinary English words."""
    return pl.DataFrame(_goods_rows(entries, english) + _place_rows(places) + _context_rows(context), schema=REF_SCHEMA,
                        orient="row")


def fuzzy_vocab(entries: dict[str, LexiconEntry]) -> list[str]:
    """The words of the strong English terms (and their forms) that typo repair maps unknown words to."""
    words = set()
    for entry in entries.values():
        for term in entry.strong:
            for form in english_forms(normalize_term(term)):
                words.update(w for w in form.split(" ") if len(w) >= MIN_FUZZY_LEN and w.isalpha() and w.isascii())
    return sorted(words)


def foreign_words(entries: dict[str, LexiconEntry]) -> list[str]:
    """The ASCII words (4+ letters) of the entries' foreign-language terms, which typo repair leaves alone (a
    Turkish or Italian word is not an English typo). Derived once, with the store: 40,000 terms to normalise."""
    return sorted({w for e in entries.values() for lang, terms in e.i18n.items() if lang != "en"
                   for t in terms for w in normalize_term(t).split(" ")
                   if len(w) >= 4 and w.isascii() and w.isalpha()})
