"""Format from content: misnamed files go to the right reader, or are reported when the name lies."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from fpdf import FPDF

from parser.errors import CorruptFile, Encrypted, MislabelledFormat, UnsupportedFormat
from parser.readers import read_bytes
from parser.readers.sniff import OLE_MAGIC, sniff


def _ole(stream: str) -> bytes:
    """The start of an OLE compound file whose directory names ``stream`` (enough for sniffing)."""
    return OLE_MAGIC + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 512


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Notice 1.")
    return bytes(pdf.output())


def _docx(text: str = "一、重点任务") -> bytes:
    doc = docx.Document()
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "序号"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HTML = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div id='zoom'><p>通知正文内容。</p></div></body></html>"


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (_pdf(), "notice.txt", "pdf"),
        (_pdf(), "notice", "pdf"),
        (_docx(), "notice.pdf", "docx"),
        (_docx(), "notice.doc", "docx"),
        (_xlsx(), "tasks.xls", "xlsx"),
        (HTML.encode(), "notice.doc", "html"),
        ("\ufeff" + HTML, "notice.htm", "html"),
        (b"  <html>\n<head><title>t</title></head><body>x</body></html>", "page.txt", "html"),
        (b"{\\rtf1\\ansi notice}", "notice.doc", "rtf"),
        (_ole("WordDocument"), "notice.doc", "doc"),
        (_ole("WordDocument"), "notice.wps", "wps"),
        (_ole("WordDocument"), "notice", "doc"),
        (_ole("Workbook"), "tasks.doc", "xls"),
        (_ole("Workbook"), "tasks.xls", "xls"),
        ("一、重点任务\n".encode("gb18030"), "notice.docx", "txt"),
        ("一、重点任务\n".encode(), "notice.txt", "txt"),
    ],
)
def test_kind_comes_from_content(data: bytes | str, name: str, kind: str) -> None:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    assert sniff(raw, name) == kind


def test_legacy_doc_renamed_docx_is_mislabelled() -> None:
    with pytest.raises(MislabelledFormat, match=r"\.doc"):
        sniff(_ole("WordDocument"), "notice.docx")
    with pytest.raises(MislabelledFormat, match=r"\.xls"):
        sniff(_ole("Workbook"), "tasks.xlsx")


def test_password_protected_office_file_is_encrypted() -> None:
    with pytest.raises(Encrypted):
        sniff(_ole("EncryptedPackage"), "notice.docx")


def test_zip_that_is_not_a_notice_and_broken_zip() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "x")
    with pytest.raises(UnsupportedFormat, match="zip archive"):
        sniff(buf.getvalue(), "bundle.docx")
    with pytest.raises(CorruptFile):
        sniff(b"PK\x03\x04" + b"\0" * 40, "notice.docx")


def test_misnamed_files_read_end_to_end() -> None:
    assert read_bytes(_pdf(), "notice.txt").text.splitlines() == ["Notice 1."]
    assert read_bytes(_docx("1.承接落实事项。"), "notice.pdf").text.splitlines() == ["1.承接落实事项。"]
    doc = read_bytes(HTML.encode(), "notice.doc")
    assert doc.format == "html" and doc.text.splitlines() == ["通知正文内容。"]
    with pytest.raises(MislabelledFormat) as info:
        read_bytes(_ole("WordDocument"), "notice.docx")
    assert info.value.path == "notice.docx"


def test_body_markup_saved_as_text_is_read_as_html() -> None:
    page = ('<p class="ql-block">督查组对社区进行专项检查,突出问题如下:</p> <p class="ql-block">一、某某社区</p> '
            '<p class="ql-block">1.门前三包责任落实不到位。(责任单位:市综合行政执法局)</p>').encode()
    assert sniff(page, "page.txt") == "html"
    assert sniff("<p>这是一段</p>正文".encode(), "a.txt") == "txt", "one closed tag is no page"
    from parser import parse_bytes

    (t,) = parse_bytes(page, "page.txt").tasks
    assert [u.name for u in t.responsible] == ["市综合行政执法局"]
