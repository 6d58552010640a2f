"""Which list rows cover a code of any length, and how much of it (for `screener reference lookup`).

Coverage is stored per HS-6 (list_coverage); a query of 2 or 4 digits is covered in full by a row only when
the row covers every HS-6 below it in full, and a query of 8 or 10 digits is judged against the row's own
national code (CN 8, TARIC or HTS 10 digits) or range.
"""

from __future__ import annotations

import polars as pl

# the columns of a list row that `controls_for` adds to each control (one value per list: no duplicates)
CONTROL_DETAIL = ("direction",)
ROW_COLUMNS = ["list", "entry", "tier", "code", "code_to", "category", "ex", "threshold_kind", "threshold_value",
               "threshold_currency", "direction", "countries", "legal_act", "in_force", "description"]


def _national(code: str, code_to: str | None, query: str) -> str | None:
    """How a row with a national code or range covers a query longer than 6 digits: all, part or None."""
    if code_to:
        lo, hi = code.ljust(10, "0"), code_to.ljust(10, "9")
        q_lo, q_hi = query.ljust(10, "0"), query.ljust(10, "9")
        if q_hi < lo or q_lo > hi:
            return None
        return "all" if lo <= q_lo and q_hi <= hi else "part"
    if query.startswith(code):
        return "all"
    return "part" if code.startswith(query) else None


def entries_covering(entries: pl.DataFrame, coverage: pl.DataFrame, query: str,
                     hs6_below: list[str] | None = None) -> pl.DataFrame:
    """List rows covering `query` (digits), with `covers` = `all` or `part`, sorted by list and position.

    `hs6_below`: the HS-6 codes below a 2- or 4-digit query (default: those the coverage table knows).
    """
    key = ["list", "entry", "category"]
    hits = coverage.filter(pl.col("hs6").str.starts_with(query[:6]))
    if hits.is_empty():
        return pl.DataFrame(schema={c: entries.schema[c] for c in ROW_COLUMNS} | {"covers": pl.String})
    below = set(hs6_below) if hs6_below is not None else set(hits["hs6"].unique().to_list())
    per_row = hits.group_by(key).agg(
        full=pl.col("hs6").filter(~pl.col("partial")).unique())
    rows = per_row.join(entries.select(ROW_COLUMNS + ["position", "national"]), on=key, how="inner", nulls_equal=True)
    out = []
    for r in rows.iter_rows(named=True):
        if len(query) > 6 and (r["code_to"] or r["national"]):
            covers = _national(r["code"], r["code_to"], query)
            if covers is None:
                continue
            covers = "part" if r["ex"] else covers
        elif len(query) > 6:
            covers = "part" if r["ex"] else "all"
        else:
            covers = "all" if below and below <= set(r["full"]) else "part"
        out.append({**{c: r[c] for c in ROW_COLUMNS}, "covers": covers, "position": r["position"]})
    frame = pl.DataFrame(out, schema={c: entries.schema[c] for c in ROW_COLUMNS} | {
        "covers": pl.String, "position": pl.Int64}, orient="row")
    return frame.sort("list", "position").drop("position")


__all__ = ["entries_covering", "CONTROL_DETAIL", "ROW_COLUMNS"]
