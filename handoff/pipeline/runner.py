"""The only sequencer: runs the stages in order, keeps the books, enforces conservation.

``rows read = rows selected + rows not selected + rows excepted`` is checked at the end of every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from handoff.config import SiteConfig
from handoff.contract import ROW, TOKYO, StageContext
from handoff.errors import HandoffError
from handoff.kernels.rows import take_rows
from handoff.programme import ProgramSpec
from handoff.report import Finding, RunReport

Progress = Callable[[str], None]
CHECK_STAGES = ["extract", "validate", "select", "minimise"]


class ConservationError(HandoffError):
    """Rows were lost or invented between stages — a bug; the run is not trusted."""


@dataclass
class CheckResult:
    report: RunReport
    findings: list[Finding]
    table: pd.DataFrame  # minimised, selected rows (in memory only — never written in plain text)
    excepted_rows: set[int] = field(default_factory=set)


def context_for(spec: ProgramSpec, site: SiteConfig, job_id: str, now: dt.datetime | None = None
                ) -> StageContext:
    return StageContext(job_id=job_id, site=site, profile=site.profile_of(spec.vendor),
                        now=now or dt.datetime.now(TOKYO))


def check(path: Path, spec: ProgramSpec, ctx: StageContext, progress: Progress | None = None) -> CheckResult:
    """extract → validate → (exceptions) → select → minimise. Writes nothing."""
    from handoff.stages import extract, minimise, select, validate

    step = progress or (lambda _name: None)
    # Each table is dropped as soon as the next stage has made its own: the values validation replaced, and
    # the rows and columns selection left behind, are freed before the next stage allocates. Fresh memory is
    # costly (on the benchmark machine, a 1,000,000-row check spent about 2 s having its memory first
    # touched), and this keeps the peak lower.
    table = extract.run(path, spec, ctx).table
    step("extract")
    validated = validate.run(table, spec, ctx)
    findings = validated.findings
    table = validated.table
    del validated
    step("validate")
    bad_rows = {f.row for f in findings if f.blocks_row}
    clean = ~table[ROW].isin(bad_rows).to_numpy(dtype=bool)
    # The rule is evaluated on every row and counts only on clean ones; the rows that go on are then
    # gathered once, and only the columns minimise reads (the other source columns never leave this stage).
    keep, reference_date = select.chosen(table, spec, ctx)
    rows_read = len(table)
    selected = take_rows(table[[*spec.approved_fields, ROW]], np.flatnonzero(clean & keep))
    del table
    step("select")
    minimised = minimise.run(selected, spec, ctx)
    del selected
    step("minimise")

    report = RunReport(programme=spec.id, job_id=ctx.job_id)
    report.rows_read = rows_read
    report.rows_excepted = len(bad_rows)
    report.rows_selected = len(minimised.table)
    report.rows_not_selected = int((clean & ~keep).sum())
    report.count_findings(findings)
    from handoff.stages.validate import SEVERITY

    report.severities = {code: SEVERITY.get(code, "error") for code in report.findings}
    report.charset_classes = {c: n for c, n in report.findings.items() if c.startswith("charset.")}
    report.substitutions = minimised.stats["substitutions"]  # type: ignore[assignment]
    report.approved_items = [i.item for i in spec.approved]
    report.output_fields = spec.output_fields
    report.extra["reference_date"] = reference_date.isoformat()
    if not report.conserved:
        raise ConservationError("run.conservation", read=report.rows_read)
    return CheckResult(report, findings, minimised.table, bad_rows)


def dry_run(path: Path, spec: ProgramSpec, site: SiteConfig, prefix: str, progress: Progress | None = None
            ) -> tuple[CheckResult, StageContext, Path]:
    """``check`` and ``proof``: run the checks under a fresh id and make its owner-only ``internal/`` folder.

    Every level is 0700, not only the leaf: what lands there names rows of a real export.
    """
    from handoff.fs import make_dir, new_job_id

    now = dt.datetime.now(TOKYO)
    job_id = f"{prefix}-{new_job_id(spec.id, now)}"
    ctx = context_for(spec, site, job_id, now)
    result = check(path, spec, ctx, progress=progress)
    internal = make_dir(make_dir(make_dir(site.data_path / "checks") / job_id) / "internal")
    return result, ctx, internal
