"""The HTML report read with the standard library's parser: self-contained, escaped, accessible, in order."""

from __future__ import annotations

import itertools
import re

from handoff.audit.html import render_html
from handoff.audit.model import Finding
from handoff.messages import t
from tests.audit_report import reports
from tests.audit_report.htmltree import Tree

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def test_html_loads_nothing_and_runs_nothing() -> None:
    """No script element or script text, no src/href to a network URL, and the CSP meta forbidding the rest."""
    document = render_html(reports.with_findings())
    tree = Tree(document)
    assert "<script" not in document.lower()
    assert not tree.find("script") and not tree.find("link") and not tree.find("img")
    for element in tree.elements:
        for name in ("src", "href", "xlink:href", "action"):
            value = element.attrs.get(name, "")
            assert not re.match(r"\s*(https?:|//)", value, re.I), (element.tag, name, value)
        assert not any(name.startswith("on") for name in element.attrs), element
    assert "http://" not in document and "https://" not in document
    [meta] = [m for m in tree.find("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert meta.attrs["content"] == CSP
    assert "@import" not in document and "url(http" not in document


def test_html_escapes_finding_text() -> None:
    """Markup in a finding parameter and in a programme name shows as text: no element made of it."""
    report = reports.with_findings()
    # a code no catalogue has: its rendering names every parameter, so the markup is certain to reach the page
    report.findings.append(Finding("audit.fixture_unknown", "warning", seqs=(9,), params={"note": reports.HOSTILE}))
    report.timelines[0].programme = reports.HOSTILE
    document = render_html(report)
    tree = Tree(document)
    assert not tree.find("b") and "<script" not in document
    [row] = [r for r in tree.find("tr", cls="finding") if r.attrs.get("data-code") == "audit.fixture_unknown"]
    assert reports.HOSTILE in row.content()
    assert any(reports.HOSTILE in e.content() for e in tree.find("figcaption"))
    assert "&lt;b&gt;bold&lt;/b&gt;" in document


def test_html_open_items_come_first_and_in_order() -> None:
    """The open items section precedes integrity, timelines and vendors; its rows are most severe/overdue first."""
    tree = Tree(render_html(reports.with_findings()))
    [open_items] = tree.find(id_="open-items")
    [timelines] = tree.find(id_="timelines")
    [vendors] = tree.find(id_="vendors")
    [integrity] = tree.find(id_="integrity")
    assert tree.index(open_items) < tree.index(integrity) < tree.index(timelines) < tree.index(vendors)
    rows = tree.find("tr", cls="finding")
    assert [r.attrs["data-code"] for r in rows] == list(reports.CODES)
    assert reports.LONG_ID in rows[1].content()


def test_html_is_accessible() -> None:
    """lang is ja, headings go h1 → h2 → h3 without a skip, tables have captions and scoped headers, SVGs are images."""
    document = render_html(reports.with_findings())
    tree = Tree(document)
    assert tree.find("html")[0].attrs["lang"] == "ja"
    levels = [int(e.tag[1]) for e in tree.elements if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert tree.find("h1")[0].content() == t("audit.report.title")
    assert len(tree.find("caption")) == len(tree.find("table")) >= 4
    assert all(th.attrs.get("scope") in {"col", "row"} for th in tree.find("th"))
    svgs = tree.find("svg", cls="timeline")
    assert len(svgs) == 3
    assert all(s.attrs.get("role") == "img" and s.attrs.get("aria-label") for s in svgs)


def test_html_marks_overdue_spans_without_colour_alone() -> None:
    """Overdue bars are hatched (a pattern fill) and carry a <title> and a visible text label."""
    tree = Tree(render_html(reports.with_findings()))
    bars = tree.find("rect", cls="overdue")
    assert len(bars) == 3  # J2's two media and J3's certificate
    assert all(b.attrs["fill"].startswith("url(#hatch-") for b in bars)
    titles = [e.content() for e in tree.find("title")]
    assert any(reports.LONG_ID in text and t("audit.report.overdue_days", days=37) in text for text in titles)
    labels = [e.content() for e in tree.find("text", cls="overdue-label")]
    assert t("audit.report.overdue_days", days=37) in labels
    assert t("audit.report.overdue_days", days=7) in labels


def test_html_vendor_table_has_a_row_per_vendor_and_year() -> None:
    """The vendor table lists both vendors over both fiscal years, sorted, with the counts."""
    tree = Tree(render_html(reports.with_findings()))
    rows = tree.find("tr", cls="vendor-year")
    assert [(r.attrs["data-vendor"], r.attrs["data-fiscal-year"]) for r in rows] == [
        ("V01", "2025"), ("V01", "2026"), ("V02", "2025"), ("V02", "2026")]
    assert "attention" in rows[3].classes and "attention" not in rows[0].classes


def test_html_clean_report_has_no_finding_rows() -> None:
    """A clean audit shows the clean verdict and an empty open items section (still first)."""
    tree = Tree(render_html(reports.clean()))
    assert not tree.find("tr", cls="finding")
    [verdict] = tree.find("p", cls="verdict")
    assert verdict.content() == t("audit.report.verdict.clean")
    assert tree.find(id_="open-items") and not tree.find("rect", cls="overdue")
