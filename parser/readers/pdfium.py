"""The pdfium engine (the default): characters and ruling lines through pypdfium2's C API.

pdfium's text page gives every glyph its Unicode, its box and its font size in a few
C calls, about fourteen times faster than pdfminer interprets the page in Python. What
the layout code expects of a character is pdfplumber's view of it, so:

* x0/x1 are the glyph's origin and advance (the font's width for it), the width a
  typesetter reckons with when it wraps a line, not the ink: pdfium's "loose" box also
  takes in ink that overhangs the advance (box-drawing lines, italics);
* top/bottom are the font's size above its descent below the baseline, the same for every
  glyph of a font, as in pdfminer (pdfium's boxes follow each glyph's ink, so line gaps,
  and with them paragraph spacing, came out uneven). pdfium takes the descent from the
  font program where the PDF's descriptor says 0 and pdfminer takes the 0: boxes then sit
  lower by a constant per font (0.76 pt at 10 pt for Noto CJK), the same for all glyphs;
* characters pdfium makes up (spaces between words it infers from gaps, CR LF at line
  ends) are dropped: pdfminer does not infer them, and the layout code reads the gaps
  itself;
* a glyph without a Unicode mapping reads ``(cid:N)`` as in pdfminer, so the check for
  fonts that cannot be turned back into text applies to both engines.

Ruling lines come from the page's path objects (descending into form XObjects): every
straight segment, in page coordinates, as pdfplumber's edge dicts.

The loops over a page's glyphs and objects make several pdfium calls per glyph: through
ctypes each costs about a microsecond, more than the rest of the reading. They run in a
small C helper (pdfium_chars.c, the same calls and rules, built at install by
pdfium_build.py) where it is built from the source beside this file; otherwise, with the
reason logged and given by ``glyph_reader()``, through ctypes as written here.
"""

from __future__ import annotations

import array
import ctypes
import functools
import logging
import os
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from parser.errors import CorruptFile, Encrypted
from parser.readers.pdf_page import Chars, PdfPage, edge

_GENERATED_ONLY = {" ", "\r", "\n"}
"""Characters pdfium may insert itself; only these are worth asking FPDFText_IsGenerated about."""
_HYPHEN = {"\x02": "-", "\ufffe": "-"}
"""pdfium's marks for a hyphen at a line end; pdfminer gives the drawn hyphen."""
_SPECIAL = _GENERATED_ONLY | set(_HYPHEN)
_LOCK = threading.Lock()
"""pdfium is not thread-safe: one call into it at a time per process (the HTTP service and
Dask's threads may read PDFs side by side; processes each have their own pdfium)."""


class PdfiumSource:
    """An open PDF read by pdfium; see parser.readers.pdf_page.PdfSource."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium
        from pypdfium2 import raw

        self.raw = raw
        self.by_font_size: dict[tuple[int | None, float], tuple[float, dict[str, float]]] = {}
        self.fonts: dict[int | None, tuple[str, bool]] = {}
        self.state: _GlyphState | None = None
        """The compiled helper's own record of the fonts (where it is used)."""
        try:
            with _LOCK:
                self.pdf: Any = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
                raise Encrypted("the PDF is encrypted and needs a password") from exc
            raise CorruptFile(f"not a readable PDF: {exc}"[:200]) from exc

    def __len__(self) -> int:
        with _LOCK:
            return len(self.pdf)

    def page(self, index: int, max_chars: int) -> PdfPage:
        """A page over ``max_chars`` is still read on up to a point, so that both engines
        name the same count in the message that refuses it."""
        with _LOCK:
            return self._page(index, max_chars)

    def _page(self, index: int, max_chars: int) -> PdfPage:
        page = self.pdf[index]
        try:
            top = page.get_bbox()[3]  # FPDF_GetPageBoundingBox: the page's own box, inherited or not
            textpage = page.get_textpage()
            compiled = _compiled()
            if compiled is not None and self.state is None:
                self.state = compiled.state()
            reader = _Chars(self.raw, textpage.raw, top, self.by_font_size, self.fonts, self.state)
            try:
                chars = reader.read(max_chars)
            finally:
                textpage.close()
            edges = self._edges(page.raw, top, reader.objects.keys())
            width, height = page.get_size()
        finally:
            page.close()
        return PdfPage(chars=chars, edges=edges, width=float(width), height=float(height))

    def _edges(self, page: Any, top: float, text_objects: Collection[int]) -> list[dict[str, Any]]:
        """The straight strokes of every path on the page, form XObjects included (most
        objects of a page are text: they are passed over by address, without a handle, and
        those whose glyphs were read, ``text_objects``, without asking their type)."""
        compiled = _compiled()
        if compiled is not None:
            return [_edge((x0, y0), (x1, y1)) for x0, y0, x1, y1 in compiled.edges(page, top)]
        raw, fast = self.raw, _fast(self.raw)
        out: list[dict[str, Any]] = []
        identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        address = ctypes.cast(page, ctypes.c_void_p).value
        stack = [(fast.count_objects(address), fast.page_object, address, identity)]
        matrix = raw.FS_MATRIX()
        path, form = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
        while stack:
            count, get, owner, outer = stack.pop()
            for k in range(count):
                obj = get(owner, k)
                kind = fast.object_type(obj) if obj and obj not in text_objects else None
                if kind not in (path, form):
                    continue
                handle = _handle(raw, obj)
                if not raw.FPDFPageObj_GetMatrix(handle, ctypes.byref(matrix)):
                    continue
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                if kind == form:
                    stack.append((fast.form_count(obj), fast.form_object, obj, m))
                else:
                    out.extend(self._path_edges(obj, m, top))
        return out

    def _path_edges(self, obj: int, m: tuple[float, ...], top: float) -> list[dict[str, Any]]:
        """The straight segments of one path (curves only move the pen), in page coordinates."""
        raw, fast = self.raw, _fast(self.raw)
        x, y = ctypes.c_float(), ctypes.c_float()
        px, py = ctypes.addressof(x), ctypes.addressof(y)
        line_to, move_to = raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_MOVETO
        a, b, c, d, e, f = m
        out: list[dict[str, Any]] = []
        start = pen = None
        for s in range(fast.count_segments(obj)):
            seg = fast.segment(obj, s)
            if not seg or not fast.point(seg, px, py):
                continue
            point = (a * x.value + c * y.value + e, top - (b * x.value + d * y.value + f))
            kind = fast.segment_type(seg)
            if kind == line_to and pen is not None:
                out.append(_edge(pen, point))
            if kind == move_to:
                start = point
            pen = point
            if fast.segment_close(seg) and start is not None and pen != start:
                out.append(_edge(pen, start))
                pen = start
        return out

    def close(self) -> None:
        with _LOCK:
            self.pdf.close()
            if self.state is not None:
                self.state.close()


class _Chars:
    """One text page's characters as pdfminer sees them (see the module docstring).

    pdfium's text page keeps one glyph of a run of drawn spaces (and none of a run drawn
    in a text object of its own, where it infers a space of its own instead); pdfminer
    keeps them all, and the layout code counts them (a line wrapped at a run of spaces
    reaches the margin). The run is put back from the room it takes: up to the next
    glyph of the same text object, or to the end of the object for spaces that end it,
    whenever that room is a whole number of the page's space advances.
    """

    def __init__(self, raw: Any, tp: Any, top: float, by_font_size: dict[tuple[int | None, float], Any],
                 fonts: dict[int | None, tuple[str, bool]], state: _GlyphState | None = None) -> None:
        self.raw, self.tp, self.top = raw, tp, top
        self.state = state
        self.objects: dict[int, tuple[Any, ...]] = {}
        self.by_font_size = by_font_size
        """Per font and size: its descent, and the advance widths of the characters met
        (the document's: pdfium keeps a document's fonts until it is closed)."""
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.at_x, self.at_y = ctypes.addressof(self.x), ctypes.addressof(self.y)
        self.width = ctypes.c_float()
        self.at_width = ctypes.addressof(self.width)
        self.fonts = fonts
        self.right_by_object: dict[int, float] = {}
        self.space_by_object: dict[tuple[int, float], float] = {}
        self.space_by_font: dict[tuple[int | None, float], float] = {}
        self.name_buf = ctypes.create_string_buffer(256)
        self.fast = _fast(raw)
        self.handle = ctypes.cast(tp, ctypes.c_void_p).value
        self.chars = Chars()
        self.keys: list[int] = []
        """The text object (address) each character was drawn by."""
        self.spaces: list[int] = []
        """Where the space glyphs pdfium kept are in ``chars``."""
        self.inferred: list[tuple[int, float]] = []
        """Spaces pdfium inferred: (index in ``chars`` of the character after, where pdfium put it)."""
        self.breaks: set[int] = set()
        """Indexes in ``chars`` of characters that open a line pdfium broke off."""

    def read(self, max_chars: int) -> Chars:
        raw, tp = self.raw, self.tp
        n = raw.FPDFText_CountChars(tp)
        if n <= 0:
            return Chars()
        buf = ctypes.create_string_buffer((n + 1) * 2)
        got = raw.FPDFText_GetText(tp, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        text = buf.raw[: max(0, got - 1) * 2].decode("utf-16-le", errors="replace")
        if len(text) != n:  # a character outside the BMP takes two UTF-16 units: index one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(n))
        compiled = _compiled()
        if compiled is not None and self.state is not None:
            self._read_compiled(compiled, text, n, max_chars)
            return self._with_space_runs()
        fast, handle = self.fast, self.handle
        rect = raw.FS_RECTF()
        at = ctypes.addressof(rect)
        loose, text_object, generated, unmapped = fast.loose_box, fast.text_object, fast.generated, fast.unmapped
        objects, keys = self.objects, self.keys
        texts = self.chars.text  # and each other column alike
        x0s, x1s, tops, bottoms, sizes, names = (self.chars.x0, self.chars.x1, self.chars.top, self.chars.bottom,
                                                 self.chars.size, self.chars.fontname)
        origin, x, at_x, at_y = fast.origin, self.x, self.at_x, self.at_y
        cap = max(4 * max_chars, 200_000)  # a page over it is refused anyway; its count is then a floor
        last_key: int | None = None  # a text object's glyphs come in a run: look it up once per run
        info: tuple[Any, ...] = ()
        size, font_name, check_unicode, top, bottom, widths = 0.0, "", False, 0.0, 0.0, {}
        for i, code in enumerate(text):
            if code in _SPECIAL:
                if code in _GENERATED_ONLY and (code != " " or generated(handle, i)):
                    if code == " ":
                        loose(handle, i, at)
                        self.inferred.append((len(texts), rect.left))  # see _inferred
                    elif code == "\n":
                        self.breaks.add(len(texts))  # a line end: no space is put back across it
                    continue
                if code == " ":
                    self.spaces.append(len(texts))
                elif code in _HYPHEN:
                    code = _HYPHEN[code]  # noqa: PLW2901 - the glyph pdfium stands for
            loose(handle, i, at)
            key = text_object(handle, i) or 0
            if key != last_key:
                info = objects.get(key) or self._object_at(key, i)
                size, font_name, check_unicode, _, _, bottom, widths = info
                top = bottom - size
                last_key = key
            advance = widths.get(code)
            if advance is None:
                advance = self._advance(info, code)
            x0, x1 = rect.left, rect.right
            if 0 <= advance < x1 - x0 - 0.01:  # ink overhangs the advance: the origin, then the advance
                origin(handle, i, at_x, at_y)
                x0 = x.value
                x1 = x0 + advance
            if check_unicode and unmapped(handle, i) == 1:
                code = f"(cid:{ord(code)})"  # noqa: PLW2901 - as pdfminer names it
            texts.append(code)
            x0s.append(x0)
            x1s.append(x1)
            tops.append(top)
            bottoms.append(bottom)
            sizes.append(size)
            names.append(font_name)
            keys.append(key)
            if len(texts) > cap:
                break
        return self._with_space_runs()

    def _read_compiled(self, compiled: _Compiled, text: str, n: int, max_chars: int) -> None:
        """``read``'s loop, run by the compiled helper (pdfium_glyphs_read in pdfium_chars.c):
        the same calls and rules, one call per page; here only the columns are taken."""
        cap = max(4 * max_chars, 200_000)
        got = compiled.glyphs(self.state, self.handle, text, n, self.top, cap, min(n, cap + 1))
        codes, x0s, x1s, tops, bottoms, sizes, fonts, keys, flags, inferred, breaks = got
        names = self.state.names(compiled, self._font)
        texts = list(map(chr, codes))
        for k in [k for k, flag in enumerate(flags) if flag] if flags.strip(b"\0") else []:
            if flags[k] & 1:
                texts[k] = f"(cid:{codes[k]})"  # as pdfminer names it
            if flags[k] & 2:
                self.spaces.append(k)
        self.chars = Chars(texts, x0s, x1s, tops, bottoms, sizes, list(map(names.__getitem__, fonts)))
        self.keys = keys
        self.inferred = inferred
        self.breaks = set(breaks)

    def _object_at(self, key: int, i: int) -> tuple[Any, ...]:
        """``_object`` for the text object of glyph ``i``, asking pdfium through ctypes."""
        fast, handle = self.fast, self.handle  # locals: this runs for every text object (one per 2-3 glyphs)
        size = float(fast.font_size(handle, i))
        font = fast.font(key) if key else None
        fast.origin(handle, i, self.at_x, self.at_y)
        return self._object(key, size, font, self.y.value, lambda: self.raw.FPDFText_HasUnicodeMapError(self.tp, i))

    def _object(self, key: int, size: float, font: int | None, y: float, unmapped: Callable[[], int]) -> tuple[Any, ...]:
        """What the glyphs of one text object (one Tj or TJ: one baseline) share: font size,
        font name, whether the font maps glyphs to Unicode (checked glyph by glyph only where
        its first one fails, ``unmapped()``: FPDFText_HasUnicodeMapError of its first glyph),
        the font's address, its descent, the bottom of the glyphs' boxes (from the origin's
        ``y`` of the first glyph), and the advance widths met so far in that font at that size."""
        named = self.fonts.get(font)
        if named is None:
            named = self.fonts[font] = (self._font(font), unmapped() == 1)
        shared = self.by_font_size.get((font, size))
        if shared is None:
            descent = ctypes.c_float()
            if not (font and self.raw.FPDFFont_GetDescent(ctypes.cast(font, self.raw.FPDF_FONT), ctypes.c_float(size),
                                                          ctypes.byref(descent))):
                descent.value = 0.0
            shared = self.by_font_size[(font, size)] = (float(descent.value), {})
        found = self.objects[key] = (size, *named, font, shared[0], self.top - y - shared[0], shared[1])
        return found

    def _advance(self, info: tuple[Any, ...], code: str) -> float:
        """A glyph's advance width in its font at its size, as pdfminer gives a character's
        width (pdfium's loose box also takes in ink that overhangs the advance: box-drawing
        lines, some italics); -1 where the font cannot say."""
        size, font, widths = info[0], info[3], info[6]
        ok = font and len(code) == 1 and self.fast.glyph_width(font, ord(code), size, self.at_width)
        found = widths[code] = float(self.width.value) if ok and self.width.value >= 0 else -1.0
        return found

    def _with_space_runs(self) -> Chars:
        """The characters with the drawn spaces pdfium left out put back (see the class docstring)."""
        c, keys = self.chars, self.keys
        extra: dict[int, list[tuple[int, float, float]]] = {}  # before character k: (copied from, x0, x1)
        widths: dict[float, Counter[float]] = {}
        for k in self.spaces:
            if c.x1[k] - c.x0[k] > 0.1:
                widths.setdefault(round(c.size[k], 1), Counter())[round(c.x1[k] - c.x0[k], 2)] += 1
        advance = {size: counts.most_common(1)[0][0] for size, counts in widths.items()}
        for k, where in self.inferred:
            if 0 < k < len(c) and k not in self.breaks and c.text[k - 1] != " ":
                found = self._inferred(k - 1, keys[k - 1], where, k, keys[k], advance)
                if found:
                    extra.setdefault(k, []).extend((k - 1, x0, x1) for x0, x1 in found)
        inferred_at = {k for k, _ in self.inferred}
        for k in self.spaces:
            w = c.x1[k] - c.x0[k]
            if w <= 0.1:
                continue
            if k + 1 < len(c) and k + 1 not in self.breaks and k + 1 not in inferred_at \
                    and keys[k + 1] == keys[k]:
                room = c.x0[k + 1] - c.x0[k]
            else:  # spaces ending their object: it reaches to the origin of its last one
                room = self._right(keys[k]) + w - c.x0[k]
            found = _spaces(c.x1[k], room - w, w)
            if found:
                extra.setdefault(k + 1, []).extend((k, x0, x1) for x0, x1 in found)
        return _spliced(c, extra) if extra else c

    def _inferred(self, before: int, before_key: int, at: float, after: int, after_key: int,
                  advance: dict[float, float]) -> list[tuple[float, float]]:
        """The drawn spaces behind a space pdfium inferred from a gap between the characters
        ``before`` and ``after``, as (x0, x1).

        pdfium infers a space where a TJ shift or a font change leaves a gap, and then drops
        a space glyph drawn next as a second space in a row; it puts its own space where
        that glyph was drawn. So a space set after the gap's start was drawn there; one at
        the gap's start was drawn only if the gap is a whole number of space advances. Only
        a font holding a space glyph draws one (fonts are embedded as subsets of the glyphs
        used), with the page's common space advance as a last resort.
        """
        c = self.chars
        w = self._space_width(before_key, c.size[before]) or self._space_width(after_key, c.size[after])
        if not w:
            w = advance.get(round(c.size[before], 1), 0.0)
        if w <= 0.1:
            return []
        if at > c.x1[before] + 0.05:
            room = c.x0[after] - at
            return _spaces(at, room, w) or (_spaces(at, w, w) if room > 0.85 * w else [])
        return _spaces(c.x1[before], c.x0[after] - c.x1[before], w)

    def _space_width(self, key: int, size: float) -> float:
        """The advance of the space glyph of a text object's font at ``size`` (0 without one):
        asked once per object and size, and of pdfium once per font and size."""
        found = self.space_by_object.get((key, size))
        if found is None:
            font = self.fast.font(key) if key else None
            found = self.space_by_font.get((font, size))
            if found is None:
                ok = font and self.fast.glyph_width(font, 32, size, self.at_width)
                found = self.space_by_font[(font, size)] = float(self.width.value) if ok else 0.0
            self.space_by_object[(key, size)] = found
        return found

    def _font(self, font: int | None) -> str:
        """A font's base name."""
        raw = self.raw
        handle = ctypes.cast(font, raw.FPDF_FONT) if font else None
        size = raw.FPDFFont_GetBaseFontName(handle, self.name_buf, len(self.name_buf)) if handle else 0
        if size > len(self.name_buf):
            self.name_buf = ctypes.create_string_buffer(size)
            size = raw.FPDFFont_GetBaseFontName(handle, self.name_buf, len(self.name_buf))
        return self.name_buf.raw[: max(0, size - 1)].decode("latin-1") if size else ""

    def _right(self, key: int) -> float:
        found = self.right_by_object.get(key)
        if found is None:
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            ok = key and self.raw.FPDFPageObj_GetBounds(_handle(self.raw, key), ctypes.byref(left), ctypes.byref(bottom),
                                                        ctypes.byref(right), ctypes.byref(top))
            found = self.right_by_object[key] = right.value if ok else 0.0
        return found


class _Fast:
    """The calls made for every glyph or text object, declared with plain addresses for arguments and
    result: pypdfium2's declarations convert typed pointers on each call, a third of the time."""

    def __init__(self, raw: Any) -> None:
        def address(fn: Any) -> int:
            return ctypes.cast(fn, ctypes.c_void_p).value or 0

        vp, i = ctypes.c_void_p, ctypes.c_int
        self.loose_box = ctypes.CFUNCTYPE(i, vp, i, vp)(address(raw.FPDFText_GetLooseCharBox))
        self.text_object = ctypes.CFUNCTYPE(vp, vp, i)(address(raw.FPDFText_GetTextObject))
        self.font = ctypes.CFUNCTYPE(vp, vp)(address(raw.FPDFTextObj_GetFont))
        self.font_size = ctypes.CFUNCTYPE(ctypes.c_double, vp, i)(address(raw.FPDFText_GetFontSize))
        self.count_objects = ctypes.CFUNCTYPE(i, vp)(address(raw.FPDFPage_CountObjects))
        self.page_object = ctypes.CFUNCTYPE(vp, vp, i)(address(raw.FPDFPage_GetObject))
        self.object_type = ctypes.CFUNCTYPE(i, vp)(address(raw.FPDFPageObj_GetType))
        self.form_count = ctypes.CFUNCTYPE(i, vp)(address(raw.FPDFFormObj_CountObjects))
        self.form_object = ctypes.CFUNCTYPE(vp, vp, ctypes.c_ulong)(address(raw.FPDFFormObj_GetObject))
        self.origin = ctypes.CFUNCTYPE(i, vp, i, vp, vp)(address(raw.FPDFText_GetCharOrigin))
        self.generated = ctypes.CFUNCTYPE(i, vp, i)(address(raw.FPDFText_IsGenerated))
        self.unmapped = ctypes.CFUNCTYPE(i, vp, i)(address(raw.FPDFText_HasUnicodeMapError))
        self.glyph_width = ctypes.CFUNCTYPE(i, vp, ctypes.c_uint32, ctypes.c_float, vp)(
            address(raw.FPDFFont_GetGlyphWidth))
        self.count_segments = ctypes.CFUNCTYPE(i, vp)(address(raw.FPDFPath_CountSegments))
        self.segment = ctypes.CFUNCTYPE(vp, vp, i)(address(raw.FPDFPath_GetPathSegment))
        self.point = ctypes.CFUNCTYPE(i, vp, vp, vp)(address(raw.FPDFPathSegment_GetPoint))
        self.segment_type = ctypes.CFUNCTYPE(i, vp)(address(raw.FPDFPathSegment_GetType))
        self.segment_close = ctypes.CFUNCTYPE(i, vp)(address(raw.FPDFPathSegment_GetClose))


@functools.cache
def _fast(raw: Any) -> _Fast:
    return _Fast(raw)


HELPER_ENV = "NOTICE_PARSER_PDFIUM_HELPER"
"""Set to ``off`` to read glyphs through ctypes even where the helper is built (tests, benchmarks)."""


_U32 = next(code for code in "IL" if array.array(code).itemsize == 4)
_POINTER = next(code for code in "LQ" if array.array(code).itemsize == ctypes.sizeof(ctypes.c_void_p))


def _address(items: array.array[Any]) -> int:
    return items.buffer_info()[0]


class _ApiStruct(ctypes.Structure):
    """``struct api`` of pdfium_chars.c: the addresses of pypdfium2's own pdfium functions."""

    _fields_ = [(name, ctypes.c_void_p) for name in (
        "loose_box", "origin", "font_size", "text_object", "font", "generated", "unmapped", "descent", "glyph_width")]


class _GlyphState:
    """A document's fonts as the compiled helper keeps them (``struct state``: fonts, their
    descents and advance widths per size), and the base names of its fonts; freed with the
    document (pdfium keeps a document's fonts until it is closed, so their addresses name
    them until then)."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        self.address = lib.pdfium_state_new()
        if not self.address:
            raise MemoryError("the compiled glyph reader ran out of memory")
        self.font_names: list[str] = []
        self._free = weakref.finalize(self, lib.pdfium_state_free, self.address)

    def names(self, compiled: _Compiled, name_of: Callable[[int | None], str]) -> list[str]:
        """The base name of each font met so far, by its index in the state."""
        for k in range(len(self.font_names), compiled.lib.pdfium_state_fonts(self.address)):
            self.font_names.append(name_of(compiled.lib.pdfium_state_font(self.address, k)))
        return self.font_names

    def close(self) -> None:
        self._free()


class _EdgeApiStruct(ctypes.Structure):
    """``struct edge_api`` of pdfium_chars.c: pdfium's functions and constants for page objects and paths."""

    _fields_ = [*((name, ctypes.c_void_p) for name in (
        "count_objects", "page_object", "form_count", "form_object", "object_type", "matrix", "count_segments",
        "segment", "point", "segment_type", "segment_close")),
        *((name, ctypes.c_long) for name in ("path_kind", "form_kind", "line_to", "move_to"))]


class _Compiled:
    """The compiled loops (parser/readers/pdfium_chars.c) bound to pypdfium2's pdfium."""

    def __init__(self, lib: ctypes.CDLL, raw: Any) -> None:
        def address(fn: Any) -> int:
            return ctypes.cast(fn, ctypes.c_void_p).value or 0

        self.edge_api = _EdgeApiStruct(*(address(getattr(raw, name)) for name in (
            "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFFormObj_CountObjects", "FPDFFormObj_GetObject",
            "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix", "FPDFPath_CountSegments", "FPDFPath_GetPathSegment",
            "FPDFPathSegment_GetPoint", "FPDFPathSegment_GetType", "FPDFPathSegment_GetClose")),
            raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM, raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_MOVETO)
        if not all(getattr(self.edge_api, name) for name, _ in _EdgeApiStruct._fields_[:11]):
            raise OSError("pypdfium2's pdfium lacks a function the helper calls")
        self.edges_fn = lib.pdfium_edges_read
        self.edges_fn.restype = ctypes.c_long
        self.edges_fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_double, ctypes.c_void_p, ctypes.c_long]
        self.edge_buffer = (ctypes.c_double * (4 * 1024))()
        self.lib = lib
        self.api = _ApiStruct(*(address(getattr(raw, name)) for name in (
            "FPDFText_GetLooseCharBox", "FPDFText_GetCharOrigin", "FPDFText_GetFontSize", "FPDFText_GetTextObject",
            "FPDFTextObj_GetFont", "FPDFText_IsGenerated", "FPDFText_HasUnicodeMapError", "FPDFFont_GetDescent",
            "FPDFFont_GetGlyphWidth")))
        if not all(getattr(self.api, name) for name, _ in _ApiStruct._fields_):
            raise OSError("pypdfium2's pdfium lacks a function the helper calls")
        vp, long = ctypes.c_void_p, ctypes.c_long
        lib.pdfium_state_new.restype = vp
        lib.pdfium_state_new.argtypes = []
        lib.pdfium_state_free.restype = None
        lib.pdfium_state_free.argtypes = [vp]
        lib.pdfium_state_fonts.restype = long
        lib.pdfium_state_fonts.argtypes = [vp]
        lib.pdfium_state_font.restype = vp
        lib.pdfium_state_font.argtypes = [vp, long]
        self.glyphs_fn = lib.pdfium_glyphs_read
        self.glyphs_fn.restype = long
        self.glyphs_fn.argtypes = [vp, vp, vp, vp, long, ctypes.c_double, long, long] + [vp] * 14

    def state(self) -> _GlyphState:
        return _GlyphState(self.lib)

    def glyphs(self, state: _GlyphState, text_page: int, text: str, n: int, top: float, cap: int,
               room: int) -> tuple[Any, ...]:
        """pdfium_glyphs_read on one text page: per character kept, its code, x0, x1, top,
        bottom, size, font index, text object (0 for none) as arrays, and flags (bytes); the
        inferred spaces as (index, left) and the line ends (indexes)."""
        codes = array.array(_U32)
        codes.frombytes(text.encode("utf-32-le", "surrogatepass"))
        room = max(room, 1)
        # array.array, not ctypes arrays: a ctypes array type of a new length is made anew
        # each time, and its items are read back one by one.
        out = [array.array(code, [0]) * room for code in (_U32, "d", "d", "d", "d", "d", "l", _POINTER, "b")]
        inferred_at, inferred_left, breaks = (array.array(code, [0]) * max(n, 1) for code in ("l", "d", "l"))
        n_inferred, n_breaks = ctypes.c_long(), ctypes.c_long()
        m = self.glyphs_fn(ctypes.byref(self.api), state.address, text_page, _address(codes), n, top, cap, room,
                           *map(_address, out), _address(inferred_at), _address(inferred_left),
                           ctypes.byref(n_inferred), _address(breaks), ctypes.byref(n_breaks))
        if m < 0:
            raise MemoryError("the compiled glyph reader ran out of memory")
        columns = [column[:m] for column in out[:8]]  # arrays: the layout code reads them with numpy
        ni, nb = n_inferred.value, n_breaks.value
        return (*columns, out[8][:m].tobytes(), list(zip(inferred_at[:ni], inferred_left[:ni], strict=True)),
                breaks[:nb].tolist())

    def edges(self, page: Any, top: float) -> list[tuple[float, float, float, float]]:
        """The page's straight path segments as (x, y, x, y), as ``PdfiumSource._edges`` walks them."""
        address = ctypes.cast(page, ctypes.c_void_p).value
        while True:
            room = len(self.edge_buffer) // 4
            n = self.edges_fn(ctypes.byref(self.edge_api), address, top, self.edge_buffer, room)
            if n < 0:
                raise MemoryError("the compiled edge reader ran out of memory")
            if n <= room:
                flat = self.edge_buffer[: 4 * n]
                return list(zip(flat[0::4], flat[1::4], flat[2::4], flat[3::4], strict=True))
            self.edge_buffer = (ctypes.c_double * (4 * n))()


_COMPILED: list[_Compiled | None] = []
HELPER_STATUS = ""
"""How the pdfium engine reads glyphs, and why: set on first use (see ``glyph_reader``)."""


def glyph_reader() -> str:
    """``"compiled: ..."`` when the helper is used, else ``"ctypes: <why not the helper>"``."""
    _compiled()
    return HELPER_STATUS


def _compiled() -> _Compiled | None:
    """The compiled glyph loop, if it is built from the pdfium_chars.c beside this file and
    loads; else None, with the reason in ``HELPER_STATUS`` (logged once: a build that exists
    but cannot be used is a warning, one never built is the ordinary fallback)."""
    if not _COMPILED:
        found, why, warn = _load_compiled()
        global HELPER_STATUS
        HELPER_STATUS = ("compiled: " if found else "ctypes: ") + why
        (logging.getLogger(__name__).warning if warn else logging.getLogger(__name__).info)(
            "pdfium glyph reader: %s", HELPER_STATUS)
        _COMPILED.append(found)
    return _COMPILED[0]


def _load_compiled(target: Path | None = None) -> tuple[_Compiled | None, str, bool]:
    """The helper built at ``target`` (the installed one by default), or None, why not, and
    whether that is worth a warning."""
    from pypdfium2 import raw

    from parser.readers import pdfium_build

    if os.environ.get(HELPER_ENV, "").strip().lower() in {"off", "0", "no", "false"}:
        return None, f"the helper is turned off ({HELPER_ENV}=off)", False
    target = target or pdfium_build.TARGET
    if not target.exists():
        return None, f"the helper is not built ({target.name}; python -m parser.readers.pdfium_build)", False
    try:
        lib = ctypes.CDLL(str(target))
        lib.pdfium_chars_source.restype = ctypes.c_char_p
        built_from = (lib.pdfium_chars_source() or b"").decode("ascii", "replace")
        want = pdfium_build.source_hash(pdfium_build.SOURCE)
        if built_from != want:
            return None, (f"{target.name} was built from another pdfium_chars.c ({built_from}, not {want}): "
                          "rebuild it (python -m parser.readers.pdfium_build)"), True
        return _Compiled(lib, raw), f"{target}", False
    except (OSError, AttributeError) as exc:
        return None, f"{target.name} does not load: {exc}", True


def _handle(raw: Any, key: int) -> Any:
    """A page object's address back as the handle pypdfium2's declarations want."""
    return ctypes.cast(key, raw.FPDF_PAGEOBJECT)


def _spaces(x: float, room: float, w: float) -> list[tuple[float, float]]:
    """The space glyphs of advance ``w`` that fill ``room`` points from ``x``, as (x0, x1)
    (else none).

    Word spacing (justified text) widens drawn spaces, so the room may exceed whole
    spaces a little; nothing narrows them, so a gap a little short of a space (the
    spacing an office suite adds between Chinese and Latin or digits, 2020 年) is no space.
    """
    if w <= 0.1 or room < 0.5 * w:
        return []
    k = round(room / w)
    if k < 1 or not -0.03 * w <= room - k * w <= 0.15 * w:
        return []
    return [(x + j * w, x + (j + 1) * w) for j in range(k)]


def _spliced(chars: Chars, extra: dict[int, list[tuple[int, float, float]]]) -> Chars:
    """``chars`` with space characters put in before the characters ``extra`` names: each
    (copied from, x0, x1), a space with the font, size and height of the character it is
    copied from."""
    take: list[int] = []  # the character each one out is, or is copied from
    spaces: list[tuple[int, float, float]] = []  # (where out, x0, x1)
    last = 0
    for k in sorted(extra):
        take.extend(range(last, k))
        for like, x0, x1 in extra[k]:
            spaces.append((len(take), x0, x1))
            take.append(like)
        last = k
    take.extend(range(last, len(chars)))
    out = chars.take(take)
    for at, x0, x1 in spaces:
        out.text[at], out.x0[at], out.x1[at] = " ", x0, x1
    return out


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
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
