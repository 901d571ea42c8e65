"""handoff for scripts: check an export, run a job, verify the ledger — the same calls the ``handoff`` command makes.

Each function takes the site folder (the one holding ``site.toml``; ``None`` uses ``HANDOFF_HOME`` or the built-in
example site), does its whole job, and returns a typed result that holds no personal data and no password.
Refusals raise ``handoff.errors.HandoffError`` (or a subclass): ``exc.code`` names the rule, ``exc.message()``
says it in Japanese (English with ``HANDOFF_LANG=en``), and ``exc.exit_code`` is the command's exit code.

    >>> from pathlib import Path
    >>> from handoff import api
    >>> checked = api.check("kodomo-iryosho", Path("export.csv"), site=Path("site"))   # doctest: +SKIP
    >>> checked.report.rows_excepted, checked.files["exceptions"]                      # doctest: +SKIP
    >>> job = api.run("kodomo-iryosho", Path("export.csv"), staff="S001", site=Path("site"))  # doctest: +SKIP
    >>> api.verify(Path("site")).entries                                                # doctest: +SKIP

The libraries a run needs (pandas, pyarrow, …) are loaded inside the calls, so importing this module is quick.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from handoff.config import SiteConfig
    from handoff.ledger.verify import VerifyReport
    from handoff.pipeline.due import DueItem
    from handoff.pipeline.pull import PullResult
    from handoff.pipeline.run import JobResult
    from handoff.pipeline.scheduled import DueRun
    from handoff.programme import ProgramSpec
    from handoff.report import RunReport

Progress = Callable[[str], None]  # called with each step's name when it has finished

__all__ = ["CheckResult", "DueItem", "DueRun", "JobResult", "PullResult", "VerifyReport", "check", "due", "pull",
           "run", "run_due", "verify"]


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found: the run report (counts, findings by code and field) and the in-house files."""

    job_id: str  # the check's own id (``check-…``), which names its folder under ``<data>/checks/``
    programme: ProgramSpec
    report: RunReport
    files: dict[str, Path]  # "exceptions" (CSV of rows to fix in the host system) and "report" (JSON)


def _load(site: SiteConfig | Path | None) -> SiteConfig:
    """The site: as given, or loaded from its folder (``None``: ``HANDOFF_HOME``, else the built-in example)."""
    from handoff.config import SiteConfig, load_site
    from handoff.log import configure

    cfg = site if isinstance(site, SiteConfig) else load_site(site)
    configure(cfg.data_path)
    return cfg


def _programme(site: SiteConfig, programme_id: str, input_file: Path) -> ProgramSpec:
    """The programme's spec; the export starts being read ahead while the run's libraries load."""
    from handoff.programme import find_programme
    from handoff.stages.extract.read_ahead import start

    spec = find_programme(site.pipelines_path, programme_id)
    start(input_file, spec.source)
    return spec


def check(programme_id: str, input_file: Path, *, site: SiteConfig | Path | None = None,
          lang: str | None = None, progress: Progress | None = None, exclusions: Path | None = None) -> CheckResult:
    """Check an export as the programme declares it, and write the exceptions list; no vendor data is made.

    ``report.rows_excepted`` counts the rows to fix in the host system (the command's exit code 1). ``exclusions``
    is the programme's 異動 file, applied as ``run`` applies it.
    """
    cfg = _load(site)
    spec = _programme(cfg, programme_id, input_file)
    from handoff.log import get_logger
    from handoff.messages import current_lang
    from handoff.pipeline.check import dry_run
    from handoff.pipeline.exceptions import write_internal

    result, ctx, internal = dry_run(input_file, spec, cfg, "check", progress=progress, exclusions=exclusions)
    files = write_internal(internal, result.findings, result.report, spec, lang or current_lang())
    get_logger(job=ctx.job_id, programme=spec.id).info("check.done", **result.report.to_json()["counts"])
    return CheckResult(ctx.job_id, spec, result.report, files)


def run(programme_id: str, input_file: Path, *, staff: str, cycle: str = "", rerun_reason: str = "",
        site: SiteConfig | Path | None = None, lang: str | None = None,
        progress: Progress | None = None, exclusions: Path | None = None) -> JobResult:
    """Make the job: encrypted ZIP, disc image(s) and password notice, recorded in the ledger as prepared.

    ``cycle`` defaults to the programme's next calendar cycle (without a calendar, the month of the run,
    ``YYYY-MM``); a cycle its calendar does not have is refused; a second job for a cycle needs ``rerun_reason``.
    ``exclusions`` is the programme's 異動 file: the rows it names are not selected, counted by reason.
    """
    import datetime as dt

    from handoff.contract import TOKYO

    cfg = _load(site)
    spec = _programme(cfg, programme_id, input_file)
    from handoff.log import get_logger
    from handoff.messages import current_lang
    from handoff.pipeline.run import default_cycle, run_job

    now = dt.datetime.now(TOKYO)
    result = run_job(input_file, spec, cfg, staff=staff, cycle=cycle or default_cycle(now, spec),
                     rerun_reason=rerun_reason, lang=lang or current_lang(), now=now, progress=progress,
                     exclusions=exclusions)
    get_logger(job=result.job_id, programme=spec.id).info("run.done", **result.report.to_json()["counts"])
    return result


def pull(job: str, exclusions: Path, *, staff: str, site: SiteConfig | Path | None = None) -> PullResult:
    """The pull list (引抜きリスト) of ``job``'s prepared pieces that the 異動 file names, sealed as a new job
    (ZIP, disc image(s), password notice, ``job.prepared`` with ``pull_of``); nothing is made when it names none."""
    from handoff.log import get_logger
    from handoff.pipeline.pull import make_pull

    result = make_pull(_load(site), job, exclusions, staff=staff)
    get_logger(job=result.job_id or job).info("pull.done", pull_of=job, documents=len(result.pulled),
                                              pieces=result.pieces)
    return result


def due(*, site: SiteConfig | Path | None = None, now: dt.datetime | None = None) -> list[DueItem]:
    """The cycles due on ``now``'s day (default: now, Japan time) for every programme with a mailing calendar:
    each with its status, its export (path, size, age; never read), its blockers and warnings. Makes nothing."""
    import datetime as dt

    from handoff.contract import TOKYO
    from handoff.pipeline.due import due_on
    from handoff.programme import load_all

    cfg = _load(site)
    return due_on(cfg, list(load_all(cfg.pipelines_path).values()), now or dt.datetime.now(TOKYO))


def run_due(*, site: SiteConfig | Path | None = None, staff: str = "", now: dt.datetime | None = None,
            lang: str | None = None) -> DueRun:
    """Run each due cycle whose export arrived, once per cycle, as ``staff`` (default: the site's one ``batch``
    account). Returns the summary, whose ``exit_code`` is the command's; ``failure`` is the refusal it ends with.
    A second call while one runs returns at once with ``busy`` set."""
    from handoff.messages import current_lang
    from handoff.pipeline.scheduled import run_due as run_scheduled
    from handoff.programme import load_all

    cfg = _load(site)
    return run_scheduled(cfg, list(load_all(cfg.pipelines_path).values()), staff=staff, now=now,
                         lang=lang or current_lang())


def verify(site: SiteConfig | Path | None = None, witnesses: Sequence[str] = ()) -> VerifyReport:
    """Recompute the ledger's Merkle tree, check every signed checkpoint, and check consistency with the
    checkpoint file and with ``witnesses`` (signed notes an auditor kept). A rewritten, truncated or forked
    ledger raises ``IntegrityError`` (exit code 7)."""
    from handoff.ledger.service import Ledger

    with Ledger.open(_load(site)) as ledger:
        return ledger.verify(witnesses)


def __getattr__(name: str) -> object:
    """The result types, imported when first asked for (they bring the pipeline's libraries with them)."""
    if name == "JobResult":
        from handoff.pipeline.run import JobResult

        return JobResult
    if name == "DueItem":
        from handoff.pipeline.due import DueItem

        return DueItem
    if name == "DueRun":
        from handoff.pipeline.scheduled import DueRun

        return DueRun
    if name == "VerifyReport":
        from handoff.ledger.verify import VerifyReport

        return VerifyReport
    raise AttributeError(name)
