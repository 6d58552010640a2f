"""Human-readable rendering of one screening: verdict first, then each finding with its span."""

from __future__ import annotations


def _span(item: dict) -> str:
    return f"[{item['start']}:{item['end']}] \"{item['text']}\""


def render_screening(result: dict) -> str:
    """One screened text as `screener screen` prints it."""
    lines = [f"score {result['score']}  band {result['band'].upper()}"]
    if result.get("coverage") in ("none", "partial"):
        lines.append(f"! Language {result['language']}: the lexicon has {result['coverage']} terms in it;"
                     " goods written in it may be missed")
    if result["goods"]:
        lines.append("\nGoods")
        for g in result["goods"]:
            flags = [f for f in ("negated", "hypothetical") if g[f]]
            extra = f" ({', '.join(flags)})" if flags else ""
            sim = f" {g['similarity']:.2f}" if g["matcher"] == "fuzzy" and g["similarity"] is not None else ""
            lines.append(f"  {g['canonical']} <{g['category']}> {_span(g)} {g['matcher']}{sim}"
                         f" HS {', '.join(g['hs']) or '-'}{extra}")
    if result["hs_codes"]:
        lines.append("\nHS codes")
        for c in result["hs_codes"]:
            ctl = ", ".join(f"{x['list']}:{x['tier'] or x['entry']}" for x in c["controls"]) or "not listed"
            lines.append(f"  {c['code']} {c['origin']}: {c['description'][:70]} — {ctl}")
    if result["countries"]:
        lines.append("\nPlaces")
        seen: dict[str, list[dict]] = {}
        for c in result["countries"]:
            seen.setdefault(c["code"], []).append(c)
        for code, found in seen.items():
            c = found[0]
            more = f" and {len(found) - 1} more" if len(found) > 1 else ""
            lines.append(f"  {c['name']} ({code}; {', '.join(c['groups']) or 'no group'}) {_span(c)}{more}")
    if result.get("parties"):
        lines.append("\nParties")
        for p in result["parties"]:
            lines.append(f"  {p['ref']} {p['name']} (alias {p['alias']!r}, score {p['score']:.2f} >= {p['threshold']})"
                         f" [{p['start']}:{p['end']}] \"{p['matched_text']}\"")
    if result.get("review"):
        lines.append("\nParties to review (possible matches)")
        for p in result["review"]:
            lines.append(f"  {p['ref']} {p['name']} (alias {p['alias']!r}, score {p['score']:.2f}, held by "
                         f"{p['held_by']}) [{p['start']}:{p['end']}] \"{p['matched_text']}\"")
    for issue in result.get("code_issues", []):
        lines.append(f"! {issue['message']}")
    if result.get("hs_candidates"):
        lines.append("\nHS candidates (no lexicon goods; ranked from the nomenclature)")
        for c in result["hs_candidates"]:
            lines.append(f"  {c['code']} {c['confidence']:.2f} {c['description'][:80]}")
    lines.append("\nRules")
    if not result["rules"]:
        lines.append("  (none fired)")
    for r in result["rules"]:
        lines.append(f"  {r['id']} [{r['severity']}, weight {r['weight']:g}] {r['message']}")
    held: dict[str, list[str]] = {}
    for h in result.get("held_back", []):
        held.setdefault(h["condition"], []).append(h["rule"])
    for condition, rules in held.items():
        lines.append(f"  held back by {condition} (rules/conditions.yaml): {', '.join(rules)}")
    parts = ", ".join(f"{k} {v}" for k, v in result.get("score_parts", {}).items())
    if parts:
        lines.append(f"\nScore parts: {parts}")
    v = result["versions"]
    lines.append(f"Versions: rules {v['rules'][:12]}, reference {v['reference'][:12]}")
    return "\n".join(lines)
