"""Write reference_data/parties/name_tokens.tsv: how many listed names contain each name token.

The matcher weighs a token by its rarity in this fixed corpus (the names of the OFAC SDN list with its aliases,
the OFAC non-SDN consolidated list and the UN Security Council list in ../shared/sources/sanctions), never by
what the store holds at the time: importing another list must not change a decision on the first one's
entities. Tokens are `screener.parties.normalize.name_tokens` of each name; tokens found in fewer than 3 names
are left out (they all weigh the same, the most). Rerun when the normaliser changes, then
`python scripts/update_manifest.py`.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import duckdb

from screener.parties.importers import IMPORTERS
from screener.parties.normalize import name_tokens

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO.parent / "shared" / "sources" / "sanctions"
OUT = REPO / "reference_data" / "parties" / "name_tokens.tsv"
CORPUS = [("ofac-sdn", "ofac_sdn/sdn.csv"), ("ofac-alt", "ofac_sdn_alt/alt.csv"),
          ("ofac-consolidated", "ofac_consolidated_non_sdn/consolidated.xml"), ("un", "un_sc/UN.xml")]
MIN_DF = 3


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "corpus.duckdb"))
        for kind, rel in CORPUS:
            IMPORTERS[kind](con, SOURCES / rel)
        names = [r[0] for r in con.execute("SELECT DISTINCT name FROM party_names ORDER BY name").fetchall()]
        con.close()
    df: Counter[str] = Counter()
    n = 0
    for name in names:
        toks = set(name_tokens(name))
        if toks:
            n += 1
            df.update(toks)
    rows = sorted((t, c) for t, c in df.items() if c >= MIN_DF)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# names\t{n}\n")
        f.write("token\tnames\n")
        for t, c in rows:
            f.write(f"{t}\t{c}\n")
    print(f"wrote {OUT.relative_to(REPO)}: {len(rows)} tokens from {n} distinct names")


if __name__ == "__main__":
    main()
