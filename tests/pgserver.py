"""A throw-away PostgreSQL server for the database tests.

Debian's ``postgresql`` package (``scripts/install_system_deps.sh`` installs it) gives
``initdb`` and ``pg_ctl``; the server runs from a temporary folder on a free loopback
port, with trust authentication, and is stopped (``pg_ctl stop -m immediate``) and
removed when the tests end. PostgreSQL refuses to run as root: as root the server runs
as the ``postgres`` system user the package creates (``runuser``). Nothing here touches
a system cluster.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass


@dataclass
class PgServer:
    port: int
    folder: str
    bin_dir: str
    user: str | None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A fresh database on the server; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server and remove its folder (again: a no-op)."""
        if not os.path.isdir(self.folder):
            return
        _run(self, ["pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "immediate", "-w", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def bin_dir() -> str | None:
    """The newest installed server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(server: PgServer, argv: list[str], check: bool = True) -> subprocess.CompletedProcess:
    cmd = [os.path.join(server.bin_dir, argv[0]), *argv[1:]]
    if server.user:
        cmd = ["runuser", "-u", server.user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=check)


def start() -> PgServer:
    """Start a server; raises RuntimeError with the reason when it cannot."""
    where = bin_dir()
    if where is None:
        raise RuntimeError("PostgreSQL server binaries not installed (run scripts/install_system_deps.sh as root)")
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise RuntimeError("psycopg not installed (pip install -e '.[test]')") from exc
    user = None
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise RuntimeError("running as root without runuser: cannot start PostgreSQL as another user")
        user = "postgres"
    folder = tempfile.mkdtemp(prefix="notice-parser-pg-")
    server = PgServer(port=_free_port(), folder=folder, bin_dir=where, user=user)
    if user:
        import pwd

        try:
            pw = pwd.getpwnam(user)
        except KeyError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(f"running as root and there is no {user!r} user to run PostgreSQL as") from exc
        os.chown(folder, pw.pw_uid, pw.pw_gid)
    data = os.path.join(folder, "data")
    init = _run(server, ["initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                         "--locale=C", "--no-sync"], check=False)
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr.strip()[-300:]}")
    opts = f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
    started = _run(server, ["pg_ctl", "-D", data, "-o", opts, "-l", os.path.join(folder, "log"), "-w",
                            "-t", "60", "start"], check=False)
    if started.returncode != 0:
        log = ""
        try:
            with open(os.path.join(folder, "log"), encoding="utf-8", errors="replace") as fh:
                log = fh.read()[-300:]
        except OSError:
            pass
        server.stop()
        raise RuntimeError(f"pg_ctl start failed: {started.stderr.strip()[-200:]} {log}")
    atexit.register(server.stop)  # a test run stopped past the fixture's teardown leaves no server behind
    return server
