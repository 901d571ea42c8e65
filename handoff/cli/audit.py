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

from handoff.cli.common import console, site, state

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
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help="監査する職員ID（監査担当）")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="この日の時点で判定します（YYYY-MM-DD、既定: 今日）")
    ] = None,
    fiscal_year: Annotated[
        int | None,
        typer.Option("--fiscal-year", help="年度（4月〜翌3月。2026 は 2026-04-01〜2027-03-31）", min=2000, max=2999),
    ] = None,
    programme: Annotated[str | None, typer.Option("--programme", help="この事業だけを見ます")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help="この業者だけを見ます")] = None,
    witness: Annotated[
        Path | None,
        typer.Option("--witness", help="監査担当が自分で保管するチェックポイントの控え（問題がなければ追記します）"),
    ] = None,
    checkpoint: Annotated[
        list[str] | None,
        typer.Option("--checkpoint", help="受領書・ラベルから入力したチェックポイント（件数/先頭16桁、複数可）"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text | json | html | pdf")] = "text",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="報告書を保存するファイル（html・pdf では必須）")
    ] = None,
    home: Annotated[
        Path | None, typer.Option("--dir", help="サイトフォルダ（site.toml のある場所）。handoff-audit 用")
    ] = None,
) -> None:
    """管理簿を監査します（読み取り専用）。完全性を検証し、返却・消去証明書・検査・期限を照合します。

    終了コード: 0 指摘なし、1 指摘あり、7 管理簿の完全性に問題。"""
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
