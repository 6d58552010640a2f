"""JUnit XML rendering of a `screener check` run, in the Jenkins/Ant junit-10 layout CI systems read.

One testsuite per input file; one testcase per finding row (a `failure` when new, `skipped` when suppressed
or in the baseline), and one passing testcase for a file without findings. Provenance goes into properties.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET


def _props(parent: ET.Element, result) -> None:
    p = result.provenance
    props = ET.SubElement(parent, "properties")
    pairs = [("screener", p["screener"]), ("fail_on", result.fail_on), ("rules_version", p["rules_version"]),
             ("reference_version", p["reference_version"]), ("checked_at", p["checked_at"])]
    pairs += [(f"list:{x['path']}", f"{x['date']} sha256:{x['sha256']}") for x in p["lists"]]
    pairs += [(f"party_list:{x['list']}", f"{x['published']} sha256:{x['sha256']}") for x in p["party_lists"]]
    for key in ("config", "suppressions", "baseline"):
        if p.get(key):
            pairs.append((key, f"{p[key]['path']} sha256:{p[key]['sha256']}"))
    for name, value in pairs:
        ET.SubElement(props, "property", name=name, value=str(value))


def _detail(f: dict) -> str:
    lines = [f"{f['path']}:{f['line'] or 'row ' + str(f['row'])}: {f['band'].upper()} {f['score']}", f["text"]]
    for r in f["rule_details"]:
        lines.append(f"{r['id']} [{r['severity']}, {r['weight']:g}] {r['message']} ({r['status']}, "
                     f"fingerprint {r['fingerprint']})")
        lines += [f"  note: {n}" for n in r["notes"]]
    return "\n".join(lines)


def render_junit(result) -> str:
    """The XML document as a string (UTF-8 declaration included)."""
    new = sum(f["status"] == "new" for f in result.findings)
    accepted = len(result.findings) - new
    root = ET.Element("testsuites", name="screener check", tests="0", failures=str(new), errors="0", time="0")
    if result.omitted:
        ET.SubElement(root, "properties").append(
            ET.Element("property", name="omitted_findings", value=str(result.omitted)))
    total = 0
    for i, file in enumerate(result.files):
        rows = [f for f in result.findings if f["path"] == file["path"]]
        cases = max(len(rows), 1)
        total += cases
        suite = ET.SubElement(root, "testsuite", name=file["path"], tests=str(cases),
                              failures=str(sum(f["status"] == "new" for f in rows)), errors="0",
                              skipped=str(sum(f["status"] != "new" for f in rows)), time="0",
                              timestamp=result.provenance["checked_at"][:19], id=str(i), package="screener")
        _props(suite, result)
        classname = "screener.check." + file["path"].replace("/", ".")
        for f in rows:
            where = f"line {f['line']}" if f["line"] is not None else f"row {f['row']}"
            name = f"{where}" + (f" ({f['id']})" if f["id"] else "")
            case = ET.SubElement(suite, "testcase", name=name, classname=classname, time="0")
            summary = f"{f['band'].upper()} {f['score']}: {', '.join(f['rules'])}"
            if f["status"] == "new":
                fail = ET.SubElement(case, "failure", message=summary, type=f"band:{f['band']}")
                fail.text = _detail(f)
            else:
                skip = ET.SubElement(case, "skipped", message=f"{f['status']}: {summary}")
                skip.text = _detail(f)
        if not rows:
            ET.SubElement(suite, "testcase", name=f"{file['rows']} row(s) below {result.fail_on}",
                          classname=classname, time="0")
    root.set("tests", str(total))
    root.set("skipped", str(accepted))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
