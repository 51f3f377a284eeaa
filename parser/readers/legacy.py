"""Legacy word-processor files (.doc, .wps, .rtf): converted to .docx by LibreOffice, then read as .docx.

Parsing the binary Word format ourselves would be a project of its own; LibreOffice
reads it faithfully (numbering, tables, merged cells), and going through .docx means
these files get exactly the same treatment as a .docx notice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from parser.document import Document
from parser.errors import CorruptFile, MissingTool, Timeout
from parser.limits import Limits
from parser.readers.docx import read_docx

CONVERT_TIMEOUT_S = 120.0
"""Longest a single LibreOffice conversion may take, whatever the per-file limit says."""


def soffice_path() -> str | None:
    """The LibreOffice binary, if installed (``soffice`` or ``libreoffice`` on PATH)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, kind: str, timeout_s: float) -> bytes:
    """Run LibreOffice headless on ``data`` and return the .docx it writes."""
    exe = soffice_path()
    if exe is None:
        raise MissingTool(f"LibreOffice is needed to read .{kind} files: apt-get install libreoffice-writer")
    # Kingsoft .wps files are Word binaries; named .wps, LibreOffice would try its MS Works filter.
    suffix = "doc" if kind == "wps" and "WordDocument".encode("utf-16-le") in data else kind
    with tempfile.TemporaryDirectory(prefix="notice-lo-") as tmp:
        src = os.path.join(tmp, f"input.{suffix}")
        with open(src, "wb") as fh:
            fh.write(data)
        out_dir = os.path.join(tmp, "out")
        os.mkdir(out_dir)
        # A profile of its own: parallel conversions would otherwise fight over one user lock.
        profile = "file://" + os.path.join(tmp, "profile")
        cmd = [
            exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", out_dir, src,
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise Timeout(f"LibreOffice took over {timeout_s:.0f}s to convert the .{kind} file") from exc
        out = os.path.join(out_dir, "input.docx")
        if not os.path.exists(out):
            detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()
            raise CorruptFile(f"LibreOffice could not convert the .{kind} file" + (f": {detail[-1]}" if detail else ""))
        with open(out, "rb") as fh:
            return fh.read()


def read_legacy(data: bytes, limits: Limits, kind: str) -> Document:
    """Read a .doc/.wps/.rtf notice through a LibreOffice conversion to .docx."""
    docx = convert_to_docx(data, kind, min(CONVERT_TIMEOUT_S, max(5.0, limits.timeout_s)))
    doc = read_docx(docx, limits)
    doc.format = kind
    return doc
