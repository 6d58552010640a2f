"""The summary of a whole batch output, over every row: bands, score histogram and the most frequent findings.

Everything here is a polars aggregation of the output's own columns (no re-screening), so it stays a
second or two for a million rows.
"""

from __future__ import annotations

import polars as pl

from screener.report.scored import ScoredFile
from screener.score import BANDS

TOP = 15
BIN = 5  # score histogram bin width


def band_order(bands) -> list[str]:
    """Known bands low to high, then any other value the file holds."""
    return [b for b in BANDS] + sorted(b for b in bands if b is not None and b not in BANDS)


def band_counts(frame: pl.DataFrame) -> list[dict]:
    """Rows per band (every known band, zero included), then rows that were not scored."""
    counts = dict(frame.filter(pl.col("band").is_not_null()).group_by("band").len().iter_rows())
    return [{"band": b, "count": int(counts.get(b, 0))} for b in band_order(counts)]


def histogram(frame: pl.DataFrame) -> list[dict]:
    """Rows per score bin of width BIN (the last bin holds 100 too)."""
    last = 100 // BIN - 1
    counts = dict(frame.filter(pl.col("score").is_not_null())
                  .select(b=(pl.col("score") // BIN).clip(0, last)).group_by("b").len().iter_rows())
    return [{"from": i * BIN, "to": 100 if i == last else i * BIN + BIN - 1, "count": int(counts.get(i, 0))}
            for i in range(last + 1)]


def _top(values: pl.DataFrame, n: int) -> tuple[list[dict], int]:
    counted = values.filter(pl.col("v").is_not_null() & (pl.col("v") != "")).group_by("v").len() \
        .sort(["len", "v"], descending=[True, False])
    return [{"value": v, "count": int(c)} for v, c in counted.head(n).iter_rows()], counted.height


def top_values(scored: ScoredFile, column: str, n: int = TOP) -> tuple[list[dict], int]:
    """The n most frequent values of a list column (a row holds each value once) and the number of distinct values."""
    return _top(scored.frame.select(scored.lists(column).alias("v")).explode("v"), n)


def top_headings(scored: ScoredFile, n: int = TOP) -> tuple[list[dict], int]:
    """The n most frequent HS headings (the first four digits of `hs_codes`), counted once per row."""
    headings = scored.lists("hs_codes").list.eval(pl.element().str.slice(0, 4)).list.unique()
    return _top(scored.frame.select(headings.alias("v")).explode("v"), n)


def top_scalar(frame: pl.DataFrame, column: str, n: int = TOP) -> tuple[list[dict], int]:
    """The most frequent values of a string column, with the count of the others."""
    return _top(frame.select(pl.col(column).str.strip_chars().alias("v")), n)


def summarise(scored: ScoredFile, rules: dict[str, dict], describe, list_dates: dict[str, str]) -> dict:
    """Every figure of the summary: `rules` gives each rule's metadata by id, `describe` an HS heading's words."""
    f = scored.frame
    controls, n_controls = top_values(scored, "controls")
    for c in controls:
        name = c["value"].split(":", 1)[0]
        c["list"], c["date"] = name, list_dates.get(name, "")
    goods, n_goods = top_values(scored, "goods")
    headings, n_headings = top_headings(scored)
    for h in headings:
        h["description"] = describe(h["value"])
    fired, n_rules = top_values(scored, "rules", n=len(rules) + TOP)
    for r in fired:
        meta = rules.get(r["value"], {})
        r.update(weight=meta.get("weight"), severity=meta.get("severity", ""), family=meta.get("family", ""),
                 title=meta.get("title", "(not in the rules loaded for this report)"))
    routes = [r for r in fired if r["family"] in ("route", "destination")]
    parties = {c: top_values(scored, c) for c in scored.extra_lists}
    destinations = top_scalar(f, "__country") if scored.country_column else ([], 0)
    errors = f.filter(pl.col("error") != "")
    return {
        "rows": f.height,
        "scored": int(f["band"].is_not_null().sum()),
        "errors": errors.height,
        "error_kinds": [{"value": v, "count": int(c)} for v, c in
                        errors.group_by("error").len().sort("len", descending=True).head(5).iter_rows()],
        "bands": band_counts(f),
        "histogram": histogram(f),
        "controls": controls, "n_controls": n_controls,
        "goods": goods, "n_goods": n_goods,
        "headings": headings, "n_headings": n_headings,
        "rules": fired[:TOP], "n_rules": n_rules,
        "routes": routes,
        "destinations": destinations[0], "n_destinations": destinations[1],
        "parties": {c: {"top": top, "distinct": n} for c, (top, n) in parties.items()},
    }


def table_rows(scored: ScoredFile, min_band: str, max_rows: int) -> tuple[pl.DataFrame, int]:
    """The rows the table shows (at or above `min_band`, highest score first, at most `max_rows`, list columns
    as lists) and how many rows were at or above the band in all."""
    order = band_order(scored.frame["band"].unique().to_list())
    wanted = pl.col("band").is_in(order[order.index(min_band):])
    eligible = int(scored.frame.select(wanted.sum()).item())
    rows = scored.frame.filter(wanted).top_k(max_rows, by=["score", "__row"], reverse=[False, True]) \
        .sort(["score", "__row"], descending=[True, False], nulls_last=True)
    return scored.as_lists(rows), eligible
