"""The one map of file extensions to table formats, for reading and writing (no polars here: the command line
decides on workers before it loads anything heavy).

`.txt` is one text per line everywhere; `.tsv` is CSV with a tab; `.xlsx` is read (first sheet), never written.
"""

from __future__ import annotations

from pathlib import Path

# what `--format` may name for an output table, and `--input-format` for an input
OUTPUT_FORMATS = ("csv", "parquet", "jsonl")
INPUT_FORMATS = ("csv", "tsv", "parquet", "jsonl", "lines", "xlsx")
EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".txt": "lines", ".parquet": "parquet", ".pq": "parquet",
              ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx"}
# folders given to `check` are walked for these (`.json` is left out: most JSON files in a repository are not
# JSON Lines)
DISCOVERED = tuple(sorted(set(EXTENSIONS) - {".json"}))


def input_format(path: str | Path, given: str | None = None) -> str:
    """An input's format: given explicitly, else from its extension (CSV when the extension says nothing)."""
    if given:
        return given
    return EXTENSIONS.get(Path(str(path)).suffix.lower(), "csv")


def output_format(path: str | Path | None, given: str | None = None) -> str:
    """An output's format: given, else from the extension of --output (CSV for stdout and unknown ones)."""
    if given:
        return given
    if path is None or str(path) == "-":
        return "csv"
    fmt = EXTENSIONS.get(Path(str(path)).suffix.lower(), "csv")
    return fmt if fmt in OUTPUT_FORMATS else "csv"
