"""Header-keyed CSV reading for the EU and UK lists (delimiter sniffed among `;` and `,`, banner lines skipped)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from screener.errors import InputError
from screener.parties.importers._common import decode_utf8, read_bytes


def read_table(path: str | Path, required: tuple[str, ...], max_banner: int = 5) -> tuple[list[dict], list[str], str]:
    """Return (rows as dicts, banner lines, sha256); the header is the first line naming all `required` columns."""
    data, sha = read_bytes(path)
    text = decode_utf8(data, path)
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines[: max_banner + 1]):
        for delim in (";", ","):
            cols = [c.strip().lstrip("\ufeff") for c in next(csv.reader([line], delimiter=delim), [])]
            if all(r in cols for r in required):
                reader = csv.reader(io.StringIO("".join(lines[i + 1:]), newline=""), delimiter=delim, strict=True)
                rows = []
                try:
                    for row in reader:
                        if not any(c.strip() for c in row):
                            continue
                        if len(row) != len(cols):
                            raise InputError(f"{path}: line {i + 1 + reader.line_num} has {len(row)} fields; "
                                             f"the header has {len(cols)} (truncated or damaged file)")
                        rows.append(dict(zip(cols, (c.strip() for c in row))))
                except csv.Error as exc:
                    raise InputError(f"{path}: malformed CSV ({exc}); is the file truncated?") from None
                if not rows:
                    raise InputError(f"{path}: no records after the header")
                return rows, [ln.strip() for ln in lines[:i]], sha
    raise InputError(f"{path}: no header line with columns {', '.join(required)} — wrong file or layout")
