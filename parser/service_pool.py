"""The service's parse workers: one process per concurrent parse, killed and replaced when it hangs.

Each request's file goes to an idle worker over its own pipe and comes back as the
record's JSON text (and the review page when asked) or as an error's code and reason.
Workers run the parse under the per-file time limit (SIGALRM, as a batch worker does);
the server is the backstop for code that never returns to Python (a C library stuck on a
PDF): a worker silent for longer than the limit plus a grace period is killed, its
request answered ``timeout``, and a fresh worker takes its place. So one slow file holds
one worker, never the event loop or the other requests.

Workers come from a ``forkserver``: the server's process runs an event loop and threads,
which a plain fork would copy mid-lock; the fork server is a clean single-threaded
process that has imported the parser once, so a replacement starts in milliseconds.

Test hooks (environment variables, comma-separated file names, as in the batch worker):
``NOTICE_PARSER_TEST_HANG`` sleeps on that file until the time limit's alarm stops it;
``NOTICE_PARSER_TEST_HANG_HARD`` also blocks the alarm, so the server must kill the worker;
``NOTICE_PARSER_TEST_CRASH`` makes the worker exit on that file.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing as mp
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import NamedTuple

from parser.errors import InternalError, NoticeError, Timeout, WorkerCrash
from parser.options import ParseOptions


class Job(NamedTuple):
    data: bytes
    name: str
    report: bool
    require_tasks: bool


class Answer(NamedTuple):
    """``ok``: ``record`` is the record's JSON text (as ``parse`` writes it) and ``report`` the
    page or None; otherwise ``code`` and ``reason`` say why."""

    ok: bool
    record: str = ""
    report: str | None = None
    code: str = ""
    reason: str = ""
    seconds: float = 0.0


def _hooked(var: str, name: str) -> bool:
    names = os.environ.get(var)
    return bool(names) and os.path.basename(name) in {n.strip() for n in names.split(",")}


def _test_hooks(name: str) -> None:
    if _hooked("NOTICE_PARSER_TEST_CRASH", name):
        os._exit(70)
    if _hooked("NOTICE_PARSER_TEST_HANG_HARD", name):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            time.sleep(3600)
    if _hooked("NOTICE_PARSER_TEST_HANG", name):
        while True:
            time.sleep(3600)


def _on_alarm(signum, frame):  # type: ignore[no-untyped-def]
    raise Timeout("time limit reached")


@contextlib.contextmanager
def _time_limit(seconds: float):  # type: ignore[no-untyped-def]
    if seconds <= 0:
        yield
        return
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_job(job: Job, options: ParseOptions, corrections: object = None) -> Answer:
    """Parse one uploaded file; every failure becomes an Answer, never an exception.

    ``corrections`` (``parser.corrections.Corrections``, from ``serve --corrections``) are
    applied on top of the parser's output, as ``parse`` applies them.
    """
    import dataclasses

    from parser import parse_bytes
    from parser.writers.json_out import notice_to_json

    t0 = time.perf_counter()
    if job.require_tasks and not options.require_tasks:
        options = dataclasses.replace(options, require_tasks=True)
    try:
        with _time_limit(options.limits.timeout_s):
            _test_hooks(job.name)
            notice = parse_bytes(job.data, job.name, options)
            if corrections:
                from parser.corrections import apply_corrections  # type: ignore[import-not-found]

                notice = apply_corrections(notice, corrections)[0]
            record = notice_to_json(notice)
            page = None
            if job.report:
                from parser.writers.report import render_notice

                page = render_notice(notice)
    except NoticeError as exc:
        return Answer(False, code=exc.code, reason=_one_line(exc.reason), seconds=time.perf_counter() - t0)
    except MemoryError:
        return Answer(False, code=InternalError.code, reason="out of memory", seconds=time.perf_counter() - t0)
    except RecursionError:
        return Answer(False, code=InternalError.code, reason="input nests too deeply", seconds=time.perf_counter() - t0)
    except Exception as exc:
        return Answer(False, code=InternalError.code, reason=_one_line(f"{type(exc).__name__}: {exc}"),
                      seconds=time.perf_counter() - t0)
    return Answer(True, record=record, report=page, seconds=time.perf_counter() - t0)


def _one_line(reason: str) -> str:
    return " ".join(reason.split())[:500]


def _warm_up(options: ParseOptions) -> None:
    """Load the pipeline and its vocabularies before the first request, not during it."""
    from parser import parse_text

    with contextlib.suppress(Exception):
        parse_text("关于印发示例方案的通知\n一、总体要求\n（一）示例任务。\n牵头单位：市政府办公室\n", options)


def worker_main(conn: Connection, options: ParseOptions, corrections: object = None) -> None:
    """Answer jobs until told to stop (None) or the server goes away (EOF)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _warm_up(options)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        answer = run_job(job, options, corrections)
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            break


@dataclass
class _Worker:
    proc: mp.process.BaseProcess
    conn: Connection
    ready: bool = False
    """It has sent "ready": its next message is an answer."""


READY_TIMEOUT_S = 120.0
"""How long a new worker may take to load the parser before it is used anyway."""


def _died_idle(worker: _Worker) -> bool:
    """Has an idle worker died? ``is_alive`` asks the fork server, which may not have heard of
    a kill yet; a ready worker's pipe, which has nothing to say between jobs, reads EOF at once."""
    if not worker.proc.is_alive():
        return True
    if not worker.ready:
        return False  # its "ready" may still be on the way
    try:
        return worker.conn.poll()
    except (OSError, ValueError):
        return True


class WorkerPool:
    """``size`` worker processes shared by all requests; ``parse`` waits for an idle one."""

    def __init__(self, size: int, options: ParseOptions, grace_s: float | None = None,
                 corrections: object = None) -> None:
        self.size = max(1, size)
        self.options = options
        self.corrections = corrections
        limit = options.limits.timeout_s
        if grace_s is None:  # time for the worker's own alarm to answer first
            grace_s = min(5.0, max(1.0, limit))
        self.hard_limit = limit + grace_s if limit > 0 else None
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(["parser.service_pool", "parser.pipeline", "schemas.notice"])
        self.idle: asyncio.Queue[_Worker] | None = None
        self.workers: list[_Worker] = []
        self.replaced = 0

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=worker_main, args=(child, self.options, self.corrections), daemon=True,
                                name="notice-parser-worker")
        proc.start()
        child.close()
        worker = _Worker(proc, parent)
        self.workers.append(worker)
        return worker

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the parser."""
        self.idle = asyncio.Queue()
        spawned = [self._spawn() for _ in range(self.size)]
        for worker in spawned:
            await self._await_ready(worker)
            self.idle.put_nowait(worker)

    async def _await_ready(self, worker: _Worker) -> None:
        """Consume the worker's "ready"; one that died before it fails its first job instead."""
        if worker.ready:
            return
        if await self._wait_readable(worker, READY_TIMEOUT_S):
            with contextlib.suppress(EOFError, OSError):
                worker.ready = worker.conn.recv() == "ready"

    async def _wait_readable(self, worker: _Worker, timeout: float | None) -> bool:
        """True when the worker has written something (or died: EOF is readable too)."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()

        def on_ready() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, on_ready)
        try:
            await asyncio.wait_for(ready, timeout)
            return True
        except TimeoutError:
            return False
        finally:
            loop.remove_reader(fd)

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(OSError, ValueError):
            worker.proc.kill()
        worker.proc.join(timeout=2)
        worker.conn.close()
        if worker in self.workers:
            self.workers.remove(worker)

    def _replace(self, worker: _Worker) -> _Worker:
        self._kill(worker)
        self.replaced += 1
        return self._spawn()

    async def parse(self, job: Job) -> Answer:
        """The answer to one job; a hung or dead worker is replaced, and the job fails alone."""
        assert self.idle is not None, "start() first"
        worker = await self.idle.get()
        if _died_idle(worker):  # died while idle (an out-of-memory kill): not this file's fault
            worker = self._replace(worker)
        t0 = time.perf_counter()
        keep = True
        try:
            await self._await_ready(worker)  # a replacement may still be loading the parser
            worker.conn.send(job)
            answer = None
            while not isinstance(answer, Answer):  # a late "ready" of a slow starter comes first
                if not await self._wait_readable(worker, self.hard_limit):
                    keep = False
                    limit = self.options.limits.timeout_s
                    return Answer(False, code=Timeout.code, reason=f"no answer after {limit:g} s; worker stopped",
                                  seconds=time.perf_counter() - t0)
                answer = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            keep = False
            worker.proc.join(timeout=1)
            code = worker.proc.exitcode
            why = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            return Answer(False, code=WorkerCrash.code, reason=f"worker process died ({why})",
                          seconds=time.perf_counter() - t0)
        except BaseException:  # cancelled (client gone, shutdown): the worker may still be busy
            keep = False
            raise
        finally:
            self.idle.put_nowait(worker if keep else self._replace(worker))
        return answer

    async def close(self) -> None:
        """Stop every worker; none is left behind."""
        for worker in list(self.workers):
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
        deadline = time.monotonic() + 3
        for worker in list(self.workers):
            while worker.proc.is_alive() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            self._kill(worker)
        self.workers = []
