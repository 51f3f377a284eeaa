"""Turn a table, whatever format it came from, into the lines the plain-text pipeline reads.

Every reader (docx, pdf, html, sheet) describes a table the same way: a list of placed
cells, each with its row, column and spans. This module then writes one line per row,
cells joined by ``CELL_SEP``. Merged cells are repeated in every slot they cover, so each
row carries its own value for every column (a 牵头单位 merged down three rows is the lead
unit of all three tasks) and columns stay aligned with the header row. A row covered by a
single cell across all columns (a section heading inside the table, "（一）深化…") is
written alone, once, as a heading line, because that is how the same heading looks in a
plain-text notice.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from parser.document import CELL_SEP
from parser.errors import CorruptFile, TooLarge
from parser.limits import Limits

_HAN_OR_FULLWIDTH = r"[\p{Han}\u3000-\u303f\uff00-\uffef“”‘’—…]"
_HAN_OR_FULLWIDTH_RE = regex.compile(_HAN_OR_FULLWIDTH)  # compiled once: join_wrapped runs per cell line
_JOIN_TIGHT = regex.compile(rf"(?<={_HAN_OR_FULLWIDTH})[ \t]+(?={_HAN_OR_FULLWIDTH})")
_SPACES = regex.compile(r"[ \t\u00a0\u3000]+")


@dataclass(slots=True)
class Cell:
    """One cell of a table: its text and the grid slots it covers."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


def join_wrapped(parts: Iterable[str]) -> str:
    """Join the visual lines of one wrapped paragraph (PDF, cell wraps).

    A break between two Chinese characters is only where the page edge fell, so no
    space is put there; between Latin words or digits one space is kept.
    """
    out = ""
    for raw in parts:
        part = raw.strip()
        if not part:
            continue
        if not out:
            out = part
        elif _HAN_OR_FULLWIDTH_RE.match(part[0]) or _HAN_OR_FULLWIDTH_RE.match(out[-1]):
            out += part
        else:
            out += " " + part
    return out


def clean_cell_text(text: str) -> str:
    """One cell's text on one line: its own line breaks become spaces.

    Spaces are left for the unit splitter (市发改委 市财政局 on two lines in a cell are two
    units); a literal ``|`` is made full-width so it cannot be read as a cell boundary.
    """
    text = text.replace("\r", "\n").replace("|", "｜")
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    return " ".join(ln for ln in lines if ln)


def place_rows(rows: Sequence[Sequence[tuple[str, int, int]]]) -> list[Cell]:
    """Place cells given row by row as (text, colspan, rowspan), the way HTML lists them.

    A cell goes into the first slot of its row not already covered by a rowspan from
    above; this is the HTML table model and also fits .docx rows once vMerge is resolved.
    """
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        c = 0
        for text, col_span, row_span in row:
            while (r, c) in taken:
                c += 1
            colspan, rowspan = max(1, col_span), max(1, row_span)
            cells.append(Cell(text, r, c, rowspan, colspan))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            c += colspan
    return cells


def table_lines(cells: Sequence[Cell]) -> list[str]:
    """Write a table's rows as lines, merged cells repeated, full-width rows as headings."""
    return [line for _, line in table_rows(cells)]


def table_rows(cells: Sequence[Cell]) -> list[tuple[int, str]]:
    """Like ``table_lines``, each line with the grid row it was written from."""
    if not cells:
        return []
    nrows = max(c.row + c.rowspan for c in cells)
    ncols = max(c.col + c.colspan for c in cells)
    grid: list[list[int | None]] = [[None] * ncols for _ in range(nrows)]
    for i, cell in enumerate(cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if grid[r][c] is None:
                    grid[r][c] = i
    texts = [clean_cell_text(c.text) for c in cells]
    lines: list[tuple[int, str]] = []
    for r, slots in enumerate(grid):
        owners = {i for i in slots if i is not None}
        if not owners:
            continue
        if ncols > 1 and len(owners) == 1 and None not in slots:
            (only,) = owners
            if cells[only].row == r and texts[only]:
                lines.append((r, texts[only]))
            continue
        values = [texts[i] if i is not None else "" for i in slots]
        while len(values) > 1 and not values[-1] and all(
            grid[rr][len(values) - 1] is None for rr in range(nrows)
        ):
            values.pop()
        if any(values):
            lines.append((r, CELL_SEP.join(values) if len(values) > 1 else values[0]))
    return lines


def open_package(data: bytes, limits: Limits, ext: str, member: str, what: str) -> zipfile.ZipFile:
    """Open an Office package (.docx, .xlsx): a zip within the limits that holds ``member``.

    The size, ratio and member-count guards run on the zip directory, before anything
    is inflated; the caller closes the returned archive.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFile(f"not a {ext} (zip) file: {exc}") from exc
    try:
        check_zip(zf, limits, ext)
        if member not in zf.namelist():
            raise CorruptFile(f"a zip without {member}: not {what}")
    except BaseException:
        zf.close()
        raise
    return zf


def check_zip(zf: zipfile.ZipFile, limits: Limits, what: str) -> None:
    """Refuse a zip container (docx, xlsx) before inflating it: zip-bomb and size guards."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise TooLarge(f"{what} holds {len(infos)} zip members, over the limit of {limits.max_members}")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped_bytes:
        raise TooLarge(f"{what} inflates to {total} bytes, over the limit of {limits.max_unzipped_bytes}")
    for info in infos:
        # Small members compress by odd ratios legitimately (empty XML parts); only a big one is a bomb.
        if info.file_size >= 1024 * 1024:
            ratio = info.file_size / max(1, info.compress_size)
            if ratio > limits.max_zip_ratio:
                raise TooLarge(
                    f"{what} member {info.filename} inflates {ratio:.0f}:1, over the limit of {limits.max_zip_ratio:.0f}:1"
                )


def tighten(text: str) -> str:
    """Remove spaces an extractor put between Chinese characters of one line."""
    return _JOIN_TIGHT.sub("", text)
