"""``parse`` in a pipe: ``-`` reads standard input, ``-o -`` writes JSON Lines to standard output.

These run the installed command in a real shell pipeline (``cat notice.txt | notice-parser
parse - -o -``), because what they pin is what a shell sees: bytes on stdout, messages on
stderr, the exit status.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parser import parse_file
from parser.cli import main as cli_main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed_lines_city.txt"
BIN = Path(sys.executable).parent / "notice-parser"
COMMAND = shlex.quote(str(BIN)) if BIN.exists() else f"{shlex.quote(sys.executable)} -m parser.cli"


def shell(script: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ``script`` with bash; ``NP`` stands for the notice-parser command."""
    return subprocess.run(["bash", "-o", "pipefail", "-c", script.replace("NP", COMMAND)], capture_output=True,
                          cwd=cwd or ROOT, timeout=120, check=False)


def _without_path(record: dict) -> dict:  # type: ignore[type-arg]
    out = json.loads(json.dumps(record))
    out["source"]["path"] = None
    return out


def test_cat_into_parse_gives_one_json_line() -> None:
    run = shell(f"cat {shlex.quote(str(SEED))} | NP parse - -o -")
    assert run.returncode == 0, run.stderr.decode()
    lines = run.stdout.decode("utf-8").splitlines(keepends=True)
    assert len(lines) == 1 and lines[0].endswith("\n")
    record = json.loads(lines[0])
    assert record["source"]["path"] == "<stdin>"
    expected = json.loads(parse_file(SEED).model_dump_json())
    assert _without_path(record) == _without_path(expected)
    assert record["tasks"], "the seed notice has tasks"
    assert b"parsed 1 notice(s), 0 failed" in run.stderr


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (apt-get install jq)")
def test_jq_reads_the_output() -> None:
    """The issue's own check: ``cat notice.txt | notice-parser parse - -o - | jq``."""
    run = shell(f"cat {shlex.quote(str(SEED))} | NP parse - -o - | jq -c '[.meta.doc_number.text, (.tasks | length)]'")
    assert run.returncode == 0, run.stderr.decode()
    number, n_tasks = json.loads(run.stdout)
    seed = parse_file(SEED)
    assert number == seed.meta.doc_number.text and n_tasks == len(seed.tasks) > 0


def test_stdin_name_names_the_record_and_hints_the_format(tmp_path: Path) -> None:
    run = shell(f"NP parse - -o - --name 天水.txt < {shlex.quote(str(SEED))}")
    assert run.returncode == 0, run.stderr.decode()
    record = json.loads(run.stdout)
    assert record["source"]["path"] == "天水.txt"
    assert record["source"]["sha256"] == parse_file(SEED).source.sha256


def test_several_files_give_one_line_each_in_order_and_errors_on_stderr(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(SEED.read_bytes())
    b.write_text("\n".join(SEED.read_text(encoding="utf-8").splitlines()[:30]) + "\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    run = shell(f"NP parse {a} {empty} {b} -o -")
    assert run.returncode == 1, "a failed file gives exit status 1, as with an output folder"
    paths = [json.loads(line)["source"]["path"] for line in run.stdout.decode().splitlines()]
    assert paths == [str(a), str(b)]
    err = run.stderr.decode().splitlines()
    assert f"{empty}: empty: the file is empty" in err
    assert not list(tmp_path.glob("output*")) and not (ROOT / "-").exists(), "nothing written to files"


def test_empty_stdin_is_an_error_line_with_status_1() -> None:
    run = shell("NP parse - -o - < /dev/null")
    assert run.returncode == 1
    assert run.stdout == b""
    assert "<stdin>: empty: the file is empty" in run.stderr.decode().splitlines()


def test_stdin_over_the_size_limit() -> None:
    run = shell(f"NP parse - -o - --max-bytes 100 < {shlex.quote(str(SEED))}")
    assert run.returncode == 1
    assert run.stderr.decode().startswith("<stdin>: too_large: standard input is over the limit of 100 bytes")


def test_stdin_to_an_output_folder(tmp_path: Path) -> None:
    run = shell(f"NP parse - --name seed.txt -o {tmp_path / 'out'} < {shlex.quote(str(SEED))}")
    assert run.returncode == 0, run.stderr.decode()
    assert sorted(os.listdir(tmp_path / "out")) == ["assignments.csv", "seed.json", "tasks.csv", "units.csv"]


def test_reader_that_leaves_early_is_not_an_error(tmp_path: Path) -> None:
    files = []
    for i in range(12):
        p = tmp_path / f"n{i}.txt"
        p.write_bytes(SEED.read_bytes())
        files.append(str(p))
    run = shell(f"set +o pipefail; NP parse {' '.join(files)} -o - | head -c 10")
    assert len(run.stdout) == 10
    assert b"Traceback" not in run.stderr and b"BrokenPipe" not in run.stderr, run.stderr.decode()


def test_folder_points_to_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    assert cli_main(["parse", str(tmp_path), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path}: not_a_file: a folder; parse takes files: use `notice-parser batch {tmp_path} -o OUT`" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["-o", "-", "--format", "csv"], "-o - writes JSON Lines only; csv needs an output folder"),
    (["-o", "-", "--report"], "--report writes HTML files"),
    (["--format", "json,xml"], "unknown format xml"),
])
def test_options_that_do_not_go_together(argv: list[str], message: str, capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    assert cli_main(["parse", str(SEED), *argv] if "-o" in argv else
                    ["parse", str(SEED), "-o", str(tmp_path), *argv]) == 2
    assert message in capsys.readouterr().err


def test_stdin_twice_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["parse", "-", "-", "-o", "-"]) == 2
    assert "standard input (-) can be read once only" in capsys.readouterr().err
