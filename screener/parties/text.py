"""Listed names inside free text: seeds from the blocking index, windows of content words scored around each
seed, one match per entity and span (`resolve`)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from countrynames.util import normalize_name

from screener.parties.normalize import (LEGAL_LEFTOVERS, LEGAL_TOKENS, is_generic, is_place, legal_forms, skeleton,
                                         word_token)
from screener.parties.places import country_names, split_place
from screener.parties.records import PartyMatch
from screener.parties.scorer import Scored, align, anchors

# screener.parties.match.PartyMatcher, which imports this module: named here, not imported
PartyMatcher = Any

TEXT_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)  # hyphens split words, as in names (SMT-ILOGIC)
TEXT_LEGAL = LEGAL_TOKENS | LEGAL_LEFTOVERS  # legal-form words in running text (exact: `open` is a word too)
# legal forms that are everyday words or units in lower case ("used as a material", "co-owner", "200 kg", "pp.
# 4-5", "day spa"): in running text they are legal forms only when written with a capital (AS, Co, SpA)
LOWER_CASE_WORDS = frozenset("ab ad as co kg lp pp spa".split())
# words that say the next name is a party to the trade (English, Russian and German, as word_token folds them)
ROLE_WORDS = frozenset("""consignee consignor buyer seller supplier shipper importer exporter customer beneficiary
payer manufacturer purchaser vendor receiver recipient forwarder behalf user end-user enduser client by via from to
gruzopoluchatel pokupatel postavshchik otpravitel poluchatel empfanger kaufer lieferant absender""".split())
# role words that label a line (`Buyer: <name>`); the short ones (by, to, via ...) may begin a name
LABEL_WORDS = frozenset(w for w in ROLE_WORDS if len(w) > 4)
MAX_SEED_ALIASES = 300  # a word that starts more aliases of one list than this seeds nothing
NEAR = 6  # words around a name searched for a legal form, a role word or a country
# words that say the next name is a ship's ("the tanker Snow", "M/V Happiness"): a listed vessel's name is often
# an ordinary word, which these back as a legal form backs a company's
VESSEL_WORDS = frozenset("vessel tanker ship mv mt imo bulker freighter".split())  # and M/V
# words before an aircraft's registration or name ("aircraft EP-MNL"), which back it as vessel words back a ship's
CRAFT_WORDS = VESSEL_WORDS | frozenset("aircraft airplane plane jet airliner helicopter registration tail".split())
# words after which a name is a model or part code ("model STC-45057", "ref MNL-27900")
CODE_WORDS = frozenset("model models ref serial sn pn part type art item sku po no nr code lot".split())


@lru_cache(maxsize=100_000)
def _country(words: str) -> str | None:
    """ISO-2 code of a country name, code-free (`Russia`, `Finland`, `Россия`), else None.

    What `countrynames.to_code(words)` answers, read from its table: `to_code` first scans every code
    (~0.7 ms a call), which was half the time of reading parties in messy text, where most words are new."""
    if len(words) < 4:
        return None
    plain = words.replace(" ", "")
    # ASCII letters fold by lower case alone; the rest through normality's ICU transliteration, as countrynames does
    name = " ".join(words.lower().split()) if plain.isascii() and plain.isalpha() else normalize_name(words.upper())
    code = country_names().get(name) if name else None
    return code if code != "FAIL" else None


def find_in_text(matcher: "PartyMatcher", text: str) -> list["PartyMatch"]:
    """Listed names inside free text, with char spans in `text`.

    Seeds are text words found in the blocking index (exact token or phonetic skeleton); each seed's aliases
    are scored on windows of content words around it (legal-form words skipped). Single-word names need an
    exact, capitalised word; multi-word names need the threshold and one capitalised word (unless the whole
    text is lower case).
    """
    if not text:
        return []
    ix = matcher.index
    words = [(m.start(), m.end(), m.group(0), word_token(m.group(0))) for m in TEXT_WORD.finditer(text)]
    if _is_a_name(words, text):  # the text is a name (a consignee line): decide as for a name column
        as_name = _name_line(matcher, text, words)
        if as_name:
            return as_name  # else read it as text: a short title-case line ("Bearings for Testovy Zavod JSC")
    content = [i for i, w in enumerate(words) if w[3] and w[3] not in TEXT_LEGAL]
    countries = _text_countries(words)
    lower_text = not any(ch.isupper() for ch in text)
    toks = [words[i][3] for i in content]
    found: dict[tuple[int, int, int], tuple] = {}
    tried: set[tuple[int, int]] = set()
    near_sets: dict[tuple[int, int], set[str]] = {}
    aligned: dict[tuple[int, tuple[str, ...]], Scored] = {}
    for p, tok in enumerate(toks):
        if len(tok) < 2 or is_generic(tok):
            continue
        for aid in ix.text_candidates(tok, MAX_SEED_ALIASES):
            al = ix.aliases[aid]
            n = len(al.tokens)
            if n > 1:  # cheap check before scoring: most of the alias's weight is near the seed
                near_set = near_sets.get((p, n))
                if near_set is None:
                    near = toks[max(0, p - n):p + n + 1]
                    near_set = near_sets[(p, n)] = set(near) | {skeleton(t) for t in near}
                present = sum(w for t, w in zip(al.tokens, al.weights)
                              if t in near_set or skeleton(t) in near_set)
                if present < (al.total - 1e-9 if al.strict else 0.6 * al.total):
                    continue
            for size in ((n, n + 1) if n >= 2 and not al.strict else (n,)):
                for start in range(max(0, p - size + 1), min(p, len(toks) - size) + 1):
                    if (aid, start * 1000 + size) in tried:
                        continue
                    tried.add((aid, start * 1000 + size))
                    wi = content[start:start + size]
                    if not lower_text and not any(words[i][2][:1].isupper() for i in wi
                                                  if not is_generic(words[i][3])):
                        continue
                    window = tuple(toks[start:start + size])
                    sc = _window_score(matcher, aid, window, aligned)
                    if sc is None:
                        continue
                    d = _decide(matcher, aid, sc, window, text, words, wi[0], wi[-1], countries)
                    if not d.tier:
                        continue
                    key = (al.entity, wi[0], wi[-1])
                    cur = found.get(key)
                    if cur is None or (d.tier == "match", d.score) > (cur[0].tier == "match", cur[0].score):
                        found[key] = (d, aid, sc.pairs, "exact" if sc.score >= 0.999 else "fuzzy")
    return resolve(_made(matcher, text, words, found, set(content)))


def _name_line(matcher: "PartyMatcher", text: str, words: list[tuple]) -> list["PartyMatch"]:
    """A text that is a name, decided as a name column decides it; the span ends before a place after it."""
    s, e = words[0][0], max(len(split_place(text)[0].rstrip(" ,;.(")), words[0][1])
    return [replace(m, start=s, end=e, matched_text=text[s:e]) for m in matcher.match_name(text)]


def _window_score(matcher: "PartyMatcher", aid: int, window: tuple[str, ...], aligned: dict) -> Scored | None:
    """The score of a window of text words against alias `aid` (exactly its words for a strict or one-word
    alias), or None below the review threshold. `aligned` remembers the windows already scored."""
    al = matcher.index.aliases[aid]
    if al.strict or len(al.tokens) == 1:
        if sorted(window) != sorted(al.tokens):
            return None
        return Scored(1.0, [(t, t, 1.0) for t in window], frozenset(range(len(window))))
    sc = aligned.get((aid, window))
    if sc is None:
        ix = matcher.index
        sc = aligned[(aid, window)] = align(window, tuple(ix.weight(t) for t in window), al.tokens, al.weights,
                                            aunits=al.units, floor=matcher.review)
    return sc if sc.score >= matcher.review else None


def _made(matcher: "PartyMatcher", text: str, words: list[tuple], found: dict, content: set[int]) -> list:
    """The match records of the found (entity, first word, last word) spans, each widened over the legal-form
    words around it (`OOO <name>`, `<name> JSC`)."""
    out = []
    for (_, i0, i1), (d, aid, pairs, method) in found.items():
        while i0 > 0 and _legal_word(words, i0 - 1) and i0 - 1 not in content:
            i0 -= 1
        while i1 + 1 < len(words) and _legal_word(words, i1 + 1) and i1 - i0 < 12:
            i1 += 1
        s, e = words[i0][0], words[i1][1]
        out.append(matcher.make(aid, d, pairs, method, (s, e), text[s:e]))
    return out


NAME_CONNECTORS = frozenset("of and de la del di da the for und et y s i v na al el le du des".split())
MAX_NAME_WORDS = 10


def _is_a_name(words: list[tuple], text: str) -> bool:
    """A short text whose words all start with a capital or a letter without case (CJK, Arabic), or are
    connectors such as `of`, `de`: a name as a party column holds it, not a sentence. A line led by a role
    word (`Buyer: ...`, `Consignee ...`) or a label with a colon is a party line to scan, not a name."""
    if not words or len(words) > MAX_NAME_WORDS:
        return False
    if words[0][3] in LABEL_WORDS or ":" in text[:words[-1][1]]:
        return False
    for w in words:
        first = w[2][:1]
        if first.islower() and w[3] not in NAME_CONNECTORS:  # (CJK has no case; numbers are name words too)
            return False
    return True


def _text_countries(words: list[tuple]) -> list[str | None]:
    """Per word of the text: the country it (alone or with the next word) names, else None."""
    out: list[str | None] = []
    for i, w in enumerate(words):
        code = _country(w[2]) if w[2][:1].isupper() else None
        if code is None and i + 1 < len(words) and w[2][:1].isupper():
            code = _country(f"{w[2]} {words[i + 1][2]}")
        out.append(code)
    return out


def _decide(matcher: "PartyMatcher", aid: int, sc: Scored, window: tuple[str, ...], text: str, words: list[tuple],
            i0: int, i1: int, countries: list[str | None]):
    """The name rule of `scorer.decide`, plus what running text needs, where most capitalised words are no names.

    A name counts on its own when two of its own words agree: words that are neither everyday English (`high`,
    `precision`, `order`), nor numbers, nor an English word the text spells where the listed name has another
    (`model` for `MODUL`). On one such word, it needs a legal form next to it, a role word (`consignee`,
    `supplied by` …) or the entity's country near it; a word of three letters or fewer (`STC`, `GRU`) a legal
    form. On none (`Alpha`, `Green`, `Milling Machines`), a legal form next to it, and it is a review unless that
    is the listed legal form, or the text has the whole listed name of several words with capitals. A ship's or
    an aircraft's name counts only after a word that says so; a number or a piece of a model or part code never
    (`9 kg order`, `MODEL GRU-44500`)."""
    lo, hi = max(0, i0 - NEAR), min(len(words), i1 + 1 + NEAR)
    al = matcher.index.aliases[aid]
    legal_next = _legal_next_to(matcher, text, words, i0, i1, al)
    forms = legal_forms(" ".join(legal_next)) if legal_next else frozenset()
    near_countries = [c for c in countries[i1 + 1:hi] + countries[lo:i0] if c]
    ent = matcher.index.entities[al.entity]
    d = matcher.decide(aid, sc, window, forms, near_countries[0] if near_countries else None)
    if d.tier == "review" and sc.score < matcher.threshold:  # in running text, a review is a held match only
        return replace(d, tier="")
    if not d.tier:
        return d
    agree = anchors(sc.pairs)
    if ent.schema in ("vessel", "aircraft"):  # "the tanker Snow", "M/V Happiness"; not "from Hai", "Marlin Pvt Ltd"
        if not _craft_word_before(text, words, i0):
            return replace(d, tier="")
        return replace(d, tier="match", held_by="") if d.held_by == "common_word" and d.score >= matcher.threshold else d
    if _in_a_code(text, words, i0, i1, agree):
        return replace(d, tier="")  # "MODEL STC-45057"
    if len(al.tokens) == 1 and (al.strength == "weak" or is_place(al.tokens[0])):
        return replace(d, tier="")  # OFAC's "weak a.k.a." and place names are not screened alone: "Oslo"
    # (a person's given names are everyday words: `Arthur Petrov` agrees on two words of its own)
    named = [q for q, _, _ in agree if not q.isdigit()]
    own = named if ent.schema == "individual" and len(named) >= 2 else _own_words(matcher, agree)
    if len(own) >= 2 or _whole_name_capitalised(sc, words, i0, i1, al):
        return d  # two words of its own, or the whole listed name as a name is written (SMILE TECHNOLOGIES, Gaz Group)
    if _longer_name(matcher, words, i0, i1, al):
        return replace(d, tier="")  # "Norsk Hydro ASA" is not "HYDRO COMPANY S.A.L."
    if not own or d.held_by == "common_word" or own[0] in matcher.index.common:
        if not legal_next:
            return replace(d, tier="")
        return d if d.held_by == "common_word" or forms & al.forms else replace(d, tier="review", held_by="common_word")
    if len(own[0]) <= 3:  # a short word is too often a code or an abbreviation: "via STC"
        return d if legal_next else replace(d, tier="")
    # in prose a role word may stand a few words back ("the consignee named on the invoice is ROTOR"); in a line
    # without capitals that mean anything (all lower case, ALL CAPS, Title Case) it must introduce the name
    prose = words[i0][2][:1].isupper() and any(w[2][:1].islower() for w in words)
    backed = bool(legal_next) or _role_word_before(words, i0, NEAR if prose else 2) or any(
        c in ent.countries for c in near_countries)
    return d if backed else replace(d, tier="")


def _role_word_before(words: list[tuple], i0: int, reach: int) -> bool:
    """A role word before the name (`consignee X`, `supplied by the X`, `on behalf of X`), at most `reach` words
    before it, legal-form and connecting words aside: in a dense line (`supplier ionari llc assorted green
    refrigerators, electronic milling machines`) a role word further back names someone else."""
    j, seen = i0 - 1, 0
    while j >= 0 and seen < reach:
        token = words[j][3]
        if token in ROLE_WORDS:
            return True
        if not (_legal_word(words, j) or token in NAME_CONNECTORS):
            seen += 1
        j -= 1
    return False


def _own_words(matcher: "PartyMatcher", agree: list) -> list[str]:
    """The agreeing words that say whose name it is: not everyday English, not numbers, and not an English word
    where the listed name has another (`model` for `modul`: a transliteration agrees, a different word does not)."""
    english = matcher.index.common_in_text
    return [q for q, a, _ in agree if q not in english and a not in english and not q.isdigit()]


def _whole_name_capitalised(sc: Scored, words: list[tuple], i0: int, i1: int, alias) -> bool:
    """The text has the listed name's words, all of them exactly (two or more), each with a capital, in a text
    where capitals say something (some words begin in lower case: not an ALL CAPS or Title Case line)."""
    if not (len(alias.tokens) >= 2 and sc.score >= 0.999 and len(sc.pairs) == len(alias.tokens)):
        return False
    if not any(w[2][:1].islower() for w in words):
        return False
    return all(words[i][2][:1].isupper() for i in range(i0, i1 + 1) if words[i][3] in alias.tokens)


def _legal_next_to(matcher: "PartyMatcher", text: str, words: list[tuple], i0: int, i1: int, alias) -> list[str]:
    """The legal-form words next to a name: those right after it and its listed name's minor words (`Planar LLC`,
    `X Co., Ltd`, `Asasi Food Fze`), and those right before it when a role word, an everyday word, punctuation
    or the line's start comes before them (`consignee LLC Planar`, `is OPEN JOINT STOCK COMPANY RIKOR`), not the
    legal form that ends the name before (`LOSUNSUN LLC SMART`, `QIZEN SARL STC`)."""
    out = []
    j = i1 + 1
    listed = {word_token(w) for w in TEXT_WORD.findall(alias.text)}
    while j < len(words) and j - i1 <= 2 and words[j][3] in listed and not _legal_word(words, j):
        j += 1  # the listed name's own minor words come first (`Asasi Food Fze`, `Laggar Pro, Ooo`)
    while j < len(words) and j - i1 <= 5 and _legal_word(words, j):
        out.append(words[j][3])
        j += 1
    j = i0 - 1
    while j >= 0 and i0 - j <= 5 and (_legal_word(words, j) or (  # `OBSHCHESTVO S OGRANICHENNOI …`
            words[j][3] in NAME_CONNECTORS and j > 0 and _legal_word(words, j - 1))):
        j -= 1
    if j < i0 - 1 and (j < 0 or words[j][3] in ROLE_WORDS or words[j][3] in matcher.index.common_in_text
                       or text[words[j][1]:words[j + 1][0]].strip()):
        out.extend(words[k][3] for k in range(j + 1, i0))
    return out


def _craft_word_before(text: str, words: list[tuple], i0: int) -> bool:
    """A word that says a ship's or an aircraft's name follows, within three words before it (`M/V`, `tanker`)."""
    prev = [words[k] for k in range(max(0, i0 - 3), i0)]
    if any(w[3] in CRAFT_WORDS for w in prev):
        return True
    return any(a[3] == "m" and b[3] == "v" and text[a[1]:b[0]] == "/" for a, b in zip(prev, prev[1:]))


def _in_a_code(text: str, words: list[tuple], i0: int, i1: int, agree: list) -> bool:
    """The agreeing words are numbers (`ORDER 9` in "9 kg order", `SET 1`), or the name is a piece of a code:
    joined by a hyphen or a slash to digits (`GRU-44500`, `STC-45057`) or after a code word (`model STC`)."""
    anchors_ = [q for q, _, _ in agree] or [words[i][3] for i in range(i0, i1 + 1)]
    if all(t.isdigit() for t in anchors_):
        return True
    if i0 > 0 and words[i0 - 1][3] in CODE_WORDS:
        return True
    for a, b in ((i0 - 1, i0), (i1, i1 + 1)):
        if 0 <= a and b < len(words) and text[words[a][1]:words[b][0]] in ("-", "/") and any(
                ch.isdigit() for ch in words[a if a < i0 else b][3]):
            return True
    return False


def _legal_word(words: list[tuple], i: int) -> bool:
    """Whether text word `i` is a legal-form word: not a unit after a number ("200 kg" is kilograms, not a
    Kommanditgesellschaft), nor an everyday word in lower case ("it is used as a material") or among capitals."""
    raw, token = words[i][2], words[i][3]
    if (i > 0 and words[i - 1][3].isdigit()) or (token in LOWER_CASE_WORDS and raw.islower()):
        return False
    if token in LOWER_CASE_WORDS and raw.isupper() and all(  # "… STC AS CARTONS …": in capitals, just a word
            words[k][2].isupper() for k in (i - 1, i + 1) if 0 <= k < len(words)):
        return False
    # rigour's org types know more forms than the word lists (`SAU`, `SAS`, `Kft`), written with a capital
    return token in TEXT_LEGAL or (not raw.islower() and len(token) >= 3 and bool(legal_forms(token)))


def _longer_name(matcher: "PartyMatcher", words: list[tuple], i0: int, i1: int, alias) -> bool:
    """A capitalised word right before the matched words (a space or a hyphen between) that the listed name
    lacks makes the text's name another, longer one: `Norsk Hydro` is not `HYDRO COMPANY`. Legal forms, role
    words, places and everyday English words (`Russian`, `Yesterday`) do not count; nor do words after the name,
    where legal forms stand, many of them rare (`DIAMVILLE SAU`, `Ventora Development Sasu`)."""
    if i0 == 0 or words[i0][0] - words[i0 - 1][1] != 1:
        return False
    raw, token = words[i0 - 1][2], words[i0 - 1][3]
    return (raw[:1].isupper() and token.isalpha() and token not in alias.tokens and token not in TEXT_LEGAL
            and token not in ROLE_WORDS and not is_place(token) and not is_generic(token)
            and token not in matcher.index.common_in_text and not legal_forms(token) and _country(token) is None)


def resolve(matches: list["PartyMatch"]) -> list["PartyMatch"]:
    """One match per entity (best score, then longest span); within overlapping spans keep the best-scoring
    entries (ties kept: two listed entities may share a name)."""
    per_entity: dict[tuple[str, str], "PartyMatch"] = {}
    for m in matches:
        cur = per_entity.get((m.list, m.entity_id))
        if cur is None or _rank(m) > _rank(cur):
            per_entity[(m.list, m.entity_id)] = m
    ms = sorted(per_entity.values(), key=lambda m: (m.tier != "match", -m.score, -(m.end - m.start), m.start))
    kept: list["PartyMatch"] = []
    for m in ms:
        clash = [k for k in kept if k.start < m.end and m.start < k.end]
        if clash and any(_rank(k)[:2] > _rank(m)[:2] or (k.end - k.start) > (m.end - m.start) for k in clash):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: (m.start, -m.score))


def _rank(m: "PartyMatch") -> tuple:
    """A match before a review, then the higher score, then the longer span."""
    return (m.tier == "match", m.score + 1e-9, m.end - m.start)
