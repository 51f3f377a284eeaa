"""Word .docx notices: body paragraphs and tables in document order, as plain text.

What a reader of the printed page sees is what goes out: automatic list numbers are
turned back into the markers they display (一、 （一） 1. （1） ①), because the outline
and task stages find tasks by those markers; deleted revisions, hidden text, headers,
footers and page-number fields are left out, because they are not part of the notice.
Tables go through ``tables.table_lines`` like every other format's tables.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field

from lxml import etree

from parser.document import Document
from parser.errors import CorruptFile
from parser.limits import Limits
from parser.readers.tables import Cell, clean_cell_text, open_package, table_lines

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _val(el: etree._Element | None, attr: str = "val") -> str | None:
    return None if el is None else el.get(_w(attr))


def _on(el: etree._Element | None) -> bool:
    """A Word on/off property: present and not switched off."""
    if el is None:
        return False
    return _val(el) not in ("0", "false", "off")


# ---------------------------------------------------------------- number formats

_CN_DIGITS = "零一二三四五六七八九"
_CN_TRAD_DIGITS = "〇一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_count(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    parts: list[str] = []
    units = ((1000, "千"), (100, "百"), (10, "十"))
    zero = False
    rest = n
    for value, name in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero:
                parts.append("零")
                zero = False
            if not (value == 10 and digit == 1 and not parts):
                parts.append(_CN_DIGITS[digit])
            parts.append(name)
        elif parts:
            zero = True
    if rest:
        if zero:
            parts.append("零")
        parts.append(_CN_DIGITS[rest])
    return "".join(parts)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → aa.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in the Word numFmt ``fmt``."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese_count(n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_TRAD_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional",):
        return _HEAVENLY_STEMS[(n - 1) % 10]
    if fmt in ("ideographZodiac",):
        return _EARTHLY_BRANCHES[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


# ---------------------------------------------------------------- numbering state


@dataclass(slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"
    restart: int | None = None


@dataclass(slots=True)
class Numbering:
    """numbering.xml resolved: numId → levels, plus the running counters of each list."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    abstract_of: dict[str, str] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    """Running counters by abstract list: Word continues numbering across w:num instances
    of one abstractNum; a startOverride restarts its level when that instance is first used."""
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    @classmethod
    def parse(cls, root: etree._Element | None) -> Numbering:
        self = cls()
        if root is None:
            return self
        abstract: dict[str, dict[int, _Level]] = {}
        for an in root.iterfind("w:abstractNum", NS):
            abstract[an.get(_w("abstractNumId")) or ""] = {
                int(lvl.get(_w("ilvl")) or 0): _parse_level(lvl) for lvl in an.iterfind("w:lvl", NS)
            }
        for num in root.iterfind("w:num", NS):
            num_id = num.get(_w("numId")) or ""
            aid = _val(num.find("w:abstractNumId", NS)) or ""
            levels = {k: _Level(v.fmt, v.text, v.start, v.suffix, v.restart) for k, v in abstract.get(aid, {}).items()}
            for ov in num.iterfind("w:lvlOverride", NS):
                ilvl = int(ov.get(_w("ilvl")) or 0)
                if ov.find("w:lvl", NS) is not None:
                    levels[ilvl] = _parse_level(ov.find("w:lvl", NS))
                start = _val(ov.find("w:startOverride", NS))
                if start is not None and start.isdigit():
                    levels.setdefault(ilvl, _Level()).start = int(start)
                    self.overrides.setdefault(num_id, {})[ilvl] = int(start)
            self.levels[num_id] = levels
            self.abstract_of[num_id] = aid
        return self

    def marker(self, num_id: str, ilvl: int) -> str:
        """Advance list ``num_id`` at level ``ilvl`` and return the marker the page shows."""
        levels = self.levels.get(num_id)
        if not levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(self.abstract_of.get(num_id, num_id), {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl in self.overrides.get(num_id, {}):
                counters.pop(lvl, None)
        level = levels.get(ilvl, _Level())
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        # A higher level advancing restarts each deeper level, unless its lvlRestart
        # names a level above this one (0: never restart).
        for deeper in [d for d in counters if d > ilvl]:
            restart = levels.get(deeper, _Level()).restart
            if restart is None or (restart != 0 and ilvl + 1 <= restart):
                del counters[deeper]
        text = level.text
        for k in range(8, -1, -1):
            token = f"%{k + 1}"
            if token in text:
                lv = levels.get(k, _Level())
                text = text.replace(token, format_number(counters.get(k, lv.start), lv.fmt))
        if level.fmt == "bullet":
            return ""
        return text + (" " if level.suffix == "space" and text else "")


def _parse_level(lvl: etree._Element) -> _Level:
    restart = _val(lvl.find("w:lvlRestart", NS))
    start = _val(lvl.find("w:start", NS))
    return _Level(
        fmt=_val(lvl.find("w:numFmt", NS)) or "decimal",
        text=_val(lvl.find("w:lvlText", NS)) or "",
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        suffix=_val(lvl.find("w:suff", NS)) or "tab",
        restart=int(restart) if restart and restart.isdigit() else None,
    )


@dataclass(slots=True)
class _Styles:
    """Paragraph styles' numbering (numPr), following basedOn, and hidden (vanish) styles."""

    num: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, root: etree._Element | None) -> _Styles:
        self = cls()
        if root is None:
            return self
        for st in root.iterfind("w:style", NS):
            sid = st.get(_w("styleId")) or ""
            base = _val(st.find("w:basedOn", NS))
            if base:
                self.based_on[sid] = base
            numpr = st.find("w:pPr/w:numPr", NS)
            if numpr is not None:
                ilvl = _val(numpr.find("w:ilvl", NS))
                self.num[sid] = (_val(numpr.find("w:numId", NS)), int(ilvl) if ilvl and ilvl.isdigit() else None)
        return self

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.num:
                return self.num[style_id]
            style_id = self.based_on.get(style_id)
        return None, None


# ---------------------------------------------------------------- text of runs

_FIELDS_DROPPED = ("PAGE", "NUMPAGES", "SECTIONPAGES", "TOC", "PAGEREF")


class _Walker:
    """Collects the visible text of paragraphs, tracking complex fields across runs."""

    def __init__(self, numbering: Numbering, styles: _Styles) -> None:
        self.numbering = numbering
        self.styles = styles
        self.field_stack: list[list[str | bool]] = []  # [instruction, in_result]

    def _dropping(self) -> bool:
        return any(
            str(f[0]).strip().split(" ")[0].upper() in _FIELDS_DROPPED and f[1] for f in self.field_stack
        )

    def run_text(self, run: etree._Element, out: list[str]) -> None:
        rpr = run.find("w:rPr", NS)
        hidden = rpr is not None and (_on(rpr.find("w:vanish", NS)) or _on(rpr.find("w:specVanish", NS)))
        for child in run:
            tag = etree.QName(child).localname
            if tag == "fldChar":
                kind = _val(child, "fldCharType")
                if kind == "begin":
                    self.field_stack.append(["", False])
                elif kind == "separate" and self.field_stack:
                    self.field_stack[-1][1] = True
                elif kind == "end" and self.field_stack:
                    self.field_stack.pop()
                continue
            if tag == "instrText":
                if self.field_stack:
                    self.field_stack[-1][0] = str(self.field_stack[-1][0]) + (child.text or "")
                continue
            if hidden or self._dropping():
                continue
            if tag == "t":
                out.append(child.text or "")
            elif tag in ("tab", "ptab"):
                out.append(" ")
            elif tag in ("br", "cr"):
                if _val(child, "type") not in ("page", "column"):
                    out.append("\n")
            elif tag == "noBreakHyphen":
                out.append("-")

    def inline(self, el: etree._Element, out: list[str]) -> None:
        """Text of a paragraph's inline content: runs, hyperlinks, insertions, content controls."""
        for child in el:
            tag = etree.QName(child).localname
            if tag == "r":
                self.run_text(child, out)
            elif tag in ("del", "moveFrom", "pPr", "rPr"):
                continue
            elif tag == "fldSimple":
                instr = (_val(child, "instr") or "").strip().split(" ")[0].upper()
                if instr not in _FIELDS_DROPPED:
                    self.inline(child, out)
            elif tag in ("hyperlink", "ins", "moveTo", "smartTag", "sdt", "sdtContent", "customXml", "dir", "bdo"):
                self.inline(child, out)

    def paragraph(self, p: etree._Element) -> list[str]:
        """The lines of one paragraph (a manual line break starts a new line), marker first."""
        ppr = p.find("w:pPr", NS)
        if ppr is not None and _on(ppr.find("w:rPr/w:vanish", NS)) and not self._has_visible_runs(p):
            return []
        out: list[str] = []
        self.inline(p, out)
        text = "".join(out)
        marker = self._marker(ppr) if text.strip() else ""
        lines = [ln.strip() for ln in (marker + text.lstrip()).split("\n")]
        return self._text_boxes(p) + [ln for ln in lines if ln]

    def _text_boxes(self, p: etree._Element) -> list[str]:
        """Paragraphs inside text boxes anchored in ``p`` (a title or 文号 is sometimes put in one).

        Word writes each box twice (DrawingML and a VML fallback); only the first is read.
        """
        lines: list[str] = []
        for box in p.iter(_w("txbxContent")):
            if any(etree.QName(a).localname == "Fallback" for a in box.iterancestors()):
                continue
            if any(a.tag == _w("txbxContent") for a in box.iterancestors()):
                continue
            self.blocks(box, lines)
        return lines

    def _has_visible_runs(self, p: etree._Element) -> bool:
        for r in p.iterfind(".//w:r", NS):
            rpr = r.find("w:rPr", NS)
            if not (rpr is not None and _on(rpr.find("w:vanish", NS))) and r.find("w:t", NS) is not None:
                return True
        return False

    def _marker(self, ppr: etree._Element | None) -> str:
        num_id: str | None = None
        ilvl: int | None = None
        style_id = _val(ppr.find("w:pStyle", NS)) if ppr is not None else None
        numpr = ppr.find("w:numPr", NS) if ppr is not None else None
        if numpr is not None:
            num_id = _val(numpr.find("w:numId", NS))
            lv = _val(numpr.find("w:ilvl", NS))
            ilvl = int(lv) if lv and lv.isdigit() else None
        if num_id is None or ilvl is None:
            s_num, s_lvl = self.styles.numbering(style_id)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0":
            return ""
        return self.numbering.marker(num_id, ilvl or 0)

    # ------------------------------------------------------------ block content

    def blocks(self, parent: etree._Element, lines: list[str]) -> None:
        """Body-level content in order: paragraphs, tables, and content controls around them."""
        for child in parent:
            tag = etree.QName(child).localname
            if tag == "p":
                lines.extend(self.paragraph(child))
            elif tag == "tbl":
                lines.extend(table_lines(self.table_cells(child)))
            elif tag in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
                self.blocks(child, lines)

    def cell_text(self, tc: etree._Element) -> str:
        """A cell's text: its paragraphs, and any nested table flattened row by row."""
        parts: list[str] = []
        for child in tc:
            tag = etree.QName(child).localname
            if tag == "p":
                parts.extend(self.paragraph(child))
            elif tag == "tbl":
                for line in table_lines(self.table_cells(child)):
                    parts.append(line.replace(" | ", " "))
            elif tag in ("sdt", "sdtContent", "customXml"):
                sub: list[str] = []
                self.blocks(child, sub)
                parts.extend(sub)
        return clean_cell_text("\n".join(parts))

    def table_cells(self, tbl: etree._Element) -> list[Cell]:
        """Cells of a table with gridSpan and vMerge resolved into spans."""
        cells: list[Cell] = []
        open_merge: dict[int, Cell] = {}  # grid column → cell a vMerge continues
        r = 0
        for tr in tbl.iterfind("w:tr", NS):
            trpr = tr.find("w:trPr", NS)
            if trpr is not None and _on(trpr.find("w:hidden", NS)):
                continue
            col = 0
            grid_before = _val(tr.find("w:trPr/w:gridBefore", NS)) or _val(tr.find("w:tblPrEx/w:gridBefore", NS))
            if grid_before and grid_before.isdigit():
                col += int(grid_before)
            for tc in _row_cells(tr):
                tcpr = tc.find("w:tcPr", NS)
                span_s = _val(tcpr.find("w:gridSpan", NS)) if tcpr is not None else None
                span = int(span_s) if span_s and span_s.isdigit() else 1
                vm = tcpr.find("w:vMerge", NS) if tcpr is not None else None
                vm_val = _val(vm) if vm is not None else None
                if vm is not None and vm_val != "restart" and col in open_merge:
                    open_merge[col].rowspan = r - open_merge[col].row + 1
                else:
                    cell = Cell(self.cell_text(tc), r, col, 1, span)
                    cells.append(cell)
                    if vm is not None:
                        open_merge[col] = cell
                    else:
                        open_merge.pop(col, None)
                col += span
            r += 1
        return cells


def _row_cells(tr: etree._Element) -> list[etree._Element]:
    out: list[etree._Element] = []
    for child in tr:
        tag = etree.QName(child).localname
        if tag == "tc":
            out.append(child)
        elif tag in ("sdt", "customXml"):
            out.extend(child.iterfind(".//w:tc", NS))
    return out


# ---------------------------------------------------------------- entry point


def _part_xml(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    if name not in zf.namelist():
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    return etree.fromstring(zf.read(name), parser)


def read_docx(data: bytes, limits: Limits) -> Document:
    """Read a .docx into a Document (body only, list numbers restored)."""
    with open_package(data, limits, ".docx", "word/document.xml", "a Word document") as zf:
        try:
            root = _part_xml(zf, "word/document.xml")
            numbering = Numbering.parse(_part_xml(zf, "word/numbering.xml"))
            styles = _Styles.parse(_part_xml(zf, "word/styles.xml"))
        except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
            raise CorruptFile(f"broken .docx part: {exc}") from exc
    if root is None:
        raise CorruptFile("word/document.xml is empty")
    body = root.find("w:body", NS)
    lines: list[str] = []
    if body is not None:
        _Walker(numbering, styles).blocks(body, lines)
    return Document(text="\n".join(lines) + ("\n" if lines else ""), format="docx")
