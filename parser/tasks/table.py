"""Task tables -> items, the same items the prose layouts give.

parser/tables.py finds the tables and types their cells; here a task row becomes an
item whose fields are its unit and deadline cells, so a table task and a prose task
go through the same unit splitting, deadline grammar and record building. A section
row (a heading spanning the table) and a grouping column become section path entries.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache

import regex

from parser.data import load_json
from parser.lines import Line
from parser.outline import Heading, Outline, heading_label
from parser.tables import FIELD_ROLES, Cell, Row, Table, find_tables, header_role
from parser.tasks.assign import (
    ROLE_FIELDS,
    Field,
    closing_bracket,
    ends_with_role_verb,
    looks_like_units,
    parse_assignment,
    parse_verbs,
)
from parser.tasks.segment import Item
from parser.textnorm import match_text

_NUMBER_STRIP = " .、,()（）．。"


def _anchor(outline: Outline, pos: int, starts: list[int]) -> Heading | None:
    """The last outline heading before ``pos``: the table stands under it.

    ``starts`` are the headings' line starts, bisected: a scan per table was quadratic
    on a notice of thousands of tables.
    """
    i = bisect_left(starts, pos)
    head = outline.headings[i - 1] if i else None
    # A "heading" whose own line holds the table (1、…分解表序号项目名称… on a run-on page)
    # is no heading over it: the table stands under that line's parent.
    while head is not None and head.line.end > pos:
        head = head.parent
    return head


@cache
def _suffixes() -> tuple[str, ...]:
    return tuple(load_json("unit_words.json").get("body_suffixes", []))


@cache
def _body_tails() -> frozenset[str]:
    """Organ words that end a body's name and name none alone (政府, 管委会)."""
    return frozenset(load_json("unit_words.json")["shared_body_tails"])


def _tail_groups(cells: list[Cell]) -> list[list[Cell]]:
    """A role's cells, each with the lines that only finish its name (烈山区 / 政府: a
    wrap put the organ word on a line of its own) joined to it."""
    groups: list[list[Cell]] = []
    for c in cells:
        if groups and c.text.strip() in _body_tails():
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def _joined_field(role: str, cells: list[Cell]) -> Field | None:
    """One field from a cell written over several lines.

    A box-drawn cell wraps mid-word ("各县(市、区)政" / "府,市财政局"), so its lines
    are joined without a separator; where a line ends with a whole body's name and
    the next begins another, a 、 is put between them, unless the next line is only an
    organ word (烈山区 / 政府: the place's government). The field remembers where each
    piece stands, so the units and dates read from it keep spans in the notice.
    """
    cells = [c for c in cells if c.end > c.start and c.text.strip()]
    if not cells:
        return None
    if len(cells) == 1:
        return Field(role, cells[0].text, cells[0].start)
    joined = ""
    parts: list[tuple[int, int, int]] = []
    for cell in cells:
        piece = cell.text.strip()
        lead = cell.text.find(piece)
        if (joined and role != "deadline" and joined.endswith(_suffixes()) and joined[-1] not in "、,，;；"
                and piece not in _body_tails()):  # 烈山区 / 政府: the organ word ends the name above
            joined += "、"
        parts.append((len(joined), cell.start + lead, cell.start + lead + len(piece)))
        joined += piece
    return Field(role, joined, parts[0][1], tuple(parts))


def _column_labels(role: str, n: int, header: list[str]) -> list[str]:
    """The label of each of a row's ``n`` cells of one field role.

    One cell per header column: each its own column's label. Otherwise (a cell wrapped
    over lines, a column left empty) which cell sits under which column is not known, so
    each gets the columns' labels joined, or the role's name when the header named none.
    """
    if n == len(header):
        return header
    return ["/".join(header) or role] * n


def _row_item(text: str, row: Row, path: list[str], anchor: Heading | None,
              labels: dict[str, list[str]] | None = None) -> Item | None:
    task_cells = [c for c in row.cells.get("task", []) if c.end > c.start]
    fields: list[Field] = []
    boxed = _is_boxed(text, row)
    for role in ROLE_FIELDS:
        cells = [c for c in row.cells.get(role, []) if c.end > c.start]
        if boxed and len(cells) > 1:
            joined = _joined_field(role, cells)
            fields.extend([joined] if joined is not None else [])
        else:
            for group in _tail_groups(cells):
                if len(group) > 1:
                    joined = _joined_field(role, group)
                    fields.extend([joined] if joined is not None else [])
                else:
                    fields.extend(_unit_cell_fields(role, group[0]))
    deadline = _joined_field("deadline", row.cells.get("deadline", []))
    if deadline is not None:
        fields.append(deadline)
    text_end = task_cells[-1].end if task_cells else row.start
    if task_cells and not any(f.role in ROLE_FIELDS for f in fields) and (inner := _cell_bracket(task_cells[-1])):
        fields.extend(inner[0])  # 加快建设滨海城市带…。(牵头单位:市住建局) in the task's own cell
        text_end = inner[1]
    if not task_cells and not fields:
        return None
    kept: list[Field] = []  # persons, progress, targets, remarks: kept, so nothing in the row is lost
    leaders = [c for c in row.cells.get("leader", []) if c.end > c.start and c.text.strip()]
    names = _column_labels("leader", len(leaders), (labels or {}).get("leader", []))
    kept.extend(Field("leader", c.text.strip(), c.start + len(c.text) - len(c.text.lstrip()), label=name)
                for c, name in zip(leaders, names, strict=True))
    for role in FIELD_ROLES:
        cells = [c for c in row.cells.get(role, []) if c.end > c.start and c.text.strip()]
        names = _column_labels(role, len(cells), (labels or {}).get(role, []))
        kept.extend(Field("field", c.text, c.start, label=name) for c, name in zip(cells, names, strict=True))
    fields.extend(sorted(kept, key=lambda f: f.start))  # in the row's order
    numbers = [c.text.strip(_NUMBER_STRIP) for c in row.cells.get("number", []) if c.text.strip(_NUMBER_STRIP)]
    text_start = task_cells[0].start if task_cells else row.start
    item = Item(heading=None, start=row.start, text_start=text_start, text_end=text_end, end=row.end,
                fields=fields, closed=True, number=numbers[0] if numbers else None,
                extra_path=list(path), source="table", anchor=anchor)
    if row.group is not None and row.group.text:
        item.extra_path.append(row.group.text)
    if row.cut:
        item.warnings.append("cut off by the end of the page: its assignment is missing or incomplete")
    item.pieces = [(c.start, min(c.end, text_end) if c is task_cells[-1] else c.end) for c in task_cells]
    return item


def _cell_bracket(cell: Cell) -> tuple[list[Field], int] | None:
    """The assignment bracket closing a task cell, in a table without a unit column for the
    row (a progress table writing 牵头单位 into the task's words), and where the task's
    words end; None when the cell closes with none."""
    m = match_text(cell.text)
    br = closing_bracket(m, 0, len(m))
    if br is None or br[0] == 0:
        return None
    found = parse_assignment(cell.text, m, br[0] + 1, br[1] - 1, False)
    if not found or not any(f.role in ROLE_FIELDS for f in found):
        return None
    end = br[0]
    while end > 0 and cell.text[end - 1].isspace():
        end -= 1
    return [Field(f.role, f.text, f.start + cell.start, label=f.label) for f in found], cell.start + end


@cache
def _instructions() -> tuple[str, ...]:
    return tuple(load_json("shape_checks.json")["instructions"])


def _unit_cell_fields(role: str, cell: Cell) -> list[Field]:
    """A unit cell's fields: the column's role, unless the cell states its own roles
    (办公室牵头,各科室配合 or 市发改委牵头落实 in a 责任单位 column): then each clause keeps
    its verb's role, where every clause is units with their verb."""
    if cell.text.strip().isdigit() or any(w in cell.text for w in _instructions()):
        # A stray figure the layout set in a unit column (经管站 / 2 / 2023年底), or an
        # instruction (按市府办通知另行确定): no body. Kept on the task as a field, so
        # nothing in the row is lost.
        return [Field("field", cell.text, cell.start, label=role)]
    if len(cell.text) >= 5 and ends_with_role_verb(cell.text, 0, len(cell.text)):
        m = match_text(cell.text)
        own = parse_verbs(cell.text, m, 0, len(m))
        if own and all(f.role in ROLE_FIELDS for f in own) and all(looks_like_units(f.text) for f in own):
            return [Field(f.role, f.text, f.start + cell.start) for f in own]
    return [Field(role, cell.text, cell.start)]


_BOX_CHARS = "│┃║"


def _is_boxed(text: str, row: Row) -> bool:
    """Is the row drawn with box characters (its cells wrap line by line)?

    The row's own span may hold only its task cell, so the whole line it stands on
    is looked at.
    """
    start = text.rfind("\n", 0, row.start) + 1
    end = text.find("\n", row.end)
    line = text[start:end if end >= 0 else len(text)]
    return any(ch in line for ch in _BOX_CHARS)
_OWN_ROLES = (*ROLE_FIELDS, "deadline")


_ENUMERATED = regex.compile(r"\s*(?:\d{1,3}[.、．]|[(（]\d{1,3}[)）]|[①-⑳])")


def _sub_rows(text: str, row: Row) -> list[Row]:
    """Sub-rows under one number that each carry their own task, units or deadline.

    A progress table may list several items under one 序号 (9 | item a | unit | …, then
    item b | unit | … without a number). Each item that brings a unit or deadline cell
    of its own is a task; the cells it lacks (a unit cell merged down the rows) come
    from the first item. A task cell with nothing of its own is wrapped text and stays
    with the item above it. Box-drawn tables wrap every column line by line, so their
    rows are never split.
    """
    tasks = row.cells.get("task", [])
    if len(tasks) < 2 or _is_boxed(text, row):
        return [row]
    if not any(_ENUMERATED.match(c.text) for c in tasks[1:]):
        # 9 | 深化…改革 | 完成参保6300人 | 区人社局 … then 完成征缴基金… | 区人社局 …: targets
        # under one numbered project without numbers of their own are that project's
        # rows; the project is the task and their units are gathered on it.
        return [row]
    cells = sorted(((c.start, role, c) for role, cs in row.cells.items() for c in cs), key=lambda x: x[0])
    groups: list[dict[str, list[Cell]]] = []
    shared: dict[str, list[Cell]] = {}
    for _, role, cell in cells:
        if role == "task":
            groups.append({"task": [cell]})
        elif groups:
            groups[-1].setdefault(role, []).append(cell)
        else:
            shared.setdefault(role, []).append(cell)
    merged: list[dict[str, list[Cell]]] = []
    for g in groups:
        if merged and not any(r in g for r in _OWN_ROLES):
            for role, cs in g.items():
                merged[-1].setdefault(role, []).extend(cs)
        else:
            merged.append(g)
    heading: Cell | None = None
    if len(merged) >= 2 and not any(r in merged[0] for r in _OWN_ROLES):
        # 9 | 深化…改革 | (nothing) then items with their own units: the first task
        # cell names the project the items belong to, as a section of theirs.
        heading = merged[0]["task"][0]
        merged = merged[1:]
    if len(merged) < 2 and heading is None:
        return [row]
    first = merged[0]
    out = []
    for k, g in enumerate(merged):
        cells_k = {**shared, **{r: first[r] for r in _OWN_ROLES if r in first and r not in g}, **g}
        start = min(c.start for cs in g.values() for c in cs) if k else row.start
        nxt = merged[k + 1] if k + 1 < len(merged) else None
        end = min(c.start for cs in nxt.values() for c in cs) if nxt else row.end
        out.append(Row(kind="task", cells=cells_k, start=start, end=end, title=heading or row.title, group=row.group))
    return out


_ATTACHMENT_LINE = regex.compile(r"(?m)^[ \t]*附件[ \t]*\d{0,2}[ \t]*:?[ \t]*[\p{Han}\d][^\n]{0,80}$")
"""附件:2033年十件实事进度计划表 on a line of its own: the caption of the attachment that follows."""


def _attachment(text: str, mtext: str, anchor: Heading | None, start: int) -> bool:
    """Does a 附件 line stand between the table's heading and the table? The table is then
    that attachment, under no heading of the document before it (the gold of real notices
    gives such rows no section: the 附件 line is a caption, not a numbered heading)."""
    if anchor is None or mtext.find("附件", anchor.line.end, start) < 0:
        return False
    return _ATTACHMENT_LINE.search(mtext, anchor.line.end, start) is not None


def _items_of(text: str, mtext: str, table: Table, outline: Outline, starts: list[int]) -> list[Item]:
    anchor = _anchor(outline, table.start, starts)
    if _attachment(text, mtext, anchor, table.start):
        anchor = None  # the attachment is no part of the section before it, nor a section itself
    path: list[str] = []
    items: list[Item] = []
    above: dict[str, list[Cell]] = {}  # the unit and deadline cells of the last row that had them
    for row in table.rows:
        if row.kind == "section":
            title = row.title
            path = [heading_label(text, mtext, title.start, title.end)] if title is not None and title.text else []
            above = {}
            continue
        carried = _carry_down(row, above, table.columns)
        unassigned = not row.cells.get("number") and not any(
            c.end > c.start for role in (*ROLE_FIELDS, "deadline") for c in row.cells.get(role, []))
        if unassigned and (kind := _not_a_task_row(mtext, row, not items)) is not None:
            if kind == "section":  # 一、社保惠民 | 社保惠民5个项目合计 | …: a category row heads the rows below
                cell = row.cells["task"][0]
                path = [heading_label(text, mtext, cell.start, cell.end)]
            continue
        subs = _sub_rows(text, row)
        for k, sub in enumerate(subs, 1):
            item = _row_item(text, sub, path, anchor, table.labels)
            if item is None:
                continue
            if carried:
                item.warnings.append(CARRIED_NOTE)
            if (len(subs) > 1 or sub.title is not row.title) and item.number:
                item.id_hint = f"{item.number}-{k}"
                project = sub.title
                if project is not None and project is not row.title and project.text:
                    item.extra_path.append(f"{item.number} {project.text}")
            elif item.number is None and items and items[-1].number and items[-1].source == "table":
                _continue_numbered(items, item)
            items.append(item)
    return items


_CARRIED = (*ROLE_FIELDS, "leader", "deadline")
CARRIED_NOTE = "units carried down from a merged cell in the row above"


def _carry_down(row: Row, above: dict[str, list[Cell]], columns: list[str]) -> bool:
    """A numbered row with no cell at all in any unit column, under a row that had them:
    a merged cell (one unit over several rows) that the flattened page wrote once, in the
    first row it spans (1 | 新增老年食堂 | 区民政局 | 11月底前 …, then 2 | 新增床位 | 10月底前 …).
    The row takes the cells above in the columns it lacks; True when it did. Each row's own
    cells are kept in ``above`` for the rows below."""
    carry = (bool(row.cells.get("number")) and not row.cut and bool(above)
             and not any(role in row.cells for role in ROLE_FIELDS)
             and any(role in columns for role in ROLE_FIELDS))
    if carry:
        for role, cells in above.items():
            row.cells.setdefault(role, cells)
    above.update((role, row.cells[role]) for role in _CARRIED if role in row.cells)
    return carry


_TOTALS = regex.compile(r"(?:合计|总计|小计|共计)")
_CHAPTER = regex.compile(r"[一二三四五六七八九十]{1,3}、\S")


def _not_a_task_row(mtext: str, row: Row, first: bool) -> str | None:
    """Why a row that names no number, unit or deadline is no task: "total" (合计:11大类56个
    项目 | 511210 | …), "section" (一、社保惠民 | …: its category's rows follow), "header"
    (完成投资 | 完成率 | 实施情况: the header's second line, so only before the ``first``
    task row); None for any other row."""
    cells = [c for cs in row.cells.values() for c in cs if c.end > c.start and c.text.strip()]
    task = [c for c in row.cells.get("task", []) if c.end > c.start]
    if not task or not cells:
        return None
    words = mtext[task[0].start : task[0].end].strip()
    if _TOTALS.match(words):
        return "total"
    if _CHAPTER.match(words) and len(words) <= _CATEGORY_CHARS:
        return "section"
    if first and all(header_role(mtext[c.start : c.end]) is not None for c in cells):
        return "header"
    return None


_CATEGORY_CHARS = 20
"""A category row's first cell is a short title (一、社保惠民), not a numbered task's sentence."""


def _continue_numbered(items: list[Item], item: Item) -> None:
    """A row without a number right under a numbered one is its sub-row (9-1, 9-2 …).

    It takes the number, and the unit or deadline fields it leaves empty (a cell merged
    down the rows), from the row above.
    """
    prev = items[-1]
    base = prev.number
    k = 2
    if prev.id_hint and prev.id_hint.startswith(f"{base}-"):
        k = int(prev.id_hint.rsplit("-", 1)[1]) + 1
    else:
        prev.id_hint = f"{base}-1"
    item.number = base
    item.id_hint = f"{base}-{k}"
    have = {f.role for f in item.fields}
    item.fields = [*item.fields, *(f for f in prev.fields if f.role not in have)]


_CUT_TAIL = 4
"""At most this many characters after a table's last row: the page was cut there."""


_CUT_TASK_WORDS = 8
"""A cut last row keeps its place as a task when its number and this many words of it remain."""


def _drop_cut_last_row(text: str, tables: list[Table]) -> None:
    """A last row with no unit and no deadline where the text ends was cut off by the page.

    A numbered row with words of its own is still a task (GOLD_FORMAT), marked cut; what is
    left of anything else (a share bar, a stray cell) is dropped. Any other row without
    units stays a task (an empty cell is the notice's own omission).
    """
    rows = [r for r in tables[-1].rows if r.kind == "task"]
    if not rows or len("".join(text[rows[-1].end:].split()).replace("|", "")) > _CUT_TAIL:
        return
    last = rows[-1]
    if last.cut and any(c.text.strip() for c in last.cells.get("task", [])):
        return  # the page cut it after its task cell: a task (GOLD_FORMAT), which says it was cut
    if any(c.end > c.start for role in _OWN_ROLES for c in last.cells.get(role, [])):
        return
    if last.cells.get("number") and sum(len(c.text) for c in last.cells.get("task", [])) >= _CUT_TASK_WORDS:
        last.cut = True  # a numbered row whose words the page cut before its units: still a task, said so
        return
    tables[-1].rows.remove(last)


def table_items(text: str, mtext: str, lines: list[Line], outline: Outline) -> tuple[list[Item], set[int]]:
    """Items of every task table, and the indices of the lines the tables cover."""
    tables = find_tables(text, lines, mtext)
    if not tables:
        return [], set()
    items: list[Item] = []
    covered: set[int] = set()
    _drop_cut_last_row(text, tables)
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
