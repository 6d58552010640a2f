"""What `screener batch` says on stderr while and after it runs: a progress bar on a terminal, once a run has
taken a couple of seconds, and a short summary at the end (rows per band, errors, time, rows/s)."""

from __future__ import annotations

import sys
import time

BANDS = ("critical", "high", "medium", "low", "none")  # highest first, as a reader scans them


class BatchTracker:
    """Counts the scored chunks as they are written; draws the bar and prints the summary."""

    def __init__(self, total: int | None, quiet: bool = False, stream=None, delay: float = 2.0, width: int = 30):
        self.stream = stream or sys.stderr
        self.total, self.quiet, self.delay, self.width = total, quiet, delay, width
        self.bar = not quiet and self.stream.isatty()
        self.rows = self.errors = 0
        self.bands: dict[str, int] = {}
        self.t0, self.last = time.monotonic(), float("-inf")
        self.drawn = False

    def update(self, chunk) -> None:
        """Count one written chunk (a polars frame with `band` and `error` columns)."""
        self.rows += chunk.height
        if "band" in chunk.columns:
            for band, n in chunk["band"].value_counts().iter_rows():
                if band is not None:
                    self.bands[band] = self.bands.get(band, 0) + n
        if "error" in chunk.columns:
            self.errors += int((chunk["error"].fill_null("") != "").sum())
        now = time.monotonic()
        unfinished = self.total is None or self.rows < self.total
        if self.bar and unfinished and now - self.t0 >= self.delay and now - self.last >= 0.1:
            self.last = now
            self._draw(now - self.t0)

    def _draw(self, elapsed: float) -> None:
        rate = self.rows / max(elapsed, 1e-9)
        total = max(self.total or 0, self.rows)
        share = min(self.rows / total, 0.99) if total else 0.0
        filled = int(share * self.width)
        eta = (total - self.rows) / rate if rate else 0
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {share:4.0%}  {self.rows:,}/~{total:,} rows  {rate:,.0f} rows/s  "
                          f"ETA {eta:,.0f} s ")
        self.stream.flush()
        self.drawn = True

    def summary(self) -> str:
        """The closing line: rows per band, rows with errors, time and rows/s."""
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        bands = ", ".join(f"{b} {self.bands.get(b, 0):,}" for b in BANDS)
        bands += "".join(f", {b} {n:,}" for b, n in sorted(self.bands.items()) if b not in BANDS)
        return (f"Scored {self.rows:,} rows in {elapsed:.1f} s ({_rate(self.rows / elapsed)} rows/s): {bands}; "
                f"{self.errors:,} row{'s' if self.errors != 1 else ''} with errors.")

    def finish(self) -> None:
        """Clear the bar and print the summary (nothing when quiet)."""
        if self.drawn:
            self.stream.write("\r" + " " * (self.width + 70) + "\r")
        if not self.quiet:
            self.stream.write(self.summary() + "\n")
        self.stream.flush()


def _rate(per_second: float) -> str:
    """Rows per second as a person reads it: `12,461`, or `0.4` for a run of a few rows."""
    return f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.1f}"
