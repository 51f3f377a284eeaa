"""PDF speed: the two engines against the libraries' own extraction, and batches of PDFs.

1. ``measure``: a 20-page PDF notice, our reader with the pdfplumber engine against
   pdfplumber's own ``extract_text``. The PDF is built here (fpdf2 and a system CJK font)
   from the project's seed notice, repeated until it fills 20 pages, so the figure needs
   nothing from ../shared. Our reader does more (running headers, wrapped lines, tables
   from characters); the overhead should stay under 30 %.
2. ``measure_engines``: on the same files in one run, pypdfium2's own text-and-boxes
   extraction (the text of every page and the box of every character), and ``parse_bytes``
   with each engine; the default engine (pdfium) should take at most twice pypdfium2's own
   extraction. The files are the seed's renderings in ../shared (or the 20-page PDF). The
   engine's glyph reader is printed with them: its compiled helper, or ctypes and why.
3. ``batch_pdfs``: ``notice-parser batch`` over 500 PDFs (the renderings copied, each made
   distinct by a trailing comment so its sha256 differs), with --jobs 1 and every core,
   with the peak memory (VmHWM) of each worker process.

    python -m bench.bench_pdf
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = 20


def build_pdf(out: Path, pages: int = PAGES) -> int:
    """Write a notice of at least ``pages`` pages; return its page count."""
    import pdfplumber

    from tests.fixtures import NO_FONT, cjk_font, render_pdf

    font = cjk_font()
    if font is None:
        raise SystemExit(NO_FONT)
    lines = (ROOT / "corpus" / "seed_lines_city.txt").read_text(encoding="utf-8").splitlines()
    repeat = 1
    while True:
        render_pdf(lines * repeat, out, font)
        with pdfplumber.open(str(out)) as pdf:
            n = len(pdf.pages)
        if n >= pages:
            return n
        repeat = max(repeat + 1, int(repeat * pages / max(n, 1)))


def _plumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def _ours(data: bytes) -> None:
    from parser.limits import Limits
    from parser.readers.pdf import read_pdf

    read_pdf(data, Limits(), "pdfplumber")


def measure(runs: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        path = Path(tmp) / "notice.pdf"
        pages = build_pdf(path)
        data = path.read_bytes()
        plumber, ours = [], []
        for _ in range(runs):
            t = time.perf_counter()
            _plumber(path)
            plumber.append(time.perf_counter() - t)
            t = time.perf_counter()
            _ours(data)
            ours.append(time.perf_counter() - t)
    p, o = statistics.median(plumber), statistics.median(ours)
    return {"pages": pages, "plumber_s": p, "ours_s": o, "overhead": o / p - 1}


SEEDS = [ROOT.parent / "shared" / "corpus" / "rendered" / f"tianshui_2017_137.{kind}.pdf" for kind in ("para", "table")]
N_BATCH = 500


def _pypdfium2_own(data: bytes) -> None:
    """pypdfium2's own extraction: the text of every page and the box of every character."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            for i in range(textpage.count_chars()):
                textpage.get_charbox(i)
            textpage.close()
            page.close()
    finally:
        pdf.close()


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm: imports, fonts, memos
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def seed_pdfs(tmp: Path) -> list[Path]:
    """The seed's renderings from ../shared, or the 20-page PDF built here on a fresh clone."""
    found = [p for p in SEEDS if p.exists()]
    if found:
        return found
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "notice.pdf"
    build_pdf(path)
    return [path]


def measure_engines(files: list[Path], runs: int = 7) -> list[dict[str, float | str]]:
    """Median ms per file: pypdfium2's own extraction and ``parse_bytes`` with each engine,
    interleaved file by file so the machine's load swings alike on all three."""
    from parser import parse_bytes
    from parser.options import ParseOptions

    out = []
    for path in files:
        data = path.read_bytes()
        row: dict[str, float | str] = {"file": path.name}
        row["pypdfium2_ms"] = _median_ms(lambda data=data: _pypdfium2_own(data), runs)
        for engine in ("pdfium", "pdfplumber"):
            opts = ParseOptions(pdf_engine=engine)
            row[f"{engine}_ms"] = _median_ms(lambda data=data, opts=opts: parse_bytes(data, "x.pdf", opts),
                                             runs if engine == "pdfium" else max(3, runs // 2))
        row["ratio"] = float(row["pdfium_ms"]) / float(row["pypdfium2_ms"])
        out.append(row)
    return out


def build_batch(files: list[Path], folder: Path, n: int = N_BATCH) -> Path:
    """n PDFs copied round-robin from ``files``, each with a trailing comment of its own."""
    if folder.exists() and sum(1 for _ in folder.rglob("*.pdf")) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    datas = [f.read_bytes() for f in files]
    for i in range(n):
        sub = folder / f"d{i // 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:04d}_{files[i % len(files)].name}").write_bytes(datas[i % len(datas)] + f"\n% copy {i}\n".encode())
    return folder


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parents.items() if pp == p]
        found.update(kids)
        todo.extend(kids)
    return found


def _peak_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run_batch(src: Path, out: Path, jobs: int, engine: str = "pdfium") -> dict[str, float]:
    """One ``notice-parser batch`` run; the peak resident memory of each of its worker
    processes is sampled from /proc while it runs (VmHWM: the high-water mark)."""
    cmd = [sys.executable, "-m", "parser.cli", "batch", str(src), "-o", str(out), "--jobs", str(jobs), "--force",
           "-q", "--pdf-engine", engine]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, int] = {}
    parent_peak = 0
    while proc.poll() is None:
        for pid in _descendants(proc.pid):
            kib = _peak_kib(pid)
            if kib:
                peaks[pid] = max(peaks.get(pid, 0), kib)
        parent_peak = max(parent_peak, _peak_kib(proc.pid) or 0)
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    err = proc.stderr.read() if proc.stderr else ""
    n = len(list((out).rglob("*.json"))) if out.exists() else 0
    workers = sorted(peaks.values())
    return {"jobs": jobs, "wall": wall, "rate": N_BATCH / wall if wall else 0.0, "rc": proc.returncode,
            "worker_peak_mib": (workers[-1] / 1024) if workers else parent_peak / 1024,
            "workers": len(workers), "parent_peak_mib": parent_peak / 1024, "outputs": n, "stderr": err[-300:]}


def batch_pdfs(files: list[Path], work: Path) -> list[dict[str, float]]:
    src = build_batch(files, work / "pdf_src")
    cores = os.cpu_count() or 1
    return [run_batch(src, work / f"pdf_out_jobs{j}", j) for j in sorted({1, cores})]


def measure_or_why(runs: int = 3) -> dict[str, float] | str:
    """``measure``, or why it could not run (pdfminer reads no text of some fonts fpdf2
    embeds, e.g. Noto CJK's OpenType-CFF collections, when that is the system's CJK font)."""
    from parser.errors import NoticeError

    try:
        return measure(runs)
    except NoticeError as exc:
        return f"not measured: {exc}"


def glyph_reader() -> str:
    """How the pdfium engine reads glyphs here: its compiled helper, or ctypes and why."""
    from parser.readers.pdfium import glyph_reader as how

    return how()


def main() -> None:
    r = measure_or_why()
    if isinstance(r, str):
        print(f"20-page PDF: {r}")
    else:
        print(f"{r['pages']}-page PDF: read_pdf (pdfplumber engine) {r['ours_s'] * 1000:.0f} ms, pdfplumber "
              f"extract_text {r['plumber_s'] * 1000:.0f} ms, overhead {r['overhead'] * 100:+.1f} % (target < 30 %)")
    print(f"pdfium engine's glyph reader: {glyph_reader()}")
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        files = seed_pdfs(Path(tmp))
        for row in measure_engines(files):
            print(f"{row['file']}: pypdfium2 own {row['pypdfium2_ms']:.1f} ms, parse pdfium {row['pdfium_ms']:.1f} ms "
                  f"({row['ratio']:.2f}x, target <= 2x), parse pdfplumber {row['pdfplumber_ms']:.1f} ms")
        for b in batch_pdfs(files, Path(tmp)):
            print(f"batch {N_BATCH} PDFs --jobs {b['jobs']}: {b['rate']:.1f} PDFs/s ({b['wall']:.1f} s), peak "
                  f"{b['worker_peak_mib']:.0f} MiB per worker ({b['workers']} workers), exit {b['rc']}")


if __name__ == "__main__":
    main()
