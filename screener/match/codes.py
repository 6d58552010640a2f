"""Declared HS codes in the notations trade documents use.

`8542.31`, `854231`, `HS 8542 31 90`, `HTS 8542.31.0001`, `CN 85423190`, `tariff code 854231`,
`ТН ВЭД 8542 31 900 0`, `HS编码 85423190`. A bare dotted code (`8542.31`) counts when its code exists in
the HS table; a bare number without a prefix never does (it could be a price or a quantity).
"""

from __future__ import annotations

import polars as pl

_PREFIX = (
    r"(?:\bHS|\bH\.S\.|\bHTS(?:US)?|\bCN|\bTARIC|\bSchedule\s*B|\b[Tt]ariff|\bTARIFF|\b[Cc]ommodity|\bCOMMODITY"
    r"|\b[Cc]ustoms|\b(?:[Ss]ub)?[Hh]eading|\bТН\s*ВЭД(?:\s*ЕАЭС)?|\bТНВЭД|\bКН\s*ВЭД|\b[Zz]olltarif(?:nummer)?"
    r"|\b[Ww]arennummer|\bУКТ\s*ЗЕД|\bHS\s*コード|HSコード|関税番号|\bHS编码|海关编码|商品编码|商品编号|税则号列|税则号|税号)"
)
_WORDS = r"(?:[\s\-]*(?:[Cc]odes?|CODE|[Nn]o\.?|[Nn]r\.?|[Nn]umber|[Hh]eading|[Ss]ubheading|код|编码|号)){0,2}"
_DIGITS = r"(\d{4}(?:[ .\-]?\d{1,4}){0,4})"
PREFIXED = _PREFIX + _WORDS + r"\s*[:#.]?\s*" + _DIGITS
_CURRENCY = r"(?:USD|EUR|RUB|CNY|GBP|JPY|CHF|AED|usd|eur|rub|руб|US\$)"
BARE_DOTTED = r"(?:^|[^\w$€£¥.,])(?:" + _CURRENCY + r"\s*)?(\d{4}\.\d{2}(?:\.\d{2,4}){0,2})(?:$|[^\w.,]|[.,](?:\s|$))"
CODE_REGEX = f"(?:{PREFIXED})|(?:{BARE_DOTTED})"


def code_of(digits: pl.Expr) -> pl.Expr:
    """Six digits when given, else the four-digit heading."""
    return pl.when(digits.str.len_chars() >= 6).then(digits.str.slice(0, 6)).otherwise(digits.str.slice(0, 4))


def find_codes(texts: pl.DataFrame, known_codes: pl.Series) -> pl.DataFrame:
    """Declared codes per row: columns row, code, raw, prefixed (bool)."""
    found = (
        texts.select("row", raw=pl.col("text").str.extract_all(CODE_REGEX))
        .explode("raw").drop_nulls("raw")
        .with_columns(prefixed=pl.col("raw").str.contains(_PREFIX))
        .with_columns(digits=pl.col("raw").str.extract(_DIGITS + r"\D*$|" + r"(\d{4}\.\d{2}(?:\.\d{2,4}){0,2})")
                      .fill_null(pl.col("raw")).str.replace_all(r"\D", ""))
        .with_columns(code=code_of(pl.col("digits")))
        .filter(pl.col("prefixed") | (pl.col("code").is_in(known_codes.implode())
                                      & ~pl.col("raw").str.contains(_CURRENCY)))
    )
    return found.select("row", "code", raw=pl.col("raw").str.strip_chars(" \t\n,;()[]"), prefixed="prefixed")
