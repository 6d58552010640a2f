"""`screener screen`: one text, every finding with its span, every rule with its evidence."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from screener.cli.options import encoding_option, make_screener, screener_options
from screener.errors import InputError
from screener.outputs import write_bytes
from screener.report.text import render_screening
from screener.results import json_default
from screener.screen import screen as screen_one


def _read_text(text: str | None, file: str | None, encoding: str | None) -> str:
    if text is not None and file is not None:
        raise click.UsageError("give TEXT or --file, not both")
    if file == "-" or (text is None and file is None and not sys.stdin.isatty()):
        return _decoded(sys.stdin.buffer.read(), encoding, "<stdin>")
    if file is not None:
        path = Path(file)
        if not path.is_file():
            raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
        return _decoded(path.read_bytes(), encoding, str(path))
    if text is None:
        raise click.UsageError("give TEXT, --file PATH, or --file - for standard input")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # bytes the locale could not decode reach Python as lone surrogates
        raise InputError("TEXT is not valid UTF-8 (pass the text with --file PATH --encoding NAME)") from exc
    return text


def _decoded(data: bytes, encoding: str | None, name: str) -> str:
    from screener.tables import decode_text

    text, note = decode_text(data, encoding, name)
    if note:
        click.echo(f"Note: {note}", err=True)
    return text


@click.command()
@click.argument("text", required=False)
@click.option("--file", "file", type=str, default=None, help="Read the text from a file ('-' for stdin).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--no-fuzzy", is_flag=True, help="Exact and pattern matching only.")
@encoding_option
@screener_options
def screen(text, file, fmt, no_fuzzy, encoding, db, rules_dirs, lexicons):
    """Screen one TEXT (or --file) and explain the result."""
    body = _read_text(text, file, encoding)
    screener = make_screener(db, rules_dirs, lexicons)
    result = screen_one(screener, body, fuzzy=not no_fuzzy)
    if fmt == "json":  # (orjson encodes the records: the bytes of json.dumps(to_dict(), indent=2), far faster)
        options = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS
        write_bytes(None, orjson.dumps(result, default=json_default, option=options) + b"\n")
    else:
        click.echo(render_screening(result.to_dict()))

