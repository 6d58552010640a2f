"""Party names of a large column matched on forked processes (beside the batch's own workers).

Used by the party benchmark and by callers that hold a big column in one process (`match_many(matcher, names)`);
inside a batch worker (a daemon process, which may not have children) it works in place. Each worker runs
`matcher.match_names` on its share of the distinct names, so the pool decides exactly as the plain call does.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os

PARALLEL_MIN = 5000  # distinct names before the work is spread over processes
SHARES = 32  # shares per worker: small enough that no worker waits long for the last one

_MATCHER = None  # the matcher a forked worker inherits


def _can_fork() -> bool:
    """Forked workers need a platform with fork and a process that may have children (not a pool worker)."""
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def _match(share: tuple[list, list]) -> list:
    return _MATCHER.match_names(*share)


def _forked_map(func, items: list, workers: int) -> list | None:
    """`func` over `items` on `workers` forked processes (None when there is one worker, or no fork here).

    The parent's objects are frozen out of the garbage collector while the pool runs: a worker's collections
    would otherwise walk the inherited matcher and copy every page they touch (copy-on-write).
    """
    if workers < 2 or not _can_fork():
        return None
    gc.freeze()
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            return pool.map(func, items)
    except (OSError, RuntimeError):  # no fork or no processes here: the caller works in place
        return None
    finally:
        gc.unfreeze()


def match_many(matcher, names: list, countries: list | None = None, workers: int | None = None) -> list[list]:
    """`matcher.match_names(names, countries=countries)`, its distinct (name, country) pairs shared out over
    `workers` forked processes when there are enough of them."""
    global _MATCHER
    countries = countries or [None] * len(names)
    distinct = list(dict.fromkeys(zip(names, countries)))
    workers = workers or min(2, os.cpu_count() or 1)
    if len(distinct) < PARALLEL_MIN:
        return matcher.match_names(names, countries=countries)
    step = -(-len(distinct) // (workers * SHARES))
    shares = [([n for n, _ in part], [c for _, c in part])
              for part in (distinct[i:i + step] for i in range(0, len(distinct), step))]
    _MATCHER = matcher
    try:
        done = _forked_map(_match, shares, workers)
    finally:
        _MATCHER = None
    if done is None:
        return matcher.match_names(names, countries=countries)
    found = dict(zip(distinct, (m for part in done for m in part)))
    return [found[key] for key in zip(names, countries)]
