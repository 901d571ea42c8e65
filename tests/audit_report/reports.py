"""Audit reports built by hand (synthetic ids and dates only) for the renderer tests."""

from __future__ import annotations

import datetime as dt

from handoff.audit.model import AuditReport, Finding, Integrity, JobTimeline, Scope, Span, VendorYear

AS_OF = dt.date(2026, 12, 7)
MADE_AT = dt.datetime(2026, 12, 7, 0, 30, tzinfo=dt.UTC)  # 09:30 in Japan, the same day
ROOT = "3f" * 32
LONG_ID = "J2026-11-KODOMO-IRYOHI-0001-M0123456789.part:A"  # long, but only id characters
HOSTILE = "<b>bold</b><script>alert(1)</script>"
CODES = ("audit.integrity_root_mismatch", "audit.return_overdue", "audit.certificate_missing", "audit.same_day")


def clean() -> AuditReport:
    """Nothing to do: integrity held, no findings, one job fully returned and certified."""
    timeline = JobTimeline(
        job="J1", programme="kodomo", vendor="V01", prepared=dt.date(2026, 5, 1), cycle="2026-05",
        spans=[
            Span("J1", "prepared", dt.date(2026, 5, 1), dt.date(2026, 5, 1)),
            Span("J1-M1", "written", dt.date(2026, 5, 1), dt.date(2026, 5, 2)),
            Span("J1-M1", "stored", dt.date(2026, 5, 2), dt.date(2026, 5, 8)),
            Span("J1-M1", "handed_over", dt.date(2026, 5, 8), dt.date(2026, 5, 20), due=dt.date(2026, 6, 7)),
            Span("J1-M1", "returned", dt.date(2026, 5, 20), dt.date(2026, 5, 20)),
            # the wait for the certificate: from the last return until the certificate covered every medium
            Span("J1", "certified", dt.date(2026, 5, 20), dt.date(2026, 5, 25), due=dt.date(2026, 6, 30)),
        ],
    )
    return AuditReport(
        scope=Scope(as_of=AS_OF), auditor="A001", made_at=MADE_AT,
        integrity=Integrity(entries=40, root=ROOT, checkpoints=3, witnesses=2, paper=1, ok=True),
        timelines=[timeline],
        vendors=[VendorYear("V01", 2026, jobs=1, certificates=1, inspections=1)],
        checked={"entries": 40, "jobs": 1, "media": 1, "certificates": 1, "inspections": 1},
    )


def findings() -> list[Finding]:
    """Findings of every severity, deliberately out of order: an overdue return, a missing certificate, an
    integrity failure, a same-day warning whose parameter carries markup."""
    return [
        Finding("audit.same_day", "warning", seqs=(31, 32), items=("J2-M1",), job="J2", vendor="V02",
                params={"note": HOSTILE, "job": "J2"}),
        Finding("audit.certificate_missing", "error", seqs=(27,), job="J3", vendor="V02",
                due=dt.date(2026, 11, 30), params={"job": "J3", "due": "2026-11-30"}),
        Finding("audit.return_overdue", "error", seqs=(12, 19), items=(LONG_ID, "J2-M2"), job="J2", vendor="V02",
                due=dt.date(2026, 10, 31), params={"job": "J2", "items": LONG_ID, "due": "2026-10-31"}),
        Finding("audit.integrity_root_mismatch", "integrity", seqs=(40,), params={"seq": 40}),
    ]


def timelines() -> list[JobTimeline]:
    """Three jobs at two vendors over two fiscal years; J2 has an item still out past its return deadline."""
    j1 = clean().timelines[0]
    j1.prepared = dt.date(2025, 9, 1)
    j1.spans = [Span(s.item, s.step, s.start.replace(year=2025, month=9), s.end.replace(year=2025, month=9)
                     if s.end else None, s.due.replace(year=2025, month=10) if s.due else None) for s in j1.spans]
    j2 = JobTimeline(
        job="J2", programme="kodomo", vendor="V02", prepared=dt.date(2026, 9, 1), cycle="2026-09",
        spans=[
            Span("J2", "prepared", dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
            Span(LONG_ID, "written", dt.date(2026, 9, 1), dt.date(2026, 9, 2)),
            Span(LONG_ID, "stored", dt.date(2026, 9, 2), dt.date(2026, 9, 10)),
            Span(LONG_ID, "handed_over", dt.date(2026, 9, 10), None, due=dt.date(2026, 10, 31), overdue=True),
            Span("J2-M2", "written", dt.date(2026, 9, 1), dt.date(2026, 9, 2)),
            Span("J2-M2", "handed_over", dt.date(2026, 9, 10), dt.date(2026, 11, 15), due=dt.date(2026, 10, 31),
                 overdue=True),
            Span("J2-M2", "returned", dt.date(2026, 11, 15), dt.date(2026, 11, 16)),
            Span("J2-M2", "destroyed", dt.date(2026, 11, 16), dt.date(2026, 11, 16)),
        ],
        open_items=[LONG_ID],
    )
    j3 = JobTimeline(
        job="J3", programme="jido", vendor="V02", prepared=dt.date(2026, 10, 1),
        spans=[
            Span("J3", "prepared", dt.date(2026, 10, 1), dt.date(2026, 10, 1)),
            Span("J3-M1", "handed_over", dt.date(2026, 10, 2), dt.date(2026, 10, 20), due=dt.date(2026, 11, 1)),
            Span("J3-M1", "returned", dt.date(2026, 10, 20), dt.date(2026, 10, 20)),
            Span("J3", "certified", dt.date(2026, 10, 20), None, due=dt.date(2026, 11, 30), overdue=True),
        ],
    )
    return [j1, j2, j3]


def vendors() -> list[VendorYear]:
    return [
        VendorYear("V02", 2026, jobs=2, media_out=1, certificates=0, inspections=1, findings=3),
        VendorYear("V01", 2025, jobs=1, certificates=1, inspections=1),
        VendorYear("V01", 2026, jobs=0, inspections=1),
        VendorYear("V02", 2025, jobs=0),
    ]


def with_findings(fiscal_year: int | None = None) -> AuditReport:
    """A failing audit: integrity broken, four findings, three timelines with overdue spans, two vendors."""
    return AuditReport(
        scope=Scope(as_of=AS_OF, fiscal_year=fiscal_year), auditor="A001", made_at=MADE_AT,
        integrity=Integrity(entries=40, root=ROOT, checkpoints=2, witnesses=1, paper=0, ok=False),
        findings=findings(), timelines=timelines(), vendors=vendors(),
        checked={"entries": 40, "jobs": 3, "media": 4, "certificates": 1, "inspections": 3, "widgets": 2},
    )


def annual_pack() -> AuditReport:
    """The fiscal-year 2026 audit: the annual inspection pack."""
    return with_findings(fiscal_year=2026)
