"""Registry of list importers: kind → callable(con, path, list_name=None) -> summary dict.

Every importer parses the whole file first (a bad file raises InputError before anything is written), then
writes the list in one DuckDB transaction, so the store is either fully updated or unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import duckdb

from screener.parties.importers import eu, ftm, ofac_csv, ofac_xml, uk, un_xml
from screener.errors import InputError
from screener.parties.importers._common import read_bytes
from screener.parties.model import ParsedList, PartyEntity
from screener.parties.store import ensure_schema, write_list

DEFAULT_LIST_NAMES = {
    "ofac-sdn": "OFAC-SDN", "ofac-alt": "OFAC-SDN", "ofac-add": "OFAC-SDN", "ofac-consolidated": "OFAC-CONS",
    "un": "UN-SC", "ftm": "FTM", "eu": "EU-FSF", "uk": "UK",
}


def _summary(parsed: ParsedList, count: int) -> dict:
    return {"list": parsed.list_name, "kind": parsed.kind, "entities": count,
            "names": sum(len(e.names) for e in parsed.entities), "published": parsed.published,
            "sha256": parsed.sha256, "source_path": ";".join(parsed.source_paths)}


MAX_SHRINK = 0.20  # an import that would drop more than this share of a list's entities needs --allow-shrink
# OFAC programs of the non-SDN lists (SSI, NS-PLC, CMIC, NS-MBS, FSE, 561, CAPTA ...): an "SDN" file made mostly of
# them is the consolidated non-SDN file given under the wrong kind
NON_SDN_PROGRAMS = frozenset({"UKRAINE-EO13662", "NS-PLC", "CMIC-EO13959", "NS-MBS", "NS-ISA", "561-RELATED",
                              "CAPTA", "FSE-IR", "FSE-SY", "FSE-WMD", "FSE-SDGT", "NS-CMIC-EO13959",
                              "CAATSA - RUSSIA"})


def check_import(con: duckdb.DuckDBPyConnection, parsed: ParsedList, kind: str, allow_shrink: bool = False) -> None:
    """Refuse (InputError) a file that does not look like its kind, or that would shrink the stored list by
    more than MAX_SHRINK (a file cut short, or another list given under this name), unless `allow_shrink`."""
    new = len(parsed.entities)
    if kind == "ofac-sdn" and new:
        non_sdn = sum(1 for e in parsed.entities
                      if e.programs and all(p.strip().upper() in NON_SDN_PROGRAMS for p in e.programs))
        if non_sdn > new / 2 and not allow_shrink:
            raise InputError(f"refusing to import {parsed.list_name} from {parsed.source_paths[0]}: {non_sdn} of {new} "
                             "entries carry only non-SDN programs (SSI, NS-PLC, CMIC ...): this looks like the "
                             "consolidated non-SDN list (import it as ofac-consolidated); --allow-shrink imports it "
                             "anyway")
    ensure_schema(con)
    row = con.execute("SELECT entities FROM party_lists WHERE list = ?", [parsed.list_name]).fetchone()
    old = row[0] if row else 0
    if old and new < (1 - MAX_SHRINK) * old and not allow_shrink:
        raise InputError(f"refusing to import {parsed.list_name} from {parsed.source_paths[0]}: {new} entities where "
                         f"the store holds {old} (a drop of {100 * (old - new) / old:.0f} %, more than "
                         f"{100 * MAX_SHRINK:.0f} %); the file may be cut short or another list; --allow-shrink "
                         "imports it anyway")


def _simple(parse: Callable[..., ParsedList], kind: str):
    def run(con: duckdb.DuckDBPyConnection, path: str | Path, list_name: str | None = None,
            source_url: str | None = None, allow_shrink: bool = False) -> dict:
        parsed = parse(path, list_name or DEFAULT_LIST_NAMES[kind])
        parsed.source_url = source_url
        check_import(con, parsed, kind, allow_shrink)
        return _summary(parsed, write_list(con, parsed))
    run.__doc__ = f"Import a `{kind}` file into the store (one transaction)."
    return run


def _consolidated(path: str | Path, list_name: str) -> ParsedList:
    """OFAC consolidated non-SDN list: XML or CSV, told apart by the first byte."""
    data, _ = read_bytes(path)
    if data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return ofac_xml.import_ofac_xml(path, list_name, "ofac-consolidated")
    return ofac_csv.import_consolidated_csv(path, list_name)


def _sdn(path: str | Path, list_name: str) -> ParsedList:
    """sdn.csv (with siblings), or OFAC's sdn.xml when given XML."""
    data, _ = read_bytes(path)
    if data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return ofac_xml.import_ofac_xml(path, list_name, "ofac-sdn")
    return ofac_csv.import_sdn(path, list_name)


def _sibling(origin: str):
    apply = ofac_csv.apply_alt if origin == "alt" else ofac_csv.apply_add

    def run(con: duckdb.DuckDBPyConnection, path: str | Path, list_name: str | None = None,
            source_url: str | None = None, allow_shrink: bool = False) -> dict:
        name = list_name or "OFAC-SDN"
        ensure_schema(con)
        ids = [r[0] for r in con.execute("SELECT entity_id FROM party_entities WHERE list = ?", [name]).fetchall()]
        ents = {i: PartyEntity(i, "") for i in ids}
        _, sha = apply(ents, path)  # parses (and validates) even when the list is absent
        parsed = ParsedList(name, f"ofac-{origin}", list(ents.values()), None, [str(path)], source_url, sha)
        write_list(con, parsed, origin=origin)
        out = _summary(parsed, len(ids))
        out["rows_linked"] = sum(len(e.names) if origin == "alt" else len(e.addresses) for e in ents.values())
        return out
    run.__doc__ = f"Add OFAC {origin}.csv rows to a list already imported from sdn.csv."
    return run


IMPORTERS: dict[str, Callable[..., dict]] = {
    "ofac-sdn": _simple(_sdn, "ofac-sdn"),
    "ofac-alt": _sibling("alt"),
    "ofac-add": _sibling("add"),
    "ofac-consolidated": _simple(_consolidated, "ofac-consolidated"),
    "un": _simple(un_xml.import_un, "un"),
    "ftm": _simple(ftm.import_ftm, "ftm"),
    "eu": _simple(eu.import_eu, "eu"),
    "uk": _simple(uk.import_uk, "uk"),
}
