"""Rule configuration: only some rules, not others, other weights — applied to a loaded RuleSet.

The modified set's version hash covers the overrides, so a report names the rules exactly as they were applied.
"""

from __future__ import annotations

import hashlib
import json

from screener.errors import RuleError
from screener.rules.load import LoadedRule, RuleSet


def apply_rule_config(rules: RuleSet, enable: list[str] = (), disable: list[str] = (),
                      weights: dict[str, float] | None = None) -> RuleSet:
    """A RuleSet with only `enable` (when given), without `disable`, and with weight overrides applied.

    Unknown rule ids are an error (a typo must not silently keep a rule on). Aliases are accepted.
    """
    weights = dict(weights or {})
    by_id = rules.by_id()
    unknown = sorted({r for r in [*enable, *disable, *weights] if r not in by_id})
    if unknown:
        raise RuleError(f"unknown rule id(s) in configuration: {', '.join(unknown)}")
    bad = sorted(r for r, w in weights.items() if not 0 <= w <= 100)
    if bad:
        raise RuleError(f"weight must be between 0 and 100 for rule(s): {', '.join(bad)}")
    keep_ids = {by_id[r].rule.id for r in enable} if enable else {r.rule.id for r in rules.rules}
    keep_ids -= {by_id[r].rule.id for r in disable}
    new_weights = {by_id[r].rule.id: float(w) for r, w in weights.items()}
    out = []
    for loaded in rules.rules:
        if loaded.rule.id not in keep_ids:
            continue
        if loaded.rule.id in new_weights:
            loaded = LoadedRule(loaded.rule.model_copy(update={"weight": new_weights[loaded.rule.id]}),
                                loaded.node, loaded.path)
        out.append(loaded)
    if not (enable or disable or weights):
        return rules
    overrides = json.dumps({"enable": sorted(keep_ids), "weights": new_weights}, sort_keys=True)
    version = hashlib.sha256(f"{rules.version}\0{overrides}".encode()).hexdigest()
    return RuleSet(tuple(out), rules.scoring, version)
