"""Both PDF engines give the same record: pdfium (the default) and pdfplumber.

The layout code is shared (parser/readers/pdf.py works on parser/readers/pdf_page.PdfPage),
so a record can differ only where the engines extract a page differently. Every PDF the
tests build and every PDF rendering in ../shared is read with each engine, and the
records (model_dump without ``source``, so spans included) or the errors must be equal;
the one difference allowed is named in ``_known_difference`` with its reason.

The PDFs the reader tests build are collected by running tests/test_readers_pdf.py's
own test functions with ``read_pdf`` wrapped to note every PDF handed to it, so a new
reader test is covered here without a line added.
"""

from __future__ import annotations

import inspect
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import parser.readers.pdf as pdf_module
from parser import parse_bytes
from parser.errors import CorruptFile, NoTextLayer, NoticeError
from parser.limits import Limits
from parser.options import ParseOptions
from parser.readers.pdf import read_pdf
from parser.readers.pdf_page import ENGINES
from tests import test_readers_pdf
from tests.fixtures import SHARED_CORPUS, cjk_font, render_pdf
from tests.test_formats_agree import soffice_rendered  # noqa: F401 - the fixture: LibreOffice's renderings

ROOT = Path(__file__).resolve().parents[1]
FONT = cjk_font()


def _record(data: bytes, engine: str, limits: Limits) -> Any:
    """The record of a PDF with one engine, or the error it raises (code and message)."""
    try:
        notice = parse_bytes(data, "notice.pdf", ParseOptions(limits=limits, pdf_engine=engine))
    except CorruptFile as exc:
        # The reason quotes the engine's own parser ("Data format error", "Unexpected EOF").
        return (type(exc).__name__, "")
    except NoticeError as exc:
        return (type(exc).__name__, str(exc))
    dump = notice.model_dump()
    dump.pop("source")
    return dump


def _known_difference(data: bytes, got: dict[str, Any]) -> str | None:
    """Why the engines may rightly disagree on this PDF, or None."""
    plumber, pdfium = got["pdfplumber"], got["pdfium"]
    if (isinstance(plumber, tuple) and plumber[0] == NoTextLayer.__name__ and isinstance(pdfium, dict)
            and b"/CIDFontType0" in data and b"FontFile3" in data):
        # fpdf2 embeds an OpenType-CFF font (Noto CJK .ttc) as a CIDFontType0 with a FontFile3
        # program; pdfminer draws no character of it at all, pdfium maps every glyph. pdfium is
        # right (the text is there), and it is one reason it is the default engine.
        return "pdfminer reads no character of a CFF (CIDFontType0, FontFile3) CID font"
    return None


def _assert_same(data: bytes, limits: Limits | None = None, what: str = "") -> None:
    limits = limits or Limits()
    got = {engine: _record(data, engine, limits) for engine in ENGINES}
    if got["pdfium"] == got["pdfplumber"] or _known_difference(data, got):
        return
    a, b = got["pdfium"], got["pdfplumber"]
    if isinstance(a, dict) and isinstance(b, dict):
        a_lines, b_lines = a["text"].splitlines(), b["text"].splitlines()
        diff = [(x, y) for x, y in zip(a_lines, b_lines, strict=False) if x != y][:3]
        keys = [k for k in a if a[k] != b[k]]
        raise AssertionError(f"{what}: records differ in {keys}; text lines (pdfium, pdfplumber): {diff}")
    raise AssertionError(f"{what}: pdfium gives {str(a)[:300]!r}, pdfplumber {str(b)[:300]!r}")


# ---------------------------------------------------------------- PDFs in ../shared


def _shared_pdfs() -> list[Path]:
    folders = [SHARED_CORPUS / "rendered", SHARED_CORPUS / "real" / "rendered"]
    return sorted(p for f in folders if f.is_dir() for p in f.glob("*.pdf"))


@pytest.mark.skipif(not _shared_pdfs(), reason="../shared/corpus is absent (a fresh clone has none)")
@pytest.mark.parametrize("path", _shared_pdfs(), ids=lambda p: p.name)
def test_shared_renderings_give_the_same_record_with_either_engine(path: Path) -> None:
    _assert_same(path.read_bytes(), what=path.name)


# ---------------------------------------------------------------- PDFs the tests build


def _reader_tests() -> Iterator[Any]:
    """(test function, keyword arguments) of every case in tests/test_readers_pdf.py."""
    for name, fn in sorted(vars(test_readers_pdf).items()):
        if not name.startswith("test_") or not callable(fn):
            continue
        marks = getattr(fn, "pytestmark", [])
        if any(m.name == "skipif" and m.args and m.args[0] for m in marks):
            continue
        cases: list[dict[str, Any]] = [{}]
        for mark in marks:
            if mark.name == "parametrize":
                names = [n.strip() for n in mark.args[0].split(",")] if isinstance(mark.args[0], str) else mark.args[0]
                values = [v if len(names) > 1 else (v,) for v in mark.args[1]]
                cases = [{**c, **dict(zip(names, v, strict=True))} for c in cases for v in values]
        for k, case in enumerate(cases):
            yield pytest.param(fn, case, id=f"{name}[{k}]" if len(cases) > 1 else name)


@pytest.mark.parametrize(("test", "kwargs"), list(_reader_tests()))
def test_pdfs_of_the_reader_tests_give_the_same_record(test: Callable[..., None], kwargs: dict[str, Any],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bytes, Limits]] = []

    def noting(data: bytes, limits: Limits, engine: str = "pdfium") -> Any:
        seen.append((data, limits))
        return read_pdf(data, limits, engine)

    monkeypatch.setattr(pdf_module, "read_pdf", noting)
    monkeypatch.setattr(test_readers_pdf, "read_pdf", noting)
    with tempfile.TemporaryDirectory(prefix="engines-") as tmp:
        if "tmp_path" in inspect.signature(test).parameters:
            kwargs = {**kwargs, "tmp_path": Path(tmp)}
        try:
            test(**kwargs)
        except AssertionError:
            pass  # the reader test reports its own failure; here only the engines must agree
    monkeypatch.undo()
    assert seen, "the test read no PDF"
    for data, limits in dict.fromkeys(seen):
        _assert_same(data, limits, what=test.__name__)


def _corpus_notices() -> list[Path]:
    return sorted((ROOT / "corpus").glob("*.txt"))


@pytest.mark.skipif(FONT is None, reason="no CJK font (fc-list :lang=zh is empty): run scripts/install_system_deps.sh")
@pytest.mark.parametrize("notice", _corpus_notices(), ids=lambda p: p.name)
def test_rendered_corpus_notices_give_the_same_record(notice: Path, tmp_path: Path) -> None:
    # As tests/test_formats_agree.py renders them.
    from parser.readers.text import decode, normalize_newlines

    text, _ = decode(notice.read_bytes())
    out = tmp_path / "notice.pdf"
    assert FONT is not None
    render_pdf(normalize_newlines(text.lstrip("\ufeff")).rstrip("\n").split("\n"), out, FONT)
    _assert_same(out.read_bytes(), what=notice.name)


def _other_builders() -> Iterator[Any]:
    """The PDFs tests/fuzz.py, tests/test_bad_inputs.py and tests/test_sniff.py build."""
    from tests import fuzz, test_bad_inputs, test_sniff

    yield pytest.param(fuzz.encrypted_pdf_bytes, id="encrypted")
    yield pytest.param(fuzz.image_pdf_bytes, id="scan")
    yield pytest.param(test_bad_inputs._latin_pdf, id="latin-3-pages")
    yield pytest.param(lambda: test_bad_inputs._latin_pdf()[:1200], id="truncated")
    yield pytest.param(test_sniff._pdf, id="one-line")
    if FONT is not None:
        yield pytest.param(lambda: fuzz.pdf_bytes(test_bad_inputs._good_notice(), FONT), id="good-notice")


@pytest.mark.parametrize("build", list(_other_builders()))
def test_other_test_pdfs_give_the_same_record(build: Callable[[], bytes]) -> None:
    _assert_same(build())


def test_page_limits_apply_to_both_engines() -> None:
    from tests.test_bad_inputs import _latin_pdf

    data = _latin_pdf()
    for limits in (Limits(max_pages=2), Limits(max_page_chars=100)):
        got = {engine: _record(data, engine, limits) for engine in ENGINES}
        assert got["pdfium"] == got["pdfplumber"]
        assert got["pdfium"][0] == "TooLarge"


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown PDF engine"):
        ParseOptions(pdf_engine="mupdf")
    with pytest.raises(ValueError, match="unknown PDF engine"):
        read_pdf(b"%PDF-1.4", Limits(), "mupdf")


def test_the_cli_takes_the_engine(tmp_path: Path) -> None:
    from parser.cli import build_parser, options_from

    for command in (["parse", "x.pdf"], ["batch", "src", "-o", str(tmp_path)]):
        args = build_parser().parse_args([*command, "--pdf-engine", "pdfplumber"])
        assert options_from(args).pdf_engine == "pdfplumber"
        assert options_from(build_parser().parse_args(command)).pdf_engine == "pdfium"


@pytest.mark.skipif(FONT is None, reason="no CJK font (fc-list :lang=zh is empty): run scripts/install_system_deps.sh")
def test_table_finder_finds_pdfplumbers_cells() -> None:
    # lattice.find_tables runs pdfplumber's lattice steps on tuples: the same
    # cells and boxes as pdfplumber's TableFinder, on the edges of either engine.
    from pdfplumber.table import TableFinder

    from parser.readers.lattice import find_tables as _find_tables
    from parser.readers.pdf_plumber import PlumberSource
    from parser.readers.pdfium import PdfiumSource

    pdf = test_readers_pdf._Pdf()
    pdf.add_page()
    pdf.grid(test_readers_pdf.COLS, [
        test_readers_pdf.HEADER,
        [("（一）深化行政审批制度改革。", 4, 1)],
        [("1", 1, 1), ("承接落实事项。", 1, 1), ("市审改办", 1, 2), ("持续推进", 1, 1)],
        [("2", 1, 1), ("回头看。", 1, 1), ("2017年9月底前", 1, 1)],
    ])
    pdf.grid((100.0, 100.0), [[("甲", 1, 1), ("乙", 1, 1)]])
    data = pdf.bytes()

    class Ruled:
        def __init__(self, edges: list[dict[str, Any]]) -> None:
            self.edges = edges

    for source in (PlumberSource(data), PdfiumSource(data)):
        edges = source.page(0, 10_000).edges
        source.close()
        want = [([tuple(c) for c in t.cells], tuple(t.bbox)) for t in TableFinder(Ruled(edges)).tables]
        got = [([tuple(c) for c in cells], tuple(bbox)) for cells, bbox in _find_tables(edges)]
        assert got == want and len(got) == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_the_time_limit_stops_either_engine_as_a_timeout(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The batch's alarm raises Timeout wherever the reader is; it must not pass for a broken PDF.
    from parser.errors import Timeout
    from tests.test_bad_inputs import _latin_pdf

    def late(*args: object, **kwargs: object) -> None:
        raise Timeout("time limit reached")

    monkeypatch.setattr(pdf_module, "lines_of", late)
    with pytest.raises(Timeout):
        read_pdf(_latin_pdf(), Limits(), engine)


@pytest.mark.slow
@pytest.mark.parametrize("notice", _corpus_notices(), ids=lambda p: p.name)
def test_libreoffice_renderings_give_the_same_record(notice: Path, soffice_rendered: Path) -> None:  # noqa: F811
    # As tests/test_formats_agree.py has soffice convert them (box-drawing tables, CJK fonts
    # with a descriptor descent of 0, where pdfium's own glyph boxes once broke a paragraph).
    out = soffice_rendered / f"{notice.stem}.pdf"
    if not out.exists():
        pytest.skip(f"soffice did not produce {out.name}")
    _assert_same(out.read_bytes(), what=out.name)
