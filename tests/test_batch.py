"""notice-parser batch: sources, incremental runs, failure isolation, kill safety, tables, dask.

Inputs are small notices generated here, so the tests run on a fresh clone. They pin
the batch machinery, not the parser's answers: whatever the parser extracts, the
aggregates must be complete, sorted and identical across runs and engines.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from parser.batch import run as batch
from parser.batch.sources import collect, decode_member_name, matches, unsafe_reason
from parser.cli import main as cli_main

TABLES = ("notices.jsonl", "tasks.csv", "assignments.csv", "units.csv", "errors.csv",
          "tasks.parquet", "assignments.parquet", "units.parquet")
UNITS = ("市发展改革委", "市财政局", "市商务局", "市教育局", "市公安局", "市卫生健康委", "市交通运输局")


def notice_text(n: int, tasks: int = 3) -> str:
    """A plausible notice; ``n`` varies the wording so that every file has its own content."""
    lines = [
        f"示例市人民政府办公室关于印发示例市第{n}项重点工作实施方案的通知",
        f"示政办发〔2020〕{n}号",
        "各县区人民政府，市政府各部门：",
        f"《示例市第{n}项重点工作实施方案》已经市政府同意，现印发给你们，请认真贯彻执行。",
        "示例市人民政府办公室",
        "2020年3月1日",
        f"示例市第{n}项重点工作实施方案",
        "一、重点任务",
    ]
    for t in range(1, tasks + 1):
        lead, resp = UNITS[(n + t) % len(UNITS)], UNITS[(n + 2 * t) % len(UNITS)]
        lines += [
            f"（{'一二三四五六七八九十'[(t - 1) % 10]}）推进第{n}项工作的第{t}个环节。",
            f"{t}.完善第{t}项配套制度，加强督促检查。",
            f"牵头单位：{lead}",
            f"责任单位：{resp}",
            f"完成时限：2020年{(t % 12) + 1}月底前",
        ]
    return "\n".join(lines) + "\n"


def make_folder(root: Path, count: int = 6) -> Path:
    src = root / "src"
    (src / "sub").mkdir(parents=True)
    for i in range(count):
        folder = src / "sub" if i % 2 else src
        (folder / f"n{i:03d}.txt").write_text(notice_text(i), encoding="utf-8")
    return src


def run(*argv: str) -> int:
    return cli_main(["batch", *argv])


def tables(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in TABLES}


def error_rows(out: Path) -> list[list[str]]:
    import csv

    text = (out / "errors.csv").read_text(encoding="utf-8-sig")
    return list(csv.reader(text.splitlines()))[1:]


def summary(capsys) -> str:  # type: ignore[no-untyped-def]
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("batch: ")][-1]


# --- sources ---------------------------------------------------------------------------------------

def test_include_exclude_recurse_into_folders(tmp_path: Path) -> None:
    src = make_folder(tmp_path)
    (src / "readme.md").write_text("not a notice", encoding="utf-8")
    (src / ".hidden.txt").write_text(notice_text(99), encoding="utf-8")
    items, errors = collect([str(src)], include=["*.txt"], exclude=["sub/*"])
    keys = [i.key for i in items]
    assert keys == sorted(keys)
    assert all("/sub/" not in k for k in keys) and len(keys) == 3
    assert not errors
    items, _ = collect([str(src)], include=[], exclude=["n001*", "n003*"])
    names = {os.path.basename(i.key) for i in items}
    assert names == {"n000.txt", "n002.txt", "n004.txt", "n005.txt"}, "default include skips readme.md and hidden files"


def test_output_folder_inside_source_is_not_read(tmp_path: Path) -> None:
    src = make_folder(tmp_path, 2)
    out = src / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q") == 0
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q") == 0
    items, _ = collect([str(src)], output_dir=str(out))
    assert len(items) == 2


def test_globs_match_paths_and_names() -> None:
    assert matches("a/b/c.TXT", ["*.txt"], [])
    assert not matches("a/b/c.txt", ["*.txt"], ["b/*"])
    assert not matches("a/b/c.pdf", ["*.txt"], [])
    assert matches("x.docx", [], [])


class _GbkInfo(zipfile.ZipInfo):
    """Writes the name in GBK without the UTF-8 flag, as Chinese Windows archivers do."""

    def _encodeFilenameFlags(self):  # type: ignore[no-untyped-def]
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def make_zip(path: Path, members: dict[str, str], gbk: bool = False) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            info = _GbkInfo(name) if gbk else zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return path


def test_zip_gbk_names_nested_folders_and_escaping_members(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "通知.zip", {
        "二〇二〇年/第一批/关于印发方案的通知.txt": notice_text(1),
        "二〇二〇年/第二批/实施方案.txt": notice_text(2),
        "../逃逸.txt": notice_text(3),
        "/etc/absolute.txt": notice_text(4),
    }, gbk=True)
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        assert not any(i.flag_bits & 0x800 for i in infos), "names stored in GBK, without the UTF-8 flag"
        assert "二〇二〇年" not in infos[0].filename and "二〇二〇年" in decode_member_name(infos[0])
    out = tmp_path / "out"
    assert run(str(archive), "-o", str(out), "--jobs", "0", "-q") == 1
    rows = error_rows(out)
    assert sorted(r[0].split("!", 1)[1] for r in rows) == ["../逃逸.txt", "/etc/absolute.txt"]
    assert {r[2] for r in rows} == {"unsafe_path"}
    assert not (tmp_path / "逃逸.txt").exists()
    jsonl = (out / "notices.jsonl").read_text(encoding="utf-8")
    assert "通知.zip!二〇二〇年/第一批/关于印发方案的通知.txt" in jsonl
    assert jsonl.count("\n") == 2


def test_unsafe_reason() -> None:
    assert unsafe_reason("a/../../b.txt")
    assert unsafe_reason("C:/x.txt")
    assert unsafe_reason("\\\\server\\x.txt")
    assert unsafe_reason("a/b..c/d.txt") is None


def test_zip_member_over_limit_is_one_error(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"big.txt": notice_text(1) * 50, "ok.txt": notice_text(2)})
    out = tmp_path / "out"
    assert run(str(archive), "-o", str(out), "--jobs", "0", "-q", "--max-bytes", "5000") == 1
    rows = error_rows(out)
    assert [r[0] for r in rows] == [f"{archive}!big.txt"] and rows[0][2] == "too_large"


# --- failures, incremental runs ---------------------------------------------------------------------

def test_bad_file_among_good_ones(tmp_path: Path) -> None:
    src = make_folder(tmp_path, 4)
    (src / "bad.txt").write_bytes(b"   \n  ")
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "2", "-q") == 1
    rows = error_rows(out)
    assert len(rows) == 1 and rows[0][0].endswith("bad.txt") and rows[0][1:3] == ["read", "empty"]
    assert (out / "notices.jsonl").read_text(encoding="utf-8").count("\n") == 4
    assert len(list((out / "notices").glob("*.json"))) == 4


def test_incremental_skip_force_and_changes(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = make_folder(tmp_path, 5)
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0") == 0
    assert "5 parsed, 0 failed, 0 skipped" in summary(capsys)
    first = tables(out)
    assert run(str(src), "-o", str(out), "--jobs", "0") == 0
    assert "0 parsed, 0 failed, 5 skipped" in summary(capsys)
    assert tables(out) == first
    os.utime(src / "n000.txt", (1, 1))  # touched, not changed
    (src / "n002.txt").write_text(notice_text(42), encoding="utf-8")
    (src / "new.txt").write_text(notice_text(43), encoding="utf-8")
    assert run(str(src), "-o", str(out), "--jobs", "0") == 0
    assert "2 parsed, 0 failed, 4 skipped" in summary(capsys)
    assert run(str(src), "-o", str(out), "--jobs", "0", "--force") == 0
    assert "6 parsed, 0 failed, 0 skipped" in summary(capsys)


def test_vocabulary_change_reparses(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = make_folder(tmp_path, 3)
    out = tmp_path / "out"
    run(str(src), "-o", str(out), "--jobs", "0")
    monkeypatch.setattr(batch, "parser_version", lambda: "0.1.0+feedfacecafe")
    run(str(src), "-o", str(out), "--jobs", "0")
    assert "3 parsed, 0 failed, 0 skipped" in summary(capsys)
    run(str(src), "-o", str(out), "--jobs", "0")
    assert "0 parsed, 0 failed, 3 skipped" in summary(capsys)


def test_failed_files_are_kept_until_changed_or_retried(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = make_folder(tmp_path, 2)
    (src / "bad.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0") == 1
    assert run(str(src), "-o", str(out), "--jobs", "0") == 1
    assert "3 skipped" in summary(capsys) and len(error_rows(out)) == 1
    assert run(str(src), "-o", str(out), "--jobs", "0", "--retry-failed") == 1
    assert "0 parsed, 1 failed, 2 skipped" in summary(capsys), "--retry-failed tries the failed file again"
    (src / "bad.txt").write_text(notice_text(7), encoding="utf-8")
    assert run(str(src), "-o", str(out), "--jobs", "0") == 0
    assert error_rows(out) == []


def test_same_tables_with_any_number_of_workers(tmp_path: Path) -> None:
    src = make_folder(tmp_path, 9)
    make_zip(src / "more.zip", {f"z/{i}.txt": notice_text(100 + i) for i in range(4)})
    a, b = tmp_path / "a", tmp_path / "b"
    assert run(str(src), "-o", str(a), "--jobs", "0", "-q") == 0
    assert run(str(src), "-o", str(b), "--jobs", "2", "--chunksize", "2", "-q") == 0
    assert tables(a) == tables(b)
    assert (a / "notices.jsonl").read_text(encoding="utf-8").count("\n") == 13


# --- worker isolation ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("hook", "code"), [
    ("NOTICE_PARSER_TEST_HANG", "timeout"),
    ("NOTICE_PARSER_TEST_HANG_HARD", "timeout"),
    ("NOTICE_PARSER_TEST_CRASH", "worker_crash"),
])
def test_hang_or_crash_fails_one_file(tmp_path: Path, monkeypatch, hook: str, code: str) -> None:  # type: ignore[no-untyped-def]
    src = make_folder(tmp_path, 6)
    monkeypatch.setenv(hook, "n002.txt")
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "2", "--chunksize", "3", "--timeout", "2", "-q") == 1
    rows = error_rows(out)
    assert len(rows) == 1 and rows[0][0].endswith("n002.txt") and rows[0][2] == code
    assert (out / "notices.jsonl").read_text(encoding="utf-8").count("\n") == 5


def _cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "parser.cli", "batch", *argv],
                            env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_killed_run_is_finished_by_the_next(tmp_path: Path) -> None:
    src = make_folder(tmp_path, 16)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    assert _cli(str(src), "-o", str(clean), "--jobs", "2").wait(timeout=120) == 0
    proc = _cli(str(src), "-o", str(killed), "--jobs", "1", "--chunksize", "1",
                env={"NOTICE_PARSER_TEST_SLOW": "0.15"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((killed / "notices").glob("*.json"))) < 4:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    done = len(list((killed / "notices").glob("*.json")))
    assert 4 <= done < 16, "the run was killed half way"
    assert not (killed / "notices.jsonl").exists()
    assert _cli(str(src), "-o", str(killed), "--jobs", "2").wait(timeout=120) == 0
    assert tables(killed) == tables(clean)
    assert not list(killed.rglob("*.tmp"))


# --- database -----------------------------------------------------------------------------------------

def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("notices", "sections", "tasks", "assignments", "inputs")}


def test_database_rerun_updates_without_duplicates(tmp_path: Path) -> None:
    src = make_folder(tmp_path, 4)
    out, db = tmp_path / "out", tmp_path / "tables.db"
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--db", str(db)) == 0
    first = _counts(db)
    assert first["notices"] == 4 and first["inputs"] == 4
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--force", "--db", f"sqlite:///{db}") == 0
    assert _counts(db) == first
    (src / "n000.txt").write_text(notice_text(77), encoding="utf-8")
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q", "--db", str(db)) == 0
    assert _counts(db) == first, "the old content of n000.txt is replaced, not kept beside the new"
    with sqlite3.connect(db) as conn:
        tasks_per_notice = conn.execute("SELECT notice_id, COUNT(*) FROM tasks GROUP BY notice_id").fetchall()
        n_tasks = dict(conn.execute("SELECT notice_id, n_tasks FROM notices").fetchall())
    assert all(n_tasks[nid] == n for nid, n in tasks_per_notice)


# --- dask -----------------------------------------------------------------------------------------------

@pytest.mark.dask
def test_dask_local_cluster_gives_the_same_tables(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    src = make_folder(tmp_path, 6)
    make_zip(src / "more.zip", {f"z/{i}.txt": notice_text(200 + i) for i in range(3)})
    (src / "bad.txt").write_bytes(b"")
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert run(str(src), "-o", str(local), "--jobs", "2", "-q") == 1
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        assert run(str(src), "-o", str(remote), "-q", "--engine", "dask",
                   "--scheduler", cluster.scheduler_address) == 1
    assert tables(local) == tables(remote)
    with sqlite3.connect(remote / "manifest.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM inputs").fetchone()[0] == 10


# --- table contents ----------------------------------------------------------------------------------

def test_batch_tables_hold_the_rows_of_each_record(tmp_path: Path) -> None:
    """The cached per-notice rows, concatenated, are what the CSV writers give for the records."""
    import pyarrow.parquet as pq

    from parser import parse_file
    from parser.writers.csv_out import ASSIGNMENT_COLUMNS, TASK_COLUMNS, assignment_rows, csv_text, task_row

    src = make_folder(tmp_path, 4)
    (src / "comma.txt").write_text(notice_text(5).replace("市财政局", '市财政局,"引号"\n'), encoding="utf-8")
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0", "-q") == 0
    items, _ = collect([str(src)])
    notices = [(i.key, parse_file(i.path)) for i in items]
    tasks = [task_row(k, t) for k, n in notices for t in n.tasks]
    assigns = [r for k, n in notices for t in n.tasks for r in assignment_rows(k, t)]
    assert tasks, "the generated notices have tasks"
    assert (out / "tasks.csv").read_bytes().decode("utf-8") == csv_text(TASK_COLUMNS, tasks)
    assert (out / "assignments.csv").read_bytes().decode("utf-8") == csv_text(ASSIGNMENT_COLUMNS, assigns)
    table = pq.read_table(out / "tasks.parquet").to_pylist()
    assert [[str(r[c]) for c in TASK_COLUMNS] for r in table] == tasks
    assert pq.read_table(out / "units.parquet").num_rows == len(
        (out / "units.csv").read_text(encoding="utf-8-sig").splitlines()) - 1


def test_one_batch_per_output_folder(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = make_folder(tmp_path, 1)
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'w'); "
         "fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)", str(out / ".batch.lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert run(str(src), "-o", str(out), "--jobs", "0") == 1
        assert "another batch is writing" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    assert run(str(src), "-o", str(out), "--jobs", "0") == 0


def test_cache_files_are_json_records(tmp_path: Path) -> None:
    import json

    from schemas.notice import Notice

    src = make_folder(tmp_path, 2)
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "2", "-q") == 0
    lines = (out / "notices.jsonl").read_text(encoding="utf-8").splitlines()
    cached = sorted(json.loads(p.read_text(encoding="utf-8"))["record"]["source"]["path"]
                    for p in (out / "notices").glob("*.json"))
    assert cached == [Notice.model_validate_json(line).source.path for line in lines]


def test_unusable_cache_file_is_parsed_again(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    src = make_folder(tmp_path, 3)
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "0") == 0
    first = tables(out)
    victim = sorted((out / "notices").glob("*.json"))[0]
    victim.write_text("not a cache file", encoding="utf-8")
    assert run(str(src), "-o", str(out), "--jobs", "0") == 0
    assert "1 parsed, 0 failed, 2 skipped" in summary(capsys)
    assert tables(out) == first


def test_several_crashes_in_flight_each_fail_one_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = make_folder(tmp_path, 8)
    monkeypatch.setenv("NOTICE_PARSER_TEST_CRASH", "n001.txt,n002.txt,n006.txt")
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out), "--jobs", "1", "--chunksize", "2", "-q") == 1
    rows = error_rows(out)
    assert sorted(os.path.basename(r[0]) for r in rows) == ["n001.txt", "n002.txt", "n006.txt"]
    assert {r[2] for r in rows} == {"worker_crash"}
    assert (out / "notices.jsonl").read_text(encoding="utf-8").count("\n") == 5
