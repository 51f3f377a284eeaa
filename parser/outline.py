"""Heading markers -> the outline: headings with levels, parents and spans.

A heading is a line that starts with a marker of GB/T 9704's levels (一、 （一） 1.
（1） ① and variants, 第一章/第一条). Levels follow the standard's order, not the
order of first appearance: a notice may put "1." items under 一、 before its first
（一）, and they still sit above （1） and below （一）.

The tasks stage later decides which headings are tasks; ``sections_tree`` then builds
the record's section tree from the headings that are not.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import regex

from parser.data import load_json
from parser.lines import Line
from parser.meta import bracket_key
from parser.rx import literal_alternation
from schemas.notice import Section, build

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int:
    """Small Chinese numerals (一 … 九十九, 一百…) and Arabic digits to int."""
    if s.isascii() and s.isdigit():
        return int(s)
    if len(s) == 1 and "⒈" <= s <= "⒛":
        return ord(s) - ord("⒈") + 1
    if len(s) == 1 and "⑴" <= s <= "⒇":
        return ord(s) - ord("⑴") + 1
    if len(s) == 1 and "①" <= s <= "⑳":
        return ord(s) - ord("①") + 1
    if len(s) == 1 and "㉑" <= s <= "㉟":
        return ord(s) - ord("㉑") + 21
    total, cur = 0, 0
    for ch in s:
        if ch == "百":
            total += (cur or 1) * 100
            cur = 0
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = cur * 10 + _CN_DIGITS.get(ch, 0) if cur and s.find("十") < 0 and s.find("百") < 0 else _CN_DIGITS.get(ch, 0)
    return total + cur


@dataclass(slots=True, eq=False)
class Heading:
    """A numbered heading line; compared by identity (one place in the notice), as its
    parent chain made a field-by-field comparison walk up the outline."""

    line: Line
    kind: str
    rank: int
    marker: str
    """The marker as written, e.g. "（一）", "1."."""
    number: str
    """The number without punctuation, e.g. "一", "12"."""
    value: int
    title: str
    """First sentence after the marker, as written (its end punctuation kept)."""
    body_start: int
    """Offset in the text where the heading's own words begin (after the marker)."""
    level: int = 0
    parent: Heading | None = None
    index: int = 0
    id: str = ""

    @property
    def label(self) -> str:
        """Marker and title, as section paths show it: "（一）深化行政审批制度改革。"."""
        return self.marker + self.title


@dataclass(slots=True, frozen=True)
class InlineItem:
    """One 一是/二是 item inside a paragraph."""

    marker: str
    title: str
    start: int
    end: int


_INLINE = regex.compile(r"(?:^|(?<=[。;:,]))\s*(?P<n>[一二三四五六七八九十]{1,2})是(?=\p{Han})")


def inline_items(line: Line) -> list[InlineItem]:
    """一是…，二是…，三是… in one paragraph, when they count up from 一 (at least two)."""
    if "是" not in line.mtext or "一是" not in line.mtext:
        return []
    hits = [m for m in _INLINE.finditer(line.mtext)]
    seq: list[regex.Match[str]] = []
    for m in hits:
        if cn_to_int(m.group("n")) == len(seq) + 1:
            seq.append(m)
    if len(seq) < 2:
        return []
    out = []
    for k, m in enumerate(seq):
        s = m.start("n")
        end = seq[k + 1].start("n") if k + 1 < len(seq) else len(line.mtext)
        body = line.mtext[m.end():end]
        cut = min((body.find(c) for c in ",;。" if c in body), default=len(body))
        out.append(InlineItem(marker=line.text[s:m.end()], title=line.text[m.end():m.end() + cut],
                              start=line.start + s, end=line.start + end))
    return out


@dataclass(slots=True)
class Outline:
    headings: list[Heading] = field(default_factory=list)
    by_line: dict[int, Heading] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    inline: list[InlineItem] = field(default_factory=list)
    """一是…二是… enumerations inside paragraphs: leaf sections, never task headings."""


def _compiled() -> list[tuple[str, int, regex.Pattern[str]]]:
    spec = load_json("outline_markers.json")
    kinds = [(k["kind"], k["rank"], regex.compile(k["pattern"])) for k in spec["kinds"]]
    for kind, _, pat in kinds:
        if pat.groups != 1:  # match_marker reads the number as group 1
            raise ValueError(f"outline_markers.json: kind {kind!r} needs exactly one group, for its number")
    return kinds


_KINDS = _compiled()
_KINDS_BY_FIRST: dict[str, tuple[int, ...]] = {}
"""First character → the kinds (in order) whose pattern can start with it, filled as met.
Most lines of a notice start with a character no kind can: they get () and no regex call."""
_SPEC = load_json("outline_markers.json")
_TITLE_END = frozenset(_SPEC["title_end"] + "。")
_MAX_TITLE = int(_SPEC["max_title_chars"])
_TITLE_STRIP = _SPEC["title_strip"] + "，：、"
_OPEN, _CLOSE = "(《“[〔", ")》”]〕"


# Single characters: literal alternations, which the standard library scans fastest.
_TITLE_STOP = literal_alternation(sorted(_TITLE_END))
_TITLE_MARKS = literal_alternation(sorted(_TITLE_END | set(_OPEN) | set(_CLOSE)))
_TITLE_OPEN = literal_alternation(sorted(_OPEN))


def _title_end(body: str, start: int = 0) -> int:
    """End of the heading's first sentence in ``body[start:]`` (relative to ``start``): its
    first 。；：!? outside brackets, else the line. Scans in place, without slicing."""
    stop = min(len(body), start + _MAX_TITLE * 4)
    hit = _TITLE_STOP.search(body, start, stop)
    if _TITLE_OPEN.search(body, start, hit.start() if hit else stop) is None:
        # No bracket opens before the first stop: it is the end (the common case, no char loop).
        return hit.end() - start if hit else len(body) - start
    depth = 0
    for m in _TITLE_MARKS.finditer(body, start, stop):  # only brackets and stops matter: visit just those
        ch = m.group()
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            return m.end() - start
    return len(body) - start


def _kinds_for(ch: str) -> tuple[int, ...]:
    """Indices of the kinds whose pattern can match a line starting with ``ch`` (partial
    matching, so exact for any pattern): a heading tries only those, in order."""
    found = _KINDS_BY_FIRST.get(ch)
    if found is None:
        found = tuple(i for i, (_, _, pat) in enumerate(_KINDS) if pat.match(ch, partial=True) is not None)
        if len(_KINDS_BY_FIRST) < 4096:
            _KINDS_BY_FIRST[ch] = found
    return found


def match_marker(line: Line) -> Heading | None:
    """The heading a line starts with, or None."""
    return _marker_at(line, _kinds_for(line.mtext[:1])) if line.mtext else None


def _marker_at(line: Line, kinds: tuple[int, ...]) -> Heading | None:
    """``match_marker`` trying only ``kinds``, those the line's first character can start."""
    m_text = line.mtext
    for at in kinds:
        kind, rank, pat = _KINDS[at]
        m = pat.match(m_text)
        if m is None:
            continue
        end, number = m.end(), m.group(1)
        rest = m_text[end:]
        if not rest or rest.isspace() or (rest[:1] in "%年月日号个项万亿元" and m_text[end - 1:end] not in "、.)"):
            continue  # a bare number, a percentage, a date or a quantity, not a heading ((四)项目… is one)
        if m_text.find("[", end, end + _KEY_REACH) >= 0 and bracket_key(m_text, end, len(m_text)) is not None:
            continue  # 10. [文件来源] 政府公报: an item of a portal's metadata list
        text = line.text
        body_at = len(text) - len(text[end:].lstrip())  # where the words start after the marker
        title = text[body_at:body_at + _title_end(m_text, body_at)].rstrip().rstrip(_TITLE_STRIP)
        return Heading(line, kind, rank, text[:end].rstrip(), number, cn_to_int(number), title.strip(),
                       line.start + body_at)
    return None


_KEY_REACH = 3
"""A portal key's bracket opens a numbered line's words within this many characters."""


def _assign_levels(headings: list[Heading]) -> None:
    ranks = sorted({h.rank for h in headings})
    dense = {r: i + 1 for i, r in enumerate(ranks)}
    stack: list[Heading] = []
    for i, h in enumerate(headings):
        h.index = i
        h.level = dense[h.rank]
        while stack and stack[-1].level >= h.level:
            stack.pop()
        h.parent = stack[-1] if stack else None
        stack.append(h)


def build_outline(lines: list[Line], with_sections: bool = True) -> Outline:
    """Find every heading line and give it its level and parent.

    ``with_sections=False`` leaves ``sections`` empty: the pipeline builds the tree once,
    after the tasks stage has said which headings are tasks.
    """
    headings = []
    by_first = _KINDS_BY_FIRST
    for line in lines:
        kinds = by_first.get(line.mtext[:1])  # the memo read inline: this runs on every line
        if kinds is None:
            kinds = _kinds_for(line.mtext[:1])
        if kinds:
            h = _marker_at(line, kinds)
            if h is not None:
                headings.append(h)
    _assign_levels(headings)
    outline = Outline(headings=headings, by_line={h.line.index: h for h in headings})
    for line in lines:
        if "一是" in line.mtext:  # inline_items' own first test, without a call per line
            outline.inline.extend(inline_items(line))
    if with_sections:
        outline.sections = sections_tree(outline, exclude=set(), text_end=lines[-1].end if lines else 0)
    return outline


def ancestors(h: Heading, skip: set[int] | None = None) -> list[Heading]:
    """Enclosing headings, outermost first (excluding headings whose index is in ``skip``)."""
    out = []
    p = h.parent
    while p is not None:
        if not skip or p.index not in skip:
            out.append(p)
        p = p.parent
    return out[::-1]


def is_under(h: Heading, top: Heading) -> bool:
    """Is heading ``h`` below ``top`` in the outline (at any depth)?"""
    p = h.parent
    while p is not None:
        if p is top:
            return True
        p = p.parent
    return False


def sections_tree(outline: Outline, exclude: set[int], text_end: int) -> list[Section]:
    """The section tree of every heading not in ``exclude`` (task headings), with spans.

    A section's span runs from its marker to the start of the next heading of the same
    or a higher level (or the end of the text).
    """
    return [build(Section, fields) for fields in section_fields(outline, exclude, text_end)]


def section_fields(outline: Outline, exclude: set[int], text_end: int) -> list[dict]:
    """``sections_tree`` as nested field dicts, for the pipeline's one validation of the record."""
    kept = [h for h in outline.headings if h.index not in exclude]
    roots: list[dict] = []
    made: dict[int, dict] = {}
    counters: dict[str, int] = {}
    ends = _section_ends(kept, text_end)
    for pos, h in enumerate(kept):
        end = ends[pos]
        parent = h.parent
        while parent is not None and parent.index in exclude:
            parent = parent.parent
        prefix = made[parent.index]["id"] if parent is not None and parent.index in made else "s"
        counters[prefix] = counters.get(prefix, 0) + 1
        sec = {"id": f"{prefix}.{counters[prefix]}" if prefix != "s" else f"s{counters[prefix]}",
               "marker": h.marker, "level": h.level, "title": h.title, "span": (h.line.start, end), "children": []}
        h.id = sec["id"]
        made[h.index] = sec
        if parent is not None and parent.index in made:
            made[parent.index]["children"].append(sec)
        else:
            roots.append(sec)
    _attach_inline(outline, made, roots, exclude)
    return roots


def _attach_inline(outline: Outline, made: dict[int, dict], roots: list[dict], exclude: set[int]) -> None:
    """一是/二是 items become leaf sections under the heading they stand under.

    Items inside a task's own words stay out of the tree: they are that task's text.
    """
    if not outline.inline:
        return
    starts = [h.line.start for h in outline.headings]
    for item in outline.inline:
        i = bisect_right(starts, item.start) - 1
        head = outline.headings[i] if i >= 0 else None
        if head is not None and head.index in exclude:
            continue
        parent = made.get(head.index) if head is not None else None
        siblings = parent["children"] if parent is not None else roots
        prefix = parent["id"] if parent is not None else "s"
        n = sum(1 for c in siblings if c["id"].startswith(prefix)) + 1
        siblings.append({"id": f"{prefix}.{n}" if parent is not None else f"s{n}", "marker": item.marker,
                         "level": (parent["level"] + 1) if parent is not None else 1,
                         "title": item.title, "span": (item.start, item.end), "children": []})


def _section_ends(kept: list[Heading], text_end: int) -> list[int]:
    """Start of the next heading at the same or a higher level, for each heading (else ``text_end``).

    One right-to-left pass with a stack, so a deep outline of 20,000 headings stays linear.
    """
    ends = [text_end] * len(kept)
    stack: list[Heading] = []  # later headings that may still end an earlier one
    for pos in range(len(kept) - 1, -1, -1):
        h = kept[pos]
        while stack and stack[-1].level > h.level:
            stack.pop()
        if stack:
            ends[pos] = stack[-1].line.start
        stack.append(h)
    return ends


def heading_label(text: str, mtext: str, start: int, end: int) -> str:
    """Marker and first clause of a heading found outside the outline (a table's section row).

    Uses the same title rule as outline headings, so a section reads the same whether
    the notice writes it as a line or as a row spanning a table.
    """
    line = Line(-1, start, end, text[start:end], mtext[start:end])
    h = match_marker(line)
    if h is not None:
        return h.label
    body = text[start:end]
    return body[: _title_end(mtext[start:end])].rstrip().rstrip(_TITLE_STRIP)
