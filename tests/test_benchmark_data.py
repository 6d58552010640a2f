"""Checks for the team-written evaluation sets in benchmarks/data/.

`screener eval` measures goods detection on items.jsonl and article relevance on
articles.jsonl, so a malformed or mislabelled record silently skews every
figure. These tests pin the schema, the label rules written in
benchmarks/data/README.md, the composition floors, consistency of `lists` with
the upstream list files, and that no text was lifted from the development set
in ../shared/examples (a separate held-out set judges the work).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
SHARED = ROOT / ".." / "shared"

BANDS = ["none", "low", "medium", "high", "critical"]
KINDS = {"shipment", "invoice", "catalogue", "ruling", "declaration", "news", "listing"}
CATEGORIES = {
    "microelectronics", "passive_components", "discrete_semiconductors", "connectors", "bearings",
    "machine_tools", "navigation", "optics", "test_equipment", "semiconductor_equipment", "uav",
    "telecom", "computing", "aerospace", "energetics", "munitions", "chemicals", "materials",
    "nuclear", "vehicles", "industrial", "luxury", "dual_use_generic", "vague",
}
ITEM_FIELDS = {
    "id": str, "text": str, "kind": str, "lang": str, "controlled": bool, "category": (str, type(None)),
    "hs6": (str, type(None)), "heading": (str, type(None)), "lists": list, "band_min": str,
    "band_max": str, "names_goods": bool, "destination": (str, type(None)), "trap": (str, type(None)),
    "note": str,
}
ARTICLE_FIELDS = {"id": str, "text": str, "relevant": bool, "goods": list, "lang": str, "note": str}
LIST_TAG = re.compile(r"^(CHPL:(1|2|3A|3B|4A|4B)|EU833-(XL|XXIII|XXIIIA|XXIIIB|XXXVII))$")
DESTINATION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
SANCTIONED = {"RU", "BY", "IR", "KP", "SY", "CU", "UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65"}
HUBS = {"KZ", "KG", "AM", "GE", "AE", "TR", "HK", "UZ", "TJ", "AZ", "RS", "MN"}


def _load(name: str) -> list[dict]:
    path = DATA / name
    records = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            assert line.strip(), f"{name}:{n}: blank line"
            records.append(json.loads(line))
    return records


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return _load("items.jsonl")


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return _load("articles.jsonl")


def _rank(band: str) -> int:
    return BANDS.index(band)


# ---------------------------------------------------------------- schema


def _check_fields(rec: dict, fields: dict) -> list[str]:
    errors = []
    if set(rec) != set(fields):
        errors.append(f"{rec.get('id')}: fields {sorted(set(rec) ^ set(fields))} missing or unexpected")
    for key, typ in fields.items():
        if key in rec and not isinstance(rec[key], typ):
            errors.append(f"{rec.get('id')}: {key} has type {type(rec[key]).__name__}")
    return errors


def test_item_schema(items):
    errors = []
    for rec in items:
        errors += _check_fields(rec, ITEM_FIELDS)
        if errors:
            continue
        rid = rec["id"]
        if not re.fullmatch(r"item-\d{4}", rid):
            errors.append(f"{rid}: bad id")
        if rec["kind"] not in KINDS:
            errors.append(f"{rid}: kind {rec['kind']}")
        if not re.fullmatch(r"[a-z]{2}", rec["lang"]):
            errors.append(f"{rid}: lang {rec['lang']}")
        if rec["category"] is not None and rec["category"] not in CATEGORIES:
            errors.append(f"{rid}: category {rec['category']}")
        if rec["hs6"] is not None and not re.fullmatch(r"\d{6}", rec["hs6"]):
            errors.append(f"{rid}: hs6 {rec['hs6']!r}")
        if rec["heading"] is not None and not re.fullmatch(r"\d{4}", rec["heading"]):
            errors.append(f"{rid}: heading {rec['heading']!r}")
        if rec["hs6"] and rec["heading"] != rec["hs6"][:4]:
            errors.append(f"{rid}: heading {rec['heading']} != hs6[:4]")
        if rec["band_min"] not in BANDS or rec["band_max"] not in BANDS:
            errors.append(f"{rid}: band {rec['band_min']}..{rec['band_max']}")
        elif _rank(rec["band_min"]) > _rank(rec["band_max"]):
            errors.append(f"{rid}: band_min above band_max")
        if any(not (isinstance(t, str) and LIST_TAG.match(t)) for t in rec["lists"]):
            errors.append(f"{rid}: lists {rec['lists']}")
        if len(set(rec["lists"])) != len(rec["lists"]):
            errors.append(f"{rid}: duplicate list tags")
        if rec["lists"] and not rec["hs6"]:
            errors.append(f"{rid}: list tags without hs6")
        if rec["destination"] is not None and not DESTINATION.match(rec["destination"]):
            errors.append(f"{rid}: destination {rec['destination']!r}")
        if not rec["text"].strip():
            errors.append(f"{rid}: empty text")
    assert not errors, "\n".join(errors[:30])


def test_ids_and_texts_unique(items, articles):
    for recs in (items, articles):
        ids = Counter(r["id"] for r in recs)
        assert [i for i, c in ids.items() if c > 1] == []
        texts = Counter(r["text"].strip() for r in recs)
        assert [t[:60] for t, c in texts.items() if c > 1] == []


def test_article_schema(articles):
    errors = []
    for rec in articles:
        errors += _check_fields(rec, ARTICLE_FIELDS)
        if errors:
            continue
        rid = rec["id"]
        if not re.fullmatch(r"art-\d{3}", rid):
            errors.append(f"{rid}: bad id")
        if not 100 <= len(rec["text"]) <= 1500:
            errors.append(f"{rid}: text length {len(rec['text'])}")
        if not re.fullmatch(r"[a-z]{2}", rec["lang"]):
            errors.append(f"{rid}: lang {rec['lang']}")
        if not all(isinstance(g, str) and g.strip() for g in rec["goods"]):
            errors.append(f"{rid}: goods must be non-empty strings")
        if rec["relevant"] and not rec["goods"]:
            errors.append(f"{rid}: relevant paragraph names no goods")
    assert not errors, "\n".join(errors[:30])


# ---------------------------------------------------------- label rules


def test_item_label_rules(items):
    """The borderline rules of README.md, applied mechanically."""
    errors = []
    for rec in items:
        rid, lo, hi = rec["id"], _rank(rec["band_min"]), _rank(rec["band_max"])
        if rec["controlled"]:
            if rec["category"] in (None, "vague") or rec["trap"] is not None:
                errors.append(f"{rid}: controlled item needs a real category and no trap")
            if not rec["names_goods"]:
                errors.append(f"{rid}: controlled item must name its goods")
            floor = "high" if rec["destination"] in SANCTIONED | HUBS else "medium"
            if lo < _rank(floor) or hi != _rank("critical"):
                errors.append(f"{rid}: controlled band {rec['band_min']}..{rec['band_max']} (floor {floor})")
        elif rec["category"] == "vague":
            if rec["names_goods"] or rec["hs6"]:
                errors.append(f"{rid}: vague item must not name goods or carry hs6")
        else:
            if rec["category"] is not None or not rec["trap"]:
                errors.append(f"{rid}: negative needs category null and a trap tag")
            if hi > _rank("low"):
                errors.append(f"{rid}: negative band_max {rec['band_max']}")
            if any(t.startswith("CHPL") for t in rec["lists"]):
                errors.append(f"{rid}: negative in a CHPL subheading")
    assert not errors, "\n".join(errors[:30])


# ---------------------------------------------------------- composition


def test_item_composition(items):
    n = len(items)
    negatives = sum(1 for r in items if not r["controlled"])
    langs = Counter(r["lang"] for r in items)
    assert n >= 400
    assert negatives / n >= 0.40
    for lang in ("ru", "zh", "de"):
        assert langs[lang] >= 25, lang
        per = Counter(r["controlled"] for r in items if r["lang"] == lang)
        assert per[True] >= 10 and per[False] >= 10, (lang, per)
    # positives cover every goods family the brief asks for
    families = Counter(r["category"] for r in items if r["controlled"])
    for fam in ("microelectronics", "passive_components", "discrete_semiconductors", "connectors",
                "bearings", "machine_tools", "navigation", "optics", "test_equipment",
                "semiconductor_equipment", "uav", "telecom", "energetics", "munitions"):
        assert families[fam] >= 3, fam


def test_article_composition(articles):
    n = len(articles)
    relevant = sum(1 for r in articles if r["relevant"])
    langs = Counter(r["lang"] for r in articles)
    assert n >= 80
    assert 0.40 <= relevant / n <= 0.60
    for lang in ("ru", "zh", "de"):
        assert langs[lang] >= 8, lang


# ------------------------------------------- consistency with upstream lists

SOURCES = SHARED / "sources"
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is absent")


@needs_sources
def test_hs6_codes_exist_in_hs2022(items):
    with (SOURCES / "hs" / "harmonized-system.csv").open(encoding="utf-8-sig") as fh:
        codes = {r["hscode"] for r in csv.DictReader(fh) if r["level"] == "6"}
    bad = [(r["id"], r["hs6"]) for r in items if r["hs6"] and r["hs6"] not in codes]
    assert bad == []


@needs_sources
def test_lists_match_chpl_and_eu_annexes(items):
    """CHPL/XL tags exactly as the list files say; EU 833 annex tags wherever a whole
    chapter, heading or subheading covers the hs6. Tags that rest only on an "ex"
    entry or an 8-digit CN line are allowed but not required (partial coverage)."""
    with (SOURCES / "chpl" / "chpl.csv").open(encoding="utf-8") as fh:
        chpl = {r["hs6"]: r["tier"] for r in csv.DictReader(fh)}
    with (SOURCES / "chpl" / "eu_annex_xl_2023_2878.csv").open(encoding="utf-8") as fh:
        xl = {r["hs6"] for r in csv.DictReader(fh)}
    with (SOURCES / "eu_833_2014" / "eu_833_2014_annexes_reg_2023_2878.csv").open(encoding="utf-8") as fh:
        annex_rows = [r for r in csv.DictReader(fh) if r["annex"] != "XL"]
    errors = []
    for rec in items:
        hs6 = rec["hs6"]
        if not hs6:
            continue
        required, allowed = set(), set()
        if hs6 in chpl:
            required.add(f"CHPL:{chpl[hs6]}")
        if hs6 in xl:
            required.add("EU833-XL")
        for row in annex_rows:
            code, tag = row["code_digits"], f"EU833-{row['annex']}"
            if len(code) <= 6 and hs6.startswith(code):
                (allowed if row["ex"] == "1" else required).add(tag)
            elif len(code) == 8 and code.startswith(hs6):
                allowed.add(tag)
        got = set(rec["lists"])
        if not required <= got or not got <= required | allowed:
            errors.append(f"{rec['id']} {hs6}: lists {sorted(got)}, expected {sorted(required)} (+ optional {sorted(allowed - required)})")
    assert not errors, "\n".join(errors[:30])


# ------------------------------------------------ no copying from the dev set

EXAMPLES = SHARED / "examples"
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _tokens(text: str) -> list[str]:
    """NFKC, lower case, punctuation to spaces; CJK characters count as one word each
    (stricter than whitespace splitting, which would make a whole Chinese clause one word)."""
    text = re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", text).lower())
    out: list[str] = []
    for word in text.split():
        out.extend(list(word) if CJK.search(word) else [word])
    return out


def _ngrams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = _tokens(text)
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_tokens_split_cjk_and_punctuation():
    assert _tokens("HS 8542.31, «FPGA»") == ["hs", "8542", "31", "fpga"]
    assert _tokens("发往莫斯科 now") == ["发", "往", "莫", "斯", "科", "now"]


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="../shared/examples is absent")
def test_no_eight_word_overlap_with_dev_set(items, articles):
    dev: set[tuple[str, ...]] = set()
    for path in sorted(EXAMPLES.glob("dev_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                dev |= _ngrams(json.loads(line)["text"])
    assert dev, "no dev texts read"
    hits = [(r["id"], " ".join(next(iter(_ngrams(r["text"]) & dev))))
            for r in items + articles if _ngrams(r["text"]) & dev]
    assert hits == []
