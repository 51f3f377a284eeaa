"""The per-file work of a batch, the same under the local pool and under Dask.

A worker reads the input, parses it under a time limit and returns an ``Outcome``:
a small tuple whose payload is the notice as compact JSON (one string pickles far
faster than a pydantic model) or the error's stage, code and reason.

Test hooks (environment variables read by the worker; each holds comma-separated
file names, matched against the last part of the key):

``NOTICE_PARSER_TEST_HANG``
    the worker sleeps on that file until the time limit's alarm stops it.
``NOTICE_PARSER_TEST_HANG_HARD``
    the worker blocks SIGALRM and sleeps, so the parent must kill and replace it.
``NOTICE_PARSER_TEST_CRASH``
    the worker process dies with ``os._exit(70)`` on that file.
``NOTICE_PARSER_TEST_SLOW``
    seconds to sleep before every file (lets a test kill a run half way).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import os
import signal
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from parser.batch.sources import Item, read_member
from parser.errors import InternalError, MissingFile, NotAFile, NoticeError, Timeout, TooLarge
from parser.options import ParseOptions

if TYPE_CHECKING:  # pragma: no cover
    from schemas.notice import Notice


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""Signals that stop a batch: handled by its parent process (``parser.batch.run``), ignored by workers."""


class Outcome(NamedTuple):
    key: str
    sha256: str | None
    ok: bool
    payload: str
    """When ok, the cache file's text (``cache_text``); else ``stage\\tcode\\treason``."""
    n_tasks: int
    seconds: float

    def error(self) -> tuple[str, str, str]:
        stage, code, reason = ([*self.payload.split("\t", 2), "", ""])[:3]
        return stage, code, reason


def failure(key: str, sha: str | None, stage: str, code: str, reason: str, seconds: float = 0.0) -> Outcome:
    one_line = " ".join(reason.split())[:500]
    return Outcome(key, sha, False, f"{stage}\t{code}\t{one_line}", 0, seconds)


def write_failure(key: str, path: str, exc: OSError) -> Outcome:
    """A cache file that could not be written: not a fault of the input, so the parent
    records no row for it (the next run parses it again) and stops the run."""
    from parser.errors import WriteFailed, write_failed

    return failure(key, None, WriteFailed.stage, WriteFailed.code, write_failed(exc, path).reason)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def cache_path(out: str, key: str) -> str:
    return os.path.join(out, "notices", key_hash(key) + ".json")


_ROWS_HEAD = '{"rows":'
_RECORD_HEAD = ',"record":'
CACHE_HEAD = _ROWS_HEAD.encode()


def cache_text(record: str, rows: str) -> str:
    """One JSON object ``{"rows": …, "record": <the notice>}``: a single file, so the record
    and its rows are replaced together, and the record's text can be cut out again
    without re-serializing it (``split_cache``)."""
    return f"{_ROWS_HEAD}{rows}{_RECORD_HEAD}{record}}}"


def split_cache(text: str) -> tuple[str, str]:
    """(record JSON, rows JSON) of a cache file's text."""
    text = text.rstrip("\n")
    if not text.startswith(_ROWS_HEAD):
        raise ValueError("not a batch cache file")
    _, end = json.JSONDecoder().raw_decode(text, len(_ROWS_HEAD))
    if not text.startswith(_RECORD_HEAD, end) or not text.endswith("}"):
        raise ValueError("not a batch cache file")
    return text[end + len(_RECORD_HEAD):-1], text[len(_ROWS_HEAD):end]


def write_cache(path: str, payload: str) -> None:
    """Write-then-rename without fsync: the manifest row that vouches for this file is
    committed only afterwards, and a lost file is simply parsed again."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(payload)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:  # a full disk, or a stop signal: no partial file stays behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@functools.cache
def rows_format() -> str:
    """Changes whenever a table's columns do, so that cached rows of another layout are rebuilt."""
    from parser.writers.csv_out import ASSIGNMENT_COLUMNS, TASK_COLUMNS
    from parser.writers.units_index import ROW_FIELDS

    return hashlib.sha256(repr((TASK_COLUMNS, ASSIGNMENT_COLUMNS, ROW_FIELDS)).encode()).hexdigest()[:12]


def csv_lines(rows: Iterable[Sequence[str]]) -> str:
    """Rows in the dialect of parser.writers.csv_out (CRLF, minimal quoting), no header."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def derived_rows(notice: Notice, key: str) -> str:
    """The notice's rows of tasks.csv, assignments.csv and the unit index, as CSV text.

    Computed here, in parallel, and cached beside the record, so that rebuilding the
    batch tables is string concatenation (and one C-speed CSV read for Parquet and the
    unit index) instead of re-validating every record.
    """
    from parser.writers.csv_out import assignment_rows, task_row
    from parser.writers.units_index import unit_rows

    rows = {
        "format": rows_format(),
        "tasks": csv_lines(task_row(key, t) for t in notice.tasks),
        "assignments": csv_lines(r for t in notice.tasks for r in assignment_rows(key, t)),
        "units": csv_lines(unit_rows(key, notice)),
    }
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _hooked(var: str, key: str) -> bool:
    names = os.environ.get(var)
    if not names:
        return False
    base = key.rsplit("!", 1)[-1].rsplit("/", 1)[-1]
    return base in {n.strip() for n in names.split(",")}


def _test_hooks(key: str) -> None:
    slow = os.environ.get("NOTICE_PARSER_TEST_SLOW")
    if slow:
        time.sleep(float(slow))
    if _hooked("NOTICE_PARSER_TEST_CRASH", key):
        os._exit(70)
    if _hooked("NOTICE_PARSER_TEST_HANG_HARD", key):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            time.sleep(3600)
    if _hooked("NOTICE_PARSER_TEST_HANG", key):
        while True:
            time.sleep(3600)


def _on_alarm(signum, frame):  # type: ignore[no-untyped-def]
    raise Timeout("time limit reached")


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise Timeout after ``seconds`` (SIGALRM; only possible in a process's main thread).

    Under Dask the task runs in a worker thread, so the client enforces the limit.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def read_input(item: Item, options: ParseOptions, zips: dict[str, zipfile.ZipFile] | None = None) -> bytes:
    """The input's bytes: the file, or the member inflated from its archive."""
    limits = options.limits
    if item.member is not None:
        try:
            return read_member(item.path, item.member, limits, zips)
        except NoticeError:
            raise
        except (OSError, KeyError, zipfile.BadZipFile, ValueError, NotImplementedError, EOFError) as exc:  # unknown method
            from parser.errors import CorruptFile

            raise CorruptFile(f"cannot read member: {exc}"[:300]) from exc
    try:
        with open(item.path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size > limits.max_bytes:
                raise TooLarge(f"file is over the limit of {limits.max_bytes} bytes")
            return fh.read()
    except FileNotFoundError as exc:
        raise MissingFile("no such file") from exc
    except IsADirectoryError as exc:
        raise NotAFile("not a regular file") from exc


def process(item: Item, options: ParseOptions, data: bytes | None = None,
            zips: dict[str, zipfile.ZipFile] | None = None) -> Outcome:
    """Parse one input; every failure becomes an Outcome, never an exception."""
    from parser import parse_bytes

    t0 = time.perf_counter()
    sha: str | None = None
    try:
        with time_limit(options.limits.timeout_s):
            _test_hooks(item.key)
            if data is None:
                data = read_input(item, options, zips)
            sha = hashlib.sha256(data).hexdigest()
            notice = parse_bytes(data, item.key, options)
            payload = cache_text(notice.model_dump_json(), derived_rows(notice, item.key))
    except NoticeError as exc:
        return failure(item.key, sha, exc.stage, exc.code, exc.reason, time.perf_counter() - t0)
    except MemoryError:
        return failure(item.key, sha, "parse", InternalError.code, "out of memory", time.perf_counter() - t0)
    except Exception as exc:
        return failure(item.key, sha, "parse", InternalError.code, f"{type(exc).__name__}: {exc}",
                       time.perf_counter() - t0)
    return Outcome(item.key, sha, True, payload, len(notice.tasks), time.perf_counter() - t0)


def process_many(items: list[Item], options: ParseOptions, datas: list[bytes | None] | None = None) -> list[Outcome]:
    """A chunk of inputs in one call (Dask tasks; one round trip per chunk)."""
    zips: dict[str, zipfile.ZipFile] = {}
    try:
        return [process(item, options, datas[i] if datas else None, zips) for i, item in enumerate(items)]
    finally:
        for zf in zips.values():
            zf.close()


def warm_up(options: ParseOptions) -> None:
    """Load the pipeline and its vocabularies once, before workers are forked from us."""
    from parser import parse_text

    with contextlib.suppress(Exception):
        parse_text("关于印发示例方案的通知\n一、总体要求\n（一）示例任务。\n牵头单位：市政府办公室\n", options)
