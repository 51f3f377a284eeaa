"""``batch --db URL``: the same tests on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started for this module from Debian's binaries in a temporary
folder on a free port (tests/pgserver.py); without them the PostgreSQL cases skip with
the reason. Tables are read back through SQLAlchemy, the same way for both.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import pgserver
from tests.test_batch import make_folder, notice_text, run

TABLES = ("notices", "sections", "tasks", "assignments", "inputs")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def postgres() -> Iterator[pgserver.PgServer]:
    try:
        server = pgserver.start()
    except RuntimeError as exc:
        pytest.skip(f"no PostgreSQL server: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tables.db'}"
    server = request.getfixturevalue("postgres")
    return server.create_database("t_" + uuid.uuid4().hex[:12])


def query(url: str, sql: str) -> list[tuple]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def counts(url: str) -> dict[str, int]:
    return {t: query(url, f"SELECT COUNT(*) FROM {t}")[0][0] for t in TABLES}


def record_keys(out: Path) -> set[str]:
    import json

    keys = set()
    with open(out / "notices.jsonl", encoding="utf-8") as fh:
        for line in fh:
            keys.update(t["key"] for t in json.loads(line)["tasks"])
    return keys


def test_rerun_updates_without_duplicates(tmp_path: Path, db_url: str) -> None:
    src = make_folder(tmp_path, 4)
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--db", db_url) == 0
    first = counts(db_url)
    assert first["notices"] == 4 and first["inputs"] == 4 and first["tasks"] == 12
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--force", "--db", db_url) == 0
    assert counts(db_url) == first
    (src / "n000.txt").write_text(notice_text(77), encoding="utf-8")
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--db", db_url) == 0
    assert counts(db_url) == first, "the old content of n000.txt is replaced, not kept beside the new"
    per_notice = dict(query(db_url, "SELECT notice_id, COUNT(*) FROM tasks GROUP BY notice_id"))
    n_tasks = dict(query(db_url, "SELECT notice_id, n_tasks FROM notices"))
    assert per_notice == n_tasks
    assert {k for (k,) in query(db_url, "SELECT key FROM tasks")} == record_keys(out)
    assigned = query(db_url, "SELECT COUNT(*) FROM assignments a JOIN tasks t ON a.task_key = t.key")[0][0]
    assert assigned == first["assignments"], "every assignment row points at its task by key"


def test_tasks_are_keyed_by_the_stable_key(tmp_path: Path, db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Another parser version rewrites every notice; each task's row keeps its key (an upsert)."""
    from sqlalchemy import create_engine, inspect

    from parser.batch import run as batch

    src = make_folder(tmp_path, 3)
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--db", db_url) == 0
    engine = create_engine(db_url)
    try:
        pk = inspect(engine).get_pk_constraint("tasks")["constrained_columns"]
        assign_pk = inspect(engine).get_pk_constraint("assignments")["constrained_columns"]
    finally:
        engine.dispose()
    assert pk == ["key"]
    assert set(assign_pk) == {"task_key", "role", "seq"}
    before = dict(query(db_url, "SELECT key, text FROM tasks"))
    versions = {v for (v,) in query(db_url, "SELECT parser_version FROM notices")}
    monkeypatch.setattr(batch, "parser_version", lambda: "9.9.9+other")
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--db", db_url) == 0
    assert {v for (v,) in query(db_url, "SELECT parser_version FROM notices")} == {"9.9.9+other"} != versions
    assert dict(query(db_url, "SELECT key, text FROM tasks")) == before


def test_same_document_number_in_two_files_upserts_one_set_of_tasks(tmp_path: Path, db_url: str) -> None:
    """A notice stored twice (another format, a re-issued copy) is one set of task rows, not two."""
    src = make_folder(tmp_path, 2)
    (src / "copy.txt").write_text(notice_text(0) + "\n（此件公开发布）\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--db", db_url) == 0
    c = counts(db_url)
    assert c["notices"] == 3 and c["tasks"] == 6
    assert query(db_url, "SELECT COUNT(DISTINCT key) FROM tasks")[0][0] == 6


def test_tables_of_an_older_layout_are_rebuilt(tmp_path: Path, db_url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.begin() as conn:  # the layout before task keys: tasks keyed by (notice_id, id)
        conn.execute(text('CREATE TABLE tasks (notice_id VARCHAR(64), id VARCHAR(200), "text" TEXT, '
                          "PRIMARY KEY (notice_id, id))"))
        conn.execute(text("CREATE TABLE inputs (key VARCHAR(1000) PRIMARY KEY, notice_id VARCHAR(64), "
                          "parser_version VARCHAR(64))"))
        conn.execute(text("INSERT INTO tasks VALUES ('x', '1', 'old')"))
    engine.dispose()
    src = make_folder(tmp_path, 2)
    assert run(str(src), "-o", str(tmp_path / "out"), "--jobs", "0", "-q", "--db", db_url) == 0
    c = counts(db_url)
    assert c["notices"] == 2 and c["tasks"] == 6
    assert query(db_url, "SELECT COUNT(*) FROM tasks WHERE notice_id = 'x'")[0][0] == 0


WRITER = """
import sys
from parser.cli import main
sys.exit(main(["batch", sys.argv[1], "-o", sys.argv[2], "--jobs", "0", "-q", "--db", sys.argv[3]]))
"""


def test_concurrent_writers(tmp_path: Path, db_url: str) -> None:
    """Three batches writing one database at once: all succeed, and the tables are whole."""
    src = make_folder(tmp_path, 12)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(src), str(tmp_path / f"out{i}"), db_url],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(3)]
    results = []
    for p in procs:
        try:
            _, err = p.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        results.append((p.returncode, err))
    assert [rc for rc, _ in results] == [0, 0, 0], [err[-2000:] for _, err in results]
    c = counts(db_url)
    assert c["notices"] == 12 and c["inputs"] == 12 and c["tasks"] == 36
    assert {k for (k,) in query(db_url, "SELECT key FROM tasks")} == record_keys(tmp_path / "out0")
    per_notice = dict(query(db_url, "SELECT notice_id, COUNT(*) FROM tasks GROUP BY notice_id"))
    assert per_notice == dict(query(db_url, "SELECT notice_id, n_tasks FROM notices"))
