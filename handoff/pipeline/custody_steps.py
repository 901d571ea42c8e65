"""The physical steps after a run — burning a disc, printing the password notice — wired to the ledger.

Before anything physical happens, the ledger is checked: site initialised, staff registered with a role that
may record the step, job prepared, item not yet recorded. Once a disc or a sheet of paper exists, an entry
refused by the custody rules would leave it untracked. After the step, ``medium.written`` / ``notice.printed``
is recorded, and the checkpoint that includes it goes on the disc label. A step whose entry was lost (crash,
database unavailable) is recorded by the next call from what the step left behind (the medium's status file,
the notice's print marker), never repeated. Only a finished job (``internal/job.json``) is burned, and nothing
of a job the ledger holds as abandoned; a burn that was cut off (the medium still ``burning``) is recorded as a
failed write, its disc to be destroyed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.errors import CustodyError, HandoffError, StateError

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.fs import JobDir
    from handoff.ledger.events import Entry
    from handoff.media.status import MediumStatus

NO_DISC = "media.image_changed"  # burn() refused before touching the disc: there is no disc to record
Unrecorded = Callable[[str], None]  # told the error code when a step happened but its entry could not be written


@dataclass(frozen=True)
class Recorded:
    """A ledger entry for a physical step, with the checkpoint that includes it."""

    item: str
    seq: int
    checkpoint: str
    verified: bool = True
    label: Path | None = None  # the disc label, for a verified medium


def ledger_ready(site: SiteConfig, staff: str, job: str, event: str) -> set[str]:
    """Refuse before the physical step when the ledger could not record it; return the job's items already
    recorded with ``event`` (``medium.written`` or ``notice.printed``)."""
    from handoff.ledger.paths import LedgerPaths
    from handoff.ledger.rules import require_role
    from handoff.ledger.service import Ledger

    paths = LedgerPaths.of(site)
    if not paths.signer.exists():
        # Without this, Ledger.open would fail on the missing key file, which does not say what to do.
        raise StateError("ledger.not_initialised", location=str(paths.root))
    require_role(site, staff, event)  # an auditor's burn or print is refused before xorriso or lp runs
    with Ledger.open(site) as ledger:
        entries = list(ledger.entries(job=job))
    if not any(e.type == "job.prepared" for e in entries):
        raise CustodyError("custody.job_not_prepared", job=job, event=event)
    if any(e.type == "job.abandoned" for e in entries):  # refused before the disc or the paper exists
        raise CustodyError("custody.job_abandoned", job=job, event=event)
    return {e.item for e in entries if e.type == event and e.item}


# --- media ------------------------------------------------------------------------------------------------


def disc_exists(status: MediumStatus) -> bool:
    """Whether burn() got as far as the drive for this medium (its status names the device it used)."""
    return status.state in ("verified", "unusable") and "device" in status.details \
        and status.details.get("reason") != NO_DISC


def record_written(site: SiteConfig, staff: str, jobdir: JobDir, status: MediumStatus) -> Recorded:
    """``medium.written`` from the medium's status file (hashes, drive, tool, media type as burn() found them);
    for a verified disc also the label with the checkpoint that includes the entry, so the paper in the disc
    case witnesses the ledger."""
    from handoff.ledger import service
    from handoff.ledger.events import TOKYO
    from handoff.package.label import LabelInfo, write_label

    d = status.details
    verified = status.state == "verified"  # an unusable disc failed a read-back at some point: never handed over
    entry = service.medium_written(
        site, staff, job=jobdir.job_id, medium=status.medium_id, iso_sha256=str(d["image_sha256"]),
        verified=verified, readback_sha256=str(d["readback_sha256"]) if verified else None,
        drive=str(d.get("device") or "") or None, tool=str(d.get("tool") or "") or None,
        media_type=str(d.get("media_type") or "") or None)
    checkpoint = service.current_checkpoint(site)
    label = None
    if verified:
        index, count = int(d.get("index", 1)), int(d.get("count", 1))
        info = LabelInfo(jobdir.job_id, status.medium_id, index, count, dt.datetime.now(TOKYO).date(),
                         checkpoint=checkpoint.short, checkpoint_note=checkpoint.note)
        label = write_label(jobdir, info)
    return Recorded(status.medium_id, entry.seq, checkpoint.short, verified, label)


@dataclass
class BurnPlan:
    """The media still to burn, and the burns recorded now because their entry had been lost."""

    todo: list[MediumStatus]
    caught_up: list[Recorded] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)  # media whose burn was cut off (now failed writes)


def plan_burn(site: SiteConfig, staff: str, jobdir: JobDir, medium: str | None = None) -> BurnPlan:
    """Check the ledger, record lost burns, and list what to burn; refuses when there is nothing to do."""
    from handoff.media.burn import settle_interrupted
    from handoff.media.status import list_media
    from handoff.pipeline.recover import require_finished

    require_finished(jobdir)
    interrupted = [m.medium_id for m in settle_interrupted(jobdir)]
    media = list_media(jobdir)
    if medium is not None:
        media = [m for m in media if m.medium_id == medium]
        if not media:
            raise StateError("media.unknown_medium", medium=medium)
    recorded = ledger_ready(site, staff, jobdir.job_id, "medium.written")
    # A disc burned while the ledger write then failed can never be burned again (its status moved on), so
    # it is recorded here from its status file instead of staying untracked.
    caught_up = [record_written(site, staff, jobdir, m)
                 for m in media if m.medium_id not in recorded and disc_exists(m)]
    todo = [m for m in media if m.state == "written"]
    if clash := [m.medium_id for m in todo if m.medium_id in recorded]:
        raise CustodyError("custody.item_exists", item=clash[0])
    if not todo and not caught_up:
        if medium is None:
            raise StateError("media.nothing_to_burn", job=jobdir.job_id)
        raise StateError(f"media.state_{media[0].state}", medium=medium)
    return BurnPlan(todo, caught_up, interrupted)


@dataclass(frozen=True)
class BurnOutcome:
    """One medium's burn: its entry, or the burn's error with the entry of the failed disc (which must be
    destroyed) or the code of the ledger error that kept it from being recorded (the next plan_burn does)."""

    recorded: Recorded | None
    error: HandoffError | None = None
    unrecorded: str = ""


def burn_and_record(site: SiteConfig, staff: str, jobdir: JobDir, medium_id: str, device: str,
                    progress: Callable[[str, float], None] | None = None) -> BurnOutcome:
    """Burn and verify one medium, then record it; a failed burn that reached the disc is recorded too."""
    from handoff.log import get_logger
    from handoff.media.burn import burn
    from handoff.media.status import medium_status

    try:
        result = burn(jobdir, medium_id, device, progress)
    except HandoffError as exc:
        get_logger(job=jobdir.job_id).warning("medium.burn_failed", medium=medium_id, code=exc.code)
        status = medium_status(jobdir, medium_id)
        if not disc_exists(status):
            return BurnOutcome(None, error=exc)
        try:
            return BurnOutcome(record_written(site, staff, jobdir, status), error=exc)
        except HandoffError as ledger_exc:
            return BurnOutcome(None, error=exc, unrecorded=ledger_exc.code)
    recorded = record_written(site, staff, jobdir, medium_status(jobdir, medium_id))
    get_logger(job=jobdir.job_id).info("medium.burned", medium=medium_id, image_sha256=result.image_sha256,
                                       device=device, tool=result.tool)
    return BurnOutcome(recorded)


# --- the password notice ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeOutcome:
    recorded: Recorded
    caught_up: bool = False  # printed earlier; only the entry was written now
    exported: Path | None = None  # --to-file
    request: str = ""  # lp's request line


def print_and_record(site: SiteConfig, staff: str, jobdir: JobDir, to_file: Path | None,
                     on_unrecorded: Unrecorded) -> NoticeOutcome:
    """Print the notice with ``lp`` (or save it to ``to_file``), delete it, record ``notice.printed``.

    A print whose entry was lost is recorded from its marker without printing again (the password is never
    printed twice). If the entry cannot be written after printing, ``on_unrecorded`` is told and the error
    raised; the next call records it.
    """
    from handoff.ledger import service
    from handoff.log import get_logger
    from handoff.package import notice_id
    from handoff.package.notice_print import (
        clear_pending,
        existing_notice,
        export_notice,
        pending_print,
        print_notice,
    )

    job = jobdir.job_id
    notice = notice_id(job)
    pending = pending_print(jobdir)
    if pending is not None:
        recorded_before = notice in ledger_ready(site, staff, job, "notice.printed")
        if not recorded_before:
            entry = service.notice_printed(site, staff, job=job, notice=notice, printer=str(pending["printer"]))
        clear_pending(jobdir)
        if recorded_before:
            raise CustodyError("custody.item_exists", item=notice)
        return NoticeOutcome(Recorded(notice, entry.seq, service.current_checkpoint(site).short), caught_up=True)
    existing_notice(jobdir)  # a missing file is the clearer refusal; check it before the ledger
    if notice in ledger_ready(site, staff, job, "notice.printed"):
        raise CustodyError("custody.item_exists", item=notice)
    exported, request = None, ""
    if to_file is not None:
        exported, printer = export_notice(jobdir, to_file), "file"
        get_logger(job=job).info("notice.exported")
    else:
        request, printer = print_notice(jobdir, site.printer), site.printer or "default"
        get_logger(job=job).info("notice.printed", printer=printer)
    try:
        entry = service.notice_printed(site, staff, job=job, notice=notice, printer=printer)
    except HandoffError as exc:
        on_unrecorded(exc.code)  # the paper exists now; the marker lets the next call record it
        raise
    clear_pending(jobdir)
    return NoticeOutcome(Recorded(notice, entry.seq, service.current_checkpoint(site).short),
                         exported=exported, request=request)


# --- paper other than the password notice (printed proofs, lists) ------------------------------------------


def next_paper_id(site: SiteConfig, job: str) -> str:
    """``<job>-P<n>``, one past the highest paper number the job has in the ledger (the rules refuse an id that
    is taken meanwhile, so two operators registering at once never share one)."""
    from handoff.ledger.service import Ledger

    pattern = re.compile(re.escape(job) + r"-P(\d+)")
    with Ledger.open(site) as ledger:
        numbers = [int(m.group(1)) for e in ledger.entries(job=job)
                   if e.type == "paper.registered" and (m := pattern.fullmatch(e.item or ""))]
    return f"{job}-P{max(numbers, default=0) + 1}"


def register_paper(site: SiteConfig, staff: str, *, job: str, paper: str, kind: str, pages: int,
                   note: str | None = None) -> tuple[Entry, str]:
    """``paper.registered`` for paper going to the vendor with ``job``; the entry and the checkpoint's short form.
    The rules refuse an unknown kind, no pages, a job not prepared or abandoned, and an id already used."""
    from handoff.ledger.service import Ledger

    payload: dict[str, object] = {"kind": kind, "pages": pages}
    if note:
        payload["note"] = note
    with Ledger.open(site) as ledger:
        entry = ledger.record("paper.registered", {"job": job, "paper": paper}, payload, staff)
        return entry, ledger.last_checkpoint.short
