"""The *check* part of the goods and article benchmarks (benchmarks/data/check/): schema, label rules,
composition floors, list tags against the upstream list files, and that no text shares an 8-word sequence
with the development set or with the tuning part (in either direction: the tuning files may not borrow
from the check files either).

The check part judges generalisation, so it is written from other sources than the tuning part and nobody
tunes on it (benchmarks/data/README.md, "Tuning vs check").
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from screener.lexicon.model import CATEGORIES
from test_benchmark_data import BANDS, DESTINATION, HUBS, LIST_TAG, SANCTIONED, _ngrams

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
CHECK = DATA / "check"
TUNING = ("items.jsonl", "articles.jsonl", "sanctions_items.jsonl", "sanctions_articles.jsonl")
KINDS = {"shipment", "invoice", "catalogue", "ruling", "declaration", "news", "listing", "regulation"}
ITEM_FIELDS = {"id", "text", "kind", "lang", "controlled", "category", "hs6", "heading", "lists", "band_min",
               "band_max", "names_goods", "destination", "trap", "note", "source"}
ARTICLE_FIELDS = {"id", "text", "relevant", "goods", "lang", "note", "source"}
NEW_LANGS = ("ko", "ja", "it", "fr", "es", "tr", "ar", "fa")


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return _load(CHECK / "items.jsonl")


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return _load(CHECK / "articles.jsonl")


def _rank(band: str) -> int:
    return BANDS.index(band)


def test_item_schema(items):
    errors = []
    for r in items:
        if set(r) != ITEM_FIELDS:
            errors.append(f"{r.get('id')}: fields {sorted(set(r) ^ ITEM_FIELDS)}")
            continue
        ok = (re.fullmatch(r"check-item-\d{4}", r["id"]) and r["kind"] in KINDS
              and re.fullmatch(r"[a-z]{2}", r["lang"]) and isinstance(r["controlled"], bool)
              and (r["category"] is None or r["category"] in CATEGORIES)
              and (r["hs6"] is None or (re.fullmatch(r"\d{6}", r["hs6"]) and r["heading"] == r["hs6"][:4]))
              and (r["hs6"] is not None or r["heading"] is None)
              and r["band_min"] in BANDS and r["band_max"] in BANDS and _rank(r["band_min"]) <= _rank(r["band_max"])
              and all(isinstance(t, str) and LIST_TAG.match(t) for t in r["lists"])
              and len(set(r["lists"])) == len(r["lists"]) and (r["hs6"] or not r["lists"])
              and (r["destination"] is None or DESTINATION.match(r["destination"]))
              and isinstance(r["names_goods"], bool) and isinstance(r["note"], str)
              and isinstance(r["source"], str) and r["source"].strip() and r["text"].strip())
        if not ok:
            errors.append(f"{r['id']}: malformed")
    assert not errors, errors[:20]
    assert len({r["id"] for r in items}) == len(items)
    assert len({r["text"].strip() for r in items}) == len(items)


def test_item_label_rules(items):
    """The borderline rules of benchmarks/data/README.md, applied as for the tuning part."""
    errors = []
    for r in items:
        lo, hi = _rank(r["band_min"]), _rank(r["band_max"])
        if r["controlled"]:
            floor = "high" if r["destination"] in SANCTIONED | HUBS else "medium"
            if r["category"] in (None, "vague") or r["trap"] or not r["names_goods"] or not r["hs6"]:
                errors.append(f"{r['id']}: a positive names its goods, with a category and an hs6, and no trap")
            if lo != _rank(floor) or hi != _rank("critical"):
                errors.append(f"{r['id']}: positive band {r['band_min']}..{r['band_max']} (floor {floor})")
        else:
            if r["category"] is not None or not r["trap"] or hi > _rank("low"):
                errors.append(f"{r['id']}: a negative needs a trap tag, no category, band at most low")
            if any(t.startswith("CHPL") for t in r["lists"]):
                errors.append(f"{r['id']}: negative in a CHPL subheading")
    assert not errors, errors[:20]


def test_article_schema(articles):
    errors = []
    for r in articles:
        if set(r) != ARTICLE_FIELDS:
            errors.append(f"{r.get('id')}: fields {sorted(set(r) ^ ARTICLE_FIELDS)}")
            continue
        ok = (re.fullmatch(r"check-art-\d{3}", r["id"]) and isinstance(r["relevant"], bool)
              and 100 <= len(r["text"]) <= 1500 and re.fullmatch(r"[a-z]{2}", r["lang"])
              and all(isinstance(g, str) and g.strip() for g in r["goods"]) and (r["goods"] or not r["relevant"])
              and isinstance(r["source"], str) and r["source"].strip() and isinstance(r["note"], str))
        if not ok:
            errors.append(f"{r['id']}: malformed")
    assert not errors, errors[:20]
    assert len({r["id"] for r in articles}) == len(articles)
    assert len({r["text"].strip() for r in articles}) == len(articles)


def test_composition(items, articles):
    """Floors of issue 19 item 6: ≥ 300 goods lines (≥ 200 positives, ≥ 100 hard negatives), ≥ 15 lines with
    ≥ 15 positives in each new language, ≥ 60 paragraphs about half relevant, several source kinds."""
    positives = [r for r in items if r["controlled"]]
    assert len(items) >= 300 and len(positives) >= 200 and len(items) - len(positives) >= 100
    per_lang = Counter(r["lang"] for r in positives)
    for lang in NEW_LANGS:
        assert per_lang[lang] >= 15, lang
        assert any(not r["controlled"] and r["lang"] == lang for r in items), lang
    for lang in ("en", "ru", "de", "zh"):
        assert per_lang[lang] >= 5, lang
    assert {"cbp-ruling", "eu-bti", "doj-press", "manifest", "invoice", "cn-nomenclature"} <= {r["source"] for r in items}
    traps = Counter(r["trap"] for r in items if not r["controlled"])
    for trap in ("entertainment", "pet-microchip", "potato-chips", "car-industry", "battlefield", "company-name",
                 "look-alike"):
        assert traps[trap] >= 5, trap
    relevant = sum(r["relevant"] for r in articles)
    assert len(articles) >= 60 and 0.40 <= relevant / len(articles) <= 0.60
    art_langs = Counter(r["lang"] for r in articles)
    assert all(art_langs[lang] >= 2 for lang in NEW_LANGS)


def test_customs_layouts_of_codes_are_present(items):
    """The check part must exercise codes as the CN, TARIC and HTSUS print them."""
    texts = [r["text"] for r in items]
    layouts = {
        "CN 8 with spaces": r"\b\d{4} \d{2} \d{2}\b(?! \d{2})",
        "TARIC 10 with spaces": r"\b\d{4} \d{2} \d{2} \d{2}\b",
        "HTSUS 10 with dots": r"\b\d{4}\.\d{2}\.\d{4}\b",
        "HS 6 with a dot": r"\b\d{4}\.\d{2}\b(?!\.)",
    }
    for name, pattern in layouts.items():
        assert sum(bool(re.search(pattern, t)) for t in texts) >= 1, name


SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is absent")
def test_codes_and_lists_follow_the_upstream_files(items):
    with (SOURCES / "hs" / "harmonized-system.csv").open(encoding="utf-8-sig") as fh:
        codes = {r["hscode"] for r in csv.DictReader(fh) if r["level"] == "6"}
    with (SOURCES / "chpl" / "chpl.csv").open(encoding="utf-8") as fh:
        chpl = {r["hs6"]: r["tier"] for r in csv.DictReader(fh)}
    with (SOURCES / "chpl" / "eu_annex_xl_2023_2878.csv").open(encoding="utf-8") as fh:
        xl = {r["hs6"] for r in csv.DictReader(fh)}
    with (SOURCES / "eu_833_2014" / "eu_833_2014_annexes_reg_2023_2878.csv").open(encoding="utf-8") as fh:
        annex_rows = [r for r in csv.DictReader(fh) if r["annex"] != "XL"]
    errors = []
    for r in items:
        hs6 = r["hs6"]
        if not hs6:
            continue
        if hs6 not in codes:
            errors.append(f"{r['id']}: {hs6} is not an HS 2022 subheading")
        required, allowed = set(), set()
        if hs6 in chpl:
            required.add(f"CHPL:{chpl[hs6]}")
        if hs6 in xl:
            required.add("EU833-XL")
        for row in annex_rows:
            code, tag = row["code_digits"], f"EU833-{row['annex']}"
            if len(code) <= 6 and hs6.startswith(code):
                (allowed if row["ex"] == "1" else required).add(tag)
        got = set(r["lists"])
        if not required <= got or not got <= required | allowed:
            errors.append(f"{r['id']} {hs6}: lists {sorted(got)}, expected {sorted(required)}")
    assert not errors, errors[:20]


def _grams(records: list[dict]) -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for r in records:
        for gram in _ngrams(r["text"]):
            out.setdefault(gram, r.get("id", "?"))
    return out


def test_no_eight_word_overlap_with_the_tuning_part(items, articles):
    """Both ways: a check text shares no 8-word sequence with any tuning text, so neither side was written
    from the other (the n-gram intersection is symmetric; the test names the record on each side)."""
    tuning = _grams([r for name in TUNING for r in _load(DATA / name)])
    check = _grams(items + articles)
    shared = sorted(set(tuning) & set(check))
    assert [(check[g], tuning[g], " ".join(g)) for g in shared[:10]] == []


@pytest.mark.skipif(not (SOURCES.parent / "examples").is_dir(), reason="../shared/examples is absent")
def test_no_eight_word_overlap_with_the_dev_set(items, articles):
    dev = _grams([r for path in sorted((SOURCES.parent / "examples").glob("dev_*.jsonl")) for r in _load(path)])
    assert dev, "no dev texts read"
    check = _grams(items + articles)
    shared = sorted(set(dev) & set(check))
    assert [(check[g], dev[g], " ".join(g)) for g in shared[:10]] == []
