"""The screener: reference data + rules compiled once, then texts scored in columns.

`Screener.score_frame` is the unit of work for batch and for one text alike: a polars frame in, one
result row per input row out, in order. `screen_text` (screen.py) adds spans and evidence for one text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from screener.features import FeatureTables, row_features, word_counts
from screener.match.index import MatchIndex, build_index
from screener.match.pipeline import Matches, match_texts
from screener.reference.lookup import Reference
from screener.rules.conditions import compile_conditions
from screener.rules.load import RuleSet
from screener.score import score_expr

OUTPUT_COLUMNS = ["score", "band", "hs_codes", "controls", "goods", "rules", "error"]


@dataclass
class Scored:
    """Results of one frame: the output columns, and the features and matches behind them."""

    out: pl.DataFrame
    features: pl.DataFrame
    matches: Matches


@dataclass
class Screener:
    """Reference data and rules compiled once (pattern index, feature tables, predicates); scores columns of texts."""

    reference: Reference
    rules: RuleSet
    parties: object | None = None          # a PartyMatcher, when sanctions lists are loaded
    index: MatchIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = build_index(self.reference, self.rules.phrases())
        self.tables = FeatureTables.build(self.reference)
        self.known_codes = self.reference.hs["code"]
        self.rule_cols = [(f"__r{i}", r.rule.family, r.rule.weight) for i, r in enumerate(self.rules.rules)]
        # (column_of: each predicate's witness column by its key; a screened text's explanation reads it too)
        self.leaf_columns, self.rule_exprs, self.column_of = compile_conditions(
            [r.node for r in self.rules.rules], self.tables)
        # each rule's predicates (those not under a `not`: what is absent is no evidence), with the column
        # of their witnesses: where a fired rule's evidence is read from
        self.rule_leaves = [[(self.column_of[leaf.key()], leaf) for leaf in r.node.leaves()]
                            for r in self.rules.rules]
        self.net = _net_spec(self.rules)

    @property
    def versions(self) -> dict[str, str]:
        """The hashes of the rules and of the reference data: every result names them."""
        return {"rules": self.rules.version, "reference": self.reference.version}

    def score_frame(self, texts: pl.Series | list[str], fuzzy: bool = True,
                    parties: pl.Series | None = None, countries: pl.Series | None = None,
                    parties_in_text: bool = False, origins: pl.Series | None = None,
                    party_countries: pl.Series | None = None, explain: bool = False) -> Scored:
        """Score a column of texts; `parties`, `countries` (destinations) and `origins` are optional
        structured values per row.

        Party names are looked up in the structured column when given, else in the text itself when
        `parties_in_text` (always for one screened text; opt-in for batches, where it costs ~3 ms a row of messy
        shipment text: 5,000 `../shared/bench` lines took 15 CPU-s).
        `explain` keeps the goods mentions that context dropped, with their reasons (`matches.dropped`).
        """
        series = (texts.cast(pl.String) if isinstance(texts, pl.Series)
                  else pl.Series("text", texts, dtype=pl.String))
        frame = pl.DataFrame({"row": pl.int_range(series.len(), eager=True, dtype=pl.UInt32), "text": series})
        m = match_texts(frame, self.index, self.known_codes, fuzzy=fuzzy, explain=explain)
        in_text = self.parties is not None and parties is None and parties_in_text
        found = [self.parties.find_in_text(t or "") for t in series.to_list()] if in_text else None
        if found is not None:
            m = _outside_parties(frame, m, found)
        feats = row_features(m, frame.height, self.tables).with_columns(word_counts(series))
        feats = feats.with_columns(self._party_columns(frame, parties, parties_in_text, party_countries, found))
        feats = feats.with_columns(*self._net_columns(series, feats))
        if countries is not None:
            feats = self._add_country_column(feats, countries, "destination")
        if origins is not None:
            feats = self._add_country_column(feats, origins, "origin")
        feats = self._judge(feats)
        missing = pl.lit(series.is_null())
        outcome = self._outcomes(feats)
        out = feats.select(
            score=pl.when(missing).then(None).otherwise(pl.lit(outcome["score"])),
            band=pl.when(missing).then(None).otherwise(pl.lit(outcome["band"])),
            hs_codes=_joined(feats, "hs_codes"),
            controls=_joined(feats, "controls"),
            goods=_joined(feats, "goods_labels"),
            rules=pl.lit(outcome["rules"]),
            parties=_joined(feats, "parties"),
            parties_review=_joined(feats, "parties_review"),
            error=pl.when(missing).then(pl.lit("missing text")).otherwise(pl.lit("")),
        )
        return Scored(out=out, features=feats, matches=m)

    def _net_columns(self, texts: pl.Series, feats: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
        """`nomenclature` (the best HS-6 candidate, when listed and similar enough) and `nomenclature_sim`, for
        rows with no lexicon goods that carry a code (vague words, "apparatus" or "parts", classify nothing) and no
        declared code; nothing is ranked (or built) when no rule asks for it or no row is open."""
        from screener.match.nomenclature import net_columns, nomenclature_for

        open_rows = ((feats["hs_inferred"].list.len() == 0) & (feats["goods_muted_ids"].list.len() == 0)
                     & (feats["hs_declared"].list.len() == 0))
        if self.net is None:
            open_rows = open_rows & False
        net = nomenclature_for(self.reference) if self.net is not None and open_rows.any() else None
        listed = self.tables.codes_with_tags(list(self.net.lists)) if self.net is not None else []
        return net_columns(net, texts, open_rows, listed, self.net.min_similarity if self.net else 1.0)

    def _judge(self, feats: pl.DataFrame) -> pl.DataFrame:
        """Add the predicates' witness columns (`__leaf<i>`, each computed once however many rules share it)
        and one boolean column per rule (`__r<i>`): did it fire on the row?"""
        if not self.rules.rules:
            return feats
        names = [col for col, _, _ in self.rule_cols]
        by_column, rest = _leaves_by_list_column(self.leaf_columns, feats.schema)
        for col, exprs in by_column.items():
            # a column that several predicates read holds few distinct lists (a few thousand in 40,000 rows):
            # each predicate is computed once per distinct list and joined back (a third less time)
            values = feats.select(pl.col(col).unique()).with_columns(exprs)
            feats = feats.join(values, on=col, how="left", maintain_order="left", nulls_equal=True)
        return feats.with_columns(rest).with_columns(
            e.fill_null(False).alias(c) for c, e in zip(names, self.rule_exprs))

    def _outcomes(self, feats: pl.DataFrame) -> pl.DataFrame:
        """score, band and fired rule ids (`;`-separated) of each row.

        All three depend only on which rules fired, and a batch holds few distinct combinations (a few
        hundred in 200,000 rows): each combination is scored once, as a row of 64-bit masks, and
        joined back, instead of 30 string and float operations on every row.
        """
        names = [col for col, _, _ in self.rule_cols]
        keys = [f"__fired{j}" for j in range(0, len(names), 63)] or ["__fired0"]
        masks = feats.select(_bit_mask(names[j * 63:(j + 1) * 63]).alias(k) for j, k in enumerate(keys))
        combos = masks.unique().with_columns(
            ((pl.col(keys[i // 63]) // (1 << i % 63)) % 2 == 1).alias(c) for i, c in enumerate(names))
        score = score_expr(self.rule_cols, self.rules.scoring) if names else pl.lit(0)
        # one string per combination, built with concat_str (a list of 30 literals per row is 50x slower)
        fired = pl.concat_str([pl.when(pl.col(c)).then(pl.lit(r.rule.id)) for c, r in zip(names, self.rules.rules)],
                              separator=";", ignore_nulls=True) if names else pl.lit("")
        combos = combos.with_columns(score=score).select(
            *keys, "score", band=self.rules.scoring.band_expr(pl.col("score")), rules=fired)
        return masks.join(combos, on=keys, how="left", maintain_order="left")

    def _party_columns(self, frame: pl.DataFrame, column: pl.Series | None, in_text: bool,
                       countries: pl.Series | None, found: list | None = None) -> list[pl.Series]:
        """`parties` (matches) and `parties_review` (possible matches) of each row; `found`: the matches in
        the texts when they were looked up already."""
        if self.parties is None or (column is None and not in_text):
            empty = pl.select(pl.repeat(pl.lit([], pl.List(pl.String)), frame.height)).to_series()
            return [empty.alias("parties"), empty.alias("parties_review")]
        from screener.parties_bridge import party_tags

        tags = party_tags(self.parties, frame["text"], column, countries, found)
        return [tags["parties"], tags["parties_review"]]

    def _add_country_column(self, feats: pl.DataFrame, values: pl.Series, role: str) -> pl.DataFrame:
        """Countries from a structured column (any name, code or spelling), as places of `role`."""
        from screener.match.countries import codes_for_values

        codes = pl.Series(codes_for_values(values, self.reference.places), dtype=pl.List(pl.String))
        groups = self.reference.places.groups_of()
        extra_groups = pl.Series([sorted({g for c in cs for g in groups.get(c, [])}) for cs in codes.to_list()],
                                 dtype=pl.List(pl.String))

        def add(col: str, more: pl.Series) -> pl.Expr:
            return pl.concat_list(col, more).list.unique(maintain_order=True).alias(col)

        roles = codes.list.eval(pl.concat_str([pl.element(), pl.lit(f":{role}")]))
        return feats.with_columns(add("countries", codes), add("place_roles", roles),
                                  add("country_groups", extra_groups))


def _leaves_by_list_column(leaves: list[pl.Expr], schema: pl.Schema, least: int = 3
                           ) -> tuple[dict[str, list[pl.Expr]], list[pl.Expr]]:
    """The predicate columns that read one list column only, grouped by it where `least` or more share it,
    and the others."""
    groups: dict[str, list[pl.Expr]] = {}
    for e in leaves:
        roots = e.meta.root_names()
        if len(roots) == 1 and isinstance(schema.get(roots[0]), pl.List):
            groups.setdefault(roots[0], []).append(e)
    shared = {col: exprs for col, exprs in groups.items() if len(exprs) >= least}
    taken = {id(e) for exprs in shared.values() for e in exprs}
    return shared, [e for e in leaves if id(e) not in taken]


def _outside_parties(frame: pl.DataFrame, m: Matches, found: list[list]) -> Matches:
    """The matches without the goods mentions inside a listed party's name in the text ("Kalashnikov" of
    "Kalashnikov Concern"): the party is the finding, not rifles. Dropped ones join `m.dropped` when kept."""
    from dataclasses import replace

    from screener.match.names import inside, locate

    pieces = [(row, x.matched_text or frame["text"][row][x.start:x.end], f"{x.matched_text} ({x.ref})")
              for row, ms in enumerate(found) for x in ms if x.start is not None and x.tier == "match"]
    goods_rows = set(m.hits.filter(pl.col("kind") == "goods")["row"].to_list())
    pieces = [p for p in pieces if p[0] in goods_rows]
    if not pieces:
        return m
    spans = locate(frame, pieces)
    goods = m.hits.filter(pl.col("kind") == "goods")
    kept, gone = inside(goods, spans, pl.concat_str([pl.lit("inside the name of the listed party "), pl.col("name")]))
    if gone.is_empty():
        return m
    hits = m.hits.join(gone.select("row", "ref", "start", "end", "form", "kind"),
                       on=["row", "ref", "start", "end", "form", "kind"], how="anti", maintain_order="left")
    dropped = m.dropped
    if dropped is not None:
        dropped = pl.concat([dropped, gone.select(dropped.columns)]).sort("row", "start")
    return replace(m, hits=hits, dropped=dropped)


def _net_spec(rules: RuleSet):
    """What the rules ask of the nomenclature net (screener.match.nomenclature), or None."""
    from screener.match.nomenclature import NetSpec

    asks = [leaf.params for r in rules.rules for leaf in r.node.predicates() if leaf.op == "nomenclature"]
    if not asks:
        return None
    return NetSpec(tuple(sorted({x for p in asks for x in p.lists})), min(p.min_similarity for p in asks))


def _joined(feats: pl.DataFrame, col: str) -> pl.Expr:
    """A list column `;`-joined; one with no values at all (parties, without sanctions lists) as a literal ""."""
    return pl.col(col).list.join(";") if feats[col].list.len().sum() else pl.lit("")


def _bit_mask(cols: list[str]) -> pl.Expr:
    """Boolean columns (at most 63) as one integer: bit i is column i."""
    if not cols:
        return pl.repeat(0, pl.len(), dtype=pl.Int64)
    return pl.sum_horizontal([pl.col(c).cast(pl.Int64) * (1 << i) for i, c in enumerate(cols)])


__all__ = ["Screener", "Scored", "OUTPUT_COLUMNS"]
