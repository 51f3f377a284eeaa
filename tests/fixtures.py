"""Helpers that tests and benchmarks share to build their own input files at run time."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path


@cache
def cjk_font() -> str | None:
    """A CJK font file from the system (fc-list :lang=zh); scripts/install_system_deps.sh installs one."""
    if shutil.which("fc-list") is None:
        return None
    out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False).stdout
    paths = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    preferred = [p for p in paths if p.lower().endswith((".ttf", ".otf"))] + [p for p in paths if p.lower().endswith(".ttc")]
    return preferred[0] if preferred else None


def render_pdf(lines: list[str], out: Path, font: str) -> None:
    """The lines set as a word processor sets a text file: A4, 2 cm margins, 10 pt, justified.

    47 Han characters a line, so paragraphs and table rows wrap while a box-drawn table fits.
    """
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_margins(56.7, 56.7, 56.7)
    pdf.set_auto_page_break(True, margin=56.7)
    pdf.add_font("cjk", fname=font)
    pdf.set_font("cjk", size=10)
    pdf.add_page()
    for line in lines:
        if line.strip():
            pdf.multi_cell(0, 14, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(14)
    pdf.output(str(out))
