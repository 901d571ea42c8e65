"""The custody rules on their own (rules.check on a replayed job), and replay's handling of corrections."""

from __future__ import annotations

from typing import Any

import pytest

from handoff.config import SiteConfig
from handoff.errors import CustodyError
from handoff.ledger import rules
from handoff.ledger.events import Actor, Draft, Entry
from handoff.ledger.service import Ledger

from .helpers import ISO, MEDIUM_CABINET, STAFF, SUPERVISOR, handover, job_payload, jst, prepare
from .test_rules import M1, N1, hand_medium


def history(*events: tuple[str, dict[str, str], dict[str, Any]]) -> rules.JobState:
    """The state replayed from ``events``, numbered from 0, all on 1 June."""
    return rules.replay([Entry(seq, jst(1), STAFF, kind, subject, payload)
                         for seq, (kind, subject, payload) in enumerate(events)])


PREPARED = history(
    ("job.prepared", {"job": "J1"}, job_payload()),
    ("medium.written", {"job": "J1", "medium": "J1-M1"}, {"iso_sha256": ISO, "verified": True}),
)


def check(site: SiteConfig, kind: str, subject: dict[str, str], payload: dict[str, Any],
          js: rules.JobState = PREPARED, size: int = 2, actor: Actor = STAFF) -> Draft:
    return rules.check(Draft(kind, subject, payload, actor, jst(3)), js, site, item_known=False, size=size)


def refused(site: SiteConfig, *args: Any, **kwargs: Any) -> CustodyError:
    with pytest.raises(CustodyError) as exc:
        check(site, *args, **kwargs)
    return exc.value


def test_a_correction_targets_an_existing_entry_only(sqlite_site: SiteConfig) -> None:
    """Entries 0 … size-1 can be corrected; the next number, or a negative one, is refused naming it."""
    for entry in ("0", "4"):
        check(sqlite_site, "correction", {"job": "J1", "entry": entry}, {"reason": "誤記"}, size=5, actor=SUPERVISOR)
    for entry in ("5", "-1"):
        err = refused(sqlite_site, "correction", {"job": "J1", "entry": entry}, {"reason": "誤記"}, size=5,
                      actor=SUPERVISOR)
        assert (err.code, err.params) == ("custody.correction_target", {"entry": entry})


def test_an_item_the_job_never_made_is_refused(sqlite_site: SiteConfig) -> None:
    """A handover of an item the job's history does not hold is refused naming the item and the subject's job."""
    err = refused(sqlite_site, "medium.handed_over", {"job": "J1", "medium": "J1-M9"}, handover())
    assert (err.code, err.params) == ("custody.unknown_item", {"item": "J1-M9", "job": "J1"})
    err = refused(sqlite_site, "medium.stored", {"medium": "J1-M9"}, {"cabinet": MEDIUM_CABINET})
    assert (err.code, err.params) == ("custody.unknown_id", {"item": "J1-M9"})


def test_an_event_of_no_prepared_job_names_the_event(sqlite_site: SiteConfig) -> None:
    """Without job.prepared, an item event is refused naming its job ("" when the subject has none) and event."""
    err = refused(sqlite_site, "medium.stored", {"medium": "X-M1"}, {"cabinet": MEDIUM_CABINET}, js=rules.JobState())
    assert (err.code, err.params) == ("custody.job_not_prepared", {"job": "", "event": "medium.stored"})


def test_every_envelope_may_pass_inspection(sqlite_site: SiteConfig) -> None:
    """A delivery inspection where every inspected envelope passed is accepted; one more passed is refused."""
    check(sqlite_site, "delivery.inspected", {"job": "J1"}, {"inspected": 5, "passed": 5})
    err = refused(sqlite_site, "delivery.inspected", {"job": "J1"}, {"inspected": 5, "passed": 6})
    assert (err.code, err.params) == ("custody.inspection_counts", {"passed": 6, "inspected": 5})


def test_a_notice_in_the_media_cabinet_is_refused(sqlite_site: SiteConfig) -> None:
    """The notice may not share the locked cabinet where the job's medium is stored (the rule holds both ways)."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        with pytest.raises(CustodyError) as exc:
            ledger.record("notice.stored", N1, {"cabinet": MEDIUM_CABINET}, STAFF, at=jst(2))
    assert exc.value.code == "custody.same_cabinet"
    assert exc.value.params == {"item": "J1-N1", "other": "J1-M1", "cabinet": MEDIUM_CABINET}


def test_a_correction_without_void_undoes_nothing(sqlite_site: SiteConfig) -> None:
    """A correction that only annotates a handover leaves the medium out: handing it over again is refused."""
    with Ledger.open(sqlite_site) as ledger:
        hand_medium(ledger)
        handed = ledger.store.size() - 1
        ledger.record("correction", {"entry": str(handed)}, {"reason": "時刻の注記"}, "S002", at=jst(2, 12))
        with pytest.raises(CustodyError) as exc:
            ledger.record("medium.handed_over", M1, handover(), STAFF, at=jst(4))
    assert exc.value.code == "custody.already_out"


def test_entries_after_a_voided_one_still_count(sqlite_site: SiteConfig) -> None:
    """Replay skips a voided entry and goes on: the handover recorded after it keeps the medium out."""
    with Ledger.open(sqlite_site) as ledger:
        hand_medium(ledger)
        mistaken = ledger.store.size() - 1
        ledger.record("correction", {"entry": str(mistaken)}, {"reason": "誤入力", "void": True}, "S002",
                      at=jst(2, 12))
        ledger.record("medium.handed_over", M1, handover(), STAFF, at=jst(4))
        with pytest.raises(CustodyError) as exc:
            ledger.record("medium.handed_over", M1, handover(), STAFF, at=jst(5))
    assert exc.value.code == "custody.already_out"
