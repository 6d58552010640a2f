"""Shared fixtures: the real list files in ../shared (imported once per session) and a matcher over them."""

from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
SANCTIONS = REPO.parent / "shared" / "sources" / "sanctions"
FIXTURES = Path(__file__).parent / "fixtures"
BENCHMARK = REPO / "benchmarks" / "data" / "parties.jsonl"

FULL_IMPORTS = [
    ("ofac-sdn", "ofac_sdn/sdn.csv", None),
    ("ofac-alt", "ofac_sdn_alt/alt.csv", None),
    ("ofac-consolidated", "ofac_consolidated_non_sdn/consolidated.xml", None),
    ("un", "un_sc/UN.xml", None),
    ("ftm", "opensanctions_ftm/zala_entities.ftm.json", None),
]


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory):
    """A store holding every shared list (skips when ../shared is absent)."""
    if not (SANCTIONS / "ofac_sdn" / "sdn.csv").is_file():
        pytest.skip("../shared/sources/sanctions not available")
    from screener.parties.importers import IMPORTERS

    path = tmp_path_factory.mktemp("store") / "parties.duckdb"
    con = duckdb.connect(str(path))
    summaries = {}
    for kind, rel, name in FULL_IMPORTS:
        summaries[kind] = IMPORTERS[kind](con, SANCTIONS / rel, list_name=name)
    con.close()
    return path, summaries


@pytest.fixture(scope="session")
def shared_matcher(shared_store):
    from screener.parties.match import PartyMatcher

    con = duckdb.connect(str(shared_store[0]), read_only=True)
    try:
        return PartyMatcher.from_store(con)
    finally:
        con.close()
