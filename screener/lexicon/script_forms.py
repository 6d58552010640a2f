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
    """The term and the term without Turkish letters (ş ğ ç ö ü → s g c o u)."""
    return sorted({norm, strip_accents(norm)} if _strippable(norm) else {norm})


MIN_STRIPPED_LEN = 6


def _strippable(form: str) -> bool:
    """Whether a form also matches without accents: phrases and longer words only. A short word without its
    accents is too often another word (röle → role, füze → fuze, Şam → Sam, çin → cin)."""
    return " " in form or len(form) >= MIN_STRIPPED_LEN


def arabic_forms(norm: str, lang: str) -> list[str]:
    """Patterns for an Arabic-script term (with their padding; an open end when the last word may take
    endings): in Arabic, the first word bare or with the article and a clitic (و ب ل, للـ), and on a
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
    rests = [[]]
    if len(bare) <= MAX_ARTICLE_COMBOS_WORDS:  # each later word bare or with the article, in any combination
        for w in bare[1:]:
            rests = [r + [x] for r in rests for x in (w, "ال" + w)]
    else:
        rests = [bare[1:], ["ال" + w for w in bare[1:]]]
    rests.append(words[1:])
    return sorted({" " + " ".join([h, *r]) + end for h in heads for r in rests})
