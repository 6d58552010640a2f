"""The party index: listed entities and their aliases as records, token weights, and the blocking keys that pick
the few aliases a query is scored against (a rare token, its phonetic skeleton, a 4-letter prefix).

Built once from the store's `party_*` tables; read-only afterwards.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import duckdb

from screener.parties.normalize import is_generic, name_tokens, skeleton
from screener.parties.scorer import units

GENERIC_WEIGHT = 0.15
SHORT_TOKEN_WEIGHT = 0.5
MAX_POSTINGS = 4000  # blocking keys with more aliases than this are too common to block on


@dataclass(slots=True, frozen=True)
class Entity:
    """One listed entry as the matcher sees it."""

    list: str
    entity_id: str
    name: str  # listed primary name
    programs: tuple[str, ...]
    countries: tuple[str, ...]
    schema: str


@dataclass(slots=True)
class Alias:
    """One name of an entity, normalised, with its token weights and the units the scorer aligns."""

    entity: int  # position in PartyIndex.entities
    text: str
    strength: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    total: float
    strict: bool  # exact match only (weak alias, short or all-generic name)
    units: tuple[list, list] = ((), ())


class PartyIndex:
    """Entities, aliases, exact keys and blocking postings of the imported lists."""

    def __init__(self, rows: list[tuple]):
        """rows: (list, entity_id, alias, strength, primary name, programs, countries, schema)."""
        self.entities: list[Entity] = []
        ent_ix: dict[tuple[str, str], int] = {}
        raw: list[tuple[int, str, str, tuple[str, ...]]] = []
        df: dict[str, int] = defaultdict(int)
        for lst, eid, alias, strength, primary, programs, countries, schema in rows:
            key = (lst, eid)
            if key not in ent_ix:
                ent_ix[key] = len(self.entities)
                self.entities.append(Entity(lst, eid, primary, tuple(programs or ()), tuple(countries or ()),
                                            schema or ""))
            toks = name_tokens(alias)
            if not toks:
                continue
            raw.append((ent_ix[key], alias, strength, toks))
            for t in set(toks):
                df[t] += 1
        self.df = df
        self.n_aliases = max(len(raw), 1)
        self._log_n = math.log(self.n_aliases / 3) if self.n_aliases > 3 else 1.0
        self.aliases: list[Alias] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        index: dict[str, list[int]] = defaultdict(list)
        text_index: dict[str, list[int]] = defaultdict(list)
        for ent, alias, strength, toks in raw:
            weights = tuple(self.weight(t) for t in toks)
            distinctive = [t for t in toks if not is_generic(t)]
            strict = (strength == "weak" or not distinctive or len("".join(distinctive)) < 5
                      or (len(distinctive) == 1 and len(distinctive[0]) <= 4)
                      or (self.entities[ent].schema == "individual" and len(toks) == 1))
            aid = len(self.aliases)
            self.aliases.append(Alias(ent, alias, strength, toks, weights, sum(weights), strict, units(toks, weights)))
            self.exact[" ".join(sorted(toks))].append(aid)
            rare = sorted(set(distinctive or toks), key=lambda t: (df[t], -len(t)))[:3]
            for t in rare:
                text_index[t].append(aid)
                if not strict:
                    index["t:" + t].append(aid)
                    if len(sk := skeleton(t)) >= 3:
                        index["s:" + sk].append(aid)
                        text_index["s:" + sk].append(aid)
                    if len(t) >= 6:
                        index["p:" + t[:4]].append(aid)
        self.index = {k: v for k, v in index.items() if len(v) <= MAX_POSTINGS}
        self.text_index = dict(text_index)

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection, lists: list[str] | None = None) -> "PartyIndex":
        """Load every alias of every imported list (or only `lists`) from the store."""
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "party_names" not in tables:
            return cls([])
        sql = """SELECT n.list, n.entity_id, n.name, n.strength, e.name, e.programs, e.countries, e.schema
                 FROM party_names n JOIN party_entities e ON n.list = e.list AND n.entity_id = e.entity_id"""
        params: list = []
        if lists:
            sql += " WHERE n.list IN (SELECT unnest(?))"
            params = [lists]
        return cls(con.execute(sql + " ORDER BY n.list, n.entity_id", params).fetchall())

    def weight(self, token: str) -> float:
        """Token weight: rarity in the lists (rare tokens count most), low for generic words and initials."""
        if is_generic(token):
            return GENERIC_WEIGHT
        base = SHORT_TOKEN_WEIGHT if len(token) <= 2 else 1.0
        df = self.df.get(token, 0)
        rarity = 1.0 if df <= 3 else max(0.3, min(1.0, math.log(self.n_aliases / df) / self._log_n))
        return base * rarity

    def blocked(self, q: tuple[str, ...]) -> dict[int, float]:
        """Aliases sharing a blocking key with the query tokens, each with its blocking weight."""
        counts: dict[int, float] = defaultdict(float)
        for t in set(q):
            if is_generic(t):
                continue
            keys = ["t:" + t, "s:" + skeleton(t)] + (["p:" + t[:4]] if len(t) >= 6 else [])
            for k in keys:
                post = self.index.get(k)
                if post:
                    inc = 1.0 / (1.0 + math.log1p(len(post)))
                    for aid in post:
                        counts[aid] += inc
        return counts
