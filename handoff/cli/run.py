"""``handoff run`` — from a host export to a sealed job (ZIP, disc image, password notice), recorded.
``handoff run --due`` runs what the mailing calendars say is due, with the exports found in their inboxes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import console, h, known_staff, site


def run(
    programme: Annotated[str, typer.Argument(help=h("help.run.run.programme"))] = "",
    input_file: Annotated[Path | None, typer.Option("--input", "-i", help=h("help.run.run.input_file"))] = None,
    staff: Annotated[str, typer.Option(
        "--staff", envvar="HANDOFF_STAFF",
        help=h("help.run.run.staff"))] = "",
    cycle: Annotated[str, typer.Option(
        "--cycle", help=h("help.run.run.cycle"))] = "",
    reason: Annotated[str, typer.Option("--reason", help=h("help.run.run.reason"))] = "",
    due: Annotated[bool, typer.Option(
        "--due", help=h("help.run.run.due"))] = False,
    day: Annotated[dt.datetime | None, typer.Option("--date", formats=["%Y-%m-%d"],
                                                    help=h("help.run.run.day"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=h("help.run.run.as_json"))] = False,
    exclusions: Annotated[Path | None, typer.Option("--exclusions", help=h("help.run.run.exclusions"))] = None,
) -> None:
    """The command `help.run.run`: Make the encrypted data for the vendor (ZIP, disc images) and the password notice,
    and record them in the ledger."""
    from handoff.messages import t

    if due:
        if programme or input_file is not None or cycle or reason or exclusions is not None:
            raise typer.BadParameter(t("run.due_with_programme"), param_hint="--due")
        run_due(staff, day, as_json)
        return
    if not programme or input_file is None:
        raise typer.BadParameter(t("run.needs_programme"), param_hint="--input")
    if not staff:
        raise typer.BadParameter(t("run.needs_staff"), param_hint="--staff")
    run_one(programme, input_file, staff, cycle, reason, as_json, exclusions)


def run_one(programme: str, input_file: Path, staff: str, cycle: str, reason: str, as_json: bool,
            exclusions: Path | None = None) -> None:
    from handoff import api
    from handoff.cli.common import tell
    from handoff.cli.progress import stage_progress
    from handoff.messages import t
    from handoff.pipeline.recover import sweep
    from handoff.pipeline.sequence import RUN_NAMES

    cfg = site()
    known_staff(cfg, staff)
    sweep(cfg, staff, tell)  # interrupted jobs are abandoned (and said so) before anything else
    with stage_progress(RUN_NAMES, quiet=as_json) as step:
        result = api.run(programme, input_file, staff=staff, cycle=cycle, rerun_reason=reason, site=cfg,
                         progress=step, exclusions=exclusions)
    if as_json:
        console.print_json(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        from handoff.cli.summary import print_summary
        from handoff.programme import find_programme

        print_summary(result.report, find_programme(cfg.pipelines_path, programme), result.internal)
        console.print(t("run.done", job=result.job_id, pieces=result.report.extra["pieces"]))
        console.print(t("run.paths", zip=str(result.zip_path), iso=", ".join(map(str, result.iso_paths)),
                        notice=str(result.notice_path)))
        console.print(t("run.next", job=result.job_id))
    if result.report.rows_excepted:
        raise typer.Exit(1)  # the job is sealed, but rows need fixing in the host system


def run_due(staff: str, day: dt.datetime | None, as_json: bool) -> None:
    """``run --due``: the summary (table or JSON), then the exit code the module doc of scheduled.py gives."""
    from handoff import api
    from handoff.cli.common import tell
    from handoff.cli.due import print_items, when
    from handoff.messages import t

    cfg = site()
    if staff:
        known_staff(cfg, staff)
    done = api.run_due(site=cfg, staff=staff, now=when(day))
    if as_json:
        console.print_json(json.dumps(done.to_json(), ensure_ascii=False))
    elif done.busy:
        console.print(t("schedule.busy"))
    else:
        print_items(done.items, done.now)
        if not any(i.status == "ran" for i in done.items):
            console.print(t("due.nothing_new"))
        if done.summary_path is not None:
            console.print(t("due.summary", path=str(done.summary_path)), markup=False)
    if done.busy and as_json:
        tell(t("schedule.busy"))
    failure = done.failure
    if failure is not None:
        raise failure
    if done.exit_code:
        raise typer.Exit(done.exit_code)
