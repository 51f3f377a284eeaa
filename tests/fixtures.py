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


SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
_TASK_LINE = r"^\s*\d{1,3}\s*[.、．]"


def rendered_files(pattern: str) -> list[Path]:
    """../shared/corpus/rendered files matching ``pattern``; skips the test on a fresh clone."""
    import pytest

    folder = SHARED_CORPUS / "rendered"
    found = sorted(folder.glob(pattern)) if folder.is_dir() else []
    if not found:
        pytest.skip("../shared/corpus/rendered is absent (a fresh clone has none)")
    return found


def missing_task_lines(path: Path) -> tuple[list[str], int]:
    """Numbered task lines of the .txt twin that the reader's text of ``path`` lacks (spaces ignored)."""
    import regex

    from parser.readers import read_file

    twin = SHARED_CORPUS / (path.name.split(".")[0] + ".txt")
    if not twin.exists():
        return [], 0
    squash = regex.compile(r"\s+")
    got = {squash.sub("", line) for line in read_file(path).text.splitlines()}
    want = [squash.sub("", line) for line in twin.read_text(encoding="utf-8").splitlines()
            if regex.match(_TASK_LINE, line)]
    return [line for line in want if line not in got], len(want)
