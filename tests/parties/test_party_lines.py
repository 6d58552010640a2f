"""Party lines as documents write them: a role word before the name (`Buyer:`, `Consignee`), a legal form after it,
a city or country after a comma; and look-alikes that share the one distinctive word of a listed name."""

import pytest

from screener.parties.places import split_place
from screener.parties.scorer import Scored, decide

LISTED = "UK:77001"  # TESTOVY ZAVOD JSC, Moscow, Russia (tests/parties/fixtures/uk_ofsi.csv)


@pytest.fixture(scope="module")
def matcher(party_screener):
    return party_screener.parties


@pytest.mark.parametrize("text", [
    "Buyer: Testovy Zavod OOO",
    "Consignee: Testovy Zavod, Moscow",
    "Supplier: Testovy Zavod JSC",
    "Shipper: Testovy Zavod, Saint Petersburg, Russia",
    "Consignee Testovy Zavod",
    "Testovy Zavod OOO, Moscow, Russia",
    "Testovy Zavod JSC (Russia)",
    "Testovy Zavod, Nizhny Novgorod",
    "Ball bearings 6205, 200 pcs. Buyer: Testovy Zavod OOO, Moscow",
])
def test_labelled_and_placed_names_are_found(matcher, text):
    hits = [m for m in matcher.find_in_text(text) if m.ref == LISTED]
    assert [m.tier for m in hits] == ["match"], (text, hits)
    span = hits[0].matched_text
    assert span.startswith("Testovy Zavod") and "Moscow" not in span and "Russia" not in span, span


@pytest.mark.parametrize("text", [
    "consignee Testovy Holding",
    "Testovy Holding",
    "Buyer: Testovy Holding OOO, Moscow",
    "Testovy Bank",
])
def test_a_look_alike_with_words_of_its_own_is_review_at_most(matcher, text):
    hits = [m for m in matcher.find_in_text(text) + matcher.match_name(text) if m.ref == LISTED]
    assert all(m.tier == "review" for m in hits), (text, hits)


def test_a_place_after_the_name_is_its_country(matcher):
    [ru] = [m for m in matcher.match_name("Testovy Zavod, Moscow") if m.ref == LISTED]
    assert ru.tier == "match" and ru.score == 1.0 and ru.extra == ()
    [by] = [m for m in matcher.match_name("Testovy Zavod, Minsk") if m.ref == LISTED]
    assert dict(by.features).get("country_mismatch", 0) < 0 and by.score < ru.score
    assert matcher.match_names(["Testovy Zavod, Moscow"], countries=["BY"])[0][0].features  # the column wins


def test_split_place_keeps_name_parts():
    assert split_place("Kalashnikov Concern, Izhevsk") == ("Kalashnikov Concern", "RU")
    assert split_place("Testovy Zavod OOO, Moscow, Russia") == ("Testovy Zavod OOO", "RU")
    assert split_place("Testovy Zavod JSC (Germany)") == ("Testovy Zavod JSC", "DE")
    for name in ("PUTIN, Vladimir Vladimirovich", "GRUPO FALCON DE PANAMA, S.A.", "Huawei Technologies Co., Ltd.",
                 "Moscow", ", Moscow"):
        assert split_place(name) == (name, None)


def _decide(query, alias, pairs, qused, aused):
    sc = Scored(0.9, pairs, frozenset(qused), frozenset(aused))
    return decide(sc, query, frozenset(), frozenset(), frozenset(), None, (), alias=alias)


def test_one_shared_word_and_a_word_of_each_side_is_held():
    d = _decide(("testovy", "holding"), ("testovy", "zavod"), [("testovy", "testovy", 1.0)], {0}, {0})
    assert d.tier == "review" and d.held_by == "other_words_differ" and d.extra == ("holding",)
    # one word in two forms (air / airlines, zavod / plant) or a place is no difference of its own
    for query, alias in ((("mahan", "airlines"), ("mahan", "air")), (("testovy", "plant"), ("testovy", "zavod")),
                         (("testovy", "moscow"), ("testovy", "kazan"))):
        assert _decide(query, alias, [(query[0], alias[0], 1.0)], {0}, {0}).tier == "match", query
    # a name that adds a word but keeps every listed word is judged by its score alone
    assert _decide(("testovy", "zavod", "holding"), ("testovy", "zavod"),
                   [("testovy", "testovy", 1.0), ("zavod", "zavod", 1.0)], {0, 1}, {0, 1}).tier == "match"
