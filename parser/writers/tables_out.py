"""Batch tables in the forms other tools load: Parquet files and a SQL database.

Parquet: tasks, assignments and units with the same columns as the CSV files (spans
as integers), written whole then renamed.

Database (``--db URL``, any SQLAlchemy URL; a bare path means ``sqlite:///path``;
tested on SQLite and PostgreSQL): ``notices`` and ``sections`` keyed by the notice's
content hash (``notice_id`` = sha256 of the input bytes), ``tasks`` keyed by the task's
stable ``key`` and ``assignments`` by (``task_key``, role, seq), both with their
``notice_id``, and ``inputs`` mapping each input key to the notice it holds. A notice
is replaced by delete + insert inside a transaction, so re-running a batch updates
rows instead of duplicating them, and a notice whose input key now holds other content
is removed when nothing points to it. Notices already stored with the same content and
parser version are left alone. Concurrent writers take the database's write lock in
turn (see ``_engine``).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Sequence

from parser.writers.atomic import atomic_open
from schemas.notice import ROLES, Notice, Section

INT_COLUMNS = {"start", "end"}


def csv_to_parquet(text: str, path: str) -> None:
    """A CSV table (header first, our dialect, no BOM) as Parquet: strings, spans as int64.

    Reading the batch's CSV text with Arrow's C reader is much cheaper than building
    columns from Python row lists.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    header = next(csv.reader([text.split("\r\n", 1)[0]]))
    types = {c: (pa.int64() if c in INT_COLUMNS else pa.string()) for c in header}
    table = pcsv.read_csv(
        pa.py_buffer(text.encode("utf-8")),
        read_options=pcsv.ReadOptions(block_size=1 << 26),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                            quoted_strings_can_be_null=False),
    )
    with atomic_open(path, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")


def write_frame_parquet(frame, path: str) -> None:  # type: ignore[no-untyped-def]
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    with atomic_open(path, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")


# --- SQL -----------------------------------------------------------------------------------------

LAYOUT = "2"
"""The tables' layout. A database written by another layout has its tables dropped and
rebuilt (they are derived data: the batch folder's cache holds every record)."""
_LOCK_ID = 0x6E6F7469  # "noti": the advisory lock PostgreSQL writers take in turn


def database_url(target: str) -> str:
    """A bare path is a SQLite file."""
    return target if "://" in target else "sqlite:///" + os.path.abspath(target)


def _tables(metadata):  # type: ignore[no-untyped-def]
    from sqlalchemy import Column, Integer, String, Table, Text

    def key(name: str, length: int = 64) -> Column:
        return Column(name, String(length), primary_key=True)

    notices = Table(
        "notices", metadata, key("notice_id"),
        Column("parser_version", String(64)), Column("path", Text), Column("format", String(16)),
        Column("title", Text), Column("plan_title", Text), Column("doc_number", String(200)),
        Column("issuer", Text), Column("issue_date", String(10)), Column("n_tasks", Integer),
        Column("record", Text),
    )
    sections = Table(
        "sections", metadata, key("notice_id"), key("id", 200),
        Column("parent_id", String(200)), Column("marker", String(64)), Column("level", Integer),
        Column("title", Text), Column("start", Integer), Column("end", Integer),
    )
    tasks = Table(
        "tasks", metadata, key("key", 500),
        Column("notice_id", String(64), nullable=False, index=True), Column("id", String(200)),
        Column("number", String(64)), Column("section", Text), Column("text", Text),
        Column("deadline", Text), Column("due", String(10)), Column("start", Integer), Column("end", Integer),
        Column("warnings", Text), Column("corrected", Integer),
    )
    assignments = Table(
        "assignments", metadata, key("task_key", 500), key("role", 16),
        Column("seq", Integer, primary_key=True, autoincrement=False),
        Column("notice_id", String(64), nullable=False, index=True), Column("task_id", String(200)),
        Column("unit", Text), Column("name", Text), Column("canonical", Text), Column("level", String(16)),
        Column("collective", Integer), Column("qualifier", Text), Column("start", Integer), Column("end", Integer),
        Column("corrected", Integer),
    )
    inputs = Table(
        "inputs", metadata, key("key", 1000),
        Column("notice_id", String(64)), Column("parser_version", String(64)),
    )
    layout = Table("notice_parser_layout", metadata, key("layout", 16))
    return notices, sections, tasks, assignments, inputs, layout


def _section_rows(notice_id: str, sections: list[Section], parent: str | None) -> Iterator[dict]:
    for s in sections:
        yield {"notice_id": notice_id, "id": s.id, "parent_id": parent, "marker": s.marker, "level": s.level,
               "title": s.title, "start": s.span[0], "end": s.span[1]}
        yield from _section_rows(notice_id, s.children, s.id)


def _rows(notice_id: str, version: str, notice: Notice, record: str) -> dict[str, list[dict]]:
    from parser.deadlines import first_due
    from parser.keys import ensure_keys

    ensure_keys(notice)  # a record cached by a version before keys
    meta = notice.meta
    out: dict[str, list[dict]] = {"notices": [{
        "notice_id": notice_id, "parser_version": version, "path": notice.source.path,
        "format": notice.source.format, "title": meta.title, "plan_title": meta.plan_title,
        "doc_number": meta.doc_number.text if meta.doc_number else None, "issuer": meta.issuer,
        "issue_date": meta.issue_date, "n_tasks": len(notice.tasks), "record": record,
    }], "sections": list(_section_rows(notice_id, notice.sections, None)), "tasks": [], "assignments": []}
    for t in notice.tasks:
        out["tasks"].append({
            "key": t.key, "notice_id": notice_id, "id": t.id, "number": t.number,
            "section": t.section_path[-1] if t.section_path else None, "text": t.text,
            "deadline": t.deadline.text if t.deadline else None,
            "due": first_due(t.deadline) if t.deadline else None,
            "start": t.span[0], "end": t.span[1], "warnings": "; ".join(t.warnings), "corrected": int(t.corrected),
        })
        for role in ROLES:
            for seq, u in enumerate(getattr(t, role)):
                out["assignments"].append({
                    "task_key": t.key, "role": role, "seq": seq, "notice_id": notice_id, "task_id": t.id,
                    "unit": u.text, "name": u.name, "canonical": u.canonical, "level": u.level,
                    "collective": int(u.collective), "qualifier": u.qualifier, "start": u.span[0], "end": u.span[1],
                    "corrected": int(u.corrected),
                })
    return out


def _engine(url: str):  # type: ignore[no-untyped-def]
    """An engine whose write transactions take the database's write lock up front.

    Several batches may write one database at once. SQLite: ``BEGIN IMMEDIATE`` (a
    deferred transaction that reads first and then writes can deadlock with another
    writer and fail at once) and a generous busy timeout. PostgreSQL: a transaction-level
    advisory lock, so that two writers never race between delete and insert of the same
    task key (the second would fail on the primary key).
    """
    from sqlalchemy import create_engine, event, make_url

    full = database_url(url)
    if make_url(full).get_backend_name() != "sqlite":
        return create_engine(full)
    engine = create_engine(full, connect_args={"timeout": 120})

    @event.listens_for(engine, "connect")
    def _no_pysqlite_begin(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # SQLAlchemy's own BEGIN below, not pysqlite's

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _write_lock(conn) -> None:  # type: ignore[no-untyped-def]
    if conn.dialect.name == "postgresql":
        from sqlalchemy import text

        conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})


def _prepare(engine, metadata, tables) -> None:  # type: ignore[no-untyped-def]
    """Create the tables, or rebuild them when they hold another layout (under the write lock)."""
    from sqlalchemy import inspect, select

    *data_tables, layout = tables
    with engine.begin() as conn:
        _write_lock(conn)
        names = set(inspect(conn).get_table_names())
        current = None
        if layout.name in names:
            current = conn.execute(select(layout.c.layout)).scalar()
        if current != LAYOUT and names & {t.name for t in data_tables}:
            for t in reversed(tables):
                t.drop(conn, checkfirst=True)
        metadata.create_all(conn)
        if current != LAYOUT:
            conn.execute(layout.delete())
            conn.execute(layout.insert(), [{"layout": LAYOUT}])


def sync_database(url: str, entries: Sequence[tuple[str, str, str, str]], load, chunk: int = 200) -> int:  # type: ignore[no-untyped-def]
    """Bring the database up to date with the batch; return how many notices were (re)written.

    ``entries`` are (input key, notice_id, parser version, cached JSON path);
    ``load(path) -> (Notice, json text)`` reads a cached notice only when it must be written.
    Tasks are keyed by their stable ``key``: a notice written again (another parser
    version, another file with the same document number) updates its tasks' rows in
    place, so a tracker joined on ``tasks.key`` keeps its links.
    """
    from sqlalchemy import MetaData, select

    engine = _engine(url)
    metadata = MetaData()
    tables = _tables(metadata)
    notices, sections, tasks, assignments, inputs, _layout = tables
    try:
        _prepare(engine, metadata, tables)
        with engine.connect() as conn:
            stored = {r.key: (r.notice_id, r.parser_version) for r in conn.execute(select(inputs))}
        todo = [e for e in entries if stored.get(e[0]) != (e[1], e[2])]
        written = 0
        for start in range(0, len(todo), chunk):
            with engine.begin() as conn:
                _write_lock(conn)
                for key, notice_id, version, path in todo[start:start + chunk]:
                    notice, record = load(path)
                    _replace_notice(conn, tables, notice_id, _rows(notice_id, version, notice, record))
                    old = conn.execute(select(inputs.c.notice_id).where(inputs.c.key == key)).scalar()
                    conn.execute(inputs.delete().where(inputs.c.key == key))
                    conn.execute(inputs.insert(), [{"key": key, "notice_id": notice_id, "parser_version": version}])
                    if old and old != notice_id:
                        _drop_orphan(conn, old, (sections, tasks, assignments, notices), inputs)
                    written += 1
    finally:
        engine.dispose()
    return written


def _replace_notice(conn, tables, notice_id: str, rows: dict[str, list[dict]]) -> None:  # type: ignore[no-untyped-def]
    """Delete the notice's rows and those its task keys held (under another notice), then insert."""
    notices, sections, tasks, assignments, _inputs, _layout = tables
    for table in (assignments, tasks, sections, notices):
        conn.execute(table.delete().where(table.c.notice_id == notice_id))
    keys = [r["key"] for r in rows["tasks"]]
    for start in range(0, len(keys), 500):
        part = keys[start:start + 500]
        conn.execute(assignments.delete().where(assignments.c.task_key.in_(part)))
        conn.execute(tasks.delete().where(tasks.c.key.in_(part)))
    for table in (notices, sections, tasks, assignments):
        if rows[table.name]:
            conn.execute(table.insert(), rows[table.name])


def _drop_orphan(conn, notice_id: str, tables, inputs) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete, func, select

    still = conn.execute(select(func.count()).select_from(inputs).where(inputs.c.notice_id == notice_id)).scalar()
    if not still:
        for table in tables:
            conn.execute(delete(table).where(table.c.notice_id == notice_id))
