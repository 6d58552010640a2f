"""An everyday English word that is a listed one-word alias ("GREEN", an OFAC person's alias; "HAPPINESS", a
listed vessel) names no party in a trade line, even beside the entity's own country; a ship's name after a
vessel word ("the tanker Snow") still does; and "200 kg" is kilograms, not a legal form (KG)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from screener.parties.index import common_words
from screener.parties.text import find_in_text

COUNTRY_NAMES = {"RU": "Russia", "IR": "Iran", "KP": "North Korea", "SY": "Syria", "CN": "China", "PA": "Panama",
                 "BY": "Belarus", "VE": "Venezuela", "CU": "Cuba", "LB": "Lebanon", "IQ": "Iraq", "AE": "Dubai"}


def _ids(matches, tiers=("match", "review")) -> set[str]:
    return {f"{m.list}:{m.entity_id}" for m in matches if m.tier in tiers}


def _everyday_one_word_aliases(matcher) -> list[tuple[str, str, str]]:
    """(word, entity key, country name or "") of every one-word alias that is an everyday English word only (not
    one of the words companies take as names, which have tests of their own)."""
    english, curated = common_words("common_english.txt"), common_words()
    out = []
    for al in matcher.index.aliases:
        ent = matcher.index.entities[al.entity]
        if len(al.tokens) == 1 and al.tokens[0] in english - curated and len(al.tokens[0]) >= 3:
            country = next((COUNTRY_NAMES[c] for c in ent.countries if c in COUNTRY_NAMES), "")
            out.append((al.tokens[0], f"{ent.list}:{ent.entity_id}", country))
    return out


def test_a_trade_line_beside_the_entitys_country_names_no_party(shared_matcher):
    aliases = _everyday_one_word_aliases(shared_matcher)
    assert len(aliases) >= 50  # the lists hold many (vessels' former names, persons' nicknames)
    raised = []
    for word, key, country in aliases:
        text = f"{word.capitalize()} brand tea, 200 kg, to {country or 'Rotterdam'}"
        if key in _ids(find_in_text(shared_matcher, text)):
            raised.append(text)
    assert raised == []


def test_green_tea_to_moscow(shared_matcher):
    found = find_in_text(shared_matcher, "Green tea, 200 kg, consignee Rosoboronexport, Moscow")
    assert found and {m.matched_text for m in found} == {"Rosoboronexport"}  # (the SDN and another list's entry)
    # "kg" after 200 is no legal form that would differ from the listed JSC and lower the score
    assert all(m.tier == "match" and m.score == 1.0 for m in found), found


def test_a_vessel_word_backs_a_ships_name(shared_matcher):
    for text in ("Crude loaded on the tanker Snow at Bandar Abbas", "Cargo on M/V Happiness bound for Bandar Abbas"):
        found = [m for m in find_in_text(shared_matcher, text) if m.tier == "match"]
        assert [m.matched_text for m in found] == [re.search(r"Snow|Happiness", text).group(0)], text
    assert find_in_text(shared_matcher, "Happiness brand candles, 500 pcs, to Tehran") == []


def test_a_whole_listed_name_of_several_words_still_counts(shared_matcher):
    found = find_in_text(shared_matcher, "A forwarder in Milan shipped the goods to SMILE TECHNOLOGIES S.A.")
    assert "OFAC-SDN:26465" in _ids(found, ("match",))


@pytest.mark.parametrize("text", ["Green", "GREEN"])
def test_a_name_column_keeps_its_rules(shared_matcher, text):
    """In a party column the value is a name: an English word there is decided as before (the whole listed name)."""
    assert any(m.tier == "match" for m in shared_matcher.match_name(text))


@pytest.mark.parametrize("text", [
    "Although it is used in paint, it is highly flammable. It is used as a material for gunpowder",  # alias IT
    "The items are described in your submission as “Class K” Tapered Roller Bearings",  # "as" is no AS
    "The merchandise has been identified as the “Tiger Jet Bike” 350W electric bicycle",
    "Aluminium ingots, 20 t, supplier Norsk Hydro ASA, Oslo, Norway",  # not HYDRO COMPANY S.A.L.; OSLO is weak
])
def test_ordinary_prose_and_other_companies_name_no_party(shared_matcher, text):
    assert find_in_text(shared_matcher, text) == []


def test_a_weak_or_place_alias_counts_only_after_a_vessel_word(shared_matcher):
    """OSLO is a weak alias of the listed vessel NOLAN: "Oslo" alone is the city, "M/V Oslo" the ship."""
    [m] = [m for m in find_in_text(shared_matcher, "Cargo on M/V Oslo bound for Bandar Abbas") if m.tier == "match"]
    assert (m.matched_text, m.name) == ("Oslo", "NOLAN")
    assert find_in_text(shared_matcher, "Supplier: Norsk Hydro AS, Oslo") == []


def test_a_legal_form_rigour_knows_backs_a_name(shared_matcher):
    found = find_in_text(shared_matcher, "Our records list DIAMVILLE SAU as the buyer of the paper towels.")
    assert "OFAC-SDN:42020" in _ids(found, ("match",))


@pytest.mark.parametrize("text", [
    "SART TRUCK TIRE VIA TASHKENT 273 CARTONS MODEL GRU-44500 ORIGIN PALLETS NET WEIGHT 38577.6 KG",  # GRU
    "Encrypted Freeze Dryer Express Stackable Purchase Used Net Weight 44003.9 Kg Order",  # ORDER 9
    "STACKABLE MANUAL WALL CLOCK CONSIGNEE QIZEN SARL STC VIETNAM COMMERCIAL 3043 UNITS",  # STC, LTD
    "DINNER PLATES 3507 PCS MODEL V-44628 FROM HAI NET WEIGHT 36776.5 KG",  # the vessel HAI II
    "vertical inertial measurement units and high precision sodium sulfide",  # HIGH PRECISION SYSTEMS
    "520 sets heavy iron nails, stc model assembly serial smart leather",  # CJSC STC MODUL
    "supplier ionari llc assorted green refrigerators, electronic milling machines; blue wrench",
    "CONSIGNEE LOSUNSUN LLC SMART FACE MASK 2956 KG NO MODEL",  # OOO SMART SPG
    "Supplier Marlin Pvt Ltd Blue Apples, Blue Artificial Flowers 2585 Pallets",  # the vessel MARLIN
])
def test_shipment_lines_of_codes_numbers_and_everyday_words_name_no_party(shared_matcher, text):
    assert [m for m in find_in_text(shared_matcher, text) if m.tier == "match"] == []


def test_a_person_by_given_name_and_surname_in_prose(shared_matcher):
    found = find_in_text(shared_matcher, "Der Russe Arthur Petrov, der auch die deutsche Staatsbürgerschaft hat")
    assert [m.matched_text for m in found if m.tier == "match"] == ["Arthur Petrov"]


def test_messy_shipment_lines_from_the_shared_workload_raise_almost_no_party(shared_matcher, tmp_path):
    """1,000 lines of ../shared/bench's generator (made-up companies, model codes, ports, 50 % upper case):
    before, about one line in 140 named a listed party (GRU in `MODEL GRU-44500`, HAI II in `FROM HAI` …)."""
    script = Path(__file__).resolve().parents[3] / "shared" / "bench" / "shipment_workload.py"
    if not script.is_file():
        pytest.skip("../shared/bench not available")
    subprocess.run([sys.executable, str(script), "--rows", "1000", "--articles", "1", "--out", str(tmp_path)],
                   check=True, capture_output=True)
    lines = pl.read_csv(tmp_path / "descriptions.csv")["description"].to_list()
    raised = [t for t in lines if any(m.tier == "match" for m in find_in_text(shared_matcher, t))]
    assert len(lines) == 1000 and len(raised) <= 1, raised
