"""The recipes of docs/distributed.md run, and give the rows `screener batch` gives.

Dask runs in the default suite when installed (`.[test]` installs it: a local cluster of two worker processes,
a few seconds). Spark needs Java 17 and starts a JVM (~30 s, a 400 MB package): it runs only when asked,
`SCREENER_TEST_SPARK=1 python -m pytest tests/test_distributed_recipes.py` with `.[spark]` installed.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli

REPO = Path(__file__).resolve().parents[1]
RECIPES = REPO / "examples" / "distributed"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("recipe-in")
    with (REPO / "examples" / "shipments.csv").open(encoding="utf-8") as f:
        base = list(csv.DictReader(f))
    paths = []
    for i in range(2):
        rows = [dict(base[(i + j) % len(base)], id=f"f{i}-{j:02d}") for j in range(15)]
        rows[3]["description"] = None
        paths.append(folder / f"part{i}.parquet")
        pl.DataFrame(rows).write_parquet(paths[-1])
    return paths


def _batch_rows(inputs: list[Path], tmp_path: Path) -> pl.DataFrame:
    frames = []
    for src in inputs:
        out = tmp_path / f"local-{src.stem}.parquet"
        result = CliRunner().invoke(cli, ["batch", str(src), "--text-column", "description", "--output", str(out),
                                          "--quiet"])
        assert result.exit_code == 0, result.output
        frames.append(pl.read_parquet(out))
    return pl.concat(frames)


def _run_recipe(name: str, output: Path, inputs: list[Path]) -> pl.DataFrame:
    proc = subprocess.run([sys.executable, str(RECIPES / name), str(output), *map(str, inputs)],
                          capture_output=True, text=True, env=dict(os.environ), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    parts = sorted(output.glob("*.parquet"), key=lambda p: [int(n) for n in re.findall(r"\d+", p.name)])
    return pl.concat([pl.read_parquet(p) for p in parts])


def test_the_dask_recipe_gives_batch_rows(inputs, tmp_path):
    pytest.importorskip("dask.dataframe")
    pytest.importorskip("distributed")
    got = _run_recipe("score_with_dask.py", tmp_path / "dask-out", inputs)
    assert got.equals(_batch_rows(inputs, tmp_path))  # partitions in order, rows in order
    assert got.filter(pl.col("description").is_null())["error"].to_list() == ["missing text"] * 2


@pytest.mark.skipif(not os.environ.get("SCREENER_TEST_SPARK"), reason="Spark starts a JVM (~30 s, Java 17): "
                    "run with SCREENER_TEST_SPARK=1 and .[spark] installed")
def test_the_spark_recipe_gives_batch_rows(inputs, tmp_path):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17")
    got = _run_recipe("score_with_spark.py", tmp_path / "spark-out", inputs)
    # Spark bins files into partitions by size: the rows are compared by id
    assert got.sort("id").equals(_batch_rows(inputs, tmp_path).sort("id"))
