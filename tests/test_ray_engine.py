"""`screener batch --engine ray` on a local Ray: the same rows as `batch`, nothing lost or doubled when an actor
dies, one-line failures before any work is sent. Skipped when Ray is not installed (`pip install -e '.[ray]'`)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli

ray = pytest.importorskip("ray")

REPO = Path(__file__).resolve().parents[1]
FILES, ROWS_PER_FILE = 3, 24


@pytest.fixture(scope="module")
def local_ray():
    """One small local Ray for the module: 2 scoring actors and a slot for reading and writing."""
    import logging

    ray.init(num_cpus=3, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Three Parquet files of shipment lines (ids unique across files; one row without text)."""
    folder = tmp_path_factory.mktemp("ray-in")
    with (REPO / "examples" / "shipments.csv").open(encoding="utf-8") as f:
        base = list(csv.DictReader(f))
    n = 0
    for i in range(FILES):
        rows = []
        for j in range(ROWS_PER_FILE):
            row = dict(base[(i + j) % len(base)], id=f"f{i}-{j:03d}")
            rows.append(row)
            n += 1
        rows[5]["description"] = None  # a bad row: batch's `missing text`
        pl.DataFrame(rows).write_parquet(folder / f"part{i}.parquet")
    return folder


def _batch_rows(inputs: Path, tmp_path: Path) -> pl.DataFrame:
    """`screener batch` (the local engine) on each file, in file order."""
    frames = []
    for src in sorted(inputs.glob("*.parquet")):
        out = tmp_path / f"local-{src.stem}.parquet"
        result = CliRunner().invoke(cli, ["batch", str(src), "--text-column", "description", "--id-column", "id",
                                          "--output", str(out), "--quiet"])
        assert result.exit_code == 0, result.output
        frames.append(pl.read_parquet(out))
    return pl.concat(frames)


def _parts(folder: Path) -> pl.DataFrame:
    return pl.concat([pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))])


def test_ray_gives_the_rows_batch_gives(local_ray, inputs, tmp_path):
    out = tmp_path / "out"
    common = ["--engine", "ray", "--text-column", "description", "--id-column", "id", "--workers", "2",
              "--chunk-rows", "10", "--quiet"]
    result = CliRunner().invoke(cli, ["batch", str(inputs), "--output", str(out), *common])  # store by value
    assert result.exit_code == 0, result.output
    expected = _batch_rows(inputs, tmp_path)
    got = _parts(out)
    assert got.equals(expected), "rows differ from screener batch"
    assert got.filter(pl.col("description").is_null())["error"].to_list() == ["missing text"] * FILES
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    provenance = (tmp_path / "out.provenance.json").read_text(encoding="utf-8")
    assert '"store_by": "value"' in provenance and f'"out": {FILES * ROWS_PER_FILE}' in provenance


def _killing_actor(marker: Path):
    from screener.batch.on_ray import ScoreActor

    class Killing(ScoreActor):
        def __call__(self, batch):
            try:  # the first actor to get here dies mid-batch; the marker says it happened
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return super().__call__(batch)
            os.kill(os.getpid(), signal.SIGKILL)

    return Killing


def test_a_killed_actor_loses_and_doubles_nothing(local_ray, inputs, tmp_path):
    """One file out (through the driver), a glob in, the store by path; an actor SIGKILLed mid-batch."""
    from screener.api import check_setup
    from screener.batch import on_ray
    from screener.batch.job import BatchJob

    job = BatchJob(text_column="description", id_column="id", chunk_rows=8, workers=2)
    plan = on_ray.plan([str(inputs / "part*.parquet")], job, tmp_path / "one.parquet", None, 2, store_by="path")
    marker = tmp_path / "killed"
    counts = on_ray.run(plan, check_setup(), actor=_killing_actor(marker))
    assert marker.exists(), "no actor was killed"
    got = pl.read_parquet(tmp_path / "one.parquet")
    assert counts["rows"] == got.height == FILES * ROWS_PER_FILE
    assert got["id"].n_unique() == got.height
    assert got.equals(_batch_rows(inputs, tmp_path))


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "screener", "batch", *map(str, args)], capture_output=True,
                          text=True, env=dict(os.environ), timeout=300)


def _lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and "Building the reference store" not in line]


def test_a_bad_rule_fails_in_one_line_before_ray_starts(inputs, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "broken.yaml").write_text("id: broken\nseverity: fatal\n", encoding="utf-8")
    proc = _run(inputs, "--engine", "ray", "--text-column", "description", "--output", tmp_path / "out",
                "--rules-dir", rules)
    assert proc.returncode == 2
    assert len(_lines(proc.stderr)) == 1 and "broken" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_store_or_column_fails_in_one_line(inputs, tmp_path):
    proc = _run(inputs, "--engine", "ray", "--text-column", "description", "--output", tmp_path / "out",
                "--store-by", "path", "--db", tmp_path / "nowhere.duckdb")
    assert proc.returncode == 2 and len(_lines(proc.stderr)) == 1 and "no store" in proc.stderr, proc.stderr
    proc = _run(inputs, "--engine", "ray", "--text-column", "text", "--output", tmp_path / "out")
    assert proc.returncode == 2 and len(_lines(proc.stderr)) == 1 and "'text'" in proc.stderr, proc.stderr
    assert not (tmp_path / "out").exists()
