"""The ledger as the auditor reads it: every entry once, grouped by job, with corrections laid over.

An audit as of a day sees the ledger as it was at the end of that day: entries recorded later are left out (a
return recorded the next morning for the day before was not in the ledger yet). Entries voided by a correction
do not count and corrected values are used, exactly as the custody rules replay a job
(``handoff.ledger.rules.replay``). Every day judgement uses the event's own date (``rules.event_date``).

One pass over the entries builds everything, so the audit stays linear in the size of the ledger.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from handoff.audit.model import JobTimeline, Span
from handoff.ledger.corrections import marks
from handoff.ledger.events import EVENTS, TOKYO, Entry
from handoff.ledger.rules import event_date
from handoff.programme import Custody

# The kinds of item a job hands over, found from the event schemas (an event type ``<kind>.<step>`` whose subject
# names the item by the key ``<kind>`` beside its job): medium and notice, and paper once its events exist.
ITEM_KINDS: tuple[str, ...] = tuple(sorted(
    {t.split(".", 1)[0] for t, spec in EVENTS.items() if t.split(".", 1)[0] in spec.subjects and "job" in spec.subjects}
    - {"job"}
))
# The timeline step an item event starts: a medium written, a notice printed, paper registered are all "written"
# (made); an item's first event of another name is "written" too.
STEP_OF = {"written": "written", "printed": "written", "registered": "written", "stored": "stored",
           "handed_over": "handed_over", "returned": "returned", "destroyed": "destroyed"}
STEPS_SHOWN = frozenset(STEP_OF.values())
HASH_KINDS = frozenset({"hash_mismatch", "unreadable"})
# The events that receive an item from the vendor (handoff intake), and the kind of item each receives.
INBOUND_ITEMS = {"inbound.received": "medium", "inbound.notice_received": "notice"}


def iso(day: dt.date | None) -> str:
    """A date as finding parameters carry it ("-" for none)."""
    return day.isoformat() if day is not None else "-"


def listed(values: Iterable[object]) -> str:
    """Ids as one parameter text ("-" for none)."""
    return ", ".join(str(v) for v in values) or "-"


def _add(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


@dataclass
class Out:
    """One stay of an item with the vendor: from its handover until it came back (returned or destroyed)."""

    handover: Entry
    day: dt.date
    back: Entry | None = None
    back_day: dt.date | None = None


@dataclass
class Item:
    id: str
    kind: str
    events: list[tuple[dt.date, str, Entry]] = field(default_factory=list)  # (day, step, entry)
    verified: bool = False  # a medium whose write was verified (the certificate must cover it)
    outs: list[Out] = field(default_factory=list)

    @property
    def out(self) -> Out | None:
        """The stay not yet ended, if the item is with the vendor now."""
        return self.outs[-1] if self.outs and self.outs[-1].back is None else None


@dataclass
class Incident:
    entry: Entry
    day: dt.date
    kind: str
    item: str | None
    closed: Entry | None = None


@dataclass
class Job:
    id: str
    prepared: Entry | None = None
    day: dt.date = dt.date.min  # the preparation's event date
    abandoned: Entry | None = None
    items: dict[str, Item] = field(default_factory=dict)
    certificates: list[tuple[dt.date, Entry]] = field(default_factory=list)
    deliveries: list[Entry] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    inbound: Entry | None = None  # inbound.received: data the vendor sent back (an inbound job)
    read: Entry | None = None  # inbound.read: its archive was read

    @cached_property
    def programme(self) -> str:
        first = self.prepared or self.inbound
        return str(first.payload["programme"]) if first else ""

    @cached_property
    def vendor(self) -> str:
        first = self.prepared or self.inbound
        return str(first.payload["vendor"]) if first else ""

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items.values() if i.kind == kind]

    # The views below are asked for many times per job by the checks, and only once the ledger has been read.
    @cached_property
    def handed_media(self) -> list[Item]:
        return [i for i in self.items.values() if i.kind == "medium" and i.outs]

    @cached_property
    def certified_media(self) -> list[str]:
        """As ``rules.certified_media``: every medium of the job whose write was verified."""
        return sorted(i.id for i in self.items.values() if i.kind == "medium" and i.verified)

    @cached_property
    def last_return(self) -> dt.date | None:
        """The day the last handed-over medium came back; None while one is still out (or none went)."""
        media = self.handed_media
        if not media or any(m.out is not None for m in media):
            return None
        return max(o.back_day for m in media for o in m.outs if o.back_day is not None)

    @cached_property
    def certificate(self) -> tuple[dt.date | None, list[int], list[str]]:
        """The day the certificates received so far first covered every certified medium (None: they do not),
        their seqs, and the media still not covered."""
        need, covered = set(self.certified_media), set[str]()
        complete: dt.date | None = None
        for day, e in self.certificates:
            covered.update(e.payload.get("media", []))
            if complete is None and need <= covered:
                complete = day
        return complete, [e.seq for _, e in self.certificates], sorted(need - covered)


@dataclass
class Book:
    jobs: dict[str, Job] = field(default_factory=dict)
    inspections: list[Entry] = field(default_factory=list)  # vendor.inspected
    corrections: list[Entry] = field(default_factory=list)
    skipped: set[tuple[str, str]] = field(default_factory=set)  # (programme, cycle) the ward decided not to make
    seen: int = 0  # entries the audit looked at (recorded by as_of)
    voided: int = 0


def read(entries: Sequence[Entry], as_of: dt.date) -> Book:
    """The ledger as of the end of ``as_of``, grouped by job, voided entries skipped, corrections applied."""
    # Recorded before the end of as_of in Japan: one comparison of aware times per entry.
    # (The cut-off in UTC, as the entries' times are: aware times in one zone compare without conversion.)
    cutoff = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), TOKYO).astimezone(dt.UTC)
    visible = [e for e in entries if e.time < cutoff]
    found = marks(visible)
    voided = {seq for seq, m in found.items() if m.voided_by is not None}
    changes = {seq: m.changes for seq, m in found.items() if m.changes}
    book = Book(seen=len(visible), voided=len(voided))
    item_job: dict[str, str] = {}
    incidents: dict[int, Incident] = {}
    for e in visible:
        if e.seq in voided:
            continue
        if e.seq in changes:
            e = dataclasses.replace(e, payload={**e.payload, **changes[e.seq]})
        kind, _, step = e.type.partition(".")
        if e.type == "vendor.inspected":
            book.inspections.append(e)
            continue
        if e.type == "cycle.skipped":
            book.skipped.add((e.subject["programme"], str(e.payload["cycle"])))
            continue
        if e.type == "correction":
            book.corrections.append(e)
            continue
        if e.type == "incident.closed":
            target = incidents.get(int(e.subject["entry"])) if e.subject["entry"].isdigit() else None
            if target is not None and target.closed is None:
                target.closed = e
            continue
        if e.type in INBOUND_ITEMS:  # a medium or notice received from the vendor: an item like the ward's own
            kind, step = INBOUND_ITEMS[e.type], "received"
        item_id = e.subject.get(kind) if kind in ITEM_KINDS else None
        job_id = e.subject.get("job") or (item_job.get(item_id) if item_id else None)
        if job_id is None:
            continue
        job = book.jobs.setdefault(job_id, Job(job_id))
        day = event_date(e.time, e.payload)
        if e.type == "inbound.received" and job.inbound is None:
            job.inbound, job.day = e, day
        if item_id is not None:
            _item_event(job, kind, item_id, step, day, e)
            item_job.setdefault(item_id, job_id)
        elif e.type == "inbound.read":
            job.read = e
        elif e.type == "job.prepared" and job.prepared is None:
            job.prepared, job.day = e, day
        elif e.type == "job.abandoned":
            job.abandoned = e
        elif e.type == "deletion_certificate.received":
            job.certificates.append((day, e))
        elif e.type == "delivery.inspected":
            job.deliveries.append(e)
        elif e.type == "incident.recorded":
            item = next((e.subject[k] for k in ITEM_KINDS if k in e.subject), None)
            incidents[e.seq] = Incident(e, day, str(e.payload["kind"]), item)
            job.incidents.append(incidents[e.seq])
    return book


def _item_event(job: Job, kind: str, item_id: str, step: str, day: dt.date, e: Entry) -> None:
    item = job.items.setdefault(item_id, Item(item_id, kind))
    item.events.append((day, STEP_OF.get(step, "written" if not item.events else step), e))
    if e.type == "medium.written":
        item.verified = bool(e.payload.get("verified"))
    if step == "handed_over":
        item.outs.append(Out(e, day))
    elif step in ("returned", "destroyed") and (out := item.out) is not None:
        out.back, out.back_day = e, day


# --- the timeline ------------------------------------------------------------------------------------------
def return_due(out: Out, custody: Custody) -> dt.date:
    return _add(out.day, custody.return_days)


def certificate_due(job: Job, custody: Custody) -> dt.date | None:
    last = job.last_return
    return None if last is None else _add(last, custody.certificate_days)


def owes_delivery(job: Job, postcard: bool) -> bool:
    """Does the job owe a delivery inspection (納品検査) once its media are out? Only sealed envelopes are inspected
    (seed 000 ⑦ 「封入封緘後の封筒の確認」): not postcards, which have no enclosing and no envelope codes, and not a
    pull list (引抜きリスト), which is a list for the vendor, not a mailing."""
    return not postcard and not is_pull_list(job)


def is_pull_list(job: Job) -> bool:
    """Is this job a pull list (``handoff pull``)? Its ``job.prepared`` names the job it pulls from."""
    return job.prepared is not None and "pull_of" in job.prepared.payload


def inbound_read_due(job: Job, custody: Custody) -> dt.date:
    """Data the vendor sent back is read within ``inbound_days`` of the disc's receipt."""
    return _add(job.day, custody.inbound_days)


def inbound_read_day(job: Job) -> dt.date | None:
    return event_date(job.read.time, job.read.payload) if job.read is not None else None


def inbound_return_due(read_day: dt.date, custody: Custody) -> dt.date:
    """The received disc and notice are handed back or destroyed within ``inbound_days`` of the read."""
    return _add(read_day, custody.inbound_days)


def inbound_kept(job: Job) -> list[Item]:
    """The received disc and notice still held by the ward (neither handed back nor destroyed)."""
    return [i for i in job.items.values() if i.events and i.events[-1][1] not in ("handed_over", "destroyed")]


def _late(end: dt.date | None, due: dt.date | None, as_of: dt.date) -> bool:
    return due is not None and (end or as_of) > due


def timeline(job: Job, custody: Custody, as_of: dt.date) -> JobTimeline:
    """The job's spans: the preparation, each item's stay in each state, and the wait for the certificate (from
    the last medium's return until the certificate covered every medium; still open while it does not)."""
    cycle = job.prepared.payload.get("cycle") if job.prepared else None
    tl = JobTimeline(job.id, job.programme, job.vendor, job.day, str(cycle) if cycle else None)
    tl.spans.append(Span(job.id, "prepared", job.day, job.day))
    for item in job.items.values():
        outs = iter(item.outs)
        for i, (day, step, _) in enumerate(item.events):
            end = day if step == "destroyed" else item.events[i + 1][0] if i + 1 < len(item.events) else None
            due = return_due(next(outs), custody) if step == "handed_over" else None
            if step in STEPS_SHOWN:
                tl.spans.append(Span(item.id, step, day, end, due, _late(end, due, as_of)))
        if item.out is not None:
            tl.open_items.append(item.id)
    last = job.last_return
    if last is not None:
        due = certificate_due(job, custody)
        done = job.certificate[0]
        end = max(done, last) if done is not None else None
        tl.spans.append(Span(job.id, "certified", last, end, due, _late(end, due, as_of)))
    return tl

