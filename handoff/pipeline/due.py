"""``handoff due``: which programmes and mailing cycles are due on a day, whether their exports have arrived, and
what blocks them.

A cycle is due from its window's opening day to its mailing day (``handoff.calendar_spec``). Its export is the one
file matching the calendar's inbox glob that arrived (was last modified) on or after the opening day: a file left
in the inbox from an earlier cycle is never taken for a later one, and the ledger's one-job-per-cycle rule keeps
a used file from being run twice. Only the file's name, size and age are looked at here, never its contents.

What blocks a cycle (``run --due`` makes nothing for it, exit 6): the programme's or the vendor's contract not in
force on the day (or not covering the mailing day), a certification expired, the previous cycle's media, notice or
paper handed over and not yet back. What is only shown: a contract or certification ending within ``warn_days``,
a cycle the council document does not state (``assumed``).
"""

from __future__ import annotations

import datetime as dt
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handoff.calendar_spec import Calendar, Cycle
from handoff.config import SiteConfig
from handoff.contract import TOKYO
from handoff.errors import HandoffError
from handoff.programme import ProgramSpec

# What a due cycle is on the day: made already, made now, waiting for its export, its export late, blocked, or
# the run refused it (a run --due status only); and, for a cycle whose mailing day has passed, missed; a cycle the
# ward decided not to make (``handoff schedule skip``), skipped.
DONE, RAN, READY, WAITING, MISSING, BLOCKED, FAILED, AMBIGUOUS, MISSED, SKIPPED = (
    "done", "ran", "ready", "waiting", "missing", "blocked", "failed", "ambiguous", "missed", "skipped")


@dataclass(frozen=True)
class Note:
    """A blocker or a warning: a message code and its parameters (ids and dates only)."""

    code: str
    params: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        from handoff.messages import t

        return {"code": self.code, "message": t(self.code, **self.params), **self.params}


@dataclass(frozen=True)
class Export:
    """The export found in the inbox: its path relative to the site folder, size in bytes, and age."""

    path: Path
    relative: str
    size: int
    modified: dt.datetime

    def to_json(self, now: dt.datetime) -> dict[str, Any]:
        return {"path": self.relative, "size": self.size, "modified": self.modified.isoformat(timespec="seconds"),
                "age_hours": round(max((now - self.modified).total_seconds(), 0) / 3600, 1)}


@dataclass
class DueItem:
    programme: str
    title: str
    cycle: Cycle
    inbox: str
    status: str
    job: str | None = None
    export: Export | None = None
    candidates: int = 0  # files of this cycle in the inbox (more than one: which to run is not guessed)
    blockers: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    rows_excepted: int | None = None  # run --due: the run's excepted rows
    error: dict[str, Any] | None = None  # run --due: the run's refusal (code, exit code, message)
    exclusions: str | None = None  # run --due: the 異動 file applied (path from the site folder), if any
    refusal: HandoffError | None = None  # the same refusal, which the command ends with

    def to_json(self, now: dt.datetime) -> dict[str, Any]:
        c = self.cycle
        return {
            "programme": self.programme, "cycle": c.id, "label": c.label, "mailing": c.mailing.isoformat(),
            "export_due": c.lead.isoformat(), "opens": c.opens.isoformat(), "assumed": c.assumed,
            "status": self.status, "job": self.job, "inbox": self.inbox,
            "export": self.export.to_json(now) if self.export else None, "candidates": self.candidates,
            "blockers": [b.to_json() for b in self.blockers], "warnings": [w.to_json() for w in self.warnings],
            "rows_excepted": self.rows_excepted, "error": self.error, "exclusions": self.exclusions,
        }


def due_on(site: SiteConfig, specs: list[ProgramSpec], now: dt.datetime) -> list[DueItem]:
    """Every cycle of every programme with a calendar whose window holds ``now``'s day, in programme order; then
    the cycles missed this fiscal year (:func:`owed` and neither made nor skipped)."""
    day = now.astimezone(TOKYO).date()
    items = []
    for spec in specs:
        cal = spec.calendar
        if cal is None:
            continue
        for cycle in cal.due_on(day):
            items.append(_item(site, spec, cal, cycle, now))
    from handoff.ledger import cycles
    from handoff.pipeline.ledger_view import began, read_only

    with read_only(site) as store:  # looked at once for every cycle: due makes nothing
        since = began(store)
        for spec in specs:
            cal = spec.calendar
            if cal is None:
                continue
            for cycle in owed(cal, day, since):
                if cycles.holder(store, spec.id, cycle.id) is None and cycles.skipped(store, spec.id, cycle.id) is None:
                    items.append(DueItem(spec.id, spec.title, cycle, cal.inbox, MISSED))
    return items


def owed(cal: Calendar, day: dt.date, since: dt.date) -> list[Cycle]:
    """This fiscal year's cycles whose mailing day is before ``day``, among those whose window opened after the
    ledger began (``since``: a new site owes nothing from before it existed). Each one no job made and no skip
    stands for is missed: said every day until the fiscal year ends, a late ``run --cycle`` makes it, or a
    supervisor records the decision not to make it (``handoff schedule skip``). It changes no exit code, since
    nothing run today can undo it."""
    from handoff.calendar_spec import fiscal_year

    return [c for c in cal.cycles_of(fiscal_year(day)) if since <= c.opens and c.mailing < day]


def _item(site: SiteConfig, spec: ProgramSpec, cal: Calendar, cycle: Cycle, now: dt.datetime) -> DueItem:
    from handoff.ledger.service import cycle_holder, cycle_skipped

    day = now.astimezone(TOKYO).date()
    item = DueItem(spec.id, spec.title, cycle, cal.inbox, WAITING)
    item.blockers, item.warnings = notes(site, spec, cal, cycle, day)
    if cycle.assumed:
        item.warnings.append(Note("schedule.cycle_assumed", {"cycle": cycle.id}))
    previous = cal.previous(cycle)
    if previous is not None:
        out = items_out(site, spec.id, previous.id)
        if out:
            item.blockers.append(Note("schedule.previous_out", {"cycle": previous.id, "job": out[0],
                                                                 "items": "、".join(out[1])}))
    item.job = cycle_holder(site, spec.id, cycle.id)
    found = arrived(site, cal, cycle)
    item.candidates = len(found)
    item.export = found[-1] if found else None
    if item.job is not None:
        item.status = DONE
    elif cycle_skipped(site, spec.id, cycle.id) is not None:
        item.status = SKIPPED
    elif item.blockers:
        item.status = BLOCKED
    elif len(found) > 1:
        item.status = AMBIGUOUS
    elif found:
        item.status = READY
    elif cycle.late_on(day):
        item.status = MISSING
    return item


def notes(site: SiteConfig, spec: ProgramSpec, cal: Calendar, cycle: Cycle, day: dt.date,
          ) -> tuple[list[Note], list[Note]]:
    """The blockers and warnings of ``spec``'s ``cycle`` on ``day``: contracts and certifications."""
    vendor = site.vendor(spec.vendor)
    blockers: list[Note] = []
    warnings: list[Note] = []
    periods = [("schedule.programme_contract", spec.id, cal.contract_start, cal.contract_end),
               ("schedule.vendor_contract", vendor.id, vendor.contract_start, vendor.contract_end)]
    for code, whose, start, end in periods:
        params = {"who": whose, "start": _d(start), "end": _d(end), "cycle": cycle.id, "mailing": _d(cycle.mailing)}
        if end is not None and end < day:
            blockers.append(Note(f"{code}_expired", params))
        elif start is not None and day < start:
            blockers.append(Note(f"{code}_not_started", params))
        elif not _within(start, end, cycle.mailing):
            blockers.append(Note(f"{code}_outside", params))
        elif end is not None and (end - day).days <= cal.warn_days:
            warnings.append(Note(f"{code}_ending", {**params, "days": str((end - day).days)}))
    valid = 0
    for cert in vendor.certifications:
        params = {"vendor": vendor.id, "kind": cert.kind, "number": cert.number, "expires": _d(cert.expires)}
        if cert.expires < day:
            blockers.append(Note("schedule.certification_expired", params))
            continue
        valid += 1
        if (cert.expires - day).days <= cal.warn_days or cert.expires < cycle.mailing:
            warnings.append(Note("schedule.certification_ending", {**params, "days": str((cert.expires - day).days)}))
    if vendor.require_certification and not valid:
        blockers.append(Note("schedule.certification_missing", {"vendor": vendor.id}))
    return blockers, warnings


def _within(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def calendar_warnings(site: SiteConfig, spec: ProgramSpec, fiscal_year: int) -> list[Note]:
    """What ``programmes show`` says of a fiscal year's cycles: each mailing outside the programme's or the
    vendor's contract period (the run --due of that cycle will be blocked unless the period is corrected)."""
    cal = spec.calendar
    if cal is None:
        return []
    vendor = site.vendor(spec.vendor)
    found = []
    for cycle in cal.cycles_of(fiscal_year):
        params = {"cycle": cycle.id, "mailing": _d(cycle.mailing), "cycle_label": cycle.label}
        if not cal.in_contract(cycle.mailing) or not _within(cal.contract_start, cal.contract_end, cycle.opens):
            found.append(Note("schedule.show_outside_programme", {
                **params, "start": _d(cal.contract_start), "end": _d(cal.contract_end)}))
        if not _within(vendor.contract_start, vendor.contract_end, cycle.mailing):
            found.append(Note("schedule.show_outside_vendor", {
                **params, "vendor": vendor.id, "start": _d(vendor.contract_start), "end": _d(vendor.contract_end)}))
    return found


def arrived(site: SiteConfig, cal: Calendar, cycle: Cycle) -> list[Export]:
    """The regular files matching the inbox glob that arrived on or after the cycle's opening day, oldest first.
    A symbolic link counts only where the site allows links for ``--input`` (``[input] follow_symlinks``)."""
    opened = dt.datetime.combine(cycle.opens, dt.time(), TOKYO)
    found = []
    for path in sorted(site.home.glob(cal.inbox)):
        try:
            st = path.stat() if site.input.follow_symlinks else path.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        modified = dt.datetime.fromtimestamp(st.st_mtime, TOKYO)
        if modified >= opened:
            found.append(Export(path, path.relative_to(site.home).as_posix(), st.st_size, modified))
    return sorted(found, key=lambda e: e.modified)


def items_out(site: SiteConfig, programme: str, cycle: str) -> tuple[str, list[str]] | None:
    """The job holding ``programme``'s ``cycle`` and its media, notices and paper handed over and not back."""
    from handoff.ledger import rules
    from handoff.ledger.service import Ledger, cycle_holder

    job = cycle_holder(site, programme, cycle)
    if job is None:
        return None
    with Ledger.open(site) as ledger:
        state = rules.replay(list(ledger.entries(job=job)))
    out = sorted(item for item, st in state.items.items() if st.state == "out")
    return (job, out) if out else None
