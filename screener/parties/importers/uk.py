"""UK sanctions lists: the OFSI Consolidated List (ConList CSV/XML, keyed by Group ID) and the FCDO UK Sanctions
List (CSV/XML, keyed by Unique ID such as RUS0001).

Both write a name as `Name 1`..`Name 5` (given names) plus `Name 6` (surname, or the whole entity name), one
row (CSV) or element per alias. Alias quality `Low` / alias strength `Weak` makes a weak alias.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from screener.errors import InputError
from screener.parties.importers._common import clean, country_code, local, parse_xml, read_bytes
from screener.parties.importers._table import read_table
from screener.parties.model import ParsedList, PartyEntity

SCHEMA = {"individual": "individual", "entity": "entity", "ship": "vessel"}
DATE = re.compile(r"(\d{1,2})[/-](\d{1,2}|[A-Za-z]{3})[/-](\d{4})")


def _date(text: str | None) -> str | None:
    """dd/mm/yyyy or dd-Mon-yyyy somewhere in `text` → ISO date."""
    m = DATE.search(text or "")
    if not m:
        return None
    d, mo, y = m.groups()
    try:
        month = int(mo) if mo.isdigit() else dt.datetime.strptime(mo.title(), "%b").month
        return dt.date(int(y), month, int(d)).isoformat()
    except ValueError:
        return None


def _name(get) -> str | None:
    parts = [clean(get(f"Name {i}")) for i in (1, 2, 3, 4, 5, 6)]
    return clean(" ".join(p for p in parts if p)) or None


def import_uk(path: str | Path, list_name: str = "UK") -> ParsedList:
    """UK list file: OFSI or FCDO layout, CSV or XML, detected by content."""
    data, _ = read_bytes(path)
    if data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return _import_xml(path, list_name)
    return _import_csv(path, list_name)


def _entity(by_id: dict, eid: str, kind: str | None) -> PartyEntity:
    ent = by_id.get(eid)
    if ent is None:
        ent = by_id[eid] = PartyEntity(eid, "", schema=SCHEMA.get((kind or "entity").strip().lower(), "entity"))
    return ent


def _add(ent: PartyEntity, name: str | None, alias_type: str, weak: bool, regime: str | None,
         countries: list[str | None], address: dict | None) -> None:
    if name:
        primary = alias_type.lower().startswith("primary name") and "variation" not in alias_type.lower()
        if primary and not ent.name:
            ent.name = name
        ent.add_name(name, "weak" if weak else "strong", "primary" if primary else "aka")
    if regime and regime not in ent.programs:
        ent.programs.append(regime)
    for c in countries:
        for part in (c or "").split(","):
            if cc := country_code(part.strip().strip(")(0123456789. ")):
                ent.countries.append(cc)
    if address and any(address.values()):
        address["country_code"] = country_code(address.get("country"))
        if address not in ent.addresses:
            ent.addresses.append(address)


def _finish(by_id, path, list_name, published, sha) -> ParsedList:
    entities = []
    for ent in by_id.values():
        if not ent.name and ent.names:
            ent.name = ent.names[0].name
        if ent.name:
            entities.append(ent)
    if not entities:
        raise InputError(f"{path}: no named designations")
    return ParsedList(list_name, "uk", entities, published, [str(path)], None, sha)


def _import_csv(path, list_name) -> ParsedList:
    rows, banner, sha = read_table(path, ("Name 6",))
    cols = set(rows[0])
    fcdo = "Unique ID" in cols
    if not fcdo and "Group ID" not in cols:
        raise InputError(f"{path}: UK list CSV needs a 'Unique ID' (FCDO) or 'Group ID' (OFSI) column")
    published = _date(" ".join(banner))
    by_id: dict[str, PartyEntity] = {}
    for r in rows:
        g = r.get
        eid = g("Unique ID") if fcdo else g("Group ID")
        if not eid:
            continue
        ent = _entity(by_id, eid, g("Designation Type") or g("Group Type") or g("Individual, Entity, Ship"))
        alias_type = g("Name type") or g("Alias Type") or ""
        weak = (g("Alias strength") or g("Alias Quality") or "").lower() in ("weak", "low")
        address = {"address": clean(", ".join(filter(None, (g(f"Address Line {i}") or g(f"Address {i}")
                                                            for i in range(1, 7))))),
                   "city": clean(g("Address Postal Code") or g("Post/Zip Code")),
                   "country": clean(g("Address Country") or g("Country"))}
        _add(ent, _name(g), alias_type, weak, g("Regime Name") or g("Regime"),
             [g("Nationality(/ies)") or g("Nationality"), address["country"]], address)
        if not fcdo:
            for label in ("Passport Number", "National Identification Number"):
                if v := clean(g(label)):
                    ent.ids.append({"type": label, "value": v, "country": None})
        elif v := clean(g("Business registration number(s)")):
            ent.ids.append({"type": "registration", "value": v, "country": None})
        published = published or _date(g("Last Updated"))
    return _finish(by_id, path, list_name, published, sha)


def _kids(el) -> dict[str, str | None]:
    return {local(c.tag): clean(c.text) for c in el if len(c) == 0}


def _import_xml(path, list_name) -> ParsedList:
    data, sha = read_bytes(path)
    root = parse_xml(data, path)
    tag = local(root.tag)
    by_id: dict[str, PartyEntity] = {}
    if tag == "ArrayOfFinancialSanctionsTarget":  # OFSI ConList XML
        published = None
        for el in root:
            if local(el.tag) != "FinancialSanctionsTarget":
                continue
            k = _kids(el)
            if not k.get("GroupID"):
                raise InputError(f"{path}: FinancialSanctionsTarget at line {el.sourceline} has no GroupID")
            ent = _entity(by_id, k["GroupID"], k.get("GroupTypeDescription"))
            name = clean(" ".join(filter(None, (k.get(f"Name{i}") for i in range(1, 7)))))
            address = {"address": clean(", ".join(filter(None, (k.get(f"Address{i}") for i in range(1, 7))))),
                       "city": k.get("PostCode"), "country": k.get("Country")}
            _add(ent, name, k.get("AliasType") or "", (k.get("AliasQuality") or "").lower() == "low",
                 k.get("RegimeName"), [k.get("Nationality"), k.get("Country")], address)
            published = published or _date(k.get("LastUpdated"))
    elif tag == "Designations":  # FCDO UK Sanctions List XML
        published = None
        for el in root:
            lt = local(el.tag)
            if lt == "DateGenerated":
                published = (clean(el.text) or "")[:10] or None
            if lt != "Designation":
                continue
            k = _kids(el)
            if not k.get("UniqueID"):
                raise InputError(f"{path}: Designation at line {el.sourceline} has no UniqueID")
            ent = _entity(by_id, k["UniqueID"], k.get("IndividualEntityShip"))
            regime = k.get("RegimeName")
            for names in el.iter("{*}Names", "Names"):
                for n in names:
                    nk = _kids(n)
                    name = clean(" ".join(filter(None, (nk.get(f"Name{i}") for i in range(1, 7)))))
                    _add(ent, name, nk.get("NameType") or "", (nk.get("AliasStrength") or "").lower() == "weak",
                         regime, [], None)
            for nl in el.iter("{*}NonLatinName", "NonLatinName"):
                v = _kids(nl).get("NameNonLatinScript")
                ent.add_name(v, "strong", "original_script")
            for ad in el.iter("{*}Address", "Address"):
                ak = _kids(ad)
                address = {"address": clean(", ".join(filter(None, (ak.get(f"AddressLine{i}") for i in range(1, 7))))),
                           "city": ak.get("AddressPostalCode"), "country": ak.get("AddressCountry")}
                _add(ent, None, "", False, None, [ak.get("AddressCountry")], address)
            for nat in el.iter("{*}Nationality", "Nationality"):
                _add(ent, None, "", False, None, [clean(nat.text)], None)
    else:
        raise InputError(f"{path}: root element is <{tag}>; expected <Designations> (FCDO) or "
                         "<ArrayOfFinancialSanctionsTarget> (OFSI)")
    return _finish(by_id, path, list_name, published, sha)
