"""Company names in a text, so that goods words inside them are not taken for goods.

"Paper notebooks, consignee Kalashnikov Concern, Minsk" ships no rifles; "Silk Road Components FZE" no
components. A name is one to four capitalised words ending in a legal form (rigour's org types) or in a word
that names a company (Concern, Group, Plant …), as `reference_data/context/company_names.yaml` lists them.
Only the texts that hold goods and one of those words are looked at (a column pass picks them); the names'
spans come in the matcher's coordinates (bytes of the folded text), as goods hits do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from screener.match.automaton import starts
from screener.text.normalize import cased_expr

_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
_WORD = rf"[{_UPPER}][\w'’&-]*"
SPAN_SCHEMA = {"row": pl.UInt32, "n_start": pl.Int64, "n_end": pl.Int64, "name": pl.String}


def _variants(word: str) -> set[str]:
    """A form as written, in upper case and in title case ("Ltd", "LTD"; "GmbH", "GMBH")."""
    return {word, word.upper(), word[:1].upper() + word[1:].lower()}


def _trie_alternation(words: set[str]) -> str:
    """A regex matching any of `words`, longest first, factored by common prefixes (`L(?:LC|td)`): Python's `re`
    tries a flat alternation one word at a time at every capitalised word, ~3x slower on upper-case lines."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def regex(node: dict) -> str:
        branches = [re.escape(ch) + regex(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + ("?" if "" in node else "")  # greedy: the longer word is tried first

    return regex(trie)


@dataclass(frozen=True)
class NameFinder:
    """Finds company names by their last word; `not_in_name` words (consignee, to …) cut a name's start."""

    pattern: re.Pattern
    screen: tuple[str, ...]    # the forms as the normalised text holds them (" ltd ", " l l c "): the column pass
    not_in_name: frozenset[str]

    @classmethod
    def from_context(cls, context: dict) -> "NameFinder | None":
        """The finder of the context data's legal forms and company words, or None when it names none."""
        spec = context.get("company_names") or {}
        forms = {v for w in list(spec.get("legal_forms", [])) + list(spec.get("company_words", [])) for v in _variants(str(w))}
        if not forms:
            return None
        alternatives = _trie_alternation(forms)
        pattern = re.compile(rf"(?<![\w.])((?:{_WORD}[ \t]+){{1,4}})({alternatives})(?![\w])")
        folded = tuple(sorted({" " + " ".join(re.findall(r"\w+", f.lower())) + " " for f in forms} - {"  "}))
        return cls(pattern, folded, frozenset(str(w).lower() for w in spec.get("not_in_name", [])))

    def names(self, text: str) -> list[str]:
        """The company names in `text`, as written (words of `not_in_name` cut from their start)."""
        out = []
        for m in self.pattern.finditer(text):
            words = m.group(1).split()
            cut = max((i + 1 for i, w in enumerate(words) if w.lower() in self.not_in_name), default=0)
            if words[cut:]:
                out.append(" ".join(words[cut:]) + " " + m.group(2))
        return out

    def spans(self, texts: pl.DataFrame, norm: pl.DataFrame, goods: pl.DataFrame) -> pl.DataFrame:
        """(row, n_start, n_end, name): the names in the texts that hold a located goods mention (`goods`: row,
        start, end) with a form a few words after it, their spans in the matcher's coordinates.

        The column pass finds the forms in the normalised text (`norm`: row, norm, as the matcher has it;
        byte offsets, as the goods hits') and keeps the rows where one follows a goods mention
        within 48 bytes; only those few texts are read for whole names, with their case (in shipment lines,
        company names are everywhere; goods words inside one are rare)."""
        rows = goods.select("row").unique()
        at = starts(norm.join(rows, on="row", how="semi"), self.screen).select("row", at="start")
        near = goods.select("row", "end").join(at, on="row").filter(
            pl.col("at") >= pl.col("end"), pl.col("at") - pl.col("end") <= 48)["row"].unique()
        picked = texts.filter(pl.col("row").is_in(near.implode()))
        if picked.is_empty():
            return pl.DataFrame(schema=SPAN_SCHEMA)
        found = [(r, name, name) for r, text in picked.select("row", "text").iter_rows() for name in self.names(text)]
        return locate(picked, found)


def locate(texts: pl.DataFrame, found: list[tuple[int, str, str]]) -> pl.DataFrame:
    """(row, n_start, n_end, name) of pieces of text (row, piece as written, name to report) in the matcher's
    coordinates (bytes of the folded text: where goods hits are), each occurrence in turn."""
    if not found:
        return pl.DataFrame(schema=SPAN_SCHEMA)
    pieces = pl.DataFrame(found, schema={"row": pl.UInt32, "piece": pl.String, "name": pl.String}, orient="row")
    pieces = pieces.with_columns(folded=cased_expr(pl.col("piece")))
    cased = dict(texts.join(pieces.select("row").unique(), on="row", how="semi")
                 .select("row", cased=cased_expr(pl.col("text"))).iter_rows())
    out, seen = [], {}
    for row, _, name, folded in pieces.iter_rows():
        text = cased[row]
        at = text.find(folded, seen.get((row, folded), 0))
        if at < 0 or not folded.strip():
            continue
        seen[(row, folded)] = at + 1
        start = len(text[:at].encode("utf-8"))  # the padding space before the piece: its start, unpadded
        out.append((row, start, start + len(folded.strip(" ").encode("utf-8")), name))
    return pl.DataFrame(out, schema=SPAN_SCHEMA, orient="row")


def inside(goods: pl.DataFrame, spans: pl.DataFrame, reason: pl.Expr) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Goods mentions outside the spans, and those inside one with `reason` (an expression over `name`).

    Each mention is paired with the span that starts last at or before it (an as-of join: linear in a long
    text); the furthest end of the spans so far says whether one covers it.
    """
    keys = ["row", "ref", "start", "end", "form"]
    spans = spans.sort("row", "n_start").with_columns(reach=pl.col("n_end").cum_max().over("row"))
    within = (goods.filter(pl.col("start") >= 0).with_columns(_i=pl.int_range(pl.len())).sort("start")
              .join_asof(spans, left_on="start", right_on="n_start", by="row", strategy="backward",
                         check_sortedness=False)
              .filter(pl.col("reach") >= pl.col("end")).sort("_i")
              .unique(keys, keep="first", maintain_order=True))
    kept = goods.join(within.select(keys), on=keys, how="anti", maintain_order="left")
    return kept, within.select(*goods.columns, reason=reason)
