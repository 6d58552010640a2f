"""The `screener` command: a thin layer over the library. Errors are one line and exit 2."""

from __future__ import annotations

import importlib
import os
import signal
import sys

import click

from screener import __version__
from screener.batch import allocator
from screener.errors import EXIT_ERROR, ScreenerError


# command name -> (module, attribute): a command's module is imported only when it runs (or for --help),
# so `screener batch` starts its worker processes before the rest of the package is even imported
COMMANDS = {"screen": ("screener.cli.screen", "screen"), "batch": ("screener.cli.batch", "batch"),
            "check": ("screener.cli.check", "check"), "rules": ("screener.cli.rules", "rules"),
            "reference": ("screener.cli.reference", "reference"), "eval": ("screener.cli.evaluate", "eval_command")}


allocator.before_polars_loads()  # (commands are imported below, lazily: polars is not loaded yet)


class ScreenerGroup(click.Group):
    """Turns library errors into one-line messages with exit code 2 (never a traceback); loads commands lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ScreenerError as exc:
            click.echo(f"Error: {str(exc).splitlines()[0]}", err=True)
            ctx.exit(EXIT_ERROR)
        except (click.exceptions.Exit, BrokenPipeError):
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


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="screener", standalone_mode=True)
    except BrokenPipeError:
        end_on_closed_pipe()


def end_on_closed_pipe() -> None:
    """The reader of our output went away (`screener batch … | head -1`): end quietly, as a process killed by
    SIGPIPE does (the shell shows status 141), the way `cat` or `grep` end. Outputs were already cleaned up
    while the error travelled up; nothing is flushed to the closed pipe again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    os._exit(128 + 13)
