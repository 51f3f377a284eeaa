"""``notice-parser serve``: a real uvicorn process on a free port, spoken to over HTTP.

The server is the installed command, started once for the module with small limits
(3 s per file, 3 MB per upload) and the worker test hooks (``parser.service_pool``), and
stopped at the end, with a check that it leaves no process behind. The record it answers
must be the one ``parse`` writes; every bad file of tests/test_bad_inputs.py must get its
error code with the documented HTTP status; schemathesis checks every operation against
the OpenAPI document the server publishes.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("schemathesis")
psutil = pytest.importorskip("psutil")

from parser.errors import ALL_ERRORS  # noqa: E402
from parser.service import BAD_REQUEST, HTTP_STATUS  # noqa: E402
from tests.test_bad_inputs import BAD  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent / "notice-parser"
COMMAND = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "parser.cli"]
TIMEOUT_S = 3.0
MAX_BYTES = 3_000_000
SERVER_LIMITS = ["--timeout", str(TIMEOUT_S), "--max-bytes", str(MAX_BYTES), "--max-unzipped-bytes", "5000000"]
"""The zip limit of test_bad_inputs' size bomb (its SMALL_ZIP); the other bad files get their codes either way."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """One ``notice-parser serve`` process, with its log in a file."""

    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / f"serve-{self.port}.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([*COMMAND, "serve", "--port", str(self.port), *args],
                                     stdout=self.log, stderr=subprocess.STDOUT, cwd=tmp,
                                     env={**os.environ, **(env or {})})
        self.wait_up()
        self.children = [c.pid for c in psutil.Process(self.proc.pid).children(recursive=True)]

    def wait_up(self, within: float = 90.0) -> None:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text(errors='replace')}")
            try:
                if httpx.get(self.url + "/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not come up: {self.log_path.read_text(errors='replace')}")

    def stop(self) -> int | None:
        """SIGTERM, as a service manager stops it; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def text_log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    hooks = {"NOTICE_PARSER_TEST_HANG": "hang.txt", "NOTICE_PARSER_TEST_HANG_HARD": "hang-hard.txt",
             "NOTICE_PARSER_TEST_CRASH": "crash.txt"}
    srv = Server(tmp, "--workers", "2", *SERVER_LIMITS, env=hooks)
    yield srv
    srv.children = [c.pid for c in psutil.Process(srv.proc.pid).children(recursive=True)]  # replacements too
    status = srv.stop()
    assert status in (0, -15), srv.text_log()  # uvicorn re-raises the SIGTERM it handled
    assert "Application shutdown complete" in srv.text_log()
    time.sleep(0.5)
    left = [pid for pid in srv.children if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    assert not left, f"processes left behind: {left}"


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def parse_record(path: Path, tmp_path: Path, *options: str) -> dict:  # type: ignore[type-arg]
    """What ``notice-parser parse`` writes for the file, named as the upload is (its base name)."""
    work = tmp_path / "cli"
    work.mkdir(exist_ok=True)
    (work / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "cli-out"
    run = subprocess.run([*COMMAND, "parse", path.name, "-o", str(out), "--format", "json", *options], cwd=work,
                         capture_output=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr.decode()
    (written,) = out.glob("*.json")
    return json.loads(written.read_text(encoding="utf-8"))


def normal(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


SEEDS = [CORPUS / "seed_lines_city.txt", SHARED / "tianshui_2017_137.txt"]


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_answers_the_record_parse_writes(path: Path, client: httpx.Client, tmp_path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared is not beside this checkout)")
    expected = parse_record(path, tmp_path)
    with open(path, "rb") as fh:
        multipart = client.post("/v1/notices", files={"file": (path.name, fh, "text/plain")})
    assert multipart.status_code == 200, multipart.text
    assert multipart.headers["content-type"] == "application/json"
    assert normal(multipart.json()) == normal(expected)
    raw = client.post("/v1/notices", content=path.read_bytes(),
                      headers={"X-Filename": urllib.parse.quote(path.name), "Content-Type": "application/octet-stream"})
    assert raw.status_code == 200 and normal(raw.json()) == normal(expected)
    query = client.post("/v1/notices", params={"filename": path.name}, content=path.read_bytes())
    assert query.status_code == 200 and normal(query.json()) == normal(expected)
    assert expected["tasks"], "a seed notice with tasks"


def test_byte_for_byte_the_json_parse_writes(client: httpx.Client, tmp_path: Path) -> None:
    """Not only the same data: the same text (indent, key order, non-ASCII as is)."""
    path = CORPUS / "seed_lines_city.txt"
    parse_record(path, tmp_path)
    written = next((tmp_path / "cli-out").glob("*.json")).read_bytes()
    answer = client.post("/v1/notices", params={"filename": path.name}, content=path.read_bytes())
    assert answer.content == written


def test_chinese_file_name_in_the_header(client: httpx.Client) -> None:
    name = "天政办发〔2017〕137号.txt"
    answer = client.post("/v1/notices", content=(CORPUS / "seed_lines_city.txt").read_bytes(),
                         headers={"X-Filename": urllib.parse.quote(name)})
    assert answer.status_code == 200
    assert answer.json()["source"]["path"] == name


def test_a_path_as_file_name_keeps_its_base_name_only(client: httpx.Client) -> None:
    answer = client.post("/v1/notices", params={"filename": "../../etc/x.txt"},
                         content=(CORPUS / "seed_lines_city.txt").read_bytes())
    assert answer.status_code == 200 and answer.json()["source"]["path"] == "x.txt"


def test_report_answers_record_and_review_page(client: httpx.Client, tmp_path: Path) -> None:
    path = CORPUS / "seed_lines_city.txt"
    expected = parse_record(path, tmp_path)
    answer = client.post("/v1/notices", params={"report": "1", "filename": path.name}, content=path.read_bytes())
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"record", "report"}
    assert normal(body["record"]) == normal(expected)
    page = body["report"]
    assert page.lstrip().lower().startswith("<!doctype html")
    assert expected["tasks"][0]["text"][:10] in page


@pytest.mark.parametrize("name", list(BAD))
def test_bad_file_gets_its_code_and_status(name: str, client: httpx.Client) -> None:
    build, code = BAD[name]
    data = build()
    answer = client.post("/v1/notices", files={"file": (name, data, "application/octet-stream")})
    assert answer.status_code == HTTP_STATUS[code], answer.text
    body = answer.json()
    assert set(body) == {"code", "reason"}
    assert body["code"] == code
    assert body["reason"] and "\n" not in body["reason"]


def test_statuses_named_by_the_issue(client: httpx.Client) -> None:
    """400 unreadable, 413 too large, 415 unsupported, 422 not a notice (when tasks are required)."""
    assert {HTTP_STATUS[c] for c in ("empty", "encoding", "corrupt", "encrypted", "no_text_layer")} == {400}
    assert (HTTP_STATUS["too_large"], HTTP_STATUS["unsupported_format"], HTTP_STATUS["not_a_notice"],
            HTTP_STATUS["timeout"]) == (413, 415, 422, 504)
    no_tasks = (CORPUS / "lanping_2017_cover_portal_no_tasks.txt").read_bytes()
    plain = client.post("/v1/notices", params={"filename": "a.txt"}, content=no_tasks)
    assert plain.status_code == 200 and plain.json()["tasks"] == [], "like parse: a record without tasks"
    strict = client.post("/v1/notices", params={"filename": "a.txt", "require_tasks": "1"}, content=no_tasks)
    assert (strict.status_code, strict.json()["code"]) == (422, "not_a_notice")


def test_every_error_code_has_a_documented_status(client: httpx.Client) -> None:
    assert {e.code for e in ALL_ERRORS} <= set(HTTP_STATUS)
    doc = client.get("/openapi.json").json()
    documented = doc["paths"]["/v1/notices"]["post"]["responses"]
    for code, status in HTTP_STATUS.items():
        assert code in documented[str(status)]["description"], code


@pytest.mark.parametrize("how", ["multipart", "raw"])
def test_upload_over_the_size_limit_is_413(how: str, client: httpx.Client) -> None:
    data = b"a" * (MAX_BYTES + 1)
    if how == "multipart":
        answer = client.post("/v1/notices", files={"file": ("big.txt", data)})
    else:
        answer = client.post("/v1/notices", params={"filename": "big.txt"}, content=data)
    assert (answer.status_code, answer.json()["code"]) == (413, "too_large")


def test_chunked_upload_over_the_limit_is_413(client: httpx.Client) -> None:
    """No Content-Length to check up front: the body is counted as it comes."""
    def chunks() -> Iterator[bytes]:
        for _ in range(MAX_BYTES // 100_000 + 2):
            yield b"a" * 100_000

    answer = client.post("/v1/notices", params={"filename": "big.txt"}, content=chunks())
    assert (answer.status_code, answer.json()["code"]) == (413, "too_large")


def test_request_without_a_file_is_400(client: httpx.Client) -> None:
    answer = client.post("/v1/notices", files={"other": ("a.txt", b"x")})
    assert (answer.status_code, answer.json()["code"]) == (400, BAD_REQUEST)
    answer = client.post("/v1/notices", params={"report": "perhaps"}, content=b"x")
    assert (answer.status_code, answer.json()["code"]) == (400, BAD_REQUEST)


def test_a_hanging_file_times_out_and_blocks_nobody(client: httpx.Client, server: Server) -> None:
    seed = (CORPUS / "seed_lines_city.txt").read_bytes()
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        t0 = time.monotonic()
        slow = ex.submit(client.post, "/v1/notices", params={"filename": "hang.txt"}, content=seed)
        time.sleep(0.3)
        quick = client.post("/v1/notices", params={"filename": "seed.txt"}, content=seed)
        quick_s = time.monotonic() - t0
        answer = slow.result()
    assert quick.status_code == 200 and quick_s < TIMEOUT_S, "answered while the other file hangs"
    assert (answer.status_code, answer.json()["code"]) == (504, "timeout")


def test_a_worker_stuck_in_c_code_is_replaced(client: httpx.Client) -> None:
    """The alarm is blocked, as in a C library that never returns: the server kills the worker."""
    seed = (CORPUS / "seed_lines_city.txt").read_bytes()
    t0 = time.monotonic()
    answer = client.post("/v1/notices", params={"filename": "hang-hard.txt"}, content=seed)
    assert (answer.status_code, answer.json()["code"]) == (504, "timeout")
    assert time.monotonic() - t0 < TIMEOUT_S + 10
    for _ in range(3):  # both workers answer again, the replacement included
        assert client.post("/v1/notices", params={"filename": "a.txt"}, content=seed).status_code == 200


def test_a_crashing_worker_fails_its_file_only(client: httpx.Client) -> None:
    seed = (CORPUS / "seed_lines_city.txt").read_bytes()
    answer = client.post("/v1/notices", params={"filename": "crash.txt"}, content=seed)
    assert (answer.status_code, answer.json()["code"]) == (500, "worker_crash")
    assert "exit status 70" in answer.json()["reason"]
    for _ in range(3):
        assert client.post("/v1/notices", params={"filename": "a.txt"}, content=seed).status_code == 200


def test_corrections_are_applied_as_parse_applies_them(client: httpx.Client, tmp_path: Path) -> None:
    """``serve --corrections``: the answer is the corrected record ``parse --corrections`` writes,
    and a correction whose task is gone is reported in it, not dropped."""
    pytest.importorskip("parser.corrections", reason="corrections come with issue 13 item 5 (h13-keys)")
    seed = CORPUS / "seed_lines_city.txt"
    plain = client.post("/v1/notices", params={"filename": seed.name}, content=seed.read_bytes()).json()
    task = next(t for t in plain["tasks"] if t["lead"])
    unit = task["lead"][0]["name"]
    corrections = {"format": "notice-parser-corrections/1", "notices": {plain["source"]["sha256"]: {
        "source": seed.name,
        "tasks": {task["key"]: [{"op": "remove", "unit": unit, "role": "lead"}],
                  "no-such-task": [{"op": "not_a_task"}]}}}}
    path = tmp_path / "corrections.json"
    path.write_text(json.dumps(corrections, ensure_ascii=False), encoding="utf-8")
    srv = Server(tmp_path, "--workers", "1", "--corrections", str(path), *SERVER_LIMITS)
    try:
        answer = httpx.post(srv.url + "/v1/notices", params={"filename": seed.name}, content=seed.read_bytes(),
                            timeout=60)
    finally:
        srv.stop()
    assert answer.status_code == 200, answer.text
    fixed = answer.json()
    corrected = next(t for t in fixed["tasks"] if t["key"] == task["key"])
    assert unit not in [u["name"] for u in corrected["lead"]]
    assert sorted(c["status"] for c in fixed["corrections"]) == ["applied", "unmatched"]
    assert normal(fixed) == normal(parse_record(seed, tmp_path, "--corrections", str(path)))


def workers_of(server: Server) -> list[psutil.Process]:
    """The parse workers: children of the fork server, itself a child of the server."""
    forkservers = [c for c in psutil.Process(server.proc.pid).children()
                   if "forkserver" in " ".join(c.cmdline())]
    return [w for f in forkservers for w in f.children()]


def test_workers_killed_while_idle_are_replaced_before_use(client: httpx.Client, server: Server) -> None:
    """A worker the kernel killed between requests (out of memory) must not fail the next file."""
    workers = workers_of(server)
    assert len(workers) == 2
    for w in workers:
        w.kill()
    psutil.wait_procs(workers, timeout=5)
    seed = (CORPUS / "seed_lines_city.txt").read_bytes()
    for _ in range(3):
        answer = client.post("/v1/notices", params={"filename": "a.txt"}, content=seed)
        assert answer.status_code == 200, answer.text
    assert len(workers_of(server)) == 2


def test_health(client: httpx.Client) -> None:
    body = client.get("/v1/health").json()
    assert body["status"] == "ok" and body["workers"] == 2
    assert body["timeout_s"] == TIMEOUT_S and body["max_bytes"] == MAX_BYTES


def test_unknown_path_answers_code_and_reason(client: httpx.Client) -> None:
    answer = client.get("/v2/nothing")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


def test_binds_to_loopback_by_default(server: Server) -> None:
    assert f"Uvicorn running on {server.url}" in server.text_log()
    listening = {c.laddr.ip for c in psutil.Process(server.proc.pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN}
    assert listening == {"127.0.0.1"}
    from parser.cli import build_parser

    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


# --- schemathesis: every operation against the published OpenAPI document ------------------------

def test_api_conforms_to_its_openapi_document(server: Server, tmp_path: Path) -> None:
    """Every check schemathesis has, on every operation; tests/schemathesis.toml says which
    4xx answers a schema-valid body may get (a PNG is valid bytes but no notice)."""
    st = Path(sys.executable).parent / "schemathesis"
    command = [str(st)] if st.exists() else [sys.executable, "-m", "schemathesis.cli"]
    run = subprocess.run([*command, "--config-file", str(ROOT / "tests" / "schemathesis.toml"), "--no-color",
                          "run", server.url + "/openapi.json", "--checks", "all", "--max-examples", "40",
                          "--workers", "1", "--seed", "20261207", "--report", "junit",
                          "--report-dir", str(tmp_path)],
                         capture_output=True, timeout=500, check=False, cwd=tmp_path)
    out = run.stdout.decode(errors="replace")
    assert run.returncode == 0, out[-6000:]
    assert "2 selected / 2 total" in out
    (report,) = tmp_path.glob("junit*.xml")
    suite = ElementTree.parse(report).getroot()
    cases = suite.findall(".//testcase")
    assert len(cases) == 2, "both operations were tested"
    assert not suite.findall(".//failure") and not suite.findall(".//error")


def test_the_document_is_generated_from_the_record_models(client: httpx.Client) -> None:
    from schemas.notice import Notice

    doc = client.get("/openapi.json").json()
    published = doc["components"]["schemas"]["Notice"]
    assert set(published["properties"]) == set(Notice.model_json_schema()["properties"])
    assert published.get("additionalProperties") is False


def test_serve_help_lists_its_options() -> None:
    run = subprocess.run([*COMMAND, "serve", "--help"], capture_output=True, timeout=60, check=False)
    text = run.stdout.decode()
    for option in ("--host", "--port", "--workers", "--timeout", "--max-bytes", "--max-zip-ratio", "--max-pages"):
        assert option in text, option
    assert shlex.quote("127.0.0.1") in text
