"""UN Security Council Consolidated List (XML, root CONSOLIDATED_LIST with INDIVIDUALS and ENTITIES).

Alias QUALITY `Low` marks a weak alias (exact match only); `Good`, `a.k.a.` and `f.k.a.` are strong.
Entity ids are the UN reference numbers (e.g. `KPe.001`), which is how the list is cited.
"""

from __future__ import annotations

from pathlib import Path

from screener.errors import InputError
from screener.parties.importers._common import clean, country_code, parse_xml, read_bytes
from screener.parties.model import ParsedList, PartyEntity


def _t(el, name) -> str | None:
    c = el.find(name)
    return clean(c.text) if c is not None else None


def _values(el, name) -> list[str]:
    return [v for c in el.findall(f"{name}/VALUE") if (v := clean(c.text))]


def import_un(path: str | Path, list_name: str = "UN-SC") -> ParsedList:
    """Parse the UN consolidated list XML."""
    data, sha = read_bytes(path)
    root = parse_xml(data, path)
    if root.tag != "CONSOLIDATED_LIST":
        raise InputError(f"{path}: root element is <{root.tag}>; expected <CONSOLIDATED_LIST> (UN SC list)")
    published = (root.get("dateGenerated") or "")[:10] or None
    entities = []
    for kind, schema in (("INDIVIDUAL", "individual"), ("ENTITY", "entity")):
        for el in root.iter(kind):
            parts = [_t(el, f) for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            name = " ".join(p for p in parts if p)
            ref = _t(el, "REFERENCE_NUMBER") or _t(el, "DATAID")
            if not name or not ref:
                raise InputError(f"{path}: {kind} at line {el.sourceline} lacks a name or reference number")
            ent = PartyEntity(ref, name, schema=schema, programs=[p for p in [_t(el, "UN_LIST_TYPE")] if p],
                              remarks=_t(el, "COMMENTS1") or "")
            ent.add_name(name, "strong", "primary")
            ent.add_name(_t(el, "NAME_ORIGINAL_SCRIPT"), "strong", "original_script")
            for al in el.findall(f"{kind}_ALIAS"):
                quality = (_t(al, "QUALITY") or "").lower()
                ent.add_name(_t(al, "ALIAS_NAME"), "weak" if quality == "low" else "strong",
                             "fka" if quality.startswith("f.k.a") else "aka")
            for country in _values(el, "NATIONALITY"):
                if cc := country_code(country):
                    ent.countries.append(cc)
            for ad in el.findall(f"{kind}_ADDRESS"):
                country = _t(ad, "COUNTRY")
                street = _t(ad, "STREET")
                city = ", ".join(filter(None, (_t(ad, "CITY"), _t(ad, "STATE_PROVINCE"), _t(ad, "ZIP_CODE"))))
                if not (country or street or city):
                    continue
                cc = country_code(country)
                ent.addresses.append({"address": street, "city": city or None, "country": country,
                                      "country_code": cc})
                if cc:
                    ent.countries.append(cc)
            for doc in el.findall("INDIVIDUAL_DOCUMENT"):
                if number := _t(doc, "NUMBER"):
                    ent.ids.append({"type": _t(doc, "TYPE_OF_DOCUMENT"), "value": number,
                                    "country": country_code(_t(doc, "ISSUING_COUNTRY"))})
            entities.append(ent)
    if not entities:
        raise InputError(f"{path}: no INDIVIDUAL or ENTITY records")
    return ParsedList(list_name, "un", entities, published, [str(path)], None, sha)
