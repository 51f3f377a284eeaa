"""Task tables inside notice text, turned into rows of typed cells.

A 分解表 reaches us in one of several flat shapes (see parser/document.py for what the
readers write):

* pipe rows: ``序号 | 重点任务 | 牵头单位 | 完成时限`` then one line per row;
* stacked cells: one cell per line (web pages copied cell by cell), each optionally
  followed by a lone ``|`` line or ending in `` |``;
* space-separated rows under a space-separated header;
* box-drawing tables (parser/boxtable.py).

The header names the columns: a header cell is matched by the longest label of
parser/data/labels.json it contains. Body cells are then placed by *content*, not by
count, because flattened tables lose empty cells and split multi-line cells into several
lines: every piece of text gets a kind (number, unit list, deadline, person name, long
text …) and a small dynamic programme puts the pieces of a row into the header's columns
in order, maximising how well each kind fits each column. The same alignment serves all
flat shapes, so a quirk fixed once is fixed for all.

Sub-rows without their own number (a second item under one 序号) continue the previous
task: their cells are appended to that row's cells in their roles (the task stage sees
two task Cells and two deadline Cells and may split them), rather than inventing a task
number the notice does not have.

Everything here is linear in the input: lines are scanned once, cells per row are capped
(MAX_CELLS) and the alignment is O(pieces x columns²) per row with both bounded.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import regex

from parser.boxtable import BoxGrid, Piece, Region, find_box_grids
from parser.data import load_json
from parser.lines import Line
from parser.meta import closing_signature, is_portal_line
from parser.textnorm import match_text

ROLES = ("number", "group", "task", "lead", "responsible", "cooperating", "deadline", "leader", "progress")
UNIT_ROLES = frozenset({"lead", "responsible", "cooperating"})
FIELD_ROLES = ("progress", "other")
"""Column roles kept as labelled task fields, in the order the fields are written."""
LABELLED_ROLES = (*FIELD_ROLES, "leader")
"""Column roles whose header texts are kept: the fields' labels, and the persons' roles (负责人)."""
MAX_CELLS = 40
"""A pipe line with more cells than this is not a table row."""
MAX_HEADER_CELL = 16
"""A header cell is short: longer text is content even when it contains a label."""
_SPACE = " \t\u3000\xa0"


@dataclass(slots=True)
class Cell:
    """Text of one cell on one physical line; ``text == notice_text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Row:
    kind: str
    """"task" or "section"."""
    cells: dict[str, list[Cell]]
    """Role -> cells, in text order; several Cells when the cell spans several lines."""
    start: int
    end: int
    title: Cell | None = None
    """For section rows: the heading text."""
    group: Cell | None = None
    """The grouping column's value (first of two adjacent task-like columns), carried down."""
    cut: bool = False
    """The text ends inside this row: its right-hand cells are missing."""


@dataclass(slots=True)
class Table:
    start: int
    end: int
    columns: list[str]
    """Role of each column; "group" for a grouping column, "other" when unrecognised."""
    header_start: int
    header_end: int
    rows: list[Row] = field(default_factory=list)
    labels: dict[str, list[str]] = field(default_factory=dict)
    """Header text of the columns whose values are kept as task fields (progress, other),
    by role, one per column in column order."""

    headers: list[str] = field(default_factory=list)
    """Header text of each column, where the reader kept it."""

    def name_columns(self, texts: Sequence[str]) -> None:
        """Keep the header texts of the field columns (``texts`` one per column)."""
        self.headers = ["".join(t.split()) for t in texts]
        for role, written in zip(self.columns, texts, strict=False):
            label = "".join(written.split())
            if role in LABELLED_ROLES and label:
                self.labels.setdefault(role, []).append(label)


# ---------------------------------------------------------------- vocabulary


@cache
def _labels() -> tuple[tuple[str, str], ...]:
    """(label, role) pairs, longest label first, so 牵头责任单位 wins over 责任单位."""
    data = load_json("labels.json")
    pairs = [(label, role) for role in ROLES for label in data.get(role, [])]
    # 任务分工, 责任分工: a column of units, each cell saying its roles or none (responsible)
    pairs += [(label, "responsible") for label in data.get("assignment", [])]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def _unit_suffixes() -> tuple[str, ...]:
    return tuple(sorted(load_json("unit_words.json")["body_suffixes"], key=len, reverse=True))


@cache
def surnames() -> frozenset[str]:
    """Family names, for telling a person's name from a body's."""
    return frozenset(load_json("unit_words.json")["surnames"])


@cache
def _not_person_words() -> tuple[str, ...]:
    return tuple(load_json("unit_words.json")["not_person_words"])


@cache
def _deadline_words() -> tuple[str, ...]:
    data = load_json("deadline_words.json")
    words: list[str] = []
    for key in ("ongoing", "long_term", "follow_upstream", "conditional"):
        words.extend(data.get(key, []))
    return tuple(words)


@cache
def _deadline_rule() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = load_json("deadline_words.json")
    return tuple(data.get("rule_lead", [])), tuple(data.get("conditional_heads", []))


@cache
def _markers() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """(section heading marker, task number marker) from outline_markers.json."""
    kinds = {k["kind"]: k["pattern"] for k in load_json("outline_markers.json")["kinds"]}
    section = regex.compile("(?:" + kinds["cn"] + "|" + kinds["paren_cn"] + ")")
    number = regex.compile("(?:" + kinds["num"] + "|" + kinds["paren_num"] + "|" + kinds["num_dot"] + ")")
    return section, number


_DATE = regex.compile(
    r"\d{1,2}\s*月|\d{4}\s*年|年底|年内|全年|年前|底前|月前|日前|季度|上半年|下半年|(?<![一二三四五六七八九十])[一二三四五六七八九十]+月|\d{4}[.\-/]\d{1,2}"  # lookbehind: a 1 MB run of 一 was rescanned from every position
)
_NUM = regex.compile(r"\d{1,4}[.、]?")
_PCT = regex.compile(r"\d+(?:\.\d+)?\s*%")
_HAN = regex.compile(r"\p{Han}+")
_DIGIT = regex.compile(r"\d")
_SEPARATORS = regex.compile(r"[、,;/\s]+")
_BRACKET_TAIL = regex.compile(r"\([^()]{0,30}\)$")


# ---------------------------------------------------------------- header cells


@cache
def _label_pattern() -> tuple[regex.Pattern[str], dict[str, str]]:
    """One alternation of every label, longest first, and label -> role."""
    pairs = _labels()
    roles: dict[str, str] = {}
    for label, role in pairs:
        roles.setdefault(label, role)
    pattern = regex.compile("|".join(regex.escape(label) for label, _ in pairs))
    return pattern, roles


_DROP_SPACE_PIPE = str.maketrans(dict.fromkeys(_SPACE + "|"))


def _spaces_and_pipes(mtext: str) -> int:
    """How many characters of ``_SPACE`` and "|" ``mtext`` holds (unrolled: no generator per line)."""
    return mtext.count(" ") + mtext.count("|") + mtext.count("\t") + mtext.count("\u3000") + mtext.count("\xa0")


def header_role(mtext: str) -> str | None:
    """Role named by a header cell (match text), or None when the cell is no label."""
    if ":" in mtext:
        return None  # 牵头单位:市发改委 is a field with its value, not a header cell
    if len(mtext) > MAX_HEADER_CELL and len(mtext) - _spaces_and_pipes(mtext) > MAX_HEADER_CELL:
        return None  # even without its spaces it cannot fit a header cell
    compact = mtext.translate(_DROP_SPACE_PIPE)
    if not compact or len(compact) > MAX_HEADER_CELL or compact[-1] in "。;":
        return None
    hit = _label_span_in(compact)
    if hit is None and (bare := _without_inner_note(compact)) is not None:
        compact = bare  # 完成投(筹)资: a short note inside the label
        hit = _label_span_in(compact)
    if hit is not None:
        if hit[2] == "task" and compact[hit[0] : hit[1]] in _task_names():
            return "task_name"  # 项目名称: see _header_columns
        return hit[2]
    bare = _TRAILING_NOTE.sub("", compact)  # 落实科室(部门), 投资(万元): the bracket qualifies the label
    return _unit_column(bare) if bare else None


_TRAILING_NOTE = regex.compile(r"\([^()]{1,6}\)$")


def _without_inner_note(compact: str) -> str | None:
    """完成投(筹)资 → 完成投资: a note of one or two characters inside a word; None when there
    is none (a marker opening the cell, (一)总体要求, is no note)."""
    opened = compact.find("(", 1)
    if opened < 0:
        return None
    closed = compact.find(")", opened + 2, opened + 4)
    return compact[:opened] + compact[closed + 1 :] if closed > 0 else None


@cache
def _field_words() -> frozenset[str]:
    return frozenset(load_json("labels.json")["fields"])


def _unit_column(compact: str) -> str | None:
    """A header cell the vocabulary lacks that names bodies (负责部门, 承担处室): a column
    of units, read as responsible; a known non-role label (数据提供单位) is not."""
    if len(compact) > _UNIT_HEADER or compact in _field_words():
        return None
    return "responsible" if compact.endswith(("单位", "部门", "科室", "处室", "主体")) else None


_UNIT_HEADER = 6


def _coverage(cell: str) -> float:
    """Share of a header cell taken by its label: a header cell is mostly label."""
    compact = "".join(ch for ch in match_text(cell) if ch not in _SPACE)
    hit = _label_span_in(compact)
    return (hit[1] - hit[0]) / len(compact) if hit and compact else 0.0


def _label_span_in(compact: str) -> tuple[int, int, str] | None:
    """The longest label inside ``compact`` as (start, end, role); on ties the last one, as
    a Chinese compound's head comes last (一季度重点工作完成情况 is a progress column)."""
    pattern, roles = _label_pattern()
    best = None
    for m in pattern.finditer(compact, overlapped=True):
        if best is None or len(m.group()) >= best[1] - best[0]:
            best = (m.start(), m.end(), roles[m.group()])
    return best


@cache
def _task_names() -> frozenset[str]:
    return frozenset(load_json("labels.json")["task_name"])


def _name_column_is_the_task(roles: Sequence[str | None]) -> list[str | None]:
    """A column that names the task (项目名称) is the task column: the other task-like
    columns beside it (项目内容, 工作举措, 目标任务) describe it and are kept as fields."""
    out = list(roles)
    if "task_name" not in out:
        return out
    at = out.index("task_name")
    out = [("task" if i == at else "other") if r in ("task", "task_name") else r for i, r in enumerate(out)]
    if at >= 1 and out[at - 1] is None and (at == 1 or out[at - 2] == "number"):
        out[at - 1] = "group"  # 序号 | 事项分类 | 事项名称: the unnamed column between them groups the rows
    return out


def _core_columns(found: list[str]) -> bool:
    """序号, the task and a unit column named: a task table, whatever its other columns
    (问题与困难, 下一步工作打算) are called."""
    return "number" in found and "task" in found and any(r in UNIT_ROLES for r in found)


def _header_columns(roles: Sequence[str | None]) -> list[str] | None:
    """Column roles of a header, or None when it is not a task-table header.

    Two adjacent task-like columns are (group, task); a later, separate task-like column
    is an ordinary data column ("other").
    """
    roles = _name_column_is_the_task(roles)
    found = [r for r in roles if r is not None]
    if len(found) < 2 or len(set(found)) < 2:
        return None
    if not any(r == "task" or r in UNIT_ROLES for r in found):
        return None
    if len(found) < 0.6 * len(roles) and not _core_columns(found):
        return None
    cols = [r or "other" for r in roles]
    if "task" not in cols:
        # No header cell reads as the task column (内容与要求, 事项): the first unnamed
        # column before the unit columns holds the task's words.
        first_unit = min(i for i, r in enumerate(cols) if r in UNIT_ROLES)
        unnamed = [i for i in range(first_unit) if roles[i] is None]
        if unnamed:
            cols[unnamed[0]] = "task"
    task_at = [i for i, r in enumerate(cols) if r == "task"]
    if len(task_at) >= 2:
        first = task_at[0]
        if task_at[1] == first + 1:
            cols[first] = "group"
            keep = first + 1
        else:
            keep = first
        for i in task_at:
            if i > keep:
                cols[i] = "other"
    return cols


# ---------------------------------------------------------------- content kinds


@cache
def _action_openers() -> tuple[str, ...]:
    return tuple(sorted(load_json("unit_words.json")["action_openers"], key=len, reverse=True))


def _opens_with_action(item: str) -> bool:
    """新(改)建村卫生室: a task's words that happen to end like a body (see unit_words.json)."""
    for verb in _action_openers():
        if item.startswith(verb):
            return len(item) - len(verb) >= 3
    return False


def _is_unit_item(item: str) -> bool:
    # ★区发改局, 区发改局*: a lead's mark; …管委会等: the list's closing 等
    item = _BRACKET_TAIL.sub("", item.strip(lead_marks()).removesuffix("等"))
    # Digits mark a quantity (2所, 20场), not an office.
    return (bool(item) and len(item) <= 18 and not _DIGIT.search(item) and item.endswith(_unit_suffixes())
            and not _opens_with_action(item))


@cache
def lead_marks() -> str:
    """Marks written before or after a unit's name to say it leads (conventions.json)."""
    return "".join(load_json("conventions.json")["lead_marks"])


_INNER_BRACKETS = regex.compile(r"\([^()]{1,30}\)")
_DUTY_TAIL = regex.compile(r"(?:按照?(?:各自)?职责(?:分工)?|分别)?(?:负责|落实|配合|牵头|办理|实施){1,3}[。;]?$")
"""各科室、医保中心按职责分工落实 / 市金融办、银监分局分别牵头落实: a unit cell may close
with the verb of its duty."""


def _is_unit(m: str) -> bool:
    if len(m) > 160:
        return False
    m = _DUTY_TAIL.sub("", m) if len(m) > 4 else m
    if not m or m.endswith("。"):
        return False
    # 区税务局,各镇(街道、园区): a separator inside brackets splits no item.
    items = [it for it in _SEPARATORS.split(_INNER_BRACKETS.sub("", m) if "(" in m else m) if it]
    if not items:
        return False
    if not _is_unit_item(items[-1]):
        # …、市供销社,各县(市、区) cut by the page's end: a long list of bodies stays one
        # whatever its last piece is
        return len(items) >= _CUT_LIST and all(_is_unit_item(it) for it in items[:-1])
    return sum(_is_unit_item(it) for it in items) >= 0.6 * len(items)


_CUT_LIST = 4
"""Bodies enough before a last piece that is none for the cell to still be a unit list."""


def _is_name(m: str) -> bool:
    """A person's name (or several, space separated): 2-4 Han per name, known surname."""
    parts = [p for p in m.split() if p]
    compact = "".join(parts)
    if not 2 <= len(compact) <= 12 or not _HAN.fullmatch(compact) or compact[0] not in surnames():
        return False
    if compact.endswith(_unit_suffixes()):
        return False
    return all(len(p) <= 4 for p in parts)


@cache
def _status_words() -> frozenset[str]:
    return frozenset(load_json("deadline_words.json").get("status_words", []))


_DEADLINE_WORD_REST = 6
"""At most this many characters beside a deadline word (持续推进) in a deadline cell."""


def _is_deadline(m: str) -> bool:
    if len(m) > 24 or m.endswith("。") or m.strip(" 。.") in _status_words():
        return False  # a progress evaluation (按时序推进) alone in a cell is a status
    if _DATE.search(m) or any(w in m and len(m) - len(w) <= _DEADLINE_WORD_REST for w in _deadline_words()):
        return True  # 长期推进, 常态化推进: the word fills the cell (做好常态化疫情防控信息发布 is a task)
    leads, heads = _deadline_rule()
    return m.startswith(leads) and any(h in m for h in heads) if leads else False


def kind_of(m: str) -> str:
    """Kind of a cell's match text: what column it can belong to."""
    if not m:
        return "empty"
    if _NUM.fullmatch(m):
        return "num"
    if _PCT.match(m):
        return "pct"
    section, _ = _markers()
    if section.match(m) and len(m) <= 80 and not m.endswith("。"):
        return "section"
    if _is_unit(m):
        return "unit"
    if _is_deadline(m):
        return "deadline"
    if _is_name(m):
        return "name"
    if m[:1] in _CIRCLED:
        return "listed"  # ①…②… one of several items a progress cell lists, never a row's task
    if len(m) >= 12 or m.endswith(("。", ";")):
        return "text"
    return "short"


_CIRCLED = frozenset("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")


_SCORES: dict[str, dict[str, float]] = {
    "number": {"num": 4},
    "task": {"text": 3, "short": 1, "section": 0.5, "unit": -1.5, "name": -2, "num": -3, "deadline": -1.5, "pct": -2,
             "listed": -2},
    "unit": {"unit": 3, "short": 0.5, "name": 0, "text": -2, "num": -3, "deadline": -2, "pct": -2, "section": -2},
    "deadline": {"deadline": 3, "short": 0, "text": -1, "unit": -2, "name": -2, "num": -2, "pct": -0.5, "section": -2},
    "leader": {"name": 3, "short": 0.5, "unit": -1, "text": -2, "num": -3, "deadline": -2, "pct": -2, "section": -2},
    # A category (打造区域教育高地, “医”心为民工程): a short phrase, written once per group.
    "group": {"short": 2, "section": 1, "text": -0.5, "unit": -2, "name": -1, "num": -3, "deadline": -2, "pct": -2},
    "other": {"text": 1, "pct": 2, "deadline": 0.5, "short": 0.5, "unit": 0, "name": 0, "num": -0.5, "section": -1,
              "listed": 2},
}
_STAY: dict[str, dict[str, float]] = {
    "number": {},
    "task": {"text": 0.5, "short": 0, "section": -1, "empty": 0},
    "unit": {"unit": 2, "short": 0, "empty": 0},
    "deadline": {"deadline": 0.5, "short": -1, "empty": 0},
    "leader": {"name": 1.5, "short": -1, "empty": 0},
    "group": {"short": -1, "text": -1, "empty": 0},
    "other": {"text": 0, "pct": 0, "short": 0, "deadline": 0, "empty": 0, "unit": -0.5, "listed": 1},
}


def _family(role: str) -> str:
    if role in UNIT_ROLES:
        return "unit"
    if role == "progress":
        return "other"
    return role if role in _SCORES else "other"


def _fit(kind: str, role: str) -> float:
    if kind == "empty":
        return 0.0
    return _SCORES[_family(role)].get(kind, -4.0)


def _stay(kind: str, role: str) -> float:
    return _STAY[_family(role)].get(kind, -3.0)


# ---------------------------------------------------------------- tokens and alignment


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    kind: str


_TOK_SPACE = _SPACE + "\n\r"  # a cell of a row joined from one-cell lines (``_join_pipe_stream``)


def _tok(text: str, mtext: str, start: int, end: int) -> _Tok:
    """A token from a slice, stripped of white space and stray pipes."""
    s, e = 0, len(text)
    while s < e and (text[s] in _TOK_SPACE or mtext[s] == "|"):
        s += 1
    while e > s and (text[e - 1] in _TOK_SPACE or mtext[e - 1] == "|"):
        e -= 1
    return _Tok(text[s:e], start + s, start + e, kind_of(mtext[s:e]))


_SKIP_PENALTY = 0.3
_SKIP_TASK_PENALTY = 4.0
"""A row without its task text is implausible: skipping the task column costs more."""
_RESTART_PENALTY = 2.5
_NEG = -1e18


def _align(toks: Sequence[_Tok], roles: Sequence[str], restart: int | None) -> list[int]:
    """Column index for each token, in order (monotone, with restarts at ``restart``).

    dp over (token, column): a token either stays in the previous token's column (a
    wrapped or multi-line cell), moves right (skipped columns are lost cells), or —
    for a sub-row under the same number — restarts at the task column.
    """
    n, cols = len(toks), len(roles)
    if n == 0 or cols == 0:
        return []
    skip = [_SKIP_TASK_PENALTY if r == "task" else _SKIP_PENALTY for r in roles]
    before = [0.0] * (cols + 1)
    for j in range(cols):
        before[j + 1] = before[j] + skip[j]

    def gap(a: int, b: int) -> float:
        """Cost of skipping the columns strictly between a and b."""
        return before[b] - before[a + 1] if b > a + 1 else 0.0

    best = [_fit(toks[0].kind, roles[j]) - before[j] for j in range(cols)]
    back: list[list[int]] = [[-1] * cols]
    for i in range(1, n):
        kind = toks[i].kind
        fits = [_fit(kind, r) for r in roles]
        new = [_NEG] * cols
        ptr = [-1] * cols
        for j in range(cols):
            if best[j] <= _NEG:
                continue
            # A tiny bias towards moving on early: of two equal readings, the later
            # column gets the extra line (a lead cell rarely wraps, a list cell does).
            stay = best[j] + _stay(kind, roles[j]) - 0.01 * (cols - j)
            if stay > new[j]:
                new[j], ptr[j] = stay, j
            for k in range(j + 1, cols):
                val = best[j] + fits[k] - gap(j, k)
                if val > new[k]:
                    new[k], ptr[k] = val, j
            if restart is not None and j > restart:
                val = best[j] + fits[restart] - _RESTART_PENALTY
                if val > new[restart]:
                    new[restart], ptr[restart] = val, j
        best = new
        back.append(ptr)
    j = max(range(cols), key=lambda c: best[c])
    out = [0] * n
    for i in range(n - 1, -1, -1):
        out[i] = j
        j = back[i][j]
    return out


def _cell(t: _Tok) -> Cell:
    return Cell(t.text, t.start, t.end)


def _task_row(pairs: Iterable[tuple[str, _Tok]], group: Cell | None) -> Row | None:
    cells: dict[str, list[Cell]] = {}
    spans: list[int] = []
    for role, t in pairs:
        if role == "group":
            group = _cell(t) if t.text else group
            continue
        cells.setdefault(role if role in ROLES else "other", []).append(_cell(t))
        if t.text:
            spans += [t.start, t.end]
    if not cells.get("task") or not any(c.text for c in cells["task"]) or not spans:
        return None
    return Row("task", cells, min(spans), max(spans), None, group)


def _section_row(t: _Tok) -> Row:
    return Row("section", {}, t.start, t.end, _cell(t), None)


# ---------------------------------------------------------------- pipe rows


def _split_pipes(line: Line) -> list[_Tok] | None:
    """Cells of a pipe line (leading/trailing pipe dropped); None when not a pipe row."""
    m = line.mtext
    if "|" not in m:
        return None
    cuts = [-1]
    for i, ch in enumerate(m):
        if ch == "|":
            cuts.append(i)
            if len(cuts) > MAX_CELLS + 2:
                return None
    cuts.append(len(m))
    toks = [_tok(line.text[a + 1 : b], m[a + 1 : b], line.start + a + 1, line.start + b)
            for a, b in itertools.pairwise(cuts)]
    if m.startswith("|") and toks and not toks[0].text:
        toks.pop(0)
    if m.endswith("|") and toks and not toks[-1].text:
        toks.pop()
    return toks


def _pipe_header(line: Line) -> list[str] | None:
    toks = _split_pipes(line)
    if not toks or len(toks) < 2 or sum(bool(t.text) for t in toks) < 2:
        return None
    return _header_columns([header_role(line.mtext[t.start - line.start : t.end - line.start]) for t in toks])


def _first_task_col(cols: Sequence[str]) -> int | None:
    return cols.index("task") if "task" in cols else None


def _cut_row(lines: list[Line], i: int) -> bool:
    """Does the text end inside row ``i``: the last line, without the closing pipe the row
    before it has (a table written without closing pipes cannot tell)."""
    return (i == len(lines) - 1 and i > 0 and not lines[i].mtext.rstrip().endswith("|")
            and lines[i - 1].mtext.rstrip().endswith("|"))


def _row_from_cells(toks: list[_Tok], cols: list[str], group: Cell | None, cut: bool = False) -> Row | None:
    """The row of one line's cells. ``cut``: the text ends inside this row, so the cells it
    lacks are the right-hand ones and the rest stand in their columns from the left."""
    filled = [t for t in toks if t.text]
    if len(filled) == 1 and filled[0].kind != "num":
        return _section_row(filled[0])
    if cut and len(toks) < len(cols):
        # From the left, or from the number column when the row opens with its number (a
        # merged first column, such as a category, is empty on the rows under its first).
        at = cols.index("number") if toks and toks[0].kind == "num" and "number" in cols else 0
        row = _task_row(zip(cols[at:], toks, strict=False), group)
        if row is not None:
            row.cut = True
        return row
    while toks and not toks[-1].text and len(toks) > 1:
        # Empty cells at the end: a row shifted left under a merged first column
        # (3.及时反馈… | 各科室 | |) is placed by what its cells look like, not by position.
        toks = toks[:-1]
    if len(toks) == len(cols):
        return _task_row(zip(cols, toks, strict=True), group)
    where = _align_row(toks, cols, _first_task_col(cols))
    return _task_row(((cols[j], t) for j, t in zip(where, toks, strict=True)), group)


def _merge_header_rows(upper: list[str], lower: list[str]) -> list[str]:
    """Column roles of a two-line header: the lower line names the sub-columns."""
    return [lo if lo != "other" else up for up, lo in zip(upper, lower, strict=True)]


def _header_continues(toks: list[_Tok], line: Line) -> bool:
    """Is this pipe line the rest of a header cut by a line wrap (…| 1-8月实际完成情况 |
    then 任务完成率 | 备注 |)? Every filled cell names a column, and the line does not
    start with a number (a data row would)."""
    filled = [t for t in toks if t.text]
    if len(filled) < 2 or filled[0].kind in ("num", "section") or _pipe_header(line) is not None:
        return False  # one filled cell is a section row (一、主要预期目标 | |||)
    return all(header_role(match_text(t.text)) is not None for t in filled)


def _is_separator(line: Line) -> bool:
    return not line.mtext.strip("|" + _SPACE)


def _pipe_tables(lines: list[Line], used: set[int]) -> list[Table]:
    tables: list[Table] = []
    i, n = 0, len(lines)
    while i < n:
        # Without a pipe a line is neither a pipe header nor a headerless row.
        if "|" not in lines[i].mtext or i in used or _is_separator(lines[i]):
            i += 1
            continue
        cols = _pipe_header(lines[i])
        if cols is not None:
            table = Table(lines[i].start, lines[i].end, cols, lines[i].start, lines[i].end)
            table.name_columns([t.text for t in _split_pipes(lines[i]) or []])
            used.add(i)
            i = _pipe_body(lines, i + 1, table, used)
            if table.rows:
                tables.append(table)
            continue
        run = _headerless_run(lines, i, used)
        if run is not None:
            stop, cols = run
            if tables and tables[-1].end < lines[i].start and len(tables[-1].columns) == len(cols[0]):
                table = tables[-1]  # a page break: the rows continue the previous table
            elif cols[1] is not None:
                table = Table(lines[i].start, lines[i].end, cols[1], lines[i].start, lines[i].start)
                tables.append(table)
            else:
                i = stop
                continue
            i = _pipe_body(lines, i, table, used)
            continue
        i += 1
    return [t for t in tables if t.rows]


def _pipe_tables_of(text: str, lines: list[Line], used: set[int]) -> list[Table]:
    """Pipe tables, whether each row stands on its line or the row was flattened one
    cell per line with the pipes on lines of their own (| / 序号 / | / 工作任务 / | / | / 1 …).

    The second form is read by joining each row's lines into one line (a row ends where
    two pipe lines meet: the closing pipe of one row and the opening pipe of the next),
    so both forms go through the same pipe reader; the lines a table used are then marked
    in ``used`` by their original positions.
    """
    rows, origin = _join_pipe_stream(text, lines)
    if rows is lines:
        return _pipe_tables(lines, used)
    before = {k for k, orig in enumerate(origin) if any(o in used for o in orig)}
    tables = [t for t in _pipe_tables(rows, set(before)) if _regular(t, rows)]
    if not tables:
        # Whole rows on their lines, each followed by a line holding its closing pipe
        # (1 | 做好… | 疾控处 | 长期推进 | / |): no stream, the lines are the rows.
        return _pipe_tables(lines, used)
    for k, row in enumerate(rows):
        if any(t.start <= row.start and row.end <= t.end for t in tables):
            used.update(origin[k])
    return tables


def _regular(table: Table, rows: list[Line]) -> bool:
    """Did the joined rows come out as the header's width? Where a stream's row ends are
    not marked by two pipe lines the join guesses wrong; its lines are then left to the
    one-cell-per-line reader, which aligns cells by what they look like."""
    width = len(table.columns)
    widths = [len(toks) for r in rows if table.header_end < r.start and r.end <= table.end
              for toks in [_split_pipes(r) or []] if len(toks) > 1]
    return bool(widths) and sum(w == width for w in widths) >= 0.6 * len(widths)


_STREAM_MIN_PIPES = 6


def _join_pipe_stream(text: str, lines: list[Line]) -> tuple[list[Line], list[list[int]]]:
    """``lines`` with each one-cell-per-line pipe row joined into one line, and for each
    resulting line the positions of the lines it was made from. Returns ``lines`` itself
    when the notice has no such run."""
    bare = [not ln.mtext.strip("|" + _SPACE) for ln in lines]  # "|", "||||": separators only
    if sum(bare) < _STREAM_MIN_PIPES:
        return lines, []
    out: list[Line] = []
    origin: list[list[int]] = []
    i, n = 0, len(lines)
    while i < n:
        if not bare[i]:
            out.append(lines[i])
            origin.append([i])
            i += 1
            continue
        k = _trailing_pipe_cells(lines, bare, i)
        if k is not None:  # | / 序号 | / 项目名称 | / … / | : one pipe line opens each row
            out.append(_joined_line(text, lines, i, k - 1))
            origin.append(list(range(i, k)))
            i = k
            continue
        j = i + 1  # a row: | cell | cell | … up to the pipe that meets the next row's pipe
        while j < n and not (bare[j] and (j + 1 == n or bare[j + 1])):
            j += 1
        end = min(j, n - 1)
        cells = [k for k in range(i, end + 1) if not bare[k]]
        if len(cells) < 2 or any("|" in lines[k].mtext for k in cells):  # rows on their lines
            out.append(lines[i])
            origin.append([i])
            i += 1
            continue
        out.append(_joined_line(text, lines, i, end))
        origin.append(list(range(i, end + 1)))
        i = end + 1
    _first_cell_before_pipe(text, lines, bare, out, origin)
    return out, origin


def _cell_count(bare: list[bool], orig: list[int]) -> int:
    """How many cells a joined row holds: runs of cell lines between its pipe lines (a cell
    wrapped over two lines is one cell)."""
    return sum(1 for k, o in enumerate(orig) if not bare[o] and (k == 0 or bare[orig[k - 1]]))


def _first_cell_before_pipe(text: str, lines: list[Line], bare: list[bool], out: list[Line],
                            origin: list[list[int]]) -> None:
    """工作目标任务 / | / 完成时间 / | / … / | / | / 制定… / | …: a stream whose cells each close
    with their own pipe has no pipe before the first cell of the table, so the header's
    first cell was left on its line. It belongs to the first row when that row is one
    cell short of the row after it; in place."""
    k = 1
    while k + 1 < len(out):
        orig, prev, nxt = origin[k], origin[k - 1], origin[k + 1]
        if (len(orig) > 1 and len(prev) == 1 and len(nxt) > 1 and not bare[prev[0]]
                and prev[0] + 1 == orig[0] and "|" not in lines[prev[0]].mtext
                and _cell_count(bare, orig) + 1 == _cell_count(bare, nxt)):
            i, end = prev[0], orig[-1]
            out[k - 1 : k + 1] = [_joined_line(text, lines, i, end)]
            origin[k - 1 : k + 1] = [[i, *orig]]
        k += 1


def _trailing_pipe_cells(lines: list[Line], bare: list[bool], i: int) -> int | None:
    """After the pipe line ``i``, a row flattened one cell per line with each cell closing
    its own pipe (序号 | / 项目名称 | / …): the position after its last cell line, where
    the next pipe line or the text's end follows; else None."""
    k = i + 1
    while k < len(lines) and not bare[k]:
        m = lines[k].mtext.rstrip()
        cut = k == len(lines) - 1 and "|" not in m  # the page ends inside the row's last cell
        if not cut and (not m.endswith("|") or m.count("|") != 1):
            return None
        k += 1
    return k if k - i - 1 >= 2 else None


def _joined_line(text: str, lines: list[Line], i: int, end: int) -> Line:
    """``lines[i..end]`` as one line (a row flattened one cell per line), at ``lines[i]``'s index."""
    a, b = lines[i].start, lines[end].end
    return Line(lines[i].index, a, b, text[a:b], _joined_mtext(lines, i, end, a, b))


def _joined_mtext(lines: list[Line], i: int, end: int, a: int, b: int) -> str:
    """The match text of ``lines[i..end]`` as one slice: their own match texts, with the
    characters between them (line breaks, blank lines) as spaces."""
    parts: list[str] = []
    pos = a
    for ln in lines[i : end + 1]:
        parts.append(" " * (ln.start - pos))
        parts.append(ln.mtext)
        pos = ln.end
    parts.append(" " * (b - pos))
    return "".join(parts)


def _label_line(line: Line) -> bool:
    """牵头单位：… after pipe rows is a prose task's label, not a section row: the table has ended."""
    from parser.tasks.assign import label_line_re  # tasks import this module: imported late

    return ":" in line.mtext and label_line_re().match(line.mtext) is not None


def _pipe_body(lines: list[Line], i: int, table: Table, used: set[int]) -> int:
    """Read pipe rows into ``table`` from line ``i``; return the first line not read."""
    n = len(lines)
    pending: list[_Tok] = []
    group: Cell | None = None
    while i < n and i not in used:
        line = lines[i]
        if _is_separator(line):
            i += 1
            continue
        if table.rows and is_portal_line(line.mtext):
            break  # 索引号: | … | 成文日期: | …: the page's metadata after the table, no row
        toks = _split_pipes(line)
        if toks is None or len(toks) < 2:
            if not _HAN.search(line.mtext) and len(line.text) <= 12:
                i += 1  # a page number ("- 3 -") between two pages of the table
                continue
            if len(pending) >= 3 or len(line.text) > 80 or _label_line(line):
                break
            pending.append(_tok(line.text, line.mtext, line.start, line.end))
            i += 1
            continue
        if not table.rows and _header_continues(toks, line):
            # A header wrapped onto the next line: its cells are further columns.
            added = [_name_column_is_the_task([header_role(t.text and match_text(t.text))])[0] or "other" for t in toks]
            table.columns = table.columns + added
            for role, t in zip(added, toks, strict=True):
                if role in LABELLED_ROLES and t.text:
                    table.labels.setdefault(role, []).append("".join(t.text.split()))
            table.header_end = table.end = line.end
            used.add(i)
            i += 1
            continue
        again = _pipe_header(line)
        if again is not None:
            if again == table.columns:
                i += 1  # the header repeated on a new page
                continue
            if table.rows or len(again) != len(table.columns):
                break  # another table starts here
            # The second line of a two-line header (责任单位 over 牵头单位 | 配合单位).
            table.columns = _merge_header_rows(table.columns, again)
            table.header_end = table.end = line.end
            used.add(i)
            i += 1
            continue
        for t in pending:
            table.rows.append(_section_row(t))
        pending = []
        row = _row_from_cells(toks, table.columns, group, cut=_cut_row(lines, i))
        if row is not None:
            if row.group is not None:
                group = row.group
            table.rows.append(row)
            table.end = max(table.end, row.end)
        used.add(i)
        i += 1
    return i


def _headerless_run(lines: list[Line], i: int, used: set[int]) -> tuple[int, tuple[list[str], list[str] | None]] | None:
    """≥ 3 pipe rows with one cell count, most starting with a number: a table without header.

    Returns (end line, (placeholder columns, inferred roles or None)).
    """
    rows: list[list[_Tok]] = []
    j, n = i, len(lines)
    width = None
    while j < n and j not in used and len(rows) < 12 and j - i < 40:
        if _is_separator(lines[j]):
            j += 1
            continue
        toks = _split_pipes(lines[j])
        if toks is None or len(toks) < 3 or (width is not None and len(toks) != width):
            break
        width = len(toks)
        rows.append(toks)
        j += 1
    if len(rows) < 3 or width is None:
        return None
    if sum(r[0].kind == "num" for r in rows) < 0.8 * len(rows):
        return None
    placeholder = ["other"] * width
    return j, (placeholder, _infer_roles(rows, width))


def _infer_roles(rows: list[list[_Tok]], width: int) -> list[str] | None:
    """Column roles from content when there is no header: number, task, units, deadline."""
    roles: list[str] = []
    lengths: list[float] = []
    for c in range(width):
        kinds = [r[c].kind for r in rows if r[c].text]
        lengths.append(sum(len(r[c].text) for r in rows) / len(rows))
        top = max(set(kinds), key=kinds.count) if kinds else "empty"
        share = kinds.count(top) / max(1, len(kinds))
        role = {"num": "number", "unit": "responsible", "deadline": "deadline", "name": "leader", "pct": "progress"}.get(top, "other")
        roles.append(role if share >= 0.6 else "other")
    text_cols = [c for c in range(width) if roles[c] == "other"]
    if not text_cols or "responsible" not in roles:
        return None
    # The task comes first: later text columns are progress notes or remarks.
    roles[text_cols[0]] = "task"
    return roles


# ---------------------------------------------------------------- stacked cells (one per line)


def _stacked_text(line: Line) -> tuple[str, str, int]:
    """Line text without a trailing/leading lone pipe, with its offset."""
    t, m, s = line.text, line.mtext, line.start
    a, b = 0, len(t)
    while a < b and (m[a] == "|" or t[a] in _SPACE):
        a += 1
    while b > a and (m[b - 1] == "|" or t[b - 1] in _SPACE):
        b -= 1
    return t[a:b], m[a:b], s + a


_MAX_STACKED_HEADER = 16
"""More header cells than this on consecutive lines is a list of words, not a header."""


_WRAPPED_CELL = 4
"""The longest piece of a header cell a wrap leaves on a line of its own (市政府 / 分管领导)."""


def _join_wrapped_cells(roles: list[str | None], texts: list[str]) -> tuple[list[str | None], list[str]]:
    """Header cells wrapped over two lines (市政府 / 分管领导, 牵头 / 单位) joined into one:
    a cell that names no column, with its neighbour, makes a longer label naming one."""
    roles, texts = list(roles), list(texts)
    i = 0
    while i < len(roles):
        if roles[i] is None and len(texts[i]) <= _WRAPPED_CELL and texts[i] not in _field_words():
            # (工作标准 beside 目标名称 is a column of its own: a known field label is no wrap)
            best: tuple[float, int, str, str] | None = None
            for j in (i + 1, i - 1):  # on a tie the label after it (市政府 / 分管领导)
                if 0 <= j < len(roles):
                    a, b = min(i, j), max(i, j)
                    joined = texts[a] + texts[b]
                    role = header_role(match_text(joined))
                    if role is not None and roles[j] in (None, role):
                        cover = _coverage(joined)  # 项目 / 名称 makes a whole label: it wins
                        if best is None or cover > best[0]:
                            best = (cover, j, role, joined)
            if best is not None:
                _, j, role, joined = best
                a, b = min(i, j), max(i, j)
                roles[a:b + 1] = [role]
                texts[a:b + 1] = [joined]
                i = a
        i += 1
    return _join_split_labels(roles, texts)


_CONJUNCTIONS = ("及", "和", "与", "、")


def _join_split_labels(roles: list[str | None], texts: list[str]) -> tuple[list[str | None], list[str]]:
    """Header cells a wrap split inside a label (牵头责 / 任单位), each half matching some
    label of its own: joined when together they make one whole label and neither half
    is one; a cell that ends with a conjunction (重点工作及 / 责任分解内容) goes on in the next."""
    i = 0
    while i + 1 < len(roles):
        joined = texts[i] + texts[i + 1]
        if texts[i].endswith(_CONJUNCTIONS):
            role = roles[i] or header_role(match_text(joined))  # the head before the conjunction names it
        elif (roles[i] is not None and roles[i + 1] is not None and _coverage(joined) == 1.0
              and _coverage(texts[i]) < 1.0 and _coverage(texts[i + 1]) < 1.0):
            role = header_role(match_text(joined))
        else:
            role = None
        if role is not None:
            roles[i:i + 2] = [role]
            texts[i:i + 2] = [joined]
            continue
        i += 1
    return roles, texts


def _stacked_header(lines: list[Line], i: int, used: set[int]) -> tuple[list[str], int, list[str]] | None:
    """Header cells on consecutive lines from ``i``: (columns, next line, header texts)."""
    roles: list[str | None] = []
    texts: list[str] = []
    ends: list[int] = []  # the line after each cell's last line
    j, n = i, len(lines)
    misses = 0
    while j < n and j not in used and len(roles) < _MAX_STACKED_HEADER and j - i <= 2 * _MAX_STACKED_HEADER:
        if _is_separator(lines[j]):
            j += 1
            continue
        text, mtext, _ = _stacked_text(lines[j])
        if "|" in mtext or _markers()[0].match(mtext):
            break  # a heading such as 二、重点任务 just above the header is not a header cell
        role = header_role(mtext)
        if role is None and roles and roles[-1] is not None and _TRAILING_NOTE.fullmatch(mtext.strip()):
            texts[-1] += "".join(text.split())  # 总投资 / (万元): the unit of the cell above, wrapped
            ends[-1] = j = j + 1
            continue
        if role is None and roles and roles[-1] is None:
            joined = texts[-1] + "".join(text.split())
            joined_role = header_role(match_text(joined))
            if joined_role is not None:  # 资金 / 来源: two pieces of one cell
                roles[-1], texts[-1], misses = joined_role, joined, 0
                ends[-1] = j = j + 1
                continue
        if role is None:
            nxt = _next_cell_line(lines, j + 1, used)
            if nxt is not None:
                joined = "".join(text.split()) + "".join(_stacked_text(lines[nxt])[0].split())
                joined_role = header_role(match_text(joined))
                if joined_role is not None and header_role(lines[nxt].mtext) is None:
                    # 2023年度 / 计划: a piece too long for a wrap alone, whose next line completes a label
                    roles.append(joined_role)
                    texts.append(joined)
                    misses = 0
                    j = nxt + 1
                    ends.append(j)
                    continue
            # A short piece may be one line of a wrapped header cell (市政府 / 分管领导,
            # 牵头 / 单位 then 完成 / 时限): two in a row are allowed when both are short.
            kind = kind_of(mtext)
            wrapped = len(text) <= _WRAPPED_CELL and kind != "num"  # a 序号 cell: the body starts
            if not roles or misses > (1 if wrapped else 0) or len(text) > 8 or (kind != "short" and not wrapped):
                break
            misses += 1
        else:
            misses = 0
        roles.append(role)
        texts.append("".join(text.split()))
        j += 1
        ends.append(j)
    while roles and roles[-1] is None:
        roles.pop()
        texts.pop()
        ends.pop()
    roles, texts = _join_wrapped_cells(roles, texts)
    if len(roles) < 3:
        return None
    if roles[0] is not None and _coverage(texts[0]) < 0.5 and len(roles) > 3 and _header_columns(roles[1:]):
        return None  # a title line such as 2031年重点工作分解表 just above the header
    cols = _header_columns(roles)
    if cols is None:
        return None
    k = ends[-1]  # j may have run past a trailing unrecognised cell
    return cols, k, texts


def _next_cell_line(lines: list[Line], j: int, used: set[int]) -> int | None:
    """Index of the next line that is not a bar or separator, or None."""
    while j < len(lines) and j not in used:
        if not _is_separator(lines[j]):
            return j
        j += 1
    return None


def _stacked_tables(lines: list[Line], used: set[int]) -> list[Table]:
    tables: list[Table] = []
    starts = _header_cell_lines(lines)
    n = len(lines)
    k = 0
    i = starts[0] if starts else n
    while i < n:
        # A header starts with a cell naming a role: one test per candidate line before
        # the scan (header_role drops the spaces and pipes _stacked_text would strip).
        if i in used or header_role(lines[i].mtext) is None or _is_separator(lines[i]):
            i, k = _next_start(starts, k, i + 1, n)
            continue
        head = _stacked_header(lines, i, used)
        if head is None:
            i += 1
            continue
        cols, j, texts = head
        table = Table(lines[i].start, lines[j - 1].end, cols, lines[i].start, lines[j - 1].end)
        table.name_columns(texts)
        stop = _stacked_body(lines, j, table, used, set(texts))
        if table.rows:
            tables.append(table)
            used.update(range(i, stop))
            i, k = _next_start(starts, k, stop, n)
        else:
            i, k = _next_start(starts, k, j, n)  # a header starting later in the same run would read the same body
    return tables


def _header_cell_lines(lines: list[Line]) -> list[int]:
    """Indices of the lines that pass ``header_role``'s cheap tests (no colon, short enough).

    Most lines of a notice fail them; filtering in one comprehension spares a function
    call per line, and the full test still runs on every line kept.
    """
    cap = MAX_HEADER_CELL
    return [k for k, ln in enumerate(lines)
            if ":" not in ln.mtext and (len(ln.mtext) <= cap or len(ln.mtext) - _spaces_and_pipes(ln.mtext) <= cap)]


def _next_start(starts: list[int], k: int, at: int, n: int) -> tuple[int, int]:
    """The first candidate line at or after ``at`` (``n`` when none), and its place in ``starts``."""
    while k < len(starts) and starts[k] < at:
        k += 1
    return (starts[k] if k < len(starts) else n), k


def _collect_tokens(lines: list[Line], j: int, used: set[int], header_texts: set[str], limit: int) -> tuple[list[_Tok], list[int]]:
    """Cell tokens after a stacked header, one per line, until another table or a long gap."""
    toks: list[_Tok] = []
    line_of: list[int] = []
    n = len(lines)
    since_num = 0
    while j < n and j not in used:
        line = lines[j]
        if _is_separator(line):
            j += 1
            continue
        text, mtext, s = _stacked_text(line)
        if "|" in mtext and (_pipe_header(line) or len(_split_pipes(line) or []) >= 3):
            break
        if line.text[0] in "┌│├└+" and j + 1 < n and lines[j + 1].text[:1] in "│├└|+":
            break
        if "".join(text.split()) in header_texts:
            j += 1  # a header repeated on a new page
            since_num += 1
            if since_num > limit:
                break
            continue
        tok = _tok(text, mtext, s, s + len(text))
        toks.append(tok)
        line_of.append(j)
        since_num = 0 if tok.kind == "num" else since_num + 1
        if since_num > limit:
            break
        j += 1
    return toks, line_of


_NUMBER_GAP = 200
"""A table that lists a bureau's share of a numbered plan skips numbers (6, 52, 53), by less than this."""


def _skips_ahead(toks: list[_Tok], i: int, value: int, expected: int | None) -> bool:
    """A row number past the one expected, opening a task's words: rows 6, 52, 53 of a
    plan's list (the rows other bodies carry left out), not a stray figure (2 before 2023年底)."""
    return (expected is not None and expected < value < expected + _NUMBER_GAP
            and i + 1 < len(toks) and toks[i + 1].kind == "text")


def _row_starts(toks: list[_Tok], cols: list[str]) -> list[int]:
    """Token indexes that begin a row: a number in sequence, else an enumerated task text."""
    starts: list[int] = []
    expected: int | None = None
    for i, t in enumerate(toks):
        if t.kind != "num":
            continue
        value = int(t.text.rstrip(".、"))
        if (expected is None and i <= len(cols) + 3) or value == expected or _skips_ahead(toks, i, value, expected):
            starts.append(i)
            expected = value + 1
    _, number = _markers()
    enumerated = [i for i, t in enumerate(toks) if t.kind == "text" and number.match(t.text)]
    if starts and not len(enumerated) > 2 * len(starts):
        return starts
    if not starts and len(followed := _texts_before_units(toks, cols)) >= 2 and not set(enumerated) & set(followed):
        return followed
    # Numbered task texts (1.… 2.… 3.…) under fewer 序号 cells: the 序号 column is merged
    # over several rows (one 序号 per project, one row per target), so each numbered text
    # opens a row; the 序号 and project cells before it belong to the row they stand in.
    if len(enumerated) >= 2:
        return enumerated
    return starts or [i for i, t in enumerate(toks) if t.kind == "text"]


def _texts_before_units(toks: list[_Tok], cols: list[str]) -> list[int]:
    """Rows without numbers where the task column stands right before a unit column (目标任务 |
    牵头单位 | 进展情况 | 下步举措): a row opens with a text cell followed by a unit cell, the
    numbered measures inside its other cells notwithstanding. [] for other headers."""
    at = cols.index("task") if "task" in cols else -1
    if at < 0 or at + 1 >= len(cols) or cols[at + 1] not in UNIT_ROLES or at != 0:
        return []
    return [i for i in range(len(toks) - 1) if toks[i].kind == "text" and toks[i + 1].kind == "unit"]


def _stacked_body(lines: list[Line], j: int, table: Table, used: set[int], header_texts: set[str]) -> int:
    cols = table.columns
    toks, line_of = _collect_tokens(lines, j, used, header_texts, limit=4 * len(cols) + 6)
    starts = _row_starts(toks, cols)
    if not starts:
        return j
    numbered = toks[starts[0]].kind == "num"
    by_units = not numbered and starts == _texts_before_units(toks, cols)  # each row one cell set: no sub-rows
    if numbered and "number" not in cols:
        at = cols.index("group") + 1 if "group" in cols else 0
        cols.insert(at, "number")
    num_col = cols.index("number") if numbered else None
    before = cols[:num_col] if num_col is not None else []
    after = cols[num_col + 1 :] if num_col is not None else cols
    restart = None if by_units else _first_task_col(after)
    longest = 0
    group: Cell | None = None
    pending_group: _Tok | None = None
    # Tokens before the first row: sections and a first group cell.
    lead_in, _ = _peel(toks[: starts[0]], before, after, peel_all=True)
    merged_group = not numbered and "group" in cols  # 序号 and project merged over numbered texts
    if merged_group:
        _, pending_group = _group_cells(toks[: starts[0]])
    for t in lead_in:
        if t.kind == "section":
            table.rows.append(_section_row(t))
        else:
            pending_group = t
    last_token = starts[0]
    for k, s in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(toks)
        seg = toks[s:stop]
        next_group = None
        if merged_group and k + 1 < len(starts):
            seg, next_group = _group_cells(seg)
        if k + 1 == len(starts):
            seg = seg[: max(longest, len(after) + 1) + (1 if numbered else 0)]
            tail: list[_Tok] = []
        else:
            body, tail = _peel(seg, before, after, peel_all=False)
            seg = body
        longest = max(longest, len(seg) - (1 if numbered else 0))
        head, body_toks = (seg[:1], seg[1:]) if numbered else ([], seg)
        where = _align_row(body_toks, after, restart)
        if k + 1 == len(starts):
            where, body_toks = _trim_tail(body_toks, where, after)
        pairs: list[tuple[str, _Tok]] = []
        if pending_group is not None and ("group" in before or merged_group):
            pairs.append(("group", pending_group))
        pending_group = next_group
        pairs += [("number", t) for t in head]
        pairs += [(after[c], t) for c, t in zip(where, body_toks, strict=True)]
        row = _task_row(pairs, group)
        if row is not None:
            group = row.group
            table.rows.append(row)
            table.end = max(table.end, row.end)
            last_token = s + len(seg)
        for t in tail:
            if t.kind == "section":
                table.rows.append(_section_row(t))
            else:
                pending_group = t
    return line_of[last_token - 1] + 1 if last_token > 0 and line_of else j


_PLACEHOLDERS = frozenset({"/", "／", "-", "—", "——", "无", "暂无"})
"""What an empty cell is written as (无, /): it stands in a column, it holds nothing."""


def _align_row(toks: list[_Tok], roles: list[str], restart: int | None) -> list[int]:
    """``_align`` for one row, knowing that a merged grouping cell is written on
    the first row of its group only: a row with fewer cells before its units than there
    are columns before the unit columns lacks its group cell, whatever its first cell looks
    like (a short project name fits a category column as well as the task column)."""
    if "group" not in roles or not any(r in UNIT_ROLES for r in roles):
        return _align(toks, roles, restart)
    first_unit = min(i for i, r in enumerate(roles) if r in UNIT_ROLES)
    at = roles.index("group")
    if at == 0 and toks and _GROUP_TITLE.match(toks[0].text) is not None and len(roles) > 1:
        # 9.1加强文化场所建设 | 2月底完成…: a numbered group title opens the row, whatever cell
        # the row lacks after it
        rest = _align(toks[1:], roles[1:], None if restart is None else restart - 1)
        return [0, *(c + 1 for c in rest)]
    if at > first_unit or _cells_before_units(toks) >= first_unit:
        return _align(toks, roles, restart)
    rest = roles[:at] + roles[at + 1:]
    where = _align(toks, rest, None if restart is None else restart - (restart > at))
    return [c + (c >= at) for c in where]


_GROUP_TITLE = regex.compile(r"\d{1,2}(?:\.\d{1,2}){1,3}\s*\p{Han}[^|]{0,20}$")
"""A group cell's numbered title (9.1加强文化场所建设): a category, never a task's words."""


def _cells_before_units(toks: list[_Tok]) -> int:
    """How many cells come before the row's first unit cell (all of them when it has none)."""
    return next((i for i, t in enumerate(toks) if t.kind == "unit"), len(toks))


def _group_cells(seg: list[_Tok]) -> tuple[list[_Tok], _Tok | None]:
    """A row's tokens without the merged 序号 and project cells that end them (the next
    group's: … | 2 | 工业经济 | 1.…), and those cells as one group token ("2 工业经济"): its
    span covers both cells and what stands between them, its text joins them with a space."""
    if len(seg) >= 2 and seg[-2].kind == "num" and seg[-1].kind in ("short", "text", "unit"):
        num, name = seg[-2], seg[-1]
        return seg[:-2], _Tok(f"{num.text} {name.text}", num.start, name.end, name.kind)
    if seg and seg[-1].kind == "num":
        return seg[:-1], None
    return seg, None


def _peel(seg: list[_Tok], before: list[str], after: list[str], peel_all: bool) -> tuple[list[_Tok], list[_Tok]]:
    """Split off the tail of a row's tokens that belongs before the next row.

    A section heading (一、…) or, when the table has a grouping column before the number,
    the next group's cell (a text that fits a task column better than this row's last
    column). With ``peel_all`` every token is a candidate (the lead-in before row one).
    """
    body, tail = list(seg), []
    want_group = "group" in before
    last_role = after[-1] if after else "other"
    while body and len(tail) < 3:
        t = body[-1]
        if peel_all:
            if t.kind == "section" or (want_group and t.kind in ("text", "short")):
                tail.insert(0, body.pop())
                continue
            break
        if len(body) <= 1:
            break
        if t.kind == "section":
            tail.insert(0, body.pop())
        elif want_group and not any(x.kind != "section" for x in tail) and _fit(t.kind, "group") > _fit(t.kind, last_role):
            tail.insert(0, body.pop())
            want_group = False
        else:
            break
    if peel_all:
        return tail, []
    return body, tail


def _trim_tail(toks: list[_Tok], where: list[int], cols: list[str]) -> tuple[list[int], list[_Tok]]:
    """Drop what follows the last row of a table (a share bar, a signature) when it fits badly."""
    keep = len(toks)
    while keep > 1:
        t, c = toks[keep - 1], where[keep - 1]
        prev = where[keep - 2]
        score = _stay(t.kind, cols[c]) if c == prev else _fit(t.kind, cols[c])
        if score > 0.5:
            break
        keep -= 1
    return where[:keep], toks[:keep]


# ---------------------------------------------------------------- space-separated rows


_WORD = regex.compile(r"\S+")


def _words(line: Line, cap: int) -> list[_Tok]:
    """The first ``cap`` white-space separated words of a line as tokens."""
    out: list[_Tok] = []
    for m in _WORD.finditer(line.mtext):
        if len(out) >= cap:
            break
        out.append(_tok(line.text[m.start() : m.end()], m.group(), line.start + m.start(), line.start + m.end()))
    return out


_ANY_SPACE = regex.compile(r"\s")


def _spaced_header(line: Line) -> list[str] | None:
    """Columns of a header whose cells are separated by white space.

    Words are merged when a label runs across them (牵头  领导 → 牵头领导).
    """
    if "|" in line.mtext or len(line.text) > 400 or not _ANY_SPACE.search(line.mtext):
        return None  # a header needs three words, so white space between them
    words = [w.group() for w in _WORD.finditer(line.mtext)]
    if not 3 <= len(words) <= MAX_CELLS:
        return None
    roles: list[str | None] = []
    i = 0
    while i < len(words):
        step = 1
        for w in (3, 2):
            if i + w > len(words):
                continue
            joined = "".join(words[i : i + w])
            hit = _label_span_in(joined) if len(joined) <= MAX_HEADER_CELL else None
            if hit is not None and hit[0] < len(words[i]) and hit[1] > len(joined) - len(words[i + w - 1]):
                step = w
                break
        cell = "".join(words[i : i + step])
        if len(cell) > MAX_HEADER_CELL:
            return None
        roles.append(header_role(cell))
        i += step
    cols = _header_columns(roles)
    if cols is None or cols[0] != "number":
        return None
    return cols


_ROW_START = regex.compile(r"(\d{1,4})[.、]?\s")


def _spaced_tables(lines: list[Line], used: set[int]) -> list[Table]:
    tables: list[Table] = []
    n = len(lines)
    # A header needs white space between its words (``_spaced_header``'s first test).
    # Every white-space character but " " is unprintable, so most lines are ruled out
    # by two C-level tests before the pattern runs.
    starts = [k for k, ln in enumerate(lines)
              if (" " in ln.mtext or not ln.mtext.isprintable()) and _ANY_SPACE.search(ln.mtext) is not None]
    k = 0
    i = starts[0] if starts else n
    while i < n:
        if i in used:
            i, k = _next_start(starts, k, i + 1, n)
            continue
        cols = _spaced_header(lines[i])
        if cols is None:
            i, k = _next_start(starts, k, i + 1, n)
            continue
        table = Table(lines[i].start, lines[i].end, cols, lines[i].start, lines[i].end)
        j = _spaced_body(lines, i + 1, table, used)
        if table.rows:
            tables.append(table)
            used.update(range(i, j))
            i = j
        else:
            i += 1
    return tables


def _spaced_body(lines: list[Line], j: int, table: Table, used: set[int]) -> int:
    """Rows from line ``j``: a row starts at a line opening with a larger number; the
    lines up to the next such line are its wrapped cells and sub-rows."""
    after = table.columns[1:]
    restart = _first_task_col(after)
    n = len(lines)
    last = -1
    region: list[Line] = []
    stop = j
    while j < n and j not in used:
        line = lines[j]
        m = _ROW_START.match(line.mtext)
        if m is not None and int(m.group(1)) > last:
            if region:
                _spaced_row(region, after, restart, table)
            last = int(m.group(1))
            region = [line]
            stop = j + 1
        elif kind_of(line.mtext) == "section" and j + 1 < n and _ROW_START.match(lines[j + 1].mtext):
            # 一、经济社会发展主要预期目标 between the header (or a row) and the next row
            if region:
                _spaced_row(region, after, restart, table)
                region = []
            table.rows.append(_section_row(_tok(line.text, line.mtext, line.start, line.end)))
            stop = j + 1
        elif region and len(region) <= 8 and len(line.text) <= 400 and _spaced_header(line) is None:
            region.append(line)
            stop = j + 1
        else:
            break
        j += 1
    if region:
        _spaced_row(region, after, restart, table)
    return stop


def _spaced_row(region: list[Line], after: list[str], restart: int | None, table: Table) -> None:
    toks: list[_Tok] = []
    cap = 4 * len(after) + 20  # a real row has a few words per column; the rest is noise
    for line in region:
        toks.extend(_merge_name_parts(line, _words(line, cap)))
        if len(toks) >= cap:
            break
    head, body = toks[0], toks[1:cap]
    where = _align(body, after, restart)
    row = _task_row([("number", head)] + [(after[c], t) for c, t in zip(where, body, strict=True)], None)
    if row is not None:
        table.rows.append(row)
        table.end = max(table.end, row.end)


def _merge_name_parts(line: Line, words: list[_Tok]) -> list[_Tok]:
    """Join single Han characters split by spaces (汪  峰) back into one name token."""
    out: list[_Tok] = []
    for w in words:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(w.text) == 1
            and _HAN.fullmatch(w.text)
            and prev.kind in ("short", "name")
            and len(prev.text.replace(" ", "").replace("\u3000", "")) == 1
        ):
            a, b = prev.start - line.start, w.end - line.start
            out[-1] = _Tok(line.text[a:b], prev.start, w.end, "name")
            continue
        out.append(w)
    return out


# ---------------------------------------------------------------- box-drawing tables


def _box_tables(text: str, lines: list[Line], used: set[int]) -> list[Table]:
    tables: list[Table] = []
    grids = find_box_grids(lines)
    by_start = {line.start: k for k, line in enumerate(lines)} if grids else {}
    for grid in grids:
        table = _box_table(text, grid)
        first = by_start.get(grid.start)
        if first is not None:
            k = first
            while k < len(lines) and lines[k].end <= grid.end:
                used.add(k)
                k += 1
        if table is not None:
            tables.append(table)
    return tables


def _box_table(text: str, grid: BoxGrid) -> Table | None:
    roles = [header_role(match_text("".join(p.text for p in pieces))) for pieces in grid.header]
    cols = _header_columns(roles)
    if cols is None or "task" not in cols:
        return None
    table = Table(grid.start, grid.end, cols, grid.header_start, grid.header_end)
    main = cols.index("task")
    regions = [r for r in grid.columns[main] if r.pieces]
    categories = _box_categories(regions)
    if categories and _units_hang_on_categories(grid, cols, regions, categories):
        for head, subs in categories:
            pieces = [p for r in (head, *subs) for p in r.pieces]
            table.rows.append(_box_row(grid, cols, main, pieces, head.first_line))
        return table
    for r_i, region in enumerate(regions):
        if r_i in _heading_indices(regions):
            # A plain line followed by bulleted sub-items is their heading.
            head = region.pieces[0]
            table.rows.append(_section_row(_Tok(head.text, head.start, head.end, "section")))
            continue
        for items in _bullet_items(region.pieces):
            at = items[0].line if items[0].line >= 0 else region.first_line
            table.rows.append(_box_row(grid, cols, main, items, at))
    return table if table.rows else None


def _box_row(grid: BoxGrid, cols: list[str], main: int, items: list[Piece], at: int) -> Row:
    """A task row: ``items`` its task text, every other column's cell beside grid line ``at``
    (merged cells repeat on each row they span)."""
    cells = {"task": [Cell(p.text, p.start, p.end) for p in items]}
    for c, role in enumerate(cols):
        if c == main or role == "group":
            continue
        cover = next((r for r in grid.columns[c] if r.first_line <= at <= r.last_line), None)
        pieces = cover.pieces if cover else []
        cells.setdefault(role if role in ROLES else "other", []).extend(Cell(p.text, p.start, p.end) for p in pieces)
    return Row("task", cells, items[0].start, items[-1].end)


def _is_bulleted(region: Region) -> bool:
    return region.pieces[0].text[:1] in _BULLETS


def _heading_indices(regions: list[Region]) -> set[int]:
    """Task cells that head bulleted sub-items: a plain cell whose next cell is bulleted."""
    return {i for i in range(len(regions) - 1) if not _is_bulleted(regions[i]) and _is_bulleted(regions[i + 1])}


def _box_categories(regions: list[Region]) -> list[tuple[Region, list[Region]]]:
    """The task column read as categories: each plain cell with the bulleted cells under it.

    Empty unless every cell belongs to one (the column is made of headed sub-item groups).
    """
    heads = _heading_indices(regions)
    groups: list[tuple[Region, list[Region]]] = []
    for i, region in enumerate(regions):
        if i in heads:
            groups.append((region, []))
        elif _is_bulleted(region) and groups:
            groups[-1][1].append(region)
        else:
            return []
    return groups


def _units_hang_on_categories(grid: BoxGrid, cols: list[str], regions: list[Region],
                              categories: list[tuple[Region, list[Region]]]) -> bool:
    """Do the unit cells belong to the categories rather than to their bulleted items?

    Which level carries the assignment shows in how many unit cells there are: merged
    unit cells that span a category with its sub-items are no more than the categories
    (2 categories, 5 △ items, 2 unit cells), while items with units of their own have
    a cell each. A merged cell need not line up with the rows it serves (its rule may
    fall inside a category's items), so each category takes the cell beside its heading.
    """
    unit_cols = [c for c, role in enumerate(cols) if role in UNIT_ROLES]
    if not unit_cols:
        return False
    first, last = regions[0].first_line, regions[-1].last_line
    items = sum(len(_bullet_items(r.pieces)) for _, subs in categories for r in subs)
    for c in unit_cols:
        cells = [r for r in grid.columns[c] if r.pieces and first <= r.first_line <= last]
        if len(cells) >= items or len(cells) > len(categories):
            return False
    return True


_BULLETS = "△▲●◆■□☆★·•"
"""Sub-item bullets inside one task cell: each bulleted item is a task of its own."""


def _bullet_items(pieces: list[Piece]) -> list[list[Piece]]:
    """Lines of a task cell grouped into bulleted items (one group when unbulleted)."""
    groups: list[list[Piece]] = []
    for p in pieces:
        if not groups or (p.text[:1] in _BULLETS and pieces[0].text[:1] in _BULLETS):
            groups.append([p])
        else:
            groups[-1].append(p)
    return groups


# ---------------------------------------------------------------- run-on cells (no separators)


@cache
def _number_labels() -> tuple[str, ...]:
    return tuple(lab for lab, role in _labels() if role == "number" and len(lab) >= 2)


def _runon_header(m: str) -> tuple[list[str], int, int] | None:
    """A header whose cells were run together (序号项目名称…牵头单位配合单位) inside a line.

    Starts at a number label; each next cell is a label, possibly after a short
    qualifier (区政府 in 区政府分管领导). Returns (columns, start, end) in the line.
    """
    numbers = _number_labels()
    if not any(lab in m for lab in numbers):
        return None
    for lab in numbers:
        at = m.find(lab)
        if at < 0:
            continue
        roles: list[str | None] = ["number"]
        pos = at + len(lab)
        while len(roles) < MAX_CELLS:
            hit = None
            for gap in range(4):
                for label, role in _labels():
                    if m.startswith(label, pos + gap):
                        hit = (pos + gap + len(label), role)
                        break
                if hit:
                    break
            if hit is None:
                break
            pos = hit[0]
            roles.append(hit[1])
        cols = _header_columns(roles) if len(roles) >= 4 else None
        if cols is not None:
            return cols, at, pos
    return None


def _runon_tables(text: str, lines: list[Line], used: set[int], mtext_all: str | None = None) -> list[Table]:
    """Tables whose cells ran together: rows split at their numbers, cells by anchors.

    Only the number, the task text, a person's name after the task's full stop (the
    leader column) and the units after it can be told apart; everything after the name
    is given to the first unit column for the unit splitter to cut.
    """
    tables: list[Table] = []
    joined = mtext_all if mtext_all is not None else "\n".join(ln.mtext for ln in lines)
    if not any(lab in joined for lab in _number_labels()):
        return tables  # every run-on header holds 序号 or the like (``_runon_header``)
    mtext = ""
    for k, line in enumerate(lines):
        if k in used or len(line.text) < 20 or (tables and line.start < tables[-1].end):
            continue
        head = _runon_header(line.mtext)
        if head is None:
            continue
        cols, a, b = head
        table = Table(line.start + a, line.start + b, cols, line.start + a, line.start + b)
        end = lines[min(len(lines), k + 40) - 1].end
        mtext = mtext or mtext_all or match_text(text)
        _runon_rows(text, mtext, line.start + b, end, table, line.mtext[a:b])
        if table.rows:
            tables.append(table)
            for j in range(k, len(lines)):
                if lines[j].start > table.end:
                    break
                used.add(j)
    return tables


_RUNON_MAX_ROW = 1200


def _runon_rows(text: str, mtext: str, pos: int, end: int, table: Table, header: str) -> None:
    suffixes = _unit_suffixes()
    labels = tuple(lab for lab, _ in _labels())
    starts: list[tuple[int, int]] = []
    expected = 1
    search = pos
    while search < end:
        found = None
        for m in regex.finditer(rf"(?<!\d){expected}(?=\p{{Han}})", mtext, pos=search, endpos=min(end, search + _RUNON_MAX_ROW)):
            before = mtext[max(0, m.start() - 8) : m.start()].rstrip()
            if m.start() == pos or before.endswith(suffixes) or before.endswith(labels):
                found = m
                break
        if found is None:
            break
        starts.append((found.start(), found.end()))
        search = found.end()
        expected += 1
    unit_roles = [r for r in table.columns if r in UNIT_ROLES]
    lead_role = unit_roles[0] if unit_roles else None
    has_leader = "leader" in table.columns
    for i, (s, e) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else min(end, e + _RUNON_MAX_ROW // 2)
        again = mtext.find(header, e, stop)
        if again >= 0:
            stop = again  # the header repeated at a page break
        cells: dict[str, list[Cell]] = {"number": [Cell(text[s:e], s, e)]}
        task_end, name_end = stop, stop
        if has_leader:
            for m in regex.finditer("。", mtext, pos=e, endpos=stop):
                size = _name_after(mtext, m.end(), stop)
                if size:
                    task_end, name_end = m.end(), m.end() + size
                    cells["leader"] = _line_cells(text, task_end, name_end)
                    break
        cells["task"] = _line_cells(text, e, task_end)
        if lead_role is not None and name_end < stop:
            _runon_units(text, mtext, name_end, stop, cells, unit_roles)
        if cells["task"]:
            table.rows.append(Row("task", cells, s, max(c.end for v in cells.values() for c in v)))
            table.end = max(table.end, table.rows[-1].end)


def _runon_units(text: str, mtext: str, a: int, stop: int, cells: dict[str, list[Cell]], roles: list[str]) -> None:
    """The unit cells of a run-on row, from ``a`` (after the leader's name) to ``stop``.

    The units end where the row's words go on (an action verb after a body: 轨道公司推进…);
    what follows is more of the row: words, then perhaps a sub-row with its own leader and
    units (…整治。芮春祥住建局…), whose units join the row's. With two unit columns the
    first unit fills the first (牵头单位) and the rest the second (配合单位): nothing else
    tells them apart once the cells ran together.
    """
    while a < stop:
        end = _units_end(mtext, a, stop)
        first = _first_unit_end(mtext, a, end) if len(roles) > 1 else end
        cells.setdefault(roles[0], []).extend(_line_cells(text, a, first))
        while first < end:  # the rest ran together too: one cell per unit, cut where each ends
            while first < end and (mtext[first] in _TOK_SPACE or _SEPARATORS.match(mtext, first)):
                first += 1
            if first >= end:
                break
            nxt = max(_first_unit_end(mtext, first, end), first + 1)
            cells.setdefault(roles[1], []).extend(_line_cells(text, first, nxt))
            first = nxt
        if end >= stop:
            return
        nxt = None
        for m in regex.finditer("。", mtext, pos=end, endpos=stop):
            size = _name_after(mtext, m.end(), stop)
            if size:
                nxt = (m.end(), m.end() + size)
                break
        words_end = nxt[0] if nxt else stop
        cells.setdefault("other", []).extend(_line_cells(text, end, words_end))
        if nxt is None:
            return
        cells.setdefault("leader", []).extend(_line_cells(text, nxt[0], nxt[1]))
        a = nxt[1]


def _units_end(m: str, a: int, stop: int) -> int:
    """Where a run of units starting at ``a`` ends: before the first action verb that follows
    a body suffix (教育局…市国有公司推进…), or before a sentence's end; ``stop`` otherwise."""
    suffixes = _unit_suffixes()
    openers = _action_openers()
    for i in range(a + 2, stop):
        ch = m[i]
        if ch in "。;,":
            if ch == "。" or not _is_unit(m[a:i].strip()):
                return i if m[a:i].rstrip().endswith(suffixes) else a
        if m.startswith(openers, i) and m[a:i].endswith(suffixes):
            return i
    return stop


def _first_unit_end(m: str, a: int, end: int) -> int:
    """End of the first unit in a run of units: a separator, else the first body suffix
    three characters or more from the start and outside brackets (教育局|经开区…,
    高新园(邹区镇)|各街道)."""
    while end > a and m[end - 1] in _TOK_SPACE:
        end -= 1
    sep = _SEPARATORS.search(m, a, end)
    if sep is not None:
        return sep.start()
    suffixes = _unit_suffixes()
    depth = 0
    for i in range(a + 1, end + 1):
        ch = m[i - 1]
        depth += (ch == "(") - (ch == ")")
        if i - a >= 3 and depth == 0 and m[i : i + 1] != "(":
            if m[a:i].endswith(suffixes):
                return i
            if ch == ")" and m[a : m.rfind("(", a, i)].endswith(suffixes):
                return i  # 高新园(邹区镇): the bracket qualifies the body before it
    return end


def _name_after(m: str, p: int, stop: int) -> int:
    """Length of a person's name at ``p`` followed by a unit (2 or 3 Han), else 0."""
    if p + 3 > stop or m[p] not in surnames() or not _HAN.fullmatch(m[p : p + 3]):
        return 0
    # 张菁民政局: a two-character name when the third character starts an office word.
    size = 2 if m.startswith(_not_person_words(), p + 2) else 3
    # The name must be followed by an office: a short run of Han ending in a unit word.
    for q in range(p + size + 2, min(stop, p + size + 9) + 1):
        if not _HAN.fullmatch(m[p + size : q]):
            return 0
        if m[p + size : q].endswith(_unit_suffixes()):
            return size
    return 0


def _line_cells(text: str, a: int, b: int) -> list[Cell]:
    """Cells for the span [a, b), one per physical line, stripped."""
    out: list[Cell] = []
    pos = a
    while pos < b:
        nl = text.find("\n", pos, b)
        stop = b if nl < 0 else nl
        s, e = pos, stop
        while s < e and text[s] in _SPACE + "\r":
            s += 1
        while e > s and text[e - 1] in _SPACE + "\r":
            e -= 1
        if e > s:
            out.append(Cell(text[s:e], s, e))
        pos = stop + 1
    return out


# ---------------------------------------------------------------- entry point


def find_tables(text: str, lines: list[Line], mtext: str | None = None) -> list[Table]:
    """Every task table in the notice, in text order.

    Box tables are read first (their lines are unmistakable), then pipe rows, stacked
    cells and space-separated rows; a line belongs to at most one table. ``mtext`` is
    ``match_text(text)`` when the caller has it (it spares a pass over the lines).
    """
    used: set[int] = set()
    tables = _box_tables(text, lines, used)
    if mtext is None or "|" in mtext:  # pipe rows need a pipe
        tables += _pipe_tables_of(text, lines, used)
    tables += _stacked_tables(lines, used)
    tables += _spaced_tables(lines, used)
    tables += _runon_tables(text, lines, used, mtext)
    for table in tables:
        _own_group_is_the_task(table)
    if tables:
        signed = closing_signature(text, mtext if mtext is not None else match_text(text))
        if signed is not None:
            for table in tables:
                _without_signature(table, signed[1][0])
    return sorted(tables, key=lambda t: t.start)


def _without_signature(table: Table, start: int) -> None:
    """The document's closing signature (松河区民政局 / 2032年4月8日) read as the last row's
    unit and deadline cells, because they look like them: they are no part of the table."""
    rows = [r for r in table.rows if r.kind == "task"]
    if not rows or rows[-1].end <= start:
        return
    last = rows[-1]
    kept = {role: [c for c in cells if c.start < start] for role, cells in last.cells.items()}
    last.cells = {role: cells for role, cells in kept.items() if cells}
    last.end = max((c.end for cells in last.cells.values() for c in cells), default=last.start)
    table.end = min(table.end, max(last.end, start - 1))


def _own_group_is_the_task(table: Table) -> None:
    """Two task-like columns side by side (实事项目 | 工作举措及实施计划): the first is read
    as a group carried down over the rows a merged cell spans. When every numbered row has
    a value of its own there, nothing is merged: that column is the task, and the second
    (the measures, the plan) is kept on the task as a labelled field."""
    rows = [r for r in table.rows if r.kind == "task"]
    if "group" not in table.columns or len(rows) < 2:
        return
    if not all(r.group is not None and r.start <= r.group.start < r.end and r.cells.get("number") for r in rows):
        return
    if len({r.group.text for r in rows if r.group is not None}) < len(rows):
        return
    g = table.columns.index("group")
    label = table.headers[g + 1] if g + 1 < len(table.headers) else "other"
    table.columns[g], table.columns[g + 1] = "task", "other"
    table.labels.setdefault("other", []).insert(0, label)
    for r in rows:
        assert r.group is not None
        r.cells["other"] = [*r.cells.pop("task", []), *r.cells.get("other", [])]
        r.cells["task"] = [r.group]
        r.group = None
