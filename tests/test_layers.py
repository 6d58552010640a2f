"""The import graph of screener/: no cycle, and no import from a lower layer to a higher one.

Every import counts: at module top, inside a function (a deferred import is still a dependency) and under
`if TYPE_CHECKING:` (an annotation is knowledge of the module above). The layers are declared here and in
docs/architecture.md; a test keeps the two the same, and every module must belong to a layer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "screener"

# Bottom to top. A module may import from its own layer and the layers below. A name ending in `/` is a
# package (every module under it), any other a module. The root package `screener` (its __version__) is base.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("__init__", "errors", "safe_yaml", "text/", "results", "score", "outputs", "hs_rank")),
    ("lexicon", ("lexicon/",)),
    ("reference", ("reference/",)),
    ("matching", ("match/", "parties/")),
    ("rules", ("features", "rules/")),
    ("engine", ("engine", "parties_bridge", "provenance")),
    ("screening", ("factory", "screen", "evaluate", "evaluate_splits", "rule_examples")),
    ("runs", ("tables", "batch/", "check/")),
    ("api", ("api",)),
    ("report", ("report/",)),
    ("cli", ("cli/", "__main__")),
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The screener modules `name` imports (a `from a.b import c` names a.b.c when that is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            out.update(f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names)
    return {m for m in out if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def layer_of(module: str) -> int:
    """The index in LAYERS of the module's layer (the longest declared name that covers it wins)."""
    rel = MODULES[module].relative_to(PACKAGE).with_suffix("").as_posix()  # "batch/__init__", "match/index"
    best, where = -1, -1
    for i, (_, names) in enumerate(LAYERS):
        for declared in names:
            covers = rel.startswith(declared) if declared.endswith("/") else rel == declared
            if covers and len(declared) > best:
                best, where = len(declared), i
    return where


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) < 0] == []


def test_no_module_imports_from_a_higher_layer():
    upward = sorted(f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
                    for a, targets in GRAPH.items() for b in targets if layer_of(b) > layer_of(a))
    assert upward == []


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle (its modules, the first again at the end), or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return []


def test_no_import_cycle():
    assert _cycle(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    """(The checks above must be able to fail.)"""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycle(graph) in (["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"])
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_imports_are_read_from_function_bodies_and_type_checking_blocks():
    assert "screener.factory" in GRAPH["screener.batch.job"]  # (inside ScreenerSpec.load)
    assert "screener.check.explain" in GRAPH["screener.batch.workers"]  # (inside a function)
    assert layer_of("screener.match.index") > layer_of("screener.reference.lookup") > layer_of("screener.lexicon.forms")


def _documented_layers() -> list[tuple[str, tuple[str, ...]]]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in section.splitlines()
            if re.match(r"^\| *\d+ *\|", line)]  # | number | name | `modules` | what they hold |
    if not rows:
        pytest.fail("docs/architecture.md: no layer table under '## Layers'")
    ordered = sorted(rows, key=lambda r: int(r[0]))
    return [(row[1], tuple(re.findall(r"`([^`]+)`", row[2]))) for row in ordered]


def test_docs_name_the_same_layers():
    assert _documented_layers() == LAYERS
