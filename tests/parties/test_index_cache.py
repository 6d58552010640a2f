"""The party index is read back from its cache beside the store, and rebuilt whenever the lists change."""

import os
import stat

import duckdb
import pytest

from screener.parties import index_cache
from screener.parties.importers import IMPORTERS
from screener.parties.match import PartyMatcher
from tests.parties.conftest import FIXTURES


def refs(matches):
    return {m.ref for m in matches}


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store.duckdb"
    con = duckdb.connect(str(path))
    IMPORTERS["eu"](con, FIXTURES / "eu_fsf.xml")
    con.close()
    return path


def matcher(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return PartyMatcher.from_store(con, db_path=path)
    finally:
        con.close()


def test_second_start_reads_the_cache_and_matches_the_same(store, monkeypatch):
    first = matcher(store)
    cache = index_cache.cache_path(store)
    assert cache.is_file()
    built = []
    monkeypatch.setattr(index_cache.PartyIndex, "from_store", lambda *a, **k: built.append(1))
    second = matcher(store)
    assert built == []  # read, not rebuilt
    for name in ("Testovy Zavod JSC", "АО Тестовый Завод", "TZ", "Ivanov Petr Sergeevich"):
        assert refs(second.match_name(name)) == refs(first.match_name(name)) != set()
    text = "Bearings for Testovy Zavod JSC, Moscow, Russia"
    assert refs(second.find_in_text(text)) == refs(first.find_in_text(text)) != set()


def test_an_import_makes_the_cache_stale(store):
    assert refs(matcher(store).match_name("Ivanov Petr Sergeevich")) == {"EU-FSF:EU.9002.02"}
    con = duckdb.connect(str(store))
    IMPORTERS["uk"](con, FIXTURES / "uk_ofsi.csv")
    con.close()
    assert refs(matcher(store).match_name("Ivanov Petr Sergeevich")) == {"EU-FSF:EU.9002.02", "UK:77002"}


def test_a_changed_name_row_makes_the_cache_stale(store):
    """The key covers the names themselves, not only the import record."""
    assert refs(matcher(store).match_name("Testovy Zavod JSC"))
    con = duckdb.connect(str(store))
    con.execute("UPDATE party_names SET name = 'Completely Other Works LLC' WHERE name ILIKE '%testovy%'")
    con.execute("UPDATE party_entities SET name = 'Completely Other Works LLC' WHERE name ILIKE '%testovy%'")
    con.close()
    assert not refs(matcher(store).match_name("Testovy Zavod JSC"))


@pytest.mark.parametrize("damage", [b"", b"screener-party-index 1\nwrong key\n", b"\x80\x04garbage"])
def test_a_damaged_cache_is_rebuilt(store, damage):
    expected = refs(matcher(store).match_name("Testovy Zavod JSC"))
    index_cache.cache_path(store).write_bytes(damage)
    assert refs(matcher(store).match_name("Testovy Zavod JSC")) == expected
    assert index_cache.cache_path(store).read_bytes().startswith(index_cache.FORMAT)  # and written again


def test_a_cut_short_cache_is_rebuilt(store):
    expected = refs(matcher(store).match_name("Testovy Zavod JSC"))
    cache = index_cache.cache_path(store)
    cache.write_bytes(cache.read_bytes()[:-100])
    assert refs(matcher(store).match_name("Testovy Zavod JSC")) == expected


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_no_error(store):
    expected = refs(matcher(store).match_name("Testovy Zavod JSC"))
    index_cache.cache_path(store).unlink()
    store.parent.chmod(0o555)
    try:
        assert refs(matcher(store).match_name("Testovy Zavod JSC")) == expected
        assert not index_cache.cache_path(store).exists()
    finally:
        store.parent.chmod(0o755)


def test_cache_honours_umask_and_stale_temporaries_go(store):
    old = os.umask(0o027)
    try:
        stale = store.parent / (index_cache.cache_path(store).name + ".abc.tmp")
        stale.write_bytes(b"left by a killed writer")
        os.utime(stale, (0, 0))
        fresh = store.parent / (index_cache.cache_path(store).name + ".def.tmp")
        fresh.write_bytes(b"another writer, still at work")
        matcher(store)
    finally:
        os.umask(old)
    assert stat.S_IMODE(index_cache.cache_path(store).stat().st_mode) == 0o640
    assert not stale.exists() and fresh.exists()
