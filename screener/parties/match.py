"""Explained party-name matching: exact keys first, then token scoring behind a blocking index.

`index.PartyIndex` holds the listed entities and their aliases, `scorer` compares two token lists and decides,
`text` finds listed names in running text. `PartyMatcher` is the one object the screener holds: it matches a
name (a consignee cell) or a column of names, and every match says which list entry and alias matched, which
tokens agreed, the score and the threshold.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import duckdb

from screener.parties.index import PartyIndex
from screener.parties.normalize import name_tokens
from screener.parties.scorer import THRESHOLD, accept, align, units
from screener.parties.text import find_in_text

MAX_CANDIDATES = 25  # aliases scored per query name, best-blocked first


@dataclass(slots=True, frozen=True)
class PartyMatch:
    """One matched list entry, with the evidence for it."""

    list: str
    entity_id: str
    name: str  # listed primary name
    alias: str  # the alias that matched
    alias_strength: str  # strong | weak
    score: float
    threshold: float
    tokens: tuple[str, ...]  # normalised tokens that agreed (query form → list form when they differ)
    start: int | None = None  # char offsets in the original text (find_in_text) or None (names)
    end: int | None = None
    matched_text: str = ""
    programs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    schema: str = ""
    method: str = "fuzzy"  # exact | fuzzy

    @property
    def ref(self) -> str:
        """`LIST:ID` as used in output columns."""
        return f"{self.list}:{self.entity_id}"

    def to_dict(self) -> dict:
        """JSON-ready dict (for `screen --format json`)."""
        return {"ref": self.ref, "list": self.list, "entity_id": self.entity_id, "name": self.name,
                "alias": self.alias, "alias_strength": self.alias_strength, "score": round(self.score, 4),
                "threshold": self.threshold, "tokens": list(self.tokens), "start": self.start, "end": self.end,
                "matched_text": self.matched_text, "programs": list(self.programs),
                "countries": list(self.countries), "schema": self.schema, "method": self.method}


class PartyMatcher:
    """Matches names and free text against the party lists in the store. Build once, reuse."""

    def __init__(self, rows: list[tuple], threshold: float = THRESHOLD):
        """rows: (list, entity_id, alias, strength, primary name, programs, countries, schema)."""
        self.threshold = threshold
        self.index = PartyIndex(rows)

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection, lists: list[str] | None = None,
                   threshold: float = THRESHOLD) -> "PartyMatcher":
        """Load every alias of every imported list (or only `lists`) from the store."""
        matcher = cls([], threshold)
        matcher.index = PartyIndex.from_store(con, lists)
        return matcher

    def make(self, aid: int, score: float, pairs, method: str, span=None, text: str = "") -> PartyMatch:
        """The match record of alias `aid` with its evidence."""
        al = self.index.aliases[aid]
        ent = self.index.entities[al.entity]
        toks = tuple(q if q == a else f"{q}→{a}" for q, a, _ in pairs)
        return PartyMatch(ent.list, ent.entity_id, ent.name, al.text, al.strength, round(score, 4), self.threshold,
                          toks, span[0] if span else None, span[1] if span else None, text, ent.programs,
                          ent.countries, ent.schema, method)

    def score_tokens(self, q: tuple[str, ...], limit: int = MAX_CANDIDATES) -> dict[int, tuple[float, int, list, str]]:
        """Best (score, alias, pairs, method) per entity for normalised tokens `q`."""
        ix = self.index
        best: dict[int, tuple[float, int, list, str]] = {}
        for aid in ix.exact.get(" ".join(sorted(q)), ()):
            ent = ix.aliases[aid].entity
            best[ent] = (1.0, aid, [(t, t, 1.0) for t in q], "exact")
        counts = ix.blocked(q)
        if not counts:
            return best
        qw = tuple(ix.weight(t) for t in q)
        qunits = units(q, qw)
        if len(counts) > limit:  # rank by blocking weight, then by how many query tokens the alias shares
            qset = set(q)
            # only aliases whose blocking weight reaches the limit-th best can be ranked in (same order as a full
            # stable sort, at a fraction of the key computations)
            floor = heapq.nlargest(limit, counts.values())[-1]
            top = [a for a, c in counts.items() if c >= floor]
            ranked = sorted(top, key=lambda a: (counts[a], len(qset.intersection(ix.aliases[a].tokens))),
                            reverse=True)[:limit]
        else:
            ranked = list(counts)
        for aid in ranked:
            al = ix.aliases[aid]
            if al.strict or (best.get(al.entity, (0,))[0] >= 1.0):
                continue
            sc = align(q, qw, al.tokens, al.weights, qunits, al.units, self.threshold)
            if not accept(sc, self.threshold):
                continue
            if sc.score > best.get(al.entity, (0.0,))[0]:
                best[al.entity] = (sc.score, aid, sc.pairs, "fuzzy")
        return best

    def match_name(self, name: str) -> list[PartyMatch]:
        """List entries matching a name (e.g. a consignee cell), best first."""
        if not name or not name.strip():
            return []
        q = name_tokens(name)
        if not q:
            return []
        return self._made(self.score_tokens(q), name)

    def _made(self, best: dict, name: str) -> list[PartyMatch]:
        out = [self.make(aid, s, pairs, m, text=name) for s, aid, pairs, m in best.values()]
        return sorted(out, key=lambda m: (-m.score, m.list, m.entity_id))

    def match_names(self, names: list[str], score_many=None) -> list[list[PartyMatch]]:
        """match_name for a column: each distinct normalised name is scored once.

        `score_many(matcher, token_lists)` scores the distinct names (default: here, one after another;
        `screener.batch.party_pool.score_many` spreads a large column over processes).
        """
        keys = [n if isinstance(n, str) and n.strip() else "" for n in names]
        toks = {k: name_tokens(k) if k else () for k in dict.fromkeys(keys)}
        distinct = list(dict.fromkeys(q for q in toks.values() if q))
        scored_list = score_many(self, distinct) if score_many else [self.score_tokens(q) for q in distinct]
        scored = dict(zip(distinct, scored_list))
        made: dict[str, list[PartyMatch]] = {}
        out = []
        for k in keys:
            got = made.get(k)
            if got is None:
                got = made[k] = self._made(scored.get(toks[k], {}), k)
            out.append(got)
        return out

    def find_in_text(self, text: str) -> list[PartyMatch]:
        """Listed names inside free text, with char spans in `text` (see `screener.parties.text`)."""
        return find_in_text(self, text)
