"""The table formats batch and check read and write, told from a file's name (no polars here: the
command line decides on workers before it loads anything heavy)."""

from __future__ import annotations

from pathlib import Path

FORMATS = ("csv", "parquet", "jsonl")


def format_of(path: str | Path, given: str | None = None) -> str:
    """The table format: given explicitly, else from the file extension."""
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    return {"csv": "csv", "tsv": "csv", "txt": "csv", "parquet": "parquet", "pq": "parquet",
            "jsonl": "jsonl", "ndjson": "jsonl", "json": "jsonl"}.get(suffix, "csv")
