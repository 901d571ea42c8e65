"""Custody rules at write time: each refusal has its code, a Japanese message, exit code 6, writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from handoff.config import Certification, SiteConfig
from handoff.errors import CustodyError, ExitCode
from handoff.ledger.events import Actor
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger

from .helpers import ISO, MEDIUM_CABINET, NOTICE_CABINET, STAFF, SUPERVISOR, handover, job_payload, jst, prepare

Step = Callable[[Ledger], Any]


def nothing(ledger: Ledger) -> None:
    """No setup."""


def hand_medium(ledger: Ledger, day: int = 2) -> None:
    prepare(ledger)
    ledger.record("medium.handed_over", {"medium": "J1-M1"}, handover(), STAFF, at=jst(day))


def prepare_two_jobs(ledger: Ledger) -> None:
    prepare(ledger)
    ledger.record("job.prepared", {"job": "J2"}, job_payload(), STAFF, at=jst(1))


def destroy_medium(ledger: Ledger) -> None:
    prepare(ledger)
    ledger.record("medium.destroyed", {"medium": "J1-M1"}, {"method": "破砕"}, STAFF, at=jst(2))


def void_entry_3(ledger: Ledger) -> None:
    prepare(ledger)
    ledger.record("correction", {"entry": "3"}, {"reason": "誤記", "void": True}, SUPERVISOR, at=jst(2))


def prepare_in_march(ledger: Ledger) -> None:
    """The job prepared before the contract starts (recorded times never go backwards, so a handover dated
    before the contract needs a job prepared earlier still)."""
    prepare(ledger, day=30, month=3)


def abandon(ledger: Ledger) -> None:
    prepare(ledger)
    ledger.record("job.abandoned", {"job": "J1"}, {"reason": "中断"}, STAFF, at=jst(2))


def unverified(ledger: Ledger) -> None:
    prepare(ledger, verified=False)


def contract(ledger: Ledger, **changes: Any) -> None:
    """Vendor V01 of the open ledger's site with its contract changed (certifications …)."""
    v01 = ledger.site.vendor("V01").model_copy(update=changes)
    vendors = [v01 if v.id == "V01" else v for v in ledger.site.vendors]
    ledger.site = ledger.site.model_copy(update={"vendors": vendors})


def expired_vendor(ledger: Ledger) -> None:
    prepare(ledger)
    contract(ledger, certifications=[Certification(kind="Pマーク", number="00000009(01)", expires=dt.date(2026, 5, 31))])


def uncertified_vendor(ledger: Ledger) -> None:
    prepare(ledger)
    contract(ledger, certifications=[], require_certification=True)


def rec(event: str, subject: dict[str, str], payload: dict[str, Any], at: int = 3, actor: Actor = STAFF) -> Step:
    return lambda ledger: ledger.record(event, subject, payload, actor, at=jst(at))


M1, N1 = {"medium": "J1-M1"}, {"notice": "J1-N1"}
CASES: list[tuple[str, Step, Step, str, str]] = [  # (name, setup, attempt, code, phrase)
    (
        "unknown staff",
        prepare,
        rec("medium.stored", M1, {"cabinet": MEDIUM_CABINET}, actor=Actor("S999", "x")),
        "custody.unknown_staff",
        "S999",
    ),
    (
        "job prepared twice",
        prepare,
        rec("job.prepared", {"job": "J1"}, job_payload()),
        "custody.job_exists",
        "J1",
    ),
    (
        "medium of an unknown job",
        nothing,
        rec("medium.written", {"job": "J9", "medium": "J9-M1"}, {"iso_sha256": ISO, "verified": True}),
        "custody.job_not_prepared",
        "J9",
    ),
    (
        "medium id reused by another job",
        prepare_two_jobs,
        rec("medium.written", {"job": "J2", "medium": "J1-M1"}, {"iso_sha256": ISO, "verified": True}),
        "custody.item_exists",
        "J1-M1",
    ),
    (
        "unknown medium",
        prepare,
        rec("medium.handed_over", {"medium": "J1-M9"}, handover()),
        "custody.unknown_id",
        "J1-M9",
    ),
    (
        "a medium its job never made",
        prepare,
        rec("medium.handed_over", {"job": "J1", "medium": "J1-M9"}, handover()),
        "custody.unknown_item",
        "J1-M9",
    ),
    (
        "return of a medium never handed over",
        prepare,
        rec("medium.returned", M1, {"handler": "V01-H1"}),
        "custody.not_out",
        "J1-M1",
    ),
    (
        "handover while already out",
        hand_medium,
        rec("medium.handed_over", M1, handover()),
        "custody.already_out",
        "J1-M1",
    ),
    (
        "handover of a medium that failed verification",
        unverified,
        rec("medium.handed_over", M1, handover()),
        "custody.not_verified",
        "検証に失敗",
    ),
    (
        "handover after destruction",
        destroy_medium,
        rec("medium.handed_over", M1, handover()),
        "custody.item_destroyed",
        "廃棄済み",
    ),
    (
        "destruction while with the vendor",
        hand_medium,
        rec("medium.destroyed", M1, {"method": "破砕"}),
        "custody.item_out",
        "引渡し中",
    ),
    (
        "storing a failed medium",
        unverified,
        rec("medium.stored", M1, {"cabinet": MEDIUM_CABINET}),
        "custody.bad_transition",
        "failed",
    ),
    (
        "unknown cabinet",
        prepare,
        rec("medium.stored", M1, {"cabinet": "金庫X"}),
        "custody.unknown_cabinet",
        "金庫X",
    ),
    (
        "medium in the notice's cabinet",
        prepare,
        rec("medium.stored", M1, {"cabinet": NOTICE_CABINET}),
        "custody.same_cabinet",
        "別の施錠保管庫",
    ),
    (
        "handover to another vendor",
        prepare,
        rec("medium.handed_over", M1, handover("V02-H1", vendor="V02")),
        "custody.wrong_vendor",
        "V02",
    ),
    (
        "handover to an unregistered handler",
        prepare,
        rec("medium.handed_over", M1, handover("V02-H1")),
        "custody.unknown_handler",
        "V02-H1",
    ),
    (
        "handover outside the contract period",
        prepare_in_march,
        lambda lg: lg.record("medium.handed_over", M1, handover(), STAFF, at=jst(31, month=3)),
        "custody.outside_contract",
        "2026-03-31",
    ),
    (
        "quantity differs from the job",
        prepare,
        rec("medium.handed_over", M1, handover(quantity=99)),
        "custody.quantity_mismatch",
        "99",
    ),
    (
        "no locked-bag number",
        prepare,
        rec("medium.handed_over", M1, handover(bag=None)),
        "custody.bag_required",
        "鍵付きカバン",
    ),
    (
        "blank locked-bag number",
        prepare,
        rec("medium.handed_over", M1, handover(bag=" ")),
        "custody.bag_required",
        "鍵付きカバン",
    ),
    (
        "notice on the same day as the medium",
        hand_medium,
        rec("notice.handed_over", N1, handover(), at=2),
        "custody.same_day",
        "同じ日",
    ),
    (
        "notice before any medium",
        prepare,
        rec("notice.handed_over", N1, handover()),
        "custody.notice_before_medium",
        "媒体がまだ",
    ),
    (
        "return by an unregistered handler",
        hand_medium,
        rec("medium.returned", M1, {"handler": "V02-H1"}),
        "custody.unknown_handler",
        "V02-H1",
    ),
    (
        "correction of a missing entry",
        prepare,
        rec("correction", {"entry": "999"}, {"reason": "誤記"}, actor=SUPERVISOR),
        "custody.correction_target",
        "999",
    ),
    (
        "entry voided twice",
        void_entry_3,
        rec("correction", {"entry": "3"}, {"reason": "誤記", "void": True}, actor=SUPERVISOR),
        "custody.already_void",
        "3",
    ),
    (
        "more passed than inspected",
        prepare,
        rec("delivery.inspected", {"job": "J1"}, {"inspected": 5, "passed": 6}),
        "custody.inspection_counts",
        "6",
    ),
    (
        "handover of an abandoned job's medium",
        abandon,
        rec("medium.handed_over", M1, handover()),
        "custody.job_abandoned",
        "中止",
    ),
    (
        "abandoning a job whose medium is out",
        hand_medium,
        rec("job.abandoned", {"job": "J1"}, {"reason": "中断"}),
        "custody.abandon_handed_over",
        "引き渡されている",
    ),
    (
        "inspection of an unknown vendor",
        nothing,
        rec("vendor.inspected", {"vendor": "V99"}, {"performed_on": "2026-06-01", "result": "良"}),
        "custody.unknown_vendor",
        "V99",
    ),
    (
        "an auditor storing a medium",
        prepare,
        rec("medium.stored", M1, {"cabinet": MEDIUM_CABINET}, actor=Actor("A001", "x")),
        "custody.role_refused",
        "auditor",
    ),
    (
        "destruction witnessed by an unregistered id",
        prepare,
        rec("medium.destroyed", M1, {"method": "破砕", "witness": "S999"}),
        "custody.witness_unknown",
        "S999",
    ),
    (
        "destruction witnessed by the person recording",
        prepare,
        rec("medium.destroyed", M1, {"method": "破砕", "witness": "S001"}),
        "custody.witness_self",
        "S001",
    ),
    (
        "handover after the vendor's certification expired",
        expired_vendor,
        rec("medium.handed_over", M1, handover()),
        "custody.certification_expired",
        "2026-05-31",
    ),
    (
        "handover to a vendor that must be but is not certified",
        uncertified_vendor,
        rec("medium.handed_over", M1, handover()),
        "custody.certification_missing",
        "require_certification",
    ),
    (
        "declared date after the recording day",
        prepare,
        rec("medium.stored", M1, {"cabinet": MEDIUM_CABINET, "on": "2026-06-04"}),
        "custody.on_after_recorded",
        "2026-06-04",
    ),
    (
        "declared date older than backdate_days",
        prepare,
        rec("medium.handed_over", M1, {**handover(), "on": "2026-06-02"}, at=20),
        "custody.on_too_early",
        "backdate_days",
    ),
    (
        "declared date before the job was prepared",
        prepare,
        rec("medium.destroyed", M1, {"method": "破砕", "on": "2026-05-31"}),
        "custody.on_before_job",
        "作成日",
    ),
]


def _state(site: SiteConfig, ledger: Ledger) -> tuple[int, bytes, bytes]:
    latest = ledger.store.latest_checkpoint()
    assert latest is not None
    return ledger.store.count(), latest.root, LedgerPaths.of(site).checkpoint.read_bytes()


@pytest.mark.parametrize(("setup", "attempt", "code", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_refuses_and_writes_nothing(
    sqlite_site: SiteConfig, setup: Step, attempt: Step, code: str, phrase: str
) -> None:
    """The rule raises CustodyError (exit 6) with its message; entries, checkpoints and file are unchanged."""
    with Ledger.open(sqlite_site) as ledger:
        setup(ledger)
        before = _state(sqlite_site, ledger)
        with pytest.raises(CustodyError) as exc:
            attempt(ledger)
        assert _state(sqlite_site, ledger) == before
    err = exc.value
    assert err.code == code and int(err.exit_code) == int(ExitCode.CUSTODY) == 6
    ja, en = err.message("ja"), err.message("en")
    assert phrase in ja and "{" not in ja and "{" not in en and ja != en


CASES_IN_CUSTODY = ("custody.role_refused", "custody.witness_unknown", "custody.witness_self",
                    "custody.certification_expired", "custody.certification_missing", "custody.on_after_recorded",
                    "custody.on_too_early", "custody.on_before_job")


def test_every_custody_code_is_exercised_and_catalogued() -> None:
    """Each custody.* message in the catalogue is pinned by a case above (and every case's code exists)."""
    from handoff.messages.custody import MESSAGES as CUSTODY
    from handoff.messages.ledger import MESSAGES

    catalogued = {c for c in MESSAGES if c.startswith("custody.")}
    # Roles, witnesses and vendors' contracts are catalogued in messages.custody, next to the incidents.
    assert {c[3] for c in CASES} == catalogued | {c for c in CASES_IN_CUSTODY if c in CUSTODY}


def test_full_lifecycle_is_accepted(sqlite_site: SiteConfig) -> None:
    """Store, hand over on separate days, return (hash compared), destroy, certificate: all accepted."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        ledger.record("medium.handed_over", M1, handover(), STAFF, at=jst(2))
        ledger.record("notice.handed_over", N1, handover("V01-H2", bag="BAG-2"), STAFF, at=jst(3))
        back = ledger.record("medium.returned", M1, {"handler": "V01-H1", "readback_sha256": ISO}, STAFF, at=jst(20))
        ledger.record("notice.returned", N1, {"handler": "V01-H1"}, STAFF, at=jst(20))
        ledger.record("medium.stored", M1, {"cabinet": MEDIUM_CABINET}, STAFF, at=jst(20))
        ledger.record("medium.destroyed", M1, {"method": "破砕", "witness": "S002"}, STAFF, at=jst(21))
        ledger.record("notice.destroyed", N1, {"method": "裁断"}, STAFF, at=jst(21))
        cert = {"vendor": "V01", "scan_sha256": "c" * 64, "method": "破砕", "performed_on": "2026-06-19", "media": ["J1-M1"],
                "performed_by": "V01-H1", "verified_by": "V01-H2"}  # fmt: skip
        ledger.record("deletion_certificate.received", {"job": "J1"}, cert, STAFF, at=jst(22))
        ledger.verify()
    assert back.job == "J1" and back.payload["hash_matches"] is True


def test_readback_mismatch_is_recorded_not_hidden(sqlite_site: SiteConfig) -> None:
    """A returned medium whose read-back hash differs is recorded with hash_matches = false."""
    with Ledger.open(sqlite_site) as ledger:
        hand_medium(ledger)
        e = ledger.record("medium.returned", M1, {"handler": "V01-H1", "readback_sha256": "d" * 64}, STAFF, at=jst(9))
    assert e.payload["hash_matches"] is False


def test_same_day_means_the_tokyo_calendar_day(sqlite_site: SiteConfig) -> None:
    """23:30 and 00:10 JST are different days (same UTC day); 00:30 and 23:00 JST are the same day."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        ledger.record("medium.handed_over", M1, handover(), STAFF, at=jst(2, 23, 30))
        ledger.record("notice.handed_over", N1, handover(), STAFF, at=jst(3, 0, 10))
        prepare(ledger, "J2", day=4)
        ledger.record("medium.handed_over", {"medium": "J2-M1"}, handover(), STAFF, at=jst(5, 0, 30))
        with pytest.raises(CustodyError) as exc:
            ledger.record("notice.handed_over", {"notice": "J2-N1"}, handover(), STAFF, at=jst(5, 23, 0))
    assert exc.value.code == "custody.same_day"


def test_second_medium_may_not_go_on_the_notice_day(sqlite_site: SiteConfig) -> None:
    """The rule holds both ways: a later medium of the job cannot travel on the day its notice did."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        ledger.record("medium.written", {"job": "J1", "medium": "J1-M2"}, {"iso_sha256": ISO, "verified": True}, STAFF,
                      at=jst(1, 10))
        ledger.record("medium.handed_over", M1, handover(), STAFF, at=jst(2))
        ledger.record("notice.handed_over", N1, handover(), STAFF, at=jst(3))
        with pytest.raises(CustodyError) as exc:
            ledger.record("medium.handed_over", {"medium": "J1-M2"}, handover(), STAFF, at=jst(3, 15))
    assert exc.value.code == "custody.same_day"


def test_void_correction_undoes_a_mistaken_record(sqlite_site: SiteConfig) -> None:
    """A handover recorded by mistake is voided by a correction (nothing edited); the medium can be stored."""
    with Ledger.open(sqlite_site) as ledger:
        hand_medium(ledger)
        mistaken = ledger.store.size() - 1
        fix = ledger.record("correction", {"entry": str(mistaken)}, {"reason": "誤入力", "void": True}, SUPERVISOR,
                            at=jst(2, 12))
        ledger.record("medium.stored", M1, {"cabinet": MEDIUM_CABINET}, STAFF, at=jst(3))
        assert fix.job == "J1" and ledger.store.row(mistaken) is not None
