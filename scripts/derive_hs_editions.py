#!/usr/bin/env python3
"""Write reference_data/hs/hs_editions.csv: every HS-6 code of HS 2017 or HS 2022 and which editions have it.

Codes are facts; no descriptions are copied. The screener uses the file to report declared codes that
are not HS codes at all, and HS 2017 codes that HS 2022 replaced. A maintainer tool: it reads the
upstream nomenclature files in ../shared/sources/hs/ and is not used at run time.

    python scripts/derive_hs_editions.py [--check]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO.parent / "shared" / "sources" / "hs"
OUT = REPO / "reference_data" / "hs" / "hs_editions.csv"


def _codes(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {r["hscode"] for r in csv.DictReader(f)
                if r.get("level") == "6" and r["hscode"].isdigit() and r["hscode"] != "999999"}


def render() -> str:
    new, old = _codes(SRC / "harmonized-system.csv"), _codes(SRC / "harmonized-system_hs2017.csv")
    lines = ["code,in_hs2017,in_hs2022"]
    lines += [f"{c},{int(c in old)},{int(c in new)}" for c in sorted(old | new)]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if not SRC.exists():
        print(f"error: {SRC} not found (the upstream HS files live in ../shared/sources/hs)", file=sys.stderr)
        return 2
    text = render()
    if "--check" in argv:
        return 0 if OUT.exists() and OUT.read_text(encoding="utf-8") == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} codes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
