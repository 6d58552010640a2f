"""The bundled lexicon validates, every entry finds itself, and every false friend stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from screener.lexicon.load import LexiconError, lexicon_files, load_entries
from screener.reference.paths import reference_dir

ENTRIES = load_entries(lexicon_files(reference_dir() / "lexicon"))


def test_lexicon_has_the_families_and_size():
    cats = {e.category for e in ENTRIES}
    assert len(ENTRIES) >= 300
    for family in ("microelectronics", "passive_components", "connectors", "discrete_semiconductors", "bearings",
                   "machine_tools", "navigation", "optics", "test_equipment", "semiconductor_equipment", "uav",
                   "telecom", "energetics"):
        assert family in cats, family


def test_article_words_are_entries():
    from screener.text.normalize import normalize_term

    terms = {normalize_term(t) for e in ENTRIES for t in e.strong}
    for word in ("machine tools", "microelectronics", "nitrocellulose", "dual use items", "munitions", "rocket fuels"):
        forms = {word, word.rstrip("s")}
        assert forms & terms, word


def _self_cases():
    for e in ENTRIES:
        for t in e.strong:
            yield e.id, t
        for lang, words in e.i18n.items():
            for t in words:
                yield e.id, t
        for p in e.patterns:
            for ex in p.examples:
                yield e.id, ex


def test_every_entry_finds_itself(screener):
    cases = list(_self_cases())
    found = screener.score_frame([f"Item: {t}." for _, t in cases]).features["goods_ids"].to_list()
    missing = [(eid, t) for (eid, t), ids in zip(cases, found) if eid not in ids]
    assert not missing, f"{len(missing)} terms not found as their entry, e.g. {missing[:10]}"


def test_weak_terms_find_themselves_with_context(screener):
    cases = [(e.id, f"{e.context[0]} equipment. Item: {w}.") for e in ENTRIES for w in e.weak]
    if not cases:
        pytest.skip("no weak terms")
    found = screener.score_frame([t for _, t in cases]).features["goods_ids"].to_list()
    missing = [c for c, ids in zip(cases, found) if c[0] not in ids]
    assert not missing, missing[:10]


def test_every_false_friend_stays_silent(screener):
    cases = [(e.id, ff.text, ff.why) for e in ENTRIES for ff in e.false_friends]
    found = screener.score_frame([t for _, t, _ in cases]).features["goods_ids"].to_list()
    loud = [c for c, ids in zip(cases, found) if c[0] in ids]
    assert not loud, f"{len(loud)} false friends matched, e.g. {loud[:10]}"


def test_blockers_stay_silent(screener):
    doc = yaml.safe_load((reference_dir() / "context" / "blockers.yaml").read_text(encoding="utf-8"))
    phrases = [b["phrase"] for b in doc["blockers"]]
    goods = screener.score_frame([f"{p}, 20 cartons" for p in phrases]).features["goods_ids"].to_list()
    loud = [(p, g) for p, g in zip(phrases, goods) if g]
    assert not loud, loud


def test_loader_reports_every_problem(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(
        "entries:\n- {id: x.a, label: A, category: bearings, strong: [abc], hs6: ['848210']}\n- {id: x.e, label: E, category: bearings, strong: [abe], hs6: ['8482']}\n"
        "- {id: x.b, label: B, category: nonsense, strong: [abd]}\n"
        "- {id: x.c, label: C, category: bearings, weak: [zz]}\n"
        "- {id: x.d, label: D, category: bearings, strong: [abc]}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_entries([tmp_path / "a.yaml"])
    msg = str(err.value)
    assert "x.e: hs6" in msg and "x.b: category" in msg and "weak terms need context" in msg
    assert "also a term of x.a" in msg
