"""Russian terms are found in their case forms, stems do not open onto other lexemes, labels are joinable."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from screener.lexicon.load import LexiconError, load_entries
from screener.lexicon.model import LexiconEntry
from screener.lexicon.forms import padded_forms

# Real phrases (case forms other than the one written in the lexicon) and the entry each must find.
INFLECTED = [
    ("Поставка газовых турбин для электростанций", "ind.gas_turbine"),
    ("Запасные части для газовых турбин", "ind.gas_turbine"),
    ("Партия микросхем, 3000 шт", "ic.integrated_circuit"),
    ("с шариковыми подшипниками", "bearing.ball"),
    ("поставки подшипников в Казахстан", "bearing.generic"),
    ("упорных подшипников, 200 шт", "bearing.thrust_ball"),
    ("закупка станков с ЧПУ", "mt.cnc_machine"),
    ("токарных станков", "mt.lathe"),
    ("20 бочек нитроцеллюлозы", "energ.nitrocellulose"),
    ("производство беспилотников", "uav.drone"),
    ("поставки артиллерийских снарядов", "mun.artillery_shell"),
    ("партия тепловизоров", "opt.thermal_imager"),
    ("цифровых осциллографов", "test.oscilloscope"),
    ("ракетного топлива", "energ.rocket_fuel"),
    ("крылатых ракет", "mun.missile"),
    ("датчиков давления", "ic.pressure_sensor"),
    ("взрывчатых веществ", "energ.explosive"),
    ("некоторые измерительные и контрольные приборы", "test.measuring_checking"),
]


def _goods_ids(screener, text: str) -> list[str]:
    """The lexicon entries found in one text."""
    return screener.score_frame([text]).features["goods_ids"].to_list()[0]


@pytest.mark.parametrize("text,entry_id", INFLECTED, ids=[t for t, _ in INFLECTED])
def test_inflected_russian_is_found(screener, text, entry_id):
    ids = _goods_ids(screener, text)
    assert entry_id in ids, (text, ids)


def test_artillery_shells_are_one_term(screener):
    ids = _goods_ids(screener, "поставки артиллерийских снарядов")
    assert list(ids) == ["mun.artillery_shell"], ids


def test_a_phrase_covers_the_single_word_stem(screener):
    """"сигнальные ракеты" are pyrotechnics; the phrase's match must swallow the stem "ракет" (missiles)."""
    ids = _goods_ids(screener, "сигнальные ракеты, 100 шт")
    assert "energ.pyrotechnics" in ids and "mun.missile" not in ids, ids


# Words that begin with a lexicon stem but are other lexemes (recorded as blockers with their reasons).
SILENT = [
    ("Теннисная ракетка Wilson, 10 шт", "mun.missile"),
    ("ракетки для бадминтона Yonex", "mun.missile"),
    ("прокат картингов и картинг-центр", "lux.art"),
    ("планерка в отделе продаж", "aero.balloons_gliders"),
    ("искусственный интеллект для бизнеса", "brand.intel"),
    ("мотороллер Вятка, 1 шт", "brand.radio_vendors"),
    ("Станкевич заявил журналистам", "mt.machine_tool"),
    ("ракетница сигнальная, 10 шт", "mun.missile"),
    ("ракетчики на параде", "mun.missile"),
    ("патронташ кожаный охотничий", "mun.ammunition"),
]


@pytest.mark.parametrize("text,entry_id", SILENT, ids=[t for t, _ in SILENT])
def test_other_lexemes_stay_silent(screener, text, entry_id):
    ids = _goods_ids(screener, text)
    assert entry_id not in ids, (text, ids)


def test_forms_decline_adjectives_and_cut_the_last_word():
    patterns = {p for p, _ in padded_forms("газовая турбина", "ru")}
    assert " газовых турбин" in patterns and " газовые турбин" in patterns
    patterns = {p for p, _ in padded_forms("станок с чпу", "ru")}
    assert " станков с чпу " in patterns and " станками с чпу " in patterns
    # a name is not cut at an oblique-case ending, nor is a short word opened up
    assert {p for p, _ in padded_forms("суперкам", "ru")} == {" суперкам"}
    assert {p for p, _ in padded_forms("ром", "ru")} == {" ром "}
    # a vowel-final stem alone gets whole case forms, not an open prefix (грузи- would find грузить)
    patterns = {p for p, _ in padded_forms("грузия", "ru")}
    assert " грузии " in patterns and " грузи" not in patterns


def test_loader_reports_terms_that_share_a_case_form(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(
        "entries:\n- {id: x.a, label: A, category: industrial, i18n: {ru: [шаров кран]}}\n"
        "- {id: x.b, label: B, category: industrial, i18n: {ru: [шаровой кран]}}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="shares a case form"):
        load_entries([tmp_path / "a.yaml"])


def test_label_with_the_goods_separator_is_rejected():
    with pytest.raises(ValidationError, match="must not contain ';'"):
        LexiconEntry(id="x.a", label="Acetone (solvent; precursor)", category="chemicals", strong=["acetone"])


def test_bundled_labels_are_joinable():
    from screener.lexicon.load import lexicon_files
    from screener.reference.paths import reference_dir

    bad = [e.id for e in load_entries(lexicon_files(reference_dir() / "lexicon")) if ";" in e.label]
    assert not bad, bad


@pytest.mark.parametrize("text", ["Ceramic ball bearings 6205 hybrid", "Hybrid ceramic ball bearing 608",
                                  "керамические шарикоподшипники 6205"])
def test_ceramic_ball_bearings_are_the_ceramic_entry(screener, text):
    ids = _goods_ids(screener, text)
    assert "bearing.ceramic" in ids and "bearing.ball" not in ids, ids


@pytest.mark.parametrize("text", ["Mess- und Prüfgeräte für die Qualitätskontrolle", "测量和检验仪器 10台",
                                  "measuring and checking instruments, 4 units", "поставка средств измерений"])
def test_measuring_and_checking_instruments(screener, text):
    ids = _goods_ids(screener, text)
    assert "test.measuring_checking" in ids, ids


def test_standard_cell_ics_need_ic_context(screener):
    found = screener.score_frame(["Toshiba TC22SC standard cell series; the devices use active components",
                                  "Weston standard cell, saturated, voltage reference"]).features["goods_ids"].to_list()
    assert "ic.asic" in found[0] and "ic.asic" not in found[1], found
