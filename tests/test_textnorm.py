"""Script detection: the GB2312 fast path must agree with the plain set test."""

from __future__ import annotations

import pytest

from parser.textnorm import _has_trad, _trad_in_gb2312, _trad_set, detect_script


@pytest.mark.parametrize("text", [
    "市政府办公室关于印发实施方案的通知",  # simplified, GB2312 encodes it
    "落实之後报市政府",  # 後: traditional, yet GB2312 has it
    "市政府辦公室",  # 辦: outside GB2312
    "〇一二三\ufeff",  # outside GB2312, no traditional form
    "",
])
def test_fast_path_agrees_with_set_test(text: str) -> None:
    assert _has_trad(text) == (not _trad_set().isdisjoint(text))


def test_gb2312_traditional_characters_are_few_and_traditional() -> None:
    found = _trad_in_gb2312()
    assert 0 < len(found) < 100
    assert set(found) <= _trad_set()


def test_detect_script() -> None:
    assert detect_script("各县区人民政府，市政府各部门") == "simplified"
    assert detect_script("各縣區人民政府，市政府各部門") == "traditional"
