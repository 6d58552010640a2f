"""Which way goods move: a place's role (destination, origin, transit, mentioned) from the words around it
and from structured columns; rules that mean "exported to" do not fire on goods that come from a
sanctioned country (issue 15 #3)."""

from __future__ import annotations

import polars as pl
import pytest

from screener.screen import screen

ROLES = [
    ("Ball bearings 6205, consignee OOO Vostok, Moscow, Russia", {"Moscow": "destination", "Russia": "destination"}),
    ("Birch plywood sheets, origin Russia, for import into Poland", {"Russia": "origin", "Poland": "destination"}),
    ("Leather handbags from Russia, for import into Germany", {"Russia": "origin", "Germany": "destination"}),
    ("FPGA shipped from Hamburg via Almaty to Moscow", {"Hamburg": "origin", "Almaty": "transit", "Moscow": "destination"}),
    ("Russian-made valves, 40 pcs", {"Russian": "origin"}),
    ("Made in China, delivered to Dubai", {"China": "origin", "Dubai": "destination"}),
    ("Country of origin: Belarus", {"Belarus": "origin"}),
    ("Wheat market report: Kazakhstan harvest up", {"Kazakhstan": "mentioned"}),
    ("подшипники, произведено в России, поставка в Казахстан", {"России": "origin", "Казахстан": "destination"}),
    ("Kugellager, Lieferung nach Minsk", {"Minsk": "destination"}),
    ("轴承 运往 莫斯科", {"莫斯科": "destination"}),
    # French, Spanish and Italian origin adjectives (issue 15: "d'origine russe", "de origen ruso")
    ("Contreplaqué de bouleau d'origine russe, importé en Belgique", {"russe": "origin", "Belgique": "destination"}),
    ("Carbón térmico de origen ruso, descarga en Algeciras", {"ruso": "origin", "Algeciras": "destination"}),
    ("Compensato di betulla di origine russa", {"russa": "origin"}),
    ("Golf clubs, EUR 1,300 per set, to a pro shop in Dublin", {"Dublin": "destination"}),
    # an adjective takes a role from a cue of several words, not from a bare "to" (a real snack-food article)
    ("The chips are the latest product to catch American tastebuds.", {"American": "mentioned"}),
    ("FPGA chips exported to Russian end users", {"Russian": "destination"}),
    ("The origin of the English term is unclear", {"English": "mentioned"}),
]


@pytest.mark.parametrize("text, want", ROLES, ids=[t[:40] for t, _ in ROLES])
def test_a_place_takes_the_role_of_the_words_around_it(screener, text, want):
    got = {c.text: c.role for c in screen(screener, text).countries}
    assert {k: got.get(k) for k in want} == want, got


def test_goods_from_a_sanctioned_country_are_not_exported_to_it(screener):
    to = {r.id for r in screen(screener, "Ball bearings 6205-2RS, 2000 pcs, to Moscow, Russia").rules}
    frm = {r.id for r in screen(screener, "Ball bearings 6205-2RS, 2000 pcs, from Moscow, Russia, to Munich").rules}
    assert {"controlled-goods-to-sanctioned", "sanctioned-destination"} <= to
    assert not {"controlled-goods-to-sanctioned", "sanctioned-destination"} & frm


def test_the_evidence_names_the_place_in_its_role(screener):
    result = screen(screener, "FPGA XC7A100T from Moscow, Russia to Minsk, Belarus")
    rule = next(r for r in result.rules if r.id == "controlled-goods-to-sanctioned")
    places = {(e.finding.text, e.finding.role) for e in rule.evidence if e.kind == "country"}
    assert places == {("Minsk", "destination"), ("Belarus", "destination")}


def test_structured_columns_give_destination_and_origin(screener):
    texts = pl.Series(["Ball bearings 6205-2RS, 2000 pcs"] * 3)
    scored = screener.score_frame(texts, countries=pl.Series(["Russia", None, None]),
                                  origins=pl.Series([None, "RU", None]))
    feats = scored.features
    assert feats["place_roles"].to_list() == [["RU:destination"], ["RU:origin"], []]
    rules = [set(r.split(";")) for r in scored.out["rules"].to_list()]
    assert "controlled-goods-to-sanctioned" in rules[0]
    assert "controlled-goods-to-sanctioned" not in rules[1] and "controlled-goods-to-sanctioned" not in rules[2]


def test_a_place_named_in_another_country_keeps_the_list_rules_silent(screener):
    """Luxury goods for Croatia and coal from Colombia are not raised by the Russia lists."""
    for text in ("Diving regulators, 50 sets, EUR 450 each, to a dive shop in Split, Croatia",
                 "Carbón térmico de Colombia, 50 000 t, descarga en Gijón"):
        ids = {r.id for r in screen(screener, text).rules}
        assert not ids & {"sanctions-list-goods", "luxury-value-at-threshold", "import-ban-from-sanctioned"}, (text, ids)
