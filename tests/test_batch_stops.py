"""Hard stops and full disks (issue 12, items 6 and 7).

A batch stopped by SIGTERM, SIGINT or SIGKILL leaves no process behind, a consistent
manifest, and a folder the next run finishes with the tables of an uninterrupted run.
A batch or a parse into a filesystem too small for it ends with one
``PATH: write_failed: reason`` line per cause, status 1, no traceback and no
half-written file, and a re-run with room completes the job.

The inputs are copies of corpus/*.txt made distinct (a line with their number), so
the tests run on a fresh clone. The small filesystem is a tmpfs of a chosen size where
the tests may mount one (root on Linux); elsewhere the writes are made to fail by a
byte budget shared by the batch's processes (``DiskBudget``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import multiprocessing as mp
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from parser.batch.worker import cache_path, split_cache
from parser.cli import main as cli_main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TABLES = ("notices.jsonl", "tasks.csv", "assignments.csv", "units.csv", "errors.csv",
          "tasks.parquet", "assignments.parquet", "units.parquet")
N_STOP = 200
N_DISK = 40
WRITE_FAILED = re.compile(r"^(?P<path>.+): write_failed: (?P<reason>.+)$")

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")


def distinct_copies(folder: Path, n: int) -> Path:
    """n notices: corpus/*.txt round-robin, each with its number appended (ASCII, so any
    of the corpus's encodings stays valid), so that no two have the same content."""
    corpus = sorted(CORPUS.glob("*.txt"))
    assert corpus, "corpus/*.txt is part of the repository"
    folder.mkdir(parents=True)
    for i in range(n):
        f = corpus[i % len(corpus)]
        (folder / f"{i:04d}_{f.name}").write_bytes(f.read_bytes() + f"\n{i}\n".encode())
    return folder


def batch_cmd(src: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "parser.cli", "batch", str(src), "-o", str(out), "--jobs", "2", "-q", *extra]


def tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


def summary_counts(stderr: str) -> tuple[int, int, int]:
    """(parsed, failed, skipped) from the batch's summary line."""
    m = re.search(r"batch: \d+ input\(s\): (\d+) parsed, (\d+) failed, (\d+) skipped", stderr)
    assert m, stderr
    return int(m[1]), int(m[2]), int(m[3])


def session_processes(sid: int, commands: bool = False) -> list[str]:
    """Live processes of session ``sid`` (a zombie has ended; it only waits for its reaper),
    with their command lines when asked."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        state, ppid, _pgrp, session = stat.rsplit(")", 1)[1].split()[:4]
        if int(session) == sid and state != "Z":
            found.append(f"pid {entry.name} state {state} parent {ppid}")
            if commands:
                with contextlib.suppress(OSError):
                    found[-1] += " " + Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    return found


def committed(out: Path) -> int:
    """Rows the running batch has committed so far (0 before the manifest exists)."""
    try:
        return len(manifest_rows(out))
    except sqlite3.Error:
        return 0


def manifest_rows(out: Path) -> list[tuple[str, str, str]]:
    with contextlib.closing(sqlite3.connect(f"file:{out / 'manifest.sqlite'}?mode=ro", uri=True)) as db:
        return db.execute("SELECT key, sha256, outcome FROM inputs").fetchall()


def assert_manifest_consistent(out: Path) -> int:
    """Every row vouches for a whole cache file of the very bytes it names. Returns the row count."""
    rows = manifest_rows(out)
    for key, sha, outcome in rows:
        assert outcome == "ok", (key, outcome)
        assert sha == hashlib.sha256(Path(key).read_bytes()).hexdigest(), key
        record, _rows = split_cache(Path(cache_path(str(out), key)).read_text(encoding="utf-8"))
        assert json.loads(record)["source"]["sha256"] == sha, key
    return len(rows)


def assert_whole_files(out: Path) -> None:
    """Nothing half-written: no temporaries; every cache file and JSON output parses."""
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    for p in out.rglob("*.json"):
        text = p.read_text(encoding="utf-8")
        if p.parent.name == "notices":
            json.loads(split_cache(text)[0])
        else:
            json.loads(text)


# --- hard stops ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def stop_inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The inputs, and the tables of an uninterrupted run over them."""
    root = tmp_path_factory.mktemp("stops")
    src = distinct_copies(root / "src", N_STOP)
    clean = root / "clean"
    assert subprocess.run(batch_cmd(src, clean), check=False, stderr=subprocess.DEVNULL, timeout=600).returncode == 0
    return src, tables(clean)


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT], ids=lambda s: s.name)
def test_stopped_batch_leaves_no_process_and_the_next_run_finishes(
        stop_inputs: tuple[Path, dict[str, bytes]], tmp_path: Path, sig: signal.Signals) -> None:
    src, clean = stop_inputs
    out = tmp_path / "out"
    err_path = tmp_path / "stderr.txt"
    with open(err_path, "w") as err:  # not a pipe: a surviving worker would hold it open
        proc = subprocess.Popen(batch_cmd(src, out), stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
                                env={**os.environ, "NOTICE_PARSER_TEST_SLOW": "0.05"})
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (len(session_processes(proc.pid)) >= 3 and committed(out) >= 20):
            time.sleep(0.05)
        assert len(session_processes(proc.pid)) >= 3, "the parent and its two workers are running"
        proc.send_signal(sig)
        status = proc.wait(timeout=60)
        deadline = time.monotonic() + 5
        while session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(proc.pid) == [], "no process of the batch is left 5 s after its parent was stopped"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    stderr = err_path.read_text()
    if sig == signal.SIGKILL:
        assert status == -signal.SIGKILL
    else:
        assert status == 128 + sig, stderr
        assert f"stopped by {sig.name}" in stderr
        assert "Traceback" not in stderr
        assert_whole_files(out)
    assert not (out / "notices.jsonl").exists(), "a stopped run writes no tables"
    kept = assert_manifest_consistent(out)
    assert 0 < kept < N_STOP, "stopped half way"
    rerun = subprocess.run(batch_cmd(src, out), check=False, stderr=subprocess.PIPE, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert summary_counts(rerun.stderr) == (N_STOP - kept, 0, kept), "the rows of the stopped run are reused"
    assert tables(out) == clean
    assert_manifest_consistent(out)
    assert_whole_files(out)


def rtf(text: str) -> bytes:
    """A minimal RTF document of ``text`` (non-ASCII as \\uN escapes), for LibreOffice to convert."""
    def esc(c: str) -> str:
        n = ord(c)
        if c in "{}\\":
            return "\\" + c
        return c if n < 128 else f"\\u{n - 65536 if n > 32767 else n}?"

    body = "\\par\n".join("".join(esc(c) for c in line) for line in text.splitlines())
    return ("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 " + body + "}").encode("ascii")


@linux_only
@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed: scripts/install_system_deps.sh")
def test_killed_batch_leaves_no_libreoffice_behind(tmp_path: Path) -> None:
    """A worker converting a .rtf runs LibreOffice: it must end with the batch too."""
    src = tmp_path / "src"
    src.mkdir()
    seed = (CORPUS / "seed_lines_city.txt").read_text(encoding="utf-8")
    for i in range(4):
        (src / f"n{i}.rtf").write_bytes(rtf(f"{seed}\n{i}"))
    proc = subprocess.Popen(batch_cmd(src, tmp_path / "out"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("soffice" in p for p in session_processes(proc.pid, True)):
            time.sleep(0.05)
        running = session_processes(proc.pid, True)
        assert any("soffice" in p for p in running), "LibreOffice is converting"
        proc.kill()
        proc.wait(timeout=60)
        deadline = time.monotonic() + 5
        while session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_processes(proc.pid, True) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    from parser.readers import legacy

    folders = set(re.findall(r"UserInstallation=file://(\S+)/profile", " ".join(running)))
    assert folders and all(os.path.isdir(f) for f in folders), "killed workers could not remove their folders"
    legacy.remove_abandoned_folders()  # what the next conversion does first
    assert not [f for f in folders if os.path.exists(f)]


def test_a_live_conversion_folder_is_kept() -> None:
    from parser.readers import legacy

    with legacy.work_folder() as folder:
        legacy.remove_abandoned_folders()
        assert os.path.isdir(folder)
    assert not os.path.exists(folder)


def test_batch_help_documents_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli_main(["batch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for status in ("130", "143", "129", "write_failed"):
        assert status in text


# --- full disk -----------------------------------------------------------------------------------

class DiskBudget:
    """Fallback for a small filesystem: writes to files under ``root`` fail with ENOSPC once
    ``limit`` bytes have been written, counted across the forked workers (shared memory)."""

    def __init__(self, root: Path, limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
        import builtins

        self.root = str(root)
        self.used = mp.get_context("fork").Value("q", 0)
        self.limit = mp.get_context("fork").Value("q", limit)
        real_open, real_fdopen = builtins.open, os.fdopen

        def budget_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
            fh = real_open(file, mode, *args, **kwargs)
            return self._wrap(fh, str(file), mode)

        def budget_fdopen(fd, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
            fh = real_fdopen(fd, mode, *args, **kwargs)
            return self._wrap(fh, os.readlink(f"/proc/self/fd/{fd}"), mode)

        monkeypatch.setattr(builtins, "open", budget_open)
        monkeypatch.setattr(os, "fdopen", budget_fdopen)

    def _wrap(self, fh: IO, path: str, mode: str) -> IO:
        if isinstance(fh, int) or not any(c in mode for c in "wax+") or not os.path.abspath(path).startswith(self.root):
            return fh
        return _BudgetFile(fh, self)

    def charge(self, n: int) -> None:
        with self.used.get_lock():
            if self.used.value + n > self.limit.value:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.used.value += n

    def resize(self, limit: int) -> None:
        self.limit.value = limit


class _BudgetFile:
    def __init__(self, fh: IO, budget: DiskBudget) -> None:
        self._fh, self._budget = fh, budget

    def write(self, data):  # type: ignore[no-untyped-def]
        self._budget.charge(len(data.encode("utf-8") if isinstance(data, str) else data))
        return self._fh.write(data)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc):  # type: ignore[no-untyped-def]
        return self._fh.__exit__(*exc)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._fh)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._fh, name)


class SmallDisk:
    """A folder on a filesystem of ``size`` bytes: a tmpfs where one can be mounted, else a DiskBudget."""

    def __init__(self, where: Path, monkeypatch: pytest.MonkeyPatch, try_mount: bool) -> None:
        self.path = where
        self.monkeypatch = monkeypatch
        self.try_mount = try_mount
        self.mounted = False
        self.budget: DiskBudget | None = None

    def start(self, size: int) -> None:
        self.path.mkdir()
        if self.try_mount and sys.platform.startswith("linux") and os.geteuid() == 0:
            done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={self._kib(size)}k", "tmpfs", str(self.path)],
                                  capture_output=True, check=False)
            self.mounted = done.returncode == 0
        if not self.mounted:
            self.budget = DiskBudget(self.path, size, self.monkeypatch)

    def resize(self, size: int) -> None:
        """Free space: the filesystem grows to ``size``."""
        if self.mounted:
            subprocess.run(["mount", "-o", f"remount,size={self._kib(size)}k", str(self.path)], check=True)
        else:
            assert self.budget is not None
            self.budget.resize(size)

    def stop(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False)

    @staticmethod
    def _kib(size: int) -> int:
        return max(4, size // 1024)


@pytest.fixture(params=["tmpfs", "budget"])
def small_disk(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmallDisk]:
    """``tmpfs``: a mounted tmpfs, or the budget where none can be mounted; ``budget``: the
    fallback always, so that it is itself tested where the tmpfs runs."""
    disk = SmallDisk(tmp_path / "disk", monkeypatch, try_mount=request.param == "tmpfs")
    yield disk
    disk.stop()


@pytest.fixture(scope="module")
def disk_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return distinct_copies(tmp_path_factory.mktemp("disk") / "src", N_DISK)


@pytest.fixture(scope="module")
def clean_batch(disk_inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of a batch over ``disk_inputs`` with room enough."""
    clean = tmp_path_factory.mktemp("disk_clean") / "out"
    done = subprocess.run(batch_cmd(disk_inputs, clean), check=False, stderr=subprocess.DEVNULL, timeout=600)
    assert done.returncode == 0
    return clean


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_command(disk: SmallDisk, argv: list[str], capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The command in a subprocess on a real filesystem; in this process (whose patched
    writers the forked workers inherit) under the fallback. Returns (status, stderr)."""
    if disk.mounted:
        done = subprocess.run([sys.executable, "-m", "parser.cli", *argv], check=False, capture_output=True, text=True,
                              timeout=600)
        return done.returncode, done.stderr
    capfd.readouterr()
    status = cli_main(argv)
    return status, capfd.readouterr().err


def assert_write_failed_lines(stderr: str, root: Path) -> None:
    """At least one ``PATH: write_failed: reason`` line, each of its own cause, and no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [m for m in map(WRITE_FAILED.match, stderr.splitlines()) if m]
    assert lines, stderr
    reasons = [m["reason"] for m in lines]
    assert len(reasons) == len(set(reasons)), f"one line per cause: {stderr}"
    for m in lines:
        assert Path(m["path"]).resolve().is_relative_to(root.resolve()), m[0]
    others = [ln for ln in stderr.splitlines() if "write_failed" in ln and not WRITE_FAILED.match(ln)]
    assert not others, others


@pytest.mark.parametrize("fraction", [0.3, 0.8], ids=["cache_files", "tables"])
def test_batch_into_a_full_disk(disk_inputs: Path, clean_batch: Path, small_disk: SmallDisk,
                                capfd: pytest.CaptureFixture[str], fraction: float) -> None:
    """0.3 of the room needed fills up while caching notices, 0.8 while writing the tables."""
    clean = clean_batch
    need = folder_bytes(clean)
    small_disk.start(int(need * fraction))
    out = small_disk.path / "out"
    argv = ["batch", str(disk_inputs), "-o", str(out), "--jobs", "2", "-q"]
    status, stderr = run_command(small_disk, argv, capfd)
    assert status == 1, stderr
    assert_write_failed_lines(stderr, small_disk.path)
    assert_whole_files(out)
    assert_manifest_consistent(out)
    small_disk.resize(need * 3)
    status, stderr = run_command(small_disk, argv, capfd)
    assert status == 0, stderr
    assert tables(out) == tables(clean)
    assert assert_manifest_consistent(out) == N_DISK


def test_parse_into_a_full_disk(disk_inputs: Path, small_disk: SmallDisk, tmp_path: Path,
                                capfd: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in disk_inputs.iterdir())
    clean = tmp_path / "clean"
    assert cli_main(["parse", *files, "-o", str(clean)]) == 0
    need = folder_bytes(clean)
    small_disk.start(need // 3)
    out = small_disk.path / "out"
    status, stderr = run_command(small_disk, ["parse", *files, "-o", str(out)], capfd)
    assert status == 1, stderr
    assert_write_failed_lines(stderr, small_disk.path)
    assert len([ln for ln in stderr.splitlines() if WRITE_FAILED.match(ln)]) == 1, "parse stops at the first"
    assert_whole_files(out)
    small_disk.resize(need * 3)
    status, stderr = run_command(small_disk, ["parse", *files, "-o", str(out)], capfd)
    assert status == 0, stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(p.name for p in clean.iterdir())
    for name in written:
        assert (out / name).read_bytes() == (clean / name).read_bytes(), name


def test_write_failed_names_the_file_and_leaves_no_temporary(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The writers' own contract, whatever the filesystem: a failed write raises WriteFailed
    for the target, removes its temporary and keeps the previous file whole."""
    from parser.errors import WriteFailed
    from parser.writers.atomic import write_text

    target = tmp_path / "t.csv"
    target.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteFailed) as caught:
        write_text(target, "new" * 1000)
    assert str(caught.value) == f"{target}: write_failed: {os.strerror(errno.ENOSPC)}"
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_an_error_of_the_callers_own_is_not_a_write_failure(tmp_path: Path) -> None:
    from parser.writers.atomic import atomic_open

    with pytest.raises(FileNotFoundError), atomic_open(tmp_path / "x.txt") as fh:
        fh.write("a")
        open(tmp_path / "missing.txt").close()  # reading an input inside the block
    assert list(tmp_path.iterdir()) == []

