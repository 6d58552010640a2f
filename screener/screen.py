"""One text screened in full: every finding with its span, every fired rule with its evidence.

The verdict (score, band, fired rules) comes from the same `Screener.score_frame` the batch path uses,
so one text and a batch row can never disagree; this module only adds spans and explanations.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import polars as pl
from rapidfuzz import fuzz

from screener.engine import Screener
from screener.hs_rank import ranker_for
from screener.match.forms import has_cjk
from screener.rules.conditions import Node
from screener.score import combine
from screener.text.normalize import fold_spaces, normalize


class _Offsets:
    """Byte offsets into the matcher's text (normalised, padded, spaces folded) → original characters.

    The matcher's offsets are one less than offsets into `fold_spaces(" " + normalize(text) + " ")`.
    """

    def __init__(self, folded: str, where: list[int]):
        self.folded, self.where = folded, where
        self.starts, b = [], 0
        for ch in folded:
            self.starts.append(b)
            b += len(ch.encode("utf-8"))
        self.starts.append(b)

    @classmethod
    def of(cls, text: str) -> "_Offsets":
        return cls(*fold_spaces(" " + normalize(text) + " "))

    def index(self, byte: int) -> int:
        """Character index in `folded` of a matcher byte offset."""
        return bisect_right(self.starts, byte + 1) - 1

    def char(self, byte: int) -> int:
        """Character offset in the original text."""
        return self.where[self.index(byte)] - 1


def _repair_map(folded: str, repairs: dict[str, str]) -> tuple[str, list[int]]:
    """The repaired folded text and, for each of its characters (and its end), the folded index."""
    out, where = [], []
    pos = 0
    for m in re.finditer(r"\S+", folded):
        out.append(folded[pos:m.start()])
        where.extend(range(pos, m.start()))
        word = m.group(0)
        fixed = repairs.get(word, word)
        out.append(fixed)
        where.extend([m.start() + min(i, len(word) - 1) for i in range(len(fixed))])
        pos = m.end()
    out.append(folded[pos:])
    where.extend(range(pos, len(folded) + 1))
    return "".join(out), where


def _word_end(norm: str, end: int) -> int:
    while end < len(norm) and norm[end] != " ":
        end += 1
    return end


def _spans(text: str, hits: list[dict], repairs: dict[str, str]) -> list[dict]:
    norm = normalize(text)
    offsets = _Offsets.of(text)
    if repairs and any(h["matcher"] == "fuzzy" for h in hits):
        repaired, back = _repair_map(offsets.folded, repairs)
        rep = _Offsets(repaired, [offsets.where[i] for i in back])
    out = []
    for h in hits:
        if h["matcher"] == "pattern":
            start = text.find(h["matched"])
            end = start + len(h["matched"])
        else:
            conv = rep if h["matcher"] == "fuzzy" else offsets
            start = conv.char(h["start"])
            end = conv.char(h["end"] - 1) + 1 if h["end"] > h["start"] else start
            end = end if has_cjk(text[end - 1:end]) else _word_end(norm, end)
        h["start"], h["end"], h["text"] = start, end, text[start:end]
        if h["matcher"] == "fuzzy":
            h["similarity"] = round(fuzz.ratio(norm[start:end], h["form"]) / 100, 3)
        out.append(h)
    return out


def _controls(screener: Screener, code: str, cache: dict | None = None) -> list[dict]:
    if cache is not None and code in cache:
        return cache[code]
    found = [{"list": c["list"], "entry": c["entry"], "tier": c["tier"], "partial": bool(c.get("partial"))}
             for c in screener.reference.controls_for(code)]
    if cache is not None:
        cache[code] = found
    return found


def screen_text(screener: Screener, text: str, fuzzy: bool = True) -> dict:
    """Screen one text: the JSON-ready result with goods, codes, countries, rules, score, band, versions."""
    scored = screener.score_frame([text], fuzzy=fuzzy, parties_in_text=True)
    row = scored.out.row(0, named=True)
    feats = scored.features.row(0, named=True)
    parties = [m.to_dict() for m in screener.parties.find_in_text(text)] if screener.parties is not None else []
    found = explain_row(screener, text, scored.matches.hits.to_dicts(), scored.matches.codes.to_dicts(),
                        scored.matches.repairs, row["hs_codes"], feats,
                        lambda leaf: _leaf_true(screener, scored.features, leaf), parties)
    goods, codes, rules = found["goods"], found["hs_codes"], found["rules"]
    issues = _code_issues(screener, codes, goods)
    candidates = [] if any(c["origin"] == "inferred" for c in codes) else ranker_for(screener.reference).rank(text)
    score, parts = combine([(r["family"], r["weight"]) for r in rules], screener.rules.scoring)
    assert score == row["score"], "single-text score must equal the column score"
    return {
        "score": row["score"], "band": row["band"], "goods": goods, "hs_codes": codes,
        "countries": found["countries"], "parties": parties, "phrases": found["phrases"], "rules": rules,
        "score_parts": {k: round(v, 1) for k, v in parts.items()}, "code_issues": issues,
        "hs_candidates": candidates, "versions": screener.versions,
    }


def explain_row(screener: Screener, text: str, hits: list[dict], code_rows: list[dict], repairs: dict[str, str],
                ranked_codes: str | None, feats: dict, leaf_true, parties: list[dict],
                controls: dict | None = None) -> dict:
    """Goods, codes, places, phrases and fired rules (with evidence and spans) of one scored row.

    `hits` and `code_rows` are the row's matches, `feats` its feature row, `leaf_true(leaf)` whether a rule's
    leaf held on it, `parties` its party matches; `controls` caches list entries by code (many rows share
    codes). `screen_text` passes one text; `check` passes the flagged rows of a chunk scored once.
    """
    hits = sorted(_spans(text, hits, repairs), key=lambda h: (h["start"], -h["end"]))
    entries = screener.reference.entries
    goods = [{
        "term": h["form"], "canonical": entries[h["ref"]].label, "category": entries[h["ref"]].category,
        "start": h["start"], "end": h["end"], "text": h["text"], "matcher": h["matcher"],
        "similarity": h["similarity"], "hs": list(entries[h["ref"]].hs6), "entry_id": h["ref"],
        "negated": bool(h["negation"]), "hypothetical": bool(h["hypothetical"]), "strength": h["strength"],
    } for h in hits if h["kind"] == "goods"]
    places = screener.reference.places.by_code()
    groups = screener.reference.places.groups_of()
    countries = [{"code": h["ref"], "name": places[h["ref"]].name if h["ref"] in places else h["ref"],
                  "groups": groups.get(h["ref"], []), "start": h["start"], "end": h["end"], "text": h["text"]}
                 for h in hits if h["kind"] == "country"]
    phrases = [{"phrase": h["ref"], "start": h["start"], "end": h["end"], "text": h["text"]}
               for h in hits if h["kind"] == "phrase"]
    codes = _hs_codes(screener, code_rows, ranked_codes, goods, text, controls)
    rules = _fired_rules(screener, feats, leaf_true, goods, codes, countries, phrases, parties)
    return {"goods": goods, "hs_codes": codes, "countries": countries, "phrases": phrases, "rules": rules}


def _hs_codes(screener: Screener, code_rows: list[dict], ranked_codes: str | None, goods: list[dict], text: str,
              cache: dict | None = None) -> list[dict]:
    out: dict[str, dict] = {}
    for c in code_rows:
        start = text.find(c["raw"])
        item = out.setdefault(c["code"], {"code": c["code"], "description": screener.reference.describe(c["code"]),
                                          "origin": "declared", "controls": _controls(screener, c["code"], cache),
                                          "evidence": []})
        item["evidence"].append({"text": c["raw"], "start": start, "end": start + len(c["raw"])})
    for g in goods:
        if g["negated"] or g["hypothetical"]:
            continue
        for code in g["hs"]:
            item = out.setdefault(code, {"code": code, "description": screener.reference.describe(code),
                                         "origin": "inferred", "controls": _controls(screener, code, cache),
                                         "evidence": []})
            if not any(e.get("entry_id") == g["entry_id"] for e in item["evidence"]):
                item["evidence"].append({"entry_id": g["entry_id"], "term": g["term"], "text": g["text"],
                                         "start": g["start"], "end": g["end"]})
    # in the order of the batch's `hs_codes` column (declared first, then the best supported), so that the
    # first code is the same in both
    ranked = [c for c in (ranked_codes or "").split(";") if c]
    place = {code: i for i, code in enumerate(ranked)}
    return sorted(out.values(), key=lambda item: place.get(item["code"], len(place)))


_ISSUES = {"unknown": "is not an HS code (in neither HS 2017 nor HS 2022)",
           "hs2017_only": "is an HS 2017 code that HS 2022 replaced"}


def _code_issues(screener: Screener, codes: list[dict], goods: list[dict]) -> list[dict]:
    """Declared codes that are not HS codes or are out of date, and declared codes the goods contradict."""
    out = []
    declared = [c for c in codes if c["origin"] == "declared"]
    for c in declared:
        issue = screener.reference.code_issue(c["code"])
        if issue:
            out.append({"code": c["code"], "issue": issue, "message": f"declared code {c['code']} {_ISSUES[issue]}"})
    described = {h[:4] for g in goods if not (g["negated"] or g["hypothetical"]) for h in g["hs"]}
    if declared and described and not described & {c["code"][:4] for c in declared}:
        names = ", ".join(dict.fromkeys(g["canonical"] for g in goods if g["hs"]))
        out.append({"code": ", ".join(c["code"] for c in declared), "issue": "mismatch",
                    "described_headings": sorted(described),
                    "message": f"declared {', '.join(c['code'] for c in declared)} but the text describes {names} "
                               f"(headings {', '.join(sorted(described))})"})
    return out


def _leaf_true(screener: Screener, features: pl.DataFrame, leaf: Node) -> bool:
    return bool(features.select(leaf.expr().fill_null(False)).item())


def _evidence(leaf: Node, goods, codes, countries, phrases, parties=()) -> list[dict]:
    p = leaf.params
    if leaf.op == "party":
        return [{"kind": "party", **x} for x in parties if not p.lists or x["list"] in p.lists]
    if leaf.op == "goods":
        return [{"kind": "goods", "term": g["term"], "canonical": g["canonical"], "text": g["text"],
                 "start": g["start"], "end": g["end"], "matcher": g["matcher"], "negated": g["negated"],
                 "hypothetical": g["hypothetical"]}
                for g in goods if (g["negated"] or g["hypothetical"]) == p.muted
                and (not (p.category or p.ids or p.id_prefix) or g["category"] in p.category or g["entry_id"] in p.ids
                     or any(g["entry_id"].startswith(x) for x in p.id_prefix))]
    if leaf.op in ("on_list", "hs_code", "declared_code", "code_mismatch"):
        out = []
        for c in codes:
            if leaf.op == "on_list":
                hits = [x for x in c["controls"] if x["list"] == p.list and (not p.tier or x["tier"] in p.tier)]
                if not hits or (p.origin != "any" and c["origin"] != p.origin):
                    continue
            elif leaf.op == "hs_code":
                if not any(c["code"].startswith(x) for x in p.prefix) or (p.origin != "any" and c["origin"] != p.origin):
                    continue
                hits = c["controls"]
            else:
                hits = c["controls"]
                if leaf.op == "declared_code" and c["origin"] != "declared":
                    continue
            out.append({"kind": "hs_code", "code": c["code"], "origin": c["origin"], "controls": hits,
                        "evidence": c["evidence"]})
        return out
    if leaf.op == "country":
        return [{"kind": "country", **c} for c in countries
                if (not p.group and not p.codes) or c["code"] in p.codes or set(c["groups"]) & set(p.group)]
    if leaf.op == "phrase":
        from screener.text.normalize import normalize_term

        wanted = {normalize_term(x) for x in p.any}
        return [{"kind": "phrase", **ph} for ph in phrases if ph["phrase"] in wanted]
    if leaf.op == "goods_count":
        return [{"kind": "goods", "canonical": g["canonical"], "text": g["text"], "start": g["start"], "end": g["end"]}
                for g in goods if not (g["negated"] or g["hypothetical"])]
    return []


def _message(template: str, evidence: list[dict]) -> str:
    codes = [e for e in evidence if e["kind"] == "hs_code"]
    goods = [e for e in evidence if e["kind"] == "goods"] or [
        x for c in codes for x in c["evidence"] if x.get("text")]
    countries = [e for e in evidence if e["kind"] == "country"]
    phrases = [e for e in evidence if e["kind"] == "phrase"]
    controls = [x for c in codes for x in c["controls"]]
    values = {
        "term": goods[0]["text"] if goods else "",
        "terms": ", ".join(dict.fromkeys(g["text"] for g in goods)),
        "category": goods[0].get("canonical", "") if goods else "",
        "hs6": ", ".join(dict.fromkeys(c["code"] for c in codes)),
        "code": ", ".join(dict.fromkeys(c["code"] for c in codes)),
        "tier": ", ".join(dict.fromkeys(x["tier"] for x in controls if x.get("tier"))),
        "list": ", ".join(dict.fromkeys(x["list"] for x in controls)),
        "lists": ", ".join(dict.fromkeys(f"{x['list']}:{x['entry']}" for x in controls)),
        "country": ", ".join(dict.fromkeys(c["name"] for c in countries)),
        "countries": ", ".join(dict.fromkeys(c["name"] for c in countries)),
        "phrase": ", ".join(dict.fromkeys(p["text"] for p in phrases)),
        "party": ", ".join(dict.fromkeys(f"{e['name']} ({e['ref']})" for e in evidence if e["kind"] == "party")),
    }
    return template.format(**values)


def _fired_rules(screener: Screener, feats: dict, leaf_true, goods, codes, countries, phrases,
                 parties) -> list[dict]:
    out = []
    for (col, _, _), loaded in zip(screener.rule_cols, screener.rules.rules):
        if not feats[col]:
            continue
        evidence = []
        for leaf in loaded.node.leaves():
            if leaf_true(leaf):
                evidence += _evidence(leaf, goods, codes, countries, phrases, parties)
        rule = loaded.rule
        out.append({"id": rule.id, "title": rule.title, "severity": rule.severity, "weight": rule.weight,
                    "family": rule.family, "message": _message(rule.message, evidence),
                    "references": list(rule.references), "evidence": evidence})
    return out
