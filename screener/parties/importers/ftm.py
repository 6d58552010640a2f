"""OpenSanctions FollowTheMoney entities (JSON lines: id, schema, properties{name: [values]}, target, datasets).

Only target entities of the legal-entity family are kept (sanctioned persons, companies, vessels ...);
Sanction entities add their programs to the entity they point at, Address entities give addresses.
"""

from __future__ import annotations

import json
from pathlib import Path

from screener.errors import InputError
from screener.parties.importers._common import country_code, decode_utf8, read_bytes
from screener.parties.model import ParsedList, PartyEntity

PARTY_SCHEMATA = {"Person": "individual", "Company": "entity", "Organization": "entity", "LegalEntity": "entity",
                  "PublicBody": "entity", "Vessel": "vessel", "Airplane": "aircraft"}
STRONG_PROPS = (("name", "primary"), ("alias", "aka"), ("previousName", "fka"))
WEAK_PROPS = (("weakAlias", "aka"), ("abbreviation", "abbreviation"))
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry", "registrationCountry", "flag")
ID_PROPS = ("registrationNumber", "innCode", "ogrnCode", "taxNumber", "idNumber", "passportNumber", "imoNumber",
            "swiftBic", "leiCode", "vatCode", "mmsi")


def read_jsonl(path: str | Path) -> tuple[list[dict], str]:
    """Read FTM JSON lines; a bad line (typically a truncated last line) is an InputError naming the line."""
    data, sha = read_bytes(path)
    text = decode_utf8(data, path)
    records = []
    lines = text.splitlines()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            hint = " (file looks truncated)" if n == len(lines) else ""
            raise InputError(f"{path}: line {n} is not valid JSON{hint}: {exc.msg}") from None
        if not isinstance(rec, dict) or "schema" not in rec or not isinstance(rec.get("properties"), dict):
            raise InputError(f"{path}: line {n} is not a FollowTheMoney entity (needs schema and properties)")
        records.append(rec)
    if not records:
        raise InputError(f"{path}: no entities")
    return records, sha


def import_ftm(path: str | Path, list_name: str = "FTM") -> ParsedList:
    """Parse FTM JSON lines into party entities."""
    records, sha = read_jsonl(path)
    by_id = {r.get("id"): r for r in records}
    programs: dict[str, list[str]] = {}
    for r in records:
        if r["schema"] == "Sanction":
            props = r["properties"]
            progs = props.get("program") or props.get("programId") or props.get("authority") or []
            for target in props.get("entity", []):
                programs.setdefault(target, []).extend(progs)
    entities = []
    last_seen = []
    for r in records:
        schema = PARTY_SCHEMATA.get(r["schema"])
        props = r["properties"]
        is_target = r.get("target") or any(t.startswith("sanction") and t != "sanction.linked"
                                           for t in props.get("topics", []))
        if schema is None or not is_target:
            continue
        names = props.get("name") or []
        primary = r.get("caption") or (names[0] if names else None)
        if not primary or not r.get("id"):
            continue
        ent = PartyEntity(str(r["id"]), primary, schema=schema,
                          programs=programs.get(r["id"]) or list(r.get("datasets", [])),
                          remarks="; ".join(props.get("notes", []))[:1000])
        ent.add_name(primary, "strong", "primary")
        for prop, kind in STRONG_PROPS:
            for v in props.get(prop, []):
                ent.add_name(v, "strong", kind)
        for prop, kind in WEAK_PROPS:
            for v in props.get(prop, []):
                ent.add_name(v, "weak", kind)
        for prop in COUNTRY_PROPS:
            ent.countries += [c for v in props.get(prop, []) if (c := country_code(v))]
        for prop in ID_PROPS:
            ent.ids += [{"type": prop, "value": v, "country": None} for v in props.get(prop, [])]
        for addr in props.get("address", []):
            ent.addresses.append({"address": addr, "city": None, "country": None, "country_code": None})
        for aid in props.get("addressEntity", []):
            a = by_id.get(aid)
            if a:
                ap = a["properties"]
                country = (ap.get("country") or [None])[0]
                ent.addresses.append({"address": (ap.get("full") or ap.get("street") or [None])[0],
                                      "city": (ap.get("city") or [None])[0], "country": country,
                                      "country_code": country_code(country)})
        if r.get("last_seen"):
            last_seen.append(r["last_seen"][:10])
        entities.append(ent)
    if not entities:
        raise InputError(f"{path}: no sanctioned (target) person, company or organisation entities")
    return ParsedList(list_name, "ftm", entities, max(last_seen) if last_seen else None, [str(path)], None, sha)
