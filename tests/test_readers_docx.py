"""The .docx reader (and .doc through LibreOffice): body order, list numbers, merged cells, limits."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
import regex
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from parser.data import load_json
from parser.errors import CorruptFile, MissingTool, TooLarge
from parser.limits import Limits
from parser.readers import read_bytes, read_file
from parser.readers.docx import chinese_count, format_number, read_docx
from tests.fixtures import missing_task_lines, rendered_files

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _bytes(doc: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _lines(data: bytes, limits: Limits | None = None) -> list[str]:
    return read_docx(data, limits or Limits()).text.splitlines()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """Rewrite one member of a .docx zip (python-docx cannot write numbering.xml freely)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info.filename))
        dst.writestr(name, content)
    return out.getvalue()


def _numbered(p: docx.text.paragraph.Paragraph, num_id: int, ilvl: int) -> None:
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/></w:lvl>
    <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%5"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="1">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="2">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%1."/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="0"/>
    <w:lvlOverride w:ilvl="2"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
  <w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>""".encode()


def test_auto_numbering_restores_the_markers_a_reader_sees() -> None:
    doc = docx.Document()
    plan = [
        (0, "总体要求"), (1, "深化改革"), (2, "承接事项"), (2, "回头看"), (3, "细项甲"), (4, "子项"),
        (4, "子项二"), (2, "预下放"), (1, "提升效率"), (2, "优化流程"), (0, "保障措施"), (1, "加强领导"),
    ]
    for level, text in plan:
        _numbered(doc.add_paragraph(text), 1, level)
    _numbered(doc.add_paragraph("要点"), 2, 0)
    _numbered(doc.add_paragraph("另起"), 3, 2)
    _numbered(doc.add_paragraph("天干"), 4, 0)
    _numbered(doc.add_paragraph("天干二"), 4, 0)
    _numbered(doc.add_paragraph("组织实施"), 5, 0)  # another instance of the same list continues it
    data = _replace_part(_bytes(doc), "word/numbering.xml", NUMBERING)
    assert _lines(data) == [
        "一、总体要求", "（一）深化改革", "1.承接事项", "2.回头看", "（1）细项甲", "①子项", "②子项二",
        "3.预下放", "（二）提升效率", "1.优化流程", "二、保障措施", "（一）加强领导",
        "要点", "7.另起", "甲.天干", "乙.天干二", "三、组织实施",
    ]


def test_style_based_numbering_follows_the_paragraph_style() -> None:
    doc = docx.Document()
    style = doc.styles.add_style("TaskItem", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>')
    )
    doc.add_paragraph("第一项", style="TaskItem")
    doc.add_paragraph("说明文字")
    doc.add_paragraph("第二项", style="TaskItem")
    data = _replace_part(_bytes(doc), "word/numbering.xml", NUMBERING)
    assert _lines(data) == ["1.第一项", "说明文字", "2.第二项"]


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [(1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (15, "chineseCounting", "十五"),
     (20, "chineseCounting", "二十"), (34, "chineseCountingThousand", "三十四"), (105, "chineseCounting", "一百零五"),
     (3, "decimalEnclosedCircle", "③"), (12, "decimal", "12"), (2, "ideographTraditional", "乙"),
     (4, "lowerLetter", "d"), (9, "upperRoman", "IX"), (2, "decimalFullWidth", "２"), (5, "bullet", "")],
)
def test_number_formats(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_chinese_count_round_numbers() -> None:
    assert [chinese_count(n) for n in (11, 99, 100, 110, 1000, 1001)] == ["十一", "九十九", "一百", "一百一十", "一千", "一千零一"]


def test_body_order_tables_and_merged_cells() -> None:
    doc = docx.Document()
    doc.add_paragraph("二、重点任务")
    table = doc.add_table(rows=5, cols=4)
    for c, head in enumerate(["序号", "重点任务", "牵头单位", "完成时限"]):
        table.cell(0, c).text = head
    table.cell(1, 0).merge(table.cell(1, 3)).text = "（一）深化改革。"
    for r, (num, task, when) in enumerate([("1", "任务甲", "9月底前"), ("2", "任务乙", "持续推进"), ("3", "任务丙", "年底前")], 2):
        table.cell(r, 0).text, table.cell(r, 1).text, table.cell(r, 3).text = num, task, when
    table.cell(2, 2).merge(table.cell(4, 2)).text = "市审改办"
    doc.add_paragraph("三、保障措施")
    assert _lines(_bytes(doc)) == [
        "二、重点任务",
        "序号 | 重点任务 | 牵头单位 | 完成时限",
        "（一）深化改革。",
        "1 | 任务甲 | 市审改办 | 9月底前",
        "2 | 任务乙 | 市审改办 | 持续推进",
        "3 | 任务丙 | 市审改办 | 年底前",
        "三、保障措施",
    ]


def test_cell_lines_become_spaces_and_nested_tables_are_flattened() -> None:
    doc = docx.Document()
    table = doc.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "1"
    cell = table.cell(0, 1)
    cell.text = "市发改委"
    cell.add_paragraph("市财政局")
    inner = table.cell(0, 2).add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "牵头", "市工信局"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "配合", "市商务局"
    lines = _lines(_bytes(doc))
    assert lines == ["1 | 市发改委 市财政局 | 牵头 市工信局 配合 市商务局"]


def test_deleted_hidden_headers_and_page_fields_are_left_out() -> None:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "页眉文字"
    doc.sections[0].footer.paragraphs[0].text = "页脚文字"
    p = doc.add_paragraph("牵头单位：市发改委")
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>、市财政局</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>、市商务局</w:t></w:r></w:ins>'))
    hidden = doc.add_paragraph("可见")
    run = hidden.add_run("隐藏批注")
    run.font.hidden = True
    field = doc.add_paragraph("第")
    field._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>'
    ))
    field._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'))
    field._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    field._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t>7</w:t></w:r>'))
    field._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
    field.add_run("页")
    doc.add_paragraph("甲").add_run().add_break()
    lines = _lines(_bytes(doc))
    assert lines == ["牵头单位：市发改委、市商务局", "可见", "第页", "甲"]
    assert "页眉" not in "".join(lines) and "页脚" not in "".join(lines)


def test_manual_line_break_starts_a_new_line() -> None:
    doc = docx.Document()
    p = doc.add_paragraph("1.任务一")
    p.add_run().add_break()
    p.add_run("牵头单位：市发改委")
    assert _lines(_bytes(doc)) == ["1.任务一", "牵头单位：市发改委"]


def test_zip_limits_are_checked_before_inflating() -> None:
    doc = docx.Document()
    doc.add_paragraph("正文")
    data = _bytes(doc)
    with pytest.raises(TooLarge, match="inflates to"):
        read_docx(data, Limits(max_unzipped_bytes=1000))
    with pytest.raises(TooLarge, match="zip members"):
        read_docx(data, Limits(max_members=3))
    bomb = _replace_part(data, "word/media/zeros.bin", b"\0" * (4 * 1024 * 1024))
    with pytest.raises(TooLarge, match=r"inflates \d+:1"):
        read_docx(bomb, Limits())


def test_broken_files_are_corrupt() -> None:
    with pytest.raises(CorruptFile, match=r"not a \.docx"):
        read_docx(b"PK\x03\x04 not really a zip", Limits())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(CorruptFile, match=r"word/document\.xml"):
        read_docx(buf.getvalue(), Limits())


# ---------------------------------------------------------------- legacy .doc through LibreOffice


def _has_soffice() -> bool:
    return shutil.which("soffice") is not None


@pytest.mark.skipif(not _has_soffice(), reason="LibreOffice (soffice) not installed: scripts/install_system_deps.sh")
def test_doc_is_read_through_libreoffice(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("一、重点任务")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "牵头单位"
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "市发改委"
    doc.add_paragraph("二、保障措施")  # Word files end in a paragraph; LibreOffice drops a trailing table
    src = tmp_path / "n.docx"
    doc.save(src)
    for fmt in ("doc", "rtf"):
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", fmt,
             "--outdir", str(tmp_path), str(src)],
            check=True, capture_output=True, timeout=120,
        )
    (tmp_path / "n.wps").write_bytes((tmp_path / "n.doc").read_bytes())  # Kingsoft WPS saves Word binaries
    for fmt in ("doc", "wps", "rtf"):
        legacy = read_file(tmp_path / f"n.{fmt}")
        assert legacy.format == fmt
        assert legacy.text.splitlines() == ["一、重点任务", "序号 | 牵头单位", "1 | 市发改委", "二、保障措施"], fmt


def test_doc_without_libreoffice_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from parser.readers import legacy

    monkeypatch.setattr(legacy.shutil, "which", lambda name: None)
    fake_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 600
    with pytest.raises(MissingTool, match="apt-get install libreoffice"):
        read_bytes(fake_doc, "n.doc")


# ---------------------------------------------------------------- the rendered corpus


def _squash(text: str) -> str:
    return regex.sub(r"\s+", "", text)


def test_rendered_paragraph_docx_keeps_every_task_line() -> None:
    for path in rendered_files("*.para.docx"):
        missing, total = missing_task_lines(path)
        assert not missing, f"{path.name}: {len(missing)} of {total} task lines missing, e.g. {missing[:2]}"


def unit_expectations(twin: Path) -> dict[str, list[str]]:
    """Task number → the unit values its label lines give (牵头单位：X …), from the .txt twin."""
    labels = load_json("labels.json")
    names = sorted({n for role in ("lead", "responsible", "cooperating") for n in labels[role]}, key=len, reverse=True)
    label_re = regex.compile(r"^(?:" + "|".join(map(regex.escape, names)) + r")[：:](.+)$")
    out: dict[str, list[str]] = {}
    current: str | None = None
    for line in twin.read_text(encoding="utf-8").splitlines():
        m = regex.match(r"^\s*(\d{1,3})\s*[.、．]", line)
        if m:
            current = m.group(1)
            out[current] = []
            continue
        lm = label_re.match(line.strip())
        if lm and current:
            out[current].append(_squash(lm.group(1)).rstrip("。；;"))
    return out


def check_table_rows(text: str, twin: Path) -> list[str]:
    """Problems: tasks of the twin with no `N | …` row holding all its units."""
    rows = {line.split(" | ", 1)[0].strip(): _squash(line) for line in text.splitlines() if " | " in line}
    problems = []
    for number, units in unit_expectations(twin).items():
        row = rows.get(number)
        if row is None:
            problems.append(f"no row for task {number}")
        elif missing := [u for u in units if u not in row]:
            problems.append(f"task {number}: {missing}")
    return problems


def test_rendered_table_docx_rows_carry_their_units() -> None:
    for path in rendered_files("*.table.docx"):
        twin = CORPUS / (path.name.split(".")[0] + ".txt")
        if twin.exists():
            problems = check_table_rows(read_file(path).text, twin)
            assert not problems, f"{path.name}: {problems[:3]}"



def test_text_box_paragraphs_are_read_once() -> None:
    doc = docx.Document()
    p = doc.add_paragraph("正文第一段")
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = '<w:txbxContent><w:p><w:r><w:t>某政办发〔2017〕1号</w:t></w:r></w:p></w:txbxContent>'
    p._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:mc="{mc}"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<w:anchor>{box}</w:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback>'
        f'</mc:AlternateContent></w:r>'
    ))
    assert _lines(_bytes(doc)) == ["某政办发〔2017〕1号", "正文第一段"]
