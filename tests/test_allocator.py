"""Allocator and thread settings: the command line sets them before polars loads, and keeps the user's own."""

from __future__ import annotations

import os
import subprocess
import sys

from screener.batch import allocator

PROBE = "import os, sys, screener.cli; print(os.environ.get('_RJEM_MALLOC_CONF'), 'polars' in sys.modules)"


def _probe(env: dict) -> str:
    return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                          env=env).stdout.strip()


def test_the_command_line_sets_jemalloc_before_polars_loads():
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    assert _probe(env) == f"{allocator.JEMALLOC_CONF['_RJEM_MALLOC_CONF']} False"


def test_a_setting_the_user_made_is_kept():
    assert _probe(dict(os.environ, _RJEM_MALLOC_CONF="narenas:1")) == "narenas:1 False"


def test_workers_get_every_setting_and_one_polars_thread():
    from screener.batch.workers import WORKER_ENV

    assert WORKER_ENV["POLARS_MAX_THREADS"] == "1"
    assert {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "_RJEM_MALLOC_CONF"} <= set(WORKER_ENV)



PROBE_BATCH = """
import os, sys
import screener.batch.workers as w
from screener.cli import main

started = w.WorkerPool.__init__


def spy(self, *args):
    print("threads", os.environ.get("POLARS_MAX_THREADS"), "polars" in sys.modules)
    started(self, *args)


w.WorkerPool.__init__ = spy
if __name__ == "__main__":
    sys.argv = ["screener", "batch", sys.argv[1], "--text-column", "d", "--workers", "2", "--output", sys.argv[2]]
    main()
"""


def test_a_batch_with_workers_leaves_the_cores_to_them(tmp_path):
    """The main process of a batch with workers runs polars on one thread (set before polars loads)."""
    import polars as pl

    src = tmp_path / "in.csv"
    pl.DataFrame({"d": ["steel pipes"] * 10}).write_csv(src)
    script = tmp_path / "probe.py"
    script.write_text(PROBE_BATCH)
    env = {k: v for k, v in os.environ.items() if k != "POLARS_MAX_THREADS"}
    out = subprocess.run([sys.executable, str(script), str(src), str(tmp_path / "out.csv")], capture_output=True,
                         text=True, env=env, timeout=120, check=False)
    assert "threads 1 False" in out.stdout, out.stdout + out.stderr
    assert pl.read_csv(tmp_path / "out.csv").height == 10


def test_batch_and_check_start_their_workers_before_polars_loads():
    """Both commands build their job and start worker processes before anything imports polars."""
    probe = ("import sys, screener.cli.batch, screener.cli.check, screener.cli.running, screener.batch.job, "
             "screener.outputs; print('polars' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
