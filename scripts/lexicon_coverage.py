"""Print the lexicon's coverage of the listed codes (issue 19 #1): per list, how many of its HS-6 codes have
names in the lexicon, at least 10, and the median names and languages; `--codes LIST` adds one line per code.

    python scripts/lexicon_coverage.py                 # the summary table (Markdown)
    python scripts/lexicon_coverage.py --codes CHPL    # and every CHPL code with its names and languages
"""

from __future__ import annotations

import argparse
import sys

from screener.api import load_screener
from screener.lexicon.coverage import FLOOR, coverage_by_code, coverage_summary, listed_codes


def _markdown(rows: list[dict]) -> str:
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[h]) for h in head) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--codes", metavar="LIST", action="append", default=[], help="also list every code of LIST")
    ap.add_argument("--floor", type=int, default=FLOOR)
    args = ap.parse_args(argv)
    ref = load_screener(parties=False, bundled_rules=False).reference
    table = coverage_by_code(ref.entries.values(), listed_codes(ref.coverage))
    print(_markdown(coverage_summary(table, args.floor).to_dicts()))
    for lst in args.codes:
        rows = table.filter(table["list"] == lst)
        if rows.is_empty():
            print(f"error: no list {lst!r} (lists: {', '.join(table['list'].unique(maintain_order=True))})",
                  file=sys.stderr)
            return 2
        print(f"\n{lst}: code, entries, names, languages")
        for r in rows.iter_rows(named=True):
            print(f"  {r['hs6']}  {r['entries']:4d}  {r['names']:5d}  {','.join(r['languages'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
