"""The only home of the scoring formula.

A fired rule of weight w (0–100) is read as independent evidence of risk with strength w/100.
1. Within a family (goods, destination, route, party, paperwork, article, combination) the rules
   combine as a noisy-OR, 1 − Π(1 − w/100), and the family's score is capped (a text that only
   mentions goods cannot reach the top of the range however many goods it names).
2. The families combine as a noisy-OR again. score = round(100 × (1 − Π_f (1 − s_f/100))).
So more independent evidence always scores more, similar evidence scores similarly, nothing adds
past 100, and the top of the range needs goods, destination and party evidence together.
3. The band is the highest band whose threshold the score reaches (thresholds are configurable).
"""

from __future__ import annotations

import polars as pl
from pydantic import BaseModel, ConfigDict, model_validator


BANDS = ("none", "low", "medium", "high", "critical")


class Scoring(BaseModel):
    """Band thresholds and family caps, from rules/scoring.yaml alone (no defaults here to drift from it):
    finite, bands increasing within 0-100, caps 0-100."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    bands: dict[str, float]
    family_caps: dict[str, float]

    @model_validator(mode="after")
    def _ordered(self) -> "Scoring":
        if set(self.bands) != set(BANDS[1:]):
            raise ValueError("bands must give thresholds for exactly low, medium, high, critical")
        values = [self.bands[b] for b in BANDS[1:]]
        if not (0 < values[0] and all(a < b for a, b in zip(values, values[1:])) and values[-1] <= 100):
            raise ValueError("band thresholds must increase from low to critical, above 0 and at most 100")
        bad = sorted(f for f, cap in self.family_caps.items() if not 0 <= cap <= 100)
        if bad:
            raise ValueError(f"family caps must be between 0 and 100: {', '.join(bad)}")
        return self

    def band_of(self, score: float) -> str:
        """The band a score reaches (`none` below the lowest threshold)."""
        band = "none"
        for name in BANDS[1:]:
            if score >= self.bands[name]:
                band = name
        return band

    def band_expr(self, score: pl.Expr) -> pl.Expr:
        """band_of as a polars expression."""
        out = pl.lit("none")
        for name in BANDS[1:]:
            out = pl.when(score >= self.bands[name]).then(pl.lit(name)).otherwise(out)
        return out


def family_score(weights: list[float], cap: float) -> float:
    """Noisy-OR of weights (0–100), capped."""
    keep = 1.0
    for w in weights:
        keep *= 1 - w / 100
    return min(cap, 100 * (1 - keep))


def combine(fired: list[tuple[str, float]], scoring: Scoring) -> tuple[int, dict[str, float]]:
    """Score of one text from its fired (family, weight) pairs; also each family's part."""
    families: dict[str, list[float]] = {}
    for family, weight in fired:
        families.setdefault(family, []).append(weight)
    parts = {f: family_score(ws, scoring.family_caps.get(f, 100)) for f, ws in families.items()}
    keep = 1.0
    for s in parts.values():
        keep *= 1 - s / 100
    return round(100 * (1 - keep) + 1e-9), parts


def score_expr(rule_cols: list[tuple[str, str, float]], scoring: Scoring) -> pl.Expr:
    """The same formula as a polars expression over boolean rule columns (name, family, weight)."""
    by_family: dict[str, list[pl.Expr]] = {}
    for col, family, weight in rule_cols:
        by_family.setdefault(family, []).append(1 - pl.col(col).cast(pl.Float64) * (weight / 100))
    keep_all = pl.lit(1.0)
    for family, factors in by_family.items():
        keep = factors[0]
        for f in factors[1:]:
            keep = keep * f
        part = pl.min_horizontal(100 * (1 - keep), pl.lit(scoring.family_caps.get(family, 100.0)))
        keep_all = keep_all * (1 - part / 100)
    return (100 * (1 - keep_all) + 1e-9).round(0).cast(pl.Int64)
