"""The matching cascade on a column of texts, in one function: `match_texts`.

normalise → exact Aho-Corasick pass → typo repair of unknown words and a re-scan of the rows that
held one → part-number patterns → resolve (blockers, overlaps, weak terms, ambiguous names,
negation) → declared codes. Everything works on polars columns; Python loops run only over the
distinct unknown words and the distinct part-number strings.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from screener.match.automaton import PatternScanner, starts
from screener.match.codes import find_codes
from screener.match.values import find_values
from screener.match.index import MatchIndex
from screener.match.names import inside
from screener.match.typos import Repairs, brand_cased, typo_repairs
from screener.text.normalize import cased_expr, normalize_expr

HIT_SCHEMA = {"row": pl.UInt32, "kind": pl.String, "ref": pl.String, "strength": pl.String, "form": pl.String,
              "start": pl.Int64, "end": pl.Int64, "matcher": pl.String, "similarity": pl.Float64,
              "ambiguous": pl.Boolean, "matched": pl.String, "role": pl.String}


@dataclass
class Matches:
    """Every accepted hit of a column of texts, plus the typo repairs that were made.

    `hits` offsets are UTF-8 byte offsets into the normalised text (= the original text with each
    non-word character as one byte); `screen` turns them into character offsets for one text.
    """

    hits: pl.DataFrame
    codes: pl.DataFrame
    repairs: Repairs
    values: pl.DataFrame | None = None  # stated values per item (screener.match.values): row, raw, amount
    dropped: pl.DataFrame | None = None  # goods mentions context dropped, with a `reason` (only when explaining)


def _scan(norm: pl.DataFrame, scanner: PatternScanner, matcher: str) -> pl.DataFrame:
    """Hits of the scanner's patterns in `norm`, with spans of the term without its padding."""
    return scanner.scan(norm).select(
        "row", "kind", "ref", "strength", "form",
        start=pl.col("pos") + pl.col("lead") - 1, end=pl.col("pos") + pl.col("width") - 1,
        matcher=pl.lit(matcher), similarity=pl.lit(1.0), ambiguous="ambiguous", matched="form",
        role=pl.lit(None, pl.String),
    ).cast(HIT_SCHEMA)


def _repaired_scan(texts: pl.DataFrame, norm: pl.DataFrame, words: pl.DataFrame, index: MatchIndex,
                   repairs: Repairs, exact: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Re-scan only the rows that held a repaired word; keep what the exact pass had not found.

    `words` are the rows' words in order (row, word): a row's text is its words joined by spaces again,
    with the repaired ones swapped in (not its brand-cased words: `brand_cased`). Returns the new hits and the
    repaired rows' texts (context words are looked up in those too).
    """
    fixed = norm.clear()
    if repairs:
        rows = words.filter(pl.col("word").is_in(repairs.words()))["row"].unique()
        kept = brand_cased(texts.join(rows.to_frame(), on="row", how="semi"))
        fixed = (_repaired_words(words.filter(pl.col("row").is_in(rows.implode())), repairs, kept)
                 .group_by("row", maintain_order=True).agg(norm=pl.col("word").str.join(" ")))
    if fixed.is_empty():
        return exact.clear(), fixed
    again = _scan(fixed, index.scanner, "fuzzy")
    seen = exact.join(fixed.select("row"), on="row", how="semi").select("row", "kind", "ref", "form").unique()
    new = again.join(seen, on=["row", "kind", "ref", "form"], how="anti")
    return new.with_columns(similarity=pl.lit(None, pl.Float64)), fixed


def _repaired_words(words: pl.DataFrame, repairs: Repairs, kept: pl.DataFrame) -> pl.DataFrame:
    """(row, word) with the repairs made: plain ones by the word, the others by the word and its neighbours
    (rows hold their padding's empty words, so a neighbour never comes from another row); none to a row's
    `kept` words (row, word)."""
    out = _made(words, repairs)
    if kept.is_empty():
        return out
    held = words.join(kept.with_columns(_kept=pl.lit(True)), on=["row", "word"], how="left",
                      maintain_order="left")["_kept"].fill_null(False)
    return out.with_columns(word=pl.when(held).then(words["word"]).otherwise(pl.col("word")))


def _made(words: pl.DataFrame, repairs: Repairs) -> pl.DataFrame:
    """(row, word) with every repair made."""
    out = words.with_columns(pl.col("word").replace(repairs.plain)) if repairs.plain else words
    if not repairs.in_context:
        return out
    decided = pl.DataFrame([(*k, v) for k, v in repairs.in_context.items()],
                           schema=["word", "prev", "next", "fixed"], orient="row")
    placed = words.select(pl.col("word"), prev=pl.col("word").shift(1, fill_value=""),
                          next=pl.col("word").shift(-1, fill_value="")).join(
        decided, on=["word", "prev", "next"], how="left", maintain_order="left")["fixed"]
    return out.with_columns(word=pl.coalesce(placed, pl.col("word")))


def _context_words(texts: pl.DataFrame, goods: pl.DataFrame, index: MatchIndex) -> pl.DataFrame:
    """Context words (row, word) of the rows that hold a weak term: the only rows that need them."""
    weak_rows = goods.filter(pl.col("strength") == "weak").select("row").unique()
    rows = texts.join(weak_rows, on="row", how="semi")
    return index.context_scanner.scan(rows).select("row", word="ref").unique()


def _parts(texts: pl.DataFrame, index: MatchIndex) -> pl.DataFrame:
    """Part numbers in the original text: the texts that hold one, the strings, then who owns each string."""
    if not index.parts:
        return pl.DataFrame(schema=HIT_SCHEMA)
    # few texts hold a part number: a yes/no pass over all of them, then extraction from those few
    holding = index.part_filter.holding(texts)
    # (one select of every group: one pass of polars' machinery instead of one per group; unpivoted, the
    # strings come group by group, as separate passes gave them)
    groups = [pl.col("text").str.extract_all(rx).alias(f"g{i}") for i, rx in enumerate(index.part_groups)]
    found = (holding.select("row", *groups).unpivot(index="row", value_name="matched").select("row", "matched")
             .explode("matched").drop_nulls().unique(maintain_order=True))
    # as one regex would: a string inside a longer one of the same text ("FPL84" of "A40MX04-FPL84") is not a part
    inside = found.join(found, on="row", suffix="_in").filter(
        pl.col("matched") != pl.col("matched_in"), pl.col("matched_in").str.contains(pl.col("matched"), literal=True))
    found = found.join(inside.select("row", "matched"), on=["row", "matched"], how="anti", maintain_order="left")
    if found.is_empty():
        return pl.DataFrame(schema=HIT_SCHEMA)
    owners: list[tuple[str, str, str]] = []  # a part number may fit the patterns of several families
    cache = index.part_owners
    if len(cache) > 200_000:  # bounded: a stream of millions of rows must not grow memory with it
        cache.clear()
    strings = found["matched"].unique().to_list()
    for s, which in index.part_filter.candidates([s for s in strings if s not in cache]).items():
        tried = index.parts if which is None else [index.parts[i] for i in which]
        cache[s] = [(p.entry_id, p.name) for p in tried if p.regex.fullmatch(s)]
    for s in strings:
        owners.extend((s, entry_id, name) for entry_id, name in cache[s])
    table = pl.DataFrame(owners, schema={"matched": pl.String, "ref": pl.String, "form": pl.String}, orient="row")
    return found.join(table, on="matched").select(
        "row", kind=pl.lit("goods"), ref="ref", strength=pl.lit("strong"), form="form", start=pl.lit(-1),
        end=pl.lit(-1), matcher=pl.lit("pattern"), similarity=pl.lit(1.0), ambiguous=pl.lit(False), matched="matched",
        role=pl.lit(None, pl.String),
    ).cast(HIT_SCHEMA).unique(["row", "ref", "matched"], maintain_order=True)


def _outside_names(texts: pl.DataFrame, norm: pl.DataFrame, goods: pl.DataFrame, index: MatchIndex
                   ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Goods mentions outside company names ("Kalashnikov Concern", "Silk Road Components FZE"), and those
    inside one (row, ref, start, reason). Only texts that hold a located goods mention are looked at."""
    located = goods.filter(pl.col("start") >= 0)
    if index.names is None or located.is_empty():
        return goods, goods.clear().with_columns(reason=pl.lit(None, pl.String))
    names = index.names.spans(texts, norm, located.select("row", "start", "end"))
    if names.is_empty():
        return goods, goods.clear().with_columns(reason=pl.lit(None, pl.String))
    why = pl.concat_str([pl.lit("inside the company name '"), pl.col("name"), pl.lit("'")])
    # a maker's name ("Texas Instruments Inc", "ASML Holding") is the finding itself, not goods hidden in a name
    brand = pl.col("ref").str.starts_with("brand.")
    kept, gone = inside(goods.filter(~brand), names, why)
    return pl.concat([kept, goods.filter(brand)]), gone


def _gone(before: pl.DataFrame, after: pl.DataFrame, reason: pl.Expr | str) -> pl.DataFrame:
    """The mentions of `before` that `after` no longer holds, with a reason."""
    keys = ["row", "ref", "start", "end", "form"]
    gone = before.join(after.select(keys), on=keys, how="anti", maintain_order="left")
    return gone.with_columns(reason=pl.lit(reason) if isinstance(reason, str) else reason)


def _blocked(goods: pl.DataFrame, blockers: pl.DataFrame) -> pl.DataFrame:
    """Goods mentions inside a blocker phrase, with the phrase as the reason (explaining only).

    Each mention is paired with the blocker that starts last at or before it (an as-of join, linear in a long
    text where pairing every mention with every blocker was quadratic); the furthest end of the blockers so
    far says whether one of them covers it.
    """
    located = goods.filter(pl.col("start") >= 0).with_columns(_i=pl.int_range(pl.len()))
    spans = (blockers.select("row", b_start="start", b_end="end", phrase="form").sort("row", "b_start")
             .with_columns(reach=pl.col("b_end").cum_max().over("row")))
    inside = (located.sort("start").join_asof(spans, left_on="start", right_on="b_start", by="row",
                                              strategy="backward", check_sortedness=False)
              .filter(pl.col("reach") >= pl.col("end")).sort("_i"))
    return inside.unique(["row", "ref", "start", "end", "form"], keep="first", maintain_order=True).select(
        *goods.columns, reason=pl.concat_str([pl.lit("inside the phrase '"), pl.col("phrase"),
                                              pl.lit("', which is not these goods (blocker)")]))


def _suppressed_why(gone: pl.DataFrame, sup: pl.DataFrame, index: MatchIndex) -> pl.DataFrame:
    """Suppressed mentions with the nearest suppressing word of their category as the reason (an as-of join:
    linear in a long text, where pairing every mention with every suppressor was quadratic)."""
    if gone.is_empty():
        return gone.with_columns(reason=pl.lit(None, pl.String))
    s = (sup.select("row", sid="ref", word="form", s_start="start").join(index.suppressors, on="sid")
         .select("row", "category", "sid", "word", "s_start").sort("s_start"))
    near = (gone.with_columns(_i=pl.int_range(pl.len())).join(index.categories, on="ref", how="left")
            .sort("start").join_asof(s, left_on="start", right_on="s_start", by=["row", "category"],
                                     strategy="nearest", check_sortedness=False)
            .filter(pl.col("sid").is_not_null()).sort("_i")
            .unique(["row", "ref", "start", "end", "form"], keep="first", maintain_order=True))
    why = pl.col("sid").replace_strict(index.suppressor_why, default="")
    return near.select(*gone.columns, reason=pl.concat_str([pl.lit("near '"), pl.col("word").str.strip_chars(),
                                                            pl.lit("' ("), pl.col("sid"), pl.lit(": "), why, pl.lit(")")]))


def _drop_contained(goods: pl.DataFrame, blockers: pl.DataFrame) -> pl.DataFrame:
    """Longest match wins; anything inside a blocker phrase ("potato chips") is dropped."""
    unplaced = goods.filter(pl.col("start") < 0)  # part numbers: found on the original text, no overlap
    goods = goods.filter(pl.col("start") >= 0)
    both = pl.concat([blockers.with_columns(prio=pl.lit(0)), goods.with_columns(prio=pl.lit(1))])
    # on equal spans a blocker wins, then a strong term over a weak one, then exact over fuzzy, then the
    # first ref by name (a fixed order: without it the survivor of a tie changed with the chunk size)
    both = both.with_columns(_weak=pl.col("strength") == "weak", _fuzzy=pl.col("matcher") == "fuzzy").sort(
        ["row", "start", "end", "prio", "_weak", "_fuzzy", "ref"],
        descending=[False, False, True, False, False, False, False], maintain_order=True)
    # the largest end so far within the row, without a window function: rows are sorted and ends are
    # >= 0 here, so a running maximum of row * 2^30 + end never carries a value across rows
    key = pl.col("row").cast(pl.Int64) * (1 << 30) + pl.col("end")
    prev_end = key.cum_max().shift(1) - pl.col("row").cast(pl.Int64) * (1 << 30)
    kept = both.with_columns(inside=prev_end.fill_null(-1) >= pl.col("end")).filter(
        ~pl.col("inside") & (pl.col("kind") != "blocker"))
    return pl.concat([_one_per_place(kept.drop("prio", "inside", "_weak", "_fuzzy")), unplaced])


def _one_per_place(goods: pl.DataFrame) -> pl.DataFrame:
    """Two mentions of one entry that share words are one mention: in "ball bearings ball bearings" the swapped
    form "bearings ball" straddles the two. Leftmost first, a mention that overlaps the last one kept of its
    entry goes. Only the (row, entry) pairs that overlap at all (rare) are walked in Python."""
    goods = goods.with_columns(_i=pl.int_range(pl.len()))
    ordered = goods.select("_i", "row", "ref", "start", "end").sort(["row", "ref", "start", "end"])
    same = (pl.col("row") == pl.col("row").shift(1)) & (pl.col("ref") == pl.col("ref").shift(1))
    over = ordered.filter(same & (pl.col("start") < pl.col("end").shift(1))).select("row", "ref").unique()
    if over.is_empty():
        return goods.drop("_i")
    overlapping = ordered.join(over, on=["row", "ref"], how="semi", maintain_order="left")
    gone, pair_now, last_end = [], None, -1
    for i, row, ref, start, end in overlapping.select("_i", "row", "ref", "start", "end").iter_rows():
        if (row, ref) != pair_now:
            pair_now, last_end = (row, ref), -1
        if start < last_end:
            gone.append(i)
        else:
            last_end = end
    return goods.filter(~pl.col("_i").is_in(gone)).drop("_i")


def _suppress(goods: pl.DataFrame, sup: pl.DataFrame, index: MatchIndex) -> pl.DataFrame:
    """Drop goods mentions with a suppressing context word of their category nearby ("potato ... chips")."""
    if sup.is_empty() or goods.is_empty():
        return goods
    goods = goods.with_columns(_i=pl.int_range(pl.len()))
    # only the texts that hold a suppressing word (a few in a hundred) are looked at
    g = goods.join(sup.select("row").unique(), on="row", how="semi").filter(pl.col("start") >= 0).join(
        index.categories, on="ref", how="left")
    s = sup.select("row", sid="ref", s_start="start", s_end="end").join(index.suppressors, on="sid")
    near = _near_suppressors(g, s)
    # a text that says what one mention of the goods is about says it of the others ("fidget spinners …
    # forces of a gyroscope"): every located mention of the suppressed entry in that text goes (a part
    # number, found without a place, is evidence of its own)
    gone = g.join(near.select("row", "ref").unique(), on=["row", "ref"], how="semi")
    return goods.filter(~pl.col("_i").is_in(gone["_i"].implode())).drop("_i")


def _near_suppressors(goods: pl.DataFrame, sup: pl.DataFrame) -> pl.DataFrame:
    """The goods mentions (row, ref) with a suppressor of their category at most its window away.

    For each mention only the nearest suppressor on each side is looked at (an as-of join: linear in the
    mentions, where pairing every mention of a long text with every suppressor in it was quadratic): the
    one starting last at or before it — its reach being the furthest end of those — and the first one
    starting after it.
    """
    keys = ["row", "category"]
    found = []
    for (window,), s in sup.partition_by("window", as_dict=True).items():
        s = s.sort(*keys, "s_start").with_columns(reach=pl.col("s_end").cum_max().over(keys))
        g = goods.join(s.select(keys).unique(), on=keys, how="semi").sort("start")
        before = g.join_asof(s.select(*keys, "s_start", "reach"), left_on="start", right_on="s_start", by=keys,
                             strategy="backward", check_sortedness=False)
        after = g.join_asof(s.select(*keys, "s_start"), left_on="start", right_on="s_start", by=keys,
                            strategy="forward", allow_exact_matches=False, check_sortedness=False)
        found += [before.filter(pl.col("start") - pl.col("reach") <= window).select("row", "ref"),
                  after.filter(pl.col("s_start") - pl.col("end") <= window).select("row", "ref")]
    return pl.concat(found) if found else goods.select("row", "ref").clear()


MIN_SUPPORTED_WEAK = 4  # letters a weak term needs for trade or ruling words to support it (not "nas", "san", "xo")


def _weak_with_context(goods: pl.DataFrame, words: pl.DataFrame, index: MatchIndex) -> pl.DataFrame:
    """A weak term counts only with a context word, or a strong term, of its entry in the same text, or (a word of
    four letters or more) with a word of trade or of a customs ruling (`index.weak_shared`).

    Context hits carry the word, not the entries (a word like "pcs" supports hundreds of entries);
    only the few weak hits are expanded to their entries' context words.
    """
    weak = goods.filter(pl.col("strength") == "weak")
    strong = goods.filter(pl.col("strength") != "weak")
    if weak.is_empty():
        return goods
    by_context = weak.select("row", "ref").unique().join(index.weak_context, on="ref").join(
        words, on=["row", "word"], how="semi").select("row", "ref")
    # a word of trade or of a ruling supports weak terms that are words ("inverter"), not acronyms ("San" Francisco)
    worded = weak.filter(pl.col("form").str.len_chars() >= MIN_SUPPORTED_WEAK)
    by_trade = worded.select("row", "ref").unique().join(index.weak_shared, on="ref").join(
        words, on=["row", "word"], how="semi").select("row", "ref")
    strong_there = strong.select("row", "ref").join(weak.select("row").unique(), on="row", how="semi")
    support = pl.concat([by_context, by_trade, strong_there]).unique()
    return pl.concat([strong, weak.join(support, on=["row", "ref"], how="semi")])


def _cased_ok(texts: pl.DataFrame, places: pl.DataFrame, index: MatchIndex) -> pl.DataFrame:
    """Ambiguous place names ("us", "Georgia", "Turkey", "China") count only where capitalised.

    A second, case-sensitive pass looks for the capitalised and upper-case forms of just those names
    in the text with punctuation folded but case kept; a hit counts only where that pass found one at
    the same offset.
    """
    amb = places.filter(pl.col("ambiguous"))
    if amb.is_empty() or not index.cased_patterns:
        return places.filter(~pl.col("ambiguous"))
    rows = texts.join(amb.select("row").unique(), on="row")
    cased = rows.select("row", norm=cased_expr(pl.col("text")))
    found = starts(cased, index.cased_patterns)
    return pl.concat([places.filter(~pl.col("ambiguous")), amb.join(found, on=["row", "start"], how="semi")])


def _roles(norm: pl.DataFrame, places: pl.DataFrame, index: MatchIndex) -> pl.DataFrame:
    """Each place's role: destination, origin or transit by the nearest role cue before it ("to", "from",
    "via" …, other place names allowed between), else by a cue right after it ("Russian origin"), else
    `mentioned`. An adjective ("American", "Russian") takes a role before it only from a cue of several words
    ("exported to Russian end users"): after a bare "to" or "for" it describes something else ("to catch
    American tastebuds", "origin of the English term"). Cues are looked for only in the texts that name a
    place."""
    if places.is_empty():
        return places
    cues = _scan(norm.join(places.select("row").unique(), on="row", how="semi"), index.role_scanner, "exact").select(
        "row", "kind", "strength", role="ref", c_start="start", c_end="end")
    before_window, after_window = index.role_windows
    ordered = places.with_columns(_i=pl.int_range(pl.len(), dtype=pl.UInt32)).sort("row", "start")
    # of cues ending at the same place, the longest ("for delivery to" over "to") comes last, and wins
    before = cues.filter(pl.col("kind") == "role_before").sort("row", "c_end", -pl.col("c_start"))
    phrases = before.filter(pl.col("strength") == "phrase")  # what an adjective listens to: "exported to", not "to"
    after = cues.filter(pl.col("kind") == "role_after").sort("row", "c_start")
    near = ordered.join_asof(before.select("row", "c_end", before="role"), left_on="start", right_on="c_end",
                             by="row", strategy="backward", check_sortedness=False).join_asof(
        phrases.select("row", p_end="c_end", phrase="role"), left_on="start", right_on="p_end",
        by="row", strategy="backward", check_sortedness=False).join_asof(
        after.select("row", "c_start", after="role"), left_on="end", right_on="c_start", by="row",
        strategy="forward", check_sortedness=False)
    adjective = pl.col("strength") == "adjective"
    role = (pl.when(~adjective & (pl.col("start") - pl.col("c_end") <= before_window)).then(pl.col("before"))
            .when(adjective & (pl.col("start") - pl.col("p_end") <= before_window)).then(pl.col("phrase"))
            .when(pl.col("c_start") - pl.col("end") <= after_window).then(pl.col("after"))
            .otherwise(pl.lit("mentioned")))
    return near.sort("_i").select(*(c for c in places.columns if c != "role"), role=role)


def _mark_cues(goods: pl.DataFrame, cues: pl.DataFrame, kind: str, window: int) -> pl.DataFrame:
    """Mark goods preceded, within `window` bytes, by a cue of `kind` (negation or hypothetical).

    Cues are rare, so only the goods of rows that hold one are looked at.
    """
    c = cues.filter(pl.col("kind") == kind).select("row", cue_end="end").sort("row", "cue_end")
    g = goods.with_columns(_i=pl.int_range(pl.len(), dtype=pl.UInt32))
    near = g.join(c.select("row").unique(), on="row", how="semi").sort("row", "start")
    if near.is_empty():
        return goods.with_columns(pl.lit(False).alias(kind))
    joined = near.join_asof(c, left_on="start", right_on="cue_end", by="row", strategy="backward",
                            check_sortedness=False)
    flag = (pl.col("start") >= 0) & pl.col("cue_end").is_not_null() & (pl.col("start") - pl.col("cue_end") <= window)
    marked = joined.filter(flag)["_i"]
    return g.with_columns(pl.col("_i").is_in(marked.implode()).alias(kind)).drop("_i")


def match_texts(texts: pl.DataFrame, index: MatchIndex, known_codes: pl.Series, fuzzy: bool = True,
                explain: bool = False) -> Matches:
    """Run the cascade over `texts` (columns: row u32, text str); `explain` also keeps the goods mentions that
    context dropped, each with its reason (`Matches.dropped`: what `screen` shows; the batch does not pay)."""
    texts = texts.select(pl.col("row").cast(pl.UInt32), pl.col("text").fill_null(""))
    norm = texts.select("row", norm=normalize_expr(pl.col("text")))
    exact = _scan(norm, index.scanner, "exact")
    words = norm.select("row", word=pl.col("norm").str.split(" ")).explode("word") if fuzzy else None
    repairs = typo_repairs(norm, index, words["word"]) if fuzzy else Repairs()
    repaired, fixed = _repaired_scan(texts, norm, words, index, repairs, exact)
    hits = pl.concat([exact, repaired, _parts(texts, index)])

    goods = hits.filter(pl.col("kind") == "goods")
    goods, in_names = _outside_names(texts, norm, goods, index)
    dropped = [in_names] if explain else []
    blockers, suppressors = hits.filter(pl.col("kind") == "blocker"), hits.filter(pl.col("kind") == "suppressor")
    if explain:
        dropped.append(_blocked(goods, blockers))
    goods = _drop_contained(goods, blockers)
    before = goods
    goods = _suppress(goods, suppressors, index)
    if explain:
        dropped.append(_suppressed_why(_gone(before, goods, "").drop("reason"), suppressors, index))
    before = goods
    goods = _weak_with_context(goods, _context_words(pl.concat([norm, fixed]), goods, index), index)
    if explain:
        dropped.append(_gone(before, goods, "a weak term without a context word of its entry in the text"))
    cues = hits.filter(pl.col("kind").is_in(["negation", "hypothetical"])).join(
        hits.filter(pl.col("kind") == "number_sign").select("row", "start"), on=["row", "start"], how="anti")
    goods = _mark_cues(goods, cues, "negation", index.negation_window)
    goods = _mark_cues(goods, cues, "hypothetical", index.hypothetical_window)
    places = _cased_ok(texts, _drop_contained(hits.filter(pl.col("kind") == "country"), hits.clear()), index)
    places = _roles(norm, places, index)
    others = hits.filter(pl.col("kind") == "phrase")
    flags = {"negation": pl.lit(False), "hypothetical": pl.lit(False)}
    out = pl.concat([goods, places.with_columns(**flags), others.with_columns(**flags)])
    # a full sort key: part numbers all sit at start -1, and their order must not depend on the batch; then
    # the first of each run of equal keys (a stable sort keeps them in table order: as `unique` would,
    # without hashing every key)
    keys = ["row", "start", "end", "kind", "ref", "matched"]
    out = out.sort(keys, maintain_order=True, nulls_last=True)
    out = out.filter(pl.any_horizontal(pl.col(k).ne_missing(pl.col(k).shift(1)) for k in keys))
    gone = pl.concat([d.select(*HIT_SCHEMA, "reason") for d in dropped]).sort("row", "start") if explain else None
    return Matches(hits=out, codes=find_codes(texts, known_codes), repairs=repairs, values=find_values(texts),
                   dropped=gone)
