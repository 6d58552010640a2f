"""The goods of the sanctions goods lists are findable in text: every list row is named by some lexicon entry,
the everyday words lead to the right list, and ordinary wording stays silent."""

from __future__ import annotations

import polars as pl
import pytest

from screener.lexicon.load import lexicon_files, load_entries
from screener.reference.paths import reference_dir

GOODS_LISTS = ["EU833-XVII", "EU833-XVIII", "EU833-XXI", "US-RU-IMPORT-BAN"]


def test_every_row_of_the_goods_lists_is_named_by_a_lexicon_entry(screener):
    """A row is findable when an entry names one of the HS-6 codes it covers (goods -> code -> list row)."""
    ref = screener.reference
    named = {code for e in ref.entries.values() for code in e.hs6}
    rows = ref.coverage.filter(pl.col("list").is_in(GOODS_LISTS)).group_by("list", "entry", "category").agg("hs6")
    unnamed = [(r["list"], r["entry"]) for r in rows.iter_rows(named=True) if not set(r["hs6"]) & named]
    assert rows.height > 600 and not unnamed, unnamed[:20]


@pytest.mark.parametrize("text,entry,tag", [
    ("Mink coat, ladies, size 42", "lux.apparel", "EU833-XVIII"),
    ("Fur jacket with fox collar", "lux.fur_garments", "EU833-XVIII"),
    ("articles of apparel of furskin, 12 pcs", "lux.fur_garments", "EU833-XVIII"),
    ("Diving regulator, first stage, DIN 300 bar", "lux.scuba_breathing", "EU833-XVIII"),
    ("Scuba gear, 20 sets", "cons.scuba", "EU833-XVIII"),
    ("Sneakers, 500 pairs, sizes 38-45", "cons.sports_footwear", "EU833-XVIII"),
    ("Кроссовки мужские, 300 пар", "cons.sports_footwear", "EU833-XVIII"),
    ("Cognac XO, 120 bottles", "lux.spirits", "EU833-XVIII"),
    ("Vodka, 40 % vol, 2,000 bottles", "lux.spirits", "EU833-XXI"),
    ("Rough diamonds, 1,200 carats", "lux.gemstones", "EU833-XVIII"),
    ("Birch plywood sheets, 18 mm, 40 m3", "comm.plywood", "EU833-XXI"),
    ("Березовая фанера ФК 18 мм, 2 вагона", "comm.plywood", "EU833-XXI"),
    ("桦木胶合板 18mm 200立方米", "comm.plywood", "EU833-XXI"),
    ("Potash, granular, 25,000 t", "comm.potash", "EU833-XXI"),
    ("Kalidünger, 5.000 t, lose", "comm.potash", "EU833-XXI"),
    ("Hot rolled coil, S235, 3,000 t", "mat.flat_rolled_steel", "EU833-XVII"),
    ("Welded steel pipes, 219 x 6 mm, 800 t", "comm.steel_pipes", "EU833-XVII"),
    ("Thermal coal, 6,000 kcal, 70,000 t", "comm.coal", "EU833-XXI"),
    ("Sockeye salmon fillets, frozen, 20 t", "comm.salmon", "US-RU-IMPORT-BAN"),
    ("Red king crab, frozen clusters, 12 t", "comm.crab", "US-RU-IMPORT-BAN"),
    ("Saumon fumé, 500 kg", "comm.salmon", "US-RU-IMPORT-BAN"),
    ("Tauchausrüstung: Atemregler und Neoprenanzug", "cons.scuba", "EU833-XVIII"),
    ("Abrigo de visón, talla 40", "lux.fur_garments", "EU833-XVIII"),
])
def test_everyday_words_find_the_goods_and_their_list(screener, text, entry, tag):
    feats = screener.score_frame([text]).features.row(0, named=True)
    assert entry in feats["goods_ids"], (text, feats["goods_ids"])
    assert any(c == tag or c.startswith(tag + ":") for c in feats["ctl_inferred"]), (text, feats["ctl_inferred"])


@pytest.mark.parametrize("text,not_entries", [
    ("Milling machine with a welded steel frame and cast iron base", ["comm.steel_pipes", "comm.steel_products"]),
    ("Wine red colour paint, 20 l", ["lux.wine"]),
    ("Payment COD, delivery within 5 days", ["comm.cod"]),
    ("The visit was meant to cement ties between the two governments", ["comm.cement"]),
    ("Chips for smoking meat, hickory", ["cons.suits_dresses"]),
    ("Rucola, frisch, 125 g Schale", ["cons.clothing_accessories"]),
    ("电子元器件一批，发往哈萨克斯坦", ["cons.musical_instruments"]),
    ("Предохранители плавкие 5×20 мм", ["cons.sportswear"]),
    ("Prices of memory chips stayed tight as supply fell", ["cons.underwear"]),
    ("The firms used shell companies to skirt the sanctions", ["cons.suits_dresses"]),
    ("Polyethylene and ethylene vinyl acetate film", ["comm.basic_chemicals"]),
    ("聚乙烯薄膜 500公斤", ["comm.basic_chemicals"]),
    ("Selon le parquet, les marchandises étaient déclarées comme pièces de rechange", ["comm.wood_products"]),
])
def test_ordinary_wording_stays_silent(screener, text, not_entries):
    found = screener.score_frame([text]).features.row(0, named=True)["goods_ids"]
    assert not set(found) & set(not_entries), (text, found)


def test_new_entries_use_the_categories_no_dual_use_rule_reads():
    """Everyday and bulk goods of the lists are `consumer_goods` or `commodities`, which no rule of the dual-use
    pack fires on: a T-shirt or a coal cargo must not score like a controlled good before the list rules weigh
    direction and value."""
    files = [reference_dir() / "lexicon" / n for n in ("sanctions_luxury.yaml", "sanctions_imports.yaml")]
    cats = {e.id: e.category for e in load_entries(lexicon_files(*files))}
    assert {c for i, c in cats.items() if i.startswith(("cons.", "comm."))} == {"consumer_goods", "commodities"}
    # (everyday items of the luxury list, such as cider, crystal glasses or clocks, are consumer goods: a
    # destination or a value decides them, not the goods alone)
    assert {c for i, c in cats.items() if i.startswith("lux.")} == {"luxury", "consumer_goods"}
