"""Garbled text layers: glyph codes instead of text end with their own error, naming the pages.

The PDFs are written by tests/fixtures.py:cid_font_pdf with a CID font as a government
PDF's subset fonts are embedded: without a ToUnicode map ((cid:N)), or with one that maps
to private-use characters or to Latin-1 mojibake. No system font is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from parser.document import Document
from parser.errors import GarbledTextLayer
from parser.limits import Limits
from parser.readers.pdf import read_pdf
from parser.readers.pdf_page import ENGINES
from parser.readers.pdf_textcheck import check_page, check_text_layer, garbled_pages
from tests.fixtures import cid_font_pdf

CODES = list(range(300, 360))
HAN = "牵头单位市发展和改革委员会责任单位各县区人民政府完成时限年月底前推进政务服务一网通办"
MAPPED = {c: HAN[k % len(HAN)] for k, c in enumerate(CODES)}


@pytest.fixture(params=ENGINES)
def read(request: pytest.FixtureRequest) -> Callable[[bytes], Document]:
    """The reader with each PDF engine: the check is the reader's, whatever extracted the text."""
    return lambda data: read_pdf(data, Limits(), engine=request.param)


def test_unmapped_glyphs_are_a_garbled_text_layer(read: Callable[[bytes], Document]) -> None:
    with pytest.raises(GarbledTextLayer, match=r"pages 1-2 of 2: .*120 glyphs without a character mapping \(cid:N\)"):
        read(cid_font_pdf([CODES, CODES]))


@pytest.mark.parametrize(
    "name", ["private_use", "latin1_mojibake"],
)
def test_characters_mapped_to_private_use_or_mojibake_are_garbled(name: str, read: Callable[[bytes], Document]) -> None:
    to = {"private_use": lambda c: chr(0xE000 + c), "latin1_mojibake": lambda c: chr(0xC0 + c % 60)}[name]
    with pytest.raises(GarbledTextLayer, match=r"page 1 of 1: .*private-use or mojibake"):
        read(cid_font_pdf([CODES], {c: to(c) for c in CODES}))


def test_the_error_names_only_the_garbled_pages(read: Callable[[bytes], Document]) -> None:
    # One font maps the codes of pages 1 and 3 to Han; page 2 and 4 draw codes it lacks.
    other = list(range(500, 560))
    data = cid_font_pdf([CODES, other, CODES, other], MAPPED)
    with pytest.raises(GarbledTextLayer, match=r"pages 2, 4 of 4") as err:
        read(data)
    assert err.value.code == "garbled_text_layer"


def test_a_font_mapped_to_han_reads_as_text(read: Callable[[bytes], Document]) -> None:
    doc = read(cid_font_pdf([CODES], MAPPED))
    assert doc.text.replace("\n", "") == "".join(MAPPED[c] for c in CODES)


def test_a_notice_quoting_pinyin_japanese_or_symbols_is_not_garbled() -> None:
    page = ("一、重点任务（一）推进“一网通办”，办理时限压缩50%以上。①②③ ─┼─ ※ □ ★ 共3页 "
            "São Paulo 合作，拼音 qū yù，日文 ひらがな カタカナ，温度 ±5°C，2017-08-24。") * 3
    check = check_page(page, 1)
    assert not check.garbled and 0 < check.share < 0.3
    assert garbled_pages([page, "3"]) == []
    check_text_layer([page])


def test_short_pages_are_not_judged() -> None:
    assert not check_page("(cid:1)(cid:2)\ue001 — 3 —", 1).garbled
    assert check_page("(cid:1)" * 25, 2).garbled


def test_the_cli_prints_the_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from parser.cli import main

    pdf = tmp_path / "subset-fonts.pdf"
    pdf.write_bytes(cid_font_pdf([CODES, CODES, CODES]))
    assert main(["parse", str(pdf), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{pdf}: garbled_text_layer: pages 1-3 of 3: the text layer is not text" in err
    assert "Traceback" not in err
