"""Measure the screener against a labelled JSONL set: items (goods lines), articles, or party names.

A text counts as flagged when its band is `medium` or higher: that is the line between "worth a
compliance officer's look" and "ordinary". Per-category, per-language and per-trap figures show where
the misses are (and per-group ones for records that name a benchmark `group`); every miss is written out
with what was found.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from screener.engine import Screener
from screener.errors import InputError
from screener.score import BANDS

FLAG_FROM = BANDS.index("medium")


def _load(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not valid JSON ({exc.msg})") from exc
    if not rows:
        raise InputError(f"{path}: no records")
    return rows


def _prf(tp: int, fp: int, fn: int, tn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    fpr = fp / (fp + tn) if fp + tn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "fpr": round(fpr, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def _confusion(pairs: list[tuple[bool, bool]]) -> dict:
    tp = sum(1 for t, p in pairs if t and p)
    fp = sum(1 for t, p in pairs if not t and p)
    fn = sum(1 for t, p in pairs if t and not p)
    tn = sum(1 for t, p in pairs if not t and not p)
    return _prf(tp, fp, fn, tn)


def evaluate_dataset(screener: Screener, path: Path) -> tuple[dict, list[dict]]:
    """Metrics of the screener on a labelled JSONL file (goods lines, paragraphs or party names), and the misses."""
    rows = _load(Path(path))
    first = rows[0]
    if "name" in first and "listed" in first:
        return _parties(screener, Path(path))
    if "relevant" in first:
        return _binary(screener, rows, "relevant", "articles")
    if "controlled" in first:
        return _binary(screener, rows, "controlled", "items")
    raise InputError(f"{path}: records have neither 'controlled', 'relevant' nor 'name'/'listed' fields")


def _high_priority_coded(screener: Screener, code: str | None) -> bool:
    """Whether a record's HS code is a CHPL subheading; a code of an older HS edition is judged by its heading.

    Sets of real texts (customs rulings) often leave `controlled` unset: a ruling classifies goods, it does not
    judge export control. Such a record counts as positive when its code is high-priority, as those sets define.
    """
    digits = "".join(ch for ch in code or "" if ch.isdigit())[:6]
    if len(digits) < 6:
        return False
    if screener.reference.code_issue(digits) is not None:
        digits = digits[:4]
    return any(c["list"] == "CHPL" for c in screener.reference.controls_for(digits))


def _truth(screener: Screener, rec: dict, label: str) -> tuple[bool, str]:
    """The record's label and the group it is reported in."""
    value = rec.get(label)
    if value is None and label == "controlled":
        coded = _high_priority_coded(screener, rec.get("hs6") or rec.get("hs"))
        return coded, "(unjudged, high-priority code)" if coded else "(unjudged, other code)"
    return bool(value), rec.get("category") or ("(none)" if value else "(ordinary)")


def _binary(screener: Screener, rows: list[dict], label: str, kind: str) -> tuple[dict, list[dict]]:
    out = screener.score_frame([r["text"] for r in rows]).out
    results = out.to_dicts()
    pairs, by_cat, by_lang, by_trap = [], defaultdict(list), defaultdict(list), defaultdict(list)
    by_group = defaultdict(list)  # records that name a `group` (a benchmark group, e.g. sanctions-lists)
    misses, band_ok, band_n = [], 0, 0
    heading_hits = heading_n = sub_hits = sub_n = 0
    for rec, res in zip(rows, results):
        truth, group = _truth(screener, rec, label)
        flagged = BANDS.index(res["band"]) >= FLAG_FROM
        pairs.append((truth, flagged))
        by_cat[group].append((truth, flagged))
        by_lang[rec.get("lang") or rec.get("language") or "?"].append((truth, flagged))
        if rec.get("trap"):
            by_trap[rec["trap"]].append((truth, flagged))
        if rec.get("group"):
            by_group[rec["group"]].append((truth, flagged))
        if "band_min" in rec:
            band_n += 1
            band_ok += BANDS.index(rec["band_min"]) <= BANDS.index(res["band"]) <= BANDS.index(rec["band_max"])
        codes = [c for c in res["hs_codes"].split(";") if c]
        expected_hs = rec.get("hs6") or rec.get("hs")
        if truth and rec.get("names_goods", True) and expected_hs:
            heading_n += 1
            heading_hits += bool(codes) and codes[0][:4] == expected_hs[:4]
            if screener.reference.code_issue(expected_hs) is None:  # an older edition's code has no HS 2022 peer
                sub_n += 1
                sub_hits += expected_hs in codes[:3]
        if truth != flagged:
            misses.append({"id": rec.get("id"), "kind": "false_negative" if truth else "false_positive",
                           "text": rec["text"], "band": res["band"], "score": res["score"], "rules": res["rules"],
                           "goods": res["goods"], "hs_codes": res["hs_codes"], "expected_hs6": expected_hs})
    metrics = {"dataset": kind, "records": len(rows), "flag_from_band": BANDS[FLAG_FROM],
               "overall": _confusion(pairs),
               "per_category": {k: _confusion(v) for k, v in sorted(by_cat.items())},
               "per_language": {k: _confusion(v) for k, v in sorted(by_lang.items())},
               "per_trap": {k: _confusion(v) for k, v in sorted(by_trap.items())}}
    if by_group:
        metrics["per_group"] = {k: _confusion(v) for k, v in sorted(by_group.items())}
    if band_n:
        metrics["band_accuracy"] = round(band_ok / band_n, 4)
    if heading_n:
        metrics["hs_heading_top1"] = round(heading_hits / heading_n, 4)
        metrics["hs_items"] = heading_n
    if sub_n:
        metrics["hs_subheading_top3"] = round(sub_hits / sub_n, 4)
        metrics["hs_subheading_items"] = sub_n
    metrics["versions"] = screener.versions
    return metrics, misses


def _parties(screener: Screener, path: Path) -> tuple[dict, list[dict]]:
    if screener.parties is None:
        raise InputError("no sanctions lists in the store: import one with `screener reference import`")
    from screener.parties.evaluate import evaluate_parties

    metrics = evaluate_parties(path, screener.parties)
    missed = metrics.pop("misses") + [dict(x, kind="false_positive") for x in metrics.pop("false_positives")]
    metrics["dataset"] = "parties"
    return metrics, missed


def render_metrics(m: dict) -> str:
    """The metrics as the text `screener eval` prints."""
    lines = [f"{m.get('dataset', 'dataset')}: {m.get('records')} records"]
    o = m.get("overall", {})
    if o:
        lines.append(f"overall  precision {o['precision']:.3f}  recall {o['recall']:.3f}  F1 {o['f1']:.3f}  "
                     f"FPR {o['fpr']:.3f}  (tp {o['tp']} fp {o['fp']} fn {o['fn']} tn {o['tn']})")
    for key in ("band_accuracy", "hs_heading_top1", "hs_subheading_top3"):
        if key in m:
            lines.append(f"{key} {m[key]:.3f}")
    for section in ("per_group", "per_category", "per_language", "per_trap"):
        if m.get(section):
            lines.append(section.replace("_", " "))
            for k, v in m[section].items():
                lines.append(f"  {k:28} P {v['precision']:.2f} R {v['recall']:.2f} F1 {v['f1']:.2f} FPR {v['fpr']:.2f}"
                             f"  (tp {v['tp']} fp {v['fp']} fn {v['fn']} tn {v['tn']})")
    for k, v in m.items():
        shown = k not in ("overall", "per_group", "per_category", "per_language", "per_trap", "dataset", "records",
                          "versions", "band_accuracy", "hs_heading_top1", "hs_subheading_top3")
        if shown and not isinstance(v, (dict, list)):
            lines.append(f"{k}: {v}")
    return "\n".join(lines)


__all__ = ["evaluate_dataset", "render_metrics"]
