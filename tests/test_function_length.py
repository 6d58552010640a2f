"""No function in screener/ is longer than 60 lines (docstring not counted) unless its docstring says why, in a
paragraph starting `Long:`. The test lists the long functions without a reason."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 60
# functions being split; remove an entry once its function is short or says why
PENDING: set[str] = set()


def function_lengths(source: str) -> list[tuple[str, int, str]]:
    """(name, lines without the docstring, docstring) of every function and method of a module."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node) or ""
            lines = node.end_lineno - node.lineno + 1
            if doc:
                lines -= node.body[0].end_lineno - node.body[0].lineno + 1
            out.append((node.name, lines, doc))
    return out


def _says_why(doc: str) -> bool:
    return any(p.strip().startswith("Long:") and len(p.strip()) > len("Long: ") + 20 for p in doc.split("\n\n"))


def _long_functions() -> dict[str, int]:
    """`path:name` -> lines, for every function over the limit whose docstring does not say why."""
    found = {}
    for path in sorted((ROOT / "screener").rglob("*.py")):
        for name, lines, doc in function_lengths(path.read_text(encoding="utf-8")):
            if lines > LIMIT and not _says_why(doc):
                found[f"{path.relative_to(ROOT).as_posix()}:{name}"] = lines
    return found


def test_no_long_function_without_a_reason():
    long = _long_functions()
    assert {k: v for k, v in long.items() if k not in PENDING} == {}


def test_pending_functions_are_still_long():
    """An entry of PENDING whose function is now short (or says why) must leave the list."""
    assert PENDING <= set(_long_functions())


def test_lengths_are_counted_without_the_docstring():
    body = "\n".join(f"    x{i} = {i}" for i in range(LIMIT))
    short = f'def f():\n    """Doc.\n\n    More.\n    """\n{body}\n'
    assert function_lengths(short) == [("f", LIMIT + 1, "Doc.\n\nMore.")]
    long = f'def g():\n    """Doc."""\n{body}\n    return 1\n'
    assert function_lengths(long)[0][1] == LIMIT + 2
    assert not _says_why("Doc.\n\nLong: yes.") and _says_why("Doc.\n\nLong: one table of cases read top to bottom.")
