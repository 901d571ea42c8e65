"""``handoff inspect delivery`` (納品検査 of sealed envelopes) and ``handoff vendor inspect`` (実地検査).

Register with ``app.add_typer(inspect.inspect_app, name="inspect")`` and ``app.add_typer(inspect.vendor_app,
name="vendor")``. The commands parse, prompt and print; the reconciliation and the records are in
handoff.pipeline.inspection. Output names piece numbers and codes only, never a name or an address.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from handoff.cli.common import console, field_label, h, site, tell
from handoff.cli.ledger import Staff, Yes

if TYPE_CHECKING:
    from handoff.ledger.events import Entry
    from handoff.pipeline.inspection import Expected, Reconciliation

inspect_app = typer.Typer(help=h("help.inspect.inspect_app"), no_args_is_help=True,
                          rich_markup_mode=None)
vendor_app = typer.Typer(help=h("help.inspect.vendor_app"), no_args_is_help=True, rich_markup_mode=None)


def _t(code: str, /, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


def _confirm(question: str) -> None:
    """Ask (a terminal only; a script passes --yes); a "no" is Declined (exit 13) with nothing recorded."""
    from handoff.cli.common import confirm

    if not sys.stdin.isatty():
        raise typer.BadParameter(_t("inspection.ui.needs_yes"), param_hint="--yes")
    confirm(question)


def _recorded(entry: Entry, to_stderr: bool) -> None:
    from handoff.ledger.service import current_checkpoint

    cp = current_checkpoint(site())
    line = _t("inspection.ui.recorded", seq=entry.seq, event=_t("ledger.event." + entry.type), short=cp.short)
    if to_stderr:  # --json: stdout holds the JSON only
        tell(line)
    else:
        console.print(line)


# --- delivery inspection -----------------------------------------------------------------------------------
def _read_file(path: Path) -> list[str]:
    from handoff.errors import InputError

    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("inspection.scans_unreadable", path=str(path)) from exc


def _read_live(stream: TextIO, expected: Expected) -> list[str]:
    """Lines as a scanner types them, until an empty line or EOF, with the running counts after each."""
    tell(_t("inspection.ui.prompt"))
    lines: list[str] = []
    times: Counter[str] = Counter()
    for raw in stream:
        code = raw.strip()
        if not code:
            break
        lines.append(code)
        times[code] += 1
        pieces = {expected.piece_of[c] for c in times if c in expected.piece_of}
        tell(_t("inspection.ui.running", scanned=len(lines), inspected=len(pieces), quantity=len(expected.pieces),
                duplicated=sum(1 for c, n in times.items() if n > 1 and c in expected.piece_of),
                other=sum(n for c, n in times.items() if c not in expected.piece_of)))
    return lines


def _print_findings(rec: Reconciliation) -> None:
    c = rec.counts()
    console.print(_t("inspection.ui.summary", job=rec.job, **{k: c[k] for k in
                     ("quantity", "inspected", "passed", "defects", "scanned")}))
    if rec.clean:
        console.print(_t("inspection.ui.all_matched"))
        return
    sections = [("missing", rec.missing), ("duplicated", rec.duplicated), ("unknown", rec.unknown),
                ("other_job", rec.other_job), ("faulted", rec.faulted)]
    for name, found in sections:
        if not found:
            continue
        console.print(_t(f"inspection.ui.{name}", count=len(found)), markup=False)
        for item in found:
            # "code" is the catalogue's own parameter name: the scanned code is passed as "value"
            params = {("value" if k == "code" else k): v for k, v in item.items()}
            params["later"] = _t("inspection.ui.ok_later") if item.get("ok_later") else ""
            console.print(_t(_line_code(name, item), **params), markup=False)


def _line_code(section: str, item: dict[str, object]) -> str:
    if section == "faulted":
        if item.get("piece") is not None:
            return "inspection.ui.faulted_piece"
        return "inspection.ui.faulted_code" if item.get("code") else "inspection.ui.faulted_line"
    if section == "duplicated":
        return "inspection.ui.piece_times"
    if section == "other_job":
        return "inspection.ui.other_piece"
    if section == "unknown":
        return "inspection.ui.unknown_code" if item.get("code") else "inspection.ui.unknown_line"
    return "inspection.ui.piece"


@inspect_app.command("delivery", help=h("help.inspect.delivery"))
def delivery(
    job: Annotated[str, typer.Argument(help=h("help.inspect.delivery.job"))],
    staff: Staff,
    scans: Annotated[str | None, typer.Option(
        "--scans", help=h("help.inspect.delivery.scans"))] = None,
    log: Annotated[Path | None, typer.Option(
        "--log", help=h("help.inspect.delivery.log"))] = None,
    as_json: Annotated[bool, typer.Option("--json", help=h("help.inspect.delivery.as_json"))] = False,
    yes: Yes = False,
) -> None:
    """The command `help.inspect.delivery`: Reconcile the envelopes' codes (or the inserter's log) with the planned
    codes and record it in the ledger (a mismatch is exit code 1)."""
    from handoff.errors import InputError
    from handoff.pipeline import inspection

    cfg = site()
    expected = inspection.load_expected(cfg, job)
    others = inspection.other_jobs(cfg, job)
    recs: list[Reconciliation] = []
    if log is not None:  # read (and refused) before anyone scans a single envelope
        lines_of_log = inspection.read_log(log, inspection.log_format(cfg, job))
        if not (lines_of_log.ok or lines_of_log.faulted):
            raise InputError("inspection.log_empty")
        recs.append(inspection.reconcile_log(expected, others, lines_of_log))
    if scans is not None or log is None:
        if scans is None and not sys.stdin.isatty():
            raise typer.BadParameter(_t("inspection.ui.needs_scans"), param_hint="--scans")
        lines = _read_live(sys.stdin, expected) if scans in (None, "-") else _read_file(Path(scans or ""))
        parsed = inspection.parse_scans(lines)
        if not parsed:
            raise InputError("inspection.no_scans")
        recs.append(inspection.reconcile(expected, others, parsed))
    if as_json:
        found = [rec.to_json() for rec in recs]
        typer.echo(json.dumps(found[0] if len(found) == 1 else found, ensure_ascii=False, indent=2))
    else:
        for rec in recs:
            if len(recs) > 1:
                console.print(_t(f"inspection.ui.source_{rec.source}"))
            _print_findings(rec)
    if not yes:
        _confirm(_t("inspection.ui.confirm"))
    for rec in recs:  # one entry per source: the ledger says which one each count came from
        _recorded(inspection.record_delivery(cfg, staff, rec), to_stderr=as_json)
    if not all(rec.clean for rec in recs):
        raise typer.Exit(1)  # recorded; the listed envelopes need pulling and checking


# --- the vendor's on-site inspection -------------------------------------------------------------------------
@vendor_app.command("inspect", help=h("help.inspect.vendor_inspect"))
def vendor_inspect(
    vendor: Annotated[str, typer.Argument(help=h("help.inspect.vendor_inspect.vendor"))],
    date: Annotated[str, typer.Option("--date", help=h("help.inspect.vendor_inspect.date"))],
    by: Annotated[str, typer.Option("--by", help=h("help.inspect.vendor_inspect.by"))],
    result: Annotated[str, typer.Option("--result", help=h("help.inspect.vendor_inspect.result"))],
    staff: Staff,
    place: Annotated[str | None, typer.Option("--place", help=h("help.inspect.vendor_inspect.place"))] = None,
    yes: Yes = False,
) -> None:
    """The command `help.inspect.vendor_inspect`: Record an on-site inspection of a vendor (at least once a year, by two
    or more ward staff) in the ledger."""
    from handoff.pipeline import inspection

    cfg = site()
    day = inspection.parse_date(date)
    inspectors = inspection.parse_inspectors(by)
    console.print(f"{_t('ledger.event.vendor.inspected')}: {vendor}", markup=False)
    for key, value in (("performed_on", day.isoformat()), ("inspectors", ", ".join(inspectors)),
                       ("result", result), ("place", place)):
        if value:
            console.print(f"  {field_label(key)}: {value}", markup=False)
    if not yes:
        _confirm(_t("ledger.cli.confirm"))
    _recorded(inspection.record_vendor(cfg, staff, vendor, day, inspectors, result, place), to_stderr=False)
