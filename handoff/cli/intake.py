"""``handoff intake``: data the vendor sends back — the medium's receipt, its notice's receipt, then the read.

One command, three steps, told apart by the ledger: a disc whose ZIP was never received is recorded as received
(``--handler``, ``--quantity``); ``--notice`` records the password notice on another day; a disc already received
and whose notice was recorded is read with the password typed at a prompt that does not echo (or read from
``--password-fd`` by a script) — never from an argument or an environment variable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from handoff.cli.common import console, h, site

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.programme import ProgramSpec

MAX_PASSWORD_BYTES = 1024


def _t(code: str, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


def intake_cmd(
    programme: Annotated[str, typer.Argument(help=h("help.intake.intake.programme"))],
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help=h("help.intake.intake.staff"))],
    image: Annotated[Path | None, typer.Option(
        "--image", help=h("help.intake.intake.image"))] = None,
    device: Annotated[str | None, typer.Option(
        "--device", help=h("help.intake.intake.device"))] = None,
    notice: Annotated[bool, typer.Option("--notice", help=h("help.intake.intake.notice"))] = False,
    job: Annotated[str | None, typer.Option(
        "--job", help=h("help.intake.intake.job"))] = None,
    handler: Annotated[str | None, typer.Option("--handler", help=h("help.intake.intake.handler"))] = None,
    quantity: Annotated[int | None, typer.Option("--quantity", help=h("help.intake.intake.quantity"))] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help=h("help.intake.intake.vendor"))] = None,
    bag: Annotated[str | None, typer.Option("--bag", help=h("help.intake.intake.bag"))] = None,
    place: Annotated[str | None, typer.Option("--place", help=h("help.intake.intake.place"))] = None,
    condition: Annotated[str | None, typer.Option("--condition", help=h("help.intake.intake.condition"))] = None,
    on: Annotated[dt.datetime | None, typer.Option(
        "--on", formats=["%Y-%m-%d"], help=h("help.intake.intake.on"))] = None,
    password_fd: Annotated[int | None, typer.Option(
        "--password-fd",
        help=h("help.intake.intake.password_fd"))] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=h("help.intake.intake.yes"))] = False,
    as_json: Annotated[bool, typer.Option("--json", help=h("help.intake.intake.as_json"))] = False,
) -> None:
    """The command `help.intake.intake`: Receive data coming back from a vendor (a medium with an encrypted ZIP),
    receive its notice, read it and make the intake files."""
    from handoff.pipeline import intake
    from handoff.programme import find_programme

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    intake.inbound_of(spec)
    where = {"bag": bag, "place": place, "condition": condition,
             "on": on.date().isoformat() if on is not None else None}
    if notice:
        if image is not None or device is not None:
            raise typer.BadParameter(_t("intake.cli.notice_no_disc"), param_hint="--notice")
        if handler is None:
            raise typer.BadParameter(_t("intake.cli.notice_needs"), param_hint="--handler")
        _notice(cfg, spec, staff, handler, job, where, yes, as_json)
        return
    if (image is None) == (device is None):
        raise typer.BadParameter(_t("intake.no_source"), param_hint="--image / --device")
    source = intake.Source(image=image, device=device)
    seen = intake.look(cfg, spec, source)
    if seen.received is None:
        if handler is None or quantity is None:
            raise typer.BadParameter(_t("intake.cli.receipt_needs"), param_hint="--handler / --quantity")
        _receive(cfg, spec, staff, seen, handler, quantity, vendor, where, yes, as_json)
        return
    _read(cfg, spec, staff, source, seen, password_fd, as_json)


def _confirm(yes: bool) -> None:
    from handoff.cli.common import confirm

    if not yes:
        confirm(_t("ledger.cli.confirm"))


def _receive(cfg: SiteConfig, spec: ProgramSpec, staff: str, seen: Any, handler: str, quantity: int,
             vendor: str | None, where: dict[str, str | None], yes: bool, as_json: bool) -> None:
    from handoff.pipeline import intake

    title = spec.inbound.title if spec.inbound else ""
    if not as_json:
        console.print(_t("intake.cli.archive", sha=seen.sha256[:16], size=seen.size, members=seen.members))
        console.print(_t("intake.cli.receive", programme=spec.id, title=title, vendor=vendor or spec.vendor,
                         handler=handler, quantity=quantity))
    _confirm(yes)
    entry, short = intake.receive(cfg, spec, staff, seen, handler=handler, quantity=quantity, vendor=vendor,
                                  where=where)
    medium = entry.subject["medium"]
    if as_json:
        typer.echo(json.dumps({"stage": "received", "job": entry.job, "medium": medium, "entry": entry.seq,
                               "checkpoint": short, "sha256": seen.sha256}, ensure_ascii=False))
        return
    console.print(_t("intake.cli.received", job=entry.job, medium=medium, seq=entry.seq, short=short))
    console.print(_t("intake.cli.next_notice", medium=medium, programme=spec.id, job=entry.job))


def _notice(cfg: SiteConfig, spec: ProgramSpec, staff: str, handler: str, job: str | None,
            where: dict[str, str | None], yes: bool, as_json: bool) -> None:
    from handoff.pipeline import intake

    job = job or intake.awaiting_notice(cfg, spec.id)
    if not as_json:
        console.print(_t("intake.cli.notice", job=job, handler=handler))
    _confirm(yes)
    entry, short = intake.receive_notice(cfg, spec, staff, handler=handler, job=job, where=where)
    notice = entry.subject["notice"]
    if as_json:
        typer.echo(json.dumps({"stage": "notice_received", "job": job, "notice": notice, "entry": entry.seq,
                               "checkpoint": short}, ensure_ascii=False))
        return
    console.print(_t("intake.cli.noticed", notice=notice, seq=entry.seq, short=short))
    console.print(_t("intake.cli.next_read", programme=spec.id))


def _read(cfg: SiteConfig, spec: ProgramSpec, staff: str, source: Any, seen: Any, password_fd: int | None,
          as_json: bool) -> None:
    from handoff.package import notice_id
    from handoff.pipeline import intake

    received = seen.received
    intake.ready_to_read(cfg, staff, received)  # refused before the password is asked for
    if not as_json:
        console.print(_t("intake.cli.reading", job=received.job, medium=received.subject["medium"]))
    result = intake.read(cfg, spec, staff, source, received, _password(password_fd))
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    console.print(_t("intake.cli.read", read=result.rows_read, imported=result.rows_imported,
                     excepted=result.rows_excepted, seq=result.seq, short=result.checkpoint))
    console.print(_t("intake.cli.import_file", path=result.import_path, sha=result.import_sha256[:16]))
    console.print(_t("intake.cli.exceptions", path=result.exceptions_path))
    console.print(_t("intake.cli.next_return", medium=result.medium, notice=notice_id(result.job)))


def _password(fd: int | None) -> bytes:
    """The password as typed from the notice: from ``fd`` (one line), or a prompt that does not echo."""
    import getpass
    import sys

    from handoff.errors import InputError

    if fd is not None:
        try:
            raw = b""
            while len(raw) <= MAX_PASSWORD_BYTES and (piece := os.read(fd, 256)):
                raw += piece
                if b"\n" in raw:
                    break
        except OSError as exc:
            raise InputError("intake.password_fd", fd=fd, reason=type(exc).__name__) from None
        return raw.split(b"\n", 1)[0].rstrip(b"\r")[:MAX_PASSWORD_BYTES]
    if not sys.stdin.isatty():
        raise InputError("intake.no_tty")
    return getpass.getpass(_t("intake.password_prompt")).encode("utf-8")
