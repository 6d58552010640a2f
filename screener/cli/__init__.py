"""The `screener` command: a thin layer over the library. Errors are one line and exit 2."""

from __future__ import annotations

import os
import sys

import click

from screener import __version__
from screener.errors import EXIT_ERROR, ScreenerError


class ScreenerGroup(click.Group):
    """Turns library errors into one-line messages with exit code 2 (never a traceback)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScreenerError as exc:
            click.echo(f"Error: {str(exc).splitlines()[0]}", err=True)
            ctx.exit(EXIT_ERROR)
        except click.exceptions.Exit:
            raise
        except click.ClickException as exc:
            exc.exit_code = EXIT_ERROR if exc.exit_code == 1 else exc.exit_code
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted: no output was written.", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug, not bad input: still one line, unless asked for the traceback
            if os.environ.get("SCREENER_DEBUG"):
                raise
            click.echo(f"Error: internal error ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
                       "set SCREENER_DEBUG=1 for the traceback", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=ScreenerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="screener")
def cli() -> None:
    """Screen trade text for export-controlled goods, sanctioned destinations and parties."""


def _register() -> None:
    from screener.cli import batch, check, evaluate, reference, rules, screen

    cli.add_command(screen.screen)
    cli.add_command(batch.batch)
    cli.add_command(check.check)
    cli.add_command(rules.rules)
    cli.add_command(reference.reference)
    cli.add_command(evaluate.eval_command)


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="screener", standalone_mode=True)
    except BrokenPipeError:
        sys.exit(0)
