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


def _rates(pairs: list[tuple[bool, bool]]) -> dict:
    """recall, false-positive rate and counts of (listed, found) pairs."""
    tp = sum(1 for t, f in pairs if t and f)
    fn = sum(1 for t, f in pairs if t and not f)
    fp = sum(1 for t, f in pairs if not t and f)
    tn = sum(1 for t, f in pairs if not t and not f)
    return {"recall": tp / (tp + fn) if tp + fn else None, "false_positive_rate": fp / (fp + tn) if fp + tn else None,
            "tp": tp, "fn": fn, "fp": fp, "tn": tn}


def decisions(records: list[dict], matcher) -> list[tuple[bool, bool]]:
    """Per record: (found as a match, found as a match or review): the expected entry for a listed record,
    anything for one that is not listed. The record's `country`, when it has one, is the party's country."""
    results = matcher.match_names([r["name"] for r in records], countries=[r.get("country") for r in records])
    out = []
    for rec, matches in zip(records, results):
        want = set(rec.get("expected") or ())
        hits = [m for m in matches if m.ref in want] if rec["listed"] else matches
        out.append((any(m.tier == "match" for m in hits), bool(hits)))
    return out


def evaluate_parties(dataset_path: str | Path, matcher) -> dict:
    """Run `matcher.match_names` over the dataset; recall and FPR of the match tier and of match-or-review, per
    kind and per split (`tune`, `check`), and the misses and false positives with their evidence."""
    records = load_dataset(dataset_path)
    results = matcher.match_names([r["name"] for r in records], countries=[r.get("country") for r in records])
    groups: dict[str, dict[str, int]] = defaultdict(lambda: {"n": 0, "ok": 0})
    misses, false_positives = [], []
    pairs, review_pairs = [], []
    by_split: dict[str, list] = defaultdict(list)
    for rec, matches in zip(records, results):
        want = set(rec.get("expected") or ())
        hits = [m for m in matches if m.ref in want] if rec["listed"] else matches
        found = any(m.tier == "match" for m in hits)
        pairs.append((rec["listed"], found))
        review_pairs.append((rec["listed"], bool(hits)))
        by_split[rec.get("split", "tune")].append((rec["listed"], found))
        g = groups[rec.get("kind", "?")]
        g["n"] += 1
        g["ok"] += found == rec["listed"]
        if rec["listed"] and not found:
            misses.append({"id": rec.get("id"), "name": rec["name"], "expected": rec["expected"],
                           "got": [f"{m.ref} {m.tier} {m.score} {m.held_by}" for m in matches[:3]]})
        elif not rec["listed"] and found:
            best = matches[0]
            false_positives.append({"id": rec.get("id"), "name": rec["name"], "got": best.ref,
                                    "alias": best.alias, "score": best.score, "tokens": list(best.tokens),
                                    "extra": list(best.extra), "features": dict(best.features)})
    main = _rates(pairs)
    tp, fp = main["tp"], main["fp"]
    review = _rates(review_pairs)
    return {
        "dataset": str(dataset_path), "records": len(records),
        "recall": main["recall"], "precision": tp / (tp + fp) if tp + fp else None,
        "false_positive_rate": main["false_positive_rate"],
        "tp": tp, "fn": main["fn"], "fp": fp, "tn": main["tn"],
        "review_recall": review["recall"], "review_false_positive_rate": review["false_positive_rate"],
        "splits": {k: {m: v[m] for m in ("recall", "false_positive_rate", "tp", "fn", "fp", "tn")}
                   for k, v in ((k, _rates(p)) for k, p in sorted(by_split.items()))},
        "groups": dict(groups), "misses": misses, "false_positives": false_positives,
        "threshold": getattr(matcher, "threshold", None), "review_threshold": getattr(matcher, "review", None),
    }
