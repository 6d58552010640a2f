"""Which language a text is in, cheaply: by script, and within the Latin script by function words.

Used by `screener screen` to say when a text is in a language the lexicon has no terms for (the
screening would otherwise come back `none` without saying it could not read the text). No model and
no dependency: a script is a range of code points; a Latin-script language is told by its most
frequent short words and its own letters. The batch path never calls it.
"""

from __future__ import annotations

import re
from collections import Counter

UNDETERMINED = "und"
MIN_VOTES = 2  # function words a Latin-script language needs before it is named (else English)

# (first, last) code point -> script
_SCRIPTS = (
    (0x0370, 0x03FF, "greek"), (0x0400, 0x04FF, "cyrillic"), (0x0530, 0x058F, "armenian"),
    (0x0590, 0x05FF, "hebrew"), (0x0600, 0x06FF, "arabic"), (0x0750, 0x077F, "arabic"),
    (0xFB50, 0xFDFF, "arabic"), (0xFE70, 0xFEFF, "arabic"), (0x0900, 0x097F, "devanagari"),
    (0x0E00, 0x0E7F, "thai"), (0x10A0, 0x10FF, "georgian"), (0x1100, 0x11FF, "hangul"),
    (0x3040, 0x30FF, "kana"), (0x31F0, 0x31FF, "kana"), (0x3400, 0x4DBF, "han"), (0x4E00, 0x9FFF, "han"),
    (0xAC00, 0xD7AF, "hangul"), (0xFF66, 0xFF9F, "kana"),
)
_SCRIPT_LANG = {"greek": "el", "armenian": "hy", "hebrew": "he", "devanagari": "hi", "thai": "th",
                "georgian": "ka", "hangul": "ko"}
_PERSIAN_LETTERS = set("پچژگیک")  # (ی and ک: the Persian forms; Arabic writes ي and ك)
_UKRAINIAN_LETTERS = set("іїєґ")

# Short function words by language: frequent in it, rarer in the others listed.
_FUNCTION_WORDS = {
    "en": "the and of to for with from by this that are was were is be has have which via",
    "de": "der die das und mit von für nicht ist sind auch eine einer wurde werden nach zur zum über",
    "fr": "le les des du une et est pour avec dans sur par au aux qui sont été cette ces à vers",
    "it": "il lo gli della delle degli del per con sono è una che dalla alla nel nella anche tramite verso di da",
    "es": "el los las del una y es para con por que está son fue este esta entre según hacia través",
    "pt": "os das dos uma não para com por que está são foi pela pelo entre também ao através",
    "tr": "ve bir bu için ile olarak olan gibi daha çok sonra göre kadar üzerinden edildi",
    "nl": "het een van en is niet met voor zijn werd naar ook maar bij",
    "pl": "i w z na się do nie jest że od przez oraz dla jak po",
    "id": "dan yang di ke dari untuk dengan ini itu pada adalah tidak akan",
    "vi": "và của là các có được cho không với những này trong một",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
# Letters that point to languages (each letter adds a vote to each language listed for it).
_LETTER_VOTES = {"ş": "tr", "ğ": "tr", "ı": "tr", "İ": "tr", "ß": "de", "ä": "de", "ö": "de tr", "ü": "de tr",
                 "ç": "fr tr pt", "ñ": "es", "ã": "pt", "õ": "pt", "ł": "pl", "ą": "pl", "ę": "pl", "ś": "pl",
                 "ż": "pl", "ơ": "vi", "ư": "vi", "đ": "vi", "è": "fr it", "ê": "fr pt", "ò": "it", "ì": "it",
                 "ù": "it fr", "í": "es pt", "ó": "es pt pl", "á": "es pt", "ú": "es"}
_WORD = re.compile(r"[^\W\d_]+")


def _script(ch: str) -> str | None:
    cp = ord(ch)
    if cp < 0x0370:
        return "latin" if ch.isalpha() else None
    for first, last, name in _SCRIPTS:
        if first <= cp <= last:
            return name
    return "latin" if ch.isalpha() and cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF else None


def detect_language(text: str) -> str:
    """An ISO 639-1 code for the text's main language, or "und" when it has no letters."""
    if text.isascii():
        return _latin(text) if any(c.isalpha() for c in text) else UNDETERMINED
    counts = Counter(s for s in map(_script, text) if s)
    if not counts:
        return UNDETERMINED
    if counts["kana"]:
        return "ja"
    if counts["hangul"] and counts["hangul"] >= counts["han"]:
        return "ko"
    script = counts.most_common(1)[0][0]
    if script == "han":
        return "zh"
    if script == "arabic":
        return "fa" if _PERSIAN_LETTERS & set(text) else "ar"
    if script == "cyrillic":
        return "uk" if _UKRAINIAN_LETTERS & set(text.lower()) else "ru"
    if script == "latin":
        return _latin(text)
    return _SCRIPT_LANG.get(script, UNDETERMINED)


def _latin(text: str) -> str:
    """The Latin-script language whose function words and letters the text has most of; English by default."""
    low = text.lower()
    words = Counter(_WORD.findall(low))  # a long text repeats its words: each distinct one is looked up once
    votes = Counter({lang: sum(n for w, n in words.items() if w in ws) for lang, ws in _WORDS.items()})
    for letter in set(text) | set(low):
        for lang in _LETTER_VOTES.get(letter, "").split():
            votes[lang] += 1
    lang, n = votes.most_common(1)[0] if votes else ("en", 0)
    if n < MIN_VOTES or votes["en"] >= n:
        return "en"
    return lang


# A language is read in full when most entries have terms in it (the eight of issue 19 have 81 %, Chinese 80 %,
# Russian 65 %, German 53 %); Ukrainian and Polish, with terms for under a tenth of the entries, are partial.
FULL_SHARE = 0.5


def language_shares(entries) -> dict[str, float]:
    """For each language of the lexicon, the share of the entries with English terms that have terms in it."""
    with_en = [e for e in entries if e.strong or e.weak]
    counts = Counter(lang for e in with_en for lang, terms in e.i18n.items() if terms)
    return {lang: n / len(with_en) for lang, n in counts.items()} if with_en else {}


def coverage(lang: str, shares: dict[str, float]) -> str:
    """"full", "partial" or "none": how much of the lexicon a text in `lang` can be read with ("unknown" for a
    text without letters, such as a bare code)."""
    if lang == "en":
        return "full"
    if lang == UNDETERMINED:
        return "unknown"
    share = shares.get(lang, 0.0)
    if not share:
        return "none"
    return "full" if share >= FULL_SHARE else "partial"
