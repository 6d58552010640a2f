"""Typo repair: which words count as ordinary English, and which lexicon word wins a tie."""

from __future__ import annotations

from bisect import bisect_left

import polars as pl
import pytest

from screener.match import typos
from screener.text.english import known_words
from screener.match.typos import _best_candidate, typo_repairs


def _repairs(screener, *texts: str) -> dict[str, str]:
    """word -> repair, over every place of every text (a word repaired two ways is an error here)."""
    repairs = typo_repairs(pl.DataFrame({"norm": [f" {t} " for t in texts]}), screener.index)
    out: dict[str, str] = {}
    for text in texts:
        tokens = f" {text} ".split(" ")
        for word, fixed in zip(tokens, repairs.fix(tokens)):
            if word != fixed:
                assert out.setdefault(word, fixed) == fixed, (word, fixed, out[word])
    return out


def _goods(screener, text: str) -> list[str]:
    return screener.score_frame([text]).features.row(0, named=True)["goods_ids"]


def _nearest(screener, word: str) -> list[str]:
    index = screener.index
    return typos.nearest(word, typos._tables(index.fuzzy_vocab, index))


def test_the_neighbouring_words_break_a_tie(screener):
    assert _nearest(screener, "macine") == ["machine", "marine"]  # the premise: one edit from both
    assert _repairs(screener, "cnc macine tool") == {"macine": "machine"}
    assert _repairs(screener, "4 macine engines") == {"macine": "marine"}
    assert "mt.cnc_machine" in _goods(screener, "2 units cnc macine tool, Almaty")
    assert "ind.marine_propulsion" in _goods(screener, "4 macine engines, 400 kW")


def test_a_tie_is_decided_where_the_word_stands_not_by_the_batch(screener):
    # the same typo beside "cnc ... tool" and beside "engines", in one batch: each place keeps its own repair,
    # however many texts of the other kind the batch holds (it used to follow the batch's majority)
    for n in (1, 5):
        texts = ["cnc macine tool"] + ["4 macine engines"] * n
        repairs = typo_repairs(pl.DataFrame({"norm": [f" {t} " for t in texts]}), screener.index)
        assert repairs.fix(" cnc macine tool ".split(" "))[2] == "machine"
        assert repairs.fix(" 4 macine engines ".split(" "))[2] == "marine"
    rows = ["2 units cnc macine tool, Almaty"] + ["4 macine engines, 400 kW"] * 7
    goods = screener.score_frame(rows).features["goods_ids"].to_list()
    assert "mt.cnc_machine" in goods[0]
    assert all("ind.marine_propulsion" in g for g in goods[1:])


def test_words_longer_than_any_lexicon_word_are_left_alone(screener):
    longest = max(map(len, screener.index.fuzzy_vocab))
    word = "machine" + "x" * (longest + 3 - len("machine"))
    assert _repairs(screener, f"one {word} here", "a " + "bearing" * 5000) == {}


def test_both_neighbours_count(screener):
    # "routing machine" and "edge rounding machine" are both terms: the word before decides
    assert set(_nearest(screener, "rouning")) == {"rounding", "routing"}
    assert _repairs(screener, "edge rouning machine") == {"rouning": "rounding"}


def test_without_context_the_word_more_entries_use_wins(screener):
    assert _repairs(screener, "macine") == {"macine": "machine"}  # in ~190 entries' terms, marine in ~15


def test_likelier_edit_wins_a_tie():
    # a doubled letter typed once, a swap of two letters: before a same-length substitution
    assert _best_candidate("controler", ["controlet", "controller"]) == "controller"
    assert _best_candidate("machnie", ["machnia", "machine"]) == "machine"
    assert _best_candidate("bearnig", ["bearnug", "bearing"]) == "bearing"
    # then the word more lexicon entries use; the neighbours come first of all
    assert _best_candidate("vaive", ["vaice", "vaile"], weight={"vaile": 3, "vaice": 1}) == "vaile"
    assert _best_candidate("vaive", ["vaice", "vaile"], {"vaice": 1}, {"vaile": 3, "vaice": 1}) == "vaice"
    assert _best_candidate("vaive", ["xaive"]) is None  # another first letter is never a typo


@pytest.mark.parametrize("word", ["value", "placing", "supplied", "violating", "sharing", "relied", "invoiced",
                                  "joists", "cartons", "importers", "sofas", "swage", "droned", "cuter"])
def test_ordinary_words_are_never_repaired(screener, word):
    assert word in known_words()
    assert _repairs(screener, f"the {word} of the order") == {}


def test_everyday_english_is_never_repaired(screener):
    from wordfreq import top_n_list

    vocab = set(screener.index.fuzzy_vocab)
    words = [w for w in top_n_list("en", 25000) if len(w) >= 5 and w.isascii() and w.isalpha() and w not in vocab]
    assert len(words) > 12000  # down to once per ~1.3 million words (Zipf 3.1)
    repaired = _repairs(screener, *(" ".join(words[i:i + 20]) for i in range(0, len(words), 20)))
    assert repaired == {}


def test_place_and_cue_words_are_never_repaired(screener):
    """Words our own place, cue and phrase patterns use ("belgien", "tashkent") are words, not typos of goods."""
    tables = typos._tables(screener.index.fuzzy_vocab, screener.index)
    words = [w for w in screener.index.other_words if w.isalpha() and w.isascii() and len(w) >= 5]
    found = typos.nearest_all(words, tables)
    near = sorted(w for w in words if found[w])
    assert len(near) >= 3, near  # some really are one edit from a lexicon word
    assert {"tashkent", "almaty", "yerevan"} <= screener.index.other_words
    assert _repairs(screener, *(f"shipped to {w} last week" for w in near)) == {}


def test_odd_dictionary_forms_do_not_hide_typos(screener):
    # web2/GCIDE stems with a suffix rule made these look like words; no one writes them
    known = known_words()
    for typo in ("macine", "munted", "bealing", "riller", "controler", "cuting"):
        assert typo not in known, typo
    assert _repairs(screener, "hull munted sonar") == {"munted": "mounted"}
    assert "nav.sonar_military" in _goods(screener, "hull munted sonar, 2 sets")


def test_only_exact_foreign_words_are_skipped(screener):
    index = screener.index
    near = typos.nearest_all(list(index.foreign_words), typos._tables(index.fuzzy_vocab, index))
    foreign = [f for f in index.foreign_words if near[f]]  # e.g. conector, one edit from connector
    assert foreign
    assert _repairs(screener, *foreign) == {}
    # a typo of an English word that starts with a foreign one (semi…) is repaired
    vocab = index.fuzzy_vocab
    ordered = sorted(vocab)
    starts = [(f, v) for f in index.foreign_words
              for v in ordered[bisect_left(ordered, f):bisect_left(ordered, f + "\uffff")] if len(v) >= len(f) + 5]
    assert starts
    typos_ = {v[:-2] + v[-1] + v[-2]: v for _, v in starts}  # the last two letters swapped
    typos_ = {t: v for t, v in typos_.items() if t not in vocab and t not in known_words()}
    repaired = _repairs(screener, *typos_)
    assert sum(repaired.get(t) == v for t, v in typos_.items()) >= 0.9 * len(typos_)
    assert _repairs(screener, "power semiconudctor chip") == {"semiconudctor": "semiconductor"}


def test_a_brand_cased_word_is_not_repaired_in_its_text(screener):
    # "ThermoTek" (a thermometer's brand) is two edits from "thermates" (thermite): written with a capital inside
    # it, it is a name, left as it is; the same word in lower case, in another row of the batch, is still repaired
    brand = 'The "ThermoTek Plus" measures body temperature within seconds, 200 pcs'
    plain = "thermotek powder, 20 kg"
    goods = screener.score_frame([brand, plain]).features["goods_ids"].to_list()
    assert "energ.thermite" not in goods[0]
    assert "energ.thermite" in goods[1]
    assert typos.brand_cased(pl.DataFrame({"row": [0], "text": ["iPhone case, ThermoTek, FPGA, Thermotek"]})
                             )["word"].to_list() == ["iphone", "thermotek"]


def test_screen_keeps_a_brand_cased_word_and_maps_spans_past_it(screener):
    from screener.screen import screen
    text = "ThermoTek probe and a cnc macine tool, 2 pcs"
    goods = screen(screener, text).goods
    assert [(g.text, g.matcher) for g in goods if g.entry_id == "mt.cnc_machine"] == [("cnc macine tool", "fuzzy")]
    assert not [g for g in goods if "ThermoTek" in g.text]
