"""Compile reference_data/ into the DuckDB store, and rebuild it when the data has changed.

Tables: meta, hs_codes, lexicon_entries, lexicon_terms, list_entries, list_coverage, list_meta (see
list_tables.py: a list entry at chapter or heading level covers every HS-6 below it; a CN-8 entry covers its
HS-6 partially (`partial` = true), as does an entry the regulation marks "ex").
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import polars as pl

from screener.errors import ScreenerError
from screener.lexicon.load import entry_terms, lexicon_files, load_entries
from screener.lexicon.part_database import compile_database, database_key
from screener.lexicon.part_database import engine as part_engine
from screener.lexicon.patterns import foreign_words, fuzzy_vocab, reference_patterns
from screener.reference.goods_lists import read_specs
from screener.reference.list_tables import (OLD_ANNEXES, bundled_entries, coverage_table, entries_table, merge_imports,
                                            meta_table)
from screener.reference.paths import reference_dir
from screener.reference.places import load_places
from screener.reference.store import query_frame, resolve_db_path, store_lock
from screener.safe_yaml import load_yaml
from screener.text.english import EnglishWords, known_words, source_versions

log = logging.getLogger("screener")
SCHEMA_VERSION = "7"  # 2: guard_words; 3: patterns, fuzzy_vocab; 4: part_database; 5: list_meta, list columns;
# 6: foreign forms kept off English words; 7: foreign_words
PACKAGE = Path(__file__).resolve().parents[1]
# the code that derives the store's tables from reference_data: a change to it rebuilds the store too
DERIVING_CODE = ("text", "lexicon", "reference")


def data_hash(ref_dir: Path | None = None) -> str:
    """sha256 over every file of reference_data (path and content), the code that derives the store's
    tables from them and the word lists' versions."""
    ref_dir = ref_dir or reference_dir()
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    digest.update(source_versions().encode())
    digest.update(part_engine().encode())
    for path in sorted(f for name in DERIVING_CODE for f in ([PACKAGE / name] if name.endswith(".py")
                                                             else (PACKAGE / name).rglob("*.py"))):
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in sorted(p for p in ref_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(ref_dir)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _read_csv(path: Path) -> pl.DataFrame:
    try:
        return pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise ScreenerError(f"{path}: cannot read CSV: {str(exc).splitlines()[0]}") from exc


def _hs_table(ref_dir: Path) -> pl.DataFrame:
    return _read_csv(ref_dir / "hs" / "hs2022.csv").select("code", "level", "parent", "description").with_columns(
        pl.col("level").cast(pl.Int32), edition=pl.lit("HS2022"))


def _hs_editions(ref_dir: Path) -> pl.DataFrame:
    return _read_csv(ref_dir / "hs" / "hs_editions.csv").select(
        "code", in_hs2017=pl.col("in_hs2017") == "1", in_hs2022=pl.col("in_hs2022") == "1")


def check_expected_rows(ref_dir: Path, tables: dict[str, pl.DataFrame]) -> None:
    """Fail the build when a list's row count drifts from the count its manifest entry asserts."""
    manifest_path = ref_dir / "MANIFEST.yaml"
    if not manifest_path.exists():
        return
    manifest = load_yaml(manifest_path.read_text(encoding="utf-8"), aliases=True) or {}
    for entry in manifest.get("files", []):
        frame = tables.get(entry.get("path", ""))
        expected = entry.get("expected_rows")
        if frame is not None and expected is not None and frame.height != int(expected):
            raise ScreenerError(f"{entry['path']}: {frame.height} rows, but MANIFEST.yaml expects {expected}")


def build(db: str | Path | None = None, ref_dir: Path | None = None) -> dict:
    """Build the store from reference_data into a new file, then move it into place (under the store's lock)."""
    with store_lock(db):
        return _build(resolve_db_path(db), ref_dir or reference_dir())


def _build(path: Path, ref_dir: Path) -> dict:
    entries = load_entries(lexicon_files(ref_dir / "lexicon"))
    places = load_places(ref_dir / "countries" / "places.yaml")
    context = {p.stem: load_yaml(p.read_text(encoding="utf-8"), aliases=True)
               for p in sorted((ref_dir / "context").glob("*.yaml"))}
    hs = _hs_table(ref_dir)
    specs = read_specs(ref_dir)
    bundled = bundled_entries(ref_dir, specs)
    check_expected_rows(ref_dir, {
        f"lists/{n}.csv": bundled.filter(pl.col("list") == name)
        for n, name in (("chpl", "CHPL"), ("eu_annex_xl", "EU833-XL"))} | {
        "lists/eu_833_annexes.csv": bundled.filter(pl.col("list").is_in(list(OLD_ANNEXES.values())))} | {
        f"lists/{s.file}": bundled.filter(pl.col("list") == s.tag) for s in specs.values() if s.file})
    imported, imports, imported_hs = _previous_imports(path)
    hs_codes = hs["code"].to_list() + imported_hs
    lists = entries_table(merge_imports(bundled, imported), specs, hs_codes)
    coverage = coverage_table(lists, hs_codes)
    lex = pl.DataFrame({
        "id": [e.id for e in entries], "label": [e.label for e in entries],
        "category": [e.category for e in entries], "hs6": [e.hs6 for e in entries],
        "entry_json": [e.model_dump_json() for e in entries]}, schema_overrides={"hs6": pl.List(pl.String)})
    terms = [t for e in entries for t in entry_terms(e)]
    term_df = pl.DataFrame({
        "entry_id": [t.entry_id for t in terms], "term": [t.text for t in terms], "norm": [t.norm for t in terms],
        "strength": [t.strength for t in terms], "lang": [t.lang for t in terms]}, schema={
        "entry_id": pl.String, "term": pl.String, "norm": pl.String, "strength": pl.String, "lang": pl.String})
    version = data_hash(ref_dir)
    by_id = {e.id: e for e in sorted(entries, key=lambda e: e.id)}  # the order the store gives them back in
    meta = {"reference_hash": version, "schema_version": SCHEMA_VERSION,
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "places_json": places.model_dump_json(), "context_json": json.dumps(context, sort_keys=True),
            "guard_words_source": source_versions()}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):  # of a build that was killed
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for name, frame in [("hs_codes", hs), ("hs_editions", _hs_editions(ref_dir)),
                            ("lexicon_entries", lex), ("lexicon_terms", term_df),
                            ("list_entries", lists), ("list_coverage", coverage),
                            ("list_meta", meta_table(lists, specs, imports)),
                            ("guard_words", pl.DataFrame({"word": sorted(known_words())})),
                            ("patterns", reference_patterns(by_id, places.places, context, EnglishWords(known_words()))
                             .with_row_index("seq")),
                            ("fuzzy_vocab", pl.DataFrame({"word": fuzzy_vocab(by_id)}, schema={"word": pl.String})),
                            ("foreign_words", pl.DataFrame({"word": foreign_words(by_id)}, schema={"word": pl.String})),
                            ("part_database", _part_database(by_id))]:
            con.register("frame_in", frame.to_arrow())
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame_in")  # name is one of our constants
            con.unregister("frame_in")
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        _carry_over_imports(path, con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    tmp.replace(path)
    return {"db": str(path), "reference_hash": version, "hs_codes": hs.height, "lexicon_entries": lex.height,
            "lexicon_terms": term_df.height, "list_entries": lists.height, "list_coverage": coverage.height}


def _part_database(entries: dict) -> pl.DataFrame:
    """The part patterns compiled for the part filter (no row without Hyperscan): compiling takes ~1 s,
    loading ~1 ms, and every worker process needs it."""
    sources = [p.regex for e in entries.values() for p in e.patterns]
    compiled = compile_database(sources)
    rows = [(database_key(sources), compiled[0], compiled[1])] if compiled else []
    return pl.DataFrame(rows, schema={"key": pl.String, "db": pl.Binary, "ids": pl.List(pl.Int64)}, orient="row")


def _previous_imports(old_path: Path) -> tuple[pl.DataFrame | None, pl.DataFrame | None, list[str]]:
    """Goods lists imported into the store being replaced (their rows and their import records), and the
    codes of an imported full HS nomenclature: a rebuild keeps them in place of the bundled lists."""
    if not old_path.exists():
        return None, None, []
    try:
        con = duckdb.connect(str(old_path), read_only=True)
    except duckdb.Error as exc:
        _unreadable(old_path, exc)
        return None, None, []
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        rows = (query_frame(con, "SELECT * FROM imported_list_entries") if "imported_list_entries" in tables
                else None)
        meta = query_frame(con, "SELECT * FROM imported_list_meta") if "imported_list_meta" in tables else None
        hs = (query_frame(con, "SELECT code FROM imported_hs_codes")["code"].to_list()
              if "imported_hs_codes" in tables else [])
    except duckdb.Error:
        return None, None, []
    finally:
        con.close()
    return rows, meta, hs


def _unreadable(old_path: Path, exc: duckdb.Error) -> None:
    """The store being replaced cannot be read. Held open for writing by another process: stop (a rebuild now
    would lose the lists imported into it). Damaged: say that what was imported into it is not carried over."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "lock" in first.lower():
        raise ScreenerError(f"{old_path}: cannot rebuild the store while another process has it open for writing "
                            "(its imported lists would be lost); close that process and run again")
    log.warning("%s: the old store cannot be read (%s); lists imported into it are not carried over", old_path,
                first)


def _carry_over_imports(old_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    """Keep tables imported by `reference import` (party lists, full HS) across a rebuild."""
    if not old_path.exists():
        return
    try:
        con.execute("ATTACH ? AS old (READ_ONLY)", [str(old_path)])
    except duckdb.Error as exc:
        _unreadable(old_path, exc)
        return
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'old'").fetchall()]
        for name in names:
            if name.startswith(("party_", "imported_")) and name.replace("_", "").isalnum():
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM old."{name}"')
    finally:
        con.execute("DETACH old")


def stored_hash(db: str | Path | None = None) -> str | None:
    """The reference hash the store was built from, or None when there is no usable store."""
    path = resolve_db_path(db)
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = ?", ["reference_hash"]).fetchall()
        row = rows[0] if rows else None
    except duckdb.Error:
        return None
    finally:
        con.close()
    return row[0] if row else None


def ensure_built(db: str | Path | None = None) -> Path:
    """Build the store when it is missing or stale; return its path.

    Concurrent first runs are safe: the store is built under its lock, and a process that waited for the
    lock finds it built. Building is announced on the `screener` logger (the command line shows it).
    """
    path = resolve_db_path(db)
    want = data_hash()
    if stored_hash(path) == want:
        return path
    with store_lock(path):
        if stored_hash(path) != want:  # (another process may have built it while this one waited)
            log.info("Building the reference store at %s (first run, or the reference data changed); "
                     "this takes about 20 s ...", path)
            _build(path, reference_dir())
    return path


__all__ = ["build", "ensure_built", "data_hash", "stored_hash"]
