"""docs/rules.md says what the rule files say: the pack's table names every bundled rule with its weight, in its
folder; the caps table is rules/scoring.yaml's; the predicates table names every predicate."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from screener.rules.conditions import PREDICATES

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return DOC.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def _rows(text: str, header: str) -> list[list[str]]:
    """The body rows of the markdown table whose header row starts with `| header |`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^\| *{re.escape(header)} *\|", line))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _rule_files() -> dict[str, dict[str, int]]:
    """folder -> {rule id: weight} of the bundled rule files."""
    out: dict[str, dict[str, int]] = {}
    for path in sorted((ROOT / "rules").glob("*/*.yaml")):
        rule = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.setdefault(path.parent.name, {})[rule["id"]] = rule["weight"]
    return out


def test_the_pack_table_names_every_rule_with_its_weight():
    documented = {folder: dict((rid, int(w)) for rid, w in re.findall(r"`([a-z0-9-]+)` \((\d+)", rules))
                  for folder, rules in _rows(_section("The pack"), "folder")}
    files = _rule_files()
    # on a mismatch, the row to write for each folder that differs:
    want = {f: ", ".join(f"`{rid}` ({w})" for rid, w in rules.items()) for f, rules in files.items()
            if documented.get(f) != rules}
    assert documented == files, want


def test_the_caps_table_is_scoring_yaml():
    scoring = yaml.safe_load((ROOT / "rules" / "scoring.yaml").read_text(encoding="utf-8"))
    caps = {family: int(cap) for family, cap, *_ in _rows(_section("The score"), "family")}
    assert caps == scoring["family_caps"]
    said = re.search(r"`rules/scoring.yaml`: (.*?)\)", _section("The score"), flags=re.S).group(1)
    assert {b: int(v) for b, v in re.findall(r"(low|medium|high|critical) (\d+)", said)} == scoring["bands"]


def test_the_predicates_table_names_every_predicate():
    names = {n for row in _rows(_section("Writing a rule"), "predicate") for n in re.findall(r"`([a-z_]+)`", row[0])}
    assert names == set(PREDICATES)
