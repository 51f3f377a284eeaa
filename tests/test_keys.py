"""Task keys (parser/keys.py): stable across runs, parser versions and changes elsewhere in the record."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from parser import parse_text
from parser.keys import notice_part, task_keys
from parser.textnorm import match_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED = CORPUS / "seed_lines_city.txt"


def keys_of(text: str) -> list[str]:
    return [t.key for t in parse_text(text).tasks]


def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def test_every_task_has_a_key_unique_in_its_notice() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        try:
            keys = keys_of(text)
        except Exception:  # a corpus file that is not a notice (no tasks)
            continue
        assert all(keys), path.name
        assert len(set(keys)) == len(keys), path.name


def test_key_is_document_number_and_number_path() -> None:
    notice = parse_text(seed())
    dn = notice.meta.doc_number.text
    first = notice.tasks[0]
    assert first.key == f"{dn}:二/一/1", "衡政办发〔2019〕64号, section 二、 (一), task 1"
    assert all(t.key.startswith(dn + ":") for t in notice.tasks)


def test_same_notice_parsed_twice_keeps_every_key() -> None:
    assert keys_of(seed()) == keys_of(seed())


def test_parser_version_does_not_move_keys(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import parser.pipeline

    before = parse_text(seed())
    monkeypatch.setattr(parser.pipeline, "__version__", "99.0.0")
    after = parse_text(seed())
    assert after.parser_version == "99.0.0" != before.parser_version
    assert [t.key for t in after.tasks] == [t.key for t in before.tasks]


def test_section_titles_read_differently_do_not_move_keys(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A parser change in how section titles are read (here: every title gets other words)."""
    from parser.tasks import build

    before = parse_text(seed())
    original = build.section_path
    monkeypatch.setattr(build, "section_path",
                        lambda item, heads: [label + "（修订）" for label in original(item, heads)])
    after = parse_text(seed())
    assert [t.section_path for t in after.tasks] != [t.section_path for t in before.tasks]
    assert [t.key for t in after.tasks] == [t.key for t in before.tasks]


def test_meta_read_differently_does_not_move_keys(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A parser change in the notice's meta (title, issuer), not its document number."""
    import parser.pipeline

    before = parse_text(seed())
    original = parser.pipeline.extract_meta

    def other_meta(*args, **kwargs):  # type: ignore[no-untyped-def]
        meta = original(*args, **kwargs)
        meta.title = "另一个标题"
        meta.issuer = None
        return meta

    monkeypatch.setattr(parser.pipeline, "extract_meta", other_meta)
    after = parse_text(seed())
    assert after.meta.title == "另一个标题"
    assert [t.key for t in after.tasks] == [t.key for t in before.tasks]


def test_text_outside_the_tasks_does_not_move_keys() -> None:
    """A preamble paragraph more, another title line: the document number holds the keys."""
    text = seed()
    lines = text.splitlines()
    edited = "\n".join([lines[0] + "（修订稿）", *lines[1:4], "为进一步做好相关工作，特制定本方案。", *lines[4:]])
    assert keys_of(edited) == keys_of(text)


def test_without_document_number_keys_hash_the_words() -> None:
    notice = parse_text(seed())
    dn = notice.meta.doc_number.text
    bare = seed().replace(dn, "")
    keys = keys_of(bare)
    assert all(k.startswith("text-") for k in keys)
    assert [k.split(":", 1)[1] for k in keys] == [t.key.split(":", 1)[1] for t in notice.tasks]
    rewrapped = bare.replace("\n", "\n\n").replace("，", ", ")
    assert keys_of(rewrapped) == keys, "spacing, blank lines and punctuation forms do not move the hash"


def test_document_number_forms_fold_to_one() -> None:
    assert notice_part("天政办发〔2017〕137号", "") == notice_part("天政办发[2017]137号", "")
    assert notice_part("天政办发（2017）137号", "") == notice_part(" 天政办发 〔2017〕 137 号", "")
    assert notice_part("天政辦發〔2017〕137號", "") == notice_part("天政办发〔2017〕137号", "")
    assert notice_part(None, match_text("一段文字")).startswith("text-")
    assert notice_part("长" * 200, "").startswith("dn-") and len(notice_part("长" * 200, "")) == 19


def test_repeated_numbers_get_distinct_stable_keys() -> None:
    tasks = [{"number": "3", "section_path": ["一、甲"], "text": "第一项工作内容"},
             {"number": "3", "section_path": ["一、甲"], "text": "第二项工作内容"},
             {"number": None, "section_path": [], "text": "没有编号的任务"},
             {"number": None, "section_path": [], "text": "没有编号的任务"}]
    keys = task_keys("X", tasks)
    assert len(set(keys)) == 4
    assert keys[0].startswith("X:一/3~") and keys[1].startswith("X:一/3~")
    assert keys[3] == keys[2] + "#2"
    assert task_keys("X", list(reversed(tasks[:2]))) == list(reversed(keys[:2])), "order does not matter"


def test_many_repeats_are_numbered_in_order() -> None:
    """A task repeated many times (a notice's task section pasted over and over) takes #2, #3 …
    in document order, also where a repeat's base key is itself taken by an earlier #k."""
    same = {"number": None, "section_path": [], "text": "没有编号的任务"}
    keys = task_keys("X", [same] * 300)
    assert keys[1:] == [f"{keys[0]}#{k}" for k in range(2, 301)]
    tasks = [{"number": "1", "section_path": [], "text": "甲"}, {"number": "1", "section_path": [], "text": "甲"},
             {"number": "1", "section_path": [], "text": "甲"}]
    first = task_keys("X", tasks)
    assert len(set(first)) == 3 and first[1:] == [first[0] + "#2", first[0] + "#3"]


def test_an_unnumbered_task_keeps_its_key_when_its_tail_changes() -> None:
    a = task_keys("X", [{"number": None, "section_path": ["一、甲"], "text": "加快推进政务服务一网通办，全面提升企业和群众办事的便利度与满意度。"}])
    b = task_keys("X", [{"number": None, "section_path": ["一、甲"],
                         "text": "加快推进政务服务一网通办，全面提升企业和群众办事的便利度与满意度。完成时限：2020年底"}])
    assert a == b


@pytest.mark.parametrize("fmt", ["csv"])
def test_csv_rows_carry_the_key(tmp_path: Path, fmt: str) -> None:
    from parser.cli import main

    assert main(["parse", str(SEED), "-o", str(tmp_path), "--format", fmt]) == 0
    notice = parse_text(seed())
    rows = list(csv.DictReader(io.StringIO((tmp_path / "tasks.csv").read_text(encoding="utf-8-sig"))))
    assert [r["key"] for r in rows] == [t.key for t in notice.tasks]
    assigns = list(csv.DictReader(io.StringIO((tmp_path / "assignments.csv").read_text(encoding="utf-8-sig"))))
    by_key = {t.key: t for t in notice.tasks}
    assert assigns and all(r["task_key"] in by_key and by_key[r["task_key"]].id == r["task_id"] for r in assigns)


def test_parquet_tables_carry_the_key(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from tests.test_batch import make_folder, run

    src = make_folder(tmp_path, 2)
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q") == 0
    tasks = pq.read_table(out / "tasks.parquet").to_pylist()
    assigns = pq.read_table(out / "assignments.parquet").to_pylist()
    assert len({r["key"] for r in tasks}) == len(tasks) == 6
    assert {r["task_key"] for r in assigns} <= {r["key"] for r in tasks}


def test_batch_records_cached_before_keys_get_them(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """A batch folder whose cache was written by a version without keys (other row layout)."""
    import json

    import parser.pipeline
    from parser.batch import worker
    from tests.test_batch import make_folder, run

    src = make_folder(tmp_path, 2)
    out = tmp_path / "out"
    with monkeypatch.context() as m:
        m.setattr(parser.pipeline, "assign_keys", lambda *a: None)
        m.setattr(worker, "rows_format", lambda: "before-keys")
        assert run(str(src), "-o", str(out), "--jobs", "0", "-q") == 0
    records = [json.loads(line) for line in (out / "notices.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(t["key"] is None for r in records for t in r["tasks"])
    capsys.readouterr()
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q") == 0
    assert "0 parsed, 0 failed, 2 skipped unchanged" in capsys.readouterr().err, "the cached records are used"
    records = [json.loads(line) for line in (out / "notices.jsonl").read_text(encoding="utf-8").splitlines()]
    keys = [t["key"] for r in records for t in r["tasks"]]
    assert all(keys) and len(set(keys)) == 6
    rows = list(csv.DictReader(io.StringIO((out / "tasks.csv").read_text(encoding="utf-8-sig"))))
    assert [r["key"] for r in rows] == keys
