"""What the PDF reader needs of a page, in a form neither PDF engine owns.

The reader (parser/readers/pdf.py) rebuilds paragraphs and tables from positioned
characters and ruling lines alone, so any engine that yields them feeds the same layout
code: pdfium (parser/readers/pdfium.py, the default, fast) and pdfplumber
(parser/readers/pdf_plumber.py, pdfminer's pure-Python interpreter). Records can then
differ only where the two engines see the page differently, never in what is made of it.

Coordinates are PDF points from the page's top-left corner (y grows downwards), as
pdfplumber gives them.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

ENGINES = ("pdfium", "pdfplumber")
"""The PDF engines a user may choose; the first is the default."""
DEFAULT_ENGINE = ENGINES[0]


@dataclass(slots=True)
class Chars:
    """Every glyph a page draws, spaces included, in content order, as columns indexed alike:
    its ``text``, ``x0``, ``x1`` (the glyph's advance, not its ink), ``top``, ``bottom``,
    ``size`` (font size in points, 0 where the engine gives none) and ``fontname``.
    Characters an engine makes up (pdfium's inferred spaces and line ends) are left out:
    pdfminer, and so the layout code, never sees them.

    Columns rather than a dict per character: the layout code goes over every character
    field by field, and pdfium's reader has the fields as arrays to begin with. The numbers
    are lists or ``array.array("d")`` (pdfium's compiled reader), read alike by index, by
    iteration and by numpy."""

    text: list[str] = field(default_factory=list)
    x0: Sequence[float] = field(default_factory=list)
    x1: Sequence[float] = field(default_factory=list)
    top: Sequence[float] = field(default_factory=list)
    bottom: Sequence[float] = field(default_factory=list)
    size: Sequence[float] = field(default_factory=list)
    fontname: list[str] = field(default_factory=list)

    @classmethod
    def from_dicts(cls, chars: list[dict[str, Any]]) -> Chars:
        """Columns of pdfplumber's character dicts."""
        return cls(
            text=[c.get("text") or "" for c in chars],
            x0=list(map(operator.itemgetter("x0"), chars)),
            x1=list(map(operator.itemgetter("x1"), chars)),
            top=list(map(operator.itemgetter("top"), chars)),
            bottom=list(map(operator.itemgetter("bottom"), chars)),
            size=[c.get("size") or 0.0 for c in chars],
            fontname=[c.get("fontname") or "" for c in chars],
        )

    def dicts(self) -> list[dict[str, Any]]:
        """The characters as dicts, pdfplumber's way (tests and debugging)."""
        names = [f.name for f in fields(self)]
        return [dict(zip(names, values, strict=True)) for values in zip(*(getattr(self, n) for n in names), strict=True)]

    def take(self, keep: list[int]) -> Chars:
        """The characters at the indexes ``keep``, in that order."""
        return Chars(*(list(map(getattr(self, f.name).__getitem__, keep)) for f in fields(self)))

    def __len__(self) -> int:
        return len(self.text)


@dataclass(slots=True)
class PdfPage:
    chars: Chars
    """Every glyph the page draws (see ``Chars``)."""
    edges: list[dict[str, Any]] = field(default_factory=list)
    """Straight strokes of the page's paths (rules, cell borders, the four sides of a
    rectangle) as pdfplumber edge dicts: ``x0 x1 top bottom width height orientation``
    (``"h"``, ``"v"``, or ``None`` for a slanted one) and ``object_type``."""
    width: float = 0.0
    height: float = 0.0


class PdfSource(Protocol):
    """An open PDF, read page by page (so the page limit is checked before any page is read)."""

    def __len__(self) -> int: ...

    def page(self, index: int, max_chars: int) -> PdfPage:
        """The page's characters and edges; an engine may stop reading characters once it
        has more than ``max_chars`` (the page is refused anyway), as long as it returns more."""
        ...

    def close(self) -> None: ...


def edge(x0: float, top: float, x1: float, bottom: float, kind: str = "line") -> dict[str, Any]:
    """One straight stroke from (x0, top) to (x1, bottom) as a pdfplumber edge dict."""
    if x0 > x1:
        x0, x1 = x1, x0
    if top > bottom:
        top, bottom = bottom, top
    orientation = "h" if top == bottom else ("v" if x0 == x1 else None)
    return {"object_type": f"{kind}_edge", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}
