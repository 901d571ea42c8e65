"""``handoff notice …`` and ``handoff media …`` — the operator's steps after a run, recorded in the ledger.

Commands only parse, call the library (handoff.package, handoff.media, handoff.ledger) and print. Heavy imports
stay inside the functions so that ``handoff --help`` remains fast.

Ledger wiring: before anything physical happens (a disc burned, a notice printed and its file deleted) the
ledger is checked — site initialised, staff registered, job prepared, item not yet recorded — because once the
disc or paper exists an entry refused by the custody rules would leave it untracked. After the step,
``medium.written`` / ``notice.printed`` is recorded and the checkpoint that includes it goes on the disc label.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import console, err_console, site
from handoff.cli.ledger import Staff

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.media.status import MediumStatus
    from handoff.pipeline.workspace import JobDir

notice_app = typer.Typer(help="パスワード通知書（印刷するとファイルは削除されます）。", no_args_is_help=True,
                         rich_markup_mode=None)
media_app = typer.Typer(help="受渡し媒体（DVD-R）の書込み・読み戻し検証・一覧。", no_args_is_help=True,
                        rich_markup_mode=None)

JobArg = Annotated[str, typer.Argument(help="ジョブID")]
_TO_FILE = "印刷せずにこのファイルへ保存（0600）"
_DEVICE = "ドライブ（/dev/sr0、stdio:/パス.iso など）"
_YES = "確認せずに書き込む（未使用媒体の確認を省略）"
_NO_DISC = "media.image_changed"  # burn() refused before touching the disc: there is no disc to record


def _job(job_id: str) -> tuple[SiteConfig, JobDir]:
    from handoff.pipeline.workspace import JobDir

    cfg = site()
    return cfg, JobDir.open(cfg.data_path, job_id)


def _ledger_ready(cfg: SiteConfig, staff: str, job: str, event: str) -> set[str]:
    """Refuse before the physical step when the ledger could not record it; return the job's items already
    recorded with ``event`` (``medium.written`` or ``notice.printed``)."""
    from handoff.errors import CustodyError, StateError
    from handoff.ledger.paths import LedgerPaths
    from handoff.ledger.service import Ledger

    paths = LedgerPaths.of(cfg)
    if not paths.signer.exists():
        # Without this, Ledger.open would fail on the missing key file, which does not say what to do.
        raise StateError("ledger.not_initialised", location=str(paths.root))
    if cfg.staff_member(staff) is None:
        raise CustodyError("custody.unknown_staff", staff=staff)
    with Ledger.open(cfg) as ledger:
        entries = list(ledger.entries(job=job))
    if not any(e.type == "job.prepared" for e in entries):
        raise CustodyError("custody.job_not_prepared", job=job, event=event)
    return {e.item for e in entries if e.type == event and e.item}


@notice_app.command("print")
def notice_print(
    job: JobArg,
    staff: Staff,
    to_file: Annotated[Path | None, typer.Option("--to-file", help=_TO_FILE)] = None,
) -> None:
    """パスワード通知書を印刷（lp）またはファイルに保存し、ジョブフォルダから削除して管理簿に記録します。"""
    from handoff.errors import CustodyError, HandoffError
    from handoff.ledger import service
    from handoff.log import get_logger
    from handoff.messages import t
    from handoff.package import notice_id
    from handoff.package.notice_print import (
        clear_pending,
        existing_notice,
        export_notice,
        pending_print,
        print_notice,
    )

    cfg, jobdir = _job(job)
    notice = notice_id(job)
    pending = pending_print(jobdir)
    if pending is not None:
        # Printed, then the ledger write failed (crash, database down): record it now from the marker; the
        # password is never printed twice.
        if notice not in _ledger_ready(cfg, staff, job, "notice.printed"):
            entry = service.notice_printed(cfg, staff, job=job, notice=notice, printer=str(pending["printer"]))
            short = service.current_checkpoint(cfg).short
            console.print(t("notice.ui.caught_up", notice=notice))
            console.print(t("notice.ui.recorded", notice=notice, seq=entry.seq, short=short))
        clear_pending(jobdir)
        return
    existing_notice(jobdir)  # a missing file is the clearer refusal; check it before the ledger
    if notice in _ledger_ready(cfg, staff, job, "notice.printed"):
        raise CustodyError("custody.item_exists", item=notice)
    if to_file is not None:
        path = export_notice(jobdir, to_file)
        printer = "file"
        console.print(t("notice.ui.exported", path=str(path)))
        get_logger(job=job).info("notice.exported")
    else:
        request = print_notice(jobdir, cfg.printer)
        printer = cfg.printer or "default"
        console.print(t("notice.ui.printed", job=job, request=request))
        get_logger(job=job).info("notice.printed", printer=printer)
    try:
        entry = service.notice_printed(cfg, staff, job=job, notice=notice, printer=printer)
    except HandoffError as exc:
        # The paper exists now; the marker lets the next ``notice print`` record it.
        err_console.print(t("notice.ledger_not_recorded", notice=notice, error=exc.code))
        raise
    clear_pending(jobdir)
    short = service.current_checkpoint(cfg).short
    console.print(t("notice.ui.recorded", notice=notice, seq=entry.seq, short=short))
    console.print(t("notice.ui.reminder"))


@media_app.command("list")
def media_list(job: JobArg) -> None:
    """ジョブの媒体と状態（書込み待ち・検証済み・使用不可）を表示します。"""
    from rich.table import Table

    from handoff.media.status import list_media
    from handoff.messages import t

    _cfg, jobdir = _job(job)
    table = Table(t("media.ui.list_header"), t("media.ui.state"), t("media.ui.size"), t("media.ui.image_sha"))
    for m in list_media(jobdir):
        size = str(m.details.get("image_size", ""))
        sha = str(m.details.get("image_sha256", ""))[:16]
        table.add_row(m.medium_id, t(f"media.ui.state.{m.state}"), size, sha)
    console.print(table)


@media_app.command("burn")
def media_burn(
    job: JobArg,
    staff: Staff,
    device: Annotated[str | None, typer.Option("--device", help=_DEVICE)] = None,
    medium: Annotated[str | None, typer.Option("--medium", help="この媒体IDだけを書き込む")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=_YES)] = False,
) -> None:
    """媒体を DVD-R に書き込み、読み戻して照合し、管理簿に記録して、チェックポイント入りのラベルPDFを作成します。"""
    from handoff.errors import CustodyError, StateError
    from handoff.media.status import list_media
    from handoff.messages import t

    cfg, jobdir = _job(job)
    media = list_media(jobdir)
    if medium is not None:
        media = [m for m in media if m.medium_id == medium]
        if not media:
            raise StateError("media.unknown_medium", medium=medium)
    recorded = _ledger_ready(cfg, staff, job, "medium.written")
    # A disc burned while the ledger write then failed (crash, database unavailable) can never be burned
    # again (its status moved on), so it is recorded here from its status file instead of staying untracked.
    missed = [m for m in media if m.medium_id not in recorded and _disc_exists(m)]
    for m in missed:
        label = _record_written(cfg, staff, jobdir, m, None)
        console.print(t("media.ui.caught_up", medium=m.medium_id))
        if label is not None:
            console.print(t("media.ui.label_written", path=str(label)))
    todo = [m for m in media if m.state == "written"]
    if clash := [m.medium_id for m in todo if m.medium_id in recorded]:
        raise CustodyError("custody.item_exists", item=clash[0])
    if not todo:
        if missed:
            return
        raise StateError("media.nothing_to_burn", job=job) if medium is None else \
            StateError(f"media.state_{media[0].state}", medium=medium)
    dev = device or _choose_drive(yes)
    console.print(t("media.ui.device", device=dev))
    for m in todo:
        index, count = int(m.details.get("index", 1)), int(m.details.get("count", 1))
        prompt = t("media.ui.insert_blank", medium=m.medium_id, index=index, count=count, device=dev)
        if not yes and not typer.confirm(prompt, default=False):
            console.print(t("media.ui.cancelled"))
            raise typer.Exit(1)
        _burn_one(cfg, staff, jobdir, m.medium_id, dev)


def _disc_exists(status: MediumStatus) -> bool:
    """Whether burn() got as far as the drive for this medium (its status names the device it used)."""
    return status.state in ("verified", "unusable") and "device" in status.details \
        and status.details.get("reason") != _NO_DISC


def _burn_one(cfg: SiteConfig, staff: str, jobdir: JobDir, medium_id: str, device: str) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from handoff.errors import HandoffError
    from handoff.log import get_logger
    from handoff.media.burn import burn
    from handoff.media.status import medium_status
    from handoff.messages import t

    # Read before burning: a real drive ejects the disc afterwards.
    media_type = _media_type(device)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                      TimeElapsedColumn(), console=err_console, transient=True,
                      disable=not err_console.is_terminal) as bar:
            task = bar.add_task(t("media.ui.burn"), total=1.0)

            def progress(phase: str, fraction: float) -> None:
                bar.update(task, description=t(f"media.ui.{phase}"), completed=fraction)

            result = burn(jobdir, medium_id, device, progress)
    except HandoffError as exc:  # outside the progress bar, so the messages below are not drawn over
        status = medium_status(jobdir, medium_id)
        if _disc_exists(status):
            # The failed disc exists and must be destroyed: the ledger tracks it until medium.destroyed.
            try:
                _record_written(cfg, staff, jobdir, status, media_type)
            except HandoffError as ledger_exc:
                # The burn failure is what the operator must act on; the next ``media burn`` records it.
                err_console.print(t("media.ledger_not_recorded", medium=medium_id, error=ledger_exc.code))
        get_logger(job=jobdir.job_id).warning("medium.burn_failed", medium=medium_id, code=exc.code)
        raise
    status = medium_status(jobdir, medium_id)
    label = _record_written(cfg, staff, jobdir, status, media_type)
    get_logger(job=jobdir.job_id).info("medium.burned", medium=medium_id, image_sha256=result.image_sha256,
                                       device=device, tool=result.tool)
    console.print(t("media.ui.verified", medium=medium_id, label=str(label)))


def _record_written(cfg: SiteConfig, staff: str, jobdir: JobDir, status: MediumStatus,
                    media_type: str | None) -> Path | None:
    """``medium.written`` from the medium's status file; for a verified disc also the label with the checkpoint
    that includes the entry (returned), so the paper in the disc case witnesses the ledger."""
    import datetime as dt

    from handoff.ledger import service
    from handoff.ledger.events import TOKYO
    from handoff.messages import t
    from handoff.package.label import LabelInfo, write_label

    d = status.details
    verified = status.state == "verified"  # an unusable disc failed a read-back at some point: never handed over
    entry = service.medium_written(
        cfg, staff, job=jobdir.job_id, medium=status.medium_id, iso_sha256=str(d["image_sha256"]),
        verified=verified, readback_sha256=str(d["readback_sha256"]) if verified else None,
        drive=str(d.get("device") or "") or None, tool=str(d.get("tool") or "") or None, media_type=media_type)
    checkpoint = service.current_checkpoint(cfg)
    key = "media.ui.recorded_verified" if verified else "media.ui.recorded_failed"
    console.print(t(key, medium=status.medium_id, seq=entry.seq, short=checkpoint.short))
    if not verified:
        return None
    index, count = int(d.get("index", 1)), int(d.get("count", 1))
    info = LabelInfo(jobdir.job_id, status.medium_id, index, count, dt.datetime.now(TOKYO).date(),
                     checkpoint=checkpoint.short, checkpoint_note=checkpoint.note)
    return write_label(jobdir, info)


def _media_type(device: str) -> str | None:
    """xorriso's "Media current" line (e.g. ``DVD-R sequential recording``), or None when it says nothing."""
    import re
    import subprocess

    from handoff.media.burn import xorriso

    proc = subprocess.run([xorriso(), "-outdev", device, "-tell_media_space"], capture_output=True, text=True,
                          check=False)
    m = re.search(r"Media current\s*:\s*(.+)", proc.stdout + proc.stderr)
    return m[1].strip() if m else None


def _choose_drive(yes: bool) -> str:
    from handoff.errors import ToolError
    from handoff.media.burn import list_drives
    from handoff.messages import t

    drives = list_drives()
    if not drives:
        raise ToolError("media.no_drive")
    console.print(t("media.ui.drives"))
    for i, d in enumerate(drives, 1):
        console.print(f"  {i}. {d.address}  {d.vendor} {d.model}")
    if len(drives) == 1:
        return drives[0].address
    if yes:
        raise ToolError("media.several_drives")
    while True:
        choice: int = typer.prompt("番号", type=int)
        if 1 <= choice <= len(drives):
            return drives[choice - 1].address


@media_app.command("verify")
def media_verify(
    job: JobArg,
    medium: Annotated[str, typer.Option("--medium", help="媒体ID")],
    device: Annotated[str, typer.Option("--device", help=_DEVICE)],
) -> None:
    """書込み済みの媒体（返却された媒体など）を読み戻し、イメージと照合します。不一致なら使用不可にします。"""
    from handoff.media.burn import verify_medium
    from handoff.messages import t

    _cfg, jobdir = _job(job)
    verify_medium(jobdir, medium, device)
    console.print(t("media.ui.verify_ok", medium=medium))
