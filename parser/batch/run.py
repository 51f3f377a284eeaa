"""``notice-parser batch``: convert folders and zip archives, in parallel and incrementally.

    notice-parser batch SRC... -o DIR [--include GLOB] [--exclude GLOB] [--jobs N]
                        [--timeout S] [--force] [--db URL] [--engine dask --scheduler ADDR] [--report]

What DIR holds afterwards:

``manifest.sqlite``
    one row per input key: content sha256, parser version (version + vocabulary hash),
    outcome. A re-run parses only inputs that are new, changed, or were parsed by
    another parser version (``--force``: all of them).
``notices/<key-hash>.json``
    ``{"rows": …, "record": <notice>}``: each notice's record (compact JSON) and its rows
    of the tables, so the aggregates are rebuilt without parsing.
``notices.jsonl, tasks.csv, assignments.csv, units.csv, *.parquet, errors.csv``
    rebuilt from the cache on every run, sorted by input key: two runs over the same
    inputs give byte-identical files, however the work was split or interrupted.

Every file is written under a temporary name and renamed; stale temporaries of a killed
run are removed at the start of the next. A failing input is a row of ``errors.csv``
(file, stage, code, reason) and never stops the others; the exit status is 1 when any
input of the batch failed. Test hooks of the worker: see ``parser.batch.worker``.

Stops. SIGINT, SIGTERM and SIGHUP stop a run cleanly: the files in flight are abandoned
(their workers killed, their temporaries removed), every finished file keeps its manifest
row, the tables are left as the last complete run wrote them, and the exit status is
128 + the signal (130, 143, 129). A second signal while that is done exits at once. A
failure to write (a full disk) also stops the run: one line ``PATH: write_failed: reason``
per cause, status 1. Either way the same command, run again, finishes the job.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import glob
import hashlib
import json
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from parser.batch.worker import STOP_SIGNALS, cache_path, key_hash, write_cache
from parser.errors import WriteFailed, write_failed

if TYPE_CHECKING:  # pragma: no cover - the CLI imports this module for every command; keep it light
    from parser.batch.manifest import Entry, Manifest
    from parser.batch.sources import Item, SourceError
    from parser.batch.worker import Outcome
    from parser.options import ParseOptions

ERROR_COLUMNS = ["file", "stage", "code", "reason"]
AGGREGATES = ("notices.jsonl", "tasks.csv", "assignments.csv", "units.csv", "errors.csv",
              "tasks.parquet", "assignments.parquet", "units.parquet")
COMMIT_EVERY_S = 1.0
COMMIT_EVERY_N = 500
EXIT_STATUS_HELP = (
    "exit status: 0 every input parsed; 1 some input failed (see errors.csv) or an output could not be "
    "written (one line 'PATH: write_failed: reason' per cause); 130, 143, 129: stopped by SIGINT (Ctrl-C), "
    "SIGTERM or SIGHUP. A stopped run keeps every finished file in the manifest and leaves the tables as the "
    "last complete run wrote them; the same command, run again, finishes the job."
)


def configure(p: argparse.ArgumentParser) -> None:
    """Options of the ``batch`` subcommand (the limit options are added by the CLI)."""
    from parser.limits import Limits

    p.add_argument("sources", nargs="+", metavar="SRC", help="files, folders (recursive) and .zip archives")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="output folder")
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="only inputs matching (repeatable; default: every readable format)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip inputs matching (repeatable)")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                   help="worker processes (default %(default)s; 0 parses in this process, without isolation)")
    p.add_argument("--chunksize", type=int, default=0, help="inputs per message to a worker (default: automatic)")
    p.add_argument("--timeout", type=float, default=Limits().timeout_s, metavar="SECONDS",
                   help="per-file time limit (default %(default)s)")
    p.add_argument("--force", action="store_true", help="parse every input, even unchanged ones")
    p.add_argument("--retry-failed", action="store_true", help="parse unchanged inputs that failed last time")
    p.add_argument("--require-tasks", action="store_true", help="count a notice without tasks as failed (not_a_notice)")
    p.add_argument("--db", metavar="URL", help="also write the tables to this SQLAlchemy URL (a bare path is SQLite)")
    p.add_argument("--no-parquet", action="store_true", help="skip the Parquet tables")
    p.add_argument("--engine", choices=("local", "dask"), default="local", help="where the work runs (default %(default)s)")
    p.add_argument("--scheduler", metavar="ADDRESS", default="local",
                   help="dask scheduler address, or 'local' for a LocalCluster (default %(default)s)")
    p.add_argument("--report", action="store_true", help="also write HTML review pages")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    p.add_argument("--stats", action="store_true", help="print where the time went, as one JSON line on stderr")
    p.epilog = EXIT_STATUS_HELP


# --- small helpers -------------------------------------------------------------------------------

def parser_version() -> str:
    """What a manifest row must match to be reused: code version and vocabulary hash."""
    from parser import __version__
    from parser.data import vocabulary_hash

    return f"{__version__}+{vocabulary_hash()}"


def remove_stale_temporaries(out: str) -> int:
    """A killed run may leave ``*.tmp`` files; no live run of ours owns them now."""
    n = 0
    for pattern in ("*.tmp", ".*.tmp", "notices/*.tmp", "notices/.*.tmp"):
        for path in glob.glob(os.path.join(glob.escape(out), pattern)):
            with contextlib.suppress(OSError):
                os.unlink(path)
                n += 1
    return n


def _sha_file(path: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


class Stats:
    """Seconds spent per phase, for ``--stats`` and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

    def as_json(self) -> str:
        return json.dumps({"seconds": {k: round(v, 4) for k, v in self.seconds.items()}, "counts": self.counts},
                          sort_keys=True)


class Interrupted(KeyboardInterrupt):
    """A stop signal reached the batch's parent; raised in its main thread."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into ``Interrupted`` while the batch runs.

    The exception unwinds through the pool (which kills its workers) and the manifest's
    last commit; a second signal during that exits at once (the manifest's transactions
    are atomic, and the workers die with this process). Only the main thread may set
    handlers: elsewhere (a batch started by a service thread) the caller's stay.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        if received:
            os._exit(128 + signum)
        received.append(signum)
        raise Interrupted(signum)

    old = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def stopped_by_write_failures(failures: Sequence[WriteFailed], args: argparse.Namespace) -> int:
    """Report a run stopped by failed writes: one line per cause (the same reason met again,
    by every worker on a full disk, is not repeated), then what was kept. Returns the status."""
    seen: set[str] = set()
    for exc in failures:
        if exc.reason in seen:
            continue
        seen.add(exc.reason)
        print(str(exc), file=sys.stderr)
        if args.debug:
            traceback.print_exception(exc, file=sys.stderr)
    remove_stale_temporaries(args.output)  # the workers are gone: what they left is ours to remove
    print("batch: stopped: an output could not be written; every finished file is in the manifest; run the same "
          "command again once the cause is fixed", file=sys.stderr)
    return 1


# --- planning ------------------------------------------------------------------------------------

def cache_usable(path: str) -> bool:
    """The cache file is there and in this version's layout (files are renamed into place
    whole, so the head tells the layout)."""
    from parser.batch.worker import CACHE_HEAD

    try:
        with open(path, "rb") as fh:
            return fh.read(len(CACHE_HEAD)) == CACHE_HEAD
    except OSError:
        return False


def plan(items: Sequence[Item], known: dict[str, Entry], out: str, version: str, force: bool,
         retry_failed: bool) -> tuple[list[Item], list[Entry]]:
    """Split items into those to parse and those to keep; kept entries whose file was
    touched but not changed come back with a fresh stamp, to be saved."""
    todo: list[Item] = []
    touched: list[Entry] = []
    for item in items:
        entry = known.get(item.key)
        reusable = (
            not force and entry is not None and entry.parser_version == version
            and ((entry.outcome == "ok" and cache_usable(cache_path(out, item.key)))
                 or (entry.outcome == "failed" and not retry_failed))
        )
        if not reusable or entry is None:
            todo.append(item)
        elif entry.stamp == item.stamp:
            continue
        elif item.member is None and entry.sha256 and _sha_file(item.path) == entry.sha256:
            touched.append(dataclasses.replace(entry, stamp=item.stamp))
        else:
            todo.append(item)
    return todo, touched


# --- progress ------------------------------------------------------------------------------------

class Progress:
    """A rich progress bar on a terminal; plain log lines every few seconds otherwise."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.t0 = time.monotonic()
        self.last = self.t0
        self.bar = None
        self.quiet = quiet or total == 0
        if not self.quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            self.bar = Bar(TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                           TextColumn("{task.fields[failed]} failed  {task.fields[rate]}/s"),
                           TimeRemainingColumn(), console=Console(stderr=True), auto_refresh=False, transient=False)
            self.task = self.bar.add_task("parse", total=total, failed=0, rate="0")
            self.bar.start()

    def advance(self, ok: bool) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        self.tick()

    def tick(self, final: bool = False) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if not final and now - self.last < (0.2 if self.bar else 5.0):
            return
        self.last = now
        rate = self.done / max(now - self.t0, 1e-9)
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, failed=self.failed, rate=f"{rate:.0f}")
            self.bar.refresh()
            return
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        print(f"batch: {self.done}/{self.total} parsed, {self.failed} failed, {rate:.0f} files/s, "
              f"{left:.0f} s left", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.tick(final=True)
            self.bar.stop()


# --- running -------------------------------------------------------------------------------------

def _chunksize(n: int, jobs: int, asked: int) -> int:
    """Big enough that a message carries real work, small enough to balance the workers."""
    if asked > 0:
        return asked
    return max(1, min(64, n // (max(jobs, 1) * 8) or 1))


def _preload_table_libraries() -> None:
    """pandas and pyarrow take most of a second to import; do it while workers parse."""
    with contextlib.suppress(ImportError):
        import pandas  # noqa: F401
        import pyarrow.csv
        import pyarrow.parquet  # noqa: F401


def run_items(todo: list[Item], options: ParseOptions, args: argparse.Namespace,
              tick: Callable[[], None], stats: Stats) -> Iterator[Outcome]:
    """Outcomes of the inputs to parse, from the chosen engine, in completion order."""
    jobs = max(0, args.jobs)
    chunk = _chunksize(len(todo), jobs, args.chunksize)
    if args.engine == "dask":
        from parser.batch.dask import run_dask

        yield from run_dask(todo, options, args.scheduler, chunk)
        return
    from parser.batch.worker import process, warm_up

    with stats.phase("warm_up"):
        warm_up(options)
    if jobs == 0:
        zips: dict = {}
        for item in todo:
            yield process(item, options, None, zips)
        return
    from parser.batch.pool import Pool

    pool = Pool(jobs, options, chunk, cache_dir=args.output)
    try:
        yield from pool.run(todo, on_idle=tick, on_started=_preload_table_libraries)
    finally:
        stats.seconds["worker_start"] = pool.spawn_seconds
        stats.seconds["receive"] = pool.recv_seconds
        stats.counts["workers_started"] = pool.started
        stats.counts["chunksize"] = chunk


def execute(todo: list[Item], options: ParseOptions, args: argparse.Namespace, out: str, version: str,
            manifest: Manifest, stats: Stats, failures: list[WriteFailed]) -> int:
    """Parse, cache and record; return how many inputs failed.

    A cache file that cannot be written stops the run (``WriteFailed``): the input is not
    at fault, so it gets no row and the next run parses it. The rows of the finished
    files are committed on every way out; a commit that fails is added to ``failures``.
    """
    from parser.batch.manifest import Entry

    try:
        os.makedirs(os.path.join(out, "notices"), exist_ok=True)
    except OSError as exc:
        raise write_failed(exc, os.path.join(out, "notices")) from exc
    item_by_key = {i.key: i for i in todo}
    progress = Progress(len(todo), args.quiet)
    buffer: list[Entry] = []
    last_commit = time.monotonic()
    failed = 0

    def flush() -> None:
        nonlocal last_commit
        with stats.phase("manifest"):
            manifest.put(buffer)
        buffer.clear()
        last_commit = time.monotonic()

    try:
        with stats.phase("run"), contextlib.ExitStack() as stack:
            # closing(): a stop raised here, not in the pool, must still end the workers now
            outcomes = contextlib.closing(run_items(todo, options, args, progress.tick, stats))
            for outcome in stack.enter_context(outcomes):
                item = item_by_key[outcome.key]
                if outcome.ok:
                    if outcome.payload:  # else the worker has written the cache file itself
                        path = cache_path(out, outcome.key)
                        with stats.phase("cache_write"):
                            try:
                                write_cache(path, outcome.payload)
                            except OSError as exc:
                                raise write_failed(exc, path) from exc
                    buffer.append(Entry(outcome.key, outcome.sha256, item.stamp, version, "ok",
                                        n_tasks=outcome.n_tasks, seconds=outcome.seconds))
                elif outcome.error()[1] == WriteFailed.code:  # a worker could not write the cache file
                    raise WriteFailed(outcome.error()[2], cache_path(out, outcome.key))
                else:
                    failed += 1
                    stage, code, reason = outcome.error()
                    buffer.append(Entry(outcome.key, outcome.sha256, item.stamp, version, "failed",
                                        stage, code, reason, seconds=outcome.seconds))
                progress.advance(outcome.ok)
                stats.seconds["parse_in_workers"] = stats.seconds.get("parse_in_workers", 0.0) + outcome.seconds
                if len(buffer) >= COMMIT_EVERY_N or time.monotonic() - last_commit > COMMIT_EVERY_S:
                    flush()
    finally:
        try:
            flush()
        except WriteFailed as exc:
            failures.append(exc)
        progress.close()
    stats.counts["manifest_commits"] = manifest.commits
    return failed


# --- aggregates ----------------------------------------------------------------------------------

def load_cached(path: str):  # type: ignore[no-untyped-def]
    """(Notice, JSON text) of one cached record."""
    from schemas.notice import Notice

    text = read_cached(path)[0]
    return Notice.model_validate_json(text), text


def read_cached(path: str) -> tuple[str, str]:
    """The record JSON and the rows JSON of one cache file."""
    from parser.batch.worker import split_cache

    with open(path, encoding="utf-8") as fh:
        return split_cache(fh.read())


def cached_rows(key: str, record: str, rows_text: str) -> dict[str, str]:
    """The notice's table rows as CSV text; rebuilt from the record when the cache holds
    rows of another column layout (an older version of the tool)."""
    from parser.batch.worker import derived_rows, rows_format

    rows = json.loads(rows_text) if rows_text else {}
    if rows.get("format") != rows_format():
        from schemas.notice import Notice

        rows = json.loads(derived_rows(Notice.model_validate_json(record), key))
    return rows


def write_aggregates(out: str, items: Sequence[Item], entries: dict[str, Entry],
                     source_errors: Sequence[SourceError], args: argparse.Namespace, stats: Stats) -> int:
    """Every batch-wide table, from the cache, sorted by key. Returns the number of error rows."""
    from parser.writers.atomic import atomic_open, write_text
    from parser.writers.csv_out import ASSIGNMENT_COLUMNS, TASK_COLUMNS, csv_text
    from parser.writers.units_index import long_from_csv, units_csv_text, units_frame

    errors: list[list[str]] = [[e.key, e.stage, e.code, e.reason] for e in source_errors]
    keys: list[str] = []
    parts: dict[str, list[str]] = {"tasks": [], "assignments": [], "units": []}
    with stats.phase("load_cache"), atomic_open(os.path.join(out, "notices.jsonl"), newline="") as jsonl:
        # records stream straight to notices.jsonl: only the (much smaller) rows stay in memory
        for item in sorted(items, key=lambda i: i.key):
            entry = entries.get(item.key)
            if entry is None:
                continue
            if entry.outcome != "ok":
                errors.append([item.key, entry.stage, entry.code, entry.reason])
                continue
            record, rows_text = read_cached(cache_path(out, item.key))
            rows = cached_rows(item.key, record, rows_text)
            keys.append(item.key)
            jsonl.write(record)
            jsonl.write("\n")
            for table, lines in parts.items():
                lines.append(rows[table])
    errors.sort()
    body = {table: "".join(lines) for table, lines in parts.items()}
    task_head, assign_head = csv_text(TASK_COLUMNS, []), csv_text(ASSIGNMENT_COLUMNS, [])
    with stats.phase("units_index"):
        frame = units_frame(long_from_csv(body["units"]))
    with stats.phase("aggregates"):
        write_text(os.path.join(out, "tasks.csv"), task_head + body["tasks"])
        write_text(os.path.join(out, "assignments.csv"), assign_head + body["assignments"])
        write_text(os.path.join(out, "units.csv"), units_csv_text(frame))
        write_text(os.path.join(out, "errors.csv"), csv_text(ERROR_COLUMNS, errors))
    if not args.no_parquet:
        from parser.writers.tables_out import csv_to_parquet, write_frame_parquet

        with stats.phase("parquet"):
            csv_to_parquet(task_head[1:] + body["tasks"], os.path.join(out, "tasks.parquet"))
            csv_to_parquet(assign_head[1:] + body["assignments"], os.path.join(out, "assignments.parquet"))
            write_frame_parquet(frame, os.path.join(out, "units.parquet"))
    if args.db:
        from sqlalchemy.exc import DBAPIError

        from parser.writers.tables_out import sync_database

        with stats.phase("database"):
            db_entries = [(k, entries[k].sha256 or key_hash(k), entries[k].parser_version, cache_path(out, k))
                          for k in keys]
            try:
                stats.counts["db_written"] = sync_database(args.db, db_entries, load_cached)
            except DBAPIError as exc:  # a full disk under SQLite, a refused write elsewhere
                raise write_failed(exc.orig or exc, args.db) from exc
    if "xlsx" in getattr(args, "formats", ()):
        from parser.writers.xlsx_out import write_batch_workbook

        with stats.phase("xlsx"):
            write_batch_workbook(out)
    if args.report and keys:
        try:
            from parser.writers.report import write_reports
        except ImportError:
            print("batch: HTML reports are not available in this version", file=sys.stderr)
        else:
            with stats.phase("report"):
                write_reports([load_cached(cache_path(out, k))[0] for k in keys], out)
    return len(errors)


# --- the command ---------------------------------------------------------------------------------

@contextlib.contextmanager
def exclusive(out: str) -> Iterator[None]:
    """One batch per output folder at a time: a second one would delete the first one's
    temporaries and interleave its manifest commits. A POSIX record lock (lockf), because
    it is not inherited by forked workers that may outlive a killed parent for a moment."""
    import fcntl

    from parser.errors import NoticeError

    with open(os.path.join(out, ".batch.lock"), "w") as fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise NoticeError("another batch is writing to this folder", out) from exc
        yield


def main(args: argparse.Namespace, options: ParseOptions) -> int:
    """Run the command; ``options`` come from the CLI's shared options (``--max-bytes`` …).

    Returns the exit status (see ``EXIT_STATUS_HELP``)."""
    with stop_signals():
        try:
            with contextlib.ExitStack() as stack:
                try:
                    os.makedirs(args.output, exist_ok=True)
                    stack.enter_context(exclusive(args.output))
                except OSError as exc:
                    raise write_failed(exc, args.output) from exc
                return _main(args, options)
        except Interrupted as exc:
            remove_stale_temporaries(args.output)  # the workers are gone: what they left is ours to remove
            print(f"batch: stopped by {exc.name}: the files in flight were abandoned, every finished file is in "
                  f"the manifest, the tables are those of the last complete run; run the same command again "
                  f"to finish", file=sys.stderr)
            return 128 + exc.signum
        except WriteFailed as exc:
            return stopped_by_write_failures([exc], args)


def _main(args: argparse.Namespace, options: ParseOptions) -> int:
    from parser.batch.manifest import Manifest
    from parser.batch.sources import collect

    stats = Stats()
    if args.require_tasks:
        options = dataclasses.replace(options, require_tasks=True)
    out = args.output
    os.makedirs(out, exist_ok=True)
    stats.counts["stale_tmp_removed"] = remove_stale_temporaries(out)
    version = parser_version()
    with stats.phase("collect"):
        items, source_errors = collect(args.sources, args.include, args.exclude, options.limits, out)
    failures: list[WriteFailed] = []
    manifest = Manifest(out)
    try:
        with stats.phase("plan"):
            known = manifest.load()
            todo, touched = plan(items, known, out, version, args.force, args.retry_failed)
            manifest.put(touched)
        failed = execute(todo, options, args, out, version, manifest, stats, failures) if todo else 0
        entries = manifest.load()
    except WriteFailed as exc:
        failures.insert(0, exc)
    finally:
        manifest.close()
    if failures:
        return stopped_by_write_failures(failures, args)
    n_errors = write_aggregates(out, items, entries, source_errors, args, stats)
    skipped = len(items) - len(todo)
    stats.counts.update(inputs=len(items), parsed=len(todo), skipped=skipped, failed_now=failed, errors=n_errors)
    print(f"batch: {len(items)} input(s): {len(todo) - failed} parsed, {failed} failed, {skipped} skipped "
          f"unchanged; {n_errors} error row(s) in errors.csv; outputs in {out}", file=sys.stderr)
    if args.stats:
        print("stats: " + stats.as_json(), file=sys.stderr)
    return 1 if n_errors else 0
