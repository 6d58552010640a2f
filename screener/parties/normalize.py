"""Name normalisation shared by list entries and screened input (one normaliser for both sides).

Steps: rigour `normalize_name` (case fold, punctuation), Chinese/Japanese legal suffixes cut, rigour
`remove_org_types` (legal forms in many languages: OOO, AO, JSC, ZAO, LLC, GmbH, Co. Ltd ...), rigour `ascii_text`
(transliteration of Cyrillic, Chinese, Arabic ...), then tokens of letters and digits. Left-over legal-form
tokens are dropped; generic words (trading, company, group ...) are kept but weigh little when scoring.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne
from rigour.names import extract_org_types, normalize_name, remove_org_types
from rigour.text import ascii_text

CJK_LEGAL = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司", "株式会社", "有限會社", "有限公司")
# legal-form words rigour may leave behind (transliteration variants, abbreviations); dropped entirely
LEGAL_TOKENS = frozenset("""
llc ltd ltda jsc pjsc ojsc cjsc ooo oao zao pao ao tov pp gmbh ag sa srl bv nv plc inc corp co fze fzco fzc fzllc llp lp
kg sarl spa sas pte pty bhd sdn jv ojsc nao tdo uab sia as oy ab kft zrt doo dd ad ead eood
obshchestvo obschestvo obshestvo publichnoe aktsionernoe aktsionernoye aktsionernoi otkrytoe otkrytoye zakrytoe
zakrytoye ogranichennoi ogranichennoy otvetstvennostyu otvetstvennostiu limited liability company incorporated
""".split())
GENERIC = frozenset("""
trading trade company group international holding holdings industries industry industrial enterprise enterprises
corporation general services service import export impex technologies technology tech systems system solutions
logistics global commercial investment investments management development engineering manufacturing production
plant factory zavod firma firm partners shipping marine energy electronics scientific research institute center
centre association the of and for de la le el al del des du di da und et y i na po v s dom torgovyi torgovy house
ltd co bank national state joint stock new world trust capital resources import export science nauchno
proizvodstvennoe predpriyatie obedinenie kompaniya gruppa concern kontsern goskorporatsiya goskorporatsiia aerospace defense defence air airlines
airways aviation electronic components component products supply supplies equipment
""".split()) | frozenset(  # place words: a shared country or city says little about identity
    """korea korean hong kong china chinese russia russian rossii iran iranian moscow moskva dubai beijing shanghai
    shenzhen guangzhou tianjin istanbul turkey uae emirates asia asian europe european america american africa
    pacific eurasia kazakhstan almaty tashkent uzbekistan armenia yerevan kyrgyzstan bishkek belarus minsk
    syria cuba venezuela north south east west petersburg izhevsk kazan novosibirsk ural siberia""".split())
PLACES = frozenset(
    """korea korean hong kong china chinese russia russian rossii iran iranian moscow moskva dubai beijing shanghai
    shenzhen guangzhou tianjin istanbul turkey uae emirates asia asian europe european america american africa
    pacific eurasia kazakhstan almaty tashkent uzbekistan armenia yerevan kyrgyzstan bishkek belarus minsk
    syria cuba venezuela petersburg izhevsk kazan novosibirsk siberia singapore malaysia india indonesia thailand
    vietnam lebanon iraq panama cyprus germany switzerland swiss london paris""".split())
GENERIC = GENERIC | PLACES
GENERIC_LONG = tuple(sorted(w for w in GENERIC if len(w) >= 6))
TOKEN = re.compile(r"[a-z0-9]+")
# words that are legal forms only in company names: set aside like the forms themselves (`OPEN <NAME>`, `PUBLIC
# <NAME>` are halves of OPEN/PUBLIC JOINT STOCK COMPANY)
LEGAL_LEFTOVERS = frozenset("""joint stock open closed public private company companiya kompaniya sirketi partnership
compania companhia compagnie""".split())
LEGAL_VOCAB = tuple(sorted((LEGAL_TOKENS | LEGAL_LEFTOVERS) - {"co", "ag", "sa", "as", "ab", "oy", "dd", "ad", "lp",
                                                               "kg", "nv", "bv", "pp", "jv"}))
LEGAL_LONG = tuple(w for w in LEGAL_VOCAB if len(w) >= 5)
LEGAL_SHORT = tuple(w for w in LEGAL_VOCAB if 3 <= len(w) <= 4)
# legal-form classes: a Russian/CIS form and a Western one on the two sides say two different companies
LEGAL_CLASSES = {
    "cis": frozenset("jsc ojsc cjsc pjsc ooo oao zao pao ao tov too nao odo uue tdo llp".split()),
    "west": frozenset("ag gmbh inc plc spa nv bv ab oy oyj asa se kg kgaa sas sarl srl sa ltda sae sapi sab".split()),
}


# common Chinese words of company names, given in English so they weigh as generic words do
CJK_GLOSSARY = {"进出口": " import export ", "技术": " technology ", "科技": " technology ", "贸易": " trading ",
                "国际": " international ", "电子": " electronics ", "实业": " industrial ", "控股": " holding ",
                "投资": " investment ", "物流": " logistics ", "工业": " industrial ", "发展": " development ",
                "有限": " ", "责任": " ", "股份": " "}
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")


def _cjk_word(match: re.Match) -> str:
    """A run of Chinese/Japanese characters becomes one romanised word (syllables joined: 华为 → huawei)."""
    return " " + "".join(TOKEN.findall(ascii_text(match.group(0)).lower())) + " "


def _cut_cjk(text: str) -> str:
    if not CJK_RUN.search(text):
        return text
    for suffix in CJK_LEGAL:
        text = text.replace(suffix, " ")
    for word, english in CJK_GLOSSARY.items():
        text = text.replace(word, english)
    return CJK_RUN.sub(_cjk_word, text)


@lru_cache(maxsize=200_000)
def name_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a name after legal-form removal and transliteration (ASCII, lower case).

    Legal-form words are recognised with one typo (`COMAPNY`, `OBSHCHESVTO`, `LLLC` at an end of the name) and
    set aside (spelt right before rigour looks for forms, so `LIMITED LIABILITY COMAPNY` goes as a whole); a
    generic word with one typo (`TRDAING`) becomes the generic word itself.
    """
    spelt = " ".join(_legal_spelling(w) for w in (normalize_name(_cut_cjk(name)) or "").split())
    raw = TOKEN.findall(ascii_text(remove_org_types(spelt)).lower())  # `LIMITED LIABILITY COMAPNY` goes whole
    toks = _without_legal(raw, True)
    if toks and all(t in GENERIC for t in toks):  # a short word taken for a form was the name: a typo of a form
        # (NAL), or a first word rigour knows as a form somewhere (NL SOLUTIONS, KB INVESTMENTS, IS BANK)
        toks = _without_legal(_first_word_back(raw, TOKEN.findall(ascii_text(spelt).lower())), False)
    if not toks:  # a name made only of legal-form words: keep what there is
        toks = tuple(TOKEN.findall(ascii_text(normalize_name(name) or "").lower()))
    return toks


def _first_word_back(raw: list[str], spelt: list[str]) -> list[str]:
    """`raw` with the name's first word put back when rigour took it for a legal form and it has 2-3 letters."""
    first = spelt[0] if spelt else ""
    return [first, *raw] if 2 <= len(first) <= 3 and (not raw or raw[0] != first) else raw


def _without_legal(raw: list[str], short_typos: bool) -> tuple[str, ...]:
    """The tokens that are not legal-form words, canonical; `short_typos`: 2-4 letter words one edit from a
    form at the name's ends count as forms too (`LLLC`, `LD`)."""
    last = len(raw) - 1
    legal = [legal_word(t, short_typos and i in (0, 1, last - 1, last))
             or (short_typos and len(t) == 2 and i in (0, last) and _short_end(t)) for i, t in enumerate(raw)]
    # `s` between legal words (OBSHCHESTVO S OGRANICHENNOY ...; `ss`, Cyrillic `c` by typo) belongs to the form
    legal = [x or (t in ("s", "ss", "c") and 0 < i < last and legal[i - 1] and legal[i + 1])
             for i, (t, x) in enumerate(zip(raw, legal))]
    return tuple(_canonical(t) for t, x in zip(raw, legal) if not x)


@lru_cache(maxsize=200_000)
def legal_word(token: str, at_edge: bool = True) -> bool:
    """A legal-form word, exactly, in another transliteration (`kompani`, Cyrillic Компаний, is `company`) or
    with one edit (long words anywhere; 3-4 letter forms at the name's ends)."""
    if token in LEGAL_TOKENS or token in LEGAL_LEFTOVERS:
        return True
    if token.isdigit() or len(token) < 3:
        return False
    if len(token) >= 5 and fold(token) in _legal_folds():
        return True
    if len(token) >= 4 and extractOne(token, LEGAL_LONG, scorer=OSA.distance, score_cutoff=1) is not None:
        return True
    return len(token) <= 4 and at_edge and extractOne(token, LEGAL_SHORT, scorer=OSA.distance,
                                                       score_cutoff=1) is not None


@lru_cache(maxsize=1)
def _legal_folds() -> frozenset[str]:
    """Legal-form words of 5+ letters, folded (transliteration variants of one word fold alike)."""
    return frozenset(fold(w) for w in LEGAL_VOCAB if len(w) >= 5)


@lru_cache(maxsize=100_000)
def _legal_spelling(token: str) -> str:
    """A legal-form word spelt with one typo, spelt right; any other token as it is."""
    if len(token) < 4 or token in LEGAL_TOKENS or token in LEGAL_LEFTOVERS:
        return token
    hit = extractOne(token, LEGAL_LONG, scorer=OSA.distance, score_cutoff=1)
    return hit[0] if hit is not None else token


def _short_end(token: str) -> bool:
    """A two-letter first or last word one edit from Ltd/LLC/Inc/JSC/OOO (`VTB FACTORING LD`, `OO NAME`)."""
    return token not in GENERIC and extractOne(token, ("ltd", "llc", "inc", "jsc", "ooo"), scorer=OSA.distance,
                                               score_cutoff=1) is not None


# short forms of generic words, written out (a name says `GRP` or `GRUP` where the list says `GROUP`)
ABBREVIATIONS = {"grp": "group", "grup": "group", "intl": "international", "mfg": "manufacturing"}


@lru_cache(maxsize=200_000)
def _canonical(token: str) -> str:
    """A generic word spelt with one edit after its first letter becomes that word (it then weighs and matches
    as the word does); a word of the name-token corpus stays itself (`aservice` is a name, not `service`).
    A short form (ABBREVIATIONS) becomes its word."""
    if token in ABBREVIATIONS:
        return ABBREVIATIONS[token]
    if len(token) < 6 or token in GENERIC or token.isdigit() or token in _corpus_tokens():
        return token
    hit = extractOne(token, GENERIC_LONG, scorer=OSA.distance, score_cutoff=1)
    return hit[0] if hit is not None and hit[0][0] == token[0] else token


@lru_cache(maxsize=1)
def _corpus_tokens() -> frozenset[str]:
    """Tokens of listed names (reference_data/parties/name_tokens.tsv): real name words, never typo-corrected."""
    path = Path(__file__).resolve().parents[2] / "reference_data" / "parties" / "name_tokens.tsv"
    with open(path, encoding="utf-8") as f:
        return frozenset(line.split("\t", 1)[0] for line in f if not line.startswith("#"))


@lru_cache(maxsize=200_000)
def legal_forms(name: str) -> frozenset[str]:
    """The legal forms a name states, in rigour's compare form (`jsc`, `ooo`, `gmbh`, `inc` ...)."""
    text = ascii_text(normalize_name(_cut_cjk(name)) or "").lower()
    text = " ".join(_legal_spelling(t) for t in TOKEN.findall(text))  # `JOINT STOK COMPANY` is a JSC too
    forms = {f for _, f in extract_org_types(text)}
    forms.update(t for t in TOKEN.findall(text) if t in LEGAL_CLASSES["cis"] or t in LEGAL_CLASSES["west"])
    if not forms and HALF_JSC.search(text):  # `STOCK COMPANY <NAME>`: a joint-stock company with a word left out
        forms.add("jsc")
    return frozenset(FORM_SAME.get(f, f) for f in forms)


HALF_JSC = re.compile(r"\b(?:joint )?stock company\b")
# the same form under its English and Russian compare names (rigour keeps `jsc` and `ao` apart)
FORM_SAME = {"ao": "jsc", "pao": "pjsc", "oao": "ojsc", "zao": "cjsc", "ooo": "llc", "tov": "llc", "too": "llp",
             "coltd": "ltd", "limited": "ltd", "corporation": "corp", "incorporated": "inc"}


def legal_class(forms: frozenset[str]) -> str:
    """`cis`, `west` or "" (none stated, or only forms used everywhere such as LLC, Ltd, Corp)."""
    for cls, members in LEGAL_CLASSES.items():
        if forms & members:
            return cls
    return ""


@lru_cache(maxsize=500_000)
def word_token(word: str) -> str:
    """One word of free text folded to the token form used by `name_tokens` (no legal-form removal)."""
    return "".join(TOKEN.findall(ascii_text(word.casefold()).lower()))


_SKEL_SUBS = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ck", "k"), ("ph", "f"), ("sch", "sh"), ("shch", "sh"),
              ("tch", "ch"), ("ts", "c"),
              ("c", "k"), ("q", "k"), ("w", "v"), ("v", "f"), ("z", "s"), ("j", "i"), ("y", "i"), ("x", "ks"))
_VOWELS = re.compile(r"(?<=.)[aeiou]+")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=500_000)
def fold(token: str) -> str:
    """Transliteration variants folded together (mikron/micron, kontsern/concern, kh/h, zh/dzh/j, y/i, v/ff,
    ks/x)."""
    if token.isdigit():
        return token
    s = token
    for a, b in _SKEL_SUBS:
        s = s.replace(a, b)
    return _DOUBLE.sub(r"\1", s)


@lru_cache(maxsize=500_000)
def skeleton(token: str) -> str:
    """A cheap phonetic key for blocking: the folded token with vowels after the first letter dropped."""
    return _VOWELS.sub("", fold(token))


def is_generic(token: str) -> bool:
    """Generic words carry little weight and can never be the only agreeing token."""
    return token in GENERIC


def is_place(token: str) -> bool:
    """A country or city word: says little about identity when shared, but two different ones differ."""
    return token in PLACES
