"""``handoff programmes list|show`` — the council-approved programmes, in Japanese."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import console, h, site
from handoff.messages import t

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.programme import ProgramSpec

app = typer.Typer(help=h("help.programmes.app"), no_args_is_help=True)


@app.command("list", help=h("help.programmes.list_"))
def list_(
    as_json: Annotated[bool, typer.Option("--json", help=h("help.programmes.list_.as_json"))] = False,
) -> None:
    """The command `help.programmes.list_`: List the programmes."""
    import json

    from handoff.cli.common import Column, print_rows
    from handoff.programme import load_all

    specs = load_all(site().pipelines_path)
    if as_json:
        listed = [{"id": s.id, "title": s.title, "department": s.department, "vendor": s.vendor,
                   "approved_items": len(s.approved), "assumed_items": sum(1 for a in s.approved if a.assumed)}
                  for s in specs.values()]
        console.print_json(json.dumps({"programmes": listed}, ensure_ascii=False))
        return
    columns = [Column(t("prog.id"), whole=True), Column(t("prog.title")), Column(t("prog.department")),
               Column(t("prog.vendor"), whole=True), Column(t("prog.items"))]
    print_rows(columns, [[s.id, s.title, s.department, s.vendor, str(len(s.approved))] for s in specs.values()])


@app.command("show", help=h("help.programmes.show"))
def show(
    programme: Annotated[str, typer.Argument(help=h("help.programmes.show.programme"))],
    fiscal_year: Annotated[int | None, typer.Option("--fiscal-year", min=2000, max=2999,
                                                    help=h("help.programmes.show.fiscal_year"))] = None,
) -> None:
    """The command `help.programmes.show`: Show a programme's approved items, council documents, input and output
    definitions and mailing calendar."""
    from rich.table import Table

    from handoff.programme import SYSTEM_FIELDS, find_programme

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    vendor = cfg.vendor(spec.vendor)
    console.print(f"[bold]{spec.title}[/bold]（{spec.id}）")
    for key, value in (
        ("prog.department", spec.department),
        ("prog.vendor", f"{vendor.name}（{vendor.id}）"),
        ("prog.council", f"{spec.council.body} {spec.council.reference} {spec.council.date}".strip()),
        ("prog.cycle", spec.cycle),
        ("prog.volume", spec.volume),
        ("prog.note", spec.council.note),
    ):
        if value:
            console.print(f"{t(key)}: {value}", markup=False)
    items = Table(t("prog.no"), t("prog.item"), t("prog.fields"), t("prog.assumed"), title=t("prog.approved"))
    for i, item in enumerate(spec.approved, 1):
        fields = "、".join(spec.label(f) for f in item.fields)
        items.add_row(str(i), item.item, fields, t("prog.assumed_yes") + f" {item.note}" if item.assumed else "")
    console.print(items)
    _unconfirmed(spec, cfg)
    out = Table(t("prog.no"), t("prog.output_field"), t("prog.bytes"), title=t("prog.output",
                fmt=spec.output.format, encoding=cfg.profile_of(spec.vendor).encoding))
    for i, o in enumerate(spec.output.fields, 1):
        name = SYSTEM_FIELDS.get(o.field) or spec.label(o.field)
        out.add_row(str(i), name, str(o.bytes or "—"))
    console.print(out)
    src = spec.source
    console.print(t("prog.source", fmt=src.format, encoding=src.encoding, columns=len(src.columns)))
    show_calendar(cfg, spec, fiscal_year)


def show_calendar(cfg: SiteConfig, spec: ProgramSpec, fiscal_year: int | None) -> None:
    """The programme's mailing calendar for a fiscal year, and each cycle outside a contract period."""
    import datetime as dt

    from rich.table import Table

    from handoff.calendar_spec import fiscal_year as fiscal_year_of
    from handoff.contract import TOKYO
    from handoff.pipeline.due import calendar_warnings

    cal = spec.calendar
    if cal is None:
        console.print(t("cal.none"))
        return
    fy = fiscal_year if fiscal_year is not None else fiscal_year_of(dt.datetime.now(TOKYO).date())
    table = Table(t("cal.col_cycle"), t("cal.col_label"), t("cal.col_opens"), t("cal.col_export_due"),
                  t("cal.col_mailing"), t("cal.col_note"), title=t("cal.title", fiscal_year=fy))
    for column in table.columns:  # ids and paths are read whole, never cut short
        column.overflow = "fold"
    for c in cal.cycles_of(fy):
        note = (t("cal.assumed") + " " if c.assumed else "") + c.note
        table.add_row(c.id, c.label, c.opens.isoformat(), c.lead.isoformat(), c.mailing.isoformat(), note)
    console.print(table)
    console.print(t("cal.inbox", inbox=cal.inbox), markup=False)
    start, end = cal.contract_start, cal.contract_end
    console.print(t("cal.contract", start=start.isoformat() if start else "—", end=end.isoformat() if end else "—"))
    for warning in calendar_warnings(cfg, spec, fy):
        console.print(warning.to_json()["message"], markup=False, style="bold yellow")


def _unconfirmed(spec: ProgramSpec, cfg: SiteConfig) -> None:
    """Name the assumed items the site has not confirmed: ``handoff run`` refuses the programme until it does."""
    import datetime as dt

    from handoff.contract import TOKYO
    from handoff.messages import t
    from handoff.pipeline.check import approval_of

    missing = approval_of(spec, cfg, dt.datetime.now(TOKYO).date()).unconfirmed
    if missing:
        console.print(t("prog.unconfirmed", items="、".join(missing)), markup=False, style="bold yellow")
