"""Each custody refusal names exactly the rule's subjects (item, job, vendor, dates), and contract days are inclusive."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from handoff.config import SiteConfig
from handoff.errors import CustodyError
from handoff.ledger import rules
from handoff.ledger.service import Ledger

from .helpers import STAFF, TOKYO, handover, jst, prepare
from .test_rules import CASES, M1, N1, hand_medium

# What each refusal of test_rules.CASES must carry to fill its message: the values of the attempt, never more.
PARAMS: dict[str, dict[str, Any]] = {
    "unknown staff": {"staff": "S999"},
    "job prepared twice": {"job": "J1"},
    "medium of an unknown job": {"job": "J9", "event": "medium.written"},
    "medium id reused by another job": {"item": "J1-M1"},
    "unknown medium": {"item": "J1-M9"},
    "a medium its job never made": {"item": "J1-M9", "job": "J1"},
    "return of a medium never handed over": {"item": "J1-M1", "state": "stored", "event": "medium.returned"},
    "handover while already out": {"item": "J1-M1", "state": "out", "event": "medium.handed_over"},
    "handover of a medium that failed verification": {"item": "J1-M1", "state": "failed",
                                                      "event": "medium.handed_over"},
    "handover after destruction": {"item": "J1-M1", "state": "destroyed", "event": "medium.handed_over"},
    "destruction while with the vendor": {"item": "J1-M1", "state": "out", "event": "medium.destroyed"},
    "storing a failed medium": {"item": "J1-M1", "state": "failed", "event": "medium.stored"},
    "unknown cabinet": {"cabinet": "金庫X"},
    "medium in the notice's cabinet": {"item": "J1-M1", "other": "J1-N1", "cabinet": "通知書用キャビネットB"},
    "handover to another vendor": {"vendor": "V02", "expected": "V01", "job": "J1"},
    "handover to an unregistered handler": {"handler": "V02-H1", "vendor": "V01"},
    "handover outside the contract period": {"vendor": "V01", "date": "2026-03-31"},  # + the contract's days
    "quantity differs from the job": {"quantity": 99, "expected": 100, "job": "J1"},
    "no locked-bag number": {"item": "J1-M1"},
    "blank locked-bag number": {"item": "J1-M1"},
    "notice on the same day as the medium": {"job": "J1", "date": "2026-06-02"},
    "notice before any medium": {"job": "J1"},
    "return by an unregistered handler": {"handler": "V02-H1", "vendor": "V01"},
    "correction of a missing entry": {"entry": "999"},
    "entry voided twice": {"entry": 3},
    "more passed than inspected": {"passed": 6, "inspected": 5},
    "inspection of an unknown vendor": {"vendor": "V99"},
    "handover of an abandoned job's medium": {"job": "J1", "event": "medium.handed_over"},
    "abandoning a job whose medium is out": {"job": "J1"},
    "an auditor storing a medium": {"staff": "A001", "role": "auditor", "event": "medium.stored",
                                    "needed": "operator, supervisor"},
    "destruction witnessed by an unregistered id": {"witness": "S999"},
    "destruction witnessed by the person recording": {"witness": "S001"},
    "handover after the vendor's certification expired": {"vendor": "V01", "kind": "Pマーク", "number": "00000009(01)",
                                                          "expires": "2026-05-31", "date": "2026-06-03"},
    "handover to a vendor that must be but is not certified": {"vendor": "V01"},
    "declared date after the recording day": {"date": "2026-06-04", "recorded": "2026-06-03"},
    "declared date older than backdate_days": {"date": "2026-06-02", "recorded": "2026-06-20", "days": 7,
                                               "earliest": "2026-06-13"},
    "declared date before the job was prepared": {"date": "2026-05-31", "job": "J1", "prepared": "2026-06-01"},
}


def refusal(site: SiteConfig, setup: Any, attempt: Any) -> CustodyError:
    with Ledger.open(site) as ledger:
        setup(ledger)
        with pytest.raises(CustodyError) as exc:
            attempt(ledger)
    return exc.value


@pytest.mark.parametrize(("name", "setup", "attempt"), [c[:3] for c in CASES], ids=[c[0] for c in CASES])
def test_refusal_names_exactly_its_subjects(sqlite_site: SiteConfig, name: str, setup: Any, attempt: Any) -> None:
    """The refusal's parameters are exactly the attempt's item, job, vendor, state and dates the message shows."""
    expected = dict(PARAMS[name])
    if name == "handover outside the contract period":
        vendor = sqlite_site.vendor("V01")
        expected |= {"start": vendor.contract_start.isoformat(), "end": vendor.contract_end.isoformat()}
    assert refusal(sqlite_site, setup, attempt).params == expected


def test_every_case_has_its_parameters() -> None:
    """The table above covers every refusal case of test_rules."""
    assert set(PARAMS) == {c[0] for c in CASES}


def test_a_notice_without_a_bag_is_named(sqlite_site: SiteConfig) -> None:
    """The locked-bag refusal names the notice when a notice travels without a bag number."""

    def attempt(ledger: Ledger) -> None:
        ledger.record("notice.handed_over", N1, handover(bag=None), STAFF, at=jst(3))

    err = refusal(sqlite_site, hand_medium, attempt)
    assert (err.code, err.params) == ("custody.bag_required", {"item": "J1-N1"})


def test_a_certificate_from_another_vendor_is_refused(sqlite_site: SiteConfig) -> None:
    """A deletion certificate must come from the job's vendor: another one is refused naming both and the job."""
    cert = {"vendor": "V02", "scan_sha256": "c" * 64, "method": "破砕", "performed_on": "2026-06-19",
            "performed_by": "V02-H1", "verified_by": "V02-H1"}

    def attempt(ledger: Ledger) -> None:
        ledger.record("deletion_certificate.received", {"job": "J1"}, cert, STAFF, at=jst(22))

    err = refusal(sqlite_site, prepare, attempt)
    assert (err.code, err.params) == ("custody.wrong_vendor", {"vendor": "V02", "expected": "V01", "job": "J1"})


def test_handovers_on_the_first_and_last_contract_days_are_accepted(sqlite_site: SiteConfig) -> None:
    """The contract period includes both its first and its last day (Tokyo dates); the days outside do not."""
    vendor = sqlite_site.vendor("V01")

    def at(day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)

    one = dt.timedelta(days=1)
    assert vendor.contract_start == dt.date(2026, 4, 1)  # the jobs below are prepared the days before it
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger, "J1", day=30, month=3)
        prepare(ledger, "J2", day=30, month=3)
        for job, day, hour in (("J1", vendor.contract_start - one, 23), ("J2", vendor.contract_end + one, 0)):
            with pytest.raises(CustodyError) as exc:
                ledger.record("medium.handed_over", {"medium": f"{job}-M1"}, handover(), STAFF, at=at(day, hour))
            assert exc.value.code == "custody.outside_contract"
        ledger.record("medium.handed_over", M1, handover(), STAFF, at=at(vendor.contract_start, 0))
        ledger.record("medium.handed_over", {"medium": "J2-M1"}, handover(), STAFF, at=at(vendor.contract_end, 23))


def test_vendor_of_an_unprepared_job_is_a_refusal() -> None:
    """Asking a job with no job.prepared entry for its vendor is refused as job_not_prepared, never a crash."""
    with pytest.raises(CustodyError) as exc:
        rules._job_vendor(rules.JobState())
    assert (exc.value.code, exc.value.params) == ("custody.job_not_prepared", {"job": "", "event": ""})
