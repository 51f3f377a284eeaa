"""PDF notices (with a text layer): paragraphs and ruled tables rebuilt from the page's characters.

A PDF holds positioned glyphs, not paragraphs. An engine reads each page's characters
(with their boxes and font sizes) and the straight strokes of its paths into a neutral
``PdfPage`` (parser/readers/pdf_page.py): pdfium by default (parser/readers/pdfium.py),
pdfplumber on request (parser/readers/pdf_plumber.py). Everything below works on that
alone, so the engines can only differ in what they extract. This reader puts the notice
back into the shape of its plain-text twin:

* running headers, footers and page numbers (－ 3 －, 第3页 共10页, a lone number set
  apart or counting the pages) are dropped, because they interrupt paragraphs and tables
  at every page break; a lone "3" or "|" in the flow of the text is content;
* the visual lines of a paragraph are joined (no space between Chinese characters, the
  spaces a line was wrapped at kept): a line wrapped only when the next line's first word
  would not have fitted before the margin, so a line that stops short ends its paragraph
  whatever its punctuation, while a full line continues unless a first-line indent, a
  wider gap, a change of font size or a heading marker (一、 （一） 1.) says otherwise;
* tables are found by their ruling lines; each cell's text is rebuilt from the characters
  whose centre lies inside the cell (pdfplumber's own cell text drops glyphs that spill
  over a ruling line), merged cells are spread over the slots they cover, and a table
  broken by a page break is joined again: a repeated header row is dropped and a row
  split across the break is put back together.
"""

from __future__ import annotations

import functools
import itertools
import operator
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import regex

from parser.data import load_json
from parser.document import Document
from parser.errors import CorruptFile, Encrypted, NoTextLayer, NoticeError, TooLarge
from parser.limits import Limits
from parser.readers.lattice import find_tables
from parser.readers.pdf_lines import Glyphs, Line, lines_of
from parser.readers.pdf_page import DEFAULT_ENGINE, ENGINES, Chars, PdfPage, PdfSource
from parser.readers.pdf_textcheck import check_text_layer
from parser.readers.tables import Cell, join_wrapped, table_rows
from parser.textnorm import match_text

if TYPE_CHECKING:
    import numpy as np

_PAGE_NUMBER = regex.compile(
    r"^\s*+(?:"  # possessive: no branch starts with a space; a line of spaces backtracked quadratically
    r"[-－—–~～一\s]*+\d{1,4}[-－—–~～一\s]*+"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?"
    r")\s*$"
)
_WORDY = regex.compile(r"[\p{L}\p{N}]")
_ITEM = regex.compile(r"^(\d{1,3})(\s*[|｜]\s*|\s+|[.．、])(?=\S)")
_BARE_NUMBER = regex.compile(r"^\s*\d{1,4}\s*$")
_PARA_END = regex.compile(r"[。；;：:！!？?]$")
_ROW_END = regex.compile(r"[。；;！!？?）)」』”]$")
_DIGITS = regex.compile(r"\d+")
_SPACE_RUN = regex.compile(r"\s+")
_WIDTH = operator.itemgetter(1)


@dataclass(slots=True)
class _Table:
    cells: list[Cell]
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    ncols: int
    nrows: int = 0
    col_edges: list[float] = field(default_factory=list)
    row_pages: list[int] = field(default_factory=list)
    """The page each grid row was found on (a table may run over several pages)."""


# ---------------------------------------------------------------- lines to paragraphs


_NO_LINE_START = "，。、；：？！）》」』〕】…—,.;:?!)]%"
_NO_LINE_END = "（《〔【「『(["
_QUOTES = "“”‘’\""
_LATIN = regex.compile(r"[^\s\p{Han}\u3000-\u303f\uff00-\uffef\u2460-\u25ff“”‘’—…]")
"""A character of a Latin word: no line break inside a run of them (IO(X), qū, 2017-08-24).
Box-drawing and circled characters (┌─┬ ①) are set as wide as a Han character and break like one."""


@functools.lru_cache(maxsize=4096)
def _latin(char: str) -> bool:
    """``_LATIN.match(char)``, remembered: it is asked of the first glyphs of every line."""
    return bool(_LATIN.match(char))


def _first_word_width(b: Line, right: float) -> float:
    """Width of the first unbreakable piece of line ``b``.

    Roughly the Unicode line-breaking rules a typesetter applies: opening marks stick
    to what follows, closing marks to what precedes, quotation marks to both sides
    (开”抽 cannot be broken), a run of Latin letters, digits and ASCII marks is one word
    (〔2017〕39, (mào), IO(X)).
    """
    chars = [g[0] for g in b.glyphs]
    n = 0
    while n < len(chars):
        while n < len(chars) and (chars[n] in _NO_LINE_END or chars[n] in _QUOTES):
            n += 1
        if n < len(chars) and _latin(chars[n]):
            while n < len(chars) and _latin(chars[n]):
                n += 1
        elif n < len(chars):
            n += 1
        glued = False
        while n < len(chars) and (chars[n] in _NO_LINE_START or chars[n] in _QUOTES):
            glued = glued or chars[n] in _QUOTES
            n += 1
        more_digits = n < len(chars) and n > 0 and chars[n - 1] in _NO_LINE_START and _latin(chars[n])
        if not (glued or more_digits or (n < len(chars) and chars[n] in _QUOTES)):
            break
    if n >= len(chars) and len(b.glyphs) < 16 and b.reach >= right - 2 * b.size:
        # The whole line is one piece and runs to the margin (a long URL): the word goes on
        # below, so count it too wide. A short one-piece line (a lone "|" or "3") is a whole
        # word that ends there, and is measured as it stands.
        return float("inf")
    return sum(map(_WIDTH, b.glyphs[:n])) if b.glyphs else b.size


def _would_fit(a: Line, b: Line, right: float) -> bool:
    """Would the first word of line ``b`` have fitted at the end of line ``a``?

    If so the writer broke the line on purpose (a new paragraph); if not, the text
    wrapped because the line was full. Trailing spaces count as part of ``a``: a
    typesetter wraps at a run of spaces and leaves them at the end of the line.
    """
    return right - a.reach > _first_word_width(b, right) + 0.3 * b.size



def _join_lines(lines: Iterable[Line], guess_spaces: bool = True) -> str:
    """One paragraph from its visual lines: spaces a line was wrapped at are kept.

    Between two Latin letters or digits a space is guessed only when the PDF spaces its
    words without drawing space glyphs. One that draws them leaves the space it wrapped at
    on the line, and one with no word spaces at all has none to wrap at, so there a break
    without a space split a word or number (201|9 from a typesetter breaking anywhere).
    """
    out = ""
    spread = False
    for ln in lines:
        if out and (out[-1].isspace() or ln.head):
            out += ln.head + ln.text
        elif out and spread:
            out += " " + ln.text
        elif out and not guess_spaces:
            out += ln.text
        else:
            out = join_wrapped([out, ln.text])
        out += ln.tail
        spread = ln.spread
    return out.rstrip()


def _dedupe(chars: Chars) -> Chars:
    """Drop glyphs drawn twice at the same place (fake bold, shadows): pdfplumber's own is slow.

    A glyph's place is its text and its x0 and top rounded to the point. Most pages have no
    two characters at one rounded x0 and top, whatever their text: numpy finds that out for
    the whole page and the page is kept as it is. Otherwise, and where a coordinate is not
    finite (Python's ``round`` then raises, and the PDF is broken), each character is looked
    at in turn."""
    import numpy as np

    x0, top = np.asarray(chars.x0, dtype=np.float64), np.asarray(chars.top, dtype=np.float64)
    if np.isfinite(x0).all() and np.isfinite(top).all():
        across, down = np.rint(x0), np.rint(top)  # as ``round``: to the nearest, ties to even
        order = np.lexsort((down, across))
        across, down = across[order], down[order]
        if not ((across[1:] == across[:-1]) & (down[1:] == down[:-1])).any():
            return chars
    keys = list(zip(chars.text, map(round, chars.x0), map(round, chars.top), strict=True))
    if len(set(keys)) == len(keys):
        return chars
    first = {key: k for k, key in reversed(list(enumerate(keys)))}  # the first character at each place
    return chars.take(sorted(first.values()))


class _Centres:
    """The centres of a page's characters, to find those inside each cell of its tables (a
    character is inside a box when its centre is, its sides included): every character
    against every box at once with numpy, a few hundred boxes at a time (a page of a task
    table has hundreds of cells and characters)."""

    __slots__ = ("across", "down", "start")

    CHUNK = 1 << 20
    """How many character-box pairs are compared at once, at most (a bound on memory)."""

    def __init__(self, g: Glyphs, chars: range) -> None:
        self.start = chars.start
        across, down = g.arrays.centre
        self.across, self.down = across[chars.start : chars.stop], down[chars.start : chars.stop]

    def inside(self, boxes: list[tuple[float, float, float, float]]) -> list[list[int]]:
        """The characters inside each box, in the page's order."""
        import numpy as np

        out: list[list[int]] = []
        step = max(1, self.CHUNK // max(len(self.across), 1))
        for k in range(0, len(boxes), step):
            found = self._masks(boxes[k : k + step])
            box, char = np.nonzero(found)  # box by box, each box's characters in order
            ends = np.cumsum(np.bincount(box, minlength=len(found))).tolist()
            chars = (char + self.start).tolist()
            out.extend(chars[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True))
        return out

    def outside(self, boxes: list[tuple[float, float, float, float]]) -> list[int]:
        """The characters inside none of the boxes, in the page's order."""
        import numpy as np

        return (np.flatnonzero(~self._masks(boxes).any(axis=0)) + self.start).tolist()

    def _masks(self, boxes: list[tuple[float, float, float, float]]) -> np.ndarray:
        """Per box, per character: is the character inside the box?"""
        import numpy as np

        b = np.array(boxes, dtype=np.float64).reshape(-1, 4)
        x0, top, x1, bottom = b[:, 0:1], b[:, 1:2], b[:, 2:3], b[:, 3:4]
        return (self.across >= x0) & (self.across <= x1) & (self.down >= top) & (self.down <= bottom)


def _cell_text(lines: list[Line], bbox: tuple[float, float, float, float]) -> str:
    """A cell's text: its wrapped lines joined; a line well short of the cell's edge ends a paragraph."""
    if not lines:
        return ""
    # The cell's text box: its padding taken as equal on both sides.
    pad = max(0.0, min(ln.x0 for ln in lines) - bbox[0])
    right = max(bbox[2] - pad, *(ln.x1 for ln in lines))
    paragraphs: list[list[Line]] = [[]]
    for i, line in enumerate(lines):
        paragraphs[-1].append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and _would_fit(line, nxt, right):
            paragraphs.append([])
    return "\n".join(_join_lines(p) for p in paragraphs if p)


# ---------------------------------------------------------------- tables


def _edges(values: Iterable[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(edges: list[float], v: float, tol: float = 2.0) -> int:
    for i, e in enumerate(edges):
        if abs(e - v) <= tol:
            return i
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


Box = tuple[float, float, float, float]


@dataclass(slots=True)
class _Grid:
    """A ruled table's layout before its text: its box, its column and row edges, and each
    cell's box with the slot it starts at and the slots it spans (row, col, rowspan, colspan)."""

    bbox: Box
    xs: list[float]
    ys: list[float]
    cells: list[tuple[Box, int, int, int, int]]


def _page_grids(edges: list[dict[str, Any]]) -> list[_Grid]:
    """The ruled tables of one page, with cell spans worked out from the cell boxes."""
    grids = []
    for table_cells, bbox in find_tables(edges):
        boxes = [tuple(b) for b in table_cells]
        if not boxes:
            continue
        xs = _edges([b[0] for b in boxes] + [b[2] for b in boxes])
        ys = _edges([b[1] for b in boxes] + [b[3] for b in boxes])
        if len(xs) < 2 or len(ys) < 2:
            continue
        cells = []
        for b in boxes:
            c0, c1 = _index(xs, b[0]), _index(xs, b[2])
            r0, r1 = _index(ys, b[1]), _index(ys, b[3])
            if c1 > c0 and r1 > r0:
                cells.append((b, r0, c0, r1 - r0, c1 - c0))
        if cells:
            grids.append(_Grid(bbox, xs, ys, cells))
    return grids


_BATCH_CHARS = 20_000
"""Pages are laid out together until they hold this many characters (the whole of most
notices): numpy's cost per call is then paid per batch, not per page or per cell, and
the memory the layout takes does not grow with the document."""


def _pages_items(pages: list[tuple[Chars, list[dict[str, Any]]]], first: int) -> list[list[Line | _Table]]:
    """Each page's lines of running text and ruled tables, top to bottom, from its characters
    and edges (the pages from page index ``first`` on). The lines of every table cell and of
    every page's running text are made in one go (``lines_of``)."""
    g = Glyphs([chars for chars, _ in pages])
    groups: list[list[int]] = []  # the characters of each cell, then those outside the tables, page by page
    group_pages: list[int] = []
    page_grids: list[list[_Grid]] = []
    for p, (chars, edges) in enumerate(pages):
        span = range(g.starts[p], g.starts[p + 1])
        grids = _page_grids(edges) if chars.text else []
        if grids:
            centres = _Centres(g, span)
            groups.extend(centres.inside([cell[0] for grid in grids for cell in grid.cells]))
            groups.append(centres.outside([grid.bbox for grid in grids]))
        else:
            groups.append(list(span))
        group_pages.extend([first + p] * (sum(len(grid.cells) for grid in grids) + 1))
        page_grids.append(grids)
    lines = iter(lines_of(g, groups, group_pages))
    out = []
    for p, grids in enumerate(page_grids, first):
        tables = [_table(grid, p, lines) for grid in grids]
        items: list[Line | _Table] = [*next(lines), *tables]
        items.sort(key=_top)
        out.append(items)
    return out


def _table(grid: _Grid, page: int, lines: Iterator[list[Line]]) -> _Table:
    """The table of a grid, each cell's text made of the next lines of ``lines``."""
    cells = [Cell(_cell_text(next(lines), box), r0, c0, rowspan, colspan) for box, r0, c0, rowspan, colspan in grid.cells]
    x0, top, x1, bottom = grid.bbox
    rows = len(grid.ys) - 1
    return _Table(cells, page, top, bottom, x0, x1, len(grid.xs) - 1, rows, grid.xs, [page] * rows)


def _top(it: Line | _Table) -> float:
    return it.top


def _row(table: _Table, r: int) -> list[Cell | None]:
    slots: list[Cell | None] = [None] * table.ncols
    for cell in table.cells:
        if cell.row <= r < cell.row + cell.rowspan:
            for c in range(cell.col, min(table.ncols, cell.col + cell.colspan)):
                slots[c] = cell
    return slots


def _row_texts(table: _Table, r: int) -> list[str]:
    return [_SPACE_RUN.sub("", c.text) if c else "" for c in _row(table, r)]


def _continues(prev: _Table, nxt: _Table) -> bool:
    """Is ``nxt`` (top of a page) the same table as ``prev`` (bottom of the page before)?"""
    if nxt.page != prev.page + 1 or nxt.ncols != prev.ncols:
        return False
    return all(abs(a - b) <= 4 for a, b in zip(prev.col_edges, nxt.col_edges, strict=False))


def _append(prev: _Table, nxt: _Table) -> None:
    """Join a table continued on the next page: drop a repeated header, rejoin a split row."""
    skip = 0
    while skip < min(prev.nrows, nxt.nrows) and any(_row_texts(nxt, skip)) and _row_texts(nxt, skip) == _row_texts(prev, skip):
        skip += 1
    cells = [c for c in nxt.cells if c.row >= skip]
    for c in cells:
        c.row -= skip
    nrows = nxt.nrows - skip
    if nrows > 0 and prev.nrows > 0:
        last = _row(prev, prev.nrows - 1)
        first = [c for c in cells if c.row == 0]
        by_col = {c.col: c for c in first}
        lead = by_col.get(0)
        split = (lead is None or not lead.text.strip()) and any(
            c.text.strip() and last[c.col] is not None and last[c.col].text.strip()
            and not _ROW_END.search(last[c.col].text.strip())
            for c in first
        )
        if split:
            for c in first:
                target = last[c.col] if c.col < len(last) else None
                if target is not None and c.text.strip():
                    target.text = join_wrapped([target.text, c.text])
                if target is not None and c.rowspan > 1:
                    target.rowspan += c.rowspan - 1
            cells = [c for c in cells if c.row != 0 or (last[c.col] is None)]
            for c in cells:
                c.row -= 1
            nrows -= 1
    for c in cells:
        c.row += prev.nrows
    prev.cells.extend(c for c in cells if c.row >= prev.nrows)
    prev.nrows += max(0, nrows)
    prev.row_pages.extend([nxt.page] * max(0, nrows))
    prev.page = nxt.page
    prev.bottom = nxt.bottom


# ---------------------------------------------------------------- headers, footers, paragraphs


def _position(items: list[Line | _Table], it: Line) -> int:
    """``items.index(it)``, the same answer, without comparing ``it`` field by field with every
    item before it (they are dataclasses): an item equal to it has its top."""
    top = it.top
    for k, x in enumerate(items):
        if x is it or (x.top == top and x == it):
            return k
    raise ValueError("not in the page's items")


def _strip_running(pages: list[list[Line | _Table]], heights: list[float]) -> None:
    """Remove page numbers and lines repeated at the top or bottom of most pages."""
    def edge_lines(items: list[Line | _Table], height: float) -> list[Line]:
        lines = [it for it in items if isinstance(it, Line)]
        out = []
        for ln in lines[:2]:
            if ln.top < height * 0.15 and _position(items, ln) <= 1:
                out.append(ln)
        for ln in lines[-2:]:
            if ln.bottom > height * 0.85 and _position(items, ln) >= len(items) - 2:
                out.append(ln)
        return out

    def keys(ln: Line) -> tuple[str, str]:
        flat = _SPACE_RUN.sub("", ln.text)
        return flat, _DIGITS.sub("#", flat)

    # Where each edge text sits on each page: a running header or footer repeats at the same
    # height, while a title that happens to equal the header text sits lower on its page.
    exact: dict[str, list[tuple[int, float]]] = {}
    shaped: dict[str, list[tuple[int, float]]] = {}
    all_lines = [it for items in pages for it in items if isinstance(it, Line)]
    body_size = statistics.median(ln.size for ln in all_lines) if all_lines else 0.0
    for p, (items, height) in enumerate(zip(pages, heights, strict=True)):
        for ln in edge_lines(items, height):
            flat, shape = keys(ln)
            exact.setdefault(flat, []).append((p, ln.top))
            shaped.setdefault(shape, []).append((p, ln.top))
    need = max(2, (len(pages) + 1) // 2)

    def repeats(seen: list[tuple[int, float]], top: float) -> bool:
        return len({p for p, t in seen if abs(t - top) <= 3}) >= need

    # A bare number at the left margin in body type is a page number only when it counts
    # the pages (its value minus the page index recurs); otherwise it is a row number of a
    # flattened table ("3" on a line of its own) that happens to open or close a page.
    left = _layout(all_lines, 0.0).left if all_lines else 0.0

    def in_flow(ln: Line) -> bool:
        return bool(_BARE_NUMBER.match(ln.text)) and ln.x0 <= left + 2 * ln.size and ln.size >= body_size - 0.5

    counts = Counter(
        int(ln.text) - p
        for p, (items, height) in enumerate(zip(pages, heights, strict=True))
        for ln in edge_lines(items, height)
        if in_flow(ln)
    )

    # A header or footer sits outside the body: above the first line (below the last) that
    # any page sets without repeating it, and set apart from the body by more than the space
    # between two lines of a paragraph. A body line that happens to open or close two pages
    # sits on the body's own grid (a typesetter puts every page's first line at one height),
    # in the same slot as other pages' unrepeated lines, at the body's line spacing.
    def repeated(ln: Line) -> bool:
        flat, shape = keys(ln)
        if repeats(exact.get(flat, []), ln.top):
            return True
        # Same words but a changing number (第3页 in a header): only in small print, since body
        # lines such as 1.xxx / 2.xxx can open pages by chance.
        return repeats(shaped.get(shape, []), ln.top) and ln.size < body_size - 0.5

    def marks_in_body_type(ln: Line) -> bool:
        # A line of bare marks in body type (the "|" of a flattened table opening a page) is
        # content; in small print, repeated in the margin, it is a header ("|" when an office
        # suite made the first line of a "|"-flattened table the running header).
        return not _WORDY.search(ln.text) and ln.size >= body_size - 0.5

    def marginal(it: Line | _Table) -> bool:
        """Could ``it`` be a header, footer or page number (before asking where it sits)?"""
        if not isinstance(it, Line):
            return False
        return bool(_PAGE_NUMBER.match(it.text)) or (repeated(it) and not marks_in_body_type(it))

    unrepeated = [ln for ln in all_lines if not marginal(ln)]
    body_top = min((ln.top for ln in unrepeated), default=0.0)
    body_bottom = max((ln.bottom for ln in unrepeated), default=0.0)
    leading = sorted(
        b.top - a.bottom
        for items in pages
        for a, b in itertools.pairwise(it for it in items if isinstance(it, Line))
        if b.top > a.bottom
    )
    line_gap = leading[len(leading) // 4] if leading else 0.0  # within a paragraph, not between two

    def apart(ln: Line, items: list[Line | _Table], edge: list[Line]) -> bool:
        """Is the block of repeated edge lines ``ln`` belongs to (a header of one or two lines,
        a footer over a page number) outside the body and set apart from it?"""
        k = _position(items, ln)
        top = k < len(items) / 2
        if (ln.bottom > body_top + 1) if top else (ln.top < body_bottom - 1):
            return False
        step = 1 if top else -1
        while 0 <= k + step < len(items) and items[k + step] in edge and marginal(items[k + step]):
            k += step
        if not 0 <= k + step < len(items):
            return True
        near = items[k + step]
        gap = near.top - items[k].bottom if top else items[k].top - near.bottom
        return gap > line_gap + 0.5 * max(ln.size, body_size)

    def running(ln: Line, p: int, items: list[Line | _Table], edge: list[Line]) -> bool:
        if _PAGE_NUMBER.match(ln.text):
            return not in_flow(ln) or counts[int(ln.text) - p] >= 2
        return len(pages) >= 2 and marginal(ln) and apart(ln, items, edge)

    for p, (items, height) in enumerate(zip(pages, heights, strict=True)):
        edge = edge_lines(items, height)
        for ln in [ln for ln in edge if running(ln, p, items, edge)]:
            del items[_position(items, ln)]


@functools.cache
def _marker_patterns() -> tuple[regex.Pattern[str], ...]:
    """The heading markers of parser/data/outline_markers.json, read and compiled once per process."""
    kinds = load_json("outline_markers.json")["kinds"]
    return tuple(regex.compile(k["pattern"]) for k in kinds)


def _starts_heading(text: str, patterns: tuple[regex.Pattern[str], ...]) -> bool:
    """Does a line open with a heading marker (一、 （一） 1. ①) followed by words?"""
    folded = match_text(text[:16])
    for pat in patterns:
        m = pat.match(folded)
        if m and m.end() < len(folded) and not folded[m.end() - 1].isspace():
            return True
    return False


@dataclass(slots=True)
class _Layout:
    right: float
    left: float
    pitch: float | None
    """Typical gap/size inside a paragraph, when the document spaces paragraphs apart."""


def _layout(lines: list[Line], width: float) -> _Layout:
    """Margins and paragraph spacing of the body text."""
    if not lines:
        return _Layout(0, 0, None)
    x1s = sorted(ln.x1 for ln in lines)
    right = x1s[int(0.95 * (len(x1s) - 1))]
    # The left margin: the leftmost of the common line starts (first-line indents can be as common).
    starts = Counter(round(ln.x0) for ln in lines)
    top = max(starts.values())
    left = min(x for x, n in starts.items() if n >= 0.5 * top)
    size = statistics.median(ln.size for ln in lines)
    if right < width - left - 4 * size:
        # No line reaches far: too little text to see the margin, so assume it mirrors the left one.
        right = width - left
    # When most lines are short (a flattened table, one cell a line) the 95th percentile falls
    # short of the margin, and lines a character or two short of it would pass for full. The
    # margin is where the longest line ends, not counting closing marks hung past it, and
    # not believed beyond a character past the mirrored left margin (a stray wide line).
    inked = [ln.x1 for ln in lines if ln.text[-1] not in _NO_LINE_START]
    if inked:
        right = max(right, min(max(inked), max(right, width - left) + size))
    ratios = []
    for a, b in itertools.pairwise(lines):
        if a.page == b.page and b.top > a.bottom and a.x1 >= right - 2 * a.size:
            ratios.append((b.top - a.bottom) / max(a.size, 1))
    all_ratios = [
        (b.top - a.bottom) / max(a.size, 1) for a, b in itertools.pairwise(lines) if a.page == b.page and b.top > a.bottom
    ]
    pitch = None
    if ratios and all_ratios:
        typical = statistics.median(ratios)
        if sum(r > typical + max(0.3, 0.4 * typical) for r in all_ratios) >= max(2, len(all_ratios) // 10):
            pitch = typical
    return _Layout(right, left, pitch)


def _first_line_indent(a: Line, b: Line, c: Line | _Table | None, lay: _Layout) -> bool:
    """Is ``b`` indented as the first line of a paragraph (about two characters in)?

    A hanging indent (a list item's continuation lines all set in) is not one: there the
    line after ``b`` is set in just as far, while after a first line the text returns left.
    """
    if not lay.left + 1.5 * b.size <= b.x0 <= lay.left + 3.5 * b.size or a.x0 > b.x0 - 1.5 * b.size:
        return False
    return not (isinstance(c, Line) and c.page == b.page and abs(c.x0 - b.x0) < 0.5 * b.size)


def _next_item(first: Line, b: Line) -> bool:
    """Does ``b`` open with the number after the one its paragraph opened with, set off the
    same way (3 | … then 4 | …, or 3 … then 4 …)? Then it is the next row or item of a list,
    even when the line before it happens to run to the margin."""
    m, n = _ITEM.match(first.text), _ITEM.match(b.text)
    return bool(m and n and int(n.group(1)) == int(m.group(1)) + 1 and n.group(2).strip() == m.group(2).strip())


_BOX_ROW_END = regex.compile(r"[┐┤┘│┓┫┛┃╗╣╝║╕╖╡╢╛╜]$")
_BOX_ROW_START = regex.compile(r"^[┌├└│┏┣┗┃╔╠╚║╒╓╞╟╘╙]")


def _box_rows(a: Line, b: Line) -> bool:
    """Do ``a`` and ``b`` both belong to a table drawn with box-drawing characters, ``a``
    closing a row on its right border and ``b`` opening the next on its left one?

    Such a row is as wide as the table, and a table set to the full measure fills its line
    exactly (48 ten-point characters in 481 pt), so the fit test cannot tell it from a
    wrapped line: whether it does depends on the font's width for ─ and │, full in Noto
    CJK, narrower in others. A wrapped row never starts its continuation with a border.
    """
    return bool(_BOX_ROW_END.search(a.text) and _BOX_ROW_START.match(b.text))


def _lone_bar(first: Line, a: Line, b: Line) -> bool:
    """Is ``b`` a lone "|" after a paragraph with no bar of its own?

    A table flattened one cell a line puts a "|" line between cells; after a cell whose
    text happens to fill its last line the fit test cannot see the break. A paragraph with
    bars in it (a "a | b | c" row) may wrap its closing bar onto a line of its own.
    """
    return b.text in {"|", "｜"} and not any(bar in ln.text for ln in (first, a) for bar in "|｜")


def _breaks(
    first: Line, a: Line, b: Line, c: Line | _Table | None, lay: _Layout, patterns: tuple[regex.Pattern[str], ...]
) -> bool:
    """Does line ``b`` (followed by ``c``) start a new paragraph after line ``a`` (the paragraph opened with ``first``)?"""
    if _starts_heading(b.text, patterns) or _next_item(first, b) or _box_rows(a, b) or _lone_bar(first, a, b):
        return True
    if abs(a.size - b.size) > 1.5:
        return True
    if _would_fit(a, b, lay.right):
        return True
    if _first_line_indent(a, b, c, lay):
        return True
    if a.page == b.page and lay.pitch is not None:
        gap = (b.top - a.bottom) / max(a.size, 1)
        return gap > lay.pitch + max(0.3, 0.4 * lay.pitch)
    # A line that ran to the margin wrapped, whatever it ends with (a 。 or ； lands at the
    # margin as often mid-paragraph as at a paragraph's end). Only a line that stopped
    # short, yet had no room for the next (Latin) word, is told apart by its punctuation.
    return a.reach < lay.right - 2 * a.size and bool(_PARA_END.search(a.text))


# ---------------------------------------------------------------- entry point


def _open(data: bytes, engine: str) -> PdfSource:
    if engine == "pdfium":
        from parser.readers.pdfium import PdfiumSource

        return PdfiumSource(data)
    if engine == "pdfplumber":
        from parser.readers.pdf_plumber import PlumberSource

        return PlumberSource(data)
    raise ValueError(f"unknown PDF engine {engine!r}: choose one of {', '.join(ENGINES)}")


def _page_chars(page: PdfPage, index: int, limits: Limits) -> Chars:
    """The characters of one page, from either engine: the one place every page's text
    passes through (the page limit, glyphs drawn twice, checks on the text itself)."""
    chars = page.chars
    if len(chars) > limits.max_page_chars:
        raise TooLarge(f"page {index + 1} draws {len(chars)} characters, over the limit of {limits.max_page_chars}")
    if not all(chars.text):
        chars = chars.take([k for k, text in enumerate(chars.text) if text])
    return _dedupe(chars)


def read_pdf(data: bytes, limits: Limits, engine: str = DEFAULT_ENGINE) -> Document:
    """Read a PDF's text layer into a Document, one paragraph or table row per line.

    ``engine`` ("pdfium" or "pdfplumber", see parser/readers/pdf_page.py) only extracts
    each page's characters and ruling lines; everything made of them is shared.
    """
    pdf = _open(data, engine)
    try:
        n = len(pdf)
        if n == 0:
            raise CorruptFile("a PDF without pages")
        if n > limits.max_pages:
            raise TooLarge(f"{n} pages is over the limit of {limits.max_pages}")
        pages: list[list[Line | _Table]] = []
        batch: list[tuple[Chars, list[dict[str, Any]]]] = []  # pages read and not yet laid out
        heights: list[float] = []
        widths: list[float] = []
        any_text = False
        spaces = 0
        page_texts: list[str] = []
        for i in range(n):
            page = pdf.page(i, limits.max_page_chars)
            chars = _page_chars(page, i, limits)
            texts = chars.text
            page_text = "".join(texts)
            any_text = any_text or bool(page_text.strip())  # some character is not blank
            spaces += texts.count(" ")
            page_texts.append(page_text)
            batch.append((chars, page.edges))
            heights.append(page.height)
            widths.append(page.width)
            if sum(len(c) for c, _ in batch) >= _BATCH_CHARS or i == n - 1:
                pages.extend(_pages_items(batch, len(pages)))
                batch = []
    except NoticeError:  # TooLarge, Encrypted, and the batch's Timeout raised mid-page: as they are
        raise
    except Exception as exc:
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise Encrypted("the PDF is encrypted and needs a password") from exc
        raise CorruptFile(f"broken PDF: {name}: {exc}"[:200]) from exc
    finally:
        pdf.close()
    if not any_text:
        raise NoTextLayer("no text layer: a scanned image; OCR is needed")
    check_text_layer(page_texts)  # fonts embedded without a usable character map: glyph codes, not text
    _strip_running(pages, heights)
    return _assemble(pages, statistics.median(widths) if widths else 0.0, spaces > 0)


def _assemble(pages: list[list[Line | _Table]], width: float, draws_spaces: bool = False) -> Document:
    """Join lines into paragraphs and tables across pages; record each page's span."""
    flow: list[Line | _Table] = []
    for items in pages:
        for it in items:
            prev = flow[-1] if flow else None
            if isinstance(it, _Table) and isinstance(prev, _Table) and _continues(prev, it):
                _append(prev, it)
                continue
            flow.append(it)
    lay = _layout([it for it in flow if isinstance(it, Line)], width)
    guess_spaces = not draws_spaces and any(it.gaps for it in flow if isinstance(it, Line))
    patterns = _marker_patterns()
    out: list[str] = []
    starts: list[tuple[int, int]] = []  # (page, offset where its first block begins)
    offset = 0
    para: list[Line] = []

    def emit(text_lines: list[str], page: int) -> None:
        nonlocal offset
        if not text_lines:
            return
        if not starts or starts[-1][0] != page:
            starts.append((page, offset))
        for t in text_lines:
            out.append(t)
            offset += len(t) + 1

    def flush() -> None:
        if para:
            emit([_join_lines(para, guess_spaces)], para[0].page)
            para.clear()

    for k, it in enumerate(flow):
        if isinstance(it, _Table):
            flush()
            for r, line in table_rows(it.cells):
                emit([line], it.row_pages[r] if r < len(it.row_pages) else it.page)
            continue
        if para and _breaks(para[0], para[-1], it, flow[k + 1] if k + 1 < len(flow) else None, lay, patterns):
            flush()
        para.append(it)
    flush()
    text = "\n".join(out) + ("\n" if out else "")
    # One span per page; a paragraph running over a page break belongs to the page it starts on,
    # and a page holding no block of its own gets an empty span.
    first = dict(reversed(starts))
    bounds = [0] * (len(pages) + 1)
    bounds[len(pages)] = len(text)
    for p in range(len(pages) - 1, -1, -1):
        bounds[p] = first.get(p, bounds[p + 1])
    bounds[0] = 0
    spans = [(bounds[p], bounds[p + 1]) for p in range(len(pages))]
    return Document(text=text, format="pdf", pages=spans)
