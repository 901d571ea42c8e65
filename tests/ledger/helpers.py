"""Builders for the ledger tests: fixed Tokyo times inside the example contracts, a job and its items."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from handoff.ledger.events import Actor
from handoff.ledger.service import Ledger

REPO = Path(__file__).resolve().parents[2]
TOKYO = ZoneInfo("Asia/Tokyo")
STAFF = Actor("S001", "tester")
SUPERVISOR = Actor("S002", "tester")  # corrections and closing incidents need role supervisor
ZIP = "a" * 64
ISO = "b" * 64
MEDIUM_CABINET = "媒体用キャビネットA"
NOTICE_CABINET = "通知書用キャビネットB"


def jst(day: int, hour: int = 10, minute: int = 0, month: int = 6) -> dt.datetime:
    """A moment in 2026 (inside the example vendors' contract 2026-04-01..2027-03-31), Tokyo time."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TOKYO)


def job_payload(vendor: str = "V01", quantity: int = 100) -> dict[str, Any]:
    return {
        "programme": "kodomo-iryosho",
        "council_reference": "資料1",
        "approved_items": ["郵便番号", "住所", "氏名"],
        "vendor": vendor,
        "quantity": quantity,
        "zip_sha256": ZIP,
        "iso_sha256": ISO,
    }


def handover(
    handler: str = "V01-H1", quantity: int = 100, bag: str | None = "BAG-1", vendor: str = "V01"
) -> dict[str, Any]:
    pay: dict[str, Any] = {"vendor": vendor, "handler": handler, "quantity": quantity}
    if bag is not None:
        pay["bag"] = bag
    return pay


def prepare(ledger: Ledger, job: str = "J1", *, verified: bool = True, day: int = 1, month: int = 6) -> None:
    """job.prepared, medium <job>-M1 written, notice <job>-N1 printed, both stored in separate cabinets."""
    at = jst(day, 9, month=month)
    ledger.record("job.prepared", {"job": job}, job_payload(), STAFF, at=at)
    ledger.record(
        "medium.written",
        {"job": job, "medium": f"{job}-M1"},
        {"iso_sha256": ISO, "verified": verified},
        STAFF,
        at=at,
    )
    ledger.record("notice.printed", {"job": job, "notice": f"{job}-N1"}, {}, STAFF, at=at)
    if verified:
        ledger.record("medium.stored", {"medium": f"{job}-M1"}, {"cabinet": MEDIUM_CABINET}, STAFF, at=at)
    ledger.record("notice.stored", {"notice": f"{job}-N1"}, {"cabinet": NOTICE_CABINET}, STAFF, at=at)


def run_cli(*args: str, home: str, lang: str = "ja", stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m handoff ARGS`` against the site in ``home``."""
    env = {**os.environ, "HANDOFF_HOME": home, "HANDOFF_LANG": lang, "COLUMNS": "2000"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "handoff", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        timeout=300,
        cwd=REPO,
    )
