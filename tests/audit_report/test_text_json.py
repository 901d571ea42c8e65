"""The terminal and JSON forms of the audit report: order, whole ids, and the JSON interface's exact shape."""

from __future__ import annotations

import json

from handoff.audit.json_out import render_json
from handoff.audit.model import SEVERITY_ORDER
from handoff.audit.text import render_text
from handoff.messages import t
from tests.audit_report import reports

KEYS = {"clean", "findings", "checked", "integrity", "scope", "auditor", "made_at", "timelines", "vendors"}
FINDING_KEYS = {"code", "severity", "seq", "items", "job", "vendor", "due", "message"}


def test_text_puts_verdict_first_and_open_items_in_order() -> None:
    """The verdict is on the first lines and the findings follow most severe, then most overdue first."""
    out = render_text(reports.with_findings())
    lines = out.splitlines()
    assert any(t("audit.report.verdict.integrity") == line for line in lines[:3])
    positions = [out.index(code) for code in reports.CODES]
    assert positions == sorted(positions)  # integrity, overdue return (older due), certificate, same day
    assert out.index(t("audit.report.open_items")) < out.index(t("audit.report.checked"))


def test_text_never_cuts_an_id() -> None:
    """The long medium id and the full 64-hex root appear whole, however long the line gets."""
    out = render_text(reports.with_findings())
    assert reports.LONG_ID in out
    assert reports.ROOT in out


def test_text_lists_every_count_checked() -> None:
    """Each count the audit checked is printed, a key the catalogue does not know under its own name."""
    out = render_text(reports.with_findings())
    assert f"{t('audit.report.checked.media')}: 4" in out
    assert "widgets: 2" in out


def test_text_clean_report_says_clean_and_no_open_items() -> None:
    """A clean audit prints the clean verdict and the no-open-items line."""
    out = render_text(reports.clean())
    assert t("audit.report.verdict.clean") in out
    assert t("audit.report.open_items.none") in out


def test_json_has_exactly_the_interface_keys() -> None:
    """The top level, each finding and the scope carry exactly the agreed keys, dates as ISO text."""
    doc = json.loads(render_json(reports.with_findings()))
    assert set(doc) == KEYS
    assert all(set(f) == FINDING_KEYS for f in doc["findings"])
    assert set(doc["scope"]) == {"as_of", "fiscal_year", "programme", "vendor"}
    assert doc["scope"]["as_of"] == "2026-12-07"
    assert doc["made_at"] == "2026-12-07T00:30:00+00:00"
    assert doc["auditor"] == "A001"
    overdue = next(f for f in doc["findings"] if f["code"] == "audit.return_overdue")
    assert overdue["due"] == "2026-10-31"
    assert overdue["seq"] == [12, 19]
    assert overdue["items"] == [reports.LONG_ID, "J2-M2"]
    assert doc["integrity"]["root"] == reports.ROOT
    assert {v["vendor"] for v in doc["vendors"]} == {"V01", "V02"}
    assert doc["timelines"][1]["spans"][3]["overdue"] is True
    assert doc["timelines"][1]["spans"][3]["end"] is None


def test_json_clean_agrees_with_findings() -> None:
    """``clean`` is true for the clean report and false for the one with findings and a broken integrity."""
    assert json.loads(render_json(reports.clean()))["clean"] is True
    failing = json.loads(render_json(reports.with_findings()))
    assert failing["clean"] is False and failing["findings"]


def test_json_findings_sorted_with_their_message() -> None:
    """Findings come in severity order and each message is the catalogue's text for its code and params."""
    report = reports.with_findings()
    doc = json.loads(render_json(report))
    assert [SEVERITY_ORDER[f["severity"]] for f in doc["findings"]] == sorted(
        SEVERITY_ORDER[f["severity"]] for f in doc["findings"])
    by_code = {f.code: f for f in report.findings}
    for f in doc["findings"]:
        assert f["message"] == t(f["code"], **by_code[f["code"]].params)
