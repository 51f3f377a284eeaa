"""The pdfium engine's two glyph paths read the same characters: the compiled helper
(parser/readers/pdfium_chars.c, built by parser/readers/pdfium_build.py) and the ctypes
calls it replaces, which stay as the fallback where the helper is not built.

The helper is built here into a temporary folder (with the machine's C compiler, which
scripts/install_system_deps.sh installs), so these tests do not depend on the installed
build; without a compiler they skip with the reason. Every page of every PDF in ../shared
and of the PDFs the tests build is read both ways, and the pages (characters, edges, size)
must be equal, value for value.
"""

from __future__ import annotations

import ctypes
import inspect
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import parser.readers.pdf as pdf_module
from parser.errors import NoticeError
from parser.limits import Limits
from parser.readers import pdfium, pdfium_build
from tests import test_readers_pdf
from tests.fixtures import SHARED_CORPUS, cid_font_pdf

NO_CC = "no C compiler (scripts/install_system_deps.sh installs gcc): only the ctypes path can run"


@pytest.fixture(scope="module")
def compiled() -> Iterator[pdfium._Compiled]:
    if pdfium_build.compiler() is None:
        pytest.skip(NO_CC)
    with tempfile.TemporaryDirectory(prefix="pdfium-helper-") as tmp:
        target = pdfium_build.build(Path(tmp) / "_pdfium_chars.so.0")
        found, why, _ = pdfium._load_compiled(target)
        assert found is not None, why
        yield found


def _read(data: bytes, helper: pdfium._Compiled | None, max_chars: int = 100_000) -> Any:
    """Every page as (chars, edges, width, height) with one glyph path, or the error raised."""
    saved = list(pdfium._COMPILED)
    pdfium._COMPILED[:] = [helper]
    try:
        source = pdfium.PdfiumSource(data)
        try:
            pages = [source.page(i, max_chars) for i in range(len(source))]
        finally:
            source.close()
    except NoticeError as exc:
        return type(exc).__name__, str(exc)
    finally:
        pdfium._COMPILED[:] = saved
    return [(p.chars.dicts(), p.edges, p.width, p.height) for p in pages]


def _assert_same(data: bytes, compiled: pdfium._Compiled, what: str, max_chars: int = 100_000) -> None:
    by_ctypes, by_helper = _read(data, None, max_chars), _read(data, compiled, max_chars)
    if by_ctypes == by_helper:
        return
    if isinstance(by_ctypes, list) and isinstance(by_helper, list) and len(by_ctypes) == len(by_helper):
        for n, (a, b) in enumerate(zip(by_ctypes, by_helper, strict=True)):
            diff = [(x, y) for x, y in zip(a[0], b[0], strict=False) if x != y][:2]
            assert a == b, f"{what} page {n + 1}: ctypes vs helper, first differing chars {diff}"
    raise AssertionError(f"{what}: ctypes gives {str(by_ctypes)[:300]}, the helper {str(by_helper)[:300]}")


def _shared_pdfs() -> list[Path]:
    folders = [SHARED_CORPUS / "rendered", SHARED_CORPUS / "real" / "rendered"]
    return sorted(p for f in folders if f.is_dir() for p in f.glob("*.pdf"))


@pytest.mark.skipif(not _shared_pdfs(), reason="../shared/corpus is absent (a fresh clone has none)")
def test_shared_pdfs_read_the_same_with_either_glyph_path(compiled: pdfium._Compiled) -> None:
    for path in _shared_pdfs():
        _assert_same(path.read_bytes(), compiled, path.name)


def _reader_test_pdfs() -> list[tuple[bytes, str]]:
    """The PDFs tests/test_readers_pdf.py builds (each once, with the name of a test that
    built it), noted as its tests hand them to read_pdf."""
    from tests.test_pdf_engines import _reader_tests

    seen: list[tuple[str, bytes]] = []
    original = pdf_module.read_pdf
    for param in _reader_tests():
        test, kwargs = param.values

        def noting(data: bytes, limits: Limits, engine: str = "pdfium", name: str = test.__name__) -> Any:
            seen.append((name, data))
            return original(data, limits, engine)

        with pytest.MonkeyPatch.context() as mp, tempfile.TemporaryDirectory(prefix="helper-") as tmp:
            mp.setattr(pdf_module, "read_pdf", noting)
            mp.setattr(test_readers_pdf, "read_pdf", noting)
            if "tmp_path" in inspect.signature(test).parameters:
                kwargs = {**kwargs, "tmp_path": Path(tmp)}
            try:
                test(**kwargs)
            except AssertionError:
                pass  # the reader test reports its own failure; here only the glyph paths must agree
            except pytest.skip.Exception:
                pass
    return list({data: name for name, data in seen}.items())


def test_pdfs_the_tests_build_read_the_same_with_either_glyph_path(compiled: pdfium._Compiled) -> None:
    pdfs = _reader_test_pdfs()
    assert len(pdfs) >= 10, "the reader tests handed over too few PDFs"
    for data, name in pdfs:
        _assert_same(data, compiled, name)


def test_unmapped_glyphs_read_the_same_with_either_glyph_path(compiled: pdfium._Compiled) -> None:
    # A CID font without a ToUnicode map: pdfium flags its glyphs (HasUnicodeMapError), and
    # both paths name them (cid:N) as pdfminer does; with a map, none is named so.
    for to_unicode in (None, {1: "一"}):
        data = cid_font_pdf([[1, 2, 3], [3, 2]], to_unicode)
        _assert_same(data, compiled, f"cid font, map {to_unicode}")
        named = [c["text"] for p in _read(data, compiled) for c in p[0] if c["text"].startswith("(cid:")]
        assert len(named) == (5 if to_unicode is None else 0)


def test_a_page_over_the_character_limit_stops_alike(compiled: pdfium._Compiled) -> None:
    from tests.test_bad_inputs import _latin_pdf

    data = _latin_pdf()
    _assert_same(data, compiled, "latin, max_chars=10", max_chars=10)
    _assert_same(data, compiled, "latin, max_chars=0", max_chars=0)


def test_a_stale_build_is_refused_with_the_reason(tmp_path: Path) -> None:
    if pdfium_build.compiler() is None:
        pytest.skip(NO_CC)
    source = tmp_path / "pdfium_chars.c"
    source.write_text(pdfium_build.SOURCE.read_text(encoding="utf-8") + "\n/* an older version */\n", encoding="utf-8")
    target = pdfium_build.build(tmp_path / "_pdfium_chars.so.0", source)
    found, why, warn = pdfium._load_compiled(target)
    assert found is None and warn
    assert "built from another pdfium_chars.c" in why and pdfium_build.source_hash(source) in why


def test_a_failed_build_leaves_no_file(tmp_path: Path) -> None:
    if pdfium_build.compiler() is None:
        pytest.skip(NO_CC)
    source = tmp_path / "pdfium_chars.c"
    source.write_text("int broken(void) { return }\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="failed"):
        pdfium_build.build(tmp_path / "_pdfium_chars.so.0", source)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdfium_chars.c"]


def test_without_a_build_or_when_turned_off_the_ctypes_path_is_chosen_with_the_reason(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found, why, warn = pdfium._load_compiled(tmp_path / "missing.so")
    assert found is None and not warn and "not built" in why
    (tmp_path / "junk.so").write_bytes(b"not a library")
    found, why, warn = pdfium._load_compiled(tmp_path / "junk.so")
    assert found is None and warn and "does not load" in why
    monkeypatch.setenv(pdfium.HELPER_ENV, "off")
    found, why, warn = pdfium._load_compiled()
    assert found is None and "turned off" in why


def test_the_installed_build_is_used_when_it_is_current() -> None:
    if pdfium_build.built_from() != pdfium_build.source_hash():
        pytest.skip("no current build of the helper installed (python -m parser.readers.pdfium_build)")
    found, why, _ = pdfium._load_compiled()
    assert found is not None, why
    assert isinstance(found.glyphs_fn, ctypes._CFuncPtr) and isinstance(found.edges_fn, ctypes._CFuncPtr)
