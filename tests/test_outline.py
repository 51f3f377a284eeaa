"""Heading markers, levels and the section tree."""

from __future__ import annotations

import pytest

from parser.lines import split_lines
from parser.outline import build_outline, cn_to_int, match_marker
from parser.textnorm import match_text


def _outline(text: str):  # type: ignore[no-untyped-def]
    return build_outline(split_lines(text, match_text(text)))


@pytest.mark.parametrize(
    ("line", "kind", "marker", "number"),
    [
        ("一、工作目标", "cn", "一、", "一"),
        ("十二、保障措施", "cn", "十二、", "十二"),
        ("（三）强化监管。", "paren_cn", "（三）", "三"),
        ("(三)强化监管", "paren_cn", "(三)", "三"),
        ("1.承接落实省政府事项。", "num", "1.", "1"),
        ("1、承接落实", "num", "1、", "1"),
        ("１．承接落实", "num", "１．", "1"),
        ("12.建立台账", "num", "12.", "12"),
        ("（1）细化方案", "paren_num", "（1）", "1"),
        ("(2)细化方案", "paren_num", "(2)", "2"),
        ("①明确分工", "circle", "①", "①"),
        ("第一章 总则", "chapter", "第一章", "一"),
        ("第三条 本办法自印发之日起施行", "article", "第三条", "三"),
        ("1﹒全省生产总值增长", "num", "1﹒", "1"),
    ],
)
def test_markers(line: str, kind: str, marker: str, number: str) -> None:
    lines = split_lines(line, match_text(line))
    h = match_marker(lines[0])
    assert h is not None and h.kind == kind
    assert h.marker.strip() == marker
    assert h.number == number


@pytest.mark.parametrize(
    "line",
    ["2017年9月底前完成", "11.5%的增长", "1.5倍", "一般公共预算收入", "3", "（一）", "2020.06.30前"],
)
def test_not_headings(line: str) -> None:
    lines = split_lines(line, match_text(line))
    assert match_marker(lines[0]) is None


@pytest.mark.parametrize(("cn", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105), ("12", 12)])
def test_cn_to_int(cn: str, value: int) -> None:
    assert cn_to_int(cn) == value


def test_levels_follow_the_standard_not_first_appearance() -> None:
    # "1." items appear under 一、 before the first （一）, yet stay below （一）.
    text = "一、主要目标\n1.增长百分之五。\n二、重点工作\n（一）产业发展\n2.建设园区。\n（1）细化\n"
    o = _outline(text)
    levels = {h.marker: h.level for h in o.headings}
    assert levels["一、"] == levels["二、"] == 1
    assert levels["（一）"] == 2
    assert levels["1."] == levels["2."] == 3
    assert levels["（1）"] == 4
    parent = {h.marker: (h.parent.marker if h.parent else None) for h in o.headings}
    assert parent["2."] == "（一）"
    assert parent["1."] == "一、"


def test_title_is_first_clause_and_spans_point_into_text() -> None:
    text = "前言\n（一）加强组织领导。成立领导小组，定期调度。\n（二）打破“信息孤岛”，实现共享。\n"
    o = _outline(text)
    titles = [h.title for h in o.headings]
    assert titles == ["加强组织领导。", "打破“信息孤岛”"]
    for sec in o.sections:
        assert text[sec.span[0]:].startswith(sec.marker)


def test_section_tree_nests_children_and_ids_are_unique() -> None:
    text = "一、甲\n（一）子一\n（二）子二\n二、乙\n（一）子三\n"
    o = _outline(text)
    assert [s.title for s in o.sections] == ["甲", "乙"]
    assert [c.title for c in o.sections[0].children] == ["子一", "子二"]
    ids = [s.id for s in o.sections] + [c.id for s in o.sections for c in s.children]
    assert len(ids) == len(set(ids))
    assert o.sections[0].span[1] == text.index("二、")


def test_yi_shi_er_shi_are_leaf_sections_with_spans() -> None:
    from parser import parse_text

    text = "二、重点工作\n（一）优化营商环境。一是深化改革，压减审批时限；二是推进一网通办；三是加强监管。\n"
    n = parse_text(text)
    (top,) = n.sections
    (sub,) = top.children
    assert [c.marker for c in sub.children] == ["一是", "二是", "三是"]
    assert [c.title for c in sub.children] == ["深化改革", "推进一网通办", "加强监管"]
    assert all(text[c.span[0]:c.span[1]].startswith(c.marker) for c in sub.children)
    assert len({c.id for c in sub.children}) == 3 and all(c.level == sub.level + 1 for c in sub.children)


def test_a_lone_yi_shi_is_no_enumeration() -> None:
    from parser import parse_text

    n = parse_text("一、总体要求\n坚持一是一、二是二的务实作风。这一是非常重要的。\n")
    assert [c.marker for s in n.sections for c in s.children] == []


def test_a_page_number_with_its_dash_is_no_heading() -> None:
    """4 - 等为代表的…: a doc-share page's footer (- 4 -) glued to the next line's words."""
    from parser.lines import Line

    for s, number in (("4 - 等为代表的优质花生生产和加工基地;", None), ("4 加强组织领导", "4")):
        head = match_marker(Line(0, 0, len(s), s, s))
        assert (head.number if head else None) == number
