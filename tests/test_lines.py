"""parser.lines: run-on lines split after an assignment bracket that closes a sentence."""

from __future__ import annotations

import pytest

from parser.lines import split_lines, split_runons
from parser.textnorm import normalize


def pieces(text: str) -> list[str]:
    mtext, _ = normalize(text)
    return [line.text for line in split_runons(split_lines(text, mtext))]


@pytest.mark.parametrize(("text", "expected"), [
    ("控制人口在1150万人左右。（市人口计生委牵头）万元地区生产总值能耗下降。（市发改委负责）\n",
     ["控制人口在1150万人左右。（市人口计生委牵头）", "万元地区生产总值能耗下降。（市发改委负责）"]),
    ("控制人口。 （市人口计生委牵头） 2.万元地区生产总值能耗下降。\n",
     ["控制人口。 （市人口计生委牵头）", "2.万元地区生产总值能耗下降。"]),
    ("（市人口计生委牵头）万元地区生产总值能耗下降。\n", ["（市人口计生委牵头）", "万元地区生产总值能耗下降。"]),
    # a State Council division of work: a dozen ministries in one bracket, the next task run on after it
    ("支持分享经济发展。（发展改革委牵头，科技部、工业和信息化部、财政部、人力资源社会保障部、人民银行、国资委、"
     "银监会、证监会、保监会等按职责分工负责）实施更积极的人才引进政策。（外专局牵头，外交部等按职责分工负责）\n",
     ["支持分享经济发展。（发展改革委牵头，科技部、工业和信息化部、财政部、人力资源社会保障部、人民银行、国资委、"
      "银监会、证监会、保监会等按职责分工负责）", "实施更积极的人才引进政策。（外专局牵头，外交部等按职责分工负责）"]),
])
def test_a_bracket_that_opens_a_sentence_and_ends_with_a_role_verb_ends_the_line(
        text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


@pytest.mark.parametrize("text", [
    "控制人口在1150万人左右（市人口计生委牵头）万元地区生产总值能耗下降。\n",  # the bracket is inside a sentence
    "落实《条例（试行）》要求。（市发改委）万元地区生产总值能耗下降。\n",  # no role verb in the bracket
])
def test_a_bracket_inside_a_sentence_or_without_a_verb_breaks_nothing(text: str) -> None:
    assert pieces(text) == [text.strip()]


def test_headings_glued_to_the_sentence_before_them_split_a_long_line() -> None:
    from parser.lines import split_runons
    from parser.textnorm import match_text

    text = ("为支持实体经济发展,现结合我市实际,制定实施方案如下:一、工作目标全面落实各项政策措施,进一步激发企业活力,"
            "促进实体经济提质增效。二、工作措施(一)降低企业税收负担。1.严格执行城镇土地使用税税额标准。"
            "2.执行全省统一的印花税核定征收办法,增长1.5亿元。")
    lines = split_runons(split_lines(text, match_text(text)))
    assert [ln.text[:4] for ln in lines] == ["为支持实", "一、工作", "二、工作", "1.严格", "2.执行"]
    # on a whole page joined into one line, a chapter's short title run into its first item ends there
    page = text + ("3.落实小微企业普惠性税收减免政策,对月销售额10万元以下的小规模纳税人免征增值税,确保政策应享尽享。"
                   "4.落实研发费用加计扣除政策,引导企业加大研发投入,对符合条件的企业研发费用按规定比例在税前加计扣除。"
                   "5.规范涉企收费,全面清理规范行政事业性收费。")
    lines = split_runons(split_lines(page, match_text(page)))
    assert [ln.text[:4] for ln in lines] == ["为支持实", "一、工作", "二、工作", "(一)降", "1.严格", "2.执行", "3.落实", "4.落实", "5.规范"]


def test_a_joined_pages_lead_in_ends_at_its_colon_but_a_labels_value_stays() -> None:
    text = ("2月23日,省政府办公厅印发分工方案,就主要预期目标、十个方面工作任务以及十件民生实事进行细化分解,明确分工责任。"
            "其中明确指出: 贯彻实施数字经济促进条例,推动新型储能产业高质量发展,加快超高清视频行业应用。"
            " 分管领导:某副省长 部门分工: 省工业和信息化厅牵头,省科技厅配合。")
    pieces = [ln.text for ln in split_runons(split_lines(text, normalize(text)[0]))]
    assert pieces[0].endswith("其中明确指出:") and pieces[1].startswith("贯彻实施")
    assert any(p.startswith("部门分工: 省工业") for p in pieces), "a label's value is not cut off it"
