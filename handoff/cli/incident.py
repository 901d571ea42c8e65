"""``handoff incident record`` / ``close``: incidents (紛失・破損・ハッシュ不一致など) in the custody ledger.

Register with ``app.add_typer(incident.app, name="incident")``. An open incident holds its medium or notice
where it is; a supervisor closes it with the outcome. Commands parse, confirm and print; the lookups live in
handoff.pipeline.returns and the rules in handoff.ledger.rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import console, field_label, h, site
from handoff.cli.ledger import Yes, _confirm, _t

if TYPE_CHECKING:
    from handoff.ledger.service import Ledger

app = typer.Typer(help=h("help.incident.app"), no_args_is_help=True)

KINDS_HELP = h("help.incident.kinds_help")


def _write(event: str, subject: Callable[[Ledger], dict[str, str]], payload: dict[str, str], staff: str,
           yes: bool) -> None:
    """Show what will be recorded, confirm (unless --yes), record under the ledger's rules."""
    from handoff.ledger.service import Ledger

    label = _t("ledger.event." + event)
    with Ledger.open(site()) as ledger:
        subj = subject(ledger)
        console.print(f"{label}: " + " ".join(f"{k}={v}" for k, v in subj.items()))
        for key, value in payload.items():
            console.print(f"  {field_label(key)}: {value}")
        if not yes:
            _confirm(_t("ledger.cli.confirm"))
        entry = ledger.record(event, subj, payload, staff)
        console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=ledger.last_checkpoint.short))


@app.command("record", help=h("help.incident.record"))
def record_cmd(
    kind: Annotated[str, typer.Option("--kind", help=KINDS_HELP)],
    reported_by: Annotated[str, typer.Option(
        "--reported-by", envvar="HANDOFF_STAFF", help=h("help.incident.record.reported_by"))],
    job: Annotated[str | None, typer.Option("--job", help=h("help.incident.record.job"))] = None,
    item: Annotated[str | None, typer.Option("--item", help=h("help.incident.record.item"))] = None,
    note: Annotated[str | None, typer.Option("--note", help=h("help.incident.record.note"))] = None,
    yes: Yes = False,
) -> None:
    """The command `help.incident.record`: Record an incident. Until an incident about a medium or notice is closed,
    only a supervisor may record its storage, handover, return or destruction."""
    from handoff.pipeline.returns import incident_subject

    if job is None and item is None:
        raise typer.BadParameter(_t("custody.incident_subject"), param_hint="--job / --item")
    payload = {"kind": kind, "reported_by": reported_by}
    if note:
        payload["note"] = note
    _write("incident.recorded", lambda ledger: incident_subject(ledger, job, item), payload, reported_by, yes)


@app.command("close", help=h("help.incident.close"))
def close_cmd(
    seq: Annotated[int, typer.Argument(help=h("help.incident.close.seq"))],
    outcome: Annotated[str, typer.Option("--outcome", help=h("help.incident.close.outcome"))],
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help=h("help.incident.close.staff"))],
    yes: Yes = False,
) -> None:
    """The command `help.incident.close`: Close an incident (only staff with role = "supervisor" in site.toml)."""
    from handoff.pipeline.returns import close_subject

    payload = {"outcome": outcome, "closed_by": staff}
    _write("incident.closed", lambda ledger: close_subject(ledger, seq), payload, staff, yes)


@app.command("list", help=h("help.incident.list"))
def list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help=h("help.incident.list.as_json"))] = False,
) -> None:
    """The command `help.incident.list`: List recorded incidents (open ones first, with their closing deadlines)."""
    import datetime as dt
    import json

    from handoff.cli.common import Column, print_rows
    from handoff.contract import TOKYO
    from handoff.pipeline.status import incidents

    found = incidents(site(), dt.datetime.now(TOKYO).date())
    if as_json:
        typer.echo(json.dumps({"incidents": [i.to_json() for i in found]}, ensure_ascii=False, indent=1))
        return
    if not found:
        console.print(_t("status.incident.none"))
        return
    columns = [Column(_t("status.incident.col.seq"), whole=True), Column(_t("status.incident.col.kind")),
               Column(_t("status.incident.col.job"), whole=True), Column(_t("status.incident.col.item"), whole=True),
               Column(_t("status.incident.col.recorded")), Column(_t("status.incident.col.due")),
               Column(_t("status.incident.col.state"))]
    rows = [[str(i.seq), i.kind, i.job, i.item or "", i.recorded.isoformat(), i.due.isoformat(),
             _t("status.incident.open") if i.closed_by is None else _t("status.incident.closed", seq=i.closed_by)]
            for i in found]
    print_rows(columns, rows)
