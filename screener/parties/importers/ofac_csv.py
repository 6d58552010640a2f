"""OFAC legacy CSV files: sdn.csv (+ sibling alt.csv/add.csv), and the consolidated non-SDN list in the same layout.

Layout (OFAC data specification): comma-delimited, quoted text, null `-0-`, CR LF, a last line holding Ctrl-Z,
no header line (copies found in the wild add one; both are accepted). sdn.csv has 12 columns, add.csv 6, alt.csv 5.
Weak aliases are not in alt.csv: OFAC writes them into the Remarks field as `a.k.a. 'NAME'`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from screener.errors import InputError
from screener.parties.importers._common import clean, country_code, decode_utf8, read_bytes
from screener.parties.model import ParsedList, PartyEntity

SDN_COLUMNS = 12
ADD_COLUMNS = 6
ALT_COLUMNS = 5
SCHEMAS = {"individual": "individual", "vessel": "vessel", "aircraft": "aircraft"}

WEAK_AKA = re.compile(r"\b([afn])\.k\.a\.,?\s+'([^']+)'")
ID_PART = re.compile(
    r"^(?P<type>[A-Z][A-Za-z .\-/()]*?(?:No\.|Number|ID(?: No\.)?|Code|Passport|SWIFT/BIC|IMO|MMSI|LEI|Identification))"
    r"\s+(?P<value>[A-Za-z0-9][A-Za-z0-9\-/.]*)(?:\s+\((?P<country>[^)]+)\))?"
)
NATIONALITY = re.compile(r"^(?:nationality|citizen)\s+(?P<country>.+)$", re.I)


def read_rows(path: str | Path, columns: int, header_first: str) -> tuple[list[list[str]], str]:
    """Read an OFAC CSV file into rows of `columns` fields; reject other layouts, truncation and bad encoding."""
    data, sha = read_bytes(path)
    text = decode_utf8(data, path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for lineno, row in enumerate(reader, start=1):
            if not row or row == ["\x1a"] or (len(row) == 1 and not row[0].strip("\x1a \r\n")):
                continue
            if lineno == 1 and row[0].strip().lower() == header_first:
                if len(row) != columns:
                    raise InputError(f"{path}: header has {len(row)} columns; expected {columns}")
                continue
            if len(row) != columns:
                raise InputError(
                    f"{path}: record {reader.line_num} has {len(row)} fields; expected {columns} "
                    f"(wrong file kind or truncated file)"
                )
            if not row[0].strip().isdigit():
                raise InputError(f"{path}: record {reader.line_num} does not start with a numeric id: {row[0][:30]!r}")
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV near line {reader.line_num} ({exc}); is the file truncated?") from None
    if not rows:
        raise InputError(f"{path}: no records")
    return rows, sha


def _remarks_facts(entity: PartyEntity, remarks: str) -> None:
    """Pull weak aliases, identifiers and nationalities out of an SDN Remarks field."""
    for kind, alias in WEAK_AKA.findall(remarks):
        entity.add_name(alias, "weak", f"{kind}ka")
    for part in remarks.rstrip(".").split(";"):
        part = part.strip()
        m = ID_PART.match(part)
        if m and any(ch.isdigit() for ch in m["value"]):
            cc = country_code(m["country"]) if m["country"] else None
            entity.ids.append({"type": m["type"].strip(), "value": m["value"].rstrip("."), "country": cc})
            if cc:
                entity.countries.append(cc)
            continue
        m = NATIONALITY.match(part)
        if m and (cc := country_code(m["country"])):
            entity.countries.append(cc)


def parse_sdn(path: str | Path) -> tuple[list[PartyEntity], str]:
    """Parse sdn.csv (or the consolidated CSV) into entities."""
    rows, sha = read_rows(path, SDN_COLUMNS, "ent_num")
    entities = []
    for row in rows:
        name = clean(row[1])
        if not name:
            raise InputError(f"{path}: record {row[0]} has no name")
        remarks = clean(row[11]) or ""
        ent = PartyEntity(
            entity_id=row[0].strip(),
            name=name,
            schema=SCHEMAS.get((clean(row[2]) or "").lower(), "entity"),
            programs=[p.strip() for p in (clean(row[3]) or "").strip("[]").split("] [") if p.strip()],
            remarks=remarks,
        )
        ent.add_name(name, "strong", "primary")
        if flag := country_code(clean(row[9])):
            ent.countries.append(flag)
        _remarks_facts(ent, remarks)
        entities.append(ent)
    return entities, sha


def apply_alt(entities: dict[str, PartyEntity], path: str | Path) -> tuple[int, str]:
    """Add alt.csv aliases to known entities; return how many rows matched an entity."""
    rows, sha = read_rows(path, ALT_COLUMNS, "ent_num")
    used = 0
    for row in rows:
        ent = entities.get(row[0].strip())
        if ent is None:
            continue
        kind = (clean(row[2]) or "aka").lower()
        ent.add_name(clean(row[3]), "strong", kind)
        used += 1
    return used, sha


def apply_add(entities: dict[str, PartyEntity], path: str | Path) -> tuple[int, str]:
    """Add add.csv addresses (and their countries) to known entities."""
    rows, sha = read_rows(path, ADD_COLUMNS, "ent_num")
    used = 0
    for row in rows:
        ent = entities.get(row[0].strip())
        if ent is None:
            continue
        country = clean(row[4])
        cc = country_code(country)
        addr = {"address": clean(row[2]), "city": clean(row[3]), "country": country, "country_code": cc}
        if any(addr.values()):
            ent.addresses.append(addr)
        if cc:
            ent.countries.append(cc)
        used += 1
    return used, sha


def _sibling(path: Path, name: str) -> Path | None:
    """A sibling file of sdn.csv by case-insensitive name (alt.csv, add.csv)."""
    for cand in path.parent.iterdir():
        if cand.name.lower() == name and cand.is_file():
            return cand
    return None


def import_sdn(path: str | Path, list_name: str = "OFAC-SDN") -> ParsedList:
    """sdn.csv with alt.csv and add.csv picked up automatically when they sit in the same folder."""
    path = Path(path)
    entities, sha = parse_sdn(path)
    by_id = {e.entity_id: e for e in entities}
    paths, hashes = [str(path)], [sha]
    for sib, apply in (("alt.csv", apply_alt), ("add.csv", apply_add)):
        sp = _sibling(path, sib)
        if sp is not None and sp.resolve() != path.resolve():
            _, s = apply(by_id, sp)
            paths.append(str(sp))
            hashes.append(s)
    return ParsedList(list_name, "ofac-sdn", entities, None, paths, None, ";".join(hashes))


def import_consolidated_csv(path: str | Path, list_name: str = "OFAC-CONS") -> ParsedList:
    """The consolidated non-SDN list's CSV (same 12-column layout as sdn.csv)."""
    entities, sha = parse_sdn(path)
    return ParsedList(list_name, "ofac-consolidated", entities, None, [str(path)], None, sha)

