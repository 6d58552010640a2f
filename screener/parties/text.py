"""Listed names inside free text: seeds from the blocking index, windows of content words scored around each
seed, one match per entity and span (`resolve`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from screener.parties.normalize import LEGAL_TOKENS, is_generic, skeleton, word_token
from screener.parties.scorer import Scored, accept, align

if TYPE_CHECKING:
    from screener.parties.match import PartyMatch, PartyMatcher

TEXT_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


def find_in_text(matcher: "PartyMatcher", text: str) -> list["PartyMatch"]:
    """Listed names inside free text, with char spans in `text`.

    Seeds are text words found in the blocking index (exact token or phonetic skeleton); each seed's aliases
    are scored on windows of content words around it (legal-form words skipped). Single-word names need an
    exact, capitalised word; multi-word names need the threshold and one capitalised word (unless the whole
    text is lower case).
    """
    if not text:
        return []
    ix = matcher.index
    words = [(m.start(), m.end(), m.group(0), word_token(m.group(0))) for m in TEXT_WORD.finditer(text)]
    content = [i for i, w in enumerate(words) if w[3] and w[3] not in LEGAL_TOKENS]
    lower_text = not any(ch.isupper() for ch in text)
    toks = [words[i][3] for i in content]
    found: dict[tuple[int, int, int], tuple[float, int, list, str]] = {}
    tried: set[tuple[int, int]] = set()
    near_sets: dict[tuple[int, int], set[str]] = {}
    aligned: dict[tuple[int, tuple[str, ...]], Scored] = {}
    for p, tok in enumerate(toks):
        if len(tok) < 2 or is_generic(tok):
            continue
        cands = set(ix.text_index.get(tok, ()))
        if len(tok) >= 4:
            cands.update(ix.text_index.get("s:" + skeleton(tok), ()))
        if len(cands) > 300:
            continue
        for aid in cands:
            al = ix.aliases[aid]
            n = len(al.tokens)
            if n > 1:  # cheap check before scoring: most of the alias's weight is near the seed
                near_set = near_sets.get((p, n))
                if near_set is None:
                    near = toks[max(0, p - n):p + n + 1]
                    near_set = near_sets[(p, n)] = set(near) | {skeleton(t) for t in near}
                present = sum(w for t, w in zip(al.tokens, al.weights)
                              if t in near_set or skeleton(t) in near_set)
                if present < (al.total - 1e-9 if al.strict else 0.6 * al.total):
                    continue
            for size in ((n, n + 1) if n >= 2 and not al.strict else (n,)):
                for start in range(max(0, p - size + 1), min(p, len(toks) - size) + 1):
                    if (aid, start * 1000 + size) in tried:
                        continue
                    tried.add((aid, start * 1000 + size))
                    window = tuple(toks[start:start + size])
                    if al.strict or n == 1:
                        if sorted(window) != sorted(al.tokens):
                            continue
                        sc = Scored(1.0, [(t, t, 1.0) for t in window])
                        method = "exact"
                    else:
                        sc = aligned.get((aid, window))
                        if sc is None:
                            sc = aligned[(aid, window)] = align(
                                window, tuple(ix.weight(t) for t in window), al.tokens, al.weights,
                                aunits=al.units, floor=matcher.threshold)
                        if not accept(sc, matcher.threshold):
                            continue
                        method = "exact" if sc.score >= 0.999 else "fuzzy"
                    wi = content[start:start + size]
                    if not lower_text and not any(words[i][2][:1].isupper() for i in wi
                                                  if not is_generic(words[i][3])):
                        continue
                    key = (al.entity, wi[0], wi[-1])
                    if sc.score > found.get(key, (0.0,))[0]:
                        found[key] = (sc.score, aid, sc.pairs, method)
    out = []
    for (ent, i0, i1), (score, aid, pairs, method) in found.items():
        while i0 > 0 and words[i0 - 1][3] in LEGAL_TOKENS and i0 - 1 not in content:
            i0 -= 1
        while i1 + 1 < len(words) and words[i1 + 1][3] in LEGAL_TOKENS and i1 - i0 < 12:
            i1 += 1
        s, e = words[i0][0], words[i1][1]
        out.append(matcher.make(aid, score, pairs, method, (s, e), text[s:e]))
    return resolve(out)


def resolve(matches: list["PartyMatch"]) -> list["PartyMatch"]:
    """One match per entity (best score, then longest span); within overlapping spans keep the best-scoring
    entries (ties kept: two listed entities may share a name)."""
    per_entity: dict[tuple[str, str], "PartyMatch"] = {}
    for m in matches:
        cur = per_entity.get((m.list, m.entity_id))
        if cur is None or (m.score, m.end - m.start) > (cur.score, cur.end - cur.start):
            per_entity[(m.list, m.entity_id)] = m
    ms = sorted(per_entity.values(), key=lambda m: (-m.score, -(m.end - m.start), m.start))
    kept: list["PartyMatch"] = []
    for m in ms:
        clash = [k for k in kept if k.start < m.end and m.start < k.end]
        if clash and any(k.score > m.score + 1e-9 or (k.end - k.start) > (m.end - m.start) for k in clash):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: (m.start, -m.score))
