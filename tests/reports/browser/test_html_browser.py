"""The HTML report in a real browser: headless Chromium driven by Playwright.

Opens the report from disk with every non-file request blocked, and checks what a
planner does with it: no console error, the family filter hides the other rows,
sorting, paging, evidence, the picture. Screenshots are saved under pytest's
temporary folder, or under ``$NETCENSUS_ARTIFACTS`` when set (for CI to keep).

Needs Debian's ``chromium`` and the ``playwright`` Python package (its own browser
download is not used); skipped when either is missing.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.context import AuditResult
from analysis.findings import Evidence, Finding, Severity
from reports.registry import RenderOptions, render

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
INJECTION = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (Debian package 'chromium')")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclasses.dataclass
class Opened:
    """A report open in a page, with what went wrong while loading it."""

    page: object
    errors: list[str]
    outside_requests: list[str]
    dialogs: list[str]


@pytest.fixture
def open_report(browser, tmp_path: Path) -> Iterator:
    pages = []

    def opener(result: AuditResult, lang: str = "en") -> Opened:
        (path,) = render("html", result, tmp_path, RenderOptions(lang=lang))
        # Reduced motion: the report then jumps instead of scrolling smoothly, so clicks land.
        page = browser.new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
        pages.append(page)
        opened = Opened(page, [], [], [])
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))

        def only_local(route) -> None:
            url = route.request.url
            if url.startswith(("file:", "data:")):
                route.continue_()
            else:
                opened.outside_requests.append(url)
                route.abort()

        page.route("**/*", only_local)
        page.goto(path.as_uri())
        page.wait_for_selector("#nc-rows tr")
        return opened

    yield opener
    for page in pages:
        page.close()


def hostile(result: AuditResult) -> AuditResult:
    """The small audit with markup in a site name, a finding title and its evidence."""
    inv = result.inventory
    sites = {**inv.sites, "east": inv.sites["east"].model_copy(update={"name": f"East {INJECTION}"})}
    first = result.findings[0]
    findings = [dataclasses.replace(first, title=f"{first.title} {INJECTION}",
                                    evidence=(Evidence("captures/x.txt", f" description {INJECTION}"),)),
                *result.findings[1:]]
    return dataclasses.replace(result, inventory=dataclasses.replace(inv, sites=sites), findings=findings)


def visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#nc-rows tr.row", "rows => rows.map(r => ({family: r.dataset.family, key: r.dataset.key, "
                           "cells: Array.from(r.cells).map(c => c.textContent)}))")


def artifacts_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("NETCENSUS_ARTIFACTS") or tmp_path / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_opens_offline_without_errors_and_shows_the_picture(open_report, small_result: AuditResult,
                                                                     tmp_path: Path, lang: str) -> None:
    opened = open_report(hostile(small_result), lang)
    page = opened.page
    assert opened.errors == [] and opened.outside_requests == [] and opened.dialogs == []
    assert page.evaluate("window.pwned === undefined")
    assert page.locator(".picture svg .nc-site").count() == len(small_result.inventory.sites)
    assert page.locator(".picture svg .nc-circuit").count() == len(small_result.inventory.circuits)
    assert len(visible_rows(page)) == len(small_result.findings)
    shot = artifacts_dir(tmp_path) / f"netcensus-report-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000


def test_a_family_filter_hides_the_other_rows(open_report, small_result: AuditResult) -> None:
    page = open_report(small_result).page
    lines = [f.key for f in small_result.findings if f.family == "lines"]
    page.click('#nc-filters .chip[data-filter="family"][data-value="lines"]')
    rows = visible_rows(page)
    assert [r["key"] for r in rows] == lines and {r["family"] for r in rows} == {"lines"}
    page.click('#nc-filters .chip[data-filter="family"][data-value="lines"]')  # again: all back
    assert len(visible_rows(page)) == len(small_result.findings)


def test_severity_department_and_search_filters_combine(open_report, small_result: AuditResult) -> None:
    page = open_report(small_result).page
    page.select_option("#nc-dept", "police")
    police = {r["key"] for r in visible_rows(page)}
    assert police and "LIN005:CM-003" not in police  # CM-003 is the informatization office's line
    page.click('#nc-filters .chip[data-filter="severity"][data-value="3"]')
    assert [r["key"] for r in visible_rows(page)] == ["INV003:CU-002"]
    page.click("#nc-reset")
    page.fill("#nc-search", "pol-room")
    assert [r["key"] for r in visible_rows(page)] == ["ROM001:pol-room"]


def test_sorting_by_saving_puts_the_largest_first(open_report, small_result: AuditResult) -> None:
    page = open_report(small_result).page
    page.click('#nc-table th[data-sort="saving"]')
    keys = [r["key"] for r in visible_rows(page)]
    savings = {f.key: f.saving_cny_per_year for f in small_result.findings}
    with_saving = [k for k in keys if savings[k]]
    assert with_saving == sorted(with_saving, key=lambda k: -savings[k])
    assert keys[: len(with_saving)] == with_saving  # findings without a saving come last


def test_a_row_click_shows_its_evidence_as_text(open_report, small_result: AuditResult) -> None:
    opened = open_report(hostile(small_result))
    page = opened.page
    page.click("#nc-rows tr.row >> nth=0")
    detail = page.locator("#nc-rows tr.detail")
    assert detail.count() == 1
    assert INJECTION in detail.inner_text()  # shown literally, not parsed
    assert page.locator("#nc-rows img").count() == 0 and page.evaluate("window.pwned === undefined")


def test_large_tables_are_paginated(open_report, small_result: AuditResult) -> None:
    many = [Finding("LIN004", "lines", Severity.LOW, (f"C{i:04d}",), f"underused line {i}", "Downgrade.")
            for i in range(120)]
    page = open_report(dataclasses.replace(small_result, findings=many)).page
    assert len(visible_rows(page)) == 50
    assert "1–50" in page.inner_text("#nc-count") and "120" in page.inner_text("#nc-count")
    page.click("#nc-next")
    page.click("#nc-next")
    rows = visible_rows(page)
    assert [r["key"] for r in rows] == [f.key for f in many[100:]]
    assert page.is_disabled("#nc-next")


def test_links_from_the_summary_picture_and_departments_filter_the_table(open_report,
                                                                        small_result: AuditResult) -> None:
    page = open_report(small_result).page
    page.click('button.count[data-goto-family="lines"][data-goto-severity="2"]')
    assert {r["family"] for r in visible_rows(page)} == {"lines"}
    page.click('.picture .nc-site[data-site="west"] circle')
    assert [r["key"] for r in visible_rows(page)] == ["LIN005:CM-003"]  # the only finding at West Depot
    assert page.is_visible("#nc-site-chip")
    page.click('[data-goto-dept="it"]')
    assert {r["key"] for r in visible_rows(page)} >= {"LIN005:CM-003"}
    assert not page.is_visible("#nc-site-chip")


def test_the_sample_city_report_works_in_the_browser(open_report, tmp_path: Path) -> None:
    """The Chinese report of the bundled sample (the English one is the same page, other words)."""
    lang = "zh"
    import datetime as dt
    import json

    from netcensus.pipeline import audit
    from netcensus.sample import generate

    city = generate(tmp_path / "sample")
    today = json.loads(Path(city.planted_path).read_text(encoding="utf-8"))["today"]
    result = audit(city.inventory_dir, city.captures_dir, today=dt.date.fromisoformat(today))
    opened = open_report(result, lang)
    page = opened.page
    assert opened.errors == [] and opened.outside_requests == []
    assert page.locator(".picture svg .nc-site").count() == len(result.inventory.sites)
    assert page.locator("#proposal table.proposal tbody tr").count() >= 1
    families = {f.family for f in result.findings}
    page.click('#nc-filters .chip[data-filter="family"][data-value="lines"]')
    shown = visible_rows(page)
    assert shown and {r["family"] for r in shown} == {"lines"} and len(families) > 1
    page.click('#nc-filters .chip[data-filter="family"][data-value="lines"]')
    page.evaluate("window.scrollTo(0, 0)")  # the sticky menu then sits at the top of the picture
    shot = artifacts_dir(tmp_path) / f"netcensus-sample-report-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 100_000


def test_show_all_reveals_the_rest_of_a_long_list(open_report, small_result: AuditResult) -> None:
    from inventory.model import Department
    from reports.html import ROWS_SHOWN

    inv = small_result.inventory
    extra = {f"d{i:02d}": Department(id=f"d{i:02d}", name=f"Office {i}") for i in range(ROWS_SHOWN)}
    result = dataclasses.replace(small_result, inventory=dataclasses.replace(
        inv, departments={**inv.departments, **extra}))
    page = open_report(result).page
    assert page.locator("details.dept:visible").count() == ROWS_SHOWN
    page.click('[data-reveal="more-departments"]')
    assert page.locator("details.dept:visible").count() == ROWS_SHOWN + len(inv.departments)
    assert not page.is_visible('[data-reveal="more-departments"]')
