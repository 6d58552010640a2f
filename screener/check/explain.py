"""Check's task on one chunk (in a worker or in this process): the batch's result columns, and for each row at
or above `--fail-on` its fired rules explained — message, list entries and the span that made it fire.

The chunk is scored once (`Screener.score_frame`, the batch's own call with the batch's options), and the
evidence of the flagged rows is read from that scoring (`screen.explain_row`), so a finding explains exactly
the verdict the batch gives the row.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from screener.batch.job import BatchJob
from screener.batch.scoring import result_columns, scoring_inputs
from screener.engine import Screener
from screener.score import BANDS
from screener.screen import explain_row


def flagged_rows(bands: pl.Series, fail_on: str) -> list[int]:
    """Positions of the rows whose band is `fail_on` or higher."""
    wanted = list(BANDS[BANDS.index(fail_on):])
    return pl.DataFrame({"band": bands}).with_row_index("i").filter(pl.col("band").is_in(wanted))["i"].to_list()


def _by_row(frame: pl.DataFrame, rows: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    if frame.height:
        for item in frame.filter(pl.col("row").is_in(rows)).to_dicts():
            out[item["row"]].append(item)
    return out


def _party_evidence(screener: Screener, job: BatchJob, texts: pl.Series, names: pl.Series | None,
                    rows: list[int]) -> dict[int, list[dict]]:
    """Party matches of the flagged rows as evidence: found in the text (with spans) or in the party columns."""
    if screener.parties is None or not job.screens_parties:
        return {}
    if names is None:
        return {r: [m.to_dict() for m in screener.parties.find_in_text(texts[r] or "")] for r in rows}
    per_row = {r: [n.strip() for n in (names[r] or "").split("\n") if n.strip()] for r in rows}
    distinct = list(dict.fromkeys(n for ns in per_row.values() for n in ns))
    found = dict(zip(distinct, screener.parties.match_names(distinct, workers=1))) if distinct else {}
    return {r: [m.to_dict() for n in ns for m in found.get(n, [])] for r, ns in per_row.items()}


def _span(rule: dict, text: str) -> dict | None:
    """The first piece of evidence with a place in the text (goods, code, country, phrase or party)."""
    for e in rule["evidence"]:
        for item in [e, *e.get("evidence", [])]:
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end:
                return {"start": start, "end": end, "text": text[start:end]}
    return None


def _compact(rule: dict, text: str) -> dict:
    controls = [f"{c['list']}:{c['entry']}" for e in rule["evidence"] if e["kind"] == "hs_code" for c in e["controls"]]
    return {"id": rule["id"], "title": rule["title"], "severity": rule["severity"], "weight": rule["weight"],
            "family": rule["family"], "message": rule["message"], "references": rule["references"],
            "controls": list(dict.fromkeys(controls)), "span": _span(rule, text)}


class _ControlsByCode(dict):
    """List entries of HS codes as `screen` reports them, for every 6-digit code at once (one pass over the
    coverage table instead of a query per code); other codes (declared headings) are added as they come."""

    def __init__(self, screener: Screener):
        super().__init__()
        cov = screener.reference.coverage.select("hs6", "list", "entry", "tier", "partial").unique()
        self.by_hs6: dict[str, list[dict]] = defaultdict(list)
        for c in cov.sort("list", "entry").to_dicts():
            self.by_hs6[c["hs6"]].append({"list": c["list"], "entry": c["entry"], "tier": c["tier"],
                                          "partial": bool(c["partial"])})

    def __contains__(self, code) -> bool:
        return len(code) >= 6 or super().__contains__(code)

    def __getitem__(self, code: str) -> list[dict]:
        return self.by_hs6.get(code[:6], []) if len(code) >= 6 else super().__getitem__(code)


_CONTROLS: dict[int, _ControlsByCode] = {}  # per screener: kept across a worker's chunks


def explain_chunk(screener: Screener, chunk: pl.DataFrame, job: BatchJob, fail_on: str,
                  limit: int | None = None) -> tuple[pl.DataFrame, dict[int, list[dict]]]:
    """The result columns of `chunk`, and {row: its fired rules explained} for rows at or above `fail_on` (the
    first `limit` of them: a report lists no more; explaining costs about half a millisecond a row)."""
    texts, parties, countries = scoring_inputs(chunk, job)
    scored = screener.score_frame(texts, parties=parties, countries=countries, parties_in_text=job.parties_in_text)
    out = scored.out.select(result_columns(job))
    rows = flagged_rows(out["band"], fail_on)[:limit]
    if not rows:
        return out, {}
    hits, codes = _by_row(scored.matches.hits, rows), _by_row(scored.matches.codes, rows)
    rule_cols = [col for col, _, _ in screener.rule_cols]
    leaves = [leaf for loaded in screener.rules.rules for leaf in loaded.node.leaves()]
    position = {id(leaf): k for k, leaf in enumerate(leaves)}
    picked = scored.features[rows]
    leaf_values = picked.select(leaf.expr().fill_null(False).alias(f"__leaf{k}") for k, leaf in enumerate(leaves)).rows()
    fired = picked.select(rule_cols).rows(named=True)
    party_found = _party_evidence(screener, job, texts, parties, rows)
    if id(screener) not in _CONTROLS:
        _CONTROLS[id(screener)] = _ControlsByCode(screener)
    ranked, cache, details = out["hs_codes"], _CONTROLS[id(screener)], {}
    for p, r in enumerate(rows):
        text = texts[r] or ""
        values = leaf_values[p]
        found = explain_row(screener, text, hits.get(r, []), codes.get(r, []), scored.matches.repairs, ranked[r],
                            fired[p], lambda leaf, v=values: bool(v[position[id(leaf)]]), party_found.get(r, []),
                            cache)
        details[r] = [_compact(rule, text) for rule in found["rules"]]
    return out, details
