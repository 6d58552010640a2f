"""Named predicates and the all/any/not combinators that rules are built from.

Each predicate validates its parameters, compiles to a polars expression over the per-text feature
frame (so a million texts are judged in one pass), and, for one screened text, lists the evidence
(spans, codes, list entries) that made it true.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from screener.text.normalize import normalize_term

Origin = Literal["any", "declared", "inferred"]


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoodsParams(_Params):
    category: list[str] = []
    ids: list[str] = []
    id_prefix: list[str] = []
    muted: bool = False          # true: match negated/hypothetical mentions instead


class OnListParams(_Params):
    list: str
    tier: list[str] = []
    origin: Origin = "any"


class HsCodeParams(_Params):
    prefix: list[str]
    origin: Origin = "any"


class CountryParams(_Params):
    group: list[str] = []
    codes: list[str] = []


class PhraseParams(_Params):
    any: list[str] = []
    sets: list[str] = []         # named phrase sets (rules/phrase_sets.yaml), expanded when rules load

    @model_validator(mode="after")
    def _some(self) -> "PhraseParams":
        if not (self.any or self.sets):
            raise ValueError("give phrases in `any` or named sets in `sets`")
        return self


class PartyParams(_Params):
    lists: list[str] = []


class CountParams(_Params):
    min: int = 2


class NoParams(_Params):
    pass


def _has_any(col: str, values: list[str]) -> pl.Expr:
    """The list column holds one of the values (one value: `==`, about twice as cheap as `is_in`)."""
    test = pl.element() == values[0] if len(values) == 1 else pl.element().is_in(values)
    return pl.col(col).list.eval(test).list.any()


def _goods(p: GoodsParams) -> pl.Expr:
    col_ids = "goods_muted_ids" if p.muted else "goods_ids"
    if p.muted:
        return pl.col(col_ids).list.len() > 0
    exprs = []
    if p.category:
        exprs.append(_has_any("goods_cats", p.category))
    if p.ids:
        exprs.append(_has_any(col_ids, p.ids))
    if p.id_prefix:
        exprs.append(pl.col(col_ids).list.eval(pl.element().str.starts_with(p.id_prefix[0]) if len(p.id_prefix) == 1
                     else pl.any_horizontal([pl.element().str.starts_with(x) for x in p.id_prefix])).list.any())
    if not exprs:
        return pl.col(col_ids).list.len() > 0
    return pl.any_horizontal(exprs)


def _list_tags(p: OnListParams) -> list[str]:
    return [f"{p.list}:{t}" for t in p.tier] if p.tier else [p.list]


def _origin_cols(origin: str, declared: str, inferred: str) -> list[str]:
    return {"any": [declared, inferred], "declared": [declared], "inferred": [inferred]}[origin]


def _on_list(p: OnListParams) -> pl.Expr:
    tags = _list_tags(p)
    return pl.any_horizontal([_has_any(c, tags) for c in _origin_cols(p.origin, "ctl_declared", "ctl_inferred")])


def _hs_code(p: HsCodeParams) -> pl.Expr:
    cols = _origin_cols(p.origin, "hs_declared", "hs_inferred")
    return pl.any_horizontal([
        pl.col(c).list.eval(pl.any_horizontal([pl.element().str.starts_with(x) for x in p.prefix])).list.any()
        for c in cols])


def _country(p: CountryParams) -> pl.Expr:
    exprs = []
    if p.group:
        exprs.append(_has_any("country_groups", p.group))
    if p.codes:
        exprs.append(_has_any("countries", p.codes))
    return pl.any_horizontal(exprs) if exprs else pl.col("countries").list.len() > 0


def _phrase(p: PhraseParams) -> pl.Expr:
    return _has_any("phrases", [normalize_term(x) for x in p.any])


def _party(p: PartyParams) -> pl.Expr:
    if p.lists:
        return pl.col("parties").list.eval(
            pl.any_horizontal([pl.element().str.starts_with(x + ":") for x in p.lists])).list.any()
    return pl.col("parties").list.len() > 0


def _declared_code(_: NoParams) -> pl.Expr:
    return pl.col("hs_declared").list.len() > 0


def _code_mismatch(_: NoParams) -> pl.Expr:
    """Declared codes and described goods that share no heading: a classic misclassification."""
    dec = pl.col("hs_declared").list.eval(pl.element().str.slice(0, 4))
    inf = pl.col("hs_inferred").list.eval(pl.element().str.slice(0, 4))
    return (dec.list.len() > 0) & (inf.list.len() > 0) & (dec.list.set_intersection(inf).list.len() == 0)


def _goods_count(p: CountParams) -> pl.Expr:
    return pl.col("goods_ids").list.len() >= p.min


@dataclass(frozen=True)
class Predicate:
    name: str
    params: type[_Params]
    compile: Callable[[Any], pl.Expr]
    doc: str


PREDICATES: dict[str, Predicate] = {p.name: p for p in [
    Predicate("goods", GoodsParams, _goods, "goods mentioned (by category, id or id prefix), not negated"),
    Predicate("on_list", OnListParams, _on_list, "an HS code of the text is on a control list (optionally tiers)"),
    Predicate("hs_code", HsCodeParams, _hs_code, "an HS code of the text starts with one of the prefixes"),
    Predicate("country", CountryParams, _country, "a place of a group (sanctioned, transshipment_hub …) or code"),
    Predicate("phrase", PhraseParams, _phrase, "one of the phrases appears (whole words, case-insensitive)"),
    Predicate("party", PartyParams, _party, "a party on a sanctions list is named"),
    Predicate("declared_code", NoParams, _declared_code, "the text declares an HS code"),
    Predicate("code_mismatch", NoParams, _code_mismatch, "declared codes and described goods share no heading"),
    Predicate("goods_count", CountParams, _goods_count, "at least `min` different goods are mentioned"),
]}


@dataclass(frozen=True)
class Node:
    """A parsed condition: op is all/any/not or a predicate name."""

    op: str
    children: tuple["Node", ...] = ()
    params: Any = None

    def expr(self, leaf: Callable[["Node"], pl.Expr] | None = None) -> pl.Expr:
        """The condition as a polars expression; `leaf` (optional) gives the expression of each predicate."""
        if self.op == "all":
            return pl.all_horizontal([c.expr(leaf) for c in self.children])
        if self.op == "any":
            return pl.any_horizontal([c.expr(leaf) for c in self.children])
        if self.op == "not":
            return ~self.children[0].expr(leaf)
        return leaf(self) if leaf else PREDICATES[self.op].compile(self.params)

    def key(self) -> str:
        """A predicate's identity: equal keys, equal truth on every text."""
        return f"{self.op}:{self.params.model_dump_json()}"

    def leaves(self) -> list["Node"]:
        if self.op in ("all", "any"):
            return [leaf for c in self.children for leaf in c.leaves()]
        if self.op == "not":
            return []  # what is absent is no evidence
        return [self]

    def phrases(self) -> list[str]:
        if self.op == "phrase":
            return list(self.params.any)
        return [p for c in self.children for p in c.phrases()]


def compile_conditions(roots: list[Node], prefix: str = "__leaf") -> tuple[list[pl.Expr], list[pl.Expr]]:
    """Expressions for many conditions at once: each distinct predicate once, then the conditions over them.

    Rules share predicates (the CHPL test, the market-news guard, the sanctioned-country test …):
    68 leaves of the bundled rules are 41 distinct ones. Returns the predicate columns (named
    `<prefix><i>`, to add to the frame first) and one expression per root that reads them; Kleene
    logic is unchanged, predicates are not null-filled.
    """
    leaves: dict[str, tuple[str, Node]] = {}

    def column(node: Node) -> pl.Expr:
        name, _ = leaves.setdefault(node.key(), (f"{prefix}{len(leaves)}", node))
        return pl.col(name)

    exprs = [root.expr(column) for root in roots]
    return [PREDICATES[n.op].compile(n.params).alias(name) for name, n in leaves.values()], exprs


def parse(cond: Any, where: str = "when", sets: dict[str, list[str]] | None = None) -> tuple[Node | None, list[str]]:
    """Parse a condition tree; return the node and every problem found (with its path).

    `sets` are the named phrase sets a `phrase` predicate may refer to; they are expanded here.
    """
    sets = sets or {}
    if not isinstance(cond, dict) or len(cond) != 1:
        return None, [f"{where}: a condition is a mapping with exactly one key (all, any, not or a predicate)"]
    (op, arg), = cond.items()
    if op in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            return None, [f"{where}.{op}: expects a non-empty list of conditions"]
        nodes, problems = [], []
        for i, child in enumerate(arg):
            node, errs = parse(child, f"{where}.{op}[{i}]", sets)
            problems += errs
            nodes.append(node)
        return (Node(op, tuple(nodes)) if not problems else None), problems
    if op == "not":
        node, errs = parse(arg, f"{where}.not", sets)
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
