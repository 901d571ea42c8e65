"""The deletion certificate template: pre-filled values and blank fields in the PDF text, the checkpoint QR."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.config import SiteConfig
from handoff.ledger.service import Ledger
from tests.ledger.conftest import write_site
from tests.ledger.helpers import ISO, STAFF, ZIP, job_payload, jst, run_cli

TITLE = "子ども医療費受給者証"
LABELS = ("データ消去証明書", "委託元", "委託事業者", "ジョブID", "媒体ID", "媒体数", "SHA-256", "媒体の種類",
          "消去方法", "破砕", "使用した機器・ツール", "検証方法", "実施日", "実施場所", "実施者", "確認者", "氏名",
          "職名", "取扱者ID", "印", "証明日", "管理簿チェックポイント")


@pytest.fixture
def site(tmp_path: Path) -> SiteConfig:
    """A SQLite site whose job J1 wrote media J1-M1 and J1-M2 (verified) and J1-M3 (failed write)."""
    cfg = write_site(tmp_path / "site")
    Ledger.create(cfg).close()
    with Ledger.open(cfg) as ledger:
        ledger.record("job.prepared", {"job": "J1"}, {**job_payload(), "title": TITLE}, STAFF, at=jst(1, 9))
        for medium, ok in (("J1-M1", True), ("J1-M2", True), ("J1-M3", False)):
            pay = {"iso_sha256": ISO, "verified": ok}
            ledger.record("medium.written", {"job": "J1", "medium": medium}, pay, STAFF, at=jst(1, 9))
    return cfg


def _template(site: SiteConfig, out: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("certificate", "template", "J1", "--out", str(out), home=str(site.home))


def test_template_carries_every_prefilled_value_and_label(site: SiteConfig, tmp_path: Path) -> None:
    """The PDF's text holds the ward, vendor, job, title, verified media, their count, ZIP hash, checkpoint."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext)")
    out = tmp_path / "cert.pdf"
    proc = _template(site, out)
    assert proc.returncode == 0, proc.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    with Ledger.open(site) as ledger:
        short = ledger.current_checkpoint().short
    vendor = site.vendor("V01")
    for value in (site.name, "V01", vendor.name, "J1", TITLE, "J1-M1", "J1-M2", ZIP, short):
        assert value in text, value
    assert "媒体数2枚" in "".join(text.split())
    assert "J1-M3" not in text  # a failed write never left the office
    for label in LABELS:
        assert label in text, label
    assert short in proc.stdout.replace("\n", "")


def test_template_qr_decodes_to_the_checkpoint_note(site: SiteConfig, tmp_path: Path) -> None:
    """The QR on the page, read by zxing-cpp from a 200 dpi rendering, is the current signed checkpoint note."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs poppler-utils (pdftoppm)")
    zxingcpp = pytest.importorskip("zxingcpp")
    image_mod = pytest.importorskip("PIL.Image")
    out = tmp_path / "cert.pdf"
    assert _template(site, out).returncode == 0
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(out), str(tmp_path / "page")], check=True)
    image = image_mod.open(tmp_path / "page-1.png")
    [code] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    with Ledger.open(site) as ledger:
        assert code.text == ledger.current_checkpoint().note


def test_template_lists_many_media_without_cutting_an_id(site: SiteConfig, tmp_path: Path) -> None:
    """Twelve media wrap onto several lines of the table, each id whole in the text."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext)")
    with Ledger.open(site) as ledger:
        for n in range(4, 14):
            pay = {"iso_sha256": ISO, "verified": True}
            ledger.record("medium.written", {"job": "J1", "medium": f"J1-M{n:02d}"}, pay, STAFF, at=jst(1, 9))
    out = tmp_path / "cert.pdf"
    assert _template(site, out).returncode == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert all(f"J1-M{n:02d}" in text for n in range(4, 14))
    assert "媒体数12枚" in "".join(text.split())


def test_template_refuses_an_unknown_job_and_an_existing_file(site: SiteConfig, tmp_path: Path) -> None:
    """An unknown job exits 9 with nothing written; an existing --out file is never overwritten (9)."""
    out = tmp_path / "cert.pdf"
    proc = run_cli("certificate", "template", "J9", "--out", str(out), home=str(site.home))
    assert proc.returncode == 9 and "[certificate.unknown_job]" in proc.stderr and not out.exists()
    out.write_bytes(b"kept")
    again = _template(site, out)
    assert again.returncode == 9 and "[ledger.output_exists]" in again.stderr and out.read_bytes() == b"kept"
