"""Project configuration for `screener check`: a `[tool.screener]` table in pyproject.toml or a screener.toml.

Keys (kebab-case or snake_case): fail-on, enable (only these rules), disable, weights ({rule: weight}),
rules-dirs and lexicons (extra folders, relative to the file), text-column, id-column, suppressions, baseline,
format. Command-line flags override the file. Rule selection and weights reach `api.load_screener` (applied by
screener.rules.selection, whose version hash covers them).
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from screener.errors import ScreenerError

Band = Literal["low", "medium", "high", "critical"]
Format = Literal["text", "json", "sarif", "junit", "github"]


class ConfigError(ScreenerError):
    """A configuration file that cannot be read or does not validate (exit 2)."""


class CheckConfig(BaseModel):
    """The validated `[tool.screener]` table (unknown keys are errors); paths are absolute after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    fail_on: Band | None = None
    enable: list[str] = []
    disable: list[str] = []
    weights: dict[str, float] = {}
    rules_dirs: list[Path] = []
    lexicons: list[Path] = []
    text_column: str | None = None
    id_column: str | None = None
    suppressions: Path | None = None
    baseline: Path | None = None
    format: Format | None = None
    path: Path | None = Field(default=None, exclude=True)

    @property
    def sha256(self) -> str | None:
        """The config file's sha256 (for the provenance), or None without a file."""
        return hashlib.sha256(self.path.read_bytes()).hexdigest() if self.path else None


def find_config(start: Path | None = None) -> Path | None:
    """The nearest screener.toml, or pyproject.toml with a [tool.screener] table, in `start` or a parent."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "screener.toml").is_file():
            return folder / "screener.toml"
        py = folder / "pyproject.toml"
        if py.is_file():
            try:
                if "screener" in tomllib.loads(py.read_text(encoding="utf-8")).get("tool", {}):
                    return py
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
        if (folder / ".git").exists():
            break
    return None


def load_config(path: Path | None) -> CheckConfig:
    """Read and validate a config file (the whole file for screener.toml, [tool.screener] for pyproject)."""
    if path is None:
        return CheckConfig()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        doc = doc.get("tool", {}).get("screener", {})
    elif "tool" in doc and "screener" in doc["tool"] and len(doc) == 1:
        doc = doc["tool"]["screener"]
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: [tool.screener] must be a table")
    data = {str(k).replace("-", "_"): v for k, v in doc.items()}
    try:
        cfg = CheckConfig.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(x) for x in e['loc']).replace('_', '-') or '(table)'}: {e['msg']}"
                    for e in exc.errors()]
        raise ConfigError(f"{path}: {len(problems)} config problem(s): " + "; ".join(problems)) from exc
    base = path.parent.resolve()

    def rel(p: Path | None) -> Path | None:
        return None if p is None else (p if p.is_absolute() else base / p)

    return cfg.model_copy(update={
        "rules_dirs": [rel(p) for p in cfg.rules_dirs], "lexicons": [rel(p) for p in cfg.lexicons],
        "suppressions": rel(cfg.suppressions), "baseline": rel(cfg.baseline), "path": path.resolve()})
