"""Allocator settings: the command line sets them before polars loads, and keeps the user's own."""

from __future__ import annotations

import os
import subprocess
import sys

from screener import allocator

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
    from screener.workers import WORKER_ENV

    assert WORKER_ENV["POLARS_MAX_THREADS"] == "1"
    assert {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "_RJEM_MALLOC_CONF"} <= set(WORKER_ENV)

