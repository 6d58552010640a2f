"""The public Python API: load a screener once, then screen texts or score frames."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

from screener.batch import score_chunk
from screener.engine import Screener
from screener.lexicon.load import lexicon_files, load_entries
from screener.reference.build import ensure_built
from screener.reference.lookup import load_reference
from screener.reference.paths import rules_dir
from screener.results import Screening
from screener.rules.load import load_rules


def load_screener(db: str | Path | None = None, rules_dirs: tuple[Path, ...] = (), lexicon: tuple[Path, ...] = (),
                  bundled_rules: bool = True, parties: bool = True) -> Screener:
    """Reference data from the store (built when missing or stale), bundled plus extra rules and lexicon."""
    ref = load_reference(db)
    if lexicon:
        ref = ref.with_entries(load_entries(lexicon_files(*lexicon)))
    dirs = ((rules_dir(),) if bundled_rules else ()) + tuple(Path(d) for d in rules_dirs)
    screener = Screener(ref, load_rules(*dirs))
    if parties:
        from screener.parties_bridge import load_party_matcher

        screener.parties = load_party_matcher(ref.db_path)
    return screener


def check_setup(db: str | Path | None = None, rules_dirs: tuple[Path, ...] = (), lexicon: tuple[Path, ...] = ()) -> Path:
    """Everything `load_screener` would fail on, without compiling a screener; returns the store's path.

    Worker processes each load their own screener; the main process only builds the store if it is
    stale (once, before the workers start) and checks the rules and lexicon extension, so a bad rule
    still fails at once with one line, and the main process spends no time or memory on a screener.
    """
    path = ensure_built(db)
    load_rules(rules_dir(), *(Path(d) for d in rules_dirs))
    if lexicon:
        load_reference(path).with_entries(load_entries(lexicon_files(*lexicon)))
    return path


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
                party_columns: tuple[str, ...] = (), country_column: str | None = None) -> pl.DataFrame:
    """Pure function: the frame's columns plus score, band, hs_codes, controls, goods, rules, error.

    This is the unit a distributed engine (Spark, Ray, Dask) would call once per partition.
    """
    return score_chunk(screener or default_screener(), df, text_column, party_columns, country_column)
