"""The tuning and check parts of our benchmarks, measured in one run and shown side by side.

The tuning part is what the lexicon and rules are tuned on; the check part was written first, from other
sources, and nobody tunes on it (benchmarks/data/README.md, "Tuning vs check"). The figure we watch is the
gap between the two: a lexicon that learns its benchmark rather than the trade shows a large gap.
"""

from __future__ import annotations

from pathlib import Path

from screener.engine import Screener
from screener.errors import InputError
from screener.evaluate import _binary, _load

# Which files make up each part, relative to the data folder (benchmarks/data).
SPLITS: dict[str, dict[str, tuple[str, ...]]] = {
    "tuning": {"items": ("items.jsonl", "sanctions_items.jsonl"),
               "articles": ("articles.jsonl", "sanctions_articles.jsonl")},
    "check": {"items": ("check/items.jsonl",), "articles": ("check/articles.jsonl",)},
}
# The languages issue 19 adds; each is reported on its own goods lines.
NEW_LANGUAGES = ("ko", "ja", "it", "fr", "es", "tr", "ar", "fa")
# Targets of issue 19 on the check part (a figure, its comparison and its bound).
TARGETS = {"goods_recall": (">=", 0.93), "goods_fpr": ("<=", 0.05), "hs_heading_top1": (">=", 0.85),
           "articles_f1": (">=", 0.93), "language_recall": (">=", 0.85)}
FIGURES = ("goods_recall", "goods_precision", "goods_fpr", "hs_heading_top1", "articles_recall",
           "articles_precision", "articles_fpr", "articles_f1")


def default_data_dir() -> Path:
    """benchmarks/data of the source tree the package runs from, else of the working directory."""
    here = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
    return here if here.is_dir() else Path.cwd() / "benchmarks" / "data"


def _rows(data_dir: Path, names: tuple[str, ...], split: str) -> list[dict]:
    rows = []
    for name in names:
        path = data_dir / name
        if not path.is_file():
            raise InputError(f"{path}: missing (the {split} part needs it)")
        rows += [dict(r, split=split, file=name) for r in _load(path)]
    return rows


def _summary(items: dict, articles: dict) -> dict:
    o, a = items["overall"], articles["overall"]
    langs = {}
    for lang in NEW_LANGUAGES:
        m = items["per_language"].get(lang)
        n = (m["tp"] + m["fn"]) if m else 0
        langs[lang] = {"recall": m["recall"] if n else None, "positives": n}
    return {"goods_records": items["records"], "goods_recall": o["recall"], "goods_precision": o["precision"],
            "goods_fpr": o["fpr"], "hs_heading_top1": items.get("hs_heading_top1"),
            "articles_records": articles["records"], "articles_recall": a["recall"],
            "articles_precision": a["precision"], "articles_fpr": a["fpr"], "articles_f1": a["f1"],
            "language_recall": langs}


def evaluate_splits(screener: Screener, data_dir: Path | None = None) -> tuple[dict, list[dict]]:
    """Metrics of each part, the tuning − check gap of each figure, and every miss tagged with its part."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    parts, misses, detail = {}, [], {}
    for split, files in SPLITS.items():
        items, item_misses = _binary(screener, _rows(data_dir, files["items"], split), "controlled", "items")
        articles, art_misses = _binary(screener, _rows(data_dir, files["articles"], split), "relevant", "articles")
        parts[split] = _summary(items, articles)
        detail[split] = {"items": items, "articles": articles}
        misses += [dict(m, split=split, dataset="items") for m in item_misses]
        misses += [dict(m, split=split, dataset="articles") for m in art_misses]
    tuning, check = parts["tuning"], parts["check"]
    gap = {k: _minus(tuning[k], check[k]) for k in FIGURES}
    gap["language_recall"] = {lang: _minus(tuning["language_recall"][lang]["recall"],
                                           check["language_recall"][lang]["recall"]) for lang in NEW_LANGUAGES}
    metrics = {"dataset": "splits", "data_dir": str(data_dir), "files": SPLITS, "tuning": tuning, "check": check,
               "gap": gap, "check_targets": _targets(check), "detail": detail, "versions": screener.versions}
    return metrics, misses


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 4)


def _meets(value: float | None, target: tuple[str, float]) -> bool:
    op, bound = target
    return value is not None and (value >= bound if op == ">=" else value <= bound)


def _targets(check: dict) -> dict:
    """Whether each issue-19 target holds on the check part."""
    out = {k: {"target": f"{op} {bound}", "value": check[k], "met": _meets(check[k], (op, bound))}
           for k, (op, bound) in TARGETS.items() if k != "language_recall"}
    op, bound = TARGETS["language_recall"]
    for lang in NEW_LANGUAGES:
        value = check["language_recall"][lang]["recall"]
        out[f"recall_{lang}"] = {"target": f"{op} {bound}", "value": value, "met": _meets(value, (op, bound))}
    return out


def _cell(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.3f}"


def _gap_cell(value: float | None) -> str:
    return "     -" if value is None else f"{value:+6.3f}"


def render_splits(m: dict) -> str:
    """A plain table: one row per figure, the tuning and check columns, their gap and the check target."""
    t, c, g, targets = m["tuning"], m["check"], m["gap"], m["check_targets"]
    lines = [f"tuning vs check ({m['data_dir']}); gap = tuning - check",
             f"goods lines: tuning {t['goods_records']}, check {c['goods_records']}; "
             f"paragraphs: tuning {t['articles_records']}, check {c['articles_records']}",
             f"{'figure':24} {'tuning':>7} {'check':>7} {'gap':>7}  check target"]

    def row(label: str, tv, cv, gv, key: str | None) -> None:
        target = ""
        if key in targets:
            target = f"{targets[key]['target']:7} {'met' if targets[key]['met'] else 'NOT met'}"
        lines.append(f"{label:24} {_cell(tv):>7} {_cell(cv):>7} {_gap_cell(gv):>7}  {target}".rstrip())

    for key in FIGURES:
        row(key.replace("_", " "), t[key], c[key], g[key], key)
    lines.append("goods recall per language (positives tuning / check)")
    for lang in NEW_LANGUAGES:
        tl, cl = t["language_recall"][lang], c["language_recall"][lang]
        row(f"  {lang} ({tl['positives']} / {cl['positives']})", tl["recall"], cl["recall"],
            g["language_recall"][lang], f"recall_{lang}")
    return "\n".join(lines)
