"""The public Python API: load a screener once, then screen texts or score frames.

`load_screener` is the only way the package builds a screener (commands, workers, tests alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from pathlib import Path

import polars as pl

from screener.batch.job import BatchJob, ScreenerSpec
from screener.batch.scoring import output_rows, score_chunk, score_columns
from screener.engine import Screener
from screener.errors import InputError
from screener.lexicon.load import lexicon_files, load_entries
from screener.reference.build import ensure_built
from screener.reference.lookup import load_reference
from screener.reference.paths import rules_dir
from screener.results import Screening
from screener.rules.load import RuleSet, load_rules
from screener.rules.selection import apply_rule_config

if TYPE_CHECKING:
    import pyarrow as pa


def _rules(rules_dirs, bundled_rules: bool, enable, disable, weights) -> RuleSet:
    for p in rules_dirs:
        if not Path(p).is_dir():
            raise InputError(f"{p}: rules folder does not exist")
    dirs = ((rules_dir(),) if bundled_rules else ()) + tuple(Path(d) for d in rules_dirs)
    return apply_rule_config(load_rules(*dirs), list(enable), list(disable), dict(weights or {}))


def _lexicon(lexicon) -> list:
    for p in lexicon:
        if not Path(p).exists():
            raise InputError(f"{p}: lexicon file or folder does not exist")
    return load_entries(lexicon_files(*lexicon))


def load_screener(db: str | Path | None = None, rules_dirs=(), lexicon=(), bundled_rules: bool = True,
                  parties: bool = True, enable=(), disable=(), weights: dict[str, float] | None = None) -> Screener:
    """Reference data from the store (built when missing or stale), bundled plus extra rules and lexicon, and
    the rule configuration: only `enable` (when given), not `disable`, `weights` {rule id: weight}."""
    ref = load_reference(db)
    if lexicon:
        ref = ref.with_entries(_lexicon(lexicon))
    screener = Screener(ref, _rules(rules_dirs, bundled_rules, enable, disable, weights))
    if parties:
        from screener.parties_bridge import load_party_matcher

        screener.parties = load_party_matcher(ref.db_path)
    return screener


@dataclass(frozen=True)
class Setup:
    """What a run screens against, known without a screener: the store, the rules as configured, the versions
    of rules and data (and the list entries, read from the store when asked)."""

    db_path: Path
    versions: dict
    rules: RuleSet
    list_entries: pl.DataFrame | None = None

    @classmethod
    def of(cls, screener: Screener) -> "Setup":
        return cls(screener.reference.db_path, screener.versions, screener.rules, screener.reference.list_entries)

    def entry_table(self) -> pl.DataFrame:
        """The control-list entries (for suppression entry hashes)."""
        if self.list_entries is not None:
            return self.list_entries
        from screener.reference.store import connect, query_frame

        con = connect(self.db_path, read_only=True)
        try:
            return query_frame(con, "SELECT * FROM list_entries")
        finally:
            con.close()


def check_setup(db: str | Path | None = None, rules_dirs=(), lexicon=(), enable=(), disable=(),
                weights: dict[str, float] | None = None) -> Setup:
    """Everything `load_screener` would fail on, without compiling a screener.

    Worker processes each load their own screener; the main process only builds the store if it is
    stale (once, before the workers start) and checks the rules, their configuration and the lexicon
    extension, so a bad rule still fails at once with one line, and the main process spends no time or
    memory on a screener.
    """
    path = ensure_built(db)
    rules = _rules(rules_dirs, True, enable, disable, weights)
    if lexicon:
        reference_version = load_reference(path).with_entries(_lexicon(lexicon)).version
    else:
        from screener.reference.store import connect

        con = connect(path, read_only=True)
        try:
            reference_version = con.execute("SELECT value FROM meta WHERE key = 'reference_hash'").fetchone()[0]
        finally:
            con.close()
    return Setup(path, {"rules": rules.version, "reference": reference_version}, rules)


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    return load_screener()


def screen(text: str, screener: Screener | None = None) -> Screening:
    """Screen one text: the verdict, every finding with its span, every fired rule with its evidence
    (typed records, screener.results)."""
    from screener.screen import screen as _screen

    return _screen(screener or default_screener(), text)


def screen_text(text: str, screener: Screener | None = None) -> dict:
    """`screen` as the JSON of `screen --format json`."""
    return screen(text, screener).to_dict()


def score_frame(df: pl.DataFrame, text_column: str = "text", screener: Screener | None = None,
                party_columns: tuple[str, ...] = (), country_column: str | None = None,
                parties_in_text: bool = False) -> pl.DataFrame:
    """Pure function: the frame's columns plus score, band, hs_codes, controls, goods, rules, error.

    This is the unit a distributed engine (Spark, Ray, Dask) would call once per partition.
    """
    job = BatchJob(text_column=text_column, party_columns=tuple(party_columns), country_column=country_column,
                   parties_in_text=parties_in_text)
    return score_chunk(screener or default_screener(), df, job)


class TableScorer:
    """`screener batch`'s scoring as one pure function of a table: built once per process (store read, rules
    compiled, automata built), then called on batch after batch.

    `scorer(rows)` takes an Arrow table or record batch, or a polars frame, and returns an Arrow table: the
    input columns (renamed `input_<name>` where a result column has their name), then `score`, `band`,
    `hs_codes`, `controls`, `goods`, `rules`, `error` (and `parties`), with the values and types `batch`
    writes to Parquet for the same rows. `batch` itself scores through `results` and `output`; Ray's
    `map_batches`, Spark's `mapInArrow` and Dask's `map_partitions` call the scorer once per batch.
    """

    def __init__(self, job: BatchJob, screener: Screener | None = None):
        self.job = job
        self.screener = screener if screener is not None else job.screener.load()

    def results(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The result columns alone, in row order (what batch's worker processes send back)."""
        return score_columns(self.screener, rows, self.job)

    @staticmethod
    def output(rows: pl.DataFrame, results: pl.DataFrame, job: BatchJob, lists: bool = True) -> pl.DataFrame:
        """The output rows: input columns, then result columns (lists as lists, or `;`-joined for CSV)."""
        return output_rows(rows, results, job, lists)

    def frame(self, rows: pl.DataFrame) -> pl.DataFrame:
        """`__call__` on a polars frame, returning a polars frame."""
        return self.output(rows, self.results(rows), self.job)

    def __call__(self, rows) -> "pa.Table":
        return self.frame(as_frame(rows)).to_arrow()

    def schema(self, input_schema: "pa.Schema") -> "pa.Schema":
        """The output schema for an input schema (Spark's `mapInArrow` and Dask's `meta` need it first): the
        scorer's own output for one empty row of that schema."""
        import pyarrow as pa

        return self(pa.Table.from_pylist([{}], schema=input_schema)).schema


def as_frame(rows) -> pl.DataFrame:
    """An Arrow table or record batch, or a polars frame, as a polars frame (zero-copy where Arrow allows)."""
    if isinstance(rows, pl.DataFrame):
        return rows
    import pyarrow as pa

    if isinstance(rows, pa.RecordBatch):
        rows = pa.Table.from_batches([rows])
    if not isinstance(rows, pa.Table):
        raise TypeError(f"a scorer takes an Arrow table or record batch or a polars frame, not {type(rows).__name__}")
    return pl.from_arrow(rows, rechunk=False)


def batch_job(text_column: str = "text", id_column: str | None = None, party_columns: tuple[str, ...] = (),
              country_column: str | None = None, origin_column: str | None = None, parties_in_text: bool = False,
              db: str | Path | None = None, rules_dirs=(), lexicon=(), enable=(), disable=(),
              weights: dict[str, float] | None = None) -> BatchJob:
    """The job a scorer runs: its columns and how to build its screener (`load_screener`'s arguments)."""
    return BatchJob(text_column=text_column, id_column=id_column, party_columns=tuple(party_columns),
                    country_column=country_column, origin_column=origin_column, parties_in_text=parties_in_text,
                    screener=ScreenerSpec(db=db and str(db), rules_dirs=tuple(map(str, rules_dirs)),
                                          lexicons=tuple(map(str, lexicon)), enable=tuple(enable),
                                          disable=tuple(disable), weights=tuple(sorted((weights or {}).items())),
                                          parties=bool(party_columns or parties_in_text)))


@lru_cache(maxsize=4)
def scorer_for(job: BatchJob) -> TableScorer:
    """The process's scorer for `job`, built on first use: what a Spark or Dask task calls, so that each
    worker process builds its screener once, not once per partition."""
    return TableScorer(job)
