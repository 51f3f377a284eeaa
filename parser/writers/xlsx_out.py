"""``--format xlsx``: the flat tables as one Excel workbook, for people who live in spreadsheets.

One sheet per table (tasks, assignments, units; a batch adds notices and errors), each
with a frozen bold header row, an autofilter, column widths from the content, dates as
real Excel dates (sortable, filterable by month) and counts and offsets as numbers.
The rows are the CSV rows: the workbook is another view of ``tasks.csv`` and friends,
never a second interpretation, so a test can compare the two cell by cell.

Strings are always stored as strings: a task text starting with ``=`` must not become
a formula when the workbook is opened (spreadsheet formula injection). The file is
written under a temporary name and renamed (``parser.writers.atomic``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from parser.writers.atomic import atomic_open

WORKBOOK_NAME = "notices.xlsx"
DATE_COLUMNS = frozenset({"due", "earliest_due", "latest_due", "issue_date"})
"""Columns holding ISO dates (yyyy-mm-dd) or nothing."""
NUMBER_COLUMNS = frozenset({"start", "end", "lead_tasks", "responsible_tasks", "cooperating_tasks", "notices",
                            "tasks", "collective"})
"""Columns holding whole numbers (character offsets, counts, 0/1 flags)."""
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60
"""Widest column, in characters: long texts (a task's text) are cut on screen, not in the cell."""
MIN_WIDTH = 6
MAX_CELL_CHARS = 32_767
"""Excel's limit for one cell; a longer value is cut (no notice field comes near it)."""
NOTICE_COLUMNS = ["notice", "title", "doc_number", "issuer", "issue_date", "tasks", "format", "sha256", "warnings"]


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[Sequence[str]] = field(default_factory=list)


def display_width(text: str) -> int:
    """Width on screen in Latin characters: a Chinese character takes two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_widths(sheet: Sheet) -> list[float]:
    """Widest value per column (header included), between MIN_WIDTH and MAX_WIDTH, plus a margin
    for the filter button."""
    widths = [display_width(h) + 3 for h in sheet.header]
    n = len(widths)
    for row in sheet.rows:
        for i, value in enumerate(row[:n]):
            # measure only values that could be wider: a value is at most twice its length wide
            if widths[i] < MAX_WIDTH and len(value) * 2 + 2 > widths[i]:
                widths[i] = max(widths[i], display_width(value) + 2)
    return [float(min(MAX_WIDTH, max(MIN_WIDTH, w))) for w in widths]


def _date(value: str) -> dt.datetime | str:
    try:
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
    except ValueError:
        return value  # a value that is not a plain date stays text rather than being lost


def _number(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def _cell_value(column: str, value: str):  # type: ignore[no-untyped-def]
    """The typed value of one CSV cell; None for an empty cell."""
    if value == "":
        return None
    if column in DATE_COLUMNS:
        return _date(value)
    if column in NUMBER_COLUMNS:
        return _number(value)
    return value


_NOT_IN_XML = {c: "\ufffd" for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}
"""Control characters XML 1.0 cannot hold, each to U+FFFD (a translate table: no regex needed)."""


def _clean_text(value: str) -> str:
    """What the file format can hold: no control characters XML 1.0 forbids, at most one cell's worth."""
    if not value.isprintable():
        value = value.translate(_NOT_IN_XML)
    return value[:MAX_CELL_CHARS]


def _write_sheet(wb, sheet: Sheet, bold, date_format) -> None:  # type: ignore[no-untyped-def]
    ws = wb.add_worksheet(sheet.name)
    for i, width in enumerate(column_widths(sheet)):
        ws.set_column(i, i, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(sheet.rows), max(0, len(sheet.header) - 1))
    for c, name in enumerate(sheet.header):
        ws.write_string(0, c, name, bold)
    columns = sheet.header
    for r, row in enumerate(sheet.rows, start=1):
        for c, (column, raw) in enumerate(zip(columns, row, strict=False)):
            value = _cell_value(column, raw)
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, _clean_text(value))  # never a formula, whatever the text starts with
            elif isinstance(value, dt.datetime):
                ws.write_datetime(r, c, value, date_format)
            else:
                ws.write_number(r, c, value)


def write_workbook(path: str | os.PathLike[str], sheets: Iterable[Sheet]) -> None:
    """Write the sheets into one workbook at ``path``, whole or not at all.

    XlsxWriter in constant-memory mode: rows go to disk as they are written, and it writes
    cells several times faster than openpyxl (a 15,000-row batch took 25 s with openpyxl).
    """
    import xlsxwriter

    with atomic_open(path, "wb") as fh:
        wb = xlsxwriter.Workbook(fh, {"constant_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
        try:
            bold = wb.add_format({"bold": True})
            date_format = wb.add_format({"num_format": DATE_FORMAT})
            for sheet in sheets:
                _write_sheet(wb, sheet, bold, date_format)
        finally:
            wb.close()


# --- the sheets of a parse command ---------------------------------------------------------------

def notice_sheets(notices: Sequence) -> list[Sheet]:  # type: ignore[type-arg]
    """tasks, assignments and units of the notices of one ``parse`` command: the rows of its CSVs."""
    from parser.writers.csv_out import ASSIGNMENT_COLUMNS, TASK_COLUMNS, assignment_rows, notice_key, task_row
    from parser.writers.units_index import UNIT_COLUMNS, notice_rows, units_table

    tasks = [task_row(notice_key(n), t) for n in notices for t in n.tasks]
    assignments = [r for n in notices for t in n.tasks for r in assignment_rows(notice_key(n), t)]
    units = units_table(notice_rows(notices))
    return [Sheet("tasks", TASK_COLUMNS, tasks), Sheet("assignments", ASSIGNMENT_COLUMNS, assignments),
            Sheet("units", UNIT_COLUMNS, units)]


def write_notice_workbook(notices: Sequence, path: str | os.PathLike[str]) -> None:  # type: ignore[type-arg]
    write_workbook(path, notice_sheets(notices))


# --- the sheets of a batch -----------------------------------------------------------------------

def read_csv_sheet(name: str, path: str) -> Sheet:
    """A sheet from one of the batch's CSV files (UTF-8 with BOM, header first)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return Sheet(name, [])
    return Sheet(name, rows[0], rows[1:])


def notice_row(record: dict) -> list[str]:  # type: ignore[type-arg]
    """One notice's summary row, from its record as JSON data."""
    meta = record.get("meta") or {}
    source = record.get("source") or {}
    number = meta.get("doc_number") or {}
    return [
        source.get("path") or "", meta.get("title") or "", number.get("text") or "", meta.get("issuer") or "",
        meta.get("issue_date") or "", str(len(record.get("tasks") or [])), source.get("format") or "",
        source.get("sha256") or "", "; ".join(record.get("warnings") or []),
    ]


def read_notices_sheet(path: str) -> Sheet:
    """One row per record of the batch's ``notices.jsonl``."""
    rows: list[Sequence[str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(notice_row(json.loads(line)))
    return Sheet("notices", NOTICE_COLUMNS, rows)


def batch_sheets(out: str) -> list[Sheet]:
    """The batch's tables as sheets, read back from the files it has just written, so the
    workbook holds exactly their rows."""
    sheets = [read_csv_sheet(name, os.path.join(out, f"{name}.csv")) for name in ("tasks", "assignments", "units")]
    sheets.append(read_notices_sheet(os.path.join(out, "notices.jsonl")))
    sheets.append(read_csv_sheet("errors", os.path.join(out, "errors.csv")))
    return sheets


def write_batch_workbook(out: str) -> str:
    """``notices.xlsx`` beside the batch's other tables; returns its path."""
    path = os.path.join(out, WORKBOOK_NAME)
    write_workbook(path, batch_sheets(out))
    return path
