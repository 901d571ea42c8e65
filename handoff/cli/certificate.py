"""``handoff certificate …``: the deletion certificate template, and recording the returned certificate.

Register with ``app.add_typer(certificate.app, name="certificate")``. The work is in
handoff.pipeline.certificates; this module parses options, asks for missing fields and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import console, site

app = typer.Typer(help="消去証明書（ひな形の作成・返送された証明書の記録）。", no_args_is_help=True)

Job = Annotated[str, typer.Argument(help="ジョブID")]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="確認せずに実行（スクリプト用）。不足項目は質問せずエラー")]
Staff = Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help="証明書を確認し記録する職員ID")]


def _t(code: str, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


@app.command("template")
def template_cmd(
    job: Job,
    out: Annotated[Path, typer.Option("--out", "-o", help="作成する PDF（既にあるファイルには書きません）")],
) -> None:
    """業者に渡す消去証明書のひな形 PDF（ジョブ・媒体・ZIP ハッシュ・チェックポイント記入済み）を作成します。"""
    from handoff.pipeline.certificates import write_template

    signed = write_template(site(), job, out)
    console.print(_t("certificate.cli.template_written", path=out, short=signed.short))


def _parse_fields(pairs: list[str]) -> dict[str, str]:
    """``key=value`` options as a dict; an unknown key or a missing ``=`` is a usage error (exit 2)."""
    from handoff.pipeline.certificates import FIELDS

    fields: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key.strip() not in FIELDS:
            raise typer.BadParameter(_t("certificate.cli.bad_field", fields=", ".join(FIELDS)), param_hint="--field")
        fields[key.strip()] = value.strip()
    return fields


def _ask_missing(fields: dict[str, str], media: tuple[str, ...]) -> None:
    """Ask in Japanese for each mandatory field not given; the media default to every medium of the job."""
    from handoff.pipeline.certificates import missing_fields

    for key in missing_fields(fields):
        label = _t(f"certificate.field.{key}")
        default = ",".join(media) if key == "media" and media else None
        fields[key] = str(typer.prompt(_t("certificate.cli.prompt", label=label, field=key), default=default))


@app.command("record")
def record_cmd(
    job: Job,
    scan: Annotated[Path, typer.Option("--scan", help="返送された証明書のスキャン（PDF・画像）。ハッシュだけを記録")],
    staff: Staff,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", help="証明書の記載 項目=値（method, performed_on, media など。繰返し可）"),
    ] = None,
    yes: Yes = False,
) -> None:
    """返送された消去証明書を管理簿に記録します（全媒体の記載と必須項目を確認）。"""
    from handoff.cli.ledger import _confirm
    from handoff.ledger.service import Ledger
    from handoff.pipeline.certificates import EVENT, build_payload, job_facts, record_certificate

    fields = _parse_fields(field or [])
    cfg = site()
    with Ledger.open(cfg) as ledger:
        facts = job_facts(ledger, job)
        # Only a person at a terminal is asked; a script (--yes, or no terminal) gets the refusal naming the field.
        if not yes and sys.stdin.isatty():
            _ask_missing(fields, facts.media)
        payload = build_payload(facts, fields, scan)
        label = _t("ledger.event." + EVENT)
        console.print(f"{label}: {job}")
        for key, value in payload.items():
            console.print(f"  {key}: {', '.join(value) if isinstance(value, list) else value}")
        if not yes:
            _confirm(_t("ledger.cli.confirm"))
        entry = record_certificate(ledger, job, payload, staff)
        console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=ledger.last_checkpoint.short))
