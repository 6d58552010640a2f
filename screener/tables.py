"""The one table layer: every input `batch`, `check` and `eval` read goes through `open_source`.

A `Source` is one input (a file, or standard input spooled to a temporary file) whose header, encoding and
format were checked when it was opened: it streams bounded chunks (`batches`) or collects them (`collect`).
Formats come from one map (screener/batch/formats.py): CSV/TSV (`--delimiter`, `--no-header`), Parquet,
JSON Lines, plain text (`.txt`: one text per line, blank lines skipped, each row keeps its `line`) and Excel
(`.xlsx`, first sheet, read with fastexcel). Problems are one-line `InputError`s, never tracebacks:

- encodings: UTF-8 (a BOM is skipped) is read as it is; other bytes are detected (charset-normalizer, ties
  broken toward the common Western encodings) and the choice is reported (`Source.note`), or named with
  `--encoding` (strict: bytes that do not decode are an error);
- CSV follows RFC 4180 as Python's `csv` reads it: a file with a quote inside an unquoted field, which polars
  would pair with a quote on a later line, is read with Python's reader instead, so rows never merge;
- duplicate header names are refused (naming them), as is a header without rows when rows are needed.
"""

from __future__ import annotations

import codecs
import csv
import re
import shutil
import sys
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import polars as pl

from screener.batch.formats import INPUT_FORMATS, input_format
from screener.batch.job import CHUNK_ROWS
from screener.batch.workers import estimate_rows
from screener.errors import InputError

BLOCK = 1 << 24
_WORDS = re.compile(r"[^\W\d_]+")
LINES_COLUMNS = ("line", "text")
# encodings preferred when charset-normalizer finds several that read the bytes equally well: the common ones
# first (a short German or French text in cp1252 also decodes, as well, as cp1250 or cp775)
PREFERRED_ENCODINGS = ("utf_8", "cp1252", "latin_1", "iso8859_15", "cp1251", "cp1250", "koi8_r", "iso8859_2",
                       "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1253", "cp1254", "cp1257", "cp866")
CHAOS_SLACK = 0.05
UTF8_NAMES = ("utf8", "utf8sig")
# errors a reader raises on a corrupt file (pyo3's PanicException derives from BaseException, not Exception)
READ_ERRORS = (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError, ValueError, csv.Error)


def _is_utf8_name(encoding: str) -> bool:
    return encoding.lower().replace("-", "").replace("_", "") in UTF8_NAMES


def detect_encoding(sample: bytes) -> str | None:
    """The encoding of non-UTF-8 bytes: charset-normalizer's candidates that read them about as well as its
    best, the most common of them first (PREFERRED_ENCODINGS). None when nothing reads them."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample))
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    near = [m for m in matches if m.chaos <= best + CHAOS_SLACK]
    rank = {name: i for i, name in enumerate(PREFERRED_ENCODINGS)}

    def preference(m) -> tuple[int, int, float]:
        names = [m.encoding, *m.could_be_from_charset]
        return _implausible_words(str(m)), min(rank.get(n, len(rank)) for n in names), -m.coherence

    chosen = min(near, key=preference)
    if _implausible_words(str(chosen)) and _reads_as_western(sample):
        return "cp1252"  # a short Western text: "für" in Latin-1 is one byte, which a CJK code page also "reads"
    names = [chosen.encoding, *chosen.could_be_from_charset]
    return min(names, key=lambda n: rank.get(n, len(rank)))


def _reads_as_western(sample: bytes) -> bool:
    """The bytes decode as cp1252 (Latin-1's letters and more) into plausible words only."""
    try:
        return not _implausible_words(sample.decode("cp1252"))
    except UnicodeDecodeError:
        return False


def _implausible_words(text: str, limit: int = 300) -> int:
    """Words a wrong code page makes: letters of two scripts in one word ("fьr" for "für"), or mostly accented
    letters ("Ďîäřčďíčęč" for Cyrillic read as cp1250). Counted over the first `limit` non-ASCII words."""
    bad = seen = 0
    for word in _WORDS.findall(text):
        if word.isascii():
            continue
        seen += 1
        scripts = {unicodedata.name(c, "?").split(" ")[0] for c in word}
        accented = sum(1 for c in word if unicodedata.decomposition(c))
        bad += len(scripts) > 1 or (len(word) > 3 and 2 * accented > len(word))
        if seen >= limit:
            break
    return bad


def decode_text(data: bytes, encoding: str | None, name: str) -> tuple[str, str | None]:
    """Bytes of one text (`screen --file`) as a string, and a note when the encoding was detected."""
    if encoding and not _is_utf8_name(encoding):
        try:
            return data.decode(encoding), None
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: cannot decode as {encoding} at byte {exc.start}") from exc
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        guess = detect_encoding(data[:1 << 20])
        if encoding or guess is None:
            hint = f"it looks like {guess}; " if guess else ""
            raise InputError(f"{name}: not valid UTF-8 (first bad byte at offset {exc.start}); {hint}"
                             "name the encoding with --encoding") from exc
        return data.decode(guess, errors="replace"), _detected_note(name, guess)


def _detected_note(name: str, encoding: str) -> str:
    return f"{name}: not UTF-8; read as {encoding} (detected; name another with --encoding)"


@dataclass
class Source:
    """One checked input: its columns, the encoding used, and a way to read it in chunks of bounded size."""

    path: Path
    display: str
    fmt: str
    columns: list[str]
    read: Callable[[int], Iterator[pl.DataFrame]] = field(repr=False)
    encoding: str | None = None
    note: str | None = None          # what the user must be told (an encoding that was detected)
    estimated_rows: int | None = None
    delimiter: str = ","
    header: bool = True

    def batches(self, chunk_rows: int = CHUNK_ROWS) -> Iterator[pl.DataFrame]:
        """The rows in order, in frames of at most `chunk_rows` (none empty)."""
        try:
            for chunk in self.read(chunk_rows):
                if chunk.height:
                    yield chunk
        except InputError:
            raise
        except READ_ERRORS as exc:
            raise InputError(self._read_error(exc)) from exc

    def collect(self) -> pl.DataFrame:
        """Every row at once (small inputs; `eval`, tests)."""
        parts = list(self.batches())
        return pl.concat(parts) if parts else pl.DataFrame(schema={c: pl.String for c in self.columns})

    def record_lines(self) -> list[int] | None:
        """1-based file line where each row starts (CSV quoting respected), for reports; None for binary
        formats. Read again from the file, in one streaming pass, only when a report needs it."""
        if self.fmt in ("parquet", "xlsx"):
            return None
        with self.path.open(encoding=self.encoding or "utf-8-sig", errors="replace", newline="") as f:
            if self.fmt == "jsonl":
                return [i for i, line in enumerate(f, start=1) if line.strip()]
            if self.fmt == "lines":
                return None  # the rows carry their `line`
            starts, prev = [], 0
            with _csv_field_limit():
                reader = csv.reader(f, delimiter=self.delimiter)
                for rec in reader:
                    if rec:
                        starts.append(prev + 1)
                    prev = reader.line_num
        return starts[1:] if self.header else starts

    def lines_at(self, wanted: set[int]) -> dict[int, str]:
        """The text of the physical lines `wanted` (1-based), in one streaming pass over the file."""
        if not wanted or self.fmt in ("parquet", "xlsx"):
            return {}
        out, last = {}, max(wanted)
        with self.path.open(encoding=self.encoding or "utf-8-sig", errors="replace", newline="") as f:
            for i, line in enumerate(_physical_lines(f), start=1):
                if i in wanted:
                    out[i] = line
                if i >= last:
                    break
        return out

    def _read_error(self, exc: BaseException) -> str:
        msg = (str(exc).splitlines() or [""])[0][:200]
        if self.fmt in ("csv", "tsv") and "fields" in msg:
            return f"{self.display}: ragged CSV: {_ragged_lines(self.path, self.delimiter, self.encoding)}"
        return f"{self.display}: cannot read {self.fmt}: {msg or type(exc).__name__}"


def _physical_lines(f) -> Iterator[str]:
    """Lines as `str.splitlines` on \\n, \\r\\n and \\r (what an editor and a CSV reader count)."""
    for line in f:
        yield from line.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n") or [""]


@contextmanager
def _csv_field_limit():
    """Python's csv refuses fields over 131,072 characters by default; a description may be longer."""
    before = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _ragged_lines(path: Path, sep: str, encoding: str | None) -> str:
    """Line numbers of rows with more fields than the header (CSV quoting respected)."""
    bad = []
    with path.open(newline="", encoding=encoding or "utf-8-sig", errors="replace") as f, _csv_field_limit():
        reader = csv.reader(f, delimiter=sep)
        header = next(reader, [])
        for row in reader:
            if len(row) > len(header):
                bad.append(reader.line_num)
                if len(bad) >= 10:
                    break
    return "rows with more fields than the header at line(s) " + ", ".join(map(str, bad))


def display_name(path: Path) -> str:
    """A path as reports show it: relative to the current folder when inside it."""
    if str(path) == "-":
        return "<stdin>"
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@contextmanager
def open_source(path: str | Path, fmt: str | None = None, encoding: str | None = None, delimiter: str | None = None,
                header: bool = True) -> Iterator[Source]:
    """Check an input (exists, not empty, decodable, a header without duplicates) and open it for reading.

    `path` "-" is standard input (spooled to a temporary file first: every format can then be read, and
    twice when a report needs the file's lines). `encoding` None: UTF-8 when the bytes are, else detected.
    Temporary files are removed when the block ends.
    """
    path = Path(path)
    fmt = input_format(path, fmt)
    if fmt not in INPUT_FORMATS:
        raise InputError(f"unknown input format {fmt!r}")
    display = display_name(path)
    with tempfile.TemporaryDirectory(prefix="screener-") as tmp:
        tmp_dir = Path(tmp)
        if str(path) == "-":
            path = _spool_stdin(tmp_dir)
        elif not path.exists():
            raise InputError(f"{display}: no such file")
        elif path.is_dir():
            raise InputError(f"{display}: is a folder, not a file")
        elif not path.is_file():
            raise InputError(f"{display}: not a regular file")
        if path.stat().st_size == 0:
            raise InputError(f"{display}: file is empty")
        if fmt == "parquet":
            yield _parquet(path, display)
        elif fmt == "xlsx":
            yield _excel(path, display)
        else:
            readable, used, note = _utf8_copy(path, display, encoding, tmp_dir)
            if fmt == "lines":
                yield _lines(path, readable, display, used, note)
            elif fmt == "jsonl":
                yield _jsonl(path, readable, display, used, note)
            else:
                sep = delimiter or ("\t" if fmt == "tsv" else ",")
                yield _csv(path, readable, display, used, note, sep, header)


def _spool_stdin(tmp_dir: Path) -> Path:
    out = tmp_dir / "stdin"
    with out.open("wb") as f:
        shutil.copyfileobj(sys.stdin.buffer, f, BLOCK)
    return out


def _utf8_copy(path: Path, display: str, encoding: str | None, tmp_dir: Path) -> tuple[Path, str, str | None]:
    """A UTF-8 file polars can read (the file itself when it is UTF-8 without a BOM), the encoding used and a
    note when it was detected. One streaming pass; a copy only for another encoding or a BOM."""
    if encoding and not _is_utf8_name(encoding):
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise InputError(f"unknown encoding {encoding!r}") from exc
        return _transcode(path, display, encoding, tmp_dir), encoding, None
    bad = _first_bad_utf8(path)
    if bad is None:
        with path.open("rb") as f:
            bom = f.read(3) == codecs.BOM_UTF8
        return (_transcode(path, display, "utf-8-sig", tmp_dir) if bom else path), "utf-8", None
    with path.open("rb") as f:
        guess = detect_encoding(f.read(1 << 20))
    if encoding or guess is None:  # UTF-8 was named (strict), or nothing reads the bytes
        hint = f"it looks like {guess}; " if guess else ""
        raise InputError(f"{display}: not valid UTF-8 (first bad byte at offset {bad}); {hint}"
                         "name the encoding with --encoding")
    return _transcode(path, display, guess, tmp_dir), guess, _detected_note(display, guess)


def _first_bad_utf8(path: Path) -> int | None:
    """Offset of the first byte that is not UTF-8 (ASCII blocks are told ten times faster), else None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            if block.isascii() and not decoder.getstate()[0]:
                offset += len(block)
                continue
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset
    return None


def _transcode(path: Path, display: str, encoding: str, tmp_dir: Path) -> Path:
    """Copy a file in another encoding (or UTF-8 with a BOM) to a UTF-8 temporary file, block by block."""
    decoder = codecs.getincrementaldecoder(encoding)()
    out = tmp_dir / (path.name + ".utf8")
    offset = 0
    with path.open("rb") as src, out.open("wb") as dst:
        while block := src.read(BLOCK):
            try:
                dst.write(decoder.decode(block).encode("utf-8"))
            except UnicodeDecodeError as exc:
                raise InputError(f"{display}: cannot decode as {encoding} at byte {offset + exc.start}") from exc
            offset += len(block)
        dst.write(decoder.decode(b"", final=True).encode("utf-8"))
    return out


def _guard(display: str, fmt: str, opener: Callable):
    try:
        return opener()
    except InputError:
        raise
    except pl.exceptions.NoDataError as exc:
        raise InputError(f"{display}: file is empty") from exc
    except READ_ERRORS as exc:
        raise InputError(f"{display}: cannot read {fmt}: {(str(exc).splitlines() or [''])[0][:200]}") from exc


def _parquet(path: Path, display: str) -> Source:
    def schema():
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).schema_arrow.names  # reads the footer: a corrupt file fails here

    columns = _guard(display, "parquet", schema)
    _refuse_duplicates(display, columns)
    lazy = pl.scan_parquet(path)
    return Source(path, display, "parquet", columns, lambda n: lazy.collect_batches(chunk_size=n),
                  estimated_rows=estimate_rows(path, "parquet"))


def _excel(path: Path, display: str) -> Source:
    def read():
        try:
            import fastexcel  # noqa: F401
        except ImportError as exc:
            raise InputError(f"{display}: reading .xlsx needs the fastexcel package (pip install fastexcel), "
                             "or save the sheet as CSV") from exc
        try:
            return pl.read_excel(path, engine="calamine", sheet_id=1)
        except Exception as exc:  # noqa: BLE001 - the reader's own errors (CalamineError …) for a bad file
            raise InputError(f"{display}: cannot read xlsx: {(str(exc).splitlines() or [''])[0][:200]}") from exc

    df = _guard(display, "xlsx", read)
    _refuse_duplicates(display, df.columns)
    return Source(path, display, "xlsx", df.columns, lambda n: df.iter_slices(n), estimated_rows=df.height)


def _lines(path: Path, readable: Path, display: str, encoding: str, note: str | None) -> Source:
    def read(chunk_rows: int) -> Iterator[pl.DataFrame]:
        numbers, texts = [], []
        with readable.open(encoding="utf-8", newline="") as f:
            for i, line in enumerate(_physical_lines(f), start=1):
                if line.strip():
                    numbers.append(i)
                    texts.append(line)
                    if len(texts) >= chunk_rows:
                        yield pl.DataFrame({"line": numbers, "text": texts},
                                           schema={"line": pl.Int64, "text": pl.String})
                        numbers, texts = [], []
        if texts:
            yield pl.DataFrame({"line": numbers, "text": texts}, schema={"line": pl.Int64, "text": pl.String})

    return Source(path, display, "lines", list(LINES_COLUMNS), read, encoding, note, estimate_rows(path, "lines"))


def _jsonl(path: Path, readable: Path, display: str, encoding: str, note: str | None) -> Source:
    lazy = pl.scan_ndjson(readable, infer_schema_length=10_000)
    columns = _guard(display, "jsonl", lambda: lazy.collect_schema().names())
    if not columns:
        raise InputError(f"{display}: file is empty")
    return Source(path, display, "jsonl", columns, lambda n: lazy.collect_batches(chunk_size=n), encoding, note,
                  estimate_rows(path, "jsonl"))


def _csv(path: Path, readable: Path, display: str, encoding: str, note: str | None, sep: str,
         header: bool) -> Source:
    if len(sep) != 1:
        raise InputError(f"--delimiter must be one character, not {sep!r}")
    with readable.open(encoding="utf-8", newline="") as f, _csv_field_limit():
        first = next(csv.reader(f, delimiter=sep), None)
    if not first:
        raise InputError(f"{display}: file is empty")
    columns = [c for c in first] if header else [f"column_{i}" for i in range(1, len(first) + 1)]
    _refuse_duplicates(display, columns)
    if _has_stray_quote(readable, sep):
        read = lambda n: _python_csv(readable, columns, sep, header, n, display)  # noqa: E731
    else:
        lazy = pl.scan_csv(readable, infer_schema=False, separator=sep, has_header=header,
                           new_columns=None if header else columns)
        read = lambda n: lazy.collect_batches(chunk_size=n)  # noqa: E731
    return Source(path, display, "tsv" if sep == "\t" else "csv", columns, read, encoding, note,
                  estimate_rows(path, "csv"), sep, header)


def _refuse_duplicates(display: str, columns: list[str]) -> None:
    seen, dup = set(), []
    for c in columns:
        if c in seen and c not in dup:
            dup.append(c)
        seen.add(c)
    if dup:
        raise InputError(f"{display}: duplicate column name(s) in the header: {', '.join(map(repr, dup))}; "
                         "rename them (or read the file with --no-header)")


def _has_stray_quote(path: Path, sep: str) -> bool:
    """Whether a quote stands inside a field (a character other than a separator, line end or quote on both
    sides): RFC 4180 and Python's csv read it as a character, polars as the start of a quoted field that may
    swallow the lines after it. Vectorised over blocks (about 2 ms per MB)."""
    import numpy as np

    quote, delim = ord('"'), ord(sep)

    def edge(x):
        return (x == delim) | (x == 10) | (x == 13) | (x == quote)

    prev_last = 10
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            if b'"' in block:
                arr = np.frombuffer(block, dtype=np.uint8)
                at = np.flatnonzero(arr == quote)
                before = arr.take(at - 1, mode="clip")
                after = arr.take(at + 1, mode="clip")
                if at[0] == 0:
                    before[0] = prev_last
                if at[-1] == len(arr) - 1:
                    after[-1] = 10
                if (~edge(before) & ~edge(after)).any():
                    return True
            prev_last = block[-1]
    return False


def _python_csv(path: Path, columns: list[str], sep: str, header: bool, chunk_rows: int,
                display: str) -> Iterator[pl.DataFrame]:
    """CSV rows as Python's csv module reads them (RFC 4180), in frames of strings."""
    width = len(columns)
    with path.open(encoding="utf-8", newline="") as f, _csv_field_limit():
        reader = csv.reader(f, delimiter=sep)
        if header:
            next(reader, None)
        rows: list[list[str]] = []
        for rec in reader:
            if not rec:
                continue
            if len(rec) > width:
                raise InputError(f"{display}: ragged CSV: rows with more fields than the header at line(s) "
                                 f"{reader.line_num}")
            rows.append(rec + [None] * (width - len(rec)))
            if len(rows) >= chunk_rows:
                yield pl.DataFrame(rows, schema={c: pl.String for c in columns}, orient="row")
                rows = []
        if rows:
            yield pl.DataFrame(rows, schema={c: pl.String for c in columns}, orient="row")


def require_columns(source: Source, *cols: str | None) -> None:
    """One line naming every column the input lacks, and the ones it has."""
    missing = [c for c in cols if c and c not in source.columns]
    if missing:
        glued = next((d for d in (";", "\t", "|") if len(source.columns) == 1 and d in source.columns[0]), None)
        hint = f" (is the delimiter {glued!r}? name it with --delimiter)" if glued else ""
        raise InputError(f"{source.display}: unknown column(s) {', '.join(map(repr, missing))}; "
                         f"the input has: {', '.join(source.columns)}{hint}")


__all__ = ["Source", "open_source", "decode_text", "detect_encoding", "require_columns", "display_name"]
