"""The checks that look past single jobs: on-site inspections of the vendors (once per fiscal year, by two or
more staff), corrections (a supervisor's, with a reason), the per-vendor table and the counts of what was looked
at."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from handoff.audit.model import Finding, Scope, VendorYear, fiscal_year_of
from handoff.audit.timeline import ITEM_KINDS, Book, Job, iso
from handoff.ledger.events import Entry
from handoff.ledger.rules import MIN_INSPECTORS, tokyo_date

if TYPE_CHECKING:
    from handoff.config import SiteConfig

# How the counts name each kind of item (``checked``): media, notices, paper.
PLURAL = {"medium": "media", "notice": "notices"}


# --- 6. on-site inspections of the vendors -----------------------------------------------------------------
def inspections_in_scope(book: Book, jobs: list[Job], scope: Scope) -> list[Entry]:
    vendors = {j.vendor for j in jobs} if scope.programme is not None else None
    keep = []
    for e in book.inspections:
        vendor, fy = e.subject["vendor"], fiscal_year_of(_performed(e))
        if (scope.vendor is None or vendor == scope.vendor) and (vendors is None or vendor in vendors) \
                and (scope.fiscal_year is None or fy == scope.fiscal_year):
            keep.append(e)
    return keep


def _performed(e: Entry) -> dt.date:
    try:
        return dt.date.fromisoformat(str(e.payload.get("performed_on")))
    except ValueError:
        return tokyo_date(e.time)


def _inspectors(e: Entry) -> set[str]:
    people = {str(s) for s in e.payload.get("inspectors", [])}
    if e.payload.get("inspector"):
        people.add(str(e.payload["inspector"]))
    return people


def inspection_findings(jobs: list[Job], inspections: list[Entry], scope: Scope) -> list[Finding]:
    handed: dict[tuple[str, int], list[int]] = {}
    for job in jobs:
        for item in job.items.values():
            for out in item.outs:
                fy = fiscal_year_of(out.day)
                if scope.fiscal_year is None or fy == scope.fiscal_year:
                    handed.setdefault((job.vendor, fy), []).append(out.handover.seq)
    inspected = {(e.subject["vendor"], fiscal_year_of(_performed(e))) for e in inspections}
    found: list[Finding] = []
    for (vendor, fy), seqs in sorted(handed.items()):
        end = dt.date(fy + 1, 3, 31)
        if scope.as_of > end and (vendor, fy) not in inspected:
            found.append(Finding("audit.vendor_not_inspected", "error", tuple(seqs), (), None, vendor, end,
                                 {"vendor": vendor, "fiscal_year": fy, "end": iso(end), "handovers": len(seqs)}))
    for e in inspections:
        people = _inspectors(e)
        if len(people) < MIN_INSPECTORS:
            found.append(Finding("audit.inspection_one_person", "error", (e.seq,), (), None, e.subject["vendor"], None,
                                 {"vendor": e.subject["vendor"], "entry": e.seq, "date": iso(_performed(e)),
                                  "count": len(people), "minimum": MIN_INSPECTORS,
                                  "fiscal_year": fiscal_year_of(_performed(e))}))
    return found


# --- 9. corrections ----------------------------------------------------------------------------------------
def corrections_in_scope(book: Book, jobs: set[str], scope: Scope) -> list[Entry]:
    """Corrections of the jobs in scope; one of no job (a vendor inspection) only when the scope is not narrowed
    to a programme or vendor, and then by the fiscal year it was recorded in."""
    narrowed = scope.programme is not None or scope.vendor is not None
    keep = []
    for e in book.corrections:
        job = e.subject.get("job")
        if job is not None and job not in jobs:
            continue
        if job is None and (narrowed or (scope.fiscal_year is not None
                                         and fiscal_year_of(tokyo_date(e.time)) != scope.fiscal_year)):
            continue
        keep.append(e)
    return keep


def correction_findings(book: Book, corrections: list[Entry], site: SiteConfig) -> list[Finding]:
    found: list[Finding] = []
    for e in corrections:
        job = e.subject.get("job")
        member = site.staff_member(e.actor.staff)
        params = {"job": job or "-", "entry": e.seq, "target": e.subject.get("entry", "-"), "staff": e.actor.staff}
        vendor = book.jobs[job].vendor if job is not None else None
        if member is None or member.role != "supervisor":
            found.append(Finding("audit.correction_not_supervisor", "error", (e.seq,), (), job, vendor, None,
                                 {**params, "role": member.role if member is not None else "-"}))
        elif not str(e.payload.get("reason", "")).strip():
            found.append(Finding("audit.correction_no_reason", "error", (e.seq,), (), job, vendor, None, params))
    return found


# --- the per-vendor table and the counts -------------------------------------------------------------------
def vendor_years(jobs: list[Job], inspections: list[Entry], findings: list[Finding]) -> list[VendorYear]:
    rows: dict[tuple[str, int], VendorYear] = {}

    def row(vendor: str, fy: int) -> VendorYear:
        return rows.setdefault((vendor, fy), VendorYear(vendor, fy))

    year_of_job: dict[str, int] = {}
    for job in jobs:
        fy = year_of_job[job.id] = fiscal_year_of(job.day)
        r = row(job.vendor, fy)
        r.jobs += 1
        r.media_out += sum(1 for i in job.of_kind("medium") if i.out is not None)
        r.notices_out += sum(1 for i in job.of_kind("notice") if i.out is not None)
        r.certificates += 1 if job.handed_media and job.certificate[0] is not None else 0
        r.open_incidents += sum(1 for i in job.incidents if i.closed is None)
    for e in inspections:
        row(e.subject["vendor"], fiscal_year_of(_performed(e))).inspections += 1
    for f in findings:
        year = year_of_job.get(f.job or "", f.params.get("fiscal_year"))
        if f.vendor is not None and isinstance(year, int):
            row(f.vendor, year).findings += 1
    return [rows[k] for k in sorted(rows)]


def checked(book: Book, jobs: list[Job], inspections: list[Entry], corrections: list[Entry]) -> dict[str, int]:
    items = [i for j in jobs for i in j.items.values()]
    counts = {
        "entries": book.seen,
        "voided": book.voided,
        "jobs": len(jobs),
        **{PLURAL.get(kind, kind): sum(1 for i in items if i.kind == kind) for kind in ITEM_KINDS},
        "handovers": sum(len(i.outs) for i in items),
        "returns": sum(1 for i in items for o in i.outs if o.back is not None),
        "certificates": sum(len(j.certificates) for j in jobs),
        "deliveries": sum(len(j.deliveries) for j in jobs),
        "inspections": len(inspections),
        "incidents": sum(len(j.incidents) for j in jobs),
        "corrections": len(corrections),
    }
    return counts
