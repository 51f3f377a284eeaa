"""The batch manifest: what was parsed, from which bytes, by which parser, with what outcome.

A SQLite file in the output folder (``manifest.sqlite``). SQLite gives the atomic
writes for free: a killed run loses at most the rows of the transaction in flight,
never corrupts the earlier ones. Rows are committed in groups (one transaction per
chunk of results) because a commit per file would make the manifest the slowest
part of a batch.

A row is only committed after the notice's cached JSON has been renamed into
place, so a row marked ``ok`` always has its cache file.

A commit that fails (``database or disk is full``) is rolled back whole and raised as
``WriteFailed``: the rows it carried are simply parsed again by the next run.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass

from parser.errors import write_failed

FILE_NAME = "manifest.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    key TEXT PRIMARY KEY,
    sha256 TEXT,
    stamp TEXT,
    parser_version TEXT,
    outcome TEXT NOT NULL,
    stage TEXT,
    code TEXT,
    reason TEXT,
    n_tasks INTEGER,
    seconds REAL,
    updated REAL
)
"""


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    sha256: str | None
    stamp: str
    parser_version: str
    outcome: str
    """``ok`` or ``failed``."""
    stage: str = ""
    code: str = ""
    reason: str = ""
    n_tasks: int = 0
    seconds: float = 0.0


class Manifest:
    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, FILE_NAME)
        try:
            os.makedirs(folder, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise write_failed(exc, self.path) from exc
        self.commits = 0

    def load(self) -> dict[str, Entry]:
        rows = self.db.execute(
            "SELECT key, sha256, stamp, parser_version, outcome, stage, code, reason, n_tasks, seconds FROM inputs")
        return {r[0]: Entry(r[0], r[1], r[2] or "", r[3] or "", r[4], r[5] or "", r[6] or "", r[7] or "",
                            r[8] or 0, r[9] or 0.0) for r in rows}

    def put(self, entries: Iterable[Entry]) -> None:
        """Insert or replace rows in one transaction."""
        now = time.time()
        rows = [(e.key, e.sha256, e.stamp, e.parser_version, e.outcome, e.stage, e.code, e.reason,
                 e.n_tasks, e.seconds, now) for e in entries]
        if not rows:
            return
        try:
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR REPLACE INTO inputs VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        except sqlite3.Error as exc:
            if self.db.in_transaction:  # a failed COMMIT may leave the transaction open
                with contextlib.suppress(sqlite3.Error):
                    self.db.rollback()
            raise write_failed(exc, self.path) from exc
        self.commits += 1

    def close(self) -> None:
        self.db.close()
