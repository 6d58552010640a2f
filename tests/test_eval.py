"""Detection floors on our labelled benchmark (issue 3): a regression below them fails the build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.evaluate import evaluate_dataset

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"


@pytest.fixture(scope="module")
def items(screener):
    return evaluate_dataset(screener, DATA / "items.jsonl")[0]


def test_item_detection_floors(items):
    o = items["overall"]
    assert o["recall"] >= 0.95, o
    assert o["precision"] >= 0.95, o
    assert o["fpr"] <= 0.03, o


def test_hs_accuracy_floors(items):
    assert items["hs_heading_top1"] >= 0.90
    assert items["hs_subheading_top3"] >= 0.85


def test_every_trap_stays_mostly_silent(items):
    loud = {trap: m for trap, m in items["per_trap"].items() if m["fp"] > 1}
    assert not loud, loud


def test_eval_command_writes_misses(tmp_path):
    src = tmp_path / "set.jsonl"
    rows = [{"id": "a", "text": "500 pcs FPGA XC7A100T-1CSG324C", "controlled": True},
            {"id": "b", "text": "Potato chips, salted, 200 g", "controlled": False},
            {"id": "c", "text": "Black tea, 20 cartons", "controlled": True}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    misses = tmp_path / "misses.jsonl"
    result = CliRunner().invoke(cli, ["eval", str(src), "--misses", str(misses), "--format", "json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.output)
    assert metrics["overall"]["tp"] == 1 and metrics["overall"]["fn"] == 1 and metrics["overall"]["tn"] == 1
    missed = [json.loads(line) for line in misses.read_text(encoding="utf-8").splitlines()]
    assert [m["id"] for m in missed] == ["c"] and missed[0]["kind"] == "false_negative"


def test_eval_rejects_unknown_layout(tmp_path):
    src = tmp_path / "set.jsonl"
    src.write_text('{"foo": 1}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(src)])
    assert result.exit_code == 2 and "neither" in result.output
