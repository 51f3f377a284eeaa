"""Task tables -> items, the same items the prose layouts give.

parser/tables.py finds the tables and types their cells; here a task row becomes an
item whose fields are its unit and deadline cells, so a table task and a prose task
go through the same unit splitting, deadline grammar and record building. A section
row (a heading spanning the table) and a grouping column become section path entries.
"""

from __future__ import annotations

from parser.lines import Line
from parser.outline import Heading, Outline, heading_label
from parser.tables import Cell, Row, Table, find_tables
from parser.tasks.assign import ROLE_FIELDS, Field
from parser.tasks.segment import Item

_NUMBER_STRIP = " .、,()（）．。"


def _anchor(outline: Outline, pos: int) -> Heading | None:
    """The last outline heading before ``pos``: the table stands under it."""
    best = None
    for h in outline.headings:
        if h.line.start >= pos:
            break
        best = h
    return best


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


def _items_of(text: str, mtext: str, table: Table, outline: Outline) -> list[Item]:
    anchor = _anchor(outline, table.start)
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
    for table in tables:
        found = _items_of(text, mtext, table, outline)
        if not found:
            continue  # a table without task rows leaves its lines to the prose layouts
        items.extend(found)
        covered.update(ln.index for ln in lines if ln.start >= table.start and ln.end <= table.end)
    return items, covered
