"""A small process pool that survives its workers: a crash or a hang fails one file only.

``concurrent.futures.ProcessPoolExecutor`` breaks as a whole when one worker dies,
and cannot tell which input killed it. Here each worker has its own pipe; the
parent sends it a chunk of items and receives one Outcome per item, in order, so
when a worker dies the item it was on is known: that item fails (``worker_crash``
or ``timeout``), the rest of its chunk goes back in the queue, and a fresh worker
takes its place.

The worker enforces the time limit itself (SIGALRM). The parent is the backstop
for code that does not return to Python: a worker silent for longer than the limit
plus a grace period is killed.

Workers are forked after the parent has loaded the pipeline (``warm_up``), so they
start in milliseconds with every vocabulary already compiled.

Workers end with the parent, however the parent ends (``kill -9`` included):

* each worker closes the parent's ends of every pipe it inherited by the fork (its
  own and the other workers'), so that the parent's death closes the last copy and
  the worker's read returns EOF — before this, every worker held its own pipe's
  other end and waited for ever, with parent 1;
* on Linux the kernel also sends the worker SIGKILL when the parent dies
  (``prctl(PR_SET_PDEATHSIG)``), which covers a worker stuck in code that never
  reads its pipe again;
* workers ignore SIGINT, SIGTERM and SIGHUP: a Ctrl-C or a ``kill`` sent to the whole
  process group (systemd, a terminal) is handled by the parent alone, which abandons
  the files in flight and kills the workers; a worker dying of the same signal
  first would otherwise be blamed as a ``worker_crash`` of its file.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

from parser.batch.sources import Item
from parser.batch.worker import STOP_SIGNALS, Outcome, cache_path, failure, process, write_cache, write_failure
from parser.errors import Timeout, WorkerCrash
from parser.options import ParseOptions

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux; elsewhere the
    pipe's EOF alone ends a worker)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(0)


def _worker_main(conn: Connection, options: ParseOptions, cache_dir: str | None, parent_pid: int,
                 inherited: list[Connection]) -> None:
    """Receive chunks until told to stop (None) or the parent goes away (EOF).

    With ``cache_dir`` the worker writes each notice's cache file itself (in parallel,
    and the record never crosses the pipe) and answers with an empty payload; the
    parent commits the manifest row only after that answer, so the file is in place
    before any row vouches for it. A cache file that cannot be written (a full disk)
    is answered with a ``write_failed`` outcome: the parent stops the run, and the
    input is parsed again by the next one.
    """
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    for other in inherited:  # the parent's ends, copied by the fork: see the module docstring
        other.close()
    die_with_parent(parent_pid)
    zips: dict = {}
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            break
        if chunk is None:
            break
        for item in chunk:
            outcome = process(item, options, None, zips)
            if cache_dir is not None and outcome.ok:
                path = cache_path(cache_dir, outcome.key)
                try:
                    write_cache(path, outcome.payload)
                    outcome = outcome._replace(payload="")
                except OSError as exc:
                    outcome = write_failure(outcome.key, path, exc)
            try:
                conn.send(outcome)
            except (BrokenPipeError, OSError):
                os._exit(0)
    for zf in zips.values():
        zf.close()


@dataclass
class _Worker:
    proc: mp.process.BaseProcess
    conn: Connection
    chunk: list[Item] = field(default_factory=list)
    done: int = 0
    deadline: float = 0.0

    @property
    def busy(self) -> bool:
        return self.done < len(self.chunk)


def _context() -> mp.context.BaseContext:
    methods = mp.get_all_start_methods()
    return mp.get_context("fork" if "fork" in methods else "spawn")


class Pool:
    """``run(items)`` yields one Outcome per item, in completion order."""

    def __init__(self, jobs: int, options: ParseOptions, chunksize: int, grace_s: float | None = None,
                 cache_dir: str | None = None) -> None:
        self.jobs = max(1, jobs)
        self.cache_dir = cache_dir
        self.options = options
        self.chunksize = max(1, chunksize)
        limit = options.limits.timeout_s
        if grace_s is None:  # time for the worker's own alarm to report first
            grace_s = min(5.0, max(1.0, limit))
        self.hard_limit = limit + grace_s if limit > 0 else float("inf")
        self.ctx = _context()
        self.forks = self.ctx.get_start_method() == "fork"
        self.workers: list[_Worker] = []
        self.started = 0
        self.spawn_seconds = 0.0
        """Time spent starting workers (for --stats)."""
        self.recv_seconds = 0.0
        """Time spent receiving and unpickling outcomes."""

    def _spawn(self) -> _Worker:
        t0 = time.perf_counter()
        try:
            return self._start_one()
        finally:
            self.spawn_seconds += time.perf_counter() - t0

    def _start_one(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        # A forked child holds copies of every descriptor the parent has: it closes the
        # parent's pipe ends (its own pipe's and the other workers'), or no EOF ever comes.
        inherited = [parent, *(w.conn for w in self.workers if not w.conn.closed)] if self.forks else []
        proc = self.ctx.Process(target=_worker_main, daemon=True,
                                args=(child, self.options, self.cache_dir, os.getpid(), inherited))
        proc.start()
        child.close()
        self.started += 1
        return _Worker(proc, parent)

    def _replace(self, w: _Worker) -> None:
        w.conn.close()
        w.proc.join(timeout=1)
        self.workers[self.workers.index(w)] = self._spawn()

    def _fail_current(self, w: _Worker, pending: collections.deque[list[Item]], exc_code: str, stage: str,
                      reason: str) -> Outcome:
        item = w.chunk[w.done]
        rest = w.chunk[w.done + 1:]
        if rest:
            pending.appendleft(rest)
        w.chunk, w.done = [], 0
        return failure(item.key, None, stage, exc_code, reason)

    def run(self, items: list[Item], on_idle: Callable[[], None] | None = None,
            on_started: Callable[[], None] | None = None) -> Iterator[Outcome]:
        """``on_started`` runs once the first chunks are out: work for the parent that
        overlaps with the workers' parsing (it must not start threads: we fork)."""
        pending: collections.deque[list[Item]] = collections.deque(
            items[i:i + self.chunksize] for i in range(0, len(items), self.chunksize))
        n_workers = min(self.jobs, len(pending))
        self.workers = []
        for _ in range(n_workers):  # one by one: each new worker must know the earlier ones' pipes
            self.workers.append(self._spawn())
        first = True
        try:
            while pending or any(w.busy for w in self.workers):
                now = time.monotonic()
                for i in range(len(self.workers)):
                    w = self.workers[i]
                    # Two chunks in flight per worker: the next is already in its pipe when
                    # it finishes one, so it never waits for the parent.
                    if not w.busy and pending and not w.proc.is_alive():
                        self._replace(w)  # died idle: no file to blame
                        w = self.workers[i]
                    while pending and len(w.chunk) - w.done <= self.chunksize:
                        if not w.busy:
                            w.chunk, w.done, w.deadline = [], 0, now + self.hard_limit
                        nxt = pending.popleft()
                        w.chunk, w.done = w.chunk[w.done:] + nxt, 0
                        try:
                            w.conn.send(nxt)
                        except OSError:  # it died: _collect blames its current file, requeues the rest
                            break
                if first and on_started is not None:
                    first = False
                    on_started()
                busy = [w for w in self.workers if w.busy]
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=0.5))
                for w in busy:
                    yield from self._collect(w, ready, pending)
                if on_idle is not None:
                    on_idle()
        except KeyboardInterrupt:  # a stop signal (parser.batch.run.Interrupted): hand over what is done
            yield from self._salvage()
            raise
        finally:
            self.close()

    def _salvage(self) -> Iterator[Outcome]:
        """The outcomes already waiting in the pipes: their files are finished (and cached),
        so recording them spares the next run that work. Nothing here waits for a worker."""
        for w in self.workers:
            try:
                while w.busy and w.conn.poll():
                    outcome = w.conn.recv()
                    w.done += 1
                    yield outcome
            except (EOFError, OSError):
                continue

    def _collect(self, w: _Worker, ready: set, pending: collections.deque[list[Item]]) -> Iterator[Outcome]:
        if w.conn in ready or w.proc.sentinel in ready:
            try:
                while w.busy and w.conn.poll():
                    t0 = time.perf_counter()
                    outcome = w.conn.recv()
                    self.recv_seconds += time.perf_counter() - t0
                    w.done += 1
                    w.deadline = time.monotonic() + self.hard_limit
                    yield outcome
            except (EOFError, OSError):
                pass
        if not w.busy:
            return
        if not w.proc.is_alive():
            code = w.proc.exitcode
            why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            yield self._fail_current(w, pending, WorkerCrash.code, WorkerCrash.stage, f"worker process died ({why})")
            self._replace(w)
        elif time.monotonic() > w.deadline:
            w.proc.kill()
            limit = self.options.limits.timeout_s
            yield self._fail_current(w, pending, Timeout.code, Timeout.stage,
                                     f"no answer after {limit:g} s; worker killed")
            self._replace(w)

    def close(self) -> None:
        for w in self.workers:
            try:
                if w.busy:
                    w.proc.kill()
                else:
                    w.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for w in self.workers:
            w.proc.join(timeout=2)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join(timeout=1)
            w.conn.close()
        self.workers = []
