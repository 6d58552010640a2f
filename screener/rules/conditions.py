"""Named predicates and the all/any/not combinators that rules are built from.

Each predicate validates its parameters, compiles to a polars expression over the per-text feature
frame (so a million texts are judged in one pass) that lists its witnesses — the entry ids, codes,
places, phrases or parties that make it true — and, for one screened text, turns those witnesses into
evidence (spans, codes, list entries). A fired rule's explanation is read from the same columns that
decided it: there is no second implementation of a predicate to drift from the first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Literal, Protocol

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from screener.results import CODE_EVIDENCE, COUNTED_GOODS, GOODS_EVIDENCE, NET_EVIDENCE, Evidence, Findings
from screener.text.normalize import normalize_term

Origin = Literal["any", "declared", "inferred"]


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoodsParams(_Params):
    """Parameters of `goods`."""

    category: list[str] = []
    ids: list[str] = []
    id_prefix: list[str] = []
    muted: bool = False          # true: match negated/hypothetical mentions instead


class OnListParams(_Params):
    """Parameters of `on_list`."""

    list: str
    tier: list[str] = []
    origin: Origin = "any"


class HsCodeParams(_Params):
    """Parameters of `hs_code`."""

    prefix: list[str]
    origin: Origin = "any"


Role = Literal["destination", "origin", "transit", "mentioned"]


class CountryParams(_Params):
    """Parameters of `country`."""

    group: list[str] = []
    codes: list[str] = []
    role: list[Role] = []        # which way the goods move (empty: any); see reference_data/context/roles.yaml


class PhraseParams(_Params):
    """Parameters of `phrase`."""

    any: list[str] = []
    sets: list[str] = []         # named phrase sets (rules/phrase_sets.yaml), expanded when rules load

    @model_validator(mode="after")
    def _some(self) -> "PhraseParams":
        if not (self.any or self.sets):
            raise ValueError("give phrases in `any` or named sets in `sets`")
        return self


class PartyParams(_Params):
    """Parameters of `party`."""

    lists: list[str] = []
    tier: Literal["match", "review"] = "match"  # review: a possible match a person must look at (weaker)


class CountParams(_Params):
    """Parameters of `goods_count`."""

    min: int = 2


class ValueParams(_Params):
    """Parameters of `item_value`."""

    list: str                    # the list whose threshold the stated value is compared with (EU833-XVIII)
    compare: Literal["below", "at_least"]


class NomenclatureParams(_Params):
    """The nomenclature net's best candidate is on one of `lists`, at least `min_similarity` similar."""

    lists: list[str] = ["CHPL", "EU833-XL"]      # the lists the best candidate must be on
    min_similarity: float = Field(0.6, ge=0.0, le=1.0)


class ProseParams(_Params):
    """Parameters of `prose`."""

    min_words: int = Field(30, ge=1)             # words (a CJK text: two characters a word) of running prose


class NoParams(_Params):
    """No parameters (`declared_code`, `code_mismatch`)."""


class Tables(Protocol):
    """What predicates need to know of the reference data to compile (screener.features.FeatureTables)."""

    def entry_ids(self, categories: list[str], ids: list[str], prefixes: list[str]) -> list[str]:
        """The lexicon entries of the categories, with the ids, or with an id starting with a prefix."""

    def codes_with_tags(self, tags: list[str]) -> list[str]:
        """The codes that carry one of the list tags."""

    def places_in_groups(self, groups: list[str]) -> list[str]:
        """The place codes in one of the groups."""


_STRINGS = pl.List(pl.String)


def _keep(col: str, test: pl.Expr | list[str]) -> pl.Expr:
    """The values of a list column that pass `test` (an expression over `pl.element()`), or that are among
    the values `test` lists (a set intersection with one literal list: 70 times cheaper than `is_in` of a
    list inside a list expression)."""
    if isinstance(test, list):
        return pl.col(col).list.set_intersection(pl.lit(pl.Series([test], dtype=pl.List(pl.String))))
    return pl.col(col).list.filter(test)


def _either(cols: list[str], test: pl.Expr | list[str]) -> pl.Expr:
    """The values of several list columns that pass `test`, one list (the columns joined first: one
    concatenation and one test are cheaper than a test of each and a concatenation of the results)."""
    joined = pl.col(cols[0]) if len(cols) == 1 else pl.concat_list(cols)
    if isinstance(test, list):
        return joined.list.set_intersection(pl.lit(pl.Series([test], dtype=pl.List(pl.String))))
    return joined.list.filter(test)


def _only_if(cond: pl.Expr, col: str) -> pl.Expr:
    """The list column where `cond` holds, else an empty list."""
    return pl.when(cond).then(pl.col(col)).otherwise(pl.col(col).list.slice(0, 0))


def _goods(p: GoodsParams, t: Tables) -> pl.Expr:
    col = "goods_muted_ids" if p.muted else "goods_ids"
    if not (p.category or p.ids or p.id_prefix):
        return pl.col(col)
    return _keep(col, t.entry_ids(p.category, p.ids, p.id_prefix))


def _origin_cols(origin: str, declared: str, inferred: str) -> list[str]:
    # (the features' hs_codes holds the declared and the inferred codes of a row, each once)
    return {"any": ["hs_codes"], "declared": [declared], "inferred": [inferred]}[origin]


def _on_list(p: OnListParams, t: Tables) -> pl.Expr:
    tags = [f"{p.list}:{tier}" for tier in p.tier] if p.tier else [p.list]
    return _either(_origin_cols(p.origin, "hs_declared", "hs_inferred"), t.codes_with_tags(tags))


def _hs_code(p: HsCodeParams, t: Tables) -> pl.Expr:
    return _either(_origin_cols(p.origin, "hs_declared", "hs_inferred"),
                   pl.any_horizontal([pl.element().str.starts_with(x) for x in p.prefix]))


def _country(p: CountryParams, t: Tables) -> pl.Expr:
    """Place codes; with roles, `CODE:role` of the places in those roles ("RU:destination")."""
    codes = sorted(set(p.codes) | set(t.places_in_groups(p.group))) if (p.group or p.codes) else None
    if not p.role:
        return pl.col("countries") if codes is None else _keep("countries", codes)
    if codes is None:
        return _keep("place_roles", pl.any_horizontal([pl.element().str.ends_with(f":{r}") for r in p.role]))
    return _keep("place_roles", [f"{c}:{r}" for c in codes for r in p.role])


def _phrase(p: PhraseParams, t: Tables) -> pl.Expr:
    return _keep("phrases", [normalize_term(x) for x in p.any])


def _party(p: PartyParams, t: Tables) -> pl.Expr:
    col = "parties" if p.tier == "match" else "parties_review"
    if not p.lists:
        return pl.col(col)
    return _keep(col, pl.any_horizontal([pl.element().str.starts_with(x + ":") for x in p.lists]))


def _declared_code(_: NoParams, t: Tables) -> pl.Expr:
    return pl.col("hs_declared")


def _code_mismatch(_: NoParams, t: Tables) -> pl.Expr:
    """Declared codes and described goods that share no heading: a classic misclassification."""
    # (the features tell the mismatch; the witnesses are the codes on both sides: it is between them)
    return _only_if(pl.col("heading_mismatch"), "hs_codes")


def _goods_count(p: CountParams, t: Tables) -> pl.Expr:
    return _only_if(pl.col("goods_ids").list.len() >= p.min, "goods_ids")


def _item_value(p: ValueParams, t: Tables) -> pl.Expr:
    """The stated values per item when the largest is below (or at least) the row's goods' threshold on the
    list (the highest, when its codes have several: a value must reach every threshold that may apply to
    count as "at least", and is "below" when it does not reach the one of the goods' main heading, e.g.
    bicycles at EUR 50,000 rather than their parts at EUR 300); no threshold or no value: none."""
    key = f"{p.list}="
    threshold = pl.col("thresholds").list.eval(
        pl.element().filter(pl.element().str.starts_with(key)).str.slice(len(key)).cast(pl.Float64)).list.max()
    value = pl.col("item_value_max")
    held = value < threshold if p.compare == "below" else value >= threshold
    return _only_if(held.fill_null(False), "item_values")


def _nomenclature(p: NomenclatureParams, t: Tables) -> pl.Expr:
    """The second net's candidate (screener.match.nomenclature) when it is on the lists and similar enough."""
    held = (pl.col("nomenclature_sim") >= p.min_similarity).fill_null(False)
    # (witnesses as the finding's entry id, `nomenclature:<code>`: the evidence is that goods finding)
    codes = _keep("nomenclature", t.codes_with_tags(list(p.lists))).list.eval(pl.lit("nomenclature:") + pl.element())
    return pl.when(held).then(codes).otherwise(codes.list.slice(0, 0))


def _prose(p: ProseParams, t: Tables) -> pl.Expr:
    """`prose` when the text has at least `min_words` words: an article or a paragraph, not a goods line."""
    witness = pl.concat_list([pl.lit("prose")])
    return pl.when(pl.col("word_count") >= p.min_words).then(witness).otherwise(witness.list.slice(0, 0))


# --- evidence: the findings of one screened text that a predicate's witnesses name ------------------

def _goods_evidence(p: GoodsParams, witness: set[str], found: Findings) -> list[Evidence]:
    return [Evidence("goods", g, GOODS_EVIDENCE) for g in found.goods
            if g.entry_id in witness and (g.negated or g.hypothetical) == p.muted]


def _code_evidence(witness: set[str], found: Findings, tags=None) -> list[Evidence]:
    """The text's HS codes among the witnesses, with their list entries (only those of `tags`, when given)."""
    return [Evidence("hs_code", c, CODE_EVIDENCE, c.controls if tags is None else
                     tuple(x for x in c.controls if tags(x))) for c in found.codes if c.code in witness]


def _on_list_evidence(p: OnListParams, witness: set[str], found: Findings) -> list[Evidence]:
    return _code_evidence(witness, found, lambda x: x.list == p.list and (not p.tier or x.tier in p.tier))


def _codes_evidence(_: Any, witness: set[str], found: Findings) -> list[Evidence]:
    return _code_evidence(witness, found)


def _country_evidence(p: CountryParams, witness: set[str], found: Findings) -> list[Evidence]:
    return [Evidence("country", c) for c in found.places if (f"{c.code}:{c.role}" if p.role else c.code) in witness]


def _phrase_evidence(p: PhraseParams, witness: set[str], found: Findings) -> list[Evidence]:
    return [Evidence("phrase", ph) for ph in found.phrases if ph.phrase in witness]


def _party_evidence(p: PartyParams, witness: set[str], found: Findings) -> list[Evidence]:
    return [Evidence("party", x) for x in found.parties
            if x.ref in witness and getattr(x, "tier", "match") == p.tier]


def _value_evidence(p: ValueParams, witness: set[str], found: Findings) -> list[Evidence]:
    return [Evidence("value", v) for v in found.values if v.text in witness]


def _nomenclature_evidence(p: NomenclatureParams, witness: set[str], found: Findings) -> list[Evidence]:
    return [Evidence("goods", g, NET_EVIDENCE) for g in found.goods if g.matcher == "nomenclature" and g.entry_id in witness]


def _no_evidence(_: Any, witness: set[str], found: Findings) -> list[Evidence]:
    return []


def _count_evidence(p: CountParams, witness: set[str], found: Findings) -> list[Evidence]:
    return [Evidence("goods", g, COUNTED_GOODS) for g in found.goods
            if g.entry_id in witness and not (g.negated or g.hypothetical)]


@dataclass(frozen=True)
class Predicate:
    """A named test over a text's features, compiled to the list of its *witnesses* (the values that make
    it true: entry ids, HS codes, place codes, phrases, party refs; true when there is one), and the
    evidence those witnesses name among one screened text's findings (spans, codes, list entries)."""

    name: str
    params: type[_Params]
    compile: Callable[[Any, Tables], pl.Expr]
    evidence: Callable[[Any, set[str], Findings], list[Evidence]]
    doc: str


PREDICATES: dict[str, Predicate] = {p.name: p for p in [
    Predicate("goods", GoodsParams, _goods, _goods_evidence,
              "goods mentioned (by category, id or id prefix), not negated"),
    Predicate("on_list", OnListParams, _on_list, _on_list_evidence,
              "an HS code of the text is on a control list (optionally tiers)"),
    Predicate("hs_code", HsCodeParams, _hs_code, _codes_evidence,
              "an HS code of the text starts with one of the prefixes"),
    Predicate("country", CountryParams, _country, _country_evidence,
              "a place of a group (sanctioned, transshipment_hub …) or code, in a role (destination, origin …)"),
    Predicate("phrase", PhraseParams, _phrase, _phrase_evidence,
              "one of the phrases appears (whole words, case-insensitive)"),
    Predicate("party", PartyParams, _party, _party_evidence, "a party on a sanctions list is named"),
    Predicate("declared_code", NoParams, _declared_code, _codes_evidence, "the text declares an HS code"),
    Predicate("code_mismatch", NoParams, _code_mismatch, _codes_evidence,
              "declared codes and described goods share no heading"),
    Predicate("item_value", ValueParams, _item_value, _value_evidence,
              "a stated value per item is below (or at least) the value threshold of the goods' entry on a list"),
    Predicate("nomenclature", NomenclatureParams, _nomenclature, _nomenclature_evidence,
              "no lexicon goods, and the best HS-6 candidate from the nomenclature's words is on a list, similar enough"),
    Predicate("goods_count", CountParams, _goods_count, _count_evidence,
              "at least `min` different goods are mentioned"),
    Predicate("prose", ProseParams, _prose, _no_evidence,
              "the text is running prose of at least `min_words` words (an article, not a goods line)"),
]}


def holds(witnesses: pl.Expr) -> pl.Expr:
    """A predicate's truth from its witnesses: there is one."""
    return witnesses.list.len() > 0


@dataclass(frozen=True)
class Node:
    """A parsed condition: op is all/any/not or a predicate name."""

    op: str
    children: tuple["Node", ...] = ()
    params: Any = None
    name: str | None = None      # the named condition (`use: <name>`) this node stands for, to explain it by

    def holds(self, truth: Callable[["Node"], bool]) -> bool:
        """The condition's truth on one text; `truth` gives each predicate's (a screened text's explanation)."""
        if self.op == "all":
            return all(c.holds(truth) for c in self.children)
        if self.op == "any":
            return any(c.holds(truth) for c in self.children)
        if self.op == "not":
            return not self.children[0].holds(truth)
        return truth(self)

    def expr(self, leaf: Callable[["Node"], pl.Expr]) -> pl.Expr:
        """The condition as a polars expression; `leaf` gives the truth of each predicate."""
        if self.op == "all":
            return pl.all_horizontal([c.expr(leaf) for c in self.children])
        if self.op == "any":
            return pl.any_horizontal([c.expr(leaf) for c in self.children])
        if self.op == "not":
            return ~self.children[0].expr(leaf)
        return leaf(self)

    def witnesses(self, tables: Tables) -> pl.Expr:
        """A predicate's witnesses (a list column) over the feature frame."""
        return PREDICATES[self.op].compile(self.params, tables)

    def evidence(self, witness: list[str], found: Findings) -> list[Evidence]:
        """The findings of one screened text that this predicate's witnesses name."""
        return PREDICATES[self.op].evidence(self.params, set(witness), found)

    def key(self) -> str:
        """A predicate's identity: equal keys, equal truth on every text."""
        return f"{self.op}:{self.params.model_dump_json()}"

    def leaves(self) -> list["Node"]:
        """The predicates whose witnesses are a fired rule's evidence (none under a `not`)."""
        if self.op in ("all", "any"):
            return [leaf for c in self.children for leaf in c.leaves()]
        if self.op == "not":
            return []  # what is absent is no evidence
        return [self]

    def predicates(self) -> list["Node"]:
        """Every predicate node, those under a `not` too."""
        if self.op in ("all", "any", "not"):
            return [leaf for c in self.children for leaf in c.predicates()]
        return [self]

    def phrases(self) -> list[str]:
        """The phrases of the condition's `phrase` predicates (the pattern index looks for them)."""
        if self.op == "phrase":
            return list(self.params.any)
        return [p for c in self.children for p in c.phrases()]


def compile_conditions(roots: list[Node], tables: Tables, prefix: str = "__leaf"
                       ) -> tuple[list[pl.Expr], list[pl.Expr], dict[str, str]]:
    """Expressions for many conditions at once: each distinct predicate once, then the conditions over them.

    Rules share predicates (the CHPL test, the market-news guard, the sanctioned-country test …):
    68 leaves of the bundled rules are 41 distinct ones. Returns the predicate columns (each a list of
    witnesses, named `<prefix><i>`, to add to the frame first and to keep: the evidence of a fired rule is
    read from them), one boolean expression per root that reads them (Kleene logic unchanged), and the
    column of each predicate by its key.
    """
    leaves: dict[str, tuple[str, Node]] = {}

    def column(node: Node) -> pl.Expr:
        name, _ = leaves.setdefault(node.key(), (f"{prefix}{len(leaves)}", node))
        return holds(pl.col(name))

    exprs = [root.expr(column) for root in roots]
    columns = [n.witnesses(tables).alias(name) for name, n in leaves.values()]
    return columns, exprs, {key: name for key, (name, _) in leaves.items()}


def parse(cond: Any, where: str = "when", sets: dict[str, list[str]] | None = None,
          conditions: dict[str, Any] | None = None) -> tuple[Node | None, list[str]]:
    """Parse a condition tree; return the node and every problem found (with its path).

    `sets` are the named phrase sets a `phrase` predicate may refer to, `conditions` the named conditions a
    `use: <name>` stands for (rules/conditions.yaml); both are expanded here.
    """
    sets = sets or {}
    conditions = conditions or {}
    if isinstance(cond, dict) and len(cond) == 1 and "use" in cond:
        name = cond["use"]
        if not isinstance(name, str) or name not in conditions:
            return None, [f"{where}.use: unknown condition {name!r} (known: {sorted(conditions)})"]
        node, errs = parse(conditions[name], f"{where}.use({name})", sets)  # (a named condition uses no other)
        return (replace(node, name=name) if node else None), errs
    if not isinstance(cond, dict) or len(cond) != 1:
        return None, [f"{where}: a condition is a mapping with exactly one key (all, any, not or a predicate)"]
    (op, arg), = cond.items()
    if op in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            return None, [f"{where}.{op}: expects a non-empty list of conditions"]
        nodes, problems = [], []
        for i, child in enumerate(arg):
            node, errs = parse(child, f"{where}.{op}[{i}]", sets, conditions)
            problems += errs
            nodes.append(node)
        return (Node(op, tuple(nodes)) if not problems else None), problems
    if op == "not":
        node, errs = parse(arg, f"{where}.not", sets, conditions)
        return (Node("not", (node,)) if node else None), errs
    if op not in PREDICATES:
        return None, [f"{where}: unknown predicate {op!r} (known: {', '.join(sorted(PREDICATES))})"]
    try:
        params = PREDICATES[op].params.model_validate(arg or {})
    except ValidationError as exc:
        return None, [f"{where}.{op}.{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
    if op == "phrase" and params.sets:
        unknown = [name for name in params.sets if name not in sets]
        if unknown:
            return None, [f"{where}.phrase.sets: unknown phrase set(s) {unknown} (known: {sorted(sets)})"]
        words = list(params.any) + [w for name in params.sets for w in sets[name]]
        params = PhraseParams(any=list(dict.fromkeys(words)))
    return Node(op, (), params), []
