"""``handoff check``, and the first half of ``handoff run``: extract, the check steps, the run report.

Conservation is checked at the end of every check: ``rows read = rows selected + rows not selected + rows
excepted``.

A programme whose approved items include assumed ones (``assumed = true``) is checked all the same, but its report
says which of them the site has not confirmed (``approval``, and a warning finding): ``run`` refuses it until
``site.toml`` carries a ``[[confirmations]]`` entry for them (:func:`approval_of`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd

from handoff.config import Confirmation, SiteConfig
from handoff.contract import TOKYO, StageContext
from handoff.errors import ConfigError, HandoffError
from handoff.pipeline.sequence import CHECK_STEPS, SOURCE, Flow, Progress, advance
from handoff.programme import ProgramSpec
from handoff.report import Finding, RunReport


class ConservationError(HandoffError):
    """Rows were lost or invented between stages — a bug; the run is not trusted."""


UNCONFIRMED = "approval.unconfirmed"  # the warning finding of a check or proof of an unconfirmed programme


@dataclass(frozen=True)
class Approval:
    """The assumed items of a programme in force on a day, and what the site has confirmed of them."""

    programme: str
    assumed: list[str]  # assumed item names in force, in the approved order
    unconfirmed: list[str]  # of those, the ones no confirmation (dated on or before the day) covers
    confirmations: list[Confirmation]  # the confirmations that count, in site.toml's order

    @property
    def confirmed(self) -> bool:
        return not self.unconfirmed

    def to_json(self) -> dict[str, object]:
        return {"assumed_items": self.assumed, "unconfirmed_items": self.unconfirmed, "confirmed": self.confirmed,
                "confirmations": [{"reference": c.reference, "date": c.date.isoformat(),
                                   "confirmed_by": c.confirmed_by, "example": c.example}
                                  for c in self.confirmations]}


def approval_of(spec: ProgramSpec, site: SiteConfig, day: dt.date) -> Approval:
    """Which of ``spec``'s assumed items in force on ``day`` the site has confirmed. A confirmation naming a
    programme the site does not have, or an item the programme does not assume, is a ConfigError (a typo must
    not pass for a confirmation)."""
    from handoff.config import SITE_FILE

    path = str(site.home / SITE_FILE)
    known = _programme_ids(site)
    for i, c in enumerate(site.confirmations):
        if c.programme not in known:
            raise ConfigError("config.invalid", path=path, key=f"confirmations.{i}.programme",
                              rule="unknown_programme")
    every_assumed = [i.item for i in spec.approved if i.assumed]
    assumed = [i.item for i in spec.approved if i.assumed and i.approved_on(day)]
    counted: list[Confirmation] = []
    covered: set[str] = set()
    for i, c in enumerate(site.confirmations):
        if c.programme != spec.id:
            continue
        if not set(c.items) <= set(every_assumed):
            raise ConfigError("config.invalid", path=path, key=f"confirmations.{i}.items",
                              rule="item_not_assumed_by_programme")
        if c.date <= day:  # a confirmation counts from the day it was made
            counted.append(c)
            covered.update(c.items or every_assumed)
    return Approval(spec.id, assumed, [a for a in assumed if a not in covered],
                    [c for c in counted if not c.items or set(c.items) & set(assumed)])


def _programme_ids(site: SiteConfig) -> set[str]:
    """The ids of the site's programme files, read without checking the files (another programme's broken file
    is that programme's error, reported when it is used)."""
    import tomllib

    from handoff.programme import programme_paths

    ids: set[str] = set()
    for p in programme_paths(site.pipelines_path):
        try:
            ids.add(str(tomllib.loads(p.read_text(encoding="utf-8")).get("id", "")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
    return ids


@dataclass
class CheckResult:
    report: RunReport
    findings: list[Finding]
    table: pd.DataFrame  # minimised, selected rows (in memory only — never written in plain text)


def context_for(spec: ProgramSpec, site: SiteConfig, job_id: str, now: dt.datetime | None = None
                ) -> StageContext:
    profile = site.profile_of(spec.vendor)
    if profile.inserter.job_code == "auto" and not spec.postcard:  # each job its own code (pipeline.job_codes)
        from handoff.pipeline.job_codes import next_code

        code = next_code(site, site.vendor(spec.vendor).id)
        profile = profile.model_copy(update={"inserter": profile.inserter.model_copy(update={"job_code": code})})
    return StageContext(job_id=job_id, site=site, profile=profile, now=now or dt.datetime.now(TOKYO))


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
    if "rows_excluded" in stats:  # 異動: the rows not selected because a change names them, by reason
        report.extra["rows_excluded"] = dict(cast(dict[str, int], stats["rows_excluded"]))
    approval = approval_of(spec, ctx.site, ctx.today)
    if approval.assumed:
        report.extra["approval"] = approval.to_json()
    if not approval.confirmed:
        # A warning line in the summary: the check stands, but run will refuse until the site confirms.
        report.findings[UNCONFIRMED] = len(approval.unconfirmed)
        report.findings_by_field[UNCONFIRMED] = {"": len(approval.unconfirmed)}
        report.severities[UNCONFIRMED] = "warning"
    if not report.conserved:
        raise ConservationError("run.conservation", read=report.rows_read)
    return report


def _count(stats: dict[str, object], name: str) -> int:
    return int(cast(int, stats[name]))  # the stages set their counts as int


def dry_run(path: Path, spec: ProgramSpec, site: SiteConfig, prefix: str, progress: Progress | None = None,
            exclusions: Path | None = None) -> tuple[CheckResult, StageContext, Path]:
    """``check`` and ``proof``: run the checks under a fresh id and make its owner-only ``internal/`` folder.

    Every level is 0700, not only the leaf: what lands there names rows of a real export. An exclusion file is
    applied as ``run`` applies it (the cutoff is the day of the check: a check has no cycle).
    """
    from handoff.fs import make_dir, new_job_id

    now = dt.datetime.now(TOKYO)
    job_id = f"{prefix}-{new_job_id(spec.id, now)}"
    ctx = context_for(spec, site, job_id, now)
    excluded = None
    if exclusions is not None:
        from handoff.pipeline.exclusions import read_exclusions

        excluded = read_exclusions(exclusions, spec, ctx, ctx.today)
        ctx = dataclasses.replace(ctx, excluded=excluded.keys)
    result = check(path, spec, ctx, progress=progress)
    if excluded is not None:
        result.report.extra["exclusions"] = excluded.summary()
    internal = make_dir(make_dir(make_dir(site.data_path / "checks") / job_id) / "internal")
    return result, ctx, internal
