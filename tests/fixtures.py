"""Helpers that tests and benchmarks share to build their own input files at run time."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

# Fonts the PDF fixtures embed, by name: TrueType outlines (a "glyf" table), which fpdf2
# embeds with a usable character map. Noto CJK (Debian's and Ubuntu's default Chinese
# fonts) is CFF-outlined; fpdf2 sets it without a text layer pdfplumber can read, so a
# fixture that took "the first CJK font fc-list reports" failed on a Noto-only machine.
# (family, Debian package, where the package puts the file)
EMBED_FONTS = (
    ("WenQuanYi Micro Hei", "fonts-wqy-microhei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    ("WenQuanYi Zen Hei", "fonts-wqy-zenhei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    ("AR PL UMing CN", "fonts-arphic-uming", "/usr/share/fonts/truetype/arphic/uming.ttc"),
)
NO_FONT = (
    "no CJK font with TrueType outlines to embed (WenQuanYi Micro Hei, Debian package fonts-wqy-microhei): "
    "run scripts/install_system_deps.sh as root"
)

# Fonts the LibreOffice renderings are set in, one at a time: Debian's default CJK fonts
# (fonts-noto-cjk: CFF outlines in .ttc collections) and a TrueType one.
RENDER_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei")


def font_files(family: str) -> list[str]:
    """Files of the regular face of ``family`` that fontconfig lists (FONTCONFIG_FILE is honoured)."""
    if shutil.which("fc-list") is None:
        return []
    out = subprocess.run(["fc-list", f"{family}:style=Regular", "file"], capture_output=True, text=True, check=False).stdout
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


def _truetype_outlines(path: str) -> bool:
    """Does the font (the first face of a collection) draw with TrueType outlines?"""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=0, lazy=True) as font:
            return "glyf" in font
    except Exception:
        return False


@cache
def cjk_font() -> str | None:
    """The CJK font file the PDF fixtures embed: the first of EMBED_FONTS that is installed.

    Looked up by name through fontconfig, then at the path its Debian package installs it
    to: a PDF made with fpdf2 carries its font inside, so what it tests does not depend on
    which fonts fontconfig offers (the font-set runs restrict that with FONTCONFIG_FILE).
    scripts/install_system_deps.sh installs fonts-wqy-microhei whenever it is missing.
    """
    for family, _package, packaged in EMBED_FONTS:
        for path in [*font_files(family), packaged]:
            if Path(path).is_file() and _truetype_outlines(path):
                return path
    return None


def only_font(family: str, folder: Path) -> dict[str, str] | None:
    """An environment whose fontconfig (FONTCONFIG_FILE in ``folder``) sees one font file:
    ``family``'s regular face, its folder listed and every other file there rejected.

    LibreOffice and Chromium find fonts through fontconfig, so a program run with it sets
    every character in that font. (LibreOffice ignores a font reached through a symbolic
    link, hence <selectfont> rather than a folder of links.) None when fontconfig does not
    list the family.
    """
    import os
    from xml.sax.saxutils import escape

    files = font_files(family)
    if not files:
        return None
    font = Path(files[0])
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{escape(str(font.parent))}</dir>\n  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        f"  <selectfont>\n    <acceptfont><glob>{escape(str(font))}</glob></acceptfont>\n"
        "    <rejectfont><glob>*</glob></rejectfont>\n  </selectfont>\n"
        '  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n</fontconfig>\n',
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def pdf_font_names(path: Path) -> set[str]:
    """The base names of the fonts a PDF's characters are set in (subset prefix ABCDEF+ dropped)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return {str(c.get("fontname", "")).split("+")[-1] for page in pdf.pages for c in page.chars}


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


def cid_font_pdf(pages: list[list[int]], to_unicode: dict[int, str] | None = None) -> bytes:
    """A PDF drawing glyph codes with a CID font, as a subset font of a government PDF does.

    Each page draws its codes (two bytes each, Identity-H) in lines of 20. Without
    ``to_unicode`` the font has no ToUnicode map and the extractor can only give (cid:N);
    with one, the map sends each code to the character given (a private-use character or
    mojibake, as fonts whose map was made for their own encoding do). The font itself is
    not embedded: no font file is needed to build it, and none to read its text layer.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)

    cmap_ref = b""
    if to_unicode is not None:
        pairs = b"\n".join(b"<%04X> <%s>" % (code, ch.encode("utf-16-be").hex().upper().encode()) for code, ch in sorted(to_unicode.items()))
        cmap = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"%d beginbfchar\n%s\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"
            % (len(to_unicode), pairs)
        )
        cmap_ref = b" /ToUnicode %d 0 R" % (add(stream(cmap)) )
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+FZXiaoBiaoSong-B05S"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
        b" /FontDescriptor << /Type /FontDescriptor /FontName /ABCDEF+FZXiaoBiaoSong-B05S /Flags 4"
        b" /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
        b" /DW 1000 >>"
    )
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+FZXiaoBiaoSong-B05S /Encoding /Identity-H"
        b" /DescendantFonts [%d 0 R]%s >>" % (descendant, cmap_ref)
    )
    page_refs = []
    pages_ref = len(objects) + 1 + 2 * len(pages)  # the Pages object comes after every page and its content
    for codes in pages:
        lines = [codes[k:k + 20] for k in range(0, len(codes), 20)]
        ops = b"BT /F1 12 Tf 14 TL 72 770 Td " + b" ".join(
            b"<%s> Tj T*" % b"".join(b"%04X" % c for c in line) for line in lines
        ) + b" ET"
        content = add(stream(ops))
        page_refs.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >>"
            b" /Contents %d 0 R >>" % (pages_ref, font, content)
        ))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % r for r in page_refs), len(pages))) == pages_ref
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_ref)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)
