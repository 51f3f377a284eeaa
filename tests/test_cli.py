"""The notice-parser command line: outputs, one-line errors, exit status."""

from __future__ import annotations

import csv
import json
import os

import pytest

from parser.cli import main

NOTICE = """某市人民政府办公室关于印发某市重点任务分工方案的通知
某政办发〔2020〕12号
各县区人民政府，市政府各部门：
现将《某市重点任务分工方案》印发给你们，请认真贯彻落实。
某市人民政府办公室
2020年3月5日
一、重点任务
1.推进政务服务一网通办。
牵头单位：市政务服务中心。
责任单位：各县区政府、市发改委。
完成时限：2020年6月底前。
2.优化营商环境。
牵头单位：市发改委。
完成时限：持续推进。
"""


@pytest.fixture
def notice_file(tmp_path):  # type: ignore[no-untyped-def]
    p = tmp_path / "notice.txt"
    p.write_text(NOTICE, encoding="utf-8")
    return p


def test_parse_writes_json_and_csv(notice_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert main(["parse", str(notice_file), "-o", str(out)]) == 0
    data = json.loads((out / "notice.json").read_text(encoding="utf-8"))
    assert len(data["tasks"]) == 2
    raw = (out / "tasks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV starts with a BOM for spreadsheet programs"
    rows = list(csv.DictReader((out / "assignments.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {(r["task_id"], r["role"], r["name"]) for r in rows} == {
        ("1", "lead", "市政务服务中心"), ("1", "responsible", "各县区政府"), ("1", "responsible", "市发改委"),
        ("2", "lead", "市发改委"),
    }
    assert (out / "units.csv").exists()
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]


def test_bad_file_is_one_line_and_others_are_written(notice_file, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    missing = tmp_path / "nope.txt"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["parse", str(missing), str(empty), str(notice_file), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"{missing}: missing: no such file" in err
    assert f"{empty}: empty: the file is empty" in err
    assert not any("Traceback" in line for line in err)
    assert (out / "notice.json").exists()


def test_same_stem_twice_writes_two_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "x.txt").write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["parse", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), "-o", str(out)]) == 0
    assert len([p for p in os.listdir(out) if p.endswith(".json")]) == 2


def test_format_json_only(notice_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert main(["parse", str(notice_file), "-o", str(out), "--format", "json"]) == 0
    assert sorted(os.listdir(out)) == ["notice.json"]


def test_version(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert "notice-parser" in capsys.readouterr().out
