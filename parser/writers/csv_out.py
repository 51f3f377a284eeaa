"""tasks.csv and assignments.csv: the flat forms spreadsheets and trackers import.

UTF-8 with BOM, so that spreadsheet programs open Chinese text correctly. Rows come
straight from the record; nothing here interprets text. ``key`` / ``task_key`` (last
columns, so that readers by position keep working) are the task's stable key, what a
tracker upserts on.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence

from parser.deadlines import first_due
from parser.writers.atomic import write_text
from schemas.notice import ROLES, Notice, Task

TASK_COLUMNS = [
    "notice", "id", "number", "section", "text", "lead", "responsible", "cooperating",
    "deadline", "due", "kinds", "start", "end", "warnings", "key",
]
ASSIGNMENT_COLUMNS = [
    "notice", "task_id", "role", "unit", "name", "canonical", "level", "collective", "qualifier",
    "due", "start", "end", "task_key",
]


def notice_key(notice: Notice) -> str:
    """How a notice is named in flat tables: its file name, else its document number."""
    if notice.source.path:
        return os.path.basename(notice.source.path)
    if notice.meta.doc_number:
        return notice.meta.doc_number.text
    return notice.meta.title or ""


def _join(units) -> str:  # type: ignore[no-untyped-def]
    return "、".join(u.name for u in units)


def task_row(key: str, task: Task) -> list[str]:
    deadline = task.deadline
    kinds = "、".join(dict.fromkeys(m.kind for m in deadline.milestones)) if deadline else ""
    return [
        key, task.id, task.number or "", task.section_path[-1] if task.section_path else "", task.text,
        _join(task.lead), _join(task.responsible), _join(task.cooperating),
        deadline.text if deadline else "", (first_due(deadline) or "") if deadline else "", kinds,
        str(task.span[0]), str(task.span[1]), "; ".join(task.warnings), task.key or "",
    ]


def assignment_rows(key: str, task: Task) -> Iterable[list[str]]:
    due = (first_due(task.deadline) or "") if task.deadline else ""
    for role in ROLES:
        for unit in getattr(task, role):
            yield [
                key, task.id, role, unit.text, unit.name, unit.canonical or "", unit.level,
                "1" if unit.collective else "0", unit.qualifier or "", due, str(unit.span[0]), str(unit.span[1]),
                task.key or "",
            ]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The dialect every CSV of the project uses: UTF-8 with BOM, CRLF, minimal quoting."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buf.getvalue()


def tasks_csv(notices: Iterable[Notice]) -> str:
    return csv_text(TASK_COLUMNS, (task_row(notice_key(n), t) for n in notices for t in n.tasks))


def assignments_csv(notices: Iterable[Notice]) -> str:
    return csv_text(ASSIGNMENT_COLUMNS, (r for n in notices for t in n.tasks for r in assignment_rows(notice_key(n), t)))


def write_tasks_csv(notices: Iterable[Notice], path: str | os.PathLike[str]) -> None:
    write_text(path, tasks_csv(notices))


def write_assignments_csv(notices: Iterable[Notice], path: str | os.PathLike[str]) -> None:
    write_text(path, assignments_csv(notices))
