"""A batch output as ONE self-contained HTML page: summary and charts over every row, a sortable, filterable
table of the rows that matter, each opening its evidence.

Everything the page needs is inside it (plotly.js, styles, script, data): it makes no request to any
host, so it works offline and as an e-mail attachment. The summary is rendered here (plain HTML, readable
without script and when printed); the table is drawn by the page's script from the JSON data block.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shlex
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from screener import __version__
from screener.errors import InputError
from screener.outputs import write_text
from screener.report import charts
from screener.report.evidence import Explainer, explain_rows
from screener.report.scored import NO_PROVENANCE, ScoredFile, read_scored
from screener.report.summary import summarise, table_rows
from screener.report.versions import from_provenance, from_screener, list_dates_by_name
from screener.score import BANDS

MAX_ROWS = 1_000       # rows the table holds at most: 1,000 re-screened rows cost ~1.5 s and ~3 MB of page
MIN_BAND = "medium"


@dataclass
class ReportStats:
    """What a written report holds, for the command line to say."""

    path: Path
    rows: int
    in_table: int
    eligible: int
    seconds: float
    bytes: int


def esc(value) -> str:
    """A value escaped for HTML text and attributes (None as empty)."""
    return html.escape("" if value is None else str(value), quote=True)


def _json_for_script(value) -> str:
    """JSON safe inside a <script> element (no `</script>`, no `<!--`, whatever the texts hold)."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _asset(name: str) -> str:
    return resources.files("screener.report").joinpath("assets", name).read_text(encoding="utf-8")


def _pct(n: int, total: int) -> str:
    return f"{100 * n / total:.1f} %" if total else "–"


def _count_table(caption: str, head: list[str], rows: list[list], empty: str, cls: str = "") -> str:
    if not rows:
        return f'<p class="empty">{esc(empty)}</p>'
    body = "".join("<tr>" + "".join(f"<td{' class=num' if isinstance(c, int) else ''}>"
                                    f"{esc(f'{c:,}' if isinstance(c, int) else c)}</td>" for c in r) + "</tr>"
                   for r in rows)
    return (f'<table class="counts {cls}"><caption>{esc(caption)}</caption><thead><tr>'
            + "".join(f'<th scope="col">{esc(h)}</th>' for h in head) + f"</tr></thead><tbody>{body}</tbody></table>")


def _card(title: str, chart_id: str | None, table: str, note: str = "", label: str = "") -> str:
    chart = (f'<div class="chart" id="{chart_id}" role="img" aria-label="{esc(label or title)}"></div>'
             if chart_id else "")
    return (f'<section class="card"><h3>{esc(title)}</h3>{chart}{table}'
            + (f'<p class="note">{esc(note)}</p>' if note else "") + "</section>")


def _more(n_shown: int, n_all: int, what: str) -> str:
    return f"{n_all:,} distinct {what}; the {n_shown} most frequent shown." if n_all > n_shown else ""


def _bands_table(s: dict) -> str:
    """Rows per band and rows not scored, with their shares: the table of the bands card."""
    total = s["rows"]
    band_rows = "".join(
        f'<tr data-band="{esc(b["band"])}"><th scope="row"><span class="band b-{esc(b["band"])}">{esc(b["band"])}'
        f'</span></th><td class="num count" data-count="{b["count"]}">{b["count"]:,}</td>'
        f'<td class="num">{_pct(b["count"], total)}</td></tr>' for b in reversed(s["bands"]))
    errors = (f'<tr data-band="error"><th scope="row">not scored (error)</th><td class="num count" '
              f'data-count="{s["errors"]}">{s["errors"]:,}</td><td class="num">{_pct(s["errors"], total)}</td></tr>')
    bands = (f'<table class="counts" id="bands"><caption>Rows per band, all {total:,} rows</caption><thead><tr>'
             f'<th scope="col">band</th><th scope="col">rows</th><th scope="col">share</th></tr></thead>'
             f'<tbody>{band_rows}{errors}</tbody><tfoot><tr><th scope="row">all rows</th>'
             f'<td class="num" id="total-rows" data-count="{total}">{total:,}</td><td class="num">100 %</td></tr>'
             f'</tfoot></table>')
    if s["error_kinds"]:
        kinds = "; ".join(f"{e['value']} ({e['count']:,})" for e in s["error_kinds"])
        bands += f'<p class="note">Errors: {esc(kinds)}</p>'
    return bands


def _summary_html(s: dict, versions: dict, places: list[dict], text_parties: list[dict], scored: ScoredFile) -> str:
    """The summary's cards: bands, scores, controls, goods, headings, rules, destinations, parties."""
    cards = [
        _card("Rows per band", "chart-bands", _bands_table(s),
              label="Bar chart of rows per band; the table below gives the counts"),
        _card("Score distribution", "chart-scores",
              _count_table("Rows per score range", ["score", "rows"],
                           [[f"{h['from']}–{h['to']}", h["count"]] for h in s["histogram"] if h["count"]],
                           "No scores."),
              label="Histogram of scores in bins of 5"),
        _card("Top controls", "chart-controls" if s["controls"] else None,
              _count_table("Rows per list entry", ["LIST:ENTRY", "rows", "list date"],
                           [[c["value"], c["count"], c["date"] or "unknown"] for c in s["controls"]],
                           "No row is on a control list."), _more(len(s["controls"]), s["n_controls"], "entries")),
        _card("Top goods", "chart-goods" if s["goods"] else None,
              _count_table("Rows per goods", ["goods", "rows"], [[g["value"], g["count"]] for g in s["goods"]],
                           "No goods found."), _more(len(s["goods"]), s["n_goods"], "goods")),
        _card("Top HS headings", "chart-headings" if s["headings"] else None,
              _count_table("Rows per HS heading (declared or inferred)", ["heading", "description", "rows"],
                           [[h["value"], h["description"], h["count"]] for h in s["headings"]], "No HS codes."),
              _more(len(s["headings"]), s["n_headings"], "headings")),
        _card("Top rules", "chart-rules" if s["rules"] else None,
              _count_table("Rows per fired rule", ["rule", "title", "severity", "weight", "rows"],
                           [[r["value"], r["title"], r["severity"], "" if r["weight"] is None else f"{r['weight']:g}",
                             r["count"]] for r in s["rules"]], "No rule fired."),
              _more(len(s["rules"]), s["n_rules"], "rules")),
    ]
    dest = _count_table(f"Rows per value of the column {scored.country_column!r}", ["destination", "rows"],
                        [[d["value"], d["count"]] for d in s["destinations"]],
                        "The file has no country or destination column.")
    routes = _count_table("Rows per destination or route rule", ["rule", "title", "rows"],
                          [[r["value"], r["title"], r["count"]] for r in s["routes"]],
                          "No destination or route rule fired.")
    named = _count_table("Places named in the text of the rows in the table", ["place", "rows"],
                         [[p["value"], p["count"]] for p in places], "No place named in the rows of the table.")
    cards.append(_card("Top destinations and routes", "chart-destinations" if s["destinations"] else None,
                       dest + routes + named, _more(len(s["destinations"]), s["n_destinations"], "destinations")))
    party_tables = "".join(
        _count_table(f"Rows per entry of the column {col!r}", ["LIST:ID", "rows"],
                     [[p["value"], p["count"]] for p in block["top"]], f"No value in {col!r}.")
        for col, block in s["parties"].items())
    if not s["parties"]:
        party_tables = '<p class="empty">The file has no parties column (batch ran without party screening).</p>'
    party_tables += _count_table("Listed parties named in the text of the rows in the table", ["party", "rows"],
                                 [[p["value"], p["count"]] for p in text_parties],
                                 "No listed party named in the text of the rows in the table.")
    cards.append(_card("Top parties", None, party_tables))
    return "".join(cards)


def _versions_html(v: dict, scored: ScoredFile) -> str:
    why = "" if v["note"] == NO_PROVENANCE else f' ({esc(v["note"])})'
    source = ("From the file's provenance (" + esc(v["note"]) + ")." if v["source"] == "file" else
              f"<strong>The file carries no provenance</strong>{why}: the versions below are those of the screener "
              "that wrote this report, which may differ from the one that scored the data.")
    items = [("screener", v["screener"] or "unknown"), ("rules", v["rules"] or "unknown"),
             ("reference data", v["reference"] or "unknown"), ("file", str(scored.path)),
             ("format", scored.fmt), ("text column", scored.text_column),
             ("id column", scored.id_column or "none"), ("rows in the provenance", v["rows"])]
    items += [(f"option {k}", json.dumps(val) if not isinstance(val, str) else val) for k, val in v["options"].items()]
    items += list(v["other"].items())
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(val)}</dd>" for k, val in items if val is not None and val != "")
    lists = _count_table("Control lists and their dates", ["list", "title", "date"],
                         [[x["name"], x["title"], x["date"] or "unknown"] for x in v["lists"]], "No list dates known.")
    if v["party_lists"]:
        lists += _count_table("Sanctions lists", ["list", "date"],
                              [[x["name"], x["date"]] for x in v["party_lists"]], "")
    command = (f'<p>Command line that produced the data:</p><pre id="command"><code>{esc(v["command"])}</code></pre>'
               if v["command"] else '<p id="command">The command line that produced the data is not known '
                                    '(the file carries no provenance).</p>')
    return f'<p id="versions-source">{source}</p><dl class="versions">{dl}</dl>{lists}{command}'


def _row_payload(row: dict, detail: dict, has_id: bool) -> dict:
    lists = sorted({c.split(":", 1)[0] for c in row["controls"]})
    places = list(dict.fromkeys([*(p.rsplit(" (", 1)[0] for p in detail["places"]),
                                 *([row["__country"]] if row.get("__country") else [])]))
    out = {"n": row["__row"] + 1, "score": row["score"], "band": row["band"], "text": row["__text"] or "",
           "goods": row["goods"], "controls": row["controls"], "rules": row["rules"], "lists": lists,
           "places": places, "parties": row.get("parties") or [], "review": row.get("parties_review") or [],
           "error": row["error"], "d": detail}
    if has_id:
        out["id"] = row["__id"] or ""
    if row.get("__country"):
        out["dest"] = row["__country"]
    return out


def _tally(values) -> list[dict]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return [{"value": k, "count": c} for k, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:15]]


def _figures(s: dict, thresholds: dict[str, float]) -> dict:
    """The charts of the summary, by the id of the element each is drawn in."""
    figures = {"chart-bands": charts.bands_figure(s["bands"]),
               "chart-scores": charts.histogram_figure(s["histogram"], thresholds)}
    for key, colour in (("controls", "#a33b3b"), ("goods", "#7a5a00"), ("headings", "#2f5f8a"), ("rules", "#4a5b6e"),
                        ("destinations", "#2e7d4f")):
        if s[key]:
            figures[f"chart-{key}"] = charts.top_figure(s[key], colour=colour)
    return figures


def _table_note(s: dict, shown: int, eligible: int, min_band: str, max_rows: int) -> str:
    """What the table holds, and what it leaves out (rows past the cap, rows below the band)."""
    left_out = eligible - shown
    below = sum(b["count"] for b in s["bands"] if b["band"] in BANDS[:BANDS.index(min_band)])
    band = esc(min_band)
    if left_out:
        held = (f", the highest-scoring {shown:,} of {eligible:,}: <strong id=\"left-out\" data-count=\"{left_out}\">"
                f"{left_out:,} rows at or above {band} are left out</strong> (the table holds at most {max_rows:,} "
                "rows; the summary above counts every row)")
    else:
        held = f' (<span id="left-out" data-count="0">none left out</span>; the table holds at most {max_rows:,})'
    return (f"The table holds the {shown:,} rows at or above <strong>{band}</strong>{held}. "
            f"{below:,} rows below {band} are counted in the summary only.")


def _mismatch(versions: dict, screener) -> str:
    """A warning when the rows are re-screened with other rules or reference data than scored the file."""
    now = (screener.rules.version, screener.reference.version)
    if versions["source"] != "file" or (versions["rules"], versions["reference"]) == now:
        return ""
    return (f'<p class="warning" role="note">The evidence of each row is re-screened with rules {esc(now[0])} and '
            f'reference data {esc(now[1])}; the file was scored with rules {esc(versions["rules"] or "unknown")} and '
            f'reference data {esc(versions["reference"] or "unknown")}. Where the two disagree the row says so.</p>')


def build_html(scored: ScoredFile, screener, min_band: str = MIN_BAND, max_rows: int = MAX_ROWS,
               command: list[str] | None = None, title: str | None = None) -> tuple[str, int, int]:
    """The page's HTML, the number of rows in its table and of rows at or above `min_band`; `command` is the
    command line that wrote the batch output, when known (shown when the file's provenance does not say)."""
    if scored.provenance is not None:
        versions = from_provenance(scored.provenance, scored.provenance_note)
        versions["command"] = versions["command"] or (shlex.join(command) if command else "")
    else:
        versions = from_screener(screener, scored.provenance_note, command)
    dates = list_dates_by_name(versions)
    rules = {r.rule.id: {"title": r.rule.title, "severity": r.rule.severity, "weight": r.rule.weight,
                         "family": r.rule.family} for r in screener.rules.rules}
    s = summarise(scored, rules, screener.reference.describe, dates)
    rows, eligible = table_rows(scored, min_band, max_rows)
    explainer = Explainer()
    details = explain_rows(screener, rows, explainer)
    has_id = scored.id_column is not None
    payload = [_row_payload(r, d, has_id) for r, d in zip(rows.iter_rows(named=True), details)]
    places = _tally(p for r in payload for p in dict.fromkeys(x.rsplit(" (", 1)[0] for x in r["d"]["places"]))
    text_parties = _tally(p for r in payload for p in dict.fromkeys(f"{x[1]} ({x[2]})" for x in r["d"]["parties"]))
    figures = _figures(s, dict(screener.rules.scoring.bands))
    data = {
        "rows": payload, "rules": rules, **explainer.tables(), "bands": list(BANDS), "minBand": min_band,
        "maxRows": max_rows, "eligible": eligible, "hasId": has_id, "destColumn": scored.country_column,
        "charts": [{"id": k, "figure": charts.figure_json(f)} for k, f in figures.items()],
        "config": charts.CONFIG, "listDates": dates,
        "rescreen": {"rules": screener.rules.version, "reference": screener.reference.version},
    }
    template = _asset("report.html")
    generated = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    title = title or f"Screening report: {scored.path.name}"
    filled = {
        "TITLE": esc(title),
        "LEDE": (f"{esc(scored.path.name)}: {s['rows']:,} rows, {s['scored']:,} scored, {s['errors']:,} with errors. "
                 f"Written {esc(generated)} by screener {esc(__version__)}."),
        "SUMMARY": _summary_html(s, versions, places, text_parties, scored),
        "MIN_BAND": esc(min_band),
        "TABLE_NOTE": _table_note(s, len(payload), eligible, min_band, max_rows) + _mismatch(versions, screener),
        "VERSIONS": _versions_html(versions, scored),
        "CSS": _asset("report.css"), "DATA": _json_for_script(data), "PLOTLY": charts.plotly_js(),
        "SCRIPT": _asset("report.js"),
    }
    # one pass over the template: a marker inside the data filled in is never replaced
    page = re.sub(r"@@([A-Z_]+)@@", lambda m: filled[m.group(1)], template)
    return page, len(payload), eligible


def write_report(source: str | Path, output: str | Path, *, screener=None, screener_options: tuple = (None, (), ()),
                 text_column: str | None = None, id_column: str | None = None, country_column: str | None = None,
                 fmt: str | None = None, min_band: str = MIN_BAND, max_rows: int = MAX_ROWS,
                 command: list[str] | None = None, title: str | None = None) -> ReportStats:
    """Read a batch output and write its report atomically; `screener` (else loaded from `screener_options`:
    db, rules dirs, lexicons) re-screens the rows of the table."""
    t0 = time.perf_counter()
    if min_band not in BANDS:
        raise InputError(f"unknown band {min_band!r}; one of {', '.join(BANDS)}")
    if max_rows < 0:
        raise InputError("the number of table rows must be 0 or more")
    scored = read_scored(source, text_column, id_column, country_column, fmt)
    if screener is None:
        from screener.api import load_screener

        db, rules_dirs, lexicons = screener_options
        screener = load_screener(db=db, rules_dirs=tuple(rules_dirs), lexicon=tuple(lexicons))
    page, in_table, eligible = build_html(scored, screener, min_band, max_rows, command, title)
    output = Path(output)
    write_text(output, page)
    return ReportStats(output, scored.frame.height, in_table, eligible, time.perf_counter() - t0, len(page.encode()))
