"""Reviewers' corrections (parser/corrections.py): applied on top of the parser, marked, never lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parser import parse_file
from parser.cli import main
from parser.corrections import FORMAT, alias_lines, apply_corrections, load_corrections
from parser.errors import CorruptFile, MissingFile

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed_lines_city.txt"


@pytest.fixture(scope="module")
def seed():  # type: ignore[no-untyped-def]
    return parse_file(str(SEED))


def write(path: Path, sha: str, tasks: dict) -> Path:
    path.write_text(json.dumps({"format": FORMAT, "notices": {sha: {"source": "x", "tasks": tasks}}},
                               ensure_ascii=False), encoding="utf-8")
    return path


def units(task, role: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [u.name for u in getattr(task, role)]


def test_each_kind_of_correction_is_applied_and_marked(seed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t0, t1, t2 = seed.tasks[:3]
    lead0 = t0.lead[0].name
    coop0 = t0.cooperating[0].name
    fix = write(tmp_path / "c.json", seed.source.sha256, {
        t0.key: [{"op": "move", "unit": coop0, "role": "cooperating", "to": "lead"},
                 {"op": "remove", "unit": lead0, "role": "lead"},
                 {"op": "add", "unit": "市教育局", "role": "cooperating", "full": "衡阳市教育局"},
                 {"op": "date", "milestone": 0, "date": "2020-03-31"}],
        t1.key: [{"op": "not_a_task"}],
    })
    fixed, report = apply_corrections(seed, load_corrections(fix))
    assert [c.status for c in report] == ["applied"] * 5
    task = fixed.tasks[0]
    assert units(task, "lead") == [coop0] and task.lead[0].corrected
    assert coop0 not in units(task, "cooperating")
    added = task.cooperating[-1]
    assert (added.name, added.canonical, added.corrected) == ("市教育局", "衡阳市教育局", True)
    assert task.deadline.milestones[0].date == "2020-03-31" and task.deadline.milestones[0].corrected
    assert task.corrected and not fixed.tasks[1].corrected
    assert t1.key not in {t.key for t in fixed.tasks} and len(fixed.tasks) == len(seed.tasks) - 1
    assert fixed.tasks[1].key == t2.key
    assert [c.op for c in fixed.corrections] == ["move", "remove", "add", "date", "not_a_task"]
    assert seed.tasks[0].lead[0].name == lead0, "the parser's record is not changed in place"
    from schemas.notice import Notice

    Notice.model_validate_json(fixed.model_dump_json())  # the corrected record is a valid record


def test_correction_of_a_task_that_no_longer_exists_is_reported(seed, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    key = seed.tasks[0].key
    fix = write(tmp_path / "c.json", seed.source.sha256, {
        "衡政办发〔2019〕64号:九/九/99": [{"op": "move", "unit": "市财政局", "role": "cooperating", "to": "lead"}],
        key: [{"op": "move", "unit": "市不存在局", "role": "lead", "to": "responsible"},
              {"op": "remove", "unit": "市不存在局", "role": "lead"}],
    })
    out = tmp_path / "out"
    assert main(["parse", str(SEED), "-o", str(out), "--corrections", str(fix)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "correction_unmatched" in line]
    assert len(lines) == 2, err
    assert lines[0].startswith(f"{SEED}: correction_unmatched: task 衡政办发〔2019〕64号:九/九/99: move 市财政局")
    assert "no longer exists" in lines[0] and "市不存在局 is no longer a lead unit" in lines[1]
    record = json.loads((out / "seed_lines_city.json").read_text(encoding="utf-8"))
    statuses = [(c["task"], c["op"], c["status"]) for c in record["corrections"]]
    assert statuses == [("衡政办发〔2019〕64号:九/九/99", "move", "unmatched"), (key, "move", "unmatched"),
                        (key, "remove", "already")]


def test_apply_takes_a_path_too(seed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fix = write(tmp_path / "c.json", seed.source.sha256, {seed.tasks[0].key: [{"op": "not_a_task"}]})
    fixed, report = apply_corrections(seed, str(fix))
    assert [c.status for c in report] == ["applied"] and len(fixed.tasks) == len(seed.tasks) - 1


def test_corrections_for_other_notices_change_nothing(seed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fix = write(tmp_path / "c.json", "0" * 64, {seed.tasks[0].key: [{"op": "not_a_task"}]})
    fixed, report = apply_corrections(seed, load_corrections(fix))
    assert fixed is seed and report == []


def test_a_correction_the_parser_now_makes_itself_is_already(seed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t = seed.tasks[0]
    fix = write(tmp_path / "c.json", seed.source.sha256, {t.key: [
        {"op": "move", "unit": t.lead[0].name, "role": "responsible", "to": "lead"},
        {"op": "add", "unit": t.cooperating[0].name, "role": "cooperating"},
        {"op": "date", "milestone": 0, "date": t.deadline.milestones[0].date}]})
    fixed, report = apply_corrections(seed, load_corrections(fix))
    assert [c.status for c in report] == ["already"] * 3
    assert not fixed.tasks[0].corrected


def test_folder_of_files_in_name_order(seed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    t = seed.tasks[0]
    folder = tmp_path / "fixes"
    (folder / "sub").mkdir(parents=True)
    write(folder / "a.json", seed.source.sha256, {t.key: [{"op": "add", "unit": "市教育局", "role": "lead"}]})
    write(folder / "sub" / "b.json", seed.source.sha256,
          {t.key: [{"op": "move", "unit": "市教育局", "role": "lead", "to": "cooperating"}]})
    fixed, report = apply_corrections(seed, load_corrections(folder))
    assert [c.status for c in report] == ["applied", "applied"]
    assert "市教育局" in units(fixed.tasks[0], "cooperating") and "市教育局" not in units(fixed.tasks[0], "lead")


def _file(*ops: dict) -> str:
    return json.dumps({"format": FORMAT, "notices": {"x": {"tasks": {"k": list(ops)}}}}, ensure_ascii=False)


@pytest.mark.parametrize(("content", "reason"), [
    ("{", "invalid JSON"),
    ('{"format": "other", "notices": {}}', "not a corrections file"),
    (_file({"op": "explode"}), "is not one of"),
    (_file({"op": "move", "unit": "甲", "role": "lead", "to": "boss"}), "to 'boss'"),
    (_file({"op": "date", "date": "2020-13-01"}), "not an ISO date"),
])
def test_bad_corrections_file_is_one_clear_error(tmp_path: Path, capsys, content: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CorruptFile, match=reason):
        load_corrections(bad)
    assert main(["parse", str(SEED), "-o", str(tmp_path / "out"), "--corrections", str(bad)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{bad}: corrupt: ")
    assert not (tmp_path / "out").exists(), "nothing is parsed or written with a bad corrections file"


def test_missing_corrections_path(tmp_path: Path) -> None:
    with pytest.raises(MissingFile):
        load_corrections(tmp_path / "nope.json")


def test_batch_applies_corrections_to_every_table(seed, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io
    import shutil

    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    t = seed.tasks[0]
    fix = write(tmp_path / "c.json", seed.source.sha256, {
        t.key: [{"op": "move", "unit": t.cooperating[0].name, "role": "cooperating", "to": "lead"}],
        seed.tasks[1].key: [{"op": "not_a_task"}],
        "gone:1": [{"op": "not_a_task"}]})
    out, db = tmp_path / "out", tmp_path / "t.db"
    argv = ["batch", str(src), "-o", str(out), "--jobs", "0", "-q", "--db", str(db)]
    assert main(argv) == 0
    assert main([*argv, "--corrections", str(fix)]) == 0
    assert "correction_unmatched: task gone:1" in capsys.readouterr().err
    record = json.loads((out / "notices.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert record["tasks"][0]["lead"][-1]["corrected"] is True and len(record["tasks"]) == len(seed.tasks) - 1
    rows = list(csv.DictReader(io.StringIO((out / "tasks.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(seed.tasks) - 1 and seed.tasks[1].key not in {r["key"] for r in rows}
    assigns = list(csv.DictReader(io.StringIO((out / "assignments.csv").read_text(encoding="utf-8-sig"))))
    assert {(r["role"], r["name"]) for r in assigns if r["task_key"] == t.key} >= {("lead", t.cooperating[0].name)}
    import sqlite3

    with sqlite3.connect(db) as conn:  # the database was written before: the corrections still reach it
        assert conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == len(seed.tasks) - 1
        got = conn.execute("SELECT role, corrected FROM assignments WHERE task_key = ? AND name = ?",
                           (t.key, t.cooperating[0].name)).fetchall()
    assert got == [("lead", 1)]
    assert main([*argv]) == 0  # without the corrections: the parser's own output again
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0] == len(seed.tasks)


def test_diff_shows_corrections_apart(seed, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    t = seed.tasks[0]
    fix = write(tmp_path / "c.json", seed.source.sha256, {
        t.key: [{"op": "move", "unit": t.cooperating[0].name, "role": "cooperating", "to": "lead"}],
        seed.tasks[1].key: [{"op": "not_a_task"}]})
    plain, fixed = tmp_path / "plain", tmp_path / "fixed"
    assert main(["parse", str(SEED), "-o", str(plain), "--format", "json"]) == 0
    assert main(["parse", str(SEED), "-o", str(fixed), "--format", "json", "--corrections", str(fix)]) == 0
    capsys.readouterr()
    name = "seed_lines_city.json"
    assert main(["diff", str(plain / name), str(fixed / name), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)["notice"]
    assert result["tasks"] == {"removed": [], "added": [], "changed": []}, "no parser change is reported"
    corr = result["corrections"]
    assert [t["id"] for t in corr["not_a_task"]] == [seed.tasks[1].id]
    assert corr["changed"][0]["changes"] == [
        {"field": "lead", "removed": [], "added": [t.cooperating[0].name]},
        {"field": "cooperating", "removed": [t.cooperating[0].name], "added": []}]
    assert len(corr["log"]["added"]) == 2
    assert main(["diff", str(plain / name), str(fixed / name)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("✎ ") for line in lines), lines


def test_alias_export(seed, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    t = seed.tasks[0]
    fix = write(tmp_path / "c.json", seed.source.sha256, {t.key: [
        {"op": "add", "unit": "市教体局", "role": "lead", "full": "衡阳市教育和体育局"},
        {"op": "add", "unit": "市某某局", "role": "lead"},
        {"op": "remove", "unit": "市大数据局", "role": "lead"}]})
    lines = alias_lines(load_corrections(fix))
    assert lines[0] == "alias\tfull\tlevel_hint\tambiguous\tnote"
    assert [line.split("\t")[:2] for line in lines[1:]] == [["市教体局", "衡阳市教育和体育局"]]
    out = tmp_path / "aliases.tsv"
    assert main(["corrections", "aliases", str(fix), "-o", str(out)]) == 0
    # The exported file is a valid --aliases file, and the parser now names the unit with it.
    from parser.canonical import load_aliases

    table = load_aliases(str(out))
    row, _ = table.lookup("市教体局")
    assert row.full == "衡阳市教育和体育局"
    assert main(["corrections", "aliases", str(tmp_path / "nope.json")]) == 2
    out.write_text("alias\tfull\tlevel_hint\tambiguous\tnote\n市某办\t衡阳市某办公室\tcity\t\t\n", encoding="utf-8")
    assert main(["corrections", "aliases", str(fix), "-o", str(out)]) == 0
    assert main(["corrections", "aliases", str(fix), "-o", str(out)]) == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [r.split("\t")[0] for r in rows] == ["alias", "市某办", "市教体局"], "kept, added once"


def test_corrections_for_an_edited_file_are_reported_not_lost(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The file changed since the review: its corrections name the old content; they are
    listed as unmatched (and so saved again by the next page), not applied, not dropped."""
    notice = tmp_path / "n.txt"
    notice.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    old = parse_file(str(notice))
    fix = tmp_path / "c.json"
    fix.write_text(json.dumps({"format": FORMAT, "notices": {old.source.sha256: {
        "source": str(notice), "tasks": {old.tasks[0].key: [{"op": "not_a_task"}]}}}}, ensure_ascii=False),
        encoding="utf-8")
    notice.write_text(SEED.read_text(encoding="utf-8") + "\n（此件公开发布）\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["parse", str(notice), "-o", str(out), "--corrections", str(fix)]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if "correction_unmatched" in line]
    assert err == [f"{notice}: correction_unmatched: task {old.tasks[0].key}: not a task: "
                   f"saved for another version of this file (content {old.source.sha256[:12]}…)"]
    record = json.loads((out / "n.json").read_text(encoding="utf-8"))
    assert len(record["tasks"]) == len(old.tasks), "not applied to other content"
    assert [c["status"] for c in record["corrections"]] == ["unmatched"]
    from parser.writers.report import editor_data
    from schemas.notice import Notice

    data = editor_data(Notice.model_validate(record))
    assert data["corrections"] == {old.tasks[0].key: [{"op": "not_a_task"}]}, "the next page saves it again"
