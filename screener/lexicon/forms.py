"""Surface forms of a normalised term: plurals, swapped word order, case endings, and how each form is padded.

Padding decides the match mode for the Aho-Corasick pass over space-padded normalised text:
" term " matches whole words, " stem" matches word prefixes (inflected languages), "词" matches
anywhere (languages written without spaces).

Cyrillic terms (Russian, Ukrainian) are declined (see `cyrillic_forms`): the words before the head
noun take the adjective endings of each case, the head the noun endings of that case, and the last
word is cut to its stem, so "газовая турбина" finds "газовых турбин" and "станок с ЧПУ" finds
"станков с ЧПУ".
"""

from __future__ import annotations

from screener.lexicon.model import PREFIX_LANGS
from screener.lexicon.script_forms import ARABIC_SCRIPT_LANGS, ROMANCE_LANGS, arabic_forms, romance_forms, \
    spaced_forms, turkish_forms

MIN_PREFIX_LEN = 5


def has_cjk(text: str) -> bool:
    """True when the text holds Chinese, Japanese or Korean characters."""
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in text)


def guess_lang(text: str, default: str) -> str:
    """A language that decides the match mode of context words and phrases, told by their script: Cyrillic
    words match as prefixes, Arabic-script ones with the article and clitics."""
    if has_cjk(text):
        return "zh"
    if any("\u0400" <= ch <= "\u04ff" for ch in text):
        return "ru"
    if any("\u0600" <= ch <= "\u06ff" for ch in text):
        return "ar"
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
    if has_cjk(norm):  # a Latin-script term filed under Chinese ("dram") matches whole words, not inside "drama"
        return [(f, norm) for f in spaced_forms(norm, lang)]
    if lang in ROMANCE_LANGS:
        return [(f" {f} ", f) for f in romance_forms(norm, lang)]
    if lang in ARABIC_SCRIPT_LANGS:
        return [(pattern, norm) for pattern in arabic_forms(norm, lang)]
    if lang == "tr":
        return [(" " + f + ("" if len(f.split(" ")[-1]) >= MIN_PREFIX_LEN else " "), f) for f in turkish_forms(norm)]
    if lang in PREFIX_LANGS and is_cyrillic(norm.split(" ")[-1]):
        return [(pattern, norm) for pattern in cyrillic_forms(norm, lang)]
    if lang in PREFIX_LANGS and len(norm.split(" ")[-1]) >= MIN_PREFIX_LEN:
        return [(" " + norm, norm)]
    if lang == "en":
        return [(f" {f} ", f) for f in english_forms(norm)]
    return [(f" {norm} ", norm)]


# --- Cyrillic terms --------------------------------------------------------------------------------
# Lexicon authors write Russian terms either as words ("газовая турбина") or as stems ("газов турбин");
# both are reduced to stems here and given the endings of every case. Without a dictionary this is
# approximate: it over-generates (forms that are not words never match anything) rather than miss.

_VOWELS = frozenset("аеиоуыэюяёіїєъь")  # ъ ь: a stem ending in them continues with a vowel
_PREPOSITIONS = frozenset("с со для из на в во по от к ко без под над при до через о об у за "
                          "з із зі до від під над при через у в на".split())
# Conjunctions join words that agree ("измерительные и контрольные приборы"): they do not end the run
# of declined words as a preposition does.
_CONJUNCTIONS = frozenset("и или либо а і та чи".split())
# Adjective endings by case slot, for hard stems, soft stems (-ний), velar stems (к г х) and sibilant
# stems (ж ш ч щ); the slots line up so that several adjectives of one term agree with each other.
_SLOTS = ("m.nom", "m.nom2", "f.nom", "n.nom", "pl.nom", "mn.gen", "f.obl", "mn.dat", "f.acc", "mn.ins",
          "f.ins", "pl.gen", "pl.dat", "pl.ins", "mn.prep")
_ADJ = {
    "hard": ("ый", "ой", "ая", "ое", "ые", "ого", "ой", "ому", "ую", "ым", "ою", "ых", "ым", "ыми", "ом"),
    "soft": ("ий", "ий", "яя", "ее", "ие", "его", "ей", "ему", "юю", "им", "ею", "их", "им", "ими", "ем"),
    "velar": ("ий", "ой", "ая", "ое", "ие", "ого", "ой", "ому", "ую", "им", "ою", "их", "им", "ими", "ом"),
    "sibilant": ("ий", "ой", "ая", "ее", "ие", "его", "ей", "ему", "ую", "им", "ею", "их", "им", "ими", "ем"),
    "uk": ("ий", "ій", "а", "е", "і", "ого", "ої", "ому", "у", "им", "ою", "их", "им", "ими", "ому"),
}
# Noun endings that can go with each adjective slot (any declension).
_NOUN = {
    "m.nom": ("", "ь", "й"), "m.nom2": ("", "ь", "й"), "f.nom": ("а", "я", "ь"), "n.nom": ("о", "е"),
    "pl.nom": ("ы", "и", "а", "я", "і", "ї"), "mn.gen": ("а", "я", "у"), "f.obl": ("ы", "и", "е", "і", "ї"),
    "mn.dat": ("у", "ю", "ові", "еві"), "f.acc": ("у", "ю", "ь"), "mn.ins": ("ом", "ем", "ём"),
    "f.ins": ("ой", "ей", "ою", "ею", "ью"), "pl.gen": ("ов", "ев", "ей", "", "й", "ів", "їв"),
    "pl.dat": ("ам", "ям"), "pl.ins": ("ами", "ями"), "mn.prep": ("е", "и", "і", "у"),
}


def _longest_first(endings: set[str]) -> list[str]:
    """Endings to strip, longest first, in a fixed order (a set's order varies from process to process,
    and the patterns made from them must come out the same in every process)."""
    return sorted(endings, key=lambda e: (-len(e), e))


_ADJ_ENDINGS = _longest_first({e for table in _ADJ.values() for e in table})
_NOUN_ENDINGS = _longest_first({e for group in _NOUN.values() for e in group if e} | {"ах", "ях"})
# Endings that mark a written word as an adjective: nominative and genitive forms (как пишут термины),
# "ий/ие/их" only after letters that take them in adjectives (гелий, оборудование are nouns), and the
# bare adjective stems authors write ("газов", "ракетн", "артиллерийск", "инициирующ").
_ADJ_MARKS = ("ый", "ая", "яя", "ое", "ее", "ые", "ых", "ого", "его", "ой", "ыми", "ими")
_ADJ_MARKS_AFTER = ("к", "г", "х", "ж", "ш", "ч", "щ")
_ADJ_STEM_ENDS = ("ск", "цк", "ов", "ев", "ат", "ят", "ем", "ив", "ист", "уч", "ущ", "ющ", "ащ", "ящ")  # and н
# after a consonant (ракетн; патрон, экран are nouns). Some of these are also noun endings (нитрат, шлем,
# датчиков): before a noun such a word gets the noun endings too, unless it can only be an adjective.
_ONLY_ADJ_STEM_ENDS = ("н", "ск", "цк", "чат", "ущ", "ющ", "ащ", "ящ")
# The endings a term's last word is written with (nominative, genitive plural, adjectives): only these
# are cut, so a name that merely ends like an oblique case ("Суперкам") keeps its letters.
_WRITTEN_ENDINGS = _longest_first({"а", "я", "ы", "и", "ь", "о", "е", "й", "ов", "ев", "ей", "ый", "ий", "ой", "ая",
                                    "яя", "ое", "ее", "ые", "ие", "ых", "их", "ого", "его", "і", "ї", "ів", "їв"})
_VOWEL_STEM_ENDINGS = ("", "я", "и", "ю", "ей", "й", "ям", "ями", "ях", "е", "ем", "ею", "і", "ї", "єю")
MIN_STEM_LEN = 5       # a stem shorter than this matches too many other words: the word is kept whole
MIN_INNER_STEM = 3     # words inside a phrase are matched whole, so their stems may be shorter


def is_cyrillic(word: str) -> bool:
    """True when the word is written in Cyrillic letters only."""
    return bool(word) and all("\u0400" <= ch <= "\u04ff" for ch in word)


def _strip(word: str, endings: list[str], min_stem: int) -> str:
    """The word without its longest inflection ending, when a long enough stem remains."""
    if word.endswith("й") and (word[-2:-1] not in "ыиоі" or (word.endswith("ий") and word[-3:-2] not in "кгхжшчщ")):
        # -ей/-ай/-ий nouns (музей, китай, цирконий): only the й goes; цирконий is not циркон
        return word[:-1] if len(word) - 1 >= min_stem else word
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= min_stem:
            if ending == "и" and word[-2] not in "кгхжшчщл":
                # a plural in -и follows these letters (датчики, детали); elsewhere a word in -и is a
                # stem cut by hand (самари-й, пиротехни-ка), and a shorter cut would find самарканд
                return word
            return word[: -len(ending)]
    return word


def _adj_class(stem: str, written: str, lang: str) -> str:
    if lang == "uk":
        return "uk"
    if stem.endswith(("к", "г", "х")):
        return "velar"
    if stem.endswith(("ж", "ш", "ч", "щ")):
        return "sibilant"
    if stem.endswith("н") and written[len(stem):] in ("ий", "яя", "ее", "ие", "его", "ему", "их", "ими", "юю"):
        return "soft"
    return "hard"


def _adjective_kind(word: str) -> str | None:
    """"full" for a written adjective, "stem" for a bare stem that may be an adjective's, else None."""
    if word.endswith(_ADJ_MARKS) or (word[-2:] in ("ий", "ие", "их", "им") and word[-3:-2] in _ADJ_MARKS_AFTER):
        return "full"
    if word.endswith(_ADJ_STEM_ENDS) or (word.endswith("н") and word[-2:-1] not in "аеиоуыэюяіїє"):
        return "stem"
    return None


def _fleeting(stem: str) -> str | None:
    """The stem without its fleeting vowel (станок -> станк, образец -> образц), if it has one."""
    if len(stem) > MIN_STEM_LEN and stem[-1] in "кц" and stem[-2] in "оеё" and stem[-3] not in _VOWELS:
        return stem[:-2] + stem[-1]
    return None


def _last_word(word: str, single: bool) -> list[str]:
    """Patterns for the term's last word, without the leading space: open ones match word prefixes.

    The word is cut to its stem ("турбина" -> "турбин", "подшипников" -> "подшипник") and the stem
    matches as an open prefix, as a stem written by hand always did. Open, not restricted to the
    endings: a phrase ending in the same stem ("сигнальн ракет") must cover the single word's match
    ("ракет") to win over it, and it can only if both end at the stem. Other lexemes that share a
    stem ("ракетка", a tennis racket) are blockers in reference_data/context/blockers.yaml.
    """
    if len(word) < MIN_PREFIX_LEN:
        return [word + " "]
    # a single word keeps a final -о: neuter nouns are written as stems ("топлив"), and a cut name finds
    # ordinary words (БелОМО -> "белом", the case form of белый)
    stem = word if single and word.endswith("о") else _strip(word, _WRITTEN_ENDINGS,
                                                               MIN_STEM_LEN if single else MIN_STEM_LEN - 1)
    alt = _fleeting(stem)  # станок -> станк-а: alone, its case forms as whole words (not Станкевич)
    extra = ([alt] if not single else [alt + e + " " for e in _NOUN_ENDINGS if not any(c in e for c in "іїє")]) \
        if alt else []
    if stem == word:
        return [word] + extra
    if stem[-1] not in _VOWELS and stem[-1] != "й":
        return [stem] + extra
    if not single:  # насосн станци-я: inside a phrase an open vowel-final stem is specific enough
        return [stem]
    # росси-я, оружи-е alone: the word as written stays an open prefix, the stem gets its noun endings
    # as whole words (an open "грузи" would find the verb грузить)
    return [word] + [stem + e + " " for e in _VOWEL_STEM_ENDINGS]


def cyrillic_forms(norm: str, lang: str) -> list[str]:
    """Patterns for a Cyrillic term: each agreeing case form of the words before its head.

    The words before the first preposition are declined together: adjectives (and adjective stems
    such as "газов") take the adjective ending of a case slot, the head noun, unless it is the last
    word, takes the noun endings of that slot; words after the head are kept as written; the last
    word is a prefix (a stem: "турбин" covers турбина, турбины, турбинами).
    """
    words = norm.split(" ")
    single = len(words) == 1
    last = [" " + " ".join(words[:-1] + [w]) for w in _last_word(words[-1], single)]
    written = " " + norm + (" " if len(words[-1]) < MIN_PREFIX_LEN else "")
    if not any(written.startswith(p) for p in last if not p.endswith(" ")):
        last.append(written)  # the term as written, unless a stem already covers it
    if single:
        return last
    zone = len(words) - 1
    for i, w in enumerate(words[:-1]):
        if w in _PREPOSITIONS:
            zone = i
            break
    inflect: dict[int, str | None] = {}  # word index -> "full" | "stem" (adjectives) | None (the head noun)
    for i in range(zone):
        w = words[i]
        if len(w) < MIN_INNER_STEM + 1 or not is_cyrillic(w) or w in _CONJUNCTIONS:
            continue
        inflect[i] = _adjective_kind(w)
        if inflect[i] is None:
            break
    if not inflect:
        return last
    # the last declined word may be the head noun: a bare stem there also gets noun endings
    # ("датчиков давления" is датчик, "нитрат аммони" нитрат, not adjectives)
    maybe_head = max(inflect)
    tails = _last_word(words[-1], single)
    uk = lang == "uk"
    nouns = {slot: [e for e in ends if uk or not any(ch in e for ch in "іїє")] for slot, ends in _NOUN.items()}
    forms: dict[int, tuple[str, str, str, str | None]] = {}  # index -> adjective stem, its class, noun stem, fleeting
    for i, kind in inflect.items():
        w = words[i]
        adj_stem = _strip(w, _ADJ_ENDINGS, MIN_INNER_STEM) if kind == "full" else w
        noun_stem = _strip(w, _NOUN_ENDINGS, MIN_INNER_STEM)
        forms[i] = (adj_stem, _adj_class(adj_stem, w, lang), noun_stem, _fleeting(noun_stem))
    out = set(last)
    for slot_no, slot in enumerate(_SLOTS):
        choices: list[list[str]] = []
        for i, w in enumerate(words[:-1]):
            if i not in inflect:
                choices.append([w])
                continue
            adj_stem, cls, noun_stem, alt = forms[i]
            options = [adj_stem + _ADJ[cls][slot_no]] if inflect[i] else []
            if inflect[i] is None or (inflect[i] == "stem" and i == maybe_head and not w.endswith(_ONLY_ADJ_STEM_ENDS)):
                options += [s + e for e in nouns[slot] for s in (noun_stem, alt) if s and (s == noun_stem or e)]
            choices.append(options)
        combos = [[]]
        for options in choices:
            combos = [c + [o] for c in combos for o in options]
        for combo in combos:
            head = " ".join(combo)
            out.update(f" {head} {t}" for t in tails)
    return sorted(out)

