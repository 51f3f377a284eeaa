"""The Document every reader returns and every later stage reads.

Readers do not interpret content: they turn a file into plain text, one line per
paragraph, and a table row into one line whose cells are joined by ``" | "`` (a cell
merged down several rows is repeated on each row, a row spanning the whole table is
written alone as a heading line). From then on every format goes down the same
pipeline as a plain-text notice, so a .docx and its .txt twin give the same record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CELL_SEP = " | "


@dataclass(slots=True)
class Document:
    """Plain text of one notice plus what the reader learned on the way."""

    text: str
    format: str = "txt"
    encoding: str | None = None
    path: str | None = None
    sha256: str | None = None
    portal: dict[str, str] = field(default_factory=dict)
    """Portal metadata (索引号, 发文字号, 成文日期, 发布机构 …) found outside the body."""
    pages: list[tuple[int, int]] = field(default_factory=list)
    """For paged formats, the span of each page in ``text``."""
