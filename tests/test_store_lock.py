"""Concurrent first runs on a store that does not exist yet: one builds it, the others wait and use it
(issue 18 #12: two first runs raced on the temporary build file)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _small_reference(tmp_path: Path) -> Path:
    """The bundled reference data with one lexicon file: a store that builds in a few seconds."""
    ref = tmp_path / "reference_data"
    shutil.copytree(REPO / "reference_data", ref)
    for f in (ref / "lexicon").glob("*.yaml"):
        if f.name != "bearings.yaml":
            f.unlink()
    shutil.rmtree(ref / "lexicon" / "i18n", ignore_errors=True)  # overlays name entries of the removed files
    return ref


def test_concurrent_first_runs_build_the_store_once(tmp_path):
    env = {**os.environ, "SCREENER_REFERENCE_DIR": str(_small_reference(tmp_path)),
           "SCREENER_DB": str(tmp_path / "store" / "s.duckdb")}
    commands = [["screen", "Ball bearings 6205, 2000 pcs"], ["screen", "Ball bearings 6205, 2000 pcs"],
                ["reference", "info"], ["reference", "build"]]
    procs = [subprocess.Popen([sys.executable, "-m", "screener", *c], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for c in commands]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    for (code, out, err), command in zip(results, commands):
        assert code == 0, (command, err)
        assert "Error" not in err, (command, err)
    assert results[0][1] == results[1][1] and "bearing" in results[0][1].lower()
    # the commands that build when they must announce it; the store was built by one of them, or by
    # `reference build`, and the others waited: at most one announcement
    assert sum("Building the reference store" in err for _, _, err in results[:3]) <= 1
    assert not list((tmp_path / "store").glob("*.building*"))
