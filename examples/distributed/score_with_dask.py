"""Score Parquet files with Dask: screener's TableScorer on every partition (docs/distributed.md).

    python examples/distributed/score_with_dask.py OUTPUT_FOLDER INPUT.parquet... [--scheduler ADDRESS]

Each Dask worker process builds its scorer once (`scorer_for`) and reads the store by path: on a cluster,
the store file (`screener reference build`, or $SCREENER_DB) must be at the same path on every worker.
"""

from __future__ import annotations

import argparse

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
from dask.distributed import Client, LocalCluster

from screener.api import batch_job, scorer_for
from screener.reference.build import ensure_built

# the job: which columns to read, and the store every worker opens (built here once if missing or stale)
JOB = batch_job(text_column="description", id_column="id", db=str(ensure_built()))


def score_partition(part: pd.DataFrame) -> pd.DataFrame:
    """One partition through the scorer: pandas backed by Arrow on both sides, so the columns pass as Arrow."""
    table = pa.Table.from_pandas(part, preserve_index=False)
    return scorer_for(JOB)(table).to_pandas(types_mapper=pd.ArrowDtype)


def main() -> None:
    """Score the inputs on a Dask cluster (a local one unless --scheduler names one) into OUTPUT_FOLDER."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--scheduler", default=None, help="a running Dask scheduler (default: a local cluster)")
    args = parser.parse_args()
    with (Client(args.scheduler) if args.scheduler else
          Client(LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None))):
        frame = dd.read_parquet(args.inputs, dtype_backend="pyarrow")
        # the output's columns and types come from the function itself
        schema = scorer_for(JOB).schema(pa.Schema.from_pandas(frame._meta, preserve_index=False))
        meta = schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)
        frame.map_partitions(score_partition, meta=meta).to_parquet(args.output, write_index=False)


if __name__ == "__main__":
    main()
