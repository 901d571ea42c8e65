"""``handoff certificate …``: the deletion certificate template, and recording the returned certificate.

Register with ``app.add_typer(certificate.app, name="certificate")``. The work is in
handoff.pipeline.certificates; this module parses options, asks for missing fields and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import ask, console, field_label, h, site

app = typer.Typer(help=h("help.certificate.app"), no_args_is_help=True)

Job = Annotated[str, typer.Argument(help=h("help.certificate.opt.job"))]
Yes = Annotated[bool, typer.Option("--yes", "-y", help=h("help.certificate.opt.yes"))]
Staff = Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help=h("help.certificate.opt.staff"))]


def _t(code: str, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


@app.command("template", help=h("help.certificate.template"))
def template_cmd(
    job: Job,
    out: Annotated[Path, typer.Option("--out", "-o", help=h("help.certificate.template.out"))],
) -> None:
    """The command `help.certificate.template`: Make the erasure certificate template PDF for the vendor (job, media,
    ZIP hash and checkpoint filled in)."""
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
        fields[key] = str(ask(_t("certificate.cli.prompt", label=label, field=key), default=default))


@app.command("record", help=h("help.certificate.record"))
def record_cmd(
    job: Job,
    scan: Annotated[Path, typer.Option("--scan", help=h("help.certificate.record.scan"))],
    staff: Staff,
    field: Annotated[
        list[str] | None,
        typer.Option("--field", help=h("help.certificate.record.field")),
    ] = None,
    yes: Yes = False,
) -> None:
    """The command `help.certificate.record`: Record a returned erasure certificate in the ledger (every medium and
    required field is checked)."""
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
            shown = ", ".join(value) if isinstance(value, list) else value
            console.print(f"  {field_label(key, area='certificate.field')}: {shown}")
        if not yes:
            _confirm(_t("ledger.cli.confirm"))
        entry = record_certificate(ledger, job, payload, staff)
        console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=ledger.last_checkpoint.short))
