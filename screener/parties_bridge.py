"""The seam between the screener and the sanctions-party matcher (screener.parties), kept optional."""

from __future__ import annotations

from pathlib import Path

import polars as pl


def load_party_matcher(db_path: Path | None):
    """A PartyMatcher over the lists imported into the store, or None when none are imported (the matcher's
    modules, with the name-normalisation libraries they load, ~0.25 s, are imported only when some are)."""
    from screener.reference.store import connect

    if db_path is None or not Path(db_path).exists():
        return None
    con = connect(db_path, read_only=True)
    try:
        has = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'party_names'").fetchall()[0][0]
        if not has:
            return None
        try:
            from screener.parties.match import PartyMatcher
        except ImportError:
            return None
        matcher = PartyMatcher.from_store(con, db_path=db_path)
    finally:
        con.close()
    return matcher


def party_tags(matcher, texts: pl.Series, column: pl.Series | None,
               countries: pl.Series | None = None, found: list | None = None) -> pl.DataFrame:
    """Per row: `LIST:ID` of parties matched in the structured column (names `\\n`-joined), or else found in the
    text, as two list columns: `parties` (matches) and `parties_review` (possible matches a person must look
    at). `countries` holds each name's country (`\\n`-joined like the names; any spelling countrynames knows).
    `found`: the texts' matches, when they were looked up in the texts already."""
    if found is not None:
        hits = found
    elif column is not None:
        values = [[n.strip() for n in v.split("\n")] if v else [] for v in column.to_list()]
        ctry = ([[c.strip() for c in v.split("\n")] if v else [] for v in countries.to_list()]
                if countries is not None else [[] for _ in values])
        pairs = [[(n, _code(c[i] if i < len(c) else (c[0] if len(c) == 1 else None))) for i, n in enumerate(names)
                  if n] for names, c in zip(values, ctry)]
        uniq = list(dict.fromkeys(p for row in pairs for p in row))
        by_name = dict(zip(uniq, matcher.match_names([n for n, _ in uniq], countries=[c for _, c in uniq])))
        hits = [[m for p in row for m in by_name.get(p, [])] for row in pairs]
    else:
        hits = [matcher.find_in_text(t or "") for t in texts.to_list()]
    match = [list(dict.fromkeys(m.ref for m in row if m.tier == "match")) for row in hits]
    review = [list(dict.fromkeys(m.ref for m in row if m.tier == "review" and m.ref not in set(ok)))
              for row, ok in zip(hits, match)]
    return pl.DataFrame({"parties": match, "parties_review": review},
                        schema={"parties": pl.List(pl.String), "parties_review": pl.List(pl.String)})


def _code(value: str | None) -> str | None:
    """ISO-2 code of a country cell (name, code or spelling), else None."""
    if not value or not value.strip():
        return None
    import countrynames

    return countrynames.to_code(value.strip())
