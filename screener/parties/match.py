"""Explained party-name matching: exact keys first, then token scoring behind a blocking index.

`index.PartyIndex` holds the listed entities and their aliases, `scorer` compares two token lists and decides,
`text` finds listed names in running text. `PartyMatcher` is the one object the screener holds: it matches a
name (a consignee cell) or a column of names, and every match says which list entry and alias matched, which
tokens agreed, the score and the threshold.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb

from screener.parties.index import PartyIndex
from screener.parties.index_cache import load_index
from screener.parties.records import PartyMatch
from screener.parties.normalize import legal_forms, name_tokens
from screener.parties.places import split_place
from screener.parties.scorer import (REVIEW_THRESHOLD, THRESHOLD, Decision, Reach, Scored, align, decide,
                                     short_name_holds, units)
from screener.parties.text import find_in_text

MAX_CANDIDATES = 25  # aliases scored per query name, best-blocked first


class PartyMatcher:
    """Matches names and free text against the party lists in the store. Build once, reuse."""

    def __init__(self, rows: list[tuple], threshold: float = THRESHOLD, review: float = REVIEW_THRESHOLD):
        """rows: (list, entity_id, alias, strength, primary name, programs, countries, schema)."""
        self.threshold = threshold
        self.review = min(review, threshold)
        self.index = PartyIndex(rows)

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection, lists: list[str] | None = None,
                   threshold: float = THRESHOLD, review: float = REVIEW_THRESHOLD,
                   db_path=None) -> "PartyMatcher":
        """Load every alias of every imported list (or only `lists`) from the store; with the store's `db_path`,
        the index of all lists is read from its cache beside the store when still current (`index_cache`)."""
        matcher = cls([], threshold, review)
        if db_path is not None and not lists:
            matcher.index = load_index(con, db_path)
        else:
            matcher.index = PartyIndex.from_store(con, lists)
        return matcher

    def make(self, aid: int, d: Decision, pairs, method: str, span=None, text: str = "") -> PartyMatch:
        """The match record of alias `aid` with its evidence."""
        al = self.index.aliases[aid]
        ent = self.index.entities[al.entity]
        toks = tuple(q if q == a else f"{q}→{a}" for q, a, _ in pairs)
        return PartyMatch(ent.list, ent.entity_id, ent.name, al.text, al.strength, d.score, self.threshold,
                          toks, span[0] if span else None, span[1] if span else None, text, ent.programs,
                          ent.countries, ent.schema, method, d.tier, d.extra, d.features, d.held_by)

    def decide(self, aid: int, sc: Scored, q: tuple[str, ...], forms: frozenset, country: str | None) -> Decision:
        """`scorer.decide` for alias `aid` with this matcher's thresholds and the index's common words."""
        al = self.index.aliases[aid]
        d = decide(sc, q, forms, al.forms, self.index.common, country,
                   self.index.entities[al.entity].countries, self.threshold, self.review, al.tokens)
        if al.short and d.tier == "match" and short_name_holds(sc, q, al.tokens):
            return replace(d, tier="review", held_by="short_name")
        return d

    def stray_letter(self, q: tuple[str, ...]) -> list[int]:
        """Exact-only aliases that are the query but for one letter at its start or end (`... HOLDING A..`: a
        legal form cut short by a typo); decided as reviews at most (`scorer.decide`, `stray_letter`)."""
        if len(q) < 3:
            return []
        keys = ([q[:-1]] if len(q[-1]) == 1 else []) + ([q[1:]] if len(q[0]) == 1 else [])
        return [aid for k in keys for aid in self.index.exact.get(" ".join(sorted(k)), ())
                if self.index.aliases[aid].strict]

    def score_tokens(self, q: tuple[str, ...], forms: frozenset = frozenset(), country: str | None = None,
                     limit: int = MAX_CANDIDATES, per_list: list[list[int]] | None = None,
                     ) -> dict[int, tuple[Decision, int, list, str]]:
        """Best (decision, alias, pairs, method) per entity for normalised tokens `q` (match or review tier).

        Candidates come from the blocking index, at most `limit` per list, best-blocked first (`per_list`: the
        caller found them already, for many queries at once).
        """
        ix = self.index
        best: dict[int, tuple[Decision, int, list, str]] = {}

        def keep(aid: int, sc: Scored, method: str, review_only: bool = False) -> None:
            d = self.decide(aid, sc, q, forms, country)
            if not d.tier:
                return
            if review_only and d.tier == "match":
                d = replace(d, tier="review", held_by="stray_letter")
            ent = ix.aliases[aid].entity
            cur = best.get(ent)
            if cur is None or (d.tier == "match", d.score) > (cur[0].tier == "match", cur[0].score):
                best[ent] = (d, aid, sc.pairs, method)

        for aid in ix.exact.get(" ".join(sorted(q)), ()):
            keep(aid, Scored(1.0, [(t, t, 1.0) for t in q], frozenset(range(len(q)))), "exact")
        qw = tuple(ix.weight(t) for t in q)
        for aid in self.stray_letter(q):
            al = ix.aliases[aid]
            keep(aid, align(q, qw, al.tokens, al.weights), "fuzzy", review_only=True)
        per_list = ix.candidates(q, limit) if per_list is None else per_list
        if not per_list:
            return best
        qunits = units(q, qw)
        reach = Reach(qw, qunits)  # align's floor test, answered from what each alias token pairs with
        for ranked in per_list:
            for aid in ranked:
                al = ix.aliases[aid]
                cur = best.get(al.entity)
                if (al.strict and not al.short) or (cur is not None and cur[0].tier == "match" and cur[0].score >= 1.0):
                    continue
                if not reach.reaches(al, self.review):
                    continue
                sc = align(q, qw, al.tokens, al.weights, qunits, al.units, self.review)
                if sc.score >= self.review:
                    keep(aid, sc, "fuzzy")
        return best

    def match_name(self, name: str, country: str | None = None) -> list[PartyMatch]:
        """List entries matching a name (e.g. a consignee cell), best first; review-tier entries included
        (`tier`), after the matches. `country` (ISO-2) is the party's country when known."""
        if not name or not name.strip():
            return []
        bare, place = split_place(name)
        q = name_tokens(bare)
        if not q:
            return []
        return self._made(self.score_tokens(q, legal_forms(bare), country or place), name)

    def _made(self, best: dict, name: str) -> list[PartyMatch]:
        out = [self.make(aid, d, pairs, m, text=name) for d, aid, pairs, m in best.values()]
        return sorted(out, key=lambda m: (m.tier != "match", -m.score, m.list, m.entity_id))

    def match_names(self, names: list[str], countries: list[str | None] | None = None) -> list[list[PartyMatch]]:
        """match_name for a column: each distinct (name, country) is scored once (`screener.batch.party_pool.
        match_many` spreads a large column over processes)."""
        keys = [n if isinstance(n, str) and n.strip() else "" for n in names]
        bare = {k: split_place(k) if k else ("", None) for k in dict.fromkeys(keys)}
        ctry = [c or bare[k][1] for k, c in zip(keys, countries or [None] * len(keys))]
        query = {k: (name_tokens(bare[k][0]), legal_forms(bare[k][0])) for k in bare if k}
        distinct = list(dict.fromkeys((query[k][0], query[k][1], c) for k, c in zip(keys, ctry) if k and query[k][0]))
        blocked = self.index.candidates_many([q for q, _, _ in distinct], MAX_CANDIDATES)
        scored = {qfc: self.score_tokens(*qfc, per_list=cands) for qfc, cands in zip(distinct, blocked)}
        made: dict[tuple, list[PartyMatch]] = {}
        out = []
        for k, c in zip(keys, ctry):
            got = made.get((k, c))
            if got is None:
                q, f = query[k] if k else ((), frozenset())
                got = made[(k, c)] = self._made(scored.get((q, f, c), {}), k) if q else []
            out.append(got)
        return out

    def find_in_text(self, text: str) -> list[PartyMatch]:
        """Listed names inside free text, with char spans in `text` (see `screener.parties.text`)."""
        return find_in_text(self, text)
