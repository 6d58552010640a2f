"""Text and JSON renderings of a `screener check` run (SARIF, JUnit and GitHub live beside this module)."""

from __future__ import annotations

import json

MARK = {"new": "", "suppressed": " [suppressed]", "baselined": " [baseline]"}


def where(f: dict) -> str:
    """`path:line:col` (or `path:row N` for Parquet)."""
    if f["line"] is None:
        return f"{f['path']}:row {f['row']}"
    return f"{f['path']}:{f['line']}" + (f":{f['column']}" if f["column"] else "")


def _highlight(f: dict, width: int = 110) -> list[str]:
    """The text with the span underlined by carets (a window around the span for long texts)."""
    text, span = f["text"].replace("\n", " ").replace("\t", " "), f["span"]
    if not span:
        return [f"    {text[:width]}"]
    lo = max(0, min(span["start"] - 20, len(text) - width))
    shown = text[lo:lo + width]
    prefix = "…" if lo else ""
    start = span["start"] - lo + len(prefix)
    length = max(1, min(span["end"], lo + width) - span["start"])
    return [f"    {prefix}{shown}{'…' if lo + width < len(text) else ''}", "    " + " " * start + "^" * length]


def render_text(result) -> str:
    """Human report: one block per finding row (location, band, rules, the span underlined), then a summary."""
    lines = []
    for f in result.findings:
        ident = f" ({f['id']})" if f["id"] else ""
        lines.append(f"{where(f)}{ident}: {f['band'].upper()} {f['score']}{MARK[f['status']]}"
                     f"  text fp {f['text_fingerprint'][:16]}")
        lines += _highlight(f)
        for r in f["rule_details"]:
            tag = MARK[r["status"]]
            lines.append(f"    {r['id']} [{r['severity']}, {r['weight']:g}] {r['message']}{tag}"
                         f"  fp {r['fingerprint'][:16]}")
            if r["suppression"]:
                s = r["suppression"]
                lines.append(f"      suppressed by {s['entry']}: {s['reason']} (approved by {s['approved_by']}, "
                             f"until {s['expires']})")
            for n in r["notes"]:
                lines.append(f"      note: {n}")
    counts = result.summary
    extra = ", ".join(f"{v} {k}" for k, v in counts.items() if k != "new" and v)
    lines.append(f"{counts['new']} of {result.rows} row(s) at or above {result.fail_on}"
                 + (f" ({extra})" if extra else "") + "."
                 + (f" {result.omitted} finding row(s) not listed (--max-findings)." if result.omitted else ""))
    p = result.provenance
    lists = ", ".join(f"{x['path'].removeprefix('lists/')} {x['date']}" for x in p["lists"]) or "-"
    parties = ", ".join(f"{x['list']} {x['published'] or 'imported ' + str(x['imported_at'])[:10]}"
                        for x in p.get("party_lists") or [])
    lines.append(f"Screened with screener {p['screener']}, rules {p['rules_version'][:12]} ({p['rule_count']}), "
                 f"reference {p['reference_version'][:12]}; lists: {lists}"
                 + (f"; sanctions lists: {parties}." if parties else "."))
    for n in result.notes:
        lines.append(f"Note: {n}")
    return "\n".join(lines)


def to_json(result) -> dict:
    """The JSON document; keeps issue 2's keys (input, rows, fail_on, findings, failed, versions) and adds more."""
    return {
        "input": result.inputs[0] if len(result.inputs) == 1 else result.inputs,
        "inputs": result.inputs, "files": result.files,
        "rows": result.rows, "fail_on": result.fail_on, "findings": result.findings,
        "failed": result.failed,
        "summary": dict(result.summary), "omitted": result.omitted,
        "versions": {"rules": result.provenance["rules_version"], "reference": result.provenance["reference_version"]},
        "provenance": result.provenance, "notes": result.notes,
    }


def render_json(result) -> str:
    """The check result as the JSON report."""
    return json.dumps(to_json(result), ensure_ascii=False, indent=2)
