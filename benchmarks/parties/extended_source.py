"""The extended party benchmark of issue 14, written before the matcher was tuned on it.

`python benchmarks/parties/extended_source.py` (needs ../shared/sources/sanctions) writes:

- `benchmarks/data/parties.jsonl`: the hand-written records of `dataset_source.py`, then ≥ 500 query forms of
  listed entities (a one-edit typo in every token position, legal-form words included; legal forms added,
  removed, translated or left half; transliterations into Cyrillic and between Latin spellings; word order),
  then the real look-alike companies of `lookalikes.py` that share a word with a listed name. Every record has a
  `split`: `tune` or `check` (every third look-alike and every third generated query, untouched while tuning).
- `benchmarks/data/party_texts.jsonl`: ≥ 300 ordinary trade lines whose common words are one-word names or
  aliases on the lists (`listed: false`: no party may match, no band may rise because of a party) and ≥ 200
  running-text sentences that name a listed entity in full (`listed: true`, `expected` refs).

Generation is seeded and reads only the list files, so the output is the same on every run.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from dataset_source import LISTED, NOT_LISTED  # noqa: E402
from lookalikes import LOOKALIKES  # noqa: E402

SOURCES = HERE.parents[1].parent / "shared" / "sources" / "sanctions"
DATA = HERE.parents[0] / "data"
S = "OFAC-SDN:"
TOKEN = re.compile(r"[A-Za-z0-9]+")
LEGAL_WORDS = {"LLC", "LTD", "JSC", "PJSC", "OJSC", "CJSC", "OOO", "OAO", "ZAO", "PAO", "AO", "LIMITED", "LIABILITY",
               "COMPANY", "JOINT", "STOCK", "PUBLIC", "OPEN", "CLOSED", "OBSHCHESTVO", "AKTSIONERNOE", "S",
               "OGRANICHENNOY", "OGRANICHENNOI", "OTVETSTVENNOSTYU", "INC", "CO", "CORP", "GMBH", "AG", "SA", "PLC",
               "FZE", "FZCO", "LLP", "PTE", "PUBLICHNOE", "ZAKRYTOE", "OTKRYTOE", "CORPORATION"}
# legal forms: full English, Russian transliteration, abbreviation (the forms a query may be given in)
FORMS = {
    "llc": ["LIMITED LIABILITY COMPANY", "OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU", "LLC", "OOO"],
    "jsc": ["JOINT STOCK COMPANY", "AKTSIONERNOE OBSHCHESTVO", "JSC", "AO"],
    "pjsc": ["PUBLIC JOINT STOCK COMPANY", "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO", "PJSC", "PAO"],
    "ojsc": ["OPEN JOINT STOCK COMPANY", "OTKRYTOE AKTSIONERNOE OBSHCHESTVO", "OJSC", "OAO"],
    "cjsc": ["CLOSED JOINT STOCK COMPANY", "ZAKRYTOE AKTSIONERNOE OBSHCHESTVO", "CJSC", "ZAO"],
}
HALF = {"pjsc": ["PUBLIC", "PUBLIC COMPANY"], "ojsc": ["OPEN", "OPEN COMPANY"], "cjsc": ["CLOSED"],
        "jsc": ["STOCK COMPANY", "JOINT STOCK"], "llc": ["LIMITED", "LIABILITY COMPANY"]}
CYR = [("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"), ("ya", "я"),
       ("yo", "ё"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
       ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
       ("t", "т"), ("u", "у"), ("f", "ф"), ("c", "к"), ("x", "кс"), ("w", "в"), ("h", "х"), ("q", "к"), ("j", "дж")]
CYR_FORMS = {"llc": "ООО", "jsc": "АО", "pjsc": "ПАО", "ojsc": "ОАО", "cjsc": "ЗАО"}
LATIN_VARIANTS = [("kh", "h"), ("ks", "x"), ("ts", "tz"), ("y", "i"), ("v", "w"), ("shch", "sch"), ("zh", "j"),
                  ("iy", "y"), ("ye", "e"), ("x", "ks")]


def read_sdn() -> dict[str, dict]:
    """Entities (SDN_Type `-0-`) of sdn.csv with their names from alt.csv."""
    ents: dict[str, dict] = {}
    with open(SOURCES / "ofac_sdn" / "sdn.csv", encoding="utf-8", errors="replace", newline="") as f:
        for r in csv.reader(f):
            if len(r) > 3 and r[2].strip() == "-0-":
                ents[r[0]] = {"id": r[0], "name": r[1].strip(), "programs": r[3], "aliases": []}
    with open(SOURCES / "ofac_sdn_alt" / "alt.csv", encoding="utf-8", errors="replace", newline="") as f:
        for r in csv.reader(f):
            if len(r) > 3 and r[0] in ents:
                ents[r[0]]["aliases"].append(r[3].strip())
    return ents


def legal_form(name: str) -> tuple[str | None, str]:
    """(form key, the name without it) when the name starts or ends with a legal form we know."""
    up = " ".join(name.upper().replace(",", " ").split())
    spellings = sorted(((sp, key) for key, sps in FORMS.items() for sp in sps), key=lambda x: -len(x[0]))
    for sp, key in spellings:
        if up.startswith(sp + " "):
            return key, up[len(sp) + 1:]
        if up.endswith(" " + sp):
            return key, up[:-len(sp) - 1]
    return None, up


def typo(word: str, rng: random.Random) -> str:
    """One edit inside a word: swap two adjacent letters, drop one, double one or replace one."""
    if len(word) < 3:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap" and word[i] != word[i + 1 if i + 1 < len(word) else i - 1]:
        j = i + 1 if i + 1 < len(word) else i - 1
        a, b = sorted((i, j))
        return word[:a] + word[b] + word[a] + word[b + 1:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    alphabet = "AEIOUNRSTLK" if word.isupper() else "aeiounrstlk"
    c = rng.choice([x for x in alphabet if x != word[i]])
    return word[:i] + c + word[i + 1:]


def to_cyrillic(text: str) -> str:
    out, s, i = [], text.lower(), 0
    while i < len(s):
        for lat, cyr in CYR:
            if s.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            out.append(s[i])
            i += 1
    return "".join(out).title()


def latin_variant(text: str) -> str | None:
    low = text.lower()
    for a, b in LATIN_VARIANTS:
        if a in low:
            return low.replace(a, b, 1).upper()
    return None


def usable(ent: dict) -> bool:
    """A company name with a distinctive word of 5+ letters (the benchmark is not about 2-letter acronyms)."""
    toks = [t for t in TOKEN.findall(ent["name"].upper()) if t not in LEGAL_WORDS]
    return (len(ent["name"]) <= 70 and any(len(t) >= 5 for t in toks) and len(toks) <= 5
            and not re.search(r"\d{3,}|[(/]", ent["name"]))


def queries(ents: dict[str, dict], rng: random.Random, n_entities: int = 150) -> list[dict]:
    """Query forms of a seeded sample of entities: typos in every token position, legal forms, scripts, order."""
    pool = sorted((e for e in ents.values() if usable(e)), key=lambda e: int(e["id"]))
    russian = [e for e in pool if "RUSSIA" in e["programs"] or "BELARUS" in e["programs"]]
    other = [e for e in pool if e not in russian]
    chosen = rng.sample(russian, n_entities * 2 // 3) + rng.sample(other, n_entities - n_entities * 2 // 3)
    out: list[dict] = []

    def add(name: str, ent: dict, kind: str, note: str) -> None:
        out.append({"name": name, "listed": True, "expected": [S + ent["id"]], "kind": kind, "note": note})

    for k, ent in enumerate(chosen):
        name = ent["name"]
        words = name.split()
        # a typo in one position, cycling through positions (legal-form words included)
        pos = [i for i, w in enumerate(words) if len(TOKEN.sub("", w)) < len(w) or len(w) >= 3]
        i = pos[k % len(pos)] if pos else 0
        t = typo(words[i], rng)
        if t != words[i]:
            where = "legal-form word" if words[i].strip(",.").upper() in LEGAL_WORDS else "name word"
            add(" ".join(words[:i] + [t] + words[i + 1:]), ent, "typo", f"one edit in token {i + 1} ({where})")
        # and a second typo elsewhere for every other entity
        if k % 2 and len(words) > 1:
            j = (i + 1) % len(words)
            t = typo(words[j], rng)
            if t != words[j]:
                add(" ".join(words[:j] + [t] + words[j + 1:]), ent, "typo", f"one edit in token {j + 1}")
        key, core = legal_form(name)
        if key:
            spellings = FORMS[key]
            other_sp = [s for s in spellings if s not in name.upper()]
            add(f"{core} {rng.choice(other_sp)}" if k % 2 else f"{rng.choice(other_sp)} {core}", ent,
                "legal_form", "legal form translated (English / Russian transliteration / abbreviation)")
            add(core, ent, "legal_form", "legal form removed")
            add(f"{rng.choice(HALF[key])} {core}", ent, "legal_form", "legal form left half")
            if "RUSSIA" in ent["programs"]:
                add(f"{CYR_FORMS[key]} {to_cyrillic(core)}", ent, "transliteration", "Cyrillic from the Latin form")
        else:
            form = rng.choice(["LLC", "LTD", "JSC", "CO., LTD.", "INC", "GMBH", "OOO", "FZE"])
            if not name.upper().endswith(form):
                add(f"{name} {form}", ent, "legal_form", "legal form added")
        var = latin_variant(core if key else name)
        if var:
            add(var, ent, "transliteration", "another Latin transliteration")
        cw = core.split() if key else [w for w in words if w.upper() not in LEGAL_WORDS]
        if len(cw) >= 2:
            rot = cw[1:] + cw[:1]
            add(" ".join(rot) + (f" {FORMS[key][2]}" if key else ""), ent, "order", "word order changed")
    for n, rec in enumerate(out):
        rec["split"] = "check" if n % 3 == 2 else "tune"
    return out


def alias_tokens(ents: dict[str, dict], extra: list[str]) -> dict[str, set[str]]:
    """Token → listed names containing it (SDN names and aliases, plus names of the other lists)."""
    index: dict[str, set[str]] = defaultdict(set)
    for e in ents.values():
        for n in [e["name"], *e["aliases"]]:
            for t in TOKEN.findall(n.upper()):
                index[t].add(n)
    for n in extra:
        for t in TOKEN.findall(n.upper()):
            index[t].add(n)
    return index


def other_list_names() -> list[str]:
    """Names in the UN, OFAC non-SDN and FTM files (a plain scan of their name fields)."""
    names = []
    un = SOURCES / "un_sc" / "UN.xml"
    if un.exists():
        names += re.findall(r"<(?:FIRST_NAME|ALIAS_NAME)>([^<]+)<", un.read_text(encoding="utf-8", errors="replace"))
    cons = SOURCES / "ofac_consolidated_non_sdn" / "OFAC.csv"
    if cons.exists():
        with open(cons, encoding="utf-8", errors="replace", newline="") as f:
            names += [r[1] for r in csv.reader(f) if len(r) > 1]
    for p in (SOURCES / "opensanctions_ftm").glob("*.json"):
        names += re.findall(r'"name": \["([^"]+)"', p.read_text(encoding="utf-8", errors="replace"))
    return names


def lookalikes(ents: dict[str, dict]) -> list[dict]:
    """The look-alikes that share a non-legal-form word with a listed name; listed names themselves dropped."""
    extra = other_list_names()
    index = alias_tokens(ents, extra)
    listed_exact = {" ".join(TOKEN.findall(n.upper())) for e in ents.values() for n in [e["name"], *e["aliases"]]}
    listed_exact |= {" ".join(TOKEN.findall(n.upper())) for n in extra}
    kept_old = {r[0] for r in NOT_LISTED}
    out = []
    for line in LOOKALIKES:
        name, country = line.split("|")
        if name in kept_old or " ".join(TOKEN.findall(name.upper())) in listed_exact:
            continue
        shared = [t for t in TOKEN.findall(name.upper()) if t not in LEGAL_WORDS and len(t) >= 3 and t in index]
        if not shared:
            continue
        example = sorted(index[shared[0]], key=len)[0]
        out.append({"name": name, "listed": False, "expected": [], "kind": "lookalike", "country": country,
                    "note": f"real company; shares {', '.join(w.lower() for w in shared)} (e.g. {example})"})
    for n, rec in enumerate(out):
        rec["split"] = "check" if n % 3 == 2 else "tune"
    return out


COMMON = ["Star", "Alpha", "Vector", "Progress", "Orion", "Granit", "Vega", "Integral", "Start", "Spectrum",
          "Optima", "Phoenix", "Emerald", "Atlant", "Scan", "Planar", "Antares", "Avangard", "Zvezda", "Delta",
          "Sigma", "Atlas", "Titan", "Polar", "Arctic", "Baltic", "Neva", "Volga", "Ural", "Sever", "Vostok",
          "Energy", "Fortuna", "Sirius", "Pulsar", "Comet", "Meteor", "Kristall", "Crystal", "Diamond", "Almaz",
          "Rubin", "Eagle", "Falcon", "Horizon", "Quantum", "Matrix", "Signal", "Impulse", "Nova", "Global"]
PRODUCTS = ["black tea", "green tea", "roasted coffee beans", "cotton T-shirts", "ceramic tiles", "office chairs",
            "LED bulbs", "garden hoses", "kitchen knives", "wool blankets", "plastic buckets", "printer paper",
            "bicycle helmets", "canned tomatoes", "olive oil", "toothbrushes", "children's shoes", "yoga mats",
            "frozen shrimp", "paper towels"]
PLACES = ["Hamburg", "Rotterdam", "Moscow", "Almaty", "Tashkent", "Istanbul", "Dubai", "Lyon", "Milan", "Riga",
          "Warsaw", "Yerevan", "Bishkek", "Minsk", "Shanghai"]
FREE_TEMPLATES = [
    "{W} brand {p}, 20 cartons, to {c}",
    "{p}, consignee {W} Trading, {c}",
    "{p} in {w} colour, 500 pcs, delivery {c}",
    "Invoice 2291: {p}, model {W} 200, FOB {c}",
    "Shipment of {p} for the {W} hotel chain, {c}",
    "{W} series {p}, 40 boxes, buyer in {c}",
    "Retail display for {p}, '{W}' collection, to {c}",
    "{p} packed by {W} Logistics warehouse, {c}",
    "Order from {W} supermarket, {c}: {p}, 12 pallets",
    "{p}, brand {W}, consignee: retail shop in {c}",
    "The {w} of our catalogue: {p}, shipped to {c}",
    "{p} with {w} print, 300 units, {c}",
]
RUNNING = [
    "The consignee named on the invoice is {N}, according to the shipping documents.",
    "Payment for the {p} was routed on behalf of {N} through a third bank.",
    "Customs records show that {N} received a consignment of {p} last spring.",
    "Investigators said the components ended up with {N} after passing through {c}.",
    "A freight forwarder in {c} shipped the goods to {N} in three lots.",
    "The end user declared for the order was {N}.",
    "Our records list {N} as the buyer of the {p}.",
    "{N} placed an order for spare parts via an intermediary in {c}.",
]


def texts(ents: dict[str, dict], query_entities: list[str], rng: random.Random) -> list[dict]:
    """Trade lines with common one-word names (negatives) and sentences naming listed entities (positives)."""
    out = []
    for i in range(330):
        w = COMMON[i % len(COMMON)]
        tpl = FREE_TEMPLATES[(i // len(COMMON) + i) % len(FREE_TEMPLATES)]
        text = tpl.format(W=w, w=w.lower(), p=rng.choice(PRODUCTS), c=rng.choice(PLACES))
        out.append({"text": text[0].upper() + text[1:], "listed": False, "expected": [], "kind": "common_word",
                    "note": f"'{w}' is an ordinary word or brand here"})
    pool = [ents[i] for i in query_entities]
    for i in range(220):
        ent = pool[i % len(pool)]
        tpl = RUNNING[i % len(RUNNING)]
        out.append({"text": tpl.format(N=ent["name"].title() if i % 2 else ent["name"], p=rng.choice(PRODUCTS),
                                       c=rng.choice(PLACES)),
                    "listed": True, "expected": [S + ent["id"]], "kind": "running_text",
                    "note": "full listed name in a sentence"})
    for n, rec in enumerate(out):
        rec["id"] = f"t{n + 1:04d}"
        rec["split"] = "check" if n % 3 == 2 else "tune"
    return [{"id": r.pop("id"), **r} for r in out]


def main() -> None:
    rng = random.Random(14)
    ents = read_sdn()
    qs = queries(ents, rng)
    looks = lookalikes(ents)
    records = []
    for name, expected, kind, note in LISTED:
        records.append({"name": name, "listed": True, "expected": expected, "kind": kind, "note": note,
                        "split": "tune"})
    for name, kind, note in NOT_LISTED:
        records.append({"name": name, "listed": False, "expected": [], "kind": kind, "note": note, "split": "tune"})
    records += qs + looks
    with open(DATA / "parties.jsonl", "w", encoding="utf-8") as f:
        for n, rec in enumerate(records, 1):
            f.write(json.dumps({"id": f"p{n:04d}", **rec}, ensure_ascii=False) + "\n")
    query_entities = list(dict.fromkeys(r["expected"][0][len(S):] for r in qs))
    ts = texts(ents, query_entities, rng)
    with open(DATA / "party_texts.jsonl", "w", encoding="utf-8") as f:
        for rec in ts:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    listed = sum(r["listed"] for r in records)
    print(f"parties.jsonl: {len(records)} records ({listed} listed, {len(qs)} generated queries; "
          f"{len(records) - listed} not listed, {len(looks)} look-alikes of lookalikes.py, "
          f"{sum(r['split'] == 'check' for r in looks)} in the check split)")
    print(f"party_texts.jsonl: {len(ts)} texts ({sum(not r['listed'] for r in ts)} common-word lines, "
          f"{sum(r['listed'] for r in ts)} running-text sentences)")


if __name__ == "__main__":
    main()
