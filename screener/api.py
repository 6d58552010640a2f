"""The public Python API: load a screener once, then screen texts or score frames.

`load_screener` (screener/factory.py, public here) is the only way the package builds a screener (commands,
workers, tests alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import polars as pl

from screener.batch.job import BatchJob, ScreenerSpec
from screener.batch.scorer import TableScorer, as_frame  # noqa: F401 - public here
from screener.batch.scoring import score_chunk
from screener.engine import Screener
from screener.factory import configured_rules, extra_entries, load_screener
from screener.reference.build import ensure_built
from screener.reference.lookup import load_reference
from screener.results import Screening
from screener.rules.load import RuleSet



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
        """The setup of a screener already built: its store, versions, rules and list entries."""
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
    rules = configured_rules(rules_dirs, True, enable, disable, weights)
    if lexicon:
        reference_version = load_reference(path).with_entries(extra_entries(lexicon)).version
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
    """The screener of the bundled rules and the default store, built on first use and then kept."""
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
