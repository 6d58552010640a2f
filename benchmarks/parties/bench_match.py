"""Party matching speed: mean ms per name against the full OFAC SDN list (+alt, +add), and 100k names in a batch.

Usage: python benchmarks/parties/bench_match.py [--n 100000] [--single 2000]
Needs ../shared/sources/sanctions. Names: list names with deterministic noise (legal forms, typos, word swaps)
and random non-listed company names (seeded), half each. The batch goes through `screener.batch.party_pool.match_many`:
distinct names matched on 2 forked worker processes, whose CPU time is counted.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from screener.parties.importers import IMPORTERS
from screener.batch.party_pool import match_many
from screener.parties.match import PartyMatcher
from screener.parties.normalize import name_tokens

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "sources" / "sanctions"
FORMS = ["LLC", "OOO", "JSC", "AO", "GmbH", "Co. Ltd", "Limited", "", "Trading", "Group"]
WORDS = ["alpha", "nova", "techno", "stroy", "invest", "pribor", "sever", "vostok", "delta", "orion", "atlas",
         "sigma", "granit", "volga", "kama", "zenit", "neva", "polar", "baltic", "arctic", "fenix", "vector"]


def noisy(name: str, rng: random.Random) -> str:
    """A list name with a realistic change: legal form, typo, swapped words, or unchanged."""
    r = rng.random()
    if r < 0.25:
        return f"{name} {rng.choice(FORMS)}".strip()
    if r < 0.5 and len(name) > 6:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]
    if r < 0.7:
        parts = name.split()
        rng.shuffle(parts)
        return " ".join(parts)
    return name


def cpu() -> float:
    """user+sys seconds of this process and its finished children (the pool's workers)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--single", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "b.duckdb"))
        t = time.perf_counter()
        IMPORTERS["ofac-sdn"](con, SHARED / "ofac_sdn" / "sdn.csv")
        IMPORTERS["ofac-alt"](con, SHARED / "ofac_sdn_alt" / "alt.csv")
        print(f"import SDN+add+alt: {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        matcher = PartyMatcher.from_store(con)
        print(f"build matcher: {time.perf_counter() - t:.2f} s, {len(matcher.index.aliases)} aliases")
        listed = [r[0] for r in con.execute("SELECT name FROM party_names ORDER BY list, entity_id, name").fetchall()]
    rng = random.Random(42)

    def make(n: int) -> list[str]:
        out = []
        for i in range(n):
            if i % 2:
                out.append(noisy(rng.choice(listed), rng))
            else:
                out.append(" ".join(rng.choice(WORDS).title() for _ in range(rng.randint(1, 3)))
                           + " " + rng.choice(FORMS))
        return out

    single = make(args.single)
    t = time.perf_counter()
    hits = sum(1 for n in single if matcher.match_name(n))
    dt = time.perf_counter() - t
    print(f"single names: {args.single} in {dt:.2f} s = {dt / args.single * 1000:.3f} ms/name ({hits} with matches)")
    batch = make(args.n)
    name_tokens.cache_clear()  # the batch pays for its own normalisation
    t, c = time.perf_counter(), cpu()
    res = match_many(matcher, batch)
    dt = time.perf_counter() - t
    print(f"batch: {args.n} names ({len(set(batch))} distinct) in {dt:.2f} s wall, {cpu() - c:.2f} s CPU "
          f"(user+sys, 2 worker processes); {sum(1 for r in res if any(m.tier == 'match' for m in r))} with "
          f"matches, {sum(1 for r in res if r and all(m.tier == 'review' for m in r))} with reviews only")


if __name__ == "__main__":
    main()
