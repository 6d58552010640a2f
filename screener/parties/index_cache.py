"""The built party index, kept beside the store so that a start does not rebuild it.

Building the index of the imported lists normalises every alias (~12 s for the 41,000 names of OFAC SDN, UN
and FTM); reading it back takes about one second. The cache file is `<store>.party-index`. Its first line is a
key over everything the index is made from: the party tables' contents, this package's code, its reference
files and the versions of the libraries that normalise names. Any change gives another key and the index is
rebuilt; a cache that cannot be read or written is never an error, only a rebuild.

The file is a pickle: it is written only by this module into the store's own folder, so it is trusted as the
store is (whoever can write there can change the lists too).
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import duckdb

from screener.parties.index import PartyIndex
from screener.parties.places import country_names, preload_country_names

log = logging.getLogger("screener")
FORMAT = b"screener-party-index 1\n"
PACKAGE = Path(__file__).resolve().parent
REFERENCE = PACKAGE.parents[1] / "reference_data" / "parties"
LIBRARIES = ("numpy", "rapidfuzz", "rigour", "normality", "countrynames")
STORE_FINGERPRINT = [  # our constants; the party tables' contents, order-independent
    "SELECT list, kind, sha256, CAST(imported_at AS VARCHAR), entities FROM party_lists ORDER BY ALL",
    "SELECT count(*), bit_xor(hash(list, entity_id, name, strength)) FROM party_names",
    "SELECT count(*), bit_xor(hash(list, entity_id, name, schema, programs, countries)) FROM party_entities",
]


def cache_path(db_path: str | os.PathLike) -> Path:
    """Where the index of the store at `db_path` is kept."""
    return Path(str(db_path) + ".party-index")


def load_index(con: duckdb.DuckDBPyConnection, db_path: str | os.PathLike | None) -> PartyIndex:
    """The index of every imported list: read from the cache when its key still holds, else built and cached."""
    if db_path is None:
        return PartyIndex.from_store(con)
    path = cache_path(db_path)
    key = index_key(con)
    index = _read(path, key)
    if index is None:
        log.info("Indexing the names of the imported party lists (once after each import; kept in %s) ...", path)
        index = PartyIndex.from_store(con)
        _write(path, key, index)
    return index


def index_key(con: duckdb.DuckDBPyConnection) -> bytes:
    """Hex digest over the store's party tables, this package's code and reference files, and the libraries."""
    h = hashlib.sha256(FORMAT)
    h.update(f"python {sys.version_info[:3]}".encode())
    for lib in LIBRARIES:
        try:
            h.update(f"{lib} {metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib} -".encode())
    for folder, pattern in ((PACKAGE, "*.py"), (REFERENCE, "*")):
        for file in sorted(folder.glob(pattern)):
            h.update(file.name.encode() + b"\0" + file.read_bytes())
    for sql in STORE_FINGERPRINT:
        h.update(repr(con.execute(sql).fetchall()).encode())
    return h.hexdigest().encode()


def _read(path: Path, key: bytes) -> PartyIndex | None:
    """The cached index when the file is ours and its key is `key`, else None."""
    try:
        with open(path, "rb") as f:
            if f.readline() != FORMAT or f.readline().rstrip(b"\n") != key:
                return None
            gc.disable()  # unpickling ~10^6 small objects: the collector would triple the time
            try:
                index, countries = pickle.load(f)
            finally:
                gc.enable()
    except Exception:  # noqa: BLE001  (any damage to a cache only means building the index again)
        return None
    if not isinstance(index, PartyIndex) or not isinstance(countries, dict):
        return None
    preload_country_names(countries)
    return index


def _write(path: Path, key: bytes, index: PartyIndex) -> None:
    """Write the index atomically (a temporary file beside it, then a rename); skip quietly when the folder is
    not writable or the disk is full: the cache only saves time. Temporary files a killed writer left over an
    hour ago are removed first."""
    _remove_stale(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # as a new file would be; mkstemp makes it 0600
        with os.fdopen(fd, "wb") as f:
            f.write(FORMAT + key + b"\n")
            pickle.dump((index, dict(country_names())), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001  (a disk full or an unpicklable value: no cache, never an error)
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_stale(path: Path, age: float = 3600.0) -> None:
    """Delete `<cache>.*.tmp` files older than `age` seconds (a writer killed mid-write left them)."""
    for tmp in path.parent.glob(path.name + ".*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > age:
                tmp.unlink()
        except OSError:
            pass
