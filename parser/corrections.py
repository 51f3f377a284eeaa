"""Reviewers' corrections, applied on top of the parser's output so that they survive a re-parse.

The review page (``parser/writers/report.py``) saves a small JSON file::

    {"format": "notice-parser-corrections/1",
     "notices": {"<source.sha256>": {"source": "a.txt", "tasks": {"<task key>": [
         {"op": "move", "unit": "市财政局", "role": "responsible", "to": "lead"},
         {"op": "add", "unit": "市教育局", "role": "cooperating", "full": "示例市教育局"},
         {"op": "remove", "unit": "市商务局", "role": "lead"},
         {"op": "date", "milestone": 0, "date": "2020-05-31"},
         {"op": "not_a_task"}]}}}}

keyed by the notice's content hash and the task's key (``parser/keys.py``), both of
which stay put across runs and parser versions. ``parse``/``batch``/``serve`` take
``--corrections PATH`` (a file, or a folder of them) and call ``apply_corrections``.

Each correction is recorded in the record's ``corrections`` list with its outcome:
``applied``; ``already`` (the parser's output says so by itself now); ``unmatched``
(its task or value is gone), which is also printed as ``FILE: correction_unmatched:
reason``: a correction is never dropped silently. Values a correction set carry
``corrected: true``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Any

from parser.errors import CorruptFile, MissingFile, NoticeError
from parser.keys import ensure_keys
from schemas.notice import ROLES, Correction, Deadline, Milestone, Notice, Task, Unit

FORMAT = "notice-parser-corrections/1"
OPS = ("move", "add", "remove", "date", "not_a_task")
UNMATCHED_CODE = "correction_unmatched"


@dataclass(slots=True)
class Corrections:
    """Corrections by notice content hash, then task key: ops in file order (files in name order)."""

    notices: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)
    """Content hash -> the notice's ``source.path`` when the page saved it."""

    def for_notice(self, sha256: str | None) -> dict[str, list[dict[str, Any]]]:
        return self.notices.get(sha256 or "", {})

    def concerns(self, sha256: str | None, path: str | None) -> bool:
        """Has anything to say about the notice with this content hash or source path (cheap)."""
        return bool(self.for_notice(sha256)) or (path is not None and path in self.paths.values())

    def __bool__(self) -> bool:
        return bool(self.notices)


# ---------------------------------------------------------------- reading


def _check_op(op: Any, where: str) -> dict[str, Any]:
    """A correction as the page writes it; anything else is a corrupt file, not a guess."""
    if not isinstance(op, dict) or op.get("op") not in OPS:
        raise CorruptFile(f"correction {op!r} is not one of {', '.join(OPS)}", where)
    kind = op["op"]
    if kind in ("move", "add", "remove"):
        if not isinstance(op.get("unit"), str) or not op["unit"].strip():
            raise CorruptFile(f"{kind} correction without a unit name", where)
        if op.get("role") not in ROLES:
            raise CorruptFile(f"{kind} correction of {op['unit']}: role {op.get('role')!r} is not one of {', '.join(ROLES)}", where)
        if kind == "move" and op.get("to") not in ROLES:
            raise CorruptFile(f"move correction of {op['unit']}: to {op.get('to')!r} is not one of {', '.join(ROLES)}", where)
    if kind == "date":
        try:
            _date.fromisoformat(str(op.get("date")))
        except ValueError as exc:
            raise CorruptFile(f"date correction: {op.get('date')!r} is not an ISO date (yyyy-mm-dd)", where) from exc
        if not isinstance(op.get("milestone", 0), int) or op.get("milestone", 0) < 0:
            raise CorruptFile(f"date correction: milestone {op.get('milestone')!r} is not an index", where)
    return {**op, "file": where}


def _read_file(path: Path, into: Corrections) -> None:
    where = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CorruptFile(f"corrections file is not UTF-8 ({exc.reason})", where) from exc
    except json.JSONDecodeError as exc:
        raise CorruptFile(f"corrections file: invalid JSON at line {exc.lineno} column {exc.colno}", where) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("notices"), dict):
        raise CorruptFile(f"not a corrections file (an object with format {FORMAT!r} and notices)", where)
    for sha, notice in data["notices"].items():
        tasks = notice.get("tasks") if isinstance(notice, dict) else None
        if not isinstance(tasks, dict):
            raise CorruptFile(f"notice {sha}: tasks is not an object of task key -> corrections", where)
        if isinstance(notice.get("source"), str):
            into.paths[sha] = notice["source"]
        by_key = into.notices.setdefault(sha, {})
        for key, ops in tasks.items():
            if not isinstance(ops, list):
                raise CorruptFile(f"task {key}: corrections are not a list", where)
            by_key.setdefault(key, []).extend(_check_op(op, where) for op in ops)
    into.sources.append(where)


def load_corrections(path: str | os.PathLike[str]) -> Corrections:
    """A corrections file, or every ``*.json`` below a folder (in name order: later files add to earlier)."""
    p = Path(path)
    if not p.exists():
        raise MissingFile("corrections file or folder not found", str(path))
    files = sorted(p.rglob("*.json")) if p.is_dir() else [p]
    out = Corrections()
    for f in files:
        _read_file(f, out)
    return out


# ---------------------------------------------------------------- applying


def _find(units: list[Unit], name: str) -> int | None:
    """Index of the unit named ``name`` (normalized name, or as written)."""
    for i, u in enumerate(units):
        if name in (u.name, u.text):
            return i
    return None


def _new_unit(notice: Notice, task: Task, op: dict[str, Any]) -> Unit:
    """A unit the parser missed: named like the parser names it, at its place in the task when written there."""
    from parser.units import make_context, unit_fields

    written = op["unit"].strip()
    at = notice.text.find(written, task.span[0], task.span[1])
    if at < 0:
        at = notice.text.find(written)
    span = (at, at + len(written)) if at >= 0 else (task.span[0], task.span[0])
    found = unit_fields(written, span[0], make_context(notice.meta, notice.text))
    fields = found[0] if len(found) == 1 else {"text": written, "name": written, "span": span}
    fields["span"] = span
    if op.get("full"):
        fields["canonical"] = op["full"]
    return Unit(**{**fields, "corrected": True})


def _move(task: Task, op: dict[str, Any]) -> tuple[str, str | None]:
    src, dst = getattr(task, op["role"]), getattr(task, op["to"])
    i = _find(src, op["unit"])
    if i is None:
        if _find(dst, op["unit"]) is not None:
            return "already", None
        return "unmatched", f"{op['unit']} is no longer a {op['role']} unit of the task"
    unit = src.pop(i)
    if _find(dst, op["unit"]) is None:
        unit.corrected = True
        dst.append(unit)
    return "applied", None


def _add(notice: Notice, task: Task, op: dict[str, Any]) -> tuple[str, str | None]:
    units = getattr(task, op["role"])
    if _find(units, op["unit"]) is not None:
        return "already", None
    units.append(_new_unit(notice, task, op))
    return "applied", None


def _remove(task: Task, op: dict[str, Any]) -> tuple[str, str | None]:
    units = getattr(task, op["role"])
    i = _find(units, op["unit"])
    if i is None:
        return "already", None
    units.pop(i)
    return "applied", None


def _set_date(task: Task, op: dict[str, Any]) -> tuple[str, str | None]:
    index, iso = int(op.get("milestone", 0)), str(op["date"])
    if task.deadline is None:
        task.deadline = Deadline(text="", milestones=[], span=(task.span[0], task.span[0]))
    ms = task.deadline.milestones
    if index < len(ms):
        if ms[index].date == iso:
            return "already", None
        ms[index].date = iso
        ms[index].corrected = True
        if ms[index].kind == "unknown":
            ms[index].kind = "by"
        return "applied", None
    ms.append(Milestone(kind="by", date=iso, precision="day", corrected=True))
    return "applied", None


def _record(key: str, op: dict[str, Any], status: str, message: str | None) -> Correction:
    return Correction(task=key, op=op["op"], unit=op.get("unit"), role=op.get("role"), to=op.get("to"),
                      full=op.get("full") or None, milestone=op.get("milestone") if op["op"] == "date" else None, date=op.get("date"),
                      status=status, message=message)


def describe(c: Correction) -> str:
    """``move 市财政局 responsible→lead``: one correction in a few words."""
    if c.op == "move":
        return f"move {c.unit} {c.role}→{c.to}"
    if c.op in ("add", "remove"):
        return f"{c.op} {c.role} {c.unit}"
    if c.op == "date":
        return f"date of milestone {c.milestone or 0} → {c.date}"
    return "not a task"


def apply_corrections(record: Notice, corrections: Corrections | str | os.PathLike[str]) -> tuple[Notice, list[Correction]]:
    """The record with the corrections for its content hash applied (a copy), and what became of each.

    ``corrections``: loaded by ``load_corrections`` (load once, apply to many records),
    or the path of a corrections file or folder. The report lists every correction for
    this notice; those ``unmatched`` name a task key that no longer exists, a unit no
    longer in the role it was moved from, or another version of the file.
    """
    if not isinstance(corrections, Corrections):
        corrections = load_corrections(corrections)
    ops_by_key = corrections.for_notice(record.source.sha256)
    if not ops_by_key:
        return _stale(record, corrections)
    notice = record.model_copy(deep=True)
    ensure_keys(notice)
    by_key = {t.key: t for t in notice.tasks if t.key}
    report: list[Correction] = []
    dropped: set[str] = set()
    for key, ops in ops_by_key.items():
        task = by_key.get(key)
        for op in ops:
            if task is None:
                report.append(_record(key, op, "unmatched", "the task no longer exists in the parser's output"))
                continue
            status, message = _apply_one(notice, task, op, dropped)
            report.append(_record(key, op, status, message))
    if dropped:
        notice.tasks = [t for t in notice.tasks if t.key not in dropped]
    notice.corrections = [*notice.corrections, *report]
    return notice, report


def _stale(record: Notice, corrections: Corrections) -> tuple[Notice, list[Correction]]:
    """Corrections saved for this file's path but other content: reported, not applied.

    The file changed since the review (its content hash is not the one the corrections
    name); applying them by task key could correct the wrong words, and dropping them
    silently would lose a reviewer's work. The record lists them as ``unmatched``, so a
    review page written from it saves them again, under the new content hash.
    """
    path = record.source.path
    stale = [sha for sha, p in corrections.paths.items() if path and p == path and sha != record.source.sha256]
    if not stale:
        return record, []
    report = [_record(key, op, "unmatched", f"saved for another version of this file (content {sha[:12]}…)")
              for sha in stale for key, ops in corrections.notices[sha].items() for op in ops]
    notice = record.model_copy(deep=True)
    notice.corrections = [*notice.corrections, *report]
    return notice, report


def _apply_one(notice: Notice, task: Task, op: dict[str, Any], dropped: set[str]) -> tuple[str, str | None]:
    kind = op["op"]
    if kind == "not_a_task":
        dropped.add(str(task.key))
        return "applied", None
    if kind == "move":
        status, message = _move(task, op)
    elif kind == "add":
        status, message = _add(notice, task, op)
    elif kind == "remove":
        status, message = _remove(task, op)
    else:
        status, message = _set_date(task, op)
    if status == "applied":
        task.corrected = True
    return status, message


def unmatched_lines(record: Notice, report: Iterable[Correction]) -> list[str]:
    """``FILE: correction_unmatched: reason`` for each correction that found nothing to correct."""
    where = record.source.path or "<text>"
    return [f"{where}: {UNMATCHED_CODE}: task {c.task}: {describe(c)}: {c.message}"
            for c in report if c.status == "unmatched"]


def correct(notice: Notice, corrections: Corrections | None, stream=None) -> Notice:  # type: ignore[no-untyped-def]
    """``apply_corrections`` for a command: the corrected record; unmatched corrections
    are printed to ``stream`` (standard error), one ``FILE: correction_unmatched: reason`` line each."""
    if not corrections:
        return notice
    fixed, report = apply_corrections(notice, corrections)
    for line in unmatched_lines(fixed, report):
        print(line, file=stream or sys.stderr)
    return fixed


def apply_all(notices: Sequence[Notice], corrections: Corrections | None, stream=None) -> list[Notice]:  # type: ignore[no-untyped-def]
    """``correct`` over a run's records."""
    return [correct(n, corrections, stream) for n in notices]


# ---------------------------------------------------------------- alias export


def alias_lines(corrections: Corrections) -> list[str]:
    """Alias-file rows (``--aliases`` TSV: alias, full, level_hint, ambiguous, note) from unit corrections.

    A unit a reviewer added with its full official name gives ``name → full``; a unit
    added or moved without one gives a row with an empty ``full``, which the alias table
    reads as "known, but no canonical name" (ambiguous), for the reviewer to complete.
    Each name once, first correction wins; the note says where it came from.
    """
    from parser.canonical import ALIAS_COLUMNS

    rows: dict[str, tuple[str, str]] = {}
    for sha, tasks in corrections.notices.items():
        for key, ops in tasks.items():
            for op in ops:
                if op["op"] not in ("add", "move"):
                    continue
                name = " ".join(op["unit"].split())
                full = " ".join(str(op.get("full") or "").split())
                if name in rows and (rows[name][0] or not full):
                    continue
                rows[name] = (full, f"correction {op['op']} in notice {sha[:12]} task {key}")
    lines = ["\t".join(ALIAS_COLUMNS)]
    lines.extend(f"{name}\t{full}\t\t\t{note}" for name, (full, note) in rows.items() if full)
    return lines


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="corrections_command", required=True)
    a = sub.add_parser("aliases", help="export unit corrections as lines for a user alias file (--aliases)")
    a.add_argument("path", metavar="PATH", help="corrections file or folder")
    a.add_argument("-o", "--output", help=("write the alias file here; an existing one keeps its rows and gets the "
                                           "new aliases added (default: standard output)"))


def main(args: argparse.Namespace) -> int:
    try:
        lines = alias_lines(load_corrections(args.path))
    except NoticeError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.output and os.path.isfile(args.output):
        lines = _merged(args.output, lines)
    text = "\n".join(lines) + "\n"
    if args.output:
        from parser.writers.atomic import write_text

        write_text(args.output, text)
    else:
        sys.stdout.write(text)
    print(f"corrections aliases: {len(lines) - 1} alias line(s)", file=sys.stderr)
    return 0


def _merged(path: str, lines: list[str]) -> list[str]:
    """An existing alias file's lines, then the new rows whose alias it does not have yet."""
    with open(path, encoding="utf-8-sig") as fh:
        old = fh.read().splitlines()
    have = {line.split("\t", 1)[0] for line in old if line.strip() and not line.lstrip().startswith("#")}
    return old + [line for line in lines[1:] if line.split("\t", 1)[0] not in have]
