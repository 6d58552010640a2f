"""Batch at scale: the fast paths give the same answers as the plain ones, whatever the chunking.

- typo repair by symmetric-delete lookup and a join for the neighbouring words == comparing every unknown
  word with every lexicon word and walking every text;
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

from screener.batch.job import BatchJob
from screener.batch.scoring import score_chunk
from screener.text.english import known_words
from screener.match.typos import _best_candidate, typo_repairs
from screener.screen import screen_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from workload import shipment_lines  # noqa: E402


def _brute_force_repairs(words: list[str], vocab: list[str], texts: list[str], refs: pl.DataFrame
                         ) -> dict[tuple[str, str, str], str]:
    """The reference: every word against every lexicon word, one edit (two from 9 letters); ties broken at
    each place by the words before and after it there, and lexicon weights counted term by term.
    Returns (word, before, after) -> repair for every place of every repaired word in `texts`."""
    goods = [(ref, p.strip(" ").split(" ")) for ref, p in refs.filter(pl.col("kind") == "goods")
             .select("ref", "pattern").iter_rows()]
    pairs = {(ws[i], ws[i + 1]) for _, ws in goods for i in range(len(ws) - 1)}
    owners: dict[str, set] = {}
    for ref, ws in goods:
        for w in ws:
            owners.setdefault(w, set()).add(ref)
    weight = {w: len(refs_) for w, refs_ in owners.items()}
    places: dict[str, set[tuple[str, str]]] = {}  # word -> (word before, word after) of each place
    for text in texts:
        toks = text.split(" ")
        for i, t in enumerate(toks):
            places.setdefault(t, set()).add((toks[i - 1] if i > 0 else "", toks[i + 1] if i + 1 < len(toks) else ""))
    dist = process.cdist(words, vocab, scorer=OSA.distance, score_cutoff=2, dtype="uint8")
    out = {}
    for j, word in enumerate(words):
        d = int(dist[j].min())
        if 0 < d <= (1 if len(word) < 9 else 2):
            cands = [vocab[k] for k in (dist[j] == d).nonzero()[0]]
            for before, after in places.get(word, ()):
                support = {c: n for c in cands if (n := ((before, c) in pairs) + ((c, after) in pairs))}
                fixed = _best_candidate(word, cands, support, weight)
                if fixed is not None:
                    out[(word, before, after)] = fixed
    return out


def _applied(repairs, texts: list[str]) -> dict[tuple[str, str, str], str]:
    """(word, before, after) -> repair at every place where `repairs` changes a word of `texts`."""
    out = {}
    for text in texts:
        toks = text.split(" ")
        for i, (word, fixed) in enumerate(zip(toks, repairs.fix(toks))):
            if word != fixed:
                out[(word, toks[i - 1] if i > 0 else "", toks[i + 1] if i + 1 < len(toks) else "")] = fixed
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


def _in_terms(refs: pl.DataFrame, n: int, seed: int = 4) -> list[str]:
    """Multi-word goods terms with one long word mutated once: ties there are broken by the neighbours."""
    rng = random.Random(seed)
    terms = sorted({p.strip(" ") for p in refs.filter(pl.col("kind") == "goods")["pattern"].to_list()
                    if p.startswith(" ") and p.endswith(" ") and p.count(" ") >= 3 and p.strip(" ").replace(" ", "").isalpha()})
    out = []
    for term in rng.sample(terms, min(n, len(terms))):
        ws = term.split(" ")
        i = rng.randrange(len(ws))
        w = ws[i]
        if len(w) < 5:
            continue
        j = rng.randrange(1, len(w))
        ws[i] = rng.choice([w[:j] + w[j + 1:], w[:j] + rng.choice("aeiou") + w[j:], w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]])
        out.append(" ".join(ws))
    return out


def test_symmetric_delete_repairs_equal_brute_force(screener):
    index = screener.index
    words = _mutations(index.fuzzy_vocab, 3000)
    texts = [" " + " ".join(words[i:i + 10]) + " " for i in range(0, len(words), 10)]
    texts += [f" {t} " for t in _in_terms(index.refs, 3000)]
    norm = pl.DataFrame({"norm": texts})
    fast = typo_repairs(norm, index)
    known, foreign = known_words(), frozenset(index.foreign_words) | index.other_words
    vocab = set(index.fuzzy_vocab)
    unknown = sorted({w for t in texts for w in t.split(" ")
                      if len(w) >= 5 and w.isalpha() and w.isascii() and w not in vocab and w not in known and w not in foreign})
    slow = _brute_force_repairs(unknown, index.fuzzy_vocab, texts, index.refs)
    assert len(slow) > 1000  # the mutations do produce repairable words, one and two edits away
    assert any(len(w) >= 9 and OSA.distance(w, f) == 2 for (w, _, _), f in slow.items())
    # in some ties the neighbouring words decide against the choice made without them
    alone = _brute_force_repairs(unknown, index.fuzzy_vocab, [f" {w} " for w in unknown], index.refs)
    assert sum(alone[(w, "", "")] != f for (w, _, _), f in slow.items() if (w, "", "") in alone) >= 10
    assert _applied(fast, texts) == slow


def score_table(screener, df: pl.DataFrame, text_column: str, chunk_rows: int = 40_000) -> pl.DataFrame:
    """`df` scored chunk by chunk, as a batch does."""
    job = BatchJob(text_column=text_column)
    return pl.concat([score_chunk(screener, df.slice(o, chunk_rows), job) for o in range(0, df.height, chunk_rows)])


def test_results_do_not_depend_on_chunking(screener):
    lines, _ = shipment_lines(screener.reference, 1500, seed=11)
    df = pl.DataFrame({"id": range(len(lines)), "text": lines})
    whole = score_table(screener, df, "text", chunk_rows=10_000)
    chunked = score_table(screener, df, "text", chunk_rows=377)
    assert whole.height == chunked.height == len(lines)
    assert whole["id"].to_list() == list(range(len(lines)))
    assert whole.equals(chunked)


def test_a_row_scores_the_same_whatever_else_is_in_its_chunk(screener):
    """Shuffled rows and several chunk sizes: each row's result is its own (typo ties included: a word equally
    close to two lexicon words, among rows where the majority would pick the other)."""
    lines, _ = shipment_lines(screener.reference, 1200, seed=21)
    ties = ["2 units cnc macine tool, Almaty", "4 macine engines, 400 kW", "edge rouning machine, 1 set",
            "CNC MACINE TOOL spare parts", "macine propulsion engine"]
    lines = lines + ties * 40 + ["4 macine engines"] * 60
    df = pl.DataFrame({"id": range(len(lines)), "text": lines})
    first = score_table(screener, df, "text", chunk_rows=10_000)
    assert first.filter(pl.col("text") == ties[0])["goods"].str.contains("CNC").all()
    rng = random.Random(7)
    for chunk_rows in (1, 61, 377):
        order = list(range(len(lines)))
        rng.shuffle(order)
        # one row a chunk costs a chunk's fixed work per row: a sample, with tie rows in it
        tie_rows = [i for i in order if lines[i] in ties][:20]
        sample = tie_rows + [i for i in order[:80] if i not in tie_rows] if chunk_rows == 1 else order
        shuffled = score_table(screener, df[sample], "text", chunk_rows=chunk_rows).sort("id")
        assert shuffled.equals(first.filter(pl.col("id").is_in(sample))), chunk_rows


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
