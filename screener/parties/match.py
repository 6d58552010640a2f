"""Explained party-name matching: exact keys first, then rapidfuzz token scoring behind a blocking index.

A name is normalised (`normalize.name_tokens`) and compared only with list aliases that share a rare token, a
phonetic skeleton or a 4-letter prefix with it (the blocking index), best-blocked first. The score is a weighted
soft Dice over aligned tokens: each token weighs by its rarity in the lists, generic words ("trading", "company")
weigh little, and aligned tokens count by their rapidfuzz similarity. Short names and weak aliases match only
exactly. Every match says which list entry and alias matched, which tokens agreed, the score and the threshold.
"""

from __future__ import annotations

import heapq
import math
import multiprocessing as mp
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb
from rapidfuzz.distance import Levenshtein

from screener.parties.normalize import LEGAL_TOKENS, fold, is_generic, name_tokens, skeleton, word_token

THRESHOLD = 0.86  # default score a fuzzy match must reach (tuned on benchmarks/data/parties.jsonl)
TOKEN_SIM = 0.75  # least rapidfuzz similarity for two tokens to align at all
FOLD_SIM = 0.95  # similarity of two tokens that differ only by a transliteration variant
GENERIC_WEIGHT = 0.15
SHORT_TOKEN_WEIGHT = 0.5
MAX_POSTINGS = 4000  # blocking keys with more aliases than this are too common to block on
MAX_CANDIDATES = 25  # aliases scored per query name, best-blocked first
PARALLEL_MIN = 5000  # distinct names in a batch before scoring is spread over processes
TEXT_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


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


@dataclass(slots=True)
class _Alias:
    entity: int
    text: str
    strength: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    total: float
    strict: bool  # exact match only (weak alias, short or all-generic name)
    units: tuple[list, list] = ((), ())  # `_units` of the tokens, computed once for scoring


@dataclass(slots=True)
class _Scored:
    score: float
    pairs: list = field(default_factory=list)  # (query token, alias token, sim)


_SIM_CACHE: dict[tuple[str, str], float] = {}
_SIM_CACHE_MAX = 4_000_000  # pairs kept; the cache is cleared when full (a batch meets the same pairs again)


def _token_sim(a: str, b: str) -> float:
    """`_token_sim_raw`, memoised: the same query token meets the same alias tokens again and again."""
    s = _SIM_CACHE.get((a, b))
    return _sim_miss(a, b) if s is None else s


def _sim_miss(a: str, b: str) -> float:
    """Compute and remember the similarity of a pair not yet in the cache."""
    if len(_SIM_CACHE) >= _SIM_CACHE_MAX:
        _SIM_CACHE.clear()
    s = _SIM_CACHE[(a, b)] = _token_sim_raw(a, b)
    return s


def _token_sim_raw(a: str, b: str) -> float:
    """Similarity of two tokens: equal 1, same skeleton 0.9, else rapidfuzz Levenshtein (digits must be equal)."""
    if a == b:
        return 1.0
    if len(a) < 4 or len(b) < 4 or a.isdigit() or b.isdigit():
        return 0.0
    fa, fb = fold(a), fold(b)
    if fa == fb:  # a transliteration variant (kh/h, ks/x, y/i, ts/c ...)
        return max(Levenshtein.normalized_similarity(a, b), FOLD_SIM)
    if skeleton(a) == skeleton(b):
        sim = max(Levenshtein.normalized_similarity(a, b), FOLD_SIM * Levenshtein.normalized_similarity(fa, fb))
        return sim if sim >= TOKEN_SIM else 0.0
    return Levenshtein.normalized_similarity(a, b, score_cutoff=TOKEN_SIM)  # 0 below the cut-off


def _units(t: tuple[str, ...], w: tuple[float, ...]) -> tuple[list, list]:
    """Single tokens and adjacent joined pairs of a token list, each as (indices, text, weight, length, skeleton)."""
    singles = [((i,), x, w[i], len(x), skeleton(x)) for i, x in enumerate(t)]
    joined = []
    for i in range(len(t) - 1):
        x = t[i] + t[i + 1]
        joined.append(((i, i + 1), x, w[i] + w[i + 1], len(x), skeleton(x)))
    return singles, joined


def align(q: tuple[str, ...], qw: tuple[float, ...], a: tuple[str, ...], aw: tuple[float, ...],
          qunits: tuple[list, list] | None = None, aunits: tuple[list, list] | None = None,
          floor: float = 0.0) -> _Scored:
    """Weighted soft Dice of two token lists; adjacent tokens may join (`rosoboron export` = `rosoboronexport`).

    `qunits`/`aunits` are `_units` of each side when the caller already has them (batch scoring reuses them).
    With `floor`, a pairing whose best possible score (every token with any similar partner fully matched) is
    below `floor` returns score 0 without the alignment: the caller only wants scores that reach `floor`.
    Pairs that cannot be similar are skipped before any similarity is computed: a nonzero similarity needs equal
    skeletons or lengths within 25 % (single tokens) or 10 % (a joined pair, which needs similarity 0.9).
    """
    qs, qj = qunits or _units(q, qw)
    as_, aj_ = aunits or _units(a, aw)
    cache_get = _SIM_CACHE.get
    na, ns = len(as_) + len(aj_), len(as_)
    cands = []  # (sim, weight, -position in the all-pairs order: keeps ties as a plain double loop would)
    for u, (qi, qt, qwt, ql, qk) in enumerate(qs):  # single × single: any similarity that passes TOKEN_SIM
        for v, (aj, at, awt, al, ak) in enumerate(as_):
            if qk != ak and (ql - al > ql >> 2 or al - ql > al >> 2):
                continue
            s = cache_get((qt, at))
            if s is None:
                s = _sim_miss(qt, at)
            if s:
                cands.append((s, qwt + awt, -(u * na + v), qi, aj, qt, at))
    # a joined pair on one side only: needs a near-equal joined form
    for u0, v0, xs, ys in ((0, ns, qs, aj_), (len(qs), 0, qj, as_)):
        for u, (qi, qt, qwt, ql, qk) in enumerate(xs, u0):
            for v, (aj, at, awt, al, ak) in enumerate(ys, v0):
                if qk != ak and (10 * (ql - al) > ql or 10 * (al - ql) > al):
                    continue
                s = cache_get((qt, at))
                if s is None:
                    s = _sim_miss(qt, at)
                if s >= 0.9:
                    cands.append((s, qwt + awt, -(u * na + v), qi, aj, qt, at))
    total = sum(qw) + sum(aw)
    if floor and total:
        hit_q = {i for c in cands for i in c[3]}
        hit_a = {j for c in cands for j in c[4]}
        if sum(qw[i] for i in hit_q) + sum(aw[j] for j in hit_a) < floor * total - 1e-9:
            return _Scored(0.0, [])
    cands.sort(reverse=True)
    used_q, used_a = set(), set()
    got, pairs = 0.0, []
    for s, w, _, qi, aj, qt, at in cands:
        if used_q.intersection(qi) or used_a.intersection(aj):
            continue
        used_q.update(qi)
        used_a.update(aj)
        got += s * w
        pairs.append((qt, at, s))
    return _Scored(got / total if total else 0.0, pairs)


class PartyMatcher:
    """Matches names and free text against the party lists in the store. Build once, reuse."""

    def __init__(self, rows: list[tuple], threshold: float = THRESHOLD):
        """rows: (list, entity_id, alias, strength, primary name, programs, countries, schema)."""
        self.threshold = threshold
        self.entities: list[tuple] = []
        ent_ix: dict[tuple[str, str], int] = {}
        raw: list[tuple[int, str, str, tuple[str, ...]]] = []
        df: dict[str, int] = defaultdict(int)
        for lst, eid, alias, strength, primary, programs, countries, schema in rows:
            key = (lst, eid)
            if key not in ent_ix:
                ent_ix[key] = len(self.entities)
                self.entities.append((lst, eid, primary, tuple(programs or ()), tuple(countries or ()), schema or ""))
            toks = name_tokens(alias)
            if not toks:
                continue
            raw.append((ent_ix[key], alias, strength, toks))
            for t in set(toks):
                df[t] += 1
        self.df = df
        self.n_aliases = max(len(raw), 1)
        self._log_n = math.log(self.n_aliases / 3) if self.n_aliases > 3 else 1.0
        self.aliases: list[_Alias] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        index: dict[str, list[int]] = defaultdict(list)
        text_index: dict[str, list[int]] = defaultdict(list)
        for ent, alias, strength, toks in raw:
            weights = tuple(self.weight(t) for t in toks)
            distinctive = [t for t in toks if not is_generic(t)]
            strict = (strength == "weak" or not distinctive or len("".join(distinctive)) < 5
                      or (len(distinctive) == 1 and len(distinctive[0]) <= 4)
                      or (schema_of(self.entities[ent]) == "individual" and len(toks) == 1))
            aid = len(self.aliases)
            self.aliases.append(_Alias(ent, alias, strength, toks, weights, sum(weights), strict,
                                       _units(toks, weights)))
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

    # -- construction -------------------------------------------------------------------------------------
    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection, lists: list[str] | None = None,
                   threshold: float = THRESHOLD) -> "PartyMatcher":
        """Load every alias of every imported list (or only `lists`) from the store."""
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "party_names" not in tables:
            return cls([], threshold)
        sql = """SELECT n.list, n.entity_id, n.name, n.strength, e.name, e.programs, e.countries, e.schema
                 FROM party_names n JOIN party_entities e ON n.list = e.list AND n.entity_id = e.entity_id"""
        params: list = []
        if lists:
            sql += " WHERE n.list IN (SELECT unnest(?))"
            params = [lists]
        return cls(con.execute(sql + " ORDER BY n.list, n.entity_id", params).fetchall(), threshold)

    def weight(self, token: str) -> float:
        """Token weight: rarity in the lists (rare tokens count most), low for generic words and initials."""
        if is_generic(token):
            return GENERIC_WEIGHT
        base = SHORT_TOKEN_WEIGHT if len(token) <= 2 else 1.0
        df = self.df.get(token, 0)
        rarity = 1.0 if df <= 3 else max(0.3, min(1.0, math.log(self.n_aliases / df) / self._log_n))
        return base * rarity

    # -- names -----------------------------------------------------------------------------------------------
    def _make(self, aid: int, score: float, pairs, method: str, span=None, text: str = "") -> PartyMatch:
        al = self.aliases[aid]
        lst, eid, primary, programs, countries, schema = self.entities[al.entity]
        toks = tuple(q if q == a else f"{q}→{a}" for q, a, _ in pairs)
        return PartyMatch(lst, eid, primary, al.text, al.strength, round(score, 4), self.threshold, toks,
                          span[0] if span else None, span[1] if span else None, text, programs, countries,
                          schema, method)

    def _score_tokens(self, q: tuple[str, ...], limit: int = MAX_CANDIDATES) -> dict[int, tuple[float, int, list, str]]:
        """Best (score, alias, pairs, method) per entity for normalised tokens `q`."""
        best: dict[int, tuple[float, int, list, str]] = {}
        for aid in self.exact.get(" ".join(sorted(q)), ()):
            ent = self.aliases[aid].entity
            best[ent] = (1.0, aid, [(t, t, 1.0) for t in q], "exact")
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
        if not counts:
            return best
        qw = tuple(self.weight(t) for t in q)
        qunits = _units(q, qw)
        if len(counts) > limit:  # rank by blocking weight, then by how many query tokens the alias shares
            qset = set(q)
            # only aliases whose blocking weight reaches the limit-th best can be ranked in (same order as a full
            # stable sort, at a fraction of the key computations)
            floor = heapq.nlargest(limit, counts.values())[-1]
            top = [a for a, c in counts.items() if c >= floor]
            ranked = sorted(top, key=lambda a: (counts[a], len(qset.intersection(self.aliases[a].tokens))),
                            reverse=True)[:limit]
        else:
            ranked = list(counts)
        for aid in ranked:
            al = self.aliases[aid]
            if al.strict or (best.get(al.entity, (0,))[0] >= 1.0):
                continue
            sc = align(q, qw, al.tokens, al.weights, qunits, al.units, self.threshold)
            if sc.score < self.threshold or not any(not is_generic(a) and s >= 0.85 for _, a, s in sc.pairs):
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
        best = self._score_tokens(q)
        out = [self._make(aid, s, pairs, m, text=name) for s, aid, pairs, m in best.values()]
        return sorted(out, key=lambda m: (-m.score, m.list, m.entity_id))

    def match_names(self, names: list[str], workers: int | None = None) -> list[list[PartyMatch]]:
        """match_name for a column: each distinct normalised name is scored once.

        Large batches (≥ PARALLEL_MIN distinct names) are scored on `workers` forked processes (default: the
        machine's cores, at most 2); `workers=1` keeps everything in this process.
        """
        keys = [n if isinstance(n, str) and n.strip() else "" for n in names]
        toks = {k: name_tokens(k) if k else () for k in dict.fromkeys(keys)}
        distinct = list(dict.fromkeys(q for q in toks.values() if q))
        scored = dict(zip(distinct, self._score_many(distinct, workers)))
        made: dict[str, list[PartyMatch]] = {}
        out = []
        for k in keys:
            got = made.get(k)
            if got is None:
                best = scored.get(toks[k], {})
                got = made[k] = sorted((self._make(aid, s, pairs, m, text=k) for s, aid, pairs, m in best.values()),
                                       key=lambda m: (-m.score, m.list, m.entity_id))
            out.append(got)
        return out

    def _score_many(self, qs: list[tuple[str, ...]], workers: int | None) -> list[dict]:
        """`_score_tokens` for each of `qs`, on forked worker processes when the batch is large enough."""
        if workers is None:
            workers = min(2, os.cpu_count() or 1)
        if workers > 1 and len(qs) >= PARALLEL_MIN and _can_fork():
            global _WORKER_MATCHER
            _WORKER_MATCHER = self
            try:
                with mp.get_context("fork").Pool(workers) as pool:
                    return pool.map(_score_in_worker, qs, chunksize=max(1, len(qs) // (workers * 8)))
            except (OSError, RuntimeError):  # no fork or no processes here: score in this process
                pass
            finally:
                _WORKER_MATCHER = None
        return [self._score_tokens(q) for q in qs]

    # -- free text -----------------------------------------------------------------------------------------
    def find_in_text(self, text: str) -> list[PartyMatch]:
        """Listed names inside free text, with char spans in `text`.

        Seeds are text words found in the blocking index (exact token or phonetic skeleton); each seed's aliases
        are scored on windows of content words around it (legal-form words skipped). Single-word names need an
        exact, capitalised word; multi-word names need the threshold and one capitalised word (unless the whole
        text is lower case).
        """
        if not text:
            return []
        words = [(m.start(), m.end(), m.group(0), word_token(m.group(0))) for m in TEXT_WORD.finditer(text)]
        content = [i for i, w in enumerate(words) if w[3] and w[3] not in LEGAL_TOKENS]
        lower_text = not any(ch.isupper() for ch in text)
        toks = [words[i][3] for i in content]
        found: dict[tuple[int, int, int], tuple[float, int, list, str]] = {}
        tried: set[tuple[int, int]] = set()
        near_sets: dict[tuple[int, int], set[str]] = {}
        aligned: dict[tuple[int, tuple[str, ...]], _Scored] = {}
        for p, tok in enumerate(toks):
            if len(tok) < 2 or is_generic(tok):
                continue
            cands = set(self.text_index.get(tok, ()))
            if len(tok) >= 4:
                cands.update(self.text_index.get("s:" + skeleton(tok), ()))
            if len(cands) > 300:
                continue
            for aid in cands:
                al = self.aliases[aid]
                n = len(al.tokens)
                if n > 1:  # cheap check before scoring: most of the alias's weight is near the seed
                    near_set = near_sets.get((p, n))
                    if near_set is None:
                        near = toks[max(0, p - n):p + n + 1]
                        near_set = near_sets[(p, n)] = set(near) | {skeleton(t) for t in near}
                    present = sum(w for t, w in zip(al.tokens, al.weights)
                                  if t in near_set or skeleton(t) in near_set)
                    if present < (al.total - 1e-9 if al.strict else 0.6 * al.total):
                        continue
                for size in ((n, n + 1) if n >= 2 and not al.strict else (n,)):
                    for start in range(max(0, p - size + 1), min(p, len(toks) - size) + 1):
                        if (aid, start * 1000 + size) in tried:
                            continue
                        tried.add((aid, start * 1000 + size))
                        window = tuple(toks[start:start + size])
                        if al.strict or n == 1:
                            if sorted(window) != sorted(al.tokens):
                                continue
                            sc = _Scored(1.0, [(t, t, 1.0) for t in window])
                            method = "exact"
                        else:
                            sc = aligned.get((aid, window))
                            if sc is None:
                                sc = aligned[(aid, window)] = align(
                                    window, tuple(self.weight(t) for t in window), al.tokens, al.weights,
                                    aunits=al.units, floor=self.threshold)
                            if sc.score < self.threshold or not any(
                                    not is_generic(a) and s >= 0.85 for _, a, s in sc.pairs):
                                continue
                            method = "exact" if sc.score >= 0.999 else "fuzzy"
                        wi = content[start:start + size]
                        if not lower_text and not any(words[i][2][:1].isupper() for i in wi
                                                      if not is_generic(words[i][3])):
                            continue
                        key = (al.entity, wi[0], wi[-1])
                        if sc.score > found.get(key, (0.0,))[0]:
                            found[key] = (sc.score, aid, sc.pairs, method)
        out = []
        for (ent, i0, i1), (score, aid, pairs, method) in found.items():
            while i0 > 0 and words[i0 - 1][3] in LEGAL_TOKENS and i0 - 1 not in content:
                i0 -= 1
            while i1 + 1 < len(words) and words[i1 + 1][3] in LEGAL_TOKENS and i1 - i0 < 12:
                i1 += 1
            s, e = words[i0][0], words[i1][1]
            out.append(self._make(aid, score, pairs, method, (s, e), text[s:e]))
        return _resolve(out)


_WORKER_MATCHER: PartyMatcher | None = None  # the matcher a forked batch worker inherits


def _can_fork() -> bool:
    """Forked workers need a platform with fork and a process that may have children (not a pool worker)."""
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def _score_in_worker(q: tuple[str, ...]) -> dict:
    return _WORKER_MATCHER._score_tokens(q)


def schema_of(entity: tuple) -> str:
    return entity[5]


def _resolve(matches: list[PartyMatch]) -> list[PartyMatch]:
    """One match per entity (best score, then longest span); within overlapping spans keep the best-scoring
    entries (ties kept: two listed entities may share a name)."""
    per_entity: dict[tuple[str, str], PartyMatch] = {}
    for m in matches:
        cur = per_entity.get((m.list, m.entity_id))
        if cur is None or (m.score, m.end - m.start) > (cur.score, cur.end - cur.start):
            per_entity[(m.list, m.entity_id)] = m
    ms = sorted(per_entity.values(), key=lambda m: (-m.score, -(m.end - m.start), m.start))
    kept: list[PartyMatch] = []
    for m in ms:
        clash = [k for k in kept if k.start < m.end and m.start < k.end]
        if clash and any(k.score > m.score + 1e-9 or (k.end - k.start) > (m.end - m.start) for k in clash):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: (m.start, -m.score))
