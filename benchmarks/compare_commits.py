"""Do two commits give the same results? `screen`, `batch` and `check` outputs of each, compared.

    python benchmarks/compare_commits.py BASE [HEAD] [--rows 100000] [--keep DIR]

HEAD defaults to `.`, the working tree as it is (uncommitted changes included).

For a change that must not change behaviour (a refactoring, a speed-up): each commit is checked out in a
temporary git worktree and run with this environment's Python and packages, on the same inputs:
- `screen --format json` of every text of benchmarks/data/*.jsonl, ../shared/examples/*.jsonl and the seed
  article (through the Python API in one process: the same function the command calls);
- `screener batch` on those texts plus --rows lines of ../shared/bench's workload (or of our own workload
  when ../shared is absent), CSV out;
- `screener check` on the same texts (.txt, one per line) with --fail-on low, JSON out.
Each commit builds its own store. Outputs are compared byte for byte, except what names the run itself
(the `versions` hashes, which change whenever the code that derives the store changes, and the check
report's time); the first differences are printed. Exit 0 when everything is equal, 1 when not.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

SCREEN_ALL = """
import json, sys
from screener.api import load_screener
from screener.screen import screen_text
screener = load_screener()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in open(sys.argv[1], encoding="utf-8"):
        result = screen_text(screener, json.loads(line))
        result = result.to_dict() if hasattr(result, "to_dict") else result
        result.pop("versions", None)
        out.write(json.dumps(result, ensure_ascii=False, sort_keys=True) + "\\n")
"""


def texts() -> list[str]:
    """Every labelled and example text we have (ours, and ../shared's when present)."""
    files = sorted((REPO / "benchmarks" / "data").glob("*.jsonl"))
    if SHARED.exists():
        files += sorted((SHARED / "examples").glob("*.jsonl"))
    out = [json.loads(line).get("text") or json.loads(line).get("name", "") for f in files
           for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    seed = SHARED / "examples" / "blinken-beijing-dual-use.txt"
    if seed.exists():
        out.append(seed.read_text(encoding="utf-8"))
    return [t for t in out if t]


def workload(rows: int, folder: Path) -> list[str]:
    """`rows` lines of messy trade text: ../shared/bench's generator, else our own planted workload."""
    if rows <= 0:
        return []
    script = SHARED / "bench" / "shipment_workload.py"
    if script.exists():
        subprocess.run([sys.executable, str(script), "--rows", str(rows), "--articles", "1", "--out", str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
        import polars as pl

        return pl.read_csv(folder / "descriptions.csv")["description"].to_list()
    sys.path.insert(0, str(REPO / "benchmarks"))
    from workload import shipment_lines

    from screener.api import load_screener

    return shipment_lines(load_screener().reference, rows, seed=1)[0]


def run_commit(commit: str, inputs: Path, out: Path) -> None:
    """Check `commit` out in a temporary worktree and write its outputs into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tree = REPO if commit == "." else Path(tmp) / "tree"
        if commit != ".":
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), commit], check=True)
        try:
            env = {**os.environ, "PYTHONPATH": str(tree), "SCREENER_DB": str(Path(tmp) / "store.duckdb")}
            env.pop("SCREENER_REFERENCE_DIR", None)
            py = [sys.executable]
            subprocess.run([*py, "-c", SCREEN_ALL, str(inputs / "screen.jsonl"), str(out / "screen.jsonl")],
                           check=True, env=env, cwd=tmp)
            subprocess.run([*py, "-m", "screener", "batch", str(inputs / "batch.csv"), "--text-column", "text",
                            "--output", str(out / "batch.csv"), "--quiet"], check=True, env=env, cwd=tmp)
            check = subprocess.run([*py, "-m", "screener", "check", str(inputs / "check.txt"), "--fail-on", "low",
                                    "--format", "json", "--no-config"], env=env, cwd=tmp, capture_output=True)
            if check.returncode not in (0, 1):
                raise SystemExit(f"{commit}: check failed: {check.stderr.decode()[-400:]}")
            report = json.loads(check.stdout)
            for key in ("provenance", "versions"):
                report.pop(key, None)
            (out / "check.json").write_text(json.dumps(report, ensure_ascii=False, sort_keys=True, indent=1))
        finally:
            if commit != ".":
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=True)


def differences(a: Path, b: Path, limit: int = 5) -> list[str]:
    out = []
    for name in ("screen.jsonl", "batch.csv", "check.json"):
        la = (a / name).read_text(encoding="utf-8").splitlines()
        lb = (b / name).read_text(encoding="utf-8").splitlines()
        if la == lb:
            print(f"{name}: equal ({len(la):,} lines)")
            continue
        diff = [i for i, (x, y) in enumerate(zip(la, lb)) if x != y]
        print(f"{name}: {len(diff):,} lines differ; line counts {len(la):,} and {len(lb):,}")
        out += [f"{name}:{i + 1}\n  - {la[i][:300]}\n  + {lb[i][:300]}" for i in diff[:limit]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("head", nargs="?", default=".")
    parser.add_argument("--rows", type=int, default=100_000, help="workload lines added to the batch input")
    parser.add_argument("--keep", type=Path, default=None, help="keep inputs and outputs in this folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="compare-"))
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    own = texts()
    lines = own + workload(args.rows, work / "workload")
    (inputs / "screen.jsonl").write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in own))
    import polars as pl

    pl.DataFrame({"text": lines}).write_csv(inputs / "batch.csv")
    (inputs / "check.txt").write_text("".join(" ".join(t.split()) + "\n" for t in own), encoding="utf-8")
    for name, commit in (("base", args.base), ("head", args.head)):
        print(f"running {commit} ...", flush=True)
        run_commit(commit, inputs, work / name)
    diffs = differences(work / "base", work / "head")
    for d in diffs:
        print(d)
    print(f"outputs in {work}" if args.keep else "")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
