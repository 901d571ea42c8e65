"""``handoff notice …`` and ``handoff media …`` — the operator's steps after a run, recorded in the ledger.

Commands only parse, call the library (handoff.pipeline.custody_steps wires burning and printing to the
ledger) and print; prompts and progress bars live here. Heavy imports stay inside the functions so that
``handoff --help`` remains fast. ``media burn`` and ``notice print`` first abandon the job folders that killed
runs left behind (handoff.pipeline.recover) and say what was removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import ask, confirm, console, err_console, h, known_staff, site, tell
from handoff.cli.ledger import Staff

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.fs import JobDir
    from handoff.pipeline.custody_steps import Recorded

notice_app = typer.Typer(help=h("help.package_cmds.notice_app"), no_args_is_help=True,
                         rich_markup_mode=None)
media_app = typer.Typer(help=h("help.package_cmds.media_app"), no_args_is_help=True,
                        rich_markup_mode=None)

JobArg = Annotated[str, typer.Argument(help=h("help.package_cmds.opt.jobarg"))]
_TO_FILE = h("help.package_cmds.to_file")
_DEVICE = h("help.package_cmds.device")
_YES = h("help.package_cmds.yes")


def _job(job_id: str) -> tuple[SiteConfig, JobDir]:
    from handoff.fs import JobDir

    cfg = site()
    return cfg, JobDir.open(cfg.data_path, job_id)


def _swept_job(job_id: str, staff: str) -> tuple[SiteConfig, JobDir]:
    """The job, after interrupted jobs were abandoned; refused (exit 9) if it was one of them."""
    from handoff.errors import StateError
    from handoff.fs import JobDir
    from handoff.pipeline.recover import sweep

    cfg = site()
    known_staff(cfg, staff)
    if any(a.job == job_id for a in sweep(cfg, staff, tell)):
        raise StateError("job.incomplete", job=job_id)
    return cfg, JobDir.open(cfg.data_path, job_id)


def _settled(jobdir: JobDir) -> None:
    """Media left "burning" by a burn that was cut off become unusable; the operator is told which."""
    from handoff.media.burn import settle_interrupted
    from handoff.messages import t

    for m in settle_interrupted(jobdir):
        tell(t("media.burn_interrupted", medium=m.medium_id))


@notice_app.command("print", help=h("help.package_cmds.notice_print"))
def notice_print(
    job: JobArg,
    staff: Staff,
    to_file: Annotated[Path | None, typer.Option("--to-file", help=_TO_FILE)] = None,
) -> None:
    """The command `help.package_cmds.notice_print`: Print the password notice (lp) or save it to a file, delete it from
    the job folder and record it in the ledger."""
    from handoff.errors import StateError
    from handoff.messages import t
    from handoff.package import notice_id
    from handoff.pipeline.custody_steps import print_and_record

    cfg, jobdir = _swept_job(job, staff)
    if not jobdir.finished:  # its run is still going: the notice goes out only with a finished job
        raise StateError("job.incomplete", job=job)

    def unrecorded(code: str) -> None:
        err_console.print(t("notice.ledger_not_recorded", notice=notice_id(job), error=code))

    done = print_and_record(cfg, staff, jobdir, to_file, unrecorded)
    if done.caught_up:
        console.print(t("notice.ui.caught_up", notice=done.recorded.item))
    elif done.exported is not None:
        console.print(t("notice.ui.exported", path=str(done.exported)))
    else:
        console.print(t("notice.ui.printed", job=job, request=done.request))
    console.print(t("notice.ui.recorded", notice=done.recorded.item, seq=done.recorded.seq,
                    short=done.recorded.checkpoint))
    if not done.caught_up:
        console.print(t("notice.ui.reminder"))


@media_app.command("list", help=h("help.package_cmds.media_list"))
def media_list(
    job: Annotated[str | None, typer.Argument(help=h("help.package_cmds.media_list.job"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=h("help.package_cmds.media_list.as_json"))] = False,
) -> None:
    """The command `help.package_cmds.media_list`: Show media and their state (waiting to burn, verified, unusable).
    Without a job id, the media of every job."""
    import json

    from handoff.cli.common import Column, print_rows
    from handoff.fs import JobDir
    from handoff.media.status import list_media
    from handoff.messages import t
    from handoff.pipeline.status import finished_jobs

    cfg = site()
    folders = [JobDir.open(cfg.data_path, job)] if job is not None else [
        JobDir(cfg.data_path / "jobs" / name) for name in finished_jobs(cfg)]
    media = []
    for jobdir in folders:
        _settled(jobdir)
        media += [(jobdir.job_id, m) for m in list_media(jobdir)]
    if as_json:
        typer.echo(json.dumps({"media": [
            {"job": job_id, "medium": m.medium_id, "state": m.state, "image_size": m.details.get("image_size"),
             "image_sha256": m.details.get("image_sha256")} for job_id, m in media]}, ensure_ascii=False, indent=1))
        return
    if not media:
        console.print(t("status.media.none"))
        return
    columns = [Column(t("status.media.col.job"), whole=True), Column(t("media.ui.list_header"), whole=True),
               Column(t("media.ui.state")), Column(t("media.ui.size")), Column(t("media.ui.image_sha"), whole=True)]
    # The image's hash is shown by its first 16 hex digits, as the disc label prints it (the JSON has all 64).
    rows = [[job_id, m.medium_id, t(f"media.ui.state.{m.state}"), str(m.details.get("image_size", "")),
             str(m.details.get("image_sha256", ""))[:16]] for job_id, m in media]
    print_rows(columns, rows)


@media_app.command("burn", help=h("help.package_cmds.media_burn"))
def media_burn(
    job: JobArg,
    staff: Staff,
    device: Annotated[str | None, typer.Option("--device", help=_DEVICE)] = None,
    medium: Annotated[str | None, typer.Option("--medium", help=h("help.package_cmds.media_burn.medium"))] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_YES)] = False,
) -> None:
    """The command `help.package_cmds.media_burn`: Burn media to DVD-R, read them back and compare, record them in the
    ledger and make the label PDF with the checkpoint."""
    from handoff.messages import t
    from handoff.pipeline.custody_steps import plan_burn

    cfg, jobdir = _swept_job(job, staff)
    plan = plan_burn(cfg, staff, jobdir, medium)
    for medium_id in plan.interrupted:
        tell(t("media.burn_interrupted", medium=medium_id))
    for done in plan.caught_up:
        _print_recorded(done)
        console.print(t("media.ui.caught_up", medium=done.item))
        if done.label is not None:
            console.print(t("media.ui.label_written", path=str(done.label)))
    if not plan.todo:
        return
    dev = device or _choose_drive(yes)
    console.print(t("media.ui.device", device=dev))
    for m in plan.todo:
        index, count = int(m.details.get("index", 1)), int(m.details.get("count", 1))
        prompt = t("media.ui.insert_blank", medium=m.medium_id, index=index, count=count, device=dev)
        if not yes:
            confirm(prompt)
        _burn_one(cfg, staff, jobdir, m.medium_id, dev)


def _burn_one(cfg: SiteConfig, staff: str, jobdir: JobDir, medium_id: str, device: str) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from handoff.messages import t
    from handoff.pipeline.custody_steps import burn_and_record

    # The progress bar ends before anything is printed, so no message is drawn over.
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=err_console, transient=True,
                  disable=not err_console.is_terminal) as bar:
        task = bar.add_task(t("media.ui.burn"), total=1.0)

        def progress(phase: str, fraction: float) -> None:
            bar.update(task, description=t(f"media.ui.{phase}"), completed=fraction)

        done = burn_and_record(cfg, staff, jobdir, medium_id, device, progress)
    if done.recorded is not None:
        _print_recorded(done.recorded)
    if done.unrecorded:
        err_console.print(t("media.ledger_not_recorded", medium=medium_id, error=done.unrecorded))
    if done.error is not None:
        raise done.error
    console.print(t("media.ui.verified", medium=medium_id, label=str(done.recorded.label if done.recorded else "")))


def _print_recorded(done: Recorded) -> None:
    from handoff.messages import t

    key = "media.ui.recorded_verified" if done.verified else "media.ui.recorded_failed"
    console.print(t(key, medium=done.item, seq=done.seq, short=done.checkpoint))


def _choose_drive(yes: bool) -> str:
    from handoff.errors import ToolError
    from handoff.media.burn import list_drives
    from handoff.messages import t

    drives = list_drives()
    if not drives:
        raise ToolError("media.no_drive")
    console.print(t("media.ui.drives"))
    for i, d in enumerate(drives, 1):
        console.print(f"  {i}. {d.address}  {d.vendor} {d.model}")
    if len(drives) == 1:
        return drives[0].address
    if yes:
        raise ToolError("media.several_drives")
    while True:
        choice: int = ask(t("help.prompt.drive_number"), kind=int)
        if 1 <= choice <= len(drives):
            return drives[choice - 1].address


@media_app.command("verify", help=h("help.package_cmds.media_verify"))
def media_verify(
    job: JobArg,
    medium: Annotated[str, typer.Option("--medium", help=h("help.package_cmds.media_verify.medium"))],
    device: Annotated[str, typer.Option("--device", help=_DEVICE)],
) -> None:
    """The command `help.package_cmds.media_verify`: Read back a burned medium (a returned one …) and compare it with
    its image; a mismatch marks it unusable."""
    from handoff.media.burn import verify_medium
    from handoff.messages import t

    _cfg, jobdir = _job(job)
    _settled(jobdir)
    verify_medium(jobdir, medium, device)
    console.print(t("media.ui.verify_ok", medium=medium))
