"""One text screened in full: every finding with its span, every fired rule with its evidence.

The verdict (score, band, fired rules) comes from the same `Screener.score_frame` the batch path uses,
so one text and a batch row can never disagree; this module only adds spans and explanations.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from rapidfuzz import fuzz

from screener.engine import Screener
from screener.lexicon.forms import has_cjk
from screener.match.nomenclature import matched_span, nomenclature_for
from screener.match.pipeline import Matches
from screener.match.typos import Repairs, brand_cased
from screener.reference.goods_lists import describe_threshold
from screener.results import (CodeSpan, Control, Evidence, Findings, FiredRule, GoodsMention, GoodsSpan, HsCode, Phrase,
                              Place, Screening, Value)
from screener.score import combine
from screener.text.language import coverage, detect_language, language_shares
from screener.text.normalize import fold_spaces, normalize


class _Offsets:
    """Byte offsets into the matcher's text (normalised, padded, spaces folded) → original characters.

    The matcher's offsets are one less than offsets into `fold_spaces(" " + normalize(text) + " ")`.
    Offsets are converted in columns (numpy): a long text has hundreds of thousands of hits.
    """

    def __init__(self, folded: str, where: np.ndarray):
        self.folded, self.where = folded, where
        self.starts = None  # an ASCII text: a byte is a character
        if not folded.isascii():  # where each character's UTF-8 bytes start: at the bytes that continue none
            raw = np.frombuffer(folded.encode("utf-8"), dtype=np.uint8)
            self.starts = np.append(np.flatnonzero((raw & 0xC0) != 0x80), raw.size)

    @classmethod
    def of(cls, text: str) -> "_Offsets":
        return cls(*fold_spaces(" " + normalize(text) + " "))

    def chars(self, byte: np.ndarray) -> np.ndarray:
        """Character offsets in the original text of matcher byte offsets."""
        last = len(self.where) - 1
        index = np.minimum(byte + 1, last) if self.starts is None else \
            np.searchsorted(self.starts, byte + 1, side="right") - 1
        return self.where[index] - 1


def _repair_map(folded: str, repairs: Repairs, kept: frozenset[str]) -> tuple[str, np.ndarray]:
    """The repaired folded text and, for each of its characters (and its end), the folded index.

    A repaired word's characters map to the original word's (the last one to its last character); in
    columns, as a long text has hundreds of thousands of words.
    """
    # (the folded text is padded with a space at both ends: its tokens are "", the words, "")
    tokens = folded.split(" ")
    fixed = repairs.fix(tokens, kept)
    old = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    new = np.fromiter(map(len, fixed), dtype=np.int64, count=len(fixed))
    span = new + 1  # each token's characters, then the space after it (after the last: the end)
    at = np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span)
    base = np.repeat(np.cumsum(old + 1) - (old + 1), span)
    inside = base + np.minimum(at, np.repeat(np.maximum(old - 1, 0), span))
    return " ".join(fixed), np.where(at < np.repeat(new, span), inside, base + np.repeat(old, span))


def _word_ends(norm: str, ends: np.ndarray) -> np.ndarray:
    """Each end moved on to the end of its word (the next space of `norm`, or its end)."""
    spaces = np.append(np.flatnonzero(np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32) == 32), len(norm))
    return spaces[np.searchsorted(spaces, ends)]


Maps = tuple[str, _Offsets, _Offsets]


def _maps(text: str, repairs: Repairs) -> Maps:
    """The normalised text, and the offset maps of the matcher's text and of its typo-repaired form (a text's
    hits and its dropped mentions share them: on a long text they cost a second)."""
    offsets = rep = _Offsets.of(text)
    if repairs:
        kept = frozenset(brand_cased(pl.DataFrame({"row": [0], "text": [text]}))["word"])
        repaired, back = _repair_map(offsets.folded, repairs, kept)
        rep = _Offsets(repaired, offsets.where[back])
    return normalize(text), offsets, rep


def _spans(text: str, hits: pl.DataFrame, repairs: Repairs, maps: Maps | None = None) -> list[dict]:
    """The hits with `start`, `end` (characters of `text`) and `text`; fuzzy ones with their similarity."""
    norm, offsets, rep = maps or _maps(text, repairs)
    located = hits["matcher"] != "pattern"
    starts, ends = np.full(hits.height, -1, dtype=np.int64), np.full(hits.height, -1, dtype=np.int64)
    for conv, which in ((offsets, located & (hits["matcher"] != "fuzzy")), (rep, hits["matcher"] == "fuzzy")):
        rows = np.flatnonzero(which.to_numpy())
        start, end = hits["start"].to_numpy()[rows], hits["end"].to_numpy()[rows]
        starts[rows] = conv.chars(start)
        ends[rows] = np.where(end > start, conv.chars(end - 1) + 1, starts[rows])
    # a span ends with its word, except in a script written without spaces
    cut = np.flatnonzero(located.to_numpy())
    keep = np.fromiter((has_cjk(text[e - 1:e]) for e in ends[cut]), dtype=bool, count=cut.size)
    ends[cut] = np.where(keep, ends[cut], _word_ends(norm, ends[cut]))
    out = []
    for h, start, end in zip(hits.to_dicts(), starts.tolist(), ends.tolist()):
        if h["matcher"] == "pattern":
            start = text.find(h["matched"])
            end = start + len(h["matched"])
        h["start"], h["end"], h["text"] = start, end, text[start:end]
        if h["matcher"] == "fuzzy":
            h["similarity"] = round(fuzz.ratio(norm[start:end], h["form"]) / 100, 3)
        out.append(h)
    return out


def _controls(screener: Screener, code: str) -> tuple[Control, ...]:
    return tuple(Control(c["list"], c["entry"], c["tier"], bool(c.get("partial")), c.get("direction"),
                         describe_threshold(c.get("threshold_kind"), c.get("threshold_value"),
                                            c.get("threshold_currency")) or None)
                 for c in screener.reference.controls_for(code))


def _values(matches: Matches, text: str) -> tuple[Value, ...]:
    out, at = [], 0
    for raw, amount in matches.values.select("raw", "amount").iter_rows() if matches.values is not None else ():
        start = text.find(raw, at)
        out.append(Value(raw, start, start + len(raw), amount))
        at = max(start, 0) + len(raw)
    return tuple(out)


def screen(screener: Screener, text: str, fuzzy: bool = True) -> Screening:
    """Screen one text: goods, codes, places, parties and phrases with their spans, the verdict, and every
    fired rule with the evidence of the predicates that decided it (read from the columns that did)."""
    return screens(screener, [text], fuzzy)[0]


def screens(screener: Screener, texts: list[str], fuzzy: bool = True) -> list[Screening]:
    """`screen` of each text, with the column work (matching, features, rules) done once for all: one text
    costs ~40 ms, nearly all of it the fixed cost of a column pass, so a report that explains 1,000 rows
    pays it once. The result of each text is the same either way."""
    scored = screener.score_frame(list(texts), fuzzy=fuzzy, parties_in_text=True, explain=True)
    hits = scored.matches.hits.partition_by("row", as_dict=True, include_key=True)
    codes = scored.matches.codes.partition_by("row", as_dict=True, include_key=True)
    values = scored.matches.values.partition_by("row", as_dict=True, include_key=True)
    dropped = scored.matches.dropped.partition_by("row", as_dict=True, include_key=True)
    memo: dict[str, tuple[Control, ...]] = {}
    return [_screen_one(screener, text, scored.out.row(i, named=True), scored.features.row(i, named=True),
                        Matches(hits.get((i,), scored.matches.hits.clear()),
                                codes.get((i,), scored.matches.codes.clear()),
                                scored.matches.repairs, values.get((i,), scored.matches.values.clear()),
                                dropped.get((i,), scored.matches.dropped.clear())), memo)
            for i, text in enumerate(texts)]


def _screen_one(screener: Screener, text: str, row: dict, feats: dict, matches: Matches,
                memo: dict[str, tuple[Control, ...]]) -> Screening:
    """One text's screening from its row of a column pass (`memo`: list entries by code, shared by the texts)."""
    hits = tuple(screener.parties.find_in_text(text)) if screener.parties is not None else ()
    parties = tuple(p for p in hits if p.tier == "match")
    review = tuple(p for p in hits if p.tier == "review")
    maps = _maps(text, matches.repairs)
    found = findings(screener, text, row["hs_codes"], matches, memo, hits, net_of(feats), maps)
    goods, codes, countries, phrases = found.goods, found.codes, found.places, found.phrases
    issues = _code_issues(screener, codes, goods)
    candidates = [] if any(c.origin == "inferred" for c in codes) else nomenclature_for(screener.reference).rank(text)
    rules = fired_rules(screener, feats, found)
    score, parts = combine([(r.family, r.weight) for r in rules], screener.rules.scoring)
    if score != row["score"]:
        raise AssertionError("single-text score must equal the column score")
    return Screening(
        score=row["score"], band=row["band"], goods=goods, hs_codes=codes, countries=countries, parties=parties,
        phrases=phrases, rules=rules, score_parts={k: round(v, 1) for k, v in parts.items()},
        code_issues=tuple(issues), hs_candidates=tuple(candidates), versions=screener.versions, values=found.values,
        review=review, dropped=_dropped(screener, text, matches, maps), held_back=held_back(screener, feats),
        **_language_of(screener, text))


def _dropped(screener: Screener, text: str, matches: Matches, maps: Maps | None = None) -> tuple[dict, ...]:
    """The goods mentions context dropped (inside a company name or a blocker phrase, near a suppressing word,
    a weak term alone), each once, with its span and the reason: what the screener chose not to flag."""
    if matches.dropped is None or matches.dropped.is_empty():
        return ()
    entries, out, seen = screener.reference.entries, [], set()
    for h in sorted(_spans(text, matches.dropped, matches.repairs, maps), key=lambda h: (h["start"], -h["end"])):
        key = (h["ref"], h["start"], h["end"])
        if key in seen:
            continue
        seen.add(key)
        out.append({"term": h["form"].strip(), "canonical": entries[h["ref"]].label if h["ref"] in entries else h["ref"],
                    "start": h["start"], "end": h["end"], "text": h["text"], "reason": h["reason"]})
    return tuple(out)


def net_of(feats: dict) -> tuple[str, float] | None:
    """The nomenclature net's candidate of a row of features (code, similarity), if it has one."""
    codes = feats.get("nomenclature") or []
    return (codes[0], feats["nomenclature_sim"]) if codes else None


def _net_mention(screener: Screener, text: str, net: tuple[str, float]) -> GoodsMention:
    """The net's candidate as a goods finding: matcher `nomenclature`, the description it matched as the term,
    the span of the words they share."""
    code, similarity = net
    start, end, description = matched_span(nomenclature_for(screener.reference), text, code)
    return GoodsMention(term=description, canonical=description, category="nomenclature", start=start, end=end,
                        text=text[start:end], matcher="nomenclature", similarity=round(similarity, 3), hs=(code,),
                        entry_id=f"nomenclature:{code}", negated=False, hypothetical=False, strength="possible")


_SHARES: dict[str, dict[str, float]] = {}  # reference version -> language shares of its lexicon


def _language_of(screener: Screener, text: str) -> dict[str, str]:
    """The text's language and the lexicon's coverage of it, so that a text in a language without terms
    says so instead of scoring `none` silently."""
    version = screener.versions.get("reference", "")
    if version not in _SHARES:
        _SHARES[version] = language_shares(screener.reference.entries.values())
    lang = detect_language(text)
    return {"language": lang, "coverage": coverage(lang, _SHARES[version])}


def findings(screener: Screener, text: str, ranked_codes: str | None, matches: Matches,
             memo: dict[str, tuple[Control, ...]], parties: tuple = (), net: tuple[str, float] | None = None,
             maps: Maps | None = None) -> Findings:
    """Goods, codes, places and phrases of one text with their spans, from its matches in a column pass, and
    the party matches given (`screen` looks for them in the text; `check` has the batch's own); `net`, the
    nomenclature net's candidate of the row, is a goods finding of its own (not an HS code of the text: it
    is weighed by its own rule, never as a lexicon hit); `maps`, the text's offset maps when already made."""
    hits = sorted(_spans(text, matches.hits, matches.repairs, maps), key=lambda h: (h["start"], -h["end"]))
    entries = screener.reference.entries
    goods = tuple(GoodsMention(
        term=h["form"], canonical=entries[h["ref"]].label, category=entries[h["ref"]].category,
        start=h["start"], end=h["end"], text=h["text"], matcher=h["matcher"], similarity=h["similarity"],
        hs=tuple(entries[h["ref"]].hs6), entry_id=h["ref"], negated=bool(h["negation"]),
        hypothetical=bool(h["hypothetical"]), strength=h["strength"]) for h in hits if h["kind"] == "goods")
    places = screener.reference.places.by_code()
    groups = screener.reference.places.groups_of()
    countries = tuple(Place(h["ref"], places[h["ref"]].name if h["ref"] in places else h["ref"],
                            tuple(groups.get(h["ref"], [])), h["start"], h["end"], h["text"], h["role"])
                      for h in hits if h["kind"] == "country")
    phrases = tuple(Phrase(h["ref"], h["start"], h["end"], h["text"]) for h in hits if h["kind"] == "phrase")
    codes = _hs_codes(screener, matches, ranked_codes, goods, text, memo)
    if net is not None:
        goods = goods + (_net_mention(screener, text, net),)
    return Findings(goods, codes, countries, phrases, tuple(parties), _values(matches, text))


def screen_text(screener: Screener, text: str, fuzzy: bool = True) -> dict:
    """`screen` as the JSON-ready dict of `screen --format json`."""
    return screen(screener, text, fuzzy).to_dict()


def screen_texts(screener: Screener, texts: list[str], fuzzy: bool = True) -> list[dict]:
    """`screens` as the JSON-ready dicts."""
    return [s.to_dict() for s in screens(screener, texts, fuzzy)]


def _hs_codes(screener: Screener, matches: Matches, ranked: str | None, goods: tuple[GoodsMention, ...], text: str,
              memo: dict[str, tuple[Control, ...]]) -> tuple[HsCode, ...]:
    found: dict[str, tuple[str, list]] = {}  # code -> (origin, evidence), in the order first met

    def cite(code: str, origin: str) -> list:
        return found.setdefault(code, (origin, []))[1]

    def controls(code: str) -> tuple[Control, ...]:
        if code not in memo:  # (a lookup costs ~0.5 ms; a long text names the same codes thousands of times)
            memo[code] = _controls(screener, code)
        return memo[code]

    for c in matches.codes.to_dicts():
        start = text.find(c["raw"])
        cite(c["code"], "declared").append(CodeSpan(c["raw"], start, start + len(c["raw"])))
    cited: set[tuple[str, str]] = set()
    for g in goods:
        if g.negated or g.hypothetical:
            continue
        for code in g.hs:
            if (code, g.entry_id) not in cited:
                cited.add((code, g.entry_id))
                cite(code, "inferred").append(GoodsSpan(g.entry_id, g.term, g.text, g.start, g.end))
    # in the order of the batch's `hs_codes` column (declared first, then the best supported), so that the
    # first code is the same in both
    place = {code: i for i, code in enumerate(c for c in (ranked or "").split(";") if c)}
    return tuple(HsCode(code, screener.reference.describe(code), origin, controls(code), tuple(spans))
                 for code, (origin, spans) in sorted(found.items(), key=lambda kv: place.get(kv[0], len(place))))


_ISSUES = {"unknown": "is not an HS code (in neither HS 2017 nor HS 2022)",
           "hs2017_only": "is an HS 2017 code that HS 2022 replaced"}


def _code_issues(screener: Screener, codes: tuple[HsCode, ...], goods: tuple[GoodsMention, ...]) -> list[dict]:
    """Declared codes that are not HS codes or are out of date, and declared codes the goods contradict."""
    out = []
    declared = [c for c in codes if c.origin == "declared"]
    for c in declared:
        issue = screener.reference.code_issue(c.code)
        if issue:
            out.append({"code": c.code, "issue": issue, "message": f"declared code {c.code} {_ISSUES[issue]}"})
    described = {h[:4] for g in goods if not (g.negated or g.hypothetical) for h in g.hs}
    if declared and described and not described & {c.code[:4] for c in declared}:
        names = ", ".join(dict.fromkeys(g.canonical for g in goods if g.hs))
        out.append({"code": ", ".join(c.code for c in declared), "issue": "mismatch",
                    "described_headings": sorted(described),
                    "message": f"declared {', '.join(c.code for c in declared)} but the text describes {names} "
                               f"(headings {', '.join(sorted(described))})"})
    return out


def _message(template: str, evidence: list[Evidence]) -> str:
    """The rule's message with its fields filled from the evidence records (read as attributes: a long text's
    rule can hold tens of thousands of pieces of evidence, and turning each into a dict first cost more than
    the rest of its explanation)."""
    codes = [e for e in evidence if e.kind == "hs_code"]
    # the goods named and the goods behind the codes: a rule that fires on a listed code and on a category
    # names both, so its message never pairs one mention's name with another's code
    named = [e.finding for e in evidence if e.kind == "goods"]
    behind = [x for c in codes if _shown(c, "evidence") for x in c.finding.evidence if x.text]
    # the goods words behind the codes; a declared code's own text ("HS 8482.10") only when no goods word is
    goods = named + ([x for x in behind if isinstance(x, GoodsSpan)] or behind)
    countries = [e.finding for e in evidence if e.kind == "country"]
    controls = [x for c in codes for x in _shown_controls(c)]
    parties = [e.finding.to_dict() for e in evidence if e.kind == "party"]

    def joined(values) -> str:
        return ", ".join(dict.fromkeys(values))

    values = {
        "term": goods[0].text if goods else "",
        "terms": joined(g.text for g in goods),
        "category": getattr(goods[0], "canonical", "") if goods else "",
        # (the nomenclature net's goods carry their candidate code, which is no HS code of the text)
        "hs6": joined([c.finding.code for c in codes] + [
            h for g in named if not codes or g.matcher != "nomenclature" for h in g.hs]),
        "code": joined(c.finding.code for c in codes),
        "tier": joined(x.tier for x in controls if x.tier),
        "list": joined(x.list for x in controls),
        "lists": joined(f"{x.list}:{x.entry}" for x in controls),
        "country": joined(c.name for c in countries),
        "countries": joined(c.name for c in countries),
        "phrase": joined(e.finding.text for e in evidence if e.kind == "phrase"),
        "party": joined(f"{p['name']} ({p['ref']})" for p in parties),
        "value": joined(e.finding.text for e in evidence if e.kind == "value"),
        "threshold": joined(x.threshold for x in controls if x.threshold),
    }
    return template.format(**values)


def _shown(e: Evidence, name: str) -> bool:
    """Whether the evidence shows the finding's field `name` (as `Evidence.to_dict` would)."""
    return e.fields is None or name in e.fields


def _shown_controls(code: Evidence) -> tuple[Control, ...]:
    """The list entries an HS code's evidence shows: those the predicate asked about, else the code's own."""
    if code.controls is not None:
        return code.controls
    return code.finding.controls if _shown(code, "controls") else ()


def held_back(screener: Screener, feats: dict) -> tuple[dict, ...]:
    """The rules that did not fire only because a named condition under a `not` held (`- not: {use: <name>}`):
    everything else they ask for is there. Each as {rule, condition}: goods named in an article about a phone
    are shown, and this says which guard kept the goods rules from firing, so a reviewer can judge it."""
    def truth(leaf) -> bool:
        return bool(feats[screener.column_of[leaf.key()]])

    out = []
    for (col, _, _), loaded in zip(screener.rule_cols, screener.rules.rules):
        root = loaded.node
        if feats[col] or root.op != "all":
            continue
        guards = [c.children[0] for c in root.children if c.op == "not" and c.children[0].name]
        rest = [c for c in root.children if not (c.op == "not" and c.children[0].name)]
        if all(c.holds(truth) for c in rest):
            out += [{"rule": loaded.rule.id, "condition": g.name} for g in guards if g.holds(truth)]
    return tuple(out)


def fired_rules(screener: Screener, feats: dict, found: Findings) -> tuple[FiredRule, ...]:
    """The rules that fired on the row `feats`, each with the evidence its true predicates' witnesses name."""
    out = []
    for (col, _, _), loaded, leaves in zip(screener.rule_cols, screener.rules.rules, screener.rule_leaves):
        if not feats[col]:
            continue
        evidence = [e for column, leaf in leaves if feats[column] for e in leaf.evidence(feats[column], found)]
        rule = loaded.rule
        out.append(FiredRule(rule.id, rule.title, rule.severity, rule.weight, rule.family,
                             _message(rule.message, evidence), tuple(rule.references),
                             tuple(evidence)))
    return tuple(out)
