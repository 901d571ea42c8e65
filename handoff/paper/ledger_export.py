"""``handoff ledger export``: the 管理簿 as CSV, XLSX and PDF with Japanese headings.

The council documents require at least 日時・取扱者・情報の内容・数量, so those four come first; the
chain-of-custody columns follow. Ids are resolved to names from site.toml at export time only: the ledger
itself keeps ids. Every file is built in memory and written atomically (0600).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.ledger.corrections import Marks, corrected, marks
from handoff.ledger.merkle import Frontier
from handoff.messages import render

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.events import Entry
    from handoff.ledger.service import Ledger

HEADINGS = [
    "日時",
    "取扱者",
    "情報の内容",
    "数量",
    "連番",
    "事象",
    "ジョブ",
    "媒体・通知書",
    "相手方（業者取扱者）",
    "委託業者",
    "鍵付きカバン・封印番号",
    "場所・保管庫",
    "状態",
    "立会人",
    "実施日",
    "備考",
    "訂正記録（連番）",
    "取消記録（連番）",
    "訂正後の値",
    "OSユーザー",
    "チェックポイント",
]
COLUMN = {h: i for i, h in enumerate(HEADINGS)}
FORMATS = ("csv", "xlsx", "pdf")
QUANTITY_KEYS = ("quantity", "records", "inspected", "pages")  # pages: paper.registered
DATE_KEYS = ("on", "performed_on")  # the day the work was done, when the entry says (it may be before it was recorded)


@dataclass(frozen=True)
class Selection:
    """Which entries an export (or ``ledger show``) lists: recorded between two Japan-time days, of one
    programme, vendor or job. The vendor and programme of an entry are those of its job's job.prepared."""

    start: dt.date | None = None
    end: dt.date | None = None
    programme: str | None = None
    vendor: str | None = None
    job: str | None = None

    def keeps(self, e: Entry, jobs: Mapping[str, Mapping[str, Any]]) -> bool:
        day = e.time_jst.date()
        if (self.start and day < self.start) or (self.end and day > self.end):
            return False
        if self.job and e.job != self.job:
            return False
        prepared = jobs.get(e.job or "", {})
        if self.programme and (prepared.get("programme") or e.subject.get("programme")) != self.programme:
            return False
        vendor = prepared.get("vendor") or e.subject.get("vendor")
        return not (self.vendor and vendor != self.vendor)

    def describe(self) -> str:
        """The selection in words for the export's heading ("" when everything is listed)."""
        parts = []
        if self.start or self.end:
            parts.append(f"記録日 {self.start or ''}〜{self.end or ''}")
        parts += [f"{label} {v}" for label, v in (("事業", self.programme), ("委託業者", self.vendor),
                                                  ("ジョブ", self.job)) if v]
        return "、".join(parts)


def _staff(site: SiteConfig, staff_id: str) -> str:
    member = site.staff_member(staff_id)
    return f"{staff_id} {member.name}" if member else staff_id


def _vendor_and_handler(site: SiteConfig, vendor_id: str, handler_id: str) -> tuple[str, str]:
    vendor = next((v for v in site.vendors if v.id == vendor_id), None)
    if vendor is None:
        return vendor_id, handler_id
    handler = vendor.handler(handler_id) if handler_id else None
    return f"{vendor.id} {vendor.name}", f"{handler.id} {handler.name}" if handler else handler_id


def _changes_text(changes: Mapping[str, Any]) -> str:
    return "、".join(f"{k}={_value(v)}" for k, v in changes.items())


def _value(v: object) -> str:
    return ("はい" if v else "いいえ") if isinstance(v, bool) else str(v)


def _content(entry: Entry, programme: str) -> str:
    label = render(f"ledger.event.{entry.type}", "ja")
    if entry.type == "correction":
        target, pay = entry.subject["entry"], entry.payload
        what = "を取消" if pay.get("void") else f"の {', '.join(pay.get('changes', {}))} を訂正"
        return f"{label}（連番 {target} {what}）: {pay['reason']}"
    if entry.type == "vendor.inspected":
        return f"{label}: {entry.payload['result']}"
    if entry.type == "cycle.skipped":
        return f"{label}（{entry.subject['programme']} 回 {entry.payload['cycle']}）: {entry.payload['reason']}"
    if entry.type == "paper.registered":
        kind = render(f"custody.paper_kind.{entry.payload['kind']}", "ja")
        return f"{label}（{kind}、{programme}）" if programme else f"{label}（{kind}）"
    return f"{label}（{programme}）" if programme else label


def _remarks(pay: Mapping[str, Any]) -> str:
    state = [str(pay[k]) for k in ("method", "note") if k in pay]
    if "verified" in pay:
        state.append("検証済" if pay["verified"] else "検証失敗")
    if "hash_matches" in pay:
        state.append("ハッシュ一致" if pay["hash_matches"] else "ハッシュ不一致")
    return "、".join(state)


def _cells(e: Entry, site: SiteConfig, programme: str, mark: Marks | None) -> list[str]:
    """The row of ``e`` as recorded (original values), with the corrections that later entries made to it."""
    pay = e.payload
    vendor_id = str(pay.get("vendor") or e.subject.get("vendor") or "")
    vendor, handler = _vendor_and_handler(site, vendor_id, str(pay.get("handler", "")))
    changes = pay.get("changes", {}) if e.type == "correction" else (mark.changes if mark else {})
    return [
        e.time_jst.strftime("%Y-%m-%d %H:%M:%S"),
        _staff(site, e.actor.staff),
        _content(e, programme),
        next((str(pay[k]) for k in QUANTITY_KEYS if k in pay), ""),
        str(e.seq),
        render(f"ledger.event.{e.type}", "ja"),
        e.job or "",
        str(e.subject.get("medium") or e.subject.get("notice") or e.subject.get("paper") or ""),
        handler,
        vendor if vendor_id else "",
        str(pay.get("bag", "")),
        str(pay.get("place") or pay.get("cabinet") or ""),
        str(pay.get("condition", "")),
        _staff(site, str(pay["witness"])) if "witness" in pay else "",
        next((str(pay[k]) for k in DATE_KEYS if k in pay), ""),
        _remarks(pay),
        "、".join(f"{seq}（{', '.join(keys)}）" for seq, keys in mark.corrected_by.items()) if mark else "",
        str(mark.voided_by) if mark and mark.voided_by is not None else "",
        _changes_text(changes),
        e.actor.os_user,
    ]


def _table(entries: Iterable[Entry], site: SiteConfig, selection: Selection | None) -> Iterable[
        tuple[list[str], Marks | None]]:
    every = list(entries)
    found = marks(every)
    jobs = {e.job: e.payload for e in corrected(every) if e.type == "job.prepared" and e.job}
    frontier = Frontier()
    for e in every:
        frontier.append(e.leaf_hash)
        if selection is not None and not selection.keeps(e, jobs):
            continue
        prepared = jobs.get(e.job or "", {})
        programme = str(prepared.get("title") or prepared.get("programme") or "")
        mark = found.get(e.seq)
        yield [*_cells(e, site, programme, mark), f"{frontier.size}/{frontier.root().hex()[:16]}"], mark


def rows(entries: Iterable[Entry], site: SiteConfig, selection: Selection | None = None) -> Iterable[list[str]]:
    """One row per selected entry, in sequence order, with the checkpoint (size/root prefix) right after it.
    Every entry is read (the checkpoint and the corrections need them all); only the selected ones are listed."""
    return (row for row, _ in _table(entries, site, selection))


SHOWN = HEADINGS[:8]
SHOW_HEADINGS = [*SHOWN, "訂正・取消", HEADINGS[-1]]


def show_rows(entries: Iterable[Entry], site: SiteConfig, selection: Selection | None = None) -> Iterable[list[str]]:
    """The rows ``ledger show`` prints, a voided entry marked 取消 and a corrected one 訂正 (keys, seq)."""
    for row, mark in _table(entries, site, selection):
        notes = []
        if mark is not None and mark.voided_by is not None:
            notes.append(render("ledger.mark.voided", "ja", seq=mark.voided_by))
        for seq, keys in (mark.corrected_by if mark else {}).items():
            notes.append(render("ledger.mark.corrected", "ja", keys=", ".join(keys), seqs=seq))
        yield [*(row[COLUMN[h]] for h in SHOWN), " ".join(notes), row[-1]]


def to_csv(table: list[list[str]]) -> bytes:
    """UTF-8 with BOM and CRLF: what Excel on a ward PC opens with the Japanese intact."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(table)
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(table: list[list[str]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.create_sheet("管理簿", 0)
    wb.remove(wb.worksheets[1])  # the default empty sheet
    ws.append(HEADINGS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table:
        ws.append(row)
    ws.freeze_panes = "A2"
    wb.properties.title = title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_pdf(table: list[list[str]], title: str, checkpoint: str) -> bytes:
    """Landscape A3 with the embedded Japanese font, headings repeated on every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A3, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer

    from handoff.pdf.fonts import japanese_font

    font = japanese_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=6.5, leading=8, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontSize=7)
    heading = ParagraphStyle("title", fontName=font, fontSize=13, leading=16)
    # 391 mm of the 404 a landscape A3 page leaves inside its margins: 21 columns stay readable at 6.5 pt
    widths_mm = [24, 24, 32, 10, 9, 16, 22, 18, 20, 22, 14, 18, 14, 18, 16, 18, 14, 14, 30, 11, 27]
    data: list[list[Any]] = [[Paragraph(h, head) for h in HEADINGS]]
    data += [[Paragraph(_escape(v), cell) for v in row] for row in table]
    grid = LongTable(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    grid.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=landscape(A3), leftMargin=8 * mm, rightMargin=8 * mm, topMargin=10 * mm,
        bottomMargin=10 * mm, title=title,
    )  # fmt: skip
    doc.build([Paragraph(_escape(title), heading), Paragraph(_escape(checkpoint), cell), Spacer(1, 3 * mm), grid])
    return buf.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def export(ledger: Ledger, fmt: str, path: Path, selection: Selection | None = None) -> Path:
    """Write the ledger (the entries ``selection`` keeps) to ``path`` in ``fmt`` (csv, xlsx or pdf), atomically,
    0600. The title names the selection, so a partial export never passes for the whole ledger."""
    from handoff.fs import write_atomic

    table = list(rows(ledger.entries(), ledger.site, selection))
    title = f"個人情報受渡し管理簿 — {ledger.site.name}"
    if selection is not None and selection.describe():
        title += f"（{selection.describe()}）"
    current = ledger.current_checkpoint()
    if fmt == "csv":
        data = to_csv(table)
    elif fmt == "xlsx":
        data = to_xlsx(table, title)
    else:
        note = f"管理簿チェックポイント {current.short}（件数/ルートハッシュ先頭16桁）"
        data = to_pdf(table, title, note)
    return write_atomic(path, data)
