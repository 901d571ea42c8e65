"""``handoff ledger export``: the 管理簿 in CSV, XLSX and PDF with 日時・取扱者・情報の内容・数量 first."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handoff.config import SiteConfig
from handoff.ledger.service import Ledger

from .helpers import ISO, STAFF, handover, job_payload, jst, prepare, run_cli

REQUIRED = ["日時", "取扱者", "情報の内容", "数量"]
STANDARD_14 = {f"{family}{style}" for family in ("Helvetica", "Courier") for style in
               ("", "-Bold", "-Oblique", "-BoldOblique")} | {"Times-Roman", "Times-Bold", "Times-Italic",
                                                             "Times-BoldItalic", "Symbol", "ZapfDingbats"}


@pytest.fixture
def populated(sqlite_site: SiteConfig) -> SiteConfig:
    """A job prepared, stored and its medium handed over at 2026-06-02 10:00 JST (entries 0..5)."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        ledger.record("medium.handed_over", {"medium": "J1-M1"}, handover(bag="BAG-77"), STAFF, at=jst(2))
    return sqlite_site


def export(site: SiteConfig, path: Path, *args: str) -> Path:
    proc = run_cli("ledger", "export", "--out", str(path), *args, home=str(site.home))
    assert proc.returncode == 0, proc.stderr
    assert path.stat().st_mode & 0o777 == 0o600
    return path


def test_xlsx_opens_with_the_council_headings_first(populated: SiteConfig, tmp_path: Path) -> None:
    """openpyxl reads the workbook; row 1 starts 日時・取扱者・情報の内容・数量; one row per entry."""
    ws = load_workbook(export(populated, tmp_path / "kanribo.xlsx")).active
    assert ws is not None
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:4] == REQUIRED and len(rows) == 1 + 6
    handed = rows[6]
    assert handed[0] == "2026-06-02 10:00:00"  # shown in Japan time (stored as 01:00 UTC)
    assert handed[1] == "S001 見本 太郎" and handed[3] == "100"
    assert "媒体引渡し" in str(handed[2]) and "BAG-77" in handed and "V01-H1 受託 一郎" in handed


def test_csv_is_utf8_with_bom_and_same_columns(populated: SiteConfig, tmp_path: Path) -> None:
    """The CSV starts with a BOM (Excel reads the Japanese) and carries the XLSX's headings and rows, cell for cell."""
    raw = export(populated, tmp_path / "kanribo.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == REQUIRED and len(rows) == 7
    ws = load_workbook(export(populated, tmp_path / "kanribo.xlsx")).active
    assert ws is not None
    assert rows == [["" if c.value is None else str(c.value) for c in r] for r in ws.iter_rows()]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext, pdftoppm)")
def test_pdf_text_has_the_headings_and_renders(populated: SiteConfig, tmp_path: Path) -> None:
    """pdftotext finds the Japanese headings and entries (embedded font); pdftoppm renders the page."""
    pdf = export(populated, tmp_path / "kanribo.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for heading in REQUIRED:
        assert heading in text
    assert "見本区役所" in text
    # every entry: one row per event, each naming its staff member; the handover with its bag number
    assert text.count("S001 見本 太郎") == 6
    for event in ("ジョブ作成", "媒体作成", "通知書印刷", "媒体保管", "通知書保管", "媒体引渡し"):
        assert text.count(f"{event}（kodomo-iryo") == 1
    assert "BAG-77" in text and "V01-H1 受託" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    # name type… emb sub uni id gen: the Japanese font is embedded; any other is one of PDF's standard 14,
    # which every reader has
    assert any("IPAex" in r[0] and r[-5] == "yes" for r in rows)
    assert all(r[-5] == "yes" or r[0] in STANDARD_14 for r in rows)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    from PIL import Image

    page = Image.open(tmp_path / "p-1.png").convert("L")
    dark = sum(page.histogram()[:128])
    assert 0.002 < dark / (page.width * page.height) < 0.5  # text was drawn, and the page is not a black box


def test_export_never_overwrites(populated: SiteConfig, tmp_path: Path) -> None:
    """An existing output file is refused with the state exit code (9) and left untouched."""
    target = tmp_path / "kanribo.csv"
    target.write_text("keep")
    proc = run_cli("ledger", "export", "--out", str(target), home=str(populated.home))
    assert proc.returncode == 9 and target.read_text() == "keep"


@pytest.fixture
def two_programmes(sqlite_site: SiteConfig) -> SiteConfig:
    """J1 (kodomo-iryosho, V01) recorded on 2026-06-01; J2 (seikatsu-hogo, V02) on 2026-07-01 (entries 5..9)."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        ledger.record("job.prepared", {"job": "J2"}, {**job_payload("V02"), "programme": "seikatsu-hogo"}, STAFF,
                      at=jst(1, month=7))
        ledger.record("medium.written", {"job": "J2", "medium": "J2-M1"}, {"iso_sha256": ISO, "verified": True},
                      STAFF, at=jst(1, month=7))
        ledger.record("medium.destroyed", {"medium": "J2-M1"}, {"method": "破砕", "witness": "S002",
                                                                "place": "本庁舎地下"}, STAFF, at=jst(2, month=7))
    return sqlite_site


def _seqs_csv(path: Path) -> list[str]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return [r[4] for r in rows[1:]]


def _seqs_xlsx(path: Path) -> list[str]:
    ws = load_workbook(path).active
    assert ws is not None
    return [str(r[4].value) for r in ws.iter_rows(min_row=2)]


@pytest.mark.parametrize(
    ("args", "seqs"),
    [
        ((), ["0", "1", "2", "3", "4", "5", "6", "7"]),
        (("--programme", "seikatsu-hogo"), ["5", "6", "7"]),
        (("--vendor", "V01"), ["0", "1", "2", "3", "4"]),
        (("--from", "2026-07-02"), ["7"]),
        (("--to", "2026-06-30"), ["0", "1", "2", "3", "4"]),
        (("--job", "J2", "--from", "2026-07-01", "--to", "2026-07-01"), ["5", "6"]),
    ],
)
def test_export_filters_by_period_programme_vendor_and_job(
    two_programmes: SiteConfig, tmp_path: Path, args: tuple[str, ...], seqs: list[str]
) -> None:
    """--from/--to (recorded day, Japan time), --programme, --vendor and --job select the same rows in CSV and XLSX."""
    assert _seqs_csv(export(two_programmes, tmp_path / "k.csv", *args)) == seqs
    assert _seqs_xlsx(export(two_programmes, tmp_path / "k.xlsx", *args)) == seqs


def test_export_has_witness_place_and_date_columns(two_programmes: SiteConfig, tmp_path: Path) -> None:
    """A destruction's witness (with name) and place have their own columns; the checkpoint counts every entry."""
    rows = list(csv.reader(io.StringIO(export(two_programmes, tmp_path / "k.csv", "--vendor", "V02")
                                       .read_bytes().decode("utf-8-sig"))))
    head, destroyed = rows[0], dict(zip(rows[0], rows[-1], strict=True))
    for column in ("立会人", "場所・保管庫", "状態", "鍵付きカバン・封印番号", "実施日", "訂正記録（連番）",
                   "取消記録（連番）", "訂正後の値"):
        assert column in head
    assert destroyed["立会人"] == "S002 試験 花子" and destroyed["場所・保管庫"] == "本庁舎地下"
    assert destroyed["備考"] == "破砕" and destroyed["チェックポイント"].startswith("8/")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_pdf_export_names_its_selection(two_programmes: SiteConfig, tmp_path: Path) -> None:
    """A filtered PDF lists only the selected job's entries and says in its title what was selected."""
    pdf = export(two_programmes, tmp_path / "k.pdf", "--programme", "seikatsu-hogo")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "事業 seikatsu-hogo" in text and "本庁舎地下" in text and "立会人" in text
    assert "seikatsu-hogo" in text and "kodomo-iryosho" not in text
