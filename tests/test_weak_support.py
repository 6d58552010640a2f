"""Weak goods terms ("camera", "inverter", "computers") count with a word of trade or of a customs ruling
(reference_data/context/weak_support.yaml), except for the entries listed in its `not_for`. Texts written for
this test in the manner of enforcement releases and rulings; before the file each weak term of the first test was
dropped."""

from __future__ import annotations

import pytest

from screener.screen import screen_text


def _goods(screener, text: str) -> set[str]:
    return {g["text"].lower() for g in screen_text(screener, text)["goods"] if not g["negated"]}


@pytest.mark.parametrize("text, term", [
    ("The two men are accused of buying computers in Texas and exporting them to Dubai for reshipment to Iran.",
     "computers"),
    ("The merchandise subject to this ruling is an inverter, item number 1970725, in a metal housing.", "inverter"),
    ("The item in question is a charger that supplies power to the batteries of a forklift.", "charger"),
])
def test_a_weak_term_counts_in_trade_or_ruling_wording(screener, text, term):
    assert term in _goods(screener, text)


@pytest.mark.parametrize("text, term", [
    ("My old computers still work fine for writing letters.", "computers"),
    ("The inverter in the caravan hums at night.", "inverter"),
])
def test_without_such_words_a_weak_term_still_needs_its_own_context(screener, text, term):
    assert term not in _goods(screener, text)


@pytest.mark.parametrize("text, term", [
    ("The article is a poker set of 300 plastic chips and two card decks in a case. It is classified in "
     "9504.90.", "chips"),
    ("The merchandise is a skateboard with four urethane wheels with bearings.", "bearings"),
    ("Cognac XO, 1,000 bottles, for export to a duty-free shop.", "xo"),
])
def test_everyday_weak_words_keep_only_their_own_context(screener, text, term):
    assert term not in _goods(screener, text)


def test_trade_words_do_not_support_an_acronym(screener):
    """A weak acronym ("san": a storage area network) keeps only its own context: "San Francisco" is a city."""
    text = "The firm shipped the parcels from its depot near San Francisco last spring."
    assert "san" not in _goods(screener, text)
