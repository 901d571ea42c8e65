"""The custody reconciliation: a clean year finds nothing; each broken rule gives exactly its one finding."""

from __future__ import annotations

import datetime as dt

import pytest

from handoff.audit.model import fiscal_year_of
from handoff.config import SiteConfig
from handoff.ledger import rules
from handoff.ledger.service import Ledger
from handoff.programme import ProgramSpec
from tests.audit.helpers import audit, codes, only
from tests.audit.year import (
    CYCLES,
    OPERATOR,
    SUPERVISOR,
    at,
    build_year,
    inspect_vendor,
    run_cycle,
)

D = dt.date(2026, 10, 1)  # the day the scenario jobs are prepared (the October cycle)
END_OF_YEAR = dt.date(2026, 12, 31)  # inside fiscal year 2026: the vendor's inspection is not judged yet


def day(offset: int) -> dt.date:
    return D + dt.timedelta(days=offset)


@pytest.fixture
def unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The write-time rules out of the way: what an older release, or a correction, may have left in a ledger."""
    monkeypatch.setattr(rules, "check", lambda draft, js, site, **kw: draft)


# --- the clean year --------------------------------------------------------------------------------------------
def test_clean_fiscal_year_has_no_findings(ledger: Ledger, audit_site: SiteConfig,
                                           programmes: dict[str, ProgramSpec]) -> None:
    """Four 生活保護 cycles of FY2026 recorded in order, with one inspection by two staff: no finding on 2027-05-01."""
    year = build_year(ledger)
    result = audit(ledger, audit_site, programmes, dt.date(2027, 5, 1))
    assert codes(result) == []
    assert [t.job for t in result.timelines] == [c.job for c in year.cycles]
    assert all(not t.open_items for t in result.timelines)
    assert result.checked["jobs"] == 4 and result.checked["media"] == 4 and result.checked["notices"] == 4
    assert result.checked["certificates"] == 4 and result.checked["inspections"] == 1
    assert result.checked["entries"] == len(year.entries)
    [row] = result.vendors
    assert (row.vendor, row.fiscal_year, row.jobs, row.certificates, row.inspections) == ("V01", 2026, 4, 4, 1)
    assert (row.media_out, row.notices_out, row.findings) == (0, 0, 0)


def test_year_builder_follows_seed_004(ledger: Ledger) -> None:
    """The builder's jobs are the seed's mailings (June, October, November, March) inside FY2026."""
    year = build_year(ledger)
    assert [c.prepared.month for c in year.cycles] == [6, 10, 11, 3]
    assert {fiscal_year_of(c.prepared) for c in year.cycles} == {2026}
    assert [name for name, _ in CYCLES] == [c.cycle for c in year.cycles]


# --- 1. returns -------------------------------------------------------------------------------------------------
def test_late_return(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A disc back 39 days after its handover (deadline 30) is one return_late naming handover and return."""
    c = run_cycle(ledger, "J-LATE", D, offsets={"medium_returned": 40, "certificate": 42, "destroyed": 43})
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.return_late")
    [f] = result.findings
    assert f.items == (c.media[0],) and f.due == day(31)
    assert f.seqs == (c.first("medium.handed_over").seq, c.first("medium.returned").seq)
    assert f.params["back"] == day(40).isoformat() and f.params["days"] == 9


def test_return_on_the_deadline_is_not_late(ledger: Ledger, audit_site: SiteConfig,
                                            programmes: dict[str, ProgramSpec]) -> None:
    """Back on the last day allowed (handover + 30) is in time."""
    run_cycle(ledger, "J-EDGE", D, offsets={"medium_returned": 31, "certificate": 32, "destroyed": 33})
    assert codes(audit(ledger, audit_site, programmes, END_OF_YEAR)) == []


def test_declared_return_date_is_judged(ledger: Ledger, audit_site: SiteConfig,
                                        programmes: dict[str, ProgramSpec]) -> None:
    """A return recorded two days after the deadline but declared (--on) for the day before it is in time."""
    run_cycle(ledger, "J-ON", D, offsets={"medium_returned": 33, "certificate": 34, "destroyed": 35},
              on={"medium_returned": day(30)})
    assert codes(audit(ledger, audit_site, programmes, END_OF_YEAR)) == []


def test_overdue_return(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A disc still out past its deadline is one return_overdue (its certificate is not judged while it is out)."""
    c = run_cycle(ledger, "J-OUT", D, offsets={"medium_returned": None, "certificate": None, "destroyed": None})
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.return_overdue")
    [f] = result.findings
    assert f.items == (c.media[0],) and f.due == day(31) and f.seqs == (c.first("medium.handed_over").seq,)
    assert result.timelines[0].open_items == [c.media[0]]


def test_not_yet_overdue_before_the_deadline(ledger: Ledger, audit_site: SiteConfig,
                                             programmes: dict[str, ProgramSpec]) -> None:
    """As of the deadline itself the disc still out is not overdue."""
    run_cycle(ledger, "J-OUT", D, offsets={"medium_returned": None, "certificate": None, "destroyed": None})
    assert codes(audit(ledger, audit_site, programmes, day(31))) == []


# --- 2. the deletion certificate --------------------------------------------------------------------------------
def test_missing_certificate(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """All media back and no certificate 14 days after the last return: one certificate_missing."""
    c = run_cycle(ledger, "J-NOCERT", D, offsets={"certificate": None})
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.certificate_missing")
    [f] = result.findings
    assert f.due == day(12 + 14) and f.items == tuple(c.media) and f.seqs == (c.first("medium.returned").seq,)
    assert codes(audit(ledger, audit_site, programmes, day(26))) == []  # not yet due


def test_certificate_missing_a_medium(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec],
                                      unchecked: None) -> None:
    """A certificate naming one of the job's two verified media (written before the rule) is certificate_incomplete."""
    c = run_cycle(ledger, "J-PART", D, media=2, certified=["J-PART-M1"])
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.certificate_incomplete")
    [f] = result.findings
    assert f.items == ("J-PART-M2",) and f.seqs == (c.first("deletion_certificate.received").seq,)


def test_late_certificate(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A certificate received 18 days after the last return (deadline 14) is one certificate_late."""
    c = run_cycle(ledger, "J-LATECERT", D, offsets={"certificate": 30, "destroyed": 31})
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.certificate_late")
    [f] = result.findings
    assert f.due == day(26) and f.params["received"] == day(30).isoformat() and f.params["days"] == 4
    assert f.seqs == (c.first("deletion_certificate.received").seq,)


# --- 3. hashes --------------------------------------------------------------------------------------------------
def test_hash_mismatch_left_open(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A return recorded with a read-back that does not match what was written, never settled: hash_mismatch_open."""
    c = run_cycle(ledger, "J-HASH", D, readback="d" * 64)
    assert c.first("medium.returned").payload["hash_matches"] is False
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.hash_mismatch_open")
    assert result.findings[0].seqs == (c.first("medium.returned").seq,)


def test_hash_mismatch_settled_by_a_closed_incident(ledger: Ledger, audit_site: SiteConfig,
                                                    programmes: dict[str, ProgramSpec]) -> None:
    """The same mismatch, recorded as an incident afterwards and closed by a supervisor, is settled."""
    run_cycle(ledger, "J-HASH", D, readback="d" * 64, offsets={"certificate": None, "destroyed": None})
    inc = ledger.record("incident.recorded", {"job": "J-HASH", "medium": "J-HASH-M1"},
                        {"kind": "hash_mismatch", "reported_by": "S001"}, OPERATOR, at=at(day(13)))
    ledger.record("incident.closed", {"entry": str(inc.seq), "job": "J-HASH"},
                  {"outcome": "業者で再読取りし一致を確認", "closed_by": "S002"}, SUPERVISOR, at=at(day(13), 15))
    ledger.record("deletion_certificate.received", {"job": "J-HASH"},
                  {"vendor": "V01", "scan_sha256": "c" * 64, "method": "上書き消去", "performed_on": day(14).isoformat(),
                   "performed_by": "V01-H1", "verified_by": "V01-H1", "media": ["J-HASH-M1"]},
                  OPERATOR, at=at(day(14)))
    assert codes(audit(ledger, audit_site, programmes, END_OF_YEAR)) == []


def test_open_hash_incident_is_one_finding(ledger: Ledger, audit_site: SiteConfig,
                                           programmes: dict[str, ProgramSpec]) -> None:
    """A disc refused on return (hash_mismatch incident left open) is hash_mismatch_open only, not overdue too."""
    run_cycle(ledger, "J-HASH", D, offsets={"medium_returned": None, "certificate": None, "destroyed": None})
    inc = ledger.record("incident.recorded", {"job": "J-HASH", "medium": "J-HASH-M1"},
                        {"kind": "hash_mismatch", "reported_by": "S001"}, OPERATOR, at=at(day(12), 15))
    result = audit(ledger, audit_site, programmes, day(30))  # before the disc's return deadline
    only(result, "audit.hash_mismatch_open")
    assert result.findings[0].seqs == (inc.seq,) and result.findings[0].due is None
    late = audit(ledger, audit_site, programmes, day(43))  # past the incident's 30 days and the return's
    only(late, "audit.hash_mismatch_open")
    assert late.findings[0].due == day(42)


# --- 4. the order of the handovers -----------------------------------------------------------------------------
def test_same_day_handover(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec],
                           unchecked: None) -> None:
    """Disc and notice handed over the same day (a ledger written before the rule, or pushed through): same_day."""
    c = run_cycle(ledger, "J-SAME", D, offsets={"notice_handed": 1})
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.same_day")
    assert result.findings[0].seqs == (c.first("medium.handed_over").seq, c.first("notice.handed_over").seq)


def test_notice_before_medium(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec],
                              unchecked: None) -> None:
    """A notice handed over the day before its disc (the rule out of the way): notice_first."""
    c = run_cycle(ledger, "J-FIRST", D, offsets={"notice_handed": 1, "medium_handed": 2})
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.notice_first")
    assert result.findings[0].items == (c.notice,)


# --- 5. handlers, contracts, certifications ---------------------------------------------------------------------
def _vendor_changed(site: SiteConfig, **changes: object) -> SiteConfig:
    """The site as it is now, with vendor V01 changed after the handovers were recorded."""
    vendors = [v.model_copy(update=changes) if v.id == "V01" else v for v in site.vendors]
    return site.model_copy(update={"vendors": vendors})


def test_unregistered_handler(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A disc received by V01-H2, who is no longer on the vendor's list: handler_unregistered for that handover."""
    c = run_cycle(ledger, "J-HANDLER", D, handler="V01-H2")
    now = _vendor_changed(audit_site, handlers=[h for h in audit_site.vendor("V01").handlers if h.id != "V01-H2"])
    result = audit(ledger, now, programmes, END_OF_YEAR)
    assert codes(result) == ["audit.handler_unregistered", "audit.handler_unregistered"]
    assert {f.items for f in result.findings} == {(c.media[0],), (c.notice,)}


def test_one_unregistered_handler(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec],
                                  unchecked: None) -> None:
    """A handler unknown to the vendor (the rule out of the way) on the disc only: one handler_unregistered."""
    c = run_cycle(ledger, "J-HANDLER", D, offsets={"notice_handed": None, "notice_returned": None})
    ledger.record("notice.handed_over", {"job": "J-HANDLER", "notice": c.notice},
                  {"vendor": "V01", "handler": "V01-H9", "quantity": 1, "bag": "鍵付きカバン1"}, OPERATOR,
                  at=at(day(15), 18))
    ledger.record("notice.returned", {"job": "J-HANDLER", "notice": c.notice}, {"handler": "V01-H1"}, OPERATOR,
                  at=at(day(16)))
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.handler_unregistered")
    assert result.findings[0].params["handler"] == "V01-H9"


def test_handover_outside_contract(ledger: Ledger, audit_site: SiteConfig,
                                   programmes: dict[str, ProgramSpec]) -> None:
    """A contract that (as now recorded) starts after the disc's handover day: one outside_contract."""
    c = run_cycle(ledger, "J-CONTRACT", D)
    now = _vendor_changed(audit_site, contract_start=day(2))  # the notice went on day 2, inside
    result = audit(ledger, now, programmes, END_OF_YEAR)
    only(result, "audit.outside_contract")
    assert result.findings[0].seqs == (c.first("medium.handed_over").seq,)


def test_expired_certification(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A certification that expired the day after the disc went (before the notice): one certification_invalid."""
    c = run_cycle(ledger, "J-CERT", D)
    cert = audit_site.vendor("V01").certifications[0].model_copy(update={"expires": day(1)})
    result = audit(ledger, _vendor_changed(audit_site, certifications=[cert]), programmes, END_OF_YEAR)
    only(result, "audit.certification_invalid")
    assert result.findings[0].items == (c.notice,)


def test_required_certification_missing(ledger: Ledger, audit_site: SiteConfig,
                                        programmes: dict[str, ProgramSpec]) -> None:
    """A contract requiring a certification, none listed: each handover is certification_invalid."""
    run_cycle(ledger, "J-CERT", D)
    now = _vendor_changed(audit_site, certifications=[], require_certification=True)
    assert codes(audit(ledger, now, programmes, END_OF_YEAR)) == ["audit.certification_invalid"] * 2


def test_vendor_gone_from_site(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A job whose vendor is no longer in site.toml is one vendor_unknown, not a crash."""
    run_cycle(ledger, "J-GONE", D)
    now = audit_site.model_copy(update={"vendors": [v for v in audit_site.vendors if v.id != "V01"]})
    only(audit(ledger, now, programmes, END_OF_YEAR), "audit.vendor_unknown")


# --- 6. on-site inspections -------------------------------------------------------------------------------------
def test_vendor_not_inspected(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A vendor with handovers in FY2026 and no on-site inspection, audited after the year: vendor_not_inspected."""
    run_cycle(ledger, "J-NOINSP", D)
    result = audit(ledger, audit_site, programmes, dt.date(2027, 4, 1))
    only(result, "audit.vendor_not_inspected")
    [f] = result.findings
    assert (f.vendor, f.params["fiscal_year"], f.due, f.job) == ("V01", 2026, dt.date(2027, 3, 31), None)
    assert codes(audit(ledger, audit_site, programmes, dt.date(2027, 3, 31))) == []  # the year is not over


def test_inspection_by_one_person(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """An inspection naming a single inspector (as an older release recorded it): inspection_one_person."""
    run_cycle(ledger, "J-ONE", D)
    e = inspect_vendor(ledger, "V01", dt.date(2026, 12, 10), single="S001")
    result = audit(ledger, audit_site, programmes, dt.date(2027, 5, 1))
    only(result, "audit.inspection_one_person")
    assert result.findings[0].seqs == (e.seq,) and result.findings[0].params["count"] == 1


# --- 7. the delivery inspection ---------------------------------------------------------------------------------
def test_delivery_short_by_one(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A delivery inspection counting one piece less than were prepared: delivery_short."""
    run_cycle(ledger, "J-SHORT", D, pieces=500, inspected=499)
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.delivery_short")
    assert (result.findings[0].params["inspected"], result.findings[0].params["pieces"]) == (499, 500)


def test_reinspection_replaces_the_first(ledger: Ledger, audit_site: SiteConfig,
                                         programmes: dict[str, ProgramSpec]) -> None:
    """A delivery inspected short by one, then inspected again in full: the latest inspection is the result."""
    run_cycle(ledger, "J-AGAIN", D, pieces=500, inspected=499)
    ledger.record("delivery.inspected", {"job": "J-AGAIN"}, {"inspected": 500, "passed": 500}, OPERATOR,
                  at=at(day(16)))
    assert codes(audit(ledger, audit_site, programmes, END_OF_YEAR)) == []


def test_no_delivery_inspection(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """Media out and back with no delivery inspection: delivery_not_inspected."""
    run_cycle(ledger, "J-NODELIV", D, offsets={"delivery": None})
    only(audit(ledger, audit_site, programmes, END_OF_YEAR), "audit.delivery_not_inspected")


def test_a_postcard_job_owes_no_delivery_inspection(ledger: Ledger, audit_site: SiteConfig,
                                                   programmes: dict[str, ProgramSpec]) -> None:
    """Postcards have no envelopes to scan: a ninpu-kyufu job out and back without an inspection is clean."""
    spec = programmes["ninpu-kyufu"]
    assert spec.postcard
    run_cycle(ledger, "J-POSTCARD", D, offsets={"delivery": None}, programme=spec.id,
              approved=spec.items_approved_on(D))
    assert codes(audit(ledger, audit_site, programmes, END_OF_YEAR)) == []


def test_delivery_defects_are_a_warning(ledger: Ledger, audit_site: SiteConfig,
                                        programmes: dict[str, ProgramSpec]) -> None:
    """Two pieces of 500 failing the delivery inspection: a warning delivery_defects."""
    run_cycle(ledger, "J-DEFECT", D, pieces=500, passed=498)
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.delivery_defects")
    assert result.findings[0].severity == "warning" and result.findings[0].params["defects"] == 2


# --- 8. incidents -----------------------------------------------------------------------------------------------
def test_overdue_incident(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """An incident recorded on day 3 and still open 31 days later: incident_overdue with its deadline."""
    run_cycle(ledger, "J-INC", D)
    inc = ledger.record("incident.recorded", {"job": "J-INC"}, {"kind": "other", "reported_by": "S001"}, OPERATOR,
                        at=at(day(20)))
    assert codes(audit(ledger, audit_site, programmes, day(50))) == []
    result = audit(ledger, audit_site, programmes, day(51))
    only(result, "audit.incident_overdue")
    assert result.findings[0].seqs == (inc.seq,) and result.findings[0].due == day(50)


# --- 9. corrections ---------------------------------------------------------------------------------------------
def test_correction_by_an_operator(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec],
                                   unchecked: None) -> None:
    """A correction recorded by an operator (the role rule out of the way): correction_not_supervisor."""
    c = run_cycle(ledger, "J-CORR", D)
    fix = ledger.record("correction", {"entry": str(c.first("delivery.inspected").seq)},
                        {"reason": "備考の記入漏れ", "changes": {"note": "再検査済み"}}, OPERATOR, at=at(day(20)))
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.correction_not_supervisor")
    assert result.findings[0].seqs == (fix.seq,) and result.findings[0].params["role"] == "operator"


def test_correction_without_reason(ledger: Ledger, audit_site: SiteConfig,
                                   programmes: dict[str, ProgramSpec]) -> None:
    """A supervisor's correction whose reason is blank: correction_no_reason."""
    c = run_cycle(ledger, "J-CORR", D)
    ledger.record("correction", {"entry": str(c.first("delivery.inspected").seq)},
                  {"reason": " ", "changes": {"note": "再検査済み"}}, SUPERVISOR, at=at(day(20)))
    only(audit(ledger, audit_site, programmes, END_OF_YEAR), "audit.correction_no_reason")


def test_voided_return_does_not_count(ledger: Ledger, audit_site: SiteConfig,
                                      programmes: dict[str, ProgramSpec]) -> None:
    """A return voided by a supervisor's correction leaves the disc out: return_overdue, not a clean job."""
    c = run_cycle(ledger, "J-VOID", D, offsets={"certificate": None, "destroyed": None, "delivery": None})
    ledger.record("correction", {"entry": str(c.first("medium.returned").seq)},
                  {"reason": "別の媒体の返却を誤って記録", "void": True}, SUPERVISOR, at=at(day(13)))
    only(audit(ledger, audit_site, programmes, END_OF_YEAR), "audit.return_overdue")


def test_corrected_count_is_used(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A delivery inspection short by one, corrected by a supervisor to the full count, is no longer short."""
    c = run_cycle(ledger, "J-FIX", D, pieces=500, inspected=499)
    ledger.record("correction", {"entry": str(c.first("delivery.inspected").seq)},
                  {"reason": "検査数の転記誤り", "changes": {"inspected": 500, "passed": 500}}, SUPERVISOR,
                  at=at(day(20)))
    assert codes(audit(ledger, audit_site, programmes, END_OF_YEAR)) == []
    only(audit(ledger, audit_site, programmes, day(19)), "audit.delivery_short")  # before the correction


# --- 10. approvals ----------------------------------------------------------------------------------------------
def test_approval_mismatch(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A job that carried an item the council did not approve: approval_mismatch naming it."""
    run_cycle(ledger, "J-ITEMS", D, approved=["郵便番号", "住所", "氏名", "ケース番号", "生年月日"])
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.approval_mismatch")
    assert result.findings[0].params["unapproved"] == "生年月日" and result.findings[0].params["missing"] == "-"


def test_approval_judged_on_the_day_of_the_job(ledger: Ledger, audit_site: SiteConfig,
                                               programmes: dict[str, ProgramSpec]) -> None:
    """An item approved from 2026-11-01: the October job carrying it is a mismatch, the November job is not."""
    spec = programmes["seikatsu-hogo"]
    items = [i.model_copy(update={"approved_from": dt.date(2026, 11, 1)}) if i.item == "ケース番号" else i
             for i in spec.approved]
    later = {**programmes, "seikatsu-hogo": spec.model_copy(update={"approved": items})}
    run_cycle(ledger, "J-OCT", D)
    run_cycle(ledger, "J-NOV", dt.date(2026, 11, 2))
    result = audit(ledger, audit_site, later, END_OF_YEAR)
    only(result, "audit.approval_mismatch")
    assert result.findings[0].job == "J-OCT" and result.findings[0].params["unapproved"] == "ケース番号"


def test_programme_file_missing(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """A job whose programme file was deleted is one programme_unknown (default deadlines), not a crash."""
    run_cycle(ledger, "J-NOPROG", D)
    rest = {k: v for k, v in programmes.items() if k != "seikatsu-hogo"}
    result = audit(ledger, audit_site, rest, END_OF_YEAR)
    only(result, "audit.programme_unknown")
    assert result.timelines[0].programme == "seikatsu-hogo"


# --- 11. data the vendor sent back ------------------------------------------------------------------------------
def test_inbound_data_unread_then_kept(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec],
                                       unchecked: None) -> None:
    """Vendor data unread 15 days after receipt: inbound_unread; read but kept 15 days: inbound_kept; then none."""
    sha = "ab" * 32
    job, medium, notice = {"job": "J-IN"}, "J-IN-M1", "J-IN-N1"
    ledger.record("inbound.received", {**job, "medium": medium},
                  {"programme": "ninpu-kyufu", "vendor": "V01", "handler": "V01-H1", "sha256": sha, "bytes": 100,
                   "records": 5}, OPERATOR, at=at(day(0)))
    assert codes(audit(ledger, audit_site, programmes, day(14))) == []
    unread = audit(ledger, audit_site, programmes, day(15))
    only(unread, "audit.inbound_unread")
    assert unread.findings[0].items == (medium,) and unread.findings[0].due == day(14)
    ledger.record("inbound.notice_received", {**job, "notice": notice}, {"handler": "V01-H2"}, OPERATOR,
                  at=at(day(16)))
    ledger.record("inbound.read", {**job, "medium": medium},
                  {"sha256": sha, "member_sha256": sha, "rows_read": 5, "rows_imported": 5, "rows_excepted": 0,
                   "import_sha256": sha, "import_bytes": 10}, OPERATOR, at=at(day(17)))
    assert codes(audit(ledger, audit_site, programmes, day(31))) == []
    kept = audit(ledger, audit_site, programmes, day(32))
    only(kept, "audit.inbound_kept")
    assert set(kept.findings[0].items) == {medium, notice} and kept.findings[0].params["read"] == day(17).isoformat()
    ledger.record("medium.handed_over", {**job, "medium": medium}, {"vendor": "V01", "handler": "V01-H1",
                                                                     "quantity": 1}, OPERATOR, at=at(day(33)))
    ledger.record("notice.destroyed", {**job, "notice": notice}, {"method": "シュレッダー"}, OPERATOR,
                  at=at(day(33)))
    assert codes(audit(ledger, audit_site, programmes, day(40))) == []
