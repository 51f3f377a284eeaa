"""GB/T 9704 elements of a notice: 文号, titles, 主送, 署名, 成文日期, references, 抄送, 印发, 附件.

Everything is matched on the match text ``mtext`` (same length as ``text``, folded
punctuation, simplified script) and sliced from ``text``, so values keep the notice's
own script and every value has a span into ``text``.

The elements live in known places, so each is looked for only there: the *head*
(portal table, 文号, title, 主送) is the first few thousand characters, the *cover end*
(署名, 成文日期, 附件 list) is the first date-only line after the 主送 line, and the
*版记* (抄送, 印发) is just after the cover end or at the very end of the text. Every
region is bounded, and every pattern is anchored or bounded, so hostile input (one
character repeated for megabytes, megabyte-long lines) costs linear time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import regex

from parser.data import load_json
from parser.errors import InternalError
from parser.rx import StartFilter
from parser.textnorm import match_text
from schemas.notice import DocNumber, Meta, Span, build

HEAD_CHARS = 4000
"""The head (portal table, red header, 文号, title, 主送) is within this many characters."""
HEAD_LINES = 60
COVER_CHARS = 60000
"""The 成文日期 line is looked for this far after the 主送 line (a long inline plan may precede it)."""
UNSIGNED_DATE_CHARS = 3000
"""A date line with no 署名 above it closes the cover only this close below the 主送/title."""
ATTACH_CHARS = 60000
"""An attachment heading (附件1) is looked for this far after the cover's end."""
TAIL_CHARS = 3000
"""The 版记 (抄送, 印发) at the end of the text is within this many characters."""
REF_CHARS = 300000
"""References are collected from this much of the text (citations cluster near the top)."""
MAX_REFS = 200
TITLE_BACK_LINES = 8
"""A wrapped title spans at most this many lines."""
RECIPIENT_LINES = 10
"""The 主送 line comes within this many non-empty lines after the title."""

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = regex.compile(rf"[{_HAN}\u3000-\u303f\uff00-\uffef《》“”‘’、，。：；！？（）]")
_SPACE = regex.compile(r"\s+")
_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_DATE = (
    r"(?:(?P<y>(?:19|20)\d{2})[ \t]*+年[ \t]*+(?P<mo>\d{1,2})[ \t]*+月[ \t]*+(?P<d>\d{1,2})[ \t]*+日"
    r"|(?P<cy>[〇零○Oo0一二三四五六七八九]{4})[ \t]*+年[ \t]*+(?P<cmo>[一二三四五六七八九十]{1,3})[ \t]*+月"
    r"[ \t]*+(?P<cd>[一二三四五六七八九十]{1,3})[ \t]*+日)"
)
_ISO_DATE = r"(?P<iy>(?:19|20)\d{2})[ \t]*+[-/.][ \t]*+(?P<imo>\d{1,2})[ \t]*+[-/.][ \t]*+(?P<id>\d{1,2})"
_OPEN = r"[〔\[(〖{]"
_CLOSE = r"[〕\])〗}]"
_DOCNO_BODY = (
    rf"[ \t]*+{_OPEN}[ \t]*+(?P<year>(?:19|20)\d{{2}})[ \t]*+{_CLOSE}[ \t]*+第?[ \t]*+(?P<serial>\d{{1,5}})[ \t]*+号"
)
_NESTED = r"(?:[^《》\n]|《[^《》\n]{0,100}》)"


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Every pattern compiled once, from the words in parser/data/meta_words.json."""

    words: dict
    portal_label: regex.Pattern[str]
    portal_field: dict[str, str]
    portal_none: frozenset[str]
    docno_line: regex.Pattern[str]
    docno_mangled: regex.Pattern[str]
    docno_inline: regex.Pattern[str]
    title_end: regex.Pattern[str]
    plan_in_title: regex.Pattern[str]
    plan_in_body: regex.Pattern[str]
    plan_kind_end: regex.Pattern[str]
    date_line: regex.Pattern[str]
    any_date: regex.Pattern[str]
    org_end: regex.Pattern[str]
    org_only: regex.Pattern[str]
    recipients_head: regex.Pattern[str]
    not_recipients: frozenset[str]
    recipient_reject: regex.Pattern[str]
    attach_heading: regex.Pattern[str]
    attach_list: regex.Pattern[str]
    numbered: regex.Pattern[str]
    cc_line: regex.Pattern[str]
    printed_line: regex.Pattern[str]
    reference: regex.Pattern[str]
    reference_kind_end: regex.Pattern[str]
    docno_paren: regex.Pattern[str]
    outline_start: regex.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


def _spaced(word: str) -> str:
    """A label that portals often pad with spaces between its characters (文    号)."""
    return r"[ \t\u3000]*+".join(regex.escape(ch) for ch in word)


@cache
def _patterns() -> _Patterns:
    words = load_json("meta_words.json")
    fields: dict[str, str] = {}
    for field, labels in words["portal_fields"].items():
        if field.startswith("_"):
            continue
        for label in labels:
            fields[label] = field
    labels = sorted([*fields, *words["portal_other"]], key=len, reverse=True)
    role_labels: set[str] = set()
    for key, value in load_json("labels.json").items():
        if not key.startswith("_") and key != "field_label_heads" and isinstance(value, list):
            role_labels.update(value)  # the heads are word endings, not labels
    kinds = _alt(words["title_kinds"])
    org_end = _alt(words["org_suffixes"])
    cc = _alt(words["cc_labels"])
    attach = regex.escape(words["attachment_label"])
    issue = regex.escape(words["issue_cue"])
    code_end = "".join(words["doc_number_org_end"])
    return _Patterns(
        words=words,
        portal_label=regex.compile("(?:" + "|".join(_spaced(w) for w in labels) + r")[ \t]*+[:|]?"),
        portal_field=fields,
        portal_none=frozenset(words["portal_none"]),
        docno_line=regex.compile(rf"(?P<org>[{_HAN}]{{1,14}}){_DOCNO_BODY}"),
        docno_mangled=regex.compile(rf"(?P<org>[{_HAN}]{{0,13}}[{code_end}])(?P<year>(?:19|20)\d{{2}})(?P<serial>\d{{1,4}})号"),
        docno_inline=regex.compile(rf"(?<![{_HAN}])(?P<org>[{_HAN}]{{1,14}}){_DOCNO_BODY}"),
        # …的通知, …的指导意见, …的若干意见, …的紧急通知: a qualifier may stand before the kind
        title_end=regex.compile(rf"的[{_HAN}]{{0,4}}?(?:{kinds})[ \t|]*+$"),
        plan_in_title=regex.compile(rf"{issue}(?P<x>.+)的(?:{kinds})$"),
        plan_in_body=regex.compile(
            rf"《(?P<x>{_NESTED}{{2,200}})》(?:[和、及与,]?《(?P<x>{_NESTED}{{2,200}})》){{0,5}}[^。\n《》()]{{0,30}}?{issue}"
        ),
        plan_kind_end=regex.compile(rf"(?:{_alt(words['plan_kinds'])})$"),
        date_line=regex.compile(rf"(?m)^[ \t]*+(?:(?P<org>[^\s\d][^\n\d]{{1,59}}?)[ \t]++)?{_DATE}[ \t]*+$"),
        any_date=regex.compile(rf"{_DATE}|{_ISO_DATE}"),
        org_end=regex.compile(rf"(?:{org_end})$"),
        org_only=regex.compile(rf"[{_HAN}、]{{2,60}}"),
        recipients_head=regex.compile(r"[ \t]*+(?P<r>[^:。;!?\n]{1,300}?)[ \t]*+:"),
        not_recipients=frozenset([*words["not_recipients"], *role_labels, *labels]),
        recipient_reject=regex.compile(
            rf"^(?:\d|[一二三四五六七八九十]+[、.]|\()|{_alt(sorted(role_labels))}"
        ),
        attach_heading=regex.compile(rf"(?m)^[ \t]*+{attach}[ \t]*+(?:\d{{1,2}}[ \t]*+:?)?[ \t]*+$"),
        attach_list=regex.compile(rf"(?m)^[ \t]*+{attach}[ \t]*+:[ \t]*+(?P<v>[^\n]{{0,400}})$"),
        numbered=regex.compile(r"[ \t]*+(?P<n>\d{1,2})[ \t]*+[.、][ \t]*+"),
        cc_line=regex.compile(rf"(?m)^[ \t]*+(?:{cc})[ \t]*+:[ \t]*+(?P<v>[^\n]{{1,600}})$"),
        printed_line=regex.compile(
            rf"[ \t]*+(?P<org>[^\s\d][^\n\d]{{1,59}}?)[ \t]*+(?P<date>{_DATE})[ \t]*+{regex.escape(words['printed_cue'])}[ \t\r]*+"
        ),
        reference=regex.compile(rf"《(?P<t>{_NESTED}{{1,200}})》(?:[ \t]*+\((?P<n>[^()\n]{{2,40}}?号)\))?"),
        reference_kind_end=regex.compile(rf"(?:{_alt(words['reference_kinds'])})$"),
        docno_paren=regex.compile(rf"(?<![{_HAN}])(?P<org>[{_HAN}]{{1,14}}){_DOCNO_BODY}"),
        outline_start=regex.compile(r"(?m)^[ \t]*+一[、.]"),
    )


# ---------------------------------------------------------------- small helpers


def _squash(t: str, m: str) -> tuple[str, str]:
    """Drop whitespace next to a CJK character (line-wrap debris), in both aligned strings.

    Decisions are made on the match text, so the two results stay aligned character
    for character; spaces between two Latin words or digits are kept (collapsed to one).
    """
    if _SPACE.search(m) is None:
        return t, m
    out_t: list[str] = []
    out_m: list[str] = []
    pos = 0
    for sp in _SPACE.finditer(m):
        s, e = sp.span()
        out_t.append(t[pos:s])
        out_m.append(m[pos:s])
        before = m[s - 1] if s > 0 else ""
        after = m[e] if e < len(m) else ""
        if before and after and not (_CJK_CHAR.match(before) or _CJK_CHAR.match(after)):
            out_t.append(" ")
            out_m.append(" ")
        pos = e
    out_t.append(t[pos:])
    out_m.append(m[pos:])
    return "".join(out_t).strip(), "".join(out_m).strip()


def _cn_number(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十四 → 24 (months and days only)."""
    if "十" not in s:
        return _CN_DIGIT.get(s, 0) if len(s) == 1 else 0
    tens, _, units = s.partition("十")
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(units, 0) if units else 0)


def _iso(m: regex.Match[str]) -> str | None:
    """ISO date from a match of ``_DATE`` or ``_ISO_DATE``, or None when it is not a real date."""
    g = m.groupdict()
    if g.get("y"):
        y, mo, d = int(g["y"]), int(g["mo"]), int(g["d"])
    elif g.get("cy"):
        y = int("".join(str(_CN_DIGIT[ch]) for ch in g["cy"]))
        mo, d = _cn_number(g["cmo"]), _cn_number(g["cd"])
    elif g.get("iy"):
        y, mo, d = int(g["iy"]), int(g["imo"]), int(g["id"])
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _lines(mtext: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """(start, end) of the first ``limit`` non-empty lines in [start, end), trimmed of spaces."""
    out: list[tuple[int, int]] = []
    pos = start
    for seg in mtext[start:end].split("\n"):
        core = seg.strip()
        if core:
            s = pos + seg.find(core[0])  # only white space precedes it
            out.append((s, s + len(core)))
            if len(out) >= limit:
                break
        pos += len(seg) + 1
    return out


def _next_line(mtext: str, pos: int, limit: int) -> tuple[int, int] | None:
    """The first non-empty line at or after ``pos`` (bounded by ``limit``)."""
    while pos < limit:
        nl = mtext.find("\n", pos, limit)
        stop = limit if nl < 0 else nl
        s, e = pos, stop
        while s < e and mtext[s].isspace():
            s += 1
        while e > s and mtext[e - 1].isspace():
            e -= 1
        if s < e:
            return s, e
        pos = stop + 1
    return None


def _prev_line(mtext: str, pos: int, limit: int) -> tuple[int, int] | None:
    """The last non-empty line ending before ``pos`` (not looking before ``limit``)."""
    end = pos
    while end > limit:
        nl = mtext.rfind("\n", limit, end)
        s = limit if nl < 0 else nl + 1
        a, b = s, end
        while a < b and mtext[a].isspace():
            a += 1
        while b > a and mtext[b - 1].isspace():
            b -= 1
        if a < b:
            return a, b
        end = nl if nl >= 0 else limit
    return None


_PLAIN = regex.compile(r"[\s“”\"'‘’《》<>〈〉|]")


def _plain(m: str) -> str:
    """Comparison key of a title: no spaces, quotes or book-title brackets."""
    return _PLAIN.sub("", m)


def _is_org(m: str) -> bool:
    """A well-formed organ name: Han characters only (no brackets) ending in an organ suffix."""
    p = _patterns()
    name = _SPACE.sub("", m)
    return bool(p.org_only.fullmatch(name) and p.org_end.search(name))


def _org_value(t: str, m: str) -> str:
    """An organ name as written; several space-separated organs (联合署名) join with 、."""
    parts_m = _SPACE.split(m.strip())
    if len(parts_m) > 1 and all(_is_org(x) for x in parts_m):
        parts_t = _SPACE.split(t.strip())
        if len(parts_t) == len(parts_m):
            return "、".join(parts_t)
    return _squash(t, m)[0]


# ---------------------------------------------------------------- portal table


@dataclass(slots=True)
class _Value:
    text: str
    mtext: str
    span: Span | None


@cache
def _portal_start() -> StartFilter:
    """Whether a line's first character can open a portal label (most lines: no)."""
    return StartFilter(_patterns().portal_label)


@cache
def portal_start_chars() -> frozenset[str]:
    """The characters a portal label starts with: what ``_portal_start`` answers, as a set a
    per-line loop can test without a call (the label pattern is the labels' alternation,
    each opening with its own first character; spaces stand only between characters)."""
    p = _patterns()
    return frozenset(label[0] for label in [*p.portal_field, *p.words["portal_other"]])


def is_portal_line(mtext: str) -> bool:
    """Does the line open with a portal metadata label and its colon (信息来源：…, 发布机构：…)?
    Such a line describes the page; a unit in brackets on it (区政府办(外事办)) assigns nothing."""
    if mtext.find("[", 0, KEY_OPEN_REACH) >= 0 and bracket_key(mtext, 0, len(mtext)) is not None:
        return True  # 10. [文件来源] 政府公报
    if mtext[:1] not in portal_start_chars():
        return False
    colon = mtext.find(":")
    return colon >= 0 and _is_portal_head(mtext[:colon + 1])


@lru_cache(maxsize=2048)
def _is_portal_head(head: str) -> bool:
    """``is_portal_line`` for the line's head up to its first colon, memoized.

    The answer depends on that head alone: a label holds no colon, so the label's match
    ends at the first colon or fails before it. Most lines that reach it open with a
    task's own label (责任单位：, under many tasks of a notice), and the label pattern, a
    46-word alternation, ran again on each: the largest of the walk's new costs.
    """
    first = _patterns().portal_label.match(head)
    if first is None or first.group().rstrip()[-1:] != ":":
        return False
    from parser.tasks.assign import label_role  # the tasks stage imports meta: imported late

    label = _SPACE.sub("", first.group()).rstrip(":")
    return label not in label_role()  # 责任部门：, 完成时间： are a task's labels too


def _portal_from_text(
    text: str, mtext: str, lines: list[tuple[int, int]], found: set[int]
) -> dict[str, _Value]:
    """Label/value pairs of a portal metadata block written into the head of the text.

    A portal line starts with a known label; its values run up to the next label, so
    "发文机构武汉市人民政府办公厅发文字号武政办〔2020〕1号" and pipe tables both split.
    """
    p = _patterns()
    out: dict[str, _Value] = {}
    can_start = _portal_start()
    for index, (s, e) in enumerate(lines):
        keyed = bracket_key(mtext, s, e) if mtext.find("[", s, s + KEY_OPEN_REACH) >= 0 else None
        if keyed is not None:  # 5. [成文日期] 2016-06-08: a portal's list of bracketed keys
            found.add(index)
            field = p.portal_field.get(keyed[0])
            if field is not None and field not in out and keyed[1] < e:
                out[field] = _Value(text[keyed[1]:e], mtext[keyed[1]:e], (keyed[1], e))
            continue
        first = p.portal_label.match(mtext, s, e) if can_start(mtext[s:s + 1]) else None
        if first is None:
            continue
        hits = list(p.portal_label.finditer(mtext, s, e))
        if len(hits) == 1 and first.group().rstrip()[-1:] not in ":|" and e - first.end() > 60:
            continue  # a body sentence that merely starts with a label word
        found.add(index)
        for i, hit in enumerate(hits):
            label = _SPACE.sub("", hit.group()).rstrip(":|")
            vs = hit.end()
            ve = hits[i + 1].start() if i + 1 < len(hits) else e
            while vs < ve and mtext[vs] in " \t|:\u3000":
                vs += 1
            while ve > vs and mtext[ve - 1] in " \t|\u3000":
                ve -= 1
            field = p.portal_field.get(label)
            if field is not None and field not in out:
                out[field] = _Value(text[vs:ve], mtext[vs:ve], (vs, ve))
    return out


_BRACKET_KEY = regex.compile(r"[ \t]*+(?:\d{1,2}[.、][ \t]*+)?\[(?P<key>[^\[\]\n]{2,8})\][ \t]*+")
KEY_OPEN_REACH = 8
"""A bracketed key opens a line within this many characters (its list number before it)."""


def bracket_key(mtext: str, s: int, e: int) -> tuple[str, int] | None:
    """(label, where its value starts) when ``mtext[s:e]`` is a portal's bracketed key line
    (10. [文件来源] 政府公报, [成文日期] 2016-06-08) naming a known portal label; else None."""
    hit = _BRACKET_KEY.match(mtext, s, e)
    if hit is None:
        return None
    label = _SPACE.sub("", hit.group("key"))
    p = _patterns()
    if label not in p.portal_field and label not in p.words["portal_other"] and label not in _more_keys():
        return None
    return label, hit.end()


@cache
def _more_keys() -> frozenset[str]:
    return frozenset(load_json("meta_words.json")["portal_bracket_keys"])


def _portal_from_dict(portal: dict[str, str] | None) -> dict[str, _Value]:
    p = _patterns()
    out: dict[str, _Value] = {}
    for key, value in (portal or {}).items():
        label = _SPACE.sub("", match_text(str(key))).strip(":|")
        field = p.portal_field.get(label)
        if field is not None and field not in out and value is not None:
            v = str(value).strip()
            out[field] = _Value(v, match_text(v), None)
    return out


def _is_none(p: _Patterns, v: _Value) -> bool:
    return _SPACE.sub("", v.mtext).lower() in p.portal_none or not v.mtext.strip()


# ---------------------------------------------------------------- 文号


def _docnumber(text: str, m: regex.Match[str]) -> DocNumber:
    """A DocNumber from a match of one of the 文号 patterns on the match text."""
    return DocNumber(
        text=_SPACE.sub("", text[m.start() : m.end()]),
        org=_SPACE.sub("", text[m.start("org") : m.end("org")]),
        year=int(m.group("year")),
        serial=int(m.group("serial")),
        span=m.span(),
    )


def _doc_number_from_value(v: _Value) -> DocNumber | None:
    """A portal 发文字号 value, parsed where it has the usual shape."""
    p = _patterns()
    m = p.docno_line.search(v.mtext) or p.docno_mangled.search(v.mtext)
    written = _SPACE.sub("", v.text)
    if m is None:
        return DocNumber(text=written, span=v.span)
    return DocNumber(
        text=written,
        org=_SPACE.sub("", v.text[m.start("org") : m.end("org")]),
        year=int(m.group("year")),
        serial=int(m.group("serial")),
        span=v.span,
    )


def _find_doc_number(
    text: str, mtext: str, lines: list[tuple[int, int]], portal: dict[str, _Value], portal_lines: set[int]
) -> tuple[DocNumber | None, int | None]:
    """The notice's own 文号 and the index of its line in ``lines`` (None when from the portal).

    A line that is only a bracketed number wins (red-header layout); then the portal's
    发文字号 (where "无" means there is none); then a number inside a head line that is not a
    citation "《…》（…号）"; the bracketless "镇政办发201115号" form only when nothing else exists.
    """
    p = _patterns()
    mangled: tuple[regex.Match[str], int] | None = None
    for i, (ls, le) in enumerate(lines):
        s, e = (ls + 1, le - 1) if mtext[ls] == "(" and mtext[le - 1] == ")" and le - ls > 2 else (ls, le)
        m = p.docno_line.fullmatch(mtext, s, e)  # also "（某政发〔2017〕12号）" alone under the title
        if m is not None:
            return _docnumber(text, m), i
        if mangled is None:
            mm = p.docno_mangled.fullmatch(mtext, s, e)
            if mm is not None:
                mangled = (mm, i)
    v = portal.get("doc_number")
    if v is not None:
        if _is_none(p, v) or not any(c.isdigit() or c in _CN_NUMERALS for c in v.mtext):
            return None, None  # 无, or a template left empty (〔〕): the portal says it has none
        return _doc_number_from_value(v), None
    for i, (s, e) in enumerate(lines):
        if i in portal_lines:
            continue
        for m in p.docno_inline.finditer(mtext, s, e):
            before = mtext[max(s, m.start() - 2) : m.start()]
            if ("(" in before and not _own_number_after_title(mtext, s, e, m)) or "》" in before:
                continue  # a cited document's number
            return _docnumber(text, m), i
    if mangled is not None:
        return _docnumber(text, mangled[0]), mangled[1]
    return None, None


_CN_NUMERALS = frozenset("〇零一二三四五六七八九十百")
"""A document number holds a number: digits or these (督察通报第十七期)."""

_TITLE_NUMBER = regex.compile(r"\s*\(([^()]{4,30})\)\s*$")
"""A title line closed by the notice's own 文号 in brackets: …的通知(甘食安委发〔2021〕1号)."""


def _title_number_tail(mtext: str, s: int, e: int) -> regex.Match[str] | None:
    """The bracketed 文号 closing a title line (…的通知(甘食安委发〔2021〕1号)), or None."""
    tail = _TITLE_NUMBER.search(mtext, s, e)
    return tail if tail is not None and _patterns().title_end.search(mtext[s:tail.start()]) else None


def _titled_number_line(mtext: str, line: tuple[int, int]) -> bool:
    """Is the 文号's line a title closed by it? Then it is the title's line too."""
    return _title_number_tail(mtext, *line) is not None


def _own_number_after_title(mtext: str, s: int, e: int, m: regex.Match[str]) -> bool:
    """Is the bracketed 文号 at the end of a title line the notice's own (not a cited one)?"""
    tail = _title_number_tail(mtext, s, e)
    return tail is not None and tail.start(1) <= m.start()


# ---------------------------------------------------------------- titles


def _find_title(
    text: str, mtext: str, lines: list[tuple[int, int]], skip: set[int]
) -> tuple[str, str, Span, int] | None:
    """The notice's own title (text, mtext, span, index of its last line), joined across wraps.

    The title ends with 的通知/的决定/…; when that line lacks 关于 (or 转发/印发) the title
    started on an earlier line, so lines are gathered back to the one holding it (at most a few).
    """
    p = _patterns()
    cues = p.words["title_cues"]
    for i, (s, line_end) in enumerate(lines):
        if i in skip or line_end - s > 200 or "。" in mtext[s:line_end]:
            continue
        own = _TITLE_NUMBER.search(mtext, s, line_end)
        # …的通知(甘食安委发〔2021〕1号): the number is no part of the title
        e = own.start() if own is not None and p.docno_inline.search(own.group(1)) else line_end
        if not p.title_end.search(mtext, s, e) or any(c in mtext[s:e] for c in ">›:"):
            continue  # breadcrumbs (首页 > … > …的通知) and labelled lines are not the title
        first = i
        if not any(c in mtext[s:e] for c in cues):
            j = i - 1
            while j >= 0 and i - j <= TITLE_BACK_LINES:
                a, b = lines[j]
                seg = mtext[a:b]
                if j in skip or b - a > 80 or any(c in seg for c in "。:;"):
                    break
                if any(c in seg for c in cues):
                    first = j
                    break
                j -= 1
        first = _issuer_line_above(mtext, lines, skip, first)
        parts = [*lines[first:i], (lines[i][0], e)]
        t = "".join(text[a:b] for a, b in parts)
        m = "".join(mtext[a:b] for a, b in parts)
        t, m = _squash(t, m)
        t, m = t.rstrip(" |"), m.rstrip(" |")
        a, b = _title_wrapping(m)
        return t[a:b], m[a:b], (parts[0][0], e), i
    return None


_ISSUER_ABOVE_MAX = 20


def _issuer_line_above(mtext: str, lines: list[tuple[int, int]], skip: set[int], first: int) -> int:
    """周口市人民政府 / 关于做好…的通知: an organ's name on the line right above a title that
    opens with 关于 is the title's own first words (the issuer's name wrapped off it)."""
    s = lines[first][0]
    if first == 0 or first - 1 in skip or not mtext.startswith("关于", s):
        return first
    a, b = lines[first - 1]
    above = mtext[a:b].strip()
    return first - 1 if len(above) <= _ISSUER_ABOVE_MAX and _is_org(above) else first


_WRAP = regex.compile(r"^(?:[【\[][^】\]]{1,20}[】\]]\s*|\S{2,10}[〔\[(]\d{4}[〕\])]\d{1,4}号\s*(?:《(?=.*》$)|(?=\p{Han}+关于)))")


def _title_wrapping(m: str) -> tuple[int, int]:
    """The title inside a title line's wrapping: a site's 【栏目】 tag, or the 文号 before a
    title, bare or given in 《》 (东府办〔2017〕136号《…的实施意见》), left out."""
    hit = _WRAP.match(m)
    if hit is None or "关于" not in m[hit.end():]:
        return 0, len(m)
    return hit.end(), len(m) - 1 if m.endswith("》") and "《" in hit.group() else len(m)


_SITE_TAG = regex.compile(r"[【\[][^】\]]{1,20}[】\]]\s*")
"""A site's 【栏目】 tag before a page's title."""
_MIN_TITLE = 6

_PLACE_PREFIX = 8
"""At most this many characters of a place's name the body's 《plan》 may add to the title's plan."""

_STANDALONE_LINES = 15
"""Head lines searched for a standalone title when there is no 通知 title."""
_HAN_CHAR = regex.compile(r"\p{Han}")
_YEARS_NOTE = regex.compile(r"\(\d{4}(?:[-—–~至]\d{4})?年?(?:度)?\)\s*$")


_CAPTION_PIPES = 3
"""A table's caption row is its title followed by the empty cells of the merged row."""


def _unit_list(m: str) -> bool:
    """A list of bodies (卫健局、文旅局) is a field's value, never a title."""
    from parser.tasks.assign import looks_like_units  # the tasks stage imports meta: imported late

    return "、" in m and looks_like_units(m)


_HEADLINE_COMMAS = frozenset(",，")
_HEADLINE_CHARS = 40
"""A page's first line this short may hold a comma and still be its headline."""
_MARKER_START = regex.compile(r"[一二三四五六七八九十]{1,4}、|\(|\d{1,3}\s*[.、](?!\d)")
"""A heading marker (一、 (一) 1.) opens an item, never a title."""


def _standalone_title(text: str, mtext: str, lines: list[tuple[int, int]], skip: set[int]) -> tuple[str, Span] | None:
    """The first short standalone line, for pages without a 通知 title (tables, bulletins).

    A title has no sentence punctuation and no page-chrome marks, does not start with a
    heading marker, and is mostly Han characters; nothing from a table's first row on is
    searched; a file extension or a
    credit ("/连江县政府提供") after it is not part of it.
    """
    w = _patterns().words
    stops = set(w["standalone_title_stop_chars"])
    first = True
    for i, (line_start, line_end) in enumerate(lines[:_STANDALONE_LINES]):
        if i in skip:
            continue
        s = line_start
        # A page's first line may be a headline with a comma in it (…问题清单曝光,要求限期整改)
        line_stops = stops - _HEADLINE_COMMAS if first and line_end - s <= _HEADLINE_CHARS else stops
        first = False
        e = line_end
        seg = mtext[s:e].strip()
        tag = _SITE_TAG.match(seg)
        if tag is not None and tag.end() == len(seg):
            continue  # 【临水新闻网】 alone on its line: the site's name
        if tag is not None and len(seg) - tag.end() >= _MIN_TITLE:  # 【年度重点工作】烈山区…情况: the site's column
            s += len(mtext[s:e]) - len(mtext[s:e].lstrip()) + tag.end()
            seg = seg[tag.end():]
        for tail in w["standalone_title_tails"]:
            if seg.endswith(tail):
                e -= len(tail)
                seg = seg[: -len(tail)]
        slash = seg.find("/")
        if slash > 0 and any(seg.endswith(c) for c in w["standalone_title_credit_words"]):
            e -= len(seg) - slash
            seg = seg[:slash]
        caption = seg.rstrip("| \t")
        if "|" in caption or ("|" in seg and seg.count("|") < _CAPTION_PIPES):
            break  # a table starts: its cells are no title
        if caption != seg:  # a caption in the table's first row: 岳阳楼区…完成情况 | |||||
            e -= len(seg) - len(caption)
            seg = caption
        if not 6 <= len(seg) <= 60 or any(c in line_stops for c in seg) or _unit_list(seg):
            continue
        if seg.endswith(tuple(w["site_name_ends"])):
            continue  # the portal's own name above the page
        if any(word in seg for word in w["standalone_title_chrome"]):
            continue  # the site's own controls (添加到电脑桌面)
        words = _YEARS_NOTE.sub("", seg)  # …实施方案(2019-2020年): the years are no chrome
        if _MARKER_START.match(seg) or len(_HAN_CHAR.findall(words)) < 0.6 * len(words):
            continue
        t, _ = _squash(text[s:e], mtext[s:e])
        return t.strip(), (s, e)
    return None


def _plan_from_title(t: str, m: str) -> tuple[str, str] | None:
    """X of "…印发X的通知", without the book-title marks around it."""
    hit = _patterns().plan_in_title.search(m)
    if hit is None:
        return None
    s, e = hit.span("x")
    if m[s] == "《" and m[e - 1] == "》":
        s, e = s + 1, e - 1
    return (t[s:e], m[s:e]) if e > s else None


def _plan_title(
    text: str,
    mtext: str,
    title: tuple[str, str] | None,
    body_start: int,
    cover_end: int,
) -> tuple[str, Span | None] | None:
    """The title of the plan the notice issues.

    In order: the heading after a standalone 附件/附件1 line; the 《X》 that the first
    paragraph says is 印发 — when the title names a plan too, only if the two agree
    (they name one plan; when they differ, neither is trusted); the X of 印发X的通知;
    a standalone plan heading right after the cover.
    """
    p = _patterns()
    limit = min(len(mtext), cover_end + ATTACH_CHARS)
    head = p.attach_heading.search(mtext, cover_end, limit)
    if head is not None:
        nxt = _next_line(mtext, head.end(), min(limit, head.end() + 2000))
        if nxt is not None and nxt[1] - nxt[0] <= 120 and "。" not in mtext[nxt[0] : nxt[1]]:
            t, _ = _squash(text[nxt[0] : nxt[1]], mtext[nxt[0] : nxt[1]])
            return t, nxt
    from_title = _plan_from_title(title[0], title[1]) if title else None
    body = p.plan_in_body.search(mtext, body_start, min(len(mtext), body_start + 2000))
    if body is not None:
        s, e = body.starts("x")[0], body.ends("x")[0]
        t, m = _squash(text[s:e], mtext[s:e])
        if not p.title_end.search(m):  # …的通知 is a cited notice, not the plan this one issues
            if from_title is None or _plain(from_title[1]) == _plain(m):
                return t, (s, e)
            if _plain(from_title[1]).startswith(_plain(m)):
                return t, (s, e)  # the title issues several plans (印发X和Y的通知): the first
            if _plain(m) in _plain(from_title[1]):
                return from_title[0], None  # the body cites a book inside the plan's title (《政府工作报告》)
            if _plain(m).endswith(_plain(from_title[1])) and len(_plain(m)) - len(_plain(from_title[1])) <= _PLACE_PREFIX:
                return t, (s, e)  # 《清河市2033年…方案》 under 印发2033年…方案的通知: the place named in full
            return None
    if from_title is not None:
        return from_title[0], None
    nxt = _next_line(mtext, cover_end, min(len(mtext), cover_end + 2000)) if cover_end else None
    if nxt is not None:
        seg = mtext[nxt[0] : nxt[1]]
        if len(seg) <= 80 and not any(c in seg for c in "。:;,") and p.plan_kind_end.search(seg):
            return _squash(text[nxt[0] : nxt[1]], seg)[0], nxt
    return None


# ---------------------------------------------------------------- 主送


def _split_list(t: str, m: str) -> list[str]:
    """Split a list of bodies on 、，,; outside brackets; "各县、市、区政府" stays one."""
    pieces: list[tuple[str, str, str]] = []  # (text, mtext, separator that followed)
    depth = 0
    start = 0
    for i, ch in enumerate(m):
        if ch in "([《<“":
            depth += 1
        elif ch in ")]》>”":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "、,;":
            pieces.append((t[start:i], m[start:i], ch))
            start = i + 1
    pieces.append((t[start:], m[start:], ""))
    out: list[str] = []
    carry_t = carry_m = ""
    for raw_t, raw_m, sep in pieces:
        a, b = 0, len(raw_m)
        while a < b and raw_m[a] in "。. \t":
            a += 1
        while b > a and raw_m[b - 1] in "。. \t":
            b -= 1
        pt, pm = _squash(raw_t[a:b], raw_m[a:b])
        carry_t, carry_m = carry_t + pt, carry_m + pm
        core = carry_m[1:] if carry_m.startswith("各") else carry_m
        if sep == "、" and len(core.split("、")[-1]) <= 1:
            carry_t, carry_m = carry_t + "、", carry_m + "、"
            continue
        if carry_t:
            out.append(carry_t)
        carry_t = carry_m = ""
    if carry_t.strip("、"):
        out.append(carry_t.strip("、"))
    return out


def _looks_like_recipients(name: str, cues: list[str], anchored: bool) -> bool:
    """A 主送 prefix names bodies: it has a cue (各) or, right under a title, ends like an organ.

    A task line ("1、…，牵头单位:") or a field label is not one; without a title or 文号
    above it, only a prefix with a cue is trusted.
    """
    p = _patterns()
    if name in p.not_recipients or p.recipient_reject.search(name):
        return False
    if any(c in name for c in cues):
        return True
    return anchored and bool(p.org_end.search(name))


def _find_recipients(
    text: str, mtext: str, lines: list[tuple[int, int]], first: int, skip: set[int]
) -> tuple[list[str], Span, int] | None:
    """The 主送 list: the prefix before the colon of an early line, when it names bodies."""
    p = _patterns()
    cues = p.words["recipient_cues"]
    labels = set(p.words["recipient_labels"])
    seen = 0
    for i in range(first, len(lines)):
        if i in skip:
            continue
        s, e = lines[i]
        seen += 1
        if seen > RECIPIENT_LINES:
            return None
        hit = p.recipients_head.match(mtext, s, e)
        if hit is None:
            continue
        rs, re_ = hit.span("r")
        name = _SPACE.sub("", mtext[rs:re_])
        if name in labels:
            rs, re_ = hit.end(), e
            while re_ > rs and mtext[re_ - 1] in "。 ":
                re_ -= 1
        elif not _looks_like_recipients(name, cues, anchored=first > 0):
            continue
        items = _split_list(text[rs:re_], mtext[rs:re_])
        if items:
            return items, (rs, re_), i
    return None


# ---------------------------------------------------------------- 署名, 成文日期, 附件, 版记


def _find_cover_end(
    text: str, mtext: str, start: int, anchored: bool
) -> tuple[str | None, Span | None, str, Span, int] | None:
    """(issuer, issuer span, ISO date, date span, end of the date line) of the cover's close.

    The 成文日期 is the first line after the 主送 that is only a date (or 署名 + date);
    the 署名 is that line's organ prefix or the line before it, when it is an organ name.
    Without a title or 主送 above (``anchored``) there is no cover to close: a date line
    there is as likely a deadline cell of a one-cell-per-line table, under a unit cell
    that looks like a 署名. A date line without a 署名 is trusted only close below the 主送.
    """
    p = _patterns()
    if not anchored:
        return None
    limit = min(len(mtext), start + COVER_CHARS)
    for hit in p.date_line.finditer(mtext, start, limit):
        iso = _iso(hit)
        if iso is None:
            continue
        ds, de = hit.start("y") if hit.group("y") else hit.start("cy"), hit.end()
        while mtext[de - 1].isspace():
            de -= 1
        issuer: str | None = None
        ispan: Span | None = None
        if hit.group("org"):
            os_, oe = hit.span("org")
            org_m = mtext[os_:oe].strip()
            if not _is_org(org_m):
                continue  # a sentence ending with a date, not a signature
            issuer, ispan = _org_value(text[os_:oe], mtext[os_:oe]), (os_, oe)
        else:
            prev = _prev_line(mtext, hit.start(), max(start, hit.start() - 400))
            if prev is not None and _is_org(mtext[prev[0] : prev[1]]):
                issuer, ispan = _org_value(text[prev[0] : prev[1]], mtext[prev[0] : prev[1]]), prev
        if issuer is None and hit.start() - start > UNSIGNED_DATE_CHARS:
            continue
        return issuer, ispan, iso, (ds, de), hit.end()
    return None


def closing_signature(text: str, mtext: str) -> tuple[str, Span, str, Span] | None:
    """(issuer, its span, ISO date, its span) when the document ends with a signature: its
    last line only a date and the line above it (or the date line's own prefix) an organ's
    name (…进展情况表 … 松河区民政局 / 2032年4月8日 after a plan with no cover letter). A
    lone date at the end is not enough: it may be a table's last deadline cell."""
    last = _prev_line(mtext, len(mtext), max(0, len(mtext) - _SIGNATURE_REACH))
    if last is None:
        return None
    hit = _patterns().date_line.fullmatch(mtext, last[0], last[1])
    iso = _iso(hit) if hit is not None else None
    if hit is None or iso is None:
        return None
    ds = hit.start("y") if hit.group("y") else hit.start("cy")
    if hit.group("org"):
        org = hit.span("org")
    else:
        org = _prev_line(mtext, last[0], max(0, last[0] - _SIGNATURE_REACH))
        if org is None:
            return None
    name = mtext[org[0] : org[1]].strip()
    if not _is_org(name) or _PLACE_OPENS.match(name) is None:
        return None
    return _org_value(text[org[0] : org[1]], mtext[org[0] : org[1]]), org, iso, (ds, last[1])


_SIGNATURE_REACH = 80
"""The signature's lines stand within this many characters of the document's end."""
_PLACE_OPENS = regex.compile(r"\p{Han}{2,5}?[省市县区州旗盟镇乡]\p{Han}{2,}")
"""A signing organ names its place first (松河区民政局); a table's last unit cell above a
deadline cell often does not (市数据局), nor does a task cell (建设养老中心)."""


def _date_under_title(mtext: str, lines: list[tuple[int, int]], title_line: int) -> tuple[str, Span] | None:
    """"（2017年8月24日）" alone on the line below a 决定/意见 title: its 成文日期."""
    p = _patterns()
    for s, e in lines[title_line + 1 : title_line + 3]:
        if mtext[s] == "(" and mtext[e - 1] == ")":
            hit = p.any_date.fullmatch(mtext, s + 1, e - 1)
            if hit is not None and _iso(hit) is not None:
                return _iso(hit) or "", (s + 1, e - 1)
    return None


def _find_attachments(text: str, mtext: str, start: int, end: int) -> tuple[list[str], Span] | None:
    """The 附件 list: "附件:X" or "附件:1.X" followed by "2.Y" lines."""
    p = _patterns()
    hit = p.attach_list.search(mtext, start, end)
    if hit is None:
        return None
    items: list[str] = []
    vs, ve = hit.span("v")
    span_end = ve
    expected = 1
    num = p.numbered.match(mtext, vs, ve)
    if vs < ve and num is None:
        return [_squash(text[vs:ve], mtext[vs:ve])[0]], (vs, ve)
    if num is not None:
        expected = int(num.group("n"))
        items.append(_squash(text[num.end() : ve], mtext[num.end() : ve])[0])
        expected += 1
    pos = hit.end() + 1
    while pos < len(mtext) and len(items) < 50:
        nxt = _next_line(mtext, pos, min(len(mtext), pos + 1000))
        if nxt is None:
            break
        num = p.numbered.match(mtext, nxt[0], nxt[1])
        if num is None or int(num.group("n")) != expected:
            break
        items.append(_squash(text[num.end() : nxt[1]], mtext[num.end() : nxt[1]])[0])
        span_end = nxt[1]
        expected += 1
        pos = nxt[1] + 1
    return ([x for x in items if x], (vs, span_end)) if items else None


def _find_cc(text: str, mtext: str, regions: list[tuple[int, int]]) -> tuple[list[str], Span] | None:
    p = _patterns()
    for s, e in regions:
        hit = p.cc_line.search(mtext, s, e)
        if hit is not None:
            vs, ve = hit.span("v")
            while ve > vs and mtext[ve - 1] in "。. \t":
                ve -= 1
            return _split_list(text[vs:ve], mtext[vs:ve]), (vs, ve)
    return None


def _find_printed(
    text: str, mtext: str, regions: list[tuple[int, int]]
) -> tuple[str, Span, str | None, Span] | None:
    """The 版记 line "天水市人民政府办公室 2017年8月24日印发": found by its cue, then checked whole."""
    p = _patterns()
    cue = p.words["printed_cue"]
    for s, e in regions:
        pos = mtext.find(cue, s, e)
        while pos >= 0:
            ls = mtext.rfind("\n", s, pos) + 1 or s
            le = mtext.find("\n", pos, e)
            le = e if le < 0 else le
            hit = p.printed_line.fullmatch(mtext, max(ls, s), le) if le - ls <= 120 else None
            if hit is not None:
                os_, oe = hit.span("org")
                if _is_org(mtext[os_:oe]):
                    return _org_value(text[os_:oe], mtext[os_:oe]), (os_, oe), _iso(hit), hit.span("date")
            pos = mtext.find(cue, le, e)
    return None


# ---------------------------------------------------------------- references


def _find_references(text: str, mtext: str, exclude: str | None) -> list[dict]:
    """Cited documents: 《…》（…号）, and 《…》 of a 通知/意见/方案/… without a number
    (``Reference`` field dicts, validated with the Meta record)."""
    p = _patterns()
    out: list[dict] = []
    seen: dict[str, int] = {}
    for hit in p.reference.finditer(mtext, 0, min(len(mtext), REF_CHARS)):
        ts, te = hit.span("t")
        title_t, title_m = _squash(text[ts:te], mtext[ts:te])
        number: str | None = None
        if hit.group("n"):
            ns, ne = hit.span("n")
            if p.docno_paren.fullmatch(mtext, ns, ne) or p.docno_mangled.fullmatch(mtext, ns, ne):
                number = _SPACE.sub("", text[ns:ne])
        if number is None and not p.reference_kind_end.search(title_m):
            continue
        key = _plain(title_m)
        if exclude is not None and key == exclude:
            continue
        if key in seen:
            ref = out[seen[key]]
            if ref["doc_number"] is None and number is not None:
                out[seen[key]] = {"title": ref["title"], "doc_number": number, "span": hit.span()}
            continue
        seen[key] = len(out)
        out.append({"title": title_t, "doc_number": number, "span": hit.span()})
        if len(out) >= MAX_REFS:
            break
    return out


# ---------------------------------------------------------------- entry point


def _head_end(mtext: str) -> int:
    end = min(len(mtext), HEAD_CHARS)
    return end


def extract_meta(text: str, mtext: str, portal: dict[str, str] | None = None) -> Meta:
    """Find 文号, titles, 主送, 署名, 成文日期, references, 抄送, 印发 and 附件.

    ``mtext`` is ``parser.textnorm.match_text(text)``; ``portal`` holds metadata a reader
    took from a portal page (label → value), used where the text itself lacks the field.
    """
    if len(mtext) != len(text):
        raise InternalError("meta: mtext is not match_text(text) (lengths differ)")
    p = _patterns()
    meta = _MetaFields()
    spans: dict[str, Span] = {}
    head_end = _head_end(mtext)
    lines = _lines(mtext, 0, head_end, HEAD_LINES)

    portal_lines: set[int] = set()
    table = _portal_from_dict(portal)
    table.update(_portal_from_text(text, mtext, lines, portal_lines))

    number, number_line = _find_doc_number(text, mtext, lines, table, portal_lines)
    if number is not None:
        meta.doc_number = number
        if number.span is not None:
            spans["doc_number"] = number.span
    skip = set(portal_lines)
    if number_line is not None and not _titled_number_line(mtext, lines[number_line]):
        skip.add(number_line)

    title = _find_title(text, mtext, lines, skip)
    if title is not None:
        meta.title, spans["title"] = title[0], title[2]
    elif "title" in table and not _is_none(p, table["title"]):
        v = table["title"]
        meta.title = _squash(v.text, v.mtext)[0]
        if v.span is not None:
            spans["title"] = v.span
    else:
        standalone = _standalone_title(text, mtext, lines, skip)
        if standalone is not None:
            meta.title, spans["title"] = standalone
    news = _news_announcement(text, mtext) if _is_news(mtext) else None
    if news is not None:
        meta.title, spans["title"] = news[0], news[1]
        if news[2] is not None and not meta.issuer:
            meta.issuer, spans["issuer"] = news[2], news[3]
    title_pair = (meta.title, match_text(meta.title)) if meta.title else None

    first = title[3] + 1 if title is not None else (number_line + 1 if number_line is not None else 0)
    found = _find_recipients(text, mtext, lines, first, skip)
    body_start = 0
    if found is not None:
        meta.recipients, spans["recipients"] = found[0], found[1]
        body_start = found[1][1]
    elif title is not None:
        body_start = title[2][1]

    cover = _find_cover_end(text, mtext, body_start, anchored=found is not None or title is not None)
    cover_end = cover[4] if cover is not None else body_start
    date_value = table.get("issue_date")
    portal_date = p.any_date.search(date_value.mtext) if date_value is not None else None
    if cover is not None and cover[2] is not None:
        # The date under the signature is the document's own 成文日期; a portal's field
        # was typed in by the site and may differ from it by days.
        meta.issue_date, spans["issue_date"] = cover[2], cover[3]
    elif portal_date is not None and _iso(portal_date) is not None:
        meta.issue_date = _iso(portal_date)
        if date_value is not None and date_value.span is not None:
            spans["issue_date"] = date_value.span
    elif title is not None:
        dated = _date_under_title(mtext, lines, title[3])
        if dated is not None:
            meta.issue_date, spans["issue_date"] = dated
    closing = closing_signature(text, mtext) if cover is None and not meta.issue_date else None
    if closing is not None:  # no cover letter: the plan itself is signed at its end
        meta.issue_date, spans["issue_date"] = closing[2], closing[3]
        if not meta.issuer:
            meta.issuer, spans["issuer"] = closing[0], closing[1]
    if meta.issuer:
        pass  # a news page's announcing sentence named it
    elif cover is not None and cover[0] is not None:
        meta.issuer = cover[0]
        if cover[1] is not None:
            spans["issuer"] = cover[1]
    elif (v := table.get("issuer")) is not None and _is_org(v.mtext):
        # 发文机关 only: a portal's 发布机构 names the office that published the page. An
        # unsigned notice has no issuer, even where its title names an organ.
        meta.issuer = _org_value(v.text, v.mtext)
        if v.span is not None:
            spans["issuer"] = v.span

    plan = _plan_title(text, mtext, title_pair, body_start, cover_end)
    if plan is not None:
        meta.plan_title = plan[0]
        if plan[1] is not None:
            spans["plan_title"] = plan[1]

    attach = _find_attachments(text, mtext, body_start, min(len(mtext), cover_end + 800))
    if attach is not None:
        meta.attachments, spans["attachments"] = attach[0], attach[1]
    tail = (max(cover_end, len(mtext) - TAIL_CHARS), len(mtext))
    regions = [(cover_end, min(len(mtext), cover_end + 1500)), tail]
    cc = _find_cc(text, mtext, regions)
    if cc is not None:
        meta.cc, spans["cc"] = cc[0], cc[1]
    printed = _find_printed(text, mtext, regions)
    if printed is not None:
        meta.printed_by, spans["printed_by"] = printed[0], printed[1]
        if printed[2] is not None:
            meta.printed_date, spans["printed_date"] = printed[2], printed[3]

    exclude = _plain(match_text(meta.plan_title)) if meta.plan_title else None
    meta.references = _find_references(text, mtext, exclude)
    meta.spans = spans
    return build(Meta, {name: getattr(meta, name) for name in _MetaFields.__slots__})


_NEWS_HEAD = 200
"""A news page says so in its first characters (新京报讯, 据…网消息)."""
_NEWS_BODY = 2000
"""The announcing sentence stands in the article's first paragraphs."""


def _is_news(mtext: str) -> bool:
    head = mtext[:_NEWS_HEAD]
    words = _patterns().words
    return any(w in head for w in words["news_markers"]) and any(w in head for w in words["news_sure_markers"])


@cache
def _announce_res() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    words = _patterns().words
    verbs = "|".join(map(regex.escape, words["announce_verbs"]))
    ends = "|".join(map(regex.escape, sorted(words["document_ends"], key=len, reverse=True)))
    org = (r"(?P<org>国务院办公厅|国务院|\p{Han}{2,16}?(?:人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|政府)"
           r"|\p{Han}{2,30}?工作领导小组)")
    # 安徽省人民政府发布关于…的通知 / 呼和浩特市人民政府公布2021年…《政府工作报告》重点量化目标任务 /
    # …工作领导小组于2022年7月7日印发《…工作要点》
    said = regex.compile(rf"{org}(?:于\d{{4}}年\d{{1,2}}月\d{{1,2}}日)?(?:近日|日前|正式|已)?(?:{verbs})了?《?(?P<title>[^。;!?《》]{{0,60}}?(?:《[^》]{{1,30}}》[^。;!?《》]{{0,40}}?)?(?:{ends}))(?=》|[,。;])")
    # 《北京市人民政府关于印发…的通知》发布
    quoted = regex.compile(rf"《(?P<title>[^《》]{{4,80}}?(?:{ends}))》(?:近日|日前|正式|已)?(?:{verbs})")
    return said, quoted


def _news_announcement(text: str, mtext: str) -> tuple[str, Span, str | None, Span | None] | None:
    """(title, span, issuer, span) from the sentence by which a news page announces the notice."""
    said, quoted = _announce_res()
    end = min(len(mtext), _NEWS_BODY)
    hits = [m for m in (said.search(mtext, 0, end), quoted.search(mtext, 0, end)) if m is not None]
    if not hits:
        return None
    m = min(hits, key=lambda h: h.start())
    a, b = m.span("title")
    title = text[a:b]
    if m.re is said:
        oa, ob = m.span("org")
        return title, (a, b), text[oa:ob], (oa, ob)
    at = mtext.find("关于", a, b)
    org = mtext[a:at] if at > a else ""
    return title, (a, b), (text[a:at] if org and _is_org(org) else None), ((a, at) if org and _is_org(org) else None)


class _MetaFields:
    """Meta's fields while they are being found: plain attributes, validated once at the end
    (an assignment to a pydantic model goes through its Python-level ``__setattr__``)."""

    __slots__ = tuple(Meta.model_fields)

    def __init__(self) -> None:
        for name, factory, default in _META_DEFAULTS:
            setattr(self, name, factory() if factory is not None else default)


_META_DEFAULTS = tuple((name, spec.default_factory, spec.default) for name, spec in Meta.model_fields.items())
"""Meta's fields with their defaults, read once (pydantic's ``get_default`` per field per
notice cost 0.4 ms)."""

