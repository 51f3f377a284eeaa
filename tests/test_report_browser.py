"""The review page in a real browser: Debian's chromium, headless, through Playwright.

Checks what only a browser can: the highlights' text as rendered equals the record's
slices, the timeline's months, the side list scrolling, that the page's own scripts
run under its Content-Security-Policy while a <script> in the notice does not, and
that nothing is fetched. Skips where /usr/bin/chromium is absent
(scripts/install_system_deps.sh installs it).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from parser.writers.report import month_counts, page_name, write_reports
from schemas.notice import ROLES, Notice

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "corpus" / "tianshui_2017_137.txt"
SCREENSHOT = ROOT / "output" / "report_screenshot.png"
pytestmark = pytest.mark.fonts  # the page's Chinese is laid out in whichever CJK font fontconfig offers


def _sample_notice() -> Notice:
    """The hand-built notice of tests/test_report.py (loaded by path: tests is not a package)."""
    spec = importlib.util.spec_from_file_location("_report_sample", Path(__file__).with_name("test_report.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sample_notice()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} absent: run scripts/install_system_deps.sh (as root) to install Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="python package playwright not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _seed_notice() -> Notice:
    if not SEED.exists():
        pytest.skip(f"seed notice {SEED} absent (../shared is not part of a fresh clone)")
    from parser import parse_file

    notice = parse_file(str(SEED))
    if not notice.tasks:
        pytest.skip("the seed parses to no tasks yet (task extraction not in place)")
    return notice


def _record_spans(notice: Notice) -> set[tuple[int, int]]:
    spans: set[tuple[int, int]] = set()
    for t in notice.tasks:
        spans |= {tuple(u.span) for r in ROLES for u in getattr(t, r)}  # type: ignore[misc]
        if t.deadline:
            spans.add(tuple(t.deadline.span))  # type: ignore[arg-type]
            spans |= {tuple(m.span) for m in t.deadline.milestones if m.span}  # type: ignore[misc]
    return spans


def _open(browser, notice: Notice, folder: Path):  # type: ignore[no-untyped-def]
    write_reports([notice], str(folder))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []

    def _route(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            fetched.append(route.request.url)
            route.abort()

    context.route("**/*", _route)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("dialog", lambda d: (problems.append("dialog: " + d.message), d.dismiss()))
    page.goto((folder / page_name(notice)).as_uri())
    return context, page, fetched, problems


def _check_page(browser, notice: Notice, folder: Path, screenshot: Path | None = None) -> None:
    context, page, fetched, problems = _open(browser, notice, folder)
    try:
        marks = page.eval_on_selector_all(
            ".text [data-kind]",
            "els => els.map(e => [e.dataset.kind, +e.dataset.start, +e.dataset.end, e.textContent, !!e.dataset.part])")
        assert marks, "no highlights on the page"
        spans = _record_spans(notice)
        checked = set()
        for kind, start, end, content, part in marks:
            assert content == notice.text[start:end], (kind, start, end)
            if kind in (*ROLES, "deadline", "milestone") and not part:
                assert (start, end) in spans, (kind, start, end)
                checked.add((start, end))
        assert checked == spans  # every unit/deadline of the record is highlighted, whole

        ids = page.eval_on_selector_all("aside ol.tasks a", "els => els.map(e => e.dataset.target)")
        assert ids == [f"task-{t.id}" for t in notice.tasks]
        assert page.locator('.text [data-kind="task"]').count() >= len(notice.tasks)

        months = page.eval_on_selector_all("#timeline g.month", "els => els.map(e => e.dataset.month)")
        dated = sorted({m.date[:7] for t in notice.tasks if t.deadline for m in t.deadline.milestones if m.date})
        assert months == dated == list(month_counts(notice)[0])

        target = notice.tasks[len(notice.tasks) // 2] if len(notice.tasks) > 2 else notice.tasks[-1]
        page.click(f'aside a[data-target="task-{target.id}"]')
        page.wait_for_timeout(100)
        box = page.locator(f'[id="task-{target.id}"]').first.bounding_box()
        assert box is not None and 0 <= box["y"] <= 40, box
        assert page.evaluate("window.scrollY") > 0
        flashed = f'document.getElementById("task-{target.id}").classList.contains("flash")'
        assert page.evaluate(flashed), "the side list's script did not run"

        assert not fetched, fetched
        assert not problems, problems  # no CSP violation of our own script, no notice script run
        if screenshot:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.evaluate("window.scrollTo(0, 0); document.querySelector('aside').scrollTop = 0")
            page.screenshot(path=str(screenshot))
    finally:
        context.close()


def test_built_notice_page_in_browser(browser, tmp_path):
    # On a fresh clone (no seed) this page is the screenshot; with the seed, the seed's page is.
    _check_page(browser, _sample_notice(), tmp_path, screenshot=None if SEED.exists() else SCREENSHOT)


def test_seed_notice_page_in_browser(browser, tmp_path):
    _check_page(browser, _seed_notice(), tmp_path, screenshot=SCREENSHOT)


def test_index_sorts_by_clicked_column(browser, tmp_path):
    base = _sample_notice()
    notices = []
    for i, n_tasks in enumerate((3, 1, 2)):
        notice = base.model_copy(deep=True)
        notice.source.path = f"corpus/n{i}.txt"
        notice.tasks = notice.tasks[:n_tasks]
        notices.append(notice)
    write_reports(notices, str(tmp_path))
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((tmp_path / "index.html").as_uri())
        col = "#notices tbody tr td:nth-child(4)"
        page.click("#notices thead th:nth-child(4)")
        assert page.eval_on_selector_all(col, "els => els.map(e => e.textContent)") == ["1", "2", "3"]
        page.click("#notices thead th:nth-child(4)")
        assert page.eval_on_selector_all(col, "els => els.map(e => e.textContent)") == ["3", "2", "1"]
        page.click("#notices thead th:nth-child(1)")
        names = page.eval_on_selector_all("#notices tbody tr td:nth-child(1)", "els => els.map(e => e.textContent)")
        assert names == ["n0", "n1", "n2"]
    finally:
        context.close()
