"""Task tables in notice text: every layout the readers and web pages produce.

The small tables here are written for these tests (invented tasks and offices); the
corpus test at the end runs over ../shared when it is present.
"""

from __future__ import annotations

import csv
import json
import math
import os

import pytest

from parser.lines import split_lines
from parser.tables import Cell, Row, Table, find_tables, header_role, kind_of
from parser.textnorm import match_text

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "unlabelled")


def tables_of(text: str) -> list[Table]:
    tables = find_tables(text, split_lines(text, match_text(text)))
    for table in tables:
        for row in table.rows:
            for cell in _all_cells(row):
                if cell is row.group:  # a merged 序号 and project ("2 工业经济") over what divides them
                    assert _squeezed(text[cell.start : cell.end]) == _squeezed(cell.text), cell
                else:
                    assert text[cell.start : cell.end] == cell.text, cell
                assert cell.text == cell.text.strip()
            assert row.start <= row.end
    return tables


def _squeezed(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace() and ch != "|")


def _all_cells(row: Row) -> list[Cell]:
    out = [c for cells in row.cells.values() for c in cells]
    out += [c for c in (row.title, row.group) if c is not None]
    return out


def texts(row: Row, role: str) -> list[str]:
    return [c.text for c in row.cells.get(role, [])]


def tasks(table: Table) -> list[Row]:
    return [r for r in table.rows if r.kind == "task"]


# ---------------------------------------------------------------- header words


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("分 管 县领导", "leader"),
        ("牵头责任单位", "lead"),
        ("协同责任单位", "cooperating"),
        ("责任科室", "responsible"),
        ("时限要求", "deadline"),
        ("完成时限", "deadline"),
        ("时间节点", "deadline"),
        ("目标与任务", "task"),
        ("具体措施", "task"),
        ("序号", "number"),
        ("（序号）", "number"),
        ("进一步明确各项工作任务的牵头单位和完成时限。", None),
        ("县教育局", None),
    ],
)
def test_header_role(cell: str, role: str | None) -> None:
    assert header_role(match_text(cell)) == role


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("12", "num"),
        ("县住建局", "unit"),
        ("县财政局、县审计局、各乡镇", "unit"),
        ("2所", "short"),
        ("年底前", "deadline"),
        ("2025年6月底前", "deadline"),
        ("持续推进", "deadline"),
        ("王小明", "name"),
        ("85%", "pct"),
        ("（一）完善城乡基础设施", "section"),
        ("新建口袋公园8个，改造背街小巷12条。", "text"),
    ],
)
def test_kind_of(text: str, kind: str) -> None:
    assert kind_of(match_text(text)) == kind


# ---------------------------------------------------------------- layout 1: pipe rows

PIPE = """关于印发某县2031年重点任务分解表的通知
附件
序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限
（一）提升城乡面貌
1 | 新建口袋公园8个，改造背街小巷12条。 | 县住建局 | 县城管局、各街道 | 2031年10月底前
|
2 | 完成农村公路提档升级60公里。 | 县交通局 | 县财政局 | 年底前
3 | 实施老旧小区改造15个，惠及居民3000户。 | 县住建局、县发改委 | 12月底前
| （二）办好民生实事 | | | |
4 | 新增普惠托位200个。 | 县卫健委 | 各乡镇 | 持续推进
- 3 -
序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限
5 | 建成社区食堂10家。 | 县民政局 | 各街道 | 9月底前
"""


def test_pipe_rows_roles_sections_and_spans() -> None:
    (table,) = tables_of(PIPE)
    assert table.columns == ["number", "task", "lead", "responsible", "deadline"]
    kinds = [r.kind for r in table.rows]
    assert kinds == ["section", "task", "task", "task", "section", "task", "task"]
    assert table.rows[0].title is not None and table.rows[0].title.text == "（一）提升城乡面貌"
    assert table.rows[4].title is not None and table.rows[4].title.text == "（二）办好民生实事"
    one, two, three, four, five = tasks(table)
    assert texts(one, "number") == ["1"]
    assert texts(one, "lead") == ["县住建局"]
    assert texts(one, "responsible") == ["县城管局、各街道"]
    assert texts(one, "deadline") == ["2031年10月底前"]
    assert texts(two, "task") == ["完成农村公路提档升级60公里。"]
    # four cells for five columns: the unit list goes to a unit column, the date to the deadline
    assert texts(three, "deadline") == ["12月底前"]
    assert texts(three, "lead") + texts(three, "responsible") == ["县住建局、县发改委"]
    assert texts(four, "deadline") == ["持续推进"]
    # the repeated header after the page number is skipped, the table goes on
    assert texts(five, "task") == ["建成社区食堂10家。"]
    assert table.header_start == PIPE.index("序号")
    assert table.end == PIPE.index("9月底前") + len("9月底前")


def test_pipe_header_any_order_and_leading_pipes() -> None:
    text = "| 完成时限 | 责任单位 | 工作任务 |\n| 6月底前 | 市科技局 | 认定高新技术企业30家。 |\n| 年内 | 市商务局 | 引进外资项目5个以上。 |\n"
    (table,) = tables_of(text)
    assert table.columns == ["deadline", "responsible", "task"]
    rows = tasks(table)
    assert [texts(r, "responsible") for r in rows] == [["市科技局"], ["市商务局"]]
    assert texts(rows[1], "deadline") == ["年内"]


def test_two_line_pipe_header_and_next_table() -> None:
    text = (
        "序号 | 重点任务 | 责任单位 | 责任单位 | 完成时限\n"
        "序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限\n"
        "1 | 建成智慧社区15个。 | 县民政局 | 县数据局 | 11月底前\n"
        "序号 | 民生实事 | 责任单位 | 完成时限\n"
        "1 | 新建公厕20座。 | 县城管局 | 6月底前\n"
    )
    first, second = tables_of(text)
    assert first.columns == ["number", "task", "lead", "cooperating", "deadline"]
    (row,) = tasks(first)
    assert texts(row, "cooperating") == ["县数据局"]
    assert second.columns == ["number", "task", "responsible", "deadline"]
    assert texts(tasks(second)[0], "responsible") == ["县城管局"]


def test_group_column_repeated_by_reader() -> None:
    text = (
        "工作任务 | 具体要求 | 责任单位 | 完成时间\n"
        "优化营商环境 | 压缩企业开办时间至1个工作日。 | 县市场监管局 | 6月底前\n"
        "优化营商环境 | 推行涉企事项一网通办。 | 县数据资源局 | 年底前\n"
    )
    (table,) = tables_of(text)
    assert table.columns == ["group", "task", "responsible", "deadline"]
    rows = tasks(table)
    assert all(r.group is not None and r.group.text == "优化营商环境" for r in rows)
    assert texts(rows[1], "task") == ["推行涉企事项一网通办。"]


def test_headerless_pipe_rows_inferred_from_content() -> None:
    text = "\n".join(
        f"{i} | 改造提升第{i}批农贸市场，完善配套设施建设。 | 县商务局 | 已完成主体工程的{i}0%。 | 按时序推进 |"
        for i in range(1, 5)
    )
    (table,) = tables_of(text)
    assert table.columns[:3] == ["number", "task", "responsible"]
    assert len(tasks(table)) == 4


def test_not_a_table() -> None:
    text = "各乡镇人民政府，县直各单位：\n请各责任单位认真研究，明确牵头单位和完成时限。\n索引号: | 0001 | 成文日期: | 2031-01-01 |\n"
    assert tables_of(text) == []


# ---------------------------------------------------------------- layout 2: one cell per line

STACKED_BAR = """工作任务
|
具体要求
|
责任科室
|
时限要求
|
规范信息发布
|
1
|
及时更新政务公开专栏栏目内容。
|
综合科
|
年底前
|
2
|
建立信息发布审核台账。
|
综合科
|
持续推进
|
加强队伍建设
|
3
|
每季度组织一次业务培训。
|
人事科
|
每季度
|
"""


def test_stacked_cells_with_bar_lines_and_groups() -> None:
    (table,) = tables_of(STACKED_BAR)
    assert table.columns == ["group", "number", "task", "responsible", "deadline"]
    rows = tasks(table)
    assert [texts(r, "number") for r in rows] == [["1"], ["2"], ["3"]]
    groups = [r.group.text if r.group else None for r in rows]
    assert groups == ["规范信息发布", "规范信息发布", "加强队伍建设"]
    assert texts(rows[1], "deadline") == ["持续推进"]
    assert texts(rows[2], "responsible") == ["人事科"]


STACKED_TRAILING = """序号 |
目标与任务 |
分 管 县领导 |
牵头责任单位 |
责任单位 |
31 |
推进城区雨污分流改造，年内完成管网建设40公里。 |
赵 刚 |
县住建局 |
县城管局 |
32 |
新建公共充电桩500个。 |
赵 刚 钱 丽 |
县发改委 |
县各有关单位 |
"""


def test_stacked_cells_with_trailing_bars() -> None:
    (table,) = tables_of(STACKED_TRAILING)
    assert table.columns == ["number", "task", "leader", "lead", "responsible"]
    a, b = tasks(table)
    assert texts(a, "number") == ["31"] and texts(b, "number") == ["32"]
    assert texts(b, "leader") == ["赵 刚 钱 丽"]
    assert texts(b, "lead") == ["县发改委"]


STACKED_BARE = """2031年重点工作分解表
序号
主要工作举措
牵头单位
配合单位
责任领导
一、壮大特色产业
1
推动农产品加工园区扩区提质，新引进加工企业5家。
县农业农村局
县发改局、县商务局
2
建设冷链物流中心一处。
县商务局
县交通局、各镇政府
孙红
二、提升公共服务
3
新建乡镇卫生院2所。
县卫健局
县卫健局
县财政局
孙红
4
新建中心幼儿园1所。
县教育局
县财政局
李明
开工建设老年大学。
县民政局
附件下载
"""


def test_stacked_bare_lines_missing_cell_sections_and_sub_rows() -> None:
    (table,) = tables_of(STACKED_BARE)
    assert table.columns == ["number", "task", "lead", "cooperating", "leader"]
    kinds = [r.kind for r in table.rows]
    assert kinds == ["section", "task", "task", "section", "task", "task"]
    one, two, three, four = tasks(table)
    # row 1 has no 责任领导 cell at all: units stay in unit columns, no leader is invented
    assert texts(one, "lead") == ["县农业农村局"]
    assert texts(one, "cooperating") == ["县发改局、县商务局"]
    assert "leader" not in one.cells
    assert texts(two, "leader") == ["孙红"]
    # a cell split over two lines gives two Cells in one column
    assert texts(three, "cooperating") == ["县卫健局", "县财政局"]
    # a sub-row without a number continues task 4; the page footer is not part of it
    assert texts(four, "task") == ["新建中心幼儿园1所。", "开工建设老年大学。"]
    assert "附件下载" not in [c.text for c in _all_cells(four)]


def test_stacked_without_number_column() -> None:
    text = (
        "主要工作任务\n牵头单位\n责任单位\n"
        "一、加快动能转换\n"
        "1.培育数字经济核心企业20家，数字经济增加值增长10%。\n区发改局\n区工信局、区商务局\n"
        "2.建设人工智能应用场景10个。\n区工信局\n区科技局\n各街道办事处\n"
    )
    (table,) = tables_of(text)
    assert table.columns == ["task", "lead", "responsible"]
    assert [r.kind for r in table.rows] == ["section", "task", "task"]
    two = tasks(table)[1]
    assert texts(two, "lead") == ["区工信局"]
    assert texts(two, "responsible") == ["区科技局", "各街道办事处"]


# ---------------------------------------------------------------- layout 3: white space

SPACED = """2031年民生实事完成情况表
序号  实事项目名称  责任单位  目标任务  完成情况  备注
1  新增城镇就业  县人社局  5000人  4200  完成84%
2  改造农村危房  县住建局  300户  260  主体完工
3  深化养老服务提升行动  新增养老床位  县民政局  100张  90
提升居家养老服务覆盖率  县民政局  80%  75%
"""


def test_space_separated_rows_and_sub_rows() -> None:
    (table,) = tables_of(SPACED)
    assert table.columns[:3] == ["number", "task", "responsible"]
    one, two, three = tasks(table)
    assert texts(one, "task") == ["新增城镇就业"]
    assert texts(one, "responsible") == ["县人社局"]
    assert texts(two, "number") == ["2"]
    # the unnumbered line is a sub-row of item 3: its cells join item 3
    assert "提升居家养老服务覆盖率" in texts(three, "task")
    assert texts(three, "responsible") == ["县民政局", "县民政局"]


def test_space_separated_header_words_split_by_spaces() -> None:
    text = (
        "序号 重点工作任务 牵头  领导 牵头     责任单位 配合     责任单位\n"
        "7 建成区域医疗中心一处，提升县域就诊率。 周  伟 县卫健委 县医保局\n"
        "县财政局\n"
        "8 新增家庭医生签约5000人。 周  伟 县卫健委 各乡镇\n"
    )
    (table,) = tables_of(text)
    assert table.columns == ["number", "task", "leader", "lead", "cooperating"]
    seven, eight = tasks(table)
    assert texts(seven, "leader") == ["周  伟"]
    assert texts(seven, "cooperating") == ["县医保局", "县财政局"]
    assert texts(eight, "lead") == ["县卫健委"]


# ---------------------------------------------------------------- layout 4: box drawing

BOX = """┌──────────────┬────┬──────┬────┐
│ 工 作 任 务  │分管领│牵头单位  │完成时限│
│              │ 导   │          │        │
├──────────────┼────┼──────┼────┤
│推进城乡供水一体化│陈东  │县水利局  │年底前  │
│，新建水厂一座    │      │          │        │
├──────────────┤      ├──────┤        │
│完善农村污水收集  │      │县生态环境│        │
│管网50公里        │      │分局      │        │
├──────────────┼────┼──────┼────┤
│实施城区绿化提升  │林芳  │县城管局  │9月底前 │
└──────────────┴────┴──────┴────┘
"""


def test_box_drawing_table_with_rowspans_and_multiline_header() -> None:
    (table,) = tables_of(BOX)
    assert table.columns == ["task", "leader", "lead", "deadline"]
    a, b, c = tasks(table)
    assert texts(a, "task") == ["推进城乡供水一体化", "，新建水厂一座"]
    assert texts(a, "leader") == ["陈东"]
    # the leader and deadline cells continue over the partial rule: merged down
    assert texts(b, "leader") == ["陈东"]
    assert texts(b, "deadline") == ["年底前"]
    assert texts(b, "lead") == ["县生态环境", "分局"]
    assert texts(c, "leader") == ["林芳"]
    assert texts(c, "deadline") == ["9月底前"]
    assert table.header_start == BOX.index("│ 工 作")


CATEGORY_BOX = """┌────────────────┬────┬───────┬────┐
│ 工 作 任 务    │分管领导│牵头单位     │完成时限│
├────────────────┼────┼───────┼────┤
│做好财税工作    │王明  │市财政局、国 │年内见成│
├────────────────┤    │家税务局     │ 效  │
│△调整支出结构    │    ├───────┤    │
│△加强财政监督    │    │市教育局、各 │    │
├────────────────┤    │县(市、区)政│    │
│优先发展教育    │    │府           │    │
├────────────────┤    │             │    │
│△安排资金支持学校│    │             │    │
└────────────────┴────┴───────┴────┘
"""


def test_box_categories_carry_the_merged_unit_cells() -> None:
    """Plain rows heading bulleted sub-items, with no more unit cells than headings: the
    assignment hangs on the categories (each takes the unit cell beside its heading, even
    where that cell's rule falls inside the items above), the items are their text."""
    (table,) = tables_of(CATEGORY_BOX)
    finance, education = tasks(table)
    assert texts(finance, "task") == ["做好财税工作", "△调整支出结构", "△加强财政监督"]
    assert texts(finance, "lead") == ["市财政局、国", "家税务局"]
    assert texts(education, "task")[0] == "优先发展教育"
    assert texts(education, "lead") == ["市教育局、各", "县(市、区)政", "府"]
    assert texts(education, "deadline") == ["年内见成", "效"]


def test_box_bulleted_items_with_unit_cells_of_their_own_are_tasks() -> None:
    text = ("┌──────────────┬──────┐\n"
            "│ 工作任务     │牵头单位  │\n"
            "├──────────────┼──────┤\n"
            "│做好财税工作  │          │\n"
            "├──────────────┼──────┤\n"
            "│△调整支出结构  │市财政局  │\n"
            "├──────────────┼──────┤\n"
            "│△加强税源监控  │市税务局  │\n"
            "└──────────────┴──────┘\n")
    (table,) = tables_of(text)
    one, two = tasks(table)
    assert texts(one, "lead") == ["市财政局"]
    assert texts(two, "lead") == ["市税务局"]
    assert table.rows[0].kind == "section"


def test_ascii_box_table() -> None:
    text = (
        "+------+----------------+----------+\n"
        "| 序号 | 工作任务       | 责任单位 |\n"
        "+------+----------------+----------+\n"
        "| 1    | 建设智慧停车场 | 县交通局 |\n"
        "+------+----------------+----------+\n"
        "| 2    | 更新公交车20辆 | 县交通局 |\n"
        "+------+----------------+----------+\n"
    )
    (table,) = tables_of(text)
    assert table.columns == ["number", "task", "responsible"]
    assert [texts(r, "number") for r in tasks(table)] == [["1"], ["2"]]


# ---------------------------------------------------------------- cells run together


def test_run_on_cells_split_at_numbers_and_anchors() -> None:
    text = (
        "2031年民生实事责任分解表序号实事名称主要内容分管领导牵头单位配合单位"
        "1扩大优质教育资源新建中小学3所，新增学位2400个。刘建国教育局财政局各街道"
        "2提升社区养老服务新建社区食堂12家。张菁民政局各街道\n"
        "3完善城市路网打通断头路5条。王立交通局住建局\n"
    )
    (table,) = tables_of(text)
    assert table.columns == ["number", "group", "task", "leader", "lead", "cooperating"]
    one, two, three = tasks(table)
    assert texts(one, "task") == ["扩大优质教育资源新建中小学3所，新增学位2400个。"]
    assert texts(one, "leader") == ["刘建国"]
    # Two unit columns ran together: the first unit leads, the rest cooperate, one cell each.
    assert texts(one, "lead") == ["教育局"]
    assert texts(one, "cooperating") == ["财政局", "各街道"]
    assert texts(two, "leader") == ["张菁"]
    assert texts(two, "lead") == ["民政局"]
    assert texts(two, "cooperating") == ["各街道"]
    assert texts(three, "number") == ["3"]


def test_run_on_row_with_words_after_its_units_and_a_sub_row() -> None:
    """The units end where the row's words go on (…轨道公司推进…); a sub-row with its own
    leader and units (…整治。王立住建局…) adds its units to the row."""
    text = (
        "2031年民生实事责任分解表序号项目名称主要内容分管领导牵头单位配合单位"
        "1老城厢复兴发展完成纪念馆整体提升工程。刘建国文旅局城投公司轨道公司"
        "推进核心区改造及老城厢道路整治。王立住建局东街街道西街街道"
        "2优化养老服务为全区老年人提供上门服务。张菁民政局各街道提升改造8家居家养老服务中心。\n"
    )
    (table,) = tables_of(text)
    one, two = tasks(table)
    assert texts(one, "leader") == ["刘建国", "王立"]
    assert texts(one, "lead") == ["文旅局", "住建局"]
    assert texts(one, "cooperating") == ["城投公司", "轨道公司", "东街街道", "西街街道"]
    assert texts(one, "other") == ["推进核心区改造及老城厢道路整治。"]
    assert texts(two, "lead") == ["民政局"] and texts(two, "cooperating") == ["各街道"]
    assert texts(two, "other") == ["提升改造8家居家养老服务中心。"]


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "text",
    [
        "|" * 100_000,
        "│" * 1_000_000,
        ("序号 | 工作任务 | 责任单位\n" + "1 | " + "|" * 50_000 + "\n"),
        "┌" + "─┬" * 50_000 + "┐\n" + "│" * 100_001 + "\n└┘\n",
        "序号\n工作任务\n责任单位\n" + "1\n" * 20_000,
        "序号  工作任务  责任单位\n" + "1 " * 100_000,
    ],
)
def test_hostile_input_is_linear_and_safe(text: str) -> None:
    tables_of(text)


# ---------------------------------------------------------------- the shared corpus


def _flat_sources() -> list[tuple[str, int]]:
    if not os.path.isdir(SHARED):
        return []
    with open(os.path.join(SHARED, "SOURCES.tsv"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(r["file"], _gold_count(r["file"], int(r["approx_task_count"]))) for r in rows if r["style"].startswith("table")]


def _gold_count(name: str, approx: int) -> int:
    """The task count of the file's gold where it has one (SOURCES.tsv's count was a guess
    made before the gold was written), else the guess."""
    gold = os.path.join(SHARED, "gold", os.path.splitext(name)[0] + ".json")
    if not os.path.exists(gold):
        return approx
    with open(gold, encoding="utf-8") as fh:
        return len(json.load(fh)["tasks"])


@pytest.mark.parametrize(("name", "approx"), _flat_sources() or [pytest.param("", 0, marks=pytest.mark.skip("no ../shared corpus"))])
def test_corpus_table_files(name: str, approx: int) -> None:
    with open(os.path.join(SHARED, name), encoding="utf-8") as fh:
        text = fh.read()
    tables = tables_of(text)
    assert tables, name
    best = max(tables, key=lambda t: len(tasks(t)))
    assert len(tasks(best)) >= math.floor(approx * 0.6), (name, len(tasks(best)))
    for table in tables:
        for row in tasks(table):
            assert any(c.text for c in row.cells.get("task", [])), (name, row)


RENDERED = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus", "rendered")


def _rendered_tables() -> list[str]:
    if not os.path.isdir(RENDERED):
        return []
    return sorted(n for n in os.listdir(RENDERED) if ".table." in n and n.endswith((".docx", ".pdf")))


@pytest.mark.parametrize("name", _rendered_tables() or [pytest.param("", marks=pytest.mark.skip("no ../shared rendered files"))])
def test_rendered_table_files_match_gold_task_count(name: str) -> None:
    import json

    from parser.readers import read_file

    gold_path = os.path.join(RENDERED, "..", "gold", name.split(".table.", maxsplit=1)[0] + ".json")
    if not os.path.exists(gold_path):
        pytest.skip("no gold record")
    with open(gold_path, encoding="utf-8") as fh:
        gold = json.load(fh)["tasks"]
    doc = read_file(os.path.join(RENDERED, name))
    rows = [r for t in tables_of(doc.text) for r in tasks(t)]
    assert len(rows) >= math.floor(0.8 * len(gold)), (name, len(rows), len(gold))
    starts = ["".join(c.text for c in r.cells.get("task", [])) for r in rows]
    found = sum(any(s.startswith(g["starts"]) for s in starts) for g in gold)
    assert found >= math.floor(0.8 * len(gold)), (name, found, len(gold))


def test_heading_above_a_cell_per_line_header_is_not_a_header_cell() -> None:
    """二、重点任务 holds a header word; taking it as the first header cell lost the table."""
    text = ("二、重点任务\n序号\n|\n工作任务\n|\n牵头单位\n|\n完成时限\n|\n"
            "1\n|\n编制年度公开目录。\n|\n县政务公开办\n|\n2021年6月底前\n|\n"
            "2\n|\n做好政策解读。\n|\n县政府办公室\n|\n持续推进\n|\n")
    tables = find_tables(text, split_lines(text, match_text(text)))
    assert len(tables) == 1
    assert [r.cells["lead"][0].text for r in tables[0].rows if r.kind == "task"] == ["县政务公开办", "县政府办公室"]


def test_progress_status_cell_is_not_a_deadline() -> None:
    text = ("1 | 完成27所学校教育基础设施改造提升。 | 县教育局 | 已安装空调970台,新风系统在招投标中。 | 按时序推进 |\n"
            "2 | 完成10家居家养老服务照料中心建设。 | 县民政局 | 已完成设计方案,5家施工中。 | 滞后 |\n"
            "3 | 新建城乡公益性墓地3处。 | 县民政局 | 已完成选址。 | 按时序推进 |\n")
    tables = find_tables(text, split_lines(text, match_text(text)))
    assert tables
    rows = [r for r in tables[0].rows if r.kind == "task"]
    assert len(rows) == 3
    assert all(not r.cells.get("deadline") for r in rows)


@pytest.mark.parametrize(("cell", "role"), [
    ("落实科室(部门)", "responsible"), ("落实科室（部门）", "responsible"), ("责任单位(牵头)", "responsible"),
    ("投资(万元)", None),
])
def test_a_header_cell_with_a_bracketed_qualifier_keeps_its_role(cell: str, role: str | None) -> None:
    assert header_role(match_text(cell)) == role


@pytest.mark.parametrize("cell", ["各科室、医疗保障事业管理中心按职责分工落实", "办公室、法规科按职责分工负责", "市财政局负责"])
def test_a_unit_cell_closing_with_its_duty_verb_is_a_unit_cell(cell: str) -> None:
    assert kind_of(match_text(cell)) == "unit"


def test_a_task_force_is_a_unit_cell() -> None:
    """工作专班 are bodies: a 责任单位 cell naming one is a unit cell, not wrapped task text."""
    assert kind_of(match_text("立山经济开发区,全区经济运行各专班")) == "unit"


# ---------------------------------------------------------------- a merged category column


_CATEGORY_STACKED = """2026年某区民生实事任务分解方案

序号

事项分类

事项名称

项目内容

牵头单位

协同单位

1

办好人民满意教育

新建一批中小学校

新建中小学校3所。

区教育局

东城街道

西城街道

2

学校食堂智慧监管

为20所学校食堂安装监管平台。

区教育局

/

3

“健康惠民”工程

新(改)建村卫生室

新(改)建村卫生室40家。

区卫健局

各乡镇(街道)

4

社区医院建设

建成社区医院2家。

区卫健局

区发改局

区自然资源分局
"""


def test_stacked_category_column_written_on_the_first_row_of_its_group_only() -> None:
    """事项分类 names a grouping column; a row with fewer cells before its units lacks
    the merged category cell, so its first cell is the task's name, not a category."""
    (table,) = tables_of(_CATEGORY_STACKED)
    assert table.columns[:3] == ["number", "group", "task"]
    rows = tasks(table)
    assert [texts(r, "task") for r in rows] == [["新建一批中小学校"], ["学校食堂智慧监管"],
                                               ["新(改)建村卫生室"], ["社区医院建设"]]
    assert [r.group.text if r.group else None for r in rows] == [
        "办好人民满意教育", "办好人民满意教育", "“健康惠民”工程", "“健康惠民”工程"]
    assert texts(rows[3], "lead") == ["区卫健局"]
    assert texts(rows[3], "cooperating") == ["区发改局", "区自然资源分局"]


@pytest.mark.parametrize("cell", ["新(改)建村卫生室", "推进社区服务站", "实施老旧小区改造办"])
def test_task_words_ending_like_a_body_are_no_unit_cell(cell: str) -> None:
    assert kind_of(match_text(cell)) != "unit"


@pytest.mark.parametrize("cell", ["建设局", "推进办", "区卫健局", "县住房和城乡建设局"])
def test_bodies_stay_unit_cells(cell: str) -> None:
    assert kind_of(match_text(cell)) == "unit"


def test_stacked_header_with_wrapped_notes_years_and_split_labels() -> None:
    """建设起 / 止年限, 总投资 / (万元), 2031年度 / 计划, 资金 / 来源, 责任 / 单位: every
    header cell wrapped over two lines is one column, and the rows line up under them."""
    text = "\n".join([
        "2031年市政府民生实事项目实施计划表", "序号", "项目名称", "项目建设规模及内容", "建设起", "止年限",
        "总投资", "(万元)", "当年投资", "(万元)", "2031年度", "计划", "资金", "来源", "责任", "单位",
        "1", "城市用气提升工程", "对28个小区进行燃气改造。", "2031.01-2031.12", "1200", "1200", "完工投用",
        "国企投资", "城投集团",
        "2", "山塘水库综合整治工程", "完成6座小型水库加固改造。", "2031.01-2031.12", "4600", "4600", "基本完工",
        "政府投资", "水利局", "",
    ])
    (table,) = tables_of(text)
    assert table.columns == ["number", "task", "progress", "deadline", "progress", "progress", "progress",
                             "progress", "responsible"]
    one, two = tasks(table)
    assert texts(one, "task") == ["城市用气提升工程"] and texts(one, "responsible") == ["城投集团"]
    assert texts(two, "deadline") == ["2031.01-2031.12"] and texts(two, "responsible") == ["水利局"]


def test_cut_last_row_under_a_merged_first_column_starts_at_its_number() -> None:
    text = (
        "大类 | 序号 | 工作任务 | 分管市领导 | 牵头单位 | 落实进展情况 |\n"
        "一、提高民生保障水平 | 1 | 提高城乡低保标准。 | 张三 | 市民政局 | 已完成。 |\n"
        "2 | 提高特困人员供养标准。 | 张三 | 市民政局 | 已完成。 |\n"
        "3 | 提高残疾人生活补贴标准。 | 张三 | 市民政局 | 已完成。从1月1日起,已将"
    )
    (table,) = tables_of(text)
    last = tasks(table)[-1]
    assert last.cut
    assert texts(last, "number") == ["3"] and texts(last, "lead") == ["市民政局"]
    assert texts(last, "task") == ["提高残疾人生活补贴标准。"]


def test_pipe_row_without_its_merged_category_cell_is_aligned_without_it() -> None:
    """序号 | 类别 | 项目名称 | 目标任务 | 牵头单位 | 备注: a row with fewer cells before its
    unit than there are columns before the unit column lacks its category cell."""
    text = (
        "序号 | 类别 | 项目名称 | 目标任务 | 牵头单位 | 累计进度 | 备注 |\n"
        "1 | 一、就业促进(3项) | 促进重点群体稳定就业 | 城镇新增就业1100人 | 县人社局 | 96.64% | |\n"
        "2 | 支持毕业生求职创业 | 按标准发放求职创业补贴 | 县人社局 | | 已组织网上申请 |\n"
    )
    (table,) = tables_of(text)
    one, two = tasks(table)
    assert texts(one, "task") == ["促进重点群体稳定就业"] and one.group.text == "一、就业促进(3项)"
    assert texts(two, "task") == ["支持毕业生求职创业"] and texts(two, "lead") == ["县人社局"]
    assert two.group.text == "一、就业促进(3项)"


@pytest.mark.parametrize("cell", ["区税务局,各镇(街道、园区)", "区发改局、区经信局等区级有关部门,各镇(街道)"])
def test_separators_inside_brackets_split_no_unit_item(cell: str) -> None:
    assert kind_of(match_text(cell)) == "unit"


def test_portal_metadata_rows_after_a_pipe_table_are_no_rows() -> None:
    text = (
        "序号 | 项目名称 | 责任单位 | 推进情况 |\n"
        "1 | 推进学校运动场地建设 | 教育体育局 | 已完成 |\n"
        "2 | 推进义务教育课后服务 | 教育体育局 | 已完成 |\n"
        "索引号: | 113706850042672474/2031-04772 | 成文日期: | 2031-10-08 |\n"
        "发布机构: | 某市人民政府办公室 |\n"
    )
    (table,) = tables_of(text)
    assert [texts(r, "number") for r in tasks(table)] == [["1"], ["2"]]


def test_item_header_and_wrapped_count_column_one_cell_per_line() -> None:
    """事项 names the task column; a count column wrapped over two header lines (区本级 /
    任务数) is a column of its own, so its values (5%, 9亿元) are no units and the rows
    that leave it empty still align."""
    text = ("序号\n事项\n区本级\n任务数\n责任单位\n"
            "1\n地区生产总值增长6.5%。\n区发改局\n"
            "2\n固定资产投资增长10%左右。\n5%\n区发改局\n"
            "3\n力争全年兑现惠企资金20亿元。\n9亿元\n区政府办公室*、区财政局\n")
    (table,) = tables_of(text)
    assert table.columns == ["number", "task", "progress", "responsible"]
    one, two, three = tasks(table)
    assert texts(one, "responsible") == ["区发改局"]
    assert texts(two, "progress") == ["5%"]
    assert texts(three, "responsible") == ["区政府办公室*、区财政局"]


def test_unit_cell_with_one_role_verb_keeps_its_role() -> None:
    from parser import parse_text

    text = ("目标\n任务\n主要内容\n责任单位\n一、以政务公开助力稳增长\n(一)加强预期引导\n"
            "围绕经济政策执行落实情况及时宣传解读。\n市发改委牵头落实\n"
            "加强金融政策信息公开。\n市金融办、潍坊银监分局分别牵头落实\n"
            "加强财政政策信息公开。\n市财政局\n")
    n = parse_text(text)
    assert [[u.name for u in t.lead] for t in n.tasks] == [["市发改委"], ["市金融办", "潍坊银监分局"], []]
    assert [u.name for u in n.tasks[2].responsible] == ["市财政局"]


def test_unit_cell_closed_by_deng_or_cut_by_the_page_end() -> None:
    text = ("目标任务\n责任领导\n责任单位\n一、主要预期指标\n1. 生产总值增长7.5%以上。\n董贵波\n"
            "市发改委、市经信委、市建设局(市规划局)、市农业局,台州经济开发区管委会等\n"
            "2. 城乡居民收入增长与经济增长基本同步。\n郑敏强\n市发改委、市农办、市财政局、市供销社,各县(市、区)")
    (table,) = tables_of(text)
    one, two = tasks(table)
    assert texts(one, "responsible") == ["市发改委、市经信委、市建设局(市规划局)、市农业局,台州经济开发区管委会等"]
    assert texts(two, "responsible") == ["市发改委、市农办、市财政局、市供销社,各县(市、区)"]
    assert texts(two, "task") == ["2. 城乡居民收入增长与经济增长基本同步。"]


def test_target_name_and_work_standard_columns() -> None:
    """目标名称 names the category; 工作标准 beside it is a column of its own (the tasks),
    not a wrapped piece of the 目标名称 cell."""
    text = ("序号\n目标名称\n工 作 标 准\n区政府\n分管领导\n牵头单位\n配合单位\n"
            "1\n全区经济社会发展的主要预期目标\n(1)地区生产总值增长6%左右。\n王旭锋\n发改局\n统计局\n"
            "(2)一般公共预算收入增长3%以上。\n财政局\n(3)社会消费品零售总额增长6%左右。\n吴 伟\n商务局\n")
    (table,) = tables_of(text)
    assert table.columns == ["number", "group", "task", "leader", "lead", "cooperating"]
    one, two, _ = tasks(table)
    assert texts(one, "task") == ["(1)地区生产总值增长6%左右。"] and texts(one, "lead") == ["发改局"]
    assert texts(two, "lead") == ["财政局"]


def test_pipe_rows_each_followed_by_a_lone_closing_pipe() -> None:
    text = ("序号 | 工作任务 | 细化分工 | 责任处室 | 完成时限 | 备注 |\n"
            "1 | 做好常态化疫情防控信息发布 | 重点围绕散发疫情发布权威信息 | 应急处、监督处等按职责分工落实 | 长期推进 |\n|\n"
            "2 | 扎实做好疫苗接种信息公开和舆论引导工作 | 疾控处 | 长期推进 |\n|\n"
            "3 | 提高信息发布规范化水平 | 宣传处 | 2021年8月前 |\n|\n")
    (table,) = tables_of(text)
    one, two, three = tasks(table)
    assert texts(one, "task")[0] == "做好常态化疫情防控信息发布", "a task's words that hold 常态化 are no deadline"
    assert texts(one, "deadline") == ["长期推进"]
    assert texts(two, "responsible") == ["疾控处"] and texts(three, "deadline") == ["2021年8月前"]


def test_header_with_unknown_columns_and_a_plans_row_numbers() -> None:
    """序号, the task and a unit column make a task table whatever the other columns are
    called; rows carry the numbers of the plan they come from (6, 52, 53), and a stray
    figure in a unit column is no row and no unit."""
    text = ("序号\n目标任务\n牵头责任单位\n计划完成时间\n问题与困难\n下一步工作打算\n"
            "6\n农村常住居民人均可支配收入与经济增长同步。\n经管站\n2\n2023年底\n"
            "52\n建成高标准农田8.3万亩,确保粮食总产稳定。\n农田建设管理股、农业股\n2023年底\n"
            "53\n加快推动农业规模化经营,完成改革试验20万亩。\n经管站\n2023年底\n")
    (table,) = tables_of(text)
    assert [texts(r, "number") for r in tasks(table)] == [["6"], ["52"], ["53"]]
    assert texts(tasks(table)[1], "lead") == ["农田建设管理股、农业股"]
    from parser import parse_text

    n = parse_text(text)
    assert [[u.name for u in t.lead] for t in n.tasks] == [["经管站"], ["农田建设管理股", "农业股"], ["经管站"]]


def test_task_division_column_is_a_unit_column() -> None:
    assert header_role("任务分工") == "responsible"


def test_inspection_table_problem_column_is_the_task() -> None:
    """An inspection's problem list (序号 | 路段名称 | 问题描述 | 责任单位 | 备注), one cell per
    line each closed by a pipe: the problem column is the task, the place before it opens
    the task's words; the report's title line closing with a bracket is no task."""
    text = ("2019年5月6日卫生城市检查(李明督查路段)\n序号 |\n路段名称 |\n问题描述 |\n责任单位 |\n备注 |\n"
            "1 |\n青云大道 |\n沿线车辆违停严重 |\n停车办 |\n|\n2 |\n青云大道 |\n垃圾站旁杂草丛生 |\n市环卫中心 |\n|\n")
    from parser import parse_text

    n = parse_text(text)
    assert [t.number for t in n.tasks] == ["1", "2"]
    assert "车辆违停严重" in n.tasks[0].text and [u.name for u in n.tasks[0].responsible] == ["停车办"]
    assert [u.name for u in n.tasks[1].responsible] == ["市环卫中心"]


def test_a_header_cells_last_label_is_its_head() -> None:
    assert header_role("一季度重点工作完成情况") == "progress"
    assert header_role("主要工作任务") == "task"
    assert header_role("牵头责任单位") == "lead", "the longest label still wins"


def test_unnumbered_progress_rows_open_where_a_text_cell_meets_a_unit_cell() -> None:
    """One cell per line, no 序号: each row opens with the task cell followed by its unit
    cell, while the numbered measures in the last column's cells are no rows."""
    text = ("目标任务\n\n牵头单位\n\n进展情况\n\n下步举措\n\n固定资产投资增长10%以上。\n\n发改局\n\n"
            "一季度累计完成投资96.8亿元。\n\n督促各项目加快进度。\n\n城乡居民收入与经济增长基本同步。\n\n发改局\n\n农业农村局\n\n"
            "一季度居民人均可支配收入16801元。\n\n1.强化造血帮扶,推动来料加工。\n\n2.强化帮扶力量,拓宽增收渠道。\n\n"
            "居民消费价格涨幅3%左右。\n\n发改局\n\nCPI数据还未发布。\n\n继续做好价格监测工作。\n")
    from parser import parse_text

    tasks = parse_text(text).tasks
    assert [t.text[:6] for t in tasks] == ["固定资产投资", "城乡居民收入", "居民消费价格"]
    assert [[u.name for u in t.lead] for t in tasks] == [["发改局"], ["发改局", "农业农村局"], ["发改局"]]


def test_progress_table_with_the_lead_in_the_task_cell_and_circled_progress_lines() -> None:
    text = ("序号\n\n工作内容\n\n完成情况\n\n1\n\n慎终如始抓好疫情防控,确保不出现聚集性疫情。(牵头单位:市疫情防控办)\n\n"
            "①进一步加强疫情防控工作,强化出行管理。\n\n②强化“外防输入”措施。\n\n③开展院感督导。\n\n"
            "2\n\n加快建设滨海城市带,打造海上画廊。(牵头单位:市住建局)\n\n①客运码头完成主体结构。\n\n②渔港码头美化亮化工程完工。\n")
    from parser import parse_text

    one, two = parse_text(text).tasks
    assert one.text.endswith("确保不出现聚集性疫情。") and [u.name for u in one.lead] == ["市疫情防控办"]
    assert [u.name for u in two.lead] == ["市住建局"]
    assert len([f for f in one.fields if f.text.startswith(("①", "②", "③"))]) == 3, "circled lines are progress"


def test_pipe_stream_whose_cells_close_their_own_pipes_keeps_the_first_header_cell() -> None:
    """工作目标任务 / | / 完成时间 / | / … / | / |: each cell is closed by its own pipe line
    and a second pipe ends the row, so the table's first cell has no pipe before it; the
    header is still four columns wide and every row is read, a two-line unit cell as one."""
    text = "近期工作目标责任分解表\n工作目标任务\n|\n完成时间\n|\n牵头部门\n|\n配合部门\n|\n|\n"
    rows = [("制定年度工作实施计划。", "年内", "示范局\n财政局", "建设局"),
            ("启动监测预警工程项目。", "年内", "示范局", "发改委、财政局"),
            ("收集预警项目基础数据。", "9月底前", "示范局", "规划局"),
            ("新增监测手段和观测点。", "年内", "示范局", "国土局"),
            ("出台观测环境保护暂行办法。", "年内", "法制办", "示范局"),
            ("规范重大工程设防管理。", "年内", "发改委", "建设局"),
            ("做好已建工程加固工作。", "年内", "建设局", "示范局")]
    text += "".join("\n|\n".join(cells) + "\n|\n|\n" for cells in rows)
    (table,) = tables_of(text)
    assert table.columns == ["task", "deadline", "lead", "cooperating"]
    got = tasks(table)
    assert len(got) == 7
    assert texts(got[0], "lead") == ["示范局\n财政局"]  # one cell over two lines: the units split it at the break
    assert texts(got[6], "cooperating") == ["示范局"]


WRAPPED_LABELS = """序号

重点工作及

责任分解内容

牵头责

任单位

年度任务量化指标

备注

1

扩大示范文化节品牌影响力。

示范区

政府

继续做好文化节特色产业链。

2

建设城区公共停车场5处。

示范区住建局

年内建成并投入使用。

"""


def test_stacked_header_cells_split_inside_a_label_and_after_a_conjunction_are_joined() -> None:
    """牵头责 / 任单位 each match some label alone, but together they are one whole label;
    重点工作及 / 责任分解内容: a cell never ends with a conjunction. The unit cell
    示范区 / 政府 is one body: the organ word alone on its line ends the name above."""
    from parser import parse_text

    (table,) = tables_of(WRAPPED_LABELS)
    assert table.columns[:3] == ["number", "task", "lead"]
    notice = parse_text(WRAPPED_LABELS)
    assert [[u.name for u in t.lead] for t in notice.tasks] == [["示范区政府"], ["示范区住建局"]]
    first = notice.tasks[0].lead[0]
    assert "".join(notice.text[first.span[0]:first.span[1]].split()) == "示范区政府"  # its span reaches both lines


BOX_SPANNING = """┌─┬──────┬────┬───┬────────────┐
│序│ 项目名称 │责任单位│完成年│ 项目投入(万元) │
│号│ │ │ 限 ├──┬──┬──┤
│ │ │ │ │总投│省级│市级│
│ │ │ │ │ 入 │补助│财政│
├─┼──────┼────┼───┼──┼──┼──┤
│1│示范区供水│示范市政│2031年│ 55 │ │ 55 │
│ │专项规划 │ 府 │ │ │ │ │
├─┼──────┼────┼───┼──┼──┼──┤
│2│城市供水主干│示范市水│2031年│3000│ │ │
│ │管道改造 │ 务局 │-2033│ │ │ │
│ │ │ │ 年 │ │ │ │
└─┴──────┴────┴───┴──┴──┴──┘
"""


def test_box_header_line_drawn_before_its_last_column_was_split() -> None:
    """项目投入(万元) over 总投入 / 省级补助 / 市级财政: the header's first line has fewer cells than
    the grid; its last cell spans the sub-columns, and the table is still read (完成年 / 限 is a
    deadline column)."""
    (table,) = tables_of(BOX_SPANNING)
    assert table.columns[:4] == ["number", "task", "responsible", "deadline"]
    one, two = tasks(table)
    assert "".join("".join(texts(one, "responsible")).split()) == "示范市政府"
    assert "".join("".join(texts(two, "deadline")).split()) == "2031年-2033年"


def test_pipe_rows_under_a_merged_sub_item_column_that_lack_another_cell() -> None:
    """小项 | 具体项目及实施内容 | 进度安排 | 完成标准 | 牵头单位 | 承办单位, with rows that lack the
    project cell: 小项 is a category column (its numbered titles 9.1… open their group's first
    row and head the rows below), and the row's first long cell is its task."""
    text = ("小项 | 具体项目及实施内容 | 进度安排 | 完成标准 | 牵头单位 | 承办单位 |\n"
            "9.1加强文化场所建设 | 2月底完成主体结构验收,12月完成外墙装饰。 | 完成档案馆建设。 | 市档案局 | 市档案局 |\n"
            "一季度实施遗址公园文态建设项目。 | 文态规划编制完成。 | 市文化局 | 市文化局 | |\n"
            "9.2开展文化惠民活动 | 一季度现场调研,提出免费开放博物馆推荐名单。 | 实现免费开放。 | 市文化局 | 市文化局 |\n")
    (table,) = tables_of(text)
    assert table.columns[0] == "group"
    rows = tasks(table)
    assert [texts(r, "task")[0][:6] for r in rows] == ["2月底完成主", "一季度实施遗", "一季度现场调"]
    assert [r.group.text if r.group else None for r in rows] == ["9.1加强文化场所建设", "9.1加强文化场所建设", "9.2开展文化惠民活动"]
