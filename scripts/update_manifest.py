#!/usr/bin/env python3
"""Recompute rows and sha256 in reference_data/MANIFEST.yaml so the build can trust its reference data.

Every file under reference_data/ (except the manifest itself) gets one entry. Hand-written fields
(title, source, source_url, edition/date, licence, expected_rows, notes) are kept; `rows` and `sha256`
are recomputed; entries for files that no longer exist are dropped; new files get a default entry
(lexicon files: the default lexicon provenance). Output is deterministic: files sorted by path,
keys in a fixed order, `generated` changed only when something else changed.

    python scripts/update_manifest.py           # rewrite the manifest
    python scripts/update_manifest.py --check   # exit 1 if anything is stale or a row count is off

Re-run it whenever any file under reference_data/ changes (the lexicon files change often).
"""
from __future__ import annotations

import argparse
import csv
import datetime as _dt
import hashlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "reference_data"
MANIFEST = DATA / "MANIFEST.yaml"

TOP_KEYS = ("edition", "generated", "description", "paths_relative_to", "files")
ENTRY_KEYS = ("path", "title", "source", "source_url", "edition", "date", "licence",
              "rows", "expected_rows", "sha256", "notes")

LEXICON_DEFAULT = {
    "title": "Goods lexicon",
    "source": "screener team, written from public sources; see each entry's sources",
    "source_url": "",
    "date": "",
    "licence": "Apache-2.0 (screener project)",
    "notes": "",
}
GENERIC_DEFAULT = {
    "title": "",
    "source": "screener team",
    "source_url": "",
    "date": "",
    "licence": "Apache-2.0 (screener project)",
    "notes": "entry added by scripts/update_manifest.py; the file's owner should fill in title and source",
}


class ManifestError(Exception):
    """A one-line, user-facing error."""


def data_files(root: Path = DATA) -> list[str]:
    """Paths (relative to reference_data/, '/'-separated) of every data file except the manifest."""
    out = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if not path.is_file() or path == root / MANIFEST.name:
            continue
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if path.suffix in (".tmp", ".swp", ".pyc") or path.name.endswith("~"):
            continue
        out.append(rel.as_posix())
    return sorted(out)


def sha256(path: Path) -> str:
    """Hex sha256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def count_rows(path: Path) -> int | None:
    """Data rows of a CSV or TSV (header excluded); items of a text file; entries of a YAML file; None for
    other files.

    YAML: the length of `entries` (lexicon), `places` (countries) or `terms` (language overlays: entries
    with terms), lists or mappings; else of the only top-level list;
    else the number of top-level keys.
    """
    if path.suffix in (".csv", ".tsv"):
        with path.open(encoding="utf-8", newline="") as fh:
            return max(sum(1 for _ in csv.reader(fh, delimiter="\t" if path.suffix == ".tsv" else ",")) - 1, 0)
    if path.suffix == ".txt":  # one item per line; blank lines and # comments are not items
        lines = path.read_text(encoding="utf-8").splitlines()
        return sum(1 for line in lines if line.strip() and not line.lstrip().startswith("#"))
    if path.suffix in (".yaml", ".yml"):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ManifestError(f"{path.relative_to(REPO)}: not valid YAML ({exc.__class__.__name__})") from exc
        if isinstance(doc, list):
            return len(doc)
        if not isinstance(doc, dict):
            return 0
        for key in ("entries", "places", "terms"):
            if isinstance(doc.get(key), (list, dict)):
                return len(doc[key])
        lists = [v for v in doc.values() if isinstance(v, list)]
        if len(lists) == 1:
            return len(lists[0])
        return len(doc)
    return None


def load_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    """The current manifest, or an empty skeleton when there is none."""
    if not path.is_file():
        return {"edition": "", "generated": "", "files": []}
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("files", []), list):
        raise ManifestError(f"{path}: expected a mapping with a `files` list")
    return doc


def _ordered(entry: dict[str, Any]) -> dict[str, Any]:
    """Entry with the fixed key order, unknown keys after, sorted; None values dropped."""
    out = {k: entry[k] for k in ENTRY_KEYS if k in entry and entry[k] is not None}
    for key in sorted(set(entry) - set(ENTRY_KEYS)):
        if entry[key] is not None:
            out[key] = entry[key]
    return out


def refresh(doc: dict[str, Any], root: Path = DATA) -> dict[str, Any]:
    """A new manifest: one entry per data file, rows and sha256 recomputed, hand-written fields kept."""
    old = {e.get("path"): e for e in doc.get("files", []) if isinstance(e, dict)}
    files = []
    for rel in data_files(root):
        if rel in old:
            entry = dict(old[rel])
        else:
            default = LEXICON_DEFAULT if rel.startswith("lexicon/") else GENERIC_DEFAULT
            entry = {"path": rel, **default}
            stem = Path(rel).stem.replace("_", " ")
            if rel.startswith("lexicon/"):
                entry["title"] = f"Goods lexicon: {stem}"
            else:
                entry["title"] = f"{Path(rel).parent.as_posix()}: {stem}"
        entry["path"] = rel
        entry["rows"] = count_rows(root / rel)
        entry["sha256"] = sha256(root / rel)
        files.append(_ordered(entry))
    new = {k: doc[k] for k in TOP_KEYS if k in doc and k != "files"}
    for key in sorted(set(doc) - set(TOP_KEYS)):
        new[key] = doc[key]
    new.setdefault("edition", "")
    new["paths_relative_to"] = "reference_data"
    new["files"] = files
    ordered = {k: new[k] for k in TOP_KEYS if k in new}
    ordered.update({k: v for k, v in new.items() if k not in ordered})
    return ordered


def problems(doc: dict[str, Any], root: Path = DATA) -> list[str]:
    """Everything stale or wrong in a manifest compared with the files: one message per problem."""
    out = []
    fresh = {e["path"]: e for e in refresh(doc, root)["files"]}
    listed = {e.get("path"): e for e in doc.get("files", []) if isinstance(e, dict)}
    for path in sorted(set(listed) - set(fresh)):
        out.append(f"{path}: listed in the manifest but the file does not exist")
    for path, entry in fresh.items():
        have = listed.get(path)
        if have is None:
            out.append(f"{path}: file has no manifest entry")
            continue
        for key in ("rows", "sha256"):
            if have.get(key) != entry.get(key):
                out.append(f"{path}: {key} is {have.get(key)!r} in the manifest, {entry.get(key)!r} on disk")
        expected = have.get("expected_rows")
        if expected is not None and expected != entry.get("rows"):
            out.append(f"{path}: expected_rows {expected} but the file has {entry.get('rows')} rows")
    return out


def check(root: Path = DATA, manifest: Path = MANIFEST) -> list[str]:
    """Problems of the manifest on disk (empty list when current). Used by the test suite."""
    return problems(load_manifest(manifest), root)


def dump(doc: dict[str, Any]) -> str:
    """Deterministic YAML text of the manifest."""
    header = ("# Reference data manifest: provenance, row counts and hashes of every file under reference_data/.\n"
              "# rows and sha256 are written by scripts/update_manifest.py; the other fields are hand-written.\n")
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the manifest is stale")
    args = parser.parse_args(argv)
    try:
        doc = load_manifest()
        if args.check:
            found = problems(doc)
            for msg in found:
                print(f"stale: {msg}", file=sys.stderr)
            if found:
                print("run: python scripts/update_manifest.py", file=sys.stderr)
                return 1
            print(f"ok: {MANIFEST.relative_to(REPO)} is current ({len(doc.get('files', []))} files)")
            return 0
        new = refresh(doc)
        old_body = {k: v for k, v in doc.items() if k != "generated"}
        new_body = {k: v for k, v in new.items() if k != "generated"}
        if old_body != new_body or not doc.get("generated"):
            new["generated"] = _dt.date.today().isoformat()
        else:
            new["generated"] = doc["generated"]
        text = dump({k: new[k] for k in ("edition", "generated") if k in new} | new)
        current = MANIFEST.read_text(encoding="utf-8") if MANIFEST.is_file() else None
        if text != current:
            write_atomic(MANIFEST, text)
        for msg in problems(new):
            print(f"warning: {msg}", file=sys.stderr)
        print(f"wrote {MANIFEST.relative_to(REPO)}: {len(new['files'])} files")
        return 0
    except (ManifestError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
