"""A file that `screener batch` wrote, read back for a report: its result columns, text column and provenance.

Batch output is CSV, Parquet or JSONL. List columns (`hs_codes`, `controls`, `goods`, `rules`, `parties`,
`parties_review`) are `;`-joined strings in CSV and may be real lists in Parquet and JSONL: both are read
as lists here. Provenance (versions, list dates, options, command line) sits in Parquet key-value metadata
under `screener.provenance`, or in a sidecar `OUTPUT.provenance.json` beside a CSV or JSONL file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from screener.errors import InputError
from screener.batch.formats import output_format as format_of

PROVENANCE_KEY = "screener.provenance"
NO_PROVENANCE = "the file carries no provenance"
RESULT_COLUMNS = ("score", "band", "hs_codes", "controls", "goods", "rules", "error")
LIST_COLUMNS = ("hs_codes", "controls", "goods", "rules", "parties", "parties_review")
TEXT_COLUMN_GUESSES = ("description", "text", "desc", "goods_description", "item_description", "line")
ID_COLUMN_GUESSES = ("id", "row_id", "line_id", "shipment_id", "item_id")
COUNTRY_COLUMN_GUESSES = ("country", "destination", "destination_country", "consignee_country")


@dataclass
class ScoredFile:
    """The rows of a batch output (only the columns a report uses), with what is known about how they were made."""

    path: Path
    fmt: str
    frame: pl.DataFrame               # __row (0-based), result columns (as written), __text, __id, __country
    text_column: str
    id_column: str | None
    country_column: str | None
    provenance: dict | None
    provenance_note: str = ""         # why there is none, or why it could not be read
    extra_lists: list[str] = field(default_factory=list)   # list columns present besides the required ones

    def as_lists(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` (some of this file's rows) with every list column as a list of strings."""
        return frame.with_columns(as_list(c, frame.schema[c]) for c in LIST_COLUMNS if c in frame.columns)

    def lists(self, column: str) -> pl.Expr:
        """A list column as lists, cheaply (for counting a million rows: empty strings are left for the caller
        to drop)."""
        col = pl.col(column)
        if isinstance(self.frame.schema[column], pl.List):
            return col.cast(pl.List(pl.String))
        return col.cast(pl.String).str.split(";")


def provenance_of(path: Path, fmt: str) -> tuple[dict | None, str]:
    """The provenance written with a batch output, and a note when there is none or it is unreadable."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            meta = pq.read_schema(path).metadata or {}
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: cannot read parquet: {str(exc).splitlines()[0]}") from exc
        raw = meta.get(PROVENANCE_KEY.encode())
        where = f"parquet metadata key {PROVENANCE_KEY}"
    else:
        raw, where = None, ""
        for sidecar in (path.with_name(path.name + ".provenance.json"), path.with_suffix(".provenance.json")):
            if sidecar.is_file():
                raw, where = sidecar.read_bytes(), sidecar.name
                break
    if raw is None:
        return None, NO_PROVENANCE
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"the provenance in {where} is not valid JSON ({exc})"
    if not isinstance(doc, dict):
        return None, f"the provenance in {where} is not a JSON object"
    return doc, f"from {where}"


def _scan(path: Path, fmt: str) -> pl.LazyFrame:
    try:
        if fmt == "parquet":
            lazy = pl.scan_parquet(path)
        elif fmt == "jsonl":
            lazy = pl.scan_ndjson(path, infer_schema_length=10_000)
        else:
            lazy = pl.scan_csv(path, infer_schema=False, separator="\t" if path.suffix.lower() == ".tsv" else ",")
        lazy.collect_schema()
    except pl.exceptions.NoDataError as exc:
        raise InputError(f"{path}: file is empty") from exc
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"{path}: cannot read {fmt}: {str(exc).splitlines()[0]}") from exc
    return lazy


def as_list(name: str, dtype: pl.DataType) -> pl.Expr:
    """A list column as a list of strings, whether it was written `;`-joined or as a list."""
    col = pl.col(name)
    if isinstance(dtype, pl.List):
        out = col.cast(pl.List(pl.String))
    else:
        text = col.cast(pl.String).fill_null("")
        out = pl.when(text == "").then(pl.lit([], pl.List(pl.String))).otherwise(text.str.split(";"))
    kept = pl.element().filter(pl.element().is_not_null() & (pl.element() != ""))
    return out.list.eval(kept).fill_null([]).alias(name)


def _pick(columns: list[str], given: str | None, from_provenance: str | None, guesses: tuple[str, ...],
          what: str) -> str | None:
    """A column named by the user, else by the provenance, else the first usual name present."""
    if given:
        if given not in columns:
            raise InputError(f"unknown {what} column {given!r}; the file has: {', '.join(columns)}")
        return given
    if from_provenance and from_provenance in columns:
        return from_provenance
    lower = {c.lower(): c for c in columns}
    return next((lower[g] for g in guesses if g in lower), None)


def read_scored(path: str | Path, text_column: str | None = None, id_column: str | None = None,
                country_column: str | None = None, fmt: str | None = None) -> ScoredFile:
    """Read a batch output for a report; a file that is not one fails with one line (InputError)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty")
    fmt = format_of(path, fmt)
    provenance, note = provenance_of(path, fmt)
    lazy = _scan(path, fmt)
    schema = lazy.collect_schema()
    columns = schema.names()
    missing = [c for c in RESULT_COLUMNS if c not in columns]
    if missing:
        raise InputError(f"{path}: not an output of `screener batch` (no {', '.join(missing)} column"
                         f"{'s' if len(missing) > 1 else ''}); the file has: {', '.join(columns)}")
    options = (provenance or {}).get("options") or {}
    options = options if isinstance(options, dict) else {}
    text = _pick(columns, text_column, options.get("text_column"), TEXT_COLUMN_GUESSES, "text")
    if text is None:
        inputs = [c for c in columns if c not in RESULT_COLUMNS and c not in LIST_COLUMNS]
        raise InputError(f"{path}: cannot tell which column holds the screened text; name it with --text-column "
                         f"(input columns: {', '.join(inputs) or 'none'})")
    ident = _pick(columns, id_column, options.get("id_column"), ID_COLUMN_GUESSES, "id")
    country = _pick(columns, country_column, options.get("country_column"), COUNTRY_COLUMN_GUESSES,
                    "country")
    extra = [c for c in ("parties", "parties_review") if c in columns]
    select = [
        pl.col("score").cast(pl.Int64, strict=False),
        pl.col("band").cast(pl.String),
        pl.col("error").cast(pl.String).fill_null(""),
        *(pl.col(c) for c in LIST_COLUMNS if c in columns),
        pl.col(text).cast(pl.String).alias("__text"),
        (pl.col(ident).cast(pl.String) if ident else pl.lit(None, pl.String)).alias("__id"),
        (pl.col(country).cast(pl.String) if country else pl.lit(None, pl.String)).alias("__country"),
    ]
    try:
        frame = lazy.with_row_index("__row").select("__row", *select).collect()
    except pl.exceptions.PolarsError as exc:
        raise InputError(f"{path}: cannot read {fmt}: {str(exc).splitlines()[0]}") from exc
    if frame.height == 0:
        raise InputError(f"{path}: no rows")
    return ScoredFile(path, fmt, frame, text, ident, country, provenance, note, extra)
