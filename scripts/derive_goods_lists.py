#!/usr/bin/env python3
"""Derive reference_data/lists/ goods lists (EU 833/2014 Annexes XVII, XVIII, XXI; US import bans) from upstream.

Maintainer tool, not used at run time. It reads the transcriptions in ../shared/sources (SOURCES.md §7, §9)
with the same parser as `screener reference import` (screener/reference/annex_layout.py) and writes our own
files: the facts (codes, ranges, ex markers, categories, value thresholds, legal acts, dates) in our columns,
and descriptions of our own, shortened from the official text; where that text is only "Other" or
"Of a kind used on …", the short HS description of the subheading or heading comes first.

    python scripts/derive_goods_lists.py            # write the four files
    python scripts/derive_goods_lists.py --check    # exit 1 if a file on disk is stale

Then run scripts/derive_hs_subset.py and scripts/update_manifest.py.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from screener.errors import ScreenerError  # noqa: E402
from screener.reference.annex_layout import parse_eu_annex, parse_us_import_bans  # noqa: E402
from screener.reference.goods_lists import GOODS_COLUMNS  # noqa: E402

SOURCES = REPO.parent / "shared" / "sources"
LISTS = REPO / "reference_data" / "lists"
HS_SOURCE = SOURCES / "hs" / "harmonized-system.csv"
# upstream file -> (our file, the act the annex as transcribed comes from, its entry into force); the XVIII
# transcription's notes do not name its act (SOURCES.md §7: Annex VI of Reg. 2023/1214)
FILES = {
    "eu_833_2014/eu_833_annex_xviii_luxury.csv": ("eu_833_annex_xviii.csv", "Reg. (EU) 2023/1214, Annex VI",
                                                  "2023-06-24"),
    "eu_833_2014/eu_833_annex_xvii_iron_steel.csv": ("eu_833_annex_xvii.csv", None, None),
    "eu_833_2014/eu_833_annex_xxi_import_ban.csv": ("eu_833_annex_xxi.csv", None, None),
    "us_import_bans/us_eo14068_import_bans.csv": ("us_ru_import_bans.csv", None, None),
}
GENERIC_STARTS = ("other", "of ", "for ", "each ", "with ", "not ", "in ", "having ", "containing ", "incorporating ",
                  "combined ", "fully", "compression", "window or wall")
MAX_DESC = 100


def _hs_module():
    spec = importlib.util.spec_from_file_location("derive_hs_subset", REPO / "scripts" / "derive_hs_subset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def own_description(code: str, official: str, hs: dict, shorten, species: str = "") -> str:
    """Our short description: the official text shortened; a generic one led by the HS description."""
    short = shorten(official, style="cn") if official else ""
    target = code[:6] if code[:6] in hs else code[:4]
    hs_desc = shorten(hs[target][2], head=len(target) == 6) if target in hs else ""
    if species:
        text = f"{species}: {hs_desc[:1].lower() + hs_desc[1:]}" if hs_desc else species
    elif short and hs_desc and short.lower() in hs_desc.lower():
        text = hs_desc
    elif not short or len(short) < 30 or short.lower().startswith(GENERIC_STARTS):
        text = f"{hs_desc}: {short[:1].lower() + short[1:]}" if hs_desc and short else hs_desc or short
    else:
        text = short
    text = shorten(text, limit=MAX_DESC, style="cn") if len(text) > MAX_DESC else text
    text = re.sub(r"(?:,? (?:or|and|of|with))+$", "", text.rstrip(" ,;:"))
    return text[:1].upper() + text[1:]


def derive(hs: dict, shorten) -> dict[str, str]:
    """Our file name -> CSV text."""
    out = {}
    for source, (name, act, in_force) in FILES.items():
        path = SOURCES / source
        parsed = parse_us_import_bans(path) if source.startswith("us_") else parse_eu_annex(path)
        buf = io.StringIO()
        writer = csv.DictWriter(buf, GOODS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in parsed.rows:
            row = dict(row)
            if act:
                row["legal_act"], row["in_force"] = act, in_force
            us = source.startswith("us_")
            fish = row["category"] == "fish and seafood"
            species = ("Fish and seafood" if fish else row["description"]) if us else ""
            row["description"] = own_description(row["code"], "" if us else row["description"], hs, shorten, species)
            writer.writerow(row)
        out[name] = buf.getvalue()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file on disk is stale")
    args = parser.parse_args(argv)
    hs_module = _hs_module()
    try:
        hs = hs_module.read_hs(HS_SOURCE)
        texts = derive(hs, hs_module.shorten)
    except (ScreenerError, hs_module.DeriveError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale = [n for n, t in texts.items() if not (LISTS / n).is_file() or (LISTS / n).read_text(encoding="utf-8") != t]
    if args.check:
        for name in stale:
            print(f"stale: reference_data/lists/{name} (re-run scripts/derive_goods_lists.py)", file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        hs_module.write_atomic(LISTS / name, texts[name])
    for name, text in texts.items():
        print(f"{'wrote' if name in stale else 'kept'} reference_data/lists/{name}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
