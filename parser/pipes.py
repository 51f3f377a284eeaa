"""``notice-parser parse`` as a filter: ``-`` reads a notice from standard input, ``-o -``
writes JSON Lines to standard output.

On standard output go records only, one compact JSON object per line in the order the
files were given (the same text as a line of a batch's ``notices.jsonl``), so that
``… | jq`` and line-by-line consumers work; every message (errors, the summary) goes
to standard error. A folder given to ``parse`` is reported with a pointer to ``batch``,
which is the command that walks folders (filters, parallel workers, incremental runs).
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING

from parser.errors import NotAFile, TooLarge

if TYPE_CHECKING:  # pragma: no cover
    from parser.options import ParseOptions
    from schemas.notice import Notice

STDIO = "-"
FILE_FORMATS = ("json", "csv", "xlsx")
STDOUT_FORMATS = ("json", "jsonl")


class UsageError(ValueError):
    """Options that do not go together; the CLI prints it and exits with status 2."""


def resolve_formats(spec: str | None, output: str, report: bool = False) -> set[str]:
    """The formats asked for, checked against where they go."""
    if output == STDIO:
        if report:
            raise UsageError("--report writes HTML files: give an output folder, not -o -")
        formats = {f.strip() for f in (spec or "json").split(",") if f.strip()}
        wrong = formats - set(STDOUT_FORMATS)
        if wrong:
            raise UsageError(f"-o - writes JSON Lines only; {', '.join(sorted(wrong))} needs an output folder")
        return formats
    formats = {f.strip() for f in (spec if spec is not None else "json,csv").split(",") if f.strip()}
    wrong = formats - set(FILE_FORMATS)
    if wrong:
        raise UsageError(f"unknown format {', '.join(sorted(wrong))} (known: {', '.join(FILE_FORMATS)})")
    return formats


def read_stdin(limit: int, stream: IO[bytes] | None = None) -> bytes:
    """All of standard input, as bytes (the reader decides the encoding), up to the size limit."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"standard input is over the limit of {limit} bytes")
    return data


def parse_source(path: str, options: ParseOptions, stdin_name: str = "<stdin>") -> Notice:
    """One notice from a path, or from standard input for ``-``."""
    from parser import parse_bytes, parse_file

    if path == STDIO:
        try:
            data = read_stdin(options.limits.max_bytes)
        except TooLarge as exc:
            raise exc.with_path(stdin_name) from None
        return parse_bytes(data, stdin_name, options)
    if os.path.isdir(path):
        raise NotAFile(f"a folder; parse takes files: use `notice-parser batch {path} -o OUT` for folders", path)
    return parse_file(path, options)


def json_line(notice: Notice) -> bytes:
    """The record as one line: compact JSON, UTF-8, no line break inside (JSON escapes them)."""
    return notice.model_dump_json().encode("utf-8") + b"\n"


class JsonLinesOut:
    """Writes records to standard output as they are parsed, so a pipe sees each at once.

    A reader that goes away early (``| head -1``) is not an error of ours: the rest is
    dropped quietly, and standard output is pointed at /dev/null so that Python's own
    flush at exit does not complain either.
    """

    def __init__(self, stream: IO[bytes] | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout.buffer
        self.closed = False

    def write(self, notice: Notice) -> None:
        if self.closed:
            return
        try:
            self.stream.write(json_line(notice))
            self.stream.flush()
        except BrokenPipeError:
            self.closed = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
