"""Every main goods family is found in Russian, German and Chinese, as in English."""

from __future__ import annotations

import pytest

CASES = {
    "microelectronics": {
        "ru": "Микросхемы интегральные, 3000 шт, поставка со склада",
        "de": "Integrierte Schaltungen (Mikrocontroller), 3000 Stück ab Lager",
        "zh": "集成电路 3000个 现货供应",
    },
    "bearings": {
        "ru": "Подшипники шариковые радиальные, 2000 шт",
        "de": "Kugellager, einreihig, 2000 Stück",
        "zh": "深沟球轴承 2000套",
    },
    "machine_tools": {
        "ru": "Станок с ЧПУ токарный, 2 единицы",
        "de": "Werkzeugmaschine: CNC-Drehmaschine, 2 Einheiten",
        "zh": "数控机床 2台，含数控系统",
    },
    "energetics": {
        "ru": "Нитроцеллюлоза, 20 бочек",
        "de": "Nitrocellulose, 20 Fässer",
        "zh": "硝化纤维 20桶",
    },
    "passive_components": {
        "ru": "Конденсаторы керамические многослойные, 100000 шт",
        "de": "Keramikkondensatoren, 100000 Stück",
        "zh": "陶瓷电容器 100000只",
    },
    "connectors": {
        "ru": "Разъемы цилиндрические, 500 шт",
        "de": "Steckverbinder, rund, 500 Stück",
        "zh": "连接器 500个",
    },
    "navigation": {
        "ru": "Навигационный приемник ГЛОНАСС, 50 шт",
        "de": "Navigationsempfänger mit Kreiselkompass, 50 Stück",
        "zh": "导航接收机 50台",
    },
    "uav": {
        "ru": "Беспилотный летательный аппарат, 10 шт",
        "de": "Drohnen für Luftaufnahmen, 10 Stück",
        "zh": "无人机 10架",
    },
}


@pytest.mark.parametrize("family,lang", [(f, lang) for f, langs in CASES.items() for lang in langs])
def test_family_found_in_language(screener, family, lang):
    text = CASES[family][lang]
    cats = screener.score_frame([text]).features["goods_cats"].to_list()[0]
    assert family in cats or (family == "microelectronics" and "discrete_semiconductors" in cats), (text, cats)
