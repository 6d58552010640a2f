"""The store, extra rules and lexicon sent to remote workers by value, for clusters without a shared path.

The store is a DuckDB file of ~10 MB and the rules a few hundred KB of YAML: small enough to travel as one
object (Ray's object store, a Spark broadcast, a Dask scatter). `pack` reads them on the driver; `unpack`
writes them into a folder on the worker and returns the spec that loads a screener from there. By path
(a shared filesystem) the spec travels as it is and nothing is copied.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from screener.batch.job import ScreenerSpec
from screener.errors import InputError

STORE_NAME = "store.duckdb"


def _tree(root: Path) -> dict[str, bytes]:
    """A file, or every file under a folder, by its path relative to the folder (or its name)."""
    if root.is_file():
        return {root.name: root.read_bytes()}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def pack(spec: ScreenerSpec, store: Path) -> dict:
    """Everything a worker needs to load `spec`'s screener without the driver's filesystem."""
    for p in (store, *map(Path, spec.rules_dirs), *map(Path, spec.lexicons)):
        if not p.exists():
            raise InputError(f"{p}: does not exist; nothing to ship to the workers")
    return {"spec": replace(spec, db=None, rules_dirs=(), lexicons=()),
            "store": store.read_bytes(),
            "rules": [_tree(Path(d)) for d in spec.rules_dirs],
            "lexicons": [(Path(p).is_file(), _tree(Path(p))) for p in spec.lexicons]}


def unpack(packed: dict, folder: str | Path) -> ScreenerSpec:
    """Write a packed screener into `folder` (a worker's own temporary folder); the spec that loads it."""
    folder = Path(folder)
    store = folder / STORE_NAME
    store.write_bytes(packed["store"])
    rules_dirs, lexicons = [], []
    for i, files in enumerate(packed["rules"]):
        rules_dirs.append(str(_write(folder / "rules" / str(i), files)))
    for i, (single, files) in enumerate(packed["lexicons"]):
        root = _write(folder / "lexicon" / str(i), files)
        lexicons.append(str(root / next(iter(files))) if single else str(root))
    return replace(packed["spec"], db=str(store), rules_dirs=tuple(rules_dirs), lexicons=tuple(lexicons))


def _write(root: Path, files: dict[str, bytes]) -> Path:
    for rel, body in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    root.mkdir(parents=True, exist_ok=True)
    return root
