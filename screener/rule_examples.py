"""Run every rule's own examples through a screener: each `fire` text must fire the rule, each `silent` text must
not (`screener rules test`; it runs the engine, so it sits above rules/ and engine.py)."""

from __future__ import annotations

from dataclasses import dataclass

from screener.engine import Screener


@dataclass(frozen=True)
class ExampleResult:
    """One example of a rule, and whether it fired."""

    rule_id: str
    expect: str          # fire | silent
    text: str
    fired: bool

    @property
    def ok(self) -> bool:
        """Whether the rule did what the example expects."""
        return self.fired == (self.expect == "fire")


def run_examples(screener: Screener, only: set[str] | None = None) -> list[ExampleResult]:
    """All examples of all (or the named) rules, scored in one frame."""
    cases = [(r.rule.id, expect, text) for r in screener.rules.rules if not only or r.rule.id in only
             for expect, texts in (("fire", r.rule.examples.fire), ("silent", r.rule.examples.silent))
             for text in texts]
    if not cases:
        return []
    out = screener.score_frame([c[2] for c in cases]).out
    fired = [set(x.split(";")) for x in out["rules"].to_list()]
    return [ExampleResult(rid, expect, text, rid in f) for (rid, expect, text), f in zip(cases, fired)]
