"""Reading input tables and writing result tables: formats by extension, clear errors, atomic writes."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import polars as pl

from screener.errors import InputError
from screener.formats import FORMATS, format_of  # noqa: F401  (their home before; imported from here too)


def _decode_to_utf8(path: Path, encoding: str) -> bytes:
    try:
        return path.read_bytes().decode(encoding).encode("utf-8")
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: cannot decode as {encoding} at byte {exc.start}") from exc


def _first_bad_utf8(path: Path) -> int | None:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def read_table(path: str | Path, fmt: str | None = None, encoding: str = "utf-8",
               separator: str | None = None) -> pl.DataFrame:
    """Read a CSV/Parquet/JSONL table with every column as text (CSV/JSONL) and one-line errors."""
    path = Path(path)
    if str(path) != "-" and not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    fmt = format_of(path, fmt)
    try:
        if fmt == "parquet":
            df = pl.read_parquet(path)
        elif fmt == "jsonl":
            df = pl.read_ndjson(_source(path, encoding), infer_schema_length=None)
        else:
            sep = separator or ("\t" if path.suffix.lower() == ".tsv" else ",")
            df = pl.read_csv(_source(path, encoding), infer_schema=False, separator=sep)
    except pl.exceptions.NoDataError as exc:
        raise InputError(f"{path}: file is empty") from exc
    except pl.exceptions.ComputeError as exc:
        msg = str(exc).splitlines()[0]
        if "utf-8" in msg.lower() or "utf8" in msg.lower():
            at = _first_bad_utf8(path)
            raise InputError(f"{path}: not valid UTF-8 (first bad byte at offset {at}); "
                             f"name the encoding with --encoding") from exc
        if "more fields" in msg:
            raise InputError(f"{path}: ragged CSV: {_ragged_lines(path, sep)}") from exc
        raise InputError(f"{path}: cannot read {fmt}: {msg}") from exc
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read {fmt}: {str(exc).splitlines()[0]}") from exc
    if df.height == 0 and df.width == 0:
        raise InputError(f"{path}: file is empty")
    return df


def _source(path: Path, encoding: str):
    if encoding.lower().replace("-", "") in ("utf8", "utf8sig"):
        return path
    return _decode_to_utf8(path, encoding)


def _ragged_lines(path: Path, sep: str) -> str:
    """Line numbers of rows with more fields than the header (CSV quoting respected)."""
    import csv

    bad = []
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        reader = csv.reader(f, delimiter=sep)
        header = next(reader, [])
        for row in reader:
            if len(row) > len(header):
                bad.append(reader.line_num)
                if len(bad) >= 10:
                    break
    return "rows with more fields than the header at line(s) " + ", ".join(map(str, bad))


def require_columns(df: pl.DataFrame, *cols: str | None) -> None:
    missing = [c for c in cols if c and c not in df.columns]
    if missing:
        raise InputError(f"unknown column(s) {', '.join(map(repr, missing))}; the input has: {', '.join(df.columns)}")


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only when the block finishes without error."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_table(df: pl.DataFrame, path: str | Path, fmt: str) -> None:
    """Write a table atomically in csv, parquet or jsonl."""
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            df.write_parquet(tmp)
        elif fmt == "jsonl":
            df.write_ndjson(tmp)
        else:
            df.write_csv(tmp)
