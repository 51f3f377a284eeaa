"""Hostile, broken and oddly encoded inputs: each gives its error code or reads like its twin.

The bad files are built here in tmp_path (nothing binary is committed): empty files,
random bytes, truncated .docx/.pdf, an encrypted PDF, an image-only PDF, zip bombs by
size and by ratio, a page of scripts, misnamed files (PDF as .txt, .docx as .pdf, .doc
as .docx). Odd but valid encodings (Big5, UTF-16 without BOM, GBK, UTF-8 BOM + CRLF)
must give the same tasks and units as the UTF-8 file. A mixed run of good and bad
files writes exactly the good outputs and one error per bad file, for ``parse`` and
``batch``. A 30-input fuzz smoke test keeps tests/fuzz.py working.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from parser import parse_bytes, parse_file, parse_text
from parser.cli import main as cli_main
from parser.errors import NoticeError
from parser.limits import Limits
from parser.options import ParseOptions
from tests import fixtures, fuzz

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FONT = fuzz.cjk_font()
SMALL_ZIP = Limits(max_unzipped_bytes=5_000_000)
"""Lower than the default so the size bomb stays small on disk; the ratio bomb uses the default."""


def _corpus(name: str) -> str:
    return fuzz.corpus_texts()[name]


def _good_notice() -> str:
    """A corpus notice, cut short so each format's fixture stays small."""
    return "\n".join(_corpus("seed_lines_city").splitlines()[:40]) + "\n"


def _latin_pdf() -> bytes:
    """A text PDF with a core font (no CJK font needed) — cut in half below."""
    from fpdf import FPDF

    pdf = FPDF()
    for i in range(3):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, f"Page {i}: " + "lorem ipsum dolor sit amet " * 40)
    return bytes(pdf.output())


def _size_bomb() -> bytes:
    """Members that compress normally but add up past the limit (6 MB stored vs 5 MB allowed)."""
    return fuzz.zip_bytes({"word/document.xml": b"<a/>", "word/media/a.bin": b"x" * 6_000_000}, zipfile.ZIP_STORED)


def _ratio_bomb() -> bytes:
    """One member inflating ~1000:1 (the default guard is 200:1)."""
    return fuzz.zip_bytes({"word/document.xml": b"<a/>", "word/media/zeros.bin": b"\x00" * 16_000_000})


BAD: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty.txt": (lambda: b"", "empty"),
    "关于印发重点任务分工方案的通知.docx": (lambda: b"", "empty"),
    "whitespace.txt": (lambda: b" \n\r\n\t  \n", "empty"),
    "random.txt": (lambda: __import__("random").Random(3).randbytes(5000), "encoding"),
    "random.bin.txt": (lambda: __import__("random").Random(4).randbytes(64), "encoding"),
    "truncated.docx": (lambda: fuzz.docx_bytes(_good_notice())[:3000], "corrupt"),
    "truncated.pdf": (lambda: _latin_pdf()[:1200], "corrupt"),
    "encrypted.pdf": (fuzz.encrypted_pdf_bytes, "encrypted"),
    "scan.pdf": (fuzz.image_pdf_bytes, "no_text_layer"),
    "size-bomb.docx": (_size_bomb, "too_large"),
    "ratio-bomb.docx": (_ratio_bomb, "too_large"),
    "scripts.html": (lambda: b"<html><head><script>var a = '\xe9\x80\x9a\xe7\x9f\xa5';</script></head>"
                             b"<body><script>document.write(1)</script><style>p{}</style></body></html>", "empty"),
    "renamed-doc.docx": (lambda: fuzz.ole_bytes("WordDocument"), "mislabelled_format"),
    "renamed-xls.xlsx": (lambda: fuzz.ole_bytes("Workbook"), "mislabelled_format"),
    "archive.txt": (lambda: fuzz.zip_bytes({"a.txt": b"x"}), "unsupported_format"),
    "nul-text.txt": (lambda: "通知".encode() + b"\x00" * 3 + "内容".encode(), "encoding"),
}


def _write_bad(folder: Path) -> dict[str, str]:
    """Write every bad file; return {path: expected code}."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, str] = {}
    for name, (build, code) in BAD.items():
        p = folder / name
        p.write_bytes(build())
        out[str(p)] = code
    return out


@pytest.mark.parametrize("name", list(BAD))
def test_bad_file_gives_its_code(tmp_path: Path, name: str) -> None:
    build, code = BAD[name]
    p = tmp_path / name
    p.write_bytes(build())
    limits = SMALL_ZIP if name == "size-bomb.docx" else Limits()
    with pytest.raises(NoticeError) as info:
        parse_file(p, ParseOptions(limits=limits))
    assert info.value.code == code, str(info.value)
    assert info.value.path == str(p)
    reason = info.value.reason
    assert reason and "\n" not in reason and len(reason) <= 300


def test_size_bomb_passes_with_a_higher_limit() -> None:
    """The limit is the user's: raised, the same container is read (and found empty, not too large)."""
    with pytest.raises(NoticeError) as info:
        parse_bytes(_size_bomb(), "a.docx", ParseOptions(limits=Limits(max_unzipped_bytes=50_000_000)))
    assert info.value.code == "empty"


def test_ratio_guard_is_the_users() -> None:
    with pytest.raises(NoticeError) as info:
        parse_bytes(_ratio_bomb(), "a.docx", ParseOptions(limits=Limits(max_zip_ratio=5000)))
    assert info.value.code == "empty"


def test_page_limit_is_enforced() -> None:
    pdf = _latin_pdf()  # three pages
    with pytest.raises(NoticeError) as info:
        parse_bytes(pdf, "a.pdf", ParseOptions(limits=Limits(max_pages=2)))
    assert info.value.code == "too_large" and "3 pages" in info.value.reason
    assert parse_bytes(pdf, "a.pdf", ParseOptions(limits=Limits(max_pages=3))).text


def test_input_size_limit_is_enforced(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(_good_notice(), encoding="utf-8")
    size = p.stat().st_size
    with pytest.raises(NoticeError) as info:
        parse_file(p, ParseOptions(limits=Limits(max_bytes=size - 1)))
    assert info.value.code == "too_large"
    assert parse_file(p, ParseOptions(limits=Limits(max_bytes=size))).tasks


def test_xlsx_zip_guard_is_enforced() -> None:
    data = fuzz.xlsx_bytes(_good_notice())
    assert parse_bytes(data, "a.xlsx").tasks
    with pytest.raises(NoticeError) as info:
        parse_bytes(data, "a.xlsx", ParseOptions(limits=Limits(max_unzipped_bytes=1000)))
    assert info.value.code == "too_large"


def test_missing_and_folder(tmp_path: Path) -> None:
    for path, code in ((tmp_path / "nope.txt", "missing"), (tmp_path, "not_a_file")):
        with pytest.raises(NoticeError) as info:
            parse_file(path)
        assert info.value.code == code


# ---------------------------------------------------------------- right reader under a wrong name


def _tasks(notice) -> list[tuple[str, tuple[str, ...], tuple[str, ...], str | None]]:  # type: ignore[no-untyped-def]
    return [(t.text, tuple(u.name for u in t.lead), tuple(u.name for u in t.responsible),
             t.deadline.text if t.deadline else None) for t in notice.tasks]


def test_docx_named_pdf_is_read_as_docx(tmp_path: Path) -> None:
    text = _good_notice()
    p = tmp_path / "notice.pdf"
    p.write_bytes(fuzz.docx_bytes(text))
    notice = parse_file(p)
    assert notice.source.format == "docx"
    assert notice.tasks and _tasks(notice) == _tasks(parse_bytes(fuzz.docx_bytes(text), "notice.docx"))


@pytest.mark.skipif(FONT is None, reason=fixtures.NO_FONT)
def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    data = fuzz.pdf_bytes(_good_notice(), FONT)
    assert data is not None
    p = tmp_path / "notice.txt"
    p.write_bytes(data)
    notice = parse_file(p)
    assert notice.source.format == "pdf" and notice.tasks


def test_html_named_doc_is_read_as_html(tmp_path: Path) -> None:
    p = tmp_path / "page.doc"
    p.write_bytes(fuzz.html_bytes(_good_notice()))
    notice = parse_file(p)
    assert notice.source.format == "html" and notice.tasks


# ---------------------------------------------------------------- odd but valid encodings


def _twin_check(data: bytes, utf8_text: str, name: str) -> None:
    odd = parse_bytes(data, name)
    twin = parse_text(utf8_text)
    assert odd.tasks, "the odd file lost its tasks"
    assert _tasks(odd) == _tasks(twin)
    assert [u.name for t in odd.tasks for u in t.cooperating] == [u.name for t in twin.tasks for u in t.cooperating]


def test_big5_traditional_parses_like_utf8() -> None:
    text = _corpus("lujiang_2019_traditional_big5")
    data = (CORPUS / "lujiang_2019_traditional_big5.txt").read_bytes()
    assert codecs.lookup(parse_bytes(data, "a.txt").source.encoding or "").name == "big5"
    _twin_check(data, text, "a.txt")


def test_utf16_without_bom_parses_like_utf8() -> None:
    text = _good_notice()
    for enc in ("utf-16-le", "utf-16-be"):
        data = text.encode(enc)
        assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
        got = parse_bytes(data, "a.txt").source.encoding
        assert got and codecs.lookup(got).name == codecs.lookup(enc).name
        _twin_check(data, text, "a.txt")


def test_gbk_parses_like_utf8() -> None:
    text = _good_notice()
    _twin_check(text.encode("gbk"), text, "a.txt")


def test_utf8_bom_crlf_parses_like_utf8() -> None:
    text = _good_notice()
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    odd = parse_bytes(data, "a.txt")
    assert odd.text == parse_text(text).text  # same text, so the same offsets
    _twin_check(data, text, "a.txt")


# ---------------------------------------------------------------- mixed runs


def _good_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    names = ["seed_lines_city", "jinghe_2018_lines_deadline_kinds", "lujiang_2019_traditional_big5"]
    paths = []
    for stem in names:
        p = folder / f"{stem}.txt"
        p.write_bytes((CORPUS / f"{stem}.txt").read_bytes())
        paths.append(p)
    p = folder / "word_as_pdf.pdf"
    p.write_bytes(fuzz.docx_bytes(_good_notice()))
    paths.append(p)
    return paths


def test_parse_mixed_good_and_bad(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = _good_files(tmp_path / "good")
    bad = _write_bad(tmp_path / "bad")
    out = tmp_path / "out"
    args = ["parse", *map(str, good), *bad, "-o", str(out), "--max-unzipped-bytes", str(SMALL_ZIP.max_unzipped_bytes)]
    assert cli_main(args) == 1
    err = capsys.readouterr().err.splitlines()
    assert sorted(p.stem + ".json" for p in good) == sorted(p.name for p in out.glob("*.json"))
    errors = [ln for ln in err if ": " in ln and not ln.startswith("parsed ")]
    assert len(errors) == len(bad), err
    for path, code in bad.items():
        assert sum(ln.startswith(f"{path}: {code}: ") for ln in errors) == 1, (path, code, err)
    assert "Traceback" not in "\n".join(err)
    for p in out.glob("*.json"):
        assert json.loads(p.read_text(encoding="utf-8"))["tasks"]


def test_batch_mixed_good_and_bad(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    try:
        from parser.batch import run  # noqa: F401
    except ImportError:
        pytest.skip("parser/batch/ is not there yet")
    src = tmp_path / "src"
    good = _good_files(src / "good")
    bad = _write_bad(src / "bad")
    escaping = src / "escape.zip"
    with zipfile.ZipFile(escaping, "w") as zf:
        zf.writestr("../../escaped.txt", (CORPUS / "seed_lines_city.txt").read_bytes())
        zf.writestr("inside/ok.txt", (CORPUS / "seed_lines_city.txt").read_bytes())
    broken = bytearray(fuzz.zip_bytes({"a.txt": b"x"}))
    i = broken.find(b"PK\x01\x02")
    broken[i + 6:i + 8] = b"\x54\x00"  # "version needed" 8.4: zipfile raises NotImplementedError
    (src / "bad-version.zip").write_bytes(bytes(broken))
    method = bytearray(fuzz.zip_bytes({"m.txt": b"x"}))
    for sig, off in ((b"PK\x01\x02", 10), (b"PK\x03\x04", 8)):
        method[method.find(sig) + off] = 99  # an unknown compression method
    (src / "method.zip").write_bytes(bytes(method))
    out = tmp_path / "out"
    rc = cli_main(["batch", str(src), "-o", str(out), "-q", "--jobs", "1",
                   "--max-unzipped-bytes", str(SMALL_ZIP.max_unzipped_bytes)])
    assert rc == 1
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "escaped.txt").exists() and not (src.parent / "escaped.txt").exists()
    rows = list(csv.DictReader(io.StringIO((out / "errors.csv").read_text(encoding="utf-8-sig"))))
    by_file = {r["file"]: r["code"] for r in rows}
    assert len(rows) == len(by_file) == len(bad) + 3, rows
    assert by_file[str(src / "bad-version.zip")] == "corrupt"
    assert by_file[f"{src / 'method.zip'}!m.txt"] == "corrupt"
    for path, code in bad.items():
        key = next(k for k in by_file if k.endswith(Path(path).name))
        assert by_file[key] == code, (path, by_file[key])
    assert any(k.endswith("escape.zip!../../escaped.txt") and c == "unsafe_path" for k, c in by_file.items())
    notices = (out / "notices.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(notices) == len(good) + 1  # the safe zip member too


# ---------------------------------------------------------------- the fuzzer stays runnable


def test_fuzz_smoke() -> None:
    ran, crashes = fuzz.fuzz(30, seed=11, jobs=2, hang_s=60.0, quiet=True)
    assert ran == 30
    assert crashes == 0, f"see {fuzz.CRASH_DIR}"
