"""Report benchmark: `screener report` of a 1M-row `screener batch` output, and the page opening in Chromium.

    python benchmarks/bench_report.py --rows 1000000 [--format csv|parquet] [--keep DIR]

Writes the seeded shipment workload of bench_batch.py, scores it with `screener batch` (not timed here:
bench_batch.py measures that), then times `screener report` as a user runs it (its own process,
start-up included) and the page opening in Chromium (headless, offline, every request refused) until
its script has drawn the table and the first screen of charts (and, reported too, every chart). --keep DIR keeps
(and reuses) the batch output there.
Targets (issue 17): report written in <= 15 s, page open in <= 5 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workload import shipment_lines  # noqa: E402

from screener.reference.lookup import load_reference  # noqa: E402

CHROMIUM = os.environ.get("SCREENER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def scored_file(folder: Path, rows: int, fmt: str) -> Path:
    """The batch output of the workload (made once per folder)."""
    out = folder / f"scored-{rows}.{fmt}"
    if out.exists():
        return out
    src = folder / f"in-{rows}.csv"
    lines, _ = shipment_lines(load_reference(), rows)
    pl.DataFrame({"id": [f"L{i}" for i in range(len(lines))], "description": lines}).write_csv(src)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "screener", "batch", str(src), "--text-column", "description",
                    "--id-column", "id", "--output", str(out), "--quiet"], check=True)
    print(f"(batch output written in {time.perf_counter() - t0:.1f} s: {out})")
    return out


def time_report(scored: Path, page: Path, extra: list[str]) -> float:
    cmd = [sys.executable, "-m", "screener", "report", str(scored), "--output", str(page), *extra]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t0


def time_open(page: Path) -> tuple[float, float, list[str], list[str]]:
    """Seconds from navigation until the page is usable (table and first screen of charts drawn) and until
    every chart is drawn, console errors, and requests for anything but the page itself."""
    from playwright.sync_api import sync_playwright

    errors, requests = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                      else (requests.append(route.request.url), route.abort()))
        tab = context.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        tab.goto(page.as_uri(), wait_until="load", timeout=60_000)
        tab.wait_for_selector("html[data-ready='1']", timeout=60_000)
        wall = time.perf_counter() - t0
        tab.wait_for_selector("html[data-charts='done']", timeout=60_000)
        every = time.perf_counter() - t0
        browser.close()
    return wall, every, errors, requests


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--format", choices=("csv", "parquet"), default="csv", help="format of the batch output")
    ap.add_argument("--keep", type=Path, default=None, help="folder to keep (and reuse) the batch output in")
    ap.add_argument("--max-rows", type=int, default=None, help="rows in the report's table (default: the command's)")
    args = ap.parse_args()
    extra = ["--quiet"] + (["--max-rows", str(args.max_rows)] if args.max_rows is not None else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        scored = scored_file(folder, args.rows, args.format)
        page = Path(tmp) / "report.html"
        wall = time_report(scored, page, extra)
        size = page.stat().st_size / 1e6
        print(f"`screener report` of {args.rows:,} rows ({args.format}, {scored.stat().st_size / 1e6:.0f} MB): "
              f"{wall:.2f} s (start-up included); page {size:.1f} MB")
        opened, every, errors, requests = time_open(page)
        print(f"page open in Chromium: usable (table and first screen of charts drawn) in {opened:.2f} s, every "
              f"chart drawn in {every:.2f} s; console errors {len(errors)}; requests refused {len(requests)}")
        for line in errors[:5] + requests[:5]:
            print("  ", line)
    return 0 if wall <= 15 and opened <= 5 and not errors and not requests else 1


if __name__ == "__main__":
    sys.exit(main())
