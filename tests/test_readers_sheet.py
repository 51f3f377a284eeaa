"""The spreadsheet reader: rows as table lines, merges spread, titles as headings, limits."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from parser.errors import CorruptFile, TooLarge
from parser.limits import Limits
from parser.readers import read_bytes
from parser.readers.sheet import read_sheet

EXPECTED = [
    "重点任务分工表",
    "序号 | 重点任务 | 牵头单位 | 完成时限",
    "（一）深化改革",
    "1 | 任务甲 | 市发改委 | 2017-09-30",
    "2 | 任务乙 | 市发改委 | 持续推进",
    "3 | 任务丙 | 市财政局 | ",
]


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["重点任务分工表"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "重点任务", "牵头单位", "完成时限"])
    ws.append(["（一）深化改革"])
    ws.merge_cells("A3:D3")
    ws.append([1, "任务甲", "市发改委", dt.datetime(2017, 9, 30)])
    ws.append([2.0, "任务乙", None, "持续推进"])
    ws.merge_cells("C4:C5")
    ws.append([])
    ws.append([3, "任务丙", "市财政局", None])
    hidden = wb.create_sheet("hidden")
    hidden["A1"] = "隐藏表不读"
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_rows_merges_and_headings() -> None:
    doc = read_sheet(_xlsx(), Limits(), "xlsx")
    assert doc.format == "xlsx"
    assert doc.text.splitlines() == EXPECTED


def test_lone_title_cell_and_offset_table() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C2"] = "附件：任务清单"
    ws["B4"], ws["C4"], ws["D4"] = "序号", "任务", "责任单位"
    ws["B5"], ws["C5"], ws["D5"] = 1, "任务甲", "市商务局"
    buf = io.BytesIO()
    wb.save(buf)
    assert read_sheet(buf.getvalue(), Limits(), "xlsx").text.splitlines() == [
        "附件：任务清单", "序号 | 任务 | 责任单位", "1 | 任务甲 | 市商务局",
    ]


def test_xls_through_xlrd() -> None:
    xlwt = pytest.importorskip("xlwt", reason="xlwt (test extra) builds the .xls fixture")
    book = xlwt.Workbook(encoding="utf-8")
    sh = book.add_sheet("任务")
    sh.write_merge(0, 0, 0, 3, "重点任务分工表")
    for c, v in enumerate(["序号", "重点任务", "牵头单位", "完成时限"]):
        sh.write(1, c, v)
    sh.write_merge(2, 2, 0, 3, "（一）深化改革")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sh.write(3, 0, 1)
    sh.write(3, 1, "任务甲")
    sh.write_merge(3, 4, 2, 2, "市发改委")
    sh.write(3, 3, dt.datetime(2017, 9, 30), date_style)
    sh.write(4, 0, 2.0)
    sh.write(4, 1, "任务乙")
    sh.write(4, 3, "持续推进")
    sh.write(6, 0, 3)
    sh.write(6, 1, "任务丙")
    sh.write(6, 2, "市财政局")
    buf = io.BytesIO()
    book.save(buf)
    doc = read_bytes(buf.getvalue(), "tasks.xls")
    assert doc.format == "xls"
    assert doc.text.splitlines() == EXPECTED


def test_zip_limits_and_broken_workbooks() -> None:
    data = _xlsx()
    with pytest.raises(TooLarge):
        read_sheet(data, Limits(max_unzipped_bytes=2000), "xlsx")
    with pytest.raises(CorruptFile):
        read_sheet(b"PK\x03\x04 broken", Limits(), "xlsx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "x")
    with pytest.raises(CorruptFile, match="workbook"):
        read_sheet(buf.getvalue(), Limits(), "xlsx")
    with pytest.raises(CorruptFile):
        read_sheet(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, Limits(), "xls")


def test_cell_count_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from parser.readers import sheet

    monkeypatch.setattr(sheet, "MAX_CELLS", 10)
    with pytest.raises(TooLarge, match="cells"):
        read_sheet(_xlsx(), Limits(), "xlsx")
