"""Load rule files: validate each with pydantic, parse its condition, report every problem at once."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from screener.errors import RuleError
from screener.rules.conditions import Node, parse
from screener.rules.model import Rule
from screener.safe_yaml import load_yaml
from screener.score import Scoring

SCORING_FILE = "scoring.yaml"
MAX_RULE_FILE_BYTES = 256 * 1024  # a rule is a few hundred bytes; the largest bundled file (phrase sets) 4 KB
PHRASE_SETS_FILE = "phrase_sets.yaml"
CONDITIONS_FILE = "conditions.yaml"
NOT_RULES = {SCORING_FILE, PHRASE_SETS_FILE, CONDITIONS_FILE}


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule, its parsed condition and the file it came from."""

    rule: Rule
    node: Node
    path: Path


@dataclass(frozen=True)
class RuleSet:
    """The loaded rules with the scoring they are combined by, and their version (a hash)."""

    rules: tuple[LoadedRule, ...]
    scoring: Scoring
    version: str

    def phrases(self) -> tuple[str, ...]:
        """Every phrase the rules look for, sorted."""
        return tuple(sorted({p for r in self.rules for p in r.node.phrases()}))

    def by_id(self) -> dict[str, LoadedRule]:
        """Rule id (and every alias) -> rule."""
        out = {r.rule.id: r for r in self.rules}
        out.update({a: r for r in self.rules for a in r.rule.aliases})
        return out


def rule_files(*dirs: Path) -> list[Path]:
    """The rule files of the folders (`*.yaml` below them, but not scoring.yaml or phrase_sets.yaml)."""
    files: list[Path] = []
    for d in dirs:
        d = Path(d)
        files += sorted(p for p in d.rglob("*.yaml") if p.name not in NOT_RULES) if d.is_dir() else [d]
    return files


def read_rule_file(path: Path) -> bytes:
    """The bytes of a rule-folder file: a regular file of at most MAX_RULE_FILE_BYTES (a FIFO or a device
    named *.yaml would hang or never end; a huge file is no rule). Raises RuleError."""
    try:
        info = path.stat()
    except OSError as exc:
        raise RuleError(f"{path}: cannot read: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise RuleError(f"{path}: not a regular file")
    if info.st_size > MAX_RULE_FILE_BYTES:
        raise RuleError(f"{path}: {info.st_size:,} bytes; a rule file may hold at most {MAX_RULE_FILE_BYTES:,}")
    with path.open("rb") as f:
        return f.read(MAX_RULE_FILE_BYTES + 1)[:MAX_RULE_FILE_BYTES]


def load_rules(*dirs: Path, enabled_only: bool = True) -> RuleSet:
    """Load every rule of the folders; raise RuleError listing all problems with file, rule id and field."""
    problems: list[str] = []
    loaded: list[LoadedRule] = []
    digest = hashlib.sha256()
    for d in dirs:
        if not Path(d).exists():
            problems.append(f"{d}: rules folder does not exist")
    sets = _phrase_sets(dirs, problems, digest)
    conditions = _conditions(dirs, sets, problems, digest)
    files = rule_files(*dirs)
    for path in files:
        try:
            raw = read_rule_file(path)
        except RuleError as exc:
            problems.append(str(exc))
            continue
        digest.update(path.name.encode() + b"\0" + raw)
        try:
            doc = load_yaml(raw.decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{path}: not valid YAML: {' '.join(str(exc).split())[:200]}")
            continue
        docs = doc if isinstance(doc, list) else [doc]
        for item in docs:
            rid = item.get("id", "?") if isinstance(item, dict) else "?"
            try:
                rule = Rule.model_validate(item)
            except ValidationError as exc:
                problems += [f"{path}: {rid}: {'.'.join(str(x) for x in e['loc']) or '(rule)'}: {e['msg']}"
                             for e in exc.errors()]
                continue
            node, errs = parse(rule.when, sets=sets, conditions=conditions)
            problems += [f"{path}: {rid}: {e}" for e in errs]
            if node is not None:
                loaded.append(LoadedRule(rule, node, path))
    problems += _duplicates(loaded)
    scoring = _scoring(dirs, problems, digest)
    if problems:
        raise RuleError(f"{len(problems)} rule problem(s): " + "; ".join(problems))
    if enabled_only:
        loaded = [r for r in loaded if r.rule.enabled]
    return RuleSet(tuple(loaded), scoring, digest.hexdigest())


def _scoring(dirs, problems: list[str], digest) -> Scoring | None:
    """The scoring: the bundled rules/scoring.yaml (the only home of its values), then each folder's own
    scoring.yaml over it (`bands` as a whole; `family_caps` family by family: a folder may change one cap)."""
    from screener.reference.paths import rules_dir

    bundled = rules_dir() / SCORING_FILE
    files = [bundled] + [Path(d) / SCORING_FILE for d in dirs if (Path(d) / SCORING_FILE).exists()
                         and (Path(d) / SCORING_FILE).resolve() != bundled.resolve()]
    bundled_listed = any(Path(d).resolve() == bundled.parent.resolve() for d in dirs)
    merged: dict = {}
    scoring = None
    for path in files:
        try:
            raw = read_rule_file(path)
            doc = load_yaml(raw.decode("utf-8")) or {}
            if not isinstance(doc, dict):
                raise ValueError("expected a mapping (bands, family_caps)")
            for key, value in doc.items():  # (bands are a whole: thresholds replace the bundled set together)
                merged[key] = {**merged[key], **value} if key == "family_caps" and isinstance(value, dict) \
                    and isinstance(merged.get(key), dict) else value
            scoring = Scoring.model_validate(merged)
            if path != bundled or bundled_listed:  # (the version covers the scoring of the folders given)
                digest.update(raw)
        except RuleError as exc:
            problems.append(str(exc))
            return None
        except (ValidationError, ValueError, yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
            problems.append(f"{path}: {' '.join(str(exc).split())[:200]}")
            return None
    return scoring


def _named(dirs, filename: str, key: str, problems: list[str], digest) -> list[tuple[Path, str, object]]:
    """(file, name, value) of every entry under `key` in each folder's `filename` (phrase sets, conditions)."""
    out = []
    for d in dirs:
        path = Path(d) / filename
        if not path.exists():
            continue
        try:
            raw = read_rule_file(path)
        except RuleError as exc:
            problems.append(str(exc))
            continue
        digest.update(raw)
        try:
            doc = load_yaml(raw.decode("utf-8")) or {}
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{path}: not valid YAML: {' '.join(str(exc).split())[:200]}")
            continue
        entries = doc.get(key) if isinstance(doc, dict) else None
        if not isinstance(entries or {}, dict):
            problems.append(f"{path}: `{key}` must be a mapping of names")
            continue
        out += [(path, name, value) for name, value in (entries or {}).items()]
    return out


def _phrase_sets(dirs, problems: list[str], digest) -> dict[str, list[str]]:
    """Named phrase sets from each folder's phrase_sets.yaml (later folders may add sets, not redefine them)."""
    sets: dict[str, list[str]] = {}
    for path, name, words in _named(dirs, PHRASE_SETS_FILE, "sets", problems, digest):
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            problems.append(f"{path}: set {name!r} must be a list of phrases")
        elif name in sets:
            problems.append(f"{path}: phrase set {name!r} is already defined")
        else:
            sets[name] = words
    return sets


def _conditions(dirs, sets: dict[str, list[str]], problems: list[str], digest) -> dict[str, dict]:
    """Named conditions from each folder's conditions.yaml, which rules share as `use: <name>` (later folders may
    add conditions, not redefine them). Each must parse on its own; it may not use another."""
    conditions: dict[str, dict] = {}
    for path, name, cond in _named(dirs, CONDITIONS_FILE, "conditions", problems, digest):
        _, errs = parse(cond, f"conditions.{name}", sets=sets)
        if errs:
            problems += [f"{path}: {e}" for e in errs]
        elif name in conditions:
            problems.append(f"{path}: condition {name!r} is already defined")
        else:
            conditions[name] = cond
    return conditions


def _duplicates(loaded: list[LoadedRule]) -> list[str]:
    seen: dict[str, Path] = {}
    problems = []
    for r in loaded:
        for name in [r.rule.id, *r.rule.aliases]:
            if name in seen:
                problems.append(f"{r.path}: {r.rule.id}: id or alias {name!r} is also used in {seen[name]}")
            seen[name] = r.path
    return problems
