"""Prose layouts -> items: numbered (or implied) blocks with the fields attached to them.

One walk over the lines serves every prose layout:

* a heading line opens an item;
* label lines (牵头单位：…) add fields to the open item;
* a line that ends with an assignment bracket (（…牵头…）, [牵头单位:…], （区发改局）)
  adds those fields to the open item and closes it;
* a label inside a line after the task's words (…。牵头单位：X；完成时限：Y) does the same;
* an assignment closes its item: the next plain line opens an unnumbered item, which
  becomes a task only if an assignment follows it.

Which items are tasks is decided later (``build``): the items that carry fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

import regex

from parser.lines import Line
from parser.meta import KEY_OPEN_REACH, is_portal_line, portal_start_chars
from parser.outline import Heading, Outline, cn_to_int, is_under, match_marker
from parser.rx import StartFilter, literal_alternation
from parser.tasks.assign import (
    ROLE_FIELDS,
    Field,
    _label_colon_re,
    bare_label,
    body_suffixes,
    closing_bracket,
    ends_with_role_verb,
    field_label_at_start,
    group_lead,
    label_line_fields,
    label_line_re,
    label_role,
    looks_like_units,
    parse_assignment,
    parse_labels,
    parse_verbs,
    role_verb_tails,
    role_verbs,
    run_on_label_fields,
    run_on_label_re,
    task_label_re,
    together_with,
)
from parser.tasks.subjects import DIGEST_MIN, counted_tasks, duty_sentences, keyed_unit

_LABEL_START = StartFilter(label_line_re())
_TASK_LABEL_START = StartFilter(task_label_re())
_VERB_LINE_CHARS = 160
"""An assignment line is a list of units and verbs; a longer line is a paragraph."""
_CLAUSE_STOPS = ",;。"
_CLAUSE_END = regex.compile(f"[{_CLAUSE_STOPS}]")


def _clause_verb_ends(m: str, lo: int, hi: int) -> list[int]:
    """Where a role verb ends a clause of ``m[lo:hi]`` (…,市司法局牵头实施。): found from
    each verb's last two characters, a literal scan (an alternation of every verb, tried at
    each position, cost more than the rest of the walk); a tail that overlaps the one before
    it (落实|实施) is looked at from the character after."""
    tails, verbs = role_verb_tails(), role_verbs()
    ends = []
    for hit in _verb_tail_re().finditer(m, lo, hi):
        for end in (hit.end(), hit.end() + 1):
            if end < hi and m[end] in _CLAUSE_STOPS and m[end - 2 : end] in tails and m.endswith(verbs, lo, end):
                ends.append(end)
                break
    return ends


@cache
def _verb_tail_re() -> re.Pattern[str]:
    """Any role verb's last two characters: a line without one names no role in verb form."""
    return literal_alternation(sorted(role_verb_tails()))


@cache
def _duty_verb_re() -> regex.Pattern[str]:
    """负责/牵头(实施)的 after the units of a digest's 由X负责的…."""
    return regex.compile(r"(?P<verb>牵头负责|牵头|负责)(?:实施|建设|推进|落实)?的")


_DUTY_STOPS = frozenset(",;:。“”() \t\n")
_DUTY_UNITS_MAX = 60


_BY_DUTY = regex.compile(
    r"(?:^|(?<=[:\n]))\s*由(?:\p{Han}{0,8}?单位(?=[省市县区镇乡]))?(?P<units>[^,;:。“”()\s]{2,60}?)"
    r"(?P<verb>牵头负责|牵头|负责)(?!的)")
"""由X负责清除… opening a line or a label's value: X is in charge of the sentence's action (inside
a paragraph, …,由办公室负责抓好综合督办 is a cover letter's arrangement, not an assignment). A
describing word before the bodies (由包片单位县气象局负责) is no part of them."""


_BY_WITH = regex.compile(
    r"(?:^|(?<=[:,;。\n]))\s*由(?P<units>[^,;:。“”()\s]{2,30}?会同[^;:。“”()\s]{2,120}?等(?:有关|相关)?(?:部门|单位))")
"""…的问题,由发展改革委会同农业部、财政部等部门研究提出落实意见: 会同 and a list closed by 等部门
name a lead and its partners wherever the clause stands, whatever the action after them."""


_BACK_REFERENCE = regex.compile(
    r"[ \t]{0,8}(?:(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3}|该)(?:项|个)?|以上(?:各项)?|上述)(?:目标|任务|指标|工作)?的?"
    r"(?P<label>责任单位|牵头单位|责任部门|牵头部门)均?(?:为|是)(?P<units>[^。;,]{2,60}?)[。;]?[ \t]{0,8}$")
"""4项目标的责任单位均为X。 / 该目标责任单位为X。 after the numbered items it counts."""


_LISTED_PROJECTS = regex.compile(
    r"(?:^|(?<=[;。,]))(?:其中,)?(?P<units>[^,;。:“”()]{2,40}?)(?:共同)?负责(?P<list>[^,;。:]{2,160}?)"
    r"(?:等?(?P<n>[两一二三四五六七八九十]{1,3}|\d{1,2})(?:个|项|件))?(?:项目|实事)(?=[;。]|$)")
"""UNITS负责A、B等N个项目 clauses of a 民生实事 digest."""


def _duty_verbs(m: str) -> int:
    """How many times a line says 负责 or 牵头 outside brackets: a cheap look before the digest
    reader (an assignment bracket's verbs, (市发改委牵头,各区负责), make no digest)."""
    n = m.count("负责") + m.count("牵头")
    if n < DIGEST_MIN or "(" not in m:
        return n
    n = 0
    for verb in ("负责", "牵头"):
        at = m.find(verb)
        while at >= 0:
            n += m.count("(", 0, at) == m.count(")", 0, at)
            at = m.find(verb, at + 2)
    return n


def _list_items(m: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the items of a list joined by 、 (and its last one by 和)."""
    cuts = [start, *(k + 1 for k in range(start, end) if m[k] in "、和"), end + 1]
    return [(a, b - 1) for a, b in pairwise(cuts) if b - 1 - a >= 2]


_QUOTED_DUTY = regex.compile(r"(?:由|如|其中|即)?(?P<units>[^,;:。“”\s]{2,60}?)(?P<verb>牵头负责|牵头|负责)(?:实施|落实)?的“(?P<task>[^“”]{4,300})”")
"""县发改局负责的“严格落实……”: a bulletin quotes each task after the units in charge of it."""


_UNIT_PIECES = regex.compile(r"[、,]")
_SHORT_COLLECTIVE = 8


def _plain_units(value: str) -> bool:
    """Stricter than ``looks_like_units`` for a line with no label or bracket to vouch for it:
    every piece ends like a body, or is a short collective (各有关部门), never a clause
    (各级干部要对本辖区安全生产)."""
    if not looks_like_units(value):
        return False
    suffixes = body_suffixes()
    for piece in _UNIT_PIECES.split(value.strip(" 。")):
        p = piece.strip().rstrip("等")
        if p and not p.endswith(suffixes) and len(p) > _SHORT_COLLECTIVE:
            return False
    return True


def _named_bodies(value: str) -> bool:
    """Every piece ends like a body (市司法局, 各相关单位): in the middle of a paragraph
    even a short collective must, or 各相关单位要加强配合 would read as an assignment."""
    suffixes = body_suffixes()
    pieces = [p.strip().rstrip("等") for p in _UNIT_PIECES.split(value.strip(" 。"))]
    return all(p.endswith(suffixes) for p in pieces if p)


def _without_by(f: Field) -> Field:
    """由市发展改革委 → 市发展改革委: the preposition is no part of the first unit."""
    if f.role in ROLE_FIELDS and f.text[:1] in "由请" and not f.parts:
        return Field(f.role, f.text[1:], f.start + 1)
    return f


@dataclass(slots=True, eq=False)
class Item:
    """A block of lines that may be a task. Compared by identity: an item is one place in
    the notice, and a field-by-field comparison (``items.index``) cost a third of choosing
    the tasks."""

    heading: Heading | None
    start: int
    text_start: int
    text_end: int
    end: int
    fields: list[Field] = field(default_factory=list)
    closed: bool = False
    number: str | None = None
    extra_path: list[str] = field(default_factory=list)
    """Section labels that are not outline headings (table section rows, group cells)."""
    warnings: list[str] = field(default_factory=list)
    source: str = "prose"
    lines: list[Line] = field(default_factory=list)
    anchor: Heading | None = None
    """The heading the item stands under: its own, or the last heading before it."""
    inherited: list[Field] = field(default_factory=list)
    """Fields of a group heading above (X牵头工作（N项）) that the item takes when it has none."""
    id_hint: str | None = None
    """An id the layout suggests (9-2 for the second sub-row under 序号 9)."""
    pieces: list[tuple[int, int]] = field(default_factory=list)
    """Spans of the task's own words (several when sub-items are merged into a heading task)."""
    merged: list[Heading] = field(default_factory=list)
    """Headings of numbered items merged into this one (a group one assignment closes): task
    headings too, never sections of the items after them."""
    by_subject: bool = False
    """Its units are its sentence's subject (县水务局牵头,组织…), the way a prose notice assigns."""

    @property
    def has_fields(self) -> bool:
        """Does the item carry an assignment? A leader (a person) or a remark alone is none."""
        for f in self.fields:  # a loop, not any(genexpr): asked for every item, often
            if f.role not in {"leader", "field"}:
                return True
        return False


def _lead_in(item: Item) -> bool:
    """…提到关于A、B、C,详情见下: — an unnumbered paragraph closed by a colon leads in to what
    follows; the next line is no more of its words."""
    return item.heading is None and not item.fields and item.lines[-1].mtext.rstrip().endswith(":")


def _new_item(line: Line, heading: Heading | None) -> Item:
    if heading is None:
        return Item(None, line.start, line.start, line.end, line.end, lines=[line])
    return Item(heading, line.start, heading.body_start, line.end, line.end, number=heading.number, lines=[line])


_BARE_LABEL_CHARS = 12
"""A label standing alone on its line (责任单位：) is at most this long."""


_HAN_BEFORE = regex.compile(r"\p{Han}")
_PAIRS = {")": "(", "〕": "〔", "]": "["}


def _unclosed_opener(mtext: str, lo: int, hi: int) -> int | None:
    """The last bracket opened in ``mtext[lo:hi]`` and not closed there, within the sentence."""
    closed: list[str] = []
    for i in range(hi - 1, lo - 1, -1):
        ch = mtext[i]
        if ch in "。":
            return None
        if ch in _PAIRS:
            closed.append(_PAIRS[ch])
        elif ch in "(〔[":
            if closed and closed[-1] == ch:
                closed.pop()
            elif not closed:
                return i
            else:
                return None
    return None


def _left_open(mtext: str, lo: int, hi: int) -> int | None:
    """The outermost bracket opened in ``mtext[lo:hi]`` and still open at ``hi`` (sentences
    inside it included: 〔X负责,Y参与。以下…<end>), or None."""
    if sum(mtext.count(c, lo, hi) for c in "(〔[") <= sum(mtext.count(c, lo, hi) for c in ")〕]"):
        return None  # as many closed as opened (most lines): no scan
    stack: list[int] = []
    for i in range(lo, hi):
        ch = mtext[i]
        if ch in "(〔[":
            stack.append(i)
        elif ch in _PAIRS and stack and mtext[stack[-1]] == _PAIRS[ch]:
            stack.pop()
    return stack[0] if stack else None


_LABEL_MEMO: dict[tuple[str, str], tuple[tuple[str, str, int, str], ...]] = {}
"""(character before the line, line text) → the line's label fields (role, value, offset in
the line, label); see ``_Walker._read_labels``. Pure, bounded, emptied by ``clear_memos``."""
_LABEL_MEMO_MAX = 8192


_HEADING_NAME = 12
"""At most this many characters in a body's name that is a whole heading (综合办公室)."""

_NAME_HEADING_CHARS = 40
"""A heading this short can be a task's name (项目 titles), with its task label's value below it."""


_DEMOTED_LABEL = regex.compile(r"(?P<label>\p{Han}{2,10})\s*:")
"""A numbered line's label among label lines (资金筹措:): any short run of Han before a colon."""


class _Walker:
    """State of one walk over the prose lines."""

    def __init__(self, text: str, mtext: str, outline: Outline) -> None:
        self.text = text
        self.mtext = mtext
        self.outline = outline
        self.text_end = len(mtext.rstrip())
        """Where the notice's words end (once: per line it would copy the notice)."""
        self.items: list[Item] = []
        self.current: Item | None = None
        self.label_block = False
        """True while the open item's label lines are being read."""
        self.last_field: Field | None = None
        self.anchor: Heading | None = None
        self.groups: dict[int, list[Field]] = {}
        """Group headings (X牵头工作（N项）) by heading index, with their fields."""

    def _inherited(self, head: Heading | None) -> list[Field]:
        while head is not None:
            if head.index in self.groups:
                return self.groups[head.index]
            head = head.parent
        return []

    def open(self, line: Line, heading: Heading | None) -> Item:
        item = _new_item(line, heading)
        if heading is not None:
            self.anchor = heading
            group = group_lead(self.text, self.mtext, heading.body_start, line.end)
            if group:
                self.groups[heading.index] = group
        item.anchor = self.anchor
        item.inherited = self._inherited(self.anchor if heading is None else heading.parent)
        self.items.append(item)
        self.current = item
        self.label_block = False
        self.last_field = None
        return item

    def add_fields(self, item: Item, fields: list[Field], end: int) -> None:
        item.fields.extend(fields)
        item.end = max(item.end, end)
        if fields:
            self.last_field = fields[-1]

    # --- line kinds -------------------------------------------------------------

    def _label_key(self, line: Line) -> tuple[str, str]:
        """What a line's labels depend on: its text, and the character before it (a label's
        lookbehind sees it: a line cut from a run-on after ")" opens with no label)."""
        return self.mtext[line.start - 1 : line.start], line.text

    def _read_labels(self, line: Line, key: tuple[str, str]) -> tuple[tuple[str, str, int, str], ...]:
        """The label fields of a line as (role, value, offset in the line, label); () for a line
        that is no label line. Kept in ``_LABEL_MEMO`` by ``_label_key``.

        A notice repeats its label lines word for word (完成时限：持续推进。 under half its
        tasks), and so do the notices of one government (责任单位：市政府有关部门。), so
        each wording is read once.
        """
        head = label_line_re().match(line.mtext) if ":" in line.mtext and _LABEL_START(line.mtext) else None
        if head is None:
            known: tuple[tuple[str, str, int, str], ...] = ()  # every label takes a colon
        else:
            known = tuple([(f.role, f.text, f.start - line.start, f.label)
                           for f in label_line_fields(self.text, self.mtext, line.start, line.end, head)])
        if len(_LABEL_MEMO) >= _LABEL_MEMO_MAX:
            _LABEL_MEMO.clear()
        _LABEL_MEMO[key] = known
        return known

    def label_line(self, line: Line) -> bool:
        key = self._label_key(line)
        known = _LABEL_MEMO.get(key)
        if known is None:
            known = self._read_labels(line, key)
        if not known:
            return False
        start = line.start
        self._label_fields(line, [Field(role, value, start + offset, label=label) for role, value, offset, label in known])
        return True

    def _label_fields(self, line: Line, fields: list[Field]) -> None:
        """A label line's fields: on the open item, or on a new one when they repeat a role
        the closed item has (the next task's labels)."""
        item = self.current
        if item is None or (item.closed and not self.label_block and self._repeats_role(item, fields)):
            item = self.open(line, None)
            item.text_end = item.text_start  # a task made of labels only
        self.add_fields(item, fields, line.end)
        self.label_block = True
        item.closed = True

    @staticmethod
    def _repeats_role(item: Item, fields: list[Field]) -> bool:
        """Labels after a closed item start a new one only when they repeat a role it has."""
        have = {f.role for f in item.fields}
        return not item.fields or any(f.role in have for f in fields)

    def continuation(self, line: Line) -> bool:
        """A unit list wrapped onto the next line (the label value ended with 、 or ，)."""
        f = self.last_field
        if not self.label_block or f is None or f.role == "deadline":
            return False
        if self.mtext[f.end:f.end + 1] not in ("、", ",") and self.mtext[f.end - 1:f.end] not in ("、", ","):
            return False
        item = self.current
        assert item is not None
        s, e = f.start, line.end
        while e > s and self.mtext[e - 1] in "。.;,":
            e -= 1
        merged = Field(f.role, self.text[s:e], s)
        item.fields[-1] = merged
        self.last_field = merged
        item.end = max(item.end, line.end)
        return True

    def plain_line(self, line: Line, heading: Heading | None) -> None:
        if heading is None and "的“" in line.mtext and self._quoted_tasks(line):
            return
        if heading is None and "负责" in line.mtext and "项目" in line.mtext and self._listed_projects(line):
            return
        if heading is None and "为" in line.mtext and self._back_reference(line):
            return
        m = line.mtext
        if ("负责" in m or "牵头" in m) and self._digest_line(line, heading):
            return
        item = self.current
        keyed = (task_label_re().match(line.mtext)
                 if heading is None and ":" in line.mtext and _TASK_LABEL_START(line.mtext) else None)
        if keyed is not None and keyed.end() < len(line.mtext) and self._heading_names_task(item):
            assert item is not None
            self._name_heading_fields(item, line, keyed.end())
        elif keyed is not None and keyed.end() < len(line.mtext):
            item = self.open(line, None)
            self._keyed_task(item, line, keyed.end())
        elif heading is not None or item is None or (item.closed and not self._same_paragraph(item, line)) \
                or self._new_duty_paragraph(item, line) or _lead_in(item):
            item = self.open(line, heading)
            if heading is not None and ":" in line.mtext:
                self._unit_keyed(item, heading, line)
        else:
            if self._bracket_line(item, line):
                return
            if line.mtext[-3:].rstrip("。;, ")[-2:] in role_verb_tails() and self._verb_line(item, line):
                return
            item.lines.append(line)
            item.text_end = line.end
            item.end = max(item.end, line.end)
        self.label_block = False
        self._trailing_assignment(item, line, heading)

    def _unit_keyed(self, item: Item, heading: Heading, line: Line) -> None:
        """14.市卫生局:负责…;负责… — a division of duties numbers each body with its duties:
        the body before the colon is the item's unit, the duties after it its words."""
        found = keyed_unit(self.mtext, heading.body_start, line.end)
        if found is not None:
            s, e, words = found
            self.add_fields(item, [Field("responsible", self.text[s:e], s)], line.end)
            item.text_start = words

    @staticmethod
    def _heading_names_task(item: Item | None) -> bool:
        """(一)扩大农村学前教育资源项目。 then 资金来源：…, 目标任务：… and 牵头单位：…
        lines: a short numbered heading with only labelled lines under it yet names the
        task, so the task label's value under it is one of its fields, not a task of its own."""
        if item is None or item.heading is None or item.has_fields or item.lines[0] is not item.heading.line:
            return False
        head = item.heading
        if len(head.line.text) - (head.body_start - head.line.start) > _NAME_HEADING_CHARS:
            return False
        return all(field_label_at_start(ln.mtext) is not None for ln in item.lines[1:])

    def _name_heading_fields(self, item: Item, line: Line, value_at: int) -> None:
        """The labelled lines under a heading that names its task, and the task label's line,
        become the task's fields; the heading's line is its words."""
        labelled = [(ln, field_label_at_start(ln.mtext)) for ln in item.lines[1:]]
        fields = []
        for ln, hit in [*labelled, (line, None)]:
            at = hit.end() if hit is not None else value_at
            value = ln.text[at:].strip()
            label = ln.text[:at].strip(" |:：")
            fields.append(Field("field", value, ln.end - len(ln.text[at:].lstrip()), label=label))
        head_line = item.lines[0]
        item.lines = [head_line]
        item.text_end = head_line.end
        self.add_fields(item, fields, line.end)
        self.label_block = True

    def _same_paragraph(self, item: Item, line: Line) -> bool:
        """(一)…规划信息。(市规划国土委负责落实)推进…信息公开。(市发展改革委…分别负责落实):
        a numbered item's paragraph goes on after a sentence's bracket. The line was cut
        there (``split_runons``: unnumbered sentences with brackets are tasks of their own),
        but a numbered item is the smallest task: its later sentences add their units to it.
        """
        if item.heading is None or "\n" in self.text[item.start:line.start]:
            return False  # unnumbered, or the marker stands on a line above: a title over tasks
        if _label_colon_re().search(self.mtext, item.text_end, line.start) is not None:
            return False  # labels closed it (…。 整改责任单位:X 整改时限:Y 操作间…): what follows is a task of its own
        item.closed = False
        return True

    def _bracket_line(self, item: Item, line: Line) -> bool:
        """A line that is nothing but an assignment bracket closes the open item.

        A page edge or an editor may push "（民政局）" or "（牵头单位：…）" onto a line of
        its own; it still belongs to the words above it.
        """
        br = closing_bracket(self.mtext, line.start, line.end)
        if br is None or br[0] != line.start:
            return False
        fields = parse_assignment(self.text, self.mtext, br[0] + 1, br[1] - 1, item.heading is not None)
        if not fields:
            return False
        self.add_fields(item, fields, line.end)
        item.closed = True
        self.label_block = False
        return True

    def _verb_line(self, item: Item, line: Line) -> bool:
        """A line that is nothing but an assignment in verb form closes the open item (asked
        only of a line that ends with a role verb):
        由市发展改革委、各县市区人民政府负责落实 / 市教育局牵头，市财政局配合 under the
        task's words, the way a bracket or a label line would.

        Every clause must be units with their verb (or a deadline), so a sentence of the
        task that happens to hold 负责 is not taken for one.
        """
        if len(line.mtext) > _VERB_LINE_CHARS or not item.lines:
            return False
        fields = self._verb_fields(line.start, line.end)
        if fields is None:
            return False
        self.add_fields(item, fields, line.end)
        item.closed = True
        self.label_block = False
        return True

    def _verb_fields(self, start: int, end: int) -> list[Field] | None:
        """The fields of ``text[start:end]`` when it is nothing but units with their verbs."""
        m = self.mtext
        if not self._opens_like_units_with_verb(start, end):
            return None  # a sentence of the task's words: not worth the clause reader
        fields = parse_verbs(self.text, m, start, end)
        if not fields or not any(f.role in ROLE_FIELDS for f in fields):
            return None
        while start < end and m[start] == " ":
            start += 1
        first = min(f.start for f in fields)
        if first > start + 1 and m[first - 1] != "由":  # 由 or 请 may stand before the units
            return None  # (奖励审核认定由县商务局牵头: the clause's subject before 由 too)
        if not all(f.role == "deadline" or _plain_units(m[f.start:f.end].lstrip("由请")) for f in fields):
            return None
        return [_without_by(f) for f in fields]

    def _opens_like_units_with_verb(self, start: int, end: int) -> bool:
        """由X…, or a first clause that ends with its role verb (X牵头,Y配合): the only ways
        units in verb form begin."""
        m = self.mtext
        while start < end and m[start] == " ":
            start += 1
        if m.startswith(("由", "请"), start):
            return True
        hit = _CLAUSE_END.search(m, start, end)
        return ends_with_role_verb(m, start, hit.start() if hit else end)

    def _trailing_verb_sentence(self, item: Item, lo: int, hi: int) -> bool:
        """…新增市场主体1.2万户。由市工业和信息化局牵头，市市场监管局配合: the assignment
        line run onto the task's own line (a PDF or a page joined them) is its last sentence.
        Asked only of a line that ends with a role verb."""
        m = self.mtext
        dot = m.rfind("。", lo, hi - 4)
        if dot < 0 or m.find("。", dot + 1, hi - 1) >= 0 or hi - dot > _VERB_LINE_CHARS:
            return False
        fields = self._verb_fields(dot + 1, hi)
        if fields is None:
            return False
        self.add_fields(item, fields, hi)
        item.text_end = dot + 1
        item.closed = True
        return True

    def _keyed_task(self, item: Item, line: Line, offset: int) -> None:
        """The task's words follow a task label; a marker there gives its number."""
        inner = Line(line.index, line.start + offset, line.end, line.text[offset:], line.mtext[offset:])
        marker = match_marker(inner)
        item.text_start = marker.body_start if marker is not None else inner.start
        item.number = marker.number if marker is not None else None
        while item.text_end > item.text_start and self.mtext[item.text_end - 1] in " |":
            item.text_end -= 1

    def _trailing_assignment(self, item: Item, line: Line, heading: Heading | None) -> None:
        """A closing bracket or inline labels at the end of the line close the item."""
        lo = heading.body_start if heading is not None and heading.line is line else line.start
        br = closing_bracket(self.mtext, lo, line.end)
        if br is not None and br[0] > lo and heading is not None and heading.line is line and self._named_heading(item, lo, br):
            return
        if br is not None and br[0] > lo and self._unclosed_assignment(item, lo, br, line):
            return
        if br is None and line.end >= self.text_end and not item.fields and self._bracket_cut_by_page_end(item, lo, line):
            return
        if br is not None and br[0] > lo:
            fields = parse_assignment(self.text, self.mtext, br[0] + 1, br[1] - 1, item.heading is not None)
            if fields:
                self.add_fields(item, fields, line.end)
                item.text_end = self._text_end_before(br[0], lo)
                item.closed = True
                return
        has_colon = self.mtext.find(":", lo, line.end) >= 0  # the pattern needs one: skip the scan
        m = _label_colon_re().search(self.mtext, lo, line.end) if has_colon else None
        run_on = None
        if m is None and has_colon:
            m = run_on = run_on_label_re().search(self.mtext, lo, line.end)  # …疫苗接种牵头责任部门:X
        if m is not None and m.start() > lo:
            fields = (run_on_label_fields(self.text, self.mtext, run_on, line.end) if run_on is not None
                      else parse_labels(self.text, self.mtext, m.start(), line.end))
            if fields:
                self.add_fields(item, fields, line.end)
                item.text_end = self._text_end_before(m.start(), lo)
                item.closed = True
                return
        if not item.fields and line.mtext[-3:].rstrip("。;, ")[-2:] in role_verb_tails() \
                and self._trailing_verb_sentence(item, lo, line.end):
            return  # a quick look at the line's end first: this runs for every line
        if not item.fields and self.mtext.startswith("由", lo) and self._leading_verb_clauses(item, lo, line.end):
            return
        if not item.fields and "的" in line.mtext and ("负责" in line.mtext or "牵头" in line.mtext):
            fields = self._duty_phrase(lo, line.end)
            if fields:
                self.add_fields(item, fields, line.end)
                item.closed = True

    def _back_reference(self, line: Line) -> bool:
        """4项目标的责任单位均为市发展改革委。 / 该目标责任单位为市经委。 — a sentence after the
        numbered items it counts gives them their units: the last N items (该: the last one,
        以上/上述: every one since the last assigned) that have none."""
        hit = _BACK_REFERENCE.match(self.mtext, line.start, line.end)
        if hit is None:
            return False
        s, e = hit.span("units")
        if not _named_bodies(self.mtext[s:e]):
            return False
        open_items = []
        for item in reversed(self.items):
            if item.fields or item.heading is None:
                break
            open_items.append(item)
        count = hit.group("n")
        want = len(open_items) if count is None else 1 if count == "该" else cn_to_int(count)
        if not 0 < want <= len(open_items):
            return False
        role = label_role().get(hit.group("label"), "responsible")
        for item in open_items[:want]:
            self.add_fields(item, [Field(role, self.text[s:e], s)], item.end)
            item.closed = True
        self.current = None
        return True

    def _listed_projects(self, line: Line) -> bool:
        """海南省卫健委负责A、B、C、D等四个项目;海南省教育厅负责E和F两个项目;… — a digest of
        民生实事 names each body with the projects it is in charge of. Each clause whose units
        look like bodies gives one task per project where the count it states agrees with the
        list (A、B、C、D: 四个), else one task of the whole list."""
        m = self.mtext
        found: list[Item] = []
        for hit in _LISTED_PROJECTS.finditer(m, line.start, line.end):
            s, e = hit.span("units")
            if not _named_bodies(m[s:e]):
                continue
            ls, le = hit.span("list")
            spans = _list_items(m, ls, le)
            count = hit.group("n")
            if count is None or len(spans) != cn_to_int(count.replace("两", "二")):
                spans = [(ls, hit.end())]
            found.extend(self._line_task(line, (a, a, b, b), Field("responsible", self.text[s:e], s))
                         for a, b in spans)
        return self._line_tasks(found)

    def _duty_sentences(self, line: Line, heading: Heading | None) -> bool:
        """A paragraph whose sentences each open with their body in charge (县水务局牵头,组织…。
        县环保局牵头,…): one task per sentence, its words whole. On a heading's line the
        heading is their section."""
        lo = line.start if heading is None else heading.body_start
        spans = duty_sentences(self.mtext, lo, line.end)
        if not spans:
            return False
        if heading is not None:
            self.open(line, heading).by_subject = True  # their section: its sentences are read
        return self._subject_tasks(line, spans)

    def _digest_line(self, line: Line, heading: Heading | None) -> bool:
        """A digest's line naming bodies in charge: counted tasks (有3项由X牵头,分别是…) or
        sentences each opening or closing with their bodies."""
        m = line.mtext
        if heading is None and "分别" in m and self._counted_tasks(line):
            return True
        return _duty_verbs(m) >= DIGEST_MIN and self._duty_sentences(line, heading)

    def _counted_tasks(self, line: Line) -> bool:
        """有3项由国家卫生健康委牵头,分别是A;B;C。: one task per listed item."""
        return self._subject_tasks(line, counted_tasks(self.mtext, line.start, line.end))

    def _subject_tasks(self, line: Line, spans: list[tuple[int, int, int, int, str]]) -> bool:
        """Take the tasks of a digest's line, given as (words start, end, units start, end, role):
        each task's words stand whole, its units are where the sentence names them."""
        found = [self._line_task(line, (a, a, b, b), Field(role, self.text[s:e], s)) for a, b, s, e, role in spans]
        for item in found:
            item.by_subject = True
        return self._line_tasks(found)

    def _line_task(self, line: Line, where: tuple[int, int, int, int], unit: Field) -> Item:
        """One of several tasks a single line names: (start, words start, words end, end)."""
        item = Item(None, *where, fields=[unit], lines=[line], closed=True)
        item.anchor = self.anchor
        return item

    def _line_tasks(self, found: list[Item]) -> bool:
        """Take the tasks one line named (a bulletin's quoted duties, a digest's projects)."""
        if not found:
            return False
        self.items.extend(found)
        self.current = found[-1]
        self.label_block = False
        self.last_field = None
        return True

    def _quoted_tasks(self, line: Line) -> bool:
        """Each ``UNITS负责的“TASK”`` in a bulletin's paragraph is a task of its own: the
        quoted words are its text, the units before them its assignment."""
        m = self.mtext
        found: list[Item] = []
        for hit in _QUOTED_DUTY.finditer(m, line.start, line.end):
            s, e = hit.span("units")
            if not looks_like_units(m[s:e]):
                continue
            role = "lead" if "牵头" in hit.group("verb") else "responsible"
            ts, te = hit.span("task")
            found.append(self._line_task(line, (s, ts, te, hit.end()), Field(role, self.text[s:e], s)))
        return self._line_tasks(found)

    def _new_duty_paragraph(self, item: Item, line: Line) -> bool:
        """After a finished sentence, a paragraph naming its body in charge (由X负责的…)
        is a task of its own, not more words of the unassigned lines above it."""
        if "的" not in line.mtext or item.fields or not item.lines:
            return False
        if not item.lines[-1].mtext.rstrip().endswith(("。", "!", "?")):
            return False
        return ("负责" in line.mtext or "牵头" in line.mtext) and bool(self._duty_phrase(line.start, line.end))

    def _leading_verb_clauses(self, item: Item, lo: int, hi: int) -> bool:
        """(一)由省经贸委负责，省农业厅、环保局配合，加快…: the assignment opens the task's
        sentence; the clauses that end with a role verb are it."""
        m = self.mtext
        end = lo
        for hit in _CLAUSE_END.finditer(m, lo, hi):
            if not ends_with_role_verb(m, end, hit.start()):
                break
            end = hit.start()
        if end == lo:
            return False
        fields = self._verb_fields(lo, end)
        if fields is None:
            return False
        self.add_fields(item, fields, hi)  # the words stay whole: the sentence starts with them
        item.closed = True
        return True

    def _inner_verb_clauses(self, item: Item, lo: int, hi: int) -> bool:
        """1.实施免费法律咨询便民服务。…为群众提供法律咨询35000人次,市司法局牵头实施。截至…:
        a report or a digest names the body in charge in a clause of the task's paragraph.
        A clause that is nothing but units with their role verb (with the clauses after it
        that are so too) assigns the numbered item, wherever it stands; the words stay whole.
        """
        m = self.mtext
        for verb_end in _clause_verb_ends(m, lo, hi):
            start = max(lo, *(m.rfind(ch, lo, verb_end) + 1 for ch in _CLAUSE_STOPS))
            end = verb_end
            while end < hi:
                nxt = _CLAUSE_END.search(m, end + 1, hi)
                stop = nxt.start() if nxt else hi
                if not ends_with_role_verb(m, end + 1, stop):
                    break
                end = stop
            fields = self._verb_fields(start, end)
            if fields is not None and all(_named_bodies(m[f.start:f.end]) for f in fields if f.role in ROLE_FIELDS):
                self.add_fields(item, fields, hi)
                item.closed = True
                return True
        return False

    def _by_duty(self, item: Item, lo: int, hi: int) -> bool:
        """整改要求:由县环卫站负责清除上述地段垃圾。 — a line or label value opening with 由X负责
        (or 牵头) and the action after it names the body in charge of the numbered item; the
        units must look like bodies. The words stay whole."""
        m = self.mtext
        for hit in _BY_WITH.finditer(m, lo, hi):
            s, e = hit.span("units")
            fields = together_with(self.text, m, s, e)
            if fields and all(_named_bodies(m[f.start:f.end]) for f in fields):
                self.add_fields(item, fields, hi)
                item.closed = True
                return True
        for hit in _BY_DUTY.finditer(m, lo, hi):
            s, e = hit.span("units")
            if not _named_bodies(m[s:e]):
                continue
            role = "lead" if hit.group("verb").startswith("牵头") else "responsible"
            self.add_fields(item, [Field(role, self.text[s:e], s)], hi)
            item.closed = True
            return True
        return False

    def _inner_bracket(self, item: Item, lo: int, hi: int) -> bool:
        """…确保不发生重大食品安全事故(各市州政府、兰州新区管委会)。将食品安全…: a bracket
        that closes a sentence inside the numbered item's paragraph and holds nothing but
        bodies (or units with their verbs) assigns the item; the words stay whole."""
        m = self.mtext
        at = m.find(")。", lo, hi)
        while at >= 0:
            opened = m.rfind("(", lo, at)
            if opened > lo and ")" not in m[opened + 1:at]:
                fields = parse_assignment(self.text, m, opened + 1, at, False)
                units = [f for f in fields or [] if f.role in ROLE_FIELDS]
                if units and all(_named_bodies(m[f.start:f.end]) for f in units):
                    self.add_fields(item, fields or [], hi)
                    item.closed = True
                    return True
            at = m.find(")。", at + 2, hi)
        return False

    def _duty_phrase(self, lo: int, hi: int) -> list[Field]:
        """由镇公路站负责的农村道路硬化项目 / 县发改局负责的“…”: a digest names the body in
        charge inside the task's own sentence. Only this attributive form is read (the
        units, the verb, then 的), and only where the units look like bodies."""
        m = self.mtext
        # The verb and its 的 first (a literal scan), then the units back to the clause's start:
        # a pattern tried at every position of every line cost a third of a parse.
        for hit in _duty_verb_re().finditer(m, lo, hi):
            s = e = hit.start()
            while s > lo and e - s < _DUTY_UNITS_MAX and m[s - 1] not in _DUTY_STOPS:
                s -= 1
            by = m[s] == "由"
            s += by
            if e - s < 2 or (not by and m[hit.end() : hit.end() + 1] != "“"):
                continue  # without 由, only before a quoted task (县发改局负责的“…”)
            if looks_like_units(m[s:e]):
                role = "lead" if "牵头" in hit.group("verb") else "responsible"
                return [Field(role, self.text[s:e], s)]
        return []

    def _named_heading(self, item: Item, lo: int, br: tuple[int, int]) -> bool:
        """(一)综合办公室(党群工作部、监察室、督查室、财务室): a heading that is nothing but a body's
        name and the other names it goes by names the body whose tasks follow, not an
        assignment bracket closing a task: the whole name is its unit."""
        m = self.mtext
        name = m[lo : br[0]].strip()
        if not (2 <= len(name) <= _HEADING_NAME and name.endswith(body_suffixes()) and looks_like_units(name)):
            return False
        inner = m[br[0] + 1 : br[1] - 1]
        if not looks_like_units(inner) or not all(p.endswith(body_suffixes()) for p in inner.split("、")):
            return False
        start = lo + len(m[lo:br[0]]) - len(m[lo:br[0]].lstrip())
        self.add_fields(item, [Field("responsible", self.text[start : br[1]], start)], br[1])
        return True

    def _unclosed_assignment(self, item: Item, lo: int, br: tuple[int, int], line: Line) -> bool:
        """〔X、Y、省数据局(省营商局) at the line's end: the bracket that closes the line is a
        unit's alias, and the assignment's own bracket, opened before it, was never closed
        (the page or the line was cut). Read from that opener, and say so."""
        m = self.mtext
        if m.rfind("(", lo, br[0]) < 0 and m.rfind("〔", lo, br[0]) < 0 and m.rfind("[", lo, br[0]) < 0:
            return False  # no other bracket opens before it: nothing can be left open
        if not _HAN_BEFORE.match(m, br[0] - 1):
            return False
        opened = _unclosed_opener(m, lo, br[0])
        if opened is None:
            return False
        fields = parse_assignment(self.text, self.mtext, opened + 1, br[1], item.heading is not None)
        if not fields:
            return False
        self.add_fields(item, fields, line.end)
        item.text_end = self._text_end_before(opened, lo)
        item.closed = True
        item.warnings.append("assignment bracket not closed: the text may be cut after its last unit")
        return True

    def _bracket_cut_by_page_end(self, item: Item, lo: int, line: Line) -> bool:
        """…审查。〔市经信局、市发改委负责,市生态环境局等参与,…负责落实。以下均需…不再<end>:
        the page ends inside the assignment's bracket. Its first sentence is read, and the
        task says the text was cut."""
        m = self.mtext
        if line.end < self.text_end:
            return False  # only the text's last line can be cut inside its bracket
        opened = _left_open(m, lo, line.end)
        if opened is None or opened <= lo:
            return False
        stop = m.find("。", opened, line.end)
        fields = parse_assignment(self.text, m, opened + 1, stop if stop > opened else line.end, item.heading is not None)
        units = [f for f in fields or [] if f.role in ROLE_FIELDS]
        if not units or not all(looks_like_units(m[f.start:f.end]) for f in units):
            return False
        self.add_fields(item, fields or [], line.end)
        item.text_end = self._text_end_before(opened, lo)
        item.closed = True
        item.warnings.append("assignment bracket cut off by the end of the page: its units may be incomplete")
        return True

    def _text_end_before(self, pos: int, lo: int) -> int:
        while pos > lo and self.mtext[pos - 1] in " (,;[":
            pos -= 1
        return pos

    def bare_label_line(self, line: Line, nxt: Line | None) -> int:
        """A label alone on its line, its value on the next (责任单位 / 卫健局、文旅局): a
        table flattened one cell per line, or a form. The pair reads as one label line;
        a task label (具体任务) only says that the next line opens a task. Returns how many
        lines were read: 0 (no bare label), 1 (a task label) or 2 (label and value)."""
        if nxt is None or len(line.mtext) > _BARE_LABEL_CHARS:
            return 0
        found = bare_label(line.mtext)
        if found is None or bare_label(nxt.mtext) is not None:
            return 0
        role = found[1]
        if role != "task" and nxt.index in self.outline.by_line:
            return 0  # …加强党对基层治理的全面 / 领导 / 1.完善…: a wrapped heading's last word, no label
        if role == "task":
            self.current = None  # the words on the next line open the task
            self.label_block = False
            return 1
        s, e = nxt.start, nxt.end
        while e > s and self.mtext[e - 1] in "。.;,":
            e -= 1
        field_ = Field(role, self.text[s:e], s, label=line.text.rstrip(":：").strip())
        item = self.current
        if item is None or (item.closed and not self.label_block and self._repeats_role(item, [field_])):
            item = self.open(line, None)
            item.text_end = item.text_start
        self.add_fields(item, [field_], nxt.end)
        self.label_block = True
        item.closed = True
        return 2

    def _label_headings(self) -> dict[int, str]:
        """(一)责任领导:高勤 / (二)责任单位:市教育局 / (三)协办单位:… / (四)项目内容:… under
        三、实施…工程: numbered lines that are the fields of the item above them, not items.

        Sibling headings two or more of which open with a known role, leader or deadline
        label are all read as its label lines ("label"); a sibling opening with another
        label (资金筹措:) is a field of it ("field"); numbered lines inside those are their
        value's lines ("inside"). By heading index; {} in most notices (no heading has a colon)."""
        known: dict[int | None, int] = {}
        labelled: set[int] = set()
        for h in self.outline.headings:
            m = h.line.mtext
            if ":" not in m:
                continue  # most headings: a label takes a colon
            at = h.body_start - h.line.start
            if _LABEL_START(m[at : at + 1]) and label_line_re().match(m[at:]) is not None:
                labelled.add(h.index)
                parent = h.parent.index if h.parent is not None else None
                known[parent] = known.get(parent, 0) + 1
        if not known or max(known.values()) < 2:
            return {}
        out: dict[int, str] = {}
        for h in self.outline.headings:
            parent = h.parent.index if h.parent is not None else None
            if parent is not None and parent in out:
                out[h.index] = "inside"
            elif known.get(parent, 0) >= 2:
                if h.index in labelled:
                    out[h.index] = "label"
                elif ":" in h.line.mtext and _DEMOTED_LABEL.match(h.line.mtext, h.body_start - h.line.start):
                    out[h.index] = "field"
        return out

    def _demoted(self, line: Line, heading: Heading, kind: str) -> None:
        """A numbered label line read as the open item's label line or field (see
        ``_label_headings``); a line inside such a field adds nothing."""
        off = heading.body_start - line.start
        inner = Line(line.index, heading.body_start, line.end, line.text[off:], line.mtext[off:])
        if kind == "label":
            # Read as a line of its own: a label right after the marker's ")" is no label
            # to the in-line scan, which looks behind it for the start of a clause.
            head = label_line_re().match(inner.mtext)
            d = inner.start - 1
            fields = [] if head is None else [
                Field(f.role, f.text, f.start + d, tuple((o, a + d, b + d) for o, a, b in f.parts), f.label)
                for f in label_line_fields(" " + inner.text, " " + inner.mtext, 1, len(inner.mtext) + 1, head)]
            if fields:
                self._label_fields(line, fields)
                return
        item = self.current
        hit = _DEMOTED_LABEL.match(inner.mtext) if kind != "inside" else None
        if item is not None and hit is not None:
            s, e = inner.start + hit.end(), inner.end
            label = hit.group("label")
            if e > s:
                self.add_fields(item, [Field("field", self.text[s:e], s, label=label)], line.end)
        if item is not None:
            item.end = max(item.end, line.end)

    def walk(self, lines: list[Line], skip: set[int]) -> list[Item]:
        by_line = self.outline.by_line
        portal_starts = portal_start_chars()
        pending_value = -1  # index of a line already read as the value of a bare label
        demoted = self._label_headings()
        for k, line in enumerate(lines):
            if line.index in skip:
                self.current = None
                self.label_block = False
                continue
            if line.index == pending_value:
                continue
            heading = by_line.get(line.index)
            if heading is not None and demoted and heading.index in demoted:
                self._demoted(line, heading, demoted[heading.index])
                continue
            # The portal test only where a portal label can start, and not on a wording already
            # read as label lines (it was no portal line then): most lines are answered at once.
            if (heading is None and (line.mtext[:1] in portal_starts or line.mtext.find("[", 0, KEY_OPEN_REACH) >= 0)
                    and not _LABEL_MEMO.get(self._label_key(line))
                    and is_portal_line(line.mtext)):
                self.current = None  # the page's metadata (信息来源：区政府办(外事办)): no task, ends the one before
                self.label_block = False
                continue
            if heading is None and len(line.mtext) <= _BARE_LABEL_CHARS:  # only a short line can be a bare label
                nxt = lines[k + 1] if k + 1 < len(lines) and lines[k + 1].index not in skip else None
                read = self.bare_label_line(line, nxt)
                if read:
                    if read == 2 and nxt is not None:
                        pending_value = nxt.index
                    continue
            if heading is None and self.label_line(line):
                continue
            if heading is None and self.continuation(line):
                continue
            self.plain_line(line, heading)
        self._inner_assignments()
        self._leaf_groups()
        self._paragraph_heads()
        return self.items

    def _inner_assignments(self) -> None:
        """A numbered item that ends without an assignment may name its bodies inside its
        paragraph (…,市司法局牵头实施。 / …事故(各市州政府)。将…). Read once the walk is
        over, so label lines and closing brackets, which come first, are never overridden,
        and only items left without units are looked at."""
        tails = _verb_tail_re()
        # A heading with numbered items under it is their section: its own paragraph's
        # clauses are no assignment of a task.
        parents = {it.heading.parent.index for it in self.items if it.heading is not None and it.heading.parent}
        for item in self.items:
            head = item.heading
            if item.fields or head is None or head.index in parents:
                continue
            for line in item.lines:
                lo = head.body_start if line is head.line else line.start
                verbs = tails.search(line.mtext) is not None  # most lines name no role verb: no scan
                if (verbs and self._inner_verb_clauses(item, lo, line.end)) or self._inner_bracket(item, lo, line.end):
                    break
                if "由" in line.mtext and self._by_duty(item, lo, line.end):
                    break

    def _paragraph_heads(self) -> None:
        """(一)推动经济稳定健康发展，必须…作用。 then paragraphs each closed by its own
        assignment: the heading is a whole sentence over a list of unnumbered tasks, so
        its first paragraph is the first of them, not more of the heading's words."""
        out: list[Item] = []
        items = self.items
        for k, item in enumerate(items):
            out.append(item)
            if len(item.lines) < 2 or item.heading is None or k + 1 >= len(items) or not item.has_fields:
                continue
            head = item.heading
            nxt = self.items[k + 1]
            if nxt.heading is not None or nxt.anchor is not head or not nxt.has_fields:
                continue
            if not head.line.mtext.rstrip().endswith("。") or item.lines[0] is not head.line:
                continue
            body = item.lines[1]
            first = Item(None, body.start, body.start, item.text_end, item.end, fields=item.fields, closed=True,
                         lines=item.lines[1:], anchor=head, warnings=item.warnings)
            item.fields, item.warnings, item.lines = [], [], [head.line]
            item.text_end = item.end = head.line.end
            out.append(first)
        self.items = out

    def _leaf_groups(self) -> None:
        """A group heading (（一）省审计厅牵头的工作) with no heading under it: its own
        paragraphs are the task, led by the units its title names; the title is the
        assignment, not the task's words."""
        if not self.groups:
            return  # no group heading in the notice (most notices)
        for item in self.items:
            head = item.heading
            if head is None or head.index not in self.groups or item.text_end <= head.line.end:
                continue
            if any(o is not item and o.heading is not None and is_under(o.heading, head) for o in self.items):
                continue
            have = {f.role for f in item.fields}
            item.fields = [*(f for f in self.groups[head.index] if f.role not in have), *item.fields]
            body = head.line.end
            while body < item.text_end and self.text[body].isspace():
                body += 1
            item.text_start = body


def segment_prose(text: str, mtext: str, lines: list[Line], outline: Outline, skip: set[int]) -> list[Item]:
    """Items of the prose part of the notice (lines in ``skip`` belong to tables)."""
    return _Walker(text, mtext, outline).walk(lines, skip)
