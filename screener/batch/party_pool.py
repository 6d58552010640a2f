"""Party names of a large column normalised and scored on forked processes (beside the batch's own workers).

Used by the party benchmark and by callers that hold a big column in one process
(`matcher.match_names(names, score_many=score_many, normalise_many=normalise_many)`); inside a batch worker (a
daemon process, which may not have children) it works in place.
"""

from __future__ import annotations

import multiprocessing as mp
import os

PARALLEL_MIN = 5000  # distinct names before the work is spread over processes

_MATCHER = None  # the matcher a forked worker inherits


def _can_fork() -> bool:
    """Forked workers need a platform with fork and a process that may have children (not a pool worker)."""
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def _score(query: tuple) -> dict:
    return _MATCHER.score_tokens(*query)


def score_many(matcher, qs: list[tuple], workers: int | None = None) -> list[dict]:
    """`matcher.score_tokens(tokens, forms, country)` for each of `qs`, on `workers` forked processes when
    there are enough of them."""
    global _MATCHER
    workers = workers or min(2, os.cpu_count() or 1)
    if workers > 1 and len(qs) >= PARALLEL_MIN and _can_fork():
        _MATCHER = matcher
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                return pool.map(_score, qs, chunksize=max(1, len(qs) // (workers * 8)))
        except (OSError, RuntimeError):  # no fork or no processes here: score in this process
            pass
        finally:
            _MATCHER = None
    return [matcher.score_tokens(*q) for q in qs]


def _normalise(name: str) -> tuple[tuple[str, ...], frozenset]:
    from screener.parties.normalize import legal_forms, name_tokens

    return name_tokens(name), legal_forms(name)


def normalise_many(names: list[str], workers: int | None = None) -> list[tuple[tuple[str, ...], frozenset]]:
    """`(name_tokens(name), legal_forms(name))` for each of `names`, on `workers` forked processes when there
    are enough of them."""
    workers = workers or min(2, os.cpu_count() or 1)
    if workers > 1 and len(names) >= PARALLEL_MIN and _can_fork():
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                return pool.map(_normalise, names, chunksize=max(1, len(names) // (workers * 8)))
        except (OSError, RuntimeError):  # no fork or no processes here: normalise in this process
            pass
    return [_normalise(n) for n in names]
