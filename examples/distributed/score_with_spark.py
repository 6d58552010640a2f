"""Score Parquet files with PySpark: screener's TableScorer in `mapInArrow` (docs/distributed.md).

    python examples/distributed/score_with_spark.py OUTPUT_FOLDER INPUT.parquet... [--master URL]

Each Python worker builds its scorer once (`scorer_for`). The store travels by value: the driver adds the
file to the job (`SparkContext.addFile`) and each worker opens its own copy (`SparkFiles.get`).
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import pyarrow as pa
from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

from screener.api import batch_job, scorer_for
from screener.reference.build import ensure_built

JOB = batch_job(text_column="description", id_column="id")
STORE = ensure_built()  # built here once if missing or stale; shipped to the workers below


def score_batches(batches, arrow_out: pa.Schema):
    """Record batches of one partition through the scorer, in order, cast to the types Spark expects."""
    job = replace(JOB, screener=replace(JOB.screener, db=SparkFiles.get(STORE.name)))
    scorer = scorer_for(job)
    for batch in batches:
        yield from scorer(batch).cast(arrow_out).to_batches()


def main() -> None:
    """Score the inputs with Spark (local[2] unless --master names a cluster) into OUTPUT_FOLDER."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    spark = (SparkSession.builder.master(args.master).appName("screener")
             .config("spark.ui.enabled", "false").getOrCreate())
    try:
        spark.sparkContext.addFile(str(STORE))
        frame = spark.read.parquet(*args.inputs)
        # the output schema comes from the function itself: the scorer's output for the input's schema
        out = from_arrow_schema(scorer_for(replace(JOB, screener=replace(JOB.screener, db=str(STORE))))
                                .schema(to_arrow_schema(frame.schema)))
        arrow_out = to_arrow_schema(out)
        frame.mapInArrow(lambda batches: score_batches(batches, arrow_out), out).write.parquet(args.output)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
