"""What produced a batch output: versions, list dates and command line, from its provenance or, when it has
none, from the screener that writes the report (and the page says which)."""

from __future__ import annotations

import shlex

from screener import __version__
from screener.reference.goods_lists import read_specs
from screener.reference.list_tables import OLD_ANNEXES
from screener.reference.paths import reference_dir

# control-list names (the `LIST` of `LIST:ENTRY`) -> the reference_data file they come from
LIST_FILES = {"CHPL": "lists/chpl.csv", "EU833-XL": "lists/eu_annex_xl.csv",
              **{name: "lists/eu_833_annexes.csv" for name in OLD_ANNEXES.values()},
              **{s.tag: f"lists/{s.file}" for s in read_specs(reference_dir()).values() if s.file}}


def _command(value) -> str:
    if isinstance(value, list):
        return shlex.join(str(v) for v in value)
    return str(value) if value else ""


def from_provenance(doc: dict, note: str) -> dict:
    """The versions block of a report from a batch output's provenance (unknown keys kept as 'other')."""
    versions = doc.get("versions") if isinstance(doc.get("versions"), dict) else {}
    lists = [x for x in doc.get("lists") or [] if isinstance(x, dict)]
    known = {"versions", "lists", "options", "command", "rows", "party_lists"}
    return {
        "source": "file", "note": note,
        "rules": str(versions.get("rules") or doc.get("rules_version") or ""),
        "reference": str(versions.get("reference") or doc.get("reference_version") or ""),
        "screener": str(versions.get("screener") or doc.get("screener") or ""),
        "lists": [{"name": str(x.get("list") or x.get("path") or ""), "title": str(x.get("title") or ""),
                   "date": str(x.get("date") or x.get("published") or "")} for x in lists],
        "party_lists": [{"name": str(x.get("list") or ""), "date": str(x.get("published") or x.get("date") or "")}
                        for x in doc.get("party_lists") or [] if isinstance(x, dict)],
        "command": _command(doc.get("command")),
        "options": {str(k): v for k, v in doc["options"].items()} if isinstance(doc.get("options"), dict) else {},
        "rows": doc.get("rows"),
        "other": {str(k): v for k, v in doc.items() if k not in known and not isinstance(v, (dict, list))},
    }


def from_screener(screener, note: str, command: list[str] | None = None) -> dict:
    """The versions block when the file carries no provenance: the report's own screener, said so."""
    from screener.provenance import list_dates, party_list_dates

    return {
        "source": "screener", "note": note,
        "rules": screener.rules.version, "reference": screener.reference.version, "screener": __version__,
        "lists": [{"name": x["path"] or "", "title": x["title"] or "", "date": x["date"]} for x in list_dates()],
        "party_lists": [{"name": x["list"] or "", "date": x["published"] or x["imported_at"] or ""}
                        for x in party_list_dates(getattr(screener.reference, "db_path", None))],
        "command": _command(command), "options": {}, "rows": None, "other": {},
    }


def list_dates_by_name(versions: dict) -> dict[str, str]:
    """Date of each control list (`CHPL`, `EU833-XL` …), whether the block names lists or their files."""
    by_file = {x["name"]: x["date"] for x in versions["lists"]}
    out = {name: by_file[path] for name, path in LIST_FILES.items() if path in by_file}
    out.update({x["name"]: x["date"] for x in versions["lists"] if x["name"] in LIST_FILES})
    return out
