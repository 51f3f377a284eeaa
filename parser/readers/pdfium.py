"""The pdfium engine (the default): characters and ruling lines through pypdfium2's C API.

pdfium's text page gives every glyph its Unicode, its box and its font size in a few
C calls, about fourteen times faster than pdfminer interprets the page in Python. What
the layout code expects of a character is pdfplumber's view of it, so:

* x0/x1 are the glyph's advance (pdfium's "loose" box), the width a typesetter
  reckons with when it wraps a line, not the ink;
* top/bottom are the font's line box, so a character's centre lies where pdfminer puts
  it to within a fraction of a point;
* characters pdfium makes up (spaces between words it infers from gaps, CR LF at line
  ends) are dropped: pdfminer does not infer them, and the layout code reads the gaps
  itself;
* a glyph without a Unicode mapping reads ``(cid:N)`` as in pdfminer, so the check for
  fonts that cannot be turned back into text applies to both engines.

Ruling lines come from the page's path objects (descending into form XObjects): every
straight segment, in page coordinates, as pdfplumber's edge dicts.
"""

from __future__ import annotations

import ctypes
from typing import Any

from parser.errors import CorruptFile, Encrypted
from parser.readers.pdf_page import PdfPage, edge

_GENERATED_ONLY = {" ", "\r", "\n"}
"""Characters pdfium may insert itself; only these are worth asking FPDFText_IsGenerated about."""
_HYPHEN = {"\x02": "-", "\ufffe": "-"}
"""pdfium's marks for a hyphen at a line end; pdfminer gives the drawn hyphen."""


class PdfiumSource:
    """An open PDF read by pdfium; see parser.readers.pdf_page.PdfSource."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        self.raw = raw
        try:
            self.pdf: Any = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
                raise Encrypted("the PDF is encrypted and needs a password") from exc
            raise CorruptFile(f"not a readable PDF: {exc}"[:200]) from exc

    def __len__(self) -> int:
        return len(self.pdf)

    def page(self, index: int, max_chars: int) -> PdfPage:
        page = self.pdf[index]
        try:
            left, bottom, right, top = page.get_mediabox()
            textpage = page.get_textpage()
            try:
                chars = self._chars(textpage.raw, left, top, max_chars)
            finally:
                textpage.close()
            edges = self._edges(page.raw, left, top)
            width, height = page.get_size()
        finally:
            page.close()
        return PdfPage(chars=chars, edges=edges, width=float(width), height=float(height))

    def _chars(self, tp: Any, left: float, top: float, max_chars: int) -> list[dict[str, Any]]:
        raw = self.raw
        n = raw.FPDFText_CountChars(tp)
        if n <= 0:
            return []
        buf = ctypes.create_string_buffer((n + 1) * 2)
        got = raw.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        text = buf.raw[: max(0, got - 1) * 2].decode("utf-16-le", errors="replace")
        if len(text) != n:  # a character outside the BMP takes two UTF-16 units: index one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(n))
        rect = raw.FS_RECTF()
        loose, size_of, generated, unmapped = (raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize,
                                               raw.FPDFText_IsGenerated, raw.FPDFText_HasUnicodeMapError)
        fonts = _FontNames(raw, tp)
        out: list[dict[str, Any]] = []
        for i, ch in enumerate(text):
            if ch in _GENERATED_ONLY and (ch != " " or generated(tp, i)):
                continue
            ch = _HYPHEN.get(ch, ch)
            if unmapped(tp, i) == 1:
                ch = f"(cid:{ord(ch)})"
            loose(tp, i, ctypes.byref(rect))
            out.append({"text": ch, "x0": rect.left - left, "x1": rect.right - left, "top": top - rect.top,
                        "bottom": top - rect.bottom, "size": size_of(tp, i), "fontname": fonts.name(i)})
            if len(out) > max_chars:
                break
        return out

    def _edges(self, page: Any, left: float, top: float) -> list[dict[str, Any]]:
        raw = self.raw
        out: list[dict[str, Any]] = []
        identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        stack = [(raw.FPDFPage_CountObjects(page), lambda k: raw.FPDFPage_GetObject(page, k), identity)]
        matrix = raw.FS_MATRIX()
        while stack:
            count, get, outer = stack.pop()
            for k in range(count):
                obj = get(k)
                kind = raw.FPDFPageObj_GetType(obj)
                if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
                    continue
                if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
                    continue
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                if kind == raw.FPDF_PAGEOBJ_FORM:
                    stack.append((raw.FPDFFormObj_CountObjects(obj),
                                  lambda j, form=obj: raw.FPDFFormObj_GetObject(form, j), m))
                else:
                    out.extend(self._path_edges(obj, m, left, top))
        return out

    def _path_edges(self, obj: Any, m: tuple[float, ...], left: float, top: float) -> list[dict[str, Any]]:
        """The straight segments of one path (curves only move the pen), in page coordinates."""
        raw = self.raw
        x, y = ctypes.c_float(), ctypes.c_float()
        out: list[dict[str, Any]] = []
        start = pen = None
        for s in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, s)
            if not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                continue
            a, b, c, d, e, f = m
            point = (a * x.value + c * y.value + e - left, top - (b * x.value + d * y.value + f))
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_LINETO and pen is not None:
                out.append(_edge(pen, point))
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = point
            pen = point
            if raw.FPDFPathSegment_GetClose(seg) and start is not None and pen != start:
                out.append(_edge(pen, start))
                pen = start
        return out

    def close(self) -> None:
        self.pdf.close()


class _FontNames:
    """Base font names per character, looked up once per text object (a run of glyphs)."""

    def __init__(self, raw: Any, tp: Any) -> None:
        self.raw, self.tp = raw, tp
        self.by_object: dict[int, str] = {}
        self.buf = ctypes.create_string_buffer(256)

    def name(self, i: int) -> str:
        raw = self.raw
        obj = raw.FPDFText_GetTextObject(self.tp, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        found = self.by_object.get(key)
        if found is None:
            font = raw.FPDFTextObj_GetFont(obj) if key else None
            size = raw.FPDFFont_GetBaseFontName(font, self.buf, len(self.buf)) if font else 0
            found = self.buf.raw[: max(0, size - 1)].decode("latin-1") if size else ""
            self.by_object[key] = found
        return found


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _edge(p: tuple[float, float], q: tuple[float, float]) -> dict[str, Any]:
    """A segment as an edge; coordinates a rounding error apart count as one (a matrix's
    floating point leaves a horizontal rule 1e-13 off level)."""
    (x0, y0), (x1, y1) = p, q
    if abs(x0 - x1) < 0.01:
        x0 = x1 = (x0 + x1) / 2
    if abs(y0 - y1) < 0.01:
        y0 = y1 = (y0 + y1) / 2
    return edge(x0, y0, x1, y1, "path")
