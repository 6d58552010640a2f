"""Party matching quality beside OpenSanctions' nomenklatura `logic-v2`, on the same queries and the same lists.

Usage: python benchmarks/parties/bench_quality.py [--db STORE] [--nk-threshold 0.70] [--no-nomenklatura]

Imports the README's lists (OFAC SDN with alt.csv and add.csv, OFAC non-SDN consolidated, UN SC, the FTM ZALA
excerpt from ../shared/sources/sanctions) into a temporary store, unless `--db` names a store that holds them,
then prints, in one run:

- names (`benchmarks/data/parties.jsonl`): recall and false-positive rate of the match tier, recall of match or
  review, for the whole set and for the `tune` and `check` splits, for screener and for nomenklatura
  `logic-v2` at its default threshold (0.70). Each look-alike's country goes with the query to both matchers.
  nomenklatura has no index of its own here: its candidates are the 20 aliases closest to the query by
  rapidfuzz `token_sort_ratio` and the 10 closest by `token_set_ratio`, both sides transliterated to ASCII (the
  role an Elasticsearch query plays in yente), each entity scored once;
- running text (`benchmarks/data/party_texts.jsonl`, through `screen`): common-word trade lines with a party
  match or a party rule fired (must be 0), and recall of full listed names in sentences.

nomenklatura is a benchmark-only dependency (`pip install nomenklatura`); without it its row is skipped with a
message. CPU time (user+sys) is printed beside wall time: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO.parent / "shared" / "sources" / "sanctions"
DATA = REPO / "benchmarks" / "data"
IMPORTS = [("ofac-sdn", "ofac_sdn/sdn.csv", None), ("ofac-alt", "ofac_sdn_alt/alt.csv", None),
           ("ofac-consolidated", "ofac_consolidated_non_sdn/consolidated.xml", None), ("un", "un_sc/UN.xml", None),
           ("ftm", "opensanctions_ftm/zala_entities.ftm.json", "FTM-ZALA")]
SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def rates(rows: list[tuple[bool, bool, bool]]) -> dict:
    """rows: (listed, match, match or review) → recall, FPR, review recall."""
    pos = [r for r in rows if r[0]]
    neg = [r for r in rows if not r[0]]
    return {"recall": sum(r[1] for r in pos) / len(pos) if pos else float("nan"),
            "fpr": sum(r[1] for r in neg) / len(neg) if neg else float("nan"),
            "review_recall": sum(r[2] for r in pos) / len(pos) if pos else float("nan"),
            "n_pos": len(pos), "n_neg": len(neg), "fp": sum(r[1] for r in neg)}


def ours(records: list[dict], matcher) -> list[tuple[bool, bool, bool]]:
    from screener.parties.evaluate import decisions

    return [(r["listed"], m, mr) for r, (m, mr) in zip(records, decisions(records, matcher))]


def nomenklatura_rows(records: list[dict], con, threshold: float) -> list[tuple[bool, bool, bool]] | None:
    """logic-v2 decisions on the same records against the same entities (None when nomenklatura is absent)."""
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        print("nomenklatura is not installed: its row is skipped (pip install nomenklatura)")
        return None
    from rapidfuzz import fuzz, process

    algo = get_algorithm("logic-v2")
    config = ScoringConfig.defaults()
    names: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for lst, eid, name, strength in con.execute(
            "SELECT list, entity_id, name, strength FROM party_names ORDER BY list, entity_id").fetchall():
        names[(lst, eid)].append((name, strength))
    entities = {}
    for lst, eid, schema, primary, countries in con.execute(
            "SELECT list, entity_id, schema, name, countries FROM party_entities").fetchall():
        e = model.make_entity(SCHEMAS.get(schema, "Company"))
        e.id = f"{lst}:{eid}"
        e.add("name", primary)
        for n, strength in names.get((lst, eid), []):
            e.add("alias" if strength == "strong" else "weakAlias", n)
        for c in countries or []:
            e.add("country", c.lower())
        entities[e.id] = e
    alias_refs = [(f"{k[0]}:{k[1]}", n) for k, ns in names.items() for n, s in ns if s == "strong"]
    choices = [_retrieval_form(n) for _, n in alias_refs]
    out = []
    for n, rec in enumerate(records):
        q = query_entity(model, n, rec)
        qn = _retrieval_form(rec["name"])
        cands = (process.extract(qn, choices, scorer=fuzz.token_sort_ratio, limit=20)
                 + process.extract(qn, choices, scorer=fuzz.token_set_ratio, limit=10))
        refs = list(dict.fromkeys(alias_refs[i][0] for _, _, i in cands))
        scores = {ref: algo.compare(q, entities[ref], config).score for ref in refs if ref in entities}
        want = set(rec.get("expected") or ()) if rec["listed"] else set(scores)
        best = max((s for r, s in scores.items() if r in want), default=0.0)
        out.append((rec["listed"], best >= threshold, best >= threshold))
    return out


def _retrieval_form(name: str) -> str:
    """A name as the candidate search compares it: transliterated to ASCII (rigour, as yente's index does), so a
    Cyrillic query finds its Latin entry, then rapidfuzz's default processing."""
    from rapidfuzz import utils
    from rigour.text import ascii_text

    return utils.default_process(ascii_text(name))


def query_entity(model, n: int, rec: dict):
    """The FollowTheMoney entity of query record `n`, with an id of its own: logic-v2 memoises its name analysis
    per entity (`lru_cache` on the entity, whose hash is its id), so queries sharing one id (`query`) were all
    scored with the first query's names and the harness's recall collapsed after the first records."""
    q = model.make_entity("LegalEntity")
    q.id = f"query-{n}-{rec.get('id', '')}"
    q.add("name", rec["name"])
    if rec.get("country"):
        q.add("country", rec["country"].lower())
    return q


def texts(screener) -> dict:
    """Common-word lines (no party match, no party rule may fire) and full names in sentences (recall)."""
    from screener.screen import screen_texts

    recs = [json.loads(line) for line in (DATA / "party_texts.jsonl").read_text(encoding="utf-8").splitlines()]
    results = screen_texts(screener, [r["text"] for r in recs])
    party_rules = {r.rule.id for r in screener.rules.rules if r.rule.family == "party"}
    raised, found, found_review, misses = 0, 0, 0, []
    neg = [x for x in zip(recs, results) if not x[0]["listed"]]
    pos = [x for x in zip(recs, results) if x[0]["listed"]]
    for rec, res in neg:
        if res["parties"] or any(r["id"] in party_rules for r in res["rules"]):
            raised += 1
            misses.append(("raised", rec["text"], [p["ref"] for p in res["parties"] + res["review"]]))
    for rec, res in pos:
        refs = {p["ref"] for p in res["parties"]}
        found += bool(refs & set(rec["expected"]))
        found_review += bool((refs | {p["ref"] for p in res["review"]}) & set(rec["expected"]))
        if not refs & set(rec["expected"]):
            misses.append(("missed", rec["text"], rec["expected"]))
    return {"common_lines": len(neg), "party_raised": raised, "sentences": len(pos),
            "recall": found / len(pos), "review_recall": found_review / len(pos), "misses": misses}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=None, help="a store that already holds the lists (default: a fresh one)")
    ap.add_argument("--nk-threshold", type=float, default=0.70)
    ap.add_argument("--no-nomenklatura", action="store_true")
    ap.add_argument("--show-misses", type=int, default=0)
    args = ap.parse_args()
    from screener.api import load_screener
    from screener.parties.importers import IMPORTERS
    from screener.reference.store import connect

    tmp = tempfile.TemporaryDirectory()
    db = args.db
    if db is None:
        if not (SOURCES / "ofac_sdn" / "sdn.csv").is_file():
            sys.exit("../shared/sources/sanctions is not available: nothing to benchmark")
        db = str(Path(tmp.name) / "bench.duckdb")
        os.environ["SCREENER_DB"] = db
        t, c = time.perf_counter(), cpu()
        load_screener(db=db, parties=False)  # build the reference store, then import the lists into it
        con = connect(db)
        for kind, rel, name in IMPORTS:
            IMPORTERS[kind](con, SOURCES / rel, list_name=name)
        con.close()
        print(f"store built and lists imported: {time.perf_counter() - t:.1f} s wall, {cpu() - c:.1f} s CPU")
    t, c = time.perf_counter(), cpu()
    screener = load_screener(db=db)
    print(f"screener loaded: {time.perf_counter() - t:.1f} s wall, {cpu() - c:.1f} s CPU; "
          f"{len(screener.parties.index.aliases)} aliases")
    records = [json.loads(line) for line in (DATA / "parties.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = {}
    t, c = time.perf_counter(), cpu()
    rows["screener"] = ours(records, screener.parties)
    print(f"screener on {len(records)} names: {time.perf_counter() - t:.1f} s wall, {cpu() - c:.1f} s CPU")
    if not args.no_nomenklatura:
        t, c = time.perf_counter(), cpu()
        con = connect(db, read_only=True)
        nk = nomenklatura_rows(records, con, args.nk_threshold)
        con.close()
        if nk is not None:
            rows[f"nomenklatura logic-v2 @{args.nk_threshold:.2f}"] = nk
            print(f"logic-v2 on {len(records)} names: {time.perf_counter() - t:.1f} s wall, {cpu() - c:.1f} s CPU")
    print()
    print(f"names: {len(records)} records ({sum(r['listed'] for r in records)} listed, "
          f"{sum(not r['listed'] for r in records)} not listed, "
          f"{sum(r.get('kind') == 'lookalike' for r in records)} look-alikes)")
    print(f"{'matcher':32} {'recall':>7} {'FPR':>7} {'review recall':>14} | {'tune R':>7} {'tune FPR':>8} | "
          f"{'check R':>7} {'check FPR':>9}")
    for name, r in rows.items():
        a = rates(r)
        tune = rates([x for x, rec in zip(r, records) if rec.get("split", "tune") == "tune"])
        check = rates([x for x, rec in zip(r, records) if rec.get("split") == "check"])
        print(f"{name:32} {a['recall']:7.4f} {a['fpr']:7.4f} {a['review_recall']:14.4f} | {tune['recall']:7.4f} "
              f"{tune['fpr']:8.4f} | {check['recall']:7.4f} {check['fpr']:9.4f}")
    t, c = time.perf_counter(), cpu()
    tx = texts(screener)
    print(f"\nrunning text through `screen` ({time.perf_counter() - t:.1f} s wall, {cpu() - c:.1f} s CPU):")
    print(f"  common-word trade lines: {tx['common_lines']}, with a party match or party rule: {tx['party_raised']}")
    print(f"  sentences naming a listed entity in full: {tx['sentences']}, recall {tx['recall']:.4f} "
          f"(match or review {tx['review_recall']:.4f})")
    if args.show_misses:
        ours_rows = rows["screener"]
        for (listed, m, _), rec in zip(ours_rows, records):
            if listed != m and args.show_misses > 0:
                args.show_misses -= 1
                print("  name", "missed" if listed else "false positive", rec["name"], rec.get("expected"))
        for kind, text, refs in tx["misses"][:20]:
            print("  text", kind, text, refs)
    tmp.cleanup()


if __name__ == "__main__":
    main()
