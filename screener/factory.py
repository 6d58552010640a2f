"""Build a screener: reference data from the store, bundled and extra rules with their configuration, extra
lexicon entries, party lists.

The one factory (public as `screener.api.load_screener`). It lives below `screener.batch`, whose worker
processes call it through `ScreenerSpec.load`, and below `screener.api`, which also drives batches.
"""

from __future__ import annotations

from pathlib import Path

from screener.engine import Screener
from screener.errors import InputError
from screener.lexicon.load import lexicon_files, load_entries
from screener.reference.lookup import load_reference
from screener.reference.paths import rules_dir
from screener.rules.load import RuleSet, load_rules
from screener.rules.selection import apply_rule_config


def configured_rules(rules_dirs, bundled_rules: bool, enable, disable, weights) -> RuleSet:
    """The bundled rules (unless not wanted) and those of `rules_dirs`, with the rule configuration applied."""
    for p in rules_dirs:
        if not Path(p).is_dir():
            raise InputError(f"{p}: rules folder does not exist")
    dirs = ((rules_dir(),) if bundled_rules else ()) + tuple(Path(d) for d in rules_dirs)
    return apply_rule_config(load_rules(*dirs), list(enable), list(disable), dict(weights or {}))


def extra_entries(lexicon) -> list:
    """The lexicon entries of the user's files and folders (each must exist)."""
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
        ref = ref.with_entries(extra_entries(lexicon))
    screener = Screener(ref, configured_rules(rules_dirs, bundled_rules, enable, disable, weights))
    if parties:
        from screener.parties_bridge import load_party_matcher

        screener.parties = load_party_matcher(ref.db_path)
    return screener
