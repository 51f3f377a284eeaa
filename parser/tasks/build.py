"""Items -> Task records: which items are tasks, their units, deadlines, ids and paths.

Rules (../shared/corpus/GOLD_FORMAT.md): a task is the smallest numbered item that
carries its own assignment; where the assignment hangs on a heading, that heading is
the task and the sub-items without assignments of their own are part of its words.
Units of a heading's assignment are not copied down to sub-items that have their own.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache

import regex

from parser.confidence import assess
from parser.data import load_json
from parser.deadlines import deadline_fields, find_deadline_clause
from parser.outline import Heading, ancestors, is_under
from parser.tables import lead_marks
from parser.tasks.assign import ROLE_FIELDS, Field, FirstListed, standing_re
from parser.tasks.segment import Item
from parser.units import UnitContext, unit_fields


def _is_descendant(item: Item, head: Heading) -> bool:
    """Does ``item`` stand under heading ``head`` (deeper level, same branch)?"""
    h = item.heading
    if h is None:
        a = item.anchor
        return a is not None and (a is head or is_under(a, head))
    return is_under(h, head)


def _inherit(item: Item) -> None:
    """A group heading's fields fill the roles an item under it does not name itself."""
    if not item.inherited or item.heading is None:
        return
    have = {f.role for f in item.fields}
    item.fields = [*(f for f in item.inherited if f.role not in have), *item.fields]


def _lift_shared_assignment(items: list[Item]) -> None:
    """Labels after the last of several sub-items, none of which has its own, belong to their heading.

    （一）清理审批事项。 1.… 2.… 牵头单位：… — the assignment closes the group, so
    the heading is the task and the sub-items are its words. Sub-items that each carry
    an assignment stay tasks of their own.
    """
    children: dict[int, list[Item]] = {}
    parents: dict[int, Item] = {}
    for item in items:
        h = item.heading
        if h is None:
            continue
        parents[h.index] = item
        if h.parent is not None:
            children.setdefault(h.parent.index, []).append(item)
    for pidx, kids in children.items():
        parent = parents.get(pidx)
        if parent is None or parent.has_fields or len(kids) < 2:
            continue
        *first, last = kids
        if last.has_fields and not any(k.has_fields for k in first) and not last.inherited and not last.by_subject:
            parent.fields, last.fields = last.fields, []
            parent.end = max(parent.end, last.end)


def _merge_restarting_groups(items: list[Item]) -> list[Item]:
    """1.… 2.… 整改责任单位：X 1.… 整改责任单位：Y — where the numbering starts again at 1 after
    each assignment, the numbered items before one are a group it closes (a problem list
    whose problems one body rectifies): one task, its words running from the first item to
    the last, instead of one task and unassigned neighbours that would be dropped."""
    starts = Counter((it.heading.kind, id(it.heading.parent)) for it in items
                     if it.heading is not None and it.heading.value == 1)
    out: list[Item] = []
    run: list[Item] = []  # numbered siblings since a restart at 1, none with an assignment yet
    for item in items:
        h = item.heading
        if h is not None and h.value == 1 and starts[(h.kind, id(h.parent))] >= 2:
            out.extend(run)
            run = [item]
        elif run and h is not None and _next_sibling(run[-1].heading, h):
            run.append(item)
        else:
            out.extend(run)
            out.append(item)
            run = []
            continue
        if item.has_fields:
            out.append(_merged(run) if len(run) > 1 else item)
            run = []
    out.extend(run)
    return out


def _next_sibling(prev: Heading | None, h: Heading) -> bool:
    return prev is not None and h.kind == prev.kind and h.parent is prev.parent and h.value == prev.value + 1


def _merged(run: list[Item]) -> Item:
    """The group's first item, taking the last one's assignment and every item's words."""
    first, last = run[0], run[-1]
    first.fields, last.fields = last.fields, []
    first.text_end, first.end = last.text_end, max(first.end, last.end)
    first.lines = [ln for r in run for ln in r.lines]
    first.merged = [r.heading for r in run[1:] if r.heading is not None]
    first.closed = True
    return first


def select_tasks(items: list[Item], warnings: list[str] | None = None, text: str = "") -> list[Item]:
    """Items with fields; field-less sub-items merged into the heading task above them.

    An item that names only a leader is not a task (a notice-level warning says where
    it stands), unless the page is cut inside it (``_cut_last``).
    """
    tasks: list[Item] = []
    open_task: Item | None = None
    for item in items:
        _inherit(item)
    _lift_shared_assignment(items)
    items = _merge_restarting_groups(items)
    cut = _last_item(items, text)
    parent = _cut_parent(items, cut)
    for item in items:
        item.pieces = [(item.text_start, item.text_end)] if item.text_end > item.text_start else []
        if item.has_fields:
            tasks.append(item)
            open_task = item if item.heading is not None else None
            continue
        if (item is cut and item.heading is None and open_task is not None and _title_only(open_task, text)
                and _cut_last(item, tasks, text)):
            tasks.append(item)  # a second paragraph under a title-only heading, cut by the page end
            continue
        if open_task is not None and open_task.heading is not None and _is_descendant(item, open_task.heading):
            open_task.pieces.extend(item.pieces)
            open_task.end = max(open_task.end, item.end)
            continue
        if item is parent and cut is not None and _cut_last(item, tasks, text, cut.end):
            tasks.append(item)  # 2.健全…机制 (1)… (2)…<cut>: its sub-items stay its words
            open_task = item
            continue
        open_task = None
        if item is cut and _cut_last(item, tasks, text):
            tasks.append(item)
        elif item.fields and warnings is not None:
            warnings.append(f"item at {item.start} names a leader but no unit or deadline: not taken as a task")
    _paragraph_tasks(tasks, text)
    return tasks


_SENTENCE_STOPS = "。;!?"


def _title_only(item: Item, text: str) -> bool:
    """Is the item a heading whose line is a title only, its words on the lines after it?"""
    h = item.heading
    if h is None or len(item.lines) < 2 or item.lines[0] is not h.line:
        return False
    title = text[h.body_start:h.line.end].rstrip()
    if len(title) <= _SHORT_TITLE and title[-1:] in "。.":
        title = title[:-1]  # 1.主要指标的责任部门。: a short title may close with a full stop
    return not any(c in title for c in _SENTENCE_STOPS)


_SHORT_TITLE = 24
"""At most this many characters in a heading title that ends with its own full stop."""


def _paragraph_tasks(tasks: list[Item], text: str) -> None:
    """Under a heading that is a title only ((一)优化区域经济发展格局), paragraphs that each
    close with their own assignment are the tasks and the heading is their section.

    The walker gives the first paragraph to the heading's item (a heading whose assignment
    follows its words is the task); when a sibling paragraph under the same heading
    carries an assignment of its own, the first one is a paragraph task too.
    """
    for k, item in enumerate(tasks):
        h = item.heading
        if h is None or not _title_only(item, text):
            continue
        sibling = next((t for t in tasks[k + 1:] if t.heading is None and t.anchor is h), None)
        if sibling is None:
            continue
        first = item.lines[1]
        item.heading, item.anchor, item.number = None, h, None
        item.start = item.text_start = first.start
        item.pieces = [(first.start, item.text_end)] if item.text_end > first.start else []


_SENTENCE_END = "。！？!?;；」”\"）)】]"


_FRAGMENT = 8


def _last_item(items: list[Item], text: str) -> Item | None:
    """The item the page end may have cut: the last one, or the one before a short
    fragment the cut left on a line of its own (牵头责)."""
    if not items:
        return None
    last = items[-1]
    if len(items) > 1 and last.heading is None and not last.fields and len(text[last.start:last.end].strip()) <= _FRAGMENT:
        return items[-2]
    return last


_DATE_LINE_END = regex.compile(
    r"\n[ \t\u3000]*(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t\u3000]*年[ \t\u3000]*"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})[ \t\u3000]*月[ \t\u3000]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t\u3000]*日$")
"""A full date alone on the text's last line: a signature's, so the page was not cut."""


def _cut_parent(items: list[Item], cut: Item | None) -> Item | None:
    """The numbered item whose sub-items the page end cut (2.健全… then (1)… (2)…<cut>),
    when neither it nor they carry an assignment: it may be the cut task."""
    if cut is None or cut.heading is None or cut.fields:
        return None
    for item in reversed(items[: items.index(cut)]):
        if item.fields or item.heading is None:
            return None
        if is_under(cut.heading, item.heading):
            return item
    return None


@cache
def _footer_words() -> tuple[str, ...]:
    return tuple(load_json("meta_words.json")["page_footer_words"])


def _cut_last(item: Item, tasks: list[Item], text: str, end: int | None = None) -> bool:
    """Is the notice's last item a task whose assignment the page end cut off?

    A partial page (a portal excerpt, a mirror) often ends inside the last task: in its
    words or in its label block (牵头责…). Such an item is still a task (GOLD_FORMAT), with
    what was written before the cut, when it is a sibling of the task before it (same
    heading level, or a paragraph under the same heading) and the text stops without
    closing its sentence. It says so.
    """
    end = item.end if end is None else end
    if text[end:].strip() and len(text[end:].strip()) <= _FRAGMENT:
        end = len(text.rstrip())  # the fragment the cut left on its own line
    if not tasks or not text or text[end:].strip():
        return False
    prev = tasks[-1]
    if item.heading is not None and prev.heading is not None:
        if item.heading.level != prev.heading.level:
            return False
    elif item.heading is not None or item.anchor is None or item.anchor not in (prev.heading, prev.anchor):
        return False  # an unnumbered paragraph is cut under the heading of the task before it
    tail = text[:end].rstrip()
    if not tail or (tail[-1] in _SENTENCE_END and tail[-1] != ":"):
        return False
    if _DATE_LINE_END.search(tail):
        return False  # the page ends with its signature's date: nothing was cut
    if any(w in text[item.start:end] for w in _footer_words()):
        return False  # 如发现本站文章存在版权问题…扫一扫: the site's footer, no task
    item.end = end
    item.warnings.append("cut off by the end of the page: its assignment is missing or incomplete")
    return True


def task_headings(tasks: list[Item]) -> set[int]:
    heads = {t.heading.index for t in tasks if t.heading is not None}
    heads.update(h.index for t in tasks for h in t.merged)
    return heads


def section_path(item: Item, task_heads: set[int]) -> list[str]:
    """Labels of the enclosing headings that are sections (not tasks), outermost first."""
    if item.heading is not None:
        chain = ancestors(item.heading, task_heads)
    elif item.anchor is not None:
        chain = [*ancestors(item.anchor, task_heads)]
        if item.anchor.index not in task_heads:
            chain.append(item.anchor)
    else:
        chain = []
    return [h.label for h in chain] + item.extra_path


def _roles(item: Item, ctx: UnitContext) -> dict[str, list[dict]]:
    """The item's units by role (field dicts, spans in the notice), in one pass over its fields."""
    roles: dict[str, list[dict]] = {role: [] for role in ROLE_FIELDS}
    seen: set[str] = set()
    again: set[str] = set()  # roles given by more than one field: only they can name a unit twice
    for f in item.fields:
        out = roles.get(f.role)
        if out is None:
            continue  # deadline, leader
        (again if f.role in seen else seen).add(f.role)
        if not f.parts:
            out.extend(unit_fields(f.text, f.start, ctx))
            continue
        for u in unit_fields(f.text, 0, ctx):  # joined from wrapped cell lines
            s, e = u["span"]
            u["span"] = (f.to_notice(s), f.to_notice(e, end=True))
            out.append(u)
    for role in again:
        roles[role] = _once_each(roles[role])
    return roles


def _once_each(units: list[dict]) -> list[dict]:
    """A unit named in two of a task's assignments (…(市教委负责)…(市体育局、市教委分别负责))
    is one unit of that role: its first mention is kept."""
    seen: set[str] = set()
    out = []
    for u in units:
        if u["name"] not in seen:
            seen.add(u["name"])
            out.append(u)
    return out


def _deadline_in_words(text: str, item: Item, notice_date: date | None) -> dict | None:
    """A time limit written inside the task's own sentence (…，2018年底前完成。（X牵头）).

    Only for tasks that name units but no deadline field; the clause finder takes a date
    only where it reads as a limit (前/底前/完成/力争…), not a date mentioned in passing.
    """
    for s, e in reversed(item.pieces):
        found = find_deadline_clause(text[s:e], s)
        if found is not None and not _duration().search(found[0]):
            phrase, at = found
            return deadline_fields(phrase, at, notice_date)
    return None


@cache
def _duration() -> regex.Pattern[str]:
    """A phrase that is only a count of days (1个工作日以内): a duration, no deadline."""
    units = "|".join(regex.escape(u) for u in load_json("deadline_words.json")["duration_units"])
    return regex.compile(rf"^\D{{0,4}}\d+\s*(?:{units})\s*(?:以内|之内|内)")


@cache
def _period_labels() -> frozenset[str]:
    return frozenset(load_json("labels.json")["deadline_period"])


def _deadline_field(item: Item) -> Field | None:
    """The task's deadline field: the first one, unless it labels a period (实施时间：2022年1-12月)
    and a later one labels the completion (完成时间：2022年12月)."""
    found = [f for f in item.fields if f.role == "deadline"]
    if len(found) > 1 and "".join(found[0].label.split()) in _period_labels():
        return next((f for f in found if "".join(f.label.split()) not in _period_labels()), found[0])
    return found[0] if found else None


def _deadline(item: Item, notice_date: date | None, text: str = "") -> dict | None:
    first = _deadline_field(item)
    if first is None:
        return _deadline_in_words(text, item, notice_date) if text and item.source == "prose" else None
    if not first.parts:
        return deadline_fields(first.text, first.start, notice_date)
    d = deadline_fields(first.text, 0, notice_date)  # fresh dicts: spans are moved in place
    d["span"] = (first.start, first.end)
    for m in d["milestones"]:
        if m.get("span") is not None:
            s, e = m["span"]
            m["span"] = (first.to_notice(s), first.to_notice(e, end=True))
    return d


def _task_text(text: str, item: Item) -> tuple[str, tuple[int, int] | None]:
    pieces = [(s, e) for s, e in item.pieces if e > s]
    if not pieces:
        return "", None
    words = "\n".join([text[s:e].strip() for s, e in pieces])
    return words, (pieces[0][0], pieces[-1][1])


def unique_ids(numbers: list[str | None], paths: list[list[str]]) -> list[str]:
    """The task's number when unique; else qualified by its section markers; else its position."""
    ids: list[str] = []
    counts: dict[str, int] = {}
    for n in numbers:
        if n:
            counts[n] = counts.get(n, 0) + 1
    seen: set[str] = set()
    next_k: dict[str, int] = {}  # where the #k search resumes: from 2 each time was quadratic on 20,000 repeats
    for pos, (n, path) in enumerate(zip(numbers, paths, strict=True), 1):
        if n and counts[n] == 1:
            cand = n
        elif n:
            prefix = "/".join(p.split("、")[0].split(")")[0].split("）")[0] for p in path[-2:])
            cand = f"{prefix}/{n}" if prefix else n
        else:
            cand = f"t{pos}"
        base = cand
        k = next_k.get(base, 2)
        while cand in seen:
            cand = f"{base}#{k}"
            k += 1
        next_k[base] = k
        seen.add(cand)
        ids.append(cand)
    return ids


def standing_units(text: str, mtext: str, ctx: UnitContext) -> tuple[int, list[dict]] | None:
    """(where it is said, units) of a standing assignment: 以下…均需X落实，不再单独列出.

    The notice names X once for every task after that point; the lists leave them out.
    """
    if "不再" not in mtext:
        return None
    m = standing_re().search(mtext)
    if m is None:
        return None
    a, b = m.span("units")
    units = unit_fields(text[a:b], a, ctx)
    return (m.start(), units) if units else None


def _add_standing(roles: dict[str, list[dict]], standing: list[dict]) -> None:
    """Each standing unit the task does not name already becomes one of its responsible units."""
    named = {u["name"] for units in roles.values() for u in units}
    roles["responsible"] = roles["responsible"] + [dict(u) for u in standing if u["name"] not in named]


def build_tasks(text: str, items: list[Item], ctx: UnitContext, notice_date: date | None,
                first_is_lead: FirstListed | None, standing: tuple[int, list[dict]] | None = None) -> list[dict]:
    """The task records, as the field dicts of ``schemas.notice.Task``.

    Plain dicts, not models: the pipeline validates the notice once, which checks every
    task, unit and deadline in one call into pydantic-core (a third of the cost of one
    validation per record).
    """
    task_heads = task_headings(items)
    paths = [section_path(it, task_heads) for it in items]
    ids = unique_ids([it.id_hint or it.number for it in items], paths)
    tasks: list[dict] = []
    text_end = len(text.rstrip())  # once: per task it would copy the whole notice
    # A unit's text is the notice's own characters: without a lead mark in the notice (most
    # notices) no unit carries one, and the per-unit look is skipped.
    marked = any(mark in text for mark in lead_marks())
    for item, path, tid in zip(items, paths, ids, strict=True):
        words, text_span = _task_text(text, item)
        roles = _roles(item, ctx)
        warnings = list(item.warnings)
        if marked:
            _marked_leads(roles)
        _flag_cut_unit(roles, text_end, warnings)
        if first_is_lead is not None and item.end > first_is_lead.start and not roles["lead"] and roles["responsible"]:
            first, rest = roles["responsible"][:1], roles["responsible"][1:]
            roles["lead"], roles["responsible"] = first, []
            roles[first_is_lead.rest] = roles[first_is_lead.rest] + rest
        if standing is not None and item.end > standing[0]:
            _add_standing(roles, standing[1])
        if not (roles["lead"] or roles["responsible"] or roles["cooperating"]):
            warnings.append("no unit assigned")
        deadline = _deadline(item, notice_date, text)
        if deadline is not None and "unknown" in [m["kind"] for m in deadline["milestones"]]:
            warnings.append(f"deadline not understood: {deadline['text']}")
        task = {
            "id": tid, "number": item.number, "section_path": path, "text": words, "span": (item.start, item.end),
            "text_span": text_span, "deadline": deadline, "warnings": warnings, **roles, **_labelled(item),
        }
        task["confidence"] = assess(task)
        tasks.append(task)
    return tasks


def _flag_cut_unit(roles: dict[str, list[dict]], text_end: int, warnings: list[str]) -> None:
    """The page ends inside the last unit's name (…、市科): kept as written (the gold
    convention), with a warning, since it may name no body. A stub of one character
    (…、市) names nothing at all: it is left out, and the warning says so."""
    for role, units in roles.items():
        if units and units[-1]["span"][1] >= text_end:
            cut = units[-1]["text"]
            if len(units[-1]["name"]) <= 1:
                roles[role] = units[:-1]
                warnings.append(f"unit cut off by the end of the page, left out: {cut}")
            else:
                warnings.append(f"unit cut off by the end of the page: {cut}")


def _is_marked(text: str, marks: str) -> bool:
    return bool(text) and (text[0] in marks or text[-1] in marks)


def _marked_leads(roles: dict[str, list[dict]]) -> None:
    """Units written with a lead mark (★区发改委, 区发改委*) lead; the mark leaves the name
    and span. Where a list marks its lead, the units it leaves unmarked are responsible,
    even in a 牵头单位 column (“标注★的为牵头单位，其余为责任单位”)."""
    marks = lead_marks()
    if not any(_is_marked(u["text"], marks) for units in roles.values() for u in units):
        return
    unmarked = [u for u in roles["lead"] if not _is_marked(u["text"], marks)]
    if unmarked:
        roles["lead"] = [u for u in roles["lead"] if _is_marked(u["text"], marks)]
        roles["responsible"] = unmarked + roles["responsible"]
    for role in ("lead", "responsible", "cooperating"):
        keep = []
        for u in roles[role]:
            if _is_marked(u["text"], marks):
                _drop_mark(u, marks)
                (keep if role == "lead" else roles["lead"]).append(u)
            else:
                keep.append(u)
        roles[role] = keep


def _drop_mark(u: dict, marks: str) -> None:
    """The unit's text, name and span without the lead mark on either side."""
    head = len(u["text"]) - len(u["text"].lstrip(marks))
    tail = len(u["text"]) - len(u["text"].rstrip(marks))
    u["text"] = u["text"][head:len(u["text"]) - tail]
    u["name"] = u["name"].strip(marks)
    u["span"] = (u["span"][0] + head, u["span"][1] - tail)


def _labelled(item: Item) -> dict[str, list[dict]]:
    """The item's persons (leaders) and other labelled values (fields), spans in the notice."""
    out: dict[str, list[dict]] = {"leaders": [], "fields": []}
    for f in item.fields:
        if f.role == "leader":
            out["leaders"].append({"role": f.label or "领导", "text": f.text, "span": (f.start, f.end)})
        elif f.role == "field":
            out["fields"].append({"label": f.label, "text": f.text, "span": (f.start, f.end)})
    return out
