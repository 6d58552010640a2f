"""Load rule files: validate each with pydantic, parse its condition, report every problem at once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from screener.errors import RuleError
from screener.rules.conditions import Node, parse
from screener.rules.model import Rule
from screener.safe_yaml import load_yaml
from screener.score import Scoring, load_scoring

SCORING_FILE = "scoring.yaml"
PHRASE_SETS_FILE = "phrase_sets.yaml"
NOT_RULES = {SCORING_FILE, PHRASE_SETS_FILE}


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    node: Node
    path: Path


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[LoadedRule, ...]
    scoring: Scoring
    version: str

    def phrases(self) -> tuple[str, ...]:
        return tuple(sorted({p for r in self.rules for p in r.node.phrases()}))

    def by_id(self) -> dict[str, LoadedRule]:
        out = {r.rule.id: r for r in self.rules}
        out.update({a: r for r in self.rules for a in r.rule.aliases})
        return out


def rule_files(*dirs: Path) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        d = Path(d)
        files += sorted(p for p in d.rglob("*.yaml") if p.name not in NOT_RULES) if d.is_dir() else [d]
    return files


def load_rules(*dirs: Path, enabled_only: bool = True) -> RuleSet:
    """Load every rule of the folders; raise RuleError listing all problems with file, rule id and field."""
    problems: list[str] = []
    loaded: list[LoadedRule] = []
    digest = hashlib.sha256()
    for d in dirs:
        if not Path(d).exists():
            problems.append(f"{d}: rules folder does not exist")
    sets = _phrase_sets(dirs, problems, digest)
    files = rule_files(*dirs)
    for path in files:
        raw = path.read_bytes()
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
            node, errs = parse(rule.when, sets=sets)
            problems += [f"{path}: {rid}: {e}" for e in errs]
            if node is not None:
                loaded.append(LoadedRule(rule, node, path))
    problems += _duplicates(loaded)
    # the last folder with a scoring.yaml sets the scoring; the bundled rules' file when none has one
    from screener.reference.paths import rules_dir

    scoring_dirs = [d for d in dirs if (Path(d) / SCORING_FILE).exists()] or [rules_dir()]
    scoring = None
    for d in scoring_dirs:
        if (Path(d) / SCORING_FILE).exists():
            try:
                scoring = load_scoring(Path(d) / SCORING_FILE)
                digest.update((Path(d) / SCORING_FILE).read_bytes())
            except (ValidationError, yaml.YAMLError) as exc:
                problems.append(f"{Path(d) / SCORING_FILE}: {' '.join(str(exc).split())[:200]}")
    if scoring is None and not problems:
        problems.append(f"{SCORING_FILE}: not found in {', '.join(map(str, scoring_dirs))}")
    if problems:
        raise RuleError(f"{len(problems)} rule problem(s): " + "; ".join(problems))
    if enabled_only:
        loaded = [r for r in loaded if r.rule.enabled]
    return RuleSet(tuple(loaded), scoring, digest.hexdigest())


def _phrase_sets(dirs, problems: list[str], digest) -> dict[str, list[str]]:
    """Named phrase sets from each folder's phrase_sets.yaml (later folders may add sets, not redefine them)."""
    sets: dict[str, list[str]] = {}
    for d in dirs:
        path = Path(d) / PHRASE_SETS_FILE
        if not path.exists():
            continue
        raw = path.read_bytes()
        digest.update(raw)
        try:
            doc = load_yaml(raw.decode("utf-8")) or {}
        except (UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{path}: not valid YAML: {' '.join(str(exc).split())[:200]}")
            continue
        for name, words in (doc.get("sets") or {}).items():
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                problems.append(f"{path}: set {name!r} must be a list of phrases")
            elif name in sets:
                problems.append(f"{path}: phrase set {name!r} is already defined")
            else:
                sets[name] = words
    return sets


def _duplicates(loaded: list[LoadedRule]) -> list[str]:
    seen: dict[str, Path] = {}
    problems = []
    for r in loaded:
        for name in [r.rule.id, *r.rule.aliases]:
            if name in seen:
                problems.append(f"{r.path}: {r.rule.id}: id or alias {name!r} is also used in {seen[name]}")
            seen[name] = r.path
    return problems
