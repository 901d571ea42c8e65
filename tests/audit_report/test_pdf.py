"""The PDF report checked with poppler's tools: A4, the Japanese font embedded, headings, codes, whole ids, every
page rendered, header and footer on each page, and the annual inspection pack's per-vendor sections."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.audit.model import AuditReport, Finding
from handoff.audit.pdf import render_pdf
from handoff.messages import t
from tests.audit_report import reports

A4_POINTS = (595.28, 841.89)


def _tools() -> None:
    for tool in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs poppler-utils ({tool})")


def _write(report: AuditReport, tmp_path: Path, name: str = "audit.pdf") -> Path:
    _tools()
    path = tmp_path / name
    path.write_bytes(render_pdf(report))
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _pages(path: Path) -> list[str]:
    """The text of each page, laid out (pdftotext -layout), split at form feeds."""
    return _run("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def _heading_at(text: str, heading: str) -> int:
    """Where a line starting with ``heading`` is (a heading stands on its own line; the verdict may name it too)."""
    found = re.search(rf"^\s*{re.escape(heading)}", text, re.M)
    assert found, heading
    return found.start()


def test_pdf_is_a4_with_the_japanese_font_embedded(tmp_path: Path) -> None:
    """Every page is A4 and every font pdffonts lists is embedded, the Japanese one among them."""
    path = _write(reports.with_findings(), tmp_path)
    info = _run("pdfinfo", "-f", "1", "-l", "99", str(path))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert sizes and all(abs(float(w) - A4_POINTS[0]) < 1 and abs(float(h) - A4_POINTS[1]) < 1 for w, h in sizes)
    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    assert fonts and any("IPAex" in line or "HandoffJP" in line for line in fonts)
    for line in fonts:
        emb = line.split()[-5]
        assert emb == "yes", line


def test_pdf_has_the_headings_and_every_finding_code(tmp_path: Path) -> None:
    """The text has the Japanese headings (監査報告書, 未了, 業者別, timelines, integrity) and each finding code whole."""
    path = _write(reports.with_findings(), tmp_path)
    text = "\n".join(_pages(path))
    for heading in ("監査報告書", "未了事項", "業者別", t("audit.report.timelines"), t("audit.report.integrity")):
        assert heading in text, heading
    for code in reports.CODES:
        assert code in text, code
    assert reports.LONG_ID in text  # never broken across lines
    assert reports.ROOT in text


def test_pdf_open_items_come_before_the_timelines(tmp_path: Path) -> None:
    """In reading order the open items, then integrity, then timelines, then the vendor table."""
    text = "\n".join(_pages(_write(reports.with_findings(), tmp_path)))
    headings = ("open_items", "integrity", "timelines", "vendors")
    order = [_heading_at(text, t(f"audit.report.{h}")) for h in headings]
    assert order == sorted(order)
    codes = [text.index(code) for code in reports.CODES]
    assert codes == sorted(codes)


def test_pdf_every_page_has_header_footer_and_signature(tmp_path: Path) -> None:
    """Each page names the report, the as-of day, page n/m, the auditor's id, the audit day and the signature box label."""
    pages = _pages(_write(reports.annual_pack(), tmp_path))
    assert len(pages) >= 2
    for n, page in enumerate(pages, 1):
        assert "監査報告書" in page and "2026-12-07" in page
        assert t("audit.report.page", page=n, pages=len(pages)) in page
        assert f"{t('audit.report.auditor')} A001" in page
        assert t("audit.report.signature") in page
        assert t("audit.report.made_at") in page


def test_pdf_renders_every_page(tmp_path: Path) -> None:
    """pdftoppm renders each page at 50 dpi to a non-blank PNG."""
    image_mod = pytest.importorskip("PIL.Image")
    path = _write(reports.annual_pack(), tmp_path)
    count = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(path))).group(1))  # type: ignore[union-attr]
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == count
    for png in pngs:
        image = image_mod.open(png).convert("L")
        assert image.size[0] < image.size[1]  # portrait
        assert image.getextrema()[0] < 100  # something dark was drawn


def test_annual_pack_lists_each_vendors_jobs_media_and_questions(tmp_path: Path) -> None:
    """The fiscal-year audit is the 年次立入検査資料: a section per vendor with its jobs, media out, certificates, questions."""
    pages = _pages(_write(reports.annual_pack(), tmp_path))
    text = "\n".join(pages)
    assert "年次立入検査資料" in pages[0]
    sections = {}
    for vendor in ("V01", "V02"):
        heading = f"年次立入検査資料 2026年度 — {t('audit.report.pack.vendor', vendor=vendor)}"
        [page] = [p for p in pages if heading in p]
        sections[vendor] = page
    assert "J1" in sections["V01"] and "J2" not in sections["V01"]
    assert "2025-09-25" in sections["V01"]  # the day J1's certificate covered it
    for job in ("J2", "J3"):
        assert job in sections["V02"]
    assert reports.LONG_ID in sections["V02"]  # the medium still out
    assert "audit.return_overdue" in sections["V02"] and "audit.certificate_missing" in sections["V02"]
    assert "audit.return_overdue" not in sections["V01"]
    for label in ("pack.jobs", "pack.media_out", "pack.certificates", "pack.questions"):
        assert text.count(t(f"audit.report.{label}")) >= 2


def test_report_without_fiscal_year_has_no_pack(tmp_path: Path) -> None:
    """Without a fiscal year the PDF is the plain report: no inspection pack sections."""
    text = "\n".join(_pages(_write(reports.with_findings(), tmp_path)))
    assert "年次立入検査資料" not in text
    assert t("audit.report.pack.questions") not in text


def test_long_ids_stay_whole_in_narrow_columns(tmp_path: Path) -> None:
    """Many long medium ids in one finding each come out whole on one line of the text."""
    report = reports.with_findings()
    many = tuple(f"{reports.LONG_ID}-{n:02d}" for n in range(12))
    report.findings[2] = Finding("audit.return_overdue", "error", seqs=tuple(range(100, 130)),
                                 items=many, job="J2", vendor="V02")
    text = "\n".join(_pages(_write(report, tmp_path)))
    for medium in many:
        assert medium in text, medium
