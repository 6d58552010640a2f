"""`screener eval DATASET.jsonl`: measure detection against a labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import click

from screener.cli.options import make_screener, screener_options


@click.command("eval")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--misses", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the per-text misses here (default: DATASET.misses.jsonl).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@screener_options
def eval_command(dataset, misses, fmt, db, rules_dirs, lexicons):
    """Precision, recall, F1 and false-positive rate (items, articles or parties datasets)."""
    from screener.evaluate import evaluate_dataset, render_metrics

    screener = make_screener(db, rules_dirs, lexicons)
    metrics, missed = evaluate_dataset(screener, dataset)
    target = misses or dataset.with_suffix(".misses.jsonl")
    from screener.outputs import open_output

    with open_output(target) as handle:
        handle.write("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in missed).encode("utf-8"))
    metrics["misses_file"] = str(target)
    click.echo(json.dumps(metrics, indent=2) if fmt == "json" else render_metrics(metrics))
