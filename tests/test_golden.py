"""Golden tests: the parser against hand-checked gold, notice by notice.

corpus/ (written for this project) is always there; ../shared/corpus (real notices,
not ours) is scored when present and skipped on a fresh clone. Each file is a test of
its own, so a regression names the notice and the mismatches.
"""

from __future__ import annotations

import os

import pytest

from parser.evaluation import collect_inputs, evaluate, totals

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus")
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "corpus")

# Floors per measure. Task alignment and meta are exact on every file; units may miss
# at most a little (a collective read differently) before the test fails.
FLOORS = {"task_f1": 1.0, "unit_f1": 0.95, "deadline": 1.0, "milestones": 1.0, "section": 1.0, "meta": 1.0}


def _check(root: str, path: str, fmt: str) -> None:
    results = [r for r in evaluate(root, [fmt]) if os.path.join(root, r.name) == path]
    assert len(results) == 1
    r = results[0]
    assert r.error is None, r.error
    figures = r.score.figures()
    low = {k: round(figures[k], 3) for k, floor in FLOORS.items() if figures[k] < floor}
    assert not low, f"{r.name}: {low}\n" + "\n".join(r.score.problems)


@pytest.mark.parametrize(("path", "fmt"), [(p, f) for p, f, _ in collect_inputs(CORPUS, ["txt"])],
                         ids=lambda v: os.path.basename(v) if isinstance(v, str) and os.sep in v else v)
def test_project_corpus(path: str, fmt: str) -> None:
    _check(CORPUS, path, fmt)


def _shared_inputs() -> list[tuple[str, str]]:
    if not os.path.isdir(SHARED):
        return []
    return [(p, f) for p, f, _ in collect_inputs(SHARED, ["txt", "docx", "pdf"])]


@pytest.mark.skipif(not os.path.isdir(SHARED), reason="../shared/corpus is not present (fresh clone)")
@pytest.mark.parametrize(("path", "fmt"), _shared_inputs() or [("-", "-")],
                         ids=lambda v: os.path.basename(v) if isinstance(v, str) and os.sep in v else v)
def test_shared_corpus(path: str, fmt: str) -> None:
    _check(SHARED, path, fmt)


@pytest.mark.skipif(not os.path.isdir(SHARED), reason="../shared/corpus is not present (fresh clone)")
def test_seed_notice_has_all_29_tasks() -> None:
    from parser import parse_file

    notice = parse_file(os.path.join(SHARED, "tianshui_2017_137.txt"))
    assert len(notice.tasks) == 29
    assert notice.meta.doc_number is not None and notice.meta.doc_number.text == "天政办发〔2017〕137号"
    assert (notice.meta.doc_number.org, notice.meta.doc_number.year, notice.meta.doc_number.serial) == ("天政办发", 2017, 137)
    assert notice.meta.issue_date == "2017-08-24"


def test_project_corpus_totals() -> None:
    t = totals(evaluate(CORPUS, ["txt"]), ["txt"])["txt"]
    assert t.files >= 15 and t.gold_tasks >= 130
    assert t.task_f1 == 1.0 and t.unit_f1 >= 0.99


@pytest.mark.skipif(not os.path.isdir(SHARED), reason="../shared/corpus is not present (fresh clone)")
def test_shared_corpus_totals() -> None:
    """The issue's floors over all of ../shared/corpus, per format."""
    t = totals(evaluate(SHARED, ["txt", "docx", "pdf"]), ["txt", "docx", "pdf"])
    for fmt, score in t.items():
        assert score.files >= 5, fmt
        assert score.task_f1 >= 0.97 and score.unit_f1 >= 0.95, fmt
        assert score.milestone_acc >= 0.98 and score.section_acc >= 0.95, fmt
