"""Write-then-rename, so that no output file is ever left half-written.

A killed run leaves at most a ``*.tmp`` file beside the target, never a truncated
target; the next run overwrites it.

A write that fails (a full disk, a quota, a read-only folder) removes its temporary and
raises ``WriteFailed`` naming the target and the system's reason, which the commands
print as one line ``PATH: write_failed: reason`` instead of a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from typing import IO

from parser.errors import write_failed

WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO})
"""Errors of writing to an open file. An OSError of another kind raised by the caller's
code inside ``atomic_open`` (reading an input, say) is not a failure to write and passes
through unchanged."""


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8",
                newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise write_failed(exc, target) from exc
    callers = False
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as fh:
            try:
                yield fh
            except OSError as exc:
                if exc.errno in WRITE_ERRNOS:
                    raise write_failed(exc, target) from exc
                callers = True
                raise
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        # flush, fsync, close and rename are all part of writing; the caller's own errors are not
        if isinstance(exc, OSError) and (not callers or exc.errno in WRITE_ERRNOS):
            raise write_failed(exc, target) from exc
        raise


def write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    with atomic_open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)
