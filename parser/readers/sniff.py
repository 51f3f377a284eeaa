"""Recognise a file's format from its bytes, with the name only as a tie-breaker.

Files in the wild are often misnamed: a PDF saved as .txt, a web page saved as .doc, a
.docx renamed .pdf. The content decides which reader runs. The one case reported instead
of read is a legacy binary (OLE) file named as its modern zip-based successor (.doc
renamed .docx): the user should know the name lies, and the file still reads once renamed.
"""

from __future__ import annotations

import io
import os
import zipfile

from parser.errors import CorruptFile, Encrypted, MislabelledFormat, UnsupportedFormat

TEXT_EXT = {".txt", ".text", ".md", ""}
KNOWN_EXT = {
    ".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html",
    ".htm": "html", ".shtml": "html", ".xhtml": "html", ".mht": "html", ".mhtml": "html",
    ".xlsx": "xlsx", ".xls": "xls", ".doc": "doc", ".wps": "wps", ".rtf": "rtf", ".et": "xls",
    ".odt": "odt",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")
_MIME_STARTS = (b"mime-version:", b"from:", b"content-type: multipart", b"subject:", b"date:")
_BOMS = (b"\xef\xbb\xbf",)


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except Exception:  # a damaged directory raises many types (NotImplementedError "zip file version 8.4")
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "odt"
    return "zip"


def _ole_kind(data: bytes) -> str | None:
    """Which program wrote an OLE compound file, from the stream names in its directory."""
    if _utf16("EncryptedPackage") in data:
        return "encrypted"
    if _utf16("WordDocument") in data:
        return "doc"
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls"
    return None


_FRAGMENT_STARTS = (b"<p>", b"<p ", b"<div", b"<table", b"<section", b"<article", b"<span", b"<h1", b"<h2", b"<h3")
_FRAGMENT_CLOSES = 3
"""Markup opening with a block tag and closing this many tags in its first 4 KB is HTML."""


def _looks_html(head: bytes) -> bool:
    low = head[:4096].lower()
    for bom in _BOMS:
        if low.startswith(bom):
            low = low[len(bom):]
    low = low.lstrip()
    if low.startswith(_HTML_STARTS):
        return True
    if low.startswith((b"<?xml", b"<!--")) and b"<html" in low:
        return True
    if low.startswith(_MIME_STARTS) and (b"text/html" in low or b"multipart/related" in low):
        return True
    if low.startswith(_FRAGMENT_STARTS) and low.count(b"</") >= _FRAGMENT_CLOSES:
        return True  # a page's body markup saved without its <html> (<p class="…">…</p> <p>…)
    return b"<html" in low and (b"<body" in low or b"<head" in low)


def sniff(data: bytes, name: str) -> str:
    """Return the reader kind for ``data``; raise when the content and name disagree badly."""
    ext = os.path.splitext(name)[1].lower()
    hinted = KNOWN_EXT.get(ext)
    if data.startswith(b"%PDF-") or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = _zip_kind(data)
        if kind in ("docx", "xlsx", "odt"):
            return kind
        if kind is None:
            raise CorruptFile(f"a zip container ({hinted or ext or 'no extension'}) that cannot be opened")
        raise UnsupportedFormat("a zip archive, not a notice: give it to `notice-parser batch`")
    if data.startswith(OLE_MAGIC):
        found = _ole_kind(data)
        if found == "encrypted":
            raise Encrypted("a password-protected Office file: remove the password and save it again")
        if hinted in ("docx", "xlsx"):
            what = {"doc": ".doc/.wps", "xls": ".xls"}.get(found or "", ".doc/.wps" if hinted == "docx" else ".xls")
            raise MislabelledFormat(f"named {ext} but holds a legacy OLE ({what}) file: rename it")
        if hinted in ("doc", "wps", "xls") and (found is None or (found == "xls") == (hinted == "xls")):
            return hinted
        return found or "doc"
    if data.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _looks_html(data):
        return "html"
    # Text content under a binary format's name (a .doc that is really plain text): read it as text.
    return "txt"
