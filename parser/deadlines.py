"""Deadline phrases -> milestones.

A 完成时限 is rarely one date: "2017年12月底前完成，并持续推进" is a due date *and* an
open-ended duty, "2018年6月底前启动，2019年底前完成" holds two due dates. So a
phrase is scanned left to right with one compiled pattern whose branches are the
pieces of the grammar (dates with their 前/起 suffixes, recurring 每月…, 持续推进-style
words, 按照…要求 / 根据…进度 clauses, five-year-plan periods); every hit becomes one
milestone, and two dates joined only by a range separator become one ``range``.

Matching runs on ``match_text`` (same length as the phrase, full-width digits and
traditional characters folded), so offsets found there are offsets in the original
and each milestone keeps its own span. Words live in ``data/deadline_words.json``;
this module only holds the logic. Dates that name no year (年底前, 6月底前) take the
year from earlier in the phrase, else from the notice's date; without either the
date stays null and only the precision is kept.

Conventions for the kinds that carry two days: ``start`` "2018年起" has ``start``
2018-01-01 and no ``date``; "2018年6月底前启动" is a ``by`` 2018-06-30 (a 前 makes
the start itself what falls due); "2018年6月启动" is a ``start`` with both days. A ``range`` has both ends ("跨年":
the start year only). Durations (三个月内, 30个工作日内) and 即日起 count from the
notice date. Periodic milestones keep their day ("每月10日前") in ``text``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from typing import Any

import regex

from parser.data import load_json
from parser.textnorm import match_text
from schemas.notice import Deadline, Milestone, build

_KIND_ORDER = {
    "by": 0, "start": 1, "range": 2, "periodic": 3, "ongoing": 4, "long_term": 5,
    "follow_upstream": 6, "conditional": 7, "unknown": 8,
}
_DATE_GROUPS = ("ny", "nm", "nd", "y", "y0", "yr", "m", "d", "mp", "qn", "yp", "pre", "suf", "verb")
_KEYWORD_LISTS = ("ongoing", "long_term", "follow_upstream", "conditional", "immediate", "periodic_words",
                  "spanning_years")
_KEYWORD_KIND = {"periodic_words": "periodic", "spanning_years": "range", "immediate": "by"}
_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_QUARTER_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTH_PART_DAY = {"early": 10, "middle": 20, "mid": 15}
_MONTH_PART_FIRST = {"early": 1, "middle": 11, "mid": 15}

_Y4 = r"(?:(?<!\d)\d{4}(?!\d)|[〇零○O一二三四五六七八九]{4})"
_MON = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_QUARTER = r"(?:第?(?P<qn>[一二三四1-4])(?:季度|季)(?P<qe>末)?|Q(?P<qn>[1-4]))"


def _alt(words: Any) -> str:
    """Alternation of literal words, longest first so that 长期坚持 beats 长期."""
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Spec:
    """One milestone before spans are made absolute (cached per phrase)."""

    kind: str
    begin: int
    end: int
    date: str | None = None
    start: str | None = None
    precision: str | None = None
    period: str | None = None


@dataclass
class _Point:
    """A date expression resolved to its first and last day."""

    begin: int
    end: int
    first: date | None
    last: date | None
    precision: str
    suffix: str | None
    start_verb: bool
    from_prefix: bool


@cache
def _words() -> dict[str, Any]:
    return load_json("deadline_words.json")


@cache
def _keyword_kinds() -> dict[str, str]:
    words = _words()
    table: dict[str, str] = {}
    for key in _KEYWORD_LISTS:
        kind = _KEYWORD_KIND.get(key, key)
        for word in words[key]:
            table.setdefault(word, kind)
    return table


@cache
def _pattern() -> regex.Pattern[str]:
    """The whole grammar as one pattern, compiled once (branch order = priority)."""
    w = _words()
    seps = _alt(w["range_separators"])
    rel = _alt(w["relative_years"])
    mparts = _alt(w["month_parts"])
    yparts_after_year = _alt(w["year_parts"])
    bare_yparts = _alt(k for k in w["year_parts"] if len(k) > 1)
    bare_year_one = _alt(k for k in w["year_parts"] if len(k) == 1)
    by_suf = _alt(w["by_suffixes"])
    start_suf = _alt(w["start_suffixes"])
    start_verbs = _alt(w["start_verbs"])
    periods = _alt(w["periods"])
    leads = _alt(w["periodic_leads"])
    rule_lead = _alt(w["rule_lead"])
    heads = _alt([*w["upstream_heads"], *w["conditional_heads"]])
    fy_parts = _alt(w["five_year_parts"])
    keywords = _alt(_keyword_kinds())
    suffix = rf"(?:\s*(?P<suf>{by_suf}|{start_suf}))?(?P<verb>(?:全面|正式|率先|陆续)?(?:{start_verbs}))?"
    month_tail = rf"\s*月份?\s*(?:(?P<d>{_DAY})\s*[日号]|(?P<mp>{mparts}))?"
    date_expr = (
        rf"(?P<pre>[自从]\s*+)?"  # possessive runs here and below: no branch starts with a space
        r"(?:"
        # 2023.01-2023.12: a dotted date may end at a range's dash (not at a day's: 2023-01-05)
        rf"(?P<ny>(?<!\d)\d{{4}})[.\-/](?P<nm>\d{{1,2}})(?:[.\-/](?P<nd>\d{{1,2}}))?(?![\d./]|-\d{{1,2}}(?!\d))\s*日?"
        rf"|(?:(?P<y>{_Y4})\s*年)?(?P<m>{_MON})(?=\s*(?:{seps})\s*{_MON}\s*月)"
        rf"|(?:(?P<y>{_Y4})\s*年度?|(?P<yr>{rel}))"
        rf"(?:\s*(?P<m>{_MON}){month_tail}|\s*{_QUARTER}|(?P<yp>{yparts_after_year})|年(?P<yp>{bare_year_one}))?"
        r"(?!\s*\d)"
        rf"|(?P<y0>{_Y4})(?=\s*(?:{seps})\s*{_Y4})"
        rf"|(?<={_Y4}\s*(?:{seps})\s*)(?P<y0>{_Y4})"
        rf"|(?<![\d年])(?P<m>{_MON}){month_tail}"
        rf"|年度?(?P<yp>{bare_year_one})|(?P<yp>{bare_yparts})"
        rf"|{_QUARTER}"
        r")"
        rf"{suffix}"
    )
    periodic = (
        rf"(?P<plead>{leads})(?:[两二三四六]个?)?(?P<pu>{periods})"
        rf"(?P<ptail>(?:(?<=[周期])[一二三四五六日天])?(?:\s*{_MON}\s*月份?|第?[一二三四1-4]季度)?"
        rf"(?:年)?(?:末|底|初)?(?:月)?(?:\s*{_DAY}\s*[日号])?(?:{by_suf})?)"
    )
    five_year = (
        rf"(?:[“\"](?P<fn>十[一二三四五六七八九]?|[一二三四五六七八九])五[”\"](?:规划)?(?P<fp>{fy_parts})?"
        rf"|(?P<fn>十[一二三四五六七八九]?|[一二三四五六七八九])五(?:规划)?(?P<fp>{fy_parts}))"
    )
    durations = _alt(w["durations"])
    within = (
        rf"(?P<dn>(?<!\d)\d{{1,3}}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九]|半)"
        rf"\s*+(?:个\s*+)?(?P<du>{durations})"
        rf"\s*(?:{_alt(w['by_suffixes'])})"
    )
    docs = _alt(w["issue_day_docs"])
    issue_day = rf"(?:[自从]\s*)?(?:[本此该]?(?:{docs}))?(?:{_alt(w['issue_day'])})\s*(?:{start_suf})"
    waiting = rf"(?:{_alt(w['waiting'])})[^,;。!?()\n]{{1,15}}?(?:{_alt(w['waiting_ends'])})"
    rule = (
        rf"(?P<rl>{rule_lead})(?P<robj>[^,;。!?()\n]{{0,20}}?)(?P<rh>{heads})"
        r"(?P<rtail>(?:要求)?(?:同步|统一|有序|逐步|适时|稳步)?(?:推进|实施|开展|完成|执行|落实|进行)?)"
    )
    gate = rf"(?:(?<!\d)\d|[{_first_chars()}])"  # a date never starts inside a number
    return regex.compile(
        rf"(?={gate})"  # cheap gate: most positions of a notice start no branch
        rf"(?:(?=[{_chars(w['periodic_leads'])}])(?P<periodic>{periodic})"
        rf"|(?=[“\"十一二三四五六七八九])(?P<five>{five_year})"
        rf"|(?P<within>{within})|(?P<today>{issue_day})"
        rf"|(?P<date>{date_expr})"
        rf"|(?=[{_chars(w['waiting'])}])(?P<wait>{waiting})"
        rf"|(?=[{_chars(w['rule_lead'])}])(?P<rule>{rule})"
        rf"|(?=[{_chars(_keyword_kinds())}])(?P<word>{keywords}))"
    )


@cache
def _date_group_index() -> tuple[tuple[str, int], ...]:
    index = _pattern().groupindex
    return tuple((name, index[name]) for name in _DATE_GROUPS)


def _chars(words: Any) -> str:
    """Character-class body of the first characters of ``words``."""
    return "".join(regex.escape(ch) for ch in sorted({word[0] for word in words}))


def _first_chars() -> str:
    """Every non-digit character a grammar branch can start with (a class body)."""
    w = _words()
    chars = set("〇零○O一二三四五六七八九十两半自从年第Q“\"本此该")
    chars.update(word[0] for word in (*w["issue_day"], *w["issue_day_docs"], *w["waiting"]))
    chars.update(word[0] for word in w["year_parts"] if len(word) > 1)  # 底/末/中 only after 年
    for key in ("relative_years", "periodic_leads", "rule_lead", *_KEYWORD_LISTS):
        chars.update(word[0] for word in w[key])
    return "".join(regex.escape(ch) for ch in sorted(chars))


def _cn_int(token: str) -> int:
    """Arabic or Chinese numeral up to 99 (十二, 二十一, 三十) or digit-by-digit (二〇一七)."""
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, ones = token.partition("十")
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    value = 0
    for ch in token:
        value = value * 10 + _CN_DIGIT[ch]
    return value


def _month_last(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


class _Resolver:
    """Turns date-expression matches into days, carrying the phrase's year along."""

    def __init__(self, notice_date: date | None) -> None:
        self.notice = notice_date
        self.year: int | None = None  # year named earlier in the phrase
        self.month: int | None = None

    def _relative_year(self, word: str) -> int | None:
        base, offset = _words()["relative_years"][word]
        anchor = self.notice.year if self.notice else None
        if base == "context" and self.year is not None:
            anchor = self.year
        return None if anchor is None else anchor + offset

    def point(self, m: regex.Match[str]) -> _Point | None:
        """Resolve one ``date`` branch match; None when it names an impossible date."""
        values = m.groups()  # one call: named look-ups and groupdict() cost more than the scan
        g = {name: values[i - 1] for name, i in _date_group_index()}
        year: int | None
        explicit = True
        if g["ny"]:
            year, month = int(g["ny"]), int(g["nm"])
            day = int(g["nd"]) if g["nd"] else None
            if not 1 <= month <= 12 or not 1949 <= year <= 2100:
                return None
            parts = ("day", month, day) if day else ("month", month, None)
        else:
            if g["y"] or g["y0"]:
                year = _cn_int(g["y"] or g["y0"])
                if not 1949 <= year <= 2100:
                    return None
            elif g["yr"]:
                year = self._relative_year(g["yr"])
            else:
                explicit = False
                year = self.year if self.year is not None else (self.notice.year if self.notice else None)
            if year is not None and not 1 <= year <= 9998:
                return None  # a relative year beyond the calendar (notice dated 9999)
            parts = self._parts(g)
            if parts is None:
                return None
            month = parts[1]
            if not explicit and self.year is not None and g["m"] and self.month and month < self.month:
                year = self.year + 1  # "12月启动，3月底前完成": the year rolled over
        first, last, precision = self._bounds(year, parts, g)
        if first is None and year is not None:
            return None
        if g["y"] or g["y0"] or g["ny"] or g["yr"]:
            self.year = year
        if g["m"] or g["nm"]:
            self.month = month
        begin = m.start("date") if not g["pre"] else m.start("pre")
        suffix = g["suf"]
        return _Point(begin, m.end("date"), first, last, precision, suffix, bool(g["verb"]), bool(g["pre"]))

    @staticmethod
    def _parts(g: dict[str, str | None]) -> tuple[str, int, int | None] | None:
        """(what, month, day-or-part) of the non-numeric branches."""
        if g["m"]:
            month = _cn_int(g["m"])
            if not 1 <= month <= 12:
                return None
            if g["d"]:
                return ("day", month, _cn_int(g["d"]))
            return ("month", month, None)
        if g["qn"]:
            return ("quarter", _QUARTER_NUM[g["qn"]] * 3, None)
        if g["yp"]:
            what, month = _words()["year_parts"][g["yp"]]
            return (what, month, None)
        return ("year", 12, None)

    @staticmethod
    def _bounds(year: int | None, parts: tuple[str, int, int | None],
                g: dict[str, str | None]) -> tuple[date | None, date | None, str]:
        what, month, day = parts
        if year is None:
            part_day = what == "day" or g.get("mp") in ("上旬", "中旬", "下旬", "中")
            precision = "day" if part_day else "quarter" if what == "season" else what
            return None, None, precision
        if what == "day":
            one = _safe_date(year, month, day or 1)
            return one, one, "day"
        if what == "month":
            part = _words()["month_parts"].get(g.get("mp") or "")
            end = _month_last(year, month)
            if part in _MONTH_PART_DAY:
                return (date(year, month, _MONTH_PART_FIRST[part]), date(year, month, _MONTH_PART_DAY[part]), "day")
            if part == "late":
                return date(year, month, 21), date(year, month, end), "day"
            if part == "end":
                return date(year, month, end), date(year, month, end), "month"
            return date(year, month, 1), date(year, month, end), "month"
        if what == "quarter":
            return date(year, month - 2, 1), date(year, month, _month_last(year, month)), "quarter"
        if what == "half":
            return date(year, month - 5, 1), date(year, month, _month_last(year, month)), "half"
        if what == "season":  # three months ending with ``month``; winter ends in February
            end_year, end_month = year + (month - 1) // 12, (month - 1) % 12 + 1
            return (date(year, month - 2, 1), date(end_year, end_month, _month_last(end_year, end_month)), "quarter")
        if g.get("yp") in ("底", "末"):
            return date(year, 12, 1), date(year, 12, 31), "year"
        return date(year, 1, 1), date(year, 12, 31), "year"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _point_spec(p: _Point) -> _Spec:
    starts = _words()["start_suffixes"]
    if p.suffix in starts or (p.from_prefix and not p.suffix):
        return _Spec("start", p.begin, p.end, start=_iso(p.first), precision=p.precision)
    if p.start_verb:
        if p.suffix:  # 6月底前启动/5月底前动工: beginning is what falls due by then
            return _Spec("by", p.begin, p.end, date=_iso(p.last), precision=p.precision)
        return _Spec("start", p.begin, p.end, date=_iso(p.last), start=_iso(p.first), precision=p.precision)
    return _Spec("by", p.begin, p.end, date=_iso(p.last), precision=p.precision)


def _five_year_spec(m: regex.Match[str], begin: int, end: int) -> _Spec:
    """第N个五年规划: the 3rd began in 1966, each lasts five years."""
    n = _cn_int(m.group("fn"))
    first_year = 1966 + 5 * (n - 3) if n >= 3 else 1953 + 5 * (n - 1)
    how = _words()["five_year_parts"].get(m.group("fp") or "", "range")
    last = f"{first_year + 4}-12-31"
    if how == "by":
        return _Spec("by", begin, end, date=last, precision="year")
    return _Spec("range", begin, end, date=last, start=f"{first_year}-01-01", precision="year")


def _rule_spec(m: regex.Match[str], begin: int, end: int) -> _Spec:
    """按照…部署/要求 follows an upper level; 根据…进度/情况 depends on circumstances."""
    w = _words()
    obj = m.group("robj")
    upstream = any(body in obj for body in w["upstream_bodies"])
    if upstream or m.group("rh") in w["upstream_heads"]:
        return _Spec("follow_upstream", begin, end)
    return _Spec("conditional", begin, end)


def _add_workdays(day: date, count: int) -> date:
    """``count`` working days after ``day``, skipping weekends (public holidays are not known)."""
    ordinal = day.toordinal()
    while count > 0:
        ordinal += 1
        if date.fromordinal(ordinal).weekday() < 5:
            count -= 1
    return date.fromordinal(ordinal)


def _within_spec(m: regex.Match[str], begin: int, end: int, notice_date: date | None) -> _Spec:
    """三个月内 / 30个工作日内: counted from the notice's date (null without one)."""
    try:
        due = _due_after(m, notice_date) if notice_date else None
    except (ValueError, OverflowError):  # beyond year 9999
        due = None
    return _Spec("by", begin, end, date=_iso(due), precision="day")


def _due_after(m: regex.Match[str], notice_date: date) -> date:
    """The day a duration of ``m`` ends, counted from the notice date."""
    token, unit = m.group("dn"), _words()["durations"][m.group("du")]
    if token == "半":
        count, unit = (6, "month") if unit == "year" else (15, "day") if unit == "month" else (0, unit)
    else:
        count = _cn_int(token)
    if unit == "workday":
        due = _add_workdays(notice_date, count)
    elif unit in ("day", "week"):
        due = date.fromordinal(notice_date.toordinal() + count * (7 if unit == "week" else 1))
    else:
        months = notice_date.month - 1 + count * (12 if unit == "year" else 1)
        year, month = notice_date.year + months // 12, months % 12 + 1
        due = date(year, month, min(notice_date.day, _month_last(year, month)))
    return due


def _periodic_spec(m: regex.Match[str], begin: int, end: int) -> _Spec:
    return _Spec("periodic", begin, end, period=_words()["periods"][m.group("pu")])


def _merge_range(prev: _Point, cur: _Point, norm: str) -> _Spec | None:
    """Two dates joined only by a separator (2018年3月—6月, 2018—2020年) are one range."""
    if prev.suffix or prev.start_verb:
        return None
    gap = norm[prev.end:cur.begin].strip()
    if gap not in _words()["range_separators"]:
        return None
    if prev.first and cur.last and prev.first > cur.last:
        return None  # 2020年至2018年 is no range; keep two dates rather than invent one
    return _Spec("range", prev.begin, cur.end, date=_iso(cur.last), start=_iso(prev.first), precision=cur.precision)


_FAST_MONTH_END = regex.compile(r"(\d{4})年(\d{1,2})月底前")


def _fast(norm: str) -> tuple[_Spec, ...] | None:
    """The two commonest phrases of all, "2017年9月底前" and "持续推进", without the scan."""
    kind = _keyword_kinds().get(norm)
    if kind is not None and kind != "range":
        return (_Spec(kind, 0, len(norm)),)
    m = _FAST_MONTH_END.fullmatch(norm)
    if m is None:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not (1949 <= year <= 2100 and 1 <= month <= 12):
        return None
    due = date(year, month, _month_last(year, month)).isoformat()
    return (_Spec("by", 0, len(norm), date=due, precision="month"),)


@lru_cache(maxsize=4096)
def _specs(norm: str, notice_date: date | None) -> tuple[_Spec, ...]:
    """Milestones of one normalized phrase, offsets relative to the phrase."""
    fast = _fast(norm)
    if fast is not None:
        return fast
    resolver = _Resolver(notice_date)
    out: list[_Spec] = []
    prev_point: _Point | None = None
    kinds = _keyword_kinds()
    for m in _pattern().finditer(norm):
        branch = m.lastgroup  # the top-level branch closes last
        begin, end = m.span()
        if branch == "date":
            point = resolver.point(m)
            if point is None:
                prev_point = None
                continue
            merged = _merge_range(prev_point, point, norm) if prev_point else None
            if merged is not None:
                out[-1] = merged
                prev_point = None
                continue
            out.append(_point_spec(point))
            prev_point = point
            continue
        prev_point = None
        if branch == "periodic":
            out.append(_periodic_spec(m, begin, end))
        elif branch == "five":
            out.append(_five_year_spec(m, begin, end))
        elif branch == "rule":
            out.append(_rule_spec(m, begin, end))
        elif branch == "wait":
            out.append(_Spec("conditional", begin, end))
        elif branch == "within":
            out.append(_within_spec(m, begin, end, notice_date))
        elif branch == "today":
            out.append(_Spec("start", begin, end, start=_iso(notice_date), precision="day"))
        else:
            kind = kinds[m.group("word")]
            if kind == "range":  # 跨年: from this year into the next
                year = resolver.year or (notice_date.year if notice_date else None)
                out.append(_Spec("range", begin, end, start=f"{year}-01-01" if year else None, precision="year"))
            else:
                out.append(_Spec(kind, begin, end))
    return tuple(out)


def _milestone(spec: _Spec, text: str, start: int) -> dict:
    return {"kind": spec.kind, "date": spec.date, "start": spec.start, "precision": spec.precision,
            "period": spec.period, "text": text[spec.begin:spec.end], "span": (start + spec.begin, start + spec.end)}


def parse_deadline(text: str, start: int, notice_date: date | None = None) -> Deadline:
    """Parse one deadline phrase found at ``start`` in the notice text.

    Returns every milestone the phrase names, in the order written; a phrase the
    grammar cannot read gives one ``unknown`` milestone covering it, so the text is
    never lost.
    """
    return build(Deadline, deadline_fields(text, start, notice_date))


def deadline_fields(text: str, start: int, notice_date: date | None = None) -> dict:
    """``parse_deadline`` as plain field dicts, for the pipeline's single validation of the record."""
    span = (start, start + len(text))
    specs = _phrase_specs(text, notice_date) if text.strip() else ()
    if not specs:
        return {"text": text, "span": span, "milestones": [{"kind": "unknown", "text": text, "span": span}]}
    return {"text": text, "span": span, "milestones": [_milestone(s, text, start) for s in specs]}


@lru_cache(maxsize=4096)
def _phrase_specs(text: str, notice_date: date | None) -> tuple[_Spec, ...]:
    """``_specs`` of a phrase as written: a repeated phrase skips its match text too."""
    norm = match_text(text)
    bare = norm.strip()
    if len(bare) == 4 and _BARE_YEAR.fullmatch(bare):  # a year alone (建设时间 | 2024): within that year
        at = norm.index(bare)
        return tuple(replace(s, begin=at, end=at + 4) for s in _specs(bare + "年", notice_date))
    if _BARE_DURATION.fullmatch(bare):  # 整改时限：3天 — a time limit alone: within it
        at, n = norm.index(bare), len(bare)
        return tuple(replace(s, begin=at, end=at + n) for s in _specs(bare + "内", notice_date))
    return _specs(norm, notice_date)


_BARE_YEAR = regex.compile(r"(?:19|20)\d{2}")
"""A deadline written as a year and nothing else: read as that year's (…年)."""
_BARE_DURATION = regex.compile(r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个\s*)?(?:工作日|自然日|天|日|周|星期|月)")
"""A deadline written as a count of days and nothing else (3天, 15个工作日): within that time."""


def is_deadline_phrase(text: str) -> bool:
    """True when the grammar reads most of ``text`` as deadline words (a cell or a clause).

    For layout code deciding whether a bare cell or bracket holds a deadline: the hits
    must cover at least half of the non-punctuation characters, so a task sentence that
    merely mentions 2017年 is not taken for one.
    """
    norm = match_text(text)
    content = len(regex.sub(r"[\s\p{P}]", "", norm))
    if not content:
        return False
    covered = sum(len(regex.sub(r"[\s\p{P}]", "", norm[s.begin:s.end])) for s in _specs(norm, None))
    return covered * 2 >= content


def milestone_sort_key(milestone: Milestone) -> tuple[str, int]:
    """Order milestones by the day they name (due date, else start), undated last."""
    day = milestone.date or milestone.start or "9999-99-99"
    return (day, _KIND_ORDER.get(milestone.kind, 9))


def first_due(deadline: Deadline) -> str | None:
    """Earliest ISO ``date`` among the dated milestones (the CSV 'due' column)."""
    dates = [m.date for m in deadline.milestones if m.date]
    return min(dates) if dates else None


# --- finding a deadline inside running text ------------------------------------------

@cache
def _clause_tail() -> regex.Pattern[str]:
    """What may follow a date for it to count as a deadline: a done/start verb."""
    w = _words()
    verbs = _alt([*w["done_verbs"], *w["start_verbs"]])
    # \G and \s*+: only ever matched at a date's end; unanchored on 10,000 spaces it took a minute.
    return regex.compile(rf"\G\s*+(?:(?:全面|基本|正式|率先|全部|初步|逐步|陆续)?)(?:{verbs})")


@cache
def _maybe_clause() -> regex.Pattern[str]:
    """Characters without which no strong clause exists (a fast pre-check)."""
    return regex.compile(
        r"[\d〇一二两三四五六七八九十]\s*[年月季个日天周]|年[底末内中度]|半年|[今明次当本翌后来去]年|季|旬"
        r"|[每按逐][年月季周半日天旬两]|[即之]日|\(|\d[.\-/]\d|Q[1-4]"
        r"|,(?:持续|长期|常态|长效|逐步|稳步|滚动|不断)"  # a term word as a clause of its own (…,长期坚持。)
    )


@cache
def _joiner() -> regex.Pattern[str]:
    return regex.compile(r"\s*[,、;]?\s*(?:并且|并|且|再|后|之后)?\s*")


@cache
def _clause_prefixes() -> tuple[str, ...]:
    return tuple(_words()["clause_prefixes"])


@cache
def _past_markers() -> tuple[str, ...]:
    """已于2019年6月开工 reports what happened; it sets no time limit."""
    return tuple(_words()["past_markers"])


def _triggers(norm: str) -> list[tuple[int, int, bool]]:
    """(begin, end, strong) of every grammar hit; strong hits are deadlines on their own."""
    prefixes = _clause_prefixes()
    past = _past_markers()
    tail = _clause_tail()
    resolver = _Resolver(None)
    hits: list[tuple[int, int, bool]] = []
    for m in _pattern().finditer(norm):
        branch = m.lastgroup  # the top-level branch closes last
        begin, end = m.span()
        strong = False
        if branch == "date":
            if resolver.point(m) is None:
                continue
            after = tail.match(norm, end)
            if after:
                end = after.end()
            named = any(m.group(k) for k in ("y", "ny", "m", "qn", "y0", "yr"))  # not a bare 全年
            before = norm[max(0, begin - 4):begin]
            strong = not before.endswith(past) and bool(
                m.group("suf") or m.group("verb") or after or (named and before.endswith(prefixes))
                or norm.startswith("年内", end - 2))  # 年内 (within the year) is a limit by itself
        elif branch == "periodic":
            strong = bool(regex.search(r"[日号底末]|前", m.group("ptail") or ""))
        elif branch in {"within", "today"}:
            strong = True  # 三个月内 / 即日起 carry their own limit word
        else:  # 持续推进 and its kin: in brackets, or a whole clause closing a sentence (…,长期坚持。)
            strong = begin > 0 and ((norm[begin - 1] == "(" and norm[end:end + 1] == ")")
                                    or (norm[begin - 1] == "," and norm[end:end + 1] in ("。", "")))
        hits.append((begin, end, strong))
    return hits


def find_deadline_clause(text: str, start: int = 0, *, norm: str | None = None) -> tuple[str, int] | None:
    """The last deadline clause in running text, as (phrase, absolute start), or None.

    A date counts only when it reads as a time limit (a 前/止/起 suffix, a completion
    verb right after it, or 力争/确保/到 before it); "2019年12月30日，区委…" does not.
    Clauses that follow one another (“6月底前启动，年底前完成，并持续推进”) are returned
    as one phrase. Words such as 持续推进 count on their own only inside brackets.
    ``norm`` is the caller's match text of ``text`` when it already has one.
    """
    if norm is None or len(norm) != len(text):
        norm = match_text(text)
    if not _maybe_clause().search(norm):
        return None  # most sentences of a notice name no time at all
    hits = _triggers(norm)
    joiner = _joiner()
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(hits):
        begin, end, strong = hits[i]
        if not strong:
            i += 1
            continue
        j = i + 1
        while j < len(hits):
            gap = joiner.match(norm, end)
            if gap is None or gap.end() != hits[j][0]:
                break
            end = hits[j][1]
            j += 1
        groups.append((begin, end))
        i = j
    groups = [(b, e) for b, e in groups if not _in_force_at(norm, e)]
    if not groups:
        return None
    begin, end = groups[-1]
    return text[begin:end], start + begin


def _in_force_at(norm: str, end: int) -> bool:
    """自印发之日起施行: the clause ending at ``end`` dates the document's force, not a task's limit."""
    words, after_qi = _in_force()
    return norm.startswith(words, end) or (norm[end - 1 : end] == "起" and norm.startswith(after_qi, end))


@cache
def _in_force() -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = load_json("deadline_words.json")
    return tuple(data["in_force"]), tuple(data["in_force_after_qi"])
