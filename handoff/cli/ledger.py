"""``handoff init``, ``handoff ledger …`` and ``handoff custody …``: thin wrappers over handoff.ledger.

Register with ``app.command("init")(ledger.init_cmd)``, ``app.add_typer(ledger.ledger_app, name="ledger")``
and ``app.add_typer(ledger.custody_app, name="custody")``. Library imports stay inside the commands, so
``handoff --help`` stays fast. The module is one unit: the ledger's and the custody commands share their options
(staff, item, declared date) and the one show-confirm-record path every custody step goes through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from handoff.cli.common import console, field_label, h, known_staff, site, state

if TYPE_CHECKING:
    from handoff.ledger.events import Entry
    from handoff.ledger.service import Ledger

ledger_app = typer.Typer(help=h("help.ledger.ledger_app"), no_args_is_help=True)
custody_app = typer.Typer(
    help=h("help.ledger.custody_app"),
    no_args_is_help=True
)

Yes = Annotated[bool, typer.Option("--yes", "-y", help=h("help.ledger.opt.yes"))]
Staff = Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help=h("help.ledger.opt.staff"))]
Medium = Annotated[str | None, typer.Option("--medium", help=h("help.ledger.opt.medium"))]
Notice = Annotated[str | None, typer.Option("--notice", help=h("help.ledger.opt.notice"))]
Paper = Annotated[str | None, typer.Option("--paper", help=h("help.ledger.opt.paper"))]
Place = Annotated[str | None, typer.Option("--place", help=h("help.ledger.opt.place"))]
Condition = Annotated[str | None, typer.Option("--condition", help=h("help.ledger.opt.condition"))]


def _t(code: str, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


def _confirm(question: str) -> None:
    """Ask; a "no" is Declined (exit 13) with nothing done."""
    from handoff.cli.common import confirm

    confirm(question)


def init_cmd(
    target: Annotated[Path | None, typer.Option("--dir", help=h("help.ledger.init.target"))] = None,
    yes: Yes = False,
) -> None:
    """The command `help.ledger.init`: Create a new site (settings, programme files, data folder, signing key,
    ledger)."""
    from handoff.pipeline.site import init_site

    target = target or state.home
    if target is None:
        raise typer.BadParameter(_t("ledger.init_needs_dir"), param_hint="--dir")
    if not yes:
        _confirm(_t("ledger.cli.init_confirm", path=target))
    key, checkpoint = init_site(target)
    console.print(_t("ledger.cli.initialised", path=target, short=checkpoint.short, key=key))


# --- ledger ---------------------------------------------------------------------------------------------
def _day(flag: str, help_text: str) -> Any:
    return typer.Option(flag, formats=["%Y-%m-%d"], help=help_text)


From = Annotated[dt.datetime | None, _day("--from", h("help.ledger.opt.from"))]
To = Annotated[dt.datetime | None, _day("--to", h("help.ledger.opt.to"))]
Programme = Annotated[str | None, typer.Option("--programme", help=h("help.ledger.opt.programme"))]
VendorId = Annotated[str | None, typer.Option("--vendor", help=h("help.ledger.opt.vendorid"))]
JobId = Annotated[str | None, typer.Option("--job", help=h("help.ledger.opt.jobid"))]
On = Annotated[
    dt.datetime | None,
    _day("--on", h("help.ledger.opt.on")),
]


def _selection(start: dt.datetime | None, end: dt.datetime | None, programme: str | None, vendor: str | None,
               job: str | None) -> Any:
    from handoff.paper.ledger_export import Selection

    return Selection(start.date() if start else None, end.date() if end else None, programme, vendor, job)


@ledger_app.command("show", help=h("help.ledger.show"))
def show(
    job: JobId = None,
    limit: Annotated[int, typer.Option("--limit", help=h("help.ledger.show.limit"))] = 50,
    as_json: Annotated[bool, typer.Option("--json", help=h("help.ledger.show.as_json"))] = False,
    start: From = None,
    end: To = None,
    programme: Programme = None,
    vendor: VendorId = None,
) -> None:
    """The command `help.ledger.show`: Show the ledger's entries (times in Japan time; voided and corrected entries are
    marked)."""
    from handoff.cli.common import Column, print_rows
    from handoff.ledger.service import Ledger
    from handoff.paper.ledger_export import SHOW_HEADINGS, show_rows

    cfg = site(log=False)
    selection = _selection(start, end, programme, vendor, job)
    with Ledger.open(cfg) as ledger:
        entries = list(ledger.entries())
    table_rows = list(show_rows(entries, cfg, selection))
    if limit:
        table_rows = table_rows[-limit:]
    if as_json:
        kept = {r[4] for r in table_rows}  # the seq column: the raw entries of the rows selected
        for e in entries:
            if str(e.seq) in kept:
                typer.echo(e.data.decode())
        return
    declared = {str(e.seq): e.payload["on"] for e in entries if "on" in e.payload}
    shown = []
    for r in table_rows:
        if r[4] in declared:  # an event recorded after the fact: its declared date beside the recorded time
            r = [_t("custody.cli.show_on", time=r[0], date=declared[r[4]]), *r[1:]]
        shown.append(r)
    print_rows([Column(h, whole=h in SHOW_WHOLE) for h in SHOW_HEADINGS], shown)


# What ``ledger show`` prints whole (never cut or wrapped): the ids an operator copies into the next command.
SHOW_WHOLE = frozenset({"連番", "ジョブ", "媒体・通知書", "チェックポイント"})


@ledger_app.command("export", help=h("help.ledger.export"))
def export_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help=h("help.ledger.export.out"))],
    start: From = None,
    end: To = None,
    programme: Programme = None,
    vendor: VendorId = None,
    job: JobId = None,
) -> None:
    """The command `help.ledger.export`: Export the ledger to CSV, XLSX or PDF (columns: time, handler, content,
    quantity … correction, void)."""
    from handoff.ledger.service import Ledger
    from handoff.paper.ledger_export import FORMATS, export

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt or '?'} ∉ {', '.join(FORMATS)}", param_hint="--out")
    if out.exists():
        from handoff.errors import StateError

        raise StateError("ledger.output_exists", path=str(out))
    with Ledger.open(site()) as ledger:
        export(ledger, fmt, out, _selection(start, end, programme, vendor, job))
    console.print(_t("ledger.cli.exported", path=out))


@ledger_app.command("correct", help=h("help.ledger.correct"))
def correct_cmd(
    seq: Annotated[int, typer.Argument(help=h("help.ledger.correct.seq"))],
    reason: Annotated[str, typer.Option("--reason", help=h("help.ledger.correct.reason"))],
    staff: Staff,
    void: Annotated[bool, typer.Option("--void", help=h("help.ledger.correct.void"))] = False,
    sets: Annotated[list[str] | None, typer.Option("--set", help=h("help.ledger.correct.sets"))] = None,
    yes: Yes = False,
) -> None:
    """The command `help.ledger.correct`: Correct or void a wrong entry. The original is never rewritten; a correction
    entry is added."""
    from handoff.ledger.service import Ledger, correction_payload

    with Ledger.open(site()) as ledger:
        target, payload = correction_payload(ledger, seq, reason, void=void, sets=sets or [])
        what = target.item or target.job or ""
        console.print(_t("ledger.cli.correct_target", seq=seq, event=_t("ledger.event." + target.type), what=what))
        if void:
            console.print(_t("ledger.cli.correct_void"))
        for key, new in payload.get("changes", {}).items():
            console.print(_t("ledger.cli.correct_change", key=key, old=target.payload.get(key, "-"), new=new))
        console.print(_t("ledger.cli.correct_reason", reason=reason))
        if not yes:
            _confirm(_t("ledger.cli.confirm"))
        entry = ledger.record("correction", {"entry": str(seq)}, payload, staff)
        label = _t("ledger.event.correction")
        console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=ledger.last_checkpoint.short))


@ledger_app.command("verify", help=h("help.ledger.verify"))
def verify_cmd(
    witness: Annotated[
        list[Path] | None,
        typer.Option("--witness", help=h("help.ledger.verify.witness")),
    ] = None,
) -> None:
    """The command `help.ledger.verify`: Verify every ledger entry. Exit code 7 on tampering, a gap or truncation."""
    from handoff import api

    report = api.verify(site(), [p.read_text(encoding="utf-8") for p in witness or []])
    short = f"{report.entries}/{report.root.hex()[:16]}"
    console.print(_t("ledger.cli.verified", entries=report.entries, checkpoints=report.checkpoints, short=short))


@ledger_app.command("checkpoint", help=h("help.ledger.checkpoint"))
def checkpoint_cmd(
    out: Annotated[Path | None, typer.Option("--out", "-o", help=h("help.ledger.checkpoint.out"))] = None,
) -> None:
    """The command `help.ledger.checkpoint`: Show the current signed checkpoint. The auditor keeps it as a witness
    copy."""
    from handoff.fs import write_atomic
    from handoff.ledger.service import Ledger

    with Ledger.open(site()) as ledger:
        current = ledger.current_checkpoint()
    if out is not None:
        write_atomic(out, current.note.encode())
    typer.echo(current.note, nl=False)
    typer.echo(current.short)


# --- custody --------------------------------------------------------------------------------------------
def _item(medium: str | None, notice: str | None, paper: str | None = None) -> tuple[str, str]:
    given = [(kind, item) for kind, item in (("medium", medium), ("notice", notice), ("paper", paper))
             if item is not None]
    if len(given) != 1:
        raise typer.BadParameter(_t("ledger.cli.one_item"))
    return given[0]


def _on(on: dt.datetime | None) -> str | None:
    return on.date().isoformat() if on is not None else None


def _show_on(day: str) -> None:
    """The declared date and, when it is not today (Japan), how many days before today it is."""
    from handoff.ledger.events import TOKYO

    console.print(_t("custody.cli.on", date=day))
    gap = (dt.datetime.now(TOKYO).date() - dt.date.fromisoformat(day)).days
    if gap:
        console.print(_t("custody.cli.on_gap", days=gap))


def _record(
    kind: str,
    item: str,
    action: str,
    payload: dict[str, Any],
    staff: str,
    yes: bool,
    after: Callable[[Ledger, Entry], None] | None = None,
) -> None:
    """Show what will be recorded, confirm (unless --yes), record; ``after`` runs with the ledger open."""
    from handoff.cli.common import tell
    from handoff.ledger.service import Ledger
    from handoff.pipeline.recover import before_custody

    event = f"{kind}.{action}"
    label = _t("ledger.event." + event)
    clean = {k: v for k, v in payload.items() if v is not None}
    cfg = site()
    known_staff(cfg, staff)
    # Interrupted jobs are abandoned (and said so) first; an item of an incomplete job is never handed over.
    before_custody(cfg, staff, item, action, tell)
    with Ledger.open(cfg) as ledger:
        if action == "handed_over" and "vendor" not in clean:
            clean["vendor"] = ledger.vendor_of(kind, item) or ""
        console.print(f"{label}: {item}")
        for key, value in clean.items():
            if key != "on":
                console.print(f"  {field_label(key)}: {value}")
        if "on" in clean:
            _show_on(str(clean["on"]))
        if not yes:
            _confirm(_t("ledger.cli.confirm"))
        entry = ledger.record(event, {kind: item}, clean, staff)
        short = ledger.last_checkpoint.short
        console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=short))
        if after is not None:
            after(ledger, entry)


@custody_app.command("store", help=h("help.ledger.store"))
def store_cmd(
    cabinet: Annotated[str, typer.Option("--cabinet", help=h("help.ledger.store.cabinet"))],
    staff: Staff,
    medium: Medium = None,
    notice: Notice = None,
    on: On = None,
    yes: Yes = False,
) -> None:
    """The command `help.ledger.store`: Record that a medium or notice was put in a locked cabinet (media and notices in
    different cabinets)."""
    kind, item = _item(medium, notice)
    _record(kind, item, "stored", {"cabinet": cabinet, "on": _on(on)}, staff, yes)


def _old_quantity(ctx: typer.Context, value: int | None) -> int | None:
    """``--quantity``, the old name of ``--media-count``: still taken, with a note on stderr. Read first (eager),
    it stands in for a ``--media-count`` not given, so the required option is satisfied."""
    if value is not None:
        from handoff.cli.common import tell

        tell(_t("system.deprecated_option", old="--quantity", new="--media-count"))
        ctx.default_map = {**(ctx.default_map or {}), "media_count": value}
    return value


@custody_app.command("handover", help=h("help.ledger.handover"))
def handover_cmd(
    handler: Annotated[str, typer.Option("--handler", help=h("help.ledger.handover.handler"))],
    media_count: Annotated[int, typer.Option("--media-count", help=h("help.ledger.handover.media_count"))],
    staff: Staff,
    bag: Annotated[str, typer.Option("--bag", help=h("help.ledger.handover.bag"))],
    _quantity: Annotated[int | None, typer.Option(
        "--quantity", hidden=True, is_eager=True, callback=_old_quantity,
        help=h("help.ledger.handover.quantity"))] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help=h("help.ledger.handover.vendor"))] = None,
    medium: Medium = None,
    notice: Notice = None,
    paper: Paper = None,
    place: Place = None,
    condition: Condition = None,
    receipt: Annotated[Path | None, typer.Option("--receipt", help=h("help.ledger.handover.receipt"))] = None,
    on: On = None,
    yes: Yes = False,
) -> None:
    """The command `help.ledger.handover`: Record the handover of a medium, notice or paper and make the receipt PDF
    with the checkpoint (for paper the quantity is the pages registered)."""
    kind, item = _item(medium, notice, paper)

    def write_receipt(ledger: Ledger, entry: Entry) -> None:
        from handoff.fs import write_atomic
        from handoff.paper.receipt import render_receipt

        entries = list(ledger.entries(job=entry.job))
        job = next((e for e in entries if e.type == "job.prepared"), None)
        programme = str(job.payload.get("title") or job.payload["programme"]) if job else ""
        registered = next((e for e in entries if e.type == "paper.registered" and e.item == item), None)
        paper_kind = str(registered.payload["kind"]) if registered else None
        # The checkpoint signed with this very entry, not whatever is latest when the PDF is drawn.
        pdf = render_receipt(entry, ledger.last_checkpoint, ledger.site, programme, paper_kind=paper_kind)
        path = receipt or ledger.paths.receipts / f"{entry.seq:06d}-{item}.pdf"
        write_atomic(path, pdf)
        console.print(_t("ledger.cli.receipt", path=path))

    payload = {
        "vendor": vendor,
        "handler": handler,
        "quantity": media_count,
        "bag": bag,
        "place": place,
        "condition": condition,
        "on": _on(on),
    }
    _record(kind, item, "handed_over", payload, staff, yes, after=write_receipt)


@custody_app.command("return", help=h("help.ledger.return"))
def return_cmd(
    handler: Annotated[str, typer.Option("--handler", help=h("help.ledger.return.handler"))],
    staff: Staff,
    medium: Medium = None,
    notice: Notice = None,
    paper: Paper = None,
    image: Annotated[
        Path | None, typer.Option("--image", help=h("help.ledger.return.image"))
    ] = None,
    device: Annotated[str | None, typer.Option("--device", help=h("help.ledger.return.device"))] = None,
    bag: Annotated[str | None, typer.Option("--bag", help=h("help.ledger.return.bag"))] = None,
    place: Place = None,
    condition: Condition = None,
    on: On = None,
    yes: Yes = False,
) -> None:
    """The command `help.ledger.return`: Record the return of a medium, notice or paper. A medium is read and compared
    with the hash it was made with, and is returned only when they match."""
    kind, item = _item(medium, notice, paper)
    payload: dict[str, Any] = {"handler": handler, "bag": bag, "place": place, "condition": condition, "on": _on(on)}
    if kind != "medium":
        if image is not None or device is not None:
            raise typer.BadParameter(_t("custody.cli.notice_no_read"), param_hint="--image / --device")
        _record(kind, item, "returned", payload, staff, yes)
        return
    if (image is None) == (device is None):
        raise typer.BadParameter(_t("custody.cli.one_source"), param_hint="--image / --device")
    _return_medium(item, payload, staff, yes, image, device)


def _return_medium(item: str, payload: dict[str, Any], staff: str, yes: bool, image: Path | None,
                   device: str | None) -> None:
    """Read the disc first: only a disc that reads back as written is recorded as returned."""
    from handoff.pipeline import returns

    cfg = site()
    console.print(_t("custody.cli.reading", medium=item))
    back = returns.read_returned(cfg, item, image=image, device=device)
    if back.problem is not None:
        raise returns.refuse_return(cfg, staff, back)
    console.print(_t("custody.cli.readback_ok", medium=item))
    _record("medium", item, "returned", {**payload, "readback_sha256": back.actual}, staff, yes)


@custody_app.command("destroy", help=h("help.ledger.destroy"))
def destroy_cmd(
    staff: Staff,
    medium: Medium = None,
    notice: Notice = None,
    paper: Paper = None,
    method: Annotated[
        str | None, typer.Option("--method", help=h("help.ledger.destroy.method"))
    ] = None,
    witness: Annotated[str | None, typer.Option("--witness", help=h("help.ledger.destroy.witness"))] = None,
    place: Place = None,
    on: On = None,
    yes: Yes = False,
) -> None:
    """The command `help.ledger.destroy`: Record the destruction of a medium, notice or paper."""
    kind, item = _item(medium, notice, paper)
    method = method or ("破砕" if kind == "medium" else "裁断")
    payload = {"method": method, "witness": witness, "place": place, "on": _on(on)}
    _record(kind, item, "destroyed", payload, staff, yes)


@custody_app.command("paper", help=h("help.ledger.paper"))
def paper_cmd(
    job: Annotated[str, typer.Argument(help=h("help.ledger.paper.job"))],
    kind: Annotated[str, typer.Option("--kind", help=h("help.ledger.paper.kind"))],
    pages: Annotated[int, typer.Option("--pages", help=h("help.ledger.paper.pages"))],
    staff: Staff,
    note: Annotated[str | None, typer.Option("--note", help=h("help.ledger.paper.note"))] = None,
    yes: Yes = False,
) -> None:
    """The command `help.ledger.paper`: Register paper handed to the vendor (proofs, lists …) and show its id (<job>-P1,
    -P2 …)."""
    from handoff.ledger.rules import PAPER_KINDS
    from handoff.pipeline.custody_steps import next_paper_id, register_paper

    cfg = site()
    known_staff(cfg, staff)
    paper = next_paper_id(cfg, job)
    label = _t("ledger.event.paper.registered")
    console.print(f"{label}: {paper}")
    for key, value in (("kind", kind), ("pages", pages), ("note", note)):
        if value is not None:
            console.print(f"  {field_label(key)}: {value}")
    if not yes:
        _confirm(_t("ledger.cli.confirm"))
    entry, short = register_paper(cfg, staff, job=job, paper=paper, kind=kind, pages=pages, note=note)
    console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=short))
    console.print(_t("custody.cli.paper_registered", paper=paper, pages=pages,
                     kind=_t(f"custody.paper_kind.{kind}") if kind in PAPER_KINDS else kind))
