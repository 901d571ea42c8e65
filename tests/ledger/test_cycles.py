"""One handoff per programme and cycle, enforced inside the ledger's write transaction on both backends."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from handoff.config import SiteConfig
from handoff.errors import ExitCode, HandoffError, StateError
from handoff.ledger import service
from handoff.ledger.drafts import draft
from handoff.ledger.service import Ledger

from .helpers import STAFF, job_payload, jst

CYCLE = "2026-10"


def prepared(cycle: str = CYCLE, programme: str = "kodomo-iryosho", **extra: Any) -> dict[str, Any]:
    return {**job_payload(), "programme": programme, "cycle": cycle, **extra}


def _state(ledger: Ledger) -> tuple[int, bytes]:
    latest = ledger.store.latest_checkpoint()
    assert latest is not None
    return ledger.store.count(), latest.root


def test_second_job_for_a_held_cycle_is_refused_and_writes_nothing(site: SiteConfig) -> None:
    """A job.prepared for a cycle another job holds is StateError run.cycle_done (exit 9) naming the holder."""
    with Ledger.open(site) as ledger:
        ledger.record("job.prepared", {"job": "J1"}, prepared(), STAFF, at=jst(1))
        before = _state(ledger)
        with pytest.raises(StateError) as exc:
            ledger.record("job.prepared", {"job": "J2"}, prepared(), STAFF, at=jst(2))
        assert _state(ledger) == before
    assert exc.value.code == "run.cycle_done" and int(exc.value.exit_code) == int(ExitCode.STATE) == 9
    assert exc.value.params == {"programme": "kodomo-iryosho", "cycle": CYCLE, "job": "J1"}
    assert "J1" in exc.value.message("ja") and "--reason" in exc.value.message("en")


def test_a_rerun_reason_other_cycles_and_other_programmes_are_accepted(site: SiteConfig) -> None:
    """The rule binds one programme's one cycle, and a recorded reason lets a second job through."""
    with Ledger.open(site) as ledger:
        ledger.record("job.prepared", {"job": "J1"}, prepared(), STAFF, at=jst(1))
        ledger.record("job.prepared", {"job": "J2"}, prepared("2026-11"), STAFF, at=jst(2))
        ledger.record("job.prepared", {"job": "J3"}, prepared(programme="keirokai"), STAFF, at=jst(3))
        ledger.record("job.prepared", {"job": "J4"}, prepared(rerun_reason="宛先の誤り"), STAFF, at=jst(4))
        ledger.record("job.prepared", {"job": "J5"}, job_payload(), STAFF, at=jst(5))  # no cycle: no rule
        with pytest.raises(StateError) as exc:
            ledger.record("job.prepared", {"job": "J6"}, prepared(), STAFF, at=jst(6))
    assert exc.value.params["job"] == "J4"  # the latest job holding the cycle is named
    assert service.cycle_holder(site, "kodomo-iryosho", CYCLE) == "J4"
    assert service.cycle_holder(site, "keirokai", CYCLE) == "J3"
    assert service.cycle_holder(site, "kodomo-iryosho", "2026-12") is None
    assert service.cycle_holder(site, "seikatsu-hogo", CYCLE) is None


def test_an_abandoned_job_does_not_hold_its_cycle(site: SiteConfig) -> None:
    """After job.abandoned the cycle is free: a new job.prepared without a reason is accepted and then holds."""
    with Ledger.open(site) as ledger:
        ledger.record("job.prepared", {"job": "J1"}, prepared(), STAFF, at=jst(1))
        ledger.record("job.abandoned", {"job": "J1"}, {"reason": "中断"}, STAFF, at=jst(2))
        assert service.cycle_holder(site, "kodomo-iryosho", CYCLE) is None
        ledger.record("job.prepared", {"job": "J2"}, prepared(), STAFF, at=jst(3))
        with pytest.raises(StateError) as exc:
            ledger.record("job.prepared", {"job": "J3"}, prepared(), STAFF, at=jst(4))
    assert exc.value.params["job"] == "J2"
    assert service.cycle_holder(site, "kodomo-iryosho", CYCLE) == "J2"


def test_a_voided_job_prepared_does_not_hold_its_cycle(site: SiteConfig) -> None:
    """A job.prepared undone by a void correction (recorded by mistake) leaves the cycle free."""
    with Ledger.open(site) as ledger:
        first = ledger.record("job.prepared", {"job": "J1"}, prepared(), STAFF, at=jst(1))
        ledger.record("correction", {"entry": str(first.seq)}, {"reason": "誤記", "void": True}, "S002",
                      at=jst(2))
        ledger.record("job.prepared", {"job": "J2"}, prepared(), STAFF, at=jst(3))
    assert service.cycle_holder(site, "kodomo-iryosho", CYCLE) == "J2"


def test_two_jobs_of_one_cycle_in_one_transaction_are_refused(site: SiteConfig) -> None:
    """Entries not yet inserted count: a batch carrying two jobs of one cycle is refused whole."""
    drafts = [draft("job.prepared", {"job": j}, prepared(), STAFF, at=jst(1)) for j in ("J1", "J2")]
    with Ledger.open(site) as ledger:
        with pytest.raises(StateError) as exc:
            ledger.record_many(drafts)
        assert ledger.store.count() == 0
    assert exc.value.params["job"] == "J1"


def test_concurrent_jobs_of_one_cycle_leave_exactly_one(site: SiteConfig) -> None:
    """Two writers, each with its own Ledger, append at the same moment: one wins, the other gets run.cycle_done."""
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def attempt(job: str) -> None:
        with Ledger.open(site) as ledger:
            barrier.wait()
            try:
                ledger.record("job.prepared", {"job": job}, prepared(), STAFF)
                outcome[job] = "recorded"
            except HandoffError as exc:
                outcome[job] = f"{exc.code} {int(exc.exit_code)} {exc.params.get('job')}"

    threads = [threading.Thread(target=attempt, args=(job,)) for job in ("J1", "J2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    [winner] = [job for job, result in outcome.items() if result == "recorded"]
    [loser] = [job for job in outcome if job != winner]
    assert outcome[loser] == f"run.cycle_done 9 {winner}"
    with Ledger.open(site) as ledger:
        report = ledger.verify()
        jobs = [e.job for e in ledger.entries() if e.type == "job.prepared"]
    assert jobs == [winner] and report.entries == 1


def test_the_lookup_reads_only_the_cycles_job_prepared_rows(site: SiteConfig) -> None:
    """The store returns the job.prepared rows carrying the cycle, not the ledger: no entry is parsed to find it."""
    with Ledger.open(site) as ledger:
        ledger.record("job.prepared", {"job": "J1"}, prepared(), STAFF, at=jst(1))
        ledger.record("job.prepared", {"job": "J2"}, prepared("2026-11"), STAFF, at=jst(2))
        ledger.record("job.abandoned", {"job": "J1"}, {"reason": "中断"}, STAFF, at=jst(3))
        ledger.record("job.prepared", {"job": "J3"}, prepared(programme="keirokai"), STAFF, at=jst(4))
        rows = ledger.store.prepared_rows(b'"cycle":"2026-10"')
    assert [r.job for r in rows] == ["J1", "J3"]
