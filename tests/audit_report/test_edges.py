"""Reports at the edges: empty, very long jobs, hostile text — every renderer still gives a usable document."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.audit.html import render_html
from handoff.audit.json_out import render_json
from handoff.audit.model import AuditReport, Finding, Integrity, JobTimeline, Scope, Span
from handoff.audit.pdf import render_pdf
from handoff.audit.text import render_text
from handoff.messages import t
from tests.audit_report import reports
from tests.audit_report.htmltree import Tree


def _empty() -> AuditReport:
    return AuditReport(scope=Scope(as_of=reports.AS_OF, programme="kodomo", vendor="V09"), auditor="A002",
                       made_at=reports.MADE_AT, integrity=Integrity())


def test_empty_report_renders_in_every_form(tmp_path: Path) -> None:
    """No jobs, vendors, counts or root: each form says so instead of failing, and the scope names the limits."""
    report = _empty()
    assert "V09" in render_text(report) and "kodomo" in render_text(report)
    assert json.loads(render_json(report))["clean"] is True
    tree = Tree(render_html(report))
    assert not tree.find("svg") and not tree.find("tr", cls="finding")
    assert any(t("audit.report.timelines.none") == p.content() for p in tree.find("p"))
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        (tmp_path / "empty.pdf").write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(tmp_path / "empty.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert t("audit.report.open_items.none") in text and "V09" in text


def _big_job(items: int) -> AuditReport:
    start = dt.date(2026, 4, 1)
    spans = [Span("JB", "prepared", start, start)]
    for n in range(items):
        medium = f"JB-M{n:03d}"
        spans += [Span(medium, "written", start, start + dt.timedelta(days=1)),
                  Span(medium, "handed_over", start + dt.timedelta(days=2), None, due=dt.date(2026, 5, 31),
                       overdue=True)]
    timeline = JobTimeline(job="JB", programme="kodomo", vendor="V01", prepared=start, spans=spans,
                           open_items=[f"JB-M{n:03d}" for n in range(items)])
    report = reports.clean()
    report.timelines = [timeline]
    report.scope = Scope(as_of=reports.AS_OF, fiscal_year=2026)
    report.findings = [Finding("audit.return_overdue", "error", seqs=(n,), items=(f"JB-M{n:03d}",), job="JB",
                               vendor="V01", due=dt.date(2026, 5, 31)) for n in range(items)]
    return report


def test_a_job_with_many_media_runs_over_pages(tmp_path: Path) -> None:
    """A job of 90 media: the chart splits over pages, every medium is named, every page is A4 with its footer."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext)")
    path = tmp_path / "big.pdf"
    path.write_bytes(render_pdf(_big_job(90)))
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    assert len(pages) > 3
    text = "\n".join(pages)
    for n in range(90):
        assert f"JB-M{n:03d}" in text
    for n, page in enumerate(pages, 1):
        assert t("audit.report.page", page=n, pages=len(pages)) in page


def test_html_of_a_big_job_draws_every_row() -> None:
    """Each of 90 media has its row label and its hatched overdue bar in the job's chart."""
    tree = Tree(render_html(_big_job(90)))
    assert len(tree.find("svg", cls="timeline")) == 1
    labels = [e.content() for e in tree.find("text", cls="item")]
    assert labels == ["JB", *(f"JB-M{n:03d}" for n in range(90))]
    assert len(tree.find("rect", cls="overdue")) == 90


def test_text_shows_control_characters_as_codes() -> None:
    """An escape sequence in a finding parameter reaches the terminal as visible text, never as a control code."""
    report = _empty()
    report.findings = [Finding("audit.fixture_unknown", "warning", params={"note": "\x1b[31mred\x07"})]
    out = render_text(report)
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[31mred\\x07" in out
