"""Custody rules checked at write time, inside the writer's lock, before anything is inserted.

A refusal is a CustodyError naming the rule, the item and what to do; the transaction rolls back, so a refused
entry leaves no trace. State is replayed from the job's own entries; an entry voided by a later ``correction``
(``void = true``) is skipped, which is how a mistaken record is undone without editing anything.

The rules are one unit: every rule reads the same replayed job state, and a correction is checked again by all
of them at once (``check_correction``), so they live in one module rather than one per kind of item.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from handoff.errors import CustodyError
from handoff.ledger.corrections import corrected
from handoff.ledger.events import INCIDENT_KINDS, TOKYO, Draft, Entry

if TYPE_CHECKING:
    from handoff.config import SiteConfig, Vendor

# event -> (states it may start from; None = the item must be new, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str] | None, str]] = {
    "medium.written": (None, "written"),
    "medium.stored": (frozenset({"written", "stored", "returned", "received"}), "stored"),
    "medium.handed_over": (frozenset({"written", "stored", "received"}), "out"),
    "medium.returned": (frozenset({"out"}), "returned"),
    "medium.destroyed": (frozenset({"written", "failed", "stored", "returned", "received"}), "destroyed"),
    "notice.printed": (None, "printed"),
    "notice.stored": (frozenset({"printed", "stored", "returned", "received"}), "stored"),
    "notice.handed_over": (frozenset({"printed", "stored", "received"}), "out"),
    "notice.returned": (frozenset({"out"}), "returned"),
    "notice.destroyed": (frozenset({"printed", "stored", "returned", "received"}), "destroyed"),
    # A medium and a password notice received from the vendor (handoff intake): stored, handed back to the
    # vendor or destroyed like the ward's own.
    "inbound.received": (None, "received"),
    "inbound.notice_received": (None, "received"),
    # Paper has no storing step of its own: it goes out once from where it was made, and a returned sheet is
    # destroyed (a second round of proofs is registered as new paper).
    "paper.registered": (None, "registered"),
    "paper.handed_over": (frozenset({"registered"}), "out"),
    "paper.returned": (frozenset({"out"}), "returned"),
    "paper.destroyed": (frozenset({"registered", "returned"}), "destroyed"),
}
# The kind of item an event names when its name does not begin with it.
ITEM_EVENTS = {"inbound.received": "medium", "inbound.notice_received": "notice"}
# What an inbound job (one made by inbound.received) may record besides its inbound events: custody of its
# medium and notice, incidents and corrections. Nothing of an outbound job (burning, printing, certificates).
INBOUND_JOB_EVENTS = frozenset({"medium.stored", "notice.stored", "medium.handed_over", "notice.handed_over",
                                "medium.returned", "notice.returned", "medium.destroyed", "notice.destroyed",
                                "incident.recorded", "incident.closed", "correction"})
# What paper.registered's ``kind`` may say: 校正紙 (printed proofs), 名簿 (lists), その他.
PAPER_KINDS = ("proof", "list", "other")
# What an abandoned job may no longer do: make or hand over anything. Storing, returning and destroying what
# already exists stay open, so a disc burned before the job was abandoned can still be accounted for.
ABANDONED_REFUSES = frozenset({"job.abandoned", "medium.written", "notice.printed", "medium.handed_over",
                               "notice.handed_over", "paper.registered", "paper.handed_over",
                               "mail.returned", "mail.pulled"})  # an abandoned job mailed nothing
NEEDS_NO_JOB = frozenset({"job.prepared", "vendor.inspected", "correction", "inbound.received", "cycle.skipped"})
# Who may record what (site.toml staff.role). An auditor records nothing; batch (scheduled runs) only runs
# ``handoff run``, which also abandons the jobs of its own interrupted runs.
_WORK, _RUN, _SUPERVISOR = frozenset({"operator", "supervisor"}), frozenset({"operator", "supervisor", "batch"}), \
    frozenset({"supervisor"})
EVENT_ROLES: dict[str, frozenset[str]] = {
    "job.prepared": _RUN, "job.abandoned": _RUN, "medium.written": _WORK, "notice.printed": _WORK,
    "medium.stored": _WORK, "notice.stored": _WORK, "medium.handed_over": _WORK, "notice.handed_over": _WORK,
    "medium.returned": _WORK, "notice.returned": _WORK, "medium.destroyed": _WORK, "notice.destroyed": _WORK,
    "delivery.inspected": _WORK, "deletion_certificate.received": _WORK, "inbound.received": _WORK,
    "inbound.notice_received": _WORK, "inbound.read": _WORK,
    "paper.registered": _WORK, "paper.handed_over": _WORK, "paper.returned": _WORK, "paper.destroyed": _WORK,
    "incident.recorded": _WORK, "vendor.inspected": _WORK, "correction": _SUPERVISOR, "incident.closed": _SUPERVISOR,
    "mail.returned": _WORK, "mail.pulled": _WORK, "cycle.skipped": _SUPERVISOR,
}


@dataclass
class ItemState:
    kind: str  # medium | notice | paper
    state: str
    cabinet: str | None = None
    handed_on: list[dt.date] = field(default_factory=list)
    iso_sha256: str | None = None
    verified: bool = True  # a medium whose write failed never leaves the office, so no certificate covers it
    pages: int | None = None  # paper: the pages registered, which its handover's quantity must equal
    received_on: dt.date | None = None  # an item received from the vendor: the day it was received


@dataclass
class JobState:
    prepared: Entry | None = None
    abandoned: Entry | None = None
    inbound: Entry | None = None  # inbound.received: this is an inbound job (data the vendor sent back)
    read: Entry | None = None  # inbound.read: its archive was read
    items: dict[str, ItemState] = field(default_factory=dict)
    voided: set[int] = field(default_factory=set)
    incidents: dict[int, str | None] = field(default_factory=dict)  # open incident seq -> its medium/notice

    def handed_dates(self, kind: str) -> set[dt.date]:
        return {d for s in self.items.values() if s.kind == kind for d in s.handed_on}


def tokyo_date(t: dt.datetime) -> dt.date:
    return t.astimezone(TOKYO).date()


def event_date(time: dt.datetime, payload: Mapping[str, Any]) -> dt.date:
    """The day the event happened: its declared date (``on``, for an event recorded after the fact), else the
    Japan date of the moment it was recorded."""
    on = payload.get("on")
    return dt.date.fromisoformat(on) if isinstance(on, str) else tokyo_date(time)


def replay(entries: Sequence[Entry]) -> JobState:
    """The job's state after its entries, skipping those a correction voided, with corrections' changes."""
    js = JobState()
    js.voided = _voided(entries)
    for e in corrected(entries):  # a correction's changes are laid over its target's payload first
        _step(js, e)
    return js


def _voided(entries: Sequence[Entry]) -> set[int]:
    return {int(e.subject["entry"]) for e in entries if e.type == "correction" and e.payload.get("void")}


def _step(js: JobState, e: Entry) -> None:
    """One (corrected) entry's effect on the job's state; a voided one has none."""
    if e.seq in js.voided:
        return
    apply(js, e.type, e.subject, e.payload, e.time)
    apply_incident(js, e)
    if e.type == "job.prepared":
        js.prepared = e
    elif e.type == "job.abandoned":
        js.abandoned = e
    elif e.type == "inbound.received":
        js.inbound = e
    elif e.type == "inbound.read":
        js.read = e


def item_kind(event: str) -> str:
    """medium, notice or paper: the kind of item ``event`` names (its subject key)."""
    return ITEM_EVENTS.get(event) or event.split(".", 1)[0]


def apply(js: JobState, event: str, subject: Mapping[str, str], payload: Mapping[str, Any], time: dt.datetime) -> None:
    if event not in TRANSITIONS:
        return
    kind = item_kind(event)
    item = subject[kind]
    new = TRANSITIONS[event][1]
    if event == "medium.written" and not payload["verified"]:
        new = "failed"
    st = js.items.setdefault(item, ItemState(kind, new))
    st.state = new
    if event == "medium.written":
        st.iso_sha256 = payload["iso_sha256"]
        st.verified = bool(payload["verified"])
    if event == "paper.registered":
        st.pages = payload["pages"]
    st.cabinet = payload.get("cabinet") if new == "stored" else None
    if new == "out":
        st.handed_on.append(event_date(time, payload))
    if new == "received":
        st.received_on = event_date(time, payload)


def _refuse(code: str, **params: object) -> CustodyError:
    return CustodyError(code, **params)


def check(
    draft: Draft,
    js: JobState,
    site: SiteConfig,
    *,
    item_known: bool,
    size: int,
    history: Sequence[Entry] = (),
    target: Entry | None = None,
) -> Draft:
    """Refuse ``draft`` if a rule forbids it; return it completed (e.g. the read-back comparison).

    For a ``correction`` with changes, ``history`` (the job's entries) and ``target`` (the entry it corrects)
    let the corrected entry be checked again by its own event's rules (check_correction)."""
    require_role(site, draft.actor.staff, draft.type)
    checked = _check_event(draft, js, site, item_known=item_known, size=size)
    if draft.type == "correction" and target is not None and draft.payload.get("changes"):
        check_correction(draft, target, history, site, size)
    return checked


def _check_event(draft: Draft, js: JobState, site: SiteConfig, *, item_known: bool, size: int) -> Draft:
    """Every rule of ``draft``'s event but who may record it."""
    ev, subj, pay = draft.type, draft.subject, dict(draft.payload)
    if "witness" in pay:
        check_witness(site, draft.actor.staff, pay["witness"])
    job = subj.get("job", "")
    if ev.startswith("inbound."):
        _check_inbound(draft, js, site)
    elif ev == "job.prepared":
        if js.prepared is not None or js.inbound is not None:
            raise _refuse("custody.job_exists", job=job)
        site_vendor(site, pay["vendor"])
    elif ev not in NEEDS_NO_JOB and js.prepared is None:
        if js.inbound is None:
            raise _refuse("custody.job_not_prepared", job=job, event=ev)
        if ev not in INBOUND_JOB_EVENTS:
            raise _refuse("intake.inbound_job", job=job, event=ev)
    if js.abandoned is not None and ev in ABANDONED_REFUSES:
        raise _refuse("custody.job_abandoned", job=job, event=ev)
    if ev == "job.abandoned" and any(s.state in ("out", "returned") for s in js.items.values()):
        raise _refuse("custody.abandon_handed_over", job=job)
    if ev == "correction":
        target = int(subj["entry"])
        if not 0 <= target < size:
            raise _refuse("custody.correction_target", entry=subj["entry"])
        if pay.get("void") and target in js.voided:
            raise _refuse("custody.already_void", entry=target)
    if ev == "vendor.inspected":
        site_vendor(site, subj["vendor"])
        if "inspectors" in pay:
            _check_vendor_inspection(draft, site)
    if ev in TRANSITIONS:
        _check_transition(draft, js, item_known)
    if "on" in pay:
        _check_declared_date(draft, js, site)
    check_incidents(draft, js, site)
    if ev.endswith(".stored"):
        _check_cabinet(draft, js, site)
    if ev.endswith(".handed_over"):
        _check_handover(draft, js, site)
    if ev.endswith(".returned") and ev != "mail.returned":  # returned mail comes from the post office
        vendor = site_vendor(site, _job_vendor(js))
        if vendor.handler(pay["handler"]) is None:
            raise _refuse("custody.unknown_handler", handler=pay["handler"], vendor=vendor.id)
    if ev == "medium.returned" and "readback_sha256" in pay:
        pay["hash_matches"] = pay["readback_sha256"] == js.items[subj["medium"]].iso_sha256
    if ev == "deletion_certificate.received" and pay["vendor"] != _job_vendor(js):
        raise _refuse("custody.wrong_vendor", vendor=pay["vendor"], expected=_job_vendor(js), job=job)
    if ev == "deletion_certificate.received":
        _check_certificate(draft, js)
    if ev == "delivery.inspected" and pay["passed"] > pay["inspected"]:
        raise _refuse("custody.inspection_counts", passed=pay["passed"], inspected=pay["inspected"])
    if ev == "mail.returned" and pay["matched"] > pay["scanned"]:
        raise _refuse("mail.returned.counts", matched=pay["matched"], scanned=pay["scanned"])
    if ev == "paper.registered":
        _check_paper(draft)
    return dataclasses.replace(draft, payload=pay)


def _check_paper(draft: Draft) -> None:
    """Paper is one of the declared kinds, and has at least one page."""
    pay = draft.payload
    if pay["kind"] not in PAPER_KINDS:
        raise _refuse("custody.paper_kind", kind=pay["kind"], kinds=", ".join(PAPER_KINDS))
    if pay["pages"] < 1:
        raise _refuse("custody.paper_pages", item=draft.subject["paper"])


# --- corrections re-checked -----------------------------------------------------------------------------------
def check_correction(draft: Draft, target: Entry, history: Sequence[Entry], site: SiteConfig, size: int) -> None:
    """A correction's changes pass the rules the corrected entry had to pass when it was recorded.

    The job is replayed with the correction laid over its target; the target, and every later entry of the job,
    is checked again as of the state just before it (a medium's handover moved onto the day its notice went is
    the notice's same-day rule). A refusal the entry gets only because of this correction refuses the
    correction, with the rule's own code; one it gets without the correction too (a handler since removed from
    site.toml) is not this correction's doing and does not block it."""
    from handoff.ledger.corrections import check_changes

    check_changes(target, draft.payload["changes"])
    entries = list(history) if any(e.seq == target.seq for e in history) else sorted(
        [*history, target], key=lambda e: e.seq)
    pending = Entry(size, draft.time, draft.actor, "correction", dict(draft.subject), dict(draft.payload))
    before = _refusals(entries, site, target.seq)
    for seq, exc in _refusals([*entries, pending], site, target.seq).items():
        known = before.get(seq)
        if known is None or (known.code, known.params) != (exc.code, exc.params):
            raise exc


def _refusals(entries: Sequence[Entry], site: SiteConfig, start: int) -> dict[int, CustodyError]:
    """Entry seq -> the refusal the rules give it now, for the job's entries from ``start`` on (corrected view,
    each judged as of the entries before it, as its recorder; who recorded it is not judged again)."""
    js = JobState()
    js.voided = _voided(entries)
    found: dict[int, CustodyError] = {}
    for e in corrected(entries):
        if e.seq >= start and e.seq not in js.voided and e.type != "correction":
            again = Draft(e.type, e.subject, e.payload, e.actor, e.time)
            try:
                _check_event(again, js, site, item_known=False, size=e.seq)
            except CustodyError as exc:
                found[e.seq] = exc
        _step(js, e)
    return found


# 実地検査: at least this many different registered ward staff inspect a vendor on site (once per fiscal year).
MIN_INSPECTORS = 2


def require_role(site: SiteConfig, staff: str, event: str) -> None:
    """Refuse an unregistered staff id, or one whose role may not record ``event`` (EVENT_ROLES); called by
    check() and before the work that comes first (a run, a burn, a print), so nothing is made unrecorded."""
    member = site.staff_member(staff)
    if member is None:
        raise _refuse("custody.unknown_staff", staff=staff)
    needed = EVENT_ROLES.get(event, frozenset())
    if member.role not in needed:
        raise _refuse("custody.role_refused", staff=staff, role=member.role, event=event,
                      needed=", ".join(sorted(needed)) or "-")


def check_witness(site: SiteConfig, staff: str, witness: str) -> None:
    """A witness is registered staff, and someone other than the person recording."""
    if site.staff_member(witness) is None:
        raise _refuse("custody.witness_unknown", witness=witness)
    if witness == staff:
        raise _refuse("custody.witness_self", witness=witness)


def _check_certifications(vendor: Vendor, day: dt.date) -> None:
    """Every certification the contract lists is valid on the day of the handover; a vendor whose contract
    requires one (require_certification) must list at least one."""
    if vendor.require_certification and not vendor.certifications:
        raise _refuse("custody.certification_missing", vendor=vendor.id)
    for cert in vendor.certifications:
        if cert.expires < day:
            raise _refuse("custody.certification_expired", vendor=vendor.id, kind=cert.kind, number=cert.number,
                          expires=cert.expires.isoformat(), date=day.isoformat())


def _check_vendor_inspection(draft: Draft, site: SiteConfig) -> None:
    """An on-site inspection naming its inspectors: two or more different registered staff, not in the future."""
    inspectors = list(draft.payload["inspectors"])
    unknown = [s for s in inspectors if site.staff_member(s) is None]
    if unknown:
        raise _refuse("custody.inspector_unknown", staff=", ".join(unknown))
    if len(set(inspectors)) < MIN_INSPECTORS:
        raise _refuse("custody.inspectors_too_few", count=len(set(inspectors)), minimum=MIN_INSPECTORS)
    day, today = draft.payload["performed_on"], tokyo_date(draft.time).isoformat()
    if day > today:
        raise _refuse("custody.inspection_future", date=day, today=today)


def site_vendor(site: SiteConfig, vendor_id: str) -> Vendor:
    vendor = next((v for v in site.vendors if v.id == vendor_id), None)
    if vendor is None:
        raise _refuse("custody.unknown_vendor", vendor=vendor_id)
    return vendor


def _job_vendor(js: JobState) -> str:
    if js.prepared is None and js.inbound is not None:  # an inbound job: the vendor that sent the data
        return str(js.inbound.payload["vendor"])
    if js.prepared is None:  # callers check job_not_prepared first; this keeps the refusal explicit
        raise CustodyError("custody.job_not_prepared", job="", event="")
    return str(js.prepared.payload["vendor"])


def _check_transition(draft: Draft, js: JobState, item_known: bool) -> None:
    kind = item_kind(draft.type)
    item = draft.subject[kind]
    allowed, _ = TRANSITIONS[draft.type]
    st = js.items.get(item)
    if allowed is None:
        if item_known or st is not None:
            raise _refuse("custody.item_exists", item=item)
        return
    if st is None:
        job = draft.subject.get("job", "")
        raise _refuse("custody.unknown_item", item=item, job=job) if job else _refuse("custody.unknown_id", item=item)
    if st.state in allowed:
        return
    action = draft.type.split(".", 1)[1]
    if st.state == "destroyed":
        code = "custody.item_destroyed"
    elif action == "handed_over" and st.state == "out":
        code = "custody.already_out"
    elif action == "handed_over" and st.state == "failed":
        code = "custody.not_verified"
    elif action == "returned":
        code = "custody.not_out"
    elif st.state == "out":
        code = "custody.item_out"
    else:
        code = "custody.bad_transition"
    raise _refuse(code, item=item, state=st.state, event=draft.type)


def _check_cabinet(draft: Draft, js: JobState, site: SiteConfig) -> None:
    cabinet = draft.payload["cabinet"]
    if cabinet not in site.cabinets:
        raise _refuse("custody.unknown_cabinet", cabinet=cabinet)
    kind = draft.type.split(".", 1)[0]
    other = "notice" if kind == "medium" else "medium"
    for item, st in js.items.items():
        if st.kind == other and st.state == "stored" and st.cabinet == cabinet:
            raise _refuse("custody.same_cabinet", item=draft.subject[kind], other=item, cabinet=cabinet)


def _check_handover(draft: Draft, js: JobState, site: SiteConfig) -> None:
    pay, job = draft.payload, draft.subject["job"]
    expected = _job_vendor(js)
    if pay["vendor"] != expected:
        raise _refuse("custody.wrong_vendor", vendor=pay["vendor"], expected=expected, job=job)
    vendor = site_vendor(site, expected)
    if vendor.handler(pay["handler"]) is None:
        raise _refuse("custody.unknown_handler", handler=pay["handler"], vendor=vendor.id)
    day = event_date(draft.time, pay)
    if not vendor.contract_start <= day <= vendor.contract_end:
        raise _refuse(
            "custody.outside_contract",
            vendor=vendor.id,
            date=day.isoformat(),
            start=vendor.contract_start.isoformat(),
            end=vendor.contract_end.isoformat(),
        )
    _check_certifications(vendor, day)
    kind = draft.type.split(".", 1)[0]
    item = draft.subject[kind]
    if kind == "paper":  # the pages registered: what the vendor signs for on the receipt
        want = js.items[item].pages if item in js.items else None
        if pay["quantity"] != want:
            raise _refuse("custody.paper_quantity", quantity=pay["quantity"], expected=want, item=item)
    else:  # a job's own count; for an inbound job the count the vendor's slip gave when it was received
        want = (js.prepared.payload["quantity"] if js.prepared else
                js.inbound.payload["records"] if js.inbound else None)
        if pay["quantity"] != want:
            raise _refuse("custody.quantity_mismatch", quantity=pay["quantity"], expected=want, job=job)
    if not str(pay.get("bag", "")).strip():
        raise _refuse("custody.bag_required", item=item)
    if kind == "paper":  # the same-day and order rules are about the medium and its password notice only
        return
    other = "notice" if kind == "medium" else "medium"
    if day in js.handed_dates(other):
        raise _refuse("custody.same_day", job=job, date=day.isoformat())
    # Judged on event dates: a notice declared for a day before every medium of its job went is still first.
    if kind == "notice" and not any(d < day for d in js.handed_dates("medium")):
        raise _refuse("custody.notice_before_medium", job=job)


def _check_declared_date(draft: Draft, js: JobState, site: SiteConfig) -> None:
    """A declared date (``on``) is never after the day it is recorded, never more than the site's
    ``[ledger] backdate_days`` before it, and never before the day its job was prepared."""
    on, recorded = event_date(draft.time, draft.payload), tokyo_date(draft.time)
    if on > recorded:
        raise _refuse("custody.on_after_recorded", date=on.isoformat(), recorded=recorded.isoformat())
    limit = site.ledger.backdate_days
    if (recorded - on).days > limit:
        raise _refuse("custody.on_too_early", date=on.isoformat(), recorded=recorded.isoformat(), days=limit,
                      earliest=(recorded - dt.timedelta(days=limit)).isoformat())
    prepared = (tokyo_date(js.prepared.time) if js.prepared is not None else
                event_date(js.inbound.time, js.inbound.payload) if js.inbound is not None else None)
    if prepared is not None and on < prepared:
        raise _refuse("custody.on_before_job", date=on.isoformat(), job=draft.subject.get("job", ""),
                      prepared=prepared.isoformat())


# --- data the vendor sends back (handoff intake) ---------------------------------------------------------------
def _check_inbound(draft: Draft, js: JobState, site: SiteConfig) -> None:
    """An inbound job: its medium is received once, from a registered handler of a vendor under contract; its
    password notice on a later day than the medium (never the same day: seed 002, それぞれ別の機会); its
    archive read once, after the notice, from the same ZIP, while the medium is still in the ward's hands."""
    ev, pay, job = draft.type, draft.payload, draft.subject["job"]
    if js.prepared is not None:
        raise _refuse("intake.outbound_job", job=job, event=ev)
    if ev == "inbound.received":
        if js.inbound is not None:
            raise _refuse("custody.job_exists", job=job)
        _check_inbound_handler(site, str(pay["vendor"]), str(pay["handler"]), event_date(draft.time, pay))
        return
    if js.inbound is None:
        raise _refuse("intake.not_received", job=job, event=ev)
    medium = js.items[js.inbound.subject["medium"]]
    if ev == "inbound.notice_received":
        day = event_date(draft.time, pay)
        _check_inbound_handler(site, _job_vendor(js), str(pay["handler"]), day)
        if medium.received_on is not None and day == medium.received_on:
            raise _refuse("intake.same_day", job=job, date=day.isoformat())
        if medium.received_on is not None and day < medium.received_on:
            raise _refuse("intake.notice_before_medium", job=job, date=day.isoformat(),
                          received=medium.received_on.isoformat())
    elif ev == "inbound.read":
        if js.read is not None:
            raise _refuse("intake.already_read", job=job, entry=js.read.seq)
        if not any(s.kind == "notice" and s.received_on is not None for s in js.items.values()):
            raise _refuse("intake.notice_missing", job=job)
        if pay["sha256"] != js.inbound.payload["sha256"]:
            raise _refuse("intake.other_archive", job=job)
        if medium.state not in ("received", "stored"):
            raise _refuse("intake.medium_not_here", job=job, medium=js.inbound.subject["medium"],
                          state=medium.state)


def _check_inbound_handler(site: SiteConfig, vendor_id: str, handler: str, day: dt.date) -> None:
    """The vendor is registered and under contract on ``day``, and ``handler`` is one of its handlers."""
    vendor = site_vendor(site, vendor_id)
    if vendor.handler(handler) is None:
        raise _refuse("custody.unknown_handler", handler=handler, vendor=vendor.id)
    if not vendor.contract_start <= day <= vendor.contract_end:
        raise _refuse("custody.outside_contract", vendor=vendor.id, date=day.isoformat(),
                      start=vendor.contract_start.isoformat(), end=vendor.contract_end.isoformat())


def certified_media(js: JobState) -> list[str]:
    """The media a deletion certificate must cover: every medium of the job whose write was verified."""
    return sorted(item for item, st in js.items.items() if st.kind == "medium" and st.verified)


def _check_certificate(draft: Draft, js: JobState) -> None:
    """A certificate names only media of this job, and every medium the vendor can have received."""
    job, covered = draft.subject["job"], list(draft.payload.get("media", []))
    for medium in covered:
        st = js.items.get(medium)
        if st is None or st.kind != "medium":
            raise _refuse("custody.unknown_item", item=medium, job=job)
    missing = [m for m in certified_media(js) if m not in covered]
    if missing:
        raise _refuse("custody.certificate_incomplete", job=job, missing=", ".join(missing))


# --- incidents ----------------------------------------------------------------------------------------------
def apply_incident(js: JobState, e: Entry) -> None:
    """Keep the job's open incidents: recorded ones open, closed ones leave."""
    if e.type == "incident.recorded":
        js.incidents[e.seq] = e.subject.get("medium") or e.subject.get("notice") or e.subject.get("paper")
    elif e.type == "incident.closed":
        js.incidents.pop(int(e.subject["entry"]) if e.subject["entry"].isdigit() else -1, None)


def _supervisor(site: SiteConfig, staff: str) -> bool:
    member = site.staff_member(staff)
    return member is not None and member.role == "supervisor"


def check_incidents(draft: Draft, js: JobState, site: SiteConfig) -> None:
    """Who reports and closes an incident, and that an item with an open incident stays where it is: only a
    supervisor may record its next step (after deciding what happens to it)."""
    ev, subj, pay = draft.type, draft.subject, draft.payload
    if ev == "incident.recorded":
        if site.staff_member(pay["reported_by"]) is None:
            raise _refuse("custody.unknown_staff", staff=pay["reported_by"])
        if pay["kind"] not in INCIDENT_KINDS:
            raise _refuse("custody.incident_kind", kind=pay["kind"], kinds=", ".join(INCIDENT_KINDS))
        item = subj.get("medium") or subj.get("notice") or subj.get("paper")
        if item is not None and item not in js.items:
            raise _refuse("custody.unknown_item", item=item, job=subj.get("job", ""))
    elif ev == "incident.closed":
        if site.staff_member(pay["closed_by"]) is None:
            raise _refuse("custody.unknown_staff", staff=pay["closed_by"])
        if not _supervisor(site, pay["closed_by"]):
            raise _refuse("custody.close_needs_supervisor", staff=pay["closed_by"])
        if not subj["entry"].isdigit() or int(subj["entry"]) not in js.incidents:
            raise _refuse("custody.incident_not_open", entry=subj["entry"])
    elif ev in TRANSITIONS and TRANSITIONS[ev][0] is not None:
        item = subj[ev.split(".", 1)[0]]
        held = [seq for seq, it in js.incidents.items() if it == item]
        if held and not _supervisor(site, draft.actor.staff):
            raise _refuse("custody.open_incident", item=item, entry=held[0], event=ev)
