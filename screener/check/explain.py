"""Check's task on one chunk (in a worker or in this process): the batch's result columns, and for each row at
or above `--fail-on` its fired rules explained — message, list entries and the span that made it fire.

The chunk is scored once (`Screener.score_frame`, the batch's own call with the batch's options), and the
evidence of the flagged rows is read from that scoring (`screen.findings`, `screen.fired_rules`: the
predicates' own evidence), so a finding explains exactly the verdict the batch gives the row.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from screener.batch.job import BatchJob
from screener.batch.scoring import result_columns, scoring_inputs
from screener.engine import Screener
from screener.match.pipeline import Matches
from screener.results import Control, FiredRule
from screener.score import BANDS
from screener.screen import findings, fired_rules, net_of


def flagged_rows(bands: pl.Series, fail_on: str) -> list[int]:
    """Positions of the rows whose band is `fail_on` or higher."""
    wanted = list(BANDS[BANDS.index(fail_on):])
    return pl.DataFrame({"band": bands}).with_row_index("i").filter(pl.col("band").is_in(wanted))["i"].to_list()


class _ControlsByCode(dict):
    """List entries of HS codes as `screen` reports them, for every 6-digit code at once (one pass over the
    coverage table instead of a query per code); other codes (declared headings) are added as they come."""

    def __init__(self, screener: Screener):
        super().__init__()
        cov = screener.reference.coverage.select("hs6", "list", "entry", "tier", "partial").unique()
        by_hs6: dict[str, list[Control]] = {}
        for c in cov.sort("list", "entry", "tier", "partial", nulls_last=True).iter_rows(named=True):
            by_hs6.setdefault(c["hs6"], []).append(Control(c["list"], c["entry"], c["tier"], bool(c["partial"])))
        self.by_hs6 = {code: tuple(v) for code, v in by_hs6.items()}

    def __contains__(self, code) -> bool:
        return len(code) >= 6 or super().__contains__(code)

    def __getitem__(self, code: str) -> tuple[Control, ...]:
        return self.by_hs6.get(code[:6], ()) if len(code) >= 6 else super().__getitem__(code)


_CONTROLS: dict[int, _ControlsByCode] = {}  # per screener: kept across a worker's chunks


def _party_hits(screener: Screener, job: BatchJob, texts: pl.Series, names: pl.Series | None,
                rows: list[int]) -> dict[int, tuple]:
    """Party matches of the flagged rows: found in the text (with spans) or in the party columns (the batch's)."""
    if screener.parties is None or not job.screens_parties:
        return {}
    if names is None:
        return {r: tuple(screener.parties.find_in_text(texts[r] or "")) for r in rows}
    per_row = {r: [n.strip() for n in (names[r] or "").split("\n") if n.strip()] for r in rows}
    distinct = list(dict.fromkeys(n for ns in per_row.values() for n in ns))
    found = dict(zip(distinct, screener.parties.match_names(distinct))) if distinct else {}
    return {r: tuple(m for n in ns for m in found.get(n, [])) for r, ns in per_row.items()}


def _span(evidence: Iterable[dict], text: str) -> dict | None:
    """The first piece of evidence with a place in the text (goods, code, country, phrase or party)."""
    for e in evidence:
        for item in [e, *e.get("evidence", [])]:
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end:
                return {"start": start, "end": end, "text": text[start:end]}
    return None


def _compact(rule: FiredRule, text: str) -> dict:
    """The rule as check reports it. Its evidence is turned into dicts only as far as needed (the codes, and
    up to the first piece with a span): in a long text a rule holds tens of thousands of mentions."""
    controls = [f"{c['list']}:{c['entry']}" for e in rule.evidence if e.kind == "hs_code"
                for c in e.to_dict().get("controls") or []]
    return {"id": rule.id, "title": rule.title, "severity": rule.severity, "weight": rule.weight,
            "family": rule.family, "message": rule.message, "references": list(rule.references),
            "controls": list(dict.fromkeys(controls)), "span": _span((e.to_dict() for e in rule.evidence), text)}


def explain_chunk(screener: Screener, chunk: pl.DataFrame, job: BatchJob, fail_on: str,
                  limit: int | None = None) -> tuple[pl.DataFrame, dict[int, list[dict]]]:
    """The result columns of `chunk`, and {row: its fired rules explained} for rows at or above `fail_on` (the
    first `limit` of them: a report lists no more; explaining costs about half a millisecond a row)."""
    texts, parties, countries, origins = scoring_inputs(chunk, job)
    scored = screener.score_frame(texts, parties=parties, countries=countries, parties_in_text=job.parties_in_text,
                                  origins=origins)
    out = scored.out.select(result_columns(job))
    rows = flagged_rows(out["band"], fail_on)[:limit]
    if not rows:
        return out, {}
    wanted = pl.col("row").is_in(rows)
    hits = scored.matches.hits.filter(wanted).partition_by("row", as_dict=True, include_key=True)
    codes = scored.matches.codes.filter(wanted).partition_by("row", as_dict=True, include_key=True)
    values = scored.matches.values.filter(wanted).partition_by("row", as_dict=True, include_key=True)
    no_hits, no_codes = scored.matches.hits.clear(), scored.matches.codes.clear()
    no_values = scored.matches.values.clear()
    feats = scored.features[rows].rows(named=True)
    party_hits = _party_hits(screener, job, texts, parties, rows)
    if id(screener) not in _CONTROLS:
        _CONTROLS[id(screener)] = _ControlsByCode(screener)
    ranked, memo, details = out["hs_codes"], _CONTROLS[id(screener)], {}
    for p, r in enumerate(rows):
        text = texts[r] or ""
        matches = Matches(hits.get((r,), no_hits), codes.get((r,), no_codes), scored.matches.repairs,
                          values.get((r,), no_values))
        found = findings(screener, text, ranked[r], matches, memo, party_hits.get(r, ()), net_of(feats[p]))
        details[r] = [_compact(rule, text) for rule in fired_rules(screener, feats[p], found)]
    return out, details
