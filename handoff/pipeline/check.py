"""``handoff check``, and the first half of ``handoff run``: extract, the check steps, the run report.

Conservation is checked at the end of every check: ``rows read = rows selected + rows not selected + rows
excepted``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd

from handoff.config import SiteConfig
from handoff.contract import TOKYO, StageContext
from handoff.errors import HandoffError
from handoff.pipeline.sequence import CHECK_STEPS, SOURCE, Flow, Progress, advance
from handoff.programme import ProgramSpec
from handoff.report import Finding, RunReport


class ConservationError(HandoffError):
    """Rows were lost or invented between stages — a bug; the run is not trusted."""


@dataclass
class CheckResult:
    report: RunReport
    findings: list[Finding]
    table: pd.DataFrame  # minimised, selected rows (in memory only — never written in plain text)


def context_for(spec: ProgramSpec, site: SiteConfig, job_id: str, now: dt.datetime | None = None
                ) -> StageContext:
    return StageContext(job_id=job_id, site=site, profile=site.profile_of(spec.vendor),
                        now=now or dt.datetime.now(TOKYO))


def check_flow(path: Path, spec: ProgramSpec, ctx: StageContext, progress: Progress | None = None) -> Flow:
    """The source and the check steps: the minimised, selected rows, every finding, and the steps' counts."""
    from handoff.stages import extract

    source = extract.run(path, spec, ctx)
    flow = Flow(source.table, list(source.findings), dict(source.stats))
    del source
    if progress:
        progress(SOURCE)
    return advance(flow, CHECK_STEPS, spec, ctx, progress)


def check(path: Path, spec: ProgramSpec, ctx: StageContext, progress: Progress | None = None) -> CheckResult:
    """extract → validate → select → minimise, and the report. Writes nothing."""
    flow = check_flow(path, spec, ctx, progress)
    return CheckResult(check_report(flow, spec, ctx), flow.findings, flow.table)


def check_report(flow: Flow, spec: ProgramSpec, ctx: StageContext) -> RunReport:
    """The run report of a check (counts, findings by code and field, substitutions); refuses a lost row."""
    from handoff.stages.validate import SEVERITY

    stats = flow.stats
    report = RunReport(programme=spec.id, job_id=ctx.job_id)
    report.rows_read = _count(stats, "rows_read")
    report.rows_excepted = len(flow.excepted)
    report.rows_selected = len(flow.table)
    report.rows_not_selected = _count(stats, "rows_not_selected")
    report.count_findings(flow.findings)
    report.severities = {code: SEVERITY.get(code, "error") for code in report.findings}
    report.charset_classes = {c: n for c, n in report.findings.items() if c.startswith("charset.")}
    report.substitutions = dict(cast(dict[str, int], stats["substitutions"]))
    report.approved_items = spec.items_approved_on(ctx.today)
    report.output_fields = spec.output_fields
    report.extra["reference_date"] = str(stats["reference_date"])
    if not report.conserved:
        raise ConservationError("run.conservation", read=report.rows_read)
    return report


def _count(stats: dict[str, object], name: str) -> int:
    return int(cast(int, stats[name]))  # the stages set their counts as int


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
