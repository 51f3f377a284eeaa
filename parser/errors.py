"""One error type per cause, each with a stable code.

Every error names the file and gives a one-line reason, so that the CLI can print
``FILE: code: reason`` and a batch can record the same in ``errors.csv``. Codes are
part of the interface: scripts match on them, so they never change meaning.
"""

from __future__ import annotations

import os


class NoticeError(Exception):
    """Base of every error the parser raises on purpose."""

    code = "error"
    stage = "parse"

    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def with_path(self, path: str | None) -> NoticeError:
        """Attach the file name once it is known (stages below the reader do not know it)."""
        if self.path is None:
            self.path = path
        return self

    def __str__(self) -> str:
        where = self.path or "<text>"
        return f"{where}: {self.code}: {self.reason}"


class MissingFile(NoticeError):
    code = "missing"
    stage = "read"


class NotAFile(NoticeError):
    code = "not_a_file"
    stage = "read"


class EmptyInput(NoticeError):
    code = "empty"
    stage = "read"


class EncodingError(NoticeError):
    code = "encoding"
    stage = "read"


class UnsupportedFormat(NoticeError):
    code = "unsupported_format"
    stage = "read"


class MislabelledFormat(NoticeError):
    code = "mislabelled_format"
    stage = "read"


class Encrypted(NoticeError):
    code = "encrypted"
    stage = "read"


class NoTextLayer(NoticeError):
    code = "no_text_layer"
    stage = "read"


class GarbledTextLayer(NoticeError):
    """A PDF whose text layer is glyph codes, not text: subset fonts without a usable
    ToUnicode map give (cid:N), private-use characters or mojibake (parser/readers/pdf_textcheck.py)."""

    code = "garbled_text_layer"
    stage = "read"


class CorruptFile(NoticeError):
    code = "corrupt"
    stage = "read"


class TooLarge(NoticeError):
    code = "too_large"
    stage = "read"


class MissingTool(NoticeError):
    code = "missing_tool"
    stage = "read"


class NotANotice(NoticeError):
    code = "not_a_notice"
    stage = "tasks"


class Timeout(NoticeError):
    code = "timeout"
    stage = "parse"


class UnsafePath(NoticeError):
    """A zip member whose name is absolute or climbs out with ``..`` (batch)."""

    code = "unsafe_path"
    stage = "read"


class WorkerCrash(NoticeError):
    """The worker process died (segfault, os._exit, out-of-memory kill) on this file (batch)."""

    code = "worker_crash"
    stage = "parse"


class WriteFailed(NoticeError):
    """An output could not be written: a full disk, a quota, a read-only or vanished folder.

    The path is the output file, the reason the system's (``No space left on device``).
    Nothing half-written is left (write-then-rename); the command stops at the first such
    failure and exits with status 1, and a re-run once the cause is gone completes the job.
    """

    code = "write_failed"
    stage = "write"


def write_failed(exc: BaseException, path: str | os.PathLike[str]) -> WriteFailed:
    """The WriteFailed for an OSError (its strerror) or a database error (its message)."""
    if isinstance(exc, WriteFailed):
        return exc
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
    return WriteFailed(" ".join(reason.split()), os.fspath(path))


class InternalError(NoticeError):
    code = "internal_error"
    stage = "parse"


ALL_ERRORS: tuple[type[NoticeError], ...] = (
    MissingFile,
    NotAFile,
    EmptyInput,
    EncodingError,
    UnsupportedFormat,
    MislabelledFormat,
    Encrypted,
    NoTextLayer,
    GarbledTextLayer,
    CorruptFile,
    TooLarge,
    MissingTool,
    NotANotice,
    Timeout,
    UnsafePath,
    WorkerCrash,
    WriteFailed,
    InternalError,
)
