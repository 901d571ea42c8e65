"""``handoff due`` — which mailing cycles are due, whether their exports arrived, and what blocks them."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import console, h, site

if TYPE_CHECKING:
    from handoff.pipeline.due import DueItem, Export


def when(day: dt.datetime | None) -> dt.datetime:
    """``--date D`` as that day at the current time of day (Japan time); without it, now."""
    from handoff.contract import TOKYO

    now = dt.datetime.now(TOKYO)
    return now if day is None else dt.datetime.combine(day.date(), now.timetz())


def due(
    day: Annotated[dt.datetime | None, typer.Option("--date", formats=["%Y-%m-%d"],
                                                    help=h("help.due.due.day"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=h("help.due.due.as_json"))] = False,
) -> None:
    """The command `help.due.due`: Show the mailing-calendar cycles due now, whether their exports arrived, and what
    holds them (contract, approval, unreturned media)."""
    from handoff import api

    now = when(day)
    items = api.due(site=site(), now=now)
    if as_json:
        console.print_json(json.dumps({"date": now.date().isoformat(), "items": [i.to_json(now) for i in items]},
                                      ensure_ascii=False))
        return
    print_items(items, now)


def print_items(items: list[DueItem], now: dt.datetime) -> None:
    """The due cycles as a table, then each cycle's blockers, warnings and refusal (Japanese by default)."""
    from rich.table import Table

    from handoff.messages import t

    if not items:
        console.print(t("due.none", date=now.date().isoformat()))
        return
    table = Table(t("due.col_programme"), t("due.col_cycle"), t("due.col_mailing"), t("due.col_export_due"),
                  t("due.col_status"), t("due.col_job"), title=t("due.title", date=now.date().isoformat()))
    for column in table.columns:  # ids are read whole, never cut short
        column.overflow = "fold"
    for i in items:
        table.add_row(i.programme, f"{i.cycle.id} {i.cycle.label}".strip(), i.cycle.mailing.isoformat(),
                      i.cycle.lead.isoformat(), t(f"due.status.{i.status}"), i.job or "")
    console.print(table)
    for i in items:
        export = (t("due.export_line", **_export_params(i.export, now)) if i.export
                  else t("due.export_none", inbox=i.inbox))
        console.print(f"{i.programme} {i.cycle.id}: {t('due.col_export')} {export}", markup=False)
        lines = [t("due.blocker", message=b.to_json()["message"]) for b in i.blockers]
        lines += [t("due.warning", message=w.to_json()["message"]) for w in i.warnings]
        if i.error:
            lines.append(t("due.error", message=i.error["message"]))
        if i.status == "missed":
            lines.append(t("due.missed_hint", mailing=i.cycle.mailing.isoformat(), programme=i.programme,
                           cycle=i.cycle.id))
        for line in lines:
            console.print(line, markup=False)


def _export_params(export: Export, now: dt.datetime) -> dict[str, object]:
    shown = export.to_json(now)
    return {"path": shown["path"], "size": shown["size"], "age": shown["age_hours"]}
