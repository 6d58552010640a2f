"""The article the project started from: high or critical, its goods found with spans, codes and lists."""

import json
import pytest

from click.testing import CliRunner

from screener.cli import cli


def test_blinken_article(shared_dir):
    path = shared_dir / "examples" / "blinken-beijing-dual-use.txt"
    result = CliRunner().invoke(cli, ["screen", "--file", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = path.read_text(encoding="utf-8")
    assert data["band"] in ("high", "critical")
    found = {g["text"].lower(): g for g in data["goods"] if not g["negated"]}
    for word, prefixes in (("machine tools", ("845", "846")), ("microelectronics", ("8542",)),
                           ("nitrocellulose", ("391220",))):
        g = found[word]
        assert text[g["start"]:g["end"]].lower() == word
        assert any(h.startswith(prefixes) for h in g["hs"]), (word, g["hs"])
    codes = {c["code"]: c for c in data["hs_codes"]}
    assert "391220" in codes and any(c["list"] == "CHPL" for code in codes.values() for c in code["controls"])
    assert data["rules"] and all(r["evidence"] for r in data["rules"])


# Article relevance by topic (issue 19 #5): goods words outside trade stay below `medium`; the same goods with a
# word of trade, a destination in a trade sense or a listed party keep their weight. (On main before this work
# the first, third and fourth of OFF_TRADE were `medium`.)
OFF_TRADE = [
    "Ukrainian troops shot down two Shahed drones near the frontline overnight, the air force said.",
    "In the new video game, players assemble FPGA boards and oscilloscopes to repair a starship.",
    "The chef served the dish with a side of potato crisps and a glass of fine wine at the restaurant.",
    "The football club installed thermal imaging cameras at the stadium to count fans.",
]
ON_TRADE = [
    "Ukrainian troops found Western microchips in a downed Russian drone; investigators say the chips were exported "
    "via Kazakhstan.",
    "The football club's owner was charged with exporting thermal imaging cameras to Russia without a licence.",
    "Thermal imaging cameras, 40 pcs, for the stadium in Minsk",
]


def _band(screener, text):
    from screener.screen import screen_text

    return screen_text(screener, text)["band"]


def test_goods_words_outside_trade_stay_low(screener):
    assert [_band(screener, t) for t in OFF_TRADE] == ["none"] * len(OFF_TRADE)


def test_the_same_goods_in_trade_keep_their_weight(screener):
    assert all(_band(screener, t) in ("high", "critical") for t in ON_TRADE)


def test_article_floors_on_the_tuning_sets(screener):
    """The article sets of the tuning part (issue 19): F1 no lower than before the topic guard."""
    from pathlib import Path

    from screener.evaluate import evaluate_dataset

    data = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
    articles = evaluate_dataset(screener, data / "articles.jsonl")[0]["overall"]
    sanctions = evaluate_dataset(screener, data / "sanctions_articles.jsonl")[0]["overall"]
    assert articles["f1"] >= 0.97 and articles["recall"] >= 0.98, articles
    assert sanctions["f1"] >= 0.97 and sanctions["fpr"] <= 0.09, sanctions


# Article-length paragraphs (50 words or more) that name listed goods with nothing of trade: the prose clause of
# `not_about_trade` (rules/conditions.yaml). Written for this test; on main before it each was `medium` or above.
LONG_OFF_TRADE = [
    # a phone review
    "Battery life decides most buying choices this year. The flagship we tested pairs a new application processor "
    "with fast memory, and in our video loop it lasted almost two days. The camera module is the weak point: night "
    "shots are soft, and the image sensor struggles when the light changes quickly indoors.",
    # a plant expansion
    "The maker of ball bearings said on Tuesday it will spend 40 million dollars to enlarge its plant in the county, "
    "adding heat treatment and a second grinding line for tapered roller bearings. The expansion is expected to "
    "create 120 jobs over three years, and the company thanked local officials for their help with training grants.",
    # a chip fab and a subsidy, no export angle
    "Ground was broken on Friday for two new chip fabs outside the city, the largest private investment the state "
    "has seen. Officials said the integrated circuits made there will go into cars, phones and data centres, and "
    "that the project will need thousands of construction workers and hundreds of engineers when it opens.",
]
# The same length with a word of trade or a destination in a trade sense: the goods count.
LONG_ON_TRADE = [
    LONG_OFF_TRADE[1].replace("heat treatment", "heat treatment for bearings exported to Russia through Armenia"),
    LONG_OFF_TRADE[2] + " Prosecutors say a broker smuggled the same integrated circuits to a sanctioned buyer.",
]


def test_article_length_paragraphs_without_trade_stay_low(screener):
    from screener.features import word_counts
    import polars as pl

    assert min(word_counts(pl.Series(LONG_OFF_TRADE)).to_list()) >= 50
    assert all(_band(screener, t) in ("none", "low") for t in LONG_OFF_TRADE)


def test_article_length_paragraphs_about_trade_keep_their_goods(screener):
    assert all(_band(screener, t) in ("medium", "high", "critical") for t in LONG_ON_TRADE)


def test_a_goods_line_without_trade_words_still_counts(screener):
    """Shorter than an article: a catalogue entry or a ruling's description keeps its goods rules."""
    assert _band(screener, "Field programmable gate arrays, Artix-7 family, 100k logic cells, for industrial "
                           "control boards") in ("medium", "high", "critical")


# A customs ruling describes the one product it classifies, sometimes at article length: its wording keeps it a
# goods text. Written for this test in a ruling's manner (50 words or more, no trade word, no code in the text).
LONG_RULING = ("The merchandise under consideration is a programmable logic controller module, part number PLC-220, "
               "which consists of a plastic housing, a printed circuit board with a 32-bit microcontroller, two "
               "Ethernet ports and sixteen digital inputs. The module is mounted on a DIN rail and directs the motors "
               "and valves of a packaging line in a factory.")


def test_a_long_ruling_description_keeps_its_goods(screener):
    from screener.features import word_counts
    import polars as pl

    assert word_counts(pl.Series([LONG_RULING]))[0] >= 50
    assert _band(screener, LONG_RULING) in ("medium", "high", "critical")
    assert _band(screener, LONG_RULING.replace("The merchandise under consideration is", "Meet")) in ("none", "low")


def test_a_screened_article_says_which_guard_held_its_goods_rules_back(screener):
    """The goods of a phone review are listed, no goods rule fires, and `held_back` names the guard and the
    rules it held back; a shipment line to Moscow holds nothing back."""
    from screener.screen import screen_text

    result = screen_text(screener, LONG_OFF_TRADE[0])
    assert result["goods"] and not result["rules"]
    held = {h["rule"] for h in result["held_back"] if h["condition"] == "not_about_trade"}
    assert {"chpl-tier-1-2", "chpl-tier-3-4"} <= held
    assert screen_text(screener, "500 pcs FPGA XC7A100T-1CSG324C to Moscow")["held_back"] == []


# News that reports what someone said, in a few sentences, with goods and a sanctioned country but no trade:
# written for this test in the manner of battlefield reporting (`news_report` in rules/phrase_sets.yaml).
SHORT_NEWS_OFF_TRADE = [
    "Russia attacked the city overnight with twelve drones and a cruise missile, the air force said on Monday.",
    "Ukrainian troops shot down three reconnaissance drones near Kharkiv, according to the regional governor.",
]
# The same reports with a word of trade: the goods and the destination count.
SHORT_NEWS_ON_TRADE = [
    "Iran supplied the drones that Russia used overnight, the air force said on Monday.",
    "Двигатели для беспилотников закупали через посредников для России, сообщили следователи.",
]


def test_a_short_news_report_without_trade_stays_low(screener):
    assert [_band(screener, t) for t in SHORT_NEWS_OFF_TRADE] == ["none"] * len(SHORT_NEWS_OFF_TRADE)


def test_a_short_news_report_about_trade_keeps_its_goods(screener):
    assert all(_band(screener, t) in ("medium", "high", "critical") for t in SHORT_NEWS_ON_TRADE)


@pytest.mark.parametrize("text, word", [
    ("фирма закупала микроконтроллеры, минуя санкционные ограничения", "закупала"),  # a stem with its ending
    ("وفرضت الولايات المتحدة العقوبات على الشركة", "العقوبات"),  # Arabic: the article before the word
    ("輸出規制の対象となる半導体", "輸出"),  # Japanese: inside a run of characters
])
def test_trade_words_match_as_their_language_writes_them(screener, text, word):
    from screener.screen import screen

    assert word in {p.text for p in screen(screener, text).phrases}


# Manifest lines (in the manner of ../shared/bench): a shipping document's words (shipper, PO, net weight, said to
# contain) make a line a shipment even when it also names a video game or a kitchen, and its counts of pieces keep
# a bill of lading's "SAID" from reading as reported speech. Each was `none` before the shipping words counted.
MANIFEST_LINES = [
    "TRAVEL VIDEO GAME CONSOLE / PRECISION GNSS RECEIVER FROM ALMATY USE 3674 CARTONS PO#2770837",
    "Kitchen toaster and dual use flight controller po#3689677 notify order components pcs contract drums korea",
    "SHIPPER SAID TO CONTAIN 40 CARTONS FPGA XC7A100T AND KITCHEN TOWELS, NET WEIGHT 210 KG",
]


def test_a_manifest_line_is_a_shipment_whatever_else_it_names(screener):
    assert all(_band(screener, t) in ("medium", "high", "critical") for t in MANIFEST_LINES), [
        _band(screener, t) for t in MANIFEST_LINES]
