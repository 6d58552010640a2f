"""Typo repair: unknown words of a column of texts mapped to the lexicon word one edit away.

Only the distinct words of a batch that are neither lexicon words nor ordinary English are looked up,
so the cost grows with the vocabulary of the batch, not with its rows. When several lexicon words
are equally close, the one that completes a multi-word term with a neighbouring word of the text
wins ("cnc macine tool" → machine, not marine), then the likelier edit (a swap of two letters, a
doubled letter typed once or twice), then the word used by more lexicon entries.

A word gets one repair for the whole batch. The neighbours' votes are summed over the batch, so in
the rare case of one typo that completes different terms in different texts, the repair follows
the majority and may change with the batch; everywhere else a text's result does not depend on
the texts around it (tested with several chunk sizes).
"""

from __future__ import annotations

import polars as pl
from rapidfuzz.distance import OSA

from screener.match.index import MIN_FUZZY_LEN, MatchIndex


def _is_known(word: str, known: frozenset[str], foreign: frozenset[str] = frozenset()) -> bool:
    """An ordinary English word (the guard list holds inflected forms), or a word of a non-English term."""
    return word in known or word in foreign


def typo_repairs(norm: pl.DataFrame, index: MatchIndex, tokens: pl.Series | None = None) -> dict[str, str]:
    """Unknown words one edit (two for long words) away from a lexicon word, and that word.

    `tokens`: the texts' words in order, when the caller has split them already.
    """
    vocab = index.fuzzy_vocab
    if not vocab:
        return {}
    if tokens is None:
        tokens = norm.select(word=pl.col("norm").str.split(" ")).explode("word")["word"]
    words = (
        tokens.to_frame("word")
        .filter(pl.col("word").str.len_bytes() >= MIN_FUZZY_LEN)  # cheap, and leaves half the tokens to de-duplicate
        .unique()
        .filter(pl.col("word").str.len_chars() >= MIN_FUZZY_LEN, pl.col("word").str.contains(r"^[a-z]+$"))
        .filter(~pl.col("word").is_in(vocab))
    )["word"].to_list()
    known, foreign = index.known_words, frozenset(index.foreign_prefixes) | index.other_words
    unknown = sorted(w for w in words if not _is_known(w, known, foreign))
    if not unknown:  # (a text of known words does not need the tables built)
        return {}
    tables = _tables(vocab, index)
    options: dict[str, list[str]] = {}
    seen = tables.seen
    if len(seen) > tables.SEEN_MAX:
        seen.clear()
    for word in unknown:
        found = seen.get(word)
        if found is None:
            found = seen[word] = nearest(word, tables)
        if found:
            options[word] = found
    ties = {w: o for w, o in options.items() if len(o) > 1}
    support = _term_support(tokens, ties, tables.pairs) if ties else {}
    # (nearest() gives plausible words only: one option needs no choosing)
    return {w: o[0] if len(o) == 1 else _best_candidate(w, o, support.get(w, {}), tables.weight)
            for w, o in options.items()}


def nearest(word: str, tables: _Tables) -> list[str]:
    """The plausible lexicon words nearest to `word`: one edit, or two in words of 9+ letters when one
    is not enough; the first letter kept unless the typo swapped the first two letters."""
    options = _closest(word, tables.short, 1)
    if not options and len(word) >= 9:  # two edits allowed only in long words, and only when one is not enough
        options = _closest(word, tables.long(), 2)
    return [c for c in options if _plausible(word, c)]


def _plausible(word: str, c: str) -> bool:
    same_start = c[0] == word[0] or (len(word) > 2 and word[1] + word[0] + word[2:] == c)
    return same_start and abs(len(c) - len(word)) <= 2


def _closest(word: str, table: dict[str, list[str]], depth: int) -> list[str]:
    """The lexicon words nearest to `word` if they are within `depth` edits (OSA), else []."""
    candidates = {v for d in _deletes(word, depth) for v in table.get(d, ())}
    scored = [(OSA.distance(word, v, score_cutoff=depth), v) for v in candidates]
    best = min((d for d, _ in scored), default=depth + 1)
    return sorted(v for d, v in scored if d == best) if 0 < best <= depth else []


def _deletes(word: str, depth: int) -> set[str]:
    """The word and every string made from it by deleting up to `depth` characters."""
    out = frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out = out | frontier
    return out


class _Tables:
    """What the lookup needs about a lexicon, built once per index.

    `short`: one-deletion neighbourhoods of the lexicon words (symmetric-delete lookup, as in SymSpell).
    Two words within OSA distance k share a string made by deleting at most k characters from each, so
    looking up the unknown word's deletions finds every lexicon word within k edits; the exact distance
    is then computed only for those few candidates. This gives the same candidates as comparing every
    unknown word with every lexicon word, in time linear in the unknown words. `long()`: the two-deletion
    table, built when first needed. `weight`: how many lexicon entries use each word in their goods terms.
    `pairs`: (word, next word) pairs of the goods terms, which tell whether a candidate completes a term.
    `seen`: the nearest lexicon words of the unknown words met so far (a stream's chunks share most of
    their vocabulary), bounded.
    """

    __slots__ = ("_long", "pairs", "seen", "short", "vocab", "weight")
    SEEN_MAX = 500_000

    def __init__(self, vocab: list[str], index: MatchIndex):
        self.vocab = vocab
        self.short: dict[str, list[str]] = {}
        for v in vocab:
            for d in _deletes(v, 1):
                self.short.setdefault(d, []).append(v)
        self._long: dict[str, list[str]] | None = None
        self.seen: dict[str, list[str]] = {}
        goods = index.refs.filter(pl.col("kind") == "goods").select(
            "ref", words=pl.col("pattern").str.strip_chars(" ").str.split(" "))
        self.weight = dict(goods.explode("words").group_by("words").agg(pl.col("ref").n_unique()).iter_rows())
        self.pairs = goods.select(
            a=pl.col("words").list.slice(0, pl.col("words").list.len() - 1),
            b=pl.col("words").list.slice(1)).explode("a", "b").drop_nulls().unique()

    def long(self) -> dict[str, list[str]]:
        if self._long is None:  # two deletions of words of 7+ letters
            table: dict[str, list[str]] = {}
            for v in self.vocab:
                if len(v) >= 7:  # a word of 9+ letters is within two edits only of words of 7+ letters
                    for d in _deletes(v, 2):
                        table.setdefault(d, []).append(v)
            self._long = table
        return self._long


_TABLES: dict[int, tuple[list[str], _Tables]] = {}  # id(vocab) -> (vocab, tables)


def _tables(vocab: list[str], index: MatchIndex) -> _Tables:
    cached = _TABLES.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        if len(_TABLES) >= 4:  # a process uses one or two lexicons; never hold on to old ones
            _TABLES.clear()
        cached = _TABLES[id(vocab)] = (vocab, _Tables(vocab, index))
    return cached[1]


def _term_support(tokens: pl.Series, ties: dict[str, list[str]], pairs: pl.DataFrame) -> dict[str, dict[str, int]]:
    """For each word with several equally close candidates, how often each candidate would join into
    a goods term with the word before it or the word after it (both count: "edge rouning machine"
    gives rounding 2, routing 1).

    `tokens` are the texts' words in order; the texts are padded with a space at both ends, so an
    empty token separates two texts and no text lends a neighbour to another. The check is a join
    with the terms' word pairs: no Python loop runs over rows.
    """
    mask = tokens.is_in(list(ties))
    seq = pl.DataFrame({"word": tokens.filter(mask), "prev": tokens.shift(1).filter(mask),
                        "next": tokens.shift(-1).filter(mask)})
    cands = pl.DataFrame([(w, c) for w, cs in ties.items() for c in cs], schema=["word", "cand"], orient="row")
    places = seq.join(cands, on="word")
    left = places.join(pairs, left_on=["prev", "cand"], right_on=["a", "b"], how="semi")
    right = places.join(pairs, left_on=["cand", "next"], right_on=["a", "b"], how="semi")
    counts = pl.concat([left, right]).group_by("word", "cand").len()
    out: dict[str, dict[str, int]] = {}
    for word, cand, n in counts.iter_rows():
        out.setdefault(word, {})[cand] = n
    return out


def _edit_rank(word: str, c: str) -> int:
    """0 for the likeliest kinds of typo: two letters swapped ("machnie"), or a doubled letter typed
    once or twice over ("controler", "macchine"); 1 for any other edit."""
    if len(c) == len(word):
        return 0 if sorted(c) == sorted(word) else 1
    short, longer = (word, c) if len(word) < len(c) else (c, word)
    for i in range(1, len(longer)):
        if longer[i] == longer[i - 1] and longer[:i] + longer[i + 1:] == short:
            return 0
    return 1


def _best_candidate(word: str, candidates: list[str], support: dict[str, int] | None = None,
                    weight: dict[str, int] | None = None) -> str | None:
    """Among equally close lexicon words: the one that completes a term with its neighbours in more
    places, then the likelier edit, then the one more lexicon entries use, then the same length, then
    the first by spelling. Implausible candidates (another first letter, lengths 3+ apart) never win."""
    support, weight = support or {}, weight or {}
    options = [c for c in candidates if _plausible(word, c)]
    if not options:
        return None
    return min(options, key=lambda c: (-support.get(c, 0), _edit_rank(word, c), -weight.get(c, 0),
                                       len(c) != len(word), c))
