"""The same notice gives the same tasks whatever format it arrives in.

Each of the project's own notices (corpus/*.txt) is rendered at test time, in tmp_path,
to the formats a portal publishes: .docx (python-docx, one paragraph per line), .pdf
(fpdf2 with the system's CJK font, a size at which long lines wrap), .html (one <p> per
line) and, for the notices laid out as " | " tables, .xlsx (one cell per column, other
lines merged across the sheet like a title). When LibreOffice is installed the .txt is
also converted by soffice itself to .docx and .pdf (marked slow), once in whatever font
fontconfig gives it and once more to .pdf in each CJK font of RENDER_FONTS that is
installed (Noto Sans CJK, Noto Serif CJK, WenQuanYi Micro Hei), each run seeing that one
font alone: the widths of ─ │ and of Latin letters differ between them, and with them
where lines wrap and which lines open or close a page. The tasks parsed from every
rendering must equal those of the .txt: number, lead/responsible/cooperating names,
deadline text and section path.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from parser import parse_file
from parser.readers.text import decode, normalize_newlines
from tests.fixtures import NO_FONT, RENDER_FONTS, cjk_font, only_font, pdf_font_names, render_pdf

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
NOTICES = sorted(CORPUS.glob("*.txt"))
CELL_SEP = " | "

Sig = list[tuple[str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None, tuple[str, ...]]]


FONT = cjk_font()


def _sig(path: Path) -> Sig:
    return [
        (
            t.number,
            tuple(u.name for u in t.lead),
            tuple(u.name for u in t.responsible),
            tuple(u.name for u in t.cooperating),
            t.deadline.text if t.deadline else None,
            tuple(t.section_path),
        )
        for t in parse_file(path).tasks
    ]


def _lines(path: Path) -> list[str]:
    """The notice's lines, whatever its encoding (GBK, Big5, a BOM, CRLF)."""
    text, _ = decode(path.read_bytes())
    return normalize_newlines(text.lstrip("\ufeff")).rstrip("\n").split("\n")


def _is_table_layout(lines: list[str]) -> bool:
    return sum(CELL_SEP in ln for ln in lines) >= 3


# ---------------------------------------------------------------- renderers


def _docx(lines: list[str], out: Path) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(out))


def _pdf(lines: list[str], out: Path) -> None:
    assert FONT is not None
    render_pdf(lines, out, FONT)


def _html(lines: list[str], out: Path) -> None:
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    page = f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(lines[0])}</title></head>\n<body>\n{body}\n</body></html>\n'
    out.write_text(page, encoding="utf-8")


def _xlsx(lines: list[str], out: Path) -> None:
    """Table rows split into cells; any other line in the first cell, merged across the sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    ncols = max(len(ln.split(CELL_SEP)) for ln in lines)
    r = 0
    for line in lines:
        if not line.strip():
            continue
        r += 1
        if CELL_SEP in line:
            for c, value in enumerate(line.split(CELL_SEP), start=1):
                sheet.cell(row=r, column=c, value=value.strip())
        else:
            sheet.cell(row=r, column=1, value=line)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
    book.save(str(out))


RENDERERS: dict[str, Callable[[list[str], Path], None]] = {"docx": _docx, "pdf": _pdf, "html": _html, "xlsx": _xlsx}


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for fmt in RENDERERS:
        for path in NOTICES:
            if fmt == "xlsx" and not _is_table_layout(_lines(path)):
                continue
            cases.append((fmt, path))
    return cases


@pytest.fixture(scope="module")
def baseline() -> dict[str, Sig]:
    return {p.stem: _sig(p) for p in NOTICES}


def _assert_same(want: Sig, got: Sig, what: str) -> None:
    assert len(got) == len(want), f"{what}: {len(got)} tasks, the .txt has {len(want)}"
    for w, g in zip(want, got, strict=True):
        assert g == w, f"{what}: task {w[0]} differs\n  txt: {w}\n  got: {g}"


def test_the_corpus_has_notices_with_tasks_and_table_layouts() -> None:
    assert len(NOTICES) >= 10
    assert sum(_is_table_layout(_lines(p)) for p in NOTICES) >= 2


@pytest.mark.parametrize(("fmt", "path"), _cases(), ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_rendering_gives_the_same_tasks(fmt: str, path: Path, baseline: dict[str, Sig], tmp_path: Path) -> None:
    if fmt == "pdf" and FONT is None:
        pytest.skip(NO_FONT)
    out = tmp_path / f"{path.stem}.{fmt}"
    RENDERERS[fmt](_lines(path), out)
    _assert_same(baseline[path.stem], _sig(out), out.name)


# ---------------------------------------------------------------- LibreOffice


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: run scripts/install_system_deps.sh")
    return soffice


def _convert(root: Path, formats: tuple[str, ...], env: dict[str, str] | None = None) -> Path:
    """Every notice converted by LibreOffice into ``root``: one soffice run per target format."""
    soffice = _soffice()
    src = root / "src"
    src.mkdir()
    for path in NOTICES:  # soffice is told the input is UTF-8, so re-encode GBK/Big5 copies
        (src / path.name).write_text("\n".join(_lines(path)) + "\n", encoding="utf-8")
    profile = (root / "profile").as_uri()  # its own profile: parallel test workers do not collide
    for fmt in formats:
        cmd = [
            soffice, f"-env:UserInstallation={profile}", "--headless", "--infilter=Text (encoded):UTF8,,,",
            "--convert-to", fmt, "--outdir", str(root), *sorted(str(p) for p in src.glob("*.txt")),
        ]
        subprocess.run(cmd, capture_output=True, timeout=180, check=False, env=env)
    return root


@pytest.fixture(scope="module")
def soffice_rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every notice converted by LibreOffice in the fonts fontconfig offers it."""
    _soffice()
    return _convert(tmp_path_factory.mktemp("soffice"), ("docx", "pdf"))


@pytest.mark.slow
@pytest.mark.fonts
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.stem)
def test_libreoffice_rendering_gives_the_same_tasks(
    fmt: str, path: Path, baseline: dict[str, Sig], soffice_rendered: Path
) -> None:
    out = soffice_rendered / f"{path.stem}.{fmt}"
    assert out.exists(), f"soffice did not produce {out.name}"
    _assert_same(baseline[path.stem], _sig(out), f"soffice {out.name}")


@pytest.fixture(scope="module", params=RENDER_FONTS)
def soffice_font(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """(family, folder): every notice made into a PDF by LibreOffice seeing no font but ``family``."""
    family = request.param
    _soffice()
    root = tmp_path_factory.mktemp("soffice-" + family.replace(" ", "-"))
    env = only_font(family, root / "fontconfig")
    if env is None:
        pytest.skip(f"{family} is not installed (fontconfig does not list it): scripts/install_system_deps.sh installs it")
    return family, _convert(root, ("pdf",), env)


@pytest.mark.slow
@pytest.mark.fonts
@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.stem)
def test_libreoffice_pdf_in_each_cjk_font_gives_the_same_tasks(
    path: Path, baseline: dict[str, Sig], soffice_font: tuple[str, Path]
) -> None:
    family, folder = soffice_font
    out = folder / f"{path.stem}.pdf"
    assert out.exists(), f"soffice did not produce {out.name} in {family}"
    fonts = pdf_font_names(out)
    key = family.replace(" ", "")
    key = key[: key.index("CJK") + 3] if "CJK" in key else key  # NotoSerifCJK: LibreOffice may pick the JP face
    assert any(key in name for name in fonts), f"{out.name} is set in {sorted(fonts)}, not {family}"
    _assert_same(baseline[path.stem], _sig(out), f"soffice {out.name} in {family}")


# ---------------------------------------------------------------- ../shared renderings

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SHARED_RENDERED = sorted(
    p for folder in (SHARED / "rendered", SHARED / "real" / "rendered") if folder.is_dir() for p in folder.iterdir()
    if p.suffix in {".pdf", ".docx"}
)
# A table-layout rendering whose table the parser reads differently from the lines of the
# .txt (the reader's rows equal the .docx's): a parser/tables.py matter, not the reader's.
# strict: when the parser learns it, this list must shrink.
TABLE_PARSE_DIFFERS: dict[str, str] = {}


def _shared_sig(path: Path) -> list[tuple[str | None, tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None]]:
    """Number, units per role, deadline text (section paths differ with a table's layout)."""
    return [row[:5] for row in _sig(path)]


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=TABLE_PARSE_DIFFERS[p.name]))
        if p.name in TABLE_PARSE_DIFFERS else p
        for p in SHARED_RENDERED
    ] or [None],
    ids=lambda p: p.name if p else "absent",
)
def test_office_suite_renderings_in_shared_give_the_tasks_of_their_txt(path: Path | None) -> None:
    """Every .docx/.pdf an office suite made of a ../shared notice gives the tasks of its .txt."""
    if path is None:
        pytest.skip("../shared/corpus/rendered is absent (a fresh clone has none)")
    twin = path.parent.parent / (path.name.split(".")[0] + ".txt")
    assert twin.exists(), f"no .txt twin for {path.name}"
    want, got = _shared_sig(twin), _shared_sig(path)
    assert len(got) == len(want), f"{path.name}: {len(got)} tasks, the .txt has {len(want)}"
    for w, g in zip(want, got, strict=True):
        assert g == w, f"{path.name}: task {w[0]} differs\n  txt: {w}\n  got: {g}"
