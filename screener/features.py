"""Per-text features the rules read: goods, HS codes, list tags, places, phrases — one row per text.

Built from the long table of hits with a few joins and one group-by, so it costs the same whether a
batch has ten rows or ten million.
"""

from __future__ import annotations

import polars as pl

from screener.match.pipeline import Matches
from screener.reference.lookup import Reference

LIST_COLS = ["goods_ids", "goods_labels", "goods_cats", "goods_muted_ids", "hs_inferred", "hs_declared",
             "hs_codes", "ctl_inferred", "ctl_declared", "controls", "countries", "country_groups", "phrases"]


def entries_frame(ref: Reference) -> pl.DataFrame:
    """Lexicon entries as a small table: ref, label, category, hs6."""
    e = list(ref.entries.values())
    return pl.DataFrame({"ref": [x.id for x in e], "label": [x.label for x in e],
                         "category": [x.category for x in e], "hs6": [x.hs6 for x in e]},
                        schema={"ref": pl.String, "label": pl.String, "category": pl.String, "hs6": pl.List(pl.String)})


def control_tags(ref: Reference) -> pl.DataFrame:
    """code -> tag rows: `LIST` and `LIST:ENTRY` (`CHPL:<tier>` for the CHPL), for 6-digit and 4-digit codes."""
    cov = ref.coverage
    six = cov.select(code="hs6", tag=pl.col("list"))
    six_entry = cov.select(code="hs6", tag=pl.when(pl.col("list") == "CHPL")
                           .then(pl.concat_str([pl.col("list"), pl.lit(":"), pl.col("tier")]))
                           .otherwise(pl.concat_str([pl.col("list"), pl.lit(":"), pl.col("entry")])))
    heads = ref.list_entries.filter(pl.col("level") <= 4).select(
        code="code", tag=pl.concat_str([pl.col("list"), pl.lit(":"), pl.col("code")]))
    heads_list = ref.list_entries.filter(pl.col("level") <= 4).select(code="code", tag="list")
    # a declared heading (4 digits) is on a list when the list names that heading or its chapter
    heads4 = pl.concat([heads, heads_list]).with_columns(code=pl.col("code").str.pad_end(4, "_"))
    return pl.concat([six, six_entry, heads4.filter(~pl.col("code").str.contains("_"))]).unique()


def _first_seen(expr: pl.Expr) -> pl.Expr:
    return expr.drop_nulls().unique(maintain_order=True)


def row_features(m: Matches, ref: Reference, rows: pl.Series, entries: pl.DataFrame, tags: pl.DataFrame,
                 groups: pl.DataFrame) -> pl.DataFrame:
    """One row per input row (all of `rows`, in order) with the list columns rules read."""
    base = pl.DataFrame({"row": rows.cast(pl.UInt32)})
    goods = m.hits.filter(pl.col("kind") == "goods").join(entries, on="ref", how="left", maintain_order="left")
    muted = pl.col("negation") | pl.col("hypothetical")
    pos = goods.filter(~muted)
    g = pos.group_by("row", maintain_order=True).agg(
        goods_ids=_first_seen(pl.col("ref")), goods_labels=_first_seen(pl.col("label")),
        goods_cats=_first_seen(pl.col("category")))
    g = g.join(_ranked_codes(pos), on="row", how="left", maintain_order="left")
    neg = goods.filter(muted).group_by("row").agg(goods_muted_ids=_first_seen(pl.col("ref")))
    decl = m.codes.group_by("row", maintain_order=True).agg(hs_declared=_first_seen(pl.col("code")))
    places = m.hits.filter(pl.col("kind") == "country").join(groups, left_on="ref", right_on="code", how="left")
    c = places.group_by("row", maintain_order=True).agg(
        countries=_first_seen(pl.col("ref")), country_groups=_first_seen(pl.col("groups").list.explode(keep_nulls=False, empty_as_null=False)))
    ph = m.hits.filter(pl.col("kind") == "phrase").group_by("row").agg(phrases=_first_seen(pl.col("ref")))
    out = base
    for part in (g, neg, decl, c, ph):
        out = out.join(part.with_columns(pl.col("row").cast(pl.UInt32)), on="row", how="left", maintain_order="left")
    out = out.with_columns(hs_codes=pl.concat_list(
        pl.col("hs_declared").fill_null([]), pl.col("hs_inferred").fill_null([])).list.unique(maintain_order=True))
    out = out.with_columns(
        ctl_inferred=_tags_of(out, "hs_inferred", tags), ctl_declared=_tags_of(out, "hs_declared", tags))
    out = out.with_columns(controls=pl.concat_list("ctl_declared", "ctl_inferred").list.unique(maintain_order=True)
                           .list.filter(pl.element().str.contains(":")))
    return out.with_columns([pl.col(c).fill_null(pl.lit([], pl.List(pl.String))) for c in LIST_COLS])


def _ranked_codes(goods: pl.DataFrame) -> pl.DataFrame:
    """Inferred HS-6 codes per row, best first.

    Each mentioned entry votes for its codes with weight 1/len(codes) (a specific entry outweighs a
    generic one that lists many codes), a little less for codes further down its own list; ties keep
    the order of first mention, then the order of the codes.
    """
    # `goods` comes sorted by row; `seen` (the entry's place among the row's entries) and `rank` (the
    # code's place in the entry's list) are computed without window functions, which cost 10x more
    i = pl.int_range(pl.len(), dtype=pl.Int64)
    row_start = pl.when(pl.col("row") != pl.col("row").shift(1)).then(i).forward_fill().fill_null(0)
    votes = goods.select("row", "ref", "hs6").unique(["row", "ref"], maintain_order=True).with_columns(
        n=pl.col("hs6").list.len(), seen=i - row_start, rank=pl.int_ranges(0, pl.col("hs6").list.len(), dtype=pl.Int64),
    ).explode(["hs6", "rank"]).drop_nulls("hs6")
    votes = votes.with_columns(weight=1.0 / pl.col("n") - 0.001 * pl.col("rank"))
    # rounded, and ties broken by code: equal votes must not come out in a random order run to run
    ranked = votes.group_by(["row", "hs6"]).agg(pl.col("weight").sum().round(6), first=pl.col("seen").min()).sort(
        ["row", "weight", "first", "hs6"], descending=[False, True, False, False])
    return ranked.group_by("row", maintain_order=True).agg(hs_inferred=pl.col("hs6"))


def _tags_of(frame: pl.DataFrame, col: str, tags: pl.DataFrame) -> pl.Series:
    """List tags of a list-of-codes column, per row, in the order of the codes."""
    long = frame.select("row", code=pl.col(col)).explode("code")
    # in the order of the codes, then of the tags (deterministic), kept by the join instead of a sort
    joined = long.join(tags.sort("code", "tag"), on="code", how="inner", maintain_order="left_right")
    per_row = joined.group_by("row").agg(tag=pl.col("tag").unique(maintain_order=True))
    return frame.select("row").join(per_row, on="row", how="left", maintain_order="left")["tag"].fill_null(pl.lit([], pl.List(pl.String)))
