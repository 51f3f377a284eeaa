"""HTML review pages: the notice text with every extracted value highlighted in place.

One self-contained page per notice (``<stem>.html``, beside ``<stem>.json``) and an
``index.html`` over all of them. A reviewer checks the parser's work by reading the
notice itself: each task, unit, deadline and meta value is marked at its span, with
the normalized value on hover, so a wrong or missing value is visible where it
happens. Nothing is fetched from the network (CSS, JS and SVG are inline, and a
Content-Security-Policy forbids any other load), the notice text is escaped, and
the only scripts allowed to run are the page's own (by hash), so a ``<script>`` in a
notice stays text. Output is deterministic: the same record gives the same bytes.

A reviewer can also correct a task on the page (✎ in the task list): move a unit to
another role, add or remove one, fix a milestone's date, mark a false task. "Save
corrections" downloads them as JSON keyed by ``source.sha256`` and the task key, for
``--corrections`` (``parser/corrections.py``); the page still needs no server.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import itertools
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

import regex

from parser.data import load_json
from parser.textnorm import match_text
from parser.writers.atomic import write_text
from parser.writers.outputs import json_name, output_stems
from schemas.notice import ROLES, Deadline, Milestone, Notice, Task, Unit

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")

# Nesting rank: for equal spans the lower rank is the outer element.
_RANK = {"task": 0, "meta": 1, "deadline": 2, "milestone": 3, "unit": 4, "stray": 5}
# Which marks stay whole when two spans cross (lower = kept whole; the other is cut).
_KEEP = {"unit": 0, "deadline": 1, "milestone": 2, "meta": 3, "task": 4, "stray": 5}
# Milestone kinds that carry no date of their own are counted apart from the months.
UNDATED_KINDS = ("ongoing", "long_term", "periodic", "follow_upstream", "conditional", "start", "unknown")
ROLE_COLOURS = {"lead": "#f59f00", "responsible": "#37b24d", "cooperating": "#339af0"}
TOP_UNITS = 12
_MONTH = regex.compile(r"^(\d{4})-(\d{2})")


@cache
def _asset(name: str) -> str:
    with open(os.path.join(ASSETS, name), encoding="utf-8") as fh:
        return fh.read()


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


# C0 controls other than tab/newline are written as character references, so that the
# browser's text equals the record's text (a raw CR would be folded into a newline).
_CONTROL = regex.compile(r"[\x01-\x08\x0b-\x1f\x7f]")
_UNENCODABLE = regex.compile(r"[\x00\ud800-\udfff]")


def _esc_text(text: str) -> str:
    """Escape notice text for element content, keeping every character's identity."""
    out = html.escape(text, quote=False)
    out = _CONTROL.sub(lambda m: f"&#{ord(m.group())};", out)
    return _UNENCODABLE.sub("\ufffd", out)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- value labels (hover)


def milestone_label(m: Milestone) -> str:
    """``by 2017-12-31 (month)``, ``range 2018-01-01–2020-12-31``, ``periodic quarter``."""
    parts = [m.kind]
    if m.start and m.date:
        parts.append(f"{m.start}–{m.date}")
    elif m.start:
        parts.append(f"from {m.start}")
    elif m.date:
        parts.append(m.date)
    if m.period:
        parts.append(m.period)
    if m.precision:
        parts.append(f"({m.precision})")
    return " ".join(parts)


def deadline_label(d: Deadline) -> str:
    return "deadline: " + ("; ".join(milestone_label(m) for m in d.milestones) or "no milestones")


def unit_label(role: str, u: Unit) -> str:
    """Role, normalized name, canonical name and level: what the record says of the unit."""
    parts = [f"{role}: {u.name}"]
    if u.canonical:
        parts.append(f"= {u.canonical}")
    parts.append(f"level {u.level}")
    if u.collective:
        parts.append("collective")
    if u.qualifier:
        parts.append(f"qualifier {u.qualifier}")
    return " · ".join(parts)


def task_label(t: Task) -> str:
    lines = [f"task {t.number or t.id} (id {t.id})"]
    if t.section_path:
        lines.append(" › ".join(t.section_path))
    for role in ROLES:
        units = getattr(t, role)
        if units:
            lines.append(f"{role}: " + "、".join(u.name for u in units))
    if t.deadline:
        lines.append(deadline_label(t.deadline))
    lines.extend(f"warning: {w}" for w in t.warnings)
    return "\n".join(lines)


def _meta_values(notice: Notice) -> dict[str, str]:
    """Hover text per meta field: the normalized value behind each meta span."""
    meta = notice.meta
    values: dict[str, str] = {}
    for field in ("title", "plan_title", "issuer", "issue_date", "printed_by", "printed_date"):
        value = getattr(meta, field)
        if value:
            values[field] = str(value)
    if meta.doc_number:
        dn = meta.doc_number
        values["doc_number"] = f"{dn.text} (org {dn.org}, year {dn.year}, serial {dn.serial})"
    for field in ("recipients", "cc", "attachments"):
        items = getattr(meta, field)
        if items:
            values[field] = "、".join(items)
    return values


# ---------------------------------------------------------------- marks and nesting


@dataclass(frozen=True, slots=True)
class Mark:
    """One highlighted span: element, attributes and hover text."""

    start: int
    end: int
    group: str  # task | meta | deadline | milestone | unit | stray
    kind: str  # the data-kind attribute
    title: str
    tag: str = "mark"
    dom_id: str | None = None
    classes: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()
    part: bool = False


def task_dom_id(task: Task) -> str:
    """``task-<id>``: ids may hold any character but whitespace."""
    return "task-" + regex.sub(r"\s", "_", task.id)


def _task_marks(task: Task) -> list[Mark]:
    classes = ("warn",) if task.warnings else ()
    marks = [Mark(task.span[0], task.span[1], "task", "task", task_label(task), tag="span",
                  dom_id=task_dom_id(task), classes=classes, extra=(("data-task", task.id),))]
    for role in ROLES:
        marks.extend(Mark(u.span[0], u.span[1], "unit", role, unit_label(role, u) + (" · corrected" if u.corrected else ""),
                          classes=("corrected",) if u.corrected else (), extra=(("data-task", task.id),))
                     for u in getattr(task, role))
    if task.deadline:
        d = task.deadline
        marks.append(Mark(d.span[0], d.span[1], "deadline", "deadline", deadline_label(d),
                          extra=(("data-task", task.id),)))
        marks.extend(Mark(m.span[0], m.span[1], "milestone", "milestone", milestone_label(m), tag="span",
                          extra=(("data-task", task.id),))
                     for m in d.milestones if m.span)
    return marks


def _meta_marks(notice: Notice) -> list[Mark]:
    values = _meta_values(notice)
    spans = dict(notice.meta.spans)
    if notice.meta.doc_number and notice.meta.doc_number.span and "doc_number" not in spans:
        spans["doc_number"] = notice.meta.doc_number.span
    marks = []
    for field, span in sorted(spans.items()):
        label = field.replace("_", " ")
        value = values.get(field)
        title = f"{label}: {value}" if value else label
        marks.append(Mark(span[0], span[1], "meta", field, title, classes=("meta",), extra=(("data-field", field),)))
    for ref in notice.meta.references:
        if ref.span:
            title = "reference: " + ref.title + (f" ({ref.doc_number})" if ref.doc_number else "")
            marks.append(Mark(ref.span[0], ref.span[1], "meta", "reference", title, classes=("meta",),
                              extra=(("data-field", "references"),)))
    return marks


def _alternation(words: Iterable[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@cache
def _cue_pattern() -> regex.Pattern[str]:
    """Assignment wording: a role or deadline label with its colon, or a role verb in a parenthesis.

    The words come from the parser's vocabularies (labels.json, role_verbs.json). A bare
    负责 or 配合 in prose (主要负责同志, 协作配合) is not flagged: only the two shapes
    that assign units in these notices are.
    """
    labels = load_json("labels.json")
    verbs = load_json("role_verbs.json")
    label = _alternation(w for k in (*ROLES, "deadline") for w in labels.get(k, []))
    verb = _alternation(w for k in ROLES for w in verbs.get(k, []))
    return regex.compile(rf"(?:{label})\s*[:：]|[(（][^()（）\n]{{0,60}}?(?:{verb})[^()（）\n]{{0,30}}[)）]")


def stray_spans(notice: Notice, inside: Sequence[tuple[int, int]],
                avoid: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Assignment wording outside every task span: a task the parser may have missed.

    Wording within ``inside`` (task spans) is accounted for; wording that touches
    ``avoid`` (meta spans: a title may say 牵头) is not an assignment either.
    """
    covered = sorted(inside)
    starts = [a for a, _ in covered]
    reach = list(itertools.accumulate((b for _, b in covered), max))  # furthest end among spans so far
    found = []
    for m in _cue_pattern().finditer(match_text(notice.text)):
        s, e = m.span()
        i = bisect.bisect_right(starts, s)
        if (i and reach[i - 1] >= e) or any(a < e and s < b for a, b in avoid):
            continue
        found.append((s, e))
    return found


def _crosses(a: Mark, b: Mark) -> bool:
    return a.start < b.start < a.end < b.end or b.start < a.start < b.end < a.end


def _is_laminar(marks: Sequence[Mark]) -> bool:
    stack: list[Mark] = []
    for m in sorted(marks, key=_order):
        while stack and stack[-1].end <= m.start:
            stack.pop()
        if stack and m.end > stack[-1].end:
            return False
        stack.append(m)
    return True


def _order(m: Mark) -> tuple[int, int, int]:
    return (m.start, -m.end, _RANK[m.group])


def make_laminar(marks: Sequence[Mark]) -> list[Mark]:
    """Cut crossing spans so that the marks nest; units and deadlines are kept whole.

    Spans of different stages may cross (a meta span over a task's first line); HTML
    elements cannot. The mark of lesser priority is cut at the other's boundary and
    its pieces carry ``data-part``. Most records are already laminar: checked first.
    """
    if _is_laminar(marks):
        return list(marks)
    accepted: list[Mark] = []
    for m in sorted(marks, key=lambda m: (_KEEP[m.group], m.start, m.end)):
        cuts = sorted({b for a in accepted if _crosses(a, m) for b in (a.start, a.end) if m.start < b < m.end})
        if not cuts:
            accepted.append(m)
            continue
        edges = [m.start, *cuts, m.end]
        for i, (s, e) in enumerate(itertools.pairwise(edges)):
            dom_id = m.dom_id if i == 0 else None
            accepted.append(replace(m, start=s, end=e, part=True, dom_id=dom_id))
    return accepted


def _open_tag(m: Mark) -> str:
    attrs = []
    if m.dom_id:
        attrs.append(f'id="{_esc(m.dom_id)}"')
    if m.classes:
        attrs.append(f'class="{_esc(" ".join(m.classes))}"')
    attrs.append(f'data-kind="{_esc(m.kind)}"')
    attrs.append(f'data-start="{m.start}" data-end="{m.end}"')
    attrs.extend(f'{k}="{_esc(v)}"' for k, v in m.extra)
    if m.part:
        attrs.append('data-part="1"')
    attrs.append(f'title="{_esc(m.title)}"')
    return f"<{m.tag} {' '.join(attrs)}>"


def render_text(text: str, marks: Iterable[Mark]) -> str:
    """The text with marks as nested elements; each element's text is exactly its slice."""
    n = len(text)
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    out: list[str] = []
    stack: list[Mark] = []
    pos = 0
    for m in sorted(make_laminar(valid), key=_order):
        while stack and stack[-1].end <= m.start:
            top = stack.pop()
            out.append(_esc_text(text[pos:top.end]))
            out.append(f"</{top.tag}>")
            pos = top.end
        out.append(_esc_text(text[pos:m.start]))
        out.append(_open_tag(m))
        pos = m.start
        stack.append(m)
    while stack:
        top = stack.pop()
        out.append(_esc_text(text[pos:top.end]))
        out.append(f"</{top.tag}>")
        pos = top.end
    out.append(_esc_text(text[pos:]))
    return "".join(out)


def notice_marks(notice: Notice) -> tuple[list[Mark], list[Mark]]:
    """All marks of a notice, and among them the stray assignment wording."""
    marks = _meta_marks(notice)
    for task in notice.tasks:
        marks.extend(_task_marks(task))
    inside = [t.span for t in notice.tasks]
    avoid = [(m.start, m.end) for m in marks if m.group == "meta"]
    strays = [Mark(s, e, "stray", "stray", "assignment wording outside every task", tag="span",
                   dom_id=f"stray-{i}") for i, (s, e) in enumerate(stray_spans(notice, inside, avoid), start=1)]
    return marks + strays, strays


# ---------------------------------------------------------------- charts


def month_counts(notice: Notice) -> tuple[dict[str, int], Counter[str]]:
    """Tasks per month of their dated milestones, and tasks per undated kind.

    A task counts once per month it has a dated milestone in, and once per undated
    kind; tasks without a deadline are counted as ``none``.
    """
    months: Counter[str] = Counter()
    undated: Counter[str] = Counter()
    for task in notice.tasks:
        if not task.deadline or not task.deadline.milestones:
            undated["none"] += 1
            continue
        task_months = set()
        task_kinds = set()
        for m in task.deadline.milestones:
            match = _MONTH.match(m.date or "")
            if match:
                task_months.add(match.group(0))
            else:
                task_kinds.add(m.kind)
        months.update(task_months)
        undated.update(task_kinds)
    return dict(sorted(months.items())), undated


def timeline_svg(months: dict[str, int]) -> str:
    """Bars of tasks per month, only the months that carry a dated deadline, in order."""
    if not months:
        return '<p class="empty">no dated deadlines</p>'
    bar, gap, top, chart_h = 26, 6, 16, 110
    width = len(months) * (bar + gap) + gap
    peak = max(months.values())
    parts = [f'<svg class="timeline-svg" role="img" aria-label="tasks per deadline month" '
             f'width="{width}" height="{top + chart_h + 34}" viewBox="0 0 {width} {top + chart_h + 34}">']
    last_year = None
    for i, (month, count) in enumerate(months.items()):
        x = gap + i * (bar + gap)
        h = max(2, round(chart_h * count / peak))
        y = top + chart_h - h
        year, mm = month[:4], month[5:7]
        parts.append(f'<g class="month" data-month="{month}" data-count="{count}">'
                     f'<title>{month}: {count} task(s)</title>'
                     f'<rect x="{x}" y="{y}" width="{bar}" height="{h}" rx="2" fill="#5c7cfa"/>'
                     f'<text x="{x + bar / 2}" y="{y - 3}" text-anchor="middle">{count}</text>'
                     f'<text x="{x + bar / 2}" y="{top + chart_h + 13}" text-anchor="middle">{mm}</text>')
        if year != last_year:
            parts.append(f'<text x="{x}" y="{top + chart_h + 28}" font-weight="bold">{year}</text>')
            last_year = year
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def undated_list(undated: Counter[str]) -> str:
    order = [*UNDATED_KINDS, *sorted(k for k in undated if k not in UNDATED_KINDS and k != "none"), "none"]
    items = [f'<li data-kind="{_esc(k)}"><b>{undated[k]}</b>{_esc("no deadline" if k == "none" else k)}</li>'
             for k in order if undated.get(k)]
    return f'<ul class="undated">{"".join(items)}</ul>' if items else ""


def unit_role_counts(notice: Notice) -> list[tuple[str, dict[str, int], str]]:
    """The busiest units (by tasks they appear in): name, tasks per role, hover text."""
    per_role: dict[str, Counter[str]] = {role: Counter() for role in ROLES}
    tasks_of: Counter[str] = Counter()
    canonical: dict[str, str] = {}
    for task in notice.tasks:
        seen = set()
        for role in ROLES:
            names = {u.name for u in getattr(task, role)}
            per_role[role].update(names)
            seen |= names
            for u in getattr(task, role):
                if u.canonical:
                    canonical.setdefault(u.name, u.canonical)
        tasks_of.update(seen)
    top = sorted(tasks_of, key=lambda n: (-tasks_of[n], n))[:TOP_UNITS]
    return [(n, {r: per_role[r][n] for r in ROLES}, canonical.get(n, n)) for n in top]


def units_svg(rows: list[tuple[str, dict[str, int], str]]) -> str:
    """Stacked horizontal bars lead/responsible/cooperating of the busiest units."""
    if not rows:
        return '<p class="empty">no units</p>'
    label_chars = min(14, max(len(name) for name, _, _ in rows))
    label_w, bar_w, row_h, top = label_chars * 12 + 8, 300, 20, 22
    peak = max(sum(c.values()) for _, c, _ in rows)
    height = top + len(rows) * row_h + 4
    width = label_w + bar_w + 40
    parts = [f'<svg class="units-svg" role="img" aria-label="busiest units by role" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}">']
    x = label_w
    for role in ROLES:  # legend
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{ROLE_COLOURS[role]}"/>'
                     f'<text x="{x + 14}" y="13">{role}</text>')
        x += 90
    for i, (name, counts, full) in enumerate(rows):
        y = top + i * row_h
        total = sum(counts.values())
        parts.append(f'<g class="unit-row" data-unit="{_esc(name)}" data-total="{total}">'
                     f'<title>{_esc(full)}: ' + ", ".join(f"{r} {counts[r]}" for r in ROLES) + "</title>"
                     f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{_esc(_short(name, 14))}</text>')
        x = float(label_w)
        for role in ROLES:
            if counts[role]:
                w = round(bar_w * counts[role] / peak, 1)
                parts.append(f'<rect data-role="{role}" data-count="{counts[role]}" x="{x}" y="{y + 3}" '
                             f'width="{w}" height="{row_h - 6}" fill="{ROLE_COLOURS[role]}"/>')
                x += w
        parts.append(f'<text x="{x + 4}" y="{y + 14}">{total}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- page


def _csp(scripts: Sequence[str]) -> str:
    """Only the page's own scripts may run (by hash); nothing may be fetched."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"
        for s in scripts)
    return f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {hashes}"


def _page(title: str, css: str, body: str, script: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{_csp([script])}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n{body}\n"
        f"<script>{script}</script>\n</body>\n</html>\n"
    )


def notice_counts(notice: Notice) -> dict[str, int]:
    tasks = notice.tasks
    return {
        "tasks": len(tasks),
        "no_lead": sum(1 for t in tasks if not t.lead),
        "warnings": len(notice.warnings) + sum(len(t.warnings) for t in tasks),
        "tasks_with_warnings": sum(1 for t in tasks if t.warnings),
        "low": notice.confidence.low,
    }


_LEVEL_ORDER = {"low": 0, "medium": 1, "high": 2}


def by_confidence(tasks: Sequence[Task]) -> list[Task]:
    """Tasks a reviewer should look at first: low confidence, then medium, then high,
    each in document order."""
    return sorted(tasks, key=lambda t: _LEVEL_ORDER.get(t.confidence.level, 2))


def _sidebar(notice: Notice, strays: Sequence[Mark]) -> str:
    items = []
    for task in by_confidence(notice.tasks):
        classes = [c for c, on in (("warn", bool(task.warnings)), ("nolead", not task.lead)) if on]
        classes.append(f"conf-{task.confidence.level}")
        lead = "、".join(u.name for u in task.lead) or "no lead"
        tip = "; ".join([f"confidence {task.confidence.level}", *task.warnings]) if task.warnings else ""
        items.append(
            f'<li class="{" ".join(classes)}" data-task="{_esc(task.id)}">'
            f'<a href="#{_esc(task_dom_id(task))}" data-target="{_esc(task_dom_id(task))}"'
            + (f' title="{_esc(tip)}"' if tip else "") + ">"
            f'<span class="num">{_esc(task.number or task.id)}</span> {_esc(_short(task.text, 15))}'
            f'<span class="lead">{_esc(_short(lead, 30))}</span></a>'
            + (f'<button type="button" class="edit" data-key="{_esc(task.key)}" title="correct this task">✎</button>'
               if task.key else "") + "</li>")
    summary = notice.confidence
    parts = [f'<h2>Tasks ({len(notice.tasks)})</h2>'
             f'<p class="conf">confidence: {summary.low} low, {summary.medium} medium, {summary.high} high'
             f' (least sure first)</p><ol class="tasks">{"".join(items)}</ol>']
    if strays:
        flags = [f'<li class="flag"><a href="#{m.dom_id}" data-target="{m.dom_id}">'
                 f"{_esc(_line_at(notice.text, m.start, m.end))}</a></li>" for m in strays]
        parts.append(f'<h2>Outside any task ({len(strays)})</h2><ul class="flags">{"".join(flags)}</ul>')
    return "".join(parts)


def _line_at(text: str, start: int, end: int, limit: int = 24) -> str:
    """The flagged words with the start of their line: enough to recognise the place."""
    line_start = text.rfind("\n", 0, start) + 1
    lead = text[line_start:start]
    if len(lead) > limit - (end - start):
        lead = "…" + lead[-max(0, limit - (end - start)):]
    return _short(lead + text[start:end], limit + 2)


def _header(notice: Notice, strays: Sequence[Mark]) -> str:
    meta = notice.meta
    rows = [("title", meta.title), ("plan", meta.plan_title),
            ("doc number", meta.doc_number.text if meta.doc_number else None), ("issuer", meta.issuer),
            ("issue date", meta.issue_date), ("source", notice.source.path), ("format", notice.source.format)]
    dl = "".join(f"<dt>{k}</dt><dd>{_esc(v)}</dd>" for k, v in rows if v)
    c = notice_counts(notice)
    counts = [("tasks", c["tasks"], False), ("without lead", c["no_lead"], c["no_lead"] > 0),
              ("with warnings", c["tasks_with_warnings"], c["tasks_with_warnings"] > 0),
              ("assignment wording outside tasks", len(strays), bool(strays))]
    bad_class = ' class="bad"'
    ul = "".join(f"<li{bad_class if bad else ''}>{k}: <b>{v}</b></li>" for k, v, bad in counts)
    legend = "".join(f'<li class="k-{k}">{label}</li>' for k, label in (
        ("task", "task"), ("lead", "lead"), ("responsible", "responsible"), ("cooperating", "cooperating"),
        ("deadline", "deadline"), ("meta", "meta"), ("warn", "task with warnings"),
        ("stray", "assignment wording outside tasks")))
    warnings = "".join(f"<li>{_esc(w)}</li>" for w in notice.warnings)
    title = meta.title or meta.plan_title or notice.source.path or "notice"
    return (f"<header><h1>{_esc(title)}</h1><dl class=\"meta\">{dl}</dl><ul class=\"counts\">{ul}</ul>"
            + (f'<ul class="warnings">{warnings}</ul>' if warnings else "")
            + f'<ul class="legend">{legend}</ul></header>')


def _charts(notice: Notice) -> str:
    months, undated = month_counts(notice)
    return ('<section class="charts">'
            f'<div class="chart" id="timeline"><h2>Deadlines by month</h2><div class="timeline">'
            f"{timeline_svg(months)}{undated_list(undated)}</div></div>"
            f'<div class="chart" id="units"><h2>Busiest units (top {TOP_UNITS})</h2>'
            f"{units_svg(unit_role_counts(notice))}</div></section>")


# ---------------------------------------------------------------- corrections (editing on the page)


def editor_data(notice: Notice, stem: str = "notice") -> dict:
    """What the page's correction editor needs: each task's units and milestones by key,
    and the corrections the record already carries (so that a file saved again holds them
    all). Read by report.js from a data attribute: no script element holds notice text."""
    tasks = []
    for t in notice.tasks:
        if not t.key:
            continue
        tasks.append({
            "key": t.key, "id": t.id, "number": t.number, "label": _short(t.text, 40),
            "units": {role: [{"name": u.name, "text": u.text, "corrected": u.corrected} for u in getattr(t, role)]
                      for role in ROLES},
            "milestones": [{"kind": m.kind, "date": m.date, "text": m.text, "corrected": m.corrected}
                           for m in (t.deadline.milestones if t.deadline else [])],
        })
    ops: dict[str, list[dict]] = {}
    for c in notice.corrections:
        op = {k: v for k, v in c.model_dump(include={"op", "unit", "role", "to", "full", "milestone", "date"}).items()
              if v is not None}
        ops.setdefault(c.task, []).append(op)
    return {"format": "notice-parser-corrections/1", "sha256": notice.source.sha256, "source": notice.source.path,
            "title": notice.meta.title, "file": f"{stem}.corrections.json", "roles": list(ROLES),
            "tasks": tasks, "corrections": ops}


def _editor(notice: Notice, stem: str) -> str:
    """The corrections bar, the (hidden) editor panel and the editor's data."""
    data = json.dumps(editor_data(notice, stem), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return ('<div class="corrections-bar" id="corrections-bar">'
            '<span id="n-corrections">0 corrections</span> '
            '<button type="button" id="save-corrections" disabled>Save corrections</button>'
            '<span class="hint">✎ in the task list corrects a task; the file goes to your downloads, '
            'for <code>--corrections</code></span></div>'
            '<section id="editor" hidden aria-label="correct a task"></section>'
            f'<div id="np-data" hidden data-editor="{_esc(data)}"></div>')


def render_notice(notice: Notice, stem: str | None = None) -> str:
    """The review page of one notice, as a string (deterministic)."""
    marks, strays = notice_marks(notice)
    stem = stem or os.path.splitext(page_name(notice))[0]
    body = (f'<div class="layout"><aside>{_sidebar(notice, strays)}</aside><main>'
            f"{_header(notice, strays)}{_editor(notice, stem)}{_charts(notice)}"
            f'<div class="text" id="text">{render_text(notice.text, marks)}</div></main></div>')
    title = notice.meta.title or notice.meta.plan_title or notice.source.path or "notice"
    return _page(title, _asset("report.css"), body, _asset("report.js"))


def page_name(notice: Notice) -> str:
    return os.path.splitext(json_name(notice))[0] + ".html"


def page_names(notices: Sequence[Notice]) -> list[str]:
    """``<stem>.html`` each, beside the notice's ``<stem>.json`` (unique, see output_stems)."""
    return [stem + ".html" for stem in output_stems(notices)]


def render_index(notices: Sequence[Notice], names: Sequence[str] | None = None) -> str:
    """One row per notice, linking to its page; columns sort on click."""
    heads = [("notice", "text"), ("title", "text"), ("doc number", "text"), ("tasks", "number"),
             ("low confidence", "number"), ("without lead", "number"), ("warnings", "number"),
             ("wording outside tasks", "number")]
    th = "".join(f'<th data-type="{t}" scope="col">{h}</th>' for h, t in heads)
    rows = []
    pairs = list(zip(notices, names or page_names(notices), strict=True))
    # Notices with the most doubtful tasks first: that is where a reviewer starts.
    pairs.sort(key=lambda p: (-p[0].confidence.low, -p[0].confidence.medium))
    for notice, name in pairs:
        c = notice_counts(notice)
        c["strays"] = len(notice_marks(notice)[1])
        dn = notice.meta.doc_number.text if notice.meta.doc_number else ""
        cells = [f'<td data-value="{_esc(name)}"><a href="{_esc(name)}">{_esc(os.path.splitext(name)[0])}</a></td>',
                 f"<td>{_esc(notice.meta.title or notice.meta.plan_title or '')}</td>", f'<td class="dn">{_esc(dn)}</td>']
        for key in ("tasks", "low", "no_lead", "warnings", "strays"):
            bad = key != "tasks" and c[key] > 0
            cells.append(f'<td class="n{" bad" if bad else ""}" data-value="{c[key]}">{c[key]}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    body = (f"<h1>Review pages ({len(notices)} notices)</h1>"
            f'<table id="notices"><thead><tr>{th}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return _page("notices", _asset("index.css"), body, _asset("index.js"))


def write_reports(notices: Sequence[Notice], folder: str) -> list[str]:
    """Write ``<stem>.html`` per notice and ``index.html``; return the paths written."""
    os.makedirs(folder, exist_ok=True)
    names = page_names(notices)
    written = []
    for notice, name in zip(notices, names, strict=True):
        path = os.path.join(folder, name)
        write_text(path, render_notice(notice, os.path.splitext(name)[0]))
        written.append(path)
    if notices:
        path = os.path.join(folder, "index.html")
        write_text(path, render_index(notices, names))
        written.append(path)
    return written
