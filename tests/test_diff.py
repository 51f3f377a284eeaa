"""notice-parser diff: exact changes between two outputs, pairing, exit codes."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path

import pytest

from parser.cli import main as cli_main
from parser.diff import diff_notice, diff_paths, inline_diff, pair_tasks, similarity


def _sample() -> dict:
    spec = importlib.util.spec_from_file_location("_report_sample", Path(__file__).with_name("test_report.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sample_notice().model_dump(mode="json")


@pytest.fixture
def record() -> dict:
    return _sample()


def _write(path: Path, data: dict) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return str(path)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli_main(["diff", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_unit_removed_is_exactly_that_change_in_text(tmp_path, capsys, record):
    changed = copy.deepcopy(record)
    del changed["tasks"][0]["cooperating"][1]
    code, out, _ = _run(capsys, _write(tmp_path / "a.json", record), _write(tmp_path / "b.json", changed))
    assert code == 1
    assert out == "~ task 1 cooperating: -市公安局\n"


def test_one_unit_removed_is_exactly_that_change_in_json(tmp_path, capsys, record):
    changed = copy.deepcopy(record)
    del changed["tasks"][0]["cooperating"][1]
    code, out, _ = _run(capsys, _write(tmp_path / "a.json", record), _write(tmp_path / "b.json", changed), "--json")
    assert code == 1
    notice = json.loads(out)["notice"]
    assert notice["tasks"] == {"removed": [], "added": [], "changed": [
        {"old_id": "1", "new_id": "1", "changes": [{"field": "cooperating", "removed": ["市公安局"], "added": []}]}]}
    assert notice["meta"] == [] and notice["text"] is None and notice["warnings"] is None
    assert notice["sections"] == {"removed": [], "added": []} and notice["equal"] is False


def test_equal_outputs_exit_zero_and_print_nothing(tmp_path, capsys, record):
    a = _write(tmp_path / "a.json", record)
    b = _write(tmp_path / "b.json", copy.deepcopy(record) | {"parser_version": "9.9"})
    code, out, err = _run(capsys, a, b)
    assert (code, out) == (0, "")
    assert "no differences" in err


def test_task_added_removed_and_fields_changed(record):
    new = copy.deepcopy(record)
    gone = new["tasks"].pop(2)
    extra = copy.deepcopy(gone) | {"id": "9", "number": "9", "text": "完全不同的一项新任务内容"}
    new["tasks"].append(extra)
    t = new["tasks"][1]
    t["lead"][0]["canonical"] = "某市政务服务中心全称"
    t["deadline"]["text"] = "2024年10月底前"
    t["deadline"]["milestones"] = [{"kind": "by", "date": "2024-10-31", "precision": "month"}]
    t["section_path"] = ["一、重点任务"]
    new["meta"]["issuer"] = "某市人民政府"
    new["meta"]["recipients"] = ["各县区人民政府"]
    result = diff_notice(record, new)
    assert [x["id"] for x in result["tasks"]["removed"]] == ["3"]
    assert [x["id"] for x in result["tasks"]["added"]] == ["9"]
    (changed,) = result["tasks"]["changed"]
    fields = {c["field"] + ("." + c["attr"] if "attr" in c else "") for c in changed["changes"]}
    assert fields == {"lead.canonical", "deadline", "milestones", "section_path"}
    ms = next(c for c in changed["changes"] if c["field"] == "milestones")
    assert ms["removed"] == [{"kind": "by", "date": "2024-09-30", "precision": "month"}, {"kind": "ongoing"}]
    assert ms["added"] == [{"kind": "by", "date": "2024-10-31", "precision": "month"}]
    assert {c["field"] for c in result["meta"]} == {"issuer", "recipients"}


def test_text_output_lines(tmp_path, capsys, record):
    new = copy.deepcopy(record)
    new["tasks"][1]["responsible"] = [new["tasks"][0]["lead"][0]]
    new["tasks"][0]["text"] = new["tasks"][0]["text"].replace("一日", "半日")
    new["tasks"].pop()
    code, out, _ = _run(capsys, _write(tmp_path / "a.json", record), _write(tmp_path / "b.json", new))
    lines = out.splitlines()
    assert code == 1
    assert "~ task 2 responsible: -市发展改革委 +市市场监管局" in lines
    assert "~ task 1 text: 推行企业开办[-一][+半]日办结" in lines
    assert any(line.startswith("- task 3 清理规范涉企收费") for line in lines)


def test_ids_that_moved_pair_by_text():
    old = [{"id": str(i), "text": t} for i, t in enumerate(["推行企业开办一日办结", "建设统一的政务服务平台", "清理规范涉企收费"])]
    new = [{"id": "0", "text": "新增加的一项完全不同的工作"}] + [{"id": str(i + 1), "text": t["text"]} for i, t in enumerate(old)]
    pairs, removed, added = pair_tasks(old, new)
    assert pairs == [(0, 1), (1, 2), (2, 3)] and removed == [] and added == [0]


def test_same_id_rewritten_text_still_pairs():
    pairs, removed, added = pair_tasks([{"id": "1", "text": "甲乙丙丁"}], [{"id": "1", "text": "戊己庚辛"}])
    assert pairs == [(0, 0)] and not removed and not added


def test_sections_added_and_removed(record):
    old = copy.deepcopy(record)
    old["sections"] = [{"id": "s1", "marker": "一、", "level": 1, "title": "重点任务", "span": [0, 5],
                        "children": [{"id": "s2", "marker": "（一）", "level": 2, "title": "优化审批服务", "span": [1, 4],
                                      "children": []}]}]
    new = copy.deepcopy(old)
    new["sections"][0]["children"] = [{"id": "s2", "marker": "（二）", "level": 2, "title": "优化审批服务",
                                       "span": [1, 4], "children": []}]
    result = diff_notice(old, new)
    assert result["sections"] == {"removed": ["（一）优化审批服务"], "added": ["（二）优化审批服务"]}


def test_spans_compared_only_when_the_text_is_the_same(record):
    moved = copy.deepcopy(record)
    moved["tasks"][0]["lead"][0]["span"] = [1, 2]
    (c,) = diff_notice(record, moved)["tasks"]["changed"][0]["changes"]
    assert (c["field"], c["attr"]) == ("lead", "span")
    moved["text"] = "前言\n" + moved["text"]
    result = diff_notice(record, moved)
    assert result["tasks"]["changed"] == [] and result["text"]["added_lines"] == ["前言"]


def test_folders_pair_json_by_name(tmp_path, capsys, record):
    other = copy.deepcopy(record) | {"source": {"path": "corpus/other.txt"}}
    _write(tmp_path / "old" / "sample.json", record)
    _write(tmp_path / "old" / "gone.json", other)
    _write(tmp_path / "old" / "manifest.json", {"files": 2})  # not a notice: ignored
    changed = copy.deepcopy(record)
    changed["tasks"][0]["lead"] = []
    _write(tmp_path / "new" / "sample.json", changed)
    _write(tmp_path / "new" / "sub" / "came.json", other | {"source": {"path": "corpus/came.txt"}})
    code, out, _ = _run(capsys, str(tmp_path / "old"), str(tmp_path / "new"))
    assert code == 1
    assert out.splitlines() == ["- notice gone.json", "+ notice sub/came.json", "@@ sample.json",
                                "  ~ task 1 lead: -市市场监管局"]


def test_batch_jsonl_pairs_by_source_path_then_sha256(tmp_path, record):
    a = copy.deepcopy(record) | {"source": {"path": "in/a.txt", "sha256": "a" * 64}}
    b = copy.deepcopy(record) | {"source": {"path": "in/b.txt", "sha256": "b" * 64}}
    b_moved = copy.deepcopy(b) | {"source": {"path": "in/moved/b.txt", "sha256": "b" * 64}}
    for side, rows in (("old", [a, b]), ("new", [b_moved, a])):
        (tmp_path / side).mkdir()
        (tmp_path / side / "notices.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = diff_paths(str(tmp_path / "old"), str(tmp_path / "new"))
    assert result["equal"] and result["compared"] == 2 and not result["added"] and not result["removed"]


@pytest.mark.parametrize("case", ["missing", "invalid", "not_record", "file_vs_folder", "bad_jsonl"])
def test_unreadable_input_exits_2_with_one_line(tmp_path, capsys, record, case):
    good = _write(tmp_path / "good.json", record)
    other = {
        "missing": str(tmp_path / "nope.json"),
        "invalid": str(tmp_path / "bad.json"),
        "not_record": _write(tmp_path / "list.json", {"tasks": "x"}),
        "file_vs_folder": str(tmp_path),
        "bad_jsonl": str(tmp_path / "x.jsonl"),
    }[case]
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    (tmp_path / "x.jsonl").write_text('{"text": "a", "tasks": []}\n{oops\n', encoding="utf-8")
    code, out, err = _run(capsys, good, other)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and ": " in err and "Traceback" not in err


def test_inline_diff_and_similarity():
    assert inline_diff("abcdef", "abXdef") == "ab[-c][+X]def"
    assert inline_diff("同一", "同一的") == "同一[+的]"
    assert similarity("推行企业开办一日办结", "推行企业开办半日办结") > 0.6
    assert similarity("推行企业开办", "清理规范收费") == 0


def _regress():
    spec = importlib.util.spec_from_file_location("_regress", Path(__file__).with_name("regress.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_regress_update_then_compare(tmp_path, capsys):
    regress = _regress()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("某县人民政府办公室关于印发某项工作方案的通知\n1.做好某项工作。牵头单位：县财政局。\n",
                                  encoding="utf-8")
    assert regress.main(["--corpus", str(corpus)]) == 1
    assert "+ notice a.json (no expected output)" in capsys.readouterr().out
    assert regress.main(["--corpus", str(corpus), "--update"]) == 0
    expected = corpus / "a.expected.json"
    data = json.loads(expected.read_text(encoding="utf-8"))
    assert data["source"]["path"] == "corpus/a.txt"
    capsys.readouterr()
    assert regress.main(["--corpus", str(corpus)]) == 0
    data["meta"]["title"] = "另一个标题"
    expected.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert regress.main(["--corpus", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("@@ a.json\n  ~ meta title: -另一个标题 +")


def test_labelled_fields_leaders_and_confidence_changes_are_shown(record):
    """A regression base checks what a task says besides its units (progress, targets,
    leaders) and how sure the parser was; spans are left out of these comparisons."""
    new = copy.deepcopy(record)
    t = new["tasks"][0]
    t["fields"] = [*t.get("fields", []), {"label": "推进情况", "text": "已完成", "span": [0, 3]}]
    t["leaders"] = [*t.get("leaders", []), {"role": "责任领导", "text": "张三", "span": [0, 2]}]
    old_level = (t.get("confidence") or {}).get("level")
    t["confidence"] = {"level": "low" if old_level != "low" else "high", "reasons": ["test"]}
    result = diff_notice(record, new)
    (changed,) = result["tasks"]["changed"]
    by_field = {c["field"]: c for c in changed["changes"]}
    assert by_field["fields"]["added"] == ["推进情况: 已完成"]
    assert by_field["leaders"]["added"] == ["责任领导: 张三"]
    assert by_field["confidence"]["new"] == t["confidence"]["level"]
