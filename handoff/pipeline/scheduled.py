"""``handoff run --due``: run every due cycle whose export has arrived, once per cycle, as the service account.

Safe to call every day (a timer does): a cycle the ledger already holds is left alone and said so. One
``run --due`` at a time per site: the call takes ``<data>/locks/run-due.lock`` without waiting, and a second call
while the first runs makes nothing and says another is running (exit 0; the first one does the work). Every
blocker of every due cycle is settled before the first run starts, so a blocked cycle never leaves a file.

The outcome is one JSON summary (ids, dates, counts, file names and sizes: no value from an export), printed with
``--json``, appended to ``<data>/logs/due-YYYYMMDD.json``, and logged as structlog lines. Exit code: the first run
refusal's own code, else 6 when a cycle is blocked, else 9 when an inbox holds more than one file for a cycle,
else 12 when an export is late, else 1 when a run excepted rows, else 0.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.config import SiteConfig
from handoff.contract import TOKYO
from handoff.errors import (
    ConfigError,
    CustodyError,
    ExitCode,
    HandoffError,
    NotArrivedError,
    StateError,
    WriteError,
    find_write_error,
)
from handoff.fs import JobDir, make_dir, write_atomic
from handoff.pipeline.due import AMBIGUOUS, BLOCKED, DONE, FAILED, MISSING, RAN, READY, DueItem, Export, due_on
from handoff.programme import ProgramSpec

if TYPE_CHECKING:
    from handoff.ledger.events import Entry

LOCK = "run-due.lock"


@dataclass
class DueRun:
    """What one ``run --due`` did: each due cycle with its status, and the exit code of the whole call."""

    now: dt.datetime
    staff: str
    items: list[DueItem] = field(default_factory=list)
    busy: bool = False  # another run --due held the site's lock: nothing was done
    summary_path: Path | None = None

    @property
    def failure(self) -> HandoffError | None:
        """The refusal the command ends with (its exit code and message), by the order in the module doc."""
        for item in self.items:
            if item.status == FAILED and item.refusal is not None:
                return item.refusal
        for status, make in ((BLOCKED, _blocked), (AMBIGUOUS, _ambiguous), (MISSING, _missing)):
            first = next((i for i in self.items if i.status == status), None)
            if first is not None:
                return make(first)
        return None

    @property
    def exit_code(self) -> int:
        failure = self.failure
        if failure is not None:
            return int(failure.exit_code)
        if any(i.status == RAN and i.rows_excepted for i in self.items):
            return int(ExitCode.FINDINGS)
        return int(ExitCode.OK)

    def to_json(self) -> dict[str, Any]:
        return {"date": self.now.date().isoformat(), "time": self.now.isoformat(timespec="seconds"),
                "staff": self.staff, "busy": self.busy, "exit_code": self.exit_code,
                "items": [i.to_json(self.now) for i in self.items]}


def _blocked(item: DueItem) -> HandoffError:
    return CustodyError("schedule.blocked", programme=item.programme, cycle=item.cycle.id,
                        reason=item.blockers[0].to_json()["message"])


def _ambiguous(item: DueItem) -> HandoffError:
    return StateError("schedule.inbox_ambiguous", programme=item.programme, cycle=item.cycle.id, inbox=item.inbox,
                      count=item.candidates)


def _missing(item: DueItem) -> HandoffError:
    return NotArrivedError("schedule.export_missing", programme=item.programme, cycle=item.cycle.id,
                           inbox=item.inbox, due=item.cycle.lead.isoformat())


def batch_staff(site: SiteConfig) -> str:
    """The site's service account: the one staff entry with role ``batch``; ConfigError when none or several."""
    found = [s.id for s in site.staff if s.role == "batch"]
    if len(found) != 1:
        raise ConfigError("schedule.batch_staff", count=len(found), found="、".join(found) or "—")
    return found[0]


def run_due(site: SiteConfig, specs: list[ProgramSpec], *, staff: str = "", now: dt.datetime | None = None,
            lang: str = "ja") -> DueRun:
    """Run each due cycle whose export arrived, under the site's run --due lock; write the summary."""
    from handoff.ledger.rules import require_role
    from handoff.log import get_logger

    now = (now or dt.datetime.now(TOKYO)).astimezone(TOKYO)
    staff = staff or batch_staff(site)
    if site.staff_member(staff) is None:
        raise CustodyError("custody.unknown_staff", staff=staff)
    require_role(site, staff, "job.prepared")  # an auditor's run --due makes nothing
    log = get_logger(staff=staff, day=now.date().isoformat())
    result = DueRun(now, staff)
    locks = make_dir(site.data_path / "locks")
    fd = JobDir.try_lock(locks / LOCK)
    if fd is None:
        result.busy = True
        log.info("due.busy")
        return result
    try:
        from handoff.pipeline.recover import sweep

        sweep(site, staff)  # an interrupted run's job is abandoned first, so its cycle is free again
        result.items = due_on(site, specs, now)
        by_id = {s.id: s for s in specs}
        for item in result.items:  # every blocker is known before anything is made
            if item.status == READY and item.export is not None:
                _run_one(site, by_id[item.programme], item, item.export, staff, now, lang)
            log.info("due.cycle", programme=item.programme, cycle=item.cycle.id, status=item.status, job=item.job,
                     blockers=[b.code for b in item.blockers], rows_excepted=item.rows_excepted,
                     error=item.error["code"] if item.error else None)
        result.summary_path = _write_summary(site, result)
    finally:
        os.close(fd)
    log.info("due.done", exit_code=result.exit_code, items=len(result.items),
             ran=sum(i.status == RAN for i in result.items))
    return result


def _run_one(site: SiteConfig, spec: ProgramSpec, item: DueItem, export: Export, staff: str, now: dt.datetime,
             lang: str) -> None:
    """One cycle's run with its export; a refusal is kept on the item and the other cycles go on."""
    from handoff.pipeline.run import run_job
    from handoff.stages.extract.read_ahead import start

    try:
        exclusions = exclusion_file(site, spec, item)
        start(export.path, spec.source)
        job = run_job(export.path, spec, site, staff=staff, cycle=item.cycle.id, lang=lang, now=now,
                      exclusions=exclusions)
    except HandoffError as exc:
        if exc.code == "run.cycle_done":  # a person's run made it a moment ago
            item.status, item.job = DONE, str(exc.params.get("job"))
            return
        item.status, item.refusal = FAILED, exc
        item.error = {"code": exc.code, "exit_code": int(exc.exit_code), "message": exc.message()}
        return
    item.status, item.job, item.rows_excepted = RAN, job.job_id, job.report.rows_excepted


def skip_cycle(site: SiteConfig, spec: ProgramSpec, cycle: str, reason: str, staff: str,
               today: dt.date) -> Entry:
    """Record the ward's decision not to make ``spec``'s mailing ``cycle`` (``cycle.skipped``, a supervisor's, with
    the reason): a cycle the calendar does not have is refused (exit 4), a blank reason too; the ledger refuses a
    cycle already made or already skipped (exit 9)."""
    from handoff.errors import InputError
    from handoff.ledger.service import record

    if spec.calendar is None:
        raise ConfigError("schedule.no_calendar", programme=spec.id)
    spec.calendar.require_cycle(spec.id, cycle, today)
    if not reason.strip():
        raise InputError("schedule.skip_reason")
    return record(site, "cycle.skipped", {"programme": spec.id}, {"cycle": cycle, "reason": reason.strip()}, staff)


def exclusion_file(site: SiteConfig, spec: ProgramSpec, item: DueItem) -> Path | None:
    """The 異動 file of this cycle: the one file in ``[exclusions] inbox`` that arrived in the cycle's window (as
    an export does); none arrived, the run has no changes to leave out; more than one, which to apply is not
    guessed and the cycle is refused (exit 9)."""
    from handoff.errors import StateError
    from handoff.pipeline.due import arrived

    if spec.exclusions is None or not spec.exclusions.inbox or spec.calendar is None:
        return None
    found = arrived(site, spec.calendar.model_copy(update={"inbox": spec.exclusions.inbox}), item.cycle)
    if len(found) > 1:
        raise StateError("exclusions.ambiguous", programme=spec.id, cycle=item.cycle.id, count=len(found),
                         inbox=spec.exclusions.inbox)
    if not found:
        return None
    item.exclusions = found[0].relative
    return found[0].path


def _write_summary(site: SiteConfig, result: DueRun) -> Path:
    """Append this call's summary to the day's file (``<data>/logs/due-YYYYMMDD.json``, a JSON list)."""
    path = site.data_path / "logs" / f"due-{result.now:%Y%m%d}.json"
    try:
        make_dir(path.parent)
        calls: list[Any] = []
        if path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                calls = loaded if isinstance(loaded, list) else []
            except ValueError:
                calls = []
        calls.append(result.to_json())
        write_atomic(path, json.dumps(calls, ensure_ascii=False, indent=2).encode())
    except OSError as exc:
        raise find_write_error(exc, path.parent) or WriteError(
            "system.no_permission", folder=str(path.parent), reason="OSError") from exc
    return path
