"""parser.meta: the GB/T 9704 elements of a notice, each with a span into the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parser.errors import InternalError
from parser.meta import extract_meta
from parser.textnorm import match_text
from schemas.notice import Meta

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def meta_of(text: str, portal: dict[str, str] | None = None) -> Meta:
    meta = extract_meta(text, match_text(text), portal)
    _check_spans(text, meta)
    return meta


def _check_spans(text: str, meta: Meta) -> None:
    """Every recorded span lies inside the text; scalar values are found where their span says."""
    for field, (s, e) in meta.spans.items():
        assert 0 <= s < e <= len(text), field
    for field in ("issuer", "printed_by"):
        value = getattr(meta, field)
        if value is not None and field in meta.spans:
            s, e = meta.spans[field]
            assert value.replace("、", "") == "".join(text[s:e].split()), field
    if meta.doc_number is not None and meta.doc_number.span is not None:
        s, e = meta.doc_number.span
        assert "".join(text[s:e].split()) in meta.doc_number.text or meta.doc_number.text in text[s:e]


def cover(number_line: str = "", title: str = "某市人民政府办公室关于印发某市优化营商环境工作方案的通知",
          body: str = "《某市优化营商环境工作方案》已经市政府同意，现印发给你们，请认真贯彻执行。",
          tail: str = "某市人民政府办公室\n2019年3月5日\n") -> str:
    head = f"{number_line}\n" if number_line else ""
    return f"{head}{title}\n各区县人民政府，市政府各部门：\n{body}\n{tail}"


# ---------------------------------------------------------------- 文号


@pytest.mark.parametrize(
    ("written", "org", "year", "serial"),
    [
        ("某政办发〔2019〕12号", "某政办发", 2019, 12),
        ("某政办发[2019]12号", "某政办发", 2019, 12),
        ("某政办发(2019)12号", "某政办发", 2019, 12),
        ("某政办发（2019）12号", "某政办发", 2019, 12),
        ("某政办发【2019】12号", "某政办发", 2019, 12),
        ("某政办发﹝2019﹞12号", "某政办发", 2019, 12),
        ("某政发［2008］3号", "某政发", 2008, 3),
        ("某府函〔2021〕第105号", "某府函", 2021, 105),
        ("某政办发〔２０１９〕１２号", "某政办发", 2019, 12),
        ("某政辦發〔2019〕12號", "某政辦發", 2019, 12),
    ],
)
def test_doc_number_bracket_variants(written: str, org: str, year: int, serial: int) -> None:
    text = cover(number_line=written)
    number = meta_of(text).doc_number
    assert number is not None
    assert number.text == written
    assert (number.org, number.year, number.serial) == (org, year, serial)
    assert number.span is not None and text[number.span[0] : number.span[1]] == written


def test_doc_number_spaces_inside_are_removed() -> None:
    number = meta_of(cover(number_line="某政办发 〔2019〕 7号")).doc_number
    assert number is not None and number.text == "某政办发〔2019〕7号"


def test_bracketless_number_only_when_nothing_better() -> None:
    alone = meta_of(cover(number_line="某政办发201907号")).doc_number
    assert alone is not None and (alone.year, alone.serial) == (2019, 7)
    both = meta_of("某政办发201907号\n" + cover(number_line="某政办发〔2019〕7号")).doc_number
    assert both is not None and both.text == "某政办发〔2019〕7号"


def test_cited_number_is_a_reference_not_the_notices_own() -> None:
    body = "为贯彻落实《某省人民政府办公厅关于加强督查工作的通知》（某政办发〔2018〕40号）精神，现印发给你们。"
    meta = meta_of(cover(body=body))
    assert meta.doc_number is None
    assert [(r.title, r.doc_number) for r in meta.references] == [
        ("某省人民政府办公厅关于加强督查工作的通知", "某政办发〔2018〕40号")
    ]


def test_portal_number_none_means_null() -> None:
    text = "索引号: | 0001/2020-1 | 信息分类: | 通知 |\n发文字号: | 无 | 有 效 性: | 有效 |\n" + cover()
    assert meta_of(text).doc_number is None


def test_portal_number_written_run_on() -> None:
    text = "發文機構某市人民政府辦公廳發文字號某政辦〔2020〕3號\n成文日期2020年02月01日\n" + cover(tail="")
    meta = meta_of(text)
    assert meta.doc_number is not None and meta.doc_number.text == "某政辦〔2020〕3號"
    assert meta.doc_number.serial == 3
    assert meta.issue_date == "2020-02-01"
    assert meta.issuer == "某市人民政府辦公廳"


def test_portal_dict_from_a_reader() -> None:
    meta = meta_of(cover(tail=""), portal={"发文字号": "某政发〔2020〕9号", "成文日期": "2020-04-09", "发布日期": "2020-04-20"})
    assert meta.doc_number is not None and meta.doc_number.year == 2020 and meta.doc_number.span is None
    assert meta.issue_date == "2020-04-09"
    assert "doc_number" not in meta.spans


# ---------------------------------------------------------------- 成文日期 and 署名


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2019年3月5日", "2019-03-05"),
        ("２０１９年３月５日", "2019-03-05"),
        ("2019 年 3 月 5 日", "2019-03-05"),
        ("二〇一七年八月二十四日", "2017-08-24"),
        ("二○○六年十二月三十日", "2006-12-30"),
        ("二〇一一年三月七日", "2011-03-07"),
        ("二〇二〇年十月十日", "2020-10-10"),
    ],
)
def test_issue_date_forms(line: str, iso: str) -> None:
    meta = meta_of(cover(tail=f"某市人民政府办公室\n{line}\n"))
    assert meta.issue_date == iso
    assert meta.issuer == "某市人民政府办公室"


def test_signature_and_date_on_one_line() -> None:
    meta = meta_of(cover(tail="某县人民政府办公室  2018年1月2日\n"))
    assert (meta.issuer, meta.issue_date) == ("某县人民政府办公室", "2018-01-02")


def test_joint_signature() -> None:
    meta = meta_of(cover(tail="某市人民政府  某军分区\n2018年1月2日\n"))
    assert meta.issuer == "某市人民政府、某军分区"


def test_no_signature_when_the_line_before_the_date_is_not_an_organ() -> None:
    tail = "附件：1.某市优化营商环境工作方案\n2.某市优化营商环境任务清单\n2019年3月5日\n"
    meta = meta_of(cover(tail=tail))
    assert meta.issuer is None
    assert meta.issue_date == "2019-03-05"
    assert meta.attachments == ["某市优化营商环境工作方案", "某市优化营商环境任务清单"]


def test_signed_date_first_then_the_portals_never_the_publication_date() -> None:
    """The date under the signature is the document's own; a portal's 成文日期 (typed in
    by the site, days off at times) serves where the page has no signature date."""
    dated = "成文日期 | 2020-04-09 | 发布日期 | 2020-04-20\n" + cover()
    assert meta_of(dated).issue_date == "2019-03-05"
    unsigned = "成文日期 | 2020-04-09 | 发布日期 | 2020-04-20\n" + cover(tail="")
    assert meta_of(unsigned).issue_date == "2020-04-09"
    empty = "成文日期: | 发布日期: | 2020-04-20 08:44 | |\n" + cover(tail="")
    assert meta_of(empty).issue_date is None


def test_date_inside_a_sentence_is_not_the_issue_date() -> None:
    body = "请于2019年3月31日前报送落实情况。"
    assert meta_of(cover(body=body, tail="")).issue_date is None


def test_portal_issuer_must_be_a_clean_organ_name() -> None:
    base = cover(tail="")
    assert meta_of("发文机关: | 某区政府(办公室) | 主题分类: | 综合政务 |\n" + base).issuer is None
    assert meta_of("发文机关: | 某区人民政府办公室 | 主题分类: | 综合政务 |\n" + base).issuer == "某区人民政府办公室"


def test_portal_publisher_is_no_issuer() -> None:
    """发布机构 names the office that published the page, often the issuer's short form."""
    base = cover(tail="")
    assert meta_of("发布机构: | 某市人民政府办公室 | 主题分类: | 综合政务 |\n" + base).issuer is None


def test_issuer_is_not_taken_from_the_title() -> None:
    assert meta_of(cover(tail="")).issuer is None
    signed = cover(tail="某市人民政府\n2019年3月5日\n")
    assert meta_of(signed).issuer == "某市人民政府"


# ---------------------------------------------------------------- titles


def test_title_joined_across_wraps_and_blank_lines() -> None:
    text = (
        "某政办发〔2021〕5号\n县人民政府办公室关于\n对县《政府工作报告》确定的2021年\n\n"
        "重点工作进行责任分解的通知\n各镇人民政府，县政府各部门：\n现将有关事项通知如下。\n"
    )
    meta = meta_of(text)
    assert meta.title == "县人民政府办公室关于对县《政府工作报告》确定的2021年重点工作进行责任分解的通知"
    s, e = meta.spans["title"]
    assert text[s:e].startswith("县人民政府办公室关于") and text[s:e].endswith("的通知")


def test_title_spaces_from_wraps_removed() -> None:
    meta = meta_of(cover(title="某市人民政府办公室 关于印发某市深入推进放 管服改革工作方案的通知", body="现印发给你们。"))
    assert meta.title == "某市人民政府办公室关于印发某市深入推进放管服改革工作方案的通知"
    assert meta.plan_title == "某市深入推进放管服改革工作方案"


def test_plan_title_from_body_keeps_its_quotes_when_it_agrees_with_the_title() -> None:
    meta = meta_of(cover(
        title="某市人民政府办公室关于印发某市深入推进放管服改革工作方案的通知",
        body="《某市深入推进“放管服”改革工作方案》已经市政府同意，现印发你们。",
    ))
    assert meta.plan_title == "某市深入推进“放管服”改革工作方案"


def test_plan_title_left_out_when_title_and_body_disagree() -> None:
    meta = meta_of(cover(body="现将《某区2020年度重点工作任务分解表》印发给你们。"))
    assert meta.plan_title is None
    assert meta.title == "某市人民政府办公室关于印发某市优化营商环境工作方案的通知"


def test_plan_title_from_body_when_the_title_names_none() -> None:
    meta = meta_of(cover(title="关于做好重点工作的通知", body="现将《某县重点工作责任清单》印发给你们，请抓好落实。"))
    assert meta.plan_title == "某县重点工作责任清单"
    assert meta.references == []  # the plan being issued is not a citation


def test_plan_title_from_attachment_heading() -> None:
    tail = "附件：2021年重点工作责任分解\n某县人民政府办公室\n2021年1月27日\n附件1\n《政府工作报告》确定的2021年重点工作责任分解\n一、主要目标\n"
    meta = meta_of(cover(title="关于印发政府工作报告任务分解的通知", body="现将任务分解如下。", tail=tail))
    assert meta.plan_title == "《政府工作报告》确定的2021年重点工作责任分解"
    assert meta.attachments == ["2021年重点工作责任分解"]
    assert meta.issuer == "某县人民政府办公室"


def test_plan_title_in_book_marks_in_the_title() -> None:
    meta = meta_of(cover(title="某省人民政府关于印发《2023年省〈政府工作报告〉任务分工方案》的通知", body="请认真贯彻落实。"))
    assert meta.plan_title == "2023年省〈政府工作报告〉任务分工方案"


def test_title_from_portal_when_the_text_has_none() -> None:
    text = "标 题: | 某区人民政府办公室关于印发重点工作任务分解表的通知 | ||\n各乡镇人民政府：\n现印发给你们。\n"
    meta = meta_of(text)
    assert meta.title == "某区人民政府办公室关于印发重点工作任务分解表的通知"
    assert meta.plan_title == "重点工作任务分解表"


# ---------------------------------------------------------------- 主送, 抄送, 印发, 附件


def test_recipients_split_bracket_aware() -> None:
    text = cover().replace("各区县人民政府，市政府各部门：", "各镇人民政府(街道办事处)，县政府各部门、直属各单位，驻县有关单位：")
    assert meta_of(text).recipients == ["各镇人民政府(街道办事处)", "县政府各部门", "直属各单位", "驻县有关单位"]


def test_recipients_collective_with_inner_dun_stays_one() -> None:
    text = cover().replace("各区县人民政府，市政府各部门：", "各县、市、区人民政府，省政府各部门：")
    assert meta_of(text).recipients == ["各县、市、区人民政府", "省政府各部门"]


def test_recipients_followed_by_body_on_the_same_line() -> None:
    text = "关于印发任务分解的通知\n各镇人民政府、街道办事处,区政府各部门:为全面落实各项工作,现将任务分解(详见附件)。\n"
    assert meta_of(text).recipients == ["各镇人民政府", "街道办事处", "区政府各部门"]


def test_task_lines_are_not_recipients() -> None:
    text = "1、学前教育促进，牵头单位：市教育局。\n2、义务教育，责任单位：市教育局。\n"
    assert meta_of(text).recipients == []


def test_cc_and_printed_line() -> None:
    tail = (
        "某市人民政府办公室\n2019年3月5日\n"
        "抄送：市委办公室，市人大常委会办公室，市政协办公室。\n某市人民政府办公室 2019年3月6日印发\n"
    )
    meta = meta_of(cover(tail=tail))
    assert meta.cc == ["市委办公室", "市人大常委会办公室", "市政协办公室"]
    assert (meta.printed_by, meta.printed_date) == ("某市人民政府办公室", "2019-03-06")
    assert meta.issue_date == "2019-03-05"


# ---------------------------------------------------------------- scripts, missing fields, bad input


def test_traditional_values_kept_as_written() -> None:
    text = (
        "某政辦〔2020〕1號\n市人民政府辦公廳關於印發2020年市〈政府工作報告〉確定的目標任務分解方案的通知\n"
        "各區人民政府，市人民政府各部門：\n《2020年市〈政府工作報告〉確定的目標任務分解方案》已經市人民政府同意，現印發給你們。\n"
        "某市人民政府辦公廳\n二〇二〇年一月十七日\n"
    )
    meta = meta_of(text)
    assert meta.doc_number is not None and meta.doc_number.text == "某政辦〔2020〕1號"
    assert meta.plan_title == "2020年市〈政府工作報告〉確定的目標任務分解方案"
    assert meta.issuer == "某市人民政府辦公廳"
    assert meta.issue_date == "2020-01-17"
    assert meta.recipients == ["各區人民政府", "市人民政府各部門"]


def test_missing_fields_are_null() -> None:
    meta = meta_of("一、加强组织领导。\n各单位要高度重视。\n二、强化督查。\n")
    assert meta.model_dump(exclude={"spans"}) == Meta().model_dump(exclude={"spans"})
    assert meta.spans == {}


def test_misaligned_match_text_is_an_internal_error() -> None:
    with pytest.raises(InternalError):
        extract_meta("abc", "ab")


@pytest.mark.parametrize(
    "hostile",
    [
        "《" * 200_000,
        "各" * 300_000 + ":",
        ("附件\n" * 50_000),
        ("2017年8月24日\n" * 20_000),
        "关于" + "的通知" * 100_000,
        ("某某办公室 2017年8月24日印发\n" * 10_000),
    ],
)
def test_hostile_input_returns(hostile: str) -> None:
    assert isinstance(meta_of(hostile), Meta)


@pytest.mark.parametrize(
    "body",
    [
        " " * 50_000 + "某\n",  # a space run where a 署名 + date line could start
        "附件" + " " * 50_000 + "x\n",
        "某发〔2017〕" + " " * 50_000 + "号\n",
        "某 " * 30_000 + "2017年8月24日印发\n",
        "《某某通知》(" * 20_000,
    ],
)
def test_hostile_input_below_a_cover_returns(body: str) -> None:
    """Below a title and 主送 every cover-end pattern runs: long space runs must not backtrack."""
    meta = meta_of(cover(tail="") + body)
    assert meta.recipients == ["各区县人民政府", "市政府各部门"]


# ---------------------------------------------------------------- the labelled corpus


def _corpus() -> list[Path]:
    if not (CORPUS / "gold").is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*.txt") if (CORPUS / "gold" / f"{p.stem}.json").is_file())


@pytest.mark.parametrize("path", _corpus() or [None], ids=lambda p: p.stem if p else "absent")
def test_corpus_meta_matches_gold(path: Path | None) -> None:
    if path is None:
        pytest.skip("../shared/corpus is absent")
    gold = json.loads((CORPUS / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))["meta"]
    text = path.read_text(encoding="utf-8")
    meta = meta_of(text)
    got = {
        "doc_number": meta.doc_number.text if meta.doc_number else None,
        "title": meta.plan_title or meta.title,
        "issuer": meta.issuer,
        "issue_date": meta.issue_date,
    }

    def norm(value: str | None) -> str | None:
        return None if value is None else "".join(value.split())

    for field in ("doc_number", "title", "issuer", "issue_date"):
        assert norm(got[field]) == norm(gold.get(field)), field


def test_cited_notice_before_yinfa_is_not_the_plan() -> None:
    body = "为贯彻落实《某省人民政府关于加强督查工作的通知》精神，现将有关事项印发给你们。"
    meta = meta_of(cover(title="关于做好重点工作的通知", body=body))
    assert meta.plan_title is None
    assert [r.title for r in meta.references] == ["某省人民政府关于加强督查工作的通知"]


def test_unsigned_date_cell_of_a_table_is_not_the_issue_date() -> None:
    table = "序号\n工作任务\n责任单位\n完成时限\n1\n建成智慧平台\n市数据局\n2023年6月30日\n"
    assert meta_of(table).issue_date is None
    far = cover(tail="附件：任务清单\n") + "任务说明。\n" * 800 + "2019年9月30日\n"
    assert meta_of(far).issue_date is None


def test_attachment_list_on_lines_after_the_label() -> None:
    tail = "附件：\n1．某市重点工作任务清单\n2．某市民生实事任务清单\n3、联系人名单\n某市人民政府办公室\n2019年3月5日\n"
    meta = meta_of(cover(tail=tail))
    assert meta.attachments == ["某市重点工作任务清单", "某市民生实事任务清单", "联系人名单"]
    assert meta.issuer == "某市人民政府办公室"


def test_number_and_date_in_parentheses_under_a_decision_title() -> None:
    text = "某市人民政府关于表彰先进集体的决定\n（某政发〔2017〕12号）\n（2017年8月24日）\n各县区人民政府：\n现予以表彰。\n"
    meta = meta_of(text)
    assert meta.doc_number is not None and meta.doc_number.text == "某政发〔2017〕12号"
    assert meta.issue_date == "2017-08-24"
    assert meta.title == "某市人民政府关于表彰先进集体的决定"


def test_breadcrumb_is_not_the_title() -> None:
    text = "首页 > 政务公开 > 关于印发某方案的通知\n某县人民政府关于印发某县重点任务清单的通知\n各乡镇人民政府：\n请认真执行。\n"
    assert meta_of(text).title == "某县人民政府关于印发某县重点任务清单的通知"


def test_wrapped_title_without_guanyu() -> None:
    text = "某政办发〔2019〕3号\n某市人民政府办公室转发市发展改革委\n优化营商环境实施意见的通知\n各县区人民政府：\n请遵照执行。\n"
    assert meta_of(text).title == "某市人民政府办公室转发市发展改革委优化营商环境实施意见的通知"


def test_plan_title_from_a_standalone_heading_after_the_cover() -> None:
    tail = "某县人民政府办公室\n2020年5月6日\n某县 2020年重点工作任务清单\n一、经济发展\n"
    meta = meta_of(cover(title="关于做好2020年重点工作的通知", body="现将有关事项通知如下。", tail=tail))
    assert meta.plan_title == "某县2020年重点工作任务清单"
    prose = "某县人民政府办公室\n2020年5月6日\n各单位要高度重视，认真落实。\n"
    assert meta_of(cover(title="关于做好2020年重点工作的通知", body="现将有关事项通知如下。", tail=prose)).plan_title is None


def test_standalone_title_when_the_page_has_no_notice_title() -> None:
    from parser.meta import extract_meta
    from parser.textnorm import match_text

    for text, title in [
        ("2022年度民生实事项目进度表(截至10月31日)\n  • 发布日期:2022-12-14\n序号 | 项目 | 责任单位\n", "2022年度民生实事项目进度表(截至10月31日)"),
        ("某县重大民生实事项目任务分解表.docx\n1、某县重大民生实事项目任务分解表序号项目名称\n", "某县重大民生实事项目任务分解表"),
        ("第12次主管會報縣長裁示事項/某縣政府提供\n 1、做好寒冬送暖。(民政局)\n", "第12次主管會報縣長裁示事項"),
        ("工作任务\n|\n具体要求\n|\n强化行政规范性文件集中规范公开\n|\n", None),
        ("洋川縣人民政府門戶網站\n首頁 > 政務公開 > 民生實事\n洋川縣2024年民生實事項目清單\n發布時間:2024-03-08\n",
         "洋川縣2024年民生實事項目清單"),
    ]:
        assert extract_meta(text, match_text(text)).title == title



def test_issuer_name_on_the_line_above_a_guanyu_title_is_part_of_it() -> None:
    text = "某市人民政府\n关于做好2031年经济社会发展重点工作的通知\n某政〔2031〕2号\n各县(市、区)人民政府:\n"
    meta = meta_of(text)
    assert meta.title == "某市人民政府关于做好2031年经济社会发展重点工作的通知"


def test_a_sentence_above_a_guanyu_title_stays_out_of_it() -> None:
    text = "首页 政务公开\n关于做好2031年经济社会发展重点工作的通知\n各县(市、区)人民政府:\n"
    assert meta_of(text).title == "关于做好2031年经济社会发展重点工作的通知"


def test_doc_number_run_into_the_title_line_is_left_out() -> None:
    text = ("发文字号:某政办字〔2031〕46号\n"
            "某政办字〔2031〕46号某省人民政府办公厅关于落实重点工作部门分工的意见\n各市人民政府:\n")
    assert meta_of(text).title == "某省人民政府办公厅关于落实重点工作部门分工的意见"


def test_news_page_takes_title_and_issuer_from_its_announcing_sentence() -> None:
    text = ("晚报讯 据某省人民政府网消息,近日,某省人民政府发布关于2031年重点工作及责任分解的通知。\n"
            "通知称,省政府确定了13个方面重点工作。\n一、确保完成全年主要预期目标\n")
    meta = meta_of(text)
    assert meta.title == "关于2031年重点工作及责任分解的通知"
    assert meta.issuer == "某省人民政府"


def test_news_page_quoting_the_notice_in_book_brackets() -> None:
    text = ("每项重点工作至少1位市领导牵头\n新京报讯 (记者某某)近日,"
            "《某市人民政府关于印发2031年市政府工作报告重点工作分工方案的通知》发布,分工方案细化为198项任务。\n")
    meta = meta_of(text)
    assert meta.plan_title == "2031年市政府工作报告重点工作分工方案"
    assert meta.issuer == "某市人民政府"


def test_a_notice_that_mentions_a_news_word_keeps_its_own_title() -> None:
    text = "某市人民政府关于做好2031年新闻发布工作的通知\n各县区人民政府:\n近日,省政府发布关于加强政务公开的意见。\n"
    assert meta_of(text).title == "某市人民政府关于做好2031年新闻发布工作的通知"


def test_portal_line_is_read_from_its_head_up_to_the_first_colon() -> None:
    """``is_portal_line`` memoizes by the line's head up to its first colon: the same
    head gives the same answer whatever follows, and a colon after other words is no label's."""
    from parser import clear_memos
    from parser.meta import is_portal_line

    lines = {
        "信息来源:区政府办(外事办)": True,
        "信息来源:市民政局。责任单位:市财政局": True,
        "信 息 来 源 :区政府办": True,
        "发布机构:宣城市人民政府": True,
        "责任部门:市民政局。": False,  # a task's label that portals use too
        "信息来源区政府办:外事办": False,  # the colon is not the label's
        "信息来源|区政府办:外事办": False,
        "信息来源 区政府办": False,
        "完成时间:2023年底前": False,
        "": False,
    }
    for _ in range(2):  # memos filled, then cleared
        assert {line: is_portal_line(line) for line in lines} == lines
        clear_memos()


def test_portal_start_chars_answer_as_the_label_pattern_does() -> None:
    """The set the walker tests lines against says what the pattern's own start filter says."""
    from parser.meta import _portal_start, portal_start_chars

    chars = set("信息来源发布机构责任部门完成时间一二三1.(（:： \t|天水市人民政府办公室关于印发") | portal_start_chars()
    assert {ch for ch in chars if _portal_start()(ch)} == set(portal_start_chars())


def test_title_with_a_qualifier_before_its_kind_wrapped_after_guanyu() -> None:
    text = ("某政办发〔2019〕82号\n某市人民政府办公室关于\n推进某市夜间经济发展的指导意见\n"
            "各区人民政府，市政府各部门：\n为加快推进夜间经济发展，现提出如下意见。\n")
    assert meta_of(text).title == "某市人民政府办公室关于推进某市夜间经济发展的指导意见"


def test_standalone_plan_title_with_its_years() -> None:
    text = "日前，某市印发《某市打赢蓝天保卫战实施方案(2019-2020年)》。全文如下：\n某市打赢蓝天保卫战实施方案(2019-2020年)\n为落实部署要求，制定本方案。\n"
    assert meta_of(text).title == "某市打赢蓝天保卫战实施方案(2019-2020年)"


def test_title_line_closed_by_its_own_number() -> None:
    text = ("某省食品安全委员会关于印发2021年食品安全重点工作安排的通知(某食安委发〔2021〕1 号)\n"
            "各市州食品安全委员会:\n《2021年食品安全重点工作安排》已经省政府同意,现印发你们。\n"
            "  某省食品安全委员会\n  2021 年2 月19 日\n")
    meta = meta_of(text)
    assert meta.title == "某省食品安全委员会关于印发2021年食品安全重点工作安排的通知"
    assert meta.doc_number is not None and meta.doc_number.text == "某食安委发〔2021〕1号"
    assert meta.issuer == "某省食品安全委员会" and meta.issue_date == "2021-02-19"


def test_headline_with_a_comma_on_the_first_line_and_no_numbered_item_as_title() -> None:
    text = ("创文进行时丨12个问题清单曝光,要求限期整改\n\n市创文办发布督查发现的问题,要求限期整改。\n"
            "1. 市图书馆\n(1)灭火器过期未更换。\n问题整改责任单位:市文化和旅游局\n2.市第二人民医院\n(1)禁烟标识不足。\n")
    assert meta_of(text).title == "创文进行时丨12个问题清单曝光,要求限期整改"
    body = text.split("\n", 2)[2]
    assert meta_of(body).title is None, "a numbered item is never the title"


def test_a_sites_own_controls_are_no_standalone_title() -> None:
    text = "电脑桌面\n添加文秘网到电脑桌面\n安装后可以在桌面快捷访问\n\n某区贯彻落实街道工作意见的任务分解方案\n\n为贯彻落实会议精神,制定如下方案。\n"
    assert meta_of(text).title == "某区贯彻落实街道工作意见的任务分解方案"


def test_a_plan_without_a_cover_letter_is_signed_at_its_end() -> None:
    text = ("松河区养老服务重点工作安排\n区民政局负责新建养老服务中心。\n区财政局负责保障资金。\n"
            "松河区民政局\n2032年4月8日\n")
    meta = extract_meta(text, match_text(text))
    assert (meta.issuer, meta.issue_date) == ("松河区民政局", "2032-04-08")
    assert text[slice(*meta.spans["issuer"])] == "松河区民政局"


def test_a_date_alone_at_the_end_is_no_signature() -> None:
    """A one-cell-per-line table's last deadline cell under a unit cell is not signed by it
    unless the unit line is an organ's name; a date alone names no issuer and is left."""
    text = "某区重点工作安排\n序号\n工作任务\n完成时间\n1\n建设养老中心\n2032年9月30日\n"
    meta = extract_meta(text, match_text(text))
    assert meta.issuer is None and meta.issue_date is None


def test_a_portals_numbered_list_of_bracketed_keys_gives_meta_and_no_tasks() -> None:
    from parser import parse_text

    text = ("政务公开 > 政策文件\n  1. [主题分类] 综合政务\n  2. [发文机构] 北京市政务公开领导小组\n  3. [联合发文单位]\n"
            "  5. [成文日期] 2016-06-08\n  6. [发文字号] 〔〕\n  10. [文件来源] 政府公报 年 第期(总第期)\n"
            "北京市政务公开工作重点任务分工\n一、推进公开\n1.积极推进行政程序立法。\n牵头单位:市政府法制办\n")
    n = parse_text(text)
    assert (n.meta.issuer, n.meta.issue_date, n.meta.doc_number) == ("北京市政务公开领导小组", "2016-06-08", None)
    assert [t.number for t in n.tasks] == ["1"] and [u.name for u in n.tasks[0].lead] == ["市政府法制办"]


def test_a_sites_column_tag_before_a_pages_own_title_is_left_out() -> None:
    from parser import parse_text

    text = ("【年度重点工作任务完成情况】某区人民政府2031年第三季度重点工作任务完成情况\n\n浏览次数:信息来源: 某市人民政府办公室\n"
            "序号 | 重点工作 | 牵头单位\n1 | 扩大文化节影响力 | 某区文旅局\n")
    assert parse_text(text).meta.title == "某区人民政府2031年第三季度重点工作任务完成情况"


def test_the_plan_named_in_full_in_the_cover_beats_the_titles_shorter_name() -> None:
    """印发2033年十件实事责任落实方案的通知 over 现将《清河市2033年十件实事责任落实方案》印发给你们:
    the same plan with its place named; a news site's name alone on a line is no title."""
    from parser import parse_text

    text = ("某市人民政府办公室关于印发2033年十件实事责任落实方案的通知\n各县区人民政府:\n"
            "现将《某市2033年十件实事责任落实方案》印发给你们,请认真抓好落实。\n某市人民政府办公室\n2033年2月20日\n"
            "某市2033年十件实事责任落实方案\n一、实施学校改水工程\n(责任单位:市教育局)\n")
    assert parse_text(text).meta.plan_title == "某市2033年十件实事责任落实方案"
    news = "【某市新闻网】\n某市明确城市更新分工\n某市人民政府办公室印发了《某市城市更新分工方案》。\n"
    meta = parse_text(news).meta
    assert (meta.title, meta.issuer) == ("某市城市更新分工方案", "某市人民政府办公室")
