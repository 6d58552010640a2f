"""Rule folders from elsewhere: files that would hang, exhaust memory or score nonsense are refused, each
with one line naming the file, before any text is scored (issue 18 #12)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from screener.errors import RuleError
from screener.rules.load import MAX_RULE_FILE_BYTES, load_rules

RULE = """\
id: {id}
title: A rule from elsewhere
severity: low
weight: 10
when: {when}
message: "{message}"
examples:
  fire: ["500 pcs FPGA XC7A100T"]
  silent: ["cotton towels"]
"""


def _folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _problems(folder: Path) -> str:
    with pytest.raises(RuleError) as err:
        load_rules(folder)
    return str(err.value)


def test_an_alias_bomb_in_a_condition_is_refused(tmp_path):
    bomb = textwrap.dedent("""\
        id: bomb
        title: A billion laughs
        severity: low
        weight: 10
        a: &a [{goods: {}}, {goods: {}}]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
        when: {any: [*c, *c, *c, *c, *c, *c, *c, *c, *c]}
        message: "x {term}"
        examples: {fire: [FPGA], silent: [tea]}
        """)
    assert "aliases are not allowed" in _problems(_folder(tmp_path, **{"bomb.yaml": bomb}))


@pytest.mark.parametrize("message, why", [
    ("{term:>999999999}", "no format spec"),
    ("{term!r}", "no format spec or conversion"),
    ("{term.__class__}", "unknown placeholder"),
    ("{0}", "unknown placeholder"),
    ("{term", "not a valid message template"),
])
def test_message_templates_are_named_fields_only(tmp_path, message, why):
    folder = _folder(tmp_path, **{"r.yaml": RULE.format(id="r", when="{goods: {}}", message=message)})
    assert why in _problems(folder)


def test_a_fifo_or_a_device_named_yaml_is_not_read(tmp_path):
    folder = _folder(tmp_path, **{"ok.yaml": RULE.format(id="ok", when="{goods: {}}", message="{term}")})
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    problems = _problems(folder)  # (reading either would hang or never end)
    assert "pipe.yaml: not a regular file" in problems and "zero.yaml: not a regular file" in problems


def test_a_huge_rule_file_is_refused(tmp_path):
    text = RULE.format(id="big", when="{goods: {}}", message="{term}") + "#" * MAX_RULE_FILE_BYTES
    assert "a rule file may hold at most" in _problems(_folder(tmp_path, **{"big.yaml": text}))


@pytest.mark.parametrize("scoring, why", [
    ("bands: {low: .nan, medium: 35, high: 60, critical: 85}", "finite number"),
    ("bands: {low: 15, medium: 35, high: 60, critical: .inf}", "finite number"),
    ("family_caps: {goods: -300}", "family caps must be between 0 and 100"),
    ("family_caps: {goods: 250}", "family caps must be between 0 and 100"),
    ("bands: {low: 15, medium: 60, high: 35, critical: 85}", "must increase"),
    ("bands: {low: 0, medium: 35, high: 60, critical: 85}", "above 0"),
    ("bands: {low: 15, medium: 35, high: 60}", "exactly low, medium, high, critical"),
])
def test_scoring_values_are_validated(tmp_path, scoring, why):
    folder = _folder(tmp_path, **{"scoring.yaml": scoring,
                                  "r.yaml": RULE.format(id="r", when="{goods: {}}", message="{term}")})
    assert why in _problems(folder)


def test_the_command_line_says_one_line_and_exits_2_at_once(tmp_path):
    folder = _folder(tmp_path, **{"r.yaml": RULE.format(id="r", when="{goods: {}}", message="{term:>999999999}")})
    os.mkfifo(folder / "pipe.yaml")
    screen = subprocess.run([sys.executable, "-m", "screener", "screen", "FPGA", "--rules-dir", str(folder)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert screen.returncode == 2 and len(screen.stderr.strip().splitlines()) == 1, screen.stderr
    assert "not a regular file" in screen.stderr and "format spec" in screen.stderr
    validate = subprocess.run([sys.executable, "-m", "screener", "rules", "validate", "--rules-dir", str(folder)],
                              capture_output=True, text=True, timeout=120, check=False)
    assert validate.returncode == 2 and "Traceback" not in validate.stderr  # (validate lists each problem)
    assert "not a regular file" in validate.stderr and "format spec" in validate.stderr
