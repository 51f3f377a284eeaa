"""Deadline grammar: phrase -> milestones (parser/deadlines.py).

The table pins what each phrase means, not how the pattern is written: kind, the last
day allowed (``date``), the first day for starts and ranges, the precision and the
period. Notice date defaults to 2017-08-24 so that phrases without a year resolve.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parser.deadlines import find_deadline_clause, first_due, is_deadline_phrase, milestone_sort_key, parse_deadline
from schemas.notice import Deadline, Milestone

NOTICE = date(2017, 8, 24)
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# phrase -> [(kind, date, precision)]
BY_TABLE: list[tuple[str, list[tuple[str, str | None, str | None]]]] = [
    # year / month / day, Arabic numerals
    ("2017年9月底前", [("by", "2017-09-30", "month")]),
    ("2017年10月底前", [("by", "2017-10-31", "month")]),
    ("2017年12月底前", [("by", "2017-12-31", "month")]),
    ("2018年2月底前", [("by", "2018-02-28", "month")]),
    ("2020年2月底前", [("by", "2020-02-29", "month")]),
    ("2017年9月", [("by", "2017-09-30", "month")]),
    ("2017年9月份", [("by", "2017-09-30", "month")]),
    ("2017年9月前", [("by", "2017-09-30", "month")]),
    ("2017年9月末", [("by", "2017-09-30", "month")]),
    ("2017年9月末前", [("by", "2017-09-30", "month")]),
    ("2017年9月以前", [("by", "2017-09-30", "month")]),
    ("2017年9月之前", [("by", "2017-09-30", "month")]),
    ("2017年9月内", [("by", "2017-09-30", "month")]),
    ("2017年9月15日前", [("by", "2017-09-15", "day")]),
    ("2017年9月15日", [("by", "2017-09-15", "day")]),
    ("2017年9月15号前", [("by", "2017-09-15", "day")]),
    ("2017年9月30日以前", [("by", "2017-09-30", "day")]),
    ("2017年12月31日之前", [("by", "2017-12-31", "day")]),
    ("2017年12月31日止", [("by", "2017-12-31", "day")]),
    ("至2017年12月31日止", [("by", "2017-12-31", "day")]),
    ("2017年12月31日为止", [("by", "2017-12-31", "day")]),
    ("2017年 12 月底前", [("by", "2017-12-31", "month")]),
    ("2017年12月底前完成", [("by", "2017-12-31", "month")]),
    ("于2017年12月底前完成", [("by", "2017-12-31", "month")]),
    ("在2017年11月底之前完成", [("by", "2017-11-30", "month")]),
    ("力争2018年取得突破", [("by", "2018-12-31", "year")]),
    ("到2020年", [("by", "2020-12-31", "year")]),
    ("2017年", [("by", "2017-12-31", "year")]),
    ("2018年内", [("by", "2018-12-31", "year")]),
    ("2018年度", [("by", "2018-12-31", "year")]),
    ("2018年度内完成", [("by", "2018-12-31", "year")]),
    ("2018年底", [("by", "2018-12-31", "year")]),
    ("2018年底前", [("by", "2018-12-31", "year")]),
    ("2018年年底前", [("by", "2018-12-31", "year")]),
    ("2018年末", [("by", "2018-12-31", "year")]),
    ("2018年全年", [("by", "2018-12-31", "year")]),
    ("2018年底止", [("by", "2018-12-31", "year")]),
    ("至2017年底止", [("by", "2017-12-31", "year")]),
    ("2018年中", [("by", "2018-06-30", "half")]),
    # Chinese numerals
    ("二〇一七年十二月", [("by", "2017-12-31", "month")]),
    ("二〇一七年十二月底前", [("by", "2017-12-31", "month")]),
    ("二零一八年六月底前", [("by", "2018-06-30", "month")]),
    ("二〇一七年九月十五日前", [("by", "2017-09-15", "day")]),
    ("二〇一七年十月三十一日", [("by", "2017-10-31", "day")]),
    ("二〇一七年十一月二十日前", [("by", "2017-11-20", "day")]),
    ("二〇一八年三月十日", [("by", "2018-03-10", "day")]),
    ("二〇一八年底前", [("by", "2018-12-31", "year")]),
    ("十二月底前", [("by", "2017-12-31", "month")]),
    ("十月底", [("by", "2017-10-31", "month")]),
    # numeric forms
    ("2017.12", [("by", "2017-12-31", "month")]),
    ("2017.12.31", [("by", "2017-12-31", "day")]),
    ("2017-12-31", [("by", "2017-12-31", "day")]),
    ("2017-12-31前", [("by", "2017-12-31", "day")]),
    ("2017/12", [("by", "2017-12-31", "month")]),
    ("2017/9/15", [("by", "2017-09-15", "day")]),
    ("2017.9底前", [("by", "2017-09-30", "month")]),
    # full-width digits
    ("２０１７年１２月底前", [("by", "2017-12-31", "month")]),
    ("２０１８年６月３０日前", [("by", "2018-06-30", "day")]),
    # month parts
    ("2017年10月上旬", [("by", "2017-10-10", "day")]),
    ("2017年10月中旬", [("by", "2017-10-20", "day")]),
    ("2017年10月下旬", [("by", "2017-10-31", "day")]),
    ("2018年2月下旬", [("by", "2018-02-28", "day")]),
    ("2017年10月中旬前", [("by", "2017-10-20", "day")]),
    ("2017年10月中", [("by", "2017-10-15", "day")]),
    ("2017年11月上旬前", [("by", "2017-11-10", "day")]),
    # halves and quarters
    ("2018年上半年", [("by", "2018-06-30", "half")]),
    ("2018年下半年", [("by", "2018-12-31", "half")]),
    ("2018年上半年前", [("by", "2018-06-30", "half")]),
    ("2018年第一季度", [("by", "2018-03-31", "quarter")]),
    ("2018年第二季度", [("by", "2018-06-30", "quarter")]),
    ("2018年第三季度", [("by", "2018-09-30", "quarter")]),
    ("2018年第四季度", [("by", "2018-12-31", "quarter")]),
    ("2018年一季度", [("by", "2018-03-31", "quarter")]),
    ("2018年三季度末", [("by", "2018-09-30", "quarter")]),
    ("2018年四季度末前", [("by", "2018-12-31", "quarter")]),
    ("2018年二季度", [("by", "2018-06-30", "quarter")]),
    # seasons
    ("2017年秋季", [("by", "2017-11-30", "quarter")]),
    ("2017年冬季", [("by", "2018-02-28", "quarter")]),
    ("2018年春季", [("by", "2018-05-31", "quarter")]),
    ("夏季", [("by", "2017-08-31", "quarter")]),
    # no year: the notice's year
    ("年底前", [("by", "2017-12-31", "year")]),
    ("年底", [("by", "2017-12-31", "year")]),
    ("年末", [("by", "2017-12-31", "year")]),
    ("年内", [("by", "2017-12-31", "year")]),
    ("年内完成", [("by", "2017-12-31", "year")]),
    ("年内见成效", [("by", "2017-12-31", "year")]),
    ("全年", [("by", "2017-12-31", "year")]),
    ("上半年", [("by", "2017-06-30", "half")]),
    ("下半年", [("by", "2017-12-31", "half")]),
    ("第三季度", [("by", "2017-09-30", "quarter")]),
    ("三季度", [("by", "2017-09-30", "quarter")]),
    ("四季度末", [("by", "2017-12-31", "quarter")]),
    ("一季度", [("by", "2017-03-31", "quarter")]),
    ("第二季度末前", [("by", "2017-06-30", "quarter")]),
    ("12月底前", [("by", "2017-12-31", "month")]),
    ("10月中旬", [("by", "2017-10-20", "day")]),
    ("9月15日前", [("by", "2017-09-15", "day")]),
    ("11月中", [("by", "2017-11-15", "day")]),
    # relative years
    ("今年", [("by", "2017-12-31", "year")]),
    ("今年底前", [("by", "2017-12-31", "year")]),
    ("今年6月底前", [("by", "2017-06-30", "month")]),
    ("本年度内", [("by", "2017-12-31", "year")]),
    ("当年", [("by", "2017-12-31", "year")]),
    ("当年见效", [("by", "2017-12-31", "year")]),
    ("明年", [("by", "2018-12-31", "year")]),
    ("明年底前", [("by", "2018-12-31", "year")]),
    ("明年上半年", [("by", "2018-06-30", "half")]),
    ("次年", [("by", "2018-12-31", "year")]),
    ("次年6月底前", [("by", "2018-06-30", "month")]),
    ("后年", [("by", "2019-12-31", "year")]),
    # five-year plans
    ("“十三五”期间", [("range", "2020-12-31", "year")]),
    ("“十四五”末", [("by", "2025-12-31", "year")]),
    ("十四五末", [("by", "2025-12-31", "year")]),
    ("十二五期间", [("range", "2015-12-31", "year")]),
    # words
    ("持续推进", [("ongoing", None, None)]),
    ("长期推进", [("ongoing", None, None)]),
    ("持续开展", [("ongoing", None, None)]),
    ("持续实施", [("ongoing", None, None)]),
    ("逐步推进", [("ongoing", None, None)]),
    ("长期坚持", [("long_term", None, None)]),
    ("长期", [("long_term", None, None)]),
    ("常态化", [("long_term", None, None)]),
    ("常态化推进", [("long_term", None, None)]),
    ("常态工作", [("ongoing", None, None)]),  # as the real gold reads it (suining_2016)
    ("常态长效", [("long_term", None, None)]),
    ("长效", [("long_term", None, None)]),
    ("按照省政府部署要求同步推进", [("follow_upstream", None, None)]),
    ("按照国家统一部署推进", [("follow_upstream", None, None)]),
    ("按省要求推进", [("follow_upstream", None, None)]),
    ("按国家要求推进", [("follow_upstream", None, None)]),
    ("按省、市工作要求推进", [("follow_upstream", None, None)]),
    ("按上级要求完成", [("follow_upstream", None, None)]),
    ("根据省里安排推进", [("follow_upstream", None, None)]),
    ("与全省同步推进", [("follow_upstream", None, None)]),
    ("根据项目审批进度推进", [("conditional", None, None)]),
    ("根据工作需要", [("conditional", None, None)]),
    ("根据工作进展情况推进", [("conditional", None, None)]),
    ("视情况推进", [("conditional", None, None)]),
    ("适时推进", [("conditional", None, None)]),
    ("根据项目进度", [("conditional", None, None)]),
    # several milestones in one phrase
    ("2017年12月底前完成，并持续推进", [("by", "2017-12-31", "month"), ("ongoing", None, None)]),
    ("2017年12月底前建成并长期坚持", [("by", "2017-12-31", "month"), ("long_term", None, None)]),
    ("2021年3月底前出台方案，6月底前完成", [("by", "2021-03-31", "month"), ("by", "2021-06-30", "month")]),
    ("2017年10月底前制定方案，12月底前完成", [("by", "2017-10-31", "month"), ("by", "2017-12-31", "month")]),
    ("2019年6月底前出台方案，年底前完成", [("by", "2019-06-30", "month"), ("by", "2019-12-31", "year")]),
    ("2017年12月底前完成部署，3月底前完成验收", [("by", "2017-12-31", "month"), ("by", "2018-03-31", "month")]),
    ("持续推进，长期坚持", [("ongoing", None, None), ("long_term", None, None)]),
    ("2018年底前完成，次年持续推进", [("by", "2018-12-31", "year"), ("by", "2019-12-31", "year"), ("ongoing", None, None)]),
    ("2017年9月底前完成，10月底前总结", [("by", "2017-09-30", "month"), ("by", "2017-10-31", "month")]),
    # durations counted from the notice date
    ("三个月内", [("by", "2017-11-24", "day")]),
    ("3个月内完成", [("by", "2017-11-24", "day")]),
    ("一年内", [("by", "2018-08-24", "day")]),
    ("半年内", [("by", "2018-02-24", "day")]),
    ("15日内", [("by", "2017-09-08", "day")]),
    ("10天以内", [("by", "2017-09-03", "day")]),
    ("两周内", [("by", "2017-09-07", "day")]),
    ("待项目批复后启动", [("conditional", None, None)]),
    ("与国家同步", [("follow_upstream", None, None)]),
    # nothing to read
    ("已完成", [("unknown", None, None)]),
    ("按期保质", [("unknown", None, None)]),
    ("", [("unknown", None, None)]),
    ("按时完成", [("unknown", None, None)]),
    ("2017年13月底前", [("unknown", None, None)]),
    ("2017年2月30日前", [("unknown", None, None)]),
]


@pytest.mark.parametrize(("phrase", "expected"), BY_TABLE, ids=[p or "<empty>" for p, _ in BY_TABLE])
def test_phrase_table(phrase: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    got = parse_deadline(phrase, 0, NOTICE).milestones
    assert [(m.kind, m.date, m.precision) for m in got] == expected


# phrase -> [(kind, start, date, precision)]
START_RANGE_TABLE: list[tuple[str, list[tuple[str, str | None, str | None, str | None]]]] = [
    ("2018年起", [("start", "2018-01-01", None, "year")]),
    ("自2018年1月1日起", [("start", "2018-01-01", None, "day")]),
    ("从2018年开始", [("start", "2018-01-01", None, "year")]),
    ("2018年开始实施", [("start", "2018-01-01", None, "year")]),
    ("2018年3月起", [("start", "2018-03-01", None, "month")]),
    ("从2018年3月", [("start", "2018-03-01", None, "month")]),
    ("2018年6月底前启动", [("by", None, "2018-06-30", "month")]),  # what falls due by then is the start
    ("2018年6月启动", [("start", "2018-06-01", "2018-06-30", "month")]),
    ("2018年下半年启动", [("start", "2018-07-01", "2018-12-31", "half")]),
    ("2018年6月底前全面启动", [("by", None, "2018-06-30", "month")]),  # what falls due by then is the start
    ("二〇一八年六月底前启动", [("by", None, "2018-06-30", "month")]),  # what falls due by then is the start
    ("2018年6月底前开工", [("by", None, "2018-06-30", "month")]),  # what falls due by then is the start
    ("2018—2020年", [("range", "2018-01-01", "2020-12-31", "year")]),
    ("2018-2020年", [("range", "2018-01-01", "2020-12-31", "year")]),
    ("2018-2020", [("range", "2018-01-01", "2020-12-31", "year")]),
    ("2018~2020年", [("range", "2018-01-01", "2020-12-31", "year")]),
    ("2018年至2020年", [("range", "2018-01-01", "2020-12-31", "year")]),
    ("2018年到2020年", [("range", "2018-01-01", "2020-12-31", "year")]),
    ("2018年—2020年底", [("range", "2018-01-01", "2020-12-31", "year")]),
    ("2018年3月—6月", [("range", "2018-03-01", "2018-06-30", "month")]),
    ("2018年3月至6月", [("range", "2018-03-01", "2018-06-30", "month")]),
    ("2018年3月至2019年6月", [("range", "2018-03-01", "2019-06-30", "month")]),
    ("2018年3月1日至6月30日", [("range", "2018-03-01", "2018-06-30", "day")]),
    ("2019年1—6月", [("range", "2019-01-01", "2019-06-30", "month")]),
    ("2019年10-12月", [("range", "2019-10-01", "2019-12-31", "month")]),
    ("3月至6月", [("range", "2017-03-01", "2017-06-30", "month")]),
    ("二〇一八年至二〇二〇年", [("range", "2018-01-01", "2020-12-31", "year")]),
    ("即日起", [("start", "2017-08-24", None, "day")]),
    ("自本通知印发之日起", [("start", "2017-08-24", None, "day")]),
    ("2017.9—2017.12", [("range", "2017-09-01", "2017-12-31", "month")]),
    ("2017.09-2017.12", [("range", "2017-09-01", "2017-12-31", "month")]),  # an ASCII dash ends a dotted date too
    ("2017-09-05", [("by", None, "2017-09-05", "day")]),
    ("2017年下半年至2018年上半年", [("range", "2017-07-01", "2018-06-30", "half")]),
    ("2018年12月—3月", [("range", "2018-12-01", "2019-03-31", "month")]),
    ("2020年至2018年", [("by", None, "2020-12-31", "year"), ("by", None, "2018-12-31", "year")]),
    ("跨年", [("range", "2017-01-01", None, "year")]),
    ("跨年度实施", [("range", "2017-01-01", None, "year")]),
    ("“十三五”期间", [("range", "2016-01-01", "2020-12-31", "year")]),
    ("2018年6月底前启动，2019年底前完成",
     [("by", None, "2018-06-30", "month"), ("by", None, "2019-12-31", "year")]),
    ("2017年12月启动，3月底前完成", [("start", "2017-12-01", "2017-12-31", "month"), ("by", None, "2018-03-31", "month")]),
]


@pytest.mark.parametrize(("phrase", "expected"), START_RANGE_TABLE, ids=[p for p, _ in START_RANGE_TABLE])
def test_start_and_range(phrase: str, expected: list[tuple[str, str | None, str | None, str | None]]) -> None:
    got = parse_deadline(phrase, 0, NOTICE).milestones
    assert [(m.kind, m.start, m.date, m.precision) for m in got] == expected


# phrase -> [(kind, period, text of the milestone)]
PERIODIC_TABLE: list[tuple[str, list[tuple[str, str | None, str]]]] = [
    ("每月", [("periodic", "month", "每月")]),
    ("每月10日前", [("periodic", "month", "每月10日前")]),
    ("每月底前", [("periodic", "month", "每月底前")]),
    ("每月5号前报送", [("periodic", "month", "每月5号前")]),
    ("每季度", [("periodic", "quarter", "每季度")]),
    ("每季度末", [("periodic", "quarter", "每季度末")]),
    ("每季度末月20日前", [("periodic", "quarter", "每季度末月20日前")]),
    ("每季", [("periodic", "quarter", "每季")]),
    ("每半年", [("periodic", "half", "每半年")]),
    ("每年", [("periodic", "year", "每年")]),
    ("每年12月底前", [("periodic", "year", "每年12月底前")]),
    ("每年年底前报送", [("periodic", "year", "每年年底前")]),
    ("每周", [("periodic", "week", "每周")]),
    ("每周五", [("periodic", "week", "每周五")]),
    ("按月调度", [("periodic", "month", "按月")]),
    ("按季度报送", [("periodic", "quarter", "按季度")]),
    ("逐月", [("periodic", "month", "逐月")]),
    ("定期", [("periodic", None, "定期")]),
    ("每日", [("periodic", None, "每日")]),
    ("每周五前", [("periodic", "week", "每周五前")]),
    ("每星期一", [("periodic", "week", "每星期一")]),
    ("每年第一季度", [("periodic", "year", "每年第一季度")]),
    ("每两个月", [("periodic", "month", "每两个月")]),
    ("每两周", [("periodic", "week", "每两周")]),
    ("持续推进，每季度报送进展", [("ongoing", None, "持续推进"), ("periodic", "quarter", "每季度")]),
    ("長期堅持，每月10日前報送", [("long_term", None, "長期堅持"), ("periodic", "month", "每月10日前")]),
]


@pytest.mark.parametrize(("phrase", "expected"), PERIODIC_TABLE, ids=[p for p, _ in PERIODIC_TABLE])
def test_periodic(phrase: str, expected: list[tuple[str, str | None, str]]) -> None:
    got = parse_deadline(phrase, 0, NOTICE).milestones
    assert [(m.kind, m.period, m.text) for m in got] == expected


TRADITIONAL = [
    ("二〇一七年十二月底前完成，並持續推進", [("by", "2017-12-31"), ("ongoing", None)]),
    ("按照省政府部署要求同步推進", [("follow_upstream", None)]),
    ("根據項目審批進度推進", [("conditional", None)]),
    ("長期堅持", [("long_term", None)]),
    ("常態化", [("long_term", None)]),
    ("2018年6月底前啟動，2019年底前完成", [("by", "2018-06-30"), ("by", "2019-12-31")]),
    ("每季度末月20日前", [("periodic", None)]),
    ("2020年2月3日前", [("by", "2020-02-03")]),
    ("年內見成效", [("by", "2017-12-31")]),
    ("下半年", [("by", "2017-12-31")]),
    ("2018年至2020年", [("range", "2020-12-31")]),
    ("持續開展", [("ongoing", None)]),
    ("每週", [("periodic", None)]),
    ("長效機制", [("long_term", None)]),
    ("年度內完成", [("by", "2017-12-31")]),
    ("2017年12月底前完成，2018年起持續推進", [("by", "2017-12-31"), ("start", None), ("ongoing", None)]),
]


@pytest.mark.parametrize(("phrase", "expected"), TRADITIONAL, ids=[p for p, _ in TRADITIONAL])
def test_traditional_script(phrase: str, expected: list[tuple[str, str | None]]) -> None:
    got = parse_deadline(phrase, 0, NOTICE).milestones
    assert [(m.kind, m.date) for m in got] == expected


def test_spans_are_absolute_and_point_at_the_original() -> None:
    phrase = "2017年12月底前完成，并持续推进"
    deadline = parse_deadline(phrase, 500, NOTICE)
    assert deadline.span == (500, 500 + len(phrase))
    assert deadline.text == phrase
    by, ongoing = deadline.milestones
    assert by.span == (500, 510) and by.text == "2017年12月底前"
    assert ongoing.span == (514, 518) and ongoing.text == "持续推进"


def test_spans_survive_full_width_and_traditional() -> None:
    notice = "　（完成時限：２０１８年６月底前啟動，２０１９年底前完成，並長期堅持）"
    phrase = "２０１８年６月底前啟動，２０１９年底前完成，並長期堅持"
    at = notice.index(phrase)
    deadline = parse_deadline(phrase, at, NOTICE)
    texts = [notice[s:e] for s, e in (m.span for m in deadline.milestones)]
    assert texts == ["２０１８年６月底前啟動", "２０１９年底前", "長期堅持"]
    assert [m.kind for m in deadline.milestones] == ["by", "by", "long_term"]


def test_range_span_covers_both_ends() -> None:
    deadline = parse_deadline("于2018年3月—6月实施", 10)
    (ms,) = deadline.milestones
    assert ms.text == "2018年3月—6月" and ms.span == (11, 21)


def test_unknown_keeps_the_whole_phrase() -> None:
    deadline = parse_deadline("按时完成", 7)
    assert deadline.milestones == [Milestone(kind="unknown", text="按时完成", span=(7, 11))]


@pytest.mark.parametrize(
    ("phrase", "notice_date", "expected"),
    [
        ("年底前", date(2017, 8, 24), ("2017-12-31", "year")),
        ("年底前", date(2021, 1, 27), ("2021-12-31", "year")),
        ("年底前", None, (None, "year")),
        ("上半年", None, (None, "half")),
        ("三季度", None, (None, "quarter")),
        ("6月底前", None, (None, "month")),
        ("10月中旬", None, (None, "day")),
        ("冬季", None, (None, "quarter")),
        ("今年", None, (None, "year")),
        ("明年底前", date(2020, 1, 17), ("2021-12-31", "year")),
        ("次年", date(2011, 3, 7), ("2012-12-31", "year")),
        ("2019年底前完成，次年见效", None, ("2019-12-31", "year")),
        ("2017年9月底前", None, ("2017-09-30", "month")),
        ("6月底前", date(2011, 3, 7), ("2011-06-30", "month")),
        ("三个月内", None, (None, "day")),
        ("即日起", None, (None, "day")),
        ("三个月内", date(2017, 11, 30), ("2018-02-28", "day")),
        ("30个工作日内", date(2017, 8, 24), ("2017-10-05", "day")),
        ("3个工作日内", date(2017, 8, 24), ("2017-08-29", "day")),  # Thursday + 3 working days
    ],
)
def test_notice_date_resolution(phrase: str, notice_date: date | None, expected: tuple[str | None, str]) -> None:
    first = parse_deadline(phrase, 0, notice_date).milestones[0]
    assert (first.date, first.precision) == expected


@pytest.mark.parametrize("phrase", ["后年", "明年底前", "三年内", "次年6月"])
def test_relative_dates_past_the_calendar_end(phrase: str) -> None:
    (ms,) = parse_deadline(phrase, 0, date(9999, 12, 1)).milestones
    assert ms.date is None


def test_context_year_beats_notice_year() -> None:
    got = parse_deadline("2019年底前完成，次年见效", 0, None).milestones
    assert [(m.kind, m.date) for m in got] == [("by", "2019-12-31"), ("by", "2020-12-31")]
    got = parse_deadline("2020年3月底前出台方案，年底前完成", 0, date(2019, 12, 1)).milestones
    assert [m.date for m in got] == ["2020-03-31", "2020-12-31"]


def test_first_due_and_sort_key() -> None:
    deadline = parse_deadline("2019年底前完成，2018年6月底前启动，并持续推进", 0)
    assert first_due(deadline) == "2018-06-30"
    ordered = sorted(deadline.milestones, key=milestone_sort_key)
    assert [m.kind for m in ordered] == ["by", "by", "ongoing"]
    assert first_due(parse_deadline("持续推进", 0)) is None
    assert first_due(Deadline(text="x", span=(0, 1))) is None


def test_periodic_with_start_keeps_both() -> None:
    got = parse_deadline("2018—2020年每年", 0).milestones
    assert [(m.kind, m.period) for m in got] == [("range", None), ("periodic", "year")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017年12月底前", True), ("持续推进", True), ("长期坚持", True), ("按照省政府部署要求同步推进", True),
        ("2017年12月底前完成，并持续推进", True), ("每季度", True), ("（2018年6月底前）", True),
        ("市发展改革委", False), ("推进2017年重点项目建设和城市道路改造提升工程", False), ("", False),
        ("加快推进行政审批制度改革", False),
    ],
)
def test_is_deadline_phrase(text: str, expected: bool) -> None:
    assert is_deadline_phrase(text) is expected


_GRAMMAR_CHARS = "0123456789年月日号底前末中上下旬季度第一二三四五六七八九十〇起至—-.持续推进长期坚持每按照省要求根据进度半内个，、并春秋冬周工作即自从今明次跨“”五期"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_GRAMMAR_CHARS, max_size=40), st.integers(min_value=0, max_value=10_000),
       st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))))
def test_never_raises_and_spans_stay_inside(phrase: str, start: int, notice_date: date | None) -> None:
    deadline = parse_deadline(phrase, start, notice_date)
    assert deadline.milestones
    for m in deadline.milestones:
        assert m.span is not None and start <= m.span[0] <= m.span[1] <= start + len(phrase)
        assert m.text == phrase[m.span[0] - start:m.span[1] - start]
        for value in (m.date, m.start):
            if value is not None:
                date.fromisoformat(value)
        if m.date and m.start:
            assert m.start <= m.date


# --- clause finder -------------------------------------------------------------------

CLAUSE_POSITIVE = [
    ("推进行政审批制度改革，2017年底前完成", "2017年底前完成"),
    ("建立联席会议制度（2018年6月底前）", "2018年6月底前"),
    ("建立联席会议制度（2018年6月底前）。", "2018年6月底前"),
    ("出台实施细则，2018年6月底前启动，2019年底前完成，并持续推进。", "2018年6月底前启动，2019年底前完成，并持续推进"),
    ("2017年12月底前完成，并持续推进", "2017年12月底前完成，并持续推进"),
    ("力争2020年建成全省一流园区", "2020年建成"),
    ("确保2019年6月底前投入使用", "2019年6月底前投入使用"),  # 投入使用 completes like 完成
    ("各责任单位要于2020年2月3日前，将方案报送", "2020年2月3日前"),
    ("自2018年1月1日起开展", "自2018年1月1日起"),
    ("2018年起在全市推广", "2018年起"),
    ("请于每季度末月20日前报送进展", "每季度末月20日前"),
    ("完善工作机制（持续推进）", "持续推进"),
    ("完善工作机制（长期坚持）", "长期坚持"),
    ("二〇一七年十二月底前完成", "二〇一七年十二月底前完成"),
    ("建設工程，２０１８年底前完成", "２０１８年底前完成"),
    ("先行试点，年底前全面推开", "年底前全面推开"),
    ("到2020年底，基本建成", "2020年底"),
    ("整改工作须在三个月内完成", "三个月内"),
    ("本项工作自即日起开展", "自即日起"),
    ("计划于2019年6月开工", "2019年6月开工"),
    ("推進工作（長期堅持）", "長期堅持"),
    ("建设项目【2018年底前】", "2018年底前"),
    ("（市发改委牵头，2018年6月底前完成）", "2018年6月底前完成"),
]


@pytest.mark.parametrize(("text", "phrase"), CLAUSE_POSITIVE, ids=[t for t, _ in CLAUSE_POSITIVE])
def test_clause_finder_positive(text: str, phrase: str) -> None:
    found = find_deadline_clause(text, 1000)
    assert found is not None
    got, at = found
    assert got == phrase
    assert text[at - 1000:at - 1000 + len(got)] == got


CLAUSE_NEGATIVE = [
    "2019年12月30日，区委召开常委会会议",
    "于2019年12月30日召开全县大会",
    "截至2019年底，全市已建成公园12个",
    "该项目已于2019年6月开工",
    "已于2019年6月底前完成验收",
    "截至10月31日前累计完成",
    "全年累计完成投资20亿元",
    "确保全年目标任务顺利完成",
    "持续推进简政放权改革",
    "长期以来，我市高度重视",
    "2016年，全市生产总值增长7.5%",
    "根据《2016年政府工作报告》",
    "市十三届人大五次会议",
    "共计12个月的工作",
    "",
]


@pytest.mark.parametrize("text", CLAUSE_NEGATIVE, ids=[t or "<empty>" for t in CLAUSE_NEGATIVE])
def test_clause_finder_negative(text: str) -> None:
    assert find_deadline_clause(text, 0) is None


def test_clause_finder_returns_the_last_clause() -> None:
    text = "2017年9月底前制定方案；组织实施。（2017年12月底前）"
    assert find_deadline_clause(text, 0) == ("2017年12月底前", text.index("2017年12月底前", 5))


# --- gold corpus ---------------------------------------------------------------------

def _gold_cases() -> list[tuple[str, str, str | None, list[dict[str, str | None]]]]:
    gold_dir = SHARED / "gold"
    if not gold_dir.is_dir():
        return []
    cases = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        issue = (gold.get("meta") or {}).get("issue_date")
        for task in gold.get("tasks", []):
            if task.get("deadline_text"):
                cases.append((path.stem, task["deadline_text"], issue, task.get("deadline") or []))
    return cases


def test_gold_deadlines() -> None:
    cases = _gold_cases()
    if not cases:
        pytest.skip("../shared/corpus/gold is absent")
    wrong = []
    for doc, phrase, issue, expected in cases:
        notice_date = date.fromisoformat(issue) if issue else None
        got = [(m.kind, m.date) for m in parse_deadline(phrase, 0, notice_date).milestones]
        want = [(m["kind"], m.get("date")) for m in expected]
        if got != want:
            wrong.append((doc, phrase, got, want))
    assert not wrong


@pytest.mark.parametrize(("sentence", "found"), [
    ("本政策措施自印发之日起施行，国家和省出台相关支持政策的，从其规定。", None),
    ("本办法自2022年6月1日起施行。", None),
    ("本通知自2022年1月1日起执行。", None),
    ("2022年6月起实施一批项目。", "2022年6月起"),
    ("确保2022年6月底前完成。", "2022年6月底前完成"),
])
def test_the_date_a_document_takes_effect_is_no_deadline(sentence: str, found: str | None) -> None:
    hit = find_deadline_clause(sentence)
    assert (hit[0] if hit else None) == found


def test_nian_nei_in_running_text_is_a_limit() -> None:
    """年内力争开通…: 年内 (within the year) limits the task without a completion verb."""
    text = "全面完成铁路复线电气化改造,年内力争开通至温州的旅客列车。"
    assert find_deadline_clause(text, 0) == ("年内", text.index("年内"))
    assert parse_deadline("年内", 0, NOTICE).milestones[0].date == "2017-12-31"


@pytest.mark.parametrize(("phrase", "due"), [("3天", "2021-05-13"), ("15个工作日", "2021-05-31"), ("一周", "2021-05-17")])
def test_a_time_limit_alone_counts_from_the_notice(phrase: str, due: str) -> None:
    (m,) = parse_deadline(phrase, 0, notice_date=date(2021, 5, 10)).milestones
    assert (m.kind, m.date) == ("by", due)
    (m,) = parse_deadline(phrase, 0).milestones
    assert (m.kind, m.date) == ("by", None), "without the notice's date the day is unknown, never guessed"


def test_a_change_made_at_once_is_a_deadline_without_a_date() -> None:
    for phrase in ("立行立改", "立即整改"):
        (m,) = parse_deadline(phrase, 0).milestones
        assert (m.kind, m.date) == ("by", None)
    assert find_deadline_clause("立即开展排查") is None, "立即 inside a task's words is no deadline"
