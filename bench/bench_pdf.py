"""A 20-page PDF notice: our reader against pdfplumber's own ``extract_text``.

The PDF is built here (fpdf2 and a system CJK font) from the project's seed notice,
repeated until it fills 20 pages, so the figure needs nothing from ../shared. Our
reader does more (running headers, wrapped lines, tables from characters); the
overhead should stay under 30 %.

    python -m bench.bench_pdf
"""

from __future__ import annotations

import statistics
import tempfile
import time
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

    read_pdf(data, Limits())


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


def main() -> None:
    r = measure()
    print(f"{r['pages']}-page PDF: read_pdf {r['ours_s'] * 1000:.0f} ms, pdfplumber extract_text "
          f"{r['plumber_s'] * 1000:.0f} ms, overhead {r['overhead'] * 100:+.1f} % (target < 30 %)")


if __name__ == "__main__":
    main()
