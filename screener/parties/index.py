"""The party index: listed entities and their aliases as records, token weights, and the blocking keys that pick
the few aliases a query is scored against (a rare token, its phonetic skeleton, a 4-letter prefix).

Built once from the store's `party_*` tables; read-only afterwards (but for a memo of query words' postings).
"""

from __future__ import annotations

import csv
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
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
CANDIDATE_BLOCK = 1000  # queries whose candidates are summed in one numpy pass (memory: ~600 postings each)
MAX_POSTINGS = 4000  # blocking keys with more aliases of one list than this are too common to block on
REFERENCE = Path(__file__).resolve().parents[2] / "reference_data"


def _groups(owner: np.ndarray, alias: np.ndarray):
    """(query, [aliases]) for each run of equal `owner` (sorted by owner)."""
    owner, alias = owner.tolist(), alias.tolist()
    lo = 0
    while lo < len(owner):
        hi = bisect_right(owner, owner[lo], lo)
        yield owner[lo], alias[lo:hi]
        lo = hi


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
def common_words(name: str = "common_words.txt") -> frozenset[str]:
    """Ordinary words, never a match alone: those companies take as names (parties/common_words.txt); with
    `common_english.txt`, the most frequent English words (from wordfreq: "green", "happiness")."""
    with open(REFERENCE / "parties" / name, encoding="utf-8") as f:
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
        # in running text, an everyday English word is no name on its own either ("Green tea … to Moscow"); a
        # party column holds a name, so there only the words companies take as names are held
        self.common_in_text = self.common | common_words("common_english.txt")
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
        self._span_memo: list[dict[str, tuple[list, list, list]]] = [{} for _ in self.lists]
        self.vocab: dict[str, int] | None = None  # (`_alias_words`, made when a ranking first needs it)
        self.text_index = dict(text_index)

    def _alias_words(self) -> None:
        """Each alias's distinct words as ids in one array (`word_ids`, from `word_start`, `word_count` long):
        how many words a query shares with a candidate is then counted for a whole block at once."""
        self.vocab = {}
        words = [sorted({self.vocab.setdefault(t, len(self.vocab)) for t in al.tokens}) for al in self.aliases]
        self.word_count = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        self.word_start = np.cumsum(self.word_count) - self.word_count
        self.word_ids = np.fromiter(chain.from_iterable(words), dtype=np.int64, count=int(self.word_count.sum()))

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
        """`candidates_many` for one query."""
        return next(self.candidates_many([q], limit))

    def candidates_many(self, qs: list[tuple[str, ...]], limit: int) -> Iterator[list[list[int]]]:
        """For each query in turn, per list: the aliases sharing blocking keys with its tokens, at most `limit`,
        best first.

        An alias's blocking weight is the sum over the keys it shares (a key shared by many aliases weighs
        little), added up in key order as a plain loop would; when more than `limit` share keys, the `limit`
        heaviest are kept (ties at the last place all compete), ranked by weight, then by how many query words
        the alias holds, then by position; otherwise they come in the order they were first met. A block of
        queries is done in one numpy pass (query by query, this was ~40 % of the cost of a name), and only one
        block's candidates are held at a time.
        """
        for lo in range(0, len(qs), CANDIDATE_BLOCK):
            block = qs[lo:lo + CANDIDATE_BLOCK]
            out: list[list[list[int]]] = [[] for _ in block]
            for li in range(len(self.index)):
                for i, ranked in self._ranked(li, block, limit):
                    out[i].append(ranked)
            yield from out

    def _spans(self, li: int, token: str) -> tuple[list, list, list]:
        """The postings of a query word's blocking keys in list `li`, in key order: starts, lengths, weights
        (remembered: a column meets the same words again and again)."""
        memo = self._span_memo[li]
        got = memo.get(token)
        if got is None:
            if len(memo) >= 200_000:
                memo.clear()
            table = self.index[li]
            spans = [table[k] for k in _token_keys(token) if k in table]
            got = memo[token] = ([s for s, _, _ in spans], [e - s for s, e, _ in spans], [w for _, _, w in spans])
        return got

    def _ranked(self, li: int, block: list[tuple[str, ...]], limit: int):
        """(query, its ranked candidates in list `li`) for each query of `block` with a key there."""
        found = self._blocked(li, block)
        if found is None:
            return
        owner, alias, first, weight = found
        size = np.bincount(owner, minlength=len(block))
        small = size[owner] <= limit
        order = np.lexsort((first[small], owner[small]))  # as first met
        yield from _groups(owner[small][order], alias[small][order])
        if small.all():
            return
        owner, alias, weight = owner[~small], alias[~small], weight[~small]
        heavy = np.lexsort((-weight, owner))
        start = np.searchsorted(owner[heavy], owner)  # each row's group start, in `heavy` order
        kept = weight >= weight[heavy][start + limit - 1]  # the group's limit-th heaviest: ties all compete
        owner, alias, weight = owner[kept], alias[kept], weight[kept]
        shared = self._shared(owner, alias, block)
        rank = np.lexsort((alias, -shared, -weight, owner))
        owner, alias = owner[rank], alias[rank]
        top = np.arange(len(owner)) - np.searchsorted(owner, owner) < limit
        yield from _groups(owner[top], alias[top])

    def _blocked(self, li: int, block: list[tuple[str, ...]]) -> tuple[np.ndarray, ...] | None:
        """(query, alias, where first met, summed key weight) for each query and alias sharing a key in list `li`.
        Keys come in query-word order; bincount adds each sum's terms in the order they come, as a plain loop."""
        starts, lens, weights, owners = [], [], [], []
        for i, q in enumerate(block):
            for t in dict.fromkeys(q):
                s, n, w = self._spans(li, t)
                if s:
                    starts += s
                    lens += n
                    weights += w
                    owners += [i] * len(s)
        if not starts:
            return None
        n = np.asarray(lens, dtype=np.int64)
        at = np.repeat(np.asarray(starts, dtype=np.int64) - (np.cumsum(n) - n), n) + np.arange(n.sum())
        pair = np.repeat(np.asarray(owners, dtype=np.int64), n) * len(self.aliases) + self.flat[at]
        uniq, first, inv = np.unique(pair, return_index=True, return_inverse=True)
        weight = np.bincount(inv, weights=np.repeat(np.asarray(weights), n))
        return uniq // len(self.aliases), uniq % len(self.aliases), first, weight

    def _shared(self, owner: np.ndarray, alias: np.ndarray, block: list[tuple[str, ...]]) -> np.ndarray:
        """How many distinct words of its query (`block[owner]`) each alias holds."""
        if self.vocab is None:
            self._alias_words()
        width = len(self.vocab)
        asked = np.unique(np.fromiter((i * width + self.vocab[t] for i, q in enumerate(block) for t in set(q)
                                       if t in self.vocab), dtype=np.int64))
        n = self.word_count[alias]
        at = np.repeat(self.word_start[alias] - (np.cumsum(n) - n), n) + np.arange(n.sum())
        held = np.isin(np.repeat(owner, n) * width + self.word_ids[at], asked)
        return np.bincount(np.repeat(np.arange(len(alias)), n)[held], minlength=len(alias))

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
