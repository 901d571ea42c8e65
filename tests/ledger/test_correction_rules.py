"""A correction's changes are held to the rules its target had to pass: ``ledger correct --set`` cannot make a
wrong record (an unknown cabinet, a same-day handover, an unregistered handler …) that the rules would refuse."""

from __future__ import annotations

from typing import Any

import pytest

from handoff.config import SiteConfig
from handoff.errors import CustodyError
from handoff.ledger import rules
from handoff.ledger.events import Actor
from handoff.ledger.service import Ledger, correction_payload

from .helpers import (
    ISO,
    MEDIUM_CABINET,
    NOTICE_CABINET,
    STAFF,
    SUPERVISOR,
    handover,
    job_payload,
    jst,
    prepare,
    run_cli,
)


def correct(ledger: Ledger, seq: int, *sets: str, actor: Actor = SUPERVISOR) -> None:
    _, payload = correction_payload(ledger, seq, "記入誤り", void=False, sets=list(sets))
    ledger.record("correction", {"entry": str(seq)}, payload, actor, at=jst(10))


def refusal(ledger: Ledger, seq: int, *sets: str) -> str:
    size = ledger.store.size()
    with pytest.raises(CustodyError) as exc:
        correct(ledger, seq, *sets)
    assert ledger.store.size() == size  # nothing recorded
    return exc.value.code


def handed_over(ledger: Ledger) -> None:
    """prepare(), then 5 medium handed over on 6/4 and 6 notice handed over on 6/5."""
    prepare(ledger)
    ledger.record("medium.handed_over", {"medium": "J1-M1"}, handover(), STAFF, at=jst(4))
    ledger.record("notice.handed_over", {"notice": "J1-N1"}, handover(), STAFF, at=jst(5))


def test_an_unknown_cabinet_is_refused(site: SiteConfig) -> None:
    """--set cabinet=<not in site.toml> on a medium.stored: custody.unknown_cabinet."""
    with Ledger.open(site) as ledger:
        prepare(ledger)  # 3 medium stored, 4 notice stored
        assert refusal(ledger, 3, "cabinet=物置") == "custody.unknown_cabinet"


def test_the_other_items_cabinet_is_refused(site: SiteConfig) -> None:
    """The notice corrected into the medium's cabinet, or the medium into the notice's: custody.same_cabinet."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        assert refusal(ledger, 4, f"cabinet={MEDIUM_CABINET}") == "custody.same_cabinet"
        # The medium went in first: it is the later notice.stored that the change would break.
        assert refusal(ledger, 3, f"cabinet={NOTICE_CABINET}") == "custody.same_cabinet"


def test_a_wrong_cabinet_is_fixed(site: SiteConfig) -> None:
    """A medium stored in the notices' cabinet is corrected to the media cabinet; the notice then fits its own."""
    with Ledger.open(site) as ledger:
        ledger.record("job.prepared", {"job": "J1"}, job_payload(), STAFF, at=jst(1, 9))
        ledger.record("medium.written", {"job": "J1", "medium": "J1-M1"}, {"iso_sha256": ISO, "verified": True},
                      STAFF, at=jst(1, 9))
        ledger.record("notice.printed", {"job": "J1", "notice": "J1-N1"}, {}, STAFF, at=jst(1, 9))
        ledger.record("medium.stored", {"medium": "J1-M1"}, {"cabinet": NOTICE_CABINET}, STAFF, at=jst(1, 10))
        with pytest.raises(CustodyError) as exc:
            ledger.record("notice.stored", {"notice": "J1-N1"}, {"cabinet": NOTICE_CABINET}, STAFF, at=jst(1, 11))
        assert exc.value.code == "custody.same_cabinet"
        correct(ledger, 3, f"cabinet={MEDIUM_CABINET}")
        ledger.record("notice.stored", {"notice": "J1-N1"}, {"cabinet": NOTICE_CABINET}, STAFF, at=jst(11))
        state = rules.replay(list(ledger.entries(job="J1")))
        assert (state.items["J1-M1"].cabinet, state.items["J1-N1"].cabinet) == (MEDIUM_CABINET, NOTICE_CABINET)
        assert ledger.verify().entries == 6


def test_an_unknown_witness_is_refused(site: SiteConfig) -> None:
    """--set witness=<not registered staff> on a destruction: custody.witness_unknown."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        ledger.record("medium.destroyed", {"medium": "J1-M1"}, {"method": "破砕", "witness": "S002"}, STAFF,
                      at=jst(4))
        assert refusal(ledger, 5, "witness=S999") == "custody.witness_unknown"


def test_the_recorder_as_witness_is_refused(site: SiteConfig) -> None:
    """--set witness=<the staff who recorded the destruction>: custody.witness_self."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        ledger.record("medium.destroyed", {"medium": "J1-M1"}, {"method": "破砕", "witness": "S002"}, STAFF,
                      at=jst(4))
        assert refusal(ledger, 5, "witness=S001") == "custody.witness_self"


@pytest.mark.parametrize(("seq", "on", "code"), [
    (6, "2026-06-04", "custody.same_day"),  # the notice moved onto the medium's day
    (5, "2026-06-03", None),  # the medium a day earlier: still before the notice, accepted
    (6, "2026-06-06", "custody.on_after_recorded"),  # after the day the notice's handover was recorded
    (6, "2026-05-20", "custody.on_too_early"),  # more than backdate_days before it was recorded
    (6, "2026-05-31", "custody.on_before_job"),  # before the job was prepared (6/1)
])
def test_a_declared_date_is_checked_again(site: SiteConfig, seq: int, on: str, code: str | None) -> None:
    """--set on=<date> is judged as the target's own --on would have been, and by the entries after it."""
    with Ledger.open(site) as ledger:
        handed_over(ledger)
        if code is None:
            correct(ledger, seq, f"on={on}")
        else:
            assert refusal(ledger, seq, f"on={on}") == code


def test_a_date_that_breaks_a_later_entry_is_refused(site: SiteConfig) -> None:
    """A medium's handover date moved onto its notice's day is refused by the notice's same-day rule."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        ledger.record("medium.handed_over", {"medium": "J1-M1"}, {**handover(), "on": "2026-06-03"}, STAFF,
                      at=jst(5, 9))
        ledger.record("notice.handed_over", {"notice": "J1-N1"}, handover(), STAFF, at=jst(5, 10))
        assert refusal(ledger, 5, "on=2026-06-05") == "custody.same_day"
        correct(ledger, 5, "on=2026-06-04")


@pytest.mark.parametrize(("sets", "code"), [
    ("handler=V01-H9", "custody.unknown_handler"),
    ("quantity=99", "custody.quantity_mismatch"),
    ("vendor=V02", "custody.wrong_vendor"),
])
def test_a_handover_field_is_checked_again(site: SiteConfig, sets: str, code: str) -> None:
    """--set handler/quantity/vendor on a handover: the handover's own refusal, exit 6."""
    with Ledger.open(site) as ledger:
        handed_over(ledger)
        assert refusal(ledger, 5, sets) == code


def test_an_empty_bag_is_refused(site: SiteConfig) -> None:
    """A correction recorded through the API that blanks the bag number: custody.bag_required."""
    with Ledger.open(site) as ledger:
        handed_over(ledger)
        with pytest.raises(CustodyError) as exc:
            ledger.record("correction", {"entry": "5"}, {"reason": "記入誤り", "changes": {"bag": " "}}, SUPERVISOR,
                          at=jst(10))
        assert exc.value.code == "custody.bag_required"


def test_an_unknown_vendor_on_the_job_is_refused(site: SiteConfig) -> None:
    """--set vendor=<not in site.toml> on job.prepared: custody.unknown_vendor."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        assert refusal(ledger, 0, "vendor=V99") == "custody.unknown_vendor"


def test_a_quantity_that_breaks_a_later_handover_is_refused(site: SiteConfig) -> None:
    """job.prepared quantity corrected after its medium went out with the old count: the handover's rule."""
    with Ledger.open(site) as ledger:
        handed_over(ledger)
        assert refusal(ledger, 0, "quantity=120") == "custody.quantity_mismatch"


@pytest.mark.parametrize(("changes", "code"), [
    ({"shelf": "A"}, "correction.key"),
    ({"medium": "J9-M1"}, "correction.subject"),
    ({"quantity": "many"}, "correction.value"),
])
def test_changes_through_the_api_are_held_to_the_command_s_rules(site: SiteConfig, changes: dict[str, Any],
                                                                 code: str) -> None:
    """A correction recorded without ``ledger correct`` still names only declared keys with values of their kind."""
    with Ledger.open(site) as ledger:
        handed_over(ledger)
        with pytest.raises(CustodyError) as exc:
            ledger.record("correction", {"entry": "5"}, {"reason": "記入誤り", "changes": changes}, SUPERVISOR,
                          at=jst(10))
        assert exc.value.code == code


def test_only_a_supervisor_corrects(site: SiteConfig) -> None:
    """A correction with valid changes by an operator is still refused (custody.role_refused)."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        with pytest.raises(CustodyError) as exc:
            correct(ledger, 3, f"cabinet={MEDIUM_CABINET}", actor=STAFF)
        assert exc.value.code == "custody.role_refused"


def test_a_refusal_the_correction_did_not_cause_does_not_block_it(site: SiteConfig) -> None:
    """A handler since removed from site.toml does not block fixing the bag number of that handover."""
    with Ledger.open(site) as ledger:
        handed_over(ledger)
    removed = [v.model_copy(update={"handlers": [h for h in v.handlers if h.id != "V01-H1"]}) if v.id == "V01"
               else v for v in site.vendors]
    with Ledger.open(site.model_copy(update={"vendors": removed})) as ledger:
        correct(ledger, 5, "bag=BAG-2")
        assert refusal(ledger, 5, "handler=V01-H8") == "custody.unknown_handler"


def test_cli_refuses_a_correction_the_rules_refuse(sqlite_site: SiteConfig) -> None:
    """ledger correct --set handler=<unregistered> exits 6 with the rule's code and records nothing."""
    with Ledger.open(sqlite_site) as ledger:
        handed_over(ledger)
    proc = run_cli("ledger", "correct", "5", "--set", "handler=V01-H9", "--reason", "記入誤り", "--staff", "S002",
                   "--yes", home=str(sqlite_site.home))
    assert proc.returncode == 6 and "[custody.unknown_handler]" in proc.stderr, proc.stderr
    with Ledger.open(sqlite_site) as ledger:
        assert ledger.store.size() == 7
