"""`screener check`: the CI gate. Fail a build when a trade description reaches a band.

Exit codes (screener.errors): EXIT_OK (0) no new row at or above --fail-on; EXIT_FINDINGS (1) at least one;
EXIT_ERROR (2) usage, input, configuration, suppression or baseline errors. Formats: text, json, sarif, junit,
github. Settings come from `[tool.screener]` in pyproject.toml or screener.toml; flags override them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from screener.baseline import load_baseline, write_baseline
from screener.checking import discover, run_check
from screener.cli.options import screener_options
from screener.config import ConfigError, build_screener, find_config, load_config
from screener.errors import EXIT_FINDINGS, EXIT_OK
from screener.io import FORMATS, atomic_path
from screener.score import BANDS
from screener.suppress import load_suppressions

OUTPUT_FORMATS = ("text", "json", "sarif", "junit", "github")


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
@click.option("--fail-on", "fail_on", default=None, type=click.Choice(BANDS[1:]),
              help="Exit 1 when any new row reaches this band (or fail-on in the config).")
@click.option("--id-column", default=None, help="Column identifying each row in the report.")
@click.option("--format", "fmt", type=click.Choice(OUTPUT_FORMATS), default=None,
              help="Report format (default: text, or format in the config).")
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file (atomically) instead of standard output.")
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
@click.option("--input-format", type=click.Choice((*FORMATS, "lines")), default=None,
              help="Input format (default: from each file's extension; .txt is one text per line).")
@click.option("--encoding", default="utf-8", show_default=True, help="Input text encoding.")
@screener_options
def check(inputs, text_column, fail_on, id_column, fmt, output, config_path, no_config, suppressions_path,
          baseline_path, write_baseline_path, enable, disable, weights, input_format, encoding, db, rules_dirs,
          lexicons):
    """Exit 0 when no new row reaches --fail-on, 1 when one does, 2 on usage or input errors.

    INPUT is any number of CSV, TSV, Parquet, JSONL or .txt files (one description per line), or folders of them.
    """
    if config_path is not None and no_config:
        raise click.UsageError("--config and --no-config exclude each other")
    cfg = load_config(None if no_config else (config_path or find_config()))
    fail_on = fail_on or cfg.fail_on
    if fail_on is None:
        raise click.UsageError("missing --fail-on (or fail-on in [tool.screener])")
    fmt = fmt or cfg.format or "text"
    discover(list(inputs))  # missing inputs fail before the (slower) screener is built
    suppressions = load_suppressions(suppressions_path or cfg.suppressions)
    baseline = None if write_baseline_path else load_baseline(baseline_path or cfg.baseline)
    screener = build_screener(db, [*cfg.rules_dirs, *rules_dirs], [*cfg.lexicons, *lexicons],
                              enable=[*cfg.enable, *enable], disable=[*cfg.disable, *disable],
                              weights={**cfg.weights, **_weights(weights)})
    result = run_check(screener, list(inputs), fail_on, text_column or cfg.text_column, id_column or cfg.id_column,
                       input_format, encoding, suppressions, baseline, cfg if cfg.path else None)
    if write_baseline_path:
        accepted = [f for f in result.findings if f["status"] != "suppressed"]
        n = write_baseline(write_baseline_path, accepted, result.provenance)
        click.echo(f"Wrote {n} finding fingerprint(s) from {len(accepted)} row(s) to {write_baseline_path}.", err=True)
        sys.exit(EXIT_OK)
    code = EXIT_FINDINGS if result.failed else EXIT_OK
    _emit(_render(result, fmt, code), output)
    sys.exit(code)


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


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text)
        return
    with atomic_path(output) as tmp:
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


__all__ = ["check", "ConfigError"]
