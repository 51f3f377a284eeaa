"""units.csv: one row per unit across notices, with what it leads, answers for, helps with.

A unit is its canonical name when the alias table knows it, else its normalized
name, so that 市发改委 and 市发展改革委 count together once either resolves. The
earliest due date is the earliest first dated milestone of its tasks
(``parser.deadlines.first_due``); the latest is the latest milestone date of any.

The batch builds the index with pandas (``units_frame``, imported inside the function);
``notice-parser parse`` uses the plain-Python twin ``units_table``, because it must start
in well under half a second. A test keeps the two equal.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
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


def _most_common(long: pd.DataFrame, column: str, skip: str | None = None) -> pd.Series:
    """Per unit, the most frequent value of ``column``; ties go to the smallest value, so
    the table never depends on input order. Vectorized: a batch has many thousands of rows."""
    rows = long if skip is None else long[long[column] != skip]
    counts = rows.groupby(["unit", column], sort=False).size().reset_index(name="n")
    counts = counts.sort_values(["unit", "n", column], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates("unit").set_index("unit")[column]


def units_frame(rows: Iterable[Sequence[str]] | pd.DataFrame) -> pd.DataFrame:
    """Aggregate long rows (ROW_FIELDS; tuples or a DataFrame of strings) into the index, sorted by unit."""
    import pandas as pd

    long = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame.from_records(list(rows), columns=ROW_FIELDS)
    if long.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    index = pd.Index(sorted(long["unit"].unique()), name="unit")
    out = pd.DataFrame(index=index)
    out["name"] = _most_common(long, "name")
    out["canonical"] = _most_common(long, "canonical", skip="").reindex(index).fillna("")
    out["level"] = _most_common(long, "level", skip="unknown").reindex(index).fillna("unknown")
    per_role = (long.drop_duplicates(["unit", "role", "notice", "task"])
                .groupby(["unit", "role"]).size().unstack(fill_value=0))
    for role in ROLES:
        counts = per_role[role] if role in per_role.columns else pd.Series(dtype="int64")
        out[f"{role}_tasks"] = counts.reindex(index, fill_value=0).astype("int64")
    out["notices"] = long.drop_duplicates(["unit", "notice"]).groupby("unit").size().reindex(index).astype("int64")
    due = long[long["first_due"] != ""].groupby("unit")["first_due"].min()
    last = long[long["last_date"] != ""].groupby("unit")["last_date"].max()
    out["earliest_due"] = due.reindex(index).fillna("")
    out["latest_due"] = last.reindex(index).fillna("")
    names = long[["unit", "name"]].drop_duplicates().sort_values(["unit", "name"])
    out["names"] = names.groupby("unit")["name"].agg("、".join).reindex(index)
    return out.reset_index()[UNIT_COLUMNS]


def long_from_csv(text: str) -> pd.DataFrame:
    """Long rows written as CSV (no header, ROW_FIELDS order) back as a DataFrame of strings."""
    import io

    import pandas as pd

    if not text:
        return pd.DataFrame(columns=ROW_FIELDS)
    return pd.read_csv(io.StringIO(text), header=None, names=ROW_FIELDS, dtype=str, keep_default_na=False,
                       na_filter=False)


def units_csv_text(frame: pd.DataFrame) -> str:
    """Same dialect as tasks.csv: UTF-8 with BOM, CRLF."""
    return "\ufeff" + frame.to_csv(index=False, lineterminator="\r\n")


def notice_rows(notices: Iterable[Notice]) -> Iterator[tuple[str, ...]]:
    from parser.writers.csv_out import notice_key

    for notice in notices:
        yield from unit_rows(notice_key(notice), notice)


def _best(counter: Counter[str]) -> str:
    top = max(counter.values())
    return min(v for v, n in counter.items() if n == top)


def units_table(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    """The same index as ``units_frame``, in plain Python, for the few notices of a
    ``parse`` command: importing pandas would cost more than the whole parse."""
    groups: dict[str, list[Sequence[str]]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    out: list[list[str]] = []
    for unit in sorted(groups):
        g = groups[unit]
        canon = Counter(r[2] for r in g if r[2])
        levels = Counter(r[3] for r in g if r[3] != "unknown")
        per_role = {role: len({(r[5], r[6]) for r in g if r[4] == role}) for role in ROLES}
        dues = [r[7] for r in g if r[7]]
        lasts = [r[8] for r in g if r[8]]
        out.append([
            unit, _best(Counter(r[1] for r in g)), _best(canon) if canon else "",
            _best(levels) if levels else "unknown", *(str(per_role[role]) for role in ROLES),
            str(len({r[5] for r in g})), min(dues) if dues else "", max(lasts) if lasts else "",
            "、".join(sorted({r[1] for r in g})),
        ])
    return out


def write_units_csv(notices: Iterable[Notice], path: str | os.PathLike[str]) -> None:
    """units.csv for the notices of one ``parse`` command (same table as the batch's)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(UNIT_COLUMNS)
    writer.writerows(units_table(notice_rows(notices)))
    write_text(path, "\ufeff" + buf.getvalue())
