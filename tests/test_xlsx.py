"""``--format xlsx``: the workbook is the CSV tables, cell for cell, with Excel's conveniences.

The round trip reads the workbook back with openpyxl (and pandas) and compares each sheet
with its CSV file: typed cells (dates, numbers) turned back into text must give the CSV
row exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import openpyxl
import pytest

from parser.cli import main as cli_main
from parser.writers import xlsx_out
from parser.writers.xlsx_out import Sheet, write_workbook
from tests.test_batch import notice_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def as_text(value: object) -> str:
    """A cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value)


def sheet_rows(ws) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[as_text(v) for v in row] for row in ws.iter_rows(values_only=True)]


def check_conveniences(ws, n_rows: int) -> None:  # type: ignore[no-untyped-def]
    """Frozen bold header, a filter over every row and column, widths set, dates as dates."""
    assert ws.freeze_panes == "A2"
    assert all(cell.font.b for cell in ws[1])
    last = openpyxl.utils.get_column_letter(ws.max_column)
    assert ws.auto_filter.ref == f"A1:{last}{n_rows + 1}"
    for col in range(1, ws.max_column + 1):
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width
        assert xlsx_out.MIN_WIDTH <= width <= xlsx_out.MAX_WIDTH + 1  # the writer rounds to whole pixels
    header = [c.value for c in ws[1]]
    for name in xlsx_out.DATE_COLUMNS & set(header):
        i = header.index(name) + 1
        values = [ws.cell(row=r, column=i) for r in range(2, ws.max_row + 1)]
        for cell in values:
            if cell.value is not None:
                assert isinstance(cell.value, dt.datetime), (name, cell.value)
                assert cell.number_format == xlsx_out.DATE_FORMAT
    for name in ("start", "end", "lead_tasks", "notices"):
        if name in header:
            i = header.index(name) + 1
            assert all(isinstance(ws.cell(row=r, column=i).value, int) for r in range(2, ws.max_row + 1))


def test_batch_of_20_to_xlsx_has_the_rows_of_the_csvs(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(20):
        (src / f"n{i:03d}.txt").write_text(notice_text(i), encoding="utf-8")
    out = tmp_path / "out"
    assert cli_main(["batch", str(src), "-o", str(out), "--jobs", "2", "--quiet", "--format", "xlsx",
                     "--no-parquet"]) == 0
    wb = openpyxl.load_workbook(out / "notices.xlsx")
    assert wb.sheetnames == ["tasks", "assignments", "units", "notices", "errors"]
    for name in ("tasks", "assignments", "units", "errors"):
        expected = csv_rows(out / f"{name}.csv")
        assert sheet_rows(wb[name]) == expected, name
        check_conveniences(wb[name], len(expected) - 1)
    tasks = csv_rows(out / "tasks.csv")
    assert len(tasks) - 1 == 60, "20 notices x 3 tasks"
    assert any(row[tasks[0].index("due")] for row in tasks[1:]), "the notices have due dates"
    notices = sheet_rows(wb["notices"])
    assert notices[0] == xlsx_out.NOTICE_COLUMNS
    records = [json.loads(line) for line in (out / "notices.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r[0] for r in notices[1:]] == [r["source"]["path"] for r in records]
    assert [r[5] for r in notices[1:]] == [str(len(r["tasks"])) for r in records]
    check_conveniences(wb["notices"], 20)
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]


def test_pandas_reads_the_tasks_sheet_like_the_csv(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    out = tmp_path / "out"
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    assert cli_main(["parse", *files, "-o", str(out), "--format", "csv,xlsx"]) == 0
    from_csv = pd.read_csv(out / "tasks.csv", dtype=str, keep_default_na=False)
    from_xlsx = pd.read_excel(out / "notices.xlsx", sheet_name="tasks", dtype=str, keep_default_na=False)
    assert list(from_xlsx.columns) == list(from_csv.columns)
    assert len(from_xlsx) == len(from_csv) > 50
    assert from_xlsx["text"].tolist() == from_csv["text"].tolist()
    assert from_xlsx["id"].tolist() == from_csv["id"].tolist()


def test_parse_to_xlsx_has_three_sheets_with_the_rows_of_the_csvs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    assert cli_main(["parse", *files, "-o", str(out), "--format", "csv,xlsx"]) == 0
    wb = openpyxl.load_workbook(out / "notices.xlsx")
    assert wb.sheetnames == ["tasks", "assignments", "units"]
    for name in wb.sheetnames:
        expected = csv_rows(out / f"{name}.csv")
        assert sheet_rows(wb[name]) == expected, name
        check_conveniences(wb[name], len(expected) - 1)


def test_xlsx_alone_writes_only_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli_main(["parse", str(CORPUS / "seed_lines_city.txt"), "-o", str(out), "--format", "xlsx"]) == 0
    assert os.listdir(out) == ["notices.xlsx"]


def test_text_is_never_a_formula_and_odd_values_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    rows = [["=HYPERLINK(\"http://x\")", "2020-02-30", "12a", "a\x01b"], ["+1", "2020-06-30", "7", ""]]
    write_workbook(path, [Sheet("tasks", ["text", "due", "start", "warnings"], rows)])
    ws = openpyxl.load_workbook(path)["tasks"]
    assert ws["A2"].value == '=HYPERLINK("http://x")' and ws["A2"].data_type == "s"
    assert ws["B2"].value == "2020-02-30", "not a real date: kept as text"
    assert ws["C2"].value == "12a"
    assert ws["D2"].value == "a\ufffdb", "a control character XML cannot hold is replaced, not fatal"
    assert ws["B3"].value == dt.datetime(2020, 6, 30)
    assert ws["C3"].value == 7
    assert ws["D3"].value is None


def test_a_failed_write_leaves_the_old_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.xlsx"
    write_workbook(path, [Sheet("tasks", ["text"], [["old"]])])
    before = path.read_bytes()

    import xlsxwriter

    real_close = xlsxwriter.Workbook.close

    def broken_close(self):  # type: ignore[no-untyped-def]
        target, self.filename = self.filename, io.BytesIO()
        real_close(self)
        target.write(self.filename.getvalue()[:100])  # half a workbook, then the disk fills up
        raise OSError("disk full")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", broken_close)
    with pytest.raises(OSError):
        write_workbook(path, [Sheet("tasks", ["text"], [["new"]])])
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["w.xlsx"]


def test_column_widths_count_chinese_characters_double() -> None:
    sheet = Sheet("s", ["a", "b", "c"], [["市发展改革委", "abcdef", "x" * 500]])
    wide, narrow, longest = xlsx_out.column_widths(sheet)
    assert wide == 14 and narrow == 8 and longest == xlsx_out.MAX_WIDTH


def test_batch_rejects_unknown_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["batch", str(CORPUS / "seed_lines_city.txt"), "-o", str(tmp_path), "--format", "xls"]) == 2
    assert "unknown format xls" in capsys.readouterr().err
