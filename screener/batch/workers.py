"""Worker processes for a batch: started first, told when to load, ended without waiting on teardown.

Nothing here imports polars or the screener at module level: the command line starts the workers before
it imports them itself, so the workers' own start-up (imports, loading the screener: about a second)
overlaps the main process's.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from screener.batch import allocator
from screener.batch.job import BatchJob

WORKER_ENV = {"POLARS_MAX_THREADS": "1", **allocator.WORKER_ENV}

_WORKER = {}
_GO, _STOP = 1, 2  # what a waiting worker is told: load the screener, or end


class WorkerPool:
    """Scoring processes for a batch, started before the main process has even imported polars.

    A worker takes about a second to start (imports, then loading the screener); started first, that
    time overlaps the main process's own imports, its checks of the input, store and rules, and the
    first reads. A worker imports at once, then waits for `ready()` before loading: the main process
    may still be building the store, and a bad rule or input must fail there, with one line.
    """

    def __init__(self, workers: int, job: BatchJob):
        ctx = get_context("spawn")
        allocator.tune_this_process()  # this process passes every chunk and result through pipes
        self.workers, self.job = workers, job
        self._signal, self._state = ctx.Event(), ctx.Value("i", 0)
        # one polars thread per worker: the processes already use the cores, and more threads than cores
        # cost time in contention (measured: 1M rows 39 s -> 33 s wall, a sixth less CPU); and allocators
        # that keep freed pages (screener.allocator). Settings the user made are kept.
        saved = {name: os.environ.get(name) for name in WORKER_ENV}
        os.environ.update({name: saved[name] or value for name, value in WORKER_ENV.items()})
        # Ctrl-C reaches the whole process group; the main process handles it and ends the workers. A
        # process started with SIGINT ignored keeps it ignored (Python installs no handler then), so no
        # worker prints a traceback, whatever it is doing when the key is pressed.
        restore = _ignore_sigint()
        try:  # (a process is spawned by each of the first submits: all of them now, with these settings)
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                            initargs=(self._signal, self._state, os.getpid(), job))
            for _ in range(workers):
                self.pool.submit(int)
        finally:
            restore()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def submit(self, inputs) -> Future:
        """Score a frame of input columns in a worker: its result columns."""
        return self.pool.submit(_score_in_worker, inputs)

    def submit_check(self, inputs, fail_on: str, job: BatchJob, limit: int | None) -> Future:
        """Score a frame of input columns in a worker, with the fired rules of (the first `limit`) rows at or
        above `fail_on` explained (screener.check.explain); `job` names the columns (one per input file)."""
        return self.pool.submit(_check_in_worker, inputs, fail_on, job, limit)

    def ready(self) -> None:
        """The store is built and the rules are valid: the workers may load the screener."""
        self._tell(_GO)

    def _tell(self, state: int) -> None:
        if not self._signal.is_set():
            self._state.value = state
            self._signal.set()

    def finish(self) -> None:
        """No more work: the workers end as soon as they are idle (not waited for here)."""
        self.pool.shutdown(wait=False)

    def close(self) -> None:
        """Cancel what is queued and end the workers (a worker still waiting is told to end)."""
        self._tell(_STOP)
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _ignore_sigint():
    """Ignore SIGINT in this process; returns what puts the handler it had back."""
    try:
        before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to set
        return lambda: None
    # (None: a handler not set from Python, which cannot be put back as such; the default is the nearest)
    return lambda: signal.signal(signal.SIGINT, signal.SIG_DFL if before is None else before)


def _init_worker(go, state, parent: int, job: BatchJob) -> None:
    _die_with(parent)
    while not go.wait(0.2):
        if os.getppid() != parent:  # the main process is gone
            os._exit(1)
    if state.value != _GO:
        os._exit(0)
    atexit.register(_exit_at_once)
    from screener.batch.scorer import TableScorer

    _WORKER["scorer"] = scorer = TableScorer(job)
    _WORKER["screener"] = scorer.screener


def _die_with(parent: int) -> None:
    """End this worker when the main process ends, however it ends (SIGKILL included, which runs no
    clean-up there): Linux's parent-death signal, and a thread that watches the parent's pid elsewhere."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # (it ended before the signal was asked for)
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _exit_at_once() -> None:
    """A worker ends without tearing its interpreter down (freeing a screener's objects one by one took
    ~0.5 s, the last half-second of every batch): its results are already sent, it holds nothing else."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _score_in_worker(inputs):
    return _WORKER["scorer"].results(inputs)


def _check_in_worker(inputs, fail_on: str, job: BatchJob, limit: int | None):
    from screener.check.explain import explain_chunk

    return explain_chunk(_WORKER["screener"], inputs, job, fail_on, limit)


def leave_the_cores_to_workers() -> None:
    """One polars thread in the main process too, when workers score: it only reads, passes on and writes
    chunks, and a second thread of its own competes with the workers for the cores (measured: 1M rows
    ~0.3 s faster). Polars reads the setting when it loads, so only before that; the user's is kept."""
    if "polars" not in sys.modules:
        os.environ.setdefault("POLARS_MAX_THREADS", "1")


def default_workers(estimated_rows: int | None, chunk_rows: int) -> int:
    """Two processes when the input spans several chunks and the machine has the cores; else one."""
    if estimated_rows is None or estimated_rows < 3 * chunk_rows:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def balanced_chunk_rows(estimated_rows: int | None, chunk_rows: int, workers: int) -> int:
    """At most `chunk_rows`, so that the chunks split evenly between the workers: with one chunk more
    than a multiple of them, the last runs alone while the others wait (1M rows in 25 chunks of 40,000:
    ~0.4 s of an idle core; in 26 of 38,462, none). From the row estimate; a near miss costs little."""
    if not estimated_rows or workers <= 1:
        return chunk_rows
    chunks = -(-estimated_rows // chunk_rows)
    chunks += -chunks % workers
    return -(-estimated_rows // chunks)


def estimate_rows(path: Path, fmt: str) -> int | None:
    """Rows in a Parquet file (exact) or a rough count for text formats: for the progress bar, the number
    of workers and the chunk size."""
    if fmt == "xlsx" or not path.is_file():
        return None
    if fmt == "parquet":
        try:
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        except Exception:  # noqa: BLE001 - an estimate only
            return None
    size = path.stat().st_size
    if not size:
        return None
    with path.open("rb") as f:
        sample = f.read(1 << 20)
    lines = max(sample.count(b"\n"), 1)
    return int(size / (len(sample) / lines)) - (1 if fmt in ("csv", "tsv") else 0)
