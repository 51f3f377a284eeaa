"""Readers: one module per format, each turning a file into the same Document.

``read_file`` picks the reader from the file's content (magic bytes), not only its
name: a PDF named .txt is read as a PDF, and a .doc renamed .docx is reported as
mislabelled rather than misread.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

from parser.document import Document
from parser.errors import (
    EmptyInput,
    MissingFile,
    NotAFile,
    NoticeError,
    TooLarge,
    UnsupportedFormat,
)
from parser.limits import Limits
from parser.readers.clean import clean_text
from parser.readers.pdf_page import DEFAULT_ENGINE
from parser.readers.sniff import sniff
from parser.readers.text import read_text

Reader = Callable[[bytes, Limits], Document]


def _reader_for(kind: str, pdf_engine: str = DEFAULT_ENGINE) -> Reader:
    """Import the reader of one format only when a file of that format arrives."""
    if kind == "txt":
        return lambda data, limits: read_text(data)
    if kind == "docx":
        from parser.readers.docx import read_docx

        return read_docx
    if kind == "pdf":
        from parser.readers.pdf import read_pdf

        return lambda data, limits: read_pdf(data, limits, pdf_engine)
    if kind == "html":
        from parser.readers.html import read_html

        return read_html
    if kind in ("xlsx", "xls"):
        from parser.readers.sheet import read_sheet

        return lambda data, limits: read_sheet(data, limits, kind)
    if kind in ("doc", "wps", "rtf", "odt"):
        from parser.readers.legacy import read_legacy

        return lambda data, limits: read_legacy(data, limits, kind)
    raise UnsupportedFormat(f"no reader for {kind} files")


def read_bytes(data: bytes, name: str = "<bytes>", limits: Limits | None = None,
               pdf_engine: str = DEFAULT_ENGINE) -> Document:
    """Read a notice held in memory; ``name`` supplies the extension hint, ``pdf_engine``
    what reads a PDF (parser/readers/pdf_page.py)."""
    limits = limits or Limits()
    if not data.strip():
        raise EmptyInput("the file is empty", name)
    if len(data) > limits.max_bytes:
        raise TooLarge(f"{len(data)} bytes is over the limit of {limits.max_bytes}", name)
    try:
        kind = sniff(data, name)
    except NoticeError as exc:
        raise exc.with_path(name) from None
    try:
        doc = _reader_for(kind, pdf_engine)(data, limits)
    except Exception as exc:
        from parser.errors import CorruptFile

        if isinstance(exc, NoticeError):
            raise exc.with_path(name) from exc
        raise CorruptFile(f"{kind} reader failed: {type(exc).__name__}: {exc}"[:300], name) from exc
    if not doc.text.strip():  # a .docx/.xlsx holding no text is as empty as a zero-byte .txt
        raise EmptyInput(f"no text in the {kind} file", name)
    if len(doc.text) > limits.max_text_chars:
        raise TooLarge(f"{len(doc.text)} characters of text is over the limit of {limits.max_text_chars}", name)
    doc.text = clean_text(doc.text)
    doc.path = name
    doc.sha256 = hashlib.sha256(data).hexdigest()
    return doc


def read_file(path: str | os.PathLike[str], limits: Limits | None = None,
              pdf_engine: str = DEFAULT_ENGINE) -> Document:
    """Read one notice file of any supported format."""
    limits = limits or Limits()
    name = os.fspath(path)
    if not os.path.exists(name):
        raise MissingFile("no such file", name)
    if not os.path.isfile(name):
        raise NotAFile("not a regular file", name)
    size = os.path.getsize(name)
    if size > limits.max_bytes:
        raise TooLarge(f"{size} bytes is over the limit of {limits.max_bytes}", name)
    with open(name, "rb") as fh:
        data = fh.read()
    return read_bytes(data, name, limits, pdf_engine)
