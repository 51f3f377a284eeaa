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


def test_normalize_equals_match_text_and_detect_script() -> None:
    """The pipeline's one-pass ``normalize`` gives what the two functions give, on
    simplified, traditional and mixed texts long enough for its array path."""
    from parser.textnorm import detect_script, match_text, normalize

    samples = [
        "天水市人民政府办公室关于印发重点任务分工方案的通知（天政办发〔2017〕137号）\n" * 20,
        "臺北市政府關於推動數位轉型工作的通知，請各機關確實辦理。\n" * 20,
        "各县区政府：现将《方案》印发給你們，請認真貫徹落實。ＡＢＣ１２３\n" * 20,
        "𠀀𠀁 non-BMP text falls back to translate 市政府\n" * 20,
    ]
    for text in samples:
        assert normalize(text) == (match_text(text), detect_script(text))


def test_only_traditional_forms_fold_inside_the_cjk_block() -> None:
    """``normalize`` counts traditional characters as the CJK-block characters the fold
    changes; a punctuation fold added inside that block would break the count."""
    from parser.textnorm import _fold_table, _trad_chars

    changed = {code for code, dst in _fold_table().items() if 0x4E00 <= code <= 0x9FFF and chr(code) != dst}
    assert changed == {ord(ch) for ch in _trad_chars() if 0x4E00 <= ord(ch) <= 0x9FFF}
