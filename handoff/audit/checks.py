"""The custody reconciliation: the 管理簿 checked against returns, deletion certificates and inspections.

The write-time rules (``handoff.ledger.rules``) are checked again after the fact: a ledger may have been written
by an older release, before a rule existed, or a record may have been pushed through a correction. Each problem
is exactly one finding (``audit.<rule>``, its text in ``handoff.messages.audit``) naming the entries and items
concerned; deadlines come from the programme's ``[custody]`` table and are judged on ``scope.as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from handoff.audit.model import Finding, JobTimeline, Scope, Severity, VendorYear, fiscal_year_of
from handoff.audit.oversight import (
    checked,
    correction_findings,
    corrections_in_scope,
    inspection_findings,
    inspections_in_scope,
    vendor_years,
)
from handoff.audit.timeline import (
    HASH_KINDS,
    Item,
    Job,
    Out,
    certificate_due,
    inbound_kept,
    inbound_read_day,
    inbound_read_due,
    inbound_return_due,
    is_pull_list,
    iso,
    listed,
    owes_delivery,
    read,
    return_due,
    timeline,
)
from handoff.ledger.events import Entry
from handoff.programme import Custody

if TYPE_CHECKING:
    from handoff.config import SiteConfig, Vendor
    from handoff.programme import ProgramSpec


@dataclass
class Reconciled:
    """What the custody reconciliation found and drew: the findings (sorted: error before warning, then by the
    deadline missed), one timeline per job in scope, the per-vendor-per-fiscal-year table, and the counts of what
    was looked at (entries, voided, jobs, medium, notice, paper, handovers, returns, certificates, deliveries,
    inspections, incidents, corrections)."""

    findings: list[Finding] = field(default_factory=list)
    timelines: list[JobTimeline] = field(default_factory=list)
    vendors: list[VendorYear] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # what was looked at: jobs, media, notices, …


def reconcile(entries: Sequence[Entry], site: SiteConfig, programmes: Mapping[str, ProgramSpec],
              scope: Scope) -> Reconciled:
    """Every check on the jobs (and vendors) in ``scope``, the timelines and the per-vendor table."""
    book = read(entries, scope.as_of)
    jobs = sorted((j for j in book.jobs.values() if j.prepared is not None and _in_scope(j, scope)),
                  key=lambda j: (j.day, j.id))
    out, vendors = Reconciled(), _vendors(site)
    for job in sorted((j for j in book.jobs.values() if j.inbound is not None and _in_scope(j, scope)),
                      key=lambda j: (j.day, j.id)):
        spec = programmes.get(job.programme)
        out.findings += inbound_findings(job, spec.custody if spec is not None else Custody(), scope.as_of)
    for job in jobs:
        spec = programmes.get(job.programme)
        custody = spec.custody if spec is not None else Custody()
        out.findings += _job_findings(job, spec, custody, vendors, scope.as_of)
        out.timelines.append(timeline(job, custody, scope.as_of))
    inspections = inspections_in_scope(book, jobs, scope)
    out.findings += inspection_findings(jobs, inspections, scope)
    corrections = corrections_in_scope(book, {j.id for j in jobs}, scope)
    out.findings += correction_findings(book, corrections, site)
    out.findings.sort(key=lambda f: f.sort_key)
    out.vendors = vendor_years(jobs, inspections, out.findings)
    out.checked = checked(book, jobs, inspections, corrections)
    return out


def _in_scope(job: Job, scope: Scope) -> bool:
    return ((scope.programme is None or job.programme == scope.programme)
            and (scope.vendor is None or job.vendor == scope.vendor)
            and (scope.fiscal_year is None or fiscal_year_of(job.day) == scope.fiscal_year))


def _of(job: Job, code: str, *, seqs: Iterable[int] = (), items: Iterable[str] = (), due: dt.date | None = None,
        severity: Severity = "error", **params: Any) -> Finding:
    return Finding(code, severity, tuple(dict.fromkeys(seqs)), tuple(items), job.id, job.vendor or None, due,
                   {"job": job.id, **params})


def _job_findings(job: Job, spec: ProgramSpec | None, custody: Custody, vendors: Mapping[str, _Vendor],
                  as_of: dt.date) -> list[Finding]:
    return [*_approval(job, spec), *_returns(job, custody, as_of), *_certificate(job, custody, as_of),
            *_hashes(job, custody, as_of), *_order(job), *_handovers(job, vendors),
            *_delivery_of(job, spec),
            *_incidents(job, custody, as_of)]


def _delivery_of(job: Job, spec: ProgramSpec | None) -> list[Finding]:
    """The delivery inspection, where the job owes one (``owes_delivery``: sealed envelopes only)."""
    return _delivery(job) if owes_delivery(job, spec is not None and spec.postcard) else []


# --- 10. approvals as of the job ---------------------------------------------------------------------------
def _approval(job: Job, spec: ProgramSpec | None) -> list[Finding]:
    if job.prepared is None:
        return []
    seq = job.prepared.seq
    if spec is None:
        return [_of(job, "audit.programme_unknown", seqs=[seq], programme=job.programme)]
    if is_pull_list(job):  # piece numbers and codes only: it carries no approved item, and must carry none
        got = job.prepared.payload.get("approved_items", [])
        return [] if not got else [_of(job, "audit.approval_mismatch", seqs=[seq], programme=spec.id,
                                        date=iso(job.day), unapproved=listed(str(i) for i in got), missing="-")]
    want = spec.items_approved_on(job.day)
    got = [str(i) for i in job.prepared.payload.get("approved_items", [])]
    if set(got) == set(want):
        return []
    return [_of(job, "audit.approval_mismatch", seqs=[seq], programme=spec.id, date=iso(job.day),
                unapproved=listed(i for i in got if i not in want), missing=listed(i for i in want if i not in got))]


# --- 1. returns --------------------------------------------------------------------------------------------
def _returns(job: Job, custody: Custody, as_of: dt.date) -> list[Finding]:
    found: list[Finding] = []
    # A disc refused on return for its read-back is in the ward's hands, held for its incident: that incident is
    # its finding (hash_mismatch_open), not an overdue return.
    held = {i.item for i in job.incidents if i.kind in HASH_KINDS and i.closed is None}
    for item in job.items.values():
        for out in item.outs:
            due = return_due(out, custody)
            if out.back is None and item.id in held:
                continue
            if out.back is None and as_of > due:
                found.append(_of(job, "audit.return_overdue", seqs=[out.handover.seq], items=[item.id], due=due,
                                 as_of=iso(as_of), days=(as_of - due).days, **_out_params(item, out, due)))
            elif out.back is not None and out.back_day is not None and out.back_day > due:
                found.append(_of(job, "audit.return_late", seqs=[out.handover.seq, out.back.seq], items=[item.id],
                                 due=due, back=iso(out.back_day), days=(out.back_day - due).days,
                                 **_out_params(item, out, due)))
    return found


def _out_params(item: Item, out: Out, due: dt.date) -> dict[str, Any]:
    return {"item": item.id, "kind": item.kind, "handed": iso(out.day), "due_date": iso(due)}


# --- 2. the deletion certificate ---------------------------------------------------------------------------
def _certificate(job: Job, custody: Custody, as_of: dt.date) -> list[Finding]:
    media = job.handed_media
    if not media:
        return []
    done, seqs, missing = job.certificate
    due = certificate_due(job, custody)
    last = iso(job.last_return)
    if seqs and missing:
        past = due if due is not None and as_of > due else None
        return [_of(job, "audit.certificate_incomplete", seqs=seqs, items=missing, due=past,
                    missing=listed(missing), entries=listed(seqs))]
    if due is None:
        return []  # a medium is still out: its return is judged first
    if not seqs:
        if as_of <= due:
            return []
        backs = [o.back.seq for m in media for o in m.outs if o.back is not None]
        return [_of(job, "audit.certificate_missing", seqs=backs, items=job.certified_media, due=due,
                    last_return=last, due_date=iso(due), as_of=iso(as_of))]
    if done is not None and done > due:
        return [_of(job, "audit.certificate_late", seqs=seqs, items=job.certified_media, due=due,
                    received=iso(done), last_return=last, due_date=iso(due), days=(done - due).days)]
    return []


# --- 3. returned media that did not read back as written ---------------------------------------------------
def _hashes(job: Job, custody: Custody, as_of: dt.date) -> list[Finding]:
    found: list[Finding] = []
    for item in job.of_kind("medium"):
        bad = [e for _, _, e in item.events if e.type == "medium.returned" and e.payload.get("hash_matches") is False]
        mine = [i for i in job.incidents if i.item == item.id and i.kind in HASH_KINDS]
        open_ = [i for i in mine if i.closed is None]
        # A mismatch on return is settled by a hash incident recorded after it and closed by a supervisor.
        settled = bool(bad) and any(i.closed is not None and i.entry.seq > bad[-1].seq for i in mine)
        if not open_ and (not bad or settled):
            continue
        due = min((i.day + dt.timedelta(days=custody.incident_days) for i in open_), default=None)
        seqs = [e.seq for e in bad] + [i.entry.seq for i in open_]
        found.append(_of(job, "audit.hash_mismatch_open", seqs=seqs, items=[item.id],
                         due=due if due is not None and as_of > due else None, medium=item.id, entries=listed(seqs)))
    return found


# --- 4. the medium first, the notice on another day --------------------------------------------------------
def _order(job: Job) -> list[Finding]:
    media: dict[dt.date, list[int]] = {}
    for m in job.of_kind("medium"):
        for out in m.outs:
            media.setdefault(out.day, []).append(out.handover.seq)
    found: list[Finding] = []
    for notice in job.of_kind("notice"):
        for out in notice.outs:
            if out.day in media:
                seqs = [*media[out.day], out.handover.seq]
                found.append(_of(job, "audit.same_day", seqs=seqs, items=[notice.id], notice=notice.id,
                                 date=iso(out.day), entries=listed(seqs)))
            elif not any(day < out.day for day in media):
                found.append(_of(job, "audit.notice_first", seqs=[out.handover.seq], items=[notice.id],
                                 notice=notice.id, date=iso(out.day)))
    return found


# --- 5. who received it, under which contract and certification -------------------------------------------
@dataclass(frozen=True)
class _Vendor:
    """A vendor of site.toml with its handler ids as a set: looked up once per audit, not once per handover."""

    vendor: Vendor
    handlers: frozenset[str]


def _vendors(site: SiteConfig) -> dict[str, _Vendor]:
    return {v.id: _Vendor(v, frozenset(h.id for h in v.handlers)) for v in site.vendors}


def _handovers(job: Job, vendors: Mapping[str, _Vendor]) -> list[Finding]:
    known = vendors.get(job.vendor)
    outs = [(item.id, out) for item in job.items.values() for out in item.outs]
    if known is None:
        if not outs:
            return []
        return [_of(job, "audit.vendor_unknown", seqs=[o.handover.seq for _, o in outs], vendor=job.vendor)]
    vendor, found = known.vendor, list[Finding]()
    for item, out in outs:
        seq, day, handler = out.handover.seq, out.day, str(out.handover.payload.get("handler", "-"))
        common: dict[str, Any] = {"item": item, "vendor": vendor.id, "date": iso(day)}
        if handler not in known.handlers:
            found.append(_of(job, "audit.handler_unregistered", seqs=[seq], items=[item], handler=handler, **common))
        if not vendor.contract_start <= day <= vendor.contract_end:
            found.append(_of(job, "audit.outside_contract", seqs=[seq], items=[item],
                             start=iso(vendor.contract_start), end=iso(vendor.contract_end), **common))
        expired = [c for c in vendor.certifications if c.expires < day]
        if expired or (vendor.require_certification and not vendor.certifications):
            cert = f"{expired[0].kind} {expired[0].number}" if expired else "-"
            found.append(_of(job, "audit.certification_invalid", seqs=[seq], items=[item], certification=cert,
                             expires=iso(expired[0].expires) if expired else "-", **common))
    return found


# --- 7. the delivery inspection ----------------------------------------------------------------------------
def _delivery(job: Job) -> list[Finding]:
    if job.prepared is None:
        return []
    found: list[Finding] = []
    back = job.last_return
    if not job.deliveries:
        if back is not None:
            found.append(_of(job, "audit.delivery_not_inspected", seqs=[job.prepared.seq], last_return=iso(back)))
        return found
    # Each inspection is of the whole delivery (a re-inspection after pulling envelopes is recorded again):
    # the latest one is the delivery's result.
    last = job.deliveries[-1]
    seqs = [last.seq]
    inspected, passed = int(last.payload.get("inspected", 0)), int(last.payload.get("passed", 0))
    counts = job.prepared.payload.get("counts")
    pieces = counts.get("pieces") if isinstance(counts, dict) else last.payload.get("quantity")
    if pieces is not None and inspected != pieces:
        found.append(_of(job, "audit.delivery_short", seqs=[job.prepared.seq, *seqs], inspected=inspected,
                         pieces=pieces, entries=listed(seqs)))
    if passed < inspected:
        found.append(_of(job, "audit.delivery_defects", seqs=seqs, severity="warning", inspected=inspected,
                         passed=passed, defects=inspected - passed, entries=listed(seqs)))
    return found


# --- 11. data the vendor sent back --------------------------------------------------------------------------
def inbound_findings(job: Job, custody: Custody, as_of: dt.date) -> list[Finding]:
    """An inbound job (``handoff intake``): its archive read within ``inbound_days`` of the disc's receipt, then
    its disc and notice handed back to the vendor or destroyed within ``inbound_days`` of the read. The data is
    the ward's to use, not to keep: a received disc kept in a cabinet is personal data outside the loop."""
    assert job.inbound is not None  # noqa: S101 -- the caller chose inbound jobs
    year = fiscal_year_of(job.day)
    read_day = inbound_read_day(job)
    if read_day is None:
        due = inbound_read_due(job, custody)
        if as_of <= due:
            return []
        return [_of(job, "audit.inbound_unread", seqs=[job.inbound.seq], items=[job.inbound.subject["medium"]],
                    due=due, received=iso(job.day), due_date=iso(due), fiscal_year=year)]
    assert job.read is not None  # noqa: S101 -- read_day comes from it
    due = inbound_return_due(read_day, custody)
    kept = inbound_kept(job)
    if not kept or as_of <= due:
        return []
    return [_of(job, "audit.inbound_kept", seqs=[job.read.seq], items=[i.id for i in kept], due=due,
                read=iso(read_day), due_date=iso(due), kept="、".join(i.id for i in kept), fiscal_year=year)]


# --- 8. incidents left open --------------------------------------------------------------------------------
def _incidents(job: Job, custody: Custody, as_of: dt.date) -> list[Finding]:
    found: list[Finding] = []
    for inc in job.incidents:
        if inc.closed is not None or (inc.kind in HASH_KINDS and inc.item is not None):
            continue  # a medium's hash incident is its own finding (hash_mismatch_open)
        due = inc.day + dt.timedelta(days=custody.incident_days)
        if as_of > due:
            found.append(_of(job, "audit.incident_overdue", seqs=[inc.entry.seq], items=[inc.item] if inc.item else [],
                             due=due, entry=inc.entry.seq, kind=inc.kind, recorded=iso(inc.day), due_date=iso(due)))
    return found
