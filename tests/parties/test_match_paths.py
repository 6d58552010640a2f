"""The faster paths decide as the plain ones: `scorer.Reach` is align's floor test, the forked pool gives the
matches a plain loop gives, and decisions and matches survive pickling (how pool workers hand them back)."""

import json
import pickle

from screener.batch import party_pool
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
