"""Party names of a large column normalised and scored on forked processes (beside the batch's own workers).

Used by the party benchmark and by callers that hold a big column in one process
(`matcher.match_names(names, score_many=score_many, normalise_many=normalise_many)`); inside a batch worker (a
daemon process, which may not have children) it works in place.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os

PARALLEL_MIN = 5000  # distinct names before the work is spread over processes

_MATCHER = None  # the matcher a forked worker inherits


def _can_fork() -> bool:
    """Forked workers need a platform with fork and a process that may have children (not a pool worker)."""
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def _score(query: tuple) -> dict:
    return _MATCHER.score_tokens(*query)


def _forked_map(func, items: list, workers: int | None) -> list | None:
    """`func` over `items` on `workers` forked processes (None when there are too few items, or no fork here).

    The parent's objects are frozen out of the garbage collector while the pool runs: a worker's collections
    would otherwise walk the inherited matcher and copy every page they touch (copy-on-write).
    """
    workers = workers or min(2, os.cpu_count() or 1)
    if workers < 2 or len(items) < PARALLEL_MIN or not _can_fork():
        return None
    gc.freeze()
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            return pool.map(func, items, chunksize=max(1, len(items) // (workers * 32)))  # small: no long tail
    except (OSError, RuntimeError):  # no fork or no processes here: the caller works in place
        return None
    finally:
        gc.unfreeze()


def score_many(matcher, qs: list[tuple], workers: int | None = None) -> list[dict]:
    """`matcher.score_tokens(tokens, forms, country)` for each of `qs`, on `workers` forked processes when
    there are enough of them."""
    global _MATCHER
    _MATCHER = matcher
    try:
        out = _forked_map(_score, qs, workers)
    finally:
        _MATCHER = None
    return out if out is not None else [matcher.score_tokens(*q) for q in qs]


def _normalise(name: str) -> tuple[tuple[str, ...], frozenset]:
    from screener.parties.normalize import legal_forms, name_tokens

    return name_tokens(name), legal_forms(name)


def normalise_many(names: list[str], workers: int | None = None) -> list[tuple[tuple[str, ...], frozenset]]:
    """`(name_tokens(name), legal_forms(name))` for each of `names`, on `workers` forked processes when there
    are enough of them."""
    out = _forked_map(_normalise, names, workers)
    return out if out is not None else [_normalise(n) for n in names]
