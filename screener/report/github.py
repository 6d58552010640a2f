"""GitHub Actions workflow commands: one annotation per finding row (error when new, notice when accepted)."""

from __future__ import annotations

NEWLINE = "\n"


def _data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(result) -> str:
    """`::error file=…,line=…,col=…::message` lines, then a plain summary line with the provenance."""
    out = []
    for f in result.findings:
        props = [f"file={_prop(f['path'])}"]
        if f["line"] is not None:
            props.append(f"line={f['line']}")
            if f["column"]:
                props += [f"col={f['column']}", f"endColumn={f['end_column']}"]
        kind = "error" if f["status"] == "new" else "notice"
        status = "" if f["status"] == "new" else f" ({f['status']})"
        title = f"screener: {f['band'].upper()} {f['score']}{status}"
        props.append(f"title={_prop(title)}")
        msgs = []
        for r in f["rule_details"]:
            tag = "" if r["status"] == "new" else f" [{r['status']}]"
            msgs.append(f"{r['id']}: {r['message']}{tag} (fingerprint {r['fingerprint'][:16]})")
        out.append(f"::{kind} {','.join(props)}::{_data(NEWLINE.join(msgs))}")
    new = result.summary["new"]
    p = result.provenance
    out.append(f"screener: {new} new finding row(s) at or above {result.fail_on} in {result.rows} row(s)"
               + (f" ({result.omitted} not annotated: --max-findings)" if result.omitted else "")
               + f"; rules {p['rules_version'][:12]}, reference {p['reference_version'][:12]}, lists "
               + ", ".join(f"{x['path'].removeprefix('lists/')} {x['date']}" for x in p["lists"]))
    return "\n".join(out)
