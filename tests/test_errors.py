"""Every error code reaches the user as one line ``FILE: code: reason``, never a traceback.

One case per code of ``parser.errors``: the input (or the monkeypatched failure) that
causes it, run through ``notice-parser parse`` (or ``batch`` for the codes only a batch
gives), checking the exit status, the exact ``FILE: code:`` prefix, a non-empty
one-line reason, and that a traceback appears only with ``--debug``.
"""

from __future__ import annotations

import random
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from parser import errors, parse_text
from parser.cli import main as cli_main
from parser.errors import ALL_ERRORS, NoticeError
from parser.options import ParseOptions
from tests.fixtures import cid_font_pdf
from tests.fuzz import encrypted_pdf_bytes, image_pdf_bytes, ole_bytes, zip_bytes

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ("示例市人民政府办公室关于印发重点任务分工方案的通知\n示政办发〔2020〕3号\n"
          "一、重点任务\n（一）推进政务服务改革。\n牵头单位：市政务服务局\n完成时限：2020年12月底前\n")


def _random_bytes() -> bytes:
    return random.Random(7).randbytes(4000)


def _setup_missing(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    return tmp / "nothing-here.txt", []


def _setup_not_a_file(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    d = tmp / "folder.txt"
    d.mkdir()
    return d, []


def _file(name: str, data: bytes) -> Callable[[Path, pytest.MonkeyPatch], tuple[Path, list[str]]]:
    def setup(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
        p = tmp / name
        p.write_bytes(data)
        return p, []
    return setup


def _setup_too_large(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    p = tmp / "big.txt"
    p.write_text(NOTICE, encoding="utf-8")
    return p, ["--max-bytes", "100"]


def _setup_missing_tool(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    from parser.readers import legacy

    mp.setattr(legacy, "soffice_path", lambda: None)
    p = tmp / "old.doc"
    p.write_bytes(ole_bytes("WordDocument"))
    return p, []


def _setup_timeout(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """LibreOffice hanging on a .doc: its conversion limit turns into a timeout error."""
    from parser.readers import legacy

    def hang(cmd, **kw):  # type: ignore[no-untyped-def]
        raise subprocess.TimeoutExpired(cmd, kw.get("timeout", 0))

    mp.setattr(legacy, "soffice_path", lambda: "/usr/bin/soffice")
    mp.setattr(legacy.subprocess, "run", hang)
    p = tmp / "slow.doc"
    p.write_bytes(ole_bytes("WordDocument"))
    return p, []


def _setup_internal(tmp: Path, mp: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A bug in a stage (any exception that is not a NoticeError) is reported as internal_error."""
    from parser import pipeline

    def broken(*a, **k):  # type: ignore[no-untyped-def]
        raise ValueError("stage exploded")

    mp.setattr(pipeline, "build_outline", broken)
    p = tmp / "fine.txt"
    p.write_text(NOTICE, encoding="utf-8")
    return p, []


PARSE_CASES: dict[str, Callable[[Path, pytest.MonkeyPatch], tuple[Path, list[str]]]] = {
    "missing": _setup_missing,
    "not_a_file": _setup_not_a_file,
    "empty": _file("empty.txt", b""),
    "encoding": _file("noise.txt", _random_bytes()),
    "unsupported_format": _file("archive.txt", zip_bytes({"a.txt": NOTICE.encode("utf-8")})),
    "mislabelled_format": _file("renamed.docx", ole_bytes("WordDocument")),
    "encrypted": _file("locked.pdf", encrypted_pdf_bytes()),
    "no_text_layer": _file("scan.pdf", image_pdf_bytes()),
    "garbled_text_layer": _file("subset-fonts.pdf", cid_font_pdf([list(range(200, 260))])),
    "corrupt": _file("broken.docx", zip_bytes({"word/document.xml": b"<w:document"})[:-30]),
    "too_large": _setup_too_large,
    "missing_tool": _setup_missing_tool,
    "timeout": _setup_timeout,
    "internal_error": _setup_internal,
}
BATCH_ONLY = {"not_a_notice", "unsafe_path", "worker_crash"}  # the last two: tests/test_bad_inputs.py, tests/test_batch.py
OUTPUT_ERRORS = {"write_failed"}  # a failure to write, not a fault of the input: tests/test_batch_stops.py


def test_every_code_has_a_case() -> None:
    codes = {cls.code for cls in ALL_ERRORS}
    assert codes == set(PARSE_CASES) | BATCH_ONLY | OUTPUT_ERRORS
    assert len(codes) == len(ALL_ERRORS), "two error classes share a code"


def test_error_classes_are_distinct_and_named() -> None:
    for cls in ALL_ERRORS:
        exc = cls("a reason", "f.txt")
        assert isinstance(exc, NoticeError)
        assert str(exc) == f"f.txt: {cls.code}: a reason"
        assert cls.stage in {"read", "parse", "tasks", "write"}


@pytest.mark.parametrize("code", list(PARSE_CASES))
def test_cli_prints_one_line_per_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, code: str) -> None:  # type: ignore[no-untyped-def]
    path, extra = PARSE_CASES[code](tmp_path, monkeypatch)
    rc = cli_main(["parse", str(path), "-o", str(tmp_path / "out"), *extra])
    err = capsys.readouterr().err
    assert rc == 1
    lines = [ln for ln in err.splitlines() if ln.startswith(f"{path}: ")]
    assert len(lines) == 1, err
    prefix = f"{path}: {code}: "
    assert lines[0].startswith(prefix), err
    assert lines[0][len(prefix):].strip(), "empty reason"
    assert "Traceback" not in err

    path2, extra2 = PARSE_CASES[code](tmp_path / "debug", monkeypatch) if code not in ("missing",) else (path, extra)
    rc = cli_main(["parse", str(path2), "-o", str(tmp_path / "out2"), "--debug", *extra2])
    err = capsys.readouterr().err
    assert rc == 1 and f"{path2}: {code}: " in err
    assert "Traceback" in err, err


@pytest.fixture(autouse=True)
def _debug_dir(tmp_path: Path) -> None:
    (tmp_path / "debug").mkdir()


def test_not_a_notice_from_batch(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "src"
    src.mkdir()
    (src / "letter.txt").write_text("这是一封普通的信件，没有任何任务。\n谢谢。\n", encoding="utf-8")
    (src / "notice.txt").write_text(NOTICE, encoding="utf-8")
    rc = cli_main(["batch", str(src), "-o", str(tmp_path / "out"), "--require-tasks", "-q"])
    assert rc == 1
    rows = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 2 and "letter.txt" in rows[1] and ",not_a_notice," in rows[1], rows
    assert "Traceback" not in capsys.readouterr().err


def test_not_a_notice_from_the_library() -> None:
    with pytest.raises(errors.NotANotice) as info:
        parse_text("没有任务的一段话。\n", ParseOptions(require_tasks=True), path="x.txt")
    assert str(info.value).startswith("x.txt: not_a_notice: ")


def test_console_script_has_no_traceback(tmp_path: Path) -> None:
    """The installed entry point, not just ``main()``: stderr is the one line and the summary."""
    bad = tmp_path / "noise.txt"
    bad.write_bytes(_random_bytes())
    proc = subprocess.run([sys.executable, "-m", "parser.cli", "parse", str(bad), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == f"{bad}: encoding: not text in any known encoding (tried UTF-8/16, GB18030, Big5)"
    assert "Traceback" not in proc.stderr


def test_zip_bomb_error_names_the_member(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<a/>")
        zf.writestr("word/media/pad.bin", b"\x00" * (8 * 1024 * 1024))
    assert cli_main(["parse", str(p), "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert f"{p}: too_large: " in err and "word/media/pad.bin" in err
