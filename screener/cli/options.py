"""Options shared by several commands, defined once."""

from __future__ import annotations

from pathlib import Path

import click

db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                         help="DuckDB store (default: $SCREENER_DB, else the user data directory).")
rules_dir_option = click.option("--rules-dir", "rules_dirs", multiple=True,
                                type=click.Path(exists=True, file_okay=False, path_type=Path),
                                help="Extra folder of YAML rules (repeatable).")
lexicon_option = click.option("--lexicon", "lexicons", multiple=True,
                              type=click.Path(exists=True, path_type=Path),
                              help="Extra lexicon YAML file or folder (repeatable).")


def screener_options(f):
    return db_option(rules_dir_option(lexicon_option(f)))


def make_screener(db, rules_dirs, lexicons):
    from screener.api import load_screener  # (imported here: a command's options must not load the library)

    return load_screener(db=db, rules_dirs=tuple(rules_dirs), lexicon=tuple(lexicons))
