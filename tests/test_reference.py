"""The DuckDB store: built from reference_data, every CHPL code resolves with its tier, coverage expands."""

from __future__ import annotations

import csv
import json

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.reference.build import build, data_hash, stored_hash
from screener.reference.paths import reference_dir

CHPL = list(csv.DictReader((reference_dir() / "lists" / "chpl.csv").open(encoding="utf-8")))


def test_store_has_the_tables(screener):
    con = duckdb.connect(str(screener.reference.db_path), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert {"hs_codes", "lexicon_entries", "lexicon_terms", "list_entries", "list_coverage", "meta"} <= tables
        n = con.execute("SELECT count(DISTINCT hs6) FROM list_coverage WHERE list = ?", ["CHPL"]).fetchall()[0][0]
        assert n == 50
        codes = con.execute("SELECT code FROM hs_codes WHERE code = ?", ["0101"]).fetchall()
        assert codes == [("0101",)] or codes == []  # codes are strings, leading zeros kept
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                 "WHERE table_name = 'list_coverage'").fetchall())
        assert types["hs6"] == "VARCHAR" and types["tier"] == "VARCHAR"
    finally:
        con.close()


@pytest.mark.parametrize("row", CHPL, ids=[r["hs6"] for r in CHPL])
def test_every_chpl_code_resolves_with_its_tier(screener, row):
    controls = screener.reference.controls_for(row["hs6"])
    assert {"list": "CHPL", "entry": row["hs6"], "tier": row["tier"]} in [
        {k: c[k] for k in ("list", "entry", "tier")} for c in controls]


def test_heading_and_chapter_entries_cover_every_subheading_below(screener):
    # Annex XXIII lists heading 8456 and chapter 72: every HS-6 below is covered.
    hs6 = screener.reference.hs.filter(screener.reference.hs["level"] == 6)["code"].to_list()
    for prefix, entry in (("8456", "8456"), ("72", "72")):
        below = [c for c in hs6 if c.startswith(prefix)]
        assert below
        for code in below:
            assert any(c["list"] == "EU833-XXIII" and c["entry"] == entry for c in screener.reference.controls_for(code))


def test_lookup_command_shows_tier_and_annex():
    result = CliRunner().invoke(cli, ["reference", "lookup", "8542.31", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["code"] == "854231"
    assert {"list": "CHPL", "entry": "854231", "tier": "1"} in [
        {k: c[k] for k in ("list", "entry", "tier")} for c in data["controls"]]


def test_lookup_rejects_a_non_code():
    result = CliRunner().invoke(cli, ["reference", "lookup", "12345"])
    assert result.exit_code == 2 and "not an HS code" in result.output


def test_info_reports_versions_and_counts():
    result = CliRunner().invoke(cli, ["reference", "info", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["control_lists"]["CHPL"] == 50 and data["control_lists"]["EU833-XL"] == 45
    assert data["stale"] is False and data["meta"]["reference_hash"] == data_hash()


def test_store_rebuilds_when_the_data_changes(tmp_path):
    ref = tmp_path / "ref"
    import shutil

    shutil.copytree(reference_dir(), ref)
    db = tmp_path / "s.duckdb"
    build(db, ref)
    before = stored_hash(db)
    assert before == data_hash(ref)
    with (ref / "lists" / "chpl.csv").open("a", encoding="utf-8") as f:
        f.write("999999,1,test row\n")
    assert data_hash(ref) != before


def test_build_fails_when_a_list_drifts_from_its_manifest(tmp_path):
    import shutil

    from screener.errors import ScreenerError

    ref = tmp_path / "ref"
    shutil.copytree(reference_dir(), ref)
    lines = (ref / "lists" / "chpl.csv").read_text(encoding="utf-8").splitlines()
    (ref / "lists" / "chpl.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(ScreenerError, match="49 rows, but MANIFEST.yaml expects 50"):
        build(tmp_path / "s.duckdb", ref)
    assert not (tmp_path / "s.duckdb").exists()


def test_stored_patterns_are_the_ones_the_reference_data_gives(screener):
    """The store's precomputed patterns and typo vocabulary equal what the code derives at run time (the
    path taken with a user lexicon), and the store's version covers the code that derives them."""
    from screener.lexicon.patterns import fuzzy_vocab, reference_patterns
    from screener.text.english import EnglishWords
    from screener.reference import build as build_module

    ref = screener.reference
    assert ref.patterns is not None and ref.patterns.height > 50_000
    assert ref.patterns.equals(reference_patterns(ref.entries, ref.places.places, ref.context,
                                                  EnglishWords(ref.known_words)))
    assert ref.fuzzy_vocab == fuzzy_vocab(ref.entries)
    derived = [build_module.PACKAGE / name for name in ("lexicon/forms.py", "lexicon/patterns.py",
                                                        "lexicon/part_database.py", "text/normalize.py")]
    covered = [build_module.PACKAGE / name for name in build_module.DERIVING_CODE]
    assert all(p.exists() and any(p == c or c in p.parents for c in covered) for p in derived)


def test_a_user_lexicon_gets_its_patterns_computed(screener):
    from screener.lexicon.model import LexiconEntry

    from screener.match.index import build_index

    extra = LexiconEntry(id="user.gizmo", label="Gizmo", category="microelectronics", hs6=["854239"],
                         strong=["fluxing gizmotron"])
    merged = screener.reference.with_entries([extra])
    assert merged.patterns is None and merged.fuzzy_vocab is None  # derived again, with the new entry
    index = build_index(merged)
    assert " fluxing gizmotron " in index.refs.filter(pl.col("ref") == "user.gizmo")["pattern"].to_list()
    assert "gizmotron" in index.fuzzy_vocab and "gizmotron" not in screener.index.fuzzy_vocab


def test_controls_of_a_code_come_in_one_order(screener):
    """An entry with two value thresholds (Annex XVIII 9504 90 80: EUR 300 and EUR 750) is listed twice, the lower
    threshold first, every time (it once came in whatever order `unique` left the rows)."""
    for _ in range(5):
        rows = [c for c in screener.reference.controls_for("950490") if c["entry"] == "95049080"]
        assert [c["threshold_value"] for c in rows] == [300.0, 750.0]
