"""``make bench``: the project's speed on this machine, against the targets of the issue.

1. median time to parse the seed notice in process: the issue's seed (天政办发〔2017〕137号,
   from ../shared where it exists) and our own notice written after it (corpus/), and the
   mean time per parse with the cyclic garbage collector running and paused;
2. start-up of ``notice-parser parse`` on one file (subprocess, median of 5);
3. ``notice-parser batch`` over 2,000 notices copied from corpus/ into bench/work/,
   with --jobs 1 and with every core, and where the batch's time went (--stats);
4. parse time against notice size (1x, 10x, 100x the seed's task section);
5. ``python -m bench.bench_deadlines`` when it exists;
6. a 20-page PDF: our reader (pdfplumber engine) against pdfplumber's own ``extract_text``;
   the seed's PDF renderings: pypdfium2's own text-and-boxes extraction against our parse
   with each engine; ``batch`` over 500 distinct PDFs with --jobs 1 and every core, with
   the peak memory per worker (bench/bench_pdf.py).

Prints a table and writes bench/results/latest.md. Wall times on a shared machine
swing with its load, so the load average and CPU seconds are reported beside them.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import bench_linear

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results" / "latest.md"
N_BATCH = 2000
BIN = Path(sys.executable).parent


ISSUE_SEED = ROOT.parent / "shared" / "corpus" / "tianshui_2017_137.txt"
"""The issue's seed notice, 天政办发〔2017〕137号 (in ../shared, so measured only where it exists)."""
OWN_SEED = ROOT / "corpus" / "seed_lines_city.txt"
"""Our own notice written after it: the seed a fresh clone has."""


def seed_parse_ms(path: Path | None = None, runs: int = 300, cold: bool = False) -> float:
    """Median wall time of ``parse_bytes`` on one notice, in ms (after 5 warm-up parses).

    ``cold``: the memos earlier parses fill (``parser.clear_memos``) are emptied before
    each parse, as for the first notice a process sees; otherwise the notice finds its
    own unit lists and phrases memoized, as a batch of one government's notices does.
    """
    from parser import clear_memos, parse_bytes

    path = path or bench_linear.seed_path()
    data, name = path.read_bytes(), path.name
    for _ in range(5):
        parse_bytes(data, name)
    times = []
    for _ in range(runs):
        if cold:
            clear_memos()
        t0 = time.perf_counter()
        parse_bytes(data, name)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def seeds() -> list[tuple[str, Path]]:
    found = [("seed 天政办发〔2017〕137号 (../shared)", ISSUE_SEED)] if ISSUE_SEED.exists() else []
    return [*found, ("seed_lines_city.txt (corpus/)", OWN_SEED)]


def collector_effect(path: Path, runs: int = 600) -> tuple[float, float]:
    """Mean ms per parse, the loop's own garbage collections included, with the cyclic
    collector running through each parse and with it paused (``parser._GcPaused``)."""
    import parser
    from parser import parse_bytes

    class _Running:
        __slots__ = ("was_enabled",)

        def __enter__(self) -> None:
            return None

        def __exit__(self, *exc: object) -> None:
            return None

    data, name = path.read_bytes(), path.name
    paused = parser._GcPaused
    means = []
    for pause in (_Running, paused):
        parser._GcPaused = pause  # type: ignore[misc]
        try:
            for _ in range(30):
                parse_bytes(data, name)
            t0 = time.perf_counter()
            for _ in range(runs):
                parse_bytes(data, name)
            means.append((time.perf_counter() - t0) / runs * 1000)
        finally:
            parser._GcPaused = paused  # type: ignore[misc]
    return means[0], means[1]


def cli_startup_s(runs: int = 5) -> float:
    exe = BIN / "notice-parser"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "parser.cli"]
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([*cmd, "parse", str(bench_linear.seed_path()), "-o", out], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def build_batch_inputs(n: int = N_BATCH) -> Path:
    """n notices copied round-robin from corpus/*.txt, 200 to a folder."""
    src = WORK / "src"
    if src.exists() and sum(1 for _ in src.rglob("*.txt")) == n:
        return src
    shutil.rmtree(src, ignore_errors=True)
    corpus = sorted((ROOT / "corpus").glob("*.txt")) or sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))
    for i in range(n):
        f = corpus[i % len(corpus)]
        folder = src / f"d{i // 200:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, folder / f"{i:04d}_{f.name}")
    return src


def run_batch(src: Path, jobs: int, force: bool = True) -> dict:
    out = WORK / f"out_jobs{jobs}"
    cmd = [sys.executable, "-m", "parser.cli", "batch", str(src), "-o", str(out), "--jobs", str(jobs),
           *(["--force"] if force else []), "-q", "--stats"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stats = {}
    for line in proc.stderr.splitlines():
        if line.startswith("stats: "):
            stats = json.loads(line[len("stats: "):])
    n = stats.get("counts", {}).get("parsed", 0) or stats.get("counts", {}).get("skipped", 0)
    return {"jobs": jobs, "wall": wall, "cpu": cpu, "rate": n / wall if wall else 0.0, "n": n,
            "rc": proc.returncode, "stats": stats}


def run_deadlines() -> str:
    if not (ROOT / "bench" / "bench_deadlines.py").exists():
        return "absent"
    proc = subprocess.run([sys.executable, "-m", "bench.bench_deadlines"], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=900)
    print("\n".join(proc.stdout.splitlines()[-8:]))
    return "ran (bench/results/deadlines_vs_jionlp.md)" if proc.returncode == 0 else f"failed (exit {proc.returncode})"


def breakdown(b: dict) -> list[str]:
    """Where one batch run spent its time (parent-side phases; parse is summed over workers)."""
    sec = b["stats"].get("seconds", {})
    n = max(b["n"], 1)
    order = ["worker_start", "warm_up", "parse_in_workers", "receive", "cache_write", "manifest", "load_cache",
             "units_index", "aggregates", "parquet", "run"]
    lines = [f"| {k} | {sec[k]:.3f} | {sec[k] / n * 1000:.3f} |" for k in order if k in sec]
    return [f"| phase (jobs={b['jobs']}) | seconds | ms per notice |", "|---|---:|---:|", *lines]


def main() -> None:
    cores = os.cpu_count() or 1
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {cores} cores, load average {load[0]:.1f}", flush=True)
    seed_ms = [(label, seed_parse_ms(path)) for label, path in seeds()]
    for label, ms in seed_ms:
        print(f"{label} parse: {ms:.2f} ms", flush=True)
    seed_label, seed = seeds()[0]
    cold_ms = seed_parse_ms(seed, cold=True)
    print(f"{seed_label} parse with memos cleared: {cold_ms:.2f} ms", flush=True)
    running, paused = collector_effect(seed)
    print(f"collector running {running:.2f} ms, paused {paused:.2f} ms (mean per parse)", flush=True)
    startup = cli_startup_s()
    print(f"parse CLI start-up: {startup:.3f} s", flush=True)
    src = build_batch_inputs()
    batches = [run_batch(src, 1)]
    if cores > 1:
        batches.append(run_batch(src, cores))
    rerun = run_batch(src, cores, force=False)
    print(f"batch re-run, nothing changed: {rerun['wall']:.2f} s", flush=True)
    for b in batches:
        print(f"batch --jobs {b['jobs']}: {b['rate']:.0f} notices/s ({b['wall']:.2f} s wall, {b['cpu']:.2f} s CPU)",
              flush=True)
    linear = bench_linear.measure()
    for r in linear:
        print(f"{r['factor']}x seed: {r['seconds'] * 1000:.1f} ms ({r['ratio']:.1f}x)", flush=True)
    deadlines = run_deadlines()
    from bench import bench_pdf

    pdf = bench_pdf.measure_or_why()
    if isinstance(pdf, str):
        print(f"20-page PDF: {pdf}", flush=True)
    else:
        print(f"{pdf['pages']}-page PDF: read_pdf {pdf['ours_s'] * 1000:.0f} ms vs extract_text "
              f"{pdf['plumber_s'] * 1000:.0f} ms ({pdf['overhead'] * 100:+.1f} %)", flush=True)
    pdf_files = bench_pdf.seed_pdfs(WORK)
    engines = bench_pdf.measure_engines(pdf_files)
    for e in engines:
        print(f"{e['file']}: pypdfium2 own {e['pypdfium2_ms']:.1f} ms, parse pdfium {e['pdfium_ms']:.1f} ms "
              f"({e['ratio']:.2f}x), parse pdfplumber {e['pdfplumber_ms']:.1f} ms", flush=True)
    pdf_batches = bench_pdf.batch_pdfs(pdf_files, WORK)
    for b in pdf_batches:
        print(f"batch {bench_pdf.N_BATCH} PDFs --jobs {b['jobs']}: {b['rate']:.1f} PDFs/s, peak "
              f"{b['worker_peak_mib']:.0f} MiB per worker", flush=True)
    best = max(batches, key=lambda b: b["rate"])
    ratio100 = linear[-1]["ratio"]
    rows = [
        *[(f"{label}, parse median", f"{ms:.2f} ms", "< 2 ms", ms < 2) for label, ms in seed_ms],
        (f"{seed_label}, parse median, memos cleared before each parse (a first notice)",
         f"{cold_ms:.2f} ms", "", None),
        (f"{seed_label}, mean per parse: collector running vs paused",
         f"{running:.2f} ms vs {paused:.2f} ms ({(paused / running - 1) * 100:+.0f} %)", "", None),
        ("`notice-parser parse` one file, median of 5", f"{startup:.3f} s", "< 0.5 s", startup < 0.5),
        *[(f"batch {N_BATCH} notices, --jobs {b['jobs']}", f"{b['rate']:.0f} notices/s "
           f"({b['wall']:.1f} s wall, {b['cpu'] / max(b['n'], 1) * 1000:.1f} ms CPU/notice)",
           "≥ 500/s all cores" if b is batches[-1] else "", b["rate"] >= 500 if b is batches[-1] else None)
          for b in batches],
        (f"batch re-run of the {N_BATCH}, nothing changed", f"{rerun['wall']:.2f} s wall "
         f"({rerun['stats'].get('counts', {}).get('skipped', 0)} skipped)", "", None),
        *[(f"{r['factor']}x seed ({r['tasks']} tasks)", f"{r['seconds'] * 1000:.1f} ms = {r['ratio']:.1f}x seed",
           "100x < 120x" if r["factor"] == 100 else "", ratio100 < 120 if r["factor"] == 100 else None)
          for r in linear],
        ("20-page PDF, read_pdf (pdfplumber engine) vs pdfplumber extract_text", pdf, "< +30 %", None)
        if isinstance(pdf, str) else
        (f"{pdf['pages']}-page PDF, read_pdf (pdfplumber engine) vs pdfplumber extract_text",
         f"{pdf['ours_s'] * 1000:.0f} ms vs {pdf['plumber_s'] * 1000:.0f} ms ({pdf['overhead'] * 100:+.1f} %)",
         "< +30 %", pdf["overhead"] < 0.30),
        *[(f"{e['file']}: parse with pdfium (default) vs pypdfium2's own text and boxes; with pdfplumber",
           f"{e['pdfium_ms']:.1f} ms vs {e['pypdfium2_ms']:.1f} ms = {e['ratio']:.2f}x; {e['pdfplumber_ms']:.1f} ms",
           "≤ 2x", e["ratio"] <= 2.0) for e in engines],
        *[(f"batch {bench_pdf.N_BATCH} PDFs (pdfium), --jobs {b['jobs']}",
           f"{b['rate']:.1f} PDFs/s ({b['wall']:.1f} s wall), peak {b['worker_peak_mib']:.0f} MiB per worker"
           + ("" if b["rc"] == 0 else f", exit {b['rc']}"), "", None) for b in pdf_batches],
        ("bench_deadlines", deadlines, "", None),
    ]
    table = ["| measure | result | target | met |", "|---|---|---|---|"]
    table += [f"| {m} | {v} | {t} | {'' if ok is None else ('yes' if ok else 'no')} |" for m, v, t, ok in rows]
    text = "\n".join([
        "# Benchmarks (`make bench`)", "",
        f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
        f"load average {load[0]:.1f} at start (wall times swing with it).", "",
        *table, "", f"Where the batch time went (best run: {best['rate']:.0f} notices/s):", "",
        *breakdown(best), "",
    ])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print()
    print(text)


if __name__ == "__main__":
    main()
