"""How far a task can be trusted: the checks that run after a task is built.

A wrong record without a warning is worse than a missing one, so every task carries a
``confidence`` (high | medium | low) with the reasons that lowered it, and each reason
that means "a person should look" is also a task warning. The checks read only the
built task, so they apply to every layout alike:

* the task's words: empty, or only a number (a table row whose cells slid);
* the unit-shape check: a unit must look like a body; one holding a label, a role verb
  or adverb, digits, a percentage or an unmatched bracket, or named like a place (…小区,
  …广场), is flagged;
* no unit at all, or a deadline phrase that could not be read;
* warnings the layout stage left on the item (a row whose cells could not be aligned).

Vocabularies (role verbs, labels, the words that never stand in a body's name) are the
data files the rest of the parser reads, plus ``parser/data/shape_checks.json``.
"""

from __future__ import annotations

from functools import cache, lru_cache

import regex

from parser.data import load_json

ROLE_KEYS = ("lead", "responsible", "cooperating")

# Reasons that make a task low: its words or its units are probably wrong.
LOW = ("task text is only a number", "task has no words of its own", "unit does not look like a body",
       "table row not aligned")
# Reasons that make it medium: something is missing or unread, nothing is known wrong.
MEDIUM = ("no unit assigned", "deadline not understood", "cut off by the end of the page",
          "unit cut off by the end of the page", "units read from the subjects", "units carried down")


@cache
def _shape_words() -> regex.Pattern[str]:
    """Words that never stand inside a body's name: role verbs, adverbs, labels."""
    verbs = load_json("role_verbs.json")
    labels = load_json("labels.json")
    extra = load_json("shape_checks.json")
    words = [w for role in ROLE_KEYS for w in verbs[role] if len(w) >= 2 and w not in extra["verbs_in_names"]]
    words += [w for role in (*ROLE_KEYS, "deadline") for w in labels[role] if len(w) >= 4]
    words += [w for w in labels["fields"] if len(w) >= 3]
    words += extra["never_in_names"]
    alt = "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return regex.compile(alt)


# A quantity (8950人, 80%, 3个) is a target or progress cell that slid into a unit column;
# a bare number inside a name (12345热线办) is not.
_DIGITS = regex.compile(r"[%％]|(?<![\d.])\d+(?:\.\d+)?\s*(?:个|项|年|月|日|元|万|亿|人|户|家|公里|场|次|座|台|套|亩|吨)")
_OPEN = "([（［【〔《"
_CLOSE = ")]）］】〕》"


def _balanced(name: str) -> bool:
    depth = 0
    for ch in name:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@lru_cache(maxsize=8192)
def unit_shape_problem(name: str) -> str | None:
    """Why ``name`` does not look like a body's name, or None when it does (kept per name:
    a notice repeats its unit names, and a batch its notices' names)."""
    if not name:
        return "empty"
    if not _balanced(name):
        return "unmatched bracket"
    if _DIGITS.search(name):
        return "digits"
    m = _shape_words().search(name)
    if m is not None:
        return f"holds {m.group()!r}"
    if len(name) > load_json("shape_checks.json")["max_name_length"]:
        return "too long for a name"
    if name.endswith(_place_endings()):
        return "names a place, not a body"
    return None


@cache
def _place_endings() -> tuple[str, ...]:
    return tuple(load_json("shape_checks.json")["place_endings"])


_ONLY_NUMBER = regex.compile(r"[\d\s.、,()（）-]+")


def _text_problem(text: str) -> str | None:
    words = text.strip()
    if not words:
        return "task has no words of its own"
    if len(words) <= _NUMBER_LEN and _ONLY_NUMBER.fullmatch(words):
        return "task text is only a number"
    return None


_NUMBER_LEN = 12
"""A task text longer than this is never a bare number worth testing."""


def assess(task: dict) -> dict:
    """The task's confidence, from its field dict; adds a warning for each doubt a
    person should check. Returns the ``Confidence`` field dict."""
    reasons: list[str] = []
    warnings: list[str] = task.setdefault("warnings", [])
    problem = _text_problem(task.get("text") or "")
    if problem and (task.get("lead") or task.get("responsible") or task.get("cooperating") or not warnings):
        reasons.append(problem)
        warnings.append(problem)
    for role in ROLE_KEYS:
        for unit in task.get(role, []):
            why = unit_shape_problem(unit["name"])
            if why is not None:
                reason = f"unit does not look like a body: {unit['text']} ({why})"
                reasons.append(reason)
                warnings.append(reason)
    for w in warnings:
        if w not in reasons and (w.startswith(LOW) or w.startswith(MEDIUM)):
            reasons.append(w)
    # Any reason lowers the task to medium at least (most tasks have none: no scan).
    level = "high"
    if reasons:
        level = "low" if any(r.startswith(LOW) for r in reasons) else "medium"
    return {"level": level, "reasons": reasons}


def summary(tasks: list[dict]) -> dict[str, int]:
    """Tasks per level, for the notice."""
    out = {"high": 0, "medium": 0, "low": 0}
    for t in tasks:
        out[t["confidence"]["level"]] += 1
    return out
