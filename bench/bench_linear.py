"""Parse time against notice size: the seed notice, and the seed with its task section
repeated to 10x and 100x the tasks. Growth must be linear (100x under 120x the seed).

Run: ``.venv/bin/python -m bench.bench_linear``.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (ROOT.parent / "shared" / "corpus" / "tianshui_2017_137.txt", ROOT / "corpus" / "seed_lines_city.txt")
"""The issue's seed notice where ../shared exists, else our own notice written after it."""
FACTORS = (1, 10, 100)


def seed_path() -> Path:
    for path in SEEDS:
        if path.exists():
            return path
    raise SystemExit("no seed notice: corpus/seed_lines_city.txt is missing")


def seed_text() -> str:
    from parser.readers import read_file

    return read_file(seed_path()).text


def grown(text: str, factor: int) -> str:
    """The notice with the stretch from its first to its last task repeated ``factor`` times.

    Without tasks (the task stage not built yet) the body after the first line is repeated.
    """
    from parser import parse_text

    tasks = parse_text(text).tasks
    if tasks:
        start, end = min(t.span[0] for t in tasks), max(t.span[1] for t in tasks)
    else:
        start, end = text.find("\n") + 1, len(text)
    block = text[start:end].rstrip("\n") + "\n"
    return text[:start] + block * factor + text[end:].lstrip("\n")


def median_seconds(text: str, min_runs: int = 3, budget_s: float = 2.0) -> float:
    from parser import parse_text

    parse_text(text)
    times: list[float] = []
    t_end = time.perf_counter() + budget_s
    while len(times) < min_runs or (time.perf_counter() < t_end and len(times) < 200):
        t0 = time.perf_counter()
        parse_text(text)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure() -> list[dict[str, float]]:
    """One row per factor: characters, tasks, median seconds, ratio to the seed."""
    from parser import parse_text

    base = seed_text()
    rows: list[dict[str, float]] = []
    for factor in FACTORS:
        text = grown(base, factor)
        seconds = median_seconds(text)
        rows.append({"factor": factor, "chars": len(text), "tasks": len(parse_text(text).tasks), "seconds": seconds})
    for row in rows:
        row["ratio"] = row["seconds"] / rows[0]["seconds"]
    return rows


def main() -> None:
    print(f"{'size':>6} {'chars':>9} {'tasks':>6} {'median ms':>10} {'x seed':>7}")
    for r in measure():
        print(f"{r['factor']:>5}x {r['chars']:>9} {r['tasks']:>6} {r['seconds'] * 1000:>10.2f} {r['ratio']:>7.1f}")


if __name__ == "__main__":
    main()
