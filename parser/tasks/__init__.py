"""Tasks: segmentation and field attachment, for every layout.

tables (parser/tables.py) → table items; prose lines → items (segment.py); the
items that carry an assignment become tasks (build.py), in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import regex

from parser.data import load_json
from parser.lines import Line
from parser.outline import Outline, section_fields
from parser.rx import literal_alternation
from parser.tasks.assign import FirstListed, first_listed_re
from parser.tasks.build import build_tasks, select_tasks, standing_units, task_headings
from parser.tasks.segment import Item, segment_prose
from parser.tasks.subjects import assign_subjects, assigns_nothing, digest_items, duty_paragraphs, plan_body_start
from parser.tasks.table import table_items
from parser.units import UnitContext


@dataclass(slots=True)
class TaskResult:
    tasks: list[dict] = field(default_factory=list)
    """Field dicts of ``schemas.notice.Task``, validated with the whole notice."""
    sections: list[dict] = field(default_factory=list)
    """Field dicts of the section tree (``schemas.notice.Section``), task headings left out."""
    warnings: list[str] = field(default_factory=list)


def first_is_lead(mtext: str) -> FirstListed | None:
    """The first-unit-leads convention, or None when the notice never states it."""
    found = _first_is_lead_re().search(mtext)
    if found is not None:
        return _convention(mtext, found.start(), found.end())
    grammar = first_listed_re()  # the convention's other wordings (列第一位者为牵头单位)
    # The grammar only around each 为/是…牵头 and 部门/单位牵头: a scan of the whole notice cost
    # more than the rest, and so did a Python loop over every 牵头.
    for near in _NEAR_LEAD.finditer(mtext):
        at = near.end() - 2
        m = grammar.search(mtext, max(0, at - _GRAMMAR_REACH), at + 10)
        if m is not None:
            return _convention(mtext, m.start(), m.end())
    return None


def _convention(mtext: str, start: int, end: int) -> FirstListed:
    """Its scope (0, or ``start`` when 下同 follows: it speaks of what comes after it) and the
    role it gives the other units."""
    rest = "cooperating" if _rest_cooperate_re().match(mtext, end, end + _REST_REACH) else "responsible"
    if rest == "cooperating":
        end = mtext.find(",", end + 1, end + _REST_REACH)  # 下同 after the clause about the rest
        end = len(mtext) if end < 0 else end
    after = mtext[end : end + 4].lstrip(",;:、 ")
    return FirstListed(start if after.startswith(tuple(load_json("conventions.json")["from_here_on"])) else 0, rest)


_REST_REACH = 16
"""The clause on the other units (,其余为参与单位) follows the convention within this many characters."""


@cache
def _rest_cooperate_re() -> regex.Pattern[str]:
    return regex.compile(load_json("conventions.json")["rest_cooperate"])


_NEAR_LEAD = regex.compile(r"牵头(?<=(?:[为是].{0,2}|部门|单位)牵头)", regex.DOTALL)
"""牵头 with 为 or 是 among the three characters before it, or right after 部门/单位 (为(工作)牵头,
的部门牵头); the literal first, so the scan jumps from one 牵头 to the next."""
_GRAMMAR_REACH = 16
"""The convention's words before its 为牵头 take at most this many characters (列第一位者为)."""


@cache
def _first_is_lead_re() -> re.Pattern[str]:
    """The convention's phrasings in one scan (25 ``in`` tests over a notice took 40 µs)."""
    return literal_alternation(load_json("conventions.json")["first_is_lead"])


def _assigned_by_title(item: Item, title: tuple[int, int]) -> bool:
    """Does the item take its assignment from the title's own words? (2019年4月21日卫生城市检查
    (张建辉督查路段) closes with a bracket that is no assignment.) A title line followed by
    label lines may still be a task's words: the labels then stand outside the title."""
    return bool(item.fields) and title[0] <= item.start < title[1] and all(title[0] <= f.start < title[1] for f in item.fields)


def extract_tasks(text: str, mtext: str, lines: list[Line], outline: Outline, ctx: UnitContext,
                  notice_date: date | None, title: tuple[int, int] | None = None,
                  plan_title: str | None = None) -> TaskResult:
    """Every task of the notice, in document order, and the section tree without the task headings.

    ``title`` is the span of the notice's title: its words assign nothing (``_assigned_by_title``).
    ``plan_title``: the plan the notice issues, whose body alone may name units as subjects."""
    tabled, table_lines = table_items(text, mtext, lines, outline)
    warnings: list[str] = []
    items = segment_prose(text, mtext, lines, outline, table_lines)
    if title is not None:
        items = [it for it in items if not _assigned_by_title(it, title)]
    if not tabled and assigns_nothing(items) and (body := plan_body_start(mtext, plan_title)) is not None:
        items = assign_subjects(items, text, mtext, body)  # a prose notice: its sentences' subjects are the units
    else:
        items = duty_paragraphs(items, text, mtext)  # 区住建局负责…。/区委农办要…。 paragraph by paragraph
    if not tabled and assigns_nothing(items):
        items = digest_items(items, text, mtext)  # a news report of a division of work, task by sentence
    prose = select_tasks(items, warnings, text)
    items = sorted([*prose, *tabled], key=lambda it: it.start)
    tasks = build_tasks(text, items, ctx, notice_date, first_is_lead(mtext), standing_units(text, mtext, ctx))
    heads = task_headings(items)
    return TaskResult(tasks=tasks, warnings=warnings, sections=section_fields(outline, heads, len(text)))
