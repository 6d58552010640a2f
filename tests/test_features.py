"""row_features against a plain-Python reading of what each column means, on random hits.

The columnar code de-duplicates with integer keys, ranks codes with a packed sort key and places
lists by position; the reference below does the same with dicts and sorted(), one row at a time.
"""

from __future__ import annotations

import random

import polars as pl
import pytest

from screener.features import _sort_votes, row_features
from screener.match.pipeline import Matches


def _first_seen(values):
    return list(dict.fromkeys(v for v in values if v is not None))


def _expected(hits: list[dict], codes: list[dict], n_rows: int, screener) -> list[dict]:
    ref = screener.reference
    tags: dict[str, list[str]] = {}
    for code, tag in screener.tables.code_tags.select("code", tag=pl.lit(screener.tables.tags).gather(pl.col("tid"))).iter_rows():
        tags.setdefault(code, []).append(tag)
    groups = ref.places.groups_of()
    rows = []
    for r in range(n_rows):
        mine = [h for h in hits if h["row"] == r]
        pos = [h["ref"] for h in mine if h["kind"] == "goods" and not (h["negation"] or h["hypothetical"])]
        entries = _first_seen(pos)
        votes: dict[str, list] = {}
        for seen, e in enumerate(entries):
            hs6 = ref.entries[e].hs6
            for rank, code in enumerate(hs6):
                v = votes.setdefault(code, [0.0, seen])
                v[0] += 1.0 / len(hs6) - 0.001 * rank
        inferred = sorted(votes, key=lambda c: (-round(votes[c][0], 6), votes[c][1], c))
        declared = _first_seen(c["code"] for c in codes if c["row"] == r)
        ctl_inf = _first_seen(t for c in inferred for t in sorted(tags.get(c, [])))
        ctl_dec = _first_seen(t for c in declared for t in sorted(tags.get(c, [])))
        places = _first_seen(h["ref"] for h in mine if h["kind"] == "country")
        rows.append({
            "row": r,
            "goods_ids": entries,
            "goods_labels": _first_seen(ref.entries[e].label for e in entries),
            "goods_cats": _first_seen(ref.entries[e].category for e in entries),
            "hs_inferred": inferred,
            "goods_muted_ids": _first_seen(h["ref"] for h in mine if h["kind"] == "goods" and (h["negation"] or h["hypothetical"])),
            "hs_declared": declared,
            "countries": places,
            "country_groups": _first_seen(g for p in places for g in groups.get(p, [])),
            "phrases": _first_seen(h["ref"] for h in mine if h["kind"] == "phrase"),
            "hs_codes": _first_seen(declared + inferred),
            "ctl_inferred": ctl_inf,
            "ctl_declared": ctl_dec,
            "controls": [t for t in _first_seen(ctl_dec + ctl_inf) if ":" in t],
            "place_roles": _first_seen(f"{h['ref']}:{h['role']}" for h in mine if h["kind"] == "country"),
            "item_values": [], "thresholds": [], "item_value_max": None,  # (no stated values here)
            "heading_mismatch": bool(declared) and bool(inferred) and not (
                {c[:4] for c in declared} & {c[:4] for c in inferred}),
        })
    return rows


def _random_matches(screener, n_rows: int, seed: int) -> tuple[list[dict], list[dict]]:
    rnd = random.Random(seed)
    refs = sorted(screener.reference.entries)
    # entries that share codes, so that votes add up and ties are broken by first mention
    by_code: dict[str, list[str]] = {}
    for e in refs:
        for c in screener.reference.entries[e].hs6:
            by_code.setdefault(c, []).append(e)
    sharing = [es for es in by_code.values() if len(es) > 1]
    places = sorted(screener.reference.places.groups_of()) + ["FR", "DE"]
    known = screener.known_codes.to_list()
    hits, codes = [], []
    for r in range(n_rows):
        if rnd.random() < 0.2:
            continue                                  # a row with no hits at all
        picks = [rnd.choice(refs) for _ in range(rnd.randint(0, 4))] + rnd.choice(sharing)[:rnd.randint(0, 3)]
        rnd.shuffle(picks)
        picks += picks[:rnd.randint(0, 2)]            # repeated mentions
        for e in picks:
            muted = rnd.random() < 0.1
            hits.append({"row": r, "kind": "goods", "ref": e, "negation": muted, "hypothetical": False, "role": None})
        for p in rnd.sample(places, rnd.randint(0, 2)):
            for _ in range(rnd.choice([1, 1, 2])):  # a place named twice, in the same or another role
                hits.append({"row": r, "kind": "country", "ref": p, "negation": False, "hypothetical": False,
                             "role": rnd.choice(["destination", "origin", "transit", "mentioned"])})
        if rnd.random() < 0.1:
            hits.append({"row": r, "kind": "phrase", "ref": "via", "negation": False, "hypothetical": False,
                         "role": None})
        for _ in range(rnd.choice([0, 0, 1, 2])):
            codes.append({"row": r, "code": rnd.choice(known + ["999999"])})
    return hits, codes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_row_features_match_a_plain_reading(screener, seed):
    n_rows = 300
    hits, codes = _random_matches(screener, n_rows, seed)
    m = Matches(
        hits=pl.DataFrame(hits, schema={"row": pl.UInt32, "kind": pl.String, "ref": pl.String,
                                        "negation": pl.Boolean, "hypothetical": pl.Boolean,
                                        "role": pl.String}),
        codes=pl.DataFrame(codes, schema={"row": pl.UInt32, "code": pl.String}), repairs={})
    got = row_features(m, n_rows, screener.tables).to_dicts()
    want = _expected(hits, codes, n_rows, screener)
    for g, w in zip(got, want):
        assert g == w, f"row {w['row']}"


def test_row_features_without_any_hit(screener):
    m = Matches(hits=pl.DataFrame(schema={"row": pl.UInt32, "kind": pl.String, "ref": pl.String,
                                          "negation": pl.Boolean, "hypothetical": pl.Boolean,
                                          "role": pl.String}),
                codes=pl.DataFrame(schema={"row": pl.UInt32, "code": pl.String}), repairs={})
    out = row_features(m, 3, screener.tables)
    assert out["row"].to_list() == [0, 1, 2]
    lists = [c for c in out.columns[1:] if c not in ("item_value_max", "heading_mismatch")]
    assert all(v == [] for c in lists for v in out[c].to_list())
    assert all(out[c].dtype == pl.List(pl.String) for c in lists)
    assert out["item_value_max"].to_list() == [None] * 3
    assert out["heading_mismatch"].to_list() == [False] * 3


def _reference_sort(votes: pl.DataFrame) -> pl.DataFrame:
    return votes.sort(["row", "score", "seen", "cid"], descending=[False, True, False, False]).select("row", "cid")


@pytest.mark.parametrize("score_span", [1_000, 2 ** 58])   # packed into one integer / too wide: four-column sort
def test_sort_votes_orders_like_a_four_column_sort(score_span):
    rnd = random.Random(score_span)
    n = 2000
    pairs = sorted({(rnd.randrange(200), rnd.randrange(50)) for _ in range(n)})
    votes = pl.DataFrame({
        "row": [r for r, _ in pairs], "cid": [c for _, c in pairs],
        "score": [rnd.choice([rnd.randrange(score_span), 7]) for _ in pairs],   # ties on score
        "seen": [rnd.randrange(4) for _ in pairs],
    }, schema={"row": pl.UInt32, "cid": pl.UInt32, "score": pl.Int64, "seen": pl.Int64}).sample(fraction=1.0, seed=1)
    assert _sort_votes(votes, 50).equals(_reference_sort(votes))


def test_hits_out_of_row_order_give_the_same_features(screener):
    hits, codes = _random_matches(screener, 120, seed=7)
    schema = {"row": pl.UInt32, "kind": pl.String, "ref": pl.String, "negation": pl.Boolean, "hypothetical": pl.Boolean,
                                        "role": pl.String}
    frame = pl.DataFrame(hits, schema=schema)
    code_frame = pl.DataFrame(codes, schema={"row": pl.UInt32, "code": pl.String})
    in_order = row_features(Matches(frame, code_frame, {}), 120, screener.tables)
    # rows last to first, each row's hits still in their own order
    shuffled = Matches(frame.sort("row", descending=True, maintain_order=True),
                       code_frame.sort("row", descending=True, maintain_order=True), {})
    assert row_features(shuffled, 120, screener.tables).equals(in_order)
