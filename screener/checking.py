"""The library side of `screener check`: inputs → scored rows → findings with spans, suppressions, baseline.

Inputs are CSV/TSV, Parquet, JSONL and plain text files (one description per line) or folders of them. Every
row is scored in columns (`score_table`); only rows at or above the threshold are screened one by one
(`screen_text`) for spans and per-rule evidence. A finding row is *new* when any of its fired rules is neither
suppressed nor in the baseline; only new findings fail the check.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from screener import __version__
from screener.batch import score_table
from screener.errors import InputError
from screener.io import read_table, require_columns
from screener.safe_yaml import load_yaml
from screener.score import BANDS
from screener.suppress import Suppressions, entry_hashes, fingerprint, text_fingerprint

EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl",
              ".ndjson": "jsonl", ".txt": "lines"}
LINES_COLUMN = "text"


@dataclass
class Source:
    """One input file: its rows as a frame, and how to map a row back to a physical line."""

    path: Path
    display: str
    kind: str                       # csv | parquet | jsonl | lines
    df: pl.DataFrame
    text_column: str
    encoding: str = "utf-8"
    row_lines: list[int] | None = None
    _lines: list[str] | None = field(default=None, repr=False)

    def physical_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.path.read_bytes().decode(self.encoding, errors="replace").splitlines()
        return self._lines

    def line_of(self, row: int) -> int | None:
        """1-based file line where row `row` (0-based) starts; None for Parquet."""
        if self.kind == "parquet":
            return None
        if self.row_lines is None:
            self.row_lines = _record_lines(self)
        return self.row_lines[row] if row < len(self.row_lines) else None

    def column_of(self, line: int | None, text: str, start: int, end: int) -> tuple[int, int] | None:
        """1-based start and end column of the span [start, end) of `text` on its physical line, if found."""
        if line is None:
            return None
        if self.kind == "lines":
            return start + 1, end + 1
        lines = self.physical_lines()
        if not 0 < line <= len(lines):
            return None
        escape = (lambda s: s.replace('"', '""')) if self.kind == "csv" else (
            lambda s: json.dumps(s, ensure_ascii=False)[1:-1])
        first = text.split("\n", 1)[0]
        if end > len(first):
            return None
        pos = lines[line - 1].find(escape(first))
        if pos < 0:
            return None
        return pos + len(escape(text[:start])) + 1, pos + len(escape(text[:end])) + 1


def _record_lines(src: Source) -> list[int]:
    text = src.path.read_bytes().decode(src.encoding, errors="replace")
    if src.kind == "lines" or src.kind == "jsonl":
        return [i for i, line in enumerate(text.splitlines(), start=1) if line.strip()]
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter="\t" if src.path.suffix.lower() == ".tsv" else ",")
    starts, prev = [], 0
    for rec in reader:
        if rec:
            starts.append(prev + 1)
        prev = reader.line_num
    return starts[1:]  # the first record is the header


def discover(inputs: list[Path]) -> list[Path]:
    """Files to check: each file as given; each folder walked for known extensions (hidden folders skipped)."""
    files: list[Path] = []
    for p in inputs:
        if not p.exists():
            raise InputError(f"{p}: no such file or folder")
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise InputError(f"{p}: no files with a known extension ({', '.join(sorted(EXTENSIONS))})")
            files += found
        else:
            files.append(p)
    return list(dict.fromkeys(files))


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def open_source(path: Path, text_column: str | None, id_column: str | None, input_format: str | None,
                encoding: str) -> Source:
    """Read one input file; plain text needs no column, tables need `text_column` (one-line errors)."""
    kind = input_format or EXTENSIONS.get(path.suffix.lower(), "csv")
    if kind == "lines":
        try:
            raw = path.read_bytes().decode(encoding)
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: cannot decode as {encoding} at byte {exc.start}; name the encoding "
                             f"with --encoding") from exc
        numbered = [(i, line) for i, line in enumerate(raw.splitlines(), start=1) if line.strip()]
        df = pl.DataFrame({LINES_COLUMN: [t for _, t in numbered]}, schema={LINES_COLUMN: pl.String})
        return Source(path, _display(path), kind, df, LINES_COLUMN, encoding, [i for i, _ in numbered])
    if not text_column:
        raise InputError(f"{path}: a {kind} file needs --text-column (or text-column in the config)")
    df = read_table(path, kind, encoding)
    require_columns(df, text_column, id_column)
    return Source(path, _display(path), kind, df, text_column, encoding)


@dataclass
class CheckResult:
    inputs: list[str]
    files: list[dict]
    rows: int
    fail_on: str
    findings: list[dict]
    provenance: dict
    notes: list[str]
    baseline_used: bool
    rules: list[dict] = field(default_factory=list)

    @property
    def new(self) -> list[dict]:
        return [f for f in self.findings if f["status"] == "new"]

    @property
    def failed(self) -> bool:
        return bool(self.new)


def _split(value) -> list[str]:
    return [x for x in (value or "").split(";") if x]


def _rule_span(rule: dict) -> dict | None:
    for e in rule["evidence"]:
        if e.get("start") is not None and e.get("start", -1) >= 0:
            return e
        for inner in e.get("evidence", []):
            if inner.get("start") is not None and inner["start"] >= 0:
                return inner
    return None


def run_check(screener, inputs: list[Path], fail_on: str, text_column: str | None = None,
              id_column: str | None = None, input_format: str | None = None, encoding: str = "utf-8",
              suppressions: Suppressions | None = None, baseline=None, config=None) -> CheckResult:
    """Check every input; return the finding rows (new, suppressed or baselined) and the run's provenance."""
    from screener.screen import screen_text

    suppressions = suppressions or Suppressions([])
    sources = [open_source(p, text_column, id_column, input_format, encoding) for p in discover(inputs)]
    threshold = BANDS.index(fail_on)
    rank = {b: i for i, b in enumerate(BANDS)}
    hashes = entry_hashes(screener.reference.list_entries)
    findings, files, total = [], [], 0
    for src in sources:
        out = score_table(screener, src.df, src.text_column)
        total += out.height
        count = 0
        for i, row in enumerate(out.iter_rows(named=True)):
            if row["band"] is None or rank[row["band"]] < threshold:
                continue
            count += 1
            text = row[src.text_column]
            detail = screen_text(screener, text)
            parties = _split(row.get("parties"))
            rules = []
            for r in detail["rules"]:
                controls = [f"{c['list']}:{c['entry']}" for e in r["evidence"] if e["kind"] == "hs_code"
                            for c in e["controls"]]
                fp = fingerprint(r["id"], text)
                verdict = suppressions.verdict(r["id"], r["family"], text, controls, parties, hashes)
                status = ("suppressed" if verdict.applied else
                          "baselined" if baseline is not None and fp in baseline else "new")
                span = _rule_span(r)
                rules.append({
                    "id": r["id"], "title": r["title"], "severity": r["severity"], "weight": r["weight"],
                    "family": r["family"], "message": r["message"], "references": r["references"],
                    "fingerprint": fp, "status": status,
                    "controls": [{"entry": c, "entry_hash": hashes.get(c)} for c in dict.fromkeys(controls)],
                    "span": {"start": span["start"], "end": span["end"], "text": span["text"]} if span else None,
                    "suppression": ({"reason": verdict.applied.reason, "approved_by": verdict.applied.approved_by,
                                     "expires": verdict.applied.expires.isoformat(), "entry": verdict.applied.label}
                                    if verdict.applied else None),
                    "notes": verdict.notes,
                })
            statuses = {r["status"] for r in rules}
            status = "new" if "new" in statuses or not rules else (
                "suppressed" if "suppressed" in statuses else "baselined")
            line = src.line_of(i)
            for r in rules:
                rc = src.column_of(line, text, r["span"]["start"], r["span"]["end"]) if r["span"] else None
                r["line"], r["column"], r["end_column"] = line, rc[0] if rc else None, rc[1] if rc else None
            lead = next((r for r in rules if r["status"] == "new" and r["span"]), None) or next(
                (r for r in rules if r["span"]), None)
            span = lead["span"] if lead else None
            cols = (lead["column"], lead["end_column"]) if lead and lead["column"] else None
            findings.append({
                "path": src.display, "row": i + 1, "line": line, "column": cols[0] if cols else None,
                "end_column": cols[1] if cols else None, "span": span,
                "id": row.get(id_column) if id_column and id_column in row else None,
                "text": text, "text_fingerprint": text_fingerprint(text), "score": row["score"], "band": row["band"], "status": status,
                "rules": [r["id"] for r in rules], "goods": _split(row["goods"]), "controls": _split(row["controls"]),
                "parties": parties, "rule_details": rules,
            })
        files.append({"path": src.display, "kind": src.kind, "rows": out.height, "findings": count})
    notes = sorted({n for f in findings for r in f["rule_details"] for n in r["notes"]})
    notes += [f"suppression {s.label} expired on {s.expires.isoformat()}" for s in suppressions.expired]
    prov = provenance(screener, fail_on, config, suppressions, baseline)
    return CheckResult([str(p) for p in inputs], files, total, fail_on, findings, prov,
                       list(dict.fromkeys(notes)), baseline is not None, rule_metadata(screener))


def rule_metadata(screener) -> list[dict]:
    """Every rule the run applied (id, title, severity, weight, family, message, references, tags)."""
    return [{"id": r.rule.id, "title": r.rule.title, "severity": r.rule.severity, "weight": r.rule.weight,
             "family": r.rule.family, "message": r.rule.message, "references": list(r.rule.references),
             "tags": list(r.rule.tags), "path": r.path.name} for r in screener.rules.rules]


def list_dates() -> list[dict]:
    """Control lists behind the reference data: file, title, date or edition, sha256 (from MANIFEST.yaml)."""
    import yaml

    from screener.reference.paths import reference_dir

    path = reference_dir() / "MANIFEST.yaml"
    if not path.is_file():
        return []
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"), aliases=True) or {}
    except yaml.YAMLError:
        return []
    return [{"path": f.get("path"), "title": f.get("title", ""), "date": str(f.get("date") or f.get("edition") or ""),
             "sha256": f.get("sha256", "")}
            for f in doc.get("files", []) if str(f.get("path", "")).startswith("lists/")]


def party_list_dates(db_path) -> list[dict]:
    """Sanctions lists imported into the store, with their publication and import dates and hashes."""
    if db_path is None:
        return []
    try:
        from screener.parties.store import list_summaries
        from screener.reference.store import connect

        con = connect(db_path, read_only=True)
        try:
            rows = list_summaries(con)
        finally:
            con.close()
    except Exception:  # an optional part: a report without party lists is still a valid report
        return []
    return [{k: (str(r[k]) if r.get(k) is not None else None) for k in ("list", "published", "imported_at", "sha256")}
            for r in rows]


def provenance(screener, fail_on: str, config=None, suppressions: Suppressions | None = None, baseline=None) -> dict:
    """The certificate of a run: what was screened against what (versions, hashes, list dates, files used)."""
    return {
        "screener": __version__,
        "checked_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "fail_on": fail_on,
        "rules_version": screener.rules.version,
        "reference_version": screener.reference.version,
        "rule_count": len(screener.rules.rules),
        "lists": list_dates(),
        "party_lists": party_list_dates(getattr(screener.reference, "db_path", None)),
        "config": {"path": str(config.path), "sha256": config.sha256} if config is not None and config.path else None,
        "suppressions": ({"path": str(suppressions.path), "sha256": suppressions.sha256,
                          "entries": len(suppressions.entries), "expired": len(suppressions.expired)}
                         if suppressions is not None and suppressions.path else None),
        "baseline": ({"path": str(baseline.path), "sha256": baseline.sha256, "entries": len(baseline.fingerprints)}
                     if baseline is not None else None),
    }
