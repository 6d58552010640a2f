"""The provenance of a run: what was screened against what, with which options, by which command.

Batch outputs carry it (Parquet key-value metadata under `screener.provenance`; `OUTPUT.provenance.json`
beside a CSV or JSONL file) and `check` reports carry their own certificate built from the same parts. Keys of
`run_provenance` (a contract: the HTML report reads them): `screener` (version), `versions` {rules, reference},
`lists` [{path, title, date, sha256}] (control lists), `party_lists` [{list, published, imported_at, sha256}]
(imported sanctions lists; the same two keys as a `check` report's provenance), `options`
(the BatchJob), `command` (argv), `input` {path, format, encoding}, `rows` {in, out, errors}, `created_at`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

from screener import __version__
from screener.safe_yaml import load_yaml

PARQUET_KEY = "screener.provenance"


def now_utc() -> str:
    """The time now, UTC, to the second (ISO 8601)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def list_dates() -> list[dict]:
    """Control lists behind the reference data: file, title, date or edition, sha256 (from MANIFEST.yaml)."""
    from screener.reference.paths import reference_dir

    path = reference_dir() / "MANIFEST.yaml"
    if not path.is_file():
        return []
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"), aliases=True) or {}
    except yaml.YAMLError:
        return []
    return [{"path": f.get("path"), "title": f.get("title", ""), "date": str(f.get("date") or f.get("edition") or ""),
             "sha256": f.get("sha256", "")}
            for f in doc.get("files", []) if str(f.get("path", "")).startswith("lists/")]


def party_list_dates(db_path) -> list[dict]:
    """Sanctions lists imported into the store, with their publication and import dates and hashes."""
    if db_path is None:
        return []
    try:
        from screener.parties.store import list_summaries
        from screener.reference.store import connect

        con = connect(db_path, read_only=True)
        try:
            rows = list_summaries(con)
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - an optional part: provenance without party lists is still provenance
        return []
    return [{k: (str(r[k]) if r.get(k) is not None else None) for k in ("list", "published", "imported_at", "sha256")}
            for r in rows]


def command_line() -> list[str] | None:
    """This run's command line when this process is the `screener` command; None inside another program (a
    test runner, a notebook), whose argv says nothing about what produced the data."""
    path = Path(sys.argv[0]) if sys.argv else Path()
    ours = path.name in ("screener", "cli.py") or (path.name == "__main__.py" and path.parent.name == "screener")
    return ["screener", *sys.argv[1:]] if ours else None  # (`python -m pytest` runs pytest's __main__.py)


def run_provenance(versions: dict, db_path, job, rows: dict, source=None, argv: list[str] | None = None) -> dict:
    """The provenance record of one batch run (keys in the module docstring)."""
    return {
        "screener": __version__,
        "versions": {"rules": versions["rules"], "reference": versions["reference"]},
        "lists": list_dates(),
        "party_lists": party_list_dates(db_path),
        "options": job.as_dict(),
        "command": command_line() if argv is None else list(argv),
        "input": ({"path": source.display, "format": source.fmt, "encoding": source.encoding}
                  if source is not None else None),
        "rows": rows,
        "created_at": now_utc(),
    }
