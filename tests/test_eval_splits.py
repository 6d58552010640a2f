"""`screener eval --splits`: the tuning and check parts measured in one run, side by side, with their gap.

Runs on a small data folder laid out like benchmarks/data, so the figures are known in advance.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from screener.cli import cli
from screener.evaluate_splits import NEW_LANGUAGES, SPLITS, evaluate_splits

FPGA = {"text": "500 pcs FPGA XC7A100T-1CSG324C", "controlled": True, "lang": "en", "hs6": "854231"}
TEA = {"text": "Black tea, 20 cartons", "controlled": True, "lang": "fr"}
CHIPS = {"text": "Potato chips, salted, 200 g", "controlled": False, "lang": "en"}
ARTICLE_YES = {"text": "Prosecutors say the company shipped FPGA XC7A100T chips and oscilloscopes to a buyer in "
                       "Moscow through a front company in Almaty, without the export licences they needed.",
               "relevant": True}
ARTICLE_NO = {"text": "The bakery on the corner sells fresh bread and cakes every morning, and on Sundays it "
                      "also makes a plum tart that the whole street queues for.", "relevant": False}


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(dict(r, id=f"r{n}")) + "\n" for n, r in enumerate(rows)), encoding="utf-8")


@pytest.fixture()
def data_dir(tmp_path) -> Path:
    """Tuning: every positive found; check: one positive of two found (the tea line names no listed goods)."""
    files = {**{n: [FPGA, CHIPS] for n in SPLITS["tuning"]["items"]},
             **{n: [ARTICLE_YES, ARTICLE_NO] for n in SPLITS["tuning"]["articles"]},
             "check/items.jsonl": [FPGA, TEA, CHIPS], "check/articles.jsonl": [ARTICLE_YES, ARTICLE_NO]}
    for name, rows in files.items():
        _write(tmp_path / name, rows)
    return tmp_path


def test_both_parts_and_their_gap(data_dir, screener):
    metrics, misses = evaluate_splits(screener, data_dir)
    tuning, check = metrics["tuning"], metrics["check"]
    assert tuning["goods_records"] == 4 and check["goods_records"] == 3
    assert tuning["goods_recall"] == 1.0 and check["goods_recall"] == 0.5
    assert metrics["gap"]["goods_recall"] == 0.5
    assert metrics["gap"]["articles_f1"] == round(tuning["articles_f1"] - check["articles_f1"], 4)
    assert check["language_recall"]["fr"] == {"recall": 0.0, "positives": 1}
    assert tuning["language_recall"]["fr"] == {"recall": None, "positives": 0}
    assert metrics["gap"]["language_recall"]["fr"] is None
    assert metrics["check_targets"]["goods_recall"]["met"] is False
    assert [(m["split"], m["dataset"], m["text"]) for m in misses] == [("check", "items", TEA["text"])]


def test_cli_prints_the_table_and_writes_misses(data_dir, tmp_path):
    misses = tmp_path / "out.misses.jsonl"
    result = CliRunner().invoke(cli, ["eval", "--splits", "--data-dir", str(data_dir), "--misses", str(misses)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    recall = next(line for line in lines if line.startswith("goods recall "))
    assert recall.split()[2:5] == ["1.000", "0.500", "+0.500"] and "NOT met" in recall
    assert all(any(line.strip().startswith(f"{lang} (") for line in lines) for lang in NEW_LANGUAGES)
    assert [json.loads(line)["split"] for line in misses.read_text(encoding="utf-8").splitlines()] == ["check"]


def test_cli_json_has_both_parts(data_dir, tmp_path):
    result = CliRunner().invoke(cli, ["eval", "--splits", "--data-dir", str(data_dir), "--format", "json",
                                      "--misses", str(tmp_path / "m.jsonl")])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    assert {"tuning", "check", "gap", "check_targets"} <= set(metrics)
    assert metrics["detail"]["check"]["items"]["overall"]["fn"] == 1


@pytest.mark.parametrize("args, message", [
    ([], "give one DATASET, or --splits"),
    (["--data-dir", "."], "give one DATASET, or --splits"),
])
def test_cli_needs_a_dataset_or_splits(args, message):
    result = CliRunner().invoke(cli, ["eval", *args])
    assert result.exit_code == 2 and message in result.output


def test_cli_rejects_a_missing_part(tmp_path):
    _write(tmp_path / "items.jsonl", [FPGA])
    result = CliRunner().invoke(cli, ["eval", "--splits", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "missing" in result.output and "Traceback" not in result.output


def test_the_repository_check_part_is_in_place():
    """The default data folder holds every file the two parts name."""
    from screener.evaluate_splits import default_data_dir

    root = default_data_dir()
    for files in SPLITS.values():
        for names in files.values():
            assert all((root / name).is_file() for name in names), names
