"""Baselines: today's accepted findings, so later runs fail only on new ones.

A baseline is a JSON file of fingerprints (rule id + normalised text; no line numbers, so moving a row does not
make it new) with the file and line where each was seen, for humans reviewing the file. Written atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from screener.errors import ScreenerError
from screener.outputs import write_text

BASELINE_VERSION = 1


class BaselineError(ScreenerError):
    """A baseline file that cannot be read (exit 2)."""


@dataclass(frozen=True)
class Baseline:
    """The fingerprints of accepted findings, from a baseline file: a finding in it is not new."""

    fingerprints: frozenset[str]
    path: Path | None = None
    sha256: str | None = None

    def __contains__(self, fp: str) -> bool:
        return fp in self.fingerprints


def load_baseline(path: Path | None) -> Baseline | None:
    """Read a baseline written by `--write-baseline`; None when no path is given."""
    if path is None:
        return None
    path = Path(path)
    if not path.is_file():
        raise BaselineError(f"{path}: no such baseline file")
    raw = path.read_bytes()
    try:
        doc = json.loads(raw)
        items = doc["findings"]
        fps = frozenset(str(x["fingerprint"]) for x in items)
        if doc.get("version") != BASELINE_VERSION:
            raise ValueError(f"unsupported baseline version {doc.get('version')!r}")
    except (ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a screener baseline: {exc}") from exc
    return Baseline(fps, path.resolve(), hashlib.sha256(raw).hexdigest())


def write_baseline(path: Path, findings: list[dict], provenance: dict) -> int:
    """Record every fired rule of the given finding rows; returns how many fingerprints were written."""
    seen: dict[str, dict] = {}
    for f in findings:
        for r in f["rule_details"]:
            seen.setdefault(r["fingerprint"], {"fingerprint": r["fingerprint"], "rule": r["id"],
                                               "path": f["path"], "line": f["line"], "text": f["text"][:200]})
    doc = {"version": BASELINE_VERSION, "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "provenance": provenance, "findings": sorted(seen.values(), key=lambda x: (x["path"], x["line"], x["rule"]))}
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=2))
    return len(seen)
