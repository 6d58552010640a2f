"""`screener check`: the CI gate. Fail a build when a trade description reaches a band.

Exit codes (screener.errors): EXIT_OK (0) no new row at or above --fail-on; EXIT_FINDINGS (1) at least one;
EXIT_ERROR (2) usage, input, configuration, suppression or baseline errors. Formats: text, json, sarif, junit,
github. Settings come from `[tool.screener]` in pyproject.toml or screener.toml; flags override them. Rows are
scored on the batch path (chunks, workers, the batch's columns and options), so every row gets the verdict
`batch` gives it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import get_args

import click

from screener.batch.job import BatchJob, ScreenerSpec
from screener.check.config import Band, find_config, load_config
from screener.cli.options import column_options, delimiter_value, input_options, run_options, screener_options
from screener.cli.running import Progress, planned, terminate_as_interrupt, worker_pool
from screener.errors import EXIT_FINDINGS, EXIT_OK
from screener.outputs import check_target

OUTPUT_FORMATS = ("text", "json", "sarif", "junit", "github")
SARIF_MAX_RESULTS = 25_000  # GitHub code scanning accepts at most this many results in one run
# finding rows a report lists by default: a report is read by people (GitHub shows a few dozen annotations a
# job), and explaining a row (spans, messages) costs ~0.5 ms; every flagged row is still counted
MAX_FINDINGS = 1_000


def _weights(values: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for v in values:
        rule, sep, w = v.partition("=")
        try:
            out[rule.strip()] = float(w)
        except ValueError:
            sep = ""
        if not sep or not rule.strip():
            raise click.BadParameter(f"{v!r} is not RULE=WEIGHT", param_hint="--weight")
    return out


@click.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--text-column", default=None, help="Column holding the text (not needed for .txt files).")
@click.option("--fail-on", "fail_on", default=None, type=click.Choice(get_args(Band)),
              help="Exit 1 when any new row reaches this band (or fail-on in the config).")
@click.option("--id-column", default=None, help="Column identifying each row in the report.")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Report format (default: text, or format in the config).")
@click.option("--output", "output", type=click.Path(path_type=Path), default=None,
              help="Write the report to this file (atomically) instead of standard output ('-').")
@click.option("--max-findings", type=click.IntRange(min=0), default=MAX_FINDINGS, show_default=True,
              help="List at most this many finding rows, in file order (every row is counted and decides the exit "
                   f"code; the report says how many it left out). SARIF also keeps to {SARIF_MAX_RESULTS:,} results "
                   "(one per fired rule), GitHub code scanning's limit per run.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Config file (default: nearest screener.toml or pyproject.toml with [tool.screener]).")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--suppressions", "suppressions_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Reviewed allow-list (YAML) of accepted findings.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fail only on findings not in this baseline.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Record today's findings as accepted in this file, then exit 0.")
@click.option("--enable-rule", "enable", multiple=True, help="Run only these rules (repeatable).")
@click.option("--disable-rule", "disable", multiple=True, help="Do not run this rule (repeatable).")
@click.option("--weight", "weights", multiple=True, metavar="RULE=WEIGHT", help="Override a rule's weight.")
@column_options
@input_options
@run_options
@screener_options
def check(inputs, text_column, fail_on, id_column, fmt, output, max_findings, config_path, no_config,
          suppressions_path, baseline_path, write_baseline_path, enable, disable, weights, party_columns,
          party_country_columns, country_column, origin_column, parties_in_text, input_format, encoding, delimiter,
          no_header, chunk_rows, workers, quiet, db, rules_dirs, lexicons):
    """Exit 0 when no new row reaches --fail-on, 1 when one does, 2 on usage or input errors.

    INPUT is any number of CSV, TSV, Parquet, JSONL, Excel or .txt files (one description per line), folders of
    them, or '-' for standard input.
    """
    if config_path is not None and no_config:
        raise click.UsageError("--config and --no-config exclude each other")
    cfg = load_config(None if no_config else (config_path or find_config()))
    fail_on = fail_on or cfg.fail_on
    if fail_on is None:
        raise click.UsageError("missing --fail-on (or fail-on in [tool.screener])")
    fmt = fmt or cfg.format or "text"
    check_target(output)
    if write_baseline_path:
        check_target(write_baseline_path)
    terminate_as_interrupt()
    from screener.check.run import discover

    files = discover(list(inputs))  # missing inputs fail before the (slower) screener is built
    spec = ScreenerSpec(db=db and str(db), rules_dirs=tuple(str(p) for p in [*cfg.rules_dirs, *rules_dirs]),
                        lexicons=tuple(str(p) for p in [*cfg.lexicons, *lexicons]),
                        enable=tuple([*cfg.enable, *enable]), disable=tuple([*cfg.disable, *disable]),
                        weights=tuple({**cfg.weights, **_weights(weights)}.items()),
                        parties=bool(party_columns or parties_in_text))
    job = BatchJob(text_column=text_column or cfg.text_column, id_column=id_column or cfg.id_column,
                   party_columns=tuple(party_columns),
                   party_country_columns=tuple(party_country_columns), country_column=country_column,
                   origin_column=origin_column,
                   parties_in_text=parties_in_text,
                   input_format=input_format, encoding=encoding, delimiter=delimiter_value(delimiter),
                   header=not no_header, workers=workers, screener=spec)
    job = planned(job, files, chunk_rows)
    with worker_pool(job) as pool:
        result = _run(job, files, fail_on, fmt, max_findings, cfg, suppressions_path, baseline_path,
                      write_baseline_path, pool, quiet)
    from screener.outputs import write_text

    if write_baseline_path:
        from screener.check.baselines import write_baseline

        accepted = [f for f in result.findings if f["status"] != "suppressed"]
        n = write_baseline(write_baseline_path, accepted, result.provenance)
        click.echo(f"Wrote {n} finding fingerprint(s) from {len(accepted)} row(s) to {write_baseline_path}.", err=True)
        sys.exit(EXIT_OK)
    code = EXIT_FINDINGS if result.failed else EXIT_OK
    write_text(output, _render(result, fmt, code))
    sys.exit(code)


def _run(job, files, fail_on, fmt, max_findings, cfg, suppressions_path, baseline_path, write_baseline_path, pool,
         quiet):
    """Load what decides a finding's status, check the setup (or load the screener), then run the check."""
    from screener.api import Setup, check_setup
    from screener.check.baselines import load_baseline
    from screener.check.run import CheckOptions, run_check
    from screener.check.suppressions import load_suppressions

    suppressions = load_suppressions(suppressions_path or cfg.suppressions)
    baseline = None if write_baseline_path else load_baseline(baseline_path or cfg.baseline)
    # a baseline records every finding; otherwise SARIF keeps within GitHub's limit unless told otherwise
    max_results = SARIF_MAX_RESULTS if fmt == "sarif" else None
    if write_baseline_path:  # every finding is recorded; none needs a message or a span
        opts = CheckOptions(fail_on, suppressions, baseline, explain=False)
    else:
        opts = CheckOptions(fail_on, suppressions, baseline, max_findings, max_results)
    spec = job.screener
    if pool is None:
        screener = spec.load()
        setup = Setup.of(screener)
    else:
        screener = None
        setup = check_setup(spec.db, spec.rules_dirs, spec.lexicons, spec.enable, spec.disable, dict(spec.weights))
        pool.ready()
    progress = Progress.on_terminal(quiet, None)
    result = run_check(job, files, opts, setup, screener, pool, cfg if cfg.path else None,
                       on_note=lambda note: click.echo(f"Note: {note}", err=True), progress=progress)
    if progress:
        progress.close()
    return result


def _render(result, fmt: str, code: int) -> str:
    if fmt == "json":
        from screener.report.findings import render_json

        return render_json(result)
    if fmt == "sarif":
        from screener.report.sarif import render_sarif

        return render_sarif(result, code)
    if fmt == "junit":
        from screener.report.junit import render_junit

        return render_junit(result)
    if fmt == "github":
        from screener.report.github import render_github

        return render_github(result)
    from screener.report.findings import render_text

    return render_text(result)
