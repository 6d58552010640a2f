"""Surface forms of a normalised term: plurals, swapped word order, and how each form is padded.

Padding decides the match mode for the Aho-Corasick pass over space-padded normalised text:
" term " matches whole words, " stem" matches word prefixes (inflected languages), "词" matches
anywhere (languages written without spaces).
"""

from __future__ import annotations

from screener.lexicon.model import PREFIX_LANGS, SUBSTRING_LANGS

MIN_PREFIX_LEN = 5


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese, Japanese or Korean characters."""
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def guess_lang(text: str, default: str) -> str:
    """A language that decides the match mode of context words: Cyrillic words match as prefixes."""
    if has_cjk(text):
        return "zh"
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "ru"
    return default


def plural(word: str) -> str:
    """English plural of a last word (regular rules; good enough for trade nouns)."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.isdigit() or len(word) < 2:
        return word
    return word + "s"


def singular(word: str) -> str | None:
    """Singular of an English plural, or None when the word does not look plural."""
    if len(word) < 5 or word.endswith(("ss", "us", "is")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return None


def english_forms(norm: str) -> list[str]:
    """The term, its plural/singular, and for several words the customs order ("bearings ball")."""
    words = norm.split(" ")
    last = words[-1]
    sing = singular(last)
    lasts = {last, sing} if sing is not None else {last, plural(last)}
    forms = {" ".join(words[:-1] + [w]) for w in lasts if w}
    if len(words) >= 2:
        forms |= {" ".join([w] + words[:-1]) for w in lasts if w}
    forms.discard("")
    return sorted(forms)


def padded_forms(norm: str, lang: str) -> list[tuple[str, str]]:
    """(pattern, form) pairs to put in the automaton for one normalised term."""
    if lang in SUBSTRING_LANGS or has_cjk(norm):
        return [(norm, norm)]
    if lang in PREFIX_LANGS and len(norm.split(" ")[-1]) >= MIN_PREFIX_LEN:
        return [(" " + norm, norm)]
    if lang == "en":
        return [(f" {f} ", f) for f in english_forms(norm)]
    return [(f" {norm} ", norm)]
