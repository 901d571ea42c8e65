"""``handoff status``: the operator's work list — what is waiting, where each item is, what is due or overdue,
and the exact command that does the next step.

It reads, never writes: the ledger through a read-only store (as the audit opens it) and the job folders. The
deadlines are the audit's own (``handoff.audit.timeline``: ``return_due``, ``certificate_due``; an incident's
``incident_days``; a vendor's on-site inspection by the end of the fiscal year), so the work list and the audit
never disagree about what is late. Only ids, dates, cabinets and counts are shown: the ledger and the job
folders hold no personal value, and nothing here opens a file that does.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from handoff.audit.model import fiscal_year_of
from handoff.audit.timeline import Book, Item, Job, certificate_due, owes_delivery, read, return_due
from handoff.ledger.rules import tokyo_date
from handoff.pipeline.ledger_view import ledger_began, read_entries
from handoff.programme import Custody

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.events import Entry
    from handoff.programme import ProgramSpec

# The kinds of task, in the order the work happens (the order of the list among tasks equally due).
KINDS = ("missed", "incident", "return", "certificate", "delivery", "vendor_inspection", "inbound_read",
         "inbound_return", "burn", "print", "store", "handover", "destroy")
# What stands in a command for a value only the operator knows (catalogue codes: Japanese or English text).
PLACEHOLDERS = ("staff", "handler", "cabinet", "bag", "scan", "outcome", "result", "inspectors", "export")
DRIVE = "/dev/sr0"  # the drive ``custody return`` reads a returned disc in, as the help text names it


@dataclass(frozen=True)
class Task:
    """One line of the work list: what (``kind``), which job and item, since when, until when, and the command."""

    kind: str
    job: str | None
    item: str | None
    command: str
    programme: str | None = None
    vendor: str | None = None
    cabinet: str | None = None
    since: dt.date | None = None
    due: dt.date | None = None
    detail: dict[str, Any] = field(default_factory=dict)  # ids and counts the message names (never a value)

    def overdue(self, as_of: dt.date) -> bool:
        return self.due is not None and as_of > self.due

    def days_left(self, as_of: dt.date) -> int | None:
        """Days until the deadline (negative: days past it)."""
        return None if self.due is None else (self.due - as_of).days

    def sort_key(self, as_of: dt.date) -> tuple[Any, ...]:
        return (not self.overdue(as_of), self.due or dt.date.max, KINDS.index(self.kind), self.job or "",
                self.item or "")

    def to_json(self, as_of: dt.date) -> dict[str, Any]:
        from handoff.messages import t

        return {"kind": self.kind, "job": self.job, "item": self.item, "programme": self.programme,
                "vendor": self.vendor, "cabinet": self.cabinet, "since": _iso(self.since), "due": _iso(self.due),
                "overdue": self.overdue(as_of), "days_left": self.days_left(as_of), "command": self.command,
                "message": t(f"status.task.{self.kind}", **self.params()), "detail": dict(self.detail)}

    def params(self) -> dict[str, object]:
        """What the task's message names: its ids, cabinet, vendor and dates ("-" for none)."""
        return {"job": self.job or "-", "item": self.item or "-", "programme": self.programme or "-",
                "vendor": self.vendor or "-", "cabinet": self.cabinet or "-", "since": _iso(self.since) or "-",
                "due": _iso(self.due) or "-", **self.detail}


@dataclass
class WorkList:
    as_of: dt.date
    staff: str | None
    tasks: list[Task]

    def to_json(self) -> dict[str, Any]:
        counts = {kind: sum(1 for t in self.tasks if t.kind == kind) for kind in KINDS}
        return {"date": self.as_of.isoformat(), "staff": self.staff,
                "overdue": sum(1 for t in self.tasks if t.overdue(self.as_of)), "counts": counts,
                "tasks": [t.to_json(self.as_of) for t in self.tasks]}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


class Commands:
    """The next commands, written out whole: the staff id from ``--staff`` / ``HANDOFF_STAFF`` or a placeholder,
    every value quoted for the shell."""

    def __init__(self, program: str, staff: str | None, placeholder: Mapping[str, str]) -> None:
        self.program, self.staff, self.placeholder = program, staff, placeholder

    def __call__(self, *words: str, staff: bool = True) -> str:
        parts = [*words, *(("--staff", self.staff or self.placeholder["staff"]) if staff else ())]
        return " ".join([self.program, *(_quote(w) for w in parts)])


# What a shell reads as other than a plain word; Japanese text and ids need no quotes and are shown as they are.
_SHELL = re.compile(r"[\s'\"\\$`;&|<>()*?\[\]{}~#!^%]")


def _quote(word: str) -> str:
    return word if word and not _SHELL.search(word) else shlex.quote(word)


def work_list(site: SiteConfig, entries: Sequence[Entry], programmes: Mapping[str, ProgramSpec], as_of: dt.date,
              commands: Commands, since: dt.date | None = None) -> WorkList:
    """Every task waiting on ``as_of``: overdue first, then by deadline, then in the order the work happens."""
    book = read(entries, as_of)
    jobs = [j for j in book.jobs.values() if j.prepared is not None and j.abandoned is None]
    tasks: list[Task] = []
    for job_id in finished_jobs(site):
        job = book.jobs.get(job_id)
        if job is None or job.abandoned is None:
            tasks += _folder_tasks(site, job_id, job, commands)
    for job in jobs:
        spec = programmes.get(job.programme)
        tasks += _job_tasks(site, job, spec.custody if spec else Custody(), commands,
                            owes_delivery(job, spec is not None and spec.postcard))
    for job in book.jobs.values():
        if job.inbound is not None:
            spec = programmes.get(job.programme)
            tasks += _inbound_tasks(job, spec.custody if spec else Custody(), commands)
    tasks += _vendor_inspections(book, jobs, as_of, commands)
    if since is not None:
        tasks += _missed(book, programmes, as_of, since, commands)
    tasks.sort(key=lambda task: task.sort_key(as_of))
    return WorkList(as_of, commands.staff, tasks)


def finished_jobs(site: SiteConfig) -> list[str]:
    """The job folders a finished run left (``internal/job.json``), by name; interrupted ones are not work."""
    from handoff.fs import JobDir
    from handoff.pipeline.recover import JOB_NAME

    jobs = site.data_path / "jobs"
    if not jobs.is_dir():
        return []
    return sorted(p.name for p in jobs.iterdir()
                  if JOB_NAME.fullmatch(p.name) and not p.is_symlink() and JobDir(p).finished)


def _folder_tasks(site: SiteConfig, job_id: str, job: Job | None, commands: Commands) -> list[Task]:
    """A finished job's media not yet burned (or burned and not yet recorded) and its notice not yet printed."""
    from handoff.fs import JobDir
    from handoff.media.status import list_media
    from handoff.package import notice_id

    folder = JobDir(site.data_path / "jobs" / job_id)
    recorded = set(job.items) if job is not None else set()
    programme = job.programme if job is not None else None
    since = job.day if job is not None else None
    tasks = []
    waiting = [m.medium_id for m in list_media(folder)
               if m.state in ("written", "burning") or (m.state == "verified" and m.medium_id not in recorded)]
    if waiting:
        tasks.append(Task("burn", job_id, None, commands("media", "burn", job_id), programme,
                          job.vendor if job else None, since=since,
                          detail={"count": len(waiting), "media": ", ".join(waiting)}))
    notice = notice_id(job_id)
    if notice not in recorded:
        tasks.append(Task("print", job_id, notice, commands("notice", "print", job_id), programme,
                          job.vendor if job else None, since=since))
    return tasks


def _job_tasks(site: SiteConfig, job: Job, custody: Custody, commands: Commands, delivery: bool) -> list[Task]:
    tasks: list[Task] = []
    for item in job.items.values():
        task = _item_task(site, job, item, custody, commands)
        if task is not None:
            tasks.append(task)
    tasks += _certificate_tasks(job, custody, commands, delivery)
    tasks += [_incident_task(job, inc.entry.seq, inc.kind, inc.item, inc.day, custody, commands)
              for inc in job.incidents if inc.closed is None]
    return tasks


def _item_task(site: SiteConfig, job: Job, item: Item, custody: Custody, commands: Commands) -> Task | None:
    """The next step of one medium, notice or paper, from the last step the ledger holds for it."""
    if not item.events:
        return None
    day, step, last = item.events[-1]
    flag = f"--{item.kind}"
    common: dict[str, Any] = {"programme": job.programme, "vendor": job.vendor, "since": day}
    if item.out is not None:
        handler = str(item.out.handover.payload.get("handler") or commands.placeholder["handler"])
        read_back = ("--device", DRIVE) if item.kind == "medium" else ()
        command = commands("custody", "return", flag, item.id, "--handler", handler, *read_back)
        return Task("return", job.id, item.id, command, due=return_due(item.out, custody),
                    detail={"kind": item.kind}, **common)
    if step == "written" and item.kind in ("medium", "notice"):
        if item.kind == "medium" and not item.verified:
            return None  # a disc that failed its read-back never leaves: burn writes the next one
        to = _cabinet(site, job, item, commands)
        return Task("store", job.id, item.id, commands("custody", "store", flag, item.id, "--cabinet", to),
                    detail={"kind": item.kind}, **common)
    if step in ("written", "stored"):
        cabinet = str(last.payload.get("cabinet") or "") or None
        quantity = _quantity(job, item)
        command = commands("custody", "handover", flag, item.id, "--handler", _handler(site, job, commands),
                           "--media-count", str(quantity), "--bag", commands.placeholder["bag"])
        return Task("handover", job.id, item.id, command, cabinet=cabinet,
                    detail={"kind": item.kind, "quantity": quantity}, **common)
    if step == "returned":
        return Task("destroy", job.id, item.id, commands("custody", "destroy", flag, item.id),
                    detail={"kind": item.kind}, **common)
    return None


def _missed(book: Book, programmes: Mapping[str, ProgramSpec], as_of: dt.date, since: dt.date,
            commands: Commands) -> list[Task]:
    """The cycles ``handoff due`` lists as missed (:func:`handoff.pipeline.due.owed`, neither made nor skipped as
    of ``as_of``), overdue from their mailing day."""
    from handoff.pipeline.due import owed

    held = {(j.programme, str(j.prepared.payload.get("cycle"))) for j in book.jobs.values()
            if j.prepared is not None and j.abandoned is None} | book.skipped
    tasks = []
    for spec in programmes.values():
        for cycle in owed(spec.calendar, as_of, since) if spec.calendar is not None else []:
            if (spec.id, cycle.id) not in held:
                command = commands("run", spec.id, "--cycle", cycle.id, "--input", commands.placeholder["export"])
                tasks.append(Task("missed", None, None, command, spec.id, spec.vendor, since=cycle.opens,
                                  due=cycle.mailing, detail={"cycle": cycle.id}))
    return tasks


def _inbound_tasks(job: Job, custody: Custody, commands: Commands) -> list[Task]:
    """Data the vendor sent back: read it (``handoff intake``), then hand its disc and notice back or destroy them,
    by the audit's deadlines (``inbound_days``)."""
    from handoff.audit.timeline import inbound_kept, inbound_read_day, inbound_read_due, inbound_return_due

    assert job.inbound is not None  # noqa: S101 -- the caller chose inbound jobs
    common: dict[str, Any] = {"programme": job.programme, "vendor": job.vendor}
    read_day = inbound_read_day(job)
    if read_day is None:
        medium = job.inbound.subject["medium"]
        return [Task("inbound_read", job.id, medium, commands("intake", job.programme, "--device", DRIVE),
                     since=job.day, due=inbound_read_due(job, custody), **common)]
    due = inbound_return_due(read_day, custody)
    return [Task("inbound_return", job.id, item.id, commands("custody", "destroy", f"--{item.kind}", item.id),
                 since=read_day, due=due, detail={"kind": item.kind}, **common) for item in inbound_kept(job)]


def _quantity(job: Job, item: Item) -> int:
    """What the handover's ``--media-count`` must say: a paper's registered pages, else the job's quantity."""
    if item.kind == "paper":
        registered = next((e for _, _, e in item.events if e.type == "paper.registered"), None)
        return int(registered.payload.get("pages", 0)) if registered else 0
    return int(job.prepared.payload.get("quantity", 0)) if job.prepared else 0


def _handler(site: SiteConfig, job: Job, commands: Commands) -> str:
    """The vendor's handler when it registered exactly one; otherwise the operator names the one who came."""
    vendor = next((v for v in site.vendors if v.id == job.vendor), None)
    if vendor is not None and len(vendor.handlers) == 1:
        return vendor.handlers[0].id
    return commands.placeholder["handler"]


def _cabinet(site: SiteConfig, job: Job, item: Item, commands: Commands) -> str:
    """A cabinet of site.toml for the item: not the one its job's other item (medium or notice) is stored in,
    and, in the site's order, the first for media and the second for notices (as the example site names them)."""
    taken = set()
    for other in job.items.values():
        if other.kind != item.kind and other.events and other.events[-1][1] == "stored":
            taken.add(str(other.events[-1][2].payload.get("cabinet")))
    free = [c for c in site.cabinets if c not in taken]
    if not free:
        return commands.placeholder["cabinet"]
    preferred = 1 if item.kind == "notice" and len(site.cabinets) > 1 else 0
    wanted = site.cabinets[preferred]
    return wanted if wanted in free else free[0]


def _certificate_tasks(job: Job, custody: Custody, commands: Commands, delivery: bool) -> list[Task]:
    """The deletion certificate once every handed-over medium is back, and the delivery inspection once the
    job's media went out; each until the ledger holds it."""
    tasks = []
    common: dict[str, Any] = {"programme": job.programme, "vendor": job.vendor}
    last = job.last_return
    done, _seqs, missing = job.certificate
    if last is not None and done is None:
        command = commands("certificate", "record", job.id, "--scan", commands.placeholder["scan"])
        tasks.append(Task("certificate", job.id, None, command, since=last, due=certificate_due(job, custody),
                          detail={"missing": ", ".join(missing) or "-"}, **common))
    if delivery and job.handed_media and not job.deliveries:
        first = min(o.day for m in job.handed_media for o in m.outs)
        # The audit names a delivery not inspected as soon as the media are all back: that day is its deadline.
        tasks.append(Task("delivery", job.id, None, commands("inspect", "delivery", job.id), since=first,
                          due=last, **common))
    return tasks


def _incident_task(job: Job, seq: int, kind: str, item: str | None, day: dt.date, custody: Custody,
                   commands: Commands) -> Task:
    command = commands("incident", "close", str(seq), "--outcome", commands.placeholder["outcome"])
    return Task("incident", job.id, item, command, job.programme, job.vendor, since=day,
                due=day + dt.timedelta(days=custody.incident_days), detail={"entry": seq, "incident": kind})


def _vendor_inspections(book: Book, jobs: list[Job], as_of: dt.date, commands: Commands) -> list[Task]:
    """Each vendor that was handed something this fiscal year and has no on-site inspection recorded in it: due
    by the year's last day (31 March), as the audit judges it."""
    year = fiscal_year_of(as_of)
    handed: dict[str, dt.date] = {}
    for job in jobs:
        for item in job.items.values():
            for out in item.outs:
                if fiscal_year_of(out.day) == year:
                    handed[job.vendor] = min(out.day, handed.get(job.vendor, out.day))
    inspected = {e.subject["vendor"] for e in book.inspections if fiscal_year_of(_performed(e)) == year}
    tasks = []
    for vendor, first in sorted(handed.items()):
        if vendor in inspected:
            continue
        command = commands("vendor", "inspect", vendor, "--date", as_of.isoformat(), "--by",
                           commands.placeholder["inspectors"], "--result", commands.placeholder["result"])
        tasks.append(Task("vendor_inspection", None, None, command, vendor=vendor, since=first,
                          due=dt.date(year + 1, 3, 31), detail={"fiscal_year": year}))
    return tasks


def _performed(e: Entry) -> dt.date:
    """The day an on-site inspection was done: the day it names, else the day it was recorded (as the audit)."""
    try:
        return dt.date.fromisoformat(str(e.payload.get("performed_on")))
    except ValueError:
        return tokyo_date(e.time)


@dataclass(frozen=True)
class IncidentLine:
    """One incident as ``incident list`` shows it: its entry, kind, job and item, when recorded, the day it is to
    be closed by (the programme's ``incident_days``) and the entry that closed it."""

    seq: int
    kind: str
    job: str
    item: str | None
    recorded: dt.date
    due: dt.date
    closed_by: int | None

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "job": self.job, "item": self.item,
                "recorded": self.recorded.isoformat(), "due": self.due.isoformat(), "open": self.closed_by is None,
                "closed_by": self.closed_by}


def incidents(site: SiteConfig, as_of: dt.date) -> list[IncidentLine]:
    """Every incident the ledger holds (voided ones left out; one recorded after ``as_of`` too, as a clock
    running behind the ledger's would otherwise hide it), open ones first, by entry."""
    from handoff.programme import load_all

    entries = read_entries(site)
    book = read(entries, max([as_of, *(tokyo_date(e.time) for e in entries[-1:])]))
    programmes = load_all(site.pipelines_path) if site.pipelines_path.is_dir() else {}
    found = []
    for job in book.jobs.values():
        spec = programmes.get(job.programme)
        days = (spec.custody if spec else Custody()).incident_days
        for inc in job.incidents:
            found.append(IncidentLine(inc.entry.seq, inc.kind, job.id, inc.item, inc.day,
                                      inc.day + dt.timedelta(days=days),
                                      inc.closed.seq if inc.closed is not None else None))
    return sorted(found, key=lambda i: (i.closed_by is not None, i.seq))


def status(site: SiteConfig, as_of: dt.date, *, staff: str | None, program: str = "handoff") -> WorkList:
    """The work list of ``site`` on ``as_of``: the ledger read through a read-only store, the job folders
    looked at, nothing written."""
    from handoff.messages import t
    from handoff.programme import load_all

    entries = read_entries(site)
    programmes = load_all(site.pipelines_path) if site.pipelines_path.is_dir() else {}
    placeholder = {name: t(f"status.placeholder.{name}") for name in PLACEHOLDERS}
    return work_list(site, entries, programmes, as_of, Commands(program, staff, placeholder), ledger_began(site))
