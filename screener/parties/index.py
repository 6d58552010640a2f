"""The party index: listed entities and their aliases as records, token weights, and the blocking keys that pick
the few aliases a query is scored against (a rare token, its phonetic skeleton, a 4-letter prefix).

Built once from the store's `party_*` tables; read-only afterwards.
"""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from itertools import chain
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np

from screener.parties.normalize import is_generic, is_place, legal_forms, name_tokens, skeleton
from screener.parties.scorer import units

GENERIC_WEIGHT = 0.15
PLACE_WEIGHT = 0.35  # a country or city word: little when shared, but two different places differ
SHORT_TOKEN_WEIGHT = 0.5
SMALL_BLOCK = 1500  # postings up to which a query's candidates are summed in plain Python
MAX_POSTINGS = 4000  # blocking keys with more aliases of one list than this are too common to block on
REFERENCE = Path(__file__).resolve().parents[2] / "reference_data"


def deletions(token: str) -> tuple[str, ...]:
    """The token with one letter left out, each way (blocking for one typo: two words one edit apart share one
    of these, or one is the other's); none for words under 4 letters."""
    if len(token) < 4:
        return ()
    return tuple(dict.fromkeys(token[:i] + token[i + 1:] for i in range(len(token))))


@lru_cache(maxsize=200_000)
def _token_keys(token: str) -> tuple[str, ...]:
    """The blocking keys a query token looks up: itself, its skeleton, a 4-letter prefix (6+ letters) and
    itself with one letter left out (4+ letters); none for a generic word."""
    if is_generic(token):
        return ()
    keys = ["t:" + token, "s:" + skeleton(token)] + (["p:" + token[:4]] if len(token) >= 6 else [])
    return tuple(keys + (["d:" + d for d in (token, *deletions(token))] if len(token) >= 4 else []))


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
    order: tuple[int, ...] = ()  # token positions, heaviest first (`scorer.Reach` looks at them in this order)


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
            order = tuple(sorted(range(len(toks)), key=lambda i: -weights[i]))
            self.aliases.append(Alias(ent, alias, strength, toks, weights, sum(weights), strict, units(toks, weights),
                                      forms, fuzzy_short, order))
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
        self._postings(index)
        self.text_index = dict(text_index)

    def _postings(self, index: dict[tuple[int, str], list[int]]) -> None:
        """The blocking postings in one array (`flat`), and per list a key -> (start, end, weight of a shared key)
        table; keys with more than MAX_POSTINGS aliases of a list are dropped (too common to block on)."""
        kept = [(k, v) for k, v in index.items() if len(v) <= MAX_POSTINGS]
        self.flat = np.fromiter(chain.from_iterable(v for _, v in kept), dtype=np.int64,
                                count=sum(len(v) for _, v in kept))
        self.index: list[dict[str, tuple[int, int, float]]] = [{} for _ in self.lists]
        pos = 0
        for (li, key), v in kept:
            self.index[li][key] = (pos, pos + len(v), 1.0 / (1.0 + math.log1p(len(v))))
            pos += len(v)

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

    def candidates(self, q: tuple[str, ...], limit: int) -> list[list[int]]:
        """Per list: the aliases sharing blocking keys with the query tokens, at most `limit`, best first.

        An alias's blocking weight is the sum over the keys it shares (a key shared by many aliases weighs
        little), added up in key order as a plain loop would; when more than `limit` share keys, the `limit`
        heaviest are kept (ties at the last place all compete), ranked by weight, then by how many query tokens
        the alias holds, then by position; otherwise they come in the order they were first met.
        """
        keys = [k for t in dict.fromkeys(q) for k in _token_keys(t)]  # in query order: sums add the same way each run
        qset = set(q)
        out = []
        for table in self.index:
            spans = [table[k] for k in keys if k in table]
            if not spans:
                continue
            if sum(e - s for s, e, _ in spans) <= SMALL_BLOCK:
                ids, sums = self._sums_small(spans)
            else:
                ids, sums = self._sums_large(spans)
            if len(ids) <= limit:
                out.append(ids)
                continue
            cut = sorted(sums, reverse=True)[limit - 1]
            kept = [(a, c) for a, c in zip(ids, sums) if c >= cut]
            tied = {c for c, m in Counter(c for _, c in kept).items() if m > 1}  # only ties need shared tokens
            aliases = self.aliases
            ranked = sorted(((c, len(qset.intersection(aliases[a].tokens)) if c in tied else 0, -a)
                             for a, c in kept), reverse=True)[:limit]
            out.append([-r[2] for r in ranked])
        return out

    def _sums_small(self, spans: list[tuple[int, int, float]]) -> tuple[list[int], list[float]]:
        """Aliases in the order first met, each with the sum of its shared keys' weights (a plain loop: for a
        few hundred postings numpy's fixed costs are most of the work)."""
        acc: dict[int, float] = {}
        flat = self.flat
        for s, e, w in spans:
            for a in flat[s:e].tolist():
                acc[a] = acc.get(a, 0.0) + w
        return list(acc), list(acc.values())

    def _sums_large(self, spans: list[tuple[int, int, float]]) -> tuple[list[int], list[float]]:
        """`_sums_small` in numpy, for many postings; the sums add in the same order, so they are equal."""
        ids = np.concatenate([self.flat[s:e] for s, e, _ in spans])
        uniq, first, inv = np.unique(ids, return_index=True, return_inverse=True)
        sums = np.bincount(inv, weights=np.repeat([w for _, _, w in spans], [e - s for s, e, _ in spans]))
        order = np.argsort(first)
        return uniq[order].tolist(), sums[order].tolist()

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
