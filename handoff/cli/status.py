"""``handoff status`` — the operator's work list: what waits to be burned, printed, stored, handed over, returned,
certified, inspected or closed, overdue first, each with the exact command of its next step.

Register with ``app.command("status")(status.status)``. It reads the ledger (read-only) and the job folders and
writes nothing; nothing heavy (pandas, pyarrow, reportlab) is imported on its way, so it answers at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import Column, console, h, print_rows, site, state

if TYPE_CHECKING:
    from handoff.pipeline.status import Task, WorkList


def status(
    day: Annotated[dt.datetime | None, typer.Option(
        "--date", formats=["%Y-%m-%d"], help=h("help.status.status.day"))] = None,
    staff: Annotated[str | None, typer.Option(
        "--staff", envvar="HANDOFF_STAFF", help=h("help.status.status.staff"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=h("help.status.status.as_json"))] = False,
) -> None:
    """The command `help.status.status`: Work list: media to burn, notices to print, items to store, hand over and get
    back, certificates, inspections and incidents waiting (overdue first), each with its next command."""
    from handoff.contract import TOKYO
    from handoff.pipeline.status import status as work_list

    as_of = day.date() if day is not None else dt.datetime.now(TOKYO).date()
    cfg = site(log=False)
    found = work_list(cfg, as_of, staff=staff or None, program=_program())
    if as_json:
        typer.echo(json.dumps(found.to_json(), ensure_ascii=False, indent=1))
        return
    print_work_list(found)


def _program() -> str:
    """``handoff``, with ``--dir`` when the site was chosen on the command line rather than by HANDOFF_HOME: the
    printed commands then run as they are."""
    import shlex

    if state.home is not None and not os.environ.get("HANDOFF_HOME"):
        return f"handoff --dir {shlex.quote(str(state.home))}"
    return "handoff"


def print_work_list(found: WorkList) -> None:
    from handoff.messages import t

    date = found.as_of.isoformat()
    if not found.tasks:
        console.print(t("status.none", date=date), markup=False)
        return
    overdue = sum(1 for task in found.tasks if task.overdue(found.as_of))
    columns = [Column(t("status.col.due")), Column(t("status.col.task")), Column(t("status.col.id"), whole=True),
               Column(t("status.col.command"), whole=True)]
    rows = [[_due(task, found.as_of), t(f"status.task.{task.kind}", **task.params()),
             task.item or task.job or task.vendor or "", task.command] for task in found.tasks]
    print_rows(columns, rows, title=t("status.title", date=date, count=len(found.tasks), overdue=overdue))


def _due(task: Task, as_of: dt.date) -> str:
    from handoff.messages import t

    left = task.days_left(as_of)
    if task.due is None or left is None:
        return t("status.due.none")
    due = task.due.isoformat()
    if left < 0:
        return t("status.due.overdue", due=due, days=-left)
    return t("status.due.today", due=due) if left == 0 else t("status.due.left", due=due, days=left)
