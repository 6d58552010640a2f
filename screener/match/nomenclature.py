"""The second net under the lexicon: HS-6 candidates ranked from the nomenclature's and the lists' own words.

When the lexicon finds no goods in a text, its words are compared with every HS-6 description of the store
(the bundled HS 2022 table, or the full nomenclature once `screener reference import hs` has loaded it) and
with the control lists' own descriptions of their entries, by BM25 over stemmed words. The similarity of a
candidate is its score over the geometric mean of two ceilings: the most the text's words could score (each
word's best weight in any description) and the most the description could score (all of its words matched).
It lies in [0, 1]: one shared word of a long description, or one word of a long text, is a weak match; words
the nomenclature does not know cost nothing.

It runs in columns (polars): a text's words are joined to a postings table. On the batch path only the
question "is the best candidate a listed code, at a similarity of at least t?" is asked, and it is answered
cheaply and exactly: the text is first scored against the few listed descriptions only (short postings),
and only the texts where a listed code clears t are ranked against the whole nomenclature, to check that
no other code scores higher.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import polars as pl

from screener.text.normalize import normalize_term

STOP = frozenset("""a an and or of for with the in on to by from other than not nes n e c whether including excluding
incl excl parts part thereof kind kinds used use type types etc its their such as be which this that into
are is was were has have having been not nor but all any each more less than less over under up down per
new old also only mainly wholly solely chiefly principally""".split())
K1, B = 1.2, 0.75
_LATIN_WORD = re.compile(r"^[a-z]{3,}$")


def stem(word: str) -> str:
    """A light English plural stemmer (batteries -> battery, boxes -> box, machines -> machine)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The stemmed content words of a text, in order (English letters only, three or more)."""
    return [stem(w) for w in normalize_term(text).split() if _LATIN_WORD.match(w) and w not in STOP]


def _forms(term: str) -> set[str]:
    """Surface words that stem to `term` (the ones the nomenclature's texts and plurals use)."""
    out = {term, term + "s", term + "es"}
    if term.endswith("y"):
        out.add(term[:-1] + "ies")
    return {w for w in out if stem(w) == term and w not in STOP}


@dataclass(frozen=True)
class Nomenclature:
    """Descriptions as documents, with BM25 weights per (term, document)."""

    docs: pl.DataFrame        # doc (u32), code (HS-6), description, source (HS 2022 | list tag), mass (its ceiling)
    postings: pl.DataFrame    # term, doc, w
    top: pl.DataFrame         # term, top: a term's best weight in any document (the query's ceiling)
    forms: pl.DataFrame       # word (surface form), term

    @classmethod
    def build(cls, documents: list[tuple[str, str, str]]) -> "Nomenclature":
        """From (code, description, source) triples."""
        bags = [Counter(words(d)) for _, d, _ in documents]
        n = len(bags)
        avg = sum(sum(b.values()) for b in bags) / max(n, 1)
        df = Counter(t for b in bags for t in b)
        idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
        rows = []
        for i, bag in enumerate(bags):
            length = sum(bag.values())
            for t, tf in bag.items():
                rows.append((t, i, idf[t] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / avg))))
        postings = pl.DataFrame(rows, schema={"term": pl.String, "doc": pl.UInt32, "w": pl.Float64}, orient="row")
        docs = pl.DataFrame({"doc": pl.int_range(n, eager=True, dtype=pl.UInt32),
                             "code": [c for c, _, _ in documents], "description": [d for _, d, _ in documents],
                             "source": [s for _, _, s in documents]})
        top = postings.group_by("term").agg(top=pl.col("w").max())
        docs = docs.join(postings.group_by("doc").agg(mass=pl.col("w").sum()), on="doc", how="left").with_columns(
            pl.col("mass").fill_null(0.0)).sort("doc")
        forms = pl.DataFrame([(w, t) for t in df for w in _forms(t)], schema={"word": pl.String, "term": pl.String},
                             orient="row").unique("word")
        return cls(docs, postings, top, forms)

    def query_terms(self, texts: pl.DataFrame) -> pl.DataFrame:
        """(key, term) of each text's distinct words the nomenclature knows; `texts` has key and norm (the
        normalised text, as `normalize_expr` gives it)."""
        return (texts.select("key", word=pl.col("norm").str.split(" ")).explode("word")
                .join(self.forms, on="word", how="inner").select("key", "term").unique())

    def scores(self, terms: pl.DataFrame, docs: pl.DataFrame | None = None) -> pl.DataFrame:
        """(key, code, doc, sim) of every candidate document (those of `docs` only, when given)."""
        postings = self.postings if docs is None else self.postings.join(docs.select("doc"), on="doc", how="semi")
        ceiling = terms.join(self.top, on="term").group_by("key").agg(ceiling=pl.col("top").sum())
        scored = (terms.join(postings, on="term").group_by("key", "doc").agg(score=pl.col("w").sum())
                  .join(ceiling, on="key").join(self.docs.select("doc", "code", "mass"), on="doc"))
        sim = pl.col("score") / (pl.col("ceiling") * pl.col("mass")).sqrt()
        return scored.select("key", "code", "doc", sim=sim.clip(0.0, 1.0))

    def best(self, texts: pl.DataFrame, listed: list[str], min_similarity: float) -> pl.DataFrame:
        """(key, code, sim, doc) of the texts whose best candidate is a `listed` code with a similarity of at
        least `min_similarity`: the listed descriptions first, then the whole nomenclature for the few
        texts where one clears the bar (ties go to the listed code)."""
        empty = pl.DataFrame(schema={"key": texts.schema["key"], "code": pl.String, "sim": pl.Float64, "doc": pl.UInt32})
        listed_docs = self.docs.filter(pl.col("code").is_in(listed))
        if texts.is_empty() or listed_docs.is_empty():
            return empty
        terms = self.query_terms(texts)
        cleared = (self.scores(terms, listed_docs).filter(pl.col("sim") >= min_similarity)
                   .sort("key", "sim", "code", descending=[False, True, False]).unique("key", keep="first"))
        if cleared.is_empty():
            return empty
        rivals = (self.scores(terms.join(cleared.select("key"), on="key", how="semi"))
                  .group_by("key").agg(rival=pl.col("sim").max()))
        return (cleared.join(rivals, on="key", how="left")
                .filter(pl.col("sim") >= pl.col("rival").fill_null(0.0) - 1e-9).select(empty.columns))

    def describe(self, code: str) -> str:
        """The first description of a code (the nomenclature's own, when it has one)."""
        found = self.docs.filter(pl.col("code") == code)["description"]
        return found[0] if found.len() else ""

    def rank(self, text: str, top: int = 5) -> list[dict]:
        """The best `top` HS-6 candidates of one text, each with its similarity and the description matched."""
        from screener.text.normalize import normalize_expr

        frame = pl.DataFrame({"key": [0], "text": [text]}).select("key", norm=normalize_expr(pl.col("text")))
        scored = self.scores(self.query_terms(frame))
        if scored.is_empty():
            return []
        best = (scored.join(self.docs.select("doc", "description", "source"), on="doc")
                .sort("sim", "code", "doc", descending=[True, False, False]).unique("code", keep="first",
                                                                                 maintain_order=True).head(top))
        return [{"code": r["code"], "description": r["description"], "source": r["source"],
                 "confidence": round(r["sim"], 3)} for r in best.iter_rows(named=True)]


def documents(reference) -> list[tuple[str, str, str]]:
    """The HS-6 descriptions of the reference's HS table, and the lists' descriptions of their entries at
    six digits or more (a national code speaks for its HS-6)."""
    six = reference.hs.filter(pl.col("level") == 6)
    out = [(c, d, "HS 2022") for c, d in six.select("code", "description").iter_rows() if d]
    entries = reference.list_entries
    if "description" in entries.columns:
        rows = entries.filter(pl.col("code").str.len_chars() >= 6, pl.col("description").is_not_null())
        out += [(c[:6], d, lst) for lst, c, d in rows.select("list", "code", "description").unique().sort(
            "list", "code", "description").iter_rows()]
    return out


def nomenclature_for(reference) -> Nomenclature:
    """The reference's nomenclature index, built once per reference (~0.3 s)."""
    cached = reference.extra.get("nomenclature")
    if cached is None:
        cached = reference.extra["nomenclature"] = Nomenclature.build(documents(reference))
    return cached


@dataclass(frozen=True)
class NetSpec:
    """What the rules ask of the net: the lists a best candidate must be on, and the lowest similarity any
    rule accepts (the net is not run at all when no rule asks)."""

    lists: tuple[str, ...]
    min_similarity: float


def net_columns(nomenclature: Nomenclature, texts: pl.Series, open_rows: pl.Series, listed: list[str],
                min_similarity: float) -> tuple[pl.Series, pl.Series]:
    """Per row: the best candidate (a one-code list, else empty) and its similarity, for the rows in
    `open_rows` (no lexicon goods, no declared code), each distinct text ranked once."""
    n = texts.len()
    # (columns of constants built by polars: a Python list of n empty lists costs ~2 µs a row)
    codes = pl.select(nomenclature=pl.repeat(pl.lit([], pl.List(pl.String)), n))["nomenclature"]
    sims = pl.select(nomenclature_sim=pl.repeat(None, n, dtype=pl.Float64))["nomenclature_sim"]
    rows = pl.DataFrame({"row": pl.int_range(n, eager=True, dtype=pl.UInt32), "text": texts}).filter(
        open_rows & texts.is_not_null())
    if rows.is_empty():
        return codes, sims
    from screener.text.normalize import normalize_expr

    distinct = rows.select(pl.col("text").unique()).with_row_index("key").with_columns(
        norm=normalize_expr(pl.col("text")))
    best = nomenclature.best(distinct.select("key", "norm"), listed, min_similarity)
    if best.is_empty():
        return codes, sims
    hit = rows.join(distinct.join(best, on="key").select("text", "code", "sim"), on="text").select("row", "code", "sim")
    placed = pl.DataFrame({"row": pl.int_range(n, eager=True, dtype=pl.UInt32)}).join(
        hit, on="row", how="left", maintain_order="left")
    return (placed.select(nomenclature=pl.when(pl.col("code").is_null()).then(pl.lit([], pl.List(pl.String)))
                          .otherwise(pl.concat_list("code")))["nomenclature"],
            placed["sim"].alias("nomenclature_sim"))


def matched_span(nomenclature: Nomenclature, text: str, code: str) -> tuple[int, int, str]:
    """The description of `code` that matched `text` best, and where the words they share lie in `text`
    (start, end; 0, 0 when none do)."""
    from screener.text.normalize import normalize_expr

    frame = pl.DataFrame({"key": [0], "text": [text]}).select("key", norm=normalize_expr(pl.col("text")))
    scored = nomenclature.scores(nomenclature.query_terms(frame), nomenclature.docs.filter(pl.col("code") == code))
    if scored.is_empty():
        return 0, 0, nomenclature.describe(code)
    doc = scored.sort("sim", "doc", descending=[True, False])["doc"][0]
    description = nomenclature.docs["description"][doc]
    shared = set(words(description))
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]{3,}", text) if stem(m.group().lower()) in shared]
    return (spans[0][0], spans[-1][1], description) if spans else (0, 0, description)
