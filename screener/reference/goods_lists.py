"""The control lists as the store holds them: what each list declares, and the rows of the goods lists.

`reference_data/lists/lists.yaml` declares, for every list tag, what its rows share: legal basis, direction
of trade (`export` to / `import` from the named countries), the countries, date, source, and whether our copy
is known to be incomplete. The sanctions goods lists (EU833-XVII, EU833-XVIII, EU833-XXI, US-RU-IMPORT-BAN)
have their rows in our own CSV layout (GOODS_COLUMNS); the older lists keep theirs (build.py reads them).
A threshold is written `EUR 300` (the ban applies above that value per item), `any value`, or left empty (the
list has no value condition).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from screener.errors import ScreenerError
from screener.safe_yaml import load_yaml

GOODS_COLUMNS = ["position", "code", "code_to", "level", "ex", "category", "threshold", "legal_act", "in_force",
                 "description"]
THRESHOLD = re.compile(r"^(?:(?P<any>any value)|(?P<currency>[A-Z]{3}) (?P<value>\d+(?:\.\d+)?))?$")
DATE = r"^\d{4}-\d{2}-\d{2}$"
# The columns every list row has in the store, beyond list, entry, code, level, ex, tier, position, description.
ROW_SCHEMA = {"code_to": pl.String, "category": pl.String, "threshold_kind": pl.String,
              "threshold_value": pl.Float64, "threshold_currency": pl.String, "legal_act": pl.String,
              "in_force": pl.String}


class ListSpec(BaseModel):
    """One control list: what all of its rows share."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    tag: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    title: str
    file: str | None = None              # our rows file in reference_data/lists/ (goods-list layout)
    legal_basis: str
    direction: Literal["export", "import"]
    countries: list[str] = Field(min_length=1)
    date: str = Field(pattern=DATE)      # the state of the list our copy holds (entry into force or edition)
    source: str
    source_url: str = ""
    complete: bool = True                # False: our copy is known to lack rows (said by `reference info`)
    categories: dict[str, str] = {}      # our short names of the list's categories (Annex XVIII's 23)
    note: str = ""


def read_specs(ref_dir: Path) -> dict[str, ListSpec]:
    """The declared lists by tag (every problem at once)."""
    path = ref_dir / "lists" / "lists.yaml"
    try:
        doc = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError) as exc:
        raise ScreenerError(f"{path}: cannot read: {str(exc).splitlines()[0]}") from exc
    specs, problems = {}, []
    for i, raw in enumerate(doc.get("lists") or []):
        try:
            spec = ListSpec.model_validate(raw)
        except ValidationError as exc:
            problems += [f"list #{i}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            continue
        if spec.tag in specs:
            problems.append(f"{spec.tag}: declared twice")
        specs[spec.tag] = spec
    if problems:
        raise ScreenerError(f"{path}: " + "; ".join(problems))
    return specs


def parse_threshold(text: str | None) -> tuple[str, float | None, str | None]:
    """`EUR 300` -> ("above", 300.0, "EUR"); `any value` -> ("any", None, None); empty -> ("none", None, None)."""
    m = THRESHOLD.match((text or "").strip())
    if m is None:
        raise ValueError(f"threshold {text!r} is not 'CUR amount', 'any value' or empty")
    if m["any"]:
        return "any", None, None
    if m["currency"]:
        return "above", float(m["value"]), m["currency"]
    return "none", None, None


def entry_id(code: str, code_to: str | None) -> str:
    """The id of a row in `LIST:ENTRY` tags: its code, or `first-last` for a range."""
    return f"{code}-{code_to}" if code_to else code


def goods_rows(ref_dir: Path, spec: ListSpec) -> pl.DataFrame:
    """One goods list's rows from our CSV, checked, in the store's shape (without the spec columns)."""
    path = ref_dir / "lists" / str(spec.file)
    try:
        raw = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise ScreenerError(f"{path}: cannot read CSV: {str(exc).splitlines()[0]}") from exc
    if raw.columns != GOODS_COLUMNS:
        raise ScreenerError(f"{path}: columns {raw.columns}, expected {GOODS_COLUMNS}")
    return rows_frame(spec.tag, raw.to_dicts(), str(path))


def rows_frame(tag: str, rows: list[dict], where: str) -> pl.DataFrame:
    """Rows of the goods-list layout (dicts of strings) as store rows of list `tag`; raise on a bad row."""
    out, problems = [], []
    for n, r in enumerate(rows, 2):
        code, code_to = (r.get("code") or "").strip(), (r.get("code_to") or "").strip() or None
        try:
            if not (code.isdigit() and len(code) in (2, 4, 6, 8, 10)) or (code_to and not code_to.isdigit()):
                raise ValueError(f"code {code!r} to {code_to!r} is not 2, 4, 6, 8 or 10 digits")
            if r.get("in_force") and not re.match(DATE, r["in_force"]):
                raise ValueError(f"in_force {r['in_force']!r} is not YYYY-MM-DD")
            kind, value, currency = parse_threshold(r.get("threshold"))
        except ValueError as exc:
            problems.append(f"row {n}: {exc}")
            continue
        out.append({"list": tag, "entry": entry_id(code, code_to), "code": code, "level": len(code),
                    "ex": str(r.get("ex")) == "1", "tier": None, "position": int(r.get("position") or n - 1),
                    "description": r.get("description") or "", "code_to": code_to,
                    "category": r.get("category") or None, "threshold_kind": kind, "threshold_value": value,
                    "threshold_currency": currency, "legal_act": r.get("legal_act") or None,
                    "in_force": r.get("in_force") or None})
    if problems:
        raise ScreenerError(f"{where}: " + "; ".join(problems[:5]) + (" …" if len(problems) > 5 else ""))
    return pl.DataFrame(out, schema=STORE_SCHEMA, orient="row")


STORE_SCHEMA = {"list": pl.String, "entry": pl.String, "code": pl.String, "level": pl.Int32, "ex": pl.Boolean,
                "tier": pl.String, "position": pl.Int64, "description": pl.String} | ROW_SCHEMA


def with_spec_columns(rows: pl.DataFrame, specs: dict[str, ListSpec]) -> pl.DataFrame:
    """Add what each row's list declares (direction, countries, legal basis, completeness), and its date
    where the row has none of its own."""
    table = pl.DataFrame({
        "list": list(specs), "direction": [s.direction for s in specs.values()],
        "countries": [s.countries for s in specs.values()], "legal_basis": [s.legal_basis for s in specs.values()],
        "complete": [s.complete for s in specs.values()], "list_date": [s.date for s in specs.values()]},
        schema={"list": pl.String, "direction": pl.String, "countries": pl.List(pl.String),
                "legal_basis": pl.String, "complete": pl.Boolean, "list_date": pl.String})
    undeclared = set(rows["list"].unique().to_list()) - set(specs)
    if undeclared:
        raise ScreenerError(f"lists/lists.yaml declares no list {sorted(undeclared)}")
    return (rows.join(table, on="list", how="left", maintain_order="left")
            .with_columns(in_force=pl.coalesce("in_force", "list_date")).drop("list_date"))


def describe_threshold(kind: str | None, value: float | None, currency: str | None) -> str:
    """How a threshold reads in a report: `above EUR 300 per item`, `any value`, or empty."""
    if kind == "above" and value is not None:
        return f"above {currency} {value:,.0f} per item"
    return "any value" if kind == "any" else ""


__all__ = ["GOODS_COLUMNS", "ListSpec", "read_specs", "goods_rows", "rows_frame", "with_spec_columns",
           "parse_threshold", "describe_threshold", "entry_id", "STORE_SCHEMA"]
