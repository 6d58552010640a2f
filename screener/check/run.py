"""The library side of `screener check`: the batch path (chunks, workers, the batch's options and verdicts),
then findings for the rows at or above `--fail-on`, suppressions and the baseline.

Each input streams through `batch.stream.scored_chunks` with check's task (screener.check.explain): every row
gets the verdict `batch` gives it, and the rows at or above the threshold come back with their fired rules
explained. A finding row is *new* when any of its fired rules is neither suppressed nor in the baseline; only
new findings fail the check. Every flagged row counts toward the exit code and the summary; a report lists at
most `max_findings` rows (and at most `max_results` fired rules: SARIF's limit), and says how many it left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from screener import __version__
from screener.batch.formats import DISCOVERED
from screener.batch.job import BatchJob
from screener.batch.stream import scored_chunks
from screener.check.explain import flagged_rows
from screener.check.suppressions import Suppressions, entry_hashes, fingerprint, text_fingerprint, text_key
from screener.errors import InputError
from screener.provenance import command_line, list_dates, now_utc, party_list_dates
from screener.tables import Source, open_source, require_columns

STATUSES = ("new", "suppressed", "baselined")


def discover(inputs: list[Path]) -> list[Path]:
    """Files to check: each file as given; each folder walked for known extensions (hidden folders skipped)."""
    files: list[Path] = []
    for p in inputs:
        if str(p) == "-":
            files.append(p)
        elif not p.exists():
            raise InputError(f"{p}: no such file or folder")
        elif p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DISCOVERED
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise InputError(f"{p}: no files with a known extension ({', '.join(DISCOVERED)})")
            files += found
        else:
            files.append(p)
    return list(dict.fromkeys(files))


@dataclass
class CheckResult:
    """What a check found: the inputs, the findings it lists with their status, the summary and provenance."""

    inputs: list[str]
    files: list[dict]
    rows: int
    fail_on: str
    findings: list[dict]            # the finding rows the report lists (at most max_findings)
    provenance: dict
    notes: list[str]
    baseline_used: bool
    rules: list[dict] = field(default_factory=list)
    summary: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))   # every finding row, listed or not
    omitted: int = 0                # finding rows left out of the report

    @property
    def new(self) -> list[dict]:
        """The listed findings that are new (neither baselined nor suppressed)."""
        return [f for f in self.findings if f["status"] == "new"]

    @property
    def failed(self) -> bool:
        """Whether some finding row, listed or not, is new: the check fails (exit 1)."""
        return self.summary["new"] > 0


@dataclass
class CheckOptions:
    """What decides a finding's status and what a report keeps."""

    fail_on: str
    suppressions: Suppressions = field(default_factory=lambda: Suppressions([]))
    baseline: object | None = None
    max_findings: int | None = None
    max_results: int | None = None
    explain: bool = True            # False: list rows without messages and spans (a baseline needs none)

    def explain_limit(self) -> int | None:
        """How many flagged rows of a chunk need explaining: the rows a report may list, all of them when a
        suppression of a list entry needs each rule's list entries to decide its status."""
        if self.suppressions.by_list:
            return None
        return self.max_findings if self.explain else 0


def _split(value) -> list[str]:
    return [x for x in (value or "").split(";") if x]


def _rule_finding(rule: dict, text: str, key: str, parties: list[str], opts: CheckOptions, hashes: dict) -> dict:
    fp = fingerprint(rule["id"], text, key)
    verdict = opts.suppressions.verdict(rule["id"], rule["family"], text, rule["controls"], parties, hashes, key)
    status = ("suppressed" if verdict.applied else
              "baselined" if opts.baseline is not None and fp in opts.baseline else "new")
    applied = verdict.applied
    return {**{k: rule[k] for k in ("id", "title", "severity", "weight", "family", "message", "references", "span")},
            "fingerprint": fp, "status": status, "line": None, "column": None, "end_column": None,
            "controls": [{"entry": c, "entry_hash": hashes.get(c)} for c in rule["controls"]],
            "suppression": ({"reason": applied.reason, "approved_by": applied.approved_by,
                             "expires": applied.expires.isoformat(), "entry": applied.label} if applied else None),
            "notes": verdict.notes}


def _row_status(rules: list[dict]) -> str:
    statuses = {r["status"] for r in rules}
    return "new" if "new" in statuses or not rules else ("suppressed" if "suppressed" in statuses else "baselined")


class _Collector:
    """Finding rows of one run: every one counted, at most the limits kept."""

    def __init__(self, opts: CheckOptions, hashes: dict, rules: list[dict]):
        self.opts, self.hashes = opts, hashes
        self.meta = {r["id"]: r for r in rules}
        self.kept: list[dict] = []
        self.summary = dict.fromkeys(STATUSES, 0)
        self.omitted = self.results = 0
        self.full = False
        self.notes: dict[str, None] = {}

    def add(self, src: Source, job: BatchJob, chunk, out, details: dict[int, list[dict]], offset: int) -> int:
        flagged = flagged_rows(out["band"], self.opts.fail_on)
        if not flagged:
            return 0
        texts = chunk[job.text_column].cast(str).gather(flagged).to_list()
        ids = chunk[job.id_column].cast(str).gather(flagged).to_list() if job.id_column else None
        lines = chunk["line"].gather(flagged).to_list() if src.fmt == "lines" else None
        cols = out[flagged].to_dict(as_series=False)
        plain = not self.opts.suppressions.entries and self.opts.baseline is None
        for i, r in enumerate(flagged):
            if plain and r not in details and not self._room(1):  # counted, not listed: new, nothing to decide
                self.summary["new"] += 1
                self.omitted += 1
                continue
            text = texts[i] or ""
            key = text_key(text)
            row = {c: v[i] for c, v in cols.items()}
            parties = _split(row.get("parties"))
            fired = details[r] if r in details else [self._unexplained(rule_id) for rule_id in _split(row["rules"])]
            rules = [_rule_finding(rule, text, key, parties, self.opts, self.hashes) for rule in fired]
            status = _row_status(rules)
            self.summary[status] += 1
            for rule in rules:
                self.notes.update(dict.fromkeys(rule["notes"]))
            if not self._room(len(rules)):
                self.omitted += 1
                continue
            self.results += len(rules)
            self.kept.append({
                "path": src.display, "row": offset + r + 1, "line": lines[i] if lines else None,
                "column": None, "end_column": None, "span": None,
                "id": ids[i] if ids else None, "text": text, "text_fingerprint": text_fingerprint(text, key),
                "score": row["score"], "band": row["band"], "status": status, "rules": [x["id"] for x in rules],
                "goods": _split(row["goods"]), "controls": _split(row["controls"]), "parties": parties,
                "rule_details": rules})
        return len(flagged)

    def _unexplained(self, rule_id: str) -> dict:
        """A fired rule of a row the report does not list: what its status needs (no message, span or list
        entries: those come from explaining the row, which only listed rows pay for)."""
        meta = self.meta[rule_id]
        return {"id": rule_id, "title": meta["title"], "severity": meta["severity"], "weight": meta["weight"],
                "family": meta["family"], "message": "", "references": meta["references"], "controls": [],
                "span": None}

    def _room(self, results: int) -> bool:
        """Whether a row with `results` fired rules is listed: the listed rows are the first ones, in order (once
        one does not fit, none after it is listed, so every listed row is one the workers explained)."""
        o = self.opts
        if self.full or (o.max_findings is not None and len(self.kept) >= o.max_findings):
            return False
        self.full = o.max_results is not None and self.results + results > o.max_results
        return not self.full


def _locate(findings: list[dict], src: Source) -> None:
    """Line and column of each finding's span in the file (two streaming passes, only for files with findings)."""
    if src.fmt in ("parquet", "xlsx"):
        return
    if src.fmt != "lines":
        starts = src.record_lines() or []
        for f in findings:
            f["line"] = starts[f["row"] - 1] if f["row"] - 1 < len(starts) else None
    physical = src.lines_at({f["line"] for f in findings if f["line"]})
    for f in findings:
        for r in f["rule_details"]:
            col = _column(src.fmt, physical.get(f["line"]), f["text"], r["span"]) if r["span"] else None
            r["line"], r["column"], r["end_column"] = f["line"], col[0] if col else None, col[1] if col else None
        lead = next((r for r in f["rule_details"] if r["status"] == "new" and r["span"]), None) or next(
            (r for r in f["rule_details"] if r["span"]), None)
        f["span"] = lead["span"] if lead else None
        if lead and lead["column"]:
            f["column"], f["end_column"] = lead["column"], lead["end_column"]


def _column(fmt: str, line: str | None, text: str, span: dict) -> tuple[int, int] | None:
    """1-based start and end column of `span` of `text` on its physical line, if it is found there."""
    start, end = span["start"], span["end"]
    if fmt == "lines":
        return start + 1, end + 1
    if line is None:
        return None
    escape = (lambda s: s.replace('"', '""')) if fmt in ("csv", "tsv") else (
        lambda s: json.dumps(s, ensure_ascii=False)[1:-1])
    first = text.split("\n", 1)[0]
    if end > len(first):
        return None
    pos = line.find(escape(first))
    if pos < 0:
        return None
    return pos + len(escape(text[:start])) + 1, pos + len(escape(text[:end])) + 1


def run_check(job: BatchJob, inputs: list[Path], opts: CheckOptions, setup, screener=None, pool=None, config=None,
              on_note: Callable[[str], None] | None = None, progress=None) -> CheckResult:
    """Check every input on the batch path: scored by `screener` in this process, or by the pool's workers.
    `setup` (api.Setup) names the rules, versions, list entries and store for findings and provenance."""
    from screener.check.explain import explain_chunk

    files = discover(list(inputs))
    collector = _Collector(opts, entry_hashes(setup.entry_table()), rule_metadata(setup))
    limit = opts.explain_limit()
    file_rows, total = [], 0
    for path in files:
        with open_source(path, job.input_format, job.encoding, job.delimiter, job.header) as src:
            if src.note and on_note:
                on_note(src.note)
            if src.fmt == "lines":
                file_job = _lines_job(job)
            elif not job.text_column:
                raise InputError(f"{src.display}: a {src.fmt} file needs --text-column (or text-column in the config)")
            else:
                file_job = job
            require_columns(src, *file_job.required_columns())
            # in this process, a chunk explains only the rows the report still has room for
            local = None if pool else (lambda chunk, j=file_job: explain_chunk(
                screener, chunk, j, opts.fail_on, None if limit is None else max(0, limit - len(collector.kept))))
            rows = found = 0
            start = len(collector.kept)
            for chunk, (out, details) in scored_chunks(src.batches(file_job.chunk_rows), file_job, local, pool,
                                                       fail_on=opts.fail_on, explain_limit=limit):
                found += collector.add(src, file_job, chunk, out, details, rows)
                rows += chunk.height
                if progress:
                    progress.update(chunk.height)
            if rows == 0:
                raise InputError(f"{src.display}: no rows to check (a header alone, or a file cut short)")
            _locate(collector.kept[start:], src)
        total += rows
        file_rows.append({"path": src.display, "kind": src.fmt, "rows": rows, "findings": found})
    notes = list(collector.notes)
    notes += [f"suppression {s.label} expired on {s.expires.isoformat()}" for s in opts.suppressions.expired]
    if collector.omitted:
        notes.append(f"{collector.omitted} more finding row(s) not listed (--max-findings); counted in the summary")
    prov = provenance(setup, job, opts.fail_on, config, opts.suppressions, opts.baseline)
    return CheckResult([str(p) for p in inputs], file_rows, total, opts.fail_on, collector.kept, prov,
                       list(dict.fromkeys(notes)), opts.baseline is not None, rule_metadata(setup),
                       collector.summary, collector.omitted)


def _lines_job(job: BatchJob) -> BatchJob:
    """A plain-text input's rows are its lines: the text is in `text`, and no other column is read."""
    return replace(job, text_column="text", id_column=None, party_columns=(), country_column=None, origin_column=None)


def rule_metadata(setup) -> list[dict]:
    """Every rule the run applied (id, title, severity, weight, family, message, references, tags)."""
    return [{"id": r.rule.id, "title": r.rule.title, "severity": r.rule.severity, "weight": r.rule.weight,
             "family": r.rule.family, "message": r.rule.message, "references": list(r.rule.references),
             "tags": list(r.rule.tags), "path": r.path.name} for r in setup.rules.rules]


def provenance(setup, job: BatchJob, fail_on: str, config=None, suppressions: Suppressions | None = None,
               baseline=None) -> dict:
    """The certificate of a run: what was screened against what (versions, hashes, list dates, files used)."""
    return {
        "screener": __version__,
        "checked_at": now_utc(),
        "fail_on": fail_on,
        "rules_version": setup.versions["rules"],
        "reference_version": setup.versions["reference"],
        "versions": dict(setup.versions),
        "rule_count": len(setup.rules.rules),
        "lists": list_dates(),
        "party_lists": party_list_dates(setup.db_path),
        "options": job.as_dict(),
        "command": command_line(),
        "config": {"path": str(config.path), "sha256": config.sha256} if config is not None and config.path else None,
        "suppressions": ({"path": str(suppressions.path), "sha256": suppressions.sha256,
                          "entries": len(suppressions.entries), "expired": len(suppressions.expired)}
                         if suppressions is not None and suppressions.path else None),
        "baseline": ({"path": str(baseline.path), "sha256": baseline.sha256, "entries": len(baseline.fingerprints)}
                     if baseline is not None else None),
    }


__all__ = ["run_check", "discover", "CheckResult", "CheckOptions"]
