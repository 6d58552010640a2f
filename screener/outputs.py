"""Where results go, safely: one function opens every output `batch`, `check`, `eval` and baselines write.

- `-` (or no target) is standard output; a FIFO, `/dev/null` or a terminal is written in place, streamed,
  never replaced; a folder or any other non-regular file (a block device, a socket) is refused with one line.
- A regular file is written to a temporary file beside it (`.NAME.PID.RANDOM.partial`) that replaces the
  target only when everything was written; an error, Ctrl-C or SIGTERM removes it. A symlink is followed
  (its target is replaced, the link stays). A new file gets the umask's permissions, a replaced file keeps
  its own. Leftovers of a killed run (their process gone) are removed by the next run writing that target.
- A sidecar (the provenance of a table, `OUTPUT.provenance.json`) is written the same way and renamed right
  after the output, so the two describe the same run.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from screener.errors import InputError

PARTIAL_SUFFIX = ".partial"
STALE_SECONDS = 3600  # a leftover whose name holds no process id is removed once it is this old


def is_stdout(target: str | Path | None) -> bool:
    """Whether the output goes to standard output (no target, or `-`)."""
    return target is None or str(target) == "-"


def _streamable_device(path: Path, st: os.stat_result) -> bool:
    """A FIFO, /dev/null or a terminal: written in place (never replaced)."""
    if stat.S_ISFIFO(st.st_mode):
        return True
    if not stat.S_ISCHR(st.st_mode):
        return False
    try:
        null = os.stat(os.devnull)
        if (st.st_rdev, st.st_ino) == (null.st_rdev, null.st_ino):
            return True
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


def resolve_target(target: str | Path) -> tuple[Path, bool]:
    """The path to write and whether it is streamed in place (True) or replaced atomically (False).

    Refuses (one line) a folder and every non-regular file that is not streamable."""
    path = Path(target)
    if path.is_symlink():
        path = path.resolve()
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        return path, False
    except OSError as exc:
        raise InputError(f"{target}: cannot write: {exc.strerror}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{target}: is a folder; name a file to write")
    if stat.S_ISREG(st.st_mode):
        return path, False
    if _streamable_device(path, st):
        return path, True
    raise InputError(f"{target}: not a regular file (a device or socket); it is not replaced")


def check_target(target: str | Path | None) -> None:
    """Fail early (before any work) on an output that would be refused at the end."""
    if not is_stdout(target):
        resolve_target(target)


def clean_stale_partials(path: Path) -> list[Path]:
    """Remove `.NAME.*.partial` files beside `path` left by runs that were killed (their process is gone, or,
    for a name without a process id, older than STALE_SECONDS). Returns what was removed."""
    removed = []
    try:
        candidates = list(path.parent.glob(f".{path.name}.*{PARTIAL_SUFFIX}"))
    except OSError:
        return removed
    for p in candidates:
        middle = p.name[len(path.name) + 2:-len(PARTIAL_SUFFIX)]
        pid = middle.split(".", 1)[0]
        try:
            if pid.isdigit() and "." in middle:
                if int(pid) == os.getpid() or _alive(int(pid)):
                    continue
            elif time.time() - p.stat().st_mtime < STALE_SECONDS:
                continue
            p.unlink()
            removed.append(p)
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def open_output(target: str | Path | None, sidecar: Callable[[], bytes | None] | None = None) -> Iterator[BinaryIO]:
    """A binary handle for `target` (see the module's docstring); `sidecar`, called once everything is
    written, gives the bytes of `TARGET.provenance.json` (not for standard output or a stream)."""
    if is_stdout(target):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path, streamed = resolve_target(target)
    if streamed:
        with open(path, "wb") as handle:
            yield handle
        return
    clean_stale_partials(path)
    mode = stat.S_IMODE(os.stat(path).st_mode) if path.exists() else 0o666 & ~_umask()
    tmp = _temporary(path)
    side_path = side_tmp = None
    try:
        with open(tmp, "wb") as handle:
            yield handle
        os.chmod(tmp, mode)
        body = sidecar() if sidecar else None
        if body is not None:
            side_path = sidecar_path(path)
            clean_stale_partials(side_path)
            side_tmp = _temporary(side_path)
            side_tmp.write_bytes(body)
            os.chmod(side_tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
        if side_tmp is not None:
            os.replace(side_tmp, side_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        if side_tmp is not None:
            side_tmp.unlink(missing_ok=True)
        raise


def _temporary(path: Path) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=PARTIAL_SUFFIX, dir=path.parent)
    os.close(fd)
    return Path(name)


def sidecar_path(path: str | Path) -> Path:
    """`OUTPUT.provenance.json` beside an output table."""
    path = Path(path)
    return path.with_name(path.name + ".provenance.json")


def write_text(target: str | Path | None, text: str) -> None:
    """A whole text (a report, a baseline) to `target`, safely; a final newline added when missing."""
    write_bytes(target, (text if text.endswith("\n") else text + "\n").encode("utf-8"))


def write_bytes(target: str | Path | None, data: bytes) -> None:
    """Bytes to `target`, safely, a piece at a time: one long write into a pipe whose reader has gone away
    comes back short without an error (the rest dropped silently); the next piece raises the closed pipe."""
    with open_output(target) as handle:
        for at in range(0, len(data), 1 << 16):
            handle.write(data[at:at + (1 << 16)])
