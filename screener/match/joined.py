"""A column of texts as one byte string, rows joined by newlines, and offsets in it back to rows.

Multi-pattern engines (Aho-Corasick, Hyperscan) scan one buffer far faster than many small ones; the
texts are joined with a newline, which no pattern holds, and a match is given back to its text by
its byte offset.
"""

from __future__ import annotations

import numpy as np
import polars as pl


def joined(texts: pl.Series) -> tuple[bytes, np.ndarray]:
    """The texts (nulls as empty) joined by newlines, as UTF-8 bytes, and each text's start in them."""
    texts = texts.fill_null("")
    widths = texts.str.len_bytes().cast(pl.Int64).to_numpy() + 1
    return texts.str.join("\n").item().encode(), np.cumsum(widths) - widths


def text_at(starts: np.ndarray, offsets) -> np.ndarray:
    """The index of the text that holds each byte offset."""
    return np.searchsorted(starts, np.asarray(offsets, dtype=np.int64), side="right") - 1
