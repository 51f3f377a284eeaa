"""Task keys: what a tracker upserts on, the same for the same task across runs and versions.

A key is ``<notice>:<path>``:

- ``<notice>`` is the document number as written (天政办发〔2017〕137号), folded (full-width
  forms, bracket variants, traditional characters, spaces); the same notice read from a
  PDF, a .docx or a text file then gives the same keys. A notice without a document
  number uses ``text-`` and 16 hex digits of the SHA-256 of its match text without
  white space (full-width forms, punctuation variants and traditional characters
  folded), so line wraps and spacing a reader renders differently do not move it.
- ``<path>`` is the numbers of the enclosing sections' markers and the task's own
  number (``二/一/3``): what a reader of the notice would cite. A section title the
  parser now reads differently, a new field, another parser version leave it alone.
  A path element that is not a numbered heading (a table's group row) contributes its
  first words; a task without a number contributes ``~`` and a hash of its first words.
- Two tasks that would share a key (a table's sub-rows under one number) are told
  apart by the hash of their first words, then by ``#2``, ``#3`` in document order.

The first words, not the whole text: where a task's words end (an assignment line
now recognised, a table cell now joined) is what a better parser changes most.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

import regex

from parser.lines import Line
from parser.outline import match_marker
from parser.textnorm import match_text

FIRST_WORDS = 24
"""How many letters/digits of a task's words its fallback hash reads."""
MAX_DOC_NUMBER = 60
"""A longer document number is hashed, so that keys stay within the SQL key column."""
LABEL_WORDS = 12
"""How many letters/digits of an unnumbered path element stand for it."""

_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")
_BRACKETS = str.maketrans({"(": "〔", "[": "〔", ")": "〕", "]": "〕", "〔": "〔", "〕": "〕"})


def words(text: str) -> str:
    """Letters and digits of ``text``, full-width and traditional forms folded."""
    return _NOT_WORD.sub("", match_text(text))


def _short_hash(text: str, n: int = 10) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def notice_part(doc_number: str | None, mtext: str) -> str:
    """The notice half of every key: its folded document number, else a hash of its words.

    ``mtext`` is the notice's match text (``textnorm.normalize``), already folded.
    """
    if doc_number:
        folded = "".join(match_text(doc_number).split()).translate(_BRACKETS)
        if len(folded) > MAX_DOC_NUMBER:  # not a document number one would cite: keep keys short
            return "dn-" + _short_hash(folded, 16)
        if folded:
            return folded
    return "text-" + _short_hash("".join(mtext.split()), 16)  # split/join: a tenth of a regex pass


@lru_cache(maxsize=4096)
def _path_element(label: str) -> str:
    """A section label as a key element: its marker's number, else its first words
    (memoized: every task under a heading asks for the same label)."""
    mtext = match_text(label)
    head = match_marker(Line(-1, 0, len(label), label, mtext))
    if head is not None:
        return head.number
    return words(label)[:LABEL_WORDS] or "~"


@lru_cache(maxsize=4096)
def _number_words(number: str) -> str:
    return words(number)


def _first_words(text: str) -> str:
    """The task's first FIRST_WORDS letters/digits (only a prefix is folded: tasks can be long)."""
    return _prefix_words(text[: FIRST_WORDS * 4])


@lru_cache(maxsize=4096)
def _prefix_words(prefix: str) -> str:
    """``_first_words`` of a task's prefix, memoized: repeated tasks (sub-rows under one
    number, a section pasted twice) are told apart by it, each repeat folding it again."""
    return words(prefix)[:FIRST_WORDS]


def _task_element(number: str | None, text: str) -> str:
    if number:
        num = _number_words(number)
        if num:
            return num
    return "~" + _short_hash(_first_words(text), 8)


def task_keys(notice: str, tasks: Iterable[dict]) -> list[str]:
    """The keys of a notice's tasks (field dicts with ``number``, ``section_path``, ``text``),
    in order, unique within the notice."""
    tasks = list(tasks)
    prefixes: dict[tuple[str, ...], str] = {}  # the tasks under one section share its path
    bases: list[str] = []
    for t in tasks:
        path = tuple(t.get("section_path") or ())
        prefix = prefixes.get(path)
        if prefix is None:
            prefix = prefixes[path] = notice + ":" + "".join([_path_element(p) + "/" for p in path])
        bases.append(prefix + _task_element(t.get("number"), t.get("text") or ""))
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    keys: list[str] = []
    seen: set[str] = set()
    next_k: dict[str, int] = {}  # where the #k search resumes: from 2 each time was quadratic in repeats
    for base, t in zip(bases, tasks, strict=True):
        cand = base
        if counts[base] > 1 and not base.rsplit("/", 1)[-1].split(":")[-1].startswith("~"):
            cand = f"{base}~{_short_hash(_first_words(t.get('text') or ''), 6)}"
        unique = cand
        if unique in seen:
            k = next_k.get(cand, 2)  # every #k below it is taken already
            unique = f"{cand}#{k}"
            while unique in seen:
                k += 1
                unique = f"{cand}#{k}"
            next_k[cand] = k + 1
        seen.add(unique)
        keys.append(unique)
    return keys


def assign_keys(tasks: list[dict], doc_number: str | None, mtext: str) -> None:
    """Set ``key`` on each task field dict, in place (``mtext``: the notice's match text)."""
    notice = notice_part(doc_number, mtext)
    for task, key in zip(tasks, task_keys(notice, tasks), strict=True):
        task["key"] = key


def ensure_keys(notice) -> None:  # type: ignore[no-untyped-def]
    """Give a ``schemas.notice.Notice`` read from an older record (before keys) its tasks' keys, in place."""
    if all(t.key for t in notice.tasks):
        return
    dn = notice.meta.doc_number.text if notice.meta.doc_number else None
    fields = [{"number": t.number, "section_path": t.section_path, "text": t.text} for t in notice.tasks]
    for task, key in zip(notice.tasks, task_keys(notice_part(dn, match_text(notice.text)), fields), strict=True):
        task.key = key
