"""Surface forms of terms in Romance languages, Turkish, Arabic and Persian (see forms.py for the others).

- French, Italian, Spanish: the words before the first preposition ("roulement à billes", "circuito
  integrato") take their plural together ("roulements à billes", "circuiti integrati"); each form also
  without accents, as customs data often drop them ("ROULEMENTS A BILLES"). Elision needs nothing here:
  the normaliser turns the apostrophe of "l'acier", "dell'acciaio" into a space.
- Turkish: words end in suffixes ("rulmanları"): the last word matches as a word prefix when long
  enough, as for the other inflecting languages, and each form is also given without Turkish letters.
- Arabic and Persian: the article ال may stand on every word of a phrase ("المحامل الكروية") and a
  clitic (و ب ل ك ف, للـ) on the first; the last word matches as a prefix (plural and feminine endings,
  Persian ها after the non-joiner is a word of its own).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from screener.text.normalize import normalize_term

ROMANCE_LANGS = frozenset({"fr", "it", "es", "pt"})
ARABIC_SCRIPT_LANGS = frozenset({"ar", "fa"})
MIN_OPEN_LEN = 4  # an Arabic-script last word shorter than this matches whole only
MAX_ARTICLE_COMBOS_WORDS = 4  # up to this many words, every combination of the article on the later words

_PREPOSITIONS = {
    "fr": set("à a de du des d pour en sans avec sur par au aux la le les l et ou".split()),
    "it": set("a di da del della dello dei degli delle dell per in con su al alla allo ai agli alle e o senza".split()),
    "es": set("a de del para en con sin sobre por al y o la el los las".split()),
    "pt": set("a de do da dos das para em com sem sobre por ao e ou".split()),
}
_CLITICS = ("", "و", "ب", "ل", "وب", "ول")


def strip_accents(text: str) -> str:
    """Latin letters without their diacritics (é → e, ş → s, ğ → g); other scripts unchanged."""
    out = []
    for ch in text:
        if "a" <= ch <= "z" or not ch.isalpha() or ch in "ıß":
            out.append(ch)
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if base.isascii() and base.isalpha() else ch)
    return "".join(out)


def plural_word(word: str, lang: str) -> str:
    """Plural of one Romance noun or adjective (regular rules; good enough for trade nouns)."""
    if len(word) < 3 or not word.isalpha():
        return word
    if lang == "fr":
        if word.endswith(("s", "x", "z")):
            return word
        if word.endswith(("eau", "eu", "au")):
            return word + "x"
        if word.endswith("al") and word not in ("final", "naval", "chacal", "festival", "récital"):
            return word[:-2] + "aux"
        return word + "s"
    if lang == "it":
        if word[-1] in "àèéìòù" or word[-1] not in "aeio":  # città, computer: unchanged
            return word
        if word.endswith(("ca", "ga")):
            return word[:-1] + "he"
        if word.endswith(("co", "go")):
            return word[:-1] + "hi"
        if word.endswith("io"):
            return word[:-1]
        if word.endswith("a"):
            return word[:-1] + "e"
        return word[:-1] + "i"
    if lang in ("es", "pt"):
        if word.endswith(("s", "x")):
            return word
        if lang == "es" and word.endswith("z"):
            return word[:-1] + "ces"
        if word[-1] in "aeiouáéó":
            return word + "s"
        if lang == "pt" and word.endswith("ão"):
            return word[:-2] + "ões"
        if lang == "es" and word.endswith(("ión", "án", "én", "ón", "ín")):
            return word[:-2] + strip_accents(word[-2]) + "nes"
        return word + "es"
    return word


def romance_forms(norm: str, lang: str) -> list[str]:
    """The term and its plurals, each with and without accents. The words before the first preposition
    take the plural from the first one on, as far as each form goes ("condensatori ceramici multistrato":
    a last adjective such as multistrato, multicapa stays invariable)."""
    words = norm.split(" ")
    preps = _PREPOSITIONS.get(lang, set())
    zone = next((i for i, w in enumerate(words) if i > 0 and w in preps), len(words))
    forms = {norm}
    for upto in range(1, zone + 1):
        forms.add(" ".join([plural_word(w, lang) for w in words[:upto]] + words[upto:]))
        if lang == "it" and any(w.endswith(("co", "go")) for w in words[:upto]):
            # Italian -co/-go words have two plurals (tecnico -> tecnici, elettronico -> elettronici)
            forms.add(" ".join([w[:-1] + "i" if w.endswith(("co", "go")) else plural_word(w, lang)
                                for w in words[:upto]] + words[upto:]))
    forms |= {strip_accents(f) for f in forms if _strippable(f)}
    return sorted(forms)


def spaced_forms(norm: str, lang: str) -> list[str]:
    """A Korean or Japanese term as written and without its spaces (spacing varies: 볼 베어링, 볼베어링)."""
    if lang in ("ko", "ja") and " " in norm:
        return [norm, norm.replace(" ", "")]
    return [norm]


def turkish_forms(norm: str) -> list[str]:
    """The term and the term without Turkish letters (ş ğ ç ö ü → s g c o u); for a compound whose last noun
    carries the possessive ("baskılı devre kartı", "gnss alıcısı"), also that noun bare ("gnss alıcı modülü")
    and in the plural ("devre kartları": the plural takes the possessive's place)."""
    forms = {norm}
    words = norm.split(" ")
    stem = _possessive_stem(words[-1]) if len(words) > 1 else None
    if stem:
        forms |= {" ".join([*words[:-1], w]) for w in (stem, *(stem + p for p in _plurals(stem)))}
    return sorted({x for f in forms for x in ({f, strip_accents(f)} if _strippable(f) else {f})})


_TR_VOWELS = frozenset("aeiouöü")  # (ı is folded into i by normalisation)


def _possessive_stem(word: str) -> str | None:
    """The noun without its possessive ending (kartı → kart, alıcısı → alıcı, gözlüğü → gözlük), or None."""
    if len(word) < 4:
        return None
    if word[-2:] in ("si", "su", "sü") and word[-3] in _TR_VOWELS:
        stem = word[:-2]
    elif word[-1] in "iuü" and word[-2] not in _TR_VOWELS:
        stem = word[:-1]
        stem = stem[:-1] + "k" if stem.endswith("ğ") else stem  # gözlüğü → gözlük
    else:
        return None
    return stem if len(stem) >= 3 else None


def _plurals(stem: str) -> tuple[str, ...]:
    """The plural suffix by vowel harmony; both after an i, which may be a folded ı (alıcı → alıcılar)."""
    last = next((c for c in reversed(stem) if c in _TR_VOWELS), "e")
    return ("lar",) if last in "aou" else ("ler",) if last in "eöü" else ("lar", "ler")


MIN_STRIPPED_LEN = 6


def _strippable(form: str) -> bool:
    """Whether a form also matches without accents: phrases and longer words only. A short word without its
    accents is too often another word (röle → role, füze → fuze, Şam → Sam, çin → cin)."""
    return " " in form or len(form) >= MIN_STRIPPED_LEN


# broken plurals of the head nouns goods terms start with (singular -> plural), as written; normalised on use
_BROKEN_PLURALS = {"جهاز": "أجهزة", "دائرة": "دوائر", "شريحة": "شرائح", "محمل": "محامل", "صاروخ": "صواريخ",
                   "منظار": "مناظير", "مقياس": "مقاييس", "نظام": "أنظمة", "مفتاح": "مفاتيح", "أداة": "أدوات",
                   "سلك": "أسلاك", "هاتف": "هواتف", "حاسوب": "حواسيب", "مدفع": "مدافع", "قطعة": "قطع",
                   "بندقية": "بنادق", "كاتم": "كواتم", "جزء": "أجزاء", "سلاح": "أسلحة", "قذيفة": "قذائف",
                   "لغم": "ألغام", "قنبلة": "قنابل", "مادة": "مواد", "مخرطة": "مخارط", "خادم": "خوادم",
                   "سبيكة": "سبائك", "أنبوب": "أنابيب", "صفيحة": "صفائح", "لوح": "ألواح", "قالب": "قوالب",
                   "ترس": "تروس", "معدن": "معادن", "سفينة": "سفن", "قارب": "قوارب"}


def _arabic_plural(word: str) -> str:
    """The plural a goods noun takes: a broken plural of _BROKEN_PLURALS (جهاز → أجهزة), else the sound
    plural in ـات (كاميرا → كاميرات, بطارية → بطاريات, مستقبل → مستقبلات). `word` is normalised (ة as ه)."""
    broken = _broken_plurals().get(word)
    if broken:
        return broken
    if word.endswith("ه"):
        return word[:-1] + "ات"
    return word + ("ت" if word.endswith("ا") else "ات")


@lru_cache(maxsize=1)
def _broken_plurals() -> dict[str, str]:
    return {normalize_term(k): normalize_term(v) for k, v in _BROKEN_PLURALS.items()}


def arabic_forms(norm: str, lang: str) -> list[str]:
    """Patterns for an Arabic-script term (with their padding; an open end when the last word may take
    endings): in Arabic, the first word bare or with the article and a clitic (و ب ل, للـ), and in the
    plural in ـات when more words follow (a single word is open at its end: محرك finds محركات; a broken plural,
    بندقية → بنادق, is added for one word too); on a
    two-word phrase the second word bare or with the article; in Persian, the term as written."""
    words = norm.split(" ")
    end = "" if len(words[-1]) >= MIN_OPEN_LEN else " "
    if lang != "ar":
        if len(words) == 1:
            return [" " + norm + end]
        # Persian puts the plural on the head noun, before its adjective: بلبرینگ‌های ساچمه‌ای
        heads = [words[0], *(words[0] + sep + suffix for sep in ("", " ") for suffix in ("ها", "های"))]
        return sorted({" " + " ".join([h, *words[1:]]) + end for h in heads})
    bare = [w[2:] if w.startswith("ال") and len(w) >= 5 else w for w in words]
    first = bare[0]
    heads = [c + first for c in _CLITICS] + [c + "ال" + first for c in ("", "و", "ب", "ف")] + ["لل" + first]
    # the plural, with the article or "and" only (the patterns add up); one word's sound plural is its open end
    # (محرك → محركات), so it takes only a broken one, which is another word (بندقية → بنادق)
    plural = _arabic_plural(first) if len(bare) > 1 and not first.endswith("ات") else _broken_plurals().get(first)
    if plural:
        heads += [plural, "ال" + plural, "و" + plural, "وال" + plural]
    rests = [[]]
    if len(bare) <= MAX_ARTICLE_COMBOS_WORDS:  # each later word bare or with the article, in any combination
        for w in bare[1:]:
            rests = [r + [x] for r in rests for x in (w, "ال" + w)]
    else:
        rests = [bare[1:], ["ال" + w for w in bare[1:]]]
    rests.append(words[1:])
    return sorted({" " + " ".join([h, *r]) + end for h in heads for r in rests})


# --- closed word endings ------------------------------------------------------------------------------
# A last word that matches as an open prefix ("profil", "risin") can run on into an English word
# ("profiling", "rising"). Where it would, patterns.py closes it: the word takes the endings below, as
# whole words, instead of any continuation.

_GERMAN_ENDINGS = ("", "e", "en", "er", "es", "n", "s", "ern", "ens")
_POLISH_ENDINGS = ("", "a", "y", "u", "e", "i", "ie", "em", "om", "ów", "ami", "ach", "ą", "ę")
_BACK, _FRONT = set("aıou"), set("eiöü")
_VOICELESS = set("çfhkpsşt")


def _turkish_endings(word: str) -> list[str]:
    """Case and plural endings of a Turkish noun by vowel harmony (`ı` is folded to `i` in normalised text,
    so a last `i` may be either and both harmonies are given; a final p ç t k may soften before a vowel)."""
    vowels = [c for c in word if c in _BACK | _FRONT]
    last = vowels[-1] if vowels else "e"
    a_forms = ["a", "e"] if last == "i" else (["a"] if last in _BACK else ["e"])
    i_forms = {"a": ["i"], "ı": ["i"], "e": ["i"], "i": ["i"], "o": ["u"], "u": ["u"], "ö": ["ü"], "ü": ["ü"]}[last]
    d = "t" if word[-1] in _VOICELESS else "d"
    ends_in_vowel = word[-1] in _BACK | _FRONT
    endings = {""}
    for a in a_forms:
        for i in i_forms:
            lar = "l" + a + "r"
            plural = [lar, lar + i, lar + i + "n", lar + a, "lard" + a, "lard" + a + "n", lar + "l" + a]
            if ends_in_vowel:
                case = ["y" + i, "n" + i + "n", "y" + a, d + a, d + a + "n", "yl" + a, "s" + i, "s" + i + "n" + i,
                        "s" + i + "n" + a, "s" + i + "nd" + a]
            else:
                case = [i, i + "n", a, d + a, d + a + "n", "l" + a, i + "n" + i, i + "n" + a, i + "nd" + a]
            endings |= set(plural + case + ["l" + i, "l" + i + "k", "s" + i + "z"])
    return sorted(endings)


_SOFTENED = {"p": "b", "ç": "c", "t": "d", "k": "ğ"}


def closed_word_forms(word: str, lang: str) -> list[str]:
    """The inflected forms of a word that would otherwise match as an open prefix, as whole words."""
    if lang == "tr":
        forms = {word + e for e in _turkish_endings(word)}
        if word[-1] in _SOFTENED:  # kitap -> kitabı: the softened stem before a vowel ending
            soft = word[:-1] + _SOFTENED[word[-1]]
            forms |= {soft + e for e in _turkish_endings(word) if e[:1] in _BACK | _FRONT}
        return sorted(forms | {strip_accents(f) for f in forms if _strippable(f)})
    endings = {"de": _GERMAN_ENDINGS, "pl": _POLISH_ENDINGS}.get(lang, ("",))
    return sorted({word + e for e in endings})
