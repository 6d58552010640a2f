"""What `batch` and `check` share to run a job: workers started first, SIGTERM as Ctrl-C, progress on a terminal.

Nothing here imports polars: the worker processes start before the main process loads the library, so their
start-up overlaps its own.
"""

from __future__ import annotations

import signal
import sys
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

from screener.batch.formats import input_format
from screener.batch.job import CHUNK_ROWS, BatchJob
from screener.batch.workers import (WorkerPool, balanced_chunk_rows, default_workers, estimate_rows,
                                    leave_the_cores_to_workers)


def planned(job: BatchJob, paths: list[Path], chunk_rows: int | None) -> BatchJob:
    """The job with its worker count and chunk size chosen from the inputs' estimated rows."""
    estimates = [estimate_rows(p, input_format(p, job.input_format)) for p in paths if p.is_file()]
    estimated = sum(e for e in estimates if e) or None
    workers = job.workers or default_workers(estimated, chunk_rows or CHUNK_ROWS)
    return replace(job, workers=workers, chunk_rows=chunk_rows or balanced_chunk_rows(estimated, CHUNK_ROWS, workers))


def worker_pool(job: BatchJob):
    """Worker processes when the job has more than one (a context that ends them), else a null context."""
    if (job.workers or 1) <= 1:
        return nullcontext()
    leave_the_cores_to_workers()
    return WorkerPool(job.workers, job)


def terminate_as_interrupt() -> None:
    """SIGTERM ends a run like Ctrl-C: the temporary output is removed, nothing partial remains."""
    def _raise(signum, frame):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, _raise)
    except ValueError:  # not the main thread (e.g. inside a test runner thread)
        pass


class Progress:
    """Rows, rows/s and ETA on stderr, for long runs on a terminal."""

    def __init__(self, total: int | None):
        import time

        self.total, self.done, self.t0, self.time = total, 0, time.monotonic(), time.monotonic

    @classmethod
    def on_terminal(cls, quiet: bool, total: int | None) -> "Progress | None":
        """A progress line when stderr is a terminal and not --quiet, else None."""
        return None if quiet or not sys.stderr.isatty() else cls(total)

    def update(self, n: int) -> None:
        """Count `n` more rows and redraw the line."""
        self.done += n
        elapsed = max(self.time() - self.t0, 1e-9)
        rate = self.done / elapsed
        total = max(self.total or 0, self.done)
        eta = (total - self.done) / rate if rate else 0
        sys.stderr.write(f"\r{self.done:,}/~{total:,} rows  {rate:,.0f} rows/s  ETA {eta:,.0f}s ")
        sys.stderr.flush()

    def close(self) -> None:
        """End the progress line."""
        sys.stderr.write("\n")
