"""THE text normaliser, used for lexicon terms and input text alike.

Lowercase, `ё`→`е`, and every character that is not a letter, digit or combining mark becomes a space.
`normalize` keeps the text's length in characters, so a character offset in it is the same offset in
the original. The matcher then folds runs of spaces into one ("Bearings, ball" → "bearings ball"),
in polars for columns (`normalize_expr`) and with an offset map for one text (`fold_spaces`). The
Python and polars versions must agree; a test checks them against each other on multilingual text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import polars as pl

_NON_WORD = r"[^\p{L}\p{N}\p{M}]"
# a run of non-word characters that is not just one space: what folding replaces by one space (leaving
# the single spaces between words alone makes the pass ~3x cheaper than replacing every character)
_FOLDED_RUN = rf"{_NON_WORD}*[^\p{{L}}\p{{N}}\p{{M}} ]{_NON_WORD}*|  +"
_PRE_LOWER = {"İ": "I"}  # characters whose lowercase is longer than one character
# One character for another, so that spellings of one word meet: ё/е; Turkish dotless ı with i (so that
# İ/ı/I/i all fold to i, whatever the case mapping of the writer's keyboard); the Arabic-script letters that
# Arabic and Persian write differently (ي ى/ی, ك/ک), alef with hamza or madda, and ta marbuta with heh (the
# two are confused in typed text; a term and the text fold alike, so no word is lost).
_FOLD = {"ё": "е", "ı": "i", "ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه"}
# Characters that are dropped where spaces are folded (they keep their place in `normalize`, so offsets stay
# valid): the Arabic tatweel (a stretch of the line) and the harakat (short-vowel marks), which a writer
# may or may not put in; Persian's zero-width non-joiner is not a letter, so it already becomes a space.
_DROPPED = "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0670"
_DROPPED_SET = frozenset(_DROPPED)
_DROPPED_POINTS = np.array(sorted(ord(c) for c in _DROPPED_SET), dtype=np.uint32)
_SPACES = re.compile(r"\s+")
_ASCII_NON_WORD = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=8192)  # a text's characters repeat: the lookup is cheaper than the rule
def _char(ch: str) -> str:
    if ch in _PRE_LOWER:
        ch = _PRE_LOWER[ch]
    if unicodedata.category(ch)[0] not in "LNM":
        return " "
    low = ch.lower()
    if len(low) != 1:
        return ch
    return _FOLD.get(low, low)


def normalize(text: str) -> str:
    """Normalise one text, keeping its length (character offsets stay valid)."""
    if text.isascii():  # the same result, ~20x faster: in ASCII only letters and digits are word characters
        return _ASCII_NON_WORD.sub(" ", text.lower())
    return "".join(_char(ch) for ch in text)


def normalize_term(term: str) -> str:
    """Normalise a lexicon term or phrase: as `normalize`, with runs of spaces collapsed, ends trimmed and
    the dropped marks (tatweel, harakat) left out."""
    norm = normalize(term)
    if not norm.isascii():
        norm = "".join(ch for ch in norm if ch not in _DROPPED_SET)
    return _SPACES.sub(" ", norm).strip()


def normalize_expr(expr: pl.Expr) -> pl.Expr:
    """The same normalisation as a polars expression, padded with a space at both ends, spaces folded.

    The padding lets whole-word patterns (" term ") match at the text's edges. Equal to
    `fold_spaces(" " + normalize(text) + " ")[0]`.
    """
    out = expr.fill_null("")
    for src, dst in _PRE_LOWER.items():
        out = out.str.replace_all(src, dst, literal=True)
    out = out.str.to_lowercase()
    # one Aho-Corasick pass for every folded and dropped character
    out = out.str.replace_many(list(_FOLD) + sorted(_DROPPED_SET), list(_FOLD.values()) + [""] * len(_DROPPED_SET))
    out = out.str.replace_all(_FOLDED_RUN, " ").str.strip_chars(" ")
    return pl.concat_str([pl.lit(" "), out, pl.lit(" ")]).str.replace("  ", " ", literal=True)  # "" -> " "


def fold_spaces(norm: str) -> tuple[str, np.ndarray]:
    """Fold runs of spaces into one, as `normalize_expr` does; also return, for every character of the
    folded text (and its end), the index of the same character in `norm` (an integer array: in columns
    of code points, as a long text has millions of characters)."""
    points = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    if not norm.isascii():  # the dropped marks go first: the spaces around one fold as if it were not there
        kept = np.flatnonzero(~np.isin(points, _DROPPED_POINTS))
        if kept.size < points.size:
            folded, where = fold_spaces(points[kept].tobytes().decode("utf-32-le"))
            return folded, np.append(kept, len(norm))[where]
    space = points == 32
    keep = ~(space & np.concatenate(([False], space[:-1])))
    return points[keep].tobytes().decode("utf-32-le"), np.append(np.flatnonzero(keep), len(norm))


def cased_expr(expr: pl.Expr) -> pl.Expr:
    """As `normalize_expr` but keeping case, for the few names that only count when capitalised.

    Offsets agree with `normalize_expr` wherever lowercasing keeps a character's UTF-8 length.
    """
    out = expr.fill_null("").str.replace_all(_NON_WORD, " ")
    return pl.concat_str([pl.lit(" "), out, pl.lit(" ")]).str.replace_all(" {2,}", " ")
