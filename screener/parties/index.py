"""The party index: listed entities and their aliases as records, token weights, and the blocking keys that pick
the few aliases a query is scored against (a rare token, its phonetic skeleton, a 4-letter prefix).

Built once from the store's `party_*` tables; read-only afterwards.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from screener.parties.normalize import is_generic, is_place, legal_forms, name_tokens, skeleton
from screener.parties.scorer import units

GENERIC_WEIGHT = 0.15
PLACE_WEIGHT = 0.35  # a country or city word: little when shared, but two different places differ
SHORT_TOKEN_WEIGHT = 0.5
MAX_POSTINGS = 4000  # blocking keys with more aliases of one list than this are too common to block on
REFERENCE = Path(__file__).resolve().parents[2] / "reference_data"


def deletions(token: str) -> tuple[str, ...]:
    """The token with one letter left out, each way (blocking for one typo: two words one edit apart share one
    of these, or one is the other's); none for words under 4 letters."""
    if len(token) < 4:
        return ()
    return tuple(dict.fromkeys(token[:i] + token[i + 1:] for i in range(len(token))))


@lru_cache(maxsize=1)
def corpus_df() -> tuple[dict[str, int], int]:
    """Token → number of names holding it in the fixed corpus `reference_data/parties/name_tokens.tsv`."""
    path = REFERENCE / "parties" / "name_tokens.tsv"
    with open(path, encoding="utf-8") as f:
        total = int(f.readline().split("\t")[1])
        rows = csv.reader(f, delimiter="\t")
        next(rows)
        return {t: int(n) for t, n in rows}, total


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary words that companies take as names (reference_data/parties/common_words.txt): never a match
    alone."""
    with open(REFERENCE / "parties" / "common_words.txt", encoding="utf-8") as f:
        return frozenset(w.strip() for w in f if w.strip() and not w.startswith("#"))


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
    forms: frozenset = frozenset()  # legal forms the alias states (or, when it states none, the primary name)
    short: bool = False  # strict, but scored fuzzily too and held to review unless its own words agree


def _fuzzy_short(strength: str, schema: str, toks: tuple[str, ...]) -> bool:
    """A short name of two or more words (`GAZ GROUP`, `DREX TECHNOLOGIES`) is scored fuzzily too, held to
    review unless its own words agree (scorer.short_name_holds); a weak alias or a one-word name is exact only."""
    return strength != "weak" and schema != "individual" and len(toks) >= 2 and any(not is_generic(t) for t in toks)


class PartyIndex:
    """Entities, aliases, exact keys and blocking postings of the imported lists."""

    def __init__(self, rows: list[tuple]):
        """rows: (list, entity_id, alias, strength, primary name, programs, countries, schema).

        Token weights come from the fixed corpus (`corpus_df`), and blocking keys and their limits are kept per
        list: what one list holds never changes a decision on another list's entities.
        """
        self.df, n_names = corpus_df()
        self.n_aliases = max(n_names, 1)
        self._log_n = math.log(self.n_aliases / 3) if self.n_aliases > 3 else 1.0
        self.common = common_words()
        self.entities: list[Entity] = []
        self.aliases: list[Alias] = []
        self.lists: list[str] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        ent_ix: dict[tuple[str, str], int] = {}
        index: dict[tuple[int, str], list[int]] = defaultdict(list)
        text_index: dict[tuple[int, str], list[int]] = defaultdict(list)
        for lst, eid, alias, strength, primary, programs, countries, schema in rows:
            key = (lst, eid)
            if key not in ent_ix:
                ent_ix[key] = len(self.entities)
                self.entities.append(Entity(lst, eid, primary, tuple(programs or ()), tuple(countries or ()),
                                            schema or ""))
                if lst not in self.lists:
                    self.lists.append(lst)
            toks = name_tokens(alias)
            if not toks:
                continue
            ent = ent_ix[key]
            li = self.lists.index(lst)
            weights = tuple(self.weight(t) for t in toks)
            distinctive = [t for t in toks if not is_generic(t)]
            strict = (strength == "weak" or not distinctive or len("".join(distinctive)) < 5
                      or (len(distinctive) == 1 and len(distinctive[0]) <= 4)
                      or (schema == "individual" and len(toks) == 1))
            forms = legal_forms(alias) or legal_forms(primary or "")
            aid = len(self.aliases)
            fuzzy_short = strict and _fuzzy_short(strength, schema, toks)
            self.aliases.append(Alias(ent, alias, strength, toks, weights, sum(weights), strict, units(toks, weights),
                                      forms, fuzzy_short))
            self.exact[" ".join(sorted(toks))].append(aid)
            rare = sorted(set(distinctive or toks), key=lambda t: (self.df.get(t, 0), -len(t), t))[:3]
            for t in rare:
                text_index[(li, t)].append(aid)
                if fuzzy_short:  # blocked on the word and its sound only: its scoring needs them (`short_name`)
                    index[(li, "t:" + t)].append(aid)
                    if len(sk := skeleton(t)) >= 2:
                        index[(li, "s:" + sk)].append(aid)
                if not strict:
                    index[(li, "t:" + t)].append(aid)
                    if len(sk := skeleton(t)) >= 3:
                        index[(li, "s:" + sk)].append(aid)
                        text_index[(li, "s:" + sk)].append(aid)
                    if len(t) >= 6:
                        index[(li, "p:" + t[:4])].append(aid)
                    for d in deletions(t):
                        index[(li, "d:" + d)].append(aid)
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
        if is_place(token):
            return PLACE_WEIGHT
        if is_generic(token):
            return GENERIC_WEIGHT
        base = SHORT_TOKEN_WEIGHT if len(token) <= 2 else 1.0
        df = self.df.get(token, 0)
        rarity = 1.0 if df <= 3 else max(0.3, min(1.0, math.log(self.n_aliases / df) / self._log_n))
        return base * rarity

    def blocked(self, q: tuple[str, ...]) -> list[dict[int, float]]:
        """Per list: aliases sharing a blocking key with the query tokens, each with its blocking weight."""
        out = []
        keys = []
        for t in set(q):
            if not is_generic(t):
                keys += ["t:" + t, "s:" + skeleton(t)] + (["p:" + t[:4]] if len(t) >= 6 else [])
                keys += ["d:" + d for d in (t, *deletions(t))] if len(t) >= 4 else []
        for li in range(len(self.lists)):
            counts: dict[int, float] = defaultdict(float)
            for k in keys:
                post = self.index.get((li, k))
                if post:
                    inc = 1.0 / (1.0 + math.log1p(len(post)))
                    for aid in post:
                        counts[aid] += inc
            if counts:
                out.append(counts)
        return out

    def text_candidates(self, token: str, limit: int) -> set[int]:
        """Aliases a word of running text may start (its token or skeleton is a rare key), per list at most
        `limit` (a key shared by more aliases of a list says nothing)."""
        out: set[int] = set()
        for li in range(len(self.lists)):
            cands = set(self.text_index.get((li, token), ()))
            if len(token) >= 4:
                cands.update(self.text_index.get((li, "s:" + skeleton(token)), ()))
            if len(cands) <= limit:
                out |= cands
        return out
