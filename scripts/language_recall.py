"""Recall per language on tests/data/language_lines.yaml: goods (an expected entry found) and places.

    python scripts/language_recall.py            # a table; --json for the figures as JSON

A line counts as found when any of its `expect` entries is among the goods the screener finds (the same
`screen` as `screener screen`), and its place when `place` is among the places found.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screener.api import load_screener  # noqa: E402
from screener.screen import screens  # noqa: E402

LINES = ROOT / "tests" / "data" / "language_lines.yaml"


def recall(screener, lines: dict[str, list[dict]]) -> dict[str, dict]:
    """{lang: {lines, goods_recall, places_recall, misses}} for the lines of each language."""
    out = {}
    for lang, items in lines.items():
        results = screens(screener, [i["text"] for i in items])
        found_goods = found_places = with_place = 0
        misses = []
        for item, res in zip(items, results):
            ids = {g.entry_id for g in res.goods}
            codes = {c.code for c in res.countries}
            ok = bool(ids & set(item["expect"]))
            found_goods += ok
            if "place" in item:
                with_place += 1
                found_places += item["place"] in codes
            if not ok or ("place" in item and item["place"] not in codes):
                misses.append({"text": item["text"], "goods": sorted(ids), "places": sorted(codes)})
        out[lang] = {"lines": len(items), "goods_recall": round(found_goods / len(items), 3),
                     "places_recall": round(found_places / with_place, 3) if with_place else None,
                     "languages_detected": sorted({r.language for r in results}), "misses": misses}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--misses", action="store_true", help="list the lines with a miss")
    args = ap.parse_args()
    figures = recall(load_screener(), yaml.safe_load(LINES.read_text(encoding="utf-8")))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    print("| language | lines | goods recall | places recall | detected as |")
    print("|---|---|---|---|---|")
    for lang, f in figures.items():
        print(f"| {lang} | {f['lines']} | {f['goods_recall']:.3f} | {f['places_recall']:.3f} | "
              f"{', '.join(f['languages_detected'])} |")
    if args.misses:
        for lang, f in figures.items():
            for m in f["misses"]:
                print(lang, m)


if __name__ == "__main__":
    main()
