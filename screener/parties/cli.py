"""Click commands the `reference` group attaches: `import KIND PATH` and `update` (download official files).

Errors are one line and exit 2 (screener.errors.EXIT_ERROR).
"""

from __future__ import annotations

import importlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import click

from screener.errors import EXIT_ERROR, ScreenerError
from screener.parties.importers import IMPORTERS
from screener.parties.store import list_summaries  # noqa: F401  (re-exported for `screener reference info`)
from screener.reference.store import connect

# Official publisher URLs; file names are kept because the OFAC sdn importer looks for sibling alt/add files.
SOURCES: dict[str, dict] = {
    "ofac-sdn": {"kind": "ofac-sdn", "files": [
        ("sdn.csv", "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV"),
        ("alt.csv", "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV"),
        ("add.csv", "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADD.CSV")]},
    "ofac-consolidated": {"kind": "ofac-consolidated", "files": [
        ("consolidated.xml",
         "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONSOLIDATED.XML")]},
    "un": {"kind": "un", "files": [
        ("consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml")]},
    "eu": {"kind": "eu", "files": [
        ("eu_fsf.xml",
         "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw")]},
    "uk": {"kind": "uk", "files": [
        ("UK-Sanctions-List.xml", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml")]},
}


class CommandError(click.ClickException):
    """A one-line error that exits with EXIT_ERROR (2), not click's default 1."""

    exit_code = EXIT_ERROR


def _run_import(db: str | None, kind: str, path: str, list_name: str | None, source_url: str | None = None,
                allow_shrink: bool = False) -> dict:
    if kind == "hs":
        try:
            hs_import = importlib.import_module("screener.reference.hs_import")
        except ModuleNotFoundError:
            raise CommandError("import kind 'hs' is not available (screener.reference.hs_import is missing)")
        con = connect(db)
        try:
            result = hs_import.import_hs(con, path)
        except ScreenerError as exc:
            raise CommandError(str(exc)) from None
        finally:
            con.close()
        return result if isinstance(result, dict) else {"list": "HS", "kind": "hs", "result": result}
    if kind not in IMPORTERS:
        raise CommandError(f"unknown import kind {kind!r}; choose one of: hs, {', '.join(sorted(IMPORTERS))}")
    con = connect(db)
    try:
        return IMPORTERS[kind](con, path, list_name=list_name, source_url=source_url, allow_shrink=allow_shrink)
    except ScreenerError as exc:
        raise CommandError(str(exc)) from None
    finally:
        con.close()


def _echo_summary(s: dict) -> None:
    extra = f", published {s['published']}" if s.get("published") else ""
    click.echo(f"imported {s.get('list')} ({s.get('kind')}): {s.get('entities')} entities, "
               f"{s.get('names', '?')} names{extra}")


@click.command("import")
@click.argument("kind", type=click.Choice(["hs", *sorted(IMPORTERS)]), metavar="KIND")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="Store path (default: $SCREENER_DB or user data dir).")
@click.option("--list-name", default=None, help="Name the list is stored under (default per kind, e.g. OFAC-SDN).")
@click.option("--allow-shrink", is_flag=True, help="Import even when the list would lose more than 20 % of its "
              "entities, or the file does not look like its kind.")
def import_command(kind: str, path: str, db: str | None, list_name: str | None, allow_shrink: bool = False) -> None:
    """Import a reference file of KIND (hs, ofac-sdn, ofac-alt, ofac-add, ofac-consolidated, un, ftm, eu, uk).

    The whole file is checked first and written in one transaction: a bad file leaves the store unchanged.
    """
    if not Path(path).is_file():
        raise CommandError(f"{path}: no such file")
    _echo_summary(_run_import(db, kind, path, list_name, allow_shrink=allow_shrink))


def _download(url: str, dest: Path, timeout: float = 60.0) -> None:
    """Fetch `url` into `dest` (urllib; http(s) only)."""
    if not url.startswith(("http://", "https://")):
        raise CommandError(f"refusing to download {url!r}: only http(s) URLs")
    try:
        req = urllib.request.Request(url, headers={"User-Agent": "screener/0.1 (+sanctions list update)"})
        with urllib.request.urlopen(req, timeout=timeout) as resp, open(dest, "wb") as out:
            while chunk := resp.read(1 << 16):
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise CommandError(f"download failed: {url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CommandError(f"download failed: {url}: {reason}") from None


@click.command("update")
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="Store path.")
@click.option("--source", "sources", multiple=True, type=click.Choice(sorted(SOURCES)),
              help="Only these sources (repeatable); default all.")
@click.option("--base-url", default=None,
              help="Fetch files from this base URL instead of the publishers (a mirror, or a test server).")
def update_command(db: str | None, sources: tuple[str, ...], base_url: str | None) -> None:
    """Download the official list files and import each (one transaction per list)."""
    chosen = sources or tuple(sorted(SOURCES))
    failed = []
    for name in chosen:
        spec = SOURCES[name]
        with tempfile.TemporaryDirectory(prefix=f"screener-{name}-") as tmp:
            try:
                first_url = None
                for i, (fname, url) in enumerate(spec["files"]):
                    if base_url:
                        url = f"{base_url.rstrip('/')}/{name}/{fname}"
                    try:
                        _download(url, Path(tmp) / fname)
                    except CommandError:
                        if i == 0:
                            raise
                        continue  # optional sibling (alt.csv/add.csv) missing: import without it
                    first_url = first_url or url
                summary = _run_import(db, spec["kind"], os.path.join(tmp, spec["files"][0][0]), None, first_url)
                _echo_summary(summary)
            except CommandError as exc:
                failed.append(f"{name}: {exc.message}")
                click.echo(f"error: {name}: {exc.message}", err=True)
    if failed:
        raise CommandError(f"{len(failed)} of {len(chosen)} sources failed ({'; '.join(failed)})")
