"""The nomenklatura comparison harness (benchmarks/parties/bench_quality.py) gives every query its own entity id:
logic-v2 memoises name analysis per entity, keyed by the entity's id, so one shared id scored every query with the
first query's names (its recall collapsed after the first records)."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks" / "parties"))
from bench_quality import query_entity  # noqa: E402


class _Entity:
    """An entity as FollowTheMoney's proxy is for a cache: hashed and compared by id only."""

    def __init__(self, schema: str):
        self.schema, self.id, self.props = schema, None, {}

    def add(self, prop: str, value: str) -> None:
        self.props.setdefault(prop, []).append(value)

    def __hash__(self) -> int:
        return hash(self.id)

    def __eq__(self, other) -> bool:
        return self.id == other.id


class _Model:
    @staticmethod
    def make_entity(schema: str) -> _Entity:
        return _Entity(schema)


@lru_cache(maxsize=128)
def _names(entity: _Entity) -> tuple[str, ...]:  # what logic-v2's memoised name analysis does
    return tuple(entity.props["name"])


def test_each_query_has_its_own_id_in_an_id_keyed_cache():
    recs = [{"id": "p1", "name": "JOINT STOCK COMPANY MIKRON"}, {"id": "p2", "name": "Alpha Bank SA", "country": "GR"},
            {"name": "Rostekh"}]
    got = [_names(query_entity(_Model, n, rec)) for n, rec in enumerate(recs)]
    assert got == [(r["name"],) for r in recs]
    assert query_entity(_Model, 1, recs[1]).props["country"] == ["gr"]


def test_candidate_search_reads_cyrillic_as_latin():
    from bench_quality import _retrieval_form

    assert _retrieval_form("АО Микрон") == _retrieval_form("AO Mikron") == "ao mikron"
