"""``handoff schedule install`` — the systemd units or the crontab line that call ``handoff run --due`` daily."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import h, site

app = typer.Typer(help=h("help.schedule.app"), no_args_is_help=True)

SERVICE = """\
# handoff の定期実行（発送カレンダーで作成期間中の回を、抽出ファイルが届いていれば作成）。
# The daily scheduled run of handoff (run --due). Install beside handoff-due.timer:
#   sudo cp handoff-due.service handoff-due.timer /etc/systemd/system/
#   sudo systemctl daemon-reload && sudo systemctl enable --now handoff-due.timer
# It runs as the site's batch account (the staff entry with role batch in site.toml). Exit 1 (a run excepted
# rows) counts as success; 6 (a contract or certification blocks a cycle), 12 (an export is late) and the rest
# mark the unit failed, which OnFailure= or a log collector can alert on. Each call's summary is appended to
# {data}/logs/due-YYYYMMDD.json; the log lines go to {data}/logs/handoff.jsonl.
[Unit]
Description=handoff scheduled run of due mailing cycles (定期実行)
Documentation=file:///opt/handoff/README.md
After=network-online.target postgresql.service

[Service]
Type=oneshot
User={user}
Group={user}
Environment=HANDOFF_LANG=ja
UMask=0077
ExecStart={exe} --dir {home} run --due --json
# Exit 1 (rows excepted) is a finished run: the exceptions list is for the host system's staff.
SuccessExitStatus=1
ProtectSystem=strict
ReadWritePaths={home} {data}
ProtectHome={protect_home}
PrivateTmp=true
NoNewPrivileges=true
"""

TIMER = """\
# 毎日 {at} に handoff-due.service を起動します（電源が切れていた日は起動後に実行）。
# Starts handoff-due.service every day at {at}; a day missed while the machine was off runs at the next boot
# (Persistent=true). A second start while one runs ends at once: one run --due at a time per site.
[Unit]
Description=handoff scheduled run timer (定期実行)

[Timer]
OnCalendar=*-*-* {at}:00 Asia/Tokyo
Persistent=true
RandomizedDelaySec=5min

[Install]
WantedBy=timers.target
"""

CRON = """\
# handoff の定期実行（毎日 {at}）。crontab -e で実行用アカウントの crontab に追加します。
# 結果は {data}/logs/due-YYYYMMDD.json に追記されます。終了コード 1（除外行あり）は正常終了で何も出力しません。
# 作成できない回（契約・認証 6、抽出ファイル未着 12 など）は標準エラーにメッセージが出て、cron がメールで届けます。
CRON_TZ=Asia/Tokyo
{minute} {hour} * * * {exe} --dir {home} run --due --json >/dev/null
"""


def executable() -> Path:
    """This handoff's own command (beside the running Python, as a virtual environment installs it)."""
    beside = Path(sys.executable).parent / "handoff"
    if beside.is_file():
        return beside.absolute()
    found = shutil.which("handoff")
    return Path(found).absolute() if found else beside.absolute()


def render(kind: str, *, home: Path, data: Path, exe: Path, user: str, at: str) -> dict[str, str]:
    """The file names and texts for ``kind`` (systemd: the service and the timer; cron: the crontab line)."""
    hour, minute = at.split(":")
    # ProtectHome would hide a site or a virtual environment kept under a home folder from the service.
    homes = ("/home/", "/root/", "/run/user/")
    protect = "false" if any(str(p).startswith(homes) for p in (home, data, exe)) else "true"
    params = {"home": str(home), "data": str(data), "exe": str(exe), "user": user, "at": at,
              "hour": str(int(hour)), "minute": str(int(minute)), "protect_home": protect}
    if kind == "systemd":
        return {"handoff-due.service": SERVICE.format(**params), "handoff-due.timer": TIMER.format(**params)}
    return {"crontab": CRON.format(**params)}


@app.command("install", help=h("help.schedule.install"))
def install(
    systemd: Annotated[bool, typer.Option("--systemd", help=h("help.schedule.install.systemd"))] = False,
    cron: Annotated[bool, typer.Option("--cron", help=h("help.schedule.install.cron"))] = False,
    user: Annotated[str, typer.Option("--user", help=h("help.schedule.install.user"))] = "handoff",
    at: Annotated[str, typer.Option("--at", help=h("help.schedule.install.at"))] = "06:30",
) -> None:
    """The command `help.schedule.install`: Show the settings files for this site's scheduled run (handoff run --due
    each day); nothing is written."""
    from handoff.messages import t

    if systemd == cron:
        raise typer.BadParameter(t("schedule.install_choose"))
    m = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", at)
    if m is None:
        raise typer.BadParameter(t("schedule.install_at"), param_hint="--at")
    cfg = site()
    files = render("systemd" if systemd else "cron", home=cfg.home, data=cfg.data_path.absolute(), exe=executable(),
                   user=user, at=at)
    for name, text in files.items():  # written as they are: a terminal's width must not wrap a unit file
        if len(files) > 1:
            sys.stdout.write(f"# ==> {name} <==\n")
        sys.stdout.write(text)


@app.command("skip", help=h("help.schedule.skip"))
def skip(
    programme: Annotated[str, typer.Argument(help=h("help.schedule.skip.programme"))],
    cycle: Annotated[str, typer.Option("--cycle", help=h("help.schedule.skip.cycle"))],
    reason: Annotated[str, typer.Option("--reason", help=h("help.schedule.skip.reason"))],
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help=h("help.ledger.opt.staff"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=h("help.ledger.opt.yes"))] = False,
) -> None:
    """The command `help.schedule.skip`: Record that a mailing cycle is not to be made (a supervisor, with the
    reason); it is then neither due nor missed."""
    import datetime as dt

    from handoff.cli.common import confirm, console, known_staff
    from handoff.contract import TOKYO
    from handoff.ledger.service import current_checkpoint
    from handoff.messages import t
    from handoff.pipeline.scheduled import skip_cycle
    from handoff.programme import find_programme

    cfg = site()
    known_staff(cfg, staff)
    spec = find_programme(cfg.pipelines_path, programme)
    console.print(t("schedule.skip_confirm_line", programme=spec.id, cycle=cycle), markup=False)
    if not yes:
        if not sys.stdin.isatty():
            raise typer.BadParameter(t("inspection.ui.needs_yes"), param_hint="--yes")
        confirm(t("ledger.cli.confirm"))
    entry = skip_cycle(cfg, spec, cycle, reason, staff, dt.datetime.now(TOKYO).date())
    cp = current_checkpoint(cfg)
    console.print(t("inspection.ui.recorded", seq=entry.seq, event=t("ledger.event.cycle.skipped"), short=cp.short),
                  markup=False)
