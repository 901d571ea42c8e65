"""What an audit looks at: the scope filters, the ledger as it was on as_of, the timeline spans and the table."""

from __future__ import annotations

import datetime as dt

from handoff.audit.model import Span
from handoff.config import SiteConfig
from handoff.ledger.service import Ledger
from handoff.programme import ProgramSpec
from tests.audit.helpers import audit, codes, only
from tests.audit.year import OPERATOR, at, inspect_vendor, run_cycle

D = dt.date(2026, 10, 1)
END_OF_YEAR = dt.date(2026, 12, 31)
KODOMO = "kodomo-iryosho"


def day(offset: int) -> dt.date:
    return D + dt.timedelta(days=offset)


def two_programmes(ledger: Ledger, programmes: dict[str, ProgramSpec]) -> None:
    """A clean 生活保護 job with V01 and a 子ども医療証 job with V02 that was never delivery-inspected."""
    run_cycle(ledger, "J-SH", D)
    run_cycle(ledger, "J-KO", day(20), programme=KODOMO, vendor="V02", handler="V02-H1",
              approved=programmes[KODOMO].items_approved_on(day(20)), offsets={"delivery": None})


def test_programme_filter(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """--programme keeps that programme's jobs only: their timelines, findings and counts."""
    two_programmes(ledger, programmes)
    hogo = audit(ledger, audit_site, programmes, END_OF_YEAR, programme="seikatsu-hogo")
    assert codes(hogo) == [] and [t.job for t in hogo.timelines] == ["J-SH"] and hogo.checked["jobs"] == 1
    kodomo = audit(ledger, audit_site, programmes, END_OF_YEAR, programme=KODOMO)
    only(kodomo, "audit.delivery_not_inspected")
    assert [t.job for t in kodomo.timelines] == ["J-KO"]


def test_vendor_filter(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """--vendor keeps that vendor's jobs and rows of the vendor table only."""
    two_programmes(ledger, programmes)
    v02 = audit(ledger, audit_site, programmes, END_OF_YEAR, vendor="V02")
    only(v02, "audit.delivery_not_inspected")
    assert [t.job for t in v02.timelines] == ["J-KO"] and [r.vendor for r in v02.vendors] == ["V02"]
    assert [r.vendor for r in audit(ledger, audit_site, programmes, END_OF_YEAR).vendors] == ["V01", "V02"]


def test_fiscal_year_filter(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """--fiscal-year keeps the jobs prepared in that April–March year and the inspections performed in it."""
    run_cycle(ledger, "J-2026", D, offsets={"delivery": None})
    inspect_vendor(ledger, "V01", dt.date(2026, 12, 10), single="S001")
    # Prepared in FY2027 (after the contract, so never handed over), carrying an item not approved.
    run_cycle(ledger, "J-2027", dt.date(2027, 4, 5), approved=["郵便番号", "住所", "氏名", "ケース番号", "電話番号"],
              offsets={k: None for k in ("medium_handed", "notice_handed", "delivery", "medium_returned",
                                         "notice_returned", "certificate", "destroyed")})
    as_of = dt.date(2027, 5, 1)
    fy2026 = audit(ledger, audit_site, programmes, as_of, fiscal_year=2026)
    assert codes(fy2026) == ["audit.delivery_not_inspected", "audit.inspection_one_person"]
    assert [t.job for t in fy2026.timelines] == ["J-2026"]
    fy2027 = audit(ledger, audit_site, programmes, as_of, fiscal_year=2027)
    only(fy2027, "audit.approval_mismatch")
    assert fy2027.findings[0].job == "J-2027" and fy2027.checked["inspections"] == 0
    assert len(codes(audit(ledger, audit_site, programmes, as_of))) == 3


def test_as_of_sees_the_ledger_as_it_was(ledger: Ledger, audit_site: SiteConfig,
                                         programmes: dict[str, ProgramSpec]) -> None:
    """As of a day before a late return was recorded the disc was overdue; before the job, nothing existed."""
    run_cycle(ledger, "J-LATE", D, offsets={"medium_returned": 40, "certificate": 42, "destroyed": 43})
    only(audit(ledger, audit_site, programmes, END_OF_YEAR), "audit.return_late")
    only(audit(ledger, audit_site, programmes, day(39)), "audit.return_overdue")
    before = audit(ledger, audit_site, programmes, day(-1))
    assert codes(before) == [] and before.timelines == [] and before.checked["entries"] == 0


def test_entries_recorded_after_as_of_are_ignored(ledger: Ledger, audit_site: SiteConfig,
                                                  programmes: dict[str, ProgramSpec]) -> None:
    """A return recorded on day 36 and declared for day 31 (in time) was not yet in the ledger as of day 32."""
    run_cycle(ledger, "J-ON", D, offsets={"medium_returned": 36, "certificate": 37, "destroyed": 38},
              on={"medium_returned": day(31)})
    assert codes(audit(ledger, audit_site, programmes, day(38))) == []
    only(audit(ledger, audit_site, programmes, day(32)), "audit.return_overdue")


def test_timeline_marks_the_overdue_span(ledger: Ledger, audit_site: SiteConfig,
                                         programmes: dict[str, ProgramSpec]) -> None:
    """Each item's stay in each state is a span; the disc still out past its deadline is overdue and open."""
    c = run_cycle(ledger, "J-OUT", D, offsets={"medium_returned": None, "certificate": None, "destroyed": None})
    [tl] = audit(ledger, audit_site, programmes, END_OF_YEAR).timelines
    medium, notice = c.media[0], c.notice
    assert (tl.job, tl.programme, tl.vendor, tl.prepared, tl.cycle) == ("J-OUT", "seikatsu-hogo", "V01", D, "J-OUT")
    assert tl.spans == [
        Span("J-OUT", "prepared", D, D),
        Span(medium, "written", D, D),
        Span(medium, "stored", D, day(1)),
        Span(medium, "handed_over", day(1), None, day(31), True),
        Span(notice, "written", D, D),
        Span(notice, "stored", D, day(2)),
        Span(notice, "handed_over", day(2), day(12), day(32), False),
        Span(notice, "returned", day(12), None),
    ]
    assert tl.open_items == [medium]


def test_timeline_certificate_wait(ledger: Ledger, audit_site: SiteConfig,
                                   programmes: dict[str, ProgramSpec]) -> None:
    """The wait for the certificate runs from the last return to its receipt, overdue when it came late."""
    c = run_cycle(ledger, "J-LATECERT", D, offsets={"certificate": 30, "destroyed": 31})
    [tl] = audit(ledger, audit_site, programmes, END_OF_YEAR).timelines
    assert Span("J-LATECERT", "certified", day(12), day(30), day(26), True) in tl.spans
    assert Span(c.media[0], "destroyed", day(31), day(31)) in tl.spans
    assert Span(c.media[0], "returned", day(12), day(31)) in tl.spans
    assert tl.open_items == []


def test_paper_is_an_item_like_the_others(ledger: Ledger, audit_site: SiteConfig,
                                          programmes: dict[str, ProgramSpec]) -> None:
    """Proof sheets handed over and never returned are return_overdue like a disc, and drawn on the timeline."""
    run_cycle(ledger, "J-PAPER", D)
    ledger.record("paper.registered", {"job": "J-PAPER", "paper": "J-PAPER-P1"}, {"kind": "proof", "pages": 3},
                  OPERATOR, at=at(day(16)))
    ledger.record("paper.handed_over", {"job": "J-PAPER", "paper": "J-PAPER-P1"},
                  {"vendor": "V01", "handler": "V01-H1", "quantity": 3, "bag": "鍵付きカバン2"}, OPERATOR,
                  at=at(day(17)))
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    only(result, "audit.return_overdue")
    assert result.findings[0].items == ("J-PAPER-P1",) and result.findings[0].params["kind"] == "paper"
    assert result.checked["paper"] == 1 and result.timelines[0].open_items == ["J-PAPER-P1"]


def test_vendor_table(ledger: Ledger, audit_site: SiteConfig, programmes: dict[str, ProgramSpec]) -> None:
    """One row per vendor and fiscal year: jobs, items still out, complete certificates, inspections, findings."""
    run_cycle(ledger, "J-OK", D)
    run_cycle(ledger, "J-OUT", day(20), offsets={"medium_returned": None, "certificate": None, "destroyed": None})
    inspect_vendor(ledger, "V01", dt.date(2026, 12, 10))
    result = audit(ledger, audit_site, programmes, END_OF_YEAR)
    [row] = result.vendors
    assert (row.vendor, row.fiscal_year, row.jobs, row.media_out, row.notices_out) == ("V01", 2026, 2, 1, 0)
    assert (row.certificates, row.inspections, row.open_incidents, row.findings) == (1, 1, 0, 1)
