"""The faster paths decide as the plain ones: `scorer.Reach` is align's floor test, blocking a block of queries at
once gives each query its own candidates, the forked pool gives the matches a plain loop gives, and decisions and
matches survive pickling (how pool workers hand them back)."""

import json
import pickle

from screener.batch import party_pool
from screener.parties.index import _token_keys
from screener.parties.normalize import name_tokens
from screener.parties.scorer import Reach, align, units

from .conftest import BENCHMARK


def _names(n: int) -> list[str]:
    with open(BENCHMARK, encoding="utf-8") as f:
        return [json.loads(line)["name"] for line in f][:n]


def test_reach_says_no_only_where_align_gives_up(shared_matcher):
    ix, floor = shared_matcher.index, shared_matcher.review
    said_yes = 0
    for name in _names(400):
        q = name_tokens(name)
        if not q:
            continue
        qw = tuple(ix.weight(t) for t in q)
        qunits = units(q, qw)
        reach = Reach(qw, qunits)
        for aid in (a for ranked in ix.candidates(q, 25) for a in ranked):
            al = ix.aliases[aid]
            sc = align(q, qw, al.tokens, al.weights, qunits, al.units, floor)
            assert reach.reaches(al, floor) == bool(sc.pairs), (name, al.text)  # align gives up: no pairs
            said_yes += bool(sc.pairs)
    assert said_yes > 100


def test_the_pool_gives_what_a_plain_loop_gives(shared_matcher, monkeypatch):
    monkeypatch.setattr(party_pool, "PARALLEL_MIN", 50)
    names = _names(300)
    plain = shared_matcher.match_names(names)
    pooled = party_pool.match_many(shared_matcher, names + names[::-1], workers=2)
    assert pooled == plain + plain[::-1] and sum(map(len, plain)) > 100


def test_matches_survive_pickling(shared_matcher):
    ms = [m for n in _names(50) for m in shared_matcher.match_name(n)]
    assert ms and pickle.loads(pickle.dumps(ms)) == ms
    best = shared_matcher.score_tokens(name_tokens("JOINT STOCK COMPANY MIKRON"))
    assert best and pickle.loads(pickle.dumps(best)) == best


def _plain_candidates(ix, q: tuple[str, ...], limit: int) -> list[list[int]]:
    """The blocking rule of `PartyIndex.candidates_many`, one query at a time in plain Python."""
    out = []
    for table in ix.index:
        weight: dict[int, float] = {}
        for key in (k for t in dict.fromkeys(q) for k in _token_keys(t) if k in table):
            start, end, w = table[key]
            for a in ix.flat[start:end].tolist():
                weight[a] = weight.get(a, 0.0) + w
        if len(weight) > limit:
            cut = sorted(weight.values(), reverse=True)[limit - 1]
            ranked = sorted(((c, len(set(q) & set(ix.aliases[a].tokens)), -a) for a, c in weight.items() if c >= cut),
                            reverse=True)
            out.append([-a for _, _, a in ranked[:limit]])
        elif weight:
            out.append(list(weight))
    return out


def test_candidates_of_a_block_are_each_query_s_own(shared_matcher):
    """A block of queries gives each query the candidates the plain rule gives it alone, whatever its neighbours."""
    ix = shared_matcher.index
    qs = [q for q in (name_tokens(n) for n in _names(600)) if q]
    qs += [("al", "hamid", "al"), ("trading", "group"), ()]
    for limit in (3, 25):
        block = list(ix.candidates_many(qs, limit))
        assert block == [_plain_candidates(ix, q, limit) for q in qs]
        assert list(ix.candidates_many(qs[::-1], limit)) == block[::-1]
    assert sum(len(ranked) == 25 for lists in block for ranked in lists) > 20  # the limit was reached often
