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

from handoff.cli.common import console, site, state

if TYPE_CHECKING:
    from handoff.ledger.events import Entry
    from handoff.ledger.service import Ledger

ledger_app = typer.Typer(help="管理簿（表示・書出し・検証・チェックポイント）。", no_args_is_help=True)
custody_app = typer.Typer(
    help="媒体・パスワード通知書・紙（校正紙・名簿など）の保管・引渡し・返却・廃棄を管理簿に記録します。",
    no_args_is_help=True
)

Yes = Annotated[bool, typer.Option("--yes", "-y", help="確認せずに実行（スクリプト用）")]
Staff = Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help="記録する職員ID（site.toml の staff）")]
Medium = Annotated[str | None, typer.Option("--medium", help="媒体ID")]
Notice = Annotated[str | None, typer.Option("--notice", help="パスワード通知書ID")]
Paper = Annotated[str | None, typer.Option("--paper", help="紙（校正紙・名簿など）のID（custody paper で登録）")]
Place = Annotated[str | None, typer.Option("--place", help="場所")]
Condition = Annotated[str | None, typer.Option("--condition", help="状態（封印の状態など）")]


def _t(code: str, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


def _confirm(question: str) -> None:
    """Ask in Japanese; a "no" ends with the documented interrupted code (130) and nothing done."""
    from handoff.errors import ExitCode

    if not typer.confirm(question):
        console.print(_t("ledger.cli.cancelled"))
        raise typer.Exit(int(ExitCode.INTERRUPTED))


def init_cmd(
    target: Annotated[Path | None, typer.Option("--dir", help="作成するサイトフォルダ")] = None,
    yes: Yes = False,
) -> None:
    """新しいサイト（設定・事業ファイル・データフォルダ・署名鍵・管理簿）を作成します。"""
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


From = Annotated[dt.datetime | None, _day("--from", "この日（日本時間、YYYY-MM-DD）以降に記録したもの")]
To = Annotated[dt.datetime | None, _day("--to", "この日（日本時間、YYYY-MM-DD）までに記録したもの")]
Programme = Annotated[str | None, typer.Option("--programme", help="この事業のジョブの記録だけ")]
VendorId = Annotated[str | None, typer.Option("--vendor", help="この委託業者の記録だけ")]
JobId = Annotated[str | None, typer.Option("--job", help="このジョブの記録だけ")]
On = Annotated[
    dt.datetime | None,
    _day("--on", "実施日（日本時間、YYYY-MM-DD）: 後から記録するときの実際の日（記録日の backdate_days 日前まで）"),
]


def _selection(start: dt.datetime | None, end: dt.datetime | None, programme: str | None, vendor: str | None,
               job: str | None) -> Any:
    from handoff.paper.ledger_export import Selection

    return Selection(start.date() if start else None, end.date() if end else None, programme, vendor, job)


@ledger_app.command("show")
def show(
    job: JobId = None,
    limit: Annotated[int, typer.Option("--limit", help="最後の N 件（0 = すべて）")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="記録をそのまま JSON Lines で出力")] = False,
    start: From = None,
    end: To = None,
    programme: Programme = None,
    vendor: VendorId = None,
) -> None:
    """管理簿の記録を表示します（日時は日本時間。取り消し・訂正された記録には印が付きます）。"""
    from handoff.cli.common import Column, print_rows
    from handoff.ledger.service import Ledger
    from handoff.paper.ledger_export import SHOW_HEADINGS, show_rows

    cfg = site()
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


@ledger_app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="出力ファイル（拡張子 .csv / .xlsx / .pdf）")],
    start: From = None,
    end: To = None,
    programme: Programme = None,
    vendor: VendorId = None,
    job: JobId = None,
) -> None:
    """管理簿を CSV・XLSX・PDF に書き出します（見出し: 日時・取扱者・情報の内容・数量 … 訂正・取消）。"""
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


@ledger_app.command("correct")
def correct_cmd(
    seq: Annotated[int, typer.Argument(help="訂正する記録の連番（ledger show で確認）")],
    reason: Annotated[str, typer.Option("--reason", help="訂正の理由")],
    staff: Staff,
    void: Annotated[bool, typer.Option("--void", help="記録を取り消す（元の記録は残ります）")] = False,
    sets: Annotated[list[str] | None, typer.Option("--set", help="訂正する項目 キー=値（複数指定可）")] = None,
    yes: Yes = False,
) -> None:
    """誤った記録を訂正・取消します。元の記録は書き換えず、訂正の記録を追加します。"""
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


@ledger_app.command("verify")
def verify_cmd(
    witness: Annotated[
        list[Path] | None,
        typer.Option("--witness", help="照合するチェックポイント（監査担当の控え・紙から入力したもの）"),
    ] = None,
) -> None:
    """管理簿を全件検証します。改ざん・欠落・切り詰めがあれば終了コード 7。"""
    from handoff import api

    report = api.verify(site(), [p.read_text(encoding="utf-8") for p in witness or []])
    short = f"{report.entries}/{report.root.hex()[:16]}"
    console.print(_t("ledger.cli.verified", entries=report.entries, checkpoints=report.checkpoints, short=short))


@ledger_app.command("checkpoint")
def checkpoint_cmd(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="署名付きチェックポイントを保存するファイル")] = None,
) -> None:
    """現在のチェックポイント（署名付き）を表示します。監査担当はこれを控えとして保管します。"""
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
    # Interrupted jobs are abandoned (and said so) first; an item of an incomplete job is never handed over.
    before_custody(cfg, staff, item, action, tell)
    with Ledger.open(cfg) as ledger:
        if action == "handed_over" and "vendor" not in clean:
            clean["vendor"] = ledger.vendor_of(kind, item) or ""
        console.print(f"{label}: {item}")
        for key, value in clean.items():
            if key != "on":
                console.print(f"  {key}: {value}")
        if "on" in clean:
            _show_on(str(clean["on"]))
        if not yes:
            _confirm(_t("ledger.cli.confirm"))
        entry = ledger.record(event, {kind: item}, clean, staff)
        short = ledger.last_checkpoint.short
        console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=short))
        if after is not None:
            after(ledger, entry)


@custody_app.command("store")
def store_cmd(
    cabinet: Annotated[str, typer.Option("--cabinet", help="保管庫（site.toml の cabinets）")],
    staff: Staff,
    medium: Medium = None,
    notice: Notice = None,
    on: On = None,
    yes: Yes = False,
) -> None:
    """媒体または通知書を施錠保管庫に保管したことを記録します（媒体と通知書は別の保管庫）。"""
    kind, item = _item(medium, notice)
    _record(kind, item, "stored", {"cabinet": cabinet, "on": _on(on)}, staff, yes)


@custody_app.command("handover")
def handover_cmd(
    handler: Annotated[str, typer.Option("--handler", help="受領する業者の取扱者ID（届出済み）")],
    quantity: Annotated[int, typer.Option("--quantity", help="数量（件数）: ジョブの件数と一致すること")],
    staff: Staff,
    bag: Annotated[str | None, typer.Option("--bag", help="鍵付きカバン・封印の番号")] = None,
    vendor: Annotated[str | None, typer.Option("--vendor", help="委託業者ID（省略時はジョブの業者）")] = None,
    medium: Medium = None,
    notice: Notice = None,
    paper: Paper = None,
    place: Place = None,
    condition: Condition = None,
    receipt: Annotated[Path | None, typer.Option("--receipt", help="受領書 PDF の保存先")] = None,
    on: On = None,
    yes: Yes = False,
) -> None:
    """媒体・通知書・紙の引渡しを記録し、チェックポイント入りの受領書 PDF を作成します（紙の数量は登録した枚数）。"""
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
        "quantity": quantity,
        "bag": bag,
        "place": place,
        "condition": condition,
        "on": _on(on),
    }
    _record(kind, item, "handed_over", payload, staff, yes, after=write_receipt)


@custody_app.command("return")
def return_cmd(
    handler: Annotated[str, typer.Option("--handler", help="返却した業者の取扱者ID")],
    staff: Staff,
    medium: Medium = None,
    notice: Notice = None,
    paper: Paper = None,
    image: Annotated[
        Path | None, typer.Option("--image", help="返却媒体を読み取ったファイル（stdio: 疑似ドライブのファイルなど）")
    ] = None,
    device: Annotated[str | None, typer.Option("--device", help="返却媒体を入れたドライブ（/dev/sr0 など）")] = None,
    bag: Annotated[str | None, typer.Option("--bag", help="鍵付きカバン・封印の番号")] = None,
    place: Place = None,
    condition: Condition = None,
    on: On = None,
    yes: Yes = False,
) -> None:
    """媒体・通知書・紙の返却を記録します。媒体は読み取って作成時のハッシュと照合し、一致したときだけ返却とします。"""
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


@custody_app.command("destroy")
def destroy_cmd(
    staff: Staff,
    medium: Medium = None,
    notice: Notice = None,
    paper: Paper = None,
    method: Annotated[
        str | None, typer.Option("--method", help="廃棄方法（既定: 媒体は破砕、通知書・紙は裁断）")
    ] = None,
    witness: Annotated[str | None, typer.Option("--witness", help="立会職員ID")] = None,
    place: Place = None,
    on: On = None,
    yes: Yes = False,
) -> None:
    """媒体・通知書・紙の廃棄を記録します。"""
    kind, item = _item(medium, notice, paper)
    method = method or ("破砕" if kind == "medium" else "裁断")
    payload = {"method": method, "witness": witness, "place": place, "on": _on(on)}
    _record(kind, item, "destroyed", payload, staff, yes)


@custody_app.command("paper")
def paper_cmd(
    job: Annotated[str, typer.Argument(help="ジョブID")],
    kind: Annotated[str, typer.Option("--kind", help="紙の種類: proof（校正紙）・list（名簿）・other（その他）")],
    pages: Annotated[int, typer.Option("--pages", help="枚数（引渡しの数量はこの枚数）")],
    staff: Staff,
    note: Annotated[str | None, typer.Option("--note", help="メモ（何の紙か。個人の情報は書かない）")] = None,
    yes: Yes = False,
) -> None:
    """委託業者に渡す紙（校正紙・名簿など）を登録し、ID（<ジョブ>-P1, -P2 …）を表示します。"""
    from handoff.ledger.rules import PAPER_KINDS
    from handoff.pipeline.custody_steps import next_paper_id, register_paper

    cfg = site()
    paper = next_paper_id(cfg, job)
    label = _t("ledger.event.paper.registered")
    console.print(f"{label}: {paper}")
    for key, value in (("kind", kind), ("pages", pages), ("note", note)):
        if value is not None:
            console.print(f"  {key}: {value}")
    if not yes:
        _confirm(_t("ledger.cli.confirm"))
    entry, short = register_paper(cfg, staff, job=job, paper=paper, kind=kind, pages=pages, note=note)
    console.print(_t("ledger.cli.recorded", seq=entry.seq, event=label, short=short))
    console.print(_t("custody.cli.paper_registered", paper=paper, pages=pages,
                     kind=_t(f"custody.paper_kind.{kind}") if kind in PAPER_KINDS else kind))
