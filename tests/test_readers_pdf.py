"""The PDF reader: paragraphs rejoined, running headers and page numbers gone, ruled tables rebuilt.

Fixtures are drawn at run time with fpdf2 and a CJK font chosen by name that fpdf2 can
embed with a text layer (tests/fixtures.py: WenQuanYi Micro Hei, whatever other fonts the
machine has); without it the tests that need Chinese glyphs skip
(scripts/install_system_deps.sh installs fonts-wqy-microhei).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
import regex
from fpdf import FPDF

from parser.data import load_json
from parser.errors import CorruptFile, Encrypted, NoTextLayer, TooLarge
from parser.limits import Limits
from parser.readers import read_file
from parser.readers.pdf import read_pdf
from tests.fixtures import NO_FONT, cjk_font, missing_task_lines, rendered_files

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


FONT = cjk_font()
needs_font = pytest.mark.skipif(FONT is None, reason=NO_FONT)


class _Pdf(FPDF):
    """A page with an optional running header and a footer page number in a given style."""

    def __init__(self, header_text: str = "", footer: str = "— {n} —", header_from: int = 1) -> None:
        super().__init__(unit="pt", format="A4")
        self.header_text = header_text
        self.header_from = header_from
        self.footer_format = footer
        self.set_auto_page_break(True, margin=72)
        self.set_margins(72, 72, 72)
        assert FONT is not None
        self.add_font("cjk", fname=FONT)
        self.set_font("cjk", size=14)

    def header(self) -> None:
        if self.header_text and self.page_no() >= self.header_from:
            self.set_font("cjk", size=9)
            self.set_xy(72, 30)
            self.cell(0, 12, self.header_text)
            self.set_font("cjk", size=14)
            self.set_xy(72, 72)

    def footer(self) -> None:
        if self.footer_format:
            self.set_font("cjk", size=10)
            self.set_xy(72, self.h - 50)
            self.cell(self.w - 144, 12, self.footer_format.format(n=self.page_no(), total="{nb}"), align="C")
            self.set_font("cjk", size=14)

    def para(self, text: str) -> None:
        self.multi_cell(0, 22, text, new_x="LMARGIN", new_y="NEXT")

    def grid(self, col_w: Sequence[float], rows: Sequence[Sequence[tuple[str, int, int]]], line_h: float = 16) -> None:
        """Draw a ruled table: each cell (text, colspan, rowspan) boxed, text wrapped inside it."""
        self.set_font("cjk", size=11)
        x0, y0 = self.l_margin, self.get_y()
        row_h = [2 * line_h] * len(rows)
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):  # first pass: how tall each row must be for its wrapped text
            c = 0
            for text, cs, rs in row:
                while (r, c) in taken:
                    c += 1
                width = sum(col_w[c:c + cs]) - 6
                needed = sum(max(1, -(-len(part) * 11 // int(width - 11))) for part in text.split("\n"))
                if rs == 1:
                    row_h[r] = max(row_h[r], needed * line_h + 8)
                taken.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
                c += cs
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            for text, cs, rs in row:
                while (r, c) in taken:
                    c += 1
                x = x0 + sum(col_w[:c])
                y = y0 + sum(row_h[:r])
                w, h = sum(col_w[c:c + cs]), sum(row_h[r:r + rs])
                self.rect(x, y, w, h)
                self.set_xy(x + 3, y + 3)
                self.multi_cell(w - 6, line_h, text)
                for dr in range(rs):
                    for dc in range(cs):
                        taken.add((r + dr, c + dc))
                c += cs
        self.set_xy(x0, y0 + sum(row_h) + 10)
        self.set_font("cjk", size=14)

    def bytes(self) -> bytes:
        return bytes(self.output())


def _lines(data: bytes, limits: Limits | None = None) -> list[str]:
    return read_pdf(data, limits or Limits()).text.splitlines()


LONG = "认真贯彻落实党中央国务院的决策部署，以破解当前改革进程中存在的重难点问题为着力点，采取有效措施，创新体制机制，加强组织领导，加强督导落实，营造稳定公平透明可预期的营商环境"


@needs_font
def test_wrapped_paragraphs_are_joined_and_running_text_dropped() -> None:
    pdf = _Pdf(header_text="某市深化改革实施方案")
    pdf.add_page()
    body = [
        "一、工作目标",
        LONG + "。",
        "二、重点任务",
        "1.承接落实省政府取消下放和调整的行政审批事项，" + LONG + "。",
        "牵头单位：市审改办。",
        "责任单位：各县区政府，市政府有关部门。",
        "完成时限：2017年9月底前。",
    ]
    for _ in range(3):
        for text in body:
            pdf.para(text)
    pdf.para("（一）最后一段。")
    doc = read_pdf(pdf.bytes(), Limits())
    lines = doc.text.splitlines()
    assert lines == body * 3 + ["（一）最后一段。"]
    assert len(doc.pages) == pdf.page_no() >= 2
    assert doc.pages[0][0] == 0 and doc.pages[-1][1] == len(doc.text)
    assert all(a[1] == b[0] for a, b in zip(doc.pages, doc.pages[1:], strict=False))


@needs_font
@pytest.mark.parametrize("footer", ["— {n} —", "－ {n} －", "- {n} -", "{n}", "第{n}页", "第 {n} 页 共 {total} 页", "{n}/{total}"])
def test_page_number_styles_are_removed(footer: str) -> None:
    pdf = _Pdf(footer=footer)
    pdf.alias_nb_pages()
    for k in range(2):
        pdf.add_page()
        pdf.para(f"{k + 1}.第{k + 1}项任务。")
    assert _lines(pdf.bytes()) == ["1.第1项任务。", "2.第2项任务。"]


@needs_font
def test_heading_marker_starts_a_paragraph_even_after_a_full_line() -> None:
    pdf = _Pdf()
    pdf.add_page()
    full = "深化改革" * 30
    cut = len(full) - len(full) % 1
    pdf.para(full[:cut])
    pdf.para("（二）提升投资项目审批效率。")
    lines = _lines(pdf.bytes())
    assert lines[-1] == "（二）提升投资项目审批效率。"
    assert "".join(lines[:-1]) == full[:cut]


HEADER = [("序号", 1, 1), ("重点任务", 1, 1), ("牵头单位", 1, 1), ("完成时限", 1, 1)]
COLS = (40.0, 200.0, 110.0, 90.0)


@needs_font
def test_ruled_table_with_merged_cells() -> None:
    pdf = _Pdf()
    pdf.add_page()
    pdf.para("二、重点任务")
    pdf.grid(COLS, [
        HEADER,
        [("（一）深化行政审批制度改革。", 4, 1)],
        [("1", 1, 1), ("承接落实省政府取消下放和调整的行政审批事项。", 1, 1), ("市审改办", 1, 2), ("持续推进", 1, 1)],
        [("2", 1, 1), ("对行政审批事项取消下放工作进行一次回头看。", 1, 1), ("2017年9月底前", 1, 1)],
    ])
    pdf.para("三、保障措施")
    assert _lines(pdf.bytes()) == [
        "二、重点任务",
        "序号 | 重点任务 | 牵头单位 | 完成时限",
        "（一）深化行政审批制度改革。",
        "1 | 承接落实省政府取消下放和调整的行政审批事项。 | 市审改办 | 持续推进",
        "2 | 对行政审批事项取消下放工作进行一次回头看。 | 市审改办 | 2017年9月底前",
        "三、保障措施",
    ]


@needs_font
def test_short_lines_inside_a_cell_stay_apart_as_spaces() -> None:
    pdf = _Pdf()
    pdf.add_page()
    pdf.grid(COLS, [HEADER, [("1", 1, 1), ("任务。", 1, 1), ("市发改委\n市财政局", 1, 1), ("年底前", 1, 1)]])
    assert _lines(pdf.bytes())[1] == "1 | 任务。 | 市发改委 市财政局 | 年底前"


@needs_font
def test_table_continued_on_next_page_drops_repeated_header_and_rejoins_split_row() -> None:
    pdf = _Pdf()
    pdf.add_page()
    pdf.grid(COLS, [HEADER, [("1", 1, 1), ("第一项任务。", 1, 1), ("市发改委", 1, 1), ("持续推进", 1, 1)],
                    [("2", 1, 1), ("提高放权的协同性，市级部门下放跨", 1, 1), ("市商务局", 1, 1), ("年底前", 1, 1)]])
    pdf.add_page()
    pdf.grid(COLS, [HEADER, [("", 1, 1), ("部门审批事项。", 1, 1), ("", 1, 1), ("", 1, 1)],
                    [("3", 1, 1), ("第三项任务。", 1, 1), ("市财政局", 1, 1), ("9月底前", 1, 1)]])
    assert _lines(pdf.bytes()) == [
        "序号 | 重点任务 | 牵头单位 | 完成时限",
        "1 | 第一项任务。 | 市发改委 | 持续推进",
        "2 | 提高放权的协同性，市级部门下放跨部门审批事项。 | 市商务局 | 年底前",
        "3 | 第三项任务。 | 市财政局 | 9月底前",
    ]


@needs_font
def test_characters_spilling_over_a_ruling_line_stay_in_their_cell() -> None:
    pdf = _Pdf(footer="")
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    x, y = 72.0, 100.0
    for c, w in enumerate((100.0, 100.0)):
        pdf.rect(x + 100 * c, y, w, 30)
    # The first glyph of each cell starts 4pt left of its cell's border (centre still inside).
    pdf.text(x + 100 - 4, y + 20, "市发改委")
    pdf.text(x - 4, y + 20, "牵头")
    pdf.rect(x, y + 30, 100, 30)
    pdf.rect(x + 100, y + 30, 100, 30)
    pdf.text(x + 5, y + 50, "1")
    pdf.text(x + 105, y + 50, "甲")
    assert _lines(pdf.bytes())[0] == "牵头 | 市发改委"


def test_pdf_without_text_is_a_scan() -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    with pytest.raises(NoTextLayer, match="OCR"):
        read_pdf(bytes(pdf.output()), Limits())


def _ascii_pdf(pages: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for k in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"Item {k + 1}.")
    return bytes(pdf.output())


def test_encrypted_pdf() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_ascii_pdf(1))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(Encrypted):
        read_pdf(buf.getvalue(), Limits())


def test_page_limit_and_broken_files() -> None:
    data = _ascii_pdf(3)
    with pytest.raises(TooLarge, match="3 pages"):
        read_pdf(data, Limits(max_pages=2))
    assert read_pdf(data, Limits()).text.splitlines() == ["Item 1.", "Item 2.", "Item 3."]
    with pytest.raises(CorruptFile):
        read_pdf(b"%PDF-1.4\nnot a pdf at all\n", Limits())
    with pytest.raises(CorruptFile):
        read_pdf(data[: len(data) // 3], Limits())


# ---------------------------------------------------------------- the rendered corpus

def _squash(text: str) -> str:
    return regex.sub(r"\s+", "", text)


def test_rendered_paragraph_pdfs_keep_every_task_line() -> None:
    for path in rendered_files("*.para.pdf"):
        missing, total = missing_task_lines(path)
        assert not missing, f"{path.name}: {len(missing)} of {total} task lines missing, e.g. {missing[:2]}"


def test_rendered_table_pdfs_rows_carry_their_units() -> None:
    labels = load_json("labels.json")
    names = sorted({n for role in ("lead", "responsible", "cooperating") for n in labels[role]}, key=len, reverse=True)
    label_re = regex.compile(r"^(?:" + "|".join(map(regex.escape, names)) + r")[：:](.+)$")
    for path in rendered_files("*.table.pdf"):
        twin = CORPUS / (path.name.split(".")[0] + ".txt")
        if not twin.exists():
            continue
        rows = {ln.split(" | ", 1)[0].strip(): _squash(ln) for ln in read_file(path).text.splitlines() if " | " in ln}
        current = None
        checked = 0
        for line in twin.read_text(encoding="utf-8").splitlines():
            if m := regex.match(r"^\s*(\d{1,3})\s*[.、．]", line):
                current = m.group(1)
                assert current in rows, f"{path.name}: no table row for task {current}"
            elif (lm := label_re.match(line.strip())) and current:
                unit = _squash(lm.group(1)).rstrip("。；;")
                assert unit in rows[current], f"{path.name}: task {current} row lacks {unit}"
                checked += 1
        assert checked > 0


def _placed(lines: Sequence[tuple[float, str]]) -> bytes:
    """A page with each (x, text) line drawn at that x, one line pitch apart."""
    pdf = _Pdf(footer="")
    pdf.add_page()
    for k, (x, text) in enumerate(lines):
        pdf.text(x, 100 + 24 * k, text)
    return pdf.bytes()


HAN_RUN = "深化放管服改革加快转变政府职能提升行政效能优化营商环境推进简政放权激发市场活力"


@needs_font
def test_first_line_indent_starts_a_paragraph_even_after_a_full_line() -> None:
    full_in, full = HAN_RUN[:30], HAN_RUN[1:32] + "，"
    data = _placed([(100, full_in), (72, full), (100, "结束。"), (72, "一、总体要求")])
    assert _lines(data) == [full_in + full, "结束。", "一、总体要求"]


@needs_font
def test_hanging_indent_continues_the_list_item() -> None:
    first, cont = "1." + HAN_RUN[:31], HAN_RUN[2:32]
    data = _placed([(72, first), (100, cont), (100, "完成。"), (72, "2.下一项。")])
    assert _lines(data) == [first + cont + "完成。", "2.下一项。"]


@needs_font
def test_title_equal_to_the_running_header_of_later_pages_is_kept() -> None:
    pdf = _Pdf(header_text="某市深化改革实施方案", header_from=2)
    pdf.add_page()
    pdf.para("某市深化改革实施方案")
    for k in range(70):
        pdf.para(f"{k + 1}.第{k + 1}项任务。")
    lines = _lines(pdf.bytes())
    assert pdf.page_no() >= 3
    assert lines == ["某市深化改革实施方案"] + [f"{k + 1}.第{k + 1}项任务。" for k in range(70)]


def _paged(texts: Sequence[str], footer: str = "— {n} —") -> list[str]:
    pdf = _Pdf(footer=footer)
    pdf.add_page()
    for text in texts:
        pdf.para(text)
    return _lines(pdf.bytes())


@needs_font
def test_flattened_table_one_cell_a_line_keeps_every_short_line() -> None:
    # A table flattened to text (cells and "|" on lines of their own) printed over several
    # pages: no short line is joined to the next, a "|" at the same height on every page is
    # no running header, and a row number opening or closing a page is no page number.
    cells = [c for k in range(1, 41) for c in (str(k), "|", "对行政规范性文件进行全面清理。", "|", "办公室", "|")]
    got = _paged(cells)
    assert got == cells


@needs_font
def test_short_line_ends_its_paragraph_whatever_its_punctuation() -> None:
    texts = ["牵头单位：市审改办，", "市财政局", "1.第一项任务、", "完成时限：年底前"]
    assert _paged(texts) == texts


@needs_font
def test_full_line_ending_in_a_stop_mark_continues() -> None:
    # 31 characters fill the line (451 pt less the cell padding), so it wraps right after the ；.
    text = HAN_RUN[:30] + "；配合单位：市发改委。"
    assert _paged([text, "结束。"]) == [text, "结束。"]


@needs_font
def test_line_wrapped_at_a_run_of_spaces_continues_and_keeps_them() -> None:
    # The ink of the second line stops well short of the margin, but its spaces run on to
    # it: the typesetter wrapped there because 6300 did not fit after them.
    head, spaced = "一、" + HAN_RUN[:30], "二、" + HAN_RUN[:26] + " " * 10
    data = _placed([(72, head), (72, spaced), (72, "6300人完成。")])
    assert _lines(data) == [head, spaced + "6300人完成。"]


class _LeftFooterPdf(_Pdf):
    def footer(self) -> None:
        self.set_font("cjk", size=14)
        self.set_xy(72, self.h - 50)
        self.cell(40, 12, str(self.page_no()))


@needs_font
def test_bare_page_number_at_the_left_margin_is_dropped_when_it_counts_pages() -> None:
    pdf = _LeftFooterPdf()
    for k in range(3):
        pdf.add_page()
        pdf.para(f"{k + 1}.第{k + 1}项任务。")
    assert _lines(pdf.bytes()) == [f"{k + 1}.第{k + 1}项任务。" for k in range(3)]


@needs_font
def test_the_next_row_number_starts_a_line_after_a_full_row() -> None:
    row = "3 | " + HAN_RUN[:30]
    data = _placed([(72, row), (72, "4 | 县住建局 | 年底前"), (72, "5 | 县教育局")])
    assert _lines(data) == [row, "4 | 县住建局 | 年底前", "5 | 县教育局"]


@needs_font
def test_box_drawing_characters_break_like_han() -> None:
    # A ruled line drawn with ┌─┬ is no unbreakable Latin word: the short row above it ends there.
    row, rule = "│1　│" + HAN_RUN[:25] + "│", "├──┼" + "─" * 40 + "┤"
    assert _lines(_placed([(72, row), (72, rule), (72, "│2　│" + HAN_RUN[:10] + "│")])) == [
        row, rule, "│2　│" + HAN_RUN[:10] + "│",
    ]


@needs_font
def test_line_justified_by_its_word_spaces_was_wrapped_at_a_space() -> None:
    # fpdf2 justifies by widening word spaces and drops the space it wrapped at.
    text = "1 " + HAN_RUN[:24] + " 区城管局 各街道办事处 2018年6月底前"
    assert _paged([text], footer="") == [text]


@needs_font
def test_number_split_by_a_wrap_is_rejoined_without_a_space() -> None:
    # 30 Han characters and 201 fill the line; the 9 goes below. The PDF has no word spaces.
    text = HAN_RUN[:30] + "2019年6月底前。"
    assert _paged([text, "结束。"], footer="") == [text, "结束。"]


@needs_font
def test_a_lone_number_line_inside_a_cell_stays_apart() -> None:
    pdf = _Pdf()
    pdf.add_page()
    pdf.grid(COLS, [HEADER, [("1", 1, 1), ("新建学校\n3\n所", 1, 1), ("市教育局\n|", 1, 1), ("年底前", 1, 1)]])
    assert _lines(pdf.bytes())[1] == "1 | 新建学校 3 所 | 市教育局 ｜ | 年底前"


def test_a_page_drawing_too_many_characters_is_too_large(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    from parser.errors import TooLarge
    from parser.limits import Limits
    from parser.readers.pdf import read_pdf

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", size=4)
    for row in range(60):
        pdf.text(10, 10 + row * 5, "x" * 200)
    data = bytes(pdf.output())
    with pytest.raises(TooLarge, match="page 1 draws"):
        read_pdf(data, Limits(max_page_chars=5000))
    assert read_pdf(data, Limits()).text.count("x") == 12000


@needs_font
def test_box_drawn_rows_that_fill_the_measure_stay_apart() -> None:
    # A box-drawn table as wide as the text fills every line exactly (in Noto CJK ─ and │ are
    # as wide as a Han character): the fit test cannot see the row ends, the borders can.
    rows = ["│" + HAN_RUN[k:k + 30] + "│" for k in range(4)]
    assert _lines(_placed([(72, row) for row in rows])) == rows


@needs_font
def test_a_body_line_opening_two_pages_at_the_body_pitch_is_kept() -> None:
    # LibreOffice sets every page's first line at the same height, so the same short line
    # (责任单位：各县区政府。) may open two of four pages by chance: no running header, since
    # other pages set other lines in that slot and nothing sets it apart from the body.
    pdf = _Pdf(footer="")
    pages = [
        ["关于印发任务分解的通知", "1.第一项任务。"],
        ["牵头单位：市大数据局。", "2.第二项任务。"],
        ["责任单位：各县区政府。", "3.第三项任务。"],
        ["责任单位：各县区政府。", "4.第四项任务。"],
    ]
    for page in pages:
        pdf.add_page()
        for text in page:
            pdf.para(text)
    assert _lines(pdf.bytes()) == [text for page in pages for text in page]


@needs_font
def test_a_lone_bar_after_a_cell_that_fills_its_line_stays_apart() -> None:
    # A table flattened one cell a line: the cell's last line happens to reach the margin.
    cell = HAN_RUN[:31] + "。"
    assert _lines(_placed([(72, cell), (72, "|"), (72, "市发改委")])) == [cell, "|", "市发改委"]


@needs_font
def test_a_bar_in_small_print_repeated_in_the_margin_is_a_running_header() -> None:
    # An office suite made the first line of a "|"-flattened table ("|") the running header.
    pdf = _Pdf(header_text="|", footer="")
    pdf.add_page()
    tasks = [f"{k + 1}.第{k + 1}项任务。" for k in range(70)]
    for text in tasks:
        pdf.para(text)
    assert pdf.page_no() >= 3
    assert _lines(pdf.bytes()) == tasks
