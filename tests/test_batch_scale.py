"""Batch at scale: the fast paths give the same answers as the plain ones, whatever the chunking.

- typo repair by symmetric-delete lookup == comparing every unknown word with every lexicon word;
- the same rows scored in one frame, in small chunks, or one by one with `screen` agree;
- the seeded benchmark workload is deterministic.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import OSA

from screener.batch import score_table
from screener.match.index import known_words
from screener.match.typos import _best_candidate, _is_known, typo_repairs
from screener.screen import screen_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from workload import shipment_lines  # noqa: E402


def _brute_force_repairs(words: list[str], vocab: list[str]) -> dict[str, str]:
    """The reference: every word against every lexicon word, one edit (two from 9 letters)."""
    dist = process.cdist(words, vocab, scorer=OSA.distance, score_cutoff=2, dtype="uint8")
    out = {}
    for j, word in enumerate(words):
        d = int(dist[j].min())
        if 0 < d <= (1 if len(word) < 9 else 2):
            fixed = _best_candidate(word, [vocab[k] for k in (dist[j] == d).nonzero()[0]])
            if fixed is not None:
                out[word] = fixed
    return out


def _mutations(vocab: list[str], n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    out = set()
    for _ in range(n):
        w = list(rng.choice(vocab))
        for _ in range(rng.choice([1, 1, 2, 3])):
            j, kind = rng.randrange(len(w)), rng.randrange(4)
            if kind == 0:
                w[j] = rng.choice("abcdefghijklmnopqrstuvwxyz")
            elif kind == 1 and len(w) > 5:
                del w[j]
            elif kind == 2:
                w.insert(j, rng.choice("aeiou"))
            elif j + 1 < len(w):
                w[j], w[j + 1] = w[j + 1], w[j]
        out.add("".join(w))
    return sorted(out - set(vocab))


def test_symmetric_delete_repairs_equal_brute_force(screener):
    index = screener.index
    words = _mutations(index.fuzzy_vocab, 3000)
    norm = pl.DataFrame({"norm": [" " + " ".join(words[i:i + 10]) + " " for i in range(0, len(words), 10)]})
    fast = typo_repairs(norm, index)
    known, foreign = known_words(), index.foreign_prefixes
    candidates = [w for w in words if len(w) >= 5 and not _is_known(w, known) and not w.startswith(foreign)]
    slow = _brute_force_repairs(candidates, index.fuzzy_vocab)
    assert len(slow) > 500  # the mutations do produce repairable words, one and two edits away
    assert any(len(w) >= 9 and OSA.distance(w, f) == 2 for w, f in slow.items())
    assert fast == slow


def test_results_do_not_depend_on_chunking(screener):
    lines, _ = shipment_lines(screener.reference, 1500, seed=11)
    df = pl.DataFrame({"id": range(len(lines)), "text": lines})
    whole = score_table(screener, df, "text", chunk_rows=10_000)
    chunked = score_table(screener, df, "text", chunk_rows=377)
    assert whole.height == chunked.height == len(lines)
    assert whole["id"].to_list() == list(range(len(lines)))
    assert whole.equals(chunked)


def test_batch_equals_screen_on_the_workload(screener):
    lines, _ = shipment_lines(screener.reference, 3000, seed=5)
    lines = lines[::100]  # a spread of 30 lines; one screen_text call costs ~0.3 s
    out = score_table(screener, pl.DataFrame({"text": lines}), "text")
    assert (out["score"] > 0).sum() > 10  # the workload is full of listed goods
    for row, text in zip(out.iter_rows(named=True), lines):
        one = screen_text(screener, text)
        assert one["score"] == row["score"], text
        assert one["band"] == row["band"], text
        assert sorted(r["id"] for r in one["rules"]) == sorted(filter(None, row["rules"].split(";"))), text
        labels = {g["canonical"] for g in one["goods"] if not g["negated"] and not g["hypothetical"]}
        # (a label may itself hold ';', so the joined column is checked by containment and length)
        assert all(label in row["goods"] for label in labels), text
        assert len(row["goods"]) == sum(map(len, labels)) + max(len(labels) - 1, 0), text


def test_workload_is_deterministic(screener):
    a, pa = shipment_lines(screener.reference, 500)
    b, pb = shipment_lines(screener.reference, 500)
    assert a == b and pa == pb
    assert all(60 <= len(x) <= 260 for x in a)
    assert sum(p.typo for ps in pa for p in ps) > 50
