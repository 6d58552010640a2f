"""Typo repair: unknown words of a column of texts mapped to the lexicon word one edit away.

Only the distinct words of a batch that are neither lexicon words nor ordinary English are looked up,
so the cost grows with the vocabulary of the batch, not with its rows.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz.distance import OSA

from screener.match.index import MIN_FUZZY_LEN, MatchIndex, known_words


def _is_known(word: str, known: frozenset[str]) -> bool:
    if word in known:
        return True
    for suffix in ("s", "es", "d", "ed", "ing", "ly", "er", "ers"):
        if word.endswith(suffix) and word[: -len(suffix)] in known:
            return True
    return word.endswith("ies") and word[:-3] + "y" in known


def typo_repairs(norm: pl.DataFrame, index: MatchIndex) -> dict[str, str]:
    """Unknown words one edit (two for long words) away from a lexicon word, and that word."""
    vocab = index.fuzzy_vocab
    if not vocab:
        return {}
    words = (
        norm.select(word=pl.col("norm").str.split(" ")).explode("word").unique()
        .filter(pl.col("word").str.len_chars() >= MIN_FUZZY_LEN, pl.col("word").str.contains(r"^[a-z]+$"))
        .filter(~pl.col("word").is_in(vocab))
    )["word"].to_list()
    known = known_words()
    foreign = set(index.foreign_prefixes)
    sizes = sorted({len(p) for p in foreign})
    unknown = sorted(w for w in words if not _is_known(w, known) and not any(w[:n] in foreign for n in sizes))
    short, long = _deletion_index(vocab)
    repairs: dict[str, str] = {}
    for word in unknown:
        options = _closest(word, short, 1)
        if not options and len(word) >= 9:  # two edits allowed only in long words, and only when one is not enough
            options = _closest(word, long(), 2)
        fixed = _best_candidate(word, options) if options else None
        if fixed is not None:
            repairs[word] = fixed
    return repairs


def _closest(word: str, table: dict[str, list[str]], depth: int) -> list[str]:
    """The lexicon words nearest to `word` if they are within `depth` edits (OSA), else []."""
    candidates = {v for d in _deletes(word, depth) for v in table.get(d, ())}
    scored = [(OSA.distance(word, v, score_cutoff=depth), v) for v in candidates]
    best = min((d for d, _ in scored), default=depth + 1)
    return [v for d, v in scored if d == best] if 0 < best <= depth else []


def _deletes(word: str, depth: int) -> set[str]:
    """The word and every string made from it by deleting up to `depth` characters."""
    out = frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out = out | frontier
    return out


_DELETION_INDEXES: dict[int, list] = {}  # id(vocab) -> [vocab, one-deletion table, two-deletion table or None]


def _deletion_index(vocab: list[str]):
    """Deletion neighbourhoods of the lexicon words (symmetric-delete lookup, as in SymSpell).

    Two words within OSA distance k share a string made by deleting at most k characters from each,
    so looking up the unknown word's deletions finds every lexicon word within k edits; the exact
    distance is then computed only for those few candidates. This gives the same repairs as comparing
    every unknown word with every lexicon word (`process.cdist`), in time linear in the unknown words.
    Returns the one-deletion table and a function giving the two-deletion table (built when first needed).
    """
    cached = _DELETION_INDEXES.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        short: dict[str, list[str]] = {}
        for v in vocab:
            for d in _deletes(v, 1):
                short.setdefault(d, []).append(v)
        if len(_DELETION_INDEXES) >= 4:  # a process uses one or two lexicons; never hold on to old ones
            _DELETION_INDEXES.clear()
        cached = _DELETION_INDEXES[id(vocab)] = [vocab, short, None]
    entry = cached

    def long() -> dict[str, list[str]]:  # built on first need: two deletions of words of 7+ letters
        if entry[2] is None:
            table: dict[str, list[str]] = {}
            for v in vocab:
                if len(v) >= 7:  # a word of 9+ letters is within two edits only of words of 7+ letters
                    for d in _deletes(v, 2):
                        table.setdefault(d, []).append(v)
            entry[2] = table
        return entry[2]

    return entry[1], long


def _best_candidate(word: str, candidates: list[str]) -> str | None:
    """Among equally close lexicon words, prefer one with the same letters (a transposition), then the
    same length; keep the first letter unless the typo swapped the first two letters."""
    def plausible(c: str) -> bool:
        same_start = c[0] == word[0] or (len(word) > 2 and word[1] + word[0] + word[2:] == c)
        return same_start and abs(len(c) - len(word)) <= 2

    options = [c for c in candidates if plausible(c)]
    if not options:
        return None
    options.sort(key=lambda c: (sorted(c) != sorted(word), len(c) != len(word), c))
    return options[0]
