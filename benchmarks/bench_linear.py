"""Linearity benchmark: one long text through `screen --file`, `batch` and `check`, in seconds per MB.

    python benchmarks/bench_linear.py                # 1, 2, 4 and 8 MB
    python benchmarks/bench_linear.py --sizes 1 2

Each size is one text of goods words, part numbers, codes, places, typos and filler (seeded), written
as a plain file (screen), a one-row CSV (batch) and a one-line .txt (check, which finds every row at
or above `low`). Every command runs as a user runs it, in its own process, start-up included; the
table gives wall seconds, seconds per MB and peak memory (process and workers, psutil). The target
(issue 18) is at most 2 s per MB for each command and size: cost linear in the text's size.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import TreePeak  # noqa: E402

WORDS = ("ball bearings FPGA XC7A100T-1CSG324C cnc machine tool nitrocellulose shipped to Moscow via Almaty "
         "consignee Alem Trade HS 8542.39 oscilloscope tea cartons pcs the of and with quadcopter drone "
         "navigation receiver macine bearnig 6205-2RS potato chips not for military use Kazakhstan").split()


def long_text(megabytes: int, seed: int = 1) -> str:
    """About `megabytes` MB of words drawn from WORDS (a text that holds many of everything)."""
    rng = random.Random(seed)
    out, size = [], 0
    while size < megabytes * 1_000_000:
        word = rng.choice(WORDS)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of a command and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = TreePeak(proc.pid)
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # check exits 1 when rows reach --fail-on
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err.decode()[-500:]}")
    return seconds, peak.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4, 8], help="text sizes in MB")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "screener"]
    subprocess.run([*exe, "screen", "warm-up: build the store"], check=True, stdout=subprocess.DEVNULL)
    print(f"{'command':8} {'MB':>4} {'seconds':>8} {'s/MB':>6} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            text = long_text(mb)
            plain = Path(tmp, f"text{mb}.txt")
            plain.write_text(text, encoding="utf-8")
            table = Path(tmp, f"text{mb}.csv")
            table.write_text('description\n"' + text.replace('"', '""') + '"\n', encoding="utf-8")
            runs = {
                "screen": [*exe, "screen", "--file", str(plain), "--format", "json"],
                "batch": [*exe, "batch", str(table), "--text-column", "description", "--quiet",
                          "--output", os.path.join(tmp, "out.csv")],
                "check": [*exe, "check", str(plain), "--fail-on", "low", "--format", "json",
                          "--output", os.path.join(tmp, "check.json")],
            }
            for name, argv in runs.items():
                seconds, peak = timed(argv)
                size = len(text.encode("utf-8")) / 1e6
                print(f"{name:8} {size:4.1f} {seconds:8.2f} {seconds / size:6.2f} {peak:9.0f}", flush=True)


if __name__ == "__main__":
    main()
