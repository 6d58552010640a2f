"""Typo repair: unknown words of a column of texts mapped to the lexicon word one edit away.

Only the distinct words of a batch that are neither lexicon words nor ordinary English are looked up,
so the cost grows with the vocabulary of the batch, not with its rows. When several lexicon words
are equally close, the one that completes a multi-word term with a neighbouring word of the text
wins ("cnc macine tool" → machine, not marine), then the likelier edit (a swap of two letters, a
doubled letter typed once or twice), then the word used by more lexicon entries.

A text's repairs depend on that text alone, never on the other texts of its batch: a word with one
nearest lexicon word gets it wherever it stands; a word equally close to several is decided where it
stands, by its own two neighbours (the words before and after it in that text), then by the fixed order
above. So a row scores the same whatever else is in its file, its chunk size or its worker (tested with
shuffled rows and several chunk sizes).

A word written with a capital inside it ("ThermoTek", "PowerShot", "iPhone") is a brand or a model name, not a
misspelt goods word: it is left as written in that text (`brand_cased`), though the same word in lower case may be
repaired elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist, cpdist

from screener.lexicon.patterns import MIN_FUZZY_LEN
from screener.match.index import MatchIndex


def _is_known(word: str, known: frozenset[str], foreign: frozenset[str] = frozenset()) -> bool:
    """An ordinary English word (the guard list holds inflected forms), or a word of a non-English term."""
    return word in known or word in foreign


@dataclass(frozen=True)
class Repairs:
    """The typo repairs of a column of texts.

    `plain`: words with one plausible nearest lexicon word, repaired to it wherever they stand.
    `in_context`: words equally close to several, decided per place: (word, word before, word after) ->
    repair ("" before the first word and after the last). Both are functions of one text's words only.
    """

    plain: dict[str, str] = field(default_factory=dict)
    in_context: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.plain or self.in_context)

    def words(self) -> list[str]:
        """Every word that is repaired somewhere."""
        return sorted(set(self.plain) | {w for w, _, _ in self.in_context})

    def fix(self, tokens: list[str], kept: frozenset[str] = frozenset()) -> list[str]:
        """One text's tokens (its padded normalised form split on spaces) with the repairs made, except to the
        `kept` words (that text's brand-cased words)."""
        plain = self.plain
        out = [word if word in kept else plain.get(word, word) for word in tokens]
        if self.in_context:
            tied = {w for w, _, _ in self.in_context}
            for i, word in enumerate(tokens):
                if word in tied and word not in plain and word not in kept:  # only the tied words' places are looked up
                    before = tokens[i - 1] if i > 0 else ""
                    after = tokens[i + 1] if i + 1 < len(tokens) else ""
                    out[i] = self.in_context.get((word, before, after), word)
        return out


# a lower-case letter then a capital inside one word ("ThermoTek", "iPhone"), not an acronym ("FPGA")
_BRAND_CASED = r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b"


def brand_cased(texts: pl.DataFrame) -> pl.DataFrame:
    """(row, word): the words of each text (columns row, text) written with a capital inside them, in lower case
    as the matcher reads them: brand and model names, which typo repair leaves alone."""
    return (texts.select("row", word=pl.col("text").str.extract_all(_BRAND_CASED)).explode("word")
            .drop_nulls("word").with_columns(pl.col("word").str.to_lowercase()).unique(maintain_order=True))


def typo_repairs(norm: pl.DataFrame, index: MatchIndex, tokens: pl.Series | None = None) -> Repairs:
    """Unknown words one edit (two for long words) away from a lexicon word, and that word.

    `tokens`: the texts' words in order, when the caller has split them already.
    """
    vocab = index.fuzzy_vocab
    if not vocab:
        return Repairs()
    if tokens is None:
        tokens = norm.select(word=pl.col("norm").str.split(" ")).explode("word")["word"]
    longest = max(map(len, vocab))  # (the tables are built only when an unknown word needs them)
    words = (
        tokens.to_frame("word").lazy()
        # cheap, and leaves half the tokens to de-duplicate; a word longer than every lexicon word by more
        # than two letters has no plausible repair (and a 40,000-letter "word" must not cost its deletions)
        .filter(pl.col("word").str.len_bytes().is_between(MIN_FUZZY_LEN, 4 * (longest + 2)))
        .select(pl.col("word").unique())  # a lazy column `unique`: a third of the eager frame's cost here
        .collect()
        .filter(pl.col("word").str.len_chars().is_between(MIN_FUZZY_LEN, longest + 2),
                pl.col("word").str.contains(r"^[a-z]+$"))
        .filter(~pl.col("word").is_in(vocab))
    )["word"].to_list()
    known, foreign = index.known_words, index.not_typos
    unknown = sorted(w for w in words if not _is_known(w, known, foreign))
    if not unknown:
        return Repairs()
    tables = _tables(vocab, index)
    seen = tables.seen
    if len(seen) > tables.SEEN_MAX:
        seen.clear()
    seen.update(nearest_all([w for w in unknown if w not in seen], tables))
    options = {w: seen[w] for w in unknown if seen[w]}
    plain = {w: o[0] for w, o in options.items() if len(o) == 1}
    ties = {w: o for w, o in options.items() if len(o) > 1}
    return Repairs(plain, _decide_in_context(tokens, ties, tables) if ties else {})


def _decide_in_context(tokens: pl.Series, ties: dict[str, list[str]],
                       tables: _Tables) -> dict[tuple[str, str, str], str]:
    """For each place of a tied word (the word with its neighbours), the candidate that completes a goods
    term with the word before it or after it (both count: "edge rouning machine" gives rounding 2,
    routing 1), then the fixed order of `_best_candidate`.

    `tokens` are the texts' words in order; the texts are padded with a space at both ends, so an empty
    token separates two texts and no text lends a neighbour to another.
    """
    mask = tokens.is_in(list(ties))
    places = pl.DataFrame({"word": tokens.filter(mask), "prev": tokens.shift(1, fill_value="").filter(mask),
                           "next": tokens.shift(-1, fill_value="").filter(mask)}).unique()
    pairs, decided = tables.pair_set, tables.decided
    if len(decided) > tables.SEEN_MAX:
        decided.clear()
    out = {}
    for place in places.iter_rows():
        if place not in decided:
            word, prev, nxt = place
            support = {c: ((prev, c) in pairs) + ((c, nxt) in pairs) for c in ties[word]}
            decided[place] = _best_candidate(word, ties[word], support, tables.weight)
        if decided[place] is not None:
            out[place] = decided[place]
    return out


def nearest(word: str, tables: _Tables) -> list[str]:
    """The plausible lexicon words nearest to `word` (see `nearest_all`)."""
    return nearest_all([word], tables)[word]


def nearest_all(words: list[str], tables: _Tables) -> dict[str, list[str]]:
    """For each word, the plausible lexicon words nearest to it: one edit, or two in words of 9+ letters
    when one is not enough; the first letter kept unless the typo swapped the first two letters.

    One edit (OSA: a transposition counts one) for all words at once (symmetric delete, as in SymSpell):
    two words one edit apart share a string made by deleting at most one character from each, so a join
    of the words' deletions with the lexicon's finds every candidate, and the distance is computed only
    for those pairs. Two edits, needed by few words, compare the word with every lexicon word of 7+ letters.
    """
    found = dict.fromkeys(words, ())
    if words:
        pairs = _deletions(pl.Series(words, dtype=pl.String)).join(tables.deletions, on="key").select(
            "word", "cand").unique()
        distance = cpdist(pairs["word"].to_list(), pairs["cand"].to_list(), scorer=OSA.distance, score_cutoff=1,
                          workers=1)
        close = pairs.filter(pl.Series(distance == 1)).group_by("word").agg(pl.col("cand").sort())
        found.update(zip(close["word"].to_list(), close["cand"].to_list()))
    # two edits allowed only in long words, and only when one is not enough
    found.update(_two_edits_all([w for w, o in found.items() if not o and len(w) >= 9], tables))
    return {word: [c for c in options if _plausible(word, c)] for word, options in found.items()}


def _plausible(word: str, c: str) -> bool:
    same_start = c[0] == word[0] or (len(word) > 2 and word[1] + word[0] + word[2:] == c)
    return same_start and abs(len(c) - len(word)) <= 2


def _two_edits_all(words: list[str], tables: _Tables) -> dict[str, list[str]]:
    """For each word, the long lexicon words with its first letter nearest to it if they are within two
    edits (OSA), else [].

    One `cdist` per first letter compares all the words with all the candidates at once: a messy batch holds
    thousands of long unknown words (names, codes written as words), and one `extract` call each cost
    more than the comparisons themselves. OSA distance is at least the difference in length, so lengths
    need no separate filter.
    """
    out: dict[str, list[str]] = {}
    by_letter: dict[str, list[str]] = {}
    for w in words:
        by_letter.setdefault(w[0], []).append(w)
    for letter, queries in by_letter.items():
        choices = tables.long_words_by_letter.get(letter)
        if not choices:
            out.update(dict.fromkeys(queries, []))
            continue
        dist = cdist(queries, choices, scorer=OSA.distance, score_cutoff=2, dtype=np.int8, workers=1)
        best = dist.min(axis=1)
        for i, word in enumerate(queries):
            b = best[i]
            out[word] = sorted(choices[j] for j in np.flatnonzero(dist[i] == b)) if 0 < b <= 2 else []
    return out


def _deletions(words: pl.Series) -> pl.DataFrame:
    """(word, key): each word with itself and every string made from it by deleting one character."""
    at = pl.col("i")
    return (words.to_frame("word").with_columns(i=pl.int_ranges(0, pl.col("word").str.len_bytes() + 1)).explode("i")
            .select("word", key=pl.col("word").str.slice(0, at) + pl.col("word").str.slice(at + 1)))


class _Tables:
    """What the lookup needs about a lexicon, built once per index.

    `deletions`: (key, cand), every lexicon word under itself and its one-deletion strings (`nearest_all`).
    `long_words_by_letter`: the lexicon words of 7+ letters (a word of 9+ letters is within two edits only of
    those) by first letter: a repair keeps the first letter, so a word is compared only with those.
    `weight`: how many lexicon entries use each word in their goods terms. `pair_set`: (word, next word) pairs of
    the goods terms, which tell whether a candidate completes a term. `seen`: the nearest lexicon words of the
    unknown words met so far (a stream's chunks share most of their vocabulary), and `decided`: the repair of a
    tied word in its place (word, before, after); both bounded, and both functions of the word (and place) alone,
    so a row's result never depends on the others.
    """

    __slots__ = ("_goods", "_pair_set", "decided", "deletions", "long_words_by_letter", "seen", "weight")
    SEEN_MAX = 500_000

    def __init__(self, vocab: list[str], index: MatchIndex):
        self.deletions = _deletions(pl.Series(vocab, dtype=pl.String)).select("key", cand="word")
        self.long_words_by_letter: dict[str, list[str]] = {}
        for v in vocab:
            if len(v) >= 7:
                self.long_words_by_letter.setdefault(v[0], []).append(v)
        self.seen: dict[str, list[str]] = {}
        goods = index.refs.filter(pl.col("kind") == "goods").select(
            "ref", words=pl.col("pattern").str.strip_chars(" ").str.split(" "))
        self.weight = dict(goods.explode("words").group_by("words").agg(pl.col("ref").n_unique()).iter_rows())
        self._goods = goods
        self._pair_set: set[tuple[str, str]] | None = None
        self.decided: dict[tuple[str, str, str], str | None] = {}


    @property
    def pair_set(self) -> set[tuple[str, str]]:
        """Built on first use: only tied repairs need it, and 300,000 pairs cost a process ~0.2 s."""
        if self._pair_set is None:
            pairs = self._goods.select(a=pl.col("words").list.slice(0, pl.col("words").list.len() - 1),
                                       b=pl.col("words").list.slice(1)).explode("a", "b").drop_nulls().unique()
            self._pair_set = set(zip(pairs["a"].to_list(), pairs["b"].to_list()))
        return self._pair_set


_TABLES: dict[int, tuple[list[str], _Tables]] = {}  # id(vocab) -> (vocab, tables)


def _tables(vocab: list[str], index: MatchIndex) -> _Tables:
    cached = _TABLES.get(id(vocab))
    if cached is None or cached[0] is not vocab:
        if len(_TABLES) >= 4:  # a process uses one or two lexicons; never hold on to old ones
            _TABLES.clear()
        cached = _TABLES[id(vocab)] = (vocab, _Tables(vocab, index))
    return cached[1]


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
