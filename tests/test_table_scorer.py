"""The scorer at the seam (screener.api.TableScorer): an Arrow table in, the rows `batch` writes out."""

from __future__ import annotations

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from screener.api import TableScorer, as_frame, batch_job, scorer_for
from screener.cli import cli

ROWS = {
    "id": ["a", "b", "c", "d"],
    "description": ["500 pcs FPGA XC7A100T-1CSG324C, HS 8542.39, consignee in Almaty, Kazakhstan", None,
                    "Green tea, 20 kg", "Ball bearings 6205-2RS, transit via Almaty"],
    "score": ["1", "2", "3", "4"],  # an input column named like a result column: kept as input_score
    "qty": [1, 2, 3, 4],
}


@pytest.fixture(scope="module")
def scorer(screener):
    return TableScorer(batch_job(text_column="description", id_column="id"), screener)


def test_scorer_gives_the_rows_batch_writes_to_parquet(scorer, tmp_path):
    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pl.DataFrame(ROWS).write_parquet(src)
    result = CliRunner().invoke(cli, ["batch", str(src), "--text-column", "description", "--id-column", "id",
                                      "--output", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    written = pq.read_table(out)
    got = scorer(pq.read_table(src))
    assert got.schema.remove_metadata() == written.schema.remove_metadata()
    assert got.to_pylist() == written.to_pylist()
    assert got.column_names[:4] == ["id", "description", "input_score", "qty"]
    assert got["error"].to_pylist()[1] == "missing text" and got["score"].to_pylist()[0] > 0


def test_scorer_takes_record_batches_and_polars_frames(scorer):
    table = pa.table(ROWS)
    whole = scorer(table)
    assert scorer(table.to_batches(max_chunksize=2)[1]).to_pylist() == whole.to_pylist()[2:]
    assert scorer(pl.DataFrame(ROWS)).to_pylist() == whole.to_pylist()
    with pytest.raises(TypeError, match="Arrow table"):
        as_frame({"description": ["x"]})


def test_schema_comes_from_the_function(scorer):
    table = pa.table(ROWS)
    assert scorer.schema(table.schema) == scorer(table).schema
    assert scorer.schema(table.schema).field("hs_codes").type == pa.large_list(pa.large_string())


def test_one_scorer_per_process_and_job(fast_check_screener):
    first = scorer_for(batch_job(text_column="t"))
    assert scorer_for(batch_job(text_column="t")) is first  # Spark and Dask tasks build it once per process
    other = scorer_for(batch_job(text_column="text"))
    assert other is not first and other.job.text_column == "text"
