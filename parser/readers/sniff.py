"""Recognise a file's format from its bytes, with the name only as a tie-breaker."""

from __future__ import annotations

import io
import os
import zipfile

from parser.errors import MislabelledFormat, UnsupportedFormat

TEXT_EXT = {".txt", ".text", ".md", ""}
KNOWN_EXT = {
    ".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html",
    ".htm": "html", ".shtml": "html", ".xhtml": "html", ".mht": "html", ".xlsx": "xlsx",
    ".xls": "xls", ".doc": "doc", ".wps": "wps", ".rtf": "rtf", ".et": "xls",
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def _looks_html(head: bytes) -> bool:
    low = head[:4096].lower().lstrip()
    return (low.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in low) or (
        b"<html" in low and (b"<body" in low or b"<head" in low)
    ) or low.startswith(b"mime-version:")


def sniff(data: bytes, name: str) -> str:
    """Return the reader kind for ``data``; raise when the content and name disagree badly."""
    ext = os.path.splitext(name)[1].lower()
    hinted = KNOWN_EXT.get(ext)
    if data.startswith(b"%PDF-") or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        kind = _zip_kind(data)
        if kind in ("docx", "xlsx"):
            return kind
        if kind is None:
            from parser.errors import CorruptFile

            raise CorruptFile(f"a zip container ({hinted or ext or 'no extension'}) that cannot be opened")
        raise UnsupportedFormat("a zip archive, not a notice: give it to `notice-parser batch`")
    if data.startswith(OLE_MAGIC):
        if hinted in ("doc", "wps", "xls"):
            return hinted
        if hinted in ("docx", "xlsx"):
            raise MislabelledFormat(
                f"named {ext} but holds a legacy OLE ({'.doc/.wps' if hinted == 'docx' else '.xls'}) file: rename it"
            )
        return "doc"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if _looks_html(data):
        return "html"
    if hinted in ("docx", "xlsx", "pdf", "xls", "doc", "wps"):
        # Text content under a binary format's name: read it as text if it is text.
        return "txt"
    return "txt"
