"""Importers: real shared files give plausible counts; bad files raise InputError and leave the store as it was."""

import shutil

import duckdb
import pytest

from screener.errors import InputError
from screener.parties.importers import IMPORTERS
from screener.parties.store import list_summaries

from .conftest import FIXTURES, SANCTIONS

needs_shared = pytest.mark.skipif(not SANCTIONS.is_dir(), reason="../shared not available")


def _counts(con):
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("party_lists", "party_entities", "party_names", "party_addresses", "party_ids")}


def test_shared_lists_import_with_plausible_counts(shared_store):
    path, s = shared_store
    assert 15000 <= s["ofac-sdn"]["entities"] <= 16000  # SOURCES.md: 15,402 records
    assert s["ofac-alt"]["rows_linked"] > 15000  # 88 % of 20,260 alt rows belong to entities of this sdn.csv
    assert s["ofac-consolidated"]["entities"] == 443 and s["ofac-consolidated"]["published"] == "2025-03-28"
    assert s["un"]["entities"] == 684 + 193 and s["un"]["published"] == "2025-04-19"
    assert 5 <= s["ftm"]["entities"] <= 91
    con = duckdb.connect(str(path), read_only=True)
    info = {d["list"]: d for d in list_summaries(con)}
    assert info["OFAC-SDN"]["addresses"] > 15000 and info["OFAC-SDN"]["names"] > 30000
    assert len(info["OFAC-SDN"]["sha256"].split(";")) == 3  # sdn.csv, add.csv, alt.csv
    mikron = con.execute("SELECT programs, countries FROM party_entities WHERE list='OFAC-SDN' AND entity_id='35936'"
                         ).fetchone()
    assert mikron == (["RUSSIA-EO14024"], ["RU"])
    weak = con.execute("SELECT name FROM party_names WHERE list='OFAC-SDN' AND entity_id='306' AND strength='weak'"
                       ).fetchall()
    assert weak == [("BNC",)]  # OFAC writes weak akas into Remarks
    un_weak = con.execute("SELECT count(*) FROM party_names WHERE list='UN-SC' AND strength='weak'").fetchone()[0]
    assert un_weak > 300  # QUALITY Low
    con.close()


@needs_shared
def test_other_shared_files_import():
    con = duckdb.connect()
    s = IMPORTERS["ofac-consolidated"](con, SANCTIONS / "ofac_consolidated_non_sdn/OFAC.csv")
    assert s["entities"] == 443
    s = IMPORTERS["ftm"](con, SANCTIONS / "opensanctions_ftm/t1_entities.ftm.json", list_name="T1")
    assert s["entities"] >= 5 and s["published"] == "2024-06-01"
    s = IMPORTERS["ofac-sdn"](con, SANCTIONS / "ofac_sdn_20240503/sdn.csv", list_name="SDN-2024")
    assert s["entities"] == 14965  # headerless treasury.gov copy


def _sdn_lines():
    return [
        '36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ',
        '306,"BANCO NACIONAL DE CUBA",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'BNC\'."',
    ]


@pytest.mark.parametrize("header", [True, False])
def test_ofac_csv_with_and_without_header_and_siblings(tmp_path, header):
    lines = (["ent_num,SDN_name,SDN_type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,Vess_flag,Vess_owner,Remarks"]
             if header else []) + _sdn_lines()
    (tmp_path / "sdn.csv").write_bytes(("\r\n".join(lines) + "\r\n\x1a").encode())
    (tmp_path / "alt.csv").write_bytes(b'36,12,"aka","AERO-CARIBBEAN",-0- \r\n\x1a')
    (tmp_path / "add.csv").write_bytes(b'36,25,-0- ,"Havana","Cuba",-0- \r\n\x1a')
    con = duckdb.connect()
    s = IMPORTERS["ofac-sdn"](con, tmp_path / "sdn.csv")
    assert s["entities"] == 2 and s["names"] == 4
    assert con.execute("SELECT country_code FROM party_addresses").fetchall() == [("CU",)]
    assert con.execute("SELECT countries FROM party_entities WHERE entity_id='36'").fetchone()[0] == ["CU"]


def _bad_files(tmp_path):
    good = ("\r\n".join(_sdn_lines()) + "\r\n\x1a").encode()
    return {
        "truncated": good[:60],
        "wrong layout": b"a;b;c\n1;2;3\n",
        "latin-1": good.replace(b"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r",
                                "CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"S\xe3o Paulo\"\r".encode("latin-1")),
        "utf-16": "\r\n".join(_sdn_lines()).encode("utf-16"),
        "empty": b"",
    }


@pytest.mark.parametrize("case", ["truncated", "wrong layout", "latin-1", "utf-16", "empty"])
def test_bad_ofac_files_raise_and_leave_store_unchanged(tmp_path, case):
    good = tmp_path / "good" / "sdn.csv"
    good.parent.mkdir()
    good.write_bytes(("\r\n".join(_sdn_lines()) + "\r\n\x1a").encode())
    con = duckdb.connect(str(tmp_path / "s.duckdb"))
    con.execute("CREATE TABLE lead_table (x INTEGER)")  # someone else's table: must survive
    IMPORTERS["ofac-sdn"](con, good)
    before = _counts(con)
    bad = tmp_path / "bad" / "sdn.csv"
    bad.parent.mkdir()
    bad.write_bytes(_bad_files(tmp_path)[case])
    with pytest.raises(InputError) as err:
        IMPORTERS["ofac-sdn"](con, bad)
    assert "\n" not in str(err.value) and str(bad) in str(err.value)
    assert _counts(con) == before
    assert con.execute("SELECT count(*) FROM lead_table").fetchone()[0] == 0


@pytest.mark.parametrize("kind,content,needle", [
    ("un", b"<?xml version='1.0' encoding='UTF-8'?><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1",
     "truncated"),
    ("un", b"<?xml version='1.0'?><sdnList></sdnList>", "CONSOLIDATED_LIST"),
    ("ofac-consolidated", b"<?xml version='1.0'?><export/>", "sdnList"),
    ("ftm", b'{"id": "x", "schema": "Person", "properties": {"name": ["A B"]}, "target": true}\n{"id": "y", "sch',
     "truncated"),
    ("ftm", b'{"a": 1}\n', "FollowTheMoney"),
    ("eu", b"x;y\n1;2\n", "NameAlias_WholeName"),
    ("uk", "Name 6,Group ID\nS\xe3o,1\n".encode("latin-1"), "UTF-8"),
])
def test_bad_files_of_other_kinds(tmp_path, kind, content, needle):
    p = tmp_path / "bad.file"
    p.write_bytes(content)
    con = duckdb.connect()
    with pytest.raises(InputError, match=needle):
        IMPORTERS[kind](con, p)


@pytest.mark.parametrize("kind,fname,entities,published", [
    ("eu", "eu_fsf.csv", 2, "2026-10-01"), ("eu", "eu_fsf.xml", 2, "2026-10-01"),
    ("uk", "uk_ofsi.csv", 2, "2026-10-01"), ("uk", "uk_fcdo.xml", 1, "2026-10-01"),
])
def test_eu_uk_fixtures(kind, fname, entities, published):
    con = duckdb.connect()
    s = IMPORTERS[kind](con, FIXTURES / fname)
    assert (s["entities"], s["published"]) == (entities, published)
    row = con.execute("SELECT countries FROM party_entities WHERE name ILIKE '%testovy%'").fetchone()
    assert row == (["RU"],)
    weak = {r[0] for r in con.execute("SELECT name FROM party_names WHERE strength = 'weak'").fetchall()}
    assert weak <= {"TZ", "TESTZAVOD"} and (weak or fname == "eu_fsf.csv")


def test_reimport_replaces_list(tmp_path):
    src = FIXTURES / "eu_fsf.xml"
    con = duckdb.connect()
    IMPORTERS["eu"](con, src)
    IMPORTERS["eu"](con, shutil.copy(src, tmp_path / "again.xml"))
    assert con.execute("SELECT count(*) FROM party_entities").fetchone()[0] == 2
