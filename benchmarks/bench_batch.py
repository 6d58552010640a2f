"""Batch benchmark: the full pipeline CSV → CSV on a seeded workload, with baselines in the same run.

    python benchmarks/bench_batch.py --rows 1000000

Prints rows/s, wall and CPU seconds and peak RSS of the full pipeline (`screener batch` run as a user
runs it, start-up included: streaming read, goods exact + fuzzy, part numbers, declared codes,
places, rules, score, CSV write, worker processes on both cores) on two workloads, each beside the floor
(polars reading and writing the same file): ours, planted with lexicon terms, and
`../shared/bench/shipment_workload.py`'s messy trade text that the lexicon mostly does not know (skipped
when absent). Then, on our workload: planted-typo recall, the exact-only pipeline and a naive
rapidfuzz `extractOne` per row (extrapolated from a sample) on the same workload, articles in MB/s,
and the cost of doubling the lexicon. Ratios between lines survive a noisy machine better than the
absolute numbers.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workload import articles, shipment_lines, terms_of  # noqa: E402

from screener.api import load_screener  # noqa: E402
from screener.lexicon.model import LexiconEntry  # noqa: E402


class TreePeak:
    """Peak resident memory of this process and its workers together, sampled every 0.1 s."""

    def __init__(self, pid: int | None = None):
        import threading

        import psutil

        self.peak, self._stop = 0, threading.Event()
        me = psutil.Process(pid)

        def sample():
            while not self._stop.is_set():
                total = 0
                try:
                    tree = [me] + me.children(recursive=True)
                except psutil.Error:  # a worker (or the command) ended between the listing and the look
                    tree = []
                for p in tree:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
                self._stop.wait(0.1)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def run_cli(src: Path, dst: Path, workers: int, chunk_rows: int) -> tuple[float, float, float]:
    """`screener batch` as a user runs it, in its own process: wall seconds (start-up included), the
    peak resident memory of that process and its workers together, in MB, and their CPU seconds (user +
    system: the figure to trust when other work shares the machine)."""
    cmd = [sys.executable, "-m", "screener", "batch", str(src), "--text-column", "description", "--output", str(dst),
           "--quiet"] + (["--chunk-rows", str(chunk_rows)] if chunk_rows else []) + (
               ["--workers", str(workers)] if workers else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    tree = TreePeak(proc.pid)
    code = proc.wait()
    wall = time.perf_counter() - t0
    peak = tree.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        raise SystemExit(f"screener batch failed with exit code {code}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, peak, cpu


def floor(src: Path, dst: Path) -> float:
    """The floor: polars reads the same CSV and writes it back, nothing else (the faster of two)."""
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        pl.read_csv(src).write_csv(dst)
        best = min(best, time.perf_counter() - t0)
    return best


def shared_workload(rows: int, tmp: Path) -> Path | None:
    """`../shared/bench/shipment_workload.py`'s descriptions (messy text the lexicon does not know), or
    None when that script is absent."""
    script = Path(__file__).resolve().parents[2] / "shared" / "bench" / "shipment_workload.py"
    if not script.exists():
        return None
    subprocess.run([sys.executable, str(script), "--rows", str(rows), "--articles", "1", "--out", str(tmp / "shared")],
                   check=True, stdout=subprocess.DEVNULL)
    return tmp / "shared" / "descriptions.csv"


def report_batch(name: str, src: Path, dst: Path, rows: int, workers: int, chunk_rows: int) -> None:
    """One line per workload: `screener batch` CSV -> CSV beside the floor on the same file."""
    mb = src.stat().st_size / 1e6
    wall, together, cpu = run_cli(src, dst, workers, chunk_rows)
    out_rows = pl.scan_csv(dst, infer_schema=False).select(pl.len()).collect().item()
    base = floor(src, dst)
    print(f"{name}: `screener batch` CSV→CSV {rows:,} rows ({mb:.0f} MB) in {wall:.2f} s wall (start-up included) "
          f"= {rows / wall:,.0f} rows/s, {cpu:.1f} CPU-s; rows out {out_rows:,}; peak RSS (process and workers) "
          f"{together:,.0f} MB; floor (polars read + write) {base:.2f} s = {wall / base:.0f}× the floor")


def timed(fn, *args) -> float:
    """Seconds of one call, the faster of two (the first may pay for lazily built indexes)."""
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best


def typo_recall(screener, lines: list[str], planted, sample: int = 20000) -> tuple[float, float]:
    """Share of planted terms found as their entry: all planted, and those with a typo."""
    idx = list(range(min(sample, len(lines))))
    found = screener.score_frame([lines[i] for i in idx]).features["goods_ids"].to_list()
    hit_all = tot_all = hit_typo = tot_typo = 0
    for i, ids in zip(idx, found):
        for p in planted[i]:
            tot_all += 1
            hit_all += p.entry_id in ids
            if p.typo:
                tot_typo += 1
                hit_typo += p.entry_id in ids
    return hit_all / max(tot_all, 1), hit_typo / max(tot_typo, 1)


def naive_rate(screener, lines: list[str], sample: int = 500) -> float:
    """Rows/s of the naive approach: rapidfuzz extractOne(partial_ratio) of every row against every term."""
    from rapidfuzz import fuzz, process

    terms = [t.lower() for _, t in terms_of(screener.reference)]
    t0 = time.perf_counter()
    for text in lines[:sample]:
        process.extractOne(text.lower(), terms, scorer=fuzz.partial_ratio, score_cutoff=90)
    return sample / (time.perf_counter() - t0)


def doubled(screener):
    """The same screener with a lexicon twice the size (synthetic entries with made-up words)."""
    from screener.engine import Screener

    extra = []
    for i, e in enumerate(list(screener.reference.entries.values())):
        words = [f"zq{i}x{j}" + t.replace(" ", "")[:6] for j, t in enumerate(e.strong)] or [f"zq{i}synthetic"]
        extra.append(LexiconEntry(id=f"syn.e{i}", label=f"synthetic {i}", category=e.category, hs6=e.hs6,
                                  strong=words))
    return Screener(screener.reference.with_entries(extra), screener.rules)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=0, help="0: as `screener batch` chooses")
    ap.add_argument("--chunk-rows", type=int, default=0, help="0: as `screener batch` chooses")
    ap.add_argument("--no-shared", action="store_true", help="skip the ../shared/bench workload")
    args = ap.parse_args()

    screener = load_screener(parties=False)
    print(f"lexicon {len(screener.reference.entries)} entries, {len(screener.index.patterns)} patterns; "
          f"{os.cpu_count()} cores")
    lines, planted = shipment_lines(screener.reference, args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        pl.DataFrame({"id": range(len(lines)), "description": lines}).write_csv(src)
        report_batch("our workload (planted lexicon terms)", src, dst, args.rows, args.workers, args.chunk_rows)
        shared = shared_workload(args.rows, Path(tmp)) if not args.no_shared else None
        if shared is not None:
            report_batch("shared workload (../shared/bench, messy text)", shared, dst, args.rows, args.workers,
                         args.chunk_rows)
        elif not args.no_shared:
            print("shared workload: ../shared/bench/shipment_workload.py not found, skipped")
    sample = lines[:200_000]
    exact = len(sample) / timed(screener.score_frame, sample, False)
    full1 = len(sample) / timed(screener.score_frame, sample)
    print(f"one process, 200k rows in memory: exact-only {exact:,.0f} rows/s, exact + fuzzy {full1:,.0f} rows/s")
    rate = naive_rate(screener, lines)
    print(f"naive rapidfuzz extractOne per row: {rate:,.0f} rows/s (≈ {args.rows / rate:,.0f} s for {args.rows:,})")
    r_all, r_typo = typo_recall(screener, lines, planted)
    print(f"planted-term recall: {r_all:.3f} all, {r_typo:.3f} one-edit typos")
    texts = articles(screener.reference, args.articles)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    dt = timed(screener.score_frame, texts)
    print(f"articles: {len(texts):,} × ~5 KB ({mb:.1f} MB) in {dt:.2f} s = {mb / dt:.1f} MB/s")
    big = doubled(screener)
    dt2 = timed(big.score_frame, sample)
    print(f"doubled lexicon ({len(big.reference.entries)} entries): {len(sample) / dt2:,.0f} rows/s, "
          f"time {100 * (dt2 / (len(sample) / full1) - 1):+.0f} % vs the bundled lexicon")
    return 0


if __name__ == "__main__":
    sys.exit(main())
