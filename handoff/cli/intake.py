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

from handoff.cli.common import console, site

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.programme import ProgramSpec

MAX_PASSWORD_BYTES = 1024


def _t(code: str, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


def intake_cmd(
    programme: Annotated[str, typer.Argument(help="事業ID（事業ファイルに [inbound] があること）")],
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help="記録する職員ID（site.toml の staff）")],
    image: Annotated[Path | None, typer.Option(
        "--image", help="受け取った媒体を読み取ったイメージ（ISO）、または ZIP そのもの")] = None,
    device: Annotated[str | None, typer.Option(
        "--device", help="受け取った媒体を入れたドライブ（/dev/sr0 など）")] = None,
    notice: Annotated[bool, typer.Option("--notice", help="パスワード通知書の受領を記録（媒体とは別の日）")] = False,
    job: Annotated[str | None, typer.Option(
        "--job", help="受領ジョブID（--notice で、待っている媒体が複数のとき）")] = None,
    handler: Annotated[str | None, typer.Option("--handler", help="持参した業者の取扱者ID（届出済み）")] = None,
    quantity: Annotated[int | None, typer.Option("--quantity", help="件数（委託業者の記載。読取り時に照合）")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help="委託業者ID（省略時は事業の業者）")] = None,
    bag: Annotated[str | None, typer.Option("--bag", help="鍵付きカバン・封印の番号")] = None,
    place: Annotated[str | None, typer.Option("--place", help="場所")] = None,
    condition: Annotated[str | None, typer.Option("--condition", help="状態（封印の状態など）")] = None,
    on: Annotated[dt.datetime | None, typer.Option(
        "--on", formats=["%Y-%m-%d"], help="受領日（日本時間、YYYY-MM-DD）: 後から記録するとき")] = None,
    password_fd: Annotated[int | None, typer.Option(
        "--password-fd",
        help="パスワードをこのファイル記述子から読む（スクリプト用。引数・環境変数では渡せません）")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="確認せずに実行（スクリプト用）")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="結果を JSON で出力（ID・件数・ハッシュのみ）")] = False,
) -> None:
    """委託業者から戻るデータ（暗号化 ZIP の媒体）の受領、通知書の受領、読取りと取込みファイルの作成を行います。"""
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
    from handoff.errors import ExitCode

    if not yes and not typer.confirm(_t("ledger.cli.confirm")):
        console.print(_t("ledger.cli.cancelled"))
        raise typer.Exit(int(ExitCode.INTERRUPTED))


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
