"""The evidence of the rows a report lists: each row re-screened with `screen_texts` (the spans `screen` gives),
cut into highlighted segments and reduced to what a reader checks (rules, codes and their list entries, goods,
places, parties)."""

from __future__ import annotations

import polars as pl

from screener.screen import screen_texts

KINDS = ("goods", "code", "place", "party", "phrase")


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[list]:
    """The text cut at every span boundary: [piece, indexes of the spans covering it].

    Done here rather than in the page, so the page never has to turn Python character offsets into
    JavaScript's UTF-16 ones.
    """
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out: list[list] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [i for i, (s, e, _, _) in enumerate(spans) if s <= a and e >= b]
        if out and out[-1][1] == covering:
            out[-1][0] += text[a:b]
        else:
            out.append([text[a:b], covering])
    return out


def _controls(controls: list[dict]) -> list[str]:
    return [f"{c['list']}:{c['entry']}" + (f" (tier {c['tier']})" if c.get("tier") else "")
            + (" (part of the entry)" if c.get("partial") else "") for c in controls]


def _spans(result: dict) -> list[tuple[int, int, str, str]]:
    """Every highlighted span of a screening: (start, end, kind, label)."""
    spans = []
    for g in result["goods"]:
        flags = [f for f in ("negated", "hypothetical") if g[f]]
        spans.append((g["start"], g["end"], "goods", f"goods: {g['canonical']} ({g['matcher']}"
                      f"{', ' + ', '.join(flags) if flags else ''}) HS {', '.join(g['hs']) or '-'}"))
    for c in result["hs_codes"]:
        for e in c["evidence"]:
            if "entry_id" not in e:  # a declared code (the others are the goods spans above)
                listed = ", ".join(_controls(c["controls"])) or "not listed"
                spans.append((e["start"], e["end"], "code", f"HS {c['code']} declared: {listed}"))
    for p in result["countries"]:
        groups = f" ({', '.join(p['groups'])})" if p["groups"] else ""
        spans.append((p["start"], p["end"], "place", f"place: {p['name']}{groups}"))
    for p in result["parties"]:
        if p.get("start") is not None and p.get("end") is not None:
            spans.append((p["start"], p["end"], "party", f"party: {p['name']} ({p['ref']})"))
    for p in result["phrases"]:
        spans.append((p["start"], p["end"], "phrase", f"phrase: {p['text']}"))
    return spans


def _evidence_line(e: dict) -> str:
    kind = e.get("kind")
    if kind == "goods":
        matcher = f" ({e['matcher']})" if e.get("matcher") else ""
        return f"goods \u201c{e['text']}\u201d \u2192 {e['canonical']}{matcher}"
    if kind == "hs_code":
        listed = ", ".join(_controls(e["controls"])) or "not listed"
        return f"HS {e['code']} ({e['origin']}) \u2192 {listed}"
    if kind == "country":
        return f"place \u201c{e['text']}\u201d \u2192 {e['name']}"
    if kind == "phrase":
        return f"phrase \u201c{e['text']}\u201d"
    if kind == "party":
        return f"party {e.get('name', '')} ({e.get('ref', '')})"
    return str(e.get("text", kind))


class Explainer:
    """Builds each row's drill-down, keeping what rows share once: span labels and rule evidence lines in a
    string table, HS codes' descriptions and list entries, goods entries' names (a page of 2,000 rows is a
    third of the size it would be with every row carrying its own copies)."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self._index: dict[str, int] = {}
        self.codes: dict[str, list] = {}
        self.entries: dict[str, list] = {}

    def ref(self, text: str) -> int:
        """The position of `text` in the string table (added when new)."""
        if text not in self._index:
            self._index[text] = len(self.strings)
            self.strings.append(text)
        return self._index[text]

    def explain(self, result: dict, text: str) -> dict:
        """What the drill-down of one row shows (indexes into `tables()` where rows share values)."""
        spans = sorted((x for x in _spans(result) if 0 <= x[0] < x[1] <= len(text)), key=lambda x: (x[0], -x[1]))
        for c in result["hs_codes"]:
            self.codes.setdefault(c["code"], [c["description"], _controls(c["controls"])])
        for g in result["goods"]:
            self.entries.setdefault(g["entry_id"], [g["canonical"], g["category"], g["hs"]])
        return {
            "seg": segments(text, spans),
            "spans": [[text[s:e], KINDS.index(k), self.ref(lab)] for s, e, k, lab in spans],
            "rules": [[r["id"], r["message"], [self.ref(x) for x in dict.fromkeys(map(_evidence_line, r["evidence"]))]]
                      for r in result["rules"]],
            "codes": [[c["code"], c["origin"], list(dict.fromkeys(e["text"] for e in c["evidence"]))]
                      for c in result["hs_codes"]],
            "goods": [[g["text"], g["entry_id"], g["matcher"], g["similarity"], bool(g["negated"] or g["hypothetical"])]
                      for g in result["goods"]],
            "places": list(dict.fromkeys(f"{p['name']} ({p['code']})" for p in result["countries"])),
            "parties": [[p.get("matched_text", ""), p["name"], p["ref"]] for p in result["parties"]],
            "issues": [i["message"] for i in result["code_issues"]],
            "score": result["score"], "band": result["band"], "parts": result["score_parts"],
        }

    def tables(self) -> dict:
        """The shared tables the page's rows refer to."""
        return {"strings": self.strings, "codes": self.codes, "entries": self.entries, "kinds": list(KINDS)}


def explain_rows(screener, rows: pl.DataFrame, explainer: Explainer) -> list[dict]:
    """Each table row's evidence, re-screened in one pass."""
    texts = [t or "" for t in rows["__text"].to_list()]
    results = screen_texts(screener, texts) if texts else []
    return [explainer.explain(r, t) for r, t in zip(results, texts)]
