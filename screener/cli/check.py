"""`screener check`: fail a build when a trade description reaches a band (exit codes in errors.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from screener.batch import score_table
from screener.cli.batch import encoding_option, input_format_option
from screener.cli.options import make_screener, screener_options
from screener.errors import EXIT_FINDINGS, EXIT_OK
from screener.io import read_table, require_columns
from screener.score import BANDS


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--text-column", required=True, help="Column holding the text to screen.")
@click.option("--fail-on", "fail_on", required=True, type=click.Choice(BANDS[1:]),
              help="Exit 1 when any row reaches this band.")
@click.option("--id-column", default=None, help="Column identifying each row in the report.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@input_format_option
@encoding_option
@screener_options
def check(input_path, text_column, fail_on, id_column, fmt, input_format, encoding, db, rules_dirs, lexicons):
    """Exit 0 when no row reaches --fail-on, 1 when one does, 2 on usage or input errors."""
    df = read_table(input_path, input_format, encoding)
    require_columns(df, text_column, id_column)
    screener = make_screener(db, rules_dirs, lexicons)
    out = score_table(screener, df, text_column)
    threshold = BANDS.index(fail_on)
    rank = {b: i for i, b in enumerate(BANDS)}
    findings = []
    for i, row in enumerate(out.iter_rows(named=True)):
        if row["band"] is not None and rank[row["band"]] >= threshold:
            findings.append({"row": i + 1, "id": row.get(id_column) if id_column else None,
                             "text": row[text_column], "score": row["score"], "band": row["band"],
                             "rules": [r for r in row["rules"].split(";") if r],
                             "goods": [g for g in row["goods"].split(";") if g],
                             "controls": [c for c in row["controls"].split(";") if c]})
    summary = {"input": str(input_path), "rows": out.height, "fail_on": fail_on, "findings": findings,
               "failed": bool(findings), "versions": screener.versions}
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        for f in findings:
            where = f"{input_path}:{f['row']}" + (f" ({f['id']})" if f["id"] else "")
            click.echo(f"{where}: {f['band'].upper()} {f['score']} {', '.join(f['rules'])} — {f['text'][:100]}")
        click.echo(f"{len(findings)} of {out.height} row(s) at or above {fail_on}.")
    sys.exit(EXIT_FINDINGS if findings else EXIT_OK)
