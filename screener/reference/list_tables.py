"""The store's list tables: every list's rows (`list_entries`), the HS-6 codes they cover (`list_coverage`)
and one row per list (`list_meta`: date, row count, source, direction, countries, completeness).

The rows come from reference_data/lists/, except for lists imported with `screener reference import`
(kept in `imported_list_entries`), which replace the bundled rows of their list and survive rebuilds.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from screener.errors import ScreenerError
from screener.reference.coverage import Nomenclature, covered, effective_code
from screener.reference.goods_lists import ROW_SCHEMA, STORE_SCHEMA, ListSpec, goods_rows, with_spec_columns

OLD_ANNEXES = {"XXIII": "EU833-XXIII", "XXIIIA": "EU833-XXIIIA", "XXIIIB": "EU833-XXIIIB", "XXXVII": "EU833-XXXVII"}
COVERAGE_COLUMNS = ["hs6", "list", "entry", "tier", "level", "ex", "partial", "description", "category",
                    "threshold_kind", "threshold_value", "threshold_currency", "direction"]
META_SCHEMA = {"list": pl.String, "title": pl.String, "date": pl.String, "rows": pl.Int64, "origin": pl.String,
               "source": pl.String, "source_url": pl.String, "direction": pl.String,
               "countries": pl.List(pl.String), "legal_basis": pl.String, "complete": pl.Boolean, "note": pl.String}


def _read_csv(path: Path) -> pl.DataFrame:
    try:
        return pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise ScreenerError(f"{path}: cannot read CSV: {str(exc).splitlines()[0]}") from exc


def _older_lists(ref_dir: Path) -> pl.DataFrame:
    """CHPL, Annex XL and Annexes XXIII, XXIIIA, XXIIIB, XXXVII in the store's row shape."""
    lists = ref_dir / "lists"
    chpl = _read_csv(lists / "chpl.csv").select(
        list=pl.lit("CHPL"), entry=pl.col("hs6"), code=pl.col("hs6"), level=pl.lit(6, pl.Int32), ex=pl.lit(False),
        tier=pl.col("tier"), position=pl.int_range(1, pl.len() + 1, dtype=pl.Int64), description=pl.col("description"))
    xl = _read_csv(lists / "eu_annex_xl.csv").select(
        list=pl.lit("EU833-XL"), entry=pl.col("hs6"), code=pl.col("hs6"), level=pl.lit(6, pl.Int32), ex=pl.lit(False),
        tier=pl.lit(None, pl.String), position=pl.col("position").cast(pl.Int64), description=pl.col("description"))
    annexes = _read_csv(lists / "eu_833_annexes.csv").select(
        list=pl.col("annex").replace_strict(OLD_ANNEXES), entry=pl.col("code"), code=pl.col("code"),
        level=pl.col("level").cast(pl.Int32), ex=pl.col("ex") == "1", tier=pl.lit(None, pl.String),
        position=pl.col("position").cast(pl.Int64), description=pl.col("description"))
    return pl.concat([chpl, xl, annexes]).with_columns(
        [pl.lit(None, dtype).alias(name) for name, dtype in ROW_SCHEMA.items()]).with_columns(
        threshold_kind=pl.lit("none")).select(list(STORE_SCHEMA))


def bundled_entries(ref_dir: Path, specs: dict[str, ListSpec]) -> pl.DataFrame:
    """Every bundled list's rows, in the store's shape, without the columns their declaration adds."""
    goods = [goods_rows(ref_dir, s) for s in specs.values() if s.file]
    return pl.concat([_older_lists(ref_dir), *goods])


def merge_imports(bundled: pl.DataFrame, imported: pl.DataFrame | None) -> pl.DataFrame:
    """The bundled rows, with the rows of each imported list in place of its bundled ones."""
    if imported is None or imported.is_empty():
        return bundled
    replaced = imported["list"].unique().to_list()
    return pl.concat([bundled.filter(~pl.col("list").is_in(replaced)), imported.select(list(STORE_SCHEMA))])


def entries_table(rows: pl.DataFrame, specs: dict[str, ListSpec], hs_codes: list[str]) -> pl.DataFrame:
    """`list_entries`: the rows with what their list declares, and the HS code each stands for (`hs_code`;
    `national` when the row names only part of it by a CN, TARIC or HTS code)."""
    hs = Nomenclature(hs_codes)
    pairs = [effective_code(c, hs) for c in rows["code"].to_list()]
    return with_spec_columns(rows.select(list(STORE_SCHEMA)), specs).with_columns(
        hs_code=pl.Series([p[0] for p in pairs], dtype=pl.String),
        national=pl.Series([not p[1] for p in pairs], dtype=pl.Boolean))


def coverage_table(entries: pl.DataFrame, hs_codes: list[str]) -> pl.DataFrame:
    """`list_coverage`: one row per (HS-6, list entry) the entry covers, `partial` when it covers part of it."""
    hs = Nomenclature(hs_codes)
    keep = [c for c in COVERAGE_COLUMNS if c not in ("hs6", "partial")]
    rows = []
    for r in entries.select(keep + ["code", "code_to"]).iter_rows(named=True):
        for hs6, partial in covered(r["code"], r["code_to"], r["ex"], hs):
            rows.append({**{k: r[k] for k in keep}, "hs6": hs6, "partial": partial})
    schema = {"hs6": pl.String, "partial": pl.Boolean} | {k: entries.schema[k] for k in keep}
    return (pl.DataFrame(rows, schema=schema, orient="row").select(COVERAGE_COLUMNS).unique()
            .sort(["hs6", "list", "entry", "category"], nulls_last=False))


def meta_table(entries: pl.DataFrame, specs: dict[str, ListSpec], imports: pl.DataFrame | None) -> pl.DataFrame:
    """`list_meta`: one row per list; an imported list shows the import's date, file and origin."""
    counts = dict(entries.group_by("list").len().iter_rows())
    done = {r["list"]: r for r in (imports.iter_rows(named=True) if imports is not None else [])}
    rows = []
    for tag, s in specs.items():
        imp = done.get(tag)
        rows.append({"list": tag, "title": s.title, "date": imp["date"] if imp else s.date,
                     "rows": counts.get(tag, 0), "origin": "imported" if imp else "bundled",
                     "source": imp["source_path"] if imp else (f"lists/{s.file}" if s.file else s.source),
                     "source_url": "" if imp else s.source_url, "direction": s.direction, "countries": s.countries,
                     "legal_basis": s.legal_basis, "complete": s.complete, "note": s.note})
    return pl.DataFrame(rows, schema=META_SCHEMA, orient="row")


__all__ = ["bundled_entries", "entries_table", "coverage_table", "meta_table", "merge_imports"]
