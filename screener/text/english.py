"""The ordinary English words typo repair must leave alone, computed once when the store is built.

Computing them reads wordfreq's and two dictionaries' word lists (~0.5 s and ~120 MB that a process
keeps); the store holds the result, so a worker reads 100k words instead.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from importlib.metadata import version
from typing import Iterable


def source_versions() -> str:
    """The word lists the guard is computed from, part of the reference version."""
    return f"wordfreq {version('wordfreq')}; english-words {version('english-words')}"


@lru_cache(maxsize=1)
def known_words(common_zipf: float = 3.0, inflected_zipf: float = 1.5) -> frozenset[str]:
    """Ordinary English words, which typo repair must leave alone (value is not a typo of valve).

    - words at least `common_zipf` on wordfreq's Zipf scale (3.0: once per million words), with
      their inflections as used;
    - rarer words of the big dictionaries (web2, GCIDE), but only if ever seen in use (wordfreq's list
      reaches down to once per billion words): the dictionaries hold thousands of odd forms;
    - inflections of those ("joists", "invoiced", "droned") seen at least `inflected_zipf` (1.5: once
      per 30 million words), and of stems under four letters ("cuter") a little more often (2.5):
      a bare suffix rule made typos like "munted", "bealing", "controler", "maing" or "cuting" look
      like words.
    """
    from english_words import get_english_words_set
    from wordfreq import get_frequency_dict

    dictionary = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    common, inflected, short_stem = (10 ** (z - 9) for z in (common_zipf, inflected_zipf, inflected_zipf + 1))

    def known(word: str, freq: float) -> bool:
        if freq >= common or word in dictionary:
            return True
        if freq < inflected:
            return False
        shortest = 1 if freq >= short_stem else 4
        for suffix in ("s", "es", "d", "ed", "ing", "ly", "er", "ers"):
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= shortest and stem in dictionary:
                return True
        return word.endswith("ies") and word[:-3] + "y" in dictionary

    return frozenset(w for w, f in get_frequency_dict("en", wordlist="large").items() if known(w, f))


class EnglishWords:
    """Ordinary English words, asked whether a word is one and whether a stem starts a longer one."""

    def __init__(self, words: Iterable[str]):
        self._sorted = sorted(set(words))
        self._set = frozenset(self._sorted)

    def __contains__(self, word: object) -> bool:
        return word in self._set

    def extends(self, stem: str) -> bool:
        """True when some English word is the stem plus more letters ("profil" -> "profile")."""
        at = bisect_right(self._sorted, stem)
        return at < len(self._sorted) and self._sorted[at].startswith(stem)
