"""Declared HS codes in the notations trade documents use.

`8542.31`, `854231`, `HS 8542 31 90`, `HTS 8542.31.0001`, `CN 85423190`, `tariff code 854231`,
`ТН ВЭД 8542 31 900 0`, `HS编码 85423190`. A bare dotted code (`8542.31`) counts when its code exists in
the HS table; a bare number without a prefix never does (it could be a price or a quantity).

Customs layouts count without a prefix too, when their HS code exists (issue 19 #4): the CN and TARIC print
codes in spaced pairs (`8456 11 10`, `2804 69 00`, `8542 31 90 00`; the TN VED `8542 31 900 0`), the acts
mark partly covered codes `ex` (`ex 8473 30`), and a nomenclature line starts with its code and goes on with
its text (`8471500150 Processing units`, `8542 00 Electronic integrated circuits`). A code whose subheading
digits are `00` and that is no HS-6 code is its heading (`8482 00 00` is 8482). Numbers that only look like
these layouts stay out: a spaced run preceded by more digits or a `+` (a phone number), or by a word that
names another kind of number (`Tel.`, `Order no.`, `Invoice`), and a line-start number followed by a unit
(`848210 pcs`).
"""

from __future__ import annotations

import polars as pl

_PREFIX = (
    r"(?:\bHS|\bH\.S\.|\bHTS(?:US)?|\bCN|\bTARIC|\bSchedule\s*B|\b[Tt]ariff|\bTARIFF|\b[Cc]ommodity|\bCOMMODITY"
    r"|\b[Cc]ustoms|\b(?:[Ss]ub)?[Hh]eading|\bТН\s*ВЭД(?:\s*ЕАЭС)?|\bТНВЭД|\bКН\s*ВЭД|\b[Zz]olltarif(?:nummer)?"
    r"|\b[Ww]arennummer|\b[Uu]nterposition|\b[Ss]ous[- ]position|\b[Ss]ubpartida|\b[Ss]ottovoce"
    r"|\bУКТ\s*ЗЕД|\bHS\s*コード|HSコード|関税番号|\bHS编码|海关编码|商品编码|商品编号|税则号列|税则号|税号)"
)
_WORDS = r"(?:[\s\-]*(?:[Cc]odes?|CODE|[Nn]o\.?|[Nn]r\.?|[Nn]umber|[Hh]eading|[Ss]ubheading|код|编码|号)){0,2}"
_DIGITS = r"(\d{4}(?:[ .\-]?\d{1,4}){0,4})"
PREFIXED = _PREFIX + _WORDS + r"\s*[:#.]?\s*" + _DIGITS
_CURRENCY = r"(?:USD|EUR|RUB|CNY|GBP|JPY|CHF|AED|usd|eur|rub|руб|US\$)"
BARE_DOTTED = r"(?:^|[^\w$€£¥.,])(?:" + _CURRENCY + r"\s*)?(\d{4}\.\d{2}(?:\.\d{2,4}){0,2})(?:$|[^\w.,]|[.,](?:\s|$))"
CODE_REGEX = f"(?:{PREFIXED})|(?:{BARE_DOTTED})"

# --- customs layouts without a prefix ---
_SEP = "[ \u00a0]"
_SPACED_BODY = rf"\d{{4}}{_SEP}\d{{2}}{_SEP}(?:\d{{2}}(?:{_SEP}\d{{2}})?|\d{{3}}{_SEP}\d)"
# what stands before a spaced code: a word ("Order no."), a run of digits ("+7 495 "), or nothing
_LEAD = rf"(?:\p{{L}}{{1,12}}\.?{_SEP}*[:#№]?{_SEP}*|[+\d][\d \u00a0()+\-]*{_SEP})?"
_EX = rf"\b[Ee][Xx]{_SEP}*\d{{4}}(?:[ \u00a0.]?\d{{2}}){{0,4}}\b"
_LINE = rf"^[\t \"'*•\-]*\d{{4}}(?:{_SEP}?\d{{2}}){{1,4}}{_SEP}*[-–—:]?{_SEP}*\p{{L}}+"
LAYOUT_REGEX = rf"(?m)(?:{_EX})|(?:{_LINE})|(?:{_LEAD}{_SPACED_BODY}\b)"
# a cheap test first: only rows with four digits and two more after a space, or six in a row, can hold one
_LAYOUT_HINT = rf"\d{{4}}{_SEP}?\d{{2}}"
_BODY = rf"(\d{{4}}(?:[ \u00a0.]?\d{{2,3}}){{0,4}}(?:{_SEP}\d)?)"
# words that name another kind of number before a spaced run of digits (lower case, without dots)
NUMBER_WORDS = frozenset("""
    tel tél tlf phone telephone telefon fax mob mobile cell whatsapp тел телефон факс моб
    no nr nº number num order po invoice inv ref reference art article artikel part pn sku item model type
    lot batch serial sn id account acct iban swift bic date dated zip postcode box room tracking awb container
    seal booking contract заказ счет счёт договор арт артикул
""".split())
# units after a number at the start of a line: a quantity, not a code
UNIT_WORDS = frozenset("""
    pcs pc pce pces pieces piece units unit sets set pairs pair rolls roll boxes box cartons ctns ctn bags bag
    kg g t mt tons tonnes ton m mm cm km l ml lbs lb ea each x шт штук кг тн stück stk st usd eur rub cny
""".split())


def code_of(digits: pl.Expr, known: pl.Series | None = None) -> pl.Expr:
    """Six digits when given, else the four-digit heading; `8482 00 00` is heading 8482 when 848200 is no
    HS-6 code (`known`)."""
    six = digits.str.slice(0, 6)
    head = digits.str.slice(0, 4)
    out = pl.when(digits.str.len_chars() >= 6).then(six).otherwise(head)
    if known is None:
        return out
    zeros = (digits.str.len_chars() >= 6) & (digits.str.slice(4, 2) == "00") & ~six.is_in(known.implode())
    return pl.when(zeros).then(head).otherwise(out)


def _layout_codes(texts: pl.DataFrame, known_codes: pl.Series) -> pl.DataFrame:
    """Codes in customs layouts without a prefix: spaced CN/TARIC, `ex` codes, codes that start a line."""
    m = (texts.filter(pl.col("text").str.contains(_LAYOUT_HINT))
         .select("row", m=pl.col("text").str.extract_all(LAYOUT_REGEX))
         .explode("m").drop_nulls("m"))
    if m.is_empty():
        return pl.DataFrame(schema={"row": pl.Int64, "code": pl.String, "raw": pl.String, "prefixed": pl.Boolean})
    m = m.with_columns(
        body=pl.col("m").str.extract(_BODY).str.replace_all("\u00a0", " "),
        ex=pl.col("m").str.contains(r"^[Ee][Xx]\b") | pl.col("m").str.contains(r"\b[Ee][Xx][ \u00a0]*\d{4}"),
        lead=pl.col("m").str.extract(r"^(\D*)\d").str.strip_chars(" \u00a0.:#№\t\"'*•-")
            .str.to_lowercase(),
        digit_lead=pl.col("m").str.contains(r"^[+\d][\d \u00a0()+\-]*[ \u00a0]\d{4}[ \u00a0]\d{2}[ \u00a0]"),
        tail=pl.col("m").str.extract(r"(\p{L}+)$").str.to_lowercase(),
        line=pl.col("m").str.contains(rf"^[\t \"'*•\-]*\d{{4}}(?:{_SEP}?\d{{2}}){{1,4}}{_SEP}*[-–—:]?{_SEP}*\p{{L}}+$"),
    )
    spaced = pl.col("body").str.contains(rf"^{_SPACED_BODY}$")
    ok = (
        pl.col("ex")
        | (pl.col("line") & ~pl.col("tail").is_in(list(UNIT_WORDS)) & ~pl.col("lead").is_in(list(NUMBER_WORDS)))
        | (spaced & ~pl.col("digit_lead") & ~pl.col("lead").is_in(list(NUMBER_WORDS)))
    )
    # (a line that starts with a bare four digits and a pair, `2024 05 Report`, is a code only when the
    # pair is 00 or the six digits are a subheading: the known-code test below decides)
    found = (m.filter(ok)
             .with_columns(digits=pl.col("body").str.replace_all(r"\D", ""))
             .with_columns(code=code_of(pl.col("digits"), known_codes))
             .filter(pl.col("code").is_in(known_codes.implode())))
    raw = pl.when(pl.col("ex")).then(pl.concat_str([pl.lit("ex "), pl.col("body")])).otherwise(pl.col("body"))
    return found.select("row", "code", raw=pl.col("m").str.extract(r"((?:[Ee][Xx][ \u00a0]*)?\d[\d \u00a0.]*\d)")
                        .fill_null(raw), prefixed=pl.lit(False))


def find_codes(texts: pl.DataFrame, known_codes: pl.Series) -> pl.DataFrame:
    """Declared codes per row: columns row, code, raw, prefixed (bool)."""
    found = (
        texts.select("row", raw=pl.col("text").str.extract_all(CODE_REGEX))
        .explode("raw").drop_nulls("raw")
        .with_columns(prefixed=pl.col("raw").str.contains(_PREFIX))
        .with_columns(digits=pl.col("raw").str.extract(_DIGITS + r"\D*$|" + r"(\d{4}\.\d{2}(?:\.\d{2,4}){0,2})")
                      .fill_null(pl.col("raw")).str.replace_all(r"\D", ""))
        .with_columns(code=code_of(pl.col("digits"), known_codes))
        .filter(pl.col("prefixed") | (pl.col("code").is_in(known_codes.implode())
                                      & ~pl.col("raw").str.contains(_CURRENCY)))
    )
    found = found.select("row", "code", raw=pl.col("raw").str.strip_chars(" \t\n,;()[]"), prefixed="prefixed")
    layout = _layout_codes(texts, known_codes)
    if layout.is_empty():
        return found
    both = pl.concat([found, layout.cast(found.schema)], how="vertical")
    # a code found both ways keeps its first reading (the prefixed one), in the row's order
    return both.with_row_index("_i").unique(["row", "code"], keep="first").sort("row", "_i").drop("_i")
