"""A PDF's characters into visual lines: rows clustered by height, read left to right.

The layout code (parser/readers/pdf.py) builds paragraphs and table cells out of lines;
this module makes the lines. Every character of every page passes through it (a page of
a ruled table has hundreds of cells, each made of its own lines), so it is written for
that:

* the characters of a batch of pages (the whole of most notices; see pdf.py's
  ``_BATCH_CHARS``) are held as columns (``Glyphs``: a list or a numpy array per field),
  and a character is its index in them, rather than a dict looked up field by field each
  time it is seen;
* the one step that has to go character by character in Python is the clustering into
  rows, since where a character goes depends on the rows made before it (``_rows``);
* everything else a line needs (its extent, its size, the gaps that read as word spaces,
  how far its trailing spaces reach) is measured for all rows of the batch at once, with
  numpy over the rows laid end to end (``_Measured``): numpy's cost per call is paid per
  batch, not per cell or per page. What is left per line is joining its text and making
  the ``Line``.

Each measure is the same arithmetic on the same float64 numbers as the per-character
loop it replaced, so the lines are the same to the last bit (the records of the PDFs in
../shared and of those the tests build were byte-identical before and after).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    import numpy as np

    from parser.readers.pdf_page import Chars

_CJK = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’—…]")
_CJK_SEEN: dict[str, bool] = {}
_GLYPHS = 16
"""How many of a line's first glyphs the line-fit tests get to see."""


def cjk(text: str) -> bool:
    """Is ``text`` a Chinese character or full-width mark? Remembered per character: it is
    asked of the two sides of every wide gap."""
    found = _CJK_SEEN.get(text)
    if found is None:
        if len(_CJK_SEEN) > 20_000:
            _CJK_SEEN.clear()
        found = _CJK_SEEN[text] = bool(_CJK.match(text))
    return found


def median(values: list[float]) -> float:
    """``statistics.median`` of a non-empty list, the same number, without its checks: it
    runs for every line and every table cell."""
    data = sorted(values)
    n = len(data)
    return data[n // 2] if n % 2 else (data[n // 2 - 1] + data[n // 2]) / 2


@dataclass(slots=True)
class Line:
    """One visual line: its text, its box (of its visible characters) and what the
    paragraph joiner asks of it."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    glyphs: list[tuple[str, float]] = field(default_factory=list)
    """The first visible characters and their advance widths (for line-fit tests)."""
    reach: float = 0.0
    """Right edge including trailing space glyphs: a line wrapped at a run of spaces ends
    short in ink but its spaces run on to the margin."""
    head: str = ""
    tail: str = ""
    """Leading and trailing spaces, put back when the line is joined to its neighbour (a
    typesetter leaves the space it wrapped at on either side of the break)."""
    gaps: int = 0
    """Word spaces seen only as gaps (no space glyph drawn) between Latin letters or digits."""
    spread: bool = False
    """Justified by widening its word spaces only: such a typesetter breaks lines at spaces
    alone, so the line was wrapped at one even when it drew none at the break."""


class Glyphs:
    """The characters of some pages (``Chars``, one page after the other) as columns, and
    what the line code derives from each character, computed once with numpy: as Python
    lists for the steps that go character by character, as numpy arrays for those that
    measure whole rows. ``starts[p]`` is where page ``p``'s characters begin."""

    __slots__ = ("arrays", "mid", "rank", "reach", "starts", "text", "x0")

    def __init__(self, pages: list[Chars]) -> None:
        import numpy as np

        def joined(name: str) -> np.ndarray:
            return np.concatenate([np.asarray(getattr(chars, name), dtype=np.float64) for chars in pages])

        self.starts = list(itertools.accumulate((len(chars) for chars in pages), initial=0))
        self.text: list[str] = list(itertools.chain.from_iterable(chars.text for chars in pages))
        x0, x1, top, bottom, given = joined("x0"), joined("x1"), joined("top"), joined("bottom"), joined("size")
        self.x0: list[float] = x0.tolist()
        size = np.where(given != 0, given, 10.0)  # as the line tests take a size the engine does not give
        mid = (top + bottom) / 2
        self.mid: list[float] = mid.tolist()
        """The height of the centre: rows are clustered by it."""
        height = bottom - top
        self.reach: list[float] = (np.where(given != 0, given, np.where(height != 0, height, 10.0)) * 0.45).tolist()
        """How far from a row's centre a character's own centre may lie to join it: 0.45
        of its size (of its height where it has none)."""
        self.rank: list[int] = _reading_ranks(top, x0)
        """Each character's place in reading order (``_rows``)."""
        blank = np.fromiter(map(str.isspace, self.text), dtype=bool, count=len(self.text))
        self.arrays = _Columns(x0=x0, x1=x1, top=top, bottom=bottom, size=size, ink=~blank, centre=((x0 + x1) / 2, mid))

    def __len__(self) -> int:
        return len(self.text)


def _reading_ranks(top: np.ndarray, x0: np.ndarray) -> list[int]:
    """Each character's place in reading order: by top to a tenth of a point, then x0, then
    the page's order (a row's characters share their top, but for a few hundredths).

    Sorted once for all the pages, so that each group of characters is put in reading order
    by sorting on one int. The tops are rounded by Python's ``round`` (correctly rounded,
    unlike numpy's), once per distinct top; both coordinates are finite (``_dedupe`` rounds
    them to ints first), so numpy's sort orders them as Python's would."""
    import numpy as np

    distinct, which = np.unique(top, return_inverse=True)
    rounded = np.array([round(t, 1) for t in distinct.tolist()], dtype=np.float64)[which.reshape(-1)]
    order = np.lexsort((x0, rounded))  # stable: characters at one place keep the page's order
    rank = np.empty(len(top), dtype=np.intp)
    rank[order] = np.arange(len(top))
    return rank.tolist()


@dataclass(slots=True)
class _Columns:
    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    size: np.ndarray
    ink: np.ndarray
    """Not a space (its text is not blank): only visible characters give a line its extent."""
    centre: tuple[np.ndarray, np.ndarray]
    """Across and down: a character is inside a table cell when its centre is."""


def lines_of(g: Glyphs, groups: list[list[int]], pages: list[int]) -> list[list[Line]]:
    """The lines of each group of characters (indexes into ``g`` in the page's order: a
    table cell's, a page's running text), top to bottom; ``pages`` gives each group's page.
    The rows of all groups are measured together."""
    rows_of = [_rows(g, chars) for chars in groups]
    rows = list(itertools.chain.from_iterable(rows_of))
    row_pages = list(itertools.chain.from_iterable(itertools.repeat(p, len(r)) for p, r in zip(pages, rows_of, strict=True)))
    lines = _Measured(g, rows).lines(row_pages) if rows else []
    out: list[list[Line]] = []
    k = 0
    for group_rows in rows_of:
        found = [ln for ln in lines[k : k + len(group_rows)] if ln is not None]
        found.sort(key=_line_top)
        out.append(found)
        k += len(group_rows)
    return out


def _line_top(ln: Line) -> float:
    return ln.top


def _rows(g: Glyphs, chars: list[int]) -> list[list[int]]:
    """The characters clustered by the height of their centre (within 0.45 of a size), in
    reading order: a character joins the row being read or one of the two before it.

    Reading order is by top (to a tenth of a point), then x0, then the page's order."""
    mid_of, reach_of = g.mid, g.reach
    rows: list[list[int]] = []
    mids: list[float] = []  # of each row's first character
    for i in sorted(chars, key=g.rank.__getitem__):
        mid, reach = mid_of[i], reach_of[i]
        if mids and abs(mid - mids[-1]) < reach:  # the usual case: the line being read
            rows[-1].append(i)
            continue
        for k in range(len(rows) - 2, max(len(rows) - 4, -1), -1):
            if abs(mid - mids[k]) < reach:
                rows[k].append(i)
                break
        else:
            rows.append([i])
            mids.append(mid)
    return rows


class _Measured:
    """The rows of all groups laid end to end (``order``: the characters, row after row, each
    left to right), and each row's measures, taken with numpy over all of them at once."""

    def __init__(self, g: Glyphs, rows: list[list[int]]) -> None:
        import numpy as np

        self.g = g
        lengths = np.fromiter(map(len, rows), dtype=np.intp, count=len(rows))
        ends = np.cumsum(lengths)
        starts = ends - lengths
        order = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.intp, count=int(ends[-1]))
        row_of = np.repeat(np.arange(len(rows)), lengths)
        c = g.arrays
        # Each row left to right: a stable sort keeps characters at one x0 in reading order.
        order = order[np.lexsort((c.x0[order], row_of))]
        self.order = order
        x0, x1, ink = c.x0[order], c.x1[order], c.ink[order]
        self.texts = list(map(g.text.__getitem__, order.tolist()))
        gap = self._gaps(x0, x1, c.size[order], starts)
        self.gap_at = np.flatnonzero(gap).tolist()
        inf = np.inf
        right = np.maximum.reduceat(np.where(ink, x1, -inf), starts)
        # Trailing spaces: blanks that start where the ink ends or past it.
        trailing = ~ink & (x0 >= right[row_of] - 0.5)
        visible = np.add.reduceat(ink.astype(np.intp), starts)
        self.starts, self.ends = starts.tolist(), ends.tolist()
        self.visible = visible.tolist()
        self.blanks = (visible < lengths).tolist()
        self.x0 = np.minimum.reduceat(np.where(ink, x0, inf), starts).tolist()
        self.x1 = right.tolist()
        self.top = np.minimum.reduceat(np.where(ink, c.top[order], inf), starts).tolist()
        self.bottom = np.maximum.reduceat(np.where(ink, c.bottom[order], -inf), starts).tolist()
        self.reach = np.maximum(right, np.maximum.reduceat(np.where(trailing, x1, -inf), starts)).tolist()
        self.gaps = np.add.reduceat(gap.astype(np.intp), starts).tolist()
        self.gap, self.ink = gap, ink
        self.widths = (x1 - x0).tolist()
        self.pairs = list(zip(self.texts, self.widths, strict=True))
        """Each character's glyph for the line-fit tests: (its text, its advance width)."""
        self.size = self._sizes(c.size[order], ink, starts, ends, visible)

    def _gaps(self, x0: np.ndarray, x1: np.ndarray, size: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Where a word space is seen only as a gap: wider than half the size between two
        characters of a row neither of which is a space, Chinese or closes on a space (a gap
        between Chinese characters is justification, not a word space). Only the few wide
        gaps are looked at in Python."""
        import numpy as np

        wide = np.zeros(len(x0), dtype=bool)
        wide[1:] = x0[1:] - x1[:-1] > size[1:] * 0.5
        wide[starts] = False  # a row's first character has no gap before it
        texts = self.texts
        for k in np.flatnonzero(wide).tolist():
            t, before = texts[k], texts[k - 1]
            if before.endswith(" ") or t == " " or cjk(t) or cjk(before):
                wide[k] = False
        return wide

    def _sizes(self, size: np.ndarray, ink: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               visible: np.ndarray) -> list[float]:
        """Each row's size: the median of its visible characters' sizes. Where they are all
        one size (the smallest is the largest), that is the median, taken as ``median`` takes
        it; a row of mixed sizes is left to ``median`` (a row with none has no line)."""
        import numpy as np

        seen = visible > 0
        least = np.where(seen, np.minimum.reduceat(np.where(ink, size, np.inf), starts), 0.0)
        most = np.where(seen, np.maximum.reduceat(np.where(ink, size, -np.inf), starts), 0.0)
        out = np.where(visible % 2 == 1, least, (least + most) / 2).tolist()
        for r in np.flatnonzero(least != most).tolist():
            row = slice(int(starts[r]), int(ends[r]))
            out[r] = median(size[row][ink[row]].tolist())
        return out

    def lines(self, pages: list[int]) -> list[Line | None]:
        """Each row as a line on its page (None for a row of spaces alone): its text with the
        word spaces seen only as gaps put in, and what the paragraph joiner asks of it."""
        pieces = list(self.texts)
        for k in self.gap_at:
            pieces[k] = " " + pieces[k]
        out: list[Line | None] = []
        pairs = self.pairs
        for start, end, visible, blanks, gaps, page, x0, x1, top, bottom, size, reach in zip(
                self.starts, self.ends, self.visible, self.blanks, self.gaps, pages, self.x0, self.x1, self.top,
                self.bottom, self.size, self.reach, strict=True):
            if not visible:
                out.append(None)
                continue
            text = "".join(pieces[start:end])
            out.append(Line(
                text.strip(), x0, x1, top, bottom, size, page,
                pairs[start : min(end, start + _GLYPHS)] if not blanks and not gaps else self._glyphs(start, end),
                reach,
                text[: len(text) - len(text.lstrip())] if text[0].isspace() else "",
                text[len(text.rstrip()):] if text[-1].isspace() else "",
                gaps,
                blanks and _word_spread(self.g, self.order[start:end].tolist()),  # no space glyph, no word space to widen
            ))
        return out

    def _glyphs(self, start: int, end: int) -> list[tuple[str, float]]:
        """The first glyphs of a line with spaces, drawn or seen, and their advance widths,
        for the line-fit tests: a run of spaces counts as one, none before the first visible
        glyph; a word space seen as a gap is a glyph of no width (and is counted past the
        16th). A line without spaces has its first characters as they are (``pairs``)."""
        texts, widths = self.texts[start:end], self.widths[start:end]
        gaps, inks = self.gap[start:end].tolist(), self.ink[start:end].tolist()
        glyphs: list[tuple[str, float]] = []
        k = 0
        while k < len(texts) and len(glyphs) < _GLYPHS:
            if gaps[k]:
                glyphs.append((" ", 0.0))
            if len(glyphs) < _GLYPHS and (inks[k] or (glyphs and glyphs[-1][0] != " ")):
                glyphs.append((texts[k] if inks[k] else " ", widths[k]))
            k += 1
        glyphs.extend((" ", 0.0) for gap in gaps[k:] if gap)
        return glyphs


def _word_spread(g: Glyphs, row: list[int]) -> bool:
    """Are the line's word spaces widened while its Han characters stay packed?

    Each run of spaces between two visible characters is measured against the advance of
    its own space glyphs; a widened run beside tight Han spacing is word-space justification.
    """
    c = g.arrays
    ink = c.ink[row].tolist()
    if all(ink):
        return False
    # The row's own characters, by their place in it.
    x0s, x1s, texts = c.x0[row].tolist(), c.x1[row].tolist(), [g.text[i] for i in row]
    spaces = [k for k, visible in enumerate(ink) if not visible]
    visible = [k for k, visible in enumerate(ink) if visible]
    size = median(c.size[row][c.ink[row]].tolist())
    widened = False
    han_gaps: list[float] = []
    for a, b in itertools.pairwise(visible):
        between = [s for s in spaces if x1s[a] - 0.5 <= x0s[s] <= x0s[b] + 0.5]
        gap = float(x0s[b] - x1s[a])
        if between:
            widened = widened or gap - sum(float(x1s[s] - x0s[s]) for s in between) > 0.1 * size
        elif cjk(texts[a]) and cjk(texts[b]):
            han_gaps.append(gap)
    return widened and (not han_gaps or median(han_gaps) < 0.05 * size)
