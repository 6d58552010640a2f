"""Which HS-6 subheadings a list code covers, and whether it covers each in full.

A code covers what lies below it: a chapter (2 digits) or a heading (4) every HS-6 under it, a subheading (6)
itself. A longer national code (CN 8 digits, TARIC or HTS 10) covers part of its HS-6, unless its extra digits
are zeros: the CN and the HTS give an undivided subheading the suffix 00, so `4202 21 00` is the whole of
420221; and where `NNNN00` is no HS code, `8708 00 00` is how an annex prints the whole heading 8708 (and
`9700` the chapter 97). A code no HS edition we hold knows is kept as it is. A range
(`0301.11.00 to 0301.99.03`) covers every HS-6 from its first code to its last; the first and last are
partial when the range starts or ends inside them. An entry marked `ex` covers everything it names in part.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class Nomenclature:
    """The HS codes known to the store, for expanding list codes (built once per list build or import)."""

    def __init__(self, codes: list[str]):
        self.codes = frozenset(codes)
        self.hs6 = sorted(c for c in self.codes if len(c) == 6)

    def below(self, prefix: str) -> list[str]:
        """Every HS-6 that starts with `prefix` (2, 4 or 6 digits), in order."""
        lo = bisect_left(self.hs6, prefix)
        hi = bisect_left(self.hs6, prefix + "\x7f")
        return self.hs6[lo:hi]

    def between(self, first: str, last: str) -> list[str]:
        """Every HS-6 from `first` to `last` (6 digits each), inclusive, in order."""
        return self.hs6[bisect_left(self.hs6, first):bisect_right(self.hs6, last)]


def effective_code(code: str, hs: Nomenclature) -> tuple[str, bool]:
    """The HS code (2, 4 or 6 digits) a list code stands for, and whether it stands for all of it."""
    if len(code) > 6:
        zeros = set(code[6:]) == {"0"}
        if code[:6] in hs.codes or not zeros:
            return code[:6], zeros and code[:6] in hs.codes
    cut = code[:6]
    while cut not in hs.codes and len(cut) > 2 and cut.endswith("00"):
        cut = cut[:-2]  # `8708 00 00`, `9700`: a heading or a chapter printed with zeros
    if cut in hs.codes:
        return cut, True
    return code[:6], len(code) <= 6


def covered(code: str, code_to: str | None, ex: bool, hs: Nomenclature) -> list[tuple[str, bool]]:
    """(hs6, partial) for every HS-6 the entry covers."""
    if code_to:
        first, last = code[:6].ljust(6, "0"), code_to[:6].ljust(6, "9")
        starts_inside = len(code) > 6 and set(code[6:]) != {"0"}
        ends_inside = len(code_to) > 6
        return [(c, ex or (c == first and starts_inside) or (c == last and ends_inside))
                for c in hs.between(first, last)]
    target, whole = effective_code(code, hs)
    if len(target) < 6:
        return [(c, ex) for c in hs.below(target)]
    return [(target, ex or not whole)]


__all__ = ["Nomenclature", "covered", "effective_code"]
