"""`screener check` against `screener batch` on the same lines: wall time, peak memory, and the same verdicts.

    python benchmarks/bench_check.py --rows 50000

Writes the seeded workload (benchmarks/workload.py) as a CSV, runs `screener batch` (CSV → CSV) and
`screener check --fail-on high` (text report, then SARIF) on it as a user runs them, start-up included, in
turn, `--repeat` times, and prints the median of each with the ratio check/batch (issue 18's target: ≤ 1.5).
Then it compares verdicts: every row `batch` bands high or above is a finding row of `check` (JSON, every row
listed), with the same score, band and rules, and no other row is.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import TreePeak  # noqa: E402
from workload import shipment_lines  # noqa: E402

from screener.reference.lookup import load_reference  # noqa: E402

SCREENER = str(Path(sys.executable).with_name("screener"))


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak memory (MB, the process and its workers) and exit status of one command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = TreePeak(proc.pid)
    code = proc.wait()
    wall = time.perf_counter() - t0
    return wall, peak.stop(), code


def same_verdicts(src: Path, tmp: Path) -> tuple[int, int]:
    """(rows batch bands high or above, of which check reports exactly the same); raises on any difference."""
    scored = tmp / "scored.csv"
    subprocess.run([SCREENER, "batch", str(src), "--text-column", "description", "--output", str(scored), "--quiet"],
                   check=True)
    report = tmp / "check.json"
    subprocess.run([SCREENER, "check", str(src), "--text-column", "description", "--fail-on", "high", "--no-config",
                    "--format", "json", "--max-findings", "100000000", "--output", str(report), "--quiet"])
    rows = pl.read_csv(scored, infer_schema=False).with_row_index("row", offset=1)
    flagged = rows.filter(pl.col("band").is_in(["high", "critical"]))
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    got = [(f["row"], f["score"], f["band"], ";".join(f["rules"])) for f in findings]
    want = [(r["row"], int(r["score"]), r["band"], r["rules"]) for r in flagged.iter_rows(named=True)]
    if got != want:
        diff = next(i for i, (a, b) in enumerate(zip(got + [None], want + [None])) if a != b)
        raise SystemExit(f"verdicts differ first at finding {diff}: check {got[diff:diff + 1]} "
                         f"batch {want[diff:diff + 1]}")
    return len(want), len(got)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp_name:
        tmp = Path(tmp_name)
        lines, _ = shipment_lines(load_reference(None), args.rows)
        src = tmp / "lines.csv"
        pl.DataFrame({"description": lines}).write_csv(src)
        base = [str(src), "--text-column", "description"]
        commands = {
            "batch": [SCREENER, "batch", *base, "--output", str(tmp / "out.csv"), "--quiet"],
            "check text": [SCREENER, "check", *base, "--fail-on", "high", "--no-config", "--output",
                           str(tmp / "report.txt"), "--quiet"],
            "check sarif": [SCREENER, "check", *base, "--fail-on", "high", "--no-config", "--format", "sarif",
                            "--output", str(tmp / "report.sarif"), "--quiet"],
        }
        timed(commands["batch"])  # warm-up: builds the store if needed, fills the page cache
        runs: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        for _ in range(args.repeat):
            for name, cmd in commands.items():
                wall, peak, code = timed(cmd)
                if code not in (0, 1):
                    raise SystemExit(f"{name} failed with exit status {code}")
                runs[name].append((wall, peak))
        batch = statistics.median(w for w, _ in runs["batch"])
        print(f"{args.rows:,} shipment lines (benchmarks/workload.py), CSV in; median of {args.repeat} runs")
        for name, values in runs.items():
            wall = statistics.median(w for w, _ in values)
            peak = max(p for _, p in values)
            walls = ", ".join(f"{w:.2f}" for w, _ in values)
            print(f"  {name:<12} {wall:6.2f} s  ({walls})  peak {peak:,.0f} MB  ratio to batch {wall / batch:.2f}")
        flagged, same = same_verdicts(src, tmp)
        print(f"verdicts: {same:,} of {flagged:,} rows at or above high reported by check with batch's score, "
              "band and rules; no other row")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
