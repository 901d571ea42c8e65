"""Recorded times never go backwards: refused at append (ledger.clock_behind), flagged by verify (time_backwards)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from handoff.config import SiteConfig
from handoff.errors import ExitCode, IntegrityError
from handoff.ledger import clock
from handoff.ledger.events import Draft, Entry, format_time
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger

from .helpers import STAFF, handover, jst, prepare

INSPECT = {"performed_on": "2026-06-01", "result": "良"}


def inspect(ledger: Ledger, at: dt.datetime | None) -> Entry:
    return ledger.record("vendor.inspected", {"vendor": "V01"}, INSPECT, STAFF, at=at)


def _state(site: SiteConfig, ledger: Ledger) -> tuple[int, bytes, bytes]:
    latest = ledger.store.latest_checkpoint()
    assert latest is not None
    return ledger.store.count(), latest.root, LedgerPaths.of(site).checkpoint.read_bytes()


def test_a_time_before_the_last_entry_is_refused_and_writes_nothing(site: SiteConfig) -> None:
    """An entry dated before the last one is ledger.clock_behind (exit 7), naming both times in Japan time."""
    with Ledger.open(site) as ledger:
        inspect(ledger, jst(8, 10))
        before = _state(site, ledger)
        with pytest.raises(IntegrityError) as exc:
            inspect(ledger, jst(1, 10))
        assert _state(site, ledger) == before
    err = exc.value
    assert err.code == "ledger.clock_behind" and int(err.exit_code) == int(ExitCode.INTEGRITY) == 7
    assert err.params == {"time": "2026-06-01 10:00:00", "last": "2026-06-08 10:00:00"}
    assert "時計" in err.message("ja") and "system clock" in err.message("en")


def test_the_same_time_as_the_last_entry_is_accepted(site: SiteConfig) -> None:
    """Equal times are not backwards (two records within one clock tick)."""
    with Ledger.open(site) as ledger:
        inspect(ledger, jst(8, 10))
        inspect(ledger, jst(8, 10))
        assert ledger.verify().entries == 2


def test_the_same_day_rule_cannot_be_bypassed_by_a_date_a_week_back(site: SiteConfig) -> None:
    """Medium handed over on the 8th, notice dated the 1st: refused as clock_behind, not judged another day."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        ledger.record("medium.handed_over", {"medium": "J1-M1"}, handover(), STAFF, at=jst(8, 10))
        with pytest.raises(IntegrityError) as exc:
            ledger.record("notice.handed_over", {"notice": "J1-N1"}, handover(), STAFF, at=jst(1, 10))
        assert [e.type for e in ledger.entries()][-1] == "medium.handed_over"
    assert exc.value.code == "ledger.clock_behind"


def test_a_clock_a_little_behind_records_the_last_time(site: SiteConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    """A time from the clock behind the last entry by at most clock.SKEW is recorded as that entry's time."""
    monkeypatch.setattr(clock, "SKEW", dt.timedelta(minutes=1))  # room for a slow machine between the two records
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    with Ledger.open(site) as ledger:
        inspect(ledger, ahead)
        entry = inspect(ledger, None)
        assert ledger.verify().entries == 2
    assert entry.time == ahead


def test_a_clock_far_behind_is_refused(site: SiteConfig) -> None:
    """A time from the clock more than clock.SKEW behind the last entry is refused, like an explicit one."""
    with Ledger.open(site) as ledger:
        inspect(ledger, dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
        with pytest.raises(IntegrityError) as exc:
            inspect(ledger, None)
        assert ledger.store.count() == 1
    assert exc.value.code == "ledger.clock_behind"


def test_a_time_from_the_clock_is_taken_under_the_write_lock(site: SiteConfig) -> None:
    """A draft that waited for another writer is recorded at the time it is written, not when it was drafted."""
    drafted = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    waited = Draft("vendor.inspected", {"vendor": "V01"}, INSPECT, STAFF, drafted, from_clock=True)
    with Ledger.open(site) as ledger:
        inspect(ledger, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        [entry] = ledger.record_many([waited])
    assert entry.time > drafted + dt.timedelta(minutes=4)


def test_verify_flags_an_entry_dated_before_the_one_before_it(
    site: SiteConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger written without the rule (an earlier version, a forged writer) fails verify at the first such seq."""
    with Ledger.open(site) as ledger:
        for day in (1, 2, 3):
            inspect(ledger, jst(day))
        monkeypatch.setattr(clock, "stamp", lambda d, last: (dataclasses.replace(d, from_clock=False),
                                                             format_time(d.time)))
        inspect(ledger, jst(2, 23, 59))
        inspect(ledger, jst(1))
        with pytest.raises(IntegrityError) as exc:
            ledger.verify()
    assert exc.value.code == "ledger.time_backwards" and int(exc.value.exit_code) == 7
    assert exc.value.params == {"seq": 3, "time": "2026-06-02 23:59:00", "previous": "2026-06-03 10:00:00"}
    assert "3" in exc.value.message("ja")


def test_stored_times_compare_as_text_in_time_order() -> None:
    """Stored times (fixed-width ISO, UTC) compare as texts in time order, across midnight, month and year."""
    moments = [dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC), jst(1, 8, 59), jst(1, 9, 0)]
    moments += [dt.datetime(2027, 1, 1, tzinfo=dt.UTC), dt.datetime(2027, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC)]
    moments += [jst(30, 23, 59), jst(1, 0, 1, month=7)]  # JST dates, stored in UTC
    for a in moments:
        for b in moments:
            assert (format_time(a) < format_time(b)) == (a < b)
