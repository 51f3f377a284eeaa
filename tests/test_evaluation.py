"""The scorer (parser.evaluation) on hand-made records, and the validity of every gold file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from parser import evaluation as ev
from schemas.notice import Deadline, DocNumber, Meta, Milestone, Notice, Task, Unit

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"


# ---------------------------------------------------------------- builders


def gold_task(id_: str, starts: str, section: str = "（一）深化改革", lead=(), resp=(), coop=(),
              dl: str = "", ms=()) -> dict[str, Any]:
    return {
        "id": id_, "section": section, "starts": starts, "lead": list(lead), "responsible": list(resp),
        "cooperating": list(coop), "deadline_text": dl, "deadline": [{"kind": k, "date": d} for k, d in ms],
    }


def gold_doc(tasks: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    base = {"doc_number": "澄政办发〔2018〕42号", "title": "澄川市改革方案", "issuer": "澄川市人民政府办公室",
            "issue_date": "2018-04-16"}
    base.update(meta)
    return {"doc": "x", "meta": base, "tasks": tasks}


def unit(name: str) -> Unit:
    return Unit(text=name, name=name, span=(0, len(name)))


def pred_task(i: int, text: str, section_path=("二、重点任务", "（一）深化改革。"), lead=(), resp=(), coop=(),
              dl: str | None = None, ms=()) -> Task:
    deadline = None
    if dl is not None:
        deadline = Deadline(text=dl, milestones=[Milestone(kind=k, date=d) for k, d in ms], span=(0, len(dl)))
    return Task(
        id=str(i), text=text, span=(0, len(text)), section_path=list(section_path),
        lead=[unit(u) for u in lead], responsible=[unit(u) for u in resp], cooperating=[unit(u) for u in coop],
        deadline=deadline,
    )


def pred_notice(tasks: list[Task], **meta: Any) -> Notice:
    fields: dict[str, Any] = {
        "plan_title": "澄川市改革方案", "doc_number": DocNumber(text="澄政办发〔2018〕42号"),
        "issuer": "澄川市人民政府办公室", "issue_date": "2018-04-16",
    }
    fields.update(meta)
    return Notice(text="", meta=Meta(**fields), tasks=tasks)


GOLD = gold_doc([
    gold_task("1", "承接落实省级下放事项", lead=["市审改办"], resp=["各县区政府", "市政府有关部门"],
              dl="2018年9月底前", ms=[("by", "2018-09-30")]),
    gold_task("2", "推行清单化管理", lead=["市审改办"], coop=["市财政局"], dl="持续推进", ms=[("ongoing", None)]),
])


def perfect_tasks() -> list[Task]:
    return [
        pred_task(1, "承接落实省级下放事项，做好衔接。", lead=["市审改办"], resp=["各县区政府", "市政府有关部门"],
                  dl="2018年9月底前", ms=[("by", "2018-09-30")]),
        pred_task(2, "推行清单化管理。", lead=["市审改办"], coop=["市财政局"], dl="持续推进。", ms=[("ongoing", None)]),
    ]


# ---------------------------------------------------------------- scoring


def test_perfect_record_scores_one_everywhere() -> None:
    score = ev.score_notice(pred_notice(perfect_tasks()), GOLD)
    assert score.figures() == {k: 1.0 for k in score.figures()}
    assert score.problems == []


def test_one_missing_unit_gives_exact_unit_f1() -> None:
    tasks = perfect_tasks()
    tasks[0].responsible.pop()  # 5 gold units, 4 predicted, all 4 right: P=1, R=4/5
    score = ev.score_notice(pred_notice(tasks), GOLD)
    assert score.unit_f1 == pytest.approx(2 * 1 * 0.8 / 1.8)
    assert score.task_f1 == 1.0
    assert any("市政府有关部门" in p for p in score.problems)


def test_unit_in_the_wrong_role_is_a_miss_and_an_extra() -> None:
    tasks = perfect_tasks()
    tasks[1].cooperating = []
    tasks[1].responsible = [unit("市财政局")]
    score = ev.score_notice(pred_notice(tasks), GOLD)
    assert (score.matched_units, score.gold_units, score.pred_units) == (4, 5, 5)
    assert score.unit_f1 == pytest.approx(0.8)


def test_units_compare_across_script_spaces_and_punctuation() -> None:
    gold = gold_doc([gold_task("（一）", "地区生产总值增长", lead=["县发改局(粮食局)"], resp=["市 财政局"])])
    notice = pred_notice([pred_task(1, "地区生产总值增长11%。", lead=["縣發改局（糧食局）"], resp=["市财政局"])])
    assert ev.score_notice(notice, gold).unit_f1 == 1.0


def test_misaligned_task_costs_task_and_unit_scores() -> None:
    tasks = perfect_tasks()
    tasks[1] = pred_task(2, "全面推行清单化管理。", lead=["市审改办"], coop=["市财政局"], dl="持续推进", ms=[("ongoing", None)])
    score = ev.score_notice(pred_notice(tasks), GOLD)
    # gold "推行清单化管理" sits 2 characters in: within the slack, so it still aligns
    assert score.matched == 2
    tasks[1] = pred_task(2, "各部门要继续推行清单化管理。", lead=["市审改办"], coop=["市财政局"])
    score = ev.score_notice(pred_notice(tasks), GOLD)
    assert (score.matched, score.gold_tasks, score.pred_tasks) == (1, 2, 2)
    assert score.task_f1 == pytest.approx(0.5)
    # the unaligned task's 2 units are missed and its 2 predicted units are extras: P=R=3/5
    assert score.unit_f1 == pytest.approx(0.6)
    assert score.deadline_acc == pytest.approx(0.5)  # accuracies are over gold tasks
    assert score.section_acc == pytest.approx(0.5)


def test_leftover_task_number_still_aligns() -> None:
    assert ev.align(["推行清单化管理"], ["6.推行清单化管理，继续规范。"]) == [0]
    assert ev.align(["推行清单化管理"], ["要继续深入推行清单化管理"]) == [None]


def test_tasks_with_the_same_first_words_pair_in_order() -> None:
    pairs = ev.align(["完成改造", "完成改造", "新建公厕"], ["完成改造一", "新建公厕", "完成改造二"])
    assert pairs == [0, 2, 1]


def test_missed_and_spurious_tasks() -> None:
    score = ev.score_notice(pred_notice([*perfect_tasks()[:1], pred_task(9, "一、提高认识。")]), GOLD)
    assert (score.matched, score.gold_tasks, score.pred_tasks) == (1, 2, 2)
    assert score.task_precision == 0.5 and score.task_recall == 0.5
    assert score.milestone_acc == 0.5


def test_deadline_text_ignores_punctuation_but_milestones_need_kind_and_date() -> None:
    tasks = perfect_tasks()
    tasks[0] = pred_task(1, "承接落实省级下放事项", lead=["市审改办"], resp=["各县区政府", "市政府有关部门"],
                         dl="2018年9月底前。", ms=[("by", "2018-09-01")])
    score = ev.score_notice(pred_notice(tasks), GOLD)
    assert score.deadline_acc == 1.0
    assert score.milestone_acc == 0.5


def test_missing_deadline_matches_empty_gold_deadline() -> None:
    gold = gold_doc([gold_task("1", "地区生产总值增长", lead=["区发改局"])])
    notice = pred_notice([pred_task(1, "地区生产总值增长6.5%", lead=["区发改局"])])
    score = ev.score_notice(notice, gold)
    assert score.deadline_acc == 1.0 and score.milestone_acc == 1.0


def test_section_is_innermost_path_entry_without_trailing_punctuation() -> None:
    tasks = perfect_tasks()
    tasks[1].section_path = ["二、重点任务"]
    score = ev.score_notice(pred_notice(tasks), GOLD)
    assert score.section_acc == pytest.approx(0.5)
    gold = gold_doc([gold_task("1", "新建公厕", section="")])
    assert ev.score_notice(pred_notice([pred_task(1, "新建公厕25座", section_path=())]), gold).section_acc == 1.0


def test_meta_prefers_plan_title_and_counts_null_agreement() -> None:
    notice = pred_notice(perfect_tasks(), title="关于印发澄川市改革方案的通知")
    assert ev.score_notice(notice, GOLD).meta_acc == 1.0
    notice = pred_notice(perfect_tasks(), plan_title=None, title="关于印发澄川市改革方案的通知", doc_number=None)
    assert ev.score_notice(notice, GOLD).meta_acc == pytest.approx(0.5)
    gold = gold_doc(GOLD["tasks"], doc_number=None, issuer=None)
    assert ev.score_notice(pred_notice(perfect_tasks(), doc_number=None, issuer=None), gold).meta_acc == 1.0
    assert ev.score_notice(pred_notice(perfect_tasks()), gold).meta_acc == pytest.approx(0.5)


def test_cover_only_notice_with_no_tasks_found_is_perfect() -> None:
    score = ev.score_notice(pred_notice([]), gold_doc([]))
    assert score.task_f1 == 1.0 and score.unit_f1 == 1.0


def test_totals_are_micro_averaged() -> None:
    a = ev.score_notice(pred_notice(perfect_tasks()), GOLD)
    b = ev.score_notice(pred_notice([]), GOLD)
    total = ev.Score()
    total.add(a)
    total.add(b)
    assert (total.files, total.matched, total.gold_tasks, total.pred_tasks) == (2, 2, 4, 2)
    assert total.task_recall == 0.5 and total.task_precision == 1.0


# ---------------------------------------------------------------- directory run and CLI


def _write_case(root: Path, stem: str = "case", rendered: bool = False) -> None:
    (root / "gold").mkdir(parents=True, exist_ok=True)
    (root / f"{stem}.txt").write_text("1.推行清单化管理。\n牵头单位：市审改办。\n", encoding="utf-8")
    gold = gold_doc([gold_task("1", "推行清单化管理", lead=["市审改办"])])
    (root / "gold" / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    if rendered:
        (root / "rendered").mkdir(exist_ok=True)
        (root / "rendered" / f"{stem}.para.docx").write_bytes(b"not really a docx")


def test_rendered_files_are_scored_against_the_gold_of_their_stem(tmp_path: Path) -> None:
    _write_case(tmp_path, rendered=True)
    found = ev.collect_inputs(str(tmp_path), ["txt", "docx", "pdf"])
    assert [(os.path.basename(p), fmt, os.path.basename(g)) for p, fmt, g in found] == [
        ("case.txt", "txt", "case.json"), ("case.para.docx", "docx", "case.json"),
    ]
    assert [fmt for _, fmt, _ in ev.collect_inputs(str(tmp_path), ["txt"])] == ["txt"]


def test_parse_error_is_a_row_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    _write_case(tmp_path, rendered=True)

    def parse(path: str) -> Notice:
        if path.endswith(".docx"):
            raise ValueError("cannot open this docx\nsecond line")
        return pred_notice([pred_task(1, "推行清单化管理。", lead=["市审改办"])])

    monkeypatch.setattr(ev, "_default_parse", parse)
    assert ev.main([str(tmp_path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert any("case.para.docx" in line and "ERROR ValueError: cannot open this docx" in line for line in lines)
    assert [line.split()[0] for line in lines[-3:]] == ["txt", "docx", "pdf"]
    assert lines[-3].startswith("txt task F1 1.000 unit F1 1.000")
    assert "1 errors" in lines[-2] and "task F1 0.000" in lines[-2]
    assert lines[-1] == "pdf no files"


def test_json_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _write_case(tmp_path)
    monkeypatch.setattr(ev, "_default_parse", lambda path: pred_notice([]))
    assert ev.main([str(tmp_path), "--formats", "txt", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["txt"]["task_recall"] == 0.0
    assert report["files"][0]["problems"]


def test_folder_without_gold_is_a_usage_error(tmp_path: Path) -> None:
    assert ev.main([str(tmp_path)]) == 2


# ---------------------------------------------------------------- gold files


def test_check_gold_catches_what_is_not_in_the_text() -> None:
    text = "1.推行清单化管理。\n牵头单位：市审改办。\n完成时限：持续推进。"
    good = gold_doc([gold_task("1", "推行清单化管理", section="", lead=["市审改办"], dl="持续推进",
                               ms=[("ongoing", None)])])
    assert ev.check_gold(good, text) == []
    bad = gold_doc([gold_task("1", "推行清单管理", section="", lead=["市财政局"], ms=[("soon", "2018-9-30")])])
    problems = " ".join(ev.check_gold(bad, text))
    for what in ("starts", "市财政局", "soon", "not ISO"):
        assert what in problems


def test_check_gold_accepts_a_restored_shared_suffix() -> None:
    text = "（区住建局、东湖、南山街道办事处）"
    gold = gold_doc([gold_task("1", "区住建局", section="", lead=["区住建局"], resp=["东湖街道办事处", "南山街道办事处"])])
    assert ev.check_gold(gold, text) == []


def _decode(path: Path, declared: str) -> str:
    encoding = declared.split(maxsplit=1)[0]
    return path.read_bytes().decode(encoding).replace("\r\n", "\n")


CORPUS_GOLD = sorted((CORPUS / "gold").glob("*.json"))


@pytest.mark.parametrize("gold_path", CORPUS_GOLD, ids=lambda p: p.stem)
def test_corpus_gold_is_valid(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    txt = CORPUS / f"{gold_path.stem}.txt"
    assert gold["doc"] == gold_path.stem and txt.is_file()
    text = _decode(txt, gold["encoding"])
    assert ev.check_gold(gold, text) == []


def test_corpus_covers_the_promised_encodings() -> None:
    declared = {json.loads(p.read_text(encoding="utf-8"))["encoding"] for p in CORPUS_GOLD}
    assert {"utf-8", "gbk", "big5", "utf-8-sig crlf"} <= declared
    assert len(CORPUS_GOLD) >= 15


SHARED_GOLD = sorted((SHARED / "gold").glob("*.json")) if SHARED.is_dir() else []


@pytest.mark.parametrize("gold_path", SHARED_GOLD, ids=lambda p: p.stem)
def test_shared_gold_passes_the_same_checks(gold_path: Path) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (SHARED / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
    assert ev.check_gold(gold, text) == []


@pytest.mark.parametrize("gold_path", CORPUS_GOLD, ids=lambda p: p.stem)
def test_project_reader_decodes_corpus_as_declared(gold_path: Path) -> None:
    """The corpus is only useful if the reader sees what the annotator saw (GBK, Big5, BOM, CRLF)."""
    from parser.readers import read_file

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    txt = CORPUS / f"{gold_path.stem}.txt"
    assert read_file(txt).text == _decode(txt, gold["encoding"])
