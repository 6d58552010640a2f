"""Options shared by several commands, defined once (batch and check read the same columns the same way)."""

from __future__ import annotations

from pathlib import Path

import click

from screener.batch.formats import INPUT_FORMATS
from screener.batch.job import CHUNK_ROWS

db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                         help="DuckDB store (default: $SCREENER_DB, else the user data directory).")
rules_dir_option = click.option("--rules-dir", "rules_dirs", multiple=True,
                                type=click.Path(exists=True, file_okay=False, path_type=Path),
                                help="Extra folder of YAML rules (repeatable).")
lexicon_option = click.option("--lexicon", "lexicons", multiple=True,
                              type=click.Path(exists=True, path_type=Path),
                              help="Extra lexicon YAML file or folder (repeatable).")
encoding_option = click.option(
    "--encoding", default=None,
    help="Input text encoding (default: UTF-8 when the bytes are UTF-8, else detected, and said on stderr).")


def screener_options(f):
    """The options every screening command shares: --db, --rules-dir, --lexicon."""
    return db_option(rules_dir_option(lexicon_option(f)))


def column_options(f):
    """The columns batch and check read besides the text (the same verdict needs the same columns)."""
    f = click.option("--parties-in-text", is_flag=True,
                     help="Also look for listed parties in the text (slow: ~3 ms a row of messy shipment text, "
                          "and each worker first loads the lists, ~13 s for the shared samples).")(f)
    f = click.option("--origin-column", default=None, help="Column with the country the goods come from.")(f)
    f = click.option("--country-column", default=None, help="Column with a destination or consignee country.")(f)
    f = click.option("--party-country-column", "party_country_columns", multiple=True,
                     help="Column with the country of the party column at the same position (repeatable; one "
                          "column serves every party column). Any name, code or spelling countrynames knows.")(f)
    f = click.option("--party-column", "party_columns", multiple=True,
                     help="Column(s) with party names (repeatable).")(f)
    return f


def input_options(f):
    """How to read the input table(s)."""
    f = click.option("--no-header", is_flag=True,
                     help="The CSV has no header row: columns are column_1, column_2, …")(f)
    f = click.option("--delimiter", default=None, metavar="CHAR",
                     help="CSV field delimiter (default: ',' and a tab for .tsv; '\\t' names a tab).")(f)
    f = encoding_option(f)
    f = click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
                     help="Input format (default: from the file extension; .txt is one text per line).")(f)
    return f


def run_options(f):
    """Chunks, workers and progress."""
    f = click.option("--quiet", is_flag=True, help="No progress on stderr.")(f)
    f = click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="Worker processes (default: 2 on large inputs when the machine has 2 cores, else 1).")(f)
    f = click.option("--chunk-rows", type=click.IntRange(min=1), default=None,
                     help=f"Rows read, scored and written at a time (bounds memory; default: {CHUNK_ROWS:,}, a little "
                          "less when that splits the input evenly between the workers).")(f)
    return f


def delimiter_value(value: str | None) -> str | None:
    """`\\t` and `tab` name a tab; anything else must be one character."""
    if value is None:
        return None
    value = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(value, value)
    if len(value) != 1:
        raise click.BadParameter(f"{value!r} is not one character", param_hint="--delimiter")
    return value


def make_screener(db, rules_dirs, lexicons):
    """The screener the shared options describe (the library is imported only here)."""
    from screener.api import load_screener  # (imported here: a command's options must not load the library)

    return load_screener(db=db, rules_dirs=tuple(rules_dirs), lexicon=tuple(lexicons))
