"""Assignment text -> role fields: who leads, who is responsible, who cooperates, by when.

Three shapes occur, and one function reads each:

* labels: ``牵头单位：X；责任单位：Y；完成时限：Z`` (on their own lines or inside a
  closing bracket); the value of a label runs to the next label;
* role verbs: ``X牵头，Y按职责分工负责，Z配合`` — the units stand before their verb;
* bare units: ``（区发改局、农业局）`` — a bracket holding nothing but unit names.

Labels and verbs are data (parser/data/labels.json, role_verbs.json). Values are
returned as (role, text, start) with ``start`` an offset in the notice text, so the
units and deadlines parsed from them keep exact spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import regex

from parser.data import load_json
from parser.rx import literal_alternation
from parser.tables import lead_marks, surnames

ROLE_FIELDS = ("lead", "responsible", "cooperating")


@dataclass(slots=True)
class Field:
    """One value of an assignment: a unit list or a deadline phrase, where it stands.

    Never changed once made (a merge makes a new Field); not declared frozen because a
    frozen dataclass's ``__init__`` costs four times as much, and a notice makes hundreds.
    """

    role: str
    """lead | responsible | cooperating | deadline | leader | field (any other labelled value)"""
    text: str
    start: int
    parts: tuple[tuple[int, int, int], ...] = ()
    """For a value written over several cell lines (a box table): (offset in ``text``,
    start, end in the notice) of each piece ``text`` was joined from; empty when
    ``text`` is the notice's own slice at ``start``."""
    label: str = ""
    """The label as written, for the roles that keep it (leader, field)."""

    @property
    def end(self) -> int:
        return self.parts[-1][2] if self.parts else self.start + len(self.text)

    def to_notice(self, pos: int, *, end: bool = False) -> int:
        """Offset in the notice of position ``pos`` of ``text`` (an end position when ``end``)."""
        if not self.parts:
            return self.start + pos
        for off, a, b in reversed(self.parts):
            if pos > off or (pos == off and not end):
                return min(b, a + pos - off)
        return self.parts[0][1]


@cache
def _labels() -> list[tuple[str, str]]:
    data = load_json("labels.json")
    roles = ("lead", "responsible", "cooperating", "deadline", "leader", "assignment")
    pairs = [(word, role) for role in roles for word in data.get(role, [])]
    return sorted(pairs, key=lambda p: -len(p[0]))


@cache
def _prefix() -> str:
    """Optional qualifier before a label (主要协作单位 is a 协作单位), as a regex group."""
    words = load_json("labels.json").get("label_prefixes", [])
    return f"(?:{_alternation(words)})?" if words else ""


@cache
def label_role() -> dict[str, str]:
    return dict(_labels())


def _alternation(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def label_alternation() -> str:
    """All labels as one regex alternation, longest first."""
    return _alternation([w for w, _ in _labels()])


@cache
def label_words() -> tuple[str, ...]:
    """Every label, for an ``endswith`` test."""
    return tuple(w for w, _ in _labels())


@cache
def deadline_label_alternation() -> str:
    """The deadline labels as one regex alternation, longest first."""
    return _alternation([w for w, r in _labels() if r == "deadline"])


@cache
def _label_re() -> regex.Pattern[str]:
    """A label at a segment boundary followed by a colon (on the match text)."""
    alt = _alternation([w for w, _ in _labels()])
    return regex.compile(rf"(?:^|(?<=[\s;,。.、(\[〔【])){_prefix()}(?P<label>{alt})\s*(?:[:]|(?=\s*[\p{{Han}}(]))")


def _joined(alt: str) -> str:
    """A second label joined to the first (责任单位和责任人：, 牵头单位及完成时限：): the
    value is read by the first label's role, so the joined one never starts a value."""
    return rf"(?:[和及与、/](?:{alt}))?"


@cache
def _label_colon_re() -> regex.Pattern[str]:
    alt = _alternation([w for w, _ in _labels()])
    return regex.compile(rf"(?:^|(?<=[\s;,。.、(\[〔【])){_prefix()}(?P<label>{alt}){_joined(alt)}\s*:")


_RUN_ON_LABEL = 5
"""A role label this long may follow the task's words with no separator (…疫苗接种牵头责任部门：…)."""


@cache
def run_on_label_re() -> regex.Pattern[str]:
    """A long role label and its colon right after the words it closes (a page that ran the
    label into the title line); asked only where no label stands at a boundary."""
    long_alt = _alternation([w for w, _ in _labels() if len(w) >= _RUN_ON_LABEL])
    return regex.compile(rf"(?<=\p{{Han}})(?P<label>{long_alt})\s*:")


@cache
def _field_label_re() -> regex.Pattern[str]:
    """Any label-shaped prefix before a colon: a short run of Han characters that ends in a
    label head word (数据提供单位, 目标任务, 推进情况, 备注 …), known or not.

    Read only inside an assignment region, where it ends the value before it, so a label
    the vocabulary lacks never leaks into a unit list; its value is kept as a field.
    """
    data = load_json("labels.json")
    heads = _alternation(data["field_label_heads"])
    known = _alternation(data["fields"])
    return regex.compile(
        rf"(?:^|(?<=[\s;,。.、(\[〔【]))(?P<label>{known}|\p{{Han}}{{0,6}}(?:{heads}))\s*:"
    )


def field_label_at_start(mtext: str) -> regex.Match[str] | None:
    """A label-shaped prefix and its colon opening a line (资金来源：…), known or not."""
    return _field_label_re().match(mtext)


def _label_matches(mtext: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """(label, start, value start) of every known label, and of every other label-shaped
    prefix that does not overlap a known one, in order."""
    known = [(m.group("label"), m.start(), m.end()) for m in _label_colon_re().finditer(mtext, start, end)]
    if mtext.count(":", start, end) <= len(known):
        return known  # every colon belongs to a known label: no other label to discover
    taken = [(a, b) for _, a, b in known]
    others = []
    for m in _field_label_re().finditer(mtext, start, end):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            others.append((m.group("label"), m.start(), m.end()))
    return sorted(known + others, key=lambda t: t[1]) if others else known


@lru_cache(maxsize=4096)
def bare_label(mtext: str) -> tuple[str, str] | None:
    """(label, role) of a line that is nothing but a known label (责任单位 / 责任单位：), the
    value standing on the next line as in a table flattened one cell per line.

    Asked of every short line (and of the line after a bare label), and memoized per
    wording: short lines repeat word for word (牵头单位：市审改办。 under many tasks).
    """
    word = mtext.strip().rstrip(":").strip()
    role = label_role().get(word) or task_labels().get(word)
    return (word, role) if role else None


@cache
def task_labels() -> dict[str, str]:
    """Labels of a task's own words (具体任务, 工作任务 …)."""
    return dict.fromkeys(load_json("labels.json")["task"], "task")


@cache
def label_line_re() -> regex.Pattern[str]:
    """A line that starts with a label and a colon (optionally inside an opening bracket)."""
    alt = _alternation([w for w, _ in _labels()])
    return regex.compile(rf"^[(\[〔【]?\s*{_prefix()}(?P<label>{alt}){_joined(alt)}\s*:")


_TRIM = " \t\n;,。.、:"
_CLOSER_OF = {"(": ")", "[": "]", "〔": "〕", "【": "】"}
_LEAD_TRIM = " \t\n;,。.、:“"
_PAIRS = {")": "(", "]": "[", "〕": "〔", "】": "【"}


def _trimmed(text: str, mtext: str, start: int, end: int) -> tuple[int, int]:
    """Strip separators around a value, and brackets only where they are unbalanced.

    "（牵头单位：市发改委）" loses its closing bracket; "镇(街道)" keeps its own.
    """
    while True:
        while start < end and mtext[start] in _LEAD_TRIM:
            start += 1
        while end > start and mtext[end - 1] in _TRIM:
            end -= 1
        # A whole run of unbalanced brackets goes at once: one per pass recounted the value
        # each time, and 180,000 "(" took a minute.
        if end > start and mtext[end - 1] in _PAIRS:
            close = mtext[end - 1]
            value = mtext[start:end]
            excess = value.count(close) - value.count(_PAIRS[close])
            if excess > 0:
                end -= min(excess, len(value) - len(value.rstrip(close)))
                continue
        if end > start and mtext[start] in _CLOSER_OF:
            opener = mtext[start]
            close = _CLOSER_OF[opener]
            value = mtext[start:end]
            excess = value.count(opener) - value.count(close)
            if excess > 0:
                start += min(excess, len(value) - len(value.lstrip(opener)))
                continue
        return start, end


def parse_labels(text: str, mtext: str, start: int, end: int, colon_required: bool = True) -> list[Field]:
    """Label segments inside ``text[start:end]``; the value of one runs to the next label."""
    if colon_required:
        # Every match ends at a colon: the text after the last one (a long unit list, most
        # of a label line) cannot hold a match and is not scanned.
        last = mtext.rfind(":", start, end)
        if last < 0:
            return []
        return _label_fields(text, mtext, _label_matches(mtext, start, last + 1), end)
    matches = list(_label_re().finditer(mtext, start, end))
    return _label_fields(text, mtext, [(m.group("label"), m.start(), m.end()) for m in matches], end)


def run_on_label_fields(text: str, mtext: str, head: regex.Match[str], end: int) -> list[Field]:
    """``parse_labels`` from a label ``run_on_label_re`` found, with any labels after it."""
    last = mtext.rfind(":", head.end(), end)
    rest = _label_matches(mtext, head.end(), last + 1) if last >= 0 else []
    return _label_fields(text, mtext, [(head.group("label"), head.start(), head.end()), *rest], end)


def label_line_fields(text: str, mtext: str, start: int, end: int, head: regex.Match[str]) -> list[Field]:
    """``parse_labels`` of a line that ``label_line_re`` matched (``head``, on the line's own
    match text) at ``start``.

    With one colon in the line that match is the line's only label (every label takes
    its own colon, and the scan in ``parse_labels`` finds the same label at the same
    place), so the line is not scanned again.
    """
    if mtext.count(":", start, end) != 1 or mtext.find(",", start, end) >= 0 or mtext.find(";", start, end) >= 0:
        return parse_labels(text, mtext, start, end)
    return _label_fields(text, mtext, [(head.group("label"), start + head.start(), start + head.end())], end)


def _label_fields(text: str, mtext: str, matches: list[tuple[str, int, int]], end: int) -> list[Field]:
    """Fields from label matches (label, start, end), each value running to the next label."""
    fields: list[Field] = []
    roles = label_role()
    known_fields = field_labels()
    for i, (label, lstart, vstart) in enumerate(matches):
        vend = matches[i + 1][1] if i + 1 < len(matches) else end
        role = roles.get(label) or known_fields.get(label, "field")
        tail: list[Field] = []
        if role in ROLE_FIELDS:
            stop = mtext.find("。", vstart, vend)
            vend = stop if stop > vstart else vend  # a unit list never runs past a sentence end
            vend = _before_convention(mtext, vstart, _before_standing(mtext, vstart, vend))
            semi = mtext.find(";", vstart, vend)
            if semi > vstart:
                # 牵头单位:X;Y按职责分工负责 — a clause in verb form after the list is its own role
                tail = parse_verbs(text, mtext, semi + 1, vend) or []
                if tail:
                    vend = semi
        s, e = _trimmed(text, mtext, vstart, vend)
        if e <= s:
            continue
        if role in ROLE_FIELDS and (split := _units_then_deadline(text, mtext, s, e)) is not None:
            # 责任单位:州司法局、各县市人民政府,6月底完成 — the list's last item is its limit
            fields.extend([Field(role, split[0].text, split[0].start), split[1], *tail])
            continue
        if role in ROLE_FIELDS and _several_clauses(mtext, s, e) and _mixed_roles(verbs := parse_verbs(text, mtext, s, e)):
            # 责任单位:省发改委牵头,省交通厅、省水利厅配合 — each clause's verb gives its units' role
            fields.extend([*verbs, *tail])  # type: ignore[misc]
            continue
        if role in ROLE_FIELDS:
            role, e = _verb_tail(mtext, role, s, e)
        if role in ROLE_FIELDS and (joined := _joined_person_re().search(mtext, lstart, vstart)) \
                and (cut := _person_after_unit(mtext, s, e)):
            # 责任单位和责任人：省劳动和社会保障厅秦玉德 — the joined label names the person after the unit
            person = Field("leader", text[cut:e], cut, label=joined.group("label"))
            fields.extend([Field(role, text[s:cut], s), person, *tail])
            continue
        if role == "assignment":
            fields.extend(parse_verbs(text, mtext, s, e) or _bare(text, mtext, s, e))
        elif role in ("field", "leader", "deadline"):  # a deadline's label tells completion from a period
            fields.append(Field(role, text[s:e], s, label=text[lstart:vstart].strip(" \t:：([（【")))
        else:
            fields.append(Field(role, text[s:e], s))
        fields.extend(tail)
    return fields


@cache
def _joined_person_re() -> regex.Pattern[str]:
    """A person's label joined to a role label (责任单位和责任人：)."""
    leaders = _alternation([w for w, r in _labels() if r == "leader"])
    return regex.compile(rf"[和及与、/](?P<label>{leaders})\s*:")


_NAME_CHARS = (3, 2, 4)
"""A person's name written after a unit is this many characters, the likeliest first."""


def _person_after_unit(mtext: str, s: int, e: int) -> int | None:
    """Where a person's name starts at the end of ``mtext[s:e]``, right after a body's
    suffix (省劳动和社会保障厅秦玉德 → 秦玉德), or None: asked only under a label joined
    with a person's (责任单位和责任人)."""
    family_names = surnames()
    for n in _NAME_CHARS:
        cut = e - n
        if cut - s >= 2 and mtext[cut] in family_names and _HAN_RUN.fullmatch(mtext, cut, e) \
                and mtext[s:cut].endswith(body_suffixes()):
            return cut
    return None


_HAN_RUN = regex.compile(r"\p{Han}+")


@cache
def standing_re() -> regex.Pattern[str]:
    """A standing assignment (以下…均需X落实，不再单独列出), conventions.json ``standing_units``."""
    return regex.compile(load_json("conventions.json")["standing_units"])


class FirstListed(NamedTuple):
    """The first-listed-leads convention as a notice states it."""

    start: int
    """Where it starts to apply: 0 (everywhere), or where it is said when 下同 follows it."""
    rest: str
    """The role of a list's other units: responsible, or cooperating where the notice says
    so (其余为参与单位)."""


@cache
def first_listed_re() -> regex.Pattern[str]:
    """The first-listed-leads convention in any wording (conventions.json ``first_is_lead_grammar``)."""
    return regex.compile(load_json("conventions.json")["first_is_lead_grammar"])


def _before_convention(mtext: str, start: int, end: int) -> int:
    """责任单位:市税务局、市财政局,排在首位的为牵头单位,下同: the convention said inside a
    label's value is no unit (the notice-wide reader applies it)."""
    if mtext.find("牵头", start, end) < 0:
        return end
    m = first_listed_re().search(mtext, start, end)
    if m is None:
        return end
    if mtext.count("(", start, m.start()) > mtext.count(")", start, m.start()):
        return end  # 县发改局(首位单位为牵头单位,下同)、县财政局: a unit's note, left to the unit reader
    cut = m.start()
    while cut > start and mtext[cut - 1] not in _CLAUSE_STOPS:
        cut -= 1  # back to the clause's start (排在首位的…)
    while cut > start and mtext[cut - 1] in _CLAUSE_STOPS:
        cut -= 1
    return cut if cut > start else end


_CLAUSE_STOPS = ",;、 。"
"""What ends the clause before a convention (…检验检疫局。列为首位的为牵头单位: a bracket may
say it as a sentence of its own after the units)."""


def _before_standing(mtext: str, start: int, end: int) -> int:
    """A standing assignment said inside a label's value (责任单位:X,Y按职责分工负责,以下各任务
    均需…落实,不再一一列出) is the notice's convention, not more units of this task."""
    if mtext.find("不再", start, end) < 0:
        return end
    m = standing_re().search(mtext, start, end)
    if m is None:
        return end
    cut = m.start()
    while cut > start and mtext[cut - 1] in ",;、 ":
        cut -= 1
    return cut if cut > start else end


@cache
def role_verbs() -> tuple[str, ...]:
    """Every role verb, longest first."""
    return tuple(w for w, _ in _verbs())


@cache
def role_verb_tails() -> frozenset[str]:
    """The last two characters of every role verb: a text in verb form ends with one."""
    return frozenset(w[-2:] for w, _ in _verbs())


def ends_with_role_verb(m: str, start: int, end: int) -> bool:
    """Does ``m[start:end]`` end with a role verb (…负责落实, …配合)? Units in verb form do,
    so a text that does not needs no clause reading."""
    while end > start and m[end - 1] in "。;, \t":
        end -= 1
    return end - start >= 2 and m[end - 2 : end] in role_verb_tails()


def _several_clauses(mtext: str, s: int, e: int) -> bool:
    """Can ``mtext[s:e]`` hold two clauses? A cheap look before the clause reader, which most
    label values (a plain unit list) would not need."""
    return mtext.find(",", s, e) >= 0 or mtext.find(";", s, e) >= 0


def _mixed_roles(fields: list[Field] | None) -> bool:
    """Do clauses in verb form give their units more than one role?"""
    return fields is not None and len({f.role for f in fields if f.role in ROLE_FIELDS}) > 1


def _verb_tail(mtext: str, role: str, s: int, e: int) -> tuple[str, int]:
    """责任单位:市人力社保局、市农业农村局分别牵头 — a role verb closing a label's unit list
    says the role of the units before it, whatever the label's own role."""
    end = e
    while end > s and mtext[end - 1] in "。;, ":
        end -= 1
    if end - s < 3 or mtext[end - 2 : end] not in role_verb_tails():
        return role, e  # most lists end with a unit, not a verb
    value = mtext[s:end]
    for verb, verb_role in _verbs():
        if value.endswith(verb) and len(value) > len(verb) and looks_like_units(value[: -len(verb)]):
            return verb_role, end - len(verb)
    return role, e


@cache
def field_labels() -> dict[str, str]:
    """Known labels that are not roles: leaders are persons, the rest are kept as fields."""
    return dict.fromkeys(load_json("labels.json")["fields"], "field")


def _bare(text: str, mtext: str, start: int, end: int) -> list[Field]:
    """A value with no verb: units as responsible when they look like units."""
    return [Field("responsible", text[start:end], start)] if looks_like_units(mtext[start:end]) else []


@cache
def _verbs() -> list[tuple[str, str]]:
    data = load_json("role_verbs.json")
    pairs = [(w, role) for role in ROLE_FIELDS for w in data[role]]
    return sorted(pairs, key=lambda p: -len(p[0]))


@cache
def verb_alternation() -> str:
    """All role verbs as one regex alternation, longest first."""
    return _alternation([w for w, _ in _verbs()])


@cache
def _verb_re() -> regex.Pattern[str]:
    alt = _alternation([w for w, _ in _verbs()])
    return regex.compile(rf"(?P<verb>{alt})(?:[,;。.\s]|$)")


_CLAUSE_SEP = regex.compile(r"[;,，；。]")


def _clauses(mtext: str, start: int, end: int) -> list[tuple[int, int]]:
    """Top-level clause spans separated by , ; 。 outside brackets."""
    out = []
    depth = 0
    s = start
    for i in range(start, end):
        ch = mtext[i]
        if ch in "([《“〔":
            depth += 1
        elif ch in ")]》”〕":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",;。":
            out.append((s, i))
            s = i + 1
    out.append((s, end))
    return [(a, b) for a, b in out if b > a]


@cache
def _verb_lookup() -> dict[str, str]:
    return dict(_verbs())


_LEADING_BY = ("由", "请", "要求")


def _after_inner_by(mtext: str, us: int, ue: int) -> int:
    """奖励审核认定由县商务局、发改局牵头: the words before 由 name the task, the bodies
    follow it (only where what follows looks like units)."""
    by = mtext.rfind("由", us + 1, ue)
    if by < 0 or mtext[by - 1] == "自" or any(c in mtext[us:by] for c in "、,"):
        return us  # no 由, 自由贸易区, or 由 inside a later unit of the list
    if looks_like_units(mtext[by + 1 : ue]) and not mtext[us:by].endswith(body_suffixes()):
        return by + 1
    return us


def parse_verbs(text: str, mtext: str, start: int, end: int) -> list[Field] | None:
    """``X牵头，Y负责，Z配合`` clauses; None when no clause carries a role verb."""
    fields: list[Field] = []
    found = False
    pending: list[tuple[int, int]] = []
    lookup = _verb_lookup()
    for cs, ce in _clauses(mtext, start, end):
        clause = mtext[cs:ce]
        if "牵头" in clause and first_listed_re().search(clause):
            pending = []  # 原则上由排名首位的部门牵头负责: the convention, no units
            continue
        m = None
        for m2 in _verb_re().finditer(clause):
            m = m2
        if m is None or (m.end() < len(clause.rstrip()) and clause[m.end():].strip(" ,;。")):
            # no verb ending this clause: maybe units that share the next clause's verb,
            # or a deadline clause
            if looks_like_deadline(clause):
                s, e = _trimmed(text, mtext, cs, ce)
                fields.append(Field("deadline", text[s:e], s))
            else:
                pending.append((cs, ce))
            continue
        found = True
        role = lookup[m.group("verb")]
        us, ue = cs, cs + m.start()
        while us < ue and mtext[us] in " ":
            us += 1
        for word in _LEADING_BY:
            if mtext.startswith(word, us):
                us += len(word)
        us = _after_inner_by(mtext, us, cs + m.start())
        for ps, pe in pending:
            s, e = _trimmed(text, mtext, ps, pe)
            if e > s and looks_like_units(mtext[s:e]):
                fields.append(Field(role, text[s:e], s))
        pending = []
        s, e = _trimmed(text, mtext, us, ue)
        if e > s:
            fields.extend(together_with(text, mtext, s, e) or [Field(role, text[s:e], s)])
    return fields if found else None


@cache
def _together_re() -> regex.Pattern[str]:
    return regex.compile(_alternation(load_json("role_verbs.json")["together_with"]))


def together_with(text: str, mtext: str, s: int, e: int) -> list[Field] | None:
    """X会同Y、Z in ``text[s:e]``: X leads and Y, Z cooperate (GOLD_FORMAT), the verb after
    them notwithstanding; None when no such word joins two lists there."""
    hit = _together_re().search(mtext, s, e)
    if hit is None or hit.start() - s < 2 or e - hit.end() < 2:
        return None
    ce = e
    tail = _ETC_TAIL.search(mtext, hit.end(), e)  # 会同农业部等部门: the 等… tail is no unit
    if tail is not None:
        ce = tail.start()
    return [Field("lead", text[s:hit.start()], s), Field("cooperating", text[hit.end():ce], hit.end())]


_ETC_TAIL = regex.compile(r"等(?:有关|相关)?(?:部门|单位)?$")


@cache
def body_suffixes() -> tuple[str, ...]:
    words = load_json("unit_words.json")
    return tuple(sorted(words.get("body_suffixes", []), key=len, reverse=True))


@cache
def _collective_re() -> regex.Pattern[str]:
    return regex.compile(r"^(?:各|有关|相关|全[市县区省])|(?:有关|相关|各)(?:部门|单位)$|成员单位$")


_DEADLINE_HINT = regex.compile(
    # The lookbehind: a numeral run is tried from its start only (1 MB of 一 was quadratic).
    r"\d{4}\s*年|(?<![一二三四五六七八九十])[一二三四五六七八九十]+月|\d{1,2}\s*月|年底|年内|全年|年末|季度|半年|持续|长期|常态|每[年月季周]|同步推进|底前|以前|之前"
)


def looks_like_deadline(value: str) -> bool:
    return bool(_DEADLINE_HINT.search(value))


@cache
def _role_label_re() -> regex.Pattern[str]:
    """Role labels (牵头单位, 责任单位 …): a piece holding one is a remark, not a unit name."""
    words = [w for w, role in _labels() if role in ROLE_FIELDS and len(w) >= 4]
    return regex.compile(_alternation(words))


_PIECE_SEP = regex.compile(r"[、,;，；/\s]+")


_SHORT_BRACKET = regex.compile(r"\([^()]{0,40}\)")


@lru_cache(maxsize=8192)
def looks_like_units(value: str) -> bool:
    """Every piece of a list names a body: ends with a body suffix or is a collective.
    Memoized: a notice asks it of the same brackets and cells again and again."""
    depth_free = _SHORT_BRACKET.sub("", value)
    pieces = [p for p in _PIECE_SEP.split(depth_free.strip(" 。.")) if p]
    if not pieces:
        return False
    suffixes = body_suffixes()
    role_words = _role_label_re()
    bodies = []
    marks = lead_marks()
    for piece in pieces:
        p = piece.rstrip("等").strip(marks)  # ★区发改局, 区发改局*: a lead's mark
        if len(p) > 40 or role_words.search(p):
            return False
        bodies.append(p.endswith(suffixes) or bool(_collective_re().search(p)))
    if not bodies[-1]:
        return False
    # 东湖、南山街道办事处: short names before the last share its suffix.
    return all(ok or (len(p) <= 6 and _HAN_ONLY.match(p.strip(marks))) for ok, p in zip(bodies, pieces, strict=True))


_HAN_ONLY = regex.compile(r"^\p{Han}+$")


def parse_assignment(text: str, mtext: str, start: int, end: int, bare_deadline: bool = True) -> list[Field] | None:
    """Read one assignment region in whichever shape it has; None when it is no assignment.

    A bracket holding nothing but a deadline ("（2018年6月底前）") closes a numbered
    item; after an unnumbered line it is usually part of a title ("汇总表(第四季度)"),
    so callers say whether to accept it.
    """
    fields = parse_labels(text, mtext, start, end)
    if fields:
        return fields
    end = _before_standing(mtext, start, end)  # (X牵头,Y负责落实。以下各项工作均需Y负责落实,不再一一列出)
    end = _before_convention(mtext, start, end)  # (X、Y,Z。列为首位的为牵头单位,其余为参与单位,下同)
    fields = parse_verbs(text, mtext, start, end)
    if fields:
        return fields
    s, e = _trimmed(text, mtext, start, end)
    if e > s and looks_like_units(mtext[s:e]):
        return [Field("responsible", text[s:e], s)]
    split = _units_then_deadline(text, mtext, s, e)
    if split is not None:
        return split
    if bare_deadline and e > s and looks_like_deadline(mtext[s:e]) and e - s <= 30:
        return [Field("deadline", text[s:e], s)]
    return None


_LAST_ITEM = regex.compile(r"[,;](?=[^,;]{2,30}$)")
"""The separator before a bracket's last item."""


def _units_then_deadline(text: str, mtext: str, s: int, e: int) -> list[Field] | None:
    """A bare bracket of units whose last item is the time limit (各县市人民政府、经开区管委会,6月底完成).

    Asked of every role value: most hold no , or ; and are answered before the pattern runs.
    """
    if mtext.find(",", s, e) < 0 and mtext.find(";", s, e) < 0:
        return None
    cut = _LAST_ITEM.search(mtext, s, e)
    # Most lists end with a unit: the limit test first, on the untrimmed last item (trimming
    # takes only separators and brackets off its ends, so a limit in the trimmed item is one
    # here too), before the list is trimmed and read.
    if cut is None or not looks_like_deadline(mtext[cut.end():e]):
        return None
    a, b = _trimmed(text, mtext, s, cut.start())
    c, d = _trimmed(text, mtext, cut.end(), e)
    if b <= a or d <= c or not looks_like_units(mtext[a:b]) or not looks_like_deadline(mtext[c:d]):
        return None
    return [Field("responsible", text[a:b], a), Field("deadline", text[c:d], c)]


_OPENERS = {")": "(", "]": "[", "〕": "〔", "】": "【"}
"""Closing brackets an assignment may stand in; 〔〕 and 【】 survive the match text's folding."""


_AFTER_CLOSE = " 。.;,?\ufffd"
"""What may follow a line's closing bracket: its sentence end, or a character a page lost (…等负责)?)."""


def closing_bracket(mtext: str, start: int, end: int) -> tuple[int, int] | None:
    """Span of the bracket group that closes ``mtext[start:end]`` (after trailing 。.;), if any.

    Scans back from the end with a depth counter, so nested brackets inside
    (县发改局(粮食局)) are kept whole; linear in the line length.
    """
    e = end
    while e > start and mtext[e - 1] in _AFTER_CLOSE:
        e -= 1
    if e <= start or mtext[e - 1] not in _OPENERS:
        return None
    close = mtext[e - 1]
    opener = _OPENERS[close]
    depth = 0
    for i in range(e - 1, start - 1, -1):
        ch = mtext[i]
        if ch == close:
            depth += 1
        elif ch == opener:
            depth -= 1
            if depth == 0:
                return i, e
    return None


@cache
def _group_verbs() -> re.Pattern[str]:
    """The group-heading verbs, one literal scan (``_group_re`` needs one of them)."""
    return literal_alternation(load_json("role_verbs.json")["group_heading"]["verbs"])


@cache
def _group_re() -> regex.Pattern[str]:
    spec = load_json("role_verbs.json")["group_heading"]
    verbs = _alternation(spec["verbs"])
    tails = _alternation(spec["tails"])
    return regex.compile(  # \G: used with match() only; keeps a search on a 1 MB line linear too
        rf"\G(?P<units>[^,;。:]{{2,60}}?)(?P<verb>{verbs})(?:{tails})?\s*(?:\(\s*(?:共\s*)?\d+\s*(?:项|条|个)\s*\))?\s*[。]?$"
    )


def group_lead(text: str, mtext: str, start: int, end: int) -> list[Field] | None:
    """Fields of a heading that assigns all items under it (X牵头工作（N项））."""
    if _group_verbs().search(mtext, start, end) is None:
        return None  # the pattern needs one of its verbs: most headings have none
    m = _group_re().match(mtext, start, end)
    if m is None:
        return None
    s, e = _trimmed(text, mtext, m.start("units"), m.end("units"))
    if e <= s or not looks_like_units(mtext[s:e]):
        return None
    role = _verb_lookup().get(m.group("verb"), "lead")
    return [Field(role, text[s:e], s)]


@cache
def task_label_re() -> regex.Pattern[str]:
    """A line that opens with a task-column label: "重点工作: | 135.统筹…" (key | value pages)."""
    words = load_json("labels.json")["task"]
    return regex.compile(rf"^(?:{_alternation(words)})\s*:\s*\|?\s*")
