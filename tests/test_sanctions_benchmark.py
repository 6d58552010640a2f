"""The tuning part of the sanctions-lists benchmark group (benchmarks/data/sanctions_*.jsonl): schema, label
rules, composition, list tags against the upstream list files, no text from the development set, and
`screener eval` reporting the group on its own."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from screener.lexicon.model import CATEGORIES
from test_benchmark_data import BANDS, DESTINATION, HUBS, KINDS, _ngrams

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
GROUP = "sanctions-lists"
TAGS = {"EU833-XVII", "EU833-XVIII", "EU833-XXI", "US-RU-IMPORT-BAN"}
ITEM_FIELDS = {"id", "text", "kind", "lang", "controlled", "category", "hs6", "heading", "lists", "band_min",
               "band_max", "names_goods", "destination", "origin", "direction", "value_eur", "trap", "note", "group"}
ARTICLE_FIELDS = {"id", "text", "relevant", "goods", "lang", "direction", "note", "group"}


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return _load("sanctions_items.jsonl")


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return _load("sanctions_articles.jsonl")


def _rank(band: str) -> int:
    return BANDS.index(band)


def test_item_schema(items):
    errors = []
    for r in items:
        if set(r) != ITEM_FIELDS:
            errors.append(f"{r.get('id')}: fields {sorted(set(r) ^ ITEM_FIELDS)}")
            continue
        ok = (re.fullmatch(r"sanc-item-\d{4}", r["id"]) and r["kind"] in KINDS and re.fullmatch(r"[a-z]{2}", r["lang"])
              and r["group"] == GROUP and r["direction"] in ("export", "import", None)
              and (r["category"] is None or r["category"] in CATEGORIES)
              and (r["hs6"] is None or (re.fullmatch(r"\d{6}", r["hs6"]) and r["heading"] == r["hs6"][:4]))
              and r["band_min"] in BANDS and r["band_max"] in BANDS and _rank(r["band_min"]) <= _rank(r["band_max"])
              and set(r["lists"]) <= TAGS and len(set(r["lists"])) == len(r["lists"])
              and all(c is None or DESTINATION.match(c) for c in (r["destination"], r["origin"]))
              and (r["value_eur"] is None or isinstance(r["value_eur"], (int, float))) and r["text"].strip())
        if not ok:
            errors.append(f"{r['id']}: malformed")
    assert not errors, errors[:20]
    assert len({r["id"] for r in items}) == len(items) and len({r["text"] for r in items}) == len(items)


def test_item_label_rules(items):
    """Positives: goods on a list; high..critical with a Russian or Belarusian destination (export), a hub
    destination, or a Russian origin (import); medium..critical on their own. Negatives: a trap tag, none..low."""
    errors = []
    for r in items:
        lo, hi = _rank(r["band_min"]), _rank(r["band_max"])
        if r["controlled"]:
            floor = "medium"
            if (r["direction"] == "export" and r["destination"] in {"RU", "BY"} | HUBS) or \
                    (r["direction"] == "import" and r["origin"] == "RU"):
                floor = "high"
            if r["trap"] or not r["category"] or not r["lists"] or lo != _rank(floor) or hi != _rank("critical"):
                errors.append(f"{r['id']}: positive {r['band_min']}..{r['band_max']} (floor {floor}), lists {r['lists']}")
        elif r["category"] is not None or not r["trap"] or hi > _rank("low"):
            errors.append(f"{r['id']}: negative needs a trap, no category, band at most low")
    assert not errors, errors[:20]


def test_composition(items, articles):
    pos = [r for r in items if r["controlled"]]
    neg = [r for r in items if not r["controlled"]] + [a for a in articles if not a["relevant"]]
    assert len(pos) >= 70 and len(neg) >= 90 and sum(a["relevant"] for a in articles) >= 15
    langs = Counter(r["lang"] for r in pos)
    assert all(langs[lang] >= 3 for lang in ("en", "ru", "de", "zh")) and len(langs) >= 6, langs
    tags = Counter(t for r in pos for t in r["lists"])
    assert all(tags[t] >= 4 for t in TAGS), tags
    assert Counter(r["direction"] for r in pos) .keys() >= {"export", "import", None}
    assert sum(r["value_eur"] is not None for r in pos) >= 20 and sum(r["value_eur"] is None for r in pos) >= 20
    traps = Counter(r["trap"] for r in items if not r["controlled"])
    for trap in ("imitation-jewellery", "sports-shoes", "plastic-pens", "fish-feed", "other-origin", "other-destination",
                 "below-threshold"):
        assert traps[trap] >= 4, (trap, traps)


def test_article_schema(articles):
    for a in articles:
        assert set(a) == ARTICLE_FIELDS, a["id"]
        assert re.fullmatch(r"sanc-art-\d{3}", a["id"]) and a["group"] == GROUP and 100 <= len(a["text"]) <= 600
        assert a["direction"] in ("export", "import", None) and all(g.strip() for g in a["goods"])
        assert not a["relevant"] or (a["goods"] and a["direction"])


def _upstream_tags(sources: Path) -> dict[str, list[str]]:
    def digits(text: str) -> str:
        return re.sub(r"\D", "", text)
    eu = {"EU833-XVIII": "eu_833_annex_xviii_luxury.csv", "EU833-XVII": "eu_833_annex_xvii_iron_steel.csv",
          "EU833-XXI": "eu_833_annex_xxi_import_ban.csv"}
    rows = {tag: [digits(r["cn_code"]) for r in csv.DictReader((sources / "eu_833_2014" / f).open(encoding="utf-8"))]
            for tag, f in eu.items()}
    us = [tuple(digits(x) for x in (r["hts_code_or_range"].partition(" to ")[0], r["hts_code_or_range"].partition(" to ")[2]))
          for r in csv.DictReader((sources / "us_import_bans" / "us_eo14068_import_bans.csv").open(encoding="utf-8"))]
    return {"eu": rows, "us": us}


def test_lists_follow_the_upstream_files(items, shared_dir):
    """`lists`: every goods-list tag with an upstream row covering the hs6, fully or in part (a chapter, heading
    or subheading above it; a CN code within it, or `NNNN 00 00` for the heading; an HTSUS range spanning it)."""
    sources = shared_dir / "sources"
    hs6_known = {r["hscode"] for r in csv.DictReader((sources / "hs" / "harmonized-system.csv").open(encoding="utf-8-sig"))}
    up = _upstream_tags(sources)

    def covers(code: str, hs6: str) -> bool:
        if len(code) <= 6:
            return hs6.startswith(code) or (code.endswith("00") and len(code) == 4 and hs6.startswith(code[:2]))
        return code[:6] == hs6 or (set(code[4:]) == {"0"} and code[:6] not in hs6_known and hs6.startswith(code[:4]))
    bad = []
    for r in items:
        want = {t for t, codes in up["eu"].items() if any(covers(c, r["hs6"]) for c in codes)}
        if any((b and a[:6] <= r["hs6"] <= b[:6]) or (not b and a[:6] == r["hs6"]) for a, b in up["us"]):
            want.add("US-RU-IMPORT-BAN")
        if set(r["lists"]) != want:
            bad.append((r["id"], r["hs6"], r["lists"], sorted(want)))
    assert not bad, bad[:10]


def test_no_eight_word_overlap_with_dev_set(items, articles, shared_dir):
    dev = set()
    for path in sorted((shared_dir / "examples").glob("dev_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                dev |= _ngrams(json.loads(line)["text"])
    assert dev
    assert [r["id"] for r in items + articles if _ngrams(r["text"]) & dev] == []


def test_eval_reports_the_group_on_its_own(tmp_path):
    from screener.cli import cli

    result = CliRunner().invoke(cli, ["eval", str(DATA / "sanctions_articles.jsonl"), "--format", "json",
                                      "--misses", str(tmp_path / "m.jsonl")])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert set(metrics["per_group"]) == {GROUP} and metrics["per_group"][GROUP] == metrics["overall"]
    from screener.evaluate import render_metrics

    text = render_metrics(metrics)
    assert "per group" in text and re.search(rf"^  {GROUP} +P ", text, re.M)


def test_eval_of_a_mixed_file_splits_by_group(tmp_path, screener):
    from screener.evaluate import evaluate_dataset

    rows = [{"text": "Mink coats, 25 pcs, to Moscow", "controlled": True, "group": "a"},
            {"text": "Green tea, 2 t", "controlled": False, "group": "b"},
            {"text": "Cotton towels, 200 pcs", "controlled": False}]
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    metrics, _ = evaluate_dataset(screener, path)
    assert metrics["per_group"]["a"]["tp"] + metrics["per_group"]["a"]["fn"] == 1
    assert metrics["per_group"]["b"]["tn"] + metrics["per_group"]["b"]["fp"] == 1
    assert metrics["overall"]["tn"] + metrics["overall"]["fp"] == 2  # the record without a group counts overall only
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps(rows[2]) + "\n", encoding="utf-8")
    assert "per_group" not in evaluate_dataset(screener, plain)[0]
