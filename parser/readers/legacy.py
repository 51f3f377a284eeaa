"""Legacy word-processor files (.doc, .wps, .rtf): converted to .docx by LibreOffice, then read as .docx.

Parsing the binary Word format ourselves would be a project of its own; LibreOffice
reads it faithfully (numbering, tables, merged cells), and going through .docx means
these files get exactly the same treatment as a .docx notice.

The converter is ``soffice.bin`` itself, not the ``soffice`` launcher (a script that runs
``oosplash``, which runs ``soffice.bin``): as the only process of a conversion, it dies
with the one that started it (Linux ``PR_SET_PDEATHSIG``) and is the one killed on a
timeout. Before, a batch worker killed mid-conversion (a timeout, or its parent stopped)
left LibreOffice running under init. ``soffice.bin`` asks to be started again (status 81)
after it creates a fresh profile, as the launcher would do; so do we.

Each conversion works in a temporary folder that holds a lock (``flock``) while in use.
A process killed mid-conversion cannot remove its folder (a LibreOffice profile and the
input); the next conversion removes every such folder whose lock is free.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator

from parser.document import Document
from parser.errors import CorruptFile, MissingTool, Timeout
from parser.limits import Limits
from parser.readers.docx import read_docx

CONVERT_TIMEOUT_S = 120.0
"""Longest a single LibreOffice conversion may take, whatever the per-file limit says."""


RESTART_STATUS = 81
"""soffice.bin's exit status for "start me again" (after it has created a new profile)."""
PR_SET_PDEATHSIG = 1


def soffice_path() -> str | None:
    """The LibreOffice binary, if installed (``soffice`` or ``libreoffice`` on PATH)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def converter_program(exe: str) -> str:
    """``soffice.bin`` beside the launcher the PATH names, when it is there; else the launcher."""
    binary = os.path.join(os.path.dirname(os.path.realpath(exe)), "soffice.bin")
    return binary if os.access(binary, os.X_OK) else exe


def _tied_to_caller() -> Callable[[], None] | None:
    """A ``preexec_fn`` giving the converter SIGKILL when the calling thread's process dies.

    Linux only, and only from the main thread: the kernel sends the signal when the
    *thread* that started the child ends, and a service's worker thread may end first.
    The function is looked up before the fork, so the child only makes the system call.
    """
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    caller = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)  # 9: SIGKILL
        if os.getppid() != caller:  # the caller died before the request took effect
            os._exit(1)

    return preexec


WORK_PREFIX = "notice-lo-"
OWNER = ".owner"


@contextlib.contextmanager
def work_folder() -> Iterator[str]:
    """A temporary folder for one conversion, locked while in use (see the module docstring)."""
    remove_abandoned_folders()
    tmp = tempfile.mkdtemp(prefix=WORK_PREFIX)
    fresh = os.path.join(tmp, OWNER + ".new")
    fd = os.open(fresh, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.rename(fresh, os.path.join(tmp, OWNER))  # only a locked owner file is ever seen by that name
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        os.close(fd)


def remove_abandoned_folders() -> int:
    """Remove the work folders of conversions whose process is gone (its lock is free)."""
    removed = 0
    for owner in glob.glob(os.path.join(glob.escape(tempfile.gettempdir()), WORK_PREFIX + "*", OWNER)):
        try:
            fd = os.open(owner, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live conversion
        else:
            shutil.rmtree(os.path.dirname(owner), ignore_errors=True)
            removed += 1
        finally:
            os.close(fd)
    return removed


def convert_to_docx(data: bytes, kind: str, timeout_s: float) -> bytes:
    """Run LibreOffice headless on ``data`` and return the .docx it writes."""
    exe = soffice_path()
    if exe is None:
        raise MissingTool(f"LibreOffice is needed to read .{kind} files: apt-get install libreoffice-writer")
    # Kingsoft .wps files are Word binaries; named .wps, LibreOffice would try its MS Works filter.
    suffix = "doc" if kind == "wps" and "WordDocument".encode("utf-16-le") in data else kind
    with work_folder() as tmp:
        src = os.path.join(tmp, f"input.{suffix}")
        with open(src, "wb") as fh:
            fh.write(data)
        out_dir = os.path.join(tmp, "out")
        os.mkdir(out_dir)
        # A profile of its own: parallel conversions would otherwise fight over one user lock.
        profile = "file://" + os.path.join(tmp, "profile")
        cmd = [
            converter_program(exe), f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", out_dir, src,
        ]
        deadline = time.monotonic() + timeout_s
        for _ in range(3):  # a fresh profile: one restart
            try:
                proc = subprocess.run(cmd, capture_output=True, timeout=max(0.1, deadline - time.monotonic()),
                                      check=False, preexec_fn=_tied_to_caller())
            except subprocess.TimeoutExpired as exc:
                raise Timeout(f"LibreOffice took over {timeout_s:.0f}s to convert the .{kind} file") from exc
            if proc.returncode != RESTART_STATUS:
                break
        out = os.path.join(out_dir, "input.docx")
        if not os.path.exists(out):
            detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            raise CorruptFile(f"LibreOffice could not convert the .{kind} file" + (f": {detail[-1]}" if detail else ""))
        with open(out, "rb") as fh:
            return fh.read()


def read_legacy(data: bytes, limits: Limits, kind: str) -> Document:
    """Read a .doc/.wps/.rtf notice through a LibreOffice conversion to .docx."""
    docx = convert_to_docx(data, kind, min(CONVERT_TIMEOUT_S, max(5.0, limits.timeout_s)))
    doc = read_docx(docx, limits)
    doc.format = kind
    return doc
