"""The public entry points (parse_text, parse_bytes, parse_file) and what they leave behind."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from parser import parse_bytes, parse_file, parse_text
from parser.errors import NoticeError

NOTICE = "一、重点任务\n1.推进政务服务一网通办。\n牵头单位：市政务服务中心。\n完成时限：2020年6月底前。\n"


@pytest.fixture
def gc_state():  # type: ignore[no-untyped-def]
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def _entry_points(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "n.txt"
    path.write_text(NOTICE, encoding="utf-8")
    return [lambda: parse_text(NOTICE), lambda: parse_bytes(NOTICE.encode("utf-8"), "n.txt"),
            lambda: parse_file(path)]


def test_collector_is_paused_during_a_parse_and_enabled_after(tmp_path: Path, gc_state, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import parser.pipeline

    seen: list[bool] = []
    real = parser.pipeline.extract_meta

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(parser.pipeline, "extract_meta", spy)
    gc.enable()
    for parse in _entry_points(tmp_path):
        assert parse().tasks
        assert gc.isenabled()
    assert seen == [False, False, False]


def test_a_disabled_collector_stays_disabled(tmp_path: Path, gc_state) -> None:  # type: ignore[no-untyped-def]
    gc.disable()
    for parse in _entry_points(tmp_path):
        parse()
        assert not gc.isenabled()


def test_collector_is_enabled_again_after_an_error(gc_state) -> None:  # type: ignore[no-untyped-def]
    gc.enable()
    with pytest.raises(NoticeError):
        parse_bytes(b"%PDF-1.4 not really", "x.pdf")
    assert gc.isenabled()


def test_clear_memos_changes_nothing_but_speed() -> None:
    """The memos hold pure functions of their keys: a parse after ``clear_memos`` gives
    the same record as one that found them filled."""
    from parser import clear_memos
    from parser.units import _default_table

    warm = parse_text(NOTICE * 3).model_dump_json()
    clear_memos()
    assert not _default_table().lists and not _default_table().namings
    assert parse_text(NOTICE * 3).model_dump_json() == warm


def test_a_label_line_read_in_one_notice_reads_the_same_in_another() -> None:
    """Label lines are memoized across notices by their wording and the character before
    them: after ")" (a run-on cut) the first label is no label, after a line break it is.
    A notice parses the same whether or not another filled the memo first."""
    from parser import clear_memos
    from parser.tasks import segment

    after_break = "一、任务\n1.控制人口总量。\n责任单位:市财政局;完成时限:2018年底\n"
    after_bracket = "一、任务\n1.控制人口总量。(市人口计生委牵头)责任单位:市财政局;完成时限:2018年底\n"
    for first, second in ((after_break, after_bracket), (after_bracket, after_break)):
        clear_memos()
        fresh = parse_text(second).model_dump_json()
        clear_memos()
        parse_text(first)
        assert segment._LABEL_MEMO
        assert parse_text(second).model_dump_json() == fresh
    clear_memos()
    assert not segment._LABEL_MEMO


def test_clear_memos_clears_every_bounded_memo() -> None:
    """Every ``lru_cache`` memo of the parser (bounded ones: ``@cache`` holds compiled
    patterns and vocabularies) is emptied by ``clear_memos``, so a bench run after it times
    a first parse."""
    import importlib
    import pkgutil

    import parser
    from parser import clear_memos

    parse_text(NOTICE * 3)
    memos = []
    for info in pkgutil.walk_packages(parser.__path__, "parser."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) == info.name and hasattr(obj, "cache_info"):
                if obj.cache_info().maxsize is not None:
                    memos.append((info.name, name, obj))
    assert len(memos) >= 10
    clear_memos()
    assert [(m, n) for m, n, obj in memos if obj.cache_info().currsize] == []
