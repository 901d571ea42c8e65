"""``handoff returned-mail record JOB --scans F``: 返戻 (mail brought back by the post office), recorded.

Parses, confirms and prints; the reconciliation, the follow-up list and the ledger entry are in
handoff.pipeline.returned_mail. Output names piece numbers and codes only, never a name or an address.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import console, h, site, tell
from handoff.cli.ledger import Staff, Yes

if TYPE_CHECKING:
    from handoff.pipeline.returned_mail import Returned

app = typer.Typer(help=h("help.returned_mail.app"), no_args_is_help=True, rich_markup_mode=None)


def _t(code: str, /, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


@app.command("record", help=h("help.returned_mail.record"))
def record_cmd(
    job: Annotated[str, typer.Argument(help=h("help.returned_mail.job"))],
    scans: Annotated[Path, typer.Option("--scans", help=h("help.returned_mail.scans"))],
    staff: Staff,
    as_json: Annotated[bool, typer.Option("--json", help=h("help.returned_mail.json"))] = False,
    yes: Yes = False,
) -> None:
    """Returned envelopes' codes matched to the job's pieces and recorded (help: help.returned_mail.record)."""
    from handoff.errors import ExitCode, InputError
    from handoff.ledger.service import current_checkpoint
    from handoff.pipeline import inspection, returned_mail

    cfg = site()
    try:
        lines = scans.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("inspection.scans_unreadable", path=str(scans)) from exc
    parsed = inspection.parse_scans(lines)
    if not parsed:
        raise InputError("mail.returned.no_scans")
    returned = returned_mail.prepare(cfg, job, parsed)
    if as_json:
        typer.echo(json.dumps(returned.to_json(), ensure_ascii=False, indent=2))
    else:
        _print(returned)
    if not yes:
        if not sys.stdin.isatty():
            raise typer.BadParameter(_t("inspection.ui.needs_yes"), param_hint="--yes")
        if not typer.confirm(_t("mail.returned.confirm")):
            console.print(_t("ledger.cli.cancelled"))
            raise typer.Exit(int(ExitCode.INTERRUPTED))
    done = returned_mail.record(cfg, staff, returned)
    cp = current_checkpoint(cfg)
    line = _t("inspection.ui.recorded", seq=done.entry.seq, event=_t("ledger.event." + done.entry.type), short=cp.short)
    listed = _t("mail.returned.list", path=str(done.list_path))
    for text in (line, listed):
        if as_json:  # stdout holds the JSON only
            tell(text)
        else:
            console.print(text, markup=False)
    if returned.needs_checking:
        raise typer.Exit(1)  # recorded; the listed envelopes are not this job's and need looking at


def _print(returned: Returned) -> None:
    c = returned.counts()
    console.print(_t("mail.returned.summary", job=returned.job, **{k: c[k] for k in
                     ("scanned", "matched", "duplicates", "unknown", "other_job")}), markup=False)
    for item in returned.duplicates:
        why = _t("mail.returned.earlier" if item["earlier"] else "mail.returned.again")
        console.print(_t("mail.returned.duplicate", line=item["line"], piece=item["piece"], why=why), markup=False)
    for item in returned.unknown:
        code = "mail.returned.unknown_code" if item.get("code") else "mail.returned.unknown_line"
        console.print(_t(code, line=item["line"], value=item.get("code"), length=item.get("length")), markup=False)
    for item in returned.other_job:
        console.print(_t("mail.returned.other_piece", line=item["line"], job=item["job"], piece=item["piece"]),
                      markup=False)
