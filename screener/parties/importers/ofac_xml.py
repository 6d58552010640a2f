"""OFAC XML (sdn.xml and the consolidated non-SDN list): `sdnList/sdnEntry` records with strong/weak akas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from screener.errors import InputError
from screener.parties.importers._common import clean, country_code, local, parse_xml, read_bytes
from screener.parties.model import ParsedList, PartyEntity


def _children(el, name):
    return [c for c in el if local(c.tag) == name]


def _text(el, name) -> str | None:
    for c in el:
        if local(c.tag) == name:
            return clean(c.text)
    return None


def _full_name(el) -> str | None:
    last, first = _text(el, "lastName"), _text(el, "firstName")
    if last and first:
        return f"{last}, {first}"
    return last or first


def us_date(value: str | None) -> str | None:
    """MM/DD/YYYY → ISO date (None when absent or unreadable)."""
    if not value:
        return None
    try:
        return dt.datetime.strptime(value.strip(), "%m/%d/%Y").date().isoformat()
    except ValueError:
        return None


def import_ofac_xml(path: str | Path, list_name: str = "OFAC-CONS", kind: str = "ofac-consolidated") -> ParsedList:
    """Parse an OFAC `sdnList` XML file."""
    data, sha = read_bytes(path)
    root = parse_xml(data, path)
    if local(root.tag) != "sdnList":
        raise InputError(f"{path}: root element is <{local(root.tag)}>; expected <sdnList> (OFAC XML)")
    published = None
    entities = []
    for el in root:
        tag = local(el.tag)
        if tag == "publshInformation":
            published = us_date(_text(el, "Publish_Date"))
        if tag != "sdnEntry":
            continue
        uid, name = _text(el, "uid"), _full_name(el)
        if not uid or not name:
            raise InputError(f"{path}: sdnEntry at line {el.sourceline} lacks uid or name")
        ent = PartyEntity(uid, name, schema=(_text(el, "sdnType") or "entity").lower(),
                          remarks=_text(el, "remarks") or "")
        ent.add_name(name, "strong", "primary")
        for pl in _children(el, "programList"):
            ent.programs += [clean(p.text) for p in pl if clean(p.text)]
        for al in _children(el, "akaList"):
            for aka in al:
                strength = "weak" if (_text(aka, "category") or "").lower() == "weak" else "strong"
                ent.add_name(_full_name(aka), strength, (_text(aka, "type") or "a.k.a.").replace(".", "").lower())
        for adl in _children(el, "addressList"):
            for a in adl:
                country = _text(a, "country")
                street = ", ".join(filter(None, (_text(a, f"address{i}") for i in (1, 2, 3))))
                city = ", ".join(filter(None, (_text(a, "city"), _text(a, "stateOrProvince"), _text(a, "postalCode"))))
                cc = country_code(country)
                ent.addresses.append({"address": street or None, "city": city or None, "country": country,
                                      "country_code": cc})
                if cc:
                    ent.countries.append(cc)
        for idl in _children(el, "idList"):
            for i in idl:
                cc = country_code(_text(i, "idCountry"))
                ent.ids.append({"type": _text(i, "idType"), "value": _text(i, "idNumber"), "country": cc})
        for listname, item, field in (("nationalityList", "nationality", "country"),
                                      ("citizenshipList", "citizenship", "country")):
            for nl in _children(el, listname):
                for n in nl:
                    if cc := country_code(_text(n, field)):
                        ent.countries.append(cc)
        entities.append(ent)
    if not entities:
        raise InputError(f"{path}: no sdnEntry records")
    return ParsedList(list_name, kind, entities, published, [str(path)], None, sha)
