"""``handoff audit`` (also installed as ``handoff-audit``): the auditor's reconciliation of the ledger.

Register with ``app.command("audit")(audit.audit_cmd)``. The work is in handoff.audit; this module parses the
options, writes the report where asked and sets the exit code: 0 clean, 1 findings, 7 integrity.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from handoff.cli.common import console, h, site, state

if TYPE_CHECKING:
    from handoff.audit.model import AuditReport

Format = Literal["text", "json", "html", "pdf"]
FINDINGS_EXIT = 1


def _t(code: str, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


def _day(text: str | None, flag: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(_t("audit.cli.bad_date", flag=flag), param_hint=flag) from None


def audit_cmd(
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help=h("help.audit.audit.staff"))],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help=h("help.audit.audit.as_of"))
    ] = None,
    fiscal_year: Annotated[
        int | None,
        typer.Option("--fiscal-year", help=h("help.audit.audit.fiscal_year"), min=2000, max=2999),
    ] = None,
    programme: Annotated[str | None, typer.Option("--programme", help=h("help.audit.audit.programme"))] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help=h("help.audit.audit.vendor"))] = None,
    witness: Annotated[
        Path | None,
        typer.Option("--witness", help=h("help.audit.audit.witness")),
    ] = None,
    checkpoint: Annotated[
        list[str] | None,
        typer.Option("--checkpoint", help=h("help.audit.audit.checkpoint")),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=h("help.audit.audit.fmt"))] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help=h("help.audit.audit.out"))
    ] = None,
    home: Annotated[
        Path | None, typer.Option("--dir", help=h("help.audit.audit.home"))
    ] = None,
) -> None:
    """The command `help.audit.audit`: Audit the ledger (read-only): prove its integrity, then check returns, erasure
    certificates, inspections and deadlines. Exit code: 0 no findings, 1 findings, 7 the ledger's integrity failed."""
    from handoff.audit.model import Scope
    from handoff.audit.run import audit
    from handoff.ledger.events import TOKYO

    if fmt not in ("text", "json", "html", "pdf"):
        raise typer.BadParameter(_t("audit.cli.bad_format"), param_hint="--format")
    if fmt in ("html", "pdf") and out is None:
        raise typer.BadParameter(_t("audit.cli.out_required", format=fmt), param_hint="--out")
    if home is not None:
        state.home = home
    day = _day(as_of, "--as-of") or dt.datetime.now(TOKYO).date()
    scope = Scope(as_of=day, fiscal_year=fiscal_year, programme=programme, vendor=vendor)
    report = audit(site(), scope, auditor=staff, witness=witness, checkpoints=checkpoint or [])
    _emit(report, fmt, out)
    if not report.integrity.ok:
        raise typer.Exit(7)
    if not report.clean:
        raise typer.Exit(FINDINGS_EXIT)


def _emit(report: AuditReport, fmt: str, out: Path | None) -> None:
    if fmt == "pdf":
        from handoff.audit.pdf import render_pdf

        data = render_pdf(report)
    elif fmt == "html":
        from handoff.audit.html import render_html

        data = render_html(report).encode()
    elif fmt == "json":
        from handoff.audit.json_out import render_json

        data = render_json(report).encode()
    else:
        from handoff.audit.text import render_text

        data = render_text(report).encode()
    if out is None:
        sys.stdout.write(data.decode())
        sys.stdout.flush()
        return
    from handoff.fs import write_atomic

    write_atomic(out, data)
    console.print(_t("audit.cli.written", path=out))
