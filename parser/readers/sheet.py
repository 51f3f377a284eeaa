"""Spreadsheet notices (.xlsx with openpyxl, .xls with xlrd): each sheet's rows as table lines.

Task-assignment tables are often published as spreadsheets: one row per task, a title
merged across the top, a 牵头单位 merged down the tasks it leads. Every sheet goes through
``tables.table_lines`` like a table in any other format, so merged ranges are repeated in
each covered cell and a merge across all columns becomes a heading line.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from parser.document import Document
from parser.errors import CorruptFile, TooLarge
from parser.limits import Limits
from parser.readers.tables import Cell, open_package, table_lines

MAX_CELLS = 5_000_000
"""Most cells (rows × columns over all sheets) read from one workbook."""


def _value_text(value: Any) -> str:
    """A cell value as the text a reader sees (12.0 → 12, a date → 2017-09-30)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _sheet_lines(values: dict[tuple[int, int], str], merges: list[tuple[int, int, int, int]]) -> list[str]:
    """Lines of one sheet from its cell values and merged ranges (r0, c0, r1, c1 inclusive, 0-based)."""
    used = [k for k, v in values.items() if v]
    if not used:
        return []
    r_min = min(r for r, _ in used)
    c_min, c_max = min(c for _, c in used), max(c for _, c in used)
    ncols = c_max - c_min + 1
    covered: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for m_r0, m_c0, r1, m_c1 in merges:
        c0, c1, r0 = max(m_c0, c_min), min(m_c1, c_max), max(m_r0, r_min)
        if c1 < c0 or r1 < r_min:
            continue
        text = values.get((r0, c0), "") or next(
            (values[(r, c)] for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if values.get((r, c))), ""
        )
        cells.append(Cell(text, r0 - r_min, c0 - c_min, r1 - r0 + 1, c1 - c0 + 1))
        covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
    rows: dict[int, list[int]] = {}
    for (r, c), v in values.items():
        if v and (r, c) not in covered and c_min <= c <= c_max:
            rows.setdefault(r, []).append(c)
    for r, cols in rows.items():
        lone_title = len(cols) == 1 and not any(rr == r for rr, _ in covered)
        for c in cols:
            if lone_title:
                # A title typed into one cell with the rest of the row empty reads as a heading.
                cells.append(Cell(values[(r, c)], r - r_min, 0, 1, ncols))
            else:
                cells.append(Cell(values[(r, c)], r - r_min, c - c_min))
    # Keep every column present so rows stay aligned with the header.
    cells.extend(Cell("", 0, c, 1, 1) for c in range(ncols) if not any(x.col <= c < x.col + x.colspan for x in cells))
    return table_lines(cells)


def _read_xlsx(data: bytes, limits: Limits) -> list[str]:
    import openpyxl

    # The zip guards run before openpyxl inflates anything.
    open_package(data, limits, ".xlsx", "xl/workbook.xml", "an Excel workbook").close()
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:
        raise CorruptFile(f"broken .xlsx: {type(exc).__name__}: {exc}"[:200]) from exc
    total = sum((ws.max_row or 0) * (ws.max_column or 0) for ws in wb.worksheets)
    if total > MAX_CELLS:
        raise TooLarge(f"{total} cells is over the limit of {MAX_CELLS}")
    lines: list[str] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        values = {
            (cell.row - 1, cell.column - 1): _value_text(cell.value)
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None and not ws.row_dimensions[cell.row].hidden
        }
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        lines.extend(_sheet_lines(values, merges))
    return lines


def _read_xls(data: bytes) -> list[str]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:
        raise CorruptFile(f"broken .xls: {type(exc).__name__}: {exc}"[:200]) from exc
    try:
        total = 0
        lines: list[str] = []
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            if getattr(sh, "visibility", 0):
                continue
            total += sh.nrows * sh.ncols
            if total > MAX_CELLS:
                raise TooLarge(f"{total} cells is over the limit of {MAX_CELLS}")
            values: dict[tuple[int, int], str] = {}
            for r in range(sh.nrows):
                for c in range(sh.ncols):
                    cell = sh.cell(r, c)
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        value: Any = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                    else:
                        value = cell.value if cell.ctype not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) else None
                    text = _value_text(value)
                    if text:
                        values[(r, c)] = text
            merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
            lines.extend(_sheet_lines(values, merges))
    finally:
        book.release_resources()
    return lines


def read_sheet(data: bytes, limits: Limits, kind: str) -> Document:
    """Read an .xlsx or .xls workbook into a Document, sheet after sheet."""
    if kind == "xls" and data.startswith(b"PK"):
        kind = "xlsx"
    lines = _read_xls(data) if kind == "xls" else _read_xlsx(data, limits)
    return Document(text="\n".join(lines) + ("\n" if lines else ""), format=kind)
