"""SARIF 2.1.0 rendering of a `screener check` run: rule metadata, line/column locations, stable fingerprints.

One result per fired rule in each finding row. Suppressed findings carry a `suppressions` entry (the reviewed
reason, approver and expiry); with a baseline, each result has a `baselineState`. The run's properties hold
the provenance (rule and reference hashes, list dates), so the file is a certificate of what was screened.
"""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
FINGERPRINT_KEY = "screener/v1"


def _artifact(path: str) -> dict:
    p = Path(path)
    if p.is_absolute():
        return {"uri": p.as_uri()}
    return {"uri": p.as_posix(), "uriBaseId": "%SRCROOT%"}


def _descriptor(rule: dict) -> dict:
    d = {"id": rule["id"], "name": "".join(w.capitalize() for w in rule["id"].split("-")),
         "shortDescription": {"text": rule["title"]},
         "fullDescription": {"text": f"{rule['title']}. Message: {rule['message']}"},
         "defaultConfiguration": {"level": LEVEL[rule["severity"]]},
         "properties": {"severity": rule["severity"], "weight": rule["weight"], "family": rule["family"],
                        "tags": list(dict.fromkeys(["export-control", rule["family"], *rule["tags"]])),
                        "references": rule["references"]}}
    if rule["references"]:
        d["helpUri"] = rule["references"][0]
    return d


def _result(f: dict, r: dict, index: dict[str, int], baseline_used: bool) -> dict:
    region = None
    if f["line"] is not None:
        region = {"startLine": f["line"]}
        if r["column"]:
            region.update(startColumn=r["column"], endColumn=max(r["end_column"], r["column"]))
        if r["span"]:
            region["snippet"] = {"text": r["span"]["text"]}
    loc = {"physicalLocation": {"artifactLocation": _artifact(f["path"])}}
    if region:
        loc["physicalLocation"]["region"] = region
    if f["line"] is None:
        loc["logicalLocations"] = [{"name": f"row {f['row']}", "kind": "element"}]
    out = {
        "ruleId": r["id"], "ruleIndex": index[r["id"]], "level": LEVEL[r["severity"]],
        "message": {"text": f"{r['message']} (row {f['band']} {f['score']})"},
        "locations": [loc],
        "fingerprints": {FINGERPRINT_KEY: r["fingerprint"]},
        "partialFingerprints": {FINGERPRINT_KEY: r["fingerprint"]},
        "properties": {"score": f["score"], "band": f["band"], "row": f["row"], "id": f["id"],
                       "status": r["status"], "controls": [c["entry"] for c in r["controls"]],
                       "notes": r["notes"]},
    }
    if r["suppression"]:
        s = r["suppression"]
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": s["reason"],
                                "properties": {"approved_by": s["approved_by"], "expires": s["expires"],
                                               "entry": s["entry"]}}]
    if baseline_used:
        out["baselineState"] = "unchanged" if r["status"] == "baselined" else "new"
    return out


def to_sarif(result, exit_code: int) -> dict:
    """The SARIF log as a dict (valid against the SARIF 2.1.0 schema; a test checks it)."""
    p = result.provenance
    index = {r["id"]: i for i, r in enumerate(result.rules)}
    results = [_result(f, r, index, result.baseline_used)
               for f in result.findings for r in f["rule_details"] if r["id"] in index]
    return {
        "$schema": SCHEMA_URI, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "screener", "version": p["screener"], "semanticVersion": p["screener"],
                                "rules": [_descriptor(r) for r in result.rules]}},
            "invocations": [{"executionSuccessful": True, "exitCode": exit_code,
                             "endTimeUtc": p["checked_at"].replace("+00:00", "Z")}],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "artifacts": [{"location": _artifact(x["path"]),
                           "properties": {"rows": x["rows"], "findings": x["findings"]}} for x in result.files],
            "results": results,
            "properties": {"provenance": p, "failOn": result.fail_on, "rows": result.rows, "notes": result.notes,
                           "summary": dict(result.summary), "omittedFindings": result.omitted},
        }],
    }


def render_sarif(result, exit_code: int) -> str:
    """The check result as a SARIF log."""
    # compact: the C encoder (indent runs the pure-Python one, seconds on a large log)
    return json.dumps(to_sarif(result, exit_code), ensure_ascii=False, separators=(",", ":"))
