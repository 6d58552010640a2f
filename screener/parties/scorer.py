"""Party-name scoring: token similarity, the weighted soft-Dice alignment of two token lists, and the one
acceptance rule a match must pass. Pure functions over tokens and weights; the index supplies both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

from screener.parties.normalize import fold, is_generic, skeleton

THRESHOLD = 0.86  # default score a fuzzy match must reach (tuned on benchmarks/data/parties.jsonl)
TOKEN_SIM = 0.75  # least rapidfuzz similarity for two tokens to align at all
FOLD_SIM = 0.95  # similarity of two tokens that differ only by a transliteration variant
ANCHOR_SIM = 0.85  # a match needs one distinctive token agreeing at least this well


@dataclass(slots=True)
class Scored:
    """The score of one query against one alias and the token pairs that agreed (query, alias, similarity)."""

    score: float
    pairs: list = field(default_factory=list)


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


def units(t: tuple[str, ...], w: tuple[float, ...]) -> tuple[list, list]:
    """Single tokens and adjacent joined pairs of a token list, each as (indices, text, weight, length, skeleton)."""
    singles = [((i,), x, w[i], len(x), skeleton(x)) for i, x in enumerate(t)]
    joined = []
    for i in range(len(t) - 1):
        x = t[i] + t[i + 1]
        joined.append(((i, i + 1), x, w[i] + w[i + 1], len(x), skeleton(x)))
    return singles, joined


def align(q: tuple[str, ...], qw: tuple[float, ...], a: tuple[str, ...], aw: tuple[float, ...],
          qunits: tuple[list, list] | None = None, aunits: tuple[list, list] | None = None,
          floor: float = 0.0) -> Scored:
    """Weighted soft Dice of two token lists; adjacent tokens may join (`rosoboron export` = `rosoboronexport`).

    `qunits`/`aunits` are `units` of each side when the caller already has them (batch scoring reuses them).
    With `floor`, a pairing whose best possible score (every token with any similar partner fully matched) is
    below `floor` returns score 0 without the alignment: the caller only wants scores that reach `floor`.
    Pairs that cannot be similar are skipped before any similarity is computed: a nonzero similarity needs equal
    skeletons or lengths within 25 % (single tokens) or 10 % (a joined pair, which needs similarity 0.9).
    """
    qs, qj = qunits or units(q, qw)
    as_, aj_ = aunits or units(a, aw)
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
            return Scored(0.0, [])
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
    return Scored(got / total if total else 0.0, pairs)


def accept(sc: Scored, threshold: float) -> bool:
    """The acceptance rule: the score reaches the threshold and a distinctive token agrees (not only generic ones)."""
    return sc.score >= threshold and any(not is_generic(a) and s >= ANCHOR_SIM for _, a, s in sc.pairs)
