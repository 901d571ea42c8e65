"""The handover receipt gives the day of the handover: the declared date of an entry recorded after the fact,
with the moment it was recorded beside it (記録日時), read back from the PDF with pdftotext."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handoff.config import SiteConfig
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger
from handoff.paper.receipt import render_receipt
from tests.ledger.conftest import write_site
from tests.ledger.helpers import STAFF, handover, jst, prepare, run_cli

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")


@pytest.fixture
def site(tmp_path: Path) -> SiteConfig:
    cfg = write_site(tmp_path / "site")
    Ledger.create(cfg).close()
    return cfg


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", text)  # pdftotext breaks the boxed rows into lines; the words stay in order


def test_a_late_recorded_handover_shows_its_declared_day_and_the_recording_time(site: SiteConfig,
                                                                                tmp_path: Path) -> None:
    """--on 6/3 recorded 6/5 14:30: 引渡日 2026年06月03日, and 記録日時 2026年06月05日 14時30分 beside it."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        entry = ledger.record("medium.handed_over", {"medium": "J1-M1"}, {**handover(), "on": "2026-06-03"}, STAFF,
                              at=jst(5, 14, 30))
        text = pdf_text(render_receipt(entry, ledger.current_checkpoint(), site, "子ども医療費"), tmp_path)
    assert "引渡日2026年06月03日" in text
    assert "記録日時2026年06月05日14時30分" in text
    assert "日時2026年06月03日" not in text and text.count("2026年06月05日") == 1


def test_a_handover_recorded_on_the_day_shows_one_date_and_time(site: SiteConfig, tmp_path: Path) -> None:
    """Without a declared date the receipt keeps its single 日時 row, and says nothing of a recording time."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        entry = ledger.record("medium.handed_over", {"medium": "J1-M1"}, handover(), STAFF, at=jst(4, 9, 5))
        text = pdf_text(render_receipt(entry, ledger.current_checkpoint(), site, "子ども医療費"), tmp_path)
    assert "日時2026年06月04日09時05分" in text
    assert "記録日時" not in text and "引渡日" not in text


def test_cli_handover_with_on_writes_the_declared_day(site: SiteConfig) -> None:
    """custody handover --on <yesterday>: the receipt's 引渡日 is yesterday, its 記録日時 today (Japan time)."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
    today = dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()
    yesterday = today - dt.timedelta(days=1)
    proc = run_cli("custody", "handover", "--medium", "J1-M1", "--handler", "V01-H1", "--quantity", "100", "--bag",
                   "BAG-1", "--on", yesterday.isoformat(), "--staff", "S001", "--yes", home=str(site.home))
    assert proc.returncode == 0, proc.stderr
    receipt = LedgerPaths.of(site).receipts / "000005-J1-M1.pdf"
    raw = subprocess.run(["pdftotext", str(receipt), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", "", raw)
    assert f"引渡日{yesterday:%Y年%m月%d日}" in text
    recorded = re.search(r"記録日時(\d{4})年(\d{2})月(\d{2})日", text)
    assert recorded is not None
    day = dt.date(*(int(g) for g in recorded.groups()))
    assert day in (today, today + dt.timedelta(days=1))  # the run may cross midnight
