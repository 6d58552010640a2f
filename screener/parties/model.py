"""Plain records an importer produces before they are written to the store (one shape for every list format)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class PartyName:
    """One name of an entity: the primary name or an alias; weak aliases only ever match exactly."""

    name: str
    strength: str = "strong"  # strong | weak
    kind: str = "primary"  # primary | aka | fka | nka | original_script ...


@dataclass(slots=True)
class PartyEntity:
    """One listed entry: id as the list gives it (a string), its names, programs, countries, addresses, ids."""

    entity_id: str
    name: str
    schema: str = "entity"  # individual | entity | vessel | aircraft | unknown
    programs: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    remarks: str = ""
    names: list[PartyName] = field(default_factory=list)
    addresses: list[dict] = field(default_factory=list)  # keys: address, city, country, country_code
    ids: list[dict] = field(default_factory=list)  # keys: type, value, country

    def add_name(self, name: str | None, strength: str = "strong", kind: str = "aka") -> None:
        """Add an alias once (same text and strength), ignoring empty and OFAC null (`-0-`) values."""
        if not name:
            return
        name = " ".join(name.split())
        if not name or name == "-0-":
            return
        for n in self.names:
            if n.name == name:
                if strength == "strong" and n.strength == "weak":
                    n.strength = "strong"
                return
        self.names.append(PartyName(name, strength, kind))


@dataclass(slots=True)
class ParsedList:
    """What an importer read from one file (or a group of sibling files)."""

    list_name: str  # e.g. OFAC-SDN, UN-SC; used in match ids (LIST:ID)
    kind: str  # importer kind, e.g. ofac-sdn
    entities: list[PartyEntity]
    published: str | None = None  # ISO date when the file says it
    source_paths: list[str] = field(default_factory=list)
    source_url: str | None = None
    sha256: str = ""
