"""What a batch (or a check) is asked to do, in one frozen, typed record that travels to the worker processes.

No polars here: the command line builds a job before it imports anything heavy. `as_dict` is what the output's
provenance records under `options`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# measured, two workers: 1M rows ~3 % faster than 25k (fixed costs per chunk), ~1 % slower than 50k;
# peak of the three processes at 20M rows 1.87 GB (50k: 2.03)
CHUNK_ROWS = 40_000


@dataclass(frozen=True)
class ScreenerSpec:
    """How to build the screener (screener.factory.load_screener's arguments): store, extra rules and lexicon,
    and the rule configuration (only these rules, not these, weight overrides)."""

    db: str | None = None
    rules_dirs: tuple[str, ...] = ()
    lexicons: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    parties: bool = True

    def load(self):
        """The screener this spec describes (imports the library: call it in a worker or after the checks)."""
        from screener.factory import load_screener

        return load_screener(db=self.db, rules_dirs=self.rules_dirs, lexicon=self.lexicons, parties=self.parties,
                             enable=self.enable, disable=self.disable, weights=dict(self.weights))


@dataclass(frozen=True)
class BatchJob:
    """The columns to read, how to read the input, and how to score it."""

    text_column: str
    id_column: str | None = None
    party_columns: tuple[str, ...] = ()
    country_column: str | None = None    # destinations
    origin_column: str | None = None     # origins (where the goods come from)
    parties_in_text: bool = False
    input_format: str | None = None
    encoding: str | None = None          # None: UTF-8 when the bytes are, else detected (and said)
    delimiter: str | None = None
    header: bool = True
    chunk_rows: int = CHUNK_ROWS
    workers: int | None = None           # None: chosen from the input's size
    screener: ScreenerSpec = field(default_factory=ScreenerSpec)

    @property
    def screens_parties(self) -> bool:
        """Whether the output has a `parties` column (party columns given, or parties looked for in the text)."""
        return bool(self.party_columns or self.parties_in_text)

    def input_columns(self) -> list[str]:
        """The input columns scoring reads (a worker process is sent only these)."""
        places = [c for c in (self.country_column, self.origin_column) if c]
        return list(dict.fromkeys([self.text_column, *self.party_columns, *places]))

    def required_columns(self) -> list[str]:
        """Every column the input must have."""
        return list(dict.fromkeys(c for c in [*self.input_columns(), self.id_column] if c))

    def as_dict(self) -> dict:
        """JSON-ready (provenance `options`)."""
        out = asdict(self)
        out["screener"]["weights"] = dict(self.screener.weights)
        return out
