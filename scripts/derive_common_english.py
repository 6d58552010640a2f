"""Write reference_data/parties/common_english.txt: the 10,000 most frequent English words (wordfreq).

A listed name that agrees with running text on one ordinary word ("GREEN", a one-word alias of an OFAC-listed
person; "HAPPINESS", a listed vessel) is no match on that word alone: "Green tea, 200 kg, to Moscow" names no
party. `common_words.txt` holds the words companies like to take as names; this list adds the everyday words
of English, by frequency, so that the matcher does not depend on someone having thought of "green". Letters
only, two or more. Rerun when wordfreq changes, then `python scripts/update_manifest.py`.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from wordfreq import top_n_list

OUT = Path(__file__).resolve().parents[1] / "reference_data" / "parties" / "common_english.txt"
TOP = 10_000


def main() -> None:
    words = sorted({w for w in top_n_list("en", TOP) if w.isascii() and w.isalpha() and len(w) >= 2})
    header = (f"# The {TOP:,} most frequent English words of wordfreq {version('wordfreq')} (top_n_list('en')), letters\n"
              "# only, two or more: ordinary words, never a party match alone in running text\n"
              "# (scripts/derive_common_english.py; read by screener.parties.index.common_words).\n")
    OUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(words)} words")


if __name__ == "__main__":
    main()
