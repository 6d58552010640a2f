"""`screener batch --engine ray` (local Ray, 1 and 2 scoring actors) against `screener batch`, on the same rows.

    python benchmarks/bench_distributed.py [--rows 2000000] [--files 8] [--workers 1,2] [--keep DIR]

The workload (benchmarks/workload.py: seeded shipment lines) is written as FILES Parquet files for Ray and as
one Parquet file for `screener batch` (which reads one input). Each run is a command as a user runs it, in its
own process; measured: wall time (start-up included), rows/s, the CPU time (user + system) and the peak
resident memory of the command and every process under it (Ray's raylet, object store and actors included;
summed RSS counts pages shared between processes more than once, so it overstates), and the start-up cost
(the same command on a 100-row file). The outputs are then compared row by row: every engine must give the
rows `screener batch` gives, in the same order.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import polars as pl
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workload import shipment_lines  # noqa: E402

from screener.api import load_screener  # noqa: E402


class Tree:
    """Peak summed RSS and CPU seconds of a process and everything under it, sampled every 0.2 s (a process
    that lives less than a sample is missed; none of ours do)."""

    def __init__(self, pid: int):
        self.peak, self.cpu, self._stop = 0, {}, threading.Event()
        root = psutil.Process(pid)

        def sample():
            while not self._stop.is_set():
                total = 0
                try:
                    procs = [root] + root.children(recursive=True)
                except psutil.Error:
                    procs = []
                for p in procs:
                    try:
                        with p.oneshot():
                            total += p.memory_info().rss
                            t = p.cpu_times()
                            self.cpu[p.pid] = t.user + t.system
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
                self._stop.wait(0.2)

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20, sum(self.cpu.values())


def run(cmd: list[str]) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    tree = Tree(proc.pid)
    code = proc.wait()
    wall = time.perf_counter() - t0
    peak, cpu = tree.stop()
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {code}")
    return {"wall": wall, "peak_mb": peak, "cpu": cpu}


def batch_cmd(src: Path, dst: Path) -> list[str]:
    return [sys.executable, "-m", "screener", "batch", str(src), "--text-column", "description", "--id-column", "id",
            "--output", str(dst), "--quiet"]


def ray_cmd(folder: Path, dst: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "screener", "batch", str(folder), "--engine", "ray", "--workers", str(workers),
            "--text-column", "description", "--id-column", "id", "--output", str(dst), "--quiet"]


def read_parts(folder: Path) -> pl.DataFrame:
    return pl.concat([pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--workers", default="1,2", help="Ray scoring actors, comma-separated runs")
    ap.add_argument("--keep", type=Path, default=None, help="keep inputs and outputs in this folder")
    args = ap.parse_args()
    workers = [int(w) for w in args.workers.split(",") if w]

    screener = load_screener(parties=False)
    lines, _ = shipment_lines(screener.reference, args.rows)
    del screener
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        frame = pl.DataFrame({"id": [f"r{i:08d}" for i in range(len(lines))], "description": lines})
        parts, tiny = base / "parts", base / "tiny"
        parts.mkdir(exist_ok=True)
        tiny.mkdir(exist_ok=True)
        size = -(-len(lines) // args.files)
        for i in range(args.files):
            frame.slice(i * size, size).write_parquet(parts / f"part-{i:02d}.parquet")
        frame.write_parquet(base / "all.parquet")
        frame.head(100).write_parquet(tiny / "tiny.parquet")
        mb = sum(p.stat().st_size for p in parts.iterdir()) / 1e6
        print(f"{args.rows:,} rows as {args.files} Parquet files ({mb:.0f} MB); {psutil.cpu_count()} cores; "
              f"load average {psutil.getloadavg()[0]:.1f}")

        results = {}

        def report(name: str, got: dict, start: dict) -> None:  # as each is measured (a long run may be cut)
            results[name] = (got, start)
            equal = "reference" if name == "screener batch" else ("yes" if got["equal"] else "NO")
            print(f"| {name} | {got['wall']:.1f} | {args.rows / got['wall']:,.0f} | {got['cpu']:.1f} | "
                  f"{got['peak_mb']:,.0f} | {start['wall']:.1f} | {start['cpu']:.1f} | {equal} |", flush=True)

        print("\n| engine | wall s | rows/s | CPU s (user+sys) | peak RSS MB | start-up s (100 rows) | start-up CPU s "
              "| rows equal |\n|---|---|---|---|---|---|---|---|", flush=True)
        start = run(batch_cmd(tiny / "tiny.parquet", base / "tiny-batch.parquet"))
        report("screener batch", run(batch_cmd(base / "all.parquet", base / "batch.parquet")), start)
        expected = pl.read_parquet(base / "batch.parquet")
        for w in workers:
            start = run(ray_cmd(tiny, base / f"tiny-ray{w}", w))
            got = run(ray_cmd(parts, base / f"ray{w}", w))
            got["equal"] = read_parts(base / f"ray{w}").equals(expected)
            report(f"ray, {w} worker{'s' if w > 1 else ''}", got, start)
        print(f"load average after: {psutil.getloadavg()[0]:.1f}")
        return 0 if all(r[0].get("equal", True) for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
