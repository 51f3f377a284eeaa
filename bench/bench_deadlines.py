"""Our deadline grammar against JioNLP's ``parse_time``, phrase by phrase.

Run: ``.venv/bin/python -m bench.bench_deadlines``. Phrases: every gold ``deadline_text``
of ../shared/corpus/gold (with the gold notice date), plus deadline-looking phrases of
../shared/corpus/unlabelled/*.txt and of the project's corpus/ (cells that read as a
whole deadline, else what ``find_deadline_clause`` finds in each sentence). Writes
bench/results/deadlines_vs_jionlp.md and prints the same table.

JioNLP answers "which time span does this string name"; it has no notion of 持续推进,
按…要求同步推进 or several milestones, so such phrases are "not comparable". For the
rest we compare our first dated milestone with the end (or, for starts, the beginning)
of JioNLP's span.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import regex

from parser import deadlines
from parser.deadlines import find_deadline_clause, parse_deadline
from schemas.notice import Milestone

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "results" / "deadlines_vs_jionlp.md"
DEFAULT_BASE = date(2020, 1, 1)
DATED = ("by", "start", "range")
CELL_SPLIT = regex.compile(r"[|│┃\t]|。|\n| {2,}")


@dataclass
class Phrase:
    text: str
    base: date | None
    source: str
    gold: list[tuple[str, str | None]] | None = None


@dataclass
class Outcome:
    counts: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[str, str, str]] = field(default_factory=list)


def _year_of(name: str) -> date | None:
    found = regex.search(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)", name)
    return date(int(found.group()), 1, 1) if found else None


def gold_phrases() -> list[Phrase]:
    out = []
    for path in sorted((SHARED / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        issue = (gold.get("meta") or {}).get("issue_date")
        base = date.fromisoformat(issue) if issue else None
        for task in gold.get("tasks", []):
            if task.get("deadline_text"):
                want = [(m["kind"], m.get("date")) for m in task.get("deadline") or []]
                out.append(Phrase(task["deadline_text"], base, "gold", want))
    return out


def _reads_whole(cell: str) -> bool:
    """A short table cell that is nothing but a deadline (持续推进, 12月底前)."""
    if not 2 <= len(cell) <= 30:
        return False
    ms = parse_deadline(cell, 0).milestones
    if any(m.kind in ("unknown", *DATED) for m in ms):
        return False  # dated cells must pass the clause finder (a bare date is not a deadline)
    covered = sum(m.span[1] - m.span[0] for m in ms if m.span)
    return covered >= 0.6 * len(cell)


def text_phrases() -> list[Phrase]:
    files = sorted((SHARED / "unlabelled").glob("*.txt"))
    project = ROOT / "corpus"
    if project.is_dir():
        files += sorted(project.rglob("*.txt"))
    out = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        base = _year_of(path.name)
        source = "unlabelled" if SHARED in path.parents else "corpus"
        for raw in CELL_SPLIT.split(text):
            cell = raw.strip(" ,，;；、()（）")
            if not cell:
                continue
            if _reads_whole(cell):
                out.append(Phrase(cell, base, source))
                continue
            found = find_deadline_clause(cell, 0)
            if found:
                out.append(Phrase(found[0], base, source))
    return out


def table_phrases() -> list[Phrase]:
    """The hand-written phrase tables of tests/test_deadlines.py (notice date 2017-08-24)."""
    path = ROOT / "tests" / "test_deadlines.py"
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location("_deadline_tables", path)
    if spec is None or spec.loader is None:
        return []
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = [*module.BY_TABLE, *module.START_RANGE_TABLE, *module.TRADITIONAL]
    return [Phrase(text, module.NOTICE, "tests") for text, _ in rows if text]


def _dedupe(phrases: list[Phrase]) -> list[Phrase]:
    seen: set[tuple[str, date | None, str]] = set()
    out = []
    for p in phrases:
        key = (p.text, p.base, p.source)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def load_jionlp() -> tuple[Any, str]:
    """(parse_time or None, version or the reason it is unavailable)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp
    except Exception as exc:  # any import failure means "not available"
        return None, f"unavailable ({type(exc).__name__}: {exc})"
    return jionlp.parse_time, getattr(jionlp, "__version__", "?")


def _jio(parse_time: Any, phrase: Phrase) -> dict[str, Any] | None:
    base = phrase.base or DEFAULT_BASE
    stamp = time.mktime(datetime(base.year, base.month, base.day).timetuple())
    logging.disable(logging.CRITICAL)  # JioNLP logs a traceback for every phrase it cannot read
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            return parse_time(phrase.text, time_base=stamp)
    except Exception:  # JioNLP raises ValueError and others on what it cannot read
        return None
    finally:
        logging.disable(logging.NOTSET)


def _first_dated(ms: list[Milestone]) -> Milestone | None:
    return next((m for m in ms if m.kind in DATED and (m.date or m.start)), None)


def compare(ours: list[Milestone], jio: dict[str, Any] | None) -> tuple[str, str]:
    """(category, JioNLP's answer as a short string)."""
    mine = _first_dated(ours)
    if mine is None:
        return "not comparable", (jio or {}).get("type", "failed")
    if jio is None:
        return "JioNLP failed", "failed"
    value = jio.get("time")
    if jio.get("type") not in ("time_point", "time_span") or not isinstance(value, list):
        return "different", str(jio.get("type"))
    begin, end = str(value[0])[:10], str(value[-1])[:10]
    if mine.date:
        return ("same date" if end == mine.date else "different"), end
    return ("same date" if begin == mine.start else "different"), begin


def _time_ours(phrases: list[Phrase], rounds: int = 20) -> float:
    """Mean µs per phrase with the phrase cache cleared each round (a cold parse)."""
    best = float("inf")
    for _ in range(rounds):
        deadlines._specs.cache_clear()
        t0 = time.perf_counter()
        for p in phrases:
            parse_deadline(p.text, 0, p.base)
        best = min(best, time.perf_counter() - t0)
    return best / max(len(phrases), 1) * 1e6


def _time_finder() -> tuple[float, int]:
    """ms per 15 KB of notice text for find_deadline_clause over every sentence."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((SHARED / "unlabelled").glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    sentences = [s for text in texts for s in regex.finditer(r"[^。\n]+", text)]
    spent = float("inf")
    for _ in range(7):  # best of 7: the machine is shared
        t0 = time.perf_counter()
        for sentence in sentences:
            find_deadline_clause(sentence.group(), sentence.start())
        spent = min(spent, time.perf_counter() - t0)
    return spent / max(chars, 1) * 15000 * 1e3, chars


def run() -> str:
    if not SHARED.is_dir():
        return "../shared/corpus is absent: nothing to compare.\n"
    gold = gold_phrases()
    found = _dedupe(text_phrases())
    phrases = gold + found + _dedupe(table_phrases())
    parse_time, jio_version = load_jionlp()
    table: dict[str, Outcome] = {"gold": Outcome(), "unlabelled+corpus": Outcome(), "tests": Outcome()}
    gold_hits = Counter()
    jio_time = 0.0
    for p in phrases:
        ours = parse_deadline(p.text, 0, p.base).milestones
        t0 = time.perf_counter()
        jio = _jio(parse_time, p) if parse_time else None
        jio_time += time.perf_counter() - t0
        category, answer = compare(ours, jio) if parse_time else ("JioNLP failed", "unavailable")
        bucket = table[p.source if p.source in table else "unlabelled+corpus"]
        bucket.counts[category] += 1
        if category in ("different", "JioNLP failed") and len(bucket.examples) < 25:
            mine = _first_dated(ours)
            bucket.examples.append((p.text[:30], f"{mine.kind} {mine.date or mine.start}" if mine else "-", answer))
        if p.gold is not None:
            gold_hits["ours"] += [(m.kind, m.date) for m in ours] == p.gold
            wanted = next((d for k, d in p.gold if k in DATED and d), None)
            if wanted is not None:
                gold_hits["dated"] += 1
                gold_hits["jio"] += compare(ours, jio)[1] == wanted if parse_time else 0
    ours_us = _time_ours(phrases)
    finder_ms, chars = _time_finder()
    return _report(table, gold_hits, len(gold), phrases, jio_version, ours_us,
                   jio_time / max(len(phrases), 1) * 1e6 if parse_time else None, finder_ms, chars)


def _report(table: dict[str, Outcome], gold_hits: Counter[str], n_gold: int, phrases: list[Phrase],
            jio_version: str, ours_us: float, jio_us: float | None, finder_ms: float, chars: int) -> str:
    cats = ["same date", "different", "JioNLP failed", "not comparable"]
    lines = [
        "# Deadline phrases: parser.deadlines vs JioNLP parse_time",
        "",
        f"Generated by `.venv/bin/python -m bench.bench_deadlines` on {date.today().isoformat()}; "
        f"JioNLP {jio_version}. {len(phrases)} phrases: gold = one row per gold task with a deadline "
        "(notice date from the gold meta); unlabelled+corpus = distinct phrases found in the unlabelled texts "
        "(short cells that read as a whole deadline, else `find_deadline_clause` per sentence; notice year "
        "from the file name); tests = the hand-written tables of tests/test_deadlines.py (notice 2017-08-24).",
        "",
        "Compared: our first dated milestone (by/start/range) against the end (start: the beginning) of "
        "JioNLP's span. *Not comparable*: we found no dated milestone (持续推进, 按…要求, 每季度 …), kinds "
        "JioNLP has no notion of.",
        "",
        "| phrases | " + " | ".join(cats) + " | total |",
        "|---|" + "---|" * (len(cats) + 1),
    ]
    for name, outcome in table.items():
        row = [str(outcome.counts.get(c, 0)) for c in cats]
        lines.append(f"| {name} | " + " | ".join(row) + f" | {sum(outcome.counts.values())} |")
    lines += [
        "",
        f"Gold agreement: ours {gold_hits['ours']}/{n_gold} phrases exactly (all milestones, kind and date); "
        f"JioNLP {gold_hits['jio']}/{gold_hits['dated']} of the gold phrases that have a date.",
        "",
        "| speed | per phrase |",
        "|---|---|",
        f"| ours, parse_deadline (cold cache, best of 20 rounds) | {ours_us:.1f} µs "
        f"(30 phrases, one notice's worth: {ours_us * 30 / 1000:.2f} ms) |",
        f"| JioNLP parse_time | {f'{jio_us:.0f} µs' if jio_us is not None else 'n/a'} |",
        f"| ours, find_deadline_clause over every sentence | {finder_ms:.2f} ms per 15 KB ({chars} chars timed) |",
        "",
        f"Load average while timing: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (timings scale with it).",
        "",
        "Disagreements (phrase cut at 30 characters | ours | JioNLP):",
        "",
    ]
    for name, outcome in table.items():
        for text, mine, theirs in outcome.examples:
            lines.append(f"- {name}: `{text}` | {mine} | {theirs}")
    if not any(o.examples for o in table.values()):
        lines.append("- none")
    return "\n".join(lines) + "\n"


def main() -> None:
    report = run()
    if SHARED.is_dir():  # never overwrite the committed results with an empty run
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
