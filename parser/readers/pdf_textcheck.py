"""Is a PDF's text layer text, or the glyph codes of fonts that cannot be mapped back?

Government PDFs are often set in 仿宋_GB2312, 方正小标宋 and the like, embedded as subsets
without a usable ToUnicode map. The text layer then holds no Chinese: the extractor gives
``(cid:N)`` for each glyph, or the font's own codes come out as private-use characters
(U+E000…) or as mojibake (GBK bytes read as Latin-1: ÄÏ¾©ÊÐ, control characters, U+FFFD).
Parsing that yields no tasks or garbage tasks; the file needs OCR or its source document.

The check is over the text of each page, whatever engine extracted it, so every PDF
reader calls the same function (parser/readers/pdf.py, and a pdfium-based reader).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from parser.errors import GarbledTextLayer

CID = regex.compile(r"\(cid:\d+\)")
"""An unmapped glyph as pdfminer/pdfplumber spell it."""

_SUSPECT = regex.compile(
    r"[\p{Co}\p{Cn}\p{Cs}\ufffd"  # private use, unassigned, lone surrogates, the replacement character
    r"\p{Cc}\p{Cf}"  # control and format characters (white space is removed before counting)
    r"\u0080-\u00af\u00b8-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin-1 and Latin Extended, bar ° ± · × ÷ …
    r"\p{Hangul}\p{Hiragana}\p{Katakana}]"  # what GBK or UTF-8 bytes misread in another code page become
)
"""A character that does not belong in a Chinese notice's text: not Han, ASCII Latin,
a digit, punctuation or a common symbol (box drawing ─│, circled numbers ①, ※ □ ★)."""

MIN_CHARS = 20
"""A page with fewer visible characters (a page number, a signature) is not judged."""

MAX_SHARE = 0.3
"""Above this share of suspect characters a page is garbled: a notice that quotes some
pinyin or Japanese stays far below it; an unmapped font gives nearly every character."""


@dataclass(frozen=True, slots=True)
class PageCheck:
    page: int
    """1-based page number."""
    chars: int
    """Visible characters, an unmapped glyph's ``(cid:N)`` counted as one."""
    cids: int
    suspect: int
    """Unmapped glyphs plus characters matching ``_SUSPECT``."""

    @property
    def share(self) -> float:
        return self.suspect / self.chars if self.chars else 0.0

    @property
    def garbled(self) -> bool:
        return self.chars >= MIN_CHARS and self.share > MAX_SHARE


def check_page(text: str, page: int) -> PageCheck:
    """Count a page's visible characters and those that cannot be text of a notice."""
    cids = len(CID.findall(text))
    rest = regex.sub(r"\s+", "", CID.sub("", text))
    suspect = cids + len(_SUSPECT.findall(rest))
    return PageCheck(page=page, chars=cids + len(rest), cids=cids, suspect=suspect)


def garbled_pages(page_texts: Sequence[str]) -> list[PageCheck]:
    """The pages whose text layer is not text (see ``PageCheck.garbled``)."""
    return [c for c in (check_page(t, i) for i, t in enumerate(page_texts, start=1)) if c.garbled]


def _page_list(pages: Sequence[int]) -> str:
    """1, 2, 3, 5, 7, 8 -> "1-3, 5, 7-8"."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def check_text_layer(page_texts: Sequence[str]) -> None:
    """Raise GarbledTextLayer naming the pages whose text layer is glyph codes, not text.

    One such page is enough: its tasks would be lost or garbled without a word said, while
    the error names the pages a person (or OCR) has to look at.
    """
    bad = garbled_pages(page_texts)
    if not bad:
        return
    what = []
    cids = sum(c.cids for c in bad)
    if cids:
        what.append(f"{cids} glyphs without a character mapping (cid:N)")
    if sum(c.suspect for c in bad) > cids:
        what.append("private-use or mojibake characters")
    share = sum(c.suspect for c in bad) / sum(c.chars for c in bad)
    noun = "page" if len(bad) == 1 else "pages"
    raise GarbledTextLayer(
        f"{noun} {_page_list([c.page for c in bad])} of {len(page_texts)}: the text layer is not text "
        f"({' and '.join(what)}, {share:.0%} of the characters): fonts embedded without a usable "
        "ToUnicode map; OCR or the source document is needed"
    )
