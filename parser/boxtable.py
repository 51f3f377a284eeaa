"""Box-drawing text tables (┌─┬┐ │ ├┼┤ └┴┘, and ASCII +--+ / |) read as a grid of cells.

Such tables come from old web pages and text exports. Column positions cannot be taken
from character offsets (a Han character is two columns wide on screen, one in the
string, and pages collapse runs of spaces), so a column is the n-th segment between
vertical/junction characters of a line: every line of one table has the same count.

A segment made of rule characters (─, -, =) closes the cell above it in that column; a
segment with text on a separator line means the cell continues across the rule (a
rowspan). So each column is cut into regions independently, and a cell merged down
several rows is simply one long region. This module only builds that grid; parser.tables
gives the columns their roles and turns regions into rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from parser.lines import Line

_BOX_VERTICAL = "│┃║╎╏┆┇┊┋"
_BOX_JUNCTIONS = "┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬┏┓┗┛┣┫┳┻╋╒╕╘╛╞╡╤╧╪╓╖╙╜╟╢╥╨╫┍┑┕┙┝┥┯┷┿┎┒┖┚┠┨┰┸╂"
_BOX_BOUNDARY = frozenset(_BOX_VERTICAL + _BOX_JUNCTIONS)
_ASCII_BOUNDARY = frozenset("|+")
_FIRST_CHARS = _BOX_BOUNDARY | _ASCII_BOUNDARY
"""What a box line's first character must be (``_is_box_line``)."""
_RULE = frozenset("─━═┄┅┈┉╌╍-=—_")
_SPACE = " \t\u3000\xa0"
_TOP = frozenset("┌╔┏╒╓┍┎")
_BOTTOM = frozenset("└╚┗╘╙┕┖")
MAX_COLUMNS = 40
"""A line with more segments than this is not a table row (hostile or decorative input)."""


@dataclass(slots=True)
class Piece:
    """The text of one column on one physical line, with its span in the notice text."""

    text: str
    start: int
    end: int
    line: int = -1
    """Index of the physical line in the grid (set once the grid is built)."""


@dataclass(slots=True)
class Region:
    """One cell of one column: the lines between two rules of that column."""

    col: int
    first_line: int
    """Index (into the grid's lines) of the first line the region covers."""
    last_line: int
    pieces: list[Piece] = field(default_factory=list)


@dataclass(slots=True)
class BoxGrid:
    """A box table: header regions per column and body regions per column, in line order."""

    start: int
    end: int
    ncols: int
    header: list[list[Piece]]
    """Header pieces per column (a multi-line header gives several pieces)."""
    header_start: int
    header_end: int
    columns: list[list[Region]]
    """Body regions per column, top to bottom."""
    line_count: int


def _is_box_line(line: Line) -> bool:
    first = line.text[0]
    return first in _BOX_BOUNDARY or (first in _ASCII_BOUNDARY and _ascii_ruled(line.text))


def _ascii_ruled(text: str) -> bool:
    """An ASCII table line: starts with + or | and holds another boundary further on."""
    return len(text) >= 3 and (text[-1] in _ASCII_BOUNDARY) and (
        text[0] == "+" or text.count("|") >= 3
    )


def _segments(line: Line, boundary: frozenset[str]) -> list[Piece] | None:
    """Segments between boundary characters, spans stripped; None when too many."""
    text = line.text
    cuts = [i for i, ch in enumerate(text) if ch in boundary]
    if len(cuts) < 2 or len(cuts) - 1 > MAX_COLUMNS:
        return None
    out: list[Piece] = []
    for a, b in itertools.pairwise(cuts):
        s, e = a + 1, b
        while s < e and text[s] in _SPACE:
            s += 1
        while e > s and text[e - 1] in _SPACE:
            e -= 1
        out.append(Piece(text[s:e], line.start + s, line.start + e))
    return out


def _is_rule(piece: Piece) -> bool:
    return bool(piece.text) and all(ch in _RULE or ch in _SPACE for ch in piece.text)


def _blocks(lines: list[Line]) -> list[tuple[int, int, frozenset[str]]]:
    """Runs of consecutive box lines: (first index, last index + 1, boundary characters)."""
    out: list[tuple[int, int, frozenset[str]]] = []
    if _FIRST_CHARS.isdisjoint({ln.text[0] for ln in lines}):
        return out  # no line opens like a box row: the common prose notice
    i, n = 0, len(lines)
    while i < n:
        if not _is_box_line(lines[i]):
            i += 1
            continue
        boundary = _BOX_BOUNDARY if lines[i].text[0] in _BOX_BOUNDARY else _ASCII_BOUNDARY
        j = i + 1
        while j < n and lines[j].text[0] in boundary and not (
            boundary is _BOX_BOUNDARY and lines[j].text[0] in _TOP and j > i
        ):
            j += 1
        # A bottom border ends the table even when another table starts on the next line.
        k = i
        while k < j:
            if boundary is _BOX_BOUNDARY and lines[k].text[0] in _BOTTOM:
                break
            k += 1
        end = min(j, k + 1)
        if end - i >= 3:
            out.append((i, end, boundary))
        i = max(end, i + 1)
    return out


def find_box_grids(lines: list[Line]) -> list[BoxGrid]:
    """Every box-drawing table among ``lines`` as a grid of regions."""
    grids: list[BoxGrid] = []
    for first, stop, boundary in _blocks(lines):
        grid = _grid(lines[first:stop], boundary)
        if grid is not None:
            grids.append(grid)
    return grids


def _grid(block: list[Line], boundary: frozenset[str]) -> BoxGrid | None:
    rows = [_segments(line, boundary) for line in block]
    for idx, segs in enumerate(rows):
        for p in segs or ():
            p.line = idx
    counts = [len(r) for r in rows if r is not None]
    if not counts:
        return None
    ncols = max(set(counts), key=counts.count)
    if ncols < 2:
        return None
    header: list[list[Piece]] = [[] for _ in range(ncols)]
    columns: list[list[Region]] = [[] for _ in range(ncols)]
    open_regions: list[Region | None] = [None] * ncols
    in_header = True
    seen_content = False
    header_start = header_end = block[0].start
    for idx, segs in enumerate(rows):
        if segs is not None and in_header and 1 < len(segs) < ncols and not all(_is_rule(p) for p in segs):
            # 项目投入(万元) over 总投入 / 省级补助 / …: a header line drawn before the last
            # column was split into sub-columns; its last cell spans them.
            seen_content = seen_content or any(p.text for p in segs)
            for c, p in enumerate(segs):
                for fine in (range(c, ncols) if c == len(segs) - 1 else (c,)):
                    if p.text:
                        header[fine].append(p)
            continue
        if segs is None or len(segs) != ncols:
            continue
        rules = [_is_rule(p) for p in segs]
        if all(rules) or (all(r or not p.text for r, p in zip(rules, segs, strict=True)) and any(rules)):
            if seen_content and in_header:
                in_header = False
                header_end = block[idx - 1].end
            for c in range(ncols):
                if rules[c]:
                    open_regions[c] = None
            if in_header:
                continue
            if not all(rules):
                # A partial rule: the columns without ─ continue their cell over it.
                for c in range(ncols):
                    _extend(open_regions, columns, c, idx, None if rules[c] else segs[c])
            continue
        if in_header:
            if not seen_content:
                header_start = block[idx].start
            seen_content = True
            for c, p in enumerate(segs):
                if p.text:
                    header[c].append(p)
            continue
        for c, p in enumerate(segs):
            if rules[c]:
                open_regions[c] = None
            else:
                _extend(open_regions, columns, c, idx, p)
    if in_header or not any(columns):
        return None
    return BoxGrid(block[0].start, block[-1].end, ncols, header, header_start, header_end, columns, len(block))


def _extend(open_regions: list[Region | None], columns: list[list[Region]], c: int, idx: int, piece: Piece | None) -> None:
    """Add one line to column ``c``'s open region (opening one after a rule)."""
    if piece is None:
        return
    region = open_regions[c]
    if region is None:
        region = Region(c, idx, idx)
        open_regions[c] = region
        columns[c].append(region)
    region.last_line = idx
    if piece.text:
        region.pieces.append(piece)
