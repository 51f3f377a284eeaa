"""Task tables -> items, the same items the prose layouts give.

parser/tables.py finds the tables and types their cells; here a task row becomes an
item whose fields are its unit and deadline cells, so a table task and a prose task
go through the same unit splitting, deadline grammar and record building. A section
row (a heading spanning the table) and a grouping column become section path entries.
"""

from __future__ import annotations

from bisect import bisect_left

from parser.lines import Line
from parser.outline import Heading, Outline, heading_label
from parser.tables import Cell, Row, Table, find_tables
from parser.tasks.assign import ROLE_FIELDS, Field
from parser.tasks.segment import Item

_NUMBER_STRIP = " .、,()（）．。"


def _anchor(outline: Outline, pos: int, starts: list[int]) -> Heading | None:
    """The last outline heading before ``pos``: the table stands under it.

    ``starts`` are the headings' line starts, bisected: a scan per table was quadratic
    on a notice of thousands of tables.
    """
    i = bisect_left(starts, pos)
    return outline.headings[i - 1] if i else None


def _span_field(role: str, text: str, cells: list[Cell]) -> Field | None:
    """One field from a cell written over several lines (its lines joined in place)."""
    cells = [c for c in cells if c.end > c.start]
    if not cells:
        return None
    start, end = cells[0].start, cells[-1].end
    return Field(role, text[start:end], start)


def _row_item(text: str, row: Row, path: list[str], anchor: Heading | None) -> Item | None:
    task_cells = [c for c in row.cells.get("task", []) if c.end > c.start]
    fields: list[Field] = []
    for role in ROLE_FIELDS:
        fields.extend(Field(role, c.text, c.start) for c in row.cells.get(role, []) if c.end > c.start)
    deadline = _span_field("deadline", text, row.cells.get("deadline", []))
    if deadline is not None:
        fields.append(deadline)
    if not task_cells and not fields:
        return None
    numbers = [c.text.strip(_NUMBER_STRIP) for c in row.cells.get("number", []) if c.text.strip(_NUMBER_STRIP)]
    text_start = task_cells[0].start if task_cells else row.start
    text_end = task_cells[-1].end if task_cells else row.start
    item = Item(heading=None, start=row.start, text_start=text_start, text_end=text_end, end=row.end,
                fields=fields, closed=True, number=numbers[0] if numbers else None,
                extra_path=list(path), source="table", anchor=anchor)
    if row.group is not None and row.group.text:
        item.extra_path.append(row.group.text)
    item.pieces = [(c.start, c.end) for c in task_cells]
    return item


def _items_of(text: str, mtext: str, table: Table, outline: Outline, starts: list[int]) -> list[Item]:
    anchor = _anchor(outline, table.start, starts)
    path: list[str] = []
    items: list[Item] = []
    for row in table.rows:
        if row.kind == "section":
            title = row.title
            path = [heading_label(text, mtext, title.start, title.end)] if title is not None and title.text else []
            continue
        item = _row_item(text, row, path, anchor)
        if item is not None:
            items.append(item)
    return items


def table_items(text: str, mtext: str, lines: list[Line], outline: Outline) -> tuple[list[Item], set[int]]:
    """Items of every task table, and the indices of the lines the tables cover."""
    tables = find_tables(text, lines)
    if not tables:
        return [], set()
    items: list[Item] = []
    covered: set[int] = set()
    heading_starts = [h.line.start for h in outline.headings]
    line_starts = [ln.start for ln in lines]  # lines are in text order: bisect instead of a scan per table
    for table in tables:
        found = _items_of(text, mtext, table, outline, heading_starts)
        if not found:
            continue  # a table without task rows leaves its lines to the prose layouts
        items.extend(found)
        i = bisect_left(line_starts, table.start)
        while i < len(lines) and lines[i].start <= table.end:
            if lines[i].end <= table.end:
                covered.add(lines[i].index)
            i += 1
    return items, covered
