"""The pdfplumber engine (``--pdf-engine pdfplumber``): pages through pdfminer's interpreter.

About fourteen times slower than pdfium, but pure Python: it serves where the pdfium
binary wheel is not available, and as the second opinion when a page reads oddly.
"""

from __future__ import annotations

import io
from typing import Any

from parser.errors import CorruptFile, Encrypted
from parser.readers.pdf_page import Chars, PdfPage


class PlumberSource:
    """An open PDF read by pdfplumber; see parser.readers.pdf_page.PdfSource."""

    def __init__(self, data: bytes) -> None:
        import pdfplumber

        try:
            self.pdf: Any = pdfplumber.open(io.BytesIO(data))
        except Exception as exc:
            chain = [type(exc).__name__, *(type(e).__name__ for e in (exc.__cause__, exc.__context__) if e)]
            text = " ".join(chain) + " " + str(exc)
            if "Password" in text or "Encrypt" in text:
                raise Encrypted("the PDF is encrypted and needs a password") from exc
            raise CorruptFile(f"not a readable PDF: {type(exc).__name__}: {exc}"[:200]) from exc

    def __len__(self) -> int:
        return len(self.pdf.pages)

    def page(self, index: int, max_chars: int) -> PdfPage:
        page = self.pdf.pages[index]
        return PdfPage(chars=Chars.from_dicts(page.chars), edges=page.edges, width=float(page.width), height=float(page.height))

    def close(self) -> None:
        self.pdf.close()
