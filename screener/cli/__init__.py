"""The `screener` command: a thin layer over the library. Errors are one line and exit 2."""

from __future__ import annotations

import errno
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
            "reference": ("screener.cli.reference", "reference"), "eval": ("screener.cli.evaluate", "eval_command"),
            "report": ("screener.cli.report", "report")}


allocator.before_polars_loads()  # (commands are imported below, lazily: polars is not loaded yet)


class ScreenerGroup(click.Group):
    """Turns library errors into one-line messages with exit code 2 (never a traceback); loads commands lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The command names, sorted (for --help), without importing any command."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command, imported only when it is run."""
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        """Run the command; a ScreenerError is one line on stderr and exit 2, a closed pipe ends quietly."""
        try:
            return super().invoke(ctx)
        except ScreenerError as exc:
            click.echo(f"Error: {str(exc).splitlines()[0]}", err=True)
            ctx.exit(EXIT_ERROR)
        except click.exceptions.Exit:
            raise
        except BrokenPipeError:  # (click would exit 1 on it)
            end_on_closed_pipe()
        except click.ClickException as exc:
            exc.exit_code = EXIT_ERROR if exc.exit_code == 1 else exc.exit_code
            raise
        except OSError as exc:
            if _broken_pipe(exc):  # (polars reports a closed pipe as a plain OSError)
                end_on_closed_pipe()
            self._internal_error(ctx, exc)
        except KeyboardInterrupt:
            click.echo("Interrupted: no output was written.", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug, not bad input: still one line, unless asked for the traceback
            self._internal_error(ctx, exc)

    @staticmethod
    def _internal_error(ctx: click.Context, exc: Exception) -> None:
        if os.environ.get("SCREENER_DEBUG"):
            raise exc
        click.echo(f"Error: internal error ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
                   "set SCREENER_DEBUG=1 for the traceback", err=True)
        ctx.exit(EXIT_ERROR)


def _broken_pipe(exc: OSError) -> bool:
    return isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE or "Broken pipe" in str(exc)


@click.group(cls=ScreenerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="screener")
def cli() -> None:
    """Screen trade text for export-controlled goods, sanctioned destinations and parties."""
    _say_notices()


def _say_notices() -> None:
    """What the library announces on the `screener` logger (e.g. that it is building the store) goes to
    stderr as plain lines."""
    import logging

    log = logging.getLogger("screener")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="screener", standalone_mode=True)
    except BrokenPipeError:
        end_on_closed_pipe()


def end_on_closed_pipe() -> None:
    """The reader of our output went away (`screener batch … | head -1`): end quietly with the status of a
    process killed by SIGPIPE (141, what the shell shows for `cat` or `grep` there). Outputs were already
    cleaned up while the error travelled up; standard output now points at /dev/null, so nothing is flushed
    to the closed pipe again (Python would print an error), and the interpreter ends normally (releasing
    the worker pool's semaphores)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(128 + getattr(signal, "SIGPIPE", 13))
