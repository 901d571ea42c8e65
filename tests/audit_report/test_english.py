"""With HANDOFF_LANG=en every form of the report is headed in English (the catalogue's second text)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.audit.html import render_html
from handoff.audit.json_out import render_json
from handoff.audit.pdf import render_pdf
from handoff.audit.text import render_text
from handoff.messages import CATALOGUE, render
from tests.audit_report import reports
from tests.audit_report.htmltree import Tree


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_LANG", "en")


def test_text_headings_in_english() -> None:
    """The terminal report has the English title, open items and counts headings and no Japanese heading."""
    out = render_text(reports.with_findings())
    for heading in ("Audit report", "Open items (4)", "Ledger integrity", "What was checked", "Auditor"):
        assert heading in out, heading
    assert "監査報告書" not in out and "未了事項" not in out


def test_html_headings_in_english() -> None:
    """The HTML is lang=en and its h1/h2 are the English headings."""
    tree = Tree(render_html(reports.annual_pack()))
    assert tree.find("html")[0].attrs["lang"] == "en"
    assert tree.find("h1")[0].content() == "Audit report — Annual inspection pack FY2026"
    h2 = [e.content() for e in tree.find("h2")]
    assert h2 == ["Open items (4)", "Ledger integrity", "Timeline per job", "Per vendor and fiscal year",
                  "What was checked"]


def test_json_message_in_english() -> None:
    """Each JSON message is the catalogue's English rendering of its code and params, not the Japanese one."""
    params = {f.code: f.params for f in reports.findings()}
    doc = json.loads(render_json(reports.with_findings()))
    for f in doc["findings"]:
        assert f["message"] == render(f["code"], "en", **params[f["code"]])
        if f["code"] in CATALOGUE:
            assert f["message"] != render(f["code"], "ja", **params[f["code"]])


def test_pdf_headings_in_english(tmp_path: Path) -> None:
    """pdftotext finds the English headings, the pack title and the page footer."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext)")
    path = tmp_path / "audit-en.pdf"
    path.write_bytes(render_pdf(reports.annual_pack()))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for heading in ("Audit report", "Annual inspection pack", "Open items", "Per vendor and fiscal year",
                    "Timeline per job", "Signature", "page 1/"):
        assert heading in text, heading
    assert "監査報告書" not in text
