"""Rank HS-6 candidates for a description the lexicon does not know, from the nomenclature's own words.

A small BM25 over the HS descriptions in the store (the bundled subset, or the full nomenclature once
`screener reference import hs` has loaded it). It returns a ranked list with a confidence for each
candidate — a suggestion to check, never a silent single answer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from screener.text.normalize import normalize_term

STOP = frozenset("""a an and or of for with the in on to by from other than not nes n e c whether including excluding
incl excl parts thereof kind kinds used use type types etc its their such as be which""".split())
_WORD = re.compile(r"[^\W\d_]{3,}")


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _tokens(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(normalize_term(text)) if w not in STOP]


@dataclass
class HsRanker:
    """Ranks HS-6 codes by how well their descriptions match a text (BM25 over stemmed words)."""

    codes: list[str]
    descriptions: list[str]

    def __post_init__(self) -> None:
        self.docs = [Counter(_tokens(d)) for d in self.descriptions]
        self.avg = sum(sum(d.values()) for d in self.docs) / max(len(self.docs), 1)
        df = Counter(t for d in self.docs for t in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
        self.postings: dict[str, list[int]] = {}
        for i, d in enumerate(self.docs):
            for t in d:
                self.postings.setdefault(t, []).append(i)

    def rank(self, text: str, top: int = 5, k1: float = 1.2, b: float = 0.75) -> list[dict]:
        """Best HS-6 candidates with a confidence in [0, 1] (share of the best possible match)."""
        query = set(_tokens(text)) & set(self.idf)
        if not query:
            return []
        scores: dict[int, float] = {}
        for t in query:
            for i in self.postings[t]:
                d = self.docs[i]
                tf = d[t]
                norm = tf * (k1 + 1) / (tf + k1 * (1 - b + b * sum(d.values()) / self.avg))
                scores[i] = scores.get(i, 0.0) + self.idf[t] * norm
        ceiling = sum(self.idf[t] for t in query) * (k1 + 1) / (1 + k1 * (1 - b + b * 1))
        best = sorted(scores.items(), key=lambda kv: (-kv[1], self.codes[kv[0]]))[:top]
        return [{"code": self.codes[i], "description": self.descriptions[i],
                 "confidence": round(min(1.0, s / ceiling), 3)} for i, s in best]


def ranker_for(reference) -> HsRanker:
    """Build (once per reference) a ranker over the HS-6 rows of the reference's HS table."""
    cached = reference.extra.get("hs_ranker")
    if cached is None:
        six = reference.hs.filter(reference.hs["level"] == 6)
        cached = HsRanker(six["code"].to_list(), six["description"].to_list())
        reference.extra["hs_ranker"] = cached
    return cached
