"""``handoff incident record`` / ``close``: incidents (紛失・破損・ハッシュ不一致など) in the custody ledger.

Register with ``app.add_typer(incident.app, name="incident")``. An open incident holds its medium or notice
where it is; a supervisor closes it with the outcome. Commands parse, confirm and print; the lookups live in
handoff.pipeline.returns and the rules in handoff.ledger.rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import console, site
from handoff.cli.ledger import Yes, _confirm, _t

if TYPE_CHECKING:
    from handoff.ledger.service import Ledger

app = typer.Typer(help="事故（紛失・破損・ハッシュ不一致など）を管理簿に記録・終結します。", no_args_is_help=True)

KINDS_HELP = ("種類: lost（紛失）| damaged（破損）| hash_mismatch（ハッシュ不一致）| unreadable（読取り不能）"
              "| late（返却遅延）| other")


def _write(event: str, subject: Callable[[Ledger], dict[str, str]], payload: dict[str, str], staff: str,
           yes: bool) -> None:
    """Show what will be recorded, confirm (unless --yes), record under the ledger's rules."""
    from handoff.ledger.service import Ledger

    label = _t("ledger.event." + event)
    with Ledger.open(site()) as ledger:
        subj = subject(ledger)
        console.print(f"{label}: " + " ".join(f"{k}={v}" for k, v in subj.items()))
        for key, value in payload.items():
            console.print(f"  {key}: {value}")
        if not yes:
            _confirm(_t("ledger.cli.confirm"))
        entry = ledger.record(event, subj, payload, staff)
        console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=ledger.last_checkpoint.short))


@app.command("record")
def record_cmd(
    kind: Annotated[str, typer.Option("--kind", help=KINDS_HELP)],
    reported_by: Annotated[str, typer.Option("--reported-by", envvar="HANDOFF_STAFF", help="報告した職員ID")],
    job: Annotated[str | None, typer.Option("--job", help="ジョブID")] = None,
    item: Annotated[str | None, typer.Option("--item", help="媒体IDまたは通知書ID")] = None,
    note: Annotated[str | None, typer.Option("--note", help="内容（氏名・住所などは書かないこと）")] = None,
    yes: Yes = False,
) -> None:
    """事故を記録します。媒体・通知書の事故が終結するまで、その保管・引渡し・返却・廃棄は監督者だけが記録できます。"""
    from handoff.pipeline.returns import incident_subject

    if job is None and item is None:
        raise typer.BadParameter(_t("custody.incident_subject"), param_hint="--job / --item")
    payload = {"kind": kind, "reported_by": reported_by}
    if note:
        payload["note"] = note
    _write("incident.recorded", lambda ledger: incident_subject(ledger, job, item), payload, reported_by, yes)


@app.command("close")
def close_cmd(
    seq: Annotated[int, typer.Argument(help="事故の記録の連番（handoff ledger show で確認）")],
    outcome: Annotated[str, typer.Option("--outcome", help="結果・措置")],
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help="終結する監督者の職員ID")],
    yes: Yes = False,
) -> None:
    """事故を終結します（site.toml で role = "supervisor" の職員だけ）。"""
    from handoff.pipeline.returns import close_subject

    payload = {"outcome": outcome, "closed_by": staff}
    _write("incident.closed", lambda ledger: close_subject(ledger, seq), payload, staff, yes)


@app.command("list")
def list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="JSON で出力")] = False,
) -> None:
    """記録された事故の一覧（未終結を先に、終結期限つき）を表示します。"""
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
