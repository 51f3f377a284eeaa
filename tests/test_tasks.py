"""Task segmentation and field attachment, one test per prose layout.

The notices here are written for the tests, in the styles met in real notices.
"""

from __future__ import annotations

import pytest

from parser import parse_text
from schemas.notice import Notice

COVER = "某市人民政府办公室关于印发某市重点工作分工方案的通知\n某政办发〔2019〕8号\n各县区人民政府：\n现印发给你们。\n某市人民政府办公室\n2019年2月1日\n"


def names(units) -> list[str]:  # type: ignore[no-untyped-def]
    return [u.name for u in units]


def check_spans(n: Notice) -> None:
    for t in n.tasks:
        assert 0 <= t.span[0] < t.span[1] <= len(n.text)
        for role in ("lead", "responsible", "cooperating"):
            for u in getattr(t, role):
                assert n.text[u.span[0]:u.span[1]] == u.text
                assert t.span[0] <= u.span[0] and u.span[1] <= t.span[1]
        if t.deadline:
            assert n.text[t.deadline.span[0]:t.deadline.span[1]] == t.deadline.text


def test_label_lines_after_each_task() -> None:
    n = parse_text(COVER + "二、重点任务\n（一）优化审批。\n1.精简审批事项。\n牵头部门：市审改办。\n责任部门：各县区政府，市政府有关部门。\n"
                   "完成时间：2019年6月底前。\n2.推行网上办理。\n主要责任单位：市政务服务中心。\n协办单位：市发改委、市财政局。\n时间节点：持续推进。\n")
    assert [t.number for t in n.tasks] == ["1", "2"]
    t1, t2 = n.tasks
    assert names(t1.lead) == ["市审改办"]
    assert names(t1.responsible) == ["各县区政府", "市政府有关部门"]
    assert t1.deadline is not None and t1.deadline.text == "2019年6月底前"
    assert t1.section_path == ["二、重点任务", "（一）优化审批。"]
    assert t1.text == "精简审批事项。"
    assert names(t2.responsible) == ["市政务服务中心"]
    assert names(t2.cooperating) == ["市发改委", "市财政局"]
    assert t2.deadline is not None and t2.deadline.milestones[0].kind == "ongoing"
    check_spans(n)


def test_closing_bracket_with_labels_and_square_brackets() -> None:
    n = parse_text(COVER + "一、主要目标\n（一）地区生产总值增长7%。[牵头单位：县发改局(粮食局)；责任单位：各镇人民政府]\n"
                   "（二）财政收入增长5%。（牵头单位：县财政局；责任单位：县税务局；完成时限：2019年底）\n")
    assert [t.number for t in n.tasks] == ["一", "二"]
    assert names(n.tasks[0].lead) == ["县发改局(粮食局)"]
    assert names(n.tasks[0].responsible) == ["各镇人民政府"]
    assert n.tasks[0].text == "地区生产总值增长7%。"
    assert names(n.tasks[1].responsible) == ["县税务局"]
    assert n.tasks[1].deadline is not None and n.tasks[1].deadline.text == "2019年底"
    check_spans(n)


def test_closing_bracket_with_role_verbs() -> None:
    n = parse_text(COVER + "一、重点工作\n1.建设产业园区。（市发展改革委牵头，各县区政府按职责分工负责，市财政局配合）\n"
                   "2.完善物流体系。（由市商务局负责）\n")
    t1, t2 = n.tasks
    assert names(t1.lead) == ["市发展改革委"]
    assert names(t1.responsible) == ["各县区政府"]
    assert names(t1.cooperating) == ["市财政局"]
    assert names(t2.responsible) == ["市商务局"]
    check_spans(n)


def test_bare_units_with_first_is_lead_convention() -> None:
    n = parse_text(COVER.replace("现印发给你们。", "现印发给你们（责任单位中排在第一位的为牵头单位）。")
                   + "一、目标\n1.粮食产量稳定。(区农业局、区水利局)\n2.城镇新增就业。(区人社局)\n")
    t1, t2 = n.tasks
    assert names(t1.lead) == ["区农业局"] and names(t1.responsible) == ["区水利局"]
    assert names(t2.lead) == ["区人社局"] and names(t2.responsible) == []


@pytest.mark.parametrize("said", ["列第一位者為牽頭單位", "排名首位的单位为牵头单位", "排序第一的是牵头部门"])
def test_first_is_lead_convention_in_other_wordings(said: str) -> None:
    """The convention read by its grammar, not only in the listed phrasings (traditional too)."""
    n = parse_text(COVER + f"一、目标\n1.粮食产量稳定。(区农业局、区水利局等负责,{said},下同)\n")
    assert names(n.tasks[0].lead) == ["区农业局"] and names(n.tasks[0].responsible) == ["区水利局"]


def test_chengban_leads_and_a_phone_label_ends_the_unit() -> None:
    """GOLD_FORMAT: 承办 reads as 牵头; 咨询电话: after the unit is a field of its own."""
    n = parse_text(COVER + "一、目标\n1.新建城市社区服务站5个。\n承办部门:市人社局 咨询电话:2126811\n")
    assert names(n.tasks[0].lead) == ["市人社局"] and names(n.tasks[0].responsible) == []
    assert [(f.label, f.text) for f in n.tasks[0].fields] == [("咨询电话", "2126811")]


def test_bare_units_without_convention_are_responsible() -> None:
    n = parse_text(COVER + "一、目标\n1.粮食产量稳定。(区农业局、区水利局)\n")
    assert names(n.tasks[0].lead) == []
    assert names(n.tasks[0].responsible) == ["区农业局", "区水利局"]


def test_assignment_hanging_on_a_heading_takes_its_sub_items() -> None:
    n = parse_text(COVER + "二、重点任务\n（一）推进数字政府建设。\n牵头单位：市大数据局。\n完成时限：2019年12月底前。\n"
                   "1.建设数据共享平台。\n2.推进电子证照应用。\n（二）优化营商环境。\n牵头单位：市发改委。\n")
    assert [t.number for t in n.tasks] == ["一", "二"]
    t1 = n.tasks[0]
    assert names(t1.lead) == ["市大数据局"]
    assert "建设数据共享平台" in t1.text and "推进电子证照应用" in t1.text
    assert "牵头单位" not in t1.text
    assert t1.section_path == ["二、重点任务"]
    check_spans(n)


def test_sub_items_with_their_own_assignment_do_not_inherit_the_heading() -> None:
    n = parse_text(COVER + "（一）推进数字政府。\n1.建设平台。\n牵头单位：市大数据局。\n2.推进应用。\n牵头单位：市政务服务中心。\n")
    assert [t.number for t in n.tasks] == ["1", "2"]
    assert names(n.tasks[1].lead) == ["市政务服务中心"]


def test_group_lead_heading_passes_its_lead_to_items() -> None:
    n = parse_text(COVER + "附件\n一、县发改局牵头工作(2项)\n1.建设物流园区。\n2.推进项目审批改革。\n二、县财政局牵头工作(1项)\n1.深化预算改革。\n")
    assert len(n.tasks) == 3
    assert [names(t.lead) for t in n.tasks] == [["县发改局"], ["县发改局"], ["县财政局"]]
    assert len({t.id for t in n.tasks}) == 3


def test_persons_are_not_units() -> None:
    n = parse_text(COVER + "一、目标\n（一）地区生产总值增长6%。(责任领导:李明;牵头单位:市发改局)\n")
    assert names(n.tasks[0].lead) == ["市发改局"]
    assert all("李明" not in u.name for t in n.tasks for r in ("lead", "responsible", "cooperating") for u in getattr(t, r))


def test_verb_form_behind_an_assignment_label() -> None:
    n = parse_text(COVER + "一、目标\n1.地区生产总值增长6%以上。\n分管省领导:王某\n部门分工:省发展改革委牵头,各地、各部门配合。\n")
    t = n.tasks[0]
    assert names(t.lead) == ["省发展改革委"]
    assert names(t.cooperating) == ["各地", "各部门"]


def test_flattened_page_on_one_line() -> None:
    body = ("政府工作报告重点工作责任分解 一、县长牵头重点工作 1.全县生产总值增长7%左右,一般公共预算收入增长8%,居民收入同步增长。 "
            "责任单位:县发改局、县财政局 2.落实过紧日子要求,严控一般性支出,努力降低行政运行成本。 责任单位:县财政局 "
            "二、副县长牵头重点工作 1.坚持集体学法,加强重大行政决策事前论证。 责任单位:县司法局")
    n = parse_text(COVER + body + "\n")
    assert len(n.tasks) == 3
    assert [names(t.responsible) for t in n.tasks] == [["县发改局", "县财政局"], ["县财政局"], ["县司法局"]]
    check_spans(n)


def test_restarting_numbers_give_unique_ids() -> None:
    n = parse_text(COVER + "一、甲\n1.任务甲一。\n责任单位：市发改委。\n二、乙\n1.任务乙一。\n责任单位：市财政局。\n")
    ids = [t.id for t in n.tasks]
    assert len(ids) == len(set(ids)) == 2
    assert [t.number for t in n.tasks] == ["1", "1"]


def test_unnumbered_paragraphs_with_labels_are_tasks() -> None:
    n = parse_text(COVER + "一、重点工作\n加快推进乡村振兴。\n责任单位：市农业农村局。\n深化国企改革。\n责任单位：市国资委。\n")
    # Under a heading that is a title only, paragraphs that each close with their own
    # assignment are the tasks, alike, and the heading is their section.
    assert [names(t.responsible) for t in n.tasks] == [["市农业农村局"], ["市国资委"]]
    assert [t.number for t in n.tasks] == [None, None]
    assert [t.text for t in n.tasks] == ["加快推进乡村振兴。", "深化国企改革。"]
    assert [t.section_path for t in n.tasks] == [["一、重点工作"], ["一、重点工作"]]


def test_a_short_title_closing_with_a_full_stop_is_still_a_title() -> None:
    """1.主要指标的责任部门。 then run-on paragraphs with their own brackets: the heading
    is their section, each paragraph a task (its full stop does not make it a sentence)."""
    n = parse_text(COVER + "一、主要目标\n1.主要指标的责任部门。\n常住人口控制在1150万人左右。(市公安局牵头)"
                   "万元地区生产总值能源消耗降低20%。(市经委牵头)\n")
    assert [t.text[:6] for t in n.tasks] == ["常住人口控制", "万元地区生产"]
    assert [names(t.lead) for t in n.tasks] == [["市公安局"], ["市经委"]]
    assert n.tasks[0].section_path[-1] == "1.主要指标的责任部门。"


def test_title_heading_with_one_assigned_paragraph_is_the_task() -> None:
    n = parse_text(COVER + "一、重点工作\n加快推进乡村振兴。\n责任单位：市农业农村局。\n")
    assert [t.number for t in n.tasks] == ["一"] and "加快推进乡村振兴" in n.tasks[0].text


def test_cover_requirements_without_assignments_are_not_tasks() -> None:
    n = parse_text(COVER + "一、加强组织领导。各单位要高度重视。\n二、加强督查。市政府督查室跟踪督办。\n")
    assert n.tasks == []
    assert [s.marker for s in n.sections] == ["一、", "二、"]


def test_same_input_same_record() -> None:
    text = COVER + "一、重点任务\n1.精简审批。\n牵头单位：市审改办。\n"
    assert parse_text(text).model_dump() == parse_text(text).model_dump()


def test_wrapped_unit_list_continues_on_next_line() -> None:
    n = parse_text(COVER + "1.精简审批。\n责任单位：市发改委、市财政局、\n市商务局。\n完成时限：持续推进。\n")
    assert names(n.tasks[0].responsible) == ["市发改委", "市财政局", "市商务局"]


def test_number_marker_before_year_words_is_a_heading() -> None:
    n = parse_text(COVER + "1、年關將近,做好資金調度準備。(財政局)\n2、98年元旦升旗活動事先規劃。(教育局)\n")
    assert [t.number for t in n.tasks] == ["1", "2"]
    assert [names(t.responsible) for t in n.tasks] == [["财政局"], ["教育局"]]


def test_key_value_page_task() -> None:
    n = parse_text("重点工作: | 27.推进老旧小区改造,完成改造小区30个。 |\n牵头单位: | 市住房城乡建设局 |\n"
                   "年度阶段性工作目标: | 第一季度:完成摸底。 |\n")
    assert len(n.tasks) == 1
    t = n.tasks[0]
    assert t.number == "27" and t.text.startswith("推进老旧小区改造")
    assert names(t.lead) == ["市住房城乡建设局"]


def test_inline_label_value_ends_at_the_sentence() -> None:
    n = parse_text(COVER + "二、项目进展\n1、学前教育促进,牵头单位:市教体局。其中,整改不到位的为某县。\n")
    assert names(n.tasks[0].lead) == ["市教体局"]
    assert n.tasks[0].text == "学前教育促进"


def test_assignment_bracket_pushed_onto_its_own_line() -> None:
    n = parse_text(COVER + "1、做好寒冬送暖工作。\n(民政局)\n2、做好資金調度準備。(財政局)\n")
    assert [names(t.responsible) for t in n.tasks] == [["民政局"], ["财政局"]]
    assert n.tasks[0].text == "做好寒冬送暖工作。"


def test_item_with_only_a_leader_is_not_a_task() -> None:
    n = parse_text(COVER + "一、目标\n1.地区生产总值增长6%。\n牵头领导:王某\n责任单位:市发改委\n"
                   "2.进出口实现正增长。\n牵头领导:李某\n3.城镇新增就业5万人。\n责任单位:市人社局\n")
    assert [t.number for t in n.tasks] == ["1", "3"]
    assert any("leader but no unit" in w for w in n.warnings)


def test_last_item_cut_by_the_page_end_is_a_task_with_a_warning() -> None:
    """GOLD_FORMAT: a task cut off by the end of the page is still a task, with what was
    written before the cut; the record says it is incomplete."""
    n = parse_text(COVER + "一、目标\n1.地区生产总值增长6%。\n牵头领导:王某\n责任单位:市发改委\n"
                   "2.进出口实现正增长。\n牵头领导:李某\n牵头责")
    assert [t.number for t in n.tasks] == ["1", "2"]
    cut = n.tasks[1]
    assert [p.text for p in cut.leaders] == ["李某"] and not cut.lead and not cut.responsible
    assert any("cut off" in w for w in cut.warnings) and cut.confidence.level == "medium"


def test_last_item_closed_by_a_full_stop_is_not_taken() -> None:
    n = parse_text(COVER + "一、目标\n1.地区生产总值增长6%。\n责任单位:市发改委\n2.各单位要加强组织领导。\n")
    assert [t.number for t in n.tasks] == ["1"]


def test_label_with_a_qualifier_prefix() -> None:
    n = parse_text(COVER + "1.加强医疗服务。\n主要牵头单位：县卫健委\n主要协作单位：各乡镇人民政府、县政府有关部门\n")
    assert names(n.tasks[0].lead) == ["县卫健委"]
    assert names(n.tasks[0].cooperating) == ["各乡镇人民政府", "县政府有关部门"]


def test_sub_rows_under_one_number_are_tasks_of_their_own() -> None:
    text = ("序号 | 项目名称 | 责任单位 | 完成时限\n"
            "1 | 新建养老服务中心2个。 | 县民政局 | 2016年6月底前\n"
            "2 | 开工建设县老年养护楼。 | 县民政局 | 5月底前动工\n"
            " | 开工建设老年大学。 | | 12月底前\n")
    n = parse_text(text)
    assert [t.id for t in n.tasks] == ["1", "2-1", "2-2"]
    assert [t.number for t in n.tasks] == ["1", "2", "2"]
    assert names(n.tasks[2].responsible) == ["县民政局"], "the merged unit cell is inherited"
    assert n.tasks[2].deadline is not None and n.tasks[2].deadline.text == "12月底前"


def test_deadline_bracket_after_an_unnumbered_title_is_not_a_task() -> None:
    n = parse_text("2023年重点工作责任清单进展情况汇总表(第四季度)\n一、目标\n1.新增托育机构2所。（2023年底前）\n")
    assert [t.number for t in n.tasks] == ["1"]
    assert n.tasks[0].deadline is not None and n.tasks[0].deadline.text == "2023年底前"


def test_box_table_cells_wrapped_over_lines_are_joined() -> None:
    text = ("┌──────────┬──────┬────┐\n"
            "│工作任务  │牵头单位 │完成时限│\n"
            "├──────────┼──────┼────┤\n"
            "│加强财政监督,提高资│各县(市、区)政│年内见成│\n"
            "│金使用效益      │府,市财政局、国│效  │\n"
            "│          │家税务局   │    │\n"
            "└──────────┴──────┴────┘\n")
    n = parse_text(text)
    assert len(n.tasks) == 1
    t = n.tasks[0]
    assert names(t.lead) == ["各县(市、区)政府", "市财政局", "国家税务局"]
    assert t.deadline is not None and t.deadline.text == "年内见成效"
    first, last = t.lead[0], t.lead[-1]
    assert n.text[first.span[0]:first.span[0] + 4] == "各县(市"
    assert n.text[last.span[1] - 3:last.span[1]] == "税务局"


def test_time_limit_inside_the_task_sentence() -> None:
    n = parse_text(COVER + "一、重点工作\n1.建成市级数据共享平台，2019年10月底前完成。（市大数据局牵头，市财政局配合）\n"
                   "2.2018年全市生产总值达到500亿元，继续扩大有效投资。（市发改委负责）\n")
    t1, t2 = n.tasks
    assert t1.deadline is not None and t1.deadline.text.startswith("2019年10月底前")
    assert t1.deadline.milestones[0].date == "2019-10-31"
    assert n.text[t1.deadline.span[0]:t1.deadline.span[1]] == t1.deadline.text
    assert t2.deadline is None, "a year mentioned in passing is no time limit"


def test_unreadable_deadline_keeps_its_text_and_warns() -> None:
    n = parse_text(COVER + "1.完善机制。\n牵头单位：市发改委。\n完成时限：视情而定，另行通知。\n")
    t = n.tasks[0]
    assert t.deadline is not None and t.deadline.text == "视情而定，另行通知"
    assert [m.kind for m in t.deadline.milestones] == ["unknown"]
    assert any("deadline not understood" in w for w in t.warnings)


def test_unnumbered_targets_under_a_project_are_its_rows() -> None:
    """The numbered project is the task; targets under it without numbers of their own
    are its rows, and their units are gathered on it (the unlabelled gold's reading of
    yueyanglou_2017). Numbered targets (1.… 2.…) are tasks of their own instead."""
    text = ("序号 民生实事项目名称 责任单位 目标任务 实际完成情况 完成率% 备注\n"
            "1 新增城镇就业 人社局 8950 7356 82%\n"
            "2 深化养老保险制度改革和提高低保补助标准 完成在职参保人数6300人 区人社局 6300人 7558 119%\n"
            "城市低保补差水平月均达到300元/人 区民政局 100% 100%\n")
    n = parse_text(text)
    project = [t for t in n.tasks if t.number == "2"]
    assert [t.id for t in project] == ["2"]
    assert project[0].text.startswith("深化养老保险制度改革")
    assert names(project[0].responsible) == ["区人社局", "区民政局"]


def test_table_row_cut_off_by_the_page_end_is_a_task_said_cut() -> None:
    """GOLD_FORMAT: a task cut off by the end of the page is still a task; it says so."""
    head = "序号 | 重点任务 | 牵头单位 | 完成时限\n"
    rows = "1 | 建设物流园区。 | 区发改局 | 2024年底前\n2 | 推进保税加工产业发展。 | |\n"
    cut = parse_text(head + rows + "沈").tasks
    assert [t.number for t in cut] == ["1", "2"]
    assert any("cut off" in w for w in cut[1].warnings) and not cut[1].lead
    assert [t.number for t in parse_text(head + "1 | 建设物流园区。 | 区发改局 | 2024年底前\n2 | 推\n").tasks] == ["1"]
    kept = parse_text(head + rows + "3 | 发展跨境电商。 | 区商务局 | 持续推进\n")
    assert [t.number for t in kept.tasks] == ["1", "2", "3"], "an empty cell inside the table is the notice's own"


def test_a_duration_in_the_task_words_is_no_deadline() -> None:
    n = parse_text(COVER + "一、重点工作\n1.企业开办1个工作日以内办结。(市市场监管局牵头)\n"
                   "2.年底前建成政务服务中心。(市行政审批局牵头)\n")
    assert [t.deadline.text if t.deadline else None for t in n.tasks] == [None, "年底前建成"]


def test_cells_that_each_close_their_own_pipe_make_one_row_per_pipe_line() -> None:
    """| / 序號 | / 項目名稱 | / … : a row flattened one cell per line, each cell with its
    closing pipe and a pipe line opening each row; the last row cut by the page end."""
    header = ["序號", "項目名稱", "建設地點", "建設時間", "2024年建設內容", "責任單位"]
    rows = [["1", "城區學校運動場改造項目", "相關鎮(街道)", "2024", "改造運動場地三處。", "教體局"],
            ["2", "城北道路建設項目", "城北街道", "2025", "新建道路一條。", "住建局"],
            ["3", "高標準農田建設項目", "謝村鎮", "2024", "整治田塊五百畝。", "農業農村局"],
            ["4", "農村公路安防工程", "龍亭鎮", "2024", "實施安防工程三十公里。", "交通局"],
            ["5", "老舊小區改造項目", "洋州街道"]]
    lines = ["某縣2024年民生實事項目清單 |", "|"]
    for row in [header, *rows]:
        lines.extend(["|", *(f"{cell} |" for cell in row)])
    text = "\n".join([*lines[:-1], lines[-1].rstrip(" |")]) + "\n"
    n = parse_text(text)
    assert [t.number for t in n.tasks] == ["1", "2", "3", "4", "5"]
    assert [names(t.responsible) for t in n.tasks] == [["教体局"], ["住建局"], ["农业农村局"], ["交通局"], []]
    assert n.tasks[0].deadline is not None and str(n.tasks[0].deadline.milestones[0].date) == "2024-12-31"
    assert all("相关" not in u for t in n.tasks for u in names(t.responsible)), "a place column is no unit column"
    assert [f.label for f in n.tasks[0].fields][:1] == ["建設地點"]
    assert any("cut off" in w for w in n.tasks[4].warnings)


def test_two_task_columns_with_a_value_on_every_row_make_the_first_the_task() -> None:
    """实事项目 | 工作举措及实施计划 side by side, each row with its own project: the project
    is the task, the numbered measures inside its cell stay there as a field, not tasks."""
    text = ("序号 | 实事项目 | 工作举措及实施计划 | 责任单位 | 配合单位 |\n"
            "1 | 新建成公办中小学、幼儿园7所,新增学位6800个。 | 1.4月底前完成主体工程。 2.8月底前竣工交付。 "
            "3.11月底前完成验收。 | 区教育局 | 区发改局、区财政局 |\n"
            "2 | 新建婴幼儿照护服务驿站7家。 | 1.3月底前新建成2家。 2.9月底前完成7家建设任务。 | 区卫生健康局 | 区民政局 |\n")
    n = parse_text(text)
    assert [t.number for t in n.tasks] == ["1", "2"]
    assert n.tasks[0].text.startswith("新建成公办中小学")
    assert names(n.tasks[1].lead + n.tasks[1].responsible) == ["区卫生健康局"]
    assert n.tasks[0].fields[0].label == "工作举措及实施计划" and n.tasks[0].fields[0].text.startswith("1.4月底前")


def test_a_standing_assignment_is_added_to_every_task_after_it() -> None:
    """以下…均需X落实，不再单独列出: X is responsible for each task from there on, its span
    pointing at the sentence that says so; tasks before it are left alone."""
    text = (COVER + "一、任务\n1.落实减税政策。(责任单位:市税务局)\n"
            "2.积极争取省级专项资金。(责任单位:市工信局、市财政局,各县区人民政府、园区管委会。"
            "以下政策措施均需各县区人民政府、园区管委会落实,不再单独列出)\n"
            "3.成立工作专班。(责任单位:市发展改革委)\n")
    n = parse_text(text)
    t1, t2, t3 = n.tasks
    assert names(t1.responsible) == ["市税务局"]
    assert names(t2.responsible) == ["市工信局", "市财政局", "各县区人民政府", "园区管委会"]
    assert names(t3.responsible) == ["市发展改革委", "各县区人民政府", "园区管委会"]
    s, e = t3.responsible[1].span
    assert n.text[s:e] == "各县区人民政府" and s > t2.span[0]


def test_the_name_column_is_the_task_and_the_content_beside_it_a_field() -> None:
    """序号 | 事项分类 | 事项名称 | 项目内容 | 牵头单位 | 协同单位: the name is the task, the
    content a field, and the unnamed column between 序号 and the name groups the rows."""
    text = ("序号 | 事项分类 | 事项名称 | 项目内容 | 牵头单位 | 协同单位\n"
            "1 | 打造区域教育高地 | 新建一批中小学校 | 实施新建中小学校5家。 | 区教体局 | 区发改局\n"
            "2 | | 中小学校阳光厨房建设 | 对28所中小学校食堂安装验收平台。 | 区教体局 | 区市场监管局\n"
            "3 | 医心为民工程 | 新建村卫生室 | 新建村卫生室80家。 | 区卫健局 | 各乡镇(街道)\n")
    n = parse_text(text)
    assert [t.text for t in n.tasks] == ["新建一批中小学校", "中小学校阳光厨房建设", "新建村卫生室"]
    assert [f.label for f in n.tasks[0].fields] == ["项目内容"]
    assert [t.section_path[-1:] for t in n.tasks] == [["打造区域教育高地"], ["打造区域教育高地"], ["医心为民工程"]]


def test_a_labelled_unit_list_may_end_with_its_time_limit() -> None:
    n = parse_text(COVER + "一、任务\n1.推进一枚印章管审批。(牵头单位:州行政审批服务局;"
                   "责任单位:州司法局、州直相关单位,各县市人民政府,6月底完成)\n")
    (t,) = n.tasks
    assert names(t.lead) == ["州行政审批服务局"]
    assert names(t.responsible) == ["州司法局", "州直相关单位", "各县市人民政府"]
    assert t.deadline is not None and t.deadline.text == "6月底完成"


def test_a_bare_bracket_of_units_may_end_with_its_time_limit() -> None:
    """(X、Y,6月底完成): units, then the limit as the bracket's last item; neither swallows the other."""
    n = parse_text(COVER + "一、任务\n1.推进改革工作。(州直相关单位,各县市人民政府、经开区管委会,6月底完成)\n"
                   "2.推进创新。(市发改委、市财政局,2023年底前完成)\n")
    t1, t2 = n.tasks
    assert names(t1.responsible) == ["州直相关单位", "各县市人民政府", "经开区管委会"]
    assert t1.deadline is not None and t1.deadline.text == "6月底完成"
    assert names(t2.responsible) == ["市发改委", "市财政局"] and t2.deadline.text == "2023年底前完成"


def test_an_assignment_bracket_never_closed_is_read_from_its_opener() -> None:
    """〔A、B、省数据局(省营商局) at the end: the last bracket is a unit's alias, not the
    assignment; the assignment's own bracket was cut. All units are read, with a warning."""
    n = parse_text(COVER + "一、任务\n1.推进重大项目建设。〔省委军民融合办、省发展改革委、省数据局(省营商局)\n")
    (t,) = n.tasks
    assert names(t.responsible) == ["省委军民融合办", "省发展改革委", "省数据局(省营商局)"]
    assert any("not closed" in w for w in t.warnings)
    n = parse_text(COVER + "一、任务\n1.推进重大项目建设。(省发展改革委牵头)\n")
    assert not any("not closed" in w for w in n.tasks[0].warnings)


@pytest.mark.parametrize("marker", ["2.", "(二)"])
def test_tasks_run_on_after_an_assignment_bracket(marker: str) -> None:
    """1.…。(A主办,B协办)2.…。(C负责): the next task starts right after the bracket, at its
    marker; each task keeps its own bracket."""
    first = "1.抓好600个省级重点产业项目。(省发改委主办,省工信委、科技厅协办)"
    second = f"{marker}重点抓好燃气轮机等产业化项目。(省工信委负责)"
    n = parse_text(COVER + "一、任务\n" + first + second + "\n")
    t1, t2 = n.tasks
    assert names(t1.lead) == ["省发改委"] and names(t1.cooperating) == ["省工信委", "科技厅"]
    assert names(t2.responsible) == ["省工信委"]


def test_unnumbered_sentence_after_a_numbered_items_bracket_is_more_of_it() -> None:
    """1.…。(A主办,B协办)…。(C负责) without a marker: the numbered item is the smallest task
    (GOLD_FORMAT), so the sentence's units join it (the blind gold of two fresh notices)."""
    first = "1.抓好600个省级重点产业项目。(省发改委主办,省工信委、科技厅协办)"
    n = parse_text(COVER + "一、任务\n" + first + "重点抓好燃气轮机等产业化项目。(省工信委负责)\n")
    (t1,) = n.tasks
    assert names(t1.lead) == ["省发改委"] and names(t1.cooperating) == ["省工信委", "科技厅"]
    assert names(t1.responsible) == ["省工信委"]


def test_a_group_heading_without_headings_under_it_is_the_task() -> None:
    """（一）X牵头的工作 followed by its own paragraph: the paragraph is the task, X its lead;
    a group heading with numbered items under it lends X to each of them instead."""
    text = ("一、省长负责的工作\n全面负责省人民政府工作任务的落实。\n(一)省监察厅牵头的工作\n"
            "加强行政监察工作,全面落实党风廉政建设责任制。\n(二)省审计厅牵头的工作\n全面加强审计工作。\n"
            "协同单位:省直各部门和各市人民政府。\n(三)省编办牵头的工作\n1.深化行政管理体制改革。\n"
            "2.积极稳妥地推进乡镇机构改革。\n协同单位:省财政厅、省人事厅等省直有关部门和各市人民政府。\n")
    n = parse_text(text)
    assert [t.text[:8] for t in n.tasks] == ["加强行政监察工作", "全面加强审计工作", "深化行政管理体制", "积极稳妥地推进乡"]
    assert [names(t.lead) for t in n.tasks] == [["省监察厅"], ["省审计厅"], ["省编办"], ["省编办"]]
    assert names(n.tasks[3].cooperating) == ["省财政厅", "省人事厅", "各市人民政府"]


def test_a_portal_metadata_line_is_no_task() -> None:
    """信息来源：区政府办(外事办) describes the page: the unit in its brackets assigns nothing;
    a task's own labels that portals also use (责任部门：, 完成时间：) stay labels."""
    n = parse_text("发布时间:2023-11-16 16:38\n信息来源:区政府办(外事办)\n发布机构: 宣城市人民政府(办公室)\n"
                   "一、任务\n1.新建社区服务站5个。\n责任部门：市民政局。\n完成时间：2023年底前。\n")
    assert [t.number for t in n.tasks] == ["1"]
    assert names(n.tasks[0].responsible) == ["市民政局"] and n.tasks[0].deadline.text == "2023年底前"


def test_unit_cell_stating_its_own_roles_keeps_them() -> None:
    """办公室牵头,各科室配合 in a 责任单位 column: the clause verbs give the roles."""
    n = parse_text(
        "某中心2026年政务公开工作任务分解表\n"
        "| 序号 | 工作任务 | 责任单位 |\n"
        "| 1 | 及时更新网站栏目信息。 | 办公室 |\n"
        "| 2 | 修订政府信息公开指南。 | 办公室牵头,各科室配合 |\n"
    )
    check_spans(n)
    first, second = n.tasks
    assert names(first.responsible) == ["办公室"]
    assert names(second.lead) == ["办公室"] and names(second.cooperating) == ["各科室"]
    assert not second.responsible


def test_assignment_line_in_verb_form_under_each_task() -> None:
    """由X、Y负责落实 on the line after a task's words closes it, like a label line."""
    n = parse_text(
        "某市人民政府关于做好2031年重点工作的通知\n"
        "一、强化项目带动\n"
        "1.抓好100个市级重点项目建设,确保完成年度投资计划。\n"
        "由市发展改革委,各县市区人民政府,市经济开发区管委会负责落实\n"
        "2.全面完成铁路复线电气化改造。\n"
        "由铁路公司、市交通运输局牵头,市财政局配合\n"
    )
    check_spans(n)
    one, two = n.tasks
    assert names(one.responsible) == ["市发展改革委", "各县市区人民政府", "市经济开发区管委会"]
    assert one.text.startswith("抓好100个") and "由" not in one.text
    assert names(two.lead) == ["铁路公司", "市交通运输局"] and names(two.cooperating) == ["市财政局"]


def test_a_sentence_holding_a_duty_verb_is_no_assignment_line() -> None:
    n = parse_text(
        "某县2031年重点工作\n"
        "1.加强安全生产监管。\n"
        "各级干部要对本辖区安全生产负责,切实履职\n"
        "（市应急管理局牵头）\n"
    )
    (task,) = n.tasks
    assert names(task.lead) == ["市应急管理局"]
    assert "各级干部" in task.text


def test_digest_paragraphs_naming_the_body_in_charge() -> None:
    """由镇公路站负责的…项目: each paragraph of a news digest is a task of its own."""
    n = parse_text(
        "某镇2031年为群众办实事项目进展\n"
        "累计征集重点项目10项。\n"
        "聚焦民生,由镇公路站负责的农村道路硬化项目,建设道路12公里,预计2031年11月份完成。\n"
        "聚焦振兴,由农业农村办负责的美丽乡村建设项目,完善村内道路绿化,预计2031年12月份完成。\n"
    )
    check_spans(n)
    assert [names(t.responsible) for t in n.tasks] == [["镇公路站"], ["农业农村办"]]
    assert n.tasks[0].text.startswith("聚焦民生")
    assert n.tasks[1].deadline is not None and n.tasks[1].deadline.text == "2031年12月份完成"


def test_bulletin_quoting_tasks_after_their_units() -> None:
    """县发改局负责的“…”: each quoted task is a task, the units before it assigned."""
    n = parse_text(
        "2031年第五次县政府常务会议确定事项落实情况的通报\n"
        "二、工作要求\n"
        "需要加快推进落实事项2件,如县发改局负责的“按时完成项目前期工作。”截至目前,已完成论证;"
        "县自然资源局、县水利局负责的“紧盯项目6月底前开工的时间节点。”截至目前,开工2个。\n"
        "附件:确定事项汇总表.xlsx\n"
    )
    check_spans(n)
    assert [t.text for t in n.tasks] == ["按时完成项目前期工作。", "紧盯项目6月底前开工的时间节点。"]
    assert [names(t.responsible) for t in n.tasks] == [["县发改局"], ["县自然资源局", "县水利局"]]


def test_first_listed_leads_said_with_xiatong_applies_from_there_on() -> None:
    """(列第一位为牵头或汇总单位,下同) inside task 2: tasks before it keep their lists as they are."""
    n = parse_text(
        "某市2031年政府工作报告重点工作责任分解\n"
        "1.生产总值增长6%。\n责任单位:市发改委、市统计局\n"
        "2.固定资产投资增长10%。\n责任单位:市发改委、市财政局(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)\n"
        "3.外贸出口增长5%。\n责任单位:市商务局、市财政局\n"
        "4.城乡居民收入增速保持领先。\n责任单位:市人力社保局、市农业农村局分别牵头\n"
    )
    check_spans(n)
    one, two, three, four = n.tasks
    assert not one.lead and names(one.responsible) == ["市发改委", "市统计局"]
    assert names(two.lead) == ["市发改委"] and names(two.responsible) == ["市财政局"]
    assert names(three.lead) == ["市商务局"] and names(three.responsible) == ["市财政局"]
    assert names(four.lead) == ["市人力社保局", "市农业农村局"] and not four.responsible


def test_standing_assignment_said_inside_a_label_value_is_no_unit() -> None:
    n = parse_text(
        "某州优化营商环境工作方案\n"
        "1.提升政务中心建设。(责任单位:州政务服务中心,各县市人民政府按职责分工负责,"
        "以下各任务均需各县市人民政府、州直相关行业部门落实,不再一一列出)\n"
        "2.提高窗口人员素质。(责任单位:州政务服务中心)\n"
    )
    one, two = n.tasks
    assert names(one.responsible) == ["州政务服务中心", "各县市人民政府", "州直相关行业部门"]
    assert names(two.responsible) == ["州政务服务中心", "各县市人民政府", "州直相关行业部门"]


def test_undated_notice_reads_deadlines_in_its_title_year() -> None:
    n = parse_text(
        "2031年营商环境攻坚行动方案\n"
        "1.推行企业开办一日办结,9月底前完成。(牵头单位:市市场监管局)\n"
    )
    (task,) = n.tasks
    assert [(m.kind, m.date) for m in task.deadline.milestones] == [("by", "2031-09-30")]


def test_title_naming_two_years_gives_no_year() -> None:
    n = parse_text(
        "2030年工作总结和2031年工作计划\n"
        "1.推行企业开办一日办结,9月底前完成。(牵头单位:市市场监管局)\n"
    )
    (task,) = n.tasks
    assert [m.date for m in task.deadline.milestones] == [None]


def test_sentence_heading_over_assigned_paragraphs_is_a_section() -> None:
    n = parse_text(
        "某省人民政府办公厅关于落实重点工作部门分工的意见\n"
        "一、保持经济持续健康发展\n"
        "(一)推动经济稳定健康发展,必须发挥消费、投资、出口均衡拉动作用。\n"
        "认真贯彻落实积极的财政政策。(省财政厅、省发展改革委等负责)\n"
        "发挥出口的支撑作用,培育新的国际竞争优势。(省商务厅负责)\n"
    )
    check_spans(n)
    assert [t.text for t in n.tasks] == ["认真贯彻落实积极的财政政策。", "发挥出口的支撑作用,培育新的国际竞争优势。"]
    assert names(n.tasks[0].responsible) == ["省财政厅", "省发展改革委"]
    assert n.tasks[0].section_path[-1].startswith("(一)")


def test_numbered_task_with_a_second_paragraph_stays_one_task() -> None:
    n = parse_text(
        "某市2031年重点工作\n"
        "1.推进政务服务改革。\n"
        "全面推行一网通办,年底前实现全覆盖。(市政务服务中心负责)\n"
        "2.加强营商环境建设。(市发展改革委负责)\n"
    )
    assert [t.number for t in n.tasks] == ["1", "2"]


def test_closing_paragraph_before_the_signature_is_no_cut_task() -> None:
    n = parse_text(
        "某市2031年重点工作\n"
        "一、扩大内需\n"
        "推进政务服务改革。(市政务服务中心负责)\n"
        "加强营商环境建设。(市发展改革委负责)\n"
        "各地各部门要按照职责分工，细化工作举措，确保各项工作落到实处\n"
        "某市人民政府\n"
        "2031年2月10日\n"
    )
    assert [t.text for t in n.tasks] == ["推进政务服务改革。", "加强营商环境建设。"]


def test_run_on_page_marker_line_holding_the_table_is_no_section() -> None:
    """1、…分解表序号项目名称… — a dump's page marker opens the line the table runs on."""
    n = parse_text(
        "1、2031年民生实事责任分解表序号实事名称主要内容分管领导牵头单位配合单位"
        "1扩大优质教育资源新建中小学3所。刘建国教育局财政局各街道"
        "2提升社区养老服务新建社区食堂12家。张菁民政局各街道\n"
    )
    assert [t.section_path for t in n.tasks] == [[], []]
    assert names(n.tasks[0].cooperating) == ["财政局", "各街道"]


def test_assignment_sentence_run_onto_the_task_line() -> None:
    """A PDF joins the assignment line to the task's: its last sentence is the assignment."""
    n = parse_text(
        "某市2031年重点工作\n"
        "1.支持民营经济发展。新增市场主体1.2万户。由市工业和信息化局牵头,市市场监管局、市税务局配合\n"
        "2.加强安全生产。各级干部要对安全生产负责\n"
        "(市应急管理局负责)\n"
    )
    one, two = n.tasks
    assert one.text == "支持民营经济发展。新增市场主体1.2万户。"
    assert names(one.lead) == ["市工业和信息化局"] and names(one.cooperating) == ["市市场监管局", "市税务局"]
    assert names(two.responsible) == ["市应急管理局"]


def test_numbered_table_row_cut_before_its_units_is_a_task_said_cut() -> None:
    n = parse_text("\n".join([
        "2031年重点工作任务分解表", "序号", "主要工作举措", "牵头单位", "配合单位",
        "1", "加快构建现代化产业体系,推进农产品精深加工。", "区农业农村局", "区发展改革局",
        "2", "聚焦保税加工和现代物流产业,大力发展保税新业态,促进外", "",
    ]))
    one, two = n.tasks
    assert names(one.lead) == ["区农业农村局"]
    assert two.text.startswith("聚焦保税加工") and not two.lead
    assert any("cut off" in w for w in two.warnings)


def test_run_on_label_after_a_heading_title_and_an_opening_verb_assignment() -> None:
    n = parse_text(
        "2031年为民办实事事项进展情况通报\n"
        "一、进展情况\n"
        "(一)适龄女生疫苗接种牵头责任部门:县卫生健康委员会\n"
        "已完成接种1200人。\n"
        "(二)由县民政局负责,县财政局、县残联配合,提高残疾人生活补贴标准。\n"
    )
    one, two = n.tasks
    assert one.text.startswith("适龄女生疫苗接种") and names(one.lead) == ["县卫生健康委员会"]
    assert names(two.responsible) == ["县民政局"] and names(two.cooperating) == ["县财政局", "县残联"]


def test_assignment_clause_inside_a_report_paragraph() -> None:
    """A report names the body in charge in a clause of the item's paragraph (…,市司法局
    牵头实施。截至9月底…): the clause assigns the item, the words stay whole."""
    text = (COVER + "(一)提前完成的民生实事\n"
            "1.实施免费法律咨询便民服务。省里下达的任务是35000人次,市司法局牵头实施。截至9月底,已完成47000余件。\n"
            "2.新建日间照料中心。市民政局牵头实施,市财政局配合。截至9月底,已完工49个。\n"
            "3.统筹协调推进。各相关单位要加强配合,统筹推进各项工作。\n")
    n = parse_text(text)
    one, two = n.tasks[:2]
    assert names(one.lead) == ["市司法局"] and "截至9月底" in one.text
    assert names(two.lead) == ["市民政局"] and names(two.cooperating) == ["市财政局"]
    check_spans(n)
    three = [t for t in n.tasks if t.text.startswith("统筹")]
    assert all(not (t.lead or t.responsible or t.cooperating) for t in three), "a clause with 要 is no assignment"


def test_lead_mark_after_a_unit_name() -> None:
    n = parse_text(COVER + "一、重点任务\n1.兑现惠企资金20亿元。(区政府办公室*、区财政局)\n2.争取专项资金。(区财政局、＊区发改局)\n")
    one, two = n.tasks
    assert names(one.lead) == ["区政府办公室"] and names(one.responsible) == ["区财政局"]
    assert names(two.lead) == ["区发改局"] and names(two.responsible) == ["区财政局"]
    a, b = one.lead[0].span
    assert n.text[a:b] == "区政府办公室"


def test_numbered_paragraph_goes_on_after_a_sentence_bracket() -> None:
    """A numbered item is the smallest task: the sentences of its paragraph that carry
    brackets of their own add their units to it (and a unit named twice counts once)."""
    text = (COVER + "一、加强重点工作信息公开\n"
            "(一)做好信息公开。发布规划信息。(市规划委负责落实)推进合作信息公开。(市发展改革委、市教委分别负责落实)"
            "推进冬奥会场馆信息公开。(市体育局、市教委分别负责落实)\n"
            "(二)推进审批公开。(市政务服务局负责)\n")
    n = parse_text(text)
    one, two = n.tasks
    assert names(one.responsible) == ["市规划委", "市发展改革委", "市教委", "市体育局"]
    assert names(two.responsible) == ["市政务服务局"]
    check_spans(n)


def test_unnumbered_sentences_with_brackets_stay_tasks_of_their_own() -> None:
    text = (COVER + "一、聚力项目建设\n"
            "全年实施重点项目80个。(区发改局牵头)盘活存量建设用地1200亩。(区自然资源局牵头)\n")
    n = parse_text(text)
    assert [names(t.lead) for t in n.tasks] == [["区发改局"], ["区自然资源局"]]


def test_first_listed_convention_inside_a_label_value_is_no_unit() -> None:
    text = (COVER + "一、政策措施\n1.下调城镇土地使用税。(责任单位:市税务局、市财政局,排在首位的为牵头单位,下同)\n"
            "2.降低用电成本。(责任单位:市发展改革委、市供电局)\n")
    n = parse_text(text)
    one, two = n.tasks
    assert names(one.lead) == ["市税务局"] and names(one.responsible) == ["市财政局"]
    assert names(two.lead) == ["市发展改革委"] and names(two.responsible) == ["市供电局"]


def test_one_character_stub_cut_by_the_page_end_is_left_out() -> None:
    n = parse_text(COVER + "一、重点任务\n1.建成数据平台。\n责任单位:市大数据局、市")
    (t,) = n.tasks
    assert names(t.responsible) == ["市大数据局"]
    assert any("left out: 市" in w for w in t.warnings)


def test_first_listed_convention_with_work_before_lead() -> None:
    n = parse_text(COVER + "一、重点任务\n1.推进企业上市。\n责任单位:市经信局、市财政局(列第一位者为工作牵头单位或汇总单位,下同)\n"
                   "2.培育小微企业。\n责任单位:市市场监管局、市税务局\n")
    one, two = n.tasks
    assert names(one.lead) == ["市经信局"] and names(two.lead) == ["市市场监管局"]


def test_numbered_item_whose_sub_items_the_page_end_cut_is_a_task() -> None:
    text = (COVER + "(一)“一案三制”建设\n1.完善应急预案体系\n(1)加强应急预案管理。\n(2)推进预案精编化。\n"
            "(责任单位:市直各有关单位、各开发区管委会)\n2.健全应急管理体制\n(1)深入推进应急管理办事机构建设,落实")
    n = parse_text(text)
    one, two = n.tasks
    assert names(one.responsible) == ["市直各有关单位", "各开发区管委会"]
    assert two.text.startswith("健全应急管理体制") and not two.responsible
    assert any("cut off" in w for w in two.warnings)


def test_bare_units_bracket_closing_a_sentence_inside_a_numbered_paragraph() -> None:
    text = (COVER + "一、全面加强领导\n1.强化工作责任落实。压紧靠实各级食品安全工作责任,确保不发生重大事故"
            "(各市州政府、兰州新区管委会)。将食品安全工作纳入平安建设。\n")
    (t,) = parse_text(text).tasks
    assert names(t.responsible) == ["各市州政府", "兰州新区管委会"]


def test_assignment_bracket_cut_by_the_page_end() -> None:
    text = (COVER + "(一)加快产业结构优化升级\n1.优化产业布局。严格控制新增化工园区。〔市经信局、市发改委负责,"
            "市生态环境局等参与,各县(市、区)人民政府负责落实。以下均需各级政府落实,不再")
    (t,) = parse_text(text).tasks
    assert names(t.responsible) == ["市经信局", "市发改委", "各县(市、区)人民政府"]
    assert names(t.cooperating) == ["市生态环境局"]
    assert any("cut off" in w for w in t.warnings)


def test_first_listed_convention_said_as_a_rule_in_the_bracket() -> None:
    text = (COVER + "一、主要预期目标\n1、全市GDP增长10%以上(由市发展改革委、统计局负责。一项任务涉及多个部门的,"
            "原则上由排名首位的部门牵头负责。下同)。\n2、外贸出口增长15%以上(由市商务局、财政局负责)。\n")
    one, two = parse_text(text).tasks
    assert names(one.lead) == ["市发展改革委"] and names(one.responsible) == ["统计局"]
    assert names(two.lead) == ["市商务局"]


def test_joint_responsibility_label_is_responsible() -> None:
    text = COVER + "一、教育惠民\n1. 新建中小学15所。(牵头单位:市教育局;共同责任单位:市发改委、市财政局)\n"
    (t,) = parse_text(text).tasks
    assert names(t.lead) == ["市教育局"] and names(t.responsible) == ["市发改委", "市财政局"]


def test_rectification_labels_close_each_inspected_place() -> None:
    text = (COVER + "具体问题如下:\n1. 市图书馆\n(1)院内车辆未按区域停放;\n(2)灭火器过期未更换。\n"
            "问题整改责任单位:市文化和旅游局 整改时限:2019年3月底前\n2. 市体育馆\n(1)禁烟标识不足。\n"
            "整改责任单位:市体育局 整改期限:2019年4月底前\n")
    one, two = parse_text(text).tasks
    assert one.text.startswith("市图书馆") and names(one.responsible) == ["市文化和旅游局"]
    assert one.deadline is not None and one.deadline.text == "2019年3月底前"
    assert names(two.responsible) == ["市体育局"] and two.deadline is not None


def test_numbered_item_marker_before_a_latin_code_splits_a_run_on_page() -> None:
    text = (COVER + "近日县督查组对部分农贸市场、单位和小区的卫生情况进行了督查,这次又有哪些问题被曝光呢?"
            " 1.员工食堂杂物乱堆放。 整改责任单位:县污水处理厂 整改时限:2021年8月13日前"
            " 1.B3-03住户门前积水较多。 整改责任单位:县住房和城乡建设局 整改时限:2021年8月13日前\n")
    tasks = parse_text(text).tasks
    assert [t.text[:5] for t in tasks] == ["员工食堂杂", "B3-03"]
    assert [t.deadline.text for t in tasks if t.deadline] == ["2021年8月13日前", "2021年8月13日前"]


def test_short_heading_names_the_task_above_its_labelled_lines() -> None:
    text = (COVER + "三、教育惠民工程\n(一)扩大农村学前教育资源项目。\n资金来源:中央、自治区财政。\n"
            "目标任务:按自治区规定完成下达的指标任务。\n牵头单位:市教育局。\n配合单位:市财政局。\n"
            "(二)普通高中国家助学金项目。\n目标任务:完成下达的指标任务。\n牵头单位:市教育局。\n")
    one, two = parse_text(text).tasks
    assert one.number == "一" and one.text.startswith("扩大农村学前教育资源项目")
    assert names(one.lead) == ["市教育局"] and names(one.cooperating) == ["市财政局"]
    assert {f.label: f.text for f in one.fields} == {"资金来源": "中央、自治区财政。",
                                                     "目标任务": "按自治区规定完成下达的指标任务。"}
    assert two.text.startswith("普通高中国家助学金项目") and names(two.lead) == ["市教育局"]


def test_label_joined_with_a_persons_label_splits_the_name_off_the_unit() -> None:
    text = (COVER + "第一项:促进再就业行动\n(一)扩大再就业。\n任务目标:实现城镇新增就业60万人。\n"
            "责任单位和责任人:省劳动和社会保障厅秦玉德\n(二)落实再就业政策。\n牵头单位及责任人:省财政厅\n")
    one, two = parse_text(text).tasks
    assert one.text.startswith("扩大再就业") and names(one.responsible) == ["省劳动和社会保障厅"]
    assert [(p.role, p.text) for p in one.leaders] == [("责任人", "秦玉德")]
    assert names(two.lead) == ["省财政厅"] and not two.leaders


def test_completion_label_is_the_deadline_beside_a_period_label() -> None:
    text = (COVER + "三、教育惠民工程\n(一)扩大学前教育资源项目。\n牵头单位:市教育局。\n实施时间:2019年1-12月。\n"
            "完成时间:2019年10月。\n(二)助学金项目。\n牵头单位:市教育局。\n实施时间:2019年3-6月。\n")
    one, two = parse_text(text).tasks
    assert one.deadline is not None and one.deadline.text == "2019年10月"
    assert two.deadline is not None and two.deadline.text == "2019年3-6月", "a period alone is still the deadline"


def test_numbering_restarting_after_each_assignment_makes_each_group_one_task() -> None:
    text = (COVER + "近日县督查组对部分农贸市场、单位和小区的卫生情况进行了督查,这次又有哪些问题被曝光呢?"
            " 1.市场内卫生间堆放杂物; 整改责任单位:县市场监督管理局 整改时限:2021年8月13日前"
            " 1.员工食堂杂物乱堆放; 2.临时厨房垃圾乱堆放。 整改责任单位:县污水处理厂 整改时限:2021年8月13日前"
            " 操作间存在鼠粪,病媒生物防制不到位。 整改责任单位:县市场监督管理局 整改时限:2021年8月13日前 (来源:县融媒)\n")
    one, two, three = parse_text(text).tasks
    assert names(one.responsible) == ["县市场监督管理局"]
    assert two.text.startswith("员工食堂杂物乱堆放") and "临时厨房" in two.text
    assert names(two.responsible) == ["县污水处理厂"] and not two.section_path
    assert three.text.startswith("操作间存在鼠粪"), "a sentence after the labels that closed a task is a task"
    assert three.deadline is not None and three.deadline.text == "2021年8月13日前", "the limit ends before (来源:…)"


def test_numbering_that_never_restarts_is_not_grouped() -> None:
    text = COVER + "一、重点任务\n1.推进审批改革。\n2.推行网上办理。\n牵头单位:市政务服务中心\n3.优化窗口服务。\n牵头单位:市审改办\n"
    tasks = parse_text(text).tasks
    assert [t.number for t in tasks] == ["2", "3"]


def test_a_label_value_opening_with_by_units_in_charge_assigns_the_item() -> None:
    text = (COVER + "1、西大桥河边堤岸有垃圾死角。\n整改要求:由县环卫站负责清除上述地段垃圾死角。\n"
            "2、迎宾大道围墙上有野广告。\n整改要求:由包片单位县气象局负责清除。\n")
    one, two = parse_text(text).tasks
    assert names(one.responsible) == ["县环卫站"] and names(two.responsible) == ["县气象局"]


def test_by_units_in_charge_inside_a_cover_paragraph_is_no_assignment() -> None:
    text = ("关于做好建议办理工作的通知\n各区人民政府:\n一、层层压实责任。各责任单位要加强组织领导,"
            "由办公室负责抓好综合督办协调工作。\n二、加强统筹。各单位要制订方案。\n某市人民政府办公厅\n2020年1月21日\n")
    assert parse_text(text).tasks == []


def test_huitong_names_a_lead_and_its_partners() -> None:
    text = (COVER + "一、工作分工\n(一)关于“确保谷物基本自给”的问题,由发展改革委会同农业部、财政部等部门研究提出落实意见。\n"
            "(二)关于“严守耕地保护红线”的问题,由国土资源部会同农业部等部门负责落实。\n"
            "(三)推进农村改革(市农业局会同市财政局负责)。\n")
    one, two, three = parse_text(text).tasks
    assert names(one.lead) == ["发展改革委"] and names(one.cooperating) == ["农业部", "财政部"]
    assert names(two.lead) == ["国土资源部"] and names(two.cooperating) == ["农业部"]
    assert names(three.lead) == ["市农业局"] and names(three.cooperating) == ["市财政局"] and not three.responsible


def test_standing_rule_said_inside_an_assignment_bracket_is_no_unit() -> None:
    text = (COVER + "一、健全制度体系\n1.健全基本养老服务清单制度。发布服务清单。(市民政局牵头,各区、市政府负责落实。"
            "以下各项工作均需各区、市政府负责落实,不再一一列出。)\n2.健全兜底保障制度。(市民政局牵头)\n")
    one, two = parse_text(text).tasks
    assert names(one.lead) == ["市民政局"] and names(one.responsible) == ["各区、市政府"]
    assert names(two.responsible) == ["各区、市政府"], "the standing units apply to the tasks after it"


def test_a_paragraph_closed_by_a_colon_leads_in_and_is_no_tasks_words() -> None:
    text = ("《2023年某区重要民生实事项目》提到关于集团化办学、配套小学,详情见下:\n"
            "全区集团化办学覆盖率达到60%以上\n责任单位:区教委\n完成期限:2023年12月底前\n"
            "建成配套小学,提供学位1200个\n责任单位:区教委\n完成期限:2023年12月底前\n")
    one, two = parse_text(text).tasks
    assert one.text.startswith("全区集团化办学") and two.text.startswith("建成配套小学")


def test_a_wrapped_headings_last_word_before_a_numbered_item_is_no_bare_label() -> None:
    text = (COVER + "一、提高城市基层党建工作水平,加强党对基层治理的全面\n领导\n1.完善街道党工委对地区治理重大工作的领导体制机制。\n"
            "牵头单位:区委组织部\n协办单位:区委编办\n")
    (t,) = parse_text(text).tasks
    assert t.number == "1" and t.text.startswith("完善街道党工委") and not t.leaders
    assert names(t.lead) == ["区委组织部"] and names(t.cooperating) == ["区委编办"]


def test_a_label_value_in_verb_form_gives_each_clause_its_role() -> None:
    text = (COVER + "一、加大投资力度\n(一)进一步加大投资力度。责任单位:省发改委牵头,省交通厅、省水利厅配合。\n"
            "(二)推进生态经济区建设。责任单位:省发改委牵头,省地震局配合。\n")
    one, two = parse_text(text).tasks
    assert names(one.lead) == ["省发改委"] and names(one.cooperating) == ["省交通厅", "省水利厅"]
    assert not one.responsible and names(two.cooperating) == ["省地震局"]


def test_a_sentence_counting_the_items_above_gives_them_their_units() -> None:
    text = (COVER + "(一)发展目标。包括4项。\n1.地区生产总值增长15%;\n2.第三产业增加值达到1000亿元;\n"
            "2项目标的责任单位均为市发展改革委。\n3.规模以上工业销售收入达到3000亿元;\n该目标责任单位为市经委。\n")
    one, two, three = parse_text(text).tasks
    assert [names(t.responsible) for t in (one, two, three)] == [["市发展改革委"], ["市发展改革委"], ["市经委"]]
    assert three.text.startswith("规模以上工业") and "该目标" not in three.text


def test_a_digest_naming_each_body_with_its_projects_gives_one_task_per_project() -> None:
    text = ("某省今年实施6件为民办实事事项\n其中,省卫健委负责适龄女生疫苗接种、新生儿筛查与诊治、老年人认知障碍筛查试点等三个项目;"
            "省教育厅负责初中教室照明改造和中小学生视力监测两个项目;省住建厅负责乡镇生活垃圾分类屋建设项目。\n")
    tasks = parse_text(text).tasks
    assert [t.text for t in tasks] == ["适龄女生疫苗接种", "新生儿筛查与诊治", "老年人认知障碍筛查试点", "初中教室照明改造",
                                       "中小学生视力监测", "乡镇生活垃圾分类屋建设项目"]
    assert [names(t.responsible) for t in tasks][3:] == [["省教育厅"], ["省教育厅"], ["省住建厅"]]


def test_a_project_count_that_disagrees_with_the_list_keeps_the_list_whole() -> None:
    text = "某省今年实施民生实事\n其中,省教育厅负责初中教室照明改造、中小学生视力监测等三个项目。\n"
    (t,) = parse_text(text).tasks
    assert t.text.startswith("初中教室照明改造") and names(t.responsible) == ["省教育厅"]


PROSE_PLAN = ("某县人民政府关于做好秋季河道治理工作的通知\n各乡镇人民政府,县政府各部门:\n现就有关事项通知如下。\n"
              "一、强化河道清障\n县水务局要组织全面排查河道阻水障碍,11月底前完成清障。\n"
              "二、加强入河排污口管理\n县生态环境局、县住建局应按照职责分工,开展入河排污口排查整治。\n"
              "某县人民政府\n2031年9月1日\n")


def test_in_a_prose_notice_the_subject_of_a_tasks_sentence_is_its_unit() -> None:
    one, two = parse_text(PROSE_PLAN).tasks
    assert names(one.responsible) == ["县水务局"] and names(two.responsible) == ["县生态环境局", "县住建局"]
    assert one.confidence.level == "medium" and any("subjects" in w for w in one.warnings), "a reading to confirm"
    check_spans(parse_text(PROSE_PLAN))


def test_subjects_are_not_read_where_the_notice_assigns_units_another_way() -> None:
    text = PROSE_PLAN.replace("11月底前完成清障。", "11月底前完成清障。(县水务局牵头)")
    (one,) = parse_text(text).tasks
    assert names(one.lead) == ["县水务局"], "the unassigned second item stays no task"


def test_a_cover_letters_requirements_addressed_to_every_recipient_are_no_tasks() -> None:
    text = ("某市人民政府办公厅关于印发某市营商环境改革方案的通知\n各区人民政府,市政府各委、办、局:\n"
            "现将《某市营商环境改革方案》印发给你们,请认真贯彻执行。\n一、提高站位\n各区政府要把优化营商环境作为一把手工程。\n"
            "二、加强协调\n市发展改革委要及时协调解决问题。\n某市人民政府办公厅\n2031年3月1日\n")
    assert parse_text(text).tasks == [], "the plan is not on the page: its cover's requirements assign nothing"


def test_a_collective_subject_under_a_top_level_heading_is_no_unit() -> None:
    text = PROSE_PLAN.replace("县生态环境局、县住建局应按照职责分工", "各乡镇要按照职责分工")
    assert [names(t.responsible) for t in parse_text(text).tasks] == [["县水务局"]]


def test_after_a_delegating_verb_its_object_is_the_body_that_acts() -> None:
    text = ("某中学关于校舍问题整改情况的报告\n一、存在问题及整改措施\n1.教室照明不足。学校要求总务处立即更换灯管。\n"
            "2.厕所不达标。学校要求总务处改造旧厕。\n")
    assert [names(t.responsible) for t in parse_text(text).tasks] == [["总务处"], ["总务处"]]


def test_a_paragraph_of_sentences_each_opening_with_its_lead_is_a_list_of_tasks() -> None:
    text = ("某县全面推行河长制\n要求县级部门牵头实施好三大行动。即县水务局牵头,组织开展打击非法采砂专项行动。"
            "县环保局牵头,督促乡镇污水设施建设;县农委、畜牧局牵头,严控畜禽养殖行为。\n")
    tasks = parse_text(text).tasks
    assert [t.text for t in tasks] == ["县水务局牵头,组织开展打击非法采砂专项行动", "县环保局牵头,督促乡镇污水设施建设",
                                       "县农委、畜牧局牵头,严控畜禽养殖行为"]
    assert [names(t.lead) for t in tasks] == [["县水务局"], ["县环保局"], ["县农委", "畜牧局"]]


def test_two_sentences_opening_with_a_lead_are_no_digest() -> None:
    text = "某县河长制简报\n县水务局牵头,组织开展打击非法采砂专项行动。县环保局牵头,督促乡镇污水设施建设。\n"
    assert parse_text(text).tasks == []


def test_a_forwarding_notices_requirement_names_the_body_it_asks() -> None:
    text = ("某市卫生局转发关于开展免疫规划工作检查的通知\n各区卫生局:\n现将有关通知转发给你们,提出如下意见。\n"
            "一、请市疾病预防控制中心按检查方案督查全市免疫规划工作,并于10月19日前上报。\n"
            "二、请各区卫生局按照要求做好督导检查工作。\n")
    one, two = parse_text(text).tasks
    assert names(one.responsible) == ["市疾病预防控制中心"] and one.deadline is not None
    assert names(two.responsible) == ["各区卫生局"], "a body asked by name, a collective too, up to its verb"


def test_digest_sentences_do_not_stop_the_subject_reader_elsewhere() -> None:
    text = PROSE_PLAN.replace("某县人民政府\n", "三、工作要求\n县发改局牵头,组织督查。县财政局牵头,保障经费。县气象局负责,做好预报。\n某县人民政府\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks[:2]] == [["县水务局"], ["县生态环境局", "县住建局"]]
    assert [names(t.lead) for t in tasks[2:]] == [["县发改局"], ["县财政局"], []]


def test_chapter_title_run_into_its_first_item_and_brackets_closing_items_split_a_run_on_page() -> None:
    text = ("某县若干措施\n1.对当年度新列入省、市工业龙头企业(含培育)分别给予一次性奖励,对新增规模以上工业企业给予一次性奖励,"
            "每家企业给予10万元奖励,(责任单位:县工信局、县财政局)"
            "14.支持企业上云,推动中小企业业务系统向云端迁移,对企业购买云服务、上云改造给予补助,单家企业奖励最高不超过100万元,对入选省级上云标杆的企业另给予一次性奖励,"
            "(责任单位:县科技局、县财政局)六、支持服务业企业发展壮大"
            "48.对当年度新增的规模以上服务业企业给予一次性奖励5万元,对首次入选全省服务业百强的企业给予奖励,(责任单位:县商务局)\n")
    tasks = parse_text(text).tasks
    assert [t.number for t in tasks] == ["1", "14", "48"]
    assert [names(t.responsible) for t in tasks] == [["县工信局", "县财政局"], ["县科技局", "县财政局"], ["县商务局"]]
    assert tasks[2].section_path == ["六、支持服务业企业发展壮大"]


def test_a_closing_bracket_whose_opener_the_page_lost_still_ends_its_item() -> None:
    text = ("某省科技创新若干措施\n一、支持研发平台建设,推动省重点实验室围绕重点产业发展需求开展研究,对新建平台给予补助,〔省科技厅〕"
            "三、鼓励组建一批创新联合体,由龙头企业牵头联合高校和科研院所组建创新联合体,对建立研发先导资金或牵头承担国家科技项目的创新联合体给予资金支持,支持联合体开展关键核心技术攻关,"
            "各市(地)、县(市、区)政府(行署)〕"
            "五、实施企业科技特派员制度,选派科技人员深入企业开展服务,〔省科技厅、省财政厅〕六、引导成果转化,给予奖励,"
            "鼓励企业注册地县(市、区)政府参照科技成果转化贡献情况给予成果持有人奖励。\n")
    tasks = parse_text(text).tasks
    five = next(t for t in tasks if t.number == "五")
    assert names(five.responsible) == ["省科技厅", "省财政厅"] and "联合体" not in five.text


def test_a_term_word_closing_a_tasks_sentence_is_its_deadline() -> None:
    text = PROSE_PLAN.replace("11月底前完成清障。", "纳入河长制考核,长期坚持。")
    one = parse_text(text).tasks[0]
    assert one.deadline is not None and one.deadline.text == "长期坚持"


def test_a_division_of_duties_on_a_headings_line_gives_one_task_per_clause() -> None:
    text = ("某省专项行动方案\n五、工作要求\n(一)加强组织领导。各相关处室要明确责任分工。法规处负责执法监督工作;"
            "市场处负责监管农资交易;食品处负责组织食品安全监督检查;由办公室负责人牵头汇总。\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [["法规处"], ["市场处"], ["食品处"]]
    assert all(t.section_path[-1].startswith("(一)加强组织领导") for t in tasks)


def test_a_division_of_duties_numbering_each_body_with_a_colon() -> None:
    text = ("某市环境秩序整治方案\n三、职责分工\n14.市卫生局:负责医院周边环境整治的协调工作。\n15.市药监局:负责查处违法收售药品等行为。\n"
            "16.各区县政府(地区管委会):落实属地责任。\n17.工作目标:年底前完成整治。\n")
    tasks = parse_text(text).tasks
    assert [t.number for t in tasks] == ["14", "15", "16"], "a label is no body"
    assert [names(t.responsible) for t in tasks] == [["市卫生局"], ["市药监局"], ["各区县政府(地区管委会)"]]
    assert tasks[0].text == "负责医院周边环境整治的协调工作。"


def test_a_division_of_duties_may_open_after_a_clause_and_its_bodies_hold_brackets() -> None:
    text = ("农业局部署专项整治行动\n会上提出,各部门要各司其责,法规股负责综合协调工作;农环站负责农药残留抽检;"
            "执法大队负责生产记录档案检查;各乡(镇、街道)负责辖区内生产基地的监管。\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [["法规股"], ["农环站"], ["执法大队"], ["各乡(镇、街道)"]]
    assert tasks[0].text == "法规股负责综合协调工作"


def test_clauses_inside_an_assignment_bracket_are_no_digest() -> None:
    text = (COVER + "一、全面落实改革任务\n(一)促进经济发展。巩固公有制经济(分管副省长负责,省国资委牵头。有关部门配合,下同)。"
            "鼓励非公有制经济发展(分管副省长负责,省经信委、省发改委负责)。推进注册便利化(分管副省长负责,省工商局牵头)。\n")
    tasks = parse_text(text).tasks
    assert all(not t.text.startswith(("省国资委", "省经信委", "省工商局")) for t in tasks)


def test_role_verbs_after_a_duty_phrase_and_bodies_after_an_inner_by() -> None:
    text = (COVER + "一、优化审批\n(一)优化养老项目审批。整合审批流程。(牵头部门:市住建局,市民政局按照职责分工牵头;责任单位:各区县政府)\n"
            "(二)落实奖励资金。奖励审核认定由县商务局、县发改局牵头,县财政局等部门配合。\n")
    one, two = parse_text(text).tasks
    assert names(one.lead) == ["市住建局", "市民政局"] and names(one.responsible) == ["各区县政府"]
    assert names(two.lead) == ["县商务局", "县发改局"] and names(two.cooperating) == ["县财政局"]


def test_a_digest_of_a_division_names_counted_tasks_and_closing_bodies() -> None:
    text = ("国务院明确重点工作部门分工\n需要国家卫生健康委参加的工作共计12项,有3项由国家卫生健康委牵头,分别是抓好传染病防治;"
            "抓好青少年近视防治;完善生育配套政策。\n国家卫生健康委还参与多项工作。例如,完善药品集中采购机制,由国家医保局、"
            "国家卫生健康委等分工负责。加强重大疾病防治,由国家卫生健康委、科技部等分工负责。支持中医药事业传承创新发展,"
            "由国家中医药局牵头。\n")
    tasks = parse_text(text).tasks
    assert [t.text for t in tasks] == ["抓好传染病防治", "抓好青少年近视防治", "完善生育配套政策", "完善药品集中采购机制",
                                       "加强重大疾病防治", "支持中医药事业传承创新发展"]
    assert [names(t.lead) for t in tasks] == [["国家卫生健康委"]] * 3 + [[], [], ["国家中医药局"]]
    assert names(tasks[3].responsible) == ["国家医保局", "国家卫生健康委"]


def test_a_counted_list_whose_count_disagrees_gives_nothing() -> None:
    text = "某委重点工作分工\n有2项由市发改委牵头,分别是推进项目建设;优化营商环境;扩大有效投资。\n"
    assert parse_text(text).tasks == []


def test_a_prose_paragraph_whose_sentences_each_open_with_their_bodies_is_a_list_of_tasks() -> None:
    text = ("北京市民生实事出时间表\n《通知》要求,今年11月底前,市经信委要新增发放卡片500万张。市住建委、市发改委等要建设保障性住房5万套。"
            "市交通委、市公安局和区政府要新增公共自行车1万辆。\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [["市经信委"], ["市住建委", "市发改委"], ["市交通委", "市公安局", "区政府"]]
    assert tasks[0].text.startswith("市经信委要") and tasks[0].confidence.level == "medium"
    assert tasks[0].deadline is not None and tasks[0].deadline.text == "今年11月底前", "the clause before its subject"
    assert tasks[1].deadline is None
    check_spans(parse_text(text))


def test_sentence_subjects_make_no_tasks_where_the_notice_assigns_otherwise() -> None:
    text = (COVER + "一、重点任务\n1.推进审批改革。(市审改办牵头)\n二、保障措施\n市发改委要加强统筹。市财政局要保障经费。"
            "市教育局要做好宣传。\n")
    assert [t.number for t in parse_text(text).tasks] == ["1"]


def test_a_tables_totals_category_and_second_header_rows_are_no_tasks() -> None:
    text = ("某市民生实事7月进展情况表\n"
            "序号 | 项目名称 | 建设内容 | 年度计划投资 | 7月进展情况 | 责任单位 |\n"
            "完成投(筹)资 | 投(筹)资完成率 | 实施情况 |\n"
            "合计:11大类56个项目 | 511210 | 393942 | 77.1% |\n"
            "一、社保惠民 | 社保惠民5个项目合计 | 94148 | 88753 | 94.3% |\n"
            "1 | 实施城乡居民基本养老保险工程 | 对参保人员缴费予以补贴 | 40000 | 56280 | 140.7% | 参保121万人 | 市人社局 市财政局 |\n"
            "2 | 困难群众基本生活救助项目 | 按时发放救助金 | 50000 | 30529 | 61.1% | 发放低保补助金 | 市民政局 |\n")
    tasks = parse_text(text).tasks
    assert [t.number for t in tasks] == ["1", "2"]
    assert tasks[0].section_path == ["一、社保惠民"]


def test_a_subject_whose_name_holds_he_is_one_body() -> None:
    text = PROSE_PLAN.replace("县生态环境局、县住建局应按照职责分工", "县住房和城乡建设局和县生态环境局应按照职责分工")
    two = parse_text(text).tasks[1]
    assert names(two.responsible) == ["县住房和城乡建设局", "县生态环境局"]


def test_a_division_of_duties_one_paragraph_per_body_is_a_list_of_tasks() -> None:
    text = ("某区村庄环境整治任务分工\n现将各单位任务明确如下:\n区住建局负责全区村庄环境整治总协调工作,指导督查村庄建设。\n"
            "区委农办要结合全区建设任务,指导新社区建设。\n按年度任务督查推进。\n区财政局负责专项经费的落实。\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [["区住建局"], ["区委农办"], ["区财政局"]]
    assert tasks[1].text.endswith("按年度任务督查推进。"), "a paragraph opening with no body is more of the one before"
    assert all(t.confidence.level == "medium" for t in tasks)
    check_spans(parse_text(text))


def test_two_paragraphs_opening_with_a_body_and_collectives_are_no_division_of_duties() -> None:
    text = ("某区村庄环境整治通知\n区住建局负责总协调工作。\n区财政局负责专项经费的落实。\n各镇要加强领导。\n各村要落实责任。\n")
    assert parse_text(text).tasks == []


def test_in_a_prose_plan_a_subject_after_a_short_time_clause_is_the_unit() -> None:
    text = PROSE_PLAN.replace("县水务局要组织全面排查", "汛期前,县水务局要组织全面排查")
    assert names(parse_text(text).tasks[0].responsible) == ["县水务局"]


def test_a_bracket_may_state_the_first_listed_convention_and_the_rest_as_participants() -> None:
    text = (COVER + "一、重点任务\n1.延伸产业链。(市商务局、市科技局,市税务局。列为首位的为牵头单位,其余为参与单位,下同)\n"
            "2.优化产品结构。(市发改委、市工信局)\n")
    one, two = parse_text(text).tasks
    assert names(one.lead) == ["市商务局"] and names(one.cooperating) == ["市科技局", "市税务局"]
    assert names(one.responsible) == []
    assert names(two.lead) == ["市发改委"] and names(two.cooperating) == ["市工信局"]


def test_a_merged_unit_cell_written_once_is_carried_down_the_rows_it_spans() -> None:
    """A one-cell-per-line table whose unit, person and deadline cells span several rows: the
    page writes them in the first row only; the rows under it take them, flagged medium."""
    text = ("某区民政局民生实事项目进展情况\n序号\n重点工作任务\n牵头单位\n负责科室\n负责人\n计划完成时间\n进展情况\n"
            "1\n新增老年食堂15个\n区民政局\n养老服务科\n何某\n11月底前\n已建成3个。\n"
            "2\n新增照护床位100张\n10月底前\n已完成选址。\n"
            "3\n建成区级老年活动中心\n目前正在装修。\n")
    tasks = parse_text(text).tasks
    assert [names(t.lead) for t in tasks] == [["区民政局"]] * 3
    assert [names(t.responsible) for t in tasks] == [["养老服务科"]] * 3
    assert [t.deadline.text if t.deadline else None for t in tasks] == ["11月底前", "10月底前", "10月底前"]
    assert [t.confidence.level for t in tasks] == ["high", "medium", "medium"]
    assert [(p.role, p.text) for p in tasks[0].leaders] == [("负责人", "何某")]
    first = tasks[0].span
    for unit in tasks[2].lead + tasks[2].responsible:  # the span is where the merged cell is written
        assert first[0] <= unit.span[0] < unit.span[1] <= first[1] and text[unit.span[0]:unit.span[1]] == unit.text


def test_a_pipe_tables_empty_unit_cell_is_not_filled_from_above() -> None:
    text = ("某县重点工作台账\n序号 | 工作任务 | 责任单位 | 完成时限 |\n1 | 建设产业园区 | 县发改局 | 6月底前 |\n"
            "2 | 完善物流体系 |  | 9月底前 |\n")
    tasks = parse_text(text).tasks
    assert names(tasks[0].responsible) == ["县发改局"]
    assert all(names(t.responsible) == [] for t in tasks[1:])


def test_the_closing_signature_is_no_cell_of_the_last_table_row() -> None:
    """松河区民政局 / 2032年4月8日 after a one-cell-per-line table look like a unit cell and a
    deadline cell of its last row; they are the document's signature."""
    text = ("某区民政局民生实事项目进展情况\n序号\n重点工作任务\n牵头单位\n计划完成时间\n进展情况\n"
            "1\n新增老年食堂15个\n区民政局\n11月底前\n已建成3个。\n"
            "2\n新增照护床位100张\n已完成选址。\n松河区民政局\n2032年4月8日\n")
    n = parse_text(text)
    assert [names(t.lead) for t in n.tasks] == [["区民政局"], ["区民政局"]], "carried down, not the signature"
    assert [t.deadline.text for t in n.tasks if t.deadline] == ["11月底前", "11月底前"]
    assert (n.meta.issuer, n.meta.issue_date) == ("松河区民政局", "2032-04-08")


def test_duty_paragraphs_are_read_in_a_notice_that_also_has_a_table() -> None:
    text = ("某区重点工作安排\n现将各单位任务明确如下:\n区住建局负责危房改造。\n区委农办要统筹协调。\n"
            "规划分局负责村庄规划编制。\n各街道办事处要落实属地责任。\n二、项目进展\n序号 | 工作任务 | 责任单位 |\n"
            "1 | 新增老年食堂 | 区民政局 |\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [["区住建局"], ["区委农办"], ["规划分局"], ["各街道办事处"], ["区民政局"]]


def test_a_subject_that_goes_on_to_lead_is_the_lead() -> None:
    text = PROSE_PLAN.replace("县水务局要组织全面排查", "县水务局要继续牵头组织全面排查")
    one, two = parse_text(text).tasks
    assert names(one.lead) == ["县水务局"] and names(two.lead) == []


def test_a_duty_paragraph_joined_to_the_continuation_before_it_still_opens_a_task() -> None:
    """A PDF reader may join 同时,要…。 and the next body's paragraph into one: the body's
    sentence opens its task; the words before it stay with the paragraph above."""
    text = ("某区村庄环境整治任务分工\n区住建局负责危房改造。\n规划分局负责村庄规划编制。\n"
            "同时,要做好农房建设规划许可服务。区人社局负责工匠培训。\n区财政局负责保障经费。\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [["区住建局"], ["规划分局"], ["区人社局"], ["区财政局"]]
    assert tasks[1].text.endswith("规划许可服务。") and tasks[2].text == "区人社局负责工匠培训。"


def test_a_closing_bracket_followed_by_a_lost_character_still_assigns() -> None:
    text = COVER + "二、重点工作\n(一)优化产业布局.推动加工产能向主产区聚集. (市农业局、市发改委等负责)?\n"
    (task,) = parse_text(text).tasks
    assert names(task.responsible) == ["市农业局", "市发改委"]


def test_the_paragraphs_under_a_heading_that_divide_duties_are_its_tasks() -> None:
    text = (COVER + "三、措施与要求\n(一)加强领导、明确职责\n全市工程建设实行目标责任制。市政府成立领导小组,市领导小组负责协调。\n"
            "市直各有关部门要各司其职,具体要求是:\n市水务部门作为牵头责任单位,负责审查工程规划。\n"
            "市发展改革部门负责项目审批。\n市财政部门负责资金拨付。\n(二)加强宣传\n")
    tasks = parse_text(text).tasks
    assert [(names(t.lead), names(t.responsible)) for t in tasks] == [
        (["市水务部门"], []), ([], ["市发展改革部门"]), ([], ["市财政部门"])]
    assert all(t.section_path[-1].startswith("(一)加强领导") for t in tasks)


def test_numbered_label_lines_under_a_project_are_its_labels_and_fields() -> None:
    """三、实施…工程 / (一)责任领导:… / (二)责任单位:… / (三)协办单位:… / (四)项目内容…:… /
    (五)资金筹措:… / (六)完成时限:…: numbered lines that each open with a label are the
    fields of the project above them, not items of their own; (四)项目… is a marker too
    (项 after a bracketed number is no quantity)."""
    text = ("某市十件实事责任分解方案\n一、实施农村学校改水改厕工程\n(一)责任领导:王某\n(二)责任单位:市教育局\n"
            "(三)协办单位:市财政局、市农业局\n(四)项目内容及任务分解:计划安排200所。\n(五)资金筹措:预计投入2000万元。\n"
            "(六)完成时限:2031年内\n二、建设通村水泥路1500公里\n(一)责任领导:李某\n(二)责任单位:市交通局\n"
            "(三)协办单位:各县市区人民政府\n(四)项目内容及任务分解:\n1、新建通村水泥路1500公里。\n2、纳入养护范围。\n"
            "(五)完成时限:2031年10月底\n")
    one, two = parse_text(text).tasks
    assert (one.number, names(one.responsible), names(one.cooperating)) == ("一", ["市教育局"], ["市财政局", "市农业局"])
    assert one.deadline is not None and one.deadline.text == "2031年内"
    assert [f.label for f in one.fields] == ["项目内容及任务分解", "资金筹措"]
    assert (two.number, names(two.responsible), two.deadline.text if two.deadline else None) == (
        "二", ["市交通局"], "2031年10月底")


def test_a_subject_that_cooperates_and_the_bodies_it_helps() -> None:
    """交通部门协助文化、文物部门做好… / 请各区配合市疾控中心的督导检查: the subject of 配合 or
    协助 cooperates, and the bodies named right after the verb (or whose work it is) lead."""
    text = ("某市文物普查工作实施方案\n各职能部门具体职责:\n1.财政部门负责普查预算审核。\n"
            "2.交通部门协助文化、文物部门做好古桥梁的普查工作。\n3.林业部门配合市文物局开展林区文物普查。\n"
            "4.请各区配合市疾病预防控制中心的督导检查工作。\n5.县广电主管部门指导搭建应急广播系统。\n")
    tasks = parse_text(text).tasks
    assert [(names(t.lead), names(t.responsible), names(t.cooperating)) for t in tasks] == [
        ([], ["财政部门"], []), (["文化部门", "文物部门"], [], ["交通部门"]), (["市文物局"], [], ["林业部门"]),
        (["市疾病预防控制中心"], [], ["各区"]), ([], ["县广电主管部门"], [])]
    check_spans(parse_text(text))


def test_a_news_report_of_a_division_of_work_gives_a_task_per_sentence_that_names_its_bodies() -> None:
    """《意见》要求X、Y等按职责分工负责,年内持续推进 / X、Y等部门还将负责推动…: a report names
    the bodies inside each task's sentence; read only where nothing else assigns, and never a
    cover letter's own arrangement (由办公室负责抓好督办)."""
    text = ("某网讯 国务院日前印发关于落实重点工作分工的意见(以下简称《意见》)。\n"
            "其中,在提到“降低一般工商业电价”时,《意见》明确,由国家发展改革委、国家能源局等按职责分工负责,12月底前完成。\n"
            "《意见》要求生态环境部、住房城乡建设部等按职责分工负责,年内持续推进。\n"
            "发展改革委、财政部等部门还将负责推动区域协调发展。\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [
        ["国家发展改革委", "国家能源局"], ["生态环境部", "住房城乡建设部"], ["发展改革委", "财政部"]]
    assert tasks[0].text.startswith("其中,在提到") and tasks[0].deadline is not None
    assert all(t.confidence.level == "medium" for t in tasks), "a reading to confirm"
    cover = COVER + "请认真贯彻执行。具体工作由市政府办公室负责抓好综合督办。\n"
    assert parse_text(cover).tasks == []


def test_a_subject_read_in_the_last_sub_item_stays_with_it() -> None:
    """(一)…(二)市政府办公室在每年年底前…: a sub-item whose own sentence names its body is a
    task; its unit is not lifted to the heading above, as a closing label line's would be."""
    text = ("某市市长热线工作制度\n一、总则\n为做好热线工作,制定本制度。\n二、接听安排\n(一)每月安排一次接听活动。\n"
            "(二)市政府办公室在每年年底前对次年接听活动作出安排。\n三、附则\n本制度自印发之日起施行。\n")
    (task,) = parse_text(text).tasks
    assert (task.number, names(task.responsible)) == ("二", ["市政府办公室"])
    assert task.section_path[-1].startswith("二、接听安排")


def test_a_reports_pair_of_roles_in_one_clause() -> None:
    """…《方案》提出由市城投集团牵头,市应急局、市水务局配合 / …工作由市文广旅局负责,市商务局参与."""
    text = ("【某市新闻网】某市明确城市更新分工\n某市人民政府办公室印发了《某市城市更新分工方案》(以下简称《方案》)。\n"
            "针对城市生命线安全问题,《方案》提出由市城投集团牵头,市应急局、市水务局配合,9月底前建成监测平台。\n"
            "此外,历史文化街区保护利用工作由市文广旅局负责,市商务局参与。\n")
    one, two = parse_text(text).tasks
    assert (names(one.lead), names(one.cooperating)) == (["市城投集团"], ["市应急局", "市水务局"])
    assert (names(two.responsible), names(two.cooperating)) == (["市文广旅局"], ["市商务局"])


def test_a_table_after_an_attachment_line_stands_under_no_earlier_heading() -> None:
    """四、工作要求 … 附件:进度计划表 then the table: its rows are the attachment's, not the
    section's above it, and a cell that says 按市政府通知另行确定 names no unit (kept as a field)."""
    text = (COVER + "一、工作要求\n各单位要按期完成。\n附件:2031年进度计划表\n序号 | 工作任务 | 牵头单位 | 配合单位\n"
            "1 | 新增停车泊位2000个 | 市城管局 | 市住建局\n2 | 改造供水管网 | 市水务局 | 按市政府通知另行确定\n")
    one, two = parse_text(text).tasks
    assert one.section_path == [] and two.section_path == []
    assert names(two.lead) == ["市水务局"] and two.cooperating == []
    assert [f.text for f in two.fields] == ["按市政府通知另行确定"]


def test_a_two_character_body_before_its_duties_colon() -> None:
    """(二)经委:每月终了后20日内向税务部门提供…: 经委 is a body when it keys its duties."""
    text = ("某市房地产业税收管理工作的通知\n各有关部门:\n(一)发改委:每季度终了后20日内向税务部门提供项目计划。\n"
            "(二)经委:每月终了后20日内向税务部门提供行业情况。\n(三)教育局:每季度终了后20日内提供办学情况。\n")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [["发改委"], ["经委"], ["教育局"]]


def test_a_sites_footer_after_the_last_task_is_no_task_the_page_end_cut() -> None:
    text = (COVER + "一、重点任务\n(一)加大财政支持力度\n统筹利用专项资金支持企业。(市财政局负责)\n(二)强化宣传教育\n"
            "组织群众性宣传教育活动。(市市场监管局负责)\n\n如发现本站文章存在版权问题,烦请联系editor@example.com我们将及时处理。\n"
            "某某情报网\n扫一扫,每天阅读\n免费高价值报告\n")
    tasks = parse_text(text).tasks
    assert [(t.number, t.warnings) for t in tasks] == [("一", []), ("二", [])]


def test_duty_lines_keyed_by_their_body_before_a_colon_under_a_heading() -> None:
    """二、明确部门责任分工 / 市发展改革委:负责… / 市住房城乡建设局:负责… / 市城乡规划局:负责…<cut>:
    one task per body, its words after the colon; the page's last line counts though cut."""
    text = ("某市产业集聚区工作机制的通知\n一、完善联席会议制度\n进一步完善联席会议制度。\n二、明确部门责任分工\n"
            "市发展改革委:负责拟订促进产业集聚区发展的政策措施。\n市住房城乡建设局:负责指导协调推进基础设施建设。\n"
            "市城乡规划局:负责指导空间规划、控制性详")
    tasks = parse_text(text).tasks
    assert [names(t.responsible) for t in tasks] == [["市发展改革委"], ["市住房城乡建设局"], ["市城乡规划局"]]
    assert tasks[0].text.startswith("负责拟订") and tasks[0].section_path == ["二、明确部门责任分工"]


def test_a_heading_that_is_only_a_bodys_name_and_its_other_names_is_the_unit() -> None:
    """(一)综合办公室(党群工作部、督查室) / (1)年度主要任务与要求: / ①…: the bracket gives the
    office's other names, not an assignment to them; the whole name is the unit."""
    text = ("某园区部室简介\n(一)综合办公室(党群工作部、督查室)\n(1)年度主要任务与要求:\n①完成宣传上稿8篇。\n"
            "(二)招商合作局(行政审批局、政务服务中心)\n(1)年度主要任务与要求:\n①制作园区招商手册。\n")
    tasks = parse_text(text).tasks
    assert [[u.text for u in t.responsible] for t in tasks] == [
        ["综合办公室(党群工作部、督查室)"], ["招商合作局(行政审批局、政务服务中心)"]]
    for t in tasks:
        u = t.responsible[0]
        assert parse_text(text).text[u.span[0]:u.span[1]] == u.text
