"""A correction made on the review page, end to end, in a real browser (Debian's chromium).

Edit on the page, save (a download), re-parse with ``--corrections``: the record shows
it, and the page written from the corrected record carries it on. Skips where
/usr/bin/chromium is absent (scripts/install_system_deps.sh installs it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from parser.cli import main

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seed_lines_city.txt"


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} absent: run scripts/install_system_deps.sh (as root) to install Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="python package playwright not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser, page_path: Path):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    fetched: list[str] = []

    def _route(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(("file://", "blob:")):
            route.continue_()
        else:
            fetched.append(route.request.url)
            route.abort()

    context.route("**/*", _route)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(page_path.as_uri())
    return context, page, fetched, problems


def _record(folder: Path) -> dict:
    return json.loads((folder / "seed_lines_city.json").read_text(encoding="utf-8"))


def test_correction_made_in_the_browser_survives_a_reparse(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = tmp_path / "first"
    assert main(["parse", str(SEED), "-o", str(first), "--report"]) == 0
    before = _record(first)
    task, dropped = before["tasks"][0], before["tasks"][2]
    moved = task["cooperating"][0]["name"]

    context, page, fetched, problems = _open(browser, first / "seed_lines_city.html")
    try:
        assert page.inner_text("#n-corrections") == "0 corrections"
        assert page.is_disabled("#save-corrections")
        page.click(f'aside button.edit[data-key="{task["key"]}"]')
        assert page.is_visible("#editor")
        assert page.inner_text("#editor .key") == task["key"]
        page.select_option(f'#editor ul[data-role="cooperating"] li[data-unit="{moved}"] select.role', "lead")
        assert page.locator(f'#editor ul[data-role="lead"] li[data-unit="{moved}"]').count() == 1
        page.fill('#editor input.date[data-milestone="0"]', "2020-03-31")
        page.fill('#editor form.add-unit input[name="unit"]', "市教育局")
        page.select_option('#editor form.add-unit select[name="role"]', "responsible")
        page.click('#editor form.add-unit button[type="submit"]')
        page.click(f'aside button.edit[data-key="{dropped["key"]}"]')
        page.check('#editor input[name="not_a_task"]')
        assert page.inner_text("#n-corrections") == "4 corrections"
        with page.expect_download() as download:
            page.click("#save-corrections")
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert not fetched, fetched
        assert not problems, problems
    finally:
        context.close()

    assert saved.name == "seed_lines_city.corrections.json"
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert list(data["notices"]) == [before["source"]["sha256"]]

    second = tmp_path / "second"
    assert main(["parse", str(SEED), "-o", str(second), "--report", "--corrections", str(saved)]) == 0
    after = _record(second)
    fixed = after["tasks"][0]
    assert fixed["key"] == task["key"] and fixed["corrected"] is True
    assert [u["name"] for u in fixed["lead"]][-1] == moved and fixed["lead"][-1]["corrected"] is True
    assert moved not in [u["name"] for u in fixed["cooperating"]]
    assert fixed["responsible"][-1]["name"] == "市教育局" and fixed["responsible"][-1]["corrected"] is True
    assert fixed["deadline"]["milestones"][0]["date"] == "2020-03-31"
    assert dropped["key"] not in [t["key"] for t in after["tasks"]]
    assert [c["status"] for c in after["corrections"]] == ["applied"] * 4

    # The page of the corrected record shows the correction, and saving again keeps all four.
    context, page, fetched, problems = _open(browser, second / "seed_lines_city.html")
    try:
        assert page.inner_text("#n-corrections") == "4 corrections"
        assert page.locator(".text mark.corrected").count() >= 1
        with page.expect_download() as download:
            page.click("#save-corrections")
        again = tmp_path / "again.json"
        download.value.save_as(again)
        assert not problems, problems
    finally:
        context.close()
    assert json.loads(again.read_text(encoding="utf-8"))["notices"] == data["notices"]
