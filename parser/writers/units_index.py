"""units.csv: one row per unit across notices, with what it leads, answers for, helps with.

A unit is its canonical name when the alias table knows it, else its normalized
name, so that 市发改委 and 市发展改革委 count together once either resolves. The
earliest due date is the earliest first dated milestone of its tasks
(``parser.deadlines.first_due``); the latest is the latest milestone date of any.

pandas is imported inside the functions: ``notice-parser parse`` must start fast and
only pays for pandas when it writes this file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from parser.deadlines import first_due
from parser.writers.atomic import write_text
from schemas.notice import ROLES, Notice

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

UNIT_COLUMNS = [
    "unit", "name", "canonical", "level", "lead_tasks", "responsible_tasks", "cooperating_tasks",
    "notices", "earliest_due", "latest_due", "names",
]
ROW_FIELDS = ["unit", "name", "canonical", "level", "role", "notice", "task", "first_due", "last_date"]


def unit_rows(key: str, notice: Notice) -> Iterator[tuple[str, ...]]:
    """One tuple (ROW_FIELDS) per task x role x unit: the long form the index is built from."""
    for task in notice.tasks:
        due = first_due(task.deadline) if task.deadline else None
        dates = [m.date for m in task.deadline.milestones if m.date] if task.deadline else []
        last = max(dates) if dates else None
        for role in ROLES:
            for unit in getattr(task, role):
                yield (unit.canonical or unit.name, unit.name, unit.canonical or "", unit.level, role,
                       key, task.id, due or "", last or "")


def _mode(values: pd.Series) -> str:
    """Most frequent value; ties go to the smallest, so the table never depends on input order."""
    counts = values.value_counts()
    best = counts[counts == counts.max()].index
    return str(min(best))


def _level(values: pd.Series) -> str:
    known = values[values != "unknown"]
    return _mode(known) if len(known) else "unknown"


def units_frame(rows: Iterable[tuple[str, ...]]) -> pd.DataFrame:
    """Aggregate long rows into the index, sorted by unit."""
    import pandas as pd

    long = pd.DataFrame.from_records(list(rows), columns=ROW_FIELDS)
    if long.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    long["task_ref"] = long["notice"] + "\0" + long["task"]
    groups = long.groupby("unit", sort=True)
    out = pd.DataFrame({
        "name": groups["name"].agg(_mode),
        "canonical": groups["canonical"].agg(lambda s: _mode(s[s != ""]) if (s != "").any() else ""),
        "level": groups["level"].agg(_level),
    })
    for role in ROLES:
        per_role = long[long["role"] == role].groupby("unit")["task_ref"].nunique()
        out[f"{role}_tasks"] = per_role.reindex(out.index, fill_value=0).astype(int)
    out["notices"] = groups["notice"].nunique().astype(int)
    due = long[long["first_due"] != ""].groupby("unit")["first_due"].min()
    last = long[long["last_date"] != ""].groupby("unit")["last_date"].max()
    out["earliest_due"] = due.reindex(out.index).fillna("")
    out["latest_due"] = last.reindex(out.index).fillna("")
    out["names"] = groups["name"].agg(lambda s: "、".join(sorted(set(s))))
    out = out.reset_index().rename(columns={"index": "unit"})
    return out[UNIT_COLUMNS]


def units_csv_text(frame: pd.DataFrame) -> str:
    """Same dialect as tasks.csv: UTF-8 with BOM, CRLF."""
    return "\ufeff" + frame.to_csv(index=False, lineterminator="\r\n")


def notice_rows(notices: Iterable[Notice]) -> Iterator[tuple[str, ...]]:
    from parser.writers.csv_out import notice_key

    for notice in notices:
        yield from unit_rows(notice_key(notice), notice)


def write_units_csv(notices: Iterable[Notice], path: str | os.PathLike[str]) -> None:
    """units.csv for the notices of one ``parse`` command."""
    write_text(path, units_csv_text(units_frame(notice_rows(notices))))
