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

from dataclasses import dataclass, field
from typing import Any, Protocol

ENGINES = ("pdfium", "pdfplumber")
"""The PDF engines a user may choose; the first is the default."""
DEFAULT_ENGINE = ENGINES[0]


@dataclass(slots=True)
class PdfPage:
    chars: list[dict[str, Any]]
    """Every glyph the page draws, spaces included, in content order: dicts with ``text``,
    ``x0``, ``x1`` (the glyph's advance, not its ink), ``top``, ``bottom``, ``size`` (font
    size in points) and ``fontname``. Characters an engine makes up (pdfium's inferred
    spaces and line ends) are left out: pdfminer, and so the layout code, never sees them."""
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
