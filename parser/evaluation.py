"""Score parser output against hand-made gold annotations (``corpus/gold/*.json``).

The gold format is ``../shared/corpus/GOLD_FORMAT.md``. Scoring follows it:

- tasks are aligned by their first words: a predicted task matches a gold task when its
  text, normalized, starts with the gold ``starts`` (a leftover number or marker of a
  few characters before it is tolerated, so that alignment measures *finding* the task);
- task P/R/F1 counts aligned pairs against gold and predicted task counts;
- unit F1 is over task × role × unit triples, names compared after removing spaces,
  punctuation and pinyin glosses (發(fā)展) and converting to simplified script, so ``縣發改局（糧食局）`` and
  ``县发改局(粮食局)`` are the same unit;
- deadline text, milestones (kind + date, as a multiset per task) and section (innermost
  ``section_path`` entry, without trailing punctuation) are accuracies over *gold*
  tasks: a gold task the parser missed counts as wrong, so these never look better
  than recall allows;
- meta accuracy is over the four fields doc_number, title (``plan_title`` or ``title``),
  issuer and issue_date; a field the gold leaves null is right only when the parser
  leaves it null too.

Totals are micro-averaged per input format (txt, and docx/pdf renderings of the same
notices in ``DIR/rendered/``). A file that fails to parse is a row with its error and
counts as finding nothing. The last lines printed are the per-format totals, one per
requested format, because the before-stop hook shows ``make eval | tail -3``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

import regex

from parser.textnorm import match_text, to_simplified
from schemas.notice import ROLES, MilestoneKind, Notice, Task

META_FIELDS: tuple[str, ...] = ("doc_number", "title", "issuer", "issue_date")
MILESTONE_KINDS: frozenset[str] = frozenset(get_args(MilestoneKind))
TASK_FIELDS: tuple[str, ...] = (
    "id", "section", "starts", "lead", "responsible", "cooperating", "deadline_text", "deadline",
)
DEFAULT_FORMATS: tuple[str, ...] = ("txt", "docx", "pdf")
# How many characters a predicted text may carry before the gold ``starts``
# (a number such as "12." or a "△" the parser failed to strip) and still align.
ALIGN_SLACK = 4

_NOT_WORD = regex.compile(r"[\p{P}\p{S}\p{Z}\s]+")
# A pinyin gloss a mirror site put after a character (發(fā)展): the reader drops it, and the
# gold of ../shared/corpus writes text without it; some annotators copied it.
_GLOSS = regex.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")
_TRAILING_PUNCT = regex.compile(r"(?<![\p{P}\s])[\p{P}\s]+$")  # from a run's start only: 40k brackets were quadratic


def norm_key(value: str | None) -> str:
    """Comparison key: simplified script, full-width folded, no spaces or punctuation."""
    if not value:
        return ""
    folded = unicodedata.normalize("NFKC", match_text(to_simplified(_GLOSS.sub("", value))))
    return _NOT_WORD.sub("", folded)


def norm_section(value: str | None) -> str:
    """Section titles keep their marker's brackets but lose spaces and trailing 。/：."""
    if not value:
        return ""
    folded = unicodedata.normalize("NFKC", match_text(to_simplified(value)))
    folded = regex.sub(r"\s+", "", folded)
    return _TRAILING_PUNCT.sub("", folded)


# ---------------------------------------------------------------- alignment


def _starts_match(gold_key: str, pred_key: str) -> bool:
    if not gold_key:
        return False
    if pred_key.startswith(gold_key):
        return True
    return gold_key in pred_key[: len(gold_key) + ALIGN_SLACK]


def align(gold_starts: Sequence[str], pred_texts: Sequence[str]) -> list[int | None]:
    """For each gold task, the index of its predicted task (or None), one-to-one.

    Greedy in document order; among several candidates the first one after the
    previous match wins, so two tasks that open with the same words pair up in order.
    """
    gold_keys = [norm_key(s) for s in gold_starts]
    pred_keys = [norm_key(t) for t in pred_texts]
    used: set[int] = set()
    result: list[int | None] = []
    last = -1
    for g in gold_keys:
        candidates = [i for i, p in enumerate(pred_keys) if i not in used and _starts_match(g, p)]
        if not candidates:
            result.append(None)
            continue
        after = [i for i in candidates if i > last]
        pick = after[0] if after else candidates[0]
        used.add(pick)
        last = pick
        result.append(pick)
    return result


# ---------------------------------------------------------------- per-file score


@dataclass
class Score:
    """Counts, not ratios, so that files add up to micro-averaged totals."""

    gold_tasks: int = 0
    pred_tasks: int = 0
    matched: int = 0
    gold_units: int = 0
    pred_units: int = 0
    matched_units: int = 0
    roles_exact: int = 0
    deadline_ok: int = 0
    milestones_ok: int = 0
    section_ok: int = 0
    meta_ok: int = 0
    meta_total: int = 0
    files: int = 0
    errors: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name, value in asdict(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)

    @staticmethod
    def _f1(tp: int, gold: int, pred: int) -> float:
        if gold == 0 and pred == 0:
            return 1.0
        if tp == 0:
            return 0.0
        p, r = tp / pred, tp / gold
        return 2 * p * r / (p + r)

    @staticmethod
    def _ratio(ok: int, total: int) -> float:
        return ok / total if total else 1.0

    @property
    def task_precision(self) -> float:
        return self._ratio(self.matched, self.pred_tasks) if self.pred_tasks else (1.0 if not self.gold_tasks else 0.0)

    @property
    def task_recall(self) -> float:
        return self._ratio(self.matched, self.gold_tasks)

    @property
    def task_f1(self) -> float:
        return self._f1(self.matched, self.gold_tasks, self.pred_tasks)

    @property
    def unit_f1(self) -> float:
        return self._f1(self.matched_units, self.gold_units, self.pred_units)

    @property
    def roles_exact_acc(self) -> float:
        """Share of gold tasks found with every role's units exactly right (a tracker's row needs no edit)."""
        return self._ratio(self.roles_exact, self.gold_tasks)

    @property
    def deadline_acc(self) -> float:
        return self._ratio(self.deadline_ok, self.gold_tasks)

    @property
    def milestone_acc(self) -> float:
        return self._ratio(self.milestones_ok, self.gold_tasks)

    @property
    def section_acc(self) -> float:
        return self._ratio(self.section_ok, self.gold_tasks)

    @property
    def meta_acc(self) -> float:
        return self._ratio(self.meta_ok, self.meta_total)

    def figures(self) -> dict[str, float]:
        return {
            "task_precision": self.task_precision,
            "task_recall": self.task_recall,
            "task_f1": self.task_f1,
            "unit_f1": self.unit_f1,
            "roles_exact": self.roles_exact_acc,
            "deadline": self.deadline_acc,
            "milestones": self.milestone_acc,
            "section": self.section_acc,
            "meta": self.meta_acc,
        }


def _unit_names(task: Task, role: str) -> list[str]:
    return [norm_key(u.name or u.text) for u in getattr(task, role)]


def _pred_milestones(task: Task) -> Counter[tuple[str, str | None]]:
    if task.deadline is None:
        return Counter()
    return Counter((m.kind, m.date) for m in task.deadline.milestones)


def _gold_milestones(gold_task: dict[str, Any]) -> Counter[tuple[str, str | None]]:
    return Counter((m["kind"], m.get("date")) for m in gold_task.get("deadline", []))


def _pred_meta(notice: Notice) -> dict[str, str | None]:
    meta = notice.meta
    return {
        "doc_number": meta.doc_number.text if meta.doc_number else None,
        "title": meta.plan_title or meta.title,
        "issuer": meta.issuer,
        "issue_date": meta.issue_date,
    }


def score_meta(pred: dict[str, str | None], gold: dict[str, Any]) -> tuple[int, list[str]]:
    """Number of the four meta fields that agree, and a note for each that does not."""
    ok = 0
    notes: list[str] = []
    for name in META_FIELDS:
        want, got = gold.get(name), pred.get(name)
        if norm_key(want) == norm_key(got):
            ok += 1
        else:
            notes.append(f"meta {name}: gold {want!r} got {got!r}")
    return ok, notes


def score_notice(notice: Notice, gold: dict[str, Any]) -> Score:
    """Score one parsed notice against its gold annotation."""
    gold_tasks: list[dict[str, Any]] = gold.get("tasks", [])
    pred_tasks = notice.tasks
    pairs = align([t["starts"] for t in gold_tasks], [t.text for t in pred_tasks])
    score = Score(files=1, gold_tasks=len(gold_tasks), pred_tasks=len(pred_tasks))
    score.matched = sum(1 for p in pairs if p is not None)
    matched_pred = {p for p in pairs if p is not None}

    for gi, (gt, pi) in enumerate(zip(gold_tasks, pairs, strict=True)):
        label = f"task {gt.get('id', gi + 1)}"
        gold_units = Counter((role, norm_key(u)) for role in ROLES for u in gt.get(role, []))
        score.gold_units += sum(gold_units.values())
        if pi is None:
            score.problems.append(f"{label}: not found (starts {gt['starts']!r})")
            continue
        pt = pred_tasks[pi]
        pred_units = Counter((role, name) for role in ROLES for name in _unit_names(pt, role))
        score.pred_units += sum(pred_units.values())
        score.matched_units += sum((gold_units & pred_units).values())
        if gold_units == pred_units:
            score.roles_exact += 1
        else:
            missing = sorted((gold_units - pred_units).elements())
            extra = sorted((pred_units - gold_units).elements())
            score.problems.append(f"{label}: units missing {missing} extra {extra}")
        got_text = pt.deadline.text if pt.deadline else ""
        if norm_key(got_text) == norm_key(gt.get("deadline_text", "")):
            score.deadline_ok += 1
        else:
            score.problems.append(f"{label}: deadline gold {gt.get('deadline_text')!r} got {got_text!r}")
        if _pred_milestones(pt) == _gold_milestones(gt):
            score.milestones_ok += 1
        else:
            score.problems.append(
                f"{label}: milestones gold {sorted(_gold_milestones(gt))} got {sorted(_pred_milestones(pt))}"
            )
        got_section = pt.section_path[-1] if pt.section_path else ""
        if norm_section(got_section) == norm_section(gt.get("section", "")):
            score.section_ok += 1
        else:
            score.problems.append(f"{label}: section gold {gt.get('section')!r} got {got_section!r}")

    for pi, pt in enumerate(pred_tasks):  # units of spurious tasks are false positives
        if pi not in matched_pred:
            score.pred_units += sum(len(getattr(pt, role)) for role in ROLES)
            score.problems.append(f"extra task {pt.id}: {pt.text[:20]!r}")

    score.meta_total = len(META_FIELDS)
    score.meta_ok, notes = score_meta(_pred_meta(notice), gold.get("meta", {}))
    score.problems.extend(notes)
    return score


def failed_score(gold: dict[str, Any], reason: str) -> Score:
    """A file the parser could not read: everything in its gold counts as missed."""
    tasks = gold.get("tasks", [])
    return Score(
        files=1,
        errors=1,
        gold_tasks=len(tasks),
        gold_units=sum(len(t.get(role, [])) for t in tasks for role in ROLES),
        meta_total=len(META_FIELDS),
        problems=[reason],
    )


# ---------------------------------------------------------------- gold checks


def check_gold(gold: dict[str, Any], text: str) -> list[str]:
    """What is wrong with one gold annotation, given the decoded text of its notice.

    Each ``starts`` and each unit name must occur in the text (after the same
    normalization the scorer uses, so a shared suffix restored by the annotator is
    checked piece by piece), and milestone kinds must be ones the schema allows.
    """
    problems: list[str] = []
    for key in ("doc", "meta", "tasks"):
        if key not in gold:
            problems.append(f"missing top-level field {key!r}")
    meta = gold.get("meta", {})
    if sorted(meta) != sorted(META_FIELDS):
        problems.append(f"meta fields {sorted(meta)} are not {sorted(META_FIELDS)}")
    date = meta.get("issue_date")
    if date is not None and not regex.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        problems.append(f"issue_date {date!r} is not ISO")
    haystack = norm_key(text)
    for i, task in enumerate(gold.get("tasks", [])):
        label = f"task {task.get('id', i + 1)}"
        if sorted(task) != sorted(TASK_FIELDS):
            problems.append(f"{label}: fields {sorted(task)} are not {sorted(TASK_FIELDS)}")
            continue
        if not task["starts"] or norm_key(task["starts"]) not in haystack:
            problems.append(f"{label}: starts {task['starts']!r} is not in the text")
        if norm_section(task["section"]) and norm_key(task["section"]) not in haystack:
            problems.append(f"{label}: section {task['section']!r} is not in the text")
        if task["deadline_text"] and norm_key(task["deadline_text"]) not in haystack:
            problems.append(f"{label}: deadline_text {task['deadline_text']!r} is not in the text")
        for role in ROLES:
            for unit in task[role]:
                if not _unit_in_text(unit, haystack):
                    problems.append(f"{label}: {role} unit {unit!r} is not in the text")
        for m in task["deadline"]:
            if m.get("kind") not in MILESTONE_KINDS:
                problems.append(f"{label}: milestone kind {m.get('kind')!r} not allowed")
            d = m.get("date")
            if d is not None and not regex.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
                problems.append(f"{label}: milestone date {d!r} is not ISO")
    return problems


def _unit_in_text(unit: str, haystack: str) -> bool:
    """A unit occurs as written, or (restored shared suffix) its head does."""
    key = norm_key(unit)
    if key and key in haystack:
        return True
    # 哈尔滨、黑河市政府 → 哈尔滨市政府 is in the text only as its head 哈尔滨 plus the shared suffix.
    return any(key[:cut] in haystack and key[cut:] in haystack for cut in range(2, len(key) - 1))


# ---------------------------------------------------------------- directory run


@dataclass
class FileResult:
    name: str
    format: str
    score: Score
    error: str | None = None


def _gold_for(stem: str, gold_dir: str) -> str | None:
    path = os.path.join(gold_dir, stem + ".json")
    return path if os.path.isfile(path) else None


def collect_inputs(root: str, formats: Iterable[str]) -> list[tuple[str, str, str]]:
    """(input path, format, gold path) for every scorable file under ``root``."""
    wanted = set(formats)
    gold_dir = os.path.join(root, "gold")
    found: list[tuple[str, str, str]] = []
    if "txt" in wanted:
        for name in sorted(os.listdir(root)):
            if name.endswith(".txt"):
                gold = _gold_for(name[: -len(".txt")], gold_dir)
                if gold:
                    found.append((os.path.join(root, name), "txt", gold))
    rendered = os.path.join(root, "rendered")
    if os.path.isdir(rendered):
        for name in sorted(os.listdir(rendered)):
            fmt = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if fmt in wanted and fmt != "txt":
                gold = _gold_for(name.split(".", 1)[0], gold_dir)
                if gold:
                    found.append((os.path.join(rendered, name), fmt, gold))
    return found


def _default_parse(path: str) -> Notice:
    import parser as parser_pkg  # the lead's public API; imported late so scoring works without it

    return parser_pkg.parse_file(path)


def evaluate(
    root: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
    parse: Callable[[str], Notice] | None = None,
) -> list[FileResult]:
    """Parse and score every file of ``root`` in the given formats."""
    parse = parse or _default_parse
    results: list[FileResult] = []
    for path, fmt, gold_path in collect_inputs(root, formats):
        with open(gold_path, encoding="utf-8") as fh:
            gold = json.load(fh)
        name = os.path.relpath(path, root)
        try:
            notice = parse(path)
        except Exception as exc:  # a failing file is a row of the report, not a crash
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            results.append(FileResult(name, fmt, failed_score(gold, reason), error=reason))
            continue
        results.append(FileResult(name, fmt, score_notice(notice, gold)))
    return results


def totals(results: Sequence[FileResult], formats: Sequence[str]) -> dict[str, Score]:
    out = {fmt: Score() for fmt in formats}
    for r in results:
        out.setdefault(r.format, Score()).add(r.score)
    return out


def _row(r: FileResult) -> str:
    s = r.score
    if r.error:
        return f"{r.name:<58} ERROR {r.error}"
    f = s.figures()
    return (
        f"{r.name:<58} {s.matched:>3}/{s.gold_tasks:<3}p{s.pred_tasks:<4}"
        f" {f['task_f1']:.3f} {f['unit_f1']:.3f} {f['roles_exact']:.3f} {f['deadline']:.3f}"
        f" {f['milestones']:.3f} {f['section']:.3f} {f['meta']:.3f}"
    )


def total_line(fmt: str, s: Score) -> str:
    if not s.files:
        return f"{fmt} no files"
    f = s.figures()
    return (
        f"{fmt} task F1 {f['task_f1']:.3f} unit F1 {f['unit_f1']:.3f} roles {f['roles_exact']:.3f} deadline {f['deadline']:.3f}"
        f" milestones {f['milestones']:.3f} section {f['section']:.3f} meta {f['meta']:.3f}"
        f" ({s.files} files, {s.matched}/{s.gold_tasks} tasks, {s.errors} errors)"
    )


def report_text(results: Sequence[FileResult], formats: Sequence[str], verbose: bool = False) -> str:
    head = f"{'file':<58} {'found':<12} {'task':>5} {'unit':>5} {'roles':>5} {'dl':>5} {'ms':>5} {'sec':>5} {'meta':>5}"
    lines = [head]
    for r in results:
        lines.append(_row(r))
        if verbose and not r.error:
            lines.extend(f"    {p}" for p in r.score.problems)
    lines.extend(total_line(fmt, s) for fmt, s in totals(results, formats).items() if fmt in formats)
    return "\n".join(lines)


def report_json(results: Sequence[FileResult], formats: Sequence[str]) -> dict[str, Any]:
    return {
        "files": [
            {"file": r.name, "format": r.format, "error": r.error, **r.score.figures(),
             "problems": r.score.problems}
            for r in results
        ],
        "totals": {fmt: {**s.figures(), "files": s.files, "errors": s.errors}
                   for fmt, s in totals(results, formats).items() if fmt in formats},
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m parser.evaluation", description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("dir", help="folder with *.txt, gold/*.json and optionally rendered/*.docx|pdf")
    ap.add_argument("--formats", default=",".join(DEFAULT_FORMATS), help="comma-separated, default txt,docx,pdf")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="list each file's mismatches")
    args = ap.parse_args(argv)
    if not os.path.isdir(os.path.join(args.dir, "gold")):
        print(f"{args.dir}: no gold/ folder to score against", file=sys.stderr)
        return 2
    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    results = evaluate(args.dir, formats)
    if args.json:
        print(json.dumps(report_json(results, formats), ensure_ascii=False, indent=1))
    else:
        print(report_text(results, formats, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
