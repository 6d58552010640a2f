#!/usr/bin/env python3
"""Derive reference_data/hs/hs2022.csv: the HS 2022 codes the screener needs, with short descriptions.

Maintainer tool, not used at run time. It reads the upstream HS 2022 nomenclature
(../shared/sources/hs/harmonized-system.csv, UN Comtrade short texts, UTF-8 with BOM) and keeps:

- every code that a list in reference_data/lists/ names (8- and 10-digit codes contribute their HS-6, or
  the heading of a code printed `NNNN 00 00`; a range the headings it spans),
- every HS-6 below a listed chapter or heading (a list entry at that level covers all of them),
- every HS-6 named by a lexicon entry (``hs6:`` in reference_data/lexicon/*.yaml),
- the whole of the chapters where controlled goods live (CORE_CHAPTERS),
- and the chapter and heading above every kept subheading.

Descriptions are our own short forms of the upstream text (see ``shorten``). The lexicon is
written by other people and grows, so re-run this script whenever it changes, then
``scripts/update_manifest.py``. ``--check`` exits 1 when the file on disk is stale.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "sources" / "hs" / "harmonized-system.csv"
OUTPUT = REPO / "reference_data" / "hs" / "hs2022.csv"
LISTS = REPO / "reference_data" / "lists"
LEXICON = REPO / "reference_data" / "lexicon"

# Chapters kept whole: inorganic and organic chemicals, explosives, machinery, electrical
# equipment, aircraft, optical/measuring instruments, arms and ammunition.
CORE_CHAPTERS = ("28", "29", "36", "84", "85", "88", "90", "93")

# Codes a list names that are not HS 2022 codes; documented in MANIFEST.yaml notes.
KNOWN_NON_HS2022 = {
    "441860": "EU Annex XXIII 4418 60 is an HS 2017 subheading (HS 2022 moved posts and beams to 441830)",
    "98": "EU Annex XXIII 'ex 98' is CN chapter 98 (complete industrial plants), not an HS chapter",
}

# Hand-written descriptions where trimming the upstream text loses what tells a code apart
# from its siblings (weight classes, the item named last in a long list).
HS_OVERRIDES = {
    "847150": "Computer processing units other than 847141/847149",
    "847180": "Other units of computers (not processing, input/output or storage units)",
    "851762": "Machines to receive, convert and transmit voice, images or data (switches, routers)",
    "852691": "Radio navigational aid apparatus",
    "880610": "Unmanned aircraft for carrying passengers",
    "880621": "Unmanned aircraft, remote-controlled only, max take-off weight up to 250 g",
    "880622": "Unmanned aircraft, remote-controlled only, max take-off weight 250 g to 7 kg",
    "880623": "Unmanned aircraft, remote-controlled only, max take-off weight 7 kg to 25 kg",
    "880624": "Unmanned aircraft, remote-controlled only, max take-off weight 25 kg to 150 kg",
    "880629": "Unmanned aircraft, remote-controlled only, max take-off weight over 150 kg",
    "880691": "Unmanned aircraft, not remote-controlled only, max take-off weight up to 250 g",
    "880692": "Unmanned aircraft, not remote-controlled only, max take-off weight 250 g to 7 kg",
    "880693": "Unmanned aircraft, not remote-controlled only, max take-off weight 7 kg to 25 kg",
    "880694": "Unmanned aircraft, not remote-controlled only, max take-off weight 25 kg to 150 kg",
    "880699": "Unmanned aircraft, not remote-controlled only, max take-off weight over 150 kg",
    "902781": "Mass spectrometers and other instruments for physical or chemical analysis",
    "284410": "Natural uranium and its compounds, alloys and mixtures",
    "284420": "Uranium enriched in U235, plutonium and their compounds, alloys and mixtures",
    "284430": "Uranium depleted in U235, thorium and their compounds, alloys and mixtures",
    "284442": "Radioactive isotopes (actinium-225, californium-253, polonium-210, radium-223 etc.)",
    "284444": "Other radioactive elements, isotopes and compounds; radioactive residues",
    "961220": "Ink pads",
    "90": "Optical, photographic, measuring, checking, precision, medical or surgical instruments",
}

MAX_LEN = 90
_SKIP_CODES = {"TOTAL", "99", "9999", "999999"}
_PAREN_BODY = r"[^()]*(?:\([^()]*\)[^()]*)*\)"
# Examples and inclusions never tell siblings apart: always dropped.
_PAREN_INFO = re.compile(r"\s*\((?:incl\.|including|for example|e\.g\.|such as)" + _PAREN_BODY, re.IGNORECASE)
# Exclusions often do ("Styrene polymers (other than expansible)"): dropped only when too long.
_PAREN_EXCL = re.compile(r"\s*\((?:excl\.|excluding|other than|not including)" + _PAREN_BODY, re.IGNORECASE)
_NEC = re.compile(
    r"\b(?:n\.e\.c\.|n\.e\.s\.|not elsewhere specified or included|not elsewhere specified)"
    r"(?:\s+(?:in|under)\s+(?:this\s+chapter|(?:heading|item|subheading|chapter)s?(?:\s+no\.)?\s+[\d.]+"
    r"(?:\s*(?:,|or|and)\s*[\d.]+)*))?",
    re.IGNORECASE,
)
_CUT = re.compile(
    r"(?:^|,?\s+)(?:whether or not|including|incl\.|e\.g\.|for example|of a kind used in|"
    r"such as)(?=\s|$).*$",
    re.IGNORECASE,
)


class DeriveError(Exception):
    """A one-line, user-facing error."""


def shorten(text: str, limit: int = MAX_LEN, style: str = "comtrade", head: bool = True) -> str:
    """Return a short description of our own from an official HS/CN text.

    Drops exclusion/example parentheticals and "whether or not ..." tails and trims to
    ``limit`` characters at a clause or word boundary. ``style="comtrade"`` reads UN Comtrade
    short texts, whose first ";" separates a head from its qualifier ("Horses; live" ->
    "Horses: live"); ``style="cn"`` reads EU CN texts, where ";" joins coordinate items and
    " – " marks a subdivision ("Chlorates – Of sodium" -> "Chlorates: of sodium").
    ``head=False`` keeps every ";" as "; " (Comtrade chapter and heading texts list items).
    """
    s = " ".join(text.replace("\u00a0", " ").split())
    s = re.sub(r"(?<=[a-z])- (?=[a-z])", "-", s)  # "micro- crystalline" (line-break hyphen)
    s = _NEC.sub("n.e.c.", s)
    s = _PAREN_INFO.sub("", s)
    if len(s) > limit:
        s = _PAREN_EXCL.sub("", s)
    s = re.sub(r"\s*,(\s*,)+", ",", s).replace(" ,", ",")
    # Tokenise into (separator, part) pairs.
    level_sep = "\x01"
    s = re.sub(r"\s+[–-]\s+", level_sep, s) if style == "cn" else s.replace(" – ", ";")
    pieces = re.split(r"(;|\x01)", s)
    tokens: list[tuple[str, str]] = []
    sep = ""
    for piece in pieces:
        if piece in (";", level_sep):
            sep = piece
            continue
        part = piece.strip(" ,:;")
        if part.startswith("(") and part.find(")") > 0:  # "; (other than X), in primary forms"
            close = part.find(")")
            part = (part[1:close] + part[close + 1 :]).strip(" ,:;")
        if part:
            tokens.append((sep, part))
    if not tokens:
        return ""
    out = ""
    for i, (sep, part) in enumerate(tokens):
        cut = (_CUT.sub("", part) if i or len(part) > 40 else part).strip(" ,:;")
        if not cut and i:
            continue  # the whole part was a "whether or not ..." tail
        part = cut or part
        if i == 0:
            out = part
            continue
        if style == "comtrade":
            joiner = ": " if i == 1 and head else "; "
        else:
            joiner = ": " if sep == level_sep else "; "
        if joiner == ": ":
            part = _lower_first(part)
        if len(out) + len(joiner) + len(part) > limit:
            if i == 1 and len(out) < limit - 15:
                out = out + joiner + part  # keep the qualifier, trimmed below
            break
        out = out + joiner + part
    return _trim(out, limit)


def _lower_first(part: str) -> str:
    """Lower-case the first letter unless the first word is an acronym or a chemical symbol."""
    word = part.split(" ", 1)[0]
    if len(word) > 1 and (word[1:2].isupper() or any(c.isdigit() for c in word)):
        return part
    return part[:1].lower() + part[1:]


def _trim(s: str, limit: int) -> str:
    """Cut ``s`` to at most ``limit`` characters at the last comma, else the last space."""
    if s.endswith(".") and "." not in s.rsplit(" ", 1)[-1][:-1]:
        s = s[:-1]  # a closing full stop, not an abbreviation such as "n.e.c."
    if len(s) <= limit:
        return s.rstrip(" ,:;")
    head = s[:limit]
    for sep in (", ", "; ", " "):
        pos = head.rfind(sep)
        if pos > limit // 2:
            head = head[:pos]
            break
    head = head.rstrip(" ,:;")
    for word in (" of", " and", " or", " for", " the", " with", " in", " a", " an", " to", " by", " not",
                 " than", " containing", " at", " on", " per"):
        if head.endswith(word):
            head = head[: -len(word)].rstrip(" ,:;")
    # Unbalanced "(" after trimming: drop the open parenthetical.
    if head.count("(") > head.count(")"):
        head = head[: head.rfind("(")].rstrip(" ,:;")
    return head


def read_hs(source: Path) -> dict[str, tuple[int, str, str]]:
    """Read the upstream nomenclature: code -> (level, parent, official description)."""
    if not source.is_file():
        raise DeriveError(
            f"HS source not found: {source} (this maintainer tool needs the read-only ../shared "
            "checkout; pass --source PATH)"
        )
    out: dict[str, tuple[int, str, str]] = {}
    with source.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"hscode", "description", "parent", "level"} - set(reader.fieldnames or [])
        if missing:
            raise DeriveError(f"{source}: missing columns {sorted(missing)}")
        for row in reader:
            code = (row["hscode"] or "").strip()
            if not code or code in _SKIP_CODES or row["section"] == "TOTAL":
                continue
            level = int(row["level"])
            if level not in (2, 4, 6) or len(code) != level or not code.isdigit():
                continue
            parent = row["parent"].strip() if level > 2 else ""
            out[code] = (level, parent, row["description"])
    return out


def list_codes() -> set[str]:
    """Codes named by our lists, at their own level. A CN/HTS code of 8 or 10 digits contributes its HS-6, or
    its heading when it is printed as `NNNN 00 00` (a whole heading); a range of codes contributes the
    headings it spans."""
    codes: set[str] = set()
    specs = {"chpl.csv": "hs6", "eu_annex_xl.csv": "hs6", "eu_833_annexes.csv": "code"}
    specs |= {p.name: "code" for p in sorted(LISTS.glob("*.csv")) if p.name not in specs}
    for name, column in specs.items():
        path = LISTS / name
        if not path.is_file():
            print(f"warning: {path.relative_to(REPO)} not found; skipped", file=sys.stderr)
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code, last = row[column].strip(), (row.get("code_to") or "").strip()
                if last:
                    codes.update(f"{h:04d}" for h in range(int(code[:4]), int(last[:4]) + 1))
                elif len(code) > 6:
                    codes.add(code[:4] if set(code[4:]) == {"0"} else code[:6])
                else:
                    codes.add(code)
    return codes


def lexicon_codes() -> set[str]:
    """HS-6 codes named by ``hs6:`` of every entry in reference_data/lexicon/*.yaml."""
    codes: set[str] = set()
    for path in sorted(LEXICON.glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            print(f"warning: {path.relative_to(REPO)} is not valid YAML ({exc.__class__.__name__}); skipped",
                  file=sys.stderr)
            continue
        entries = doc.get("entries") if isinstance(doc, dict) else None
        for entry in entries or []:
            if isinstance(entry, dict):
                for code in entry.get("hs6") or []:
                    codes.add(str(code).strip())
    return codes


def select(hs: dict[str, tuple[int, str, str]], wanted: set[str]) -> tuple[set[str], list[str]]:
    """Expand wanted codes to the kept set; return (kept codes, wanted codes not in HS 2022)."""
    kept: set[str] = set()
    unknown: list[str] = []
    for code in sorted(wanted):
        if code not in hs and len(code) == 4 and code.endswith("00") and code[:2] in hs:
            code = code[:2]  # `9700`: chapter 97 printed as a heading (as screener/reference/coverage.py reads it)
        if code not in hs:
            unknown.append(code)
            continue
        kept.add(code)
        if len(code) < 6:  # a chapter or heading covers every HS-6 below it
            kept.update(c for c in hs if c.startswith(code))
    for code in list(kept):  # ancestors
        kept.add(code[:2])
        if len(code) == 6:
            kept.add(code[:4])
    return kept, unknown


def render(hs: dict[str, tuple[int, str, str]], kept: set[str]) -> str:
    """The CSV text, sorted by code, LF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "level", "parent", "description"])
    for code in sorted(kept):
        level, parent, desc = hs[code]
        short = HS_OVERRIDES.get(code) or shorten(desc, head=level == 6)
        writer.writerow([code, level, parent, short])
    return buf.getvalue()


def write_atomic(path: Path, text: str) -> None:
    """Write text to path via a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="upstream harmonized-system.csv")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the output file is stale")
    args = parser.parse_args(argv)
    try:
        hs = read_hs(args.source)
        wanted = list_codes() | lexicon_codes() | set(CORE_CHAPTERS)
        kept, unknown = select(hs, wanted)
        text = render(hs, kept)
    except DeriveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for code in unknown:
        reason = KNOWN_NON_HS2022.get(code, "not an HS 2022 code: check the list or lexicon entry")
        print(f"note: {code} skipped: {reason}", file=sys.stderr)
    current = args.output.read_text(encoding="utf-8") if args.output.is_file() else None
    if args.check:
        if current != text:
            print(f"stale: {args.output} (re-run scripts/derive_hs_subset.py)", file=sys.stderr)
            return 1
        print(f"ok: {args.output} is current ({len(kept)} codes)")
        return 0
    if current != text:
        write_atomic(args.output, text)
    levels = {n: sum(1 for c in kept if len(c) == n) for n in (2, 4, 6)}
    print(f"wrote {args.output.relative_to(REPO) if args.output.is_relative_to(REPO) else args.output}: "
          f"{len(kept)} codes (chapters {levels[2]}, headings {levels[4]}, subheadings {levels[6]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
