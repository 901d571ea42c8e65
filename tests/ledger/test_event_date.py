"""Declared dates (``on``): an event recorded after the fact is judged on the day it happened, within limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from handoff.config import SiteConfig
from handoff.errors import CustodyError, ExitCode
from handoff.ledger.events import TOKYO
from handoff.ledger.service import Ledger

from .helpers import MEDIUM_CABINET, STAFF, handover, jst, prepare, run_cli

M1, N1 = {"medium": "J1-M1"}, {"notice": "J1-N1"}


def on(day: int, pay: dict[str, Any] | None = None) -> dict[str, Any]:
    """A handover payload (or ``pay``) declaring 2026-06-<day>."""
    return {**(pay if pay is not None else handover()), "on": f"2026-06-{day:02d}"}


def test_medium_declared_yesterday_and_notice_today_are_different_days(site: SiteConfig) -> None:
    """Both recorded on the same day, but the medium declared the day before: accepted, and verify is clean."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        medium = ledger.record("medium.handed_over", M1, on(4), STAFF, at=jst(5, 9))
        notice = ledger.record("notice.handed_over", N1, handover(bag="BAG-2"), STAFF, at=jst(5, 15))
        report = ledger.verify()
        size = ledger.store.size()
    assert medium.payload["on"] == "2026-06-04" and medium.time == jst(5, 9)
    assert "on" not in notice.payload and report.entries == size


def test_notice_declared_on_the_medium_day_is_the_same_day(site: SiteConfig) -> None:
    """A notice recorded a day later but declared on the medium's day is refused as custody.same_day."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        ledger.record("medium.handed_over", M1, handover(), STAFF, at=jst(4))
        with pytest.raises(CustodyError) as exc:
            ledger.record("notice.handed_over", N1, on(4), STAFF, at=jst(5))
    assert exc.value.code == "custody.same_day" and exc.value.params["date"] == "2026-06-04"


def test_medium_declared_today_against_a_notice_declared_yesterday(site: SiteConfig) -> None:
    """A notice may not be declared before its medium's event date: custody.notice_before_medium."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        ledger.record("medium.handed_over", M1, handover(), STAFF, at=jst(5, 9))
        with pytest.raises(CustodyError) as exc:
            ledger.record("notice.handed_over", N1, on(4), STAFF, at=jst(5, 15))
    assert exc.value.code == "custody.notice_before_medium"


REFUSALS = [  # (name, event, subject, payload, recorded on June <day>, code, params)
    ("tomorrow", "medium.stored", M1, on(6, {"cabinet": MEDIUM_CABINET}), 5, "custody.on_after_recorded",
     {"date": "2026-06-06", "recorded": "2026-06-05"}),
    ("beyond backdate_days", "medium.handed_over", M1, on(2), 20, "custody.on_too_early",
     {"date": "2026-06-02", "recorded": "2026-06-20", "days": 7, "earliest": "2026-06-13"}),
    ("before job.prepared", "medium.destroyed", M1, {"method": "破砕", "on": "2026-05-31"}, 2,
     "custody.on_before_job", {"date": "2026-05-31", "job": "J1", "prepared": "2026-06-01"}),
]


@pytest.mark.parametrize(("event", "subject", "payload", "day", "code", "params"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])
def test_declared_date_out_of_bounds_is_refused(site: SiteConfig, event: str, subject: dict[str, str],
                                                payload: dict[str, Any], day: int, code: str,
                                                params: dict[str, Any]) -> None:
    """A declared date after the recording day, older than backdate_days or before the job: exit 6, nothing written."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        size = ledger.store.size()
        with pytest.raises(CustodyError) as exc:
            ledger.record(event, subject, payload, STAFF, at=jst(day))
        assert ledger.store.size() == size
        ledger.verify()
    err = exc.value
    assert err.code == code and err.params == params and int(err.exit_code) == int(ExitCode.CUSTODY)
    assert params["date"] in err.message("ja") and "{" not in err.message("en")


def test_backdate_days_is_the_site_setting(sqlite_site: SiteConfig) -> None:
    """With [ledger] backdate_days = 30 an event declared 18 days before it is recorded is accepted."""
    assert sqlite_site.ledger.backdate_days == 7  # the documented default
    with Ledger.open(sqlite_site) as ledger:
        ledger.site = ledger.site.model_copy(
            update={"ledger": ledger.site.ledger.model_copy(update={"backdate_days": 30})}
        )
        prepare(ledger)
        entry = ledger.record("medium.handed_over", M1, on(2), STAFF, at=jst(20))
    assert entry.payload["on"] == "2026-06-02"


def test_cli_on_shows_the_gap_and_the_rule_uses_it(sqlite_site: SiteConfig) -> None:
    """custody handover --on yesterday: the gap is shown, the notice today is accepted, show and verify agree."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    home = str(sqlite_site.home)
    yesterday = (dt.datetime.now(TOKYO).date() - dt.timedelta(days=1)).isoformat()
    args = ("--handler", "V01-H1", "--quantity", "100", "--staff", "S001", "--yes")
    medium = run_cli("custody", "handover", "--medium", "J1-M1", "--bag", "BAG-1", "--on", yesterday, *args,
                     home=home)
    assert medium.returncode == 0, medium.stderr
    assert f"実施日: {yesterday}" in medium.stdout and "記録日との差: 1 日" in medium.stdout
    notice = run_cli("custody", "handover", "--notice", "J1-N1", "--bag", "BAG-2", *args, home=home)
    assert notice.returncode == 0, notice.stderr
    shown = run_cli("ledger", "show", home=home)
    assert f"（実施日 {yesterday}）" in shown.stdout
    assert run_cli("ledger", "verify", home=home).returncode == 0
    bad = run_cli("custody", "store", "--medium", "J1-M1", "--cabinet", MEDIUM_CABINET, "--on", "2026-13-40",
                  "--staff", "S001", "--yes", home=home)
    assert bad.returncode == 2 and "--on" in bad.stderr and "Traceback" not in bad.stderr
