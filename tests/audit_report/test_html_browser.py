"""The HTML report opened in a real headless browser (Debian's chromium through Playwright), offline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from handoff.audit.html import render_html
from handoff.messages import t
from tests.audit_report import reports

CHROMIUM = Path("/usr/bin/chromium")


def _open(document: str, tmp_path: Path, shot: str) -> tuple[dict[str, object], list[str]]:
    """Load the document from a file:// URL with every other request blocked and recorded; return what the page
    showed (queried in the browser) and the blocked requests. A full-page screenshot goes to tmp_path and to
    $HANDOFF_TEST_ARTIFACTS when set."""
    if not CHROMIUM.is_file():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (scripts/setup installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (the test extra)")
    page_file = tmp_path / "audit.html"
    page_file.write_text(document, encoding="utf-8")
    url = page_file.as_uri()
    blocked: list[str] = []

    def guard(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if request.url == url:
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(request.url)
            route.abort()  # type: ignore[attr-defined]

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.route("**/*", guard)
            page.on("request", lambda r: None if r.url == url else blocked.append(r.url))
            page.goto(url, wait_until="load")
            seen = page.evaluate(_PROBE)
            overdue = page.locator("svg.timeline rect.overdue").first
            seen["overdue_visible"] = overdue.count() > 0 and overdue.is_visible()
            seen["open_items_visible"] = page.locator("#open-items").is_visible()
            seen["vendors_visible"] = page.locator("#vendors table").is_visible()
            png = tmp_path / shot
            page.screenshot(path=str(png), full_page=True)
        finally:
            browser.close()
    assert png.stat().st_size > 10_000
    if os.environ.get("HANDOFF_TEST_ARTIFACTS"):
        target = Path(os.environ["HANDOFF_TEST_ARTIFACTS"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(png, target / shot)
    seen["screenshot"] = str(png)
    return seen, blocked


# Run in the page: what a reader finds, by the ids and classes the report promises.
_PROBE = """() => {
  const open = document.getElementById('open-items');
  const timelines = document.getElementById('timelines');
  const follows = open && timelines
    ? Boolean(open.compareDocumentPosition(timelines) & Node.DOCUMENT_POSITION_FOLLOWING) : false;
  const bar = document.querySelector('svg.timeline rect.overdue');
  const box = bar ? bar.getBoundingClientRect() : null;
  const row = bar ? bar.closest('svg') : null;
  return {
    lang: document.documentElement.lang,
    h1: document.querySelector('h1').textContent,
    openBeforeTimelines: follows,
    findings: [...document.querySelectorAll('#open-items tr.finding')].map(r => r.dataset.code),
    findingText: [...document.querySelectorAll('#open-items tr.finding')].map(r => r.textContent),
    svgs: document.querySelectorAll('#timelines svg.timeline').length,
    svgRoles: [...document.querySelectorAll('svg.timeline')].map(s => s.getAttribute('role') + '|' + s.getAttribute('aria-label')),
    overdueBars: document.querySelectorAll('svg.timeline rect.overdue').length,
    overdueTitle: bar && bar.querySelector('title') ? bar.querySelector('title').textContent : '',
    overdueFill: bar ? bar.getAttribute('fill') : '',
    overdueBox: box ? [box.width, box.height] : [0, 0],
    overdueLabels: row ? [...row.querySelectorAll('text.overdue-label')].map(t => t.textContent) : [],
    vendorRows: [...document.querySelectorAll('#vendors tbody tr')].map(r => r.dataset.vendor + '/' + r.dataset.fiscalYear),
    vendorCaption: document.querySelector('#vendors caption') ? document.querySelector('#vendors caption').textContent : '',
    scripts: document.scripts.length,
    bElements: document.querySelectorAll('b').length,
  };
}"""


def test_browser_shows_open_items_timelines_and_vendors_offline(tmp_path: Path) -> None:
    """Chromium loads the report with no request beyond the file; open items precede the charts; an overdue bar is visible and labelled."""
    seen, blocked = _open(render_html(reports.with_findings()), tmp_path, "audit-report.png")
    assert blocked == []
    assert seen["lang"] == "ja" and seen["h1"] == t("audit.report.title")
    assert seen["openBeforeTimelines"] is True
    assert seen["open_items_visible"] is True
    assert seen["findings"] == list(reports.CODES)
    assert reports.LONG_ID in seen["findingText"][1]  # type: ignore[index]
    assert seen["svgs"] == 3
    assert all(role.startswith("img|") and len(role) > 4 for role in seen["svgRoles"])  # type: ignore[union-attr]
    assert seen["overdueBars"] == 3
    assert seen["overdue_visible"] is True
    width, height = seen["overdueBox"]  # type: ignore[misc]
    assert width > 5 and height > 5
    assert str(seen["overdueFill"]).startswith("url(#hatch-")
    late = t("audit.report.overdue_days", days=37)
    assert reports.LONG_ID in str(seen["overdueTitle"]) and late in str(seen["overdueTitle"])
    assert late in seen["overdueLabels"]  # type: ignore[operator]
    assert seen["vendors_visible"] is True
    assert seen["vendorRows"] == ["V01/2025", "V01/2026", "V02/2025", "V02/2026"]
    assert seen["vendorCaption"] == t("audit.report.vendors")
    assert seen["scripts"] == 0 and seen["bElements"] == 0


def test_browser_clean_report_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With HANDOFF_LANG=en the page is lang=en with English headings, and still loads nothing else."""
    monkeypatch.setenv("HANDOFF_LANG", "en")
    seen, blocked = _open(render_html(reports.clean()), tmp_path, "audit-report-clean-en.png")
    assert blocked == []
    assert seen["lang"] == "en" and seen["h1"] == "Audit report"
    assert seen["findings"] == [] and seen["overdueBars"] == 0
    assert seen["vendorCaption"] == "Per vendor and fiscal year"
