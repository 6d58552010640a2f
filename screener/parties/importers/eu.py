"""EU consolidated financial sanctions list (FSF): CSV v1.1 (`;`, one row per alias/address/id) and XML export.

XML: root `export` (namespace http://eu.europa.ec/fpi/fsd/export), `sanctionEntity` elements with attributes
`logicalId`, `euReferenceNumber`, and children `regulation@programme`, `subjectType@classificationCode` (P/E),
`nameAlias@wholeName|firstName|middleName|lastName|strong`, `citizen@countryIso2Code`, `address@...`,
`identification@number|identificationTypeCode|countryIso2Code`. Entity ids are EU reference numbers (EU.1.23).
"""

from __future__ import annotations

from pathlib import Path

from screener.errors import InputError
from screener.parties.importers._common import clean, country_code, local, parse_xml, read_bytes
from screener.parties.importers._table import read_table
from screener.parties.model import ParsedList, PartyEntity

SCHEMA = {"P": "individual", "E": "entity", "PERSON": "individual", "ENTERPRISE": "entity"}


def _whole(get) -> str | None:
    return clean(get("wholeName")) or clean(" ".join(filter(None, (get("firstName"), get("middleName"),
                                                                    get("lastName"))))) or None


def import_eu(path: str | Path, list_name: str = "EU-FSF") -> ParsedList:
    """EU FSF file, CSV or XML by content."""
    data, _ = read_bytes(path)
    if data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return _import_xml(path, list_name)
    return _import_csv(path, list_name)


def _add_country(ent: PartyEntity, iso: str | None, desc: str | None) -> None:
    cc = country_code(iso) if iso and iso != "00" else country_code(desc)
    if cc:
        ent.countries.append(cc)


def _import_xml(path, list_name) -> ParsedList:
    data, sha = read_bytes(path)
    root = parse_xml(data, path)
    if local(root.tag) != "export":
        raise InputError(f"{path}: root element is <{local(root.tag)}>; expected <export> (EU FSF XML)")
    published = (root.get("generationDate") or "")[:10] or None
    entities = []
    for el in root:
        if local(el.tag) != "sanctionEntity":
            continue
        eid = el.get("euReferenceNumber") or el.get("logicalId")
        ent = PartyEntity(eid or "", "", remarks=clean(el.get("designationDetails")) or "")
        for c in el:
            tag, get = local(c.tag), c.get
            if tag == "subjectType":
                ent.schema = SCHEMA.get((get("classificationCode") or get("code") or "E").upper(), "entity")
            elif tag == "regulation" and (p := clean(get("programme"))):
                ent.programs.append(p)
            elif tag == "nameAlias" and (nm := _whole(get)):
                strong = (get("strong") or "true").lower() != "false"
                if not ent.name:
                    ent.name = nm
                ent.add_name(nm, "strong" if strong else "weak", "primary" if nm == ent.name else "aka")
            elif tag == "citizen":
                _add_country(ent, get("countryIso2Code"), get("countryDescription"))
            elif tag == "address":
                cc = country_code(get("countryIso2Code")) if get("countryIso2Code") not in (None, "00") else None
                ent.addresses.append({"address": clean(get("street")), "city": clean(get("city")),
                                      "country": clean(get("countryDescription")), "country_code": cc})
                if cc:
                    ent.countries.append(cc)
            elif tag == "identification" and (num := clean(get("number"))):
                ent.ids.append({"type": get("identificationTypeCode"), "value": num,
                                "country": country_code(get("countryIso2Code"))})
        if not ent.entity_id or not ent.name:
            raise InputError(f"{path}: sanctionEntity at line {el.sourceline} lacks a reference number or a name")
        entities.append(ent)
    if not entities:
        raise InputError(f"{path}: no sanctionEntity records")
    return ParsedList(list_name, "eu", entities, published, [str(path)], None, sha)


def _import_csv(path, list_name) -> ParsedList:
    rows, _, sha = read_table(path, ("Entity_LogicalId", "NameAlias_WholeName"))
    by_id: dict[str, PartyEntity] = {}
    published = None
    for r in rows:
        published = published or (r.get("fileGenerationDate") or "")[:10] or None
        lid = r["Entity_LogicalId"]
        if not lid:
            continue
        ent = by_id.get(lid)
        if ent is None:
            eid = r.get("Entity_EU_ReferenceNumber") or lid
            code = (r.get("Entity_SubjectType_ClassificationCode") or r.get("Entity_SubjectType") or "E").upper()
            ent = by_id[lid] = PartyEntity(eid, "", schema=SCHEMA.get(code, "entity"),
                                           remarks=r.get("Entity_Remark") or "")
        if p := clean(r.get("Entity_Regulation_Programme")):
            if p not in ent.programs:
                ent.programs.append(p)
        nm = _whole(lambda k: r.get(f"NameAlias_{k[0].upper()}{k[1:]}"))
        if nm:
            strong = (r.get("NameAlias_Strong") or "true").lower() not in ("false", "0", "no")
            if not ent.name:
                ent.name = nm
            ent.add_name(nm, "strong" if strong else "weak", "primary" if nm == ent.name else "aka")
        _add_country(ent, r.get("Citizenship_CountryIso2Code"), r.get("Citizenship_CountryDescription"))
        if any(r.get(k) for k in ("Address_Street", "Address_City", "Address_CountryDescription")):
            iso = r.get("Address_CountryIso2Code")
            cc = country_code(iso) if iso and iso != "00" else country_code(r.get("Address_CountryDescription"))
            addr = {"address": clean(r.get("Address_Street")), "city": clean(r.get("Address_City")),
                    "country": clean(r.get("Address_CountryDescription")), "country_code": cc}
            if addr not in ent.addresses:
                ent.addresses.append(addr)
            if cc:
                ent.countries.append(cc)
        if num := clean(r.get("Identification_Number")):
            idd = {"type": r.get("Identification_TypeCode"), "value": num,
                   "country": country_code(r.get("Identification_CountryIso2Code"))}
            if idd not in ent.ids:
                ent.ids.append(idd)
    entities = [e for e in by_id.values() if e.name]
    if not entities:
        raise InputError(f"{path}: no named entities")
    return ParsedList(list_name, "eu", entities, published, [str(path)], None, sha)
