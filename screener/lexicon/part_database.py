"""The part patterns compiled into a Hyperscan database, which the reference store keeps.

Compiling the lexicon's ~400 part patterns takes ~1 s, loading the compiled database ~1 ms, and every worker
process needs it: `reference/build.py` compiles it once, `match/part_filter.py` loads it (and compiles here
only when the stored one was made from other patterns or by another engine).
"""

from __future__ import annotations

import hashlib

try:
    import hyperscan
except ImportError:  # an optional accelerator: without it the polars pass does the same job
    hyperscan = None


def engine() -> str:
    """The Hyperscan build in use ('' without it): a stored database is valid for this build only."""
    return f"hyperscan {hyperscan.__version__}" if hyperscan is not None else ""


def database_key(sources: list[str]) -> str:
    """What a stored database was compiled from: the engine and the patterns, in order."""
    return hashlib.sha256("\n".join([engine(), *sources]).encode()).hexdigest()


def compile_database(sources: list[str]) -> tuple[bytes, list[int]] | None:
    """The patterns Hyperscan accepts, compiled and serialised, with their positions in `sources`."""
    if hyperscan is None:
        return None
    ids = list(range(len(sources)))
    db = _compile([sources[i] for i in ids])
    if db is None:  # one refused pattern fails the whole set: find the ones it accepts (slow, rare)
        ids = [i for i in ids if _compile([sources[i]]) is not None]
        db = _compile([sources[i] for i in ids])
    return (hyperscan.dumpb(db), ids) if db is not None else None


def _compile(sources: list[str]):
    if not sources:
        return None
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:  # (ids are positions in `sources`; a match says only that its text holds some pattern)
        db.compile(expressions=[rx.encode() for rx in sources], ids=list(range(len(sources))),
                   flags=[0 if rx.isascii() else hyperscan.HS_FLAG_UTF8 for rx in sources])
    except hyperscan.error:
        return None
    return db
