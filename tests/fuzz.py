"""Format-aware mutation fuzzer over the readers and the whole parse.

    python -m tests.fuzz --inputs 3000 --seed 1 [--jobs 2] [--hang 10]
    python -m tests.fuzz --replay output/fuzz-crashes/<name>.bin

Seeds are built at run time from ``corpus/*.txt`` in every format the parser reads
(txt in several encodings, docx via python-docx, pdf via fpdf2 when a CJK font is
installed, html by wrapping, xlsx via openpyxl). Each input is a seed after a few
mutations — byte flips, truncation, chunk duplication/removal, zip member corruption or
replacement, huge repeats — handed to ``parser.parse_bytes`` in a worker process.
A *crash* is any exception that is not a ``parser.errors.NoticeError``, or an input
that takes longer than the hang limit. Crashes are saved under
``output/fuzz-crashes/`` with the command that replays them; the run prints
``N inputs, K crashes`` and exits 1 when K > 0.

The module also holds the small file builders the bad-input tests share.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import multiprocessing as mp
import os
import random
import sys
import time
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests import fixtures

ROOT = Path(__file__).resolve().parent.parent
CRASH_DIR = ROOT / "output" / "fuzz-crashes"

# ---------------------------------------------------------------- builders

cjk_font = fixtures.cjk_font




def docx_bytes(text: str) -> bytes:
    """A .docx with one paragraph per line; pipe-joined lines become one table row each."""
    import docx

    d = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=width)
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
            rows.clear()

    for line in text.splitlines():
        if " | " in line:
            rows.append(line.split(" | "))
            continue
        flush()
        d.add_paragraph(line)
    flush()
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdf_bytes(text: str, font: str | None) -> bytes | None:
    """A text PDF of ``text`` (None without a CJK font: fpdf2 cannot draw Chinese otherwise)."""
    if font is None:
        return None
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_margins(60, 60, 60)
    pdf.set_auto_page_break(True, margin=60)
    pdf.add_font("cjk", fname=font)
    pdf.set_font("cjk", size=11)
    pdf.add_page()
    for line in text.splitlines():
        if line.strip():
            pdf.multi_cell(0, 16, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def image_pdf_bytes() -> bytes:
    """A PDF whose only content is a picture (a scan without a text layer)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 300), "white")
    draw = ImageDraw.Draw(img)
    for y in range(20, 280, 20):
        draw.line((20, y, 380, y), fill="black", width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buf.getvalue()), x=10, y=10, w=150)
    return bytes(pdf.output())


def encrypted_pdf_bytes(password: str = "secret") -> bytes:
    """A one-page PDF encrypted with a user password (pypdf)."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    w.encrypt(user_password=password, owner_password=password + "-owner")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def html_bytes(text: str) -> bytes:
    """A saved web page: the notice's lines as paragraphs, pipe rows as a table."""
    import html

    body: list[str] = []
    for line in text.splitlines():
        if " | " in line:
            cells = "".join(f"<td>{html.escape(c)}</td>" for c in line.split(" | "))
            body.append(f"<table><tr>{cells}</tr></table>")
        elif line.strip():
            body.append(f"<p>{html.escape(line)}</p>")
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>通知</title>"
            "<script>var x = 1;</script></head><body><div class='content'>" + "\n".join(body) + "</div></body></html>")
    return page.encode("utf-8")


def xlsx_bytes(text: str) -> bytes:
    """A workbook with one row per line, pipe rows split into cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in text.splitlines():
        if line.strip():
            ws.append(line.split(" | "))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def ole_bytes(stream: str = "WordDocument") -> bytes:
    """The start of an OLE compound file naming one stream: what a .doc/.xls looks like to the sniffer."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + stream.encode("utf-16-le") + b"\x00" * 2048


def corpus_texts(limit: int | None = None) -> dict[str, str]:
    """The project's own corpus notices, decoded with the parser's text reader."""
    from parser.readers.text import decode

    out: dict[str, str] = {}
    for path in sorted((ROOT / "corpus").glob("*.txt"))[:limit]:
        out[path.stem] = decode(path.read_bytes())[0].replace("\r\n", "\n")
    return out


# ---------------------------------------------------------------- seeds and mutations


def build_seeds(limit: int = 6) -> list[tuple[str, bytes]]:
    """(file name, bytes) seeds in every format, from the first ``limit`` corpus notices."""
    font = cjk_font()
    seeds: list[tuple[str, bytes]] = []
    for stem, text in corpus_texts(limit).items():
        short = "\n".join(text.splitlines()[:60]) + "\n"
        seeds.append((f"{stem}.txt", short.encode("utf-8")))
        seeds.append((f"{stem}.gbk.txt", short.encode("gb18030", "replace")))
        seeds.append((f"{stem}.u16.txt", short.encode("utf-16")))
        seeds.append((f"{stem}.docx", docx_bytes(short)))
        seeds.append((f"{stem}.html", html_bytes(short)))
        seeds.append((f"{stem}.xlsx", xlsx_bytes(short)))
        pdf = pdf_bytes("\n".join(short.splitlines()[:25]), font)
        if pdf is not None:
            seeds.append((f"{stem}.pdf", pdf))
    return seeds


HUGE = ("、", "（", "|", "一", "年", " ", "(", "牵头单位：", "<div>", "\n")


def _flip(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        i = rng.randrange(len(b))
        b[i] = rng.randrange(256) if rng.random() < 0.5 else b[i] ^ (1 << rng.randrange(8))
    return bytes(b)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def _duplicate(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data))
    j = min(len(data), i + rng.randint(1, 4096))
    k = rng.randrange(len(data))
    return data[:k] + data[i:j] * rng.randint(1, 8) + data[k:]


def _remove(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 4096):]


def _huge(rng: random.Random, data: bytes) -> bytes:
    piece = rng.choice(HUGE).encode("utf-8")
    k = rng.randrange(len(data) + 1)
    return data[:k] + piece * rng.randint(1000, 200_000 // len(piece)) + data[k:]


def _zip_members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return [(i, zf.read(i.filename)) for i in zf.infolist()]
    except Exception:
        return None


def _rezip(members: list[tuple[str, bytes]]) -> bytes:
    return zip_bytes(dict(members))


def _zip_mutate(rng: random.Random, data: bytes) -> bytes:
    """Corrupt, replace, drop or blow up one member of a zip container (docx/xlsx)."""
    members = _zip_members(data)
    if not members:
        return _flip(rng, data)
    items = [(i.filename, body) for i, body in members]
    idx = rng.randrange(len(items))
    name, body = items[idx]
    choice = rng.randrange(6)
    if choice == 0 and body:
        items[idx] = (name, _flip(rng, body))
    elif choice == 1 and body:
        items[idx] = (name, body[: rng.randrange(len(body))])
    elif choice == 2:
        del items[idx]
    elif choice == 3:
        items[idx] = (name, rng.choice([b"", b"<", b"\x00" * 100, b"<?xml version='1.0'?><a>" * 5000,
                                        b"<!DOCTYPE a [<!ENTITY x 'xxxxxxxx'>]><a>&x;&x;</a>"]))
    elif choice == 4 and body:
        items[idx] = (name, _huge(rng, body))
    else:
        items[idx] = (name, _duplicate(rng, body) if body else body)
    return _rezip(items)


MUTATORS: tuple[Callable[[random.Random, bytes], bytes], ...] = (_flip, _truncate, _duplicate, _remove, _huge)


def mutate(rng: random.Random, name: str, data: bytes) -> bytes:
    """One to three mutations; zip containers get member-level mutations half the time."""
    for _ in range(rng.randint(1, 3)):
        if not data:
            return data
        if name.endswith((".docx", ".xlsx")) and rng.random() < 0.5:
            data = _zip_mutate(rng, data)
        else:
            data = rng.choice(MUTATORS)(rng, data)
    return data


# ---------------------------------------------------------------- running


def run_one(data: bytes, name: str) -> str | None:
    """Parse one input; return a crash description, or None for a record or a NoticeError."""
    from parser import parse_bytes
    from parser.errors import NoticeError

    try:
        parse_bytes(data, name)
    except NoticeError:
        return None
    except Exception:  # what the fuzzer is looking for
        return traceback.format_exc(limit=12)
    return None


def _worker(inbox: mp.Queue, outbox: mp.Queue) -> None:
    import logging
    import warnings

    logging.disable(logging.CRITICAL)  # pdfminer/openpyxl complain about every broken input
    warnings.simplefilter("ignore")
    while True:
        job = inbox.get()
        if job is None:
            return
        idx, name, data = job
        outbox.put((idx, run_one(data, name)))


def save_crash(name: str, data: bytes, why: str, index: int | None = None) -> Path:
    CRASH_DIR.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:12]
    ext = os.path.splitext(name)[1] or ".bin"
    path = CRASH_DIR / f"{digest}{ext}"
    path.write_bytes(data)
    replay = f"{sys.executable} -m tests.fuzz --replay {path}"
    # Not "<digest>.txt": that is the input's own name when the seed was a .txt file.
    (CRASH_DIR / f"{digest}.crash.log").write_text(
        f"seed name: {name}\ninput index: {index}\nreplay: {replay}\n\n{why}\n", encoding="utf-8")
    return path


class _Pool:
    """Worker processes fed one input at a time, so a hang is one input and one restart."""

    def __init__(self, jobs: int, hang_s: float) -> None:
        self.ctx = mp.get_context("spawn")
        self.hang_s = hang_s
        self.outbox: mp.Queue = self.ctx.Queue()
        self.workers: list[dict] = [self._start() for _ in range(jobs)]

    def _start(self) -> dict:
        inbox: mp.Queue = self.ctx.Queue()
        proc = self.ctx.Process(target=_worker, args=(inbox, self.outbox), daemon=True)
        proc.start()
        return {"proc": proc, "inbox": inbox, "job": None, "since": 0.0}

    def idle(self) -> dict | None:
        return next((w for w in self.workers if w["job"] is None), None)

    def submit(self, w: dict, idx: int, name: str, data: bytes) -> None:
        w["job"] = (idx, name, data)
        w["since"] = time.monotonic()
        w["inbox"].put((idx, name, data))

    def collect(self) -> list[tuple[tuple[int, str, bytes], str | None]]:
        """Finished jobs with their result; hung or dead workers are replaced and their job reported."""
        done: list[tuple[tuple[int, str, bytes], str | None]] = []
        try:
            idx, why = self.outbox.get(timeout=0.2)
            for w in self.workers:
                if w["job"] is not None and w["job"][0] == idx:
                    done.append((w["job"], why))
                    w["job"] = None
        except Exception:  # queue.Empty: nothing finished in this slice
            pass
        now = time.monotonic()
        for i, w in enumerate(self.workers):
            if w["job"] is None:
                continue
            dead = not w["proc"].is_alive()
            if dead or now - w["since"] > self.hang_s:
                why = f"worker died (exit {w['proc'].exitcode})" if dead else f"hang: over {self.hang_s:.0f}s"
                done.append((w["job"], why))
                w["proc"].kill()
                w["proc"].join(5)
                self.workers[i] = self._start()
        return done

    def close(self) -> None:
        for w in self.workers:
            w["inbox"].put(None)
        for w in self.workers:
            w["proc"].join(5)
            if w["proc"].is_alive():
                w["proc"].kill()


def fuzz(inputs: int, seed: int, jobs: int = 2, hang_s: float = 10.0, quiet: bool = False) -> tuple[int, int]:
    """Run ``inputs`` mutated inputs; return (inputs run, crashes)."""
    rng = random.Random(seed)
    seeds = build_seeds()
    pool = _Pool(jobs, hang_s)
    crashes = ran = 0
    sent = 0
    seen: set[str] = set()
    start = time.monotonic()
    try:
        while ran < inputs:
            w = pool.idle()
            while w is not None and sent < inputs:
                name, data = rng.choice(seeds)
                pool.submit(w, sent, name, mutate(rng, name, data))
                sent += 1
                w = pool.idle()
            for (idx, name, data), why in pool.collect():
                ran += 1
                if why is not None:
                    key = why.strip().splitlines()[-1][:200]
                    crashes += 1
                    path = save_crash(name, data, why, idx)
                    if key not in seen and not quiet:
                        print(f"crash: {path.name} (input {idx}, seed {name}): {key}", file=sys.stderr)
                    seen.add(key)
                if not quiet and ran % 1000 == 0:
                    print(f"{ran} inputs, {crashes} crashes ({time.monotonic() - start:.0f}s)", file=sys.stderr)
    finally:
        pool.close()
    return ran, crashes


def replay(path: str) -> int:
    data = Path(path).read_bytes()
    note = Path(path).with_suffix(".crash.log")
    name = path
    if note.exists():
        first = note.read_text(encoding="utf-8").splitlines()[0]
        name = first.removeprefix("seed name: ")
    why = run_one(data, name)
    print(why or "no crash: a record or a NoticeError")
    return 1 if why else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--hang", type=float, default=10.0, help="seconds one input may take (default %(default)s)")
    ap.add_argument("--replay", metavar="FILE", help="run one saved crash input again")
    args = ap.parse_args(argv)
    if args.replay:
        return replay(args.replay)
    ran, crashes = fuzz(args.inputs, args.seed, args.jobs, args.hang)
    print(f"{ran} inputs, {crashes} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
