"""The custody rules of inbound jobs, recorded straight into the ledger (the same rules the command meets)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from handoff.config import SiteConfig
from handoff.errors import CustodyError
from handoff.ledger.events import TOKYO
from handoff.ledger.service import Ledger

JOB = "20261207-090000-ninpu-kyufu-in-0a0a"
MEDIUM, NOTICE = f"{JOB}-M1", f"{JOB}-N1"
SHA = "ab" * 32
TODAY = dt.datetime.now(TOKYO).date()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def receipt(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"programme": "ninpu-kyufu", "vendor": "V01", "handler": "V01-H1", "sha256": SHA,
                               "bytes": 100, "records": 3, "on": day(-2)}
    payload.update(changes)
    return payload


def read_payload(sha: str = SHA) -> dict[str, Any]:
    return {"sha256": sha, "member_sha256": SHA, "rows_read": 3, "rows_imported": 3, "rows_excepted": 0,
            "import_sha256": SHA, "import_bytes": 10}


def refused(ledger: Ledger, code: str, event: str, subject: dict[str, str], payload: dict[str, Any],
            staff: str = "S001") -> None:
    with pytest.raises(CustodyError) as err:
        ledger.record(event, subject, payload, staff)
    assert err.value.code == code


def test_receipt_needs_a_registered_handler_and_a_working_role(backend_site: SiteConfig) -> None:
    """A receipt from an unregistered handler, or recorded by an auditor, is refused."""
    with Ledger.open(backend_site) as ledger:
        refused(ledger, "custody.unknown_handler", "inbound.received", {"job": JOB, "medium": MEDIUM},
                receipt(handler="V02-H1"))
        refused(ledger, "custody.role_refused", "inbound.received", {"job": JOB, "medium": MEDIUM}, receipt(),
                staff="A001")


def test_inbound_job_order_of_steps(backend_site: SiteConfig) -> None:
    """Each step out of order on an inbound job (or an outbound step there) is refused with its own code."""
    with Ledger.open(backend_site) as ledger:
        refused(ledger, "intake.not_received", "inbound.notice_received", {"job": JOB, "notice": NOTICE},
                {"handler": "V01-H2"})
        ledger.record("inbound.received", {"job": JOB, "medium": MEDIUM}, receipt(), "S001")
        refused(ledger, "intake.notice_before_medium", "inbound.notice_received", {"job": JOB, "notice": NOTICE},
                {"handler": "V01-H2", "on": day(-3)})
        refused(ledger, "intake.notice_missing", "inbound.read", {"job": JOB, "medium": MEDIUM}, read_payload())
        refused(ledger, "intake.inbound_job", "medium.written", {"job": JOB, "medium": f"{JOB}-M2"},
                {"iso_sha256": SHA, "verified": True})
        refused(ledger, "custody.item_exists", "inbound.received", {"job": "other-job-0001", "medium": MEDIUM},
                receipt())
        ledger.record("inbound.notice_received", {"job": JOB, "notice": NOTICE}, {"handler": "V01-H2", "on": day(-1)},
                      "S001")
        refused(ledger, "intake.other_archive", "inbound.read", {"job": JOB, "medium": MEDIUM}, read_payload("cd" * 32))
        ledger.record("medium.destroyed", {"medium": MEDIUM}, {"method": "破砕", "witness": "S002"}, "S001")
        refused(ledger, "intake.medium_not_here", "inbound.read", {"job": JOB, "medium": MEDIUM}, read_payload())


def test_stored_medium_can_be_read_once(backend_site: SiteConfig) -> None:
    """A received medium may be stored in a cabinet and read from there, once."""
    with Ledger.open(backend_site) as ledger:
        ledger.record("inbound.received", {"job": JOB, "medium": MEDIUM}, receipt(), "S001")
        ledger.record("medium.stored", {"medium": MEDIUM}, {"cabinet": "媒体用キャビネットA"}, "S001")
        ledger.record("inbound.notice_received", {"job": JOB, "notice": NOTICE}, {"handler": "V01-H2"}, "S001")
        ledger.record("notice.stored", {"notice": NOTICE}, {"cabinet": "通知書用キャビネットB"}, "S001")
        ledger.record("inbound.read", {"job": JOB, "medium": MEDIUM}, read_payload(), "S001")
        refused(ledger, "intake.already_read", "inbound.read", {"job": JOB, "medium": MEDIUM}, read_payload())


def test_a_received_disc_is_known_by_its_vendor_and_job(backend_site: SiteConfig) -> None:
    """A disc and notice the vendor sent are found by the custody steps: their job, kind and the vendor on the receipt."""
    from handoff.pipeline.returns import locate_item

    with Ledger.open(backend_site) as ledger:
        ledger.record("inbound.received", {"job": JOB, "medium": MEDIUM}, receipt(), "S001")
        assert locate_item(ledger, MEDIUM) == ("medium", JOB)
        assert ledger.vendor_of("medium", MEDIUM) == receipt()["vendor"]
        assert ledger.vendor_of("medium", "no-such-M1") is None
