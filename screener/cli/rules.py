"""`screener rules list|validate|test`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from screener.cli.options import make_screener, screener_options
from screener.errors import EXIT_ERROR, EXIT_FINDINGS, RuleError
from screener.reference.paths import rules_dir
from screener.rules.conditions import PREDICATES
from screener.rules.load import load_rules


@click.group()
def rules():
    """List, validate and test the YAML rules."""


@rules.command("list")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
def list_rules(rules_dirs):
    """Show every rule: id, family, severity, weight, title."""
    rs = load_rules(rules_dir(), *rules_dirs, enabled_only=False)
    for r in sorted(rs.rules, key=lambda r: r.rule.id):
        flag = "" if r.rule.enabled else " (disabled)"
        click.echo(f"{r.rule.id:40} {r.rule.family:12} {r.rule.severity:8} {r.rule.weight:5g}  {r.rule.title}{flag}")
    click.echo(f"{len(rs.rules)} rules; predicates: {', '.join(sorted(PREDICATES))}")


@rules.command("validate")
@click.option("--rules-dir", "rules_dirs", multiple=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-bundled", is_flag=True, help="Validate only the given folders.")
def validate(rules_dirs, no_bundled):
    """Report every schema problem at once (file, rule id, field); exit 2 when there are any."""
    dirs = ([] if no_bundled else [rules_dir()]) + list(rules_dirs)
    try:
        rs = load_rules(*dirs, enabled_only=False)
    except RuleError as exc:
        head, _, rest = str(exc).partition(": ")
        click.echo(head + ":", err=True)
        for problem in rest.split("; "):
            click.echo(f"  {problem}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"{len(rs.rules)} rules valid (version {rs.version[:12]})")


@rules.command("test")
@click.option("--rule", "only", multiple=True, help="Test only these rule ids.")
@screener_options
def test_rules(only, db, rules_dirs, lexicons):
    """Run every rule's examples; exit 1 when one fails."""
    from screener.rule_examples import run_examples

    results = run_examples(make_screener(db, rules_dirs, lexicons), set(only) or None)
    failed = [r for r in results if not r.ok]
    for r in failed:
        click.echo(f"FAIL {r.rule_id}: should {'fire' if r.expect == 'fire' else 'stay silent'} on: {r.text}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(EXIT_FINDINGS if failed else 0)
