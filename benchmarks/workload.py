"""A deterministic, seeded workload of shipment lines and articles built from the current lexicon.

Each shipment line is 60–200 characters with one to three planted lexicon terms (82 % as written,
6 % plural, 2 % word order swapped, 10 % with one typo), noise words, quantities, sometimes a
declared HS code and a place. The planted entry and whether it carries a typo are recorded, so a
benchmark can measure typo recall on the same rows it times.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from screener.lexicon.forms import plural
from screener.reference.lookup import Reference

NOISE = ("pcs lot qty net gross weight kg pallet carton box order invoice ref po item model new original stock "
         "delivery terms fob cif exw incoterms shipper consignee packing marks date batch serial spare "
         "assorted as per specification customer supplier warehouse").split()
PLACES = ["Hamburg, Germany", "Almaty, Kazakhstan", "Moscow", "Dubai, UAE", "Istanbul", "Rotterdam",
          "Shenzhen", "Yerevan", "Tashkent", "Lyon, France", "Osaka", "Minsk"]
CODES = ["HS 8542.31", "HS 8482.10", "HS 8536.69", "HS 8471.50", "tariff code 903020", "HS 6109.10",
         "HS 0902.30", "HTS 8541.29.0095"]


@dataclass
class Planted:
    entry_id: str
    typo: bool


def _typo(term: str, rng: random.Random) -> str | None:
    """One edit (substitution, deletion, insertion or transposition) inside a word of 6+ letters."""
    words = term.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isascii() and w.isalpha()]
    if not long:
        return None
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        w = w[:j] + rng.choice("aeioulnrst".replace(w[j], "")) + w[j + 1:]
    elif kind == 1:
        w = w[:j] + w[j + 1:]
    elif kind == 2:
        w = w[:j] + rng.choice("aeiou") + w[j:]
    else:
        w = w[:j - 1] + w[j] + w[j - 1] + w[j + 1:]
    words[i] = w
    return " ".join(words)


def terms_of(ref: Reference) -> list[tuple[str, str]]:
    """(entry id, English strong term) pairs usable for planting."""
    return [(e.id, t) for e in ref.entries.values() for t in e.strong if t.isascii() and len(t) >= 4]


def shipment_lines(ref: Reference, n: int, seed: int = 20261128) -> tuple[list[str], list[list[Planted]]]:
    rng = random.Random(seed)
    terms = terms_of(ref)
    typo_terms = [(eid, t) for eid, t in terms if any(len(w) >= 6 and w.isalpha() for w in t.split(" "))]
    lines, planted = [], []
    for _ in range(n):
        parts, plants = [], []
        for _ in range(rng.randint(1, 3)):
            roll = rng.random()
            if roll < 0.10:
                eid, term = rng.choice(typo_terms)
                term, typo = (_typo(term, rng) or term), True
            else:
                eid, term = rng.choice(terms)
                typo = False
                if roll < 0.16 and not term.endswith(("s", "ing")) and term[-1].isalpha():
                    words = term.split(" ")
                    term = " ".join(words[:-1] + [plural(words[-1])])
                elif roll < 0.18 and " " in term:
                    words = term.split(" ")
                    term = words[-1] + ", " + " ".join(words[:-1])
            parts.append(term.upper() if rng.random() < 0.1 else term)
            plants.append(Planted(eid, typo))
        noise = rng.sample(NOISE, rng.randint(3, 8)) + [f"{rng.randint(1, 50000)} pcs"]
        if rng.random() < 0.3:
            noise.append(rng.choice(CODES))
        if rng.random() < 0.3:
            noise.append("to " + rng.choice(PLACES))
        while noise and len(" ".join(parts + noise)) > 200:  # never cut a planted term
            noise.pop()
        parts += noise
        rng.shuffle(parts)
        text = " ".join(parts)
        while len(text) < 60:
            text += " " + rng.choice(NOISE)
        lines.append(text)
        planted.append(plants)
    return lines, planted


def articles(ref: Reference, n: int, size: int = 5000, seed: int = 7) -> list[str]:
    """News-like texts of about `size` characters with a few planted terms and places."""
    rng = random.Random(seed)
    terms = terms_of(ref)
    filler = ("The ministry said on Tuesday that exports rose in the third quarter while officials in Brussels "
              "discussed new measures against evasion through third countries and reviewed customs data. ").split()
    out = []
    for _ in range(n):
        words = []
        while sum(len(w) + 1 for w in words) < size:
            r = rng.random()
            words.append(rng.choice(terms)[1] if r < 0.01 else rng.choice(PLACES) if r < 0.02 else rng.choice(filler))
        out.append(" ".join(words))
    return out
