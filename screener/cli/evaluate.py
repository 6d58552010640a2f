"""`screener eval DATASET.jsonl`: measure detection against a labelled set.

`screener eval --splits`: the tuning and check parts of our benchmarks in one run, side by side.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from screener.cli.options import make_screener, screener_options


@click.command("eval")
@click.argument("dataset", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--misses", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the per-text misses here (default: DATASET.misses.jsonl; with --splits, "
                   "splits.misses.jsonl in the data folder).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--splits", is_flag=True,
              help="Measure the tuning and check parts of the benchmarks side by side, with their gap "
                   "(instead of one DATASET).")
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="With --splits: the benchmark data folder (default: benchmarks/data of the source tree).")
@screener_options
def eval_command(dataset, misses, fmt, splits, data_dir, db, rules_dirs, lexicons):
    """Precision, recall, F1 and false-positive rate (items, articles or parties datasets)."""
    from screener.errors import InputError
    from screener.outputs import open_output

    if splits == (dataset is not None):
        raise InputError("give one DATASET, or --splits (not both)")
    if data_dir is not None and not splits:
        raise InputError("--data-dir goes with --splits")
    screener = make_screener(db, rules_dirs, lexicons)
    if splits:
        from screener.evaluate_splits import default_data_dir, evaluate_splits, render_splits

        data_dir = data_dir or default_data_dir()
        metrics, missed = evaluate_splits(screener, data_dir)
        target = misses or data_dir / "splits.misses.jsonl"
        render = render_splits
    else:
        from screener.evaluate import evaluate_dataset, render_metrics

        metrics, missed = evaluate_dataset(screener, dataset)
        target = misses or dataset.with_suffix(".misses.jsonl")
        render = render_metrics
    with open_output(target) as handle:
        handle.write("".join(json.dumps(m, ensure_ascii=False) + "\n" for m in missed).encode("utf-8"))
    metrics["misses_file"] = str(target)
    click.echo(json.dumps(metrics, indent=2, ensure_ascii=False) if fmt == "json" else render(metrics))
