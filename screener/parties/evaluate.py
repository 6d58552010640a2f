"""Party benchmark: recall on listed names, false-positive rate on names that are not listed.

Dataset: JSON lines `{id, name, listed, expected: ["LIST:ID", ...], kind, note}`. A listed record is found when
any expected ref is among the matches; a not-listed record is a false positive when anything matches.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from screener.errors import InputError


def load_dataset(path: str | Path) -> list[dict]:
    """Read and check the benchmark records (one-line InputError on a bad record)."""
    records = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {n}: {exc.msg}") from None
            if not isinstance(rec.get("name"), str) or not isinstance(rec.get("listed"), bool):
                raise InputError(f"{path}: line {n}: needs a string name and a boolean listed")
            if rec["listed"] and not rec.get("expected"):
                raise InputError(f"{path}: line {n}: a listed record needs expected refs")
            records.append(rec)
    return records


def evaluate_parties(dataset_path: str | Path, matcher) -> dict:
    """Run `matcher.match_names` over the dataset; return recall, precision, FPR, per-kind counts and misses."""
    records = load_dataset(dataset_path)
    results = matcher.match_names([r["name"] for r in records])
    tp = fn = fp = tn = 0
    groups: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "ok": 0})
    misses, false_positives = [], []
    for rec, matches in zip(records, results):
        refs = {m.ref for m in matches}
        g = groups[rec.get("kind", "?")]
        g["n"] += 1
        if rec["listed"]:
            if refs & set(rec["expected"]):
                tp += 1
                g["ok"] += 1
            else:
                fn += 1
                misses.append({"id": rec.get("id"), "name": rec["name"], "expected": rec["expected"],
                               "got": sorted(refs)[:5]})
        elif matches:
            fp += 1
            best = matches[0]
            false_positives.append({"id": rec.get("id"), "name": rec["name"], "got": best.ref,
                                    "alias": best.alias, "score": best.score, "tokens": list(best.tokens)})
        else:
            tn += 1
            g["ok"] += 1
    return {
        "dataset": str(dataset_path), "records": len(records),
        "recall": tp / (tp + fn) if tp + fn else None,
        "precision": tp / (tp + fp) if tp + fp else None,
        "false_positive_rate": fp / (fp + tn) if fp + tn else None,
        "tp": tp, "fn": fn, "fp": fp, "tn": tn,
        "groups": dict(groups), "misses": misses, "false_positives": false_positives,
        "threshold": getattr(matcher, "threshold", None),
    }
