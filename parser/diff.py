"""``notice-parser diff OLD NEW``: what changed between two outputs, field by field.

OLD and NEW are two notice JSON files, two ``.jsonl`` files, or two output folders.
In folders, records are paired by file name (``<stem>.json``); a batch folder's
``notices.jsonl`` is paired by ``source.path``, then by ``source.sha256`` (a file that
moved). Within a notice, tasks are paired by id while their texts still look alike,
then by text similarity (ids shift when a task is inserted above), then by id alone.

The point is regression review: after a parser change, the few lines printed say
exactly which task lost which unit. Reviewers' corrections (``--corrections``, the
record's ``corrections`` log and values marked ``corrected``) are reported apart, as
lines marked ``✎`` and under ``corrections`` in ``--json``, so that a correction is never
mistaken for a parser change nor hides one. Offsets are compared only when the notice text is
the same (otherwise every span moves), and ``parser_version`` is never compared.

Exit status: 0 equal, 1 different, 2 unreadable input (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from parser.errors import CorruptFile, MissingFile, NotAFile, NoticeError

ROLES = ("lead", "responsible", "cooperating")
UNIT_ATTRS = ("canonical", "level", "collective", "qualifier")
META_SKIP = {"spans"}
SOURCE_FIELDS = ("format", "encoding", "script")
BATCH_FILE = "notices.jsonl"
SIMILAR = 0.5  # bigram Dice above which two task texts are "the same task, edited"


# ---------------------------------------------------------------- reading


@dataclass(slots=True)
class Record:
    """One notice record and the keys it can be paired by."""

    data: dict[str, Any]
    name: str | None = None  # file name relative to its folder (JSON files only)

    @property
    def source_path(self) -> str | None:
        return (self.data.get("source") or {}).get("path")

    @property
    def sha256(self) -> str | None:
        return (self.data.get("source") or {}).get("sha256")

    @property
    def label(self) -> str:
        return self.name or self.source_path or (self.sha256 or "?")[:12]


def _check_record(data: Any, where: str) -> dict[str, Any]:
    if not is_record(data):
        raise CorruptFile("not a notice record (an object with text and tasks)", where)
    return data


def is_record(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("text"), str) and isinstance(data.get("tasks"), list)


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except UnicodeDecodeError as exc:
        raise CorruptFile(f"not UTF-8 ({exc.reason})", str(path)) from exc
    except json.JSONDecodeError as exc:
        raise CorruptFile(f"invalid JSON at line {exc.lineno} column {exc.colno}", str(path)) from exc
    except OSError as exc:
        raise NotAFile(exc.strerror or str(exc), str(path)) from exc


def _read_jsonl(path: Path) -> list[Record]:
    records = []
    try:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise CorruptFile(f"invalid JSON on line {n}: {exc.msg}", str(path)) from exc
                records.append(Record(_check_record(data, f"{path}:{n}")))
    except UnicodeDecodeError as exc:
        raise CorruptFile(f"not UTF-8 ({exc.reason})", str(path)) from exc
    except OSError as exc:
        raise NotAFile(exc.strerror or str(exc), str(path)) from exc
    return records


def _read_folder(folder: Path) -> list[Record]:
    """A batch folder's notices.jsonl, else every notice JSON below the folder."""
    batch = folder / BATCH_FILE
    if batch.is_file():
        return _read_jsonl(batch)
    records = []
    for path in sorted(folder.rglob("*.json")):
        data = _read_json(path)
        if is_record(data):  # manifests, schemas and other JSON are not notices
            records.append(Record(data, path.relative_to(folder).as_posix()))
    return records


def load(path: str) -> tuple[str, list[Record]]:
    """(``file`` | ``folder``, records) of one side of the comparison."""
    p = Path(path)
    if not p.exists():
        raise MissingFile("no such file or folder", path)
    if p.is_dir():
        return "folder", _read_folder(p)
    if p.suffix == ".jsonl":
        return "folder", _read_jsonl(p)
    return "file", [Record(_check_record(_read_json(p), path), p.name)]


# ---------------------------------------------------------------- pairing


def pair_records(old: Sequence[Record], new: Sequence[Record]) -> tuple[list[tuple[Record, Record]], list[Record], list[Record]]:
    """Pairs, then old-only and new-only records: by file name, source.path, sha256."""
    pairs: list[tuple[Record, Record]] = []
    left, right = list(old), list(new)
    for key in (lambda r: r.name, lambda r: r.source_path, lambda r: r.sha256):
        index: dict[str, Record] = {}
        for r in right:
            k = key(r)
            if k is not None:
                index.setdefault(k, r)
        rest = []
        for r in left:
            k = key(r)
            match = index.pop(k, None) if k is not None else None
            if match is None:
                rest.append(r)
            else:
                pairs.append((r, match))
                right.remove(match)
        left = rest
    return pairs, left, right


def _bigrams(text: str) -> set[str]:
    text = "".join(text.split())
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: cheap, and fair to Chinese text."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x or y else 1.0


def pair_tasks(old: Sequence[dict], new: Sequence[dict]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Index pairs (old, new), then unpaired old and new indexes.

    0. same stable key (records that carry keys); 1. same id and alike text; 2. most
    alike texts among the rest (ids that moved); 3. same id among what is left (the
    text was rewritten in place).
    """
    pairs: dict[int, int] = {}
    new_by_id: dict[str, int] = {}
    for j, t in enumerate(new):
        new_by_id.setdefault(str(t.get("id")), j)
    taken: set[int] = set()
    new_by_key = {t["key"]: j for j, t in enumerate(new) if t.get("key")}
    for i, t in enumerate(old):
        j = new_by_key.get(t.get("key")) if t.get("key") else None
        if j is not None and j not in taken:
            pairs[i] = j
            taken.add(j)
    for i, t in enumerate(old):
        if i in pairs:
            continue
        j = new_by_id.get(str(t.get("id")))
        if j is not None and j not in taken and similarity(_text(t), _text(new[j])) >= SIMILAR:
            pairs[i] = j
            taken.add(j)
    candidates = []
    for i, t in enumerate(old):
        if i in pairs:
            continue
        for j, u in enumerate(new):
            if j not in taken:
                score = similarity(_text(t), _text(u))
                if score >= SIMILAR:
                    candidates.append((-score, abs(i - j), i, j))
    for _, _, i, j in sorted(candidates):
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    for i, t in enumerate(old):
        j = new_by_id.get(str(t.get("id")))
        if i not in pairs and j is not None and j not in taken:
            pairs[i] = j
            taken.add(j)
    removed = [i for i in range(len(old)) if i not in pairs]
    added = [j for j in range(len(new)) if j not in taken]
    return sorted(pairs.items(), key=lambda p: p[1]), removed, added


def _text(task: dict) -> str:
    return str(task.get("text") or "")


# ---------------------------------------------------------------- comparing


def _set_change(field: str, old: Iterable[Any], new: Iterable[Any]) -> dict[str, Any] | None:
    """Items removed and added (multiset), in their original order."""
    old_l, new_l = list(old), list(new)
    key = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)  # noqa: E731
    o, n = Counter(map(key, old_l)), Counter(map(key, new_l))
    gone, came = o - n, n - o
    removed, added = [], []
    for v in old_l:
        if gone[key(v)] > 0:
            gone[key(v)] -= 1
            removed.append(v)
    for v in new_l:
        if came[key(v)] > 0:
            came[key(v)] -= 1
            added.append(v)
    return {"field": field, "removed": removed, "added": added} if removed or added else None


def _value_change(field: str, old: Any, new: Any) -> dict[str, Any] | None:
    return None if old == new else {"field": field, "old": old, "new": new}


def _milestone(m: dict) -> dict[str, Any]:
    return {k: m.get(k) for k in ("kind", "date", "start", "precision", "period") if m.get(k) is not None}


def _units_by_name(units: Iterable[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for u in units or []:
        out.setdefault(str(u.get("name")), u)
    return out


def diff_task(old: dict, new: dict, same_text: bool) -> list[dict[str, Any]]:
    """Field-by-field changes of one paired task (units per role by name)."""
    changes: list[dict[str, Any] | None] = [
        _value_change("key", old.get("key"), new.get("key")),
        _value_change("number", old.get("number"), new.get("number")),
        _value_change("text", old.get("text"), new.get("text")),
        _value_change("section_path", old.get("section_path") or [], new.get("section_path") or []),
    ]
    if same_text:
        changes.append(_value_change("span", old.get("span"), new.get("span")))
    for role in ROLES:
        o, n = _units_by_name(old.get(role) or []), _units_by_name(new.get(role) or [])
        changes.append(_set_change(role, [u.get("name") for u in old.get(role) or []],
                                   [u.get("name") for u in new.get(role) or []]))
        for name in (k for k in n if k in o):
            attrs = [*UNIT_ATTRS, "span"] if same_text else list(UNIT_ATTRS)
            for attr in attrs:
                c = _value_change(role, o[name].get(attr), n[name].get(attr))
                if c:
                    changes.append({**c, "unit": name, "attr": attr})
    od, nd = old.get("deadline") or {}, new.get("deadline") or {}
    changes.append(_value_change("deadline", od.get("text"), nd.get("text")))
    changes.append(_set_change("milestones", [_milestone(m) for m in od.get("milestones") or []],
                               [_milestone(m) for m in nd.get("milestones") or []]))
    changes.append(_set_change("warnings", old.get("warnings") or [], new.get("warnings") or []))
    # what the task says besides its units and deadline, and how sure the parser is of it
    changes.append(_set_change("fields", _labelled(old.get("fields"), "label"), _labelled(new.get("fields"), "label")))
    changes.append(_set_change("leaders", _labelled(old.get("leaders"), "role"), _labelled(new.get("leaders"), "role")))
    changes.append(_value_change("confidence", (old.get("confidence") or {}).get("level"),
                                 (new.get("confidence") or {}).get("level")))
    return [c for c in changes if c]


def _labelled(values: Iterable[dict] | None, name: str) -> list[str]:
    """Labelled values (task fields, leaders) as "label: text", spans left out."""
    return [f"{v.get(name)}: {v.get('text')}" for v in values or []]


# ---------------------------------------------------------------- corrections apart


CORRECTION_LOG_FIELDS = ("task", "op", "unit", "role", "to", "milestone", "date", "status")


def _applied(record: dict[str, Any]) -> dict[str, list[dict]]:
    """Task key -> the reviewers' corrections applied to it (``--corrections``)."""
    out: dict[str, list[dict]] = {}
    for c in record.get("corrections") or []:
        if isinstance(c, dict) and c.get("status") == "applied":
            out.setdefault(str(c.get("task")), []).append(c)
    return out


def _corrected_names(task: dict, applied: dict[str, list[dict]]) -> set[str]:
    names = {str(u.get("name")) for r in ROLES for u in task.get(r) or [] if u.get("corrected")}
    names |= {str(c["unit"]) for c in applied.get(str(task.get("key")), []) if c.get("unit")}
    return names


def _dated_by_correction(task: dict) -> bool:
    return any(m.get("corrected") for m in (task.get("deadline") or {}).get("milestones") or [])


def split_corrections(changes: list[dict[str, Any]], old: dict, new: dict, old_applied: dict[str, list[dict]],
                      new_applied: dict[str, list[dict]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(parser changes, correction changes) of one task: what a reviewer's correction explains
    (a unit marked or named by a correction, a corrected date) is shown apart."""
    names = _corrected_names(old, old_applied) | _corrected_names(new, new_applied)
    dated = _dated_by_correction(old) or _dated_by_correction(new)
    parser_side: list[dict[str, Any]] = []
    corrected: list[dict[str, Any]] = []
    for c in changes:
        field = c["field"]
        if field in ROLES and "removed" in c:
            for side, keep in ((parser_side, False), (corrected, True)):
                removed = [v for v in c["removed"] if (v in names) == keep]
                added = [v for v in c["added"] if (v in names) == keep]
                if removed or added:
                    side.append({"field": field, "removed": removed, "added": added})
        elif (field in ROLES and c.get("unit") in names) or (field in ("milestones", "deadline") and dated):
            corrected.append(c)
        else:
            parser_side.append(c)
    return parser_side, corrected


def _log_entry(c: Any) -> dict[str, Any]:
    return {k: c.get(k) for k in CORRECTION_LOG_FIELDS if c.get(k) is not None} if isinstance(c, dict) else {}


def _flat_sections(sections: Iterable[dict]) -> list[str]:
    out = []
    for s in sections or []:
        out.append(f"{s.get('marker', '')}{s.get('title', '')}")
        out.extend(_flat_sections(s.get("children") or []))
    return out


def _meta_changes(old: dict, new: dict) -> list[dict[str, Any]]:
    om, nm = old.get("meta") or {}, new.get("meta") or {}
    changes: list[dict[str, Any] | None] = []
    for field in sorted((set(om) | set(nm)) - META_SKIP):
        a, b = om.get(field), nm.get(field)
        if isinstance(a, dict) or isinstance(b, dict):  # doc_number: compare without its span
            a = {k: v for k, v in (a or {}).items() if k != "span"} or None
            b = {k: v for k, v in (b or {}).items() if k != "span"} or None
        if isinstance(a, list) or isinstance(b, list):
            strip = lambda items: [{k: v for k, v in i.items() if k != "span"} if isinstance(i, dict) else i  # noqa: E731
                                   for i in items or []]
            changes.append(_set_change(field, strip(a), strip(b)))
        else:
            changes.append(_value_change(field, a, b))
    os_, ns = old.get("source") or {}, new.get("source") or {}
    for field in SOURCE_FIELDS:
        changes.append(_value_change(f"source.{field}", os_.get(field), ns.get(field)))
    changes.append(_value_change("schema_version", old.get("schema_version"), new.get("schema_version")))
    return [c for c in changes if c]


def _text_change(old: str, new: str) -> dict[str, Any] | None:
    if old == new:
        return None
    a, b = old.splitlines(), new.splitlines()
    removed, added = [], []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed.extend(a[i1:i2])
            added.extend(b[j1:j2])
    return {"old_length": len(old), "new_length": len(new), "removed_lines": removed, "added_lines": added}


def _task_brief(task: dict) -> dict[str, Any]:
    return {"id": task.get("id"), "number": task.get("number"), "text": _text(task)}


def diff_notice(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Everything that differs between two records of one notice; empty lists when equal."""
    try:
        same_text = old.get("text") == new.get("text")
        sections = _set_change("sections", _flat_sections(old.get("sections") or []),
                               _flat_sections(new.get("sections") or []))
        ot, nt = old.get("tasks") or [], new.get("tasks") or []
        pairs, removed, added = pair_tasks(ot, nt)
        old_applied, new_applied = _applied(old), _applied(new)
        changed, corrected = [], []
        for i, j in pairs:
            changes, by_reviewer = split_corrections(diff_task(ot[i], nt[j], same_text), ot[i], nt[j],
                                                     old_applied, new_applied)
            ids = {"old_id": ot[i].get("id"), "new_id": nt[j].get("id")}
            if changes:
                changed.append({**ids, "changes": changes})
            if by_reviewer:
                corrected.append({**ids, "changes": by_reviewer})
        # A task a reviewer marked "not a task" is gone by correction, not by a parser change.
        dropped_new = {k for k, cs in new_applied.items() if any(c.get("op") == "not_a_task" for c in cs)}
        dropped_old = {k for k, cs in old_applied.items() if any(c.get("op") == "not_a_task" for c in cs)}
        rejected = [i for i in removed if ot[i].get("key") in dropped_new]
        restored = [j for j in added if nt[j].get("key") in dropped_old]
        removed = [i for i in removed if i not in rejected]
        added = [j for j in added if j not in restored]
        log = _set_change("corrections", [_log_entry(c) for c in old.get("corrections") or []],
                          [_log_entry(c) for c in new.get("corrections") or []])
        result = {
            "meta": _meta_changes(old, new),
            "text": _text_change(str(old.get("text")), str(new.get("text"))),
            "warnings": _set_change("warnings", old.get("warnings") or [], new.get("warnings") or []),
            "sections": {"removed": sections["removed"], "added": sections["added"]} if sections else
                        {"removed": [], "added": []},
            "tasks": {"removed": [_task_brief(ot[i]) for i in removed], "added": [_task_brief(nt[j]) for j in added],
                      "changed": changed},
            "corrections": {
                "log": {"removed": log["removed"], "added": log["added"]} if log else {"removed": [], "added": []},
                "changed": corrected,
                "not_a_task": [_task_brief(ot[i]) for i in rejected],
                "restored": [_task_brief(nt[j]) for j in restored],
            },
        }
    except (AttributeError, TypeError, KeyError) as exc:
        raise CorruptFile(f"malformed record ({type(exc).__name__}: {exc})") from exc
    result["equal"] = notice_equal(result)
    return result


def notice_equal(result: dict[str, Any]) -> bool:
    t, c = result["tasks"], result["corrections"]
    return not (result["meta"] or result["text"] or result["warnings"] or result["sections"]["removed"]
                or result["sections"]["added"] or t["removed"] or t["added"] or t["changed"]
                or c["log"]["removed"] or c["log"]["added"] or c["changed"] or c["not_a_task"] or c["restored"])


def diff_paths(old: str, new: str) -> dict[str, Any]:
    """Compare two outputs (files or folders); the JSON form ``--json`` prints."""
    old_kind, old_records = load(old)
    new_kind, new_records = load(new)
    if old_kind != new_kind:
        raise NotAFile(f"cannot compare a {old_kind} with a {new_kind} ({new})", old)
    if old_kind == "file":
        result = diff_notice(old_records[0].data, new_records[0].data)
        return {"old": old, "new": new, "kind": "file", "equal": result["equal"], "notice": result}
    pairs, removed, added = pair_records(old_records, new_records)
    notices = []
    for a, b in pairs:
        result = diff_notice(a.data, b.data)
        if not result["equal"]:
            notices.append({"old": a.label, "new": b.label, **result})
    return {
        "old": old, "new": new, "kind": "folder",
        "equal": not (notices or removed or added),
        "removed": [r.label for r in removed], "added": [r.label for r in added],
        "changed": notices, "compared": len(pairs),
    }


# ---------------------------------------------------------------- text form


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def inline_diff(old: str, new: str, context: int = 8) -> str:
    """``…common[-old][+new]common…``: the edited middle of two strings."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    head = old[max(0, p - context):p]
    tail = old[len(old) - s:len(old) - s + context] if s else ""
    mid_old, mid_new = old[p:len(old) - s], new[p:len(new) - s]
    out = ("…" if p > context else "") + head
    out += (f"[-{_short(mid_old, 60)}]" if mid_old else "") + (f"[+{_short(mid_new, 60)}]" if mid_new else "")
    return out + tail + ("…" if s > context else "")


def _milestone_label(m: dict) -> str:
    parts = [str(m.get("kind"))]
    if m.get("start"):
        parts.append(f"{m['start']}–{m.get('date') or ''}".rstrip("–"))
    elif m.get("date"):
        parts.append(str(m["date"]))
    if m.get("period"):
        parts.append(str(m["period"]))
    return " ".join(parts)


def _show(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, dict):
        return _milestone_label(value) if "kind" in value else json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list):
        return " › ".join(map(str, value)) if all(isinstance(v, str) for v in value) else json.dumps(value, ensure_ascii=False)
    return str(value)


def format_change(subject: str, c: dict[str, Any]) -> str:
    """One line: ``~ task 1 responsible: -市政府有关部门 +市财政局``."""
    field = c["field"] + (f" {c['unit']} {c['attr']}" if "unit" in c else "")
    if "removed" in c:
        items = [f"-{_show(v)}" for v in c["removed"]] + [f"+{_show(v)}" for v in c["added"]]
        return f"~ {subject}{field}: {' '.join(items)}"
    old, new = c["old"], c["new"]
    if isinstance(old, str) and isinstance(new, str) and c["field"] == "text":
        return f"~ {subject}{field}: {inline_diff(old, new)}"
    return f"~ {subject}{field}: -{_show(old)} +{_show(new)}"


def _task_name(old_id: Any, new_id: Any) -> str:
    return f"task {new_id}" if old_id == new_id else f"task {old_id}→{new_id}"


def format_notice(result: dict[str, Any]) -> list[str]:
    lines = [format_change("meta ", c) for c in result["meta"]]
    if result["text"]:
        t = result["text"]
        lines.append(f"~ text: {t['old_length']} → {t['new_length']} chars, "
                     f"{len(t['removed_lines'])} line(s) out, {len(t['added_lines'])} in")
        lines.extend(f"    -{_short(x, 70)}" for x in t["removed_lines"][:3])
        lines.extend(f"    +{_short(x, 70)}" for x in t["added_lines"][:3])
    if result["warnings"]:
        lines.append(format_change("", result["warnings"]))
    lines.extend(f"- section {s}" for s in result["sections"]["removed"])
    lines.extend(f"+ section {s}" for s in result["sections"]["added"])
    tasks = result["tasks"]
    lines.extend(f"- task {t['id']} {_short(t['text'], 30)}" for t in tasks["removed"])
    lines.extend(f"+ task {t['id']} {_short(t['text'], 30)}" for t in tasks["added"])
    for ch in tasks["changed"]:
        name = _task_name(ch["old_id"], ch["new_id"]) + " "
        lines.extend(format_change(name, c) for c in ch["changes"])
    return lines + _format_corrections(result.get("corrections"))


def _correction_label(c: dict[str, Any]) -> str:
    what = " ".join(str(c[k]) for k in ("op", "role", "unit") if c.get(k) is not None)
    if c.get("to"):
        what += f"→{c['to']}"
    if c.get("date"):
        what += f" {c['date']}"
    return f"task {c.get('task')}: {what} ({c.get('status')})"


def _format_corrections(corr: dict[str, Any] | None) -> list[str]:
    """The reviewers' corrections, after and apart from the parser's changes, each line marked ``✎``."""
    if not corr:
        return []
    lines = [f"✎ - correction {_correction_label(c)}" for c in corr["log"]["removed"]]
    lines += [f"✎ + correction {_correction_label(c)}" for c in corr["log"]["added"]]
    lines += [f"✎ - task {t['id']} {_short(t['text'], 30)} (not a task, by correction)" for t in corr["not_a_task"]]
    lines += [f"✎ + task {t['id']} {_short(t['text'], 30)} (no longer marked not a task)" for t in corr["restored"]]
    for ch in corr["changed"]:
        name = _task_name(ch["old_id"], ch["new_id"]) + " "
        lines.extend("✎ " + format_change(name, c) for c in ch["changes"])
    return lines


def format_text(result: dict[str, Any]) -> str:
    """The readable form: one line per change; nothing when equal."""
    if result["kind"] == "file":
        lines = format_notice(result["notice"])
    else:
        lines = [f"- notice {k}" for k in result["removed"]] + [f"+ notice {k}" for k in result["added"]]
        for n in result["changed"]:
            name = n["new"] if n["old"] == n["new"] else f"{n['old']} → {n['new']}"
            lines.append(f"@@ {name}")
            lines.extend("  " + line for line in format_notice(n))
    return "\n".join(lines) + ("\n" if lines else "")


# ---------------------------------------------------------------- command


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="notice JSON, notices.jsonl or output folder")
    p.add_argument("new", metavar="NEW", help="the same kind of output to compare with")
    p.add_argument("--json", action="store_true", help="print the differences as JSON")
    p.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)


def main(args: argparse.Namespace) -> int:
    """Exit 0 when equal, 1 when they differ, 2 when an input cannot be read."""
    try:
        result = diff_paths(args.old, args.new)
    except NoticeError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_text(result))
        if result["equal"]:
            print(f"no differences ({_count(result)})", file=sys.stderr)
    return 0 if result["equal"] else 1


def _count(result: dict[str, Any]) -> str:
    return "1 notice" if result["kind"] == "file" else f"{result['compared']} notice(s)"


if __name__ == "__main__":  # pragma: no cover
    ns = argparse.ArgumentParser(prog="notice-parser diff")
    configure(ns)
    sys.exit(main(ns.parse_args()))
