"""The HTML report in headless Chromium: no errors, no network, sorting, filtering, drill-down.

Saves a screenshot to docs/report.png (shown in the README).
"""

import shutil
from pathlib import Path

import pytest

from report_sample import build_report

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); "
                    "the browser test needs headless Chromium")
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def browser():
    sync_api = _chromium()
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def page_and_log(browser, tmp_path_factory):
    yield from _open(browser, tmp_path_factory, build_report(period_days=182.625, staff=12))


@pytest.fixture(scope="module")
def clean_page(browser, tmp_path_factory):
    """A larger report without hostile text, for the README screenshot."""
    yield from _open(browser, tmp_path_factory,
                     build_report(cases=400, xss=False, period_days=365.25, staff=12))


def _open(browser, tmp_path_factory, report):
    from dupscan.report import write_reports

    path = write_reports(report, tmp_path_factory.mktemp("html"), ["html"])["html"]
    log = {"console": [], "errors": [], "requests": [], "dialogs": []}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: log["console"].append((m.type, m.text)))
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))

    def _dialog(d):
        log["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", _dialog)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    try:
        yield page, log, path
    finally:
        page.close()


def test_no_errors_no_network_no_dialogs(page_and_log):
    page, log, _ = page_and_log
    page.wait_for_timeout(200)
    assert log["errors"] == []
    assert [m for m in log["console"] if m[0] in ("error", "warning")] == []
    assert log["requests"], "the page itself should be requested"
    assert all(u.startswith(("file:", "data:")) for u in log["requests"]), log["requests"]
    assert log["dialogs"] == []  # the <script>alert(1)</script> record text never ran
    # the script ran (it adds the sort affordance and the filter count)
    assert page.locator("#t-fields th.sortable").count() > 0


def test_clicking_a_header_sorts(page_and_log):
    page, _, _ = page_and_log
    header = page.locator("#t-fields thead th", has_text="Words").first
    column = "#t-fields tbody tr td:nth-child(5)"

    def values():
        return [float(v) for v in page.locator(column).evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-v'))")]

    header.click()
    ascending = values()
    assert ascending == sorted(ascending) and header.get_attribute("aria-sort") == "ascending"
    header.click()
    descending = values()
    assert descending == sorted(descending, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    assert len(set(ascending)) > 1


def test_filter_box_filters(page_and_log):
    page, _, _ = page_and_log
    box = page.locator('input[data-filter="t-pairs"]')
    rows = page.locator("#t-pairs tbody tr")
    total = rows.count()
    box.fill("chronology")
    visible = [r for r in rows.all() if r.is_visible()]
    assert 0 < len(visible) < total
    assert all("chronology" in r.inner_text().lower() for r in visible)
    counter = page.locator('input[data-filter="t-pairs"] + .count').inner_text()
    assert counter == f"{len(visible)} of {total} rows"
    box.fill("")
    assert sum(r.is_visible() for r in rows.all()) == total


def test_drilldown_expands(page_and_log):
    page, log, _ = page_and_log
    details = page.locator("details.case").first
    pair = details.locator(".pair").first
    assert not pair.is_visible()
    details.locator("summary").click()
    assert pair.is_visible()
    assert details.locator("mark").count() > 0
    # the case link in the table opens the second case
    page.locator("#t-cases a", has_text="C002").click()
    assert page.locator("details.case").nth(1).evaluate("d => d.open")
    assert log["dialogs"] == []


def test_screenshot_for_readme(clean_page):
    page, log, _ = clean_page
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    target = docs / "report.png"
    tmp = docs / ".report.png.tmp"
    page.screenshot(path=str(tmp), full_page=False, type="png")
    shutil.move(tmp, target)
    assert target.stat().st_size > 10_000
    assert log["errors"] == []
