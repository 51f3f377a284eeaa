"""Text clean-ups applied to every reader's output."""

from __future__ import annotations

import pytest

from parser.readers.clean import clean_text


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("加快建設(shè)東部汽車產業基地", "加快建設東部汽車產業基地"),
        ("市經(jīng)貿(mào)委", "市經貿委"),
        ("地区生产总值(GDP)增长7%", "地区生产总值(GDP)增长7%"),
        ("网站支持(IPv6)访问", "网站支持(IPv6)访问"),
        ("县发改局(粮食局)", "县发改局(粮食局)"),
        ("", ""),
    ],
)
def test_pinyin_glosses_removed_and_nothing_else(dirty: str, clean: str) -> None:
    assert clean_text(dirty) == clean


def test_reader_output_is_cleaned(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from parser.readers import read_file

    p = tmp_path / "n.txt"
    p.write_text("1.推進(jìn)東部石化基地建設(shè)。(市經(jīng)貿(mào)委)\n", encoding="utf-8")
    assert read_file(p).text == "1.推進東部石化基地建設。(市經貿委)\n"
