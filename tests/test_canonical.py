"""Jurisdictions, the alias table, canonical names and levels; jieba helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from parser import data
from parser.canonical import Jurisdiction, canonicalize, jurisdiction_from, level_of_name, load_aliases, parse_place
from parser.errors import CorruptFile, MissingFile, NotAFile, NoticeError
from parser.keywords import split_run_together, task_keywords
from parser.units import UnitContext, split_units
from schemas.notice import DocNumber, Meta

TIANSHUI = Jurisdiction(province="甘肃省", city="天水市", level="city")
QIAOCHENG = Jurisdiction(province="安徽省", city="亳州市", county="谯城区", level="county")
COUNTY = Jurisdiction(county="嘉鱼县", level="county")
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="module")
def table():  # type: ignore[no-untyped-def]
    return load_aliases()


# --- the shipped table -----------------------------------------------------------------

def test_table_has_200_rows_and_known_columns() -> None:
    rows = data.load_tsv("unit_aliases.tsv")
    assert len(rows) >= 200
    assert set(rows[0]) == {"alias", "full", "level_hint", "ambiguous", "note"}
    assert all(r["level_hint"] in {"national", "provincial", "city", "county", "unknown"} for r in rows)


def test_table_aliases_unique() -> None:
    aliases = [r["alias"] for r in data.load_tsv("unit_aliases.tsv")]
    assert len(aliases) == len(set(aliases))


def test_ambiguous_rows_have_no_full_name() -> None:
    for r in data.load_tsv("unit_aliases.tsv"):
        if r["ambiguous"] == "yes":
            assert not r["full"], r["alias"]


def test_local_full_names_carry_a_place_slot() -> None:
    for r in data.load_tsv("unit_aliases.tsv"):
        if r["full"] and r["level_hint"] != "national":
            assert "{place}" in r["full"] or "{county}" in r["full"], r["alias"]


# --- canonical names ----------------------------------------------------------------------

CANONICAL = [
    ("市发展改革委", TIANSHUI, "天水市发展和改革委员会", "city"),
    ("市发改委", TIANSHUI, "天水市发展和改革委员会", "city"),
    ("天水市发展和改革委员会", TIANSHUI, "天水市发展和改革委员会", "city"),
    ("天水市发改委", None, "天水市发展和改革委员会", "city"),
    ("天水市发展和改革委员会", None, "天水市发展和改革委员会", "city"),
    ("市编办", TIANSHUI, "天水市机构编制委员会办公室", "city"),
    ("市人社局", TIANSHUI, "天水市人力资源和社会保障局", "city"),
    ("市市场监管局", TIANSHUI, "天水市市场监督管理局", "city"),
    ("市住建局", TIANSHUI, "天水市住房和城乡建设局", "city"),
    ("市自然资源局", TIANSHUI, "天水市自然资源局", "city"),
    ("人行天水中心支行", TIANSHUI, "中国人民银行天水市中心支行", "city"),
    ("人行天水中心支行", None, "中国人民银行天水市中心支行", "city"),
    ("中国人民银行天水市中心支行", None, "中国人民银行天水市中心支行", "city"),
    ("人民银行天水市中心支行", TIANSHUI, "中国人民银行天水市中心支行", "city"),
    ("市质监局", TIANSHUI, "天水市质量技术监督局", "city"),
    ("市工商局", TIANSHUI, "天水市工商行政管理局", "city"),
    ("市环保局", TIANSHUI, "天水市环境保护局", "city"),
    ("市政府法制办", TIANSHUI, "天水市人民政府法制办公室", "city"),
    ("市法制办", TIANSHUI, "天水市人民政府法制办公室", "city"),
    ("市政府政务大厅", TIANSHUI, "天水市人民政府政务大厅", "city"),
    ("市政府办公室", TIANSHUI, "天水市人民政府办公室", "city"),
    ("市政府办", TIANSHUI, "天水市人民政府办公室", "city"),
    ("市财政局", TIANSHUI, "天水市财政局", "city"),
    ("市公安局", TIANSHUI, "天水市公安局", "city"),
    ("市文化和旅游局", TIANSHUI, "天水市文化和旅游局", "city"),
    ("市委组织部", TIANSHUI, "中共天水市委员会组织部", "city"),
    ("团市委", TIANSHUI, "共青团天水市委员会", "city"),
    ("省发改委", TIANSHUI, "甘肃省发展和改革委员会", "provincial"),
    ("省财政厅", TIANSHUI, "甘肃省财政厅", "provincial"),
    ("国家发展改革委", None, "国家发展和改革委员会", "national"),
    ("国家发改委", TIANSHUI, "国家发展和改革委员会", "national"),
    ("人社部", None, "人力资源和社会保障部", "national"),
    ("区发改局", QIAOCHENG, "谯城区发展和改革局", "county"),
    ("市发改委", QIAOCHENG, "亳州市发展和改革委员会", "city"),
    ("县财政局", COUNTY, "嘉鱼县财政局", "county"),
    ("县发改局(粮食局)", COUNTY, "嘉鱼县发展和改革局(粮食局)", "county"),
    ("县税务局", COUNTY, "国家税务总局嘉鱼县税务局", "county"),
    ("市發改委", TIANSHUI, "天水市发展和改革委员会", "city"),
    ("区公安分局", QIAOCHENG, "亳州市公安局谯城区分局", "county"),
    ("省税务局", TIANSHUI, "国家税务总局甘肃省税务局", "provincial"),
    ("市人力社保局", TIANSHUI, "天水市人力资源和社会保障局", "city"),
    ("省住房城乡建设厅", TIANSHUI, "甘肃省住房和城乡建设厅", "provincial"),
    ("中共天水市委员会组织部", None, "中共天水市委员会组织部", "city"),
    ("国家税务总局嘉鱼县税务局", COUNTY, "国家税务总局嘉鱼县税务局", "county"),
    ("天水市人民政府政务大厅", TIANSHUI, "天水市人民政府政务大厅", "city"),
    ("市经贸委", TIANSHUI, "天水市经济贸易委员会", "city"),
    # never guessed
    ("区公安分局", COUNTY, None, "county"),
    ("省外汇管理局", TIANSHUI, None, "provincial"),
    ("市大数据局", TIANSHUI, None, "city"),
    ("市审改办", TIANSHUI, None, "city"),
    ("县科经局", COUNTY, None, "county"),
    ("市发改委", None, None, "city"),
    ("县财政局", TIANSHUI, None, "county"),
    ("市发改委", COUNTY, None, "city"),
    ("农业局", COUNTY, None, "county"),
    ("农业局", None, None, "unknown"),
    ("宁波化工区管委会", COUNTY, None, "county"),
    ("市第一人民医院", TIANSHUI, None, "city"),
    ("某某公司", None, None, "unknown"),
]


@pytest.mark.parametrize(("name", "jur", "canonical", "level"), CANONICAL)
def test_canonicalize(name: str, jur: Jurisdiction | None, canonical: str | None, level: str, table) -> None:  # type: ignore[no-untyped-def]
    assert canonicalize(name, jur, table) == (canonical, level)


@pytest.mark.parametrize(
    ("name", "level"),
    [("各县区政府", "county"), ("市政府有关部门", "city"), ("驻市有关单位", "city"), ("省直有关部门", "provincial"),
     ("国务院有关部门", "national"), ("各有关单位", "unknown"), ("团县委", "county")],
)
def test_level_of_name(name: str, level: str) -> None:
    assert level_of_name(name, None) == level


def test_level_falls_back_to_jurisdiction() -> None:
    assert level_of_name("各有关单位", COUNTY) == "county"


# --- user alias file ----------------------------------------------------------------------

def write(tmp_path: Path, body: str, name: str = "aliases.tsv") -> str:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return str(p)


def test_user_alias_file_adds_and_overrides(tmp_path: Path) -> None:
    f = write(tmp_path, "# mine\nalias\tfull\tlevel_hint\tambiguous\tnote\n"
                        "市科信局\t{place}科学技术和经济信息化局\tcity\t\t\n"
                        "市发改委\t\tcity\tyes\tnot here\n")
    t = load_aliases(f)
    assert canonicalize("市科信局", TIANSHUI, t) == ("天水市科学技术和经济信息化局", "city")
    assert canonicalize("市发改委", TIANSHUI, t) == (None, "city")
    assert canonicalize("市财政局", TIANSHUI, t) == ("天水市财政局", "city")  # shipped rows stay
    assert canonicalize("市科信局", TIANSHUI, load_aliases()) == (None, "city")  # no leak into the default


def test_user_alias_file_place_pattern(tmp_path: Path) -> None:
    f = write(tmp_path, "alias\tfull\tlevel_hint\n{place}供电公司\t国网{place}供电公司\tcity\n")
    assert canonicalize("天水供电公司", TIANSHUI, load_aliases(f)) == ("国网天水市供电公司", "city")


def test_user_alias_file_traditional_rows(tmp_path: Path) -> None:
    f = write(tmp_path, "alias\tfull\tlevel_hint\n市資訊局\t{place}資訊局\tcity\n")
    assert canonicalize("市资讯局", TIANSHUI, load_aliases(f)) == ("天水市资讯局", "city")


def test_user_alias_file_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "bom.tsv"
    p.write_bytes("alias\tfull\tlevel_hint\n市科信局\t{place}科信局\tcity\n".encode("utf-8-sig"))
    assert canonicalize("市科信局", TIANSHUI, load_aliases(str(p)))[0] == "天水市科信局"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("alias,full\n市a,b\n", "header"),
        ("name\tvalue\n市a\tb\n", "header"),
        ("alias\tfull\tlevel_hint\n\tx\tcity\n", "empty alias"),
        ("alias\tfull\tlevel_hint\n市a\tb\tplanet\n", "level_hint"),
        ("alias\tfull\n市a\tb\tc\td\n", "more cells"),
    ],
)
def test_bad_alias_file(tmp_path: Path, body: str, needle: str) -> None:
    with pytest.raises(CorruptFile) as err:
        load_aliases(write(tmp_path, body))
    assert needle in err.value.reason
    assert "\n" not in str(err.value)


def test_alias_file_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "gbk.tsv"
    p.write_bytes("alias\tfull\n市发改委\t发展\n".encode("gbk"))
    with pytest.raises(CorruptFile, match="UTF-8"):
        load_aliases(str(p))


def test_alias_file_missing_or_folder(tmp_path: Path) -> None:
    with pytest.raises(MissingFile):
        load_aliases(str(tmp_path / "nope.tsv"))
    with pytest.raises(NotAFile):
        load_aliases(str(tmp_path))


def test_alias_file_errors_are_notice_errors(tmp_path: Path) -> None:
    with pytest.raises(NoticeError):
        load_aliases(write(tmp_path, "x\n"))


def test_empty_alias_file_is_fine(tmp_path: Path) -> None:
    assert len(load_aliases(write(tmp_path, "# nothing yet\n"))) == len(load_aliases())


# --- jurisdiction ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("run", "parts"),
    [("天水市", {"city": "天水市"}), ("亳州市谯城区", {"city": "亳州市", "county": "谯城区"}),
     ("甘肃省天水市", {"provincial": "甘肃省", "city": "天水市"}), ("嘉鱼县", {"county": "嘉鱼县"}),
     ("县", {}), ("印发", {}), ("内蒙古自治区", {"provincial": "内蒙古自治区"})],
)
def test_parse_place(run: str, parts: dict[str, str]) -> None:
    assert parse_place(run) == parts


def test_jurisdiction_from_issuer_with_province_in_text() -> None:
    j = jurisdiction_from(Meta(issuer="天水市人民政府办公室"), "为落实甘肃省要求……\n甘肃省人民政府")
    assert j == Jurisdiction(province="甘肃省", city="天水市", level="city")


def test_jurisdiction_from_title() -> None:
    j = jurisdiction_from(Meta(title="亳州市谯城区人民政府办公室关于印发某方案的通知"), "")
    assert j is not None and (j.city, j.county, j.level) == ("亳州市", "谯城区", "county")


def test_jurisdiction_from_portal_cell() -> None:
    j = jurisdiction_from(None, "发布机构: | 某某区政府(办公室) | 主题分类: | 综合政务 |\n正文")
    assert j is not None and (j.county, j.level) == ("某某区", "county")


def test_jurisdiction_traditional_issuer() -> None:
    j = jurisdiction_from(Meta(issuer="武漢市人民政府辦公廳"), "")
    assert j is not None and j.city == "武汉市"


def test_jurisdiction_county_from_doc_number_abbreviation() -> None:
    text = "县人民政府办公室关于某事的通知\n各镇人民政府，县政府各部门，某鱼经济开发区：\n"
    meta = Meta(doc_number=DocNumber(text="某政办发〔2021〕5号", org="某政办发"))
    j = jurisdiction_from(meta, text)
    assert j is not None and (j.county, j.level) == ("某鱼县", "county")


def test_jurisdiction_bare_level_from_recipients() -> None:
    j = jurisdiction_from(Meta(), "关于印发某方案的通知\n各镇人民政府、街道办事处，区政府各部门：\n")
    assert j == Jurisdiction(level="county")


def test_jurisdiction_from_department_issuer() -> None:
    j = jurisdiction_from(Meta(issuer="某阳县卫生健康委员会"), "")
    assert j is not None and (j.county, j.level) == ("某阳县", "county")


def test_jurisdiction_bare_department_source() -> None:
    j = jurisdiction_from(None, "某区某年民生实事完成情况表\n来源:区实事办   2017-08-24\n")
    assert j == Jurisdiction(level="county")


def test_jurisdiction_ignores_recipient_collectives() -> None:
    assert jurisdiction_from(None, "各县区人民政府，市政府各部门：\n") == Jurisdiction(level="city")


def test_jurisdiction_unknown() -> None:
    assert jurisdiction_from(Meta(), "没有发文机关的一段文字。") is None
    assert jurisdiction_from(None, "") is None


# --- jieba -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "parts"),
    [("市发改委市财政局", ["市发改委", "市财政局"]), ("市政府办公室市发展改革委", ["市政府办公室", "市发展改革委"]),
     ("县发改局县财政局县税务局", ["县发改局", "县财政局", "县税务局"]), ("市发改委", None), ("市发展和改革委员会", None),
     ("市商务局市场科", None)],
)
def test_split_run_together(name: str, parts: list[str] | None, table) -> None:  # type: ignore[no-untyped-def]
    assert split_run_together(name, table) == parts


def test_split_run_together_user_words(tmp_path: Path) -> None:
    f = write(tmp_path, "alias\tfull\tlevel_hint\n市甲乙丙局\t{place}甲乙丙局\tcity\n")
    assert split_run_together("市甲乙丙局市财政局", load_aliases(f)) == ["市甲乙丙局", "市财政局"]


def test_task_keywords() -> None:
    kws = task_keywords("加快推进行政审批制度改革，全面清理规范行政审批中介服务事项，2017年底前完成清理。", k=3)
    assert 1 <= len(kws) <= 3
    assert all(len(k) >= 2 and not any(ch.isdigit() for ch in k) for k in kws)
    assert task_keywords("", k=3) == []


# --- the corpus: one canonical per body -----------------------------------------------------

def _gold_docs() -> list[Path]:
    if not (SHARED / "gold").is_dir():
        return []
    return sorted((SHARED / "gold").glob("*.json"))


def _meta_of(gold: dict) -> Meta:
    m = gold["meta"]
    dn = None
    if m.get("doc_number"):
        dn = DocNumber(text=m["doc_number"], org=regex.sub(r"[\[〔(（].*", "", m["doc_number"]))
    return Meta(title=m.get("title"), issuer=m.get("issuer"), doc_number=dn)


def test_gold_units_get_one_canonical_each() -> None:
    """Every gold unit with an alias entry gets a canonical, the same wherever it (or a variant) appears."""
    docs = _gold_docs()
    if not docs:
        pytest.skip("../shared/corpus/gold not available")
    table = load_aliases()
    by_body: dict[tuple[str, str], set[str | None]] = {}
    checked = 0
    for path in docs:
        gold = json.loads(path.read_text(encoding="utf-8"))
        txt = SHARED / f"{gold['doc']}.txt"
        text = txt.read_text(encoding="utf-8") if txt.exists() else ""
        ctx = UnitContext(jurisdiction=jurisdiction_from(_meta_of(gold), text), aliases=table)
        for task in gold["tasks"]:
            for role in ("lead", "responsible", "cooperating"):
                for written in task[role]:
                    units = split_units(written, 0, ctx)
                    assert [u.name for u in units] == [written], (gold["doc"], written)
                    unit = units[0]
                    if unit.collective:
                        assert unit.canonical is None
                        continue
                    hit = table.lookup(written) or table.lookup(regex.sub(r"\(.*\)$", "", written))
                    if hit is not None and not hit[0].ambiguous and ctx.jurisdiction is not None \
                            and ctx.jurisdiction.place(hit[0].level):
                        assert unit.canonical, (gold["doc"], written)
                        checked += 1
                    # a variant spelled as the full name must land on the same canonical
                    if unit.canonical:
                        again = canonicalize(unit.canonical, ctx.jurisdiction, table)[0]
                        assert again == unit.canonical, (written, unit.canonical, again)
                    by_body.setdefault((gold["doc"], written), set()).add(unit.canonical)
    assert checked > 0
    assert all(len(v) == 1 for v in by_body.values())


def test_variants_meet_on_one_canonical(table) -> None:  # type: ignore[no-untyped-def]
    variants = ["市发展改革委", "市发改委", "天水市发展和改革委员会", "天水市发改委", "市发展和改革委员会"]
    assert {canonicalize(v, TIANSHUI, table)[0] for v in variants} == {"天水市发展和改革委员会"}

