"""Party-name scoring: token similarity, the weighted soft-Dice alignment of two token lists, and the one
acceptance rule (`decide`: features, holds and the tier) every match and review passes. Pure functions over
tokens and weights; the index supplies both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, Levenshtein

from screener.parties.normalize import fold, is_generic, is_place, legal_class, skeleton

THRESHOLD = 0.84  # default score a match must reach (chosen on the tune split of benchmarks/data/parties.jsonl)
REVIEW_THRESHOLD = 0.70  # default score a possible match (review tier) must reach
LEGAL_FORM_MISMATCH = -0.08  # a Russian/CIS legal form against a Western one (JSC vs GmbH, OOO vs Inc)
COUNTRY_MISMATCH = -0.10  # the party's known country is none of the entity's countries
TOKEN_SIM = 0.75  # least rapidfuzz similarity for two tokens to align at all
FOLD_SIM = 0.95  # similarity of two tokens that differ only by a transliteration variant
ONE_EDIT_SIM = 0.9  # similarity of two words of 4+ letters one edit apart (OSA: a swap is one edit)
ANCHOR_SIM = 0.85  # a match needs one distinctive token agreeing at least this well
SHORT_SIM = 0.8  # a short word one edit from a generic word, or a 3-letter word with two letters swapped


@dataclass(slots=True)
class Scored:
    """The score of one query against one alias and the token pairs that agreed (query, alias, similarity)."""

    score: float
    pairs: list = field(default_factory=list)
    qused: frozenset = frozenset()  # positions of the query tokens that found a partner
    aused: frozenset | None = None  # positions of the alias tokens that found one (None: every one)


_SIM_ROWS: dict[str, dict[str, float]] = {}  # query token -> {alias token: similarity}
_SIM_MAX = 4_000_000  # pairs kept; the cache is cleared when full (a batch meets the same pairs again)
_sim_kept = [0]


def _sim_row(a: str) -> dict[str, float]:
    """The remembered similarities of query token `a` (a row a caller may read with `.get`, then `_sim_miss`)."""
    row = _SIM_ROWS.get(a)
    if row is None:
        row = _SIM_ROWS[a] = {}
    return row


def _token_sim(a: str, b: str) -> float:
    """`_token_sim_raw`, memoised: the same query token meets the same alias tokens again and again."""
    s = _sim_row(a).get(b)
    return _sim_miss(a, b) if s is None else s


def _sim_miss(a: str, b: str) -> float:
    """Compute and remember the similarity of a pair not yet in the cache."""
    if _sim_kept[0] >= _SIM_MAX:
        _SIM_ROWS.clear()
        _sim_kept[0] = 0
    s = _sim_row(a)[b] = _token_sim_raw(a, b)
    _sim_kept[0] += 1
    return s


def _token_sim_raw(a: str, b: str) -> float:
    """Similarity of two tokens: equal 1; a transliteration variant 0.95; one typo in words of 4+ letters 0.9
    (OSA: a letter dropped, added, replaced, or two neighbours swapped); else rapidfuzz Levenshtein, 0 below
    TOKEN_SIM. Digits must be equal; words under 4 letters agree as transliteration variants (`ik`/`ic`), else
    only as `_short_sim` says; single letters only when equal."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit() or len(a) < 2 or len(b) < 2:
        return 0.0
    fa, fb = fold(a), fold(b)
    if fa != fb and "kh" in a + b and fold(a.replace("kh", "k")) == fold(b.replace("kh", "k")):
        fa = fb  # Cyrillic х written kh on one side, k or c on the other (Rostekh, Rostec)
    if len(a) < 4 or len(b) < 4:
        return FOLD_SIM if fa == fb else _short_sim(a, b)
    if fa == fb:
        return max(Levenshtein.normalized_similarity(a, b), FOLD_SIM)
    sim = ONE_EDIT_SIM if OSA.distance(a, b, score_cutoff=1) <= 1 else 0.0
    if skeleton(a) == skeleton(b):
        sim = max(sim, Levenshtein.normalized_similarity(a, b),
                  FOLD_SIM * Levenshtein.normalized_similarity(fa, fb))
    return sim if sim >= TOKEN_SIM else Levenshtein.normalized_similarity(a, b, score_cutoff=TOKEN_SIM)


def _short_sim(a: str, b: str) -> float:
    """Two words one of which is under 4 letters: one edit apart they agree a little (SHORT_SIM, too little to
    be a name's only anchor) when one is a generic word (`flr` for, `bak` bank, `dee` de), both are 3-letter
    words with two letters swapped (`kbg` kgb), or a word of 2-3 letters is one a letter longer with that letter
    dropped (`ksh` kish, `nl` nal); otherwise not at all."""
    if min(len(a), len(b)) < 2 or OSA.distance(a, b, score_cutoff=1) > 1:
        return 0.0
    if is_generic(a) or is_generic(b):
        return SHORT_SIM
    swapped = len(a) == len(b) == 3 and sorted(a) == sorted(b)
    dropped = 2 <= min(len(a), len(b)) <= 3 and abs(len(a) - len(b)) == 1  # `ksh` kish, `pof` prof, `nl` nal
    return SHORT_SIM if swapped or dropped else 0.0


def units(t: tuple[str, ...], w: tuple[float, ...]) -> tuple[list, list]:
    """Single tokens and adjacent joined pairs of a token list, each as (indices, text, weight, length, skeleton)."""
    singles = [((i,), x, w[i], len(x), skeleton(x)) for i, x in enumerate(t)]
    joined = []
    for i in range(len(t) - 1):
        x = t[i] + t[i + 1]
        joined.append(((i, i + 1), x, w[i] + w[i + 1], len(x), skeleton(x)))
    return singles, joined


def align(q: tuple[str, ...], qw: tuple[float, ...], a: tuple[str, ...], aw: tuple[float, ...],
          qunits: tuple[list, list] | None = None, aunits: tuple[list, list] | None = None,
          floor: float = 0.0) -> Scored:
    """Weighted soft Dice of two token lists; adjacent tokens may join (`rosoboron export` = `rosoboronexport`).

    `qunits`/`aunits` are `units` of each side when the caller already has them (batch scoring reuses them).
    With `floor`, a pairing whose best possible score (every token with any similar partner fully matched) is
    below `floor` returns score 0 without the alignment: the caller only wants scores that reach `floor`.
    Pairs that cannot be similar are skipped before any similarity is computed: a nonzero similarity needs equal
    skeletons or lengths within 25 % (single tokens) or 10 % (a joined pair, which needs similarity 0.9).
    """
    qs, qj = qunits or units(q, qw)
    as_, aj_ = aunits or units(a, aw)
    na, ns = len(as_) + len(aj_), len(as_)
    cands = []  # (sim, weight, -position in the all-pairs order: keeps ties as a plain double loop would)
    for u, (qi, qt, qwt, ql, qk) in enumerate(qs):  # single × single: any similarity that passes TOKEN_SIM
        row = _sim_row(qt)
        for v, (aj, at, awt, al, ak) in enumerate(as_):
            if qk != ak and (ql - al > ql >> 2 or al - ql > al >> 2):
                continue
            s = row.get(at)
            if s is None:
                s = _sim_miss(qt, at)
            if s:
                cands.append((s, qwt + awt, -(u * na + v), qi, aj, qt, at))
    # a joined pair on one side only: needs a near-equal joined form, or two initials joined a little alike
    # (`cei` for C&I: a short word with a letter dropped, as `_short_sim` says)
    for u0, v0, xs, ys, jq in ((0, ns, qs, aj_, False), (len(qs), 0, qj, as_, True)):
        for u, (qi, qt, qwt, ql, qk) in enumerate(xs, u0):
            row = _sim_row(qt)
            for v, (aj, at, awt, al, ak) in enumerate(ys, v0):
                if qk != ak and (10 * (ql - al) > ql or 10 * (al - ql) > al):
                    continue
                s = row.get(at)
                if s is None:
                    s = _sim_miss(qt, at)
                if s >= 0.9 or (s and (ql if jq else al) == 2):
                    cands.append((s, qwt + awt, -(u * na + v), qi, aj, qt, at))
    total = sum(qw) + sum(aw)
    if floor and total:
        hit_q = {i for c in cands for i in c[3]}
        hit_a = {j for c in cands for j in c[4]}
        if sum(qw[i] for i in hit_q) + sum(aw[j] for j in hit_a) < floor * total - 1e-9:
            return Scored(0.0, [])
    cands.sort(reverse=True)
    used_q, used_a = set(), set()
    got, pairs = 0.0, []
    for s, w, _, qi, aj, qt, at in cands:
        if used_q.intersection(qi) or used_a.intersection(aj):
            continue
        used_q.update(qi)
        used_a.update(aj)
        got += s * w
        pairs.append((qt, at, s))
    return Scored(got / total if total else 0.0, pairs, frozenset(used_q), frozenset(used_a))


class Reach:
    """`align`'s floor test for one query against many aliases, without aligning: the query positions each alias
    token (or two alias tokens joined) could pair with are worked out once per distinct token and remembered as
    a bit mask, so an alias that cannot reach the floor costs a few look-ups. `reaches` is False only where
    `align(..., floor)` returns score 0 before aligning (with a margin for the order of float sums), so the
    caller decides exactly as if it had aligned every candidate.
    """

    __slots__ = ("qw", "qtotal", "qs", "qj", "qset", "single", "joined", "wsum", "pair_keys")

    def __init__(self, qw: tuple[float, ...], qunits: tuple[list, list]):
        self.qw = qw
        self.qtotal = sum(qw)
        qs, qj = qunits
        self.qs = [(1 << qi[0], qt, ql, qk, _sim_row(qt)) for qi, qt, _, ql, qk in qs]
        self.qj = [((1 << qi[0]) | (1 << qi[1]), qt, ql, qk, _sim_row(qt)) for qi, qt, _, ql, qk in qj]
        self.qset = frozenset(qt for _, qt, _, _, _ in qs)
        self.single: dict[str, int] = {}  # alias token -> mask of the query positions it pairs with
        self.joined: dict[str, int] = {}  # two alias tokens joined -> mask
        self.wsum: dict[int, float] = {}  # mask -> weight of those query positions
        # skeletons and lengths two alias words joined must have to pass align's filter against a query word
        # (align's filter: 10 * (ql - n) <= ql and 10 * (n - ql) <= n, i.e. 0.9 ql <= n <= 10 ql / 9)
        self.pair_keys = {qk for _, _, _, _, qk in qs} | {n for _, _, _, ql, _ in qs
                                                          for n in range((9 * ql + 9) // 10, 10 * ql // 9 + 1)}

    def _single(self, at: str, al: int, ak: str) -> int:
        """Query positions with a partner for alias token `at`: a query word with any similarity, or two query
        words joined, similar as `align` requires."""
        hit = 0
        for bit, qt, ql, qk, row in self.qs:
            if qk == ak or not (ql - al > ql >> 2 or al - ql > al >> 2):
                s = row.get(at)
                if (_sim_miss(qt, at) if s is None else s):
                    hit |= bit
        hit |= _joined_mask(self.qj, at, al, ak, query_joined=True)
        self.single[at] = hit
        return hit

    def _joined(self, at: str, al: int, ak: str) -> int:
        """Query positions with a partner for two alias tokens joined (`at`)."""
        hit = self.joined[at] = _joined_mask(self.qs, at, al, ak, query_joined=False)
        return hit

    def reaches(self, al, floor: float) -> bool:
        """Whether `align` against alias `al` (an `index.Alias`: weights, units, total, order) may score at
        least `floor`. Its words are looked at heaviest first; once the weight of those with no partner rules
        the floor out, the rest are not looked at (most candidates end there)."""
        total = self.qtotal + al.total
        if not (floor and total):
            return True
        need = floor * total - 1e-9 - 1e-12  # align's test, with room for float sums taken in another order
        singles, pairs = al.units
        most = total  # the score's numerator if every word found a partner
        single, keys, last, qset = self.single, self.pair_keys, len(pairs), self.qset
        for j in al.order:
            _, at, _, n, k = singles[j]
            h = single.get(at)
            if at in qset or (self._single(at, n, k) if h is None else h) or (
                    j and (pairs[j - 1][4] in keys or pairs[j - 1][3] in keys) and self._pair(pairs, j - 1)) or (
                    j < last and (pairs[j][4] in keys or pairs[j][3] in keys) and self._pair(pairs, j)):
                continue
            most -= al.weights[j]
            if most < need:
                return False
        hq = ha = 0
        for j, (_, at, _, n, k) in enumerate(singles):
            h = single.get(at)
            if h is None:  # (a word equal to a query word was taken as found above)
                h = self._single(at, n, k)
            if h:
                hq |= h
                ha |= 1 << j
        for p in range(len(pairs)):
            g = self._pair(pairs, p)
            if g:
                hq |= g
                ha |= 3 << p
        got = self.wsum.get(hq)
        if got is None:
            got = self.wsum[hq] = sum(w for i, w in enumerate(self.qw) if hq >> i & 1)
        return got + sum(w for j, w in enumerate(al.weights) if ha >> j & 1) >= need

    def _pair(self, pairs: list, p: int) -> int:
        """The mask of joined alias pair `p` (remembered)."""
        _, at, _, n, k = pairs[p]
        g = self.joined.get(at)
        return self._joined(at, n, k) if g is None else g


def _joined_mask(units: list, at: str, al: int, ak: str, query_joined: bool) -> int:
    """The mask of the query `units` that pair with alias text `at` (length `al`, skeleton `ak`) when one side
    is two words joined: as `align` requires, lengths within 10 % (or equal skeletons) and similarity 0.9, or
    any similarity when the joined side is two single letters."""
    hit = 0
    for bits, qt, ql, qk, row in units:
        if qk == ak or not (10 * (ql - al) > ql or 10 * (al - ql) > al):
            s = row.get(at)
            if s is None:
                s = _sim_miss(qt, at)
            if s >= 0.9 or (s and (ql if query_joined else al) == 2):
                hit |= bits
    return hit


@dataclass(slots=True, frozen=True)
class Decision:
    """The verdict on one query against one alias: tier `match`, `review` or "" (neither), with its reasons."""

    score: float
    tier: str
    features: tuple[tuple[str, float], ...]  # (feature, what it added or took away)
    held_by: str  # the feature that kept a score at or above the threshold in review ("" when none)
    extra: tuple[str, ...]  # query tokens with no counterpart in the alias

    def __reduce__(self):
        """Pickled as its fields (a worker's results come back ~15x faster than through dataclasses'
        `__setstate__`, which looks the fields up again for every object)."""
        return Decision, (self.score, self.tier, self.features, self.held_by, self.extra)


def anchors(pairs: list) -> list[tuple[str, str, float]]:
    """The agreeing pairs that say something about identity: distinctive (not generic, not place) tokens."""
    return [(q, a, s) for q, a, s in pairs if s >= ANCHOR_SIM and not is_generic(a) and not is_place(a)]


def short_name_holds(sc: Scored, query: tuple[str, ...], alias: tuple[str, ...]) -> bool:
    """A short listed name (`GAZ GROUP`) matches fuzzily only through its generic words: it must be there whole
    (`GAZ` alone is not `GAZ GROUP`), each of its own words agreeing at least as a transliteration variant, and
    the query may add no word of its own."""
    own = {t for t in alias if not is_generic(t)}
    agreed = {a for _, a, s in sc.pairs if s >= FOLD_SIM}
    extra = [t for i, t in enumerate(query) if i not in sc.qused and not is_generic(t)]
    return bool(extra) or bool(unmatched(sc, alias)) or not own <= agreed


def whole_name(sc: Scored, query: tuple[str, ...], alias: tuple[str, ...]) -> bool:
    """The query is the listed name of two or more words, every word of one side paired with one of the other
    (`THE PLANAR COMPANY`, `PLANAR THE`): no longer one ordinary word standing alone."""
    return len(alias) >= 2 and len(sc.qused) == len(query) and not unmatched(sc, alias)


def stray_letter(sc: Scored, query: tuple[str, ...], alias: tuple[str, ...]) -> bool:
    """The whole listed name, every word equal, and one letter more at the query's start or end (`INTERNATIONAL
    INVESTMENT DEVELOPMENT HOLDING A..` for `... HOLDING A.S.`): a legal form cut short, a review at most."""
    extra = [i for i in range(len(query)) if i not in sc.qused]
    return (len(alias) >= 2 and len(extra) == 1 and extra[0] in (0, len(query) - 1)
            and len(query[extra[0]]) == 1 and not unmatched(sc, alias) and all(s == 1.0 for _, _, s in sc.pairs))


def unmatched(sc: Scored, alias: tuple[str, ...]) -> tuple[str, ...]:
    """Alias tokens that found no partner in the query."""
    return () if sc.aused is None else tuple(t for j, t in enumerate(alias) if j not in sc.aused)


# generic words that say the same thing in another language or form (an unmatched pair of them is no difference)
SAME_WORD = ({"zavod", "plant", "factory", "works"}, {"group", "gruppa"}, {"concern", "kontsern"},
             {"company", "kompaniya", "companiya"}, {"house", "dom"}, {"trading", "torgovyi", "torgovy", "trade"})


def _words_differ(extra: tuple[str, ...], missing: tuple[str, ...]) -> bool:
    """Each side has a word the other lacks, places aside (the country feature judges those), and the two are
    not one word in two forms (`air`/`airlines`, `zavod`/`plant`)."""
    qs = [t for t in extra if not is_place(t)]
    as_ = [t for t in missing if not is_place(t)]
    left = [q for q in qs if not any(_same_word(q, a) for a in as_)]
    right = [a for a in as_ if not any(_same_word(q, a) for q in qs)]
    return bool(left) and bool(right)


def _same_word(a: str, b: str) -> bool:
    """One word in two forms: a prefix of at least 3 letters of the other, or the same entry of SAME_WORD."""
    if len(a) >= 3 and len(b) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True
    return any(a in g and b in g for g in SAME_WORD)


def decide(sc: Scored, query: tuple[str, ...], query_forms: frozenset, alias_forms: frozenset,
           common: frozenset, query_country: str | None, entity_countries: tuple[str, ...],
           threshold: float = THRESHOLD, review: float = REVIEW_THRESHOLD, alias: tuple[str, ...] = ()
           ) -> Decision:
    """The one acceptance rule: score features over the alignment, then the tier.

    Features: a legal-form class on each side that differ (CIS vs Western) and a known country that is not the
    entity's lower the score. A name that agrees on only one distinctive word is held in review when that word
    is an ordinary word (`common`, unless the listed legal form is there too, or the whole listed name with no
    feature against it), or agrees
    only fuzzily while the query has words of its own (`Micron Technology` is not `Mikron`), or when each side
    has a word the other lacks (`Testovy Holding` is not `Testovy Zavod`: the one shared word names a family of
    companies).
    """
    feats = []
    qc, ac = legal_class(query_forms), legal_class(alias_forms)
    if qc and ac and qc != ac:
        feats.append(("legal_form_mismatch", LEGAL_FORM_MISMATCH))
    if query_country and entity_countries and query_country not in entity_countries:
        feats.append(("country_mismatch", COUNTRY_MISMATCH))
    score = sc.score + sum(d for _, d in feats)
    extra = tuple(t for i, t in enumerate(query) if i not in sc.qused)
    held = ""
    agree = anchors(sc.pairs)
    if not agree:  # only generic and place words: the whole listed name, exactly, or nothing (a review when a
        # distinctive word agrees a little: `gza` for `gaz`)
        held = "" if sc.score >= 0.999 and not extra and len(query) >= 2 else "stray_letter" if stray_letter(
            sc, query, alias) else (
            "weak_word" if any(s >= SHORT_SIM and not is_generic(a) and not is_place(a) for _, a, s in sc.pairs)
            else "no_distinctive_word")
    elif len(agree) == 1:
        q, a, sim = agree[0]
        if (a in common or q in common) and not (query_forms and query_forms & alias_forms) and not (
                whole_name(sc, query, alias) and not feats):
            held = "common_word"
        elif sim < 1.0 and extra:
            held = "one_fuzzy_word"
        elif _words_differ(extra, unmatched(sc, alias)):
            held = "other_words_differ"
    if score >= threshold and not held:
        tier = "match"
    elif score >= review and held != "no_distinctive_word":
        tier = "review"
    else:
        tier = ""
    if tier == "review" and score < threshold and not held:  # what kept it below: a feature, or the score
        held = min(feats, key=lambda f: f[1])[0] if sc.score >= threshold and feats else "score_below_threshold"
    return Decision(round(score, 4), tier, tuple(feats), held if tier == "review" else "", extra)
