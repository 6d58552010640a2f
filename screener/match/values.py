"""Stated values per item: "EUR 1,200 each", "unit price EUR 120", "valued at $300 or more per item".

The EU luxury-goods ban (Annex XVIII to Reg. 833/2014) applies above a value per item (EUR 300 by default);
a text that states one lets the rules compare it with the threshold of its goods' list entries. Only
values the text ties to one item count: a total ("invoice value EUR 48,000") says nothing per item.
Amounts in EUR, USD, GBP and CHF are compared as they are, near enough to par for screening (the
screener holds no exchange rates); other currencies are not compared. Texts with no currency sign or
word are not looked at.
"""

from __future__ import annotations

import polars as pl

_CUR = r"(?:EUR|€|euros?|евро|欧元|USD|US\$|\$|dollars?|долл(?:аров|\.)?|美元|GBP|£|CHF)"
_AMOUNT = r"\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MONEY = rf"(?:{_CUR}\s?(?:{_AMOUNT})|(?:{_AMOUNT})\s?{_CUR})"
_PER_AFTER = (r"\s*(?:or more\s*)?(?:each|ea\b|apiece|a (?:piece|pair|set|bottle)|"
              r"per (?:item|piece|unit|pc|pcs|pair|bottle|set|pack|can|box|carton)|al paio|al pezzo|"
              r"/\s?(?:pc|pcs|piece|unit|item|ea|stk|stück|шт)\b|pro (?:stück|stk)|je stück|par pièce|la pièce|"
              r"pièce|la paire|cada uno|por unidad|la unidad|el par|cad\.|pro paar|"
              r"за (?:штуку|шт|единицу|пару|бутылку))")
_PER_BEFORE = (r"(?:unit price|unit value|price per (?:item|piece|unit)|value per (?:item|piece|unit)|per item|"
               r"item value|each valued at|valued at|each at|stückpreis|einzelpreis|prix unitaire|precio unitario|"
               r"prezzo unitario|цена за (?:штуку|единицу)|单价|每件|每双|每个|每瓶|每套|\\bje|\\bпо)"
               r"\s*[:=]?\s*(?:of\s*)?")
VALUE_REGEX = rf"(?i)(?:{_PER_BEFORE}{_MONEY}|{_MONEY}{_PER_AFTER})"
_COMPARED = {"eur", "€", "euro", "euros", "евро", "欧元", "usd", "us$", "$", "dollar", "dollars", "долл", "долл.",
             "долларов", "美元", "gbp", "£", "chf"}
_MARKERS = ["eur", "€", "$", "usd", "gbp", "£", "chf", "dollar", "евро", "欧元", "долл", "美元"]
VALUE_SCHEMA = {"row": pl.UInt32, "raw": pl.String, "amount": pl.Float64}


def find_values(texts: pl.DataFrame) -> pl.DataFrame:
    """Per-item values per row: row, raw (the words that state it), amount (in a compared currency)."""
    holding = texts.filter(pl.col("text").str.to_lowercase().str.contains_any(_MARKERS))
    found = (holding.select("row", raw=pl.col("text").str.extract_all(VALUE_REGEX))
             .explode("raw").drop_nulls("raw"))
    if found.is_empty():
        return pl.DataFrame(schema=VALUE_SCHEMA)
    amounts = [amount_of(raw) for raw in found["raw"].to_list()]
    return found.with_columns(amount=pl.Series(amounts, dtype=pl.Float64)).drop_nulls("amount").cast(VALUE_SCHEMA)


def amount_of(raw: str) -> float | None:
    """The amount stated in `raw`, when its currency is one compared; thousands separators understood."""
    import re

    currency = re.search(_CUR, raw, flags=re.I)
    number = re.search(_AMOUNT, raw)
    if currency is None or number is None or currency.group(0).lower() not in _COMPARED:
        return None
    digits = number.group(0)
    head, sep, tail = digits.rpartition(",") if "," in digits[-3:] else digits.rpartition(".")
    if sep and len(tail) in (1, 2):  # a decimal part: "120.50", "120,5"
        return float(re.sub(r"\D", "", head) + "." + tail)
    return float(re.sub(r"\D", "", digits))
