"""Read the published transcriptions of the sanctions goods lists into rows of our goods-list layout.

Two upstream layouts (see ../shared/sources/SOURCES.md §7 and §9):
- EU Reg. 833/2014 annexes: `annex,cn_code,description,notes`; the notes carry the `ex` marker, the Annex
  XVIII category heading and its value condition, the Part (older consolidated texts) and the amending act.
- US import bans under E.O. 14068/14114: `program,hts_code_or_range,description,notes`, codes in dotted HTSUS,
  ranges written `0301.11.00 to 0301.99.03`.
Both give dicts of strings with GOODS_COLUMNS keys; the description is the upstream one (our bundled files
replace it with our own short wording, scripts/derive_goods_lists.py).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from screener.errors import InputError

EU_COLUMNS = ["annex", "cn_code", "description", "notes"]
US_COLUMNS = ["program", "hts_code_or_range", "description", "notes"]
EU_TAGS = {"XVII": "EU833-XVII", "XVIII": "EU833-XVIII", "XXI": "EU833-XXI"}
US_TAG = "US-RU-IMPORT-BAN"
# Entry into force of the acts that replaced these annexes (each "enters into force on the day following
# its publication"): Reg. 2023/1214 (OJ L 159 I of 23.6.2023), Reg. 2023/2878 (OJ L of 18.12.2023).
ACTS_IN_FORCE = {"2023/1214": "2023-06-24", "2023/2878": "2023-12-19"}
# E.O. 14068 of 11 March 2022 (fish, seafood and preparations thereof of Russian origin) and OFAC's Seafood
# Determination of 22 December 2023 under sec. 1(a)(i)(B) as amended by E.O. 14114.
US_PROGRAMS = (("Seafood Determination", "E.O. 14068 sec. 1(a)(i)(B) as amended by E.O. 14114, Seafood "
                "Determination of 22 Dec 2023", "2023-12-22"),
               ("", "E.O. 14068 sec. 1(a)(i) as amended by E.O. 14114 (fish, seafood and preparations thereof)",
                "2022-03-11"))
DEFAULT_EUR = "EUR 300"  # Art. 3h(2a): "insofar as their value exceeds EUR 300 per item, unless otherwise specified"
# Annex XVIII category (17) names two values: vehicles for the transport of persons EUR 50 000 each,
# motorbikes EUR 5 000 each; its teleferics, accessories and spare parts have none of their own (default).
VEHICLES_FOR_PERSONS = ("8603", "8605", "8702", "8703", "8712", "8802", "8901", "8903")
MOTORBIKES = ("8711",)

_CATEGORY = re.compile(r"category \((?P<n>\d+)\) (?P<heading>[^;]*)")
_AMOUNT = re.compile(r"EUR ((?:\d{1,3}(?: \d{3})+|\d+))")
_ACT = re.compile(r"Reg\. \(EU\) (\d{4}/\d+) Annex ([IVXL]+)")
_PART = re.compile(r"\bPart ([A-C])\b")
_HTS = re.compile(r"^\d{4}(?:\.\d{2}){1,2}(?:\d{2})?$|^\d{4}$")


@dataclass(frozen=True)
class ParsedList:
    """A list read from an upstream file: its tag, its rows (GOODS_COLUMNS dicts), the acts it names."""

    tag: str
    rows: list[dict]
    acts: tuple[str, ...]


def _read(path: Path, columns: list[str]) -> list[dict]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (first bad byte at offset {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != columns:
        raise InputError(f"{path}: columns {reader.fieldnames}, expected {columns} (the transcription layout)")
    rows = list(reader)
    if not rows:
        raise InputError(f"{path}: no rows")
    return rows


def eu_threshold(code: str, notes: str, heading: str) -> str:
    """The value condition of an Annex XVIII row, from its notes and its category heading."""
    if "any value" in notes or "of any value" in heading:
        return "any value"
    if "value threshold as stated in the category heading" in notes:
        amounts = [a.replace(" ", "") for a in _AMOUNT.findall(heading)]
        if len(amounts) == 1:
            return f"EUR {amounts[0]}"
        if len(amounts) > 1 and "motorbikes" in heading:
            if code.startswith(MOTORBIKES):
                return f"EUR {amounts[-1]}"
            if code.startswith(VEHICLES_FOR_PERSONS):
                return f"EUR {amounts[0]}"
        return DEFAULT_EUR
    m = re.search(r"value exceeds EUR (\d[\d ]*)", notes)
    return f"EUR {m.group(1).replace(' ', '')}" if m else ""


def parse_eu_annex(path: Path) -> ParsedList:
    """An EU 833/2014 annex transcription (XVII, XVIII or XXI; one annex per file)."""
    rows = _read(path, EU_COLUMNS)
    annexes = {r["annex"] for r in rows}
    if len(annexes) != 1 or not annexes <= set(EU_TAGS):
        raise InputError(f"{path}: expected one annex of {sorted(EU_TAGS)}, found {sorted(annexes)}")
    tag = EU_TAGS[annexes.pop()]
    out, acts, bad = [], [], []
    for n, r in enumerate(rows, 1):
        code = re.sub(r"^ex\s*", "", r["cn_code"].strip(), flags=re.IGNORECASE).replace(" ", "")
        if not (code.isdigit() and len(code) in (2, 4, 6, 8, 10)):
            bad.append(f"row {n + 1}: cn_code {r['cn_code']!r}")
            continue
        notes = r["notes"] or ""
        cat = _CATEGORY.search(notes)
        act = _ACT.search(notes)
        part = _PART.search(notes)
        if act:
            acts.append(act.group(1))
        legal = (f"Reg. (EU) {act.group(1)}, Annex {act.group(2)}" if act
                 else f"Reg. (EU) No 833/2014, Annex {tag.split('-')[1]}" + (f" Part {part.group(1)}" if part else ""))
        out.append({"position": str(n), "code": code, "code_to": "", "level": str(len(code)),
                    "ex": "1" if re.search(r"(^|; )ex \(", notes) or r["cn_code"].lower().startswith("ex") else "0",
                    "category": cat.group("n") if cat else "",
                    "threshold": (eu_threshold(code, notes, cat.group("heading") if cat else "")
                                  if tag == "EU833-XVIII" else ""),
                    "legal_act": legal, "in_force": ACTS_IN_FORCE.get(act.group(1), "") if act else "",
                    "description": " ".join((r["description"] or "").split())})
    if bad:
        raise InputError(f"{path}: {len(bad)} row(s) without a CN code: " + "; ".join(bad[:3]))
    return ParsedList(tag, out, tuple(dict.fromkeys(acts)))


def hts_digits(text: str) -> str:
    """`0301.11.00` -> `03011100` (checked)."""
    text = text.strip()
    if not _HTS.match(text):
        raise ValueError(f"{text!r} is not a dotted HTSUS code")
    return text.replace(".", "")


def parse_us_import_bans(path: Path) -> ParsedList:
    """OFAC's HTSUS lists of Russian-origin goods whose import E.O. 14068 bans (fish and seafood so far)."""
    rows = _read(path, US_COLUMNS)
    out, bad = [], []
    for n, r in enumerate(rows, 1):
        first, _, last = r["hts_code_or_range"].partition(" to ")
        try:
            code, code_to = hts_digits(first), hts_digits(last) if last else ""
        except ValueError as exc:
            bad.append(f"row {n + 1}: {exc}")
            continue
        program = next(p for p in US_PROGRAMS if p[0] in r["program"])
        species = r["description"].strip()
        out.append({"position": str(n), "code": code, "code_to": code_to, "level": str(len(code)), "ex": "0",
                    "category": species.lower() if program[0] else "fish and seafood", "threshold": "",
                    "legal_act": program[1], "in_force": program[2], "description": species})
    if bad:
        raise InputError(f"{path}: {len(bad)} row(s) without an HTSUS code: " + "; ".join(bad[:3]))
    return ParsedList(US_TAG, out, ())


PARSERS = {"eu833-annex": parse_eu_annex, "us-ru-import-ban": parse_us_import_bans}

__all__ = ["PARSERS", "ParsedList", "parse_eu_annex", "parse_us_import_bans", "eu_threshold", "EU_TAGS", "US_TAG"]
