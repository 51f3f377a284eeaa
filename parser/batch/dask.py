"""``--engine dask``: the same per-file work (``parser.batch.worker.process_many``) on a
dask.distributed cluster. dask is imported here only.

Workers read plain files by absolute path, so those paths must be visible to them
(a shared disk); zip members are read by the client and their bytes submitted.
Everything else — cache, manifest, aggregates — stays with the client, so the
outputs are the same as a local run.

Dask runs tasks in worker threads, where SIGALRM cannot be used, so the time limit is
kept by the client: a chunk not back in ``timeout x size + grace`` is cancelled and
its inputs are submitted again one by one; a single input that overruns is a
``timeout``. A chunk whose worker keeps dying (dask's ``KilledWorker``) is split the
same way, and a single input that kills workers is a ``worker_crash``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import time
from collections.abc import Iterator

from parser.batch.sources import Item
from parser.batch.worker import Outcome, failure, process_many, read_input
from parser.errors import NoticeError, Timeout
from parser.options import ParseOptions

GRACE_S = 10.0


@contextlib.contextmanager
def _client(scheduler: str):  # type: ignore[no-untyped-def]
    from distributed import Client, LocalCluster

    if scheduler in ("", "local"):
        with LocalCluster(n_workers=min(4, os.cpu_count() or 1), threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            yield client
    else:
        with Client(scheduler) as client:
            yield client


def _prepare(items: list[Item], options: ParseOptions) -> tuple[list[Item], list[bytes | None], list[Outcome]]:
    """Absolute paths for files; bytes for members (read here, where the archive is)."""
    ready: list[Item] = []
    datas: list[bytes | None] = []
    failed: list[Outcome] = []
    zips: dict = {}
    for item in items:
        if item.member is None:
            ready.append(dataclasses.replace(item, path=os.path.abspath(item.path)))
            datas.append(None)
            continue
        try:
            data = read_input(item, options, zips)
        except NoticeError as exc:
            failed.append(failure(item.key, None, exc.stage, exc.code, exc.reason))
            continue
        ready.append(item)
        datas.append(data)
    for zf in zips.values():
        zf.close()
    return ready, datas, failed


def run_dask(items: list[Item], options: ParseOptions, scheduler: str, chunksize: int) -> Iterator[Outcome]:
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    ready, datas, failed = _prepare(items, options)
    yield from failed
    limit = options.limits.timeout_s
    with _client(scheduler) as client:
        futures: dict = {}

        def submit(idx: list[int]) -> None:
            payload = [datas[i] for i in idx] if any(datas[i] is not None for i in idx) else None
            fut = client.submit(process_many, [ready[i] for i in idx], options, payload, pure=False)
            deadline = time.monotonic() + (limit * len(idx) + GRACE_S if limit > 0 else float("inf"))
            futures[fut] = (idx, deadline)

        def split_or_fail(idx: list[int], code: str, stage: str, reason: str) -> Iterator[Outcome]:
            if len(idx) > 1:
                for i in idx:
                    submit([i])
            else:
                yield failure(ready[idx[0]].key, None, stage, code, reason)

        for start in range(0, len(ready), chunksize):
            submit(list(range(start, min(start + chunksize, len(ready)))))
        while futures:
            done = [f for f in futures if f.done()]
            if not done:
                time.sleep(0.02)
            for fut in done:
                idx, _ = futures.pop(fut)
                try:
                    yield from fut.result()
                except (KilledWorker, FutureCancelledError) as exc:
                    yield from split_or_fail(idx, "worker_crash", "parse", f"dask worker died: {exc}"[:300])
                except Exception as exc:
                    for i in idx:
                        yield failure(ready[i].key, None, "parse", "internal_error", f"{type(exc).__name__}: {exc}")
            now = time.monotonic()
            for fut, (idx, deadline) in list(futures.items()):
                if now > deadline:
                    futures.pop(fut)
                    fut.cancel()
                    yield from split_or_fail(idx, Timeout.code, Timeout.stage,
                                             f"no answer from the dask worker after {limit:g} s")
