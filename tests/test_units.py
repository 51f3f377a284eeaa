"""Unit-list splitting: separators, tails, collectives, shared suffixes, persons, spans."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parser.canonical import Jurisdiction, load_aliases
from parser.units import UnitContext, has_body_suffix, is_collective, is_person, make_context, split_units
from schemas.notice import Meta

CITY = Jurisdiction(province="甘肃省", city="天水市", level="city")


@pytest.fixture(scope="module")
def ctx() -> UnitContext:
    return UnitContext(jurisdiction=CITY, aliases=load_aliases())


def names(text: str, ctx: UnitContext | None = None) -> list[str]:
    return [u.name for u in split_units(text, 0, ctx)]


SPLITS: list[tuple[str, list[str]]] = [
    # plain separators
    ("市发改委、市财政局", ["市发改委", "市财政局"]),
    ("市发改委，市财政局", ["市发改委", "市财政局"]),
    ("市发改委,市财政局", ["市发改委", "市财政局"]),
    ("市发改委；市财政局", ["市发改委", "市财政局"]),
    ("市发改委;市财政局", ["市发改委", "市财政局"]),
    ("市发改委、市财政局、市公安局", ["市发改委", "市财政局", "市公安局"]),
    ("市发改委、市财政局，市公安局；市教育局", ["市发改委", "市财政局", "市公安局", "市教育局"]),
    ("市发改委、、市财政局", ["市发改委", "市财政局"]),
    ("、市发改委、市财政局、", ["市发改委", "市财政局"]),
    ("市发改委", ["市发改委"]),
    ("县财政局", ["县财政局"]),
    ("区城管局、区监察局", ["区城管局", "区监察局"]),
    ("省发展改革委、省财政厅", ["省发展改革委", "省财政厅"]),
    ("国家发展改革委、财政部、商务部", ["国家发展改革委", "财政部", "商务部"]),
    ("市发改委／市物价局", ["市发改委", "市物价局"]),
    # full-width and mixed punctuation
    ("市发改委，　市财政局", ["市发改委", "市财政局"]),
    ("市发改委﹑市财政局", ["市发改委", "市财政局"]),
    ("市发改委 ， 市财政局", ["市发改委", "市财政局"]),
    # trailing / leading noise
    ("市发改委。", ["市发改委"]),
    ("市发改委、市财政局。", ["市发改委", "市财政局"]),
    ("市发改委；", ["市发改委"]),
    ("市发改委.", ["市发改委"]),
    ("由市发改委", ["市发改委"]),
    ("请市发改委、市财政局", ["市发改委", "市财政局"]),
    ("由市发改委牵头", ["市发改委"]),
    ("市发改委、市财政局负责", ["市发改委", "市财政局"]),
    ("市发改委、市财政局按职责分工负责。", ["市发改委", "市财政局"]),
    ("  市发改委  ", ["市发改委"]),
    ("\n市发改委\n", ["市发改委"]),
    ("等市发改委", ["市发改委"]),
    # 等… tails are qualifiers, not units
    ("市气象局、市地震局等具有审批、核准权限的有关部门", ["市气象局", "市地震局"]),
    ("市发改委、市财政局等", ["市发改委", "市财政局"]),
    ("市发改委等部门", ["市发改委"]),
    ("市发改委、市财政局等相关单位", ["市发改委", "市财政局"]),
    ("市发改委等有关部门。", ["市发改委"]),
    ("市发改委、市财政局等市直部门", ["市发改委", "市财政局"]),
    ("市教育局、市高等教育中心", ["市教育局", "市高等教育中心"]),
    ("市公路等级评定站", ["市公路等级评定站"]),
    # names with 和 / 与 never split
    ("市文化和旅游局", ["市文化和旅游局"]),
    ("国家发展和改革委员会", ["国家发展和改革委员会"]),
    ("市文化和旅游局、市住房和城乡建设局", ["市文化和旅游局", "市住房和城乡建设局"]),
    ("市人力资源和社会保障局", ["市人力资源和社会保障局"]),
    ("市科学技术与信息化局", ["市科学技术与信息化局"]),
    ("县自然资源和规划局、县发改局", ["县自然资源和规划局", "县发改局"]),
    ("市工业和信息化局与市商务局", ["市工业和信息化局与市商务局"]),
    # shared suffix restored
    ("哈尔滨、黑河、绥芬河市政府", ["哈尔滨市政府", "黑河市政府", "绥芬河市政府"]),
    ("哈尔滨、黑河市政府", ["哈尔滨市政府", "黑河市政府"]),
    ("兰州、天水市发改委", ["兰州市发改委", "天水市发改委"]),
    ("平阳、泰顺县政府", ["平阳县政府", "泰顺县政府"]),
    ("省、市、县政府", ["省政府", "市政府", "县政府"]),
    ("区住建局、东湖、南山街道办事处", ["区住建局", "东湖街道办事处", "南山街道办事处"]),
    ("青石、白沙镇人民政府", ["青石镇人民政府", "白沙镇人民政府"]),
    ("市、县政府", ["市政府", "县政府"]),
    # a body's type shared by stems of one length
    ("文化、文物部门", ["文化部门", "文物部门"]),
    ("财政、税务局", ["财政局", "税务局"]),
    ("发改、经信委", ["发改委", "经信委"]),
    ("教育、卫生健康委", ["教育", "卫生健康委"]),  # 健康委 is no type: the name is 卫生健康委
    # no prefix invented
    ("区发改局、农业局", ["区发改局", "农业局"]),
    ("县发改局、财政局、税务局", ["县发改局", "财政局", "税务局"]),
    ("区发改局、金融办", ["区发改局", "金融办"]),
    ("市发改委、公安", ["市发改委", "公安"]),
    # collectives stay whole
    ("各县、市、区政府", ["各县、市、区政府"]),
    ("相关市、县政府", ["相关市、县政府"]),
    ("各县(市、区)政府", ["各县(市、区)政府"]),
    ("各县（市、区）政府", ["各县（市、区）政府"]),
    ("各县区政府，市政府有关部门，驻市有关单位", ["各县区政府", "市政府有关部门", "驻市有关单位"]),
    ("各县区政府、市政府有关部门", ["各县区政府", "市政府有关部门"]),
    ("各乡镇、街道", ["各乡镇、街道"]),
    ("有关县、区政府", ["有关县、区政府"]),
    ("各县区各有关部门", ["各县区各有关部门"]),
    ("市政府各部门", ["市政府各部门"]),
    ("市直各部门、各县区政府", ["市直各部门", "各县区政府"]),
    ("各镇人民政府、街道办事处", ["各镇人民政府", "街道办事处"]),
    ("市审改办、各县区政府", ["市审改办", "各县区政府"]),
    ("市属及驻市有关单位", ["市属及驻市有关单位"]),
    ("各有关单位", ["各有关单位"]),
    ("相关部门", ["相关部门"]),
    ("有关部门", ["有关部门"]),
    ("市发改委、各县区政府、市财政局", ["市发改委", "各县区政府", "市财政局"]),
    # brackets belong to names
    ("县发改局(粮食局)", ["县发改局(粮食局)"]),
    ("县发改局（粮食局）", ["县发改局（粮食局）"]),
    ("县发改局(粮食局)、县财政局", ["县发改局(粮食局)", "县财政局"]),
    ("市委组织部(市编办)、市财政局", ["市委组织部(市编办)", "市财政局"]),
    ("市政府办(市政府研究室、法制办)", ["市政府办(市政府研究室、法制办)"]),
    ("市发改委[市物价局]、市财政局", ["市发改委[市物价局]", "市财政局"]),
    ("市发改委【市物价局，市粮食局】", ["市发改委【市物价局，市粮食局】"]),
    ("市发改委(市物价局、市粮食局)等部门", ["市发改委(市物价局、市粮食局)"]),
    ("市发改委)、市财政局", ["市发改委)", "市财政局"]),
    ("(市发改委、市财政局", ["(市发改委、市财政局"]),
    # persons are not units
    ("张三", []),
    ("张三、李四", []),
    ("洪金虎", []),
    ("“洪金虎”", []),
    ("王五、市发改委", ["市发改委"]),
    ("市发改委、赵六", ["市发改委"]),
    ("欧阳明", []),
    ("李四副市长", []),
    ("刘强 陈刚", []),
    ("王小明、市财政局、周杰", ["市财政局"]),
    ("王局长", []),
    # spaces / line breaks between full names (table cells)
    ("市发改委 市财政局", ["市发改委", "市财政局"]),
    ("市发改委\n市财政局", ["市发改委", "市财政局"]),
    ("市发改委\u3000市财政局", ["市发改委", "市财政局"]),
    ("市发改委  市财政局  市公安局", ["市发改委", "市财政局", "市公安局"]),
    ("市发展 改革委", ["市发展改革委"]),
    ("市政府 办公室", ["市政府办公室"]),
    # two bodies each named by a stem and a suffix, a space between (a township's table cell)
    ("安监站 安监所", ["安监站", "安监所"]),
    ("超限站 公路站 交警六中队", ["超限站", "公路站", "交警六中队"]),
    ("市委 组织部", ["市委组织部"]),
    ("市文化和 旅游局", ["市文化和旅游局"]),
    ("市发改委 、市财政局", ["市发改委", "市财政局"]),
    # run-together cells (jieba, only when a body is followed by another level prefix)
    ("市发改委市财政局", ["市发改委", "市财政局"]),
    ("市发改委市财政局市公安局", ["市发改委", "市财政局", "市公安局"]),
    ("县发改局县财政局", ["县发改局", "县财政局"]),
    ("市商务局市场科", ["市商务局市场科"]),
    # traditional script: name simplified
    ("市發改委、市財政局", ["市发改委", "市财政局"]),
    ("各縣區政府", ["各县区政府"]),
    ("市氣象局、市地震局等有關部門", ["市气象局", "市地震局"]),
    ("市文化和旅遊局", ["市文化和旅游局"]),
    # full names, places, banks, enterprises
    ("天水市发展和改革委员会", ["天水市发展和改革委员会"]),
    ("人行天水中心支行", ["人行天水中心支行"]),
    ("人行天水中心支行、市财政局", ["人行天水中心支行", "市财政局"]),
    ("国网天水供电公司", ["国网天水供电公司"]),
    ("宁波化工区管委会", ["宁波化工区管委会"]),
    ("嘉鱼经济开发区、武汉新港潘湾工业园", ["嘉鱼经济开发区", "武汉新港潘湾工业园"]),
    ("市中级人民法院、市人民检察院", ["市中级人民法院", "市人民检察院"]),
    ("团市委、市妇联、市总工会", ["团市委", "市妇联", "市总工会"]),
    ("市委宣传部、市委网信办", ["市委宣传部", "市委网信办"]),
    ("市公安局交警支队", ["市公安局交警支队"]),
    ("市消防救援支队", ["市消防救援支队"]),
    ("市政府政务大厅", ["市政府政务大厅"]),
    ("市审改办、市政府办公室、市发展改革委、市财政局、市政府政务大厅",
     ["市审改办", "市政府办公室", "市发展改革委", "市财政局", "市政府政务大厅"]),
    # a list ends at 。; a tail ends at ，/；; notes and reading aids are not names
    ("市教体局。其中，某项进度较慢的为某某县", ["市教体局"]),
    ("市发改委！", ["市发改委"]),
    ("省发改委、省商务厅等，各市人民政府，省某某示范区管委会", ["省发改委", "省商务厅", "各市人民政府", "省某某示范区管委会"]),
    ("市发改委等部门，市财政局等单位", ["市发改委", "市财政局"]),
    ("县发改局(首位单位为牵头单位,下同)、县财政局", ["县发改局", "县财政局"]),
    ("县发改局（排名第一的为牵头单位）", ["县发改局"]),
    ("市经(jīng)贸(mào)委、市发(fā)改委", ["市经贸委", "市发改委"]),
    ("|市城管局|", ["市城管局"]),
    ("市发改委 | 市财政局", ["市发改委", "市财政局"]),
    ("市发改委│市财政局", ["市发改委", "市财政局"]),
    ("镇(街道)", ["镇(街道)"]),
    ("沿江各镇、区水利局", ["沿江各镇", "区水利局"]),
    # 各 + a level word alone is open: the government named next closes the group
    ("各区、县(市)政府", ["各区、县(市)政府"]),
    ("各区、县政府、市发改委", ["各区、县政府", "市发改委"]),
    ("各区、市直各部门", ["各区", "市直各部门"]),
    ("各区、各部门", ["各区", "各部门"]),
    ("海东市、兰州市、临夏州发展改革部门", ["海东市发展改革部门", "兰州市发展改革部门", "临夏州发展改革部门"]),
    ("各科室、医疗保障事业管理中心按职责分工落实", ["各科室", "医疗保障事业管理中心"]),
    ("市直有关部门、单位", ["市直有关部门、单位"]),
    ("岳麓区和市直相关单位", ["岳麓区", "市直相关单位"]),
    ("省财政厅、省人事厅等省直有关部门和各市人民政府", ["省财政厅", "省人事厅", "各市人民政府"]),
    ("市发改委等部门和单位", ["市发改委"]),
    ("立山经济开发区,全区经济运行各专班", ["立山经济开发区", "全区经济运行各专班"]),
    ("区发改委等相关区直部门、各镇(办)、经开区", ["区发改委", "各镇(办)", "经开区"]),
    ("市气象局、市地震局等具有审批、核准权限的有关部门", ["市气象局", "市地震局"]),
    ("市发改委和有关部门", ["市发改委", "有关部门"]),
    ("市发改委、单位", ["市发改委", "单位"]),
    # a standing note written into the list ends it; one inside a bracket is the bracket's
    ("市政府有关部门,各县市区,以下均需各县市区落实,不再逐", ["市政府有关部门", "各县市区"]),
    ("古林镇、石碶街道(列第一位者为牵头或汇总单位,下同)", ["古林镇", "石碶街道"]),
    # a place whose first character is also a surname is no person
    ("武汉市、黄石市", ["武汉市", "黄石市"]),
    ("市住建局,市民政局按照职责分工牵头", ["市住建局", "市民政局"]),
    # empty / degenerate
    ("", []),
    ("   ", []),
    ("、，；", []),
    ("。", []),
    ("等", []),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS, ids=[f"{i:03d}" for i in range(len(SPLITS))])
def test_split(text: str, expected: list[str], ctx: UnitContext) -> None:
    assert names(text, ctx) == expected


def test_at_least_120_split_cases() -> None:
    assert len(SPLITS) >= 120


@pytest.mark.parametrize(("text", "expected"), SPLITS, ids=[f"{i:03d}" for i in range(len(SPLITS))])
def test_spans_point_at_what_is_written(text: str, expected: list[str], ctx: UnitContext) -> None:
    prefix = "牵头单位："
    notice = prefix + text
    for unit in split_units(text, len(prefix), ctx):
        s, e = unit.span
        assert notice[s:e] == unit.text
        assert unit.text.strip() == unit.text
        assert " " not in unit.name and "等" not in unit.name[-1:]


def test_qualifier_on_the_unit_it_follows(ctx: UnitContext) -> None:
    units = split_units("市气象局、市地震局等具有审批、核准权限的有关部门", 0, ctx)
    assert [u.qualifier for u in units] == [None, "等具有审批、核准权限的有关部门"]


def test_qualifier_traditional_is_simplified(ctx: UnitContext) -> None:
    units = split_units("市氣象局等有關部門", 0, ctx)
    assert units[0].qualifier == "等有关部门"
    assert units[0].text == "市氣象局"


def test_each_tail_qualifies_its_own_unit(ctx: UnitContext) -> None:
    units = split_units("市发改委等部门，市财政局等单位；市公安局", 0, ctx)
    assert [(u.name, u.qualifier) for u in units] == [("市发改委", "等部门"), ("市财政局", "等单位"), ("市公安局", None)]


def test_note_in_brackets_left_out_of_span(ctx: UnitContext) -> None:
    text = "县发改局(首位单位为牵头单位,下同)、县财政局"
    units = split_units(text, 0, ctx)
    assert units[0].span == (0, 4) and units[1].text == "县财政局"


def test_no_qualifier_without_tail(ctx: UnitContext) -> None:
    assert all(u.qualifier is None for u in split_units("市发改委、市财政局", 0, ctx))


@pytest.mark.parametrize(
    ("text", "collective"),
    [
        ("各县区政府", True),
        ("市政府有关部门", True),
        ("驻市有关单位", True),
        ("相关市、县政府", True),
        ("各县(市、区)政府", True),
        ("市政府各部门", True),
        ("市政府有关职能部门", True),
        ("市发改委", False),
        ("天水市发展和改革委员会", False),
        ("县发改局(粮食局)", False),
        ("嘉鱼经济开发区", False),
        ("镇(街道)", True),
        ("沿江各镇", True),
        ("市政府有关执法部门", True),
    ],
)
def test_collective_flag(text: str, collective: bool, ctx: UnitContext) -> None:
    (unit,) = split_units(text, 0, ctx)
    assert unit.collective is collective
    if collective:
        assert unit.canonical is None


def test_shared_suffix_keeps_own_text_and_span(ctx: UnitContext) -> None:
    units = split_units("哈尔滨、黑河、绥芬河市政府", 10, ctx)
    assert [u.text for u in units] == ["哈尔滨", "黑河", "绥芬河市政府"]
    assert [u.span for u in units] == [(10, 13), (14, 16), (17, 23)]


def test_traditional_text_kept_as_written(ctx: UnitContext) -> None:
    (unit,) = split_units("市發展改革委", 0, ctx)
    assert unit.text == "市發展改革委"
    assert unit.name == "市发展改革委"
    assert unit.canonical == "天水市发展和改革委员会"


def test_canonical_and_level_through_split(ctx: UnitContext) -> None:
    units = split_units("市发改委、县财政局、省财政厅、国家发改委", 0, ctx)
    assert [u.level for u in units] == ["city", "county", "provincial", "national"]
    assert units[0].canonical == "天水市发展和改革委员会"
    assert units[1].canonical is None  # the notice names no county
    assert units[2].canonical == "甘肃省财政厅"
    assert units[3].canonical == "国家发展和改革委员会"


def test_without_context_still_splits() -> None:
    units = split_units("市发改委、市财政局", 0, None)
    assert [u.name for u in units] == ["市发改委", "市财政局"]
    assert all(u.canonical is None and u.level == "city" for u in units)


def test_make_context_reads_issuer() -> None:
    ctx = make_context(Meta(issuer="天水市人民政府办公室"), "")
    assert ctx.jurisdiction is not None and ctx.jurisdiction.city == "天水市"
    assert ctx.aliases is not None and len(ctx.aliases) >= 200


@pytest.mark.parametrize("name", ["市发改委", "县发改局(粮食局)", "市政府", "嘉鱼经济开发区", "市审改办", "街道办事处"])
def test_body_suffix_yes(name: str) -> None:
    assert has_body_suffix(name)


@pytest.mark.parametrize("name", ["张三", "哈尔滨", "各县", "公安"])
def test_body_suffix_no(name: str) -> None:
    assert not has_body_suffix(name)


@pytest.mark.parametrize(("name", "person"), [("张三", True), ("洪金虎", True), ("司马", False), ("欧阳明", True),
                                               ("金融", False), ("金融办", False), ("黑河", False), ("市长", True)])
def test_is_person(name: str, person: bool) -> None:
    assert is_person(name) is person


def test_is_collective_words() -> None:
    assert is_collective("各县区政府") and is_collective("市直有关单位") and not is_collective("市发改委")


def test_long_list_is_linear(ctx: UnitContext) -> None:
    """10,000 items split in one pass (a quadratic loop would take minutes here)."""
    items = [f"市第{i}局" for i in range(10_000)]
    text = "、".join(items)
    t0 = time.perf_counter()
    units = split_units(text, 0, ctx)
    assert len(units) == 10_000
    assert units[-1].span == (len(text) - len(items[-1]), len(text))
    assert time.perf_counter() - t0 < 60  # generous: only catches a blow-up, not a slowdown


@pytest.mark.parametrize(
    "text",
    ["(" * 5000, "等" * 5000, "各" * 3000 + "、市" * 3000, "市局" * 4000, " " * 5000 + "局", "张三、" * 3000,
     "哈尔滨、" * 3000 + "市政府", "局市" * 3000 + "局"],
)
def test_adversarial_inputs_finish(text: str, ctx: UnitContext) -> None:
    for unit in split_units(text, 0, ctx):
        assert text[unit.span[0] : unit.span[1]] == unit.text


def test_import_units_does_not_import_jieba() -> None:
    code = (
        "import sys\n"
        "import parser.units, parser.canonical, parser.keywords\n"
        "from parser.units import split_units\n"
        "split_units('市发改委、市财政局等有关部门', 0)\n"
        "print('jieba' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_run_together_loads_jieba_only_when_needed() -> None:
    code = (
        "import sys\n"
        "from parser.units import split_units\n"
        "print([u.name for u in split_units('市发改委市财政局', 0)], 'jieba' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['市发改委', '市财政局'] True"


_ALPHABET = "市县区省各有关等和与局委办政府中心、，,；; \n()（）[]【】张三李四发改财政。.负责牵头由请"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=_ALPHABET, max_size=80), st.integers(min_value=0, max_value=1000))
def test_fuzz_spans_and_names(text: str, start: int) -> None:
    """Whatever the list, every unit's span slices out its own text, and names are clean."""
    notice = "x" * start + text
    for unit in split_units(text, start, None):
        s, e = unit.span
        assert start <= s < e <= start + len(text)
        assert notice[s:e] == unit.text
        assert unit.name and not any(ch.isspace() for ch in unit.name)
        assert unit.collective is False or unit.canonical is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # A document-sharing site's dump: a table cell's units ran together, no level prefixes.
        ("教育局经开区高新园(邹区镇)各街道市国有公司", ["教育局", "经开区", "高新园(邹区镇)", "各街道", "市国有公司"]),
        ("住建局五星街道南大街街道荷花池街道", ["住建局", "五星街道", "南大街街道", "荷花池街道"]),
        # One body: a chain of sub-bodies, a short name, a collective of a body's members.
        ("省公安厅交通管理局高速公路支队", ["省公安厅交通管理局高速公路支队"]),
        ("天水市人民政府国有资产监督管理委员会", ["天水市人民政府国有资产监督管理委员会"]),
        ("县人民政府办公室", ["县人民政府办公室"]),
        ("全市经济运行工作专班各部门", ["全市经济运行工作专班各部门"]),
        ("东风镇红旗村村委会", ["东风镇红旗村村委会"]),
    ],
)
def test_peers_run_together_without_level_prefixes(cell: str, expected: list[str]) -> None:
    units = split_units(cell, 0)
    assert [u.name for u in units] == expected
    assert [cell[u.span[0] : u.span[1]] for u in units] == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("川汇区、商水县、项城市、沈丘县人民政府", ["川汇区人民政府", "商水县人民政府", "项城市人民政府", "沈丘县人民政府"]),
        ("黄埔区、南沙区政府", ["黄埔区政府", "南沙区政府"]),
    ],
)
def test_county_level_places_share_a_government_tail(written: str, expected: list[str]) -> None:
    assert [u.name for u in split_units(written, 0)] == expected
