"""Per-text features the rules read: goods, HS codes, list tags, places, phrases — one row per text.

Built from the long table of hits, kept long (one row per row × value) until the end: entries, codes
and tags carry integer ids, so per-row de-duplication and code ranking run on integers (row × id
keys, one packed sort key), several times cheaper than `list.unique` or group-bys on strings; each
column then becomes lists by a group-by over the row runs, put in place by row number. The reference
side (entries with their weighted codes, codes with their list tags) is shaped once per screener in
`FeatureTables`."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from screener.match.pipeline import Matches
from screener.reference.lookup import Reference

_STRINGS = pl.List(pl.String)


def entries_frame(ref: Reference) -> pl.DataFrame:
    """Lexicon entries as a small table: ref, label, category, hs6."""
    e = list(ref.entries.values())
    return pl.DataFrame({"ref": [x.id for x in e], "label": [x.label for x in e],
                         "category": [x.category for x in e], "hs6": [x.hs6 for x in e]},
                        schema={"ref": pl.String, "label": pl.String, "category": pl.String, "hs6": _STRINGS})


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
    # and a declared heading covers its subheadings, as a list's heading does: `HS 8542` is on the CHPL
    # (tier 1) because 8542.31 is
    below = pl.concat([six, six_entry]).with_columns(code=pl.col("code").str.slice(0, 4))
    return pl.concat([six, six_entry, heads4.filter(~pl.col("code").str.contains("_")), below]).unique()


@dataclass(frozen=True)
class FeatureTables:
    """Reference data in the shapes `row_features` needs, built once per screener.

    Entries, codes, tags, labels and categories get dense integer ids (`eid`, `cid`, `tid`, …) so
    per-row de-duplication and ranking run on integers and names are looked up by position; codes
    and tags are numbered in sorted order, so sorting by id sorts by name.
    """

    entries: pl.DataFrame      # ref, eid, label_id, cat_id, cids (list), weights (list); row i has eid i
    refs: pl.Series            # ref by eid
    labels: pl.Series          # label by label_id
    cats: pl.Series            # category by cat_id
    codes: pl.Series           # HS-6 code by cid: the codes entries name
    cid_tags: pl.Series        # list of tids by cid, in tag order
    code_tags: pl.DataFrame    # code (any code with tags, 4 or 6 digits), tid; in code, then tag order
    tags: pl.Series            # tag by tid
    entry_tag: pl.Series       # by tid: the tag names a list entry (`LIST:ENTRY`), not only a list
    groups: pl.DataFrame       # ref (country code), group (list of its groups)
    thresholds: pl.DataFrame   # code (HS-6), threshold (`LIST=VALUE`: the value per item above which a list applies)

    @classmethod
    def build(cls, ref: Reference) -> "FeatureTables":
        """Shape the reference data for row_features and the predicates (once per screener)."""
        e = entries_frame(ref)
        labels, cats = e["label"].unique().sort(), e["category"].unique().sort()
        codes = e["hs6"].explode().drop_nulls().unique().sort()
        tags = control_tags(ref).sort("code", "tag")
        tag_names = tags["tag"].unique().sort()
        code_tags = tags.select("code", tid=_ids(pl.col("tag"), tag_names))
        cid_tags = (pl.DataFrame({"code": codes})
                    .join(code_tags.group_by("code", maintain_order=True).agg("tid"), on="code", how="left",
                          maintain_order="left")["tid"].fill_null(pl.lit([], pl.List(pl.UInt32))))
        entries = e.with_row_index("eid").select(
            "ref", "eid", label_id=_ids(pl.col("label"), labels), cat_id=_ids(pl.col("category"), cats),
            cids=pl.col("hs6").list.eval(_ids(pl.element(), codes)),
            # each entry votes for its codes with 1/len(codes), a little less further down its list
            weights=pl.col("hs6").list.eval(1.0 / pl.len() - 0.001 * pl.int_range(pl.len(), dtype=pl.Int64)))
        groups = ref.places.groups_of()
        thresholds = (ref.coverage.filter(pl.col("threshold_kind").is_in(["above", "any"]))
                      .select(code="hs6", threshold=pl.concat_str([pl.col("list"), pl.lit("="),
                              pl.col("threshold_value").fill_null(0.0).cast(pl.String)]))
                      .unique().sort("code", "threshold")
                      if "threshold_kind" in ref.coverage.columns else pl.DataFrame(schema={"code": pl.String,
                                                                                              "threshold": pl.String}))
        return cls(thresholds=thresholds, entries=entries, refs=e["ref"], labels=labels, cats=cats, codes=codes,
                   cid_tags=cid_tags, code_tags=code_tags, tags=tag_names, entry_tag=tag_names.str.contains(":"),
                   groups=pl.DataFrame({"ref": list(groups), "group": list(groups.values())},
                                       schema={"ref": pl.String, "group": _STRINGS}))


    # --- what rule predicates need to compile (screener.rules.conditions.Tables) ---

    def entry_ids(self, categories: list[str], ids: list[str], prefixes: list[str]) -> list[str]:
        """The lexicon entries of the categories, with the ids, or with an id starting with a prefix."""
        cats = set(categories)
        cat_of = self.cats.gather(self.entries["cat_id"]).to_list()
        return [ref for ref, cat in zip(self.refs.to_list(), cat_of)
                if cat in cats or ref in ids or ref.startswith(tuple(prefixes))]

    def codes_with_tags(self, tags: list[str]) -> list[str]:
        """The codes (6 digits, or 4 for a heading a list names) that carry one of the list tags."""
        tids = [i for i, tag in enumerate(self.tags.to_list()) if tag in set(tags)]
        return self.code_tags.filter(pl.col("tid").is_in(tids))["code"].unique().sort().to_list()

    def places_in_groups(self, groups: list[str]) -> list[str]:
        """The place codes in one of the risk groups."""
        wanted = set(groups)
        return [ref for ref, gs in self.groups.iter_rows() if wanted & set(gs)]


def _ids(names: pl.Expr, table: pl.Series) -> pl.Expr:
    """Position of each name in `table` (a UInt32 id)."""
    return names.replace_strict(table, pl.int_range(table.len(), eager=True, dtype=pl.UInt32), return_dtype=pl.UInt32)


def word_counts(texts: pl.Series) -> pl.Series:
    """Words per text, a Chinese or Japanese text's characters counted two to a word (it has no spaces)."""
    latin = texts.str.count_matches(r"[\p{L}\p{N}&&[^\p{Han}\p{Hiragana}\p{Katakana}]]+")
    wide = texts.str.count_matches(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
    return (latin + wide // 2).fill_null(0).cast(pl.UInt32).alias("word_count")


def row_features(m: Matches, n_rows: int, t: FeatureTables) -> pl.DataFrame:
    """One row per input row (rows 0 … n_rows-1, in order) with the list columns rules read."""
    # first mention = first in table order: the hits must come in row order (match_texts gives them so)
    hits = m.hits if m.hits["row"].is_sorted() else m.hits.sort("row", maintain_order=True)
    codes = m.codes if m.codes["row"].is_sorted() else m.codes.sort("row", maintain_order=True)
    goods = (hits.filter(pl.col("kind") == "goods")
             .select("row", "ref", muted=pl.col("negation") | pl.col("hypothetical"))
             # goods hits name lexicon entries (the index is built from them), so the join keeps all
             .join(t.entries.select("ref", "eid", "label_id", "cat_id"), on="ref", maintain_order="left"))
    pos = _first_per_row(goods.filter(~pl.col("muted")), "eid", t.refs.len())
    muted = _first_per_row(goods.filter("muted"), "eid", t.refs.len())
    inferred = _ranked_codes(pos, t)
    declared = _first_per_row(codes.select("row", "code"), "code")
    # the tags of the inferred codes, looked up by position; of the declared ones (few, any code,
    # 4 or 6 digits), joined on the code
    tags_inf = _distinct_per_row(inferred.select("row", tid=_name(t.cid_tags, "cid")).explode("tid").drop_nulls(),
                                 "tid")
    tags_dec = _first_per_row(declared.join(t.code_tags, on="code", maintain_order="left_right"), "tid", t.tags.len())
    entry_tag = _name(t.entry_tag, "tid")
    named = hits.filter(pl.col("kind") == "country")
    places = _first_per_row(named.select("row", "ref"), "ref")
    # each place with its role, as `CODE:role` ("RU:destination"): one column a rule asks of both at once
    roles = _first_per_row(named.select("row", ref=pl.concat_str(["ref", "role"], separator=":")), "ref")
    groups = places.join(t.groups, on="ref", maintain_order="left").explode("group").drop_nulls()
    phrases = _first_per_row(hits.filter(pl.col("kind") == "phrase").select("row", "ref"), "ref")

    inferred_codes = _grouped(inferred, _name(t.codes, "cid"))
    declared_ids, all_codes = _code_ids(declared, t.codes)
    controls_inf = tags_inf.filter(entry_tag)
    # labels are named by entries: when no two entries share one, the entries are the labels
    labelled = pos if t.labels.len() == t.refs.len() else _first_per_row(pos, "label_id", t.labels.len())
    cols = {
        "goods_ids": _grouped(pos, _name(t.refs, "eid")),
        "goods_labels": _grouped(labelled, _name(t.labels, "label_id")),
        "goods_cats": _grouped(_first_per_row(pos, "cat_id", t.cats.len()), _name(t.cats, "cat_id")),
        "hs_inferred": inferred_codes,
        "goods_muted_ids": _grouped(muted, _name(t.refs, "eid")),
        "hs_declared": _grouped(declared, "code"),
        "countries": _grouped(places, "ref"),
        "country_groups": _grouped(_first_per_row(groups, "group"), "group"),
        "phrases": _grouped(phrases, "ref"),
        "place_roles": _grouped(roles, "ref"),
        **_value_columns(m.values, declared, inferred, t),
        "hs_codes": [inferred_codes, _grouped(_declared_first(declared_ids, inferred, "cid", all_codes.len()),
                                              _name(all_codes, "cid"))],
        "ctl_inferred": _grouped(tags_inf, _name(t.tags, "tid")),
        "ctl_declared": _grouped(tags_dec, _name(t.tags, "tid")),
        "controls": [_grouped(controls_inf, _name(t.tags, "tid")), _grouped(_declared_first(
            tags_dec.filter(entry_tag), controls_inf, "tid", t.tags.len()), _name(t.tags, "tid"))],
    }
    top = (m.values.group_by("row").agg(pl.col("amount").max()) if m.values is not None and m.values.height
           else pl.DataFrame(schema={"row": pl.UInt32, "amount": pl.Float64}))
    value_max = pl.Series([None] * n_rows, dtype=pl.Float64).scatter(top["row"], top["amount"])
    return pl.DataFrame({"row": pl.int_range(n_rows, eager=True, dtype=pl.UInt32)} | {
        name: _place(n_rows, *(g if isinstance(g, list) else [g])) for name, g in cols.items()}
        | {"item_value_max": value_max, "heading_mismatch": _heading_mismatch(declared, inferred, t, n_rows)})


def _heading_mismatch(declared: pl.DataFrame, inferred: pl.DataFrame, t: FeatureTables, n_rows: int) -> pl.Series:
    """Per row: declared codes and described goods' codes, both present, that share no heading (4 digits)."""
    dec = declared.select("row", head=pl.col("code").str.slice(0, 4)).unique()
    inf = inferred.join(dec.select("row").unique(), on="row", how="semi").select(
        "row", head=_name(t.codes, "cid").str.slice(0, 4)).unique()
    both = dec.join(inf.select("row").unique(), on="row", how="semi")
    shared = both.join(inf, on=["row", "head"], how="semi")["row"].unique()
    mismatch = both["row"].unique().filter(~both["row"].unique().is_in(shared.implode()))
    return pl.Series([False] * n_rows, dtype=pl.Boolean).scatter(mismatch, True)


def _value_columns(values: pl.DataFrame | None, declared: pl.DataFrame, inferred: pl.DataFrame,
                   t: FeatureTables) -> dict[str, pl.DataFrame]:
    """The stated values per item of the rows that state one, and the value thresholds (`LIST=VALUE`) of
    those rows' codes: what a rule compares (few rows state a value; only they are looked at)."""
    if values is None or values.is_empty():
        empty = pl.DataFrame(schema={"row": pl.UInt32, "value": pl.List(pl.String)})
        return {"item_values": empty, "thresholds": empty}
    rows = values.select("row").unique()
    codes = pl.concat([declared.select("row", "code"),
                       inferred.join(rows, on="row", how="semi").select("row", code=_name(t.codes, "cid"))])
    found = codes.join(rows, on="row", how="semi").join(t.thresholds, on="code").select("row", "threshold").unique()
    return {"item_values": _grouped(values.select("row", "raw"), "raw"),
            "thresholds": _grouped(found.sort("row", "threshold"), "threshold")}


def _name(names: pl.Series, id_col: str) -> pl.Expr:
    """The names of the ids in `id_col` (names[id])."""
    return pl.lit(names).gather(pl.col(id_col))


def _key(id_col: str, width: int) -> pl.Expr:
    """row × width + id: one integer per (row, value), so a per-row distinct is a flat distinct."""
    return pl.col("row").cast(pl.UInt64) * width + pl.col(id_col).cast(pl.UInt64)


def _first_per_row(long: pl.DataFrame, col: str, width: int | None = None) -> pl.DataFrame:
    """Rows of `long` whose `col` value is the first of its kind in its row (order kept).

    With `width`, `col` is an integer id below `width`, and the row × id key's `arg_unique` (first
    positions, ascending) is ~2x cheaper than `is_first_distinct`; without, `col` holds strings.
    """
    if width is None:
        return long.filter(pl.struct("row", col).is_first_distinct())
    return long.select(pl.all().gather(long.select(_key(col, width)).to_series().arg_unique()))


def _distinct_per_row(long: pl.DataFrame, col: str) -> pl.DataFrame:
    """(row, col) of a table sorted by row, each row's integer values once, first seen first.

    For long tables with many repeats (a row's codes share most of their tags): `list.unique` on
    each row's integers is ~2x cheaper than a distinct over row × id keys of the whole table.
    """
    return (long.select(pl.col("row").set_sorted(), col).group_by("row", maintain_order=True)
            .agg(pl.col(col).unique(maintain_order=True)).explode(col))


def _grouped(long: pl.DataFrame, values: pl.Expr | str) -> pl.DataFrame:
    """(row, value): the list of `values` of each row the long table has, in table order.

    On a table sorted by row (hits come so) the group-by only slices runs.
    """
    if not long["row"].is_sorted():
        long = long.sort("row", maintain_order=True)
    # values named before grouping: an expression inside `agg` runs once per group
    return (long.select(pl.col("row").set_sorted(), value=pl.col(values) if isinstance(values, str) else values)
            .group_by("row", maintain_order=True).agg("value"))


def _place(n_rows: int, *grouped: pl.DataFrame) -> pl.Series:
    """A list of strings for each row 0 … n_rows-1: from the last of `grouped` that has the row, else empty.

    One scatter of positions and one gather, several times cheaper than joins onto all rows and
    filling the gaps with empty lists.
    """
    # (an empty table's names come out as nulls of no type: cast to the strings they are)
    values = pl.concat([g["value"].cast(_STRINGS) for g in grouped] + [pl.Series([[]], dtype=_STRINGS)], rechunk=True)
    at = pl.repeat(values.len() - 1, n_rows, dtype=pl.UInt32, eager=True)
    offset = 0
    for g in grouped:
        at = at.scatter(g["row"], pl.int_range(offset, offset + g.height, eager=True, dtype=pl.UInt32))
        offset += g.height
    return values.gather(at)


def _code_ids(declared: pl.DataFrame, codes: pl.Series) -> tuple[pl.DataFrame, pl.Series]:
    """Declared codes as (row, cid), ids into `codes` followed by the declared codes no entry names."""
    extra = declared["code"].filter(~declared["code"].is_in(codes.implode())).unique(maintain_order=True)
    names = pl.concat([codes, extra], rechunk=True)
    return declared.select("row", cid=_ids(pl.col("code"), names)), names


def _declared_first(declared: pl.DataFrame, inferred: pl.DataFrame, col: str, width: int | None) -> pl.DataFrame:
    """(row, col) of the rows with declared values: the declared values, then the inferred ones not declared.

    Only those rows (a minority) need merging; the others' values are the inferred ones alone.
    `col` is an id below `width`, or a string when `width` is None.
    """
    has_decl = pl.col("row").is_in(declared["row"].unique().implode())
    both = pl.concat([declared.select("row", col), inferred.filter(has_decl).select("row", col)])
    return _first_per_row(both.sort("row", maintain_order=True), col, width)


def _ranked_codes(pos: pl.DataFrame, t: FeatureTables) -> pl.DataFrame:
    """Inferred HS-6 codes as (row, cid) rows, per row best first.

    Each mentioned entry votes for its codes with weight 1/len(codes) (a specific entry outweighs a
    generic one that lists many codes), a little less for codes further down its own list; ties keep
    the order of first mention, then the order of the codes. `pos` holds each row's entries once,
    in order of first mention, sorted by row.
    """
    # `seen` (the entry's place among the row's entries) without a window function, which costs 10x more
    i = pl.int_range(pl.len(), dtype=pl.Int64)
    row_start = pl.when(pl.col("row") != pl.col("row").shift(1)).then(i).forward_fill().fill_null(0)
    votes = pos.select("row", seen=i - row_start, cid=_name(t.entries["cids"], "eid"),
                       weight=_name(t.entries["weights"], "eid")).explode(["cid", "weight"]).drop_nulls("cid")
    # a code named by two entries of a row adds up their votes; most codes of a row are named once
    shared = _key("cid", t.codes.len()).is_in(_repeated(votes.select(_key("cid", t.codes.len())).to_series()))
    summed = votes.filter(shared).group_by("row", "cid").agg(pl.col("weight").sum(), pl.col("seen").min())
    ranked = pl.concat([votes.filter(~shared), summed.select(votes.columns)])
    # rounded, and ties broken by code: equal votes must not come out in a random order run to run
    ranked = ranked.with_columns(score=(pl.col("weight").round(6) * 1_000_000).round().cast(pl.Int64))
    return _sort_votes(ranked, t.codes.len())


def _repeated(keys: pl.Series) -> pl.Series:
    """The keys that occur more than once, found by sorting (twice as cheap as `is_duplicated`)."""
    ordered = keys.sort()
    return ordered.filter(ordered == ordered.shift(1)).unique().implode()


def _sort_votes(votes: pl.DataFrame, n_codes: int) -> pl.DataFrame:
    """(row, cid) sorted by row, score (high first), seen, cid.

    When the four fit in 63 bits they are packed into one integer, sorted alone (~4x cheaper than
    sorting the frame by four columns) and unpacked; the packing is exact, so the order is the same.
    """
    if votes.is_empty():
        return votes.select("row", "cid")
    top, low = votes["score"].max(), votes["score"].min()
    widths = [int(votes["row"].max()).bit_length(), int(top - low).bit_length(),
              int(votes["seen"].max()).bit_length(), max(n_codes - 1, 0).bit_length()]
    if sum(widths) > 63:
        return votes.sort(["row", "score", "seen", "cid"], descending=[False, True, False, False]).select("row", "cid")
    shift_seen = widths[3]
    shift_score = shift_seen + widths[2]
    shift_row = shift_score + widths[1]
    packed = votes.select((pl.col("row").cast(pl.Int64) * 2 ** shift_row) + ((top - pl.col("score")) * 2 ** shift_score)
                          + (pl.col("seen").cast(pl.Int64) * 2 ** shift_seen)
                          + pl.col("cid").cast(pl.Int64)).to_series()
    ordered = pl.lit(packed.sort())
    return pl.select(row=ordered // 2 ** shift_row, cid=ordered % 2 ** shift_seen).cast(pl.UInt32)
