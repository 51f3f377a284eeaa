"""parser.lines: run-on lines split after an assignment bracket that closes a sentence."""

from __future__ import annotations

import pytest

from parser.lines import split_lines, split_runons
from parser.textnorm import normalize


def pieces(text: str) -> list[str]:
    mtext, _ = normalize(text)
    return [line.text for line in split_runons(split_lines(text, mtext))]


@pytest.mark.parametrize(("text", "expected"), [
    ("控制人口在1150万人左右。（市人口计生委牵头）万元地区生产总值能耗下降。（市发改委负责）\n",
     ["控制人口在1150万人左右。（市人口计生委牵头）", "万元地区生产总值能耗下降。（市发改委负责）"]),
    ("控制人口。 （市人口计生委牵头） 2.万元地区生产总值能耗下降。\n",
     ["控制人口。 （市人口计生委牵头）", "2.万元地区生产总值能耗下降。"]),
    ("（市人口计生委牵头）万元地区生产总值能耗下降。\n", ["（市人口计生委牵头）", "万元地区生产总值能耗下降。"]),
])
def test_a_bracket_that_opens_a_sentence_and_ends_with_a_role_verb_ends_the_line(
        text: str, expected: list[str]) -> None:
    assert pieces(text) == expected


@pytest.mark.parametrize("text", [
    "控制人口在1150万人左右（市人口计生委牵头）万元地区生产总值能耗下降。\n",  # the bracket is inside a sentence
    "落实《条例（试行）》要求。（市发改委）万元地区生产总值能耗下降。\n",  # no role verb in the bracket
])
def test_a_bracket_inside_a_sentence_or_without_a_verb_breaks_nothing(text: str) -> None:
    assert pieces(text) == [text.strip()]
