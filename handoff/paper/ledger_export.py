"""``handoff ledger export``: the 管理簿 as CSV, XLSX and PDF with Japanese headings.

The council documents require at least 日時・取扱者・情報の内容・数量, so those four come first; the
chain-of-custody columns follow. Ids are resolved to names from site.toml at export time only: the ledger
itself keeps ids. Every file is built in memory and written atomically (0600).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    "状態・備考",
    "OSユーザー",
    "チェックポイント",
]
FORMATS = ("csv", "xlsx", "pdf")
QUANTITY_KEYS = ("quantity", "records", "inspected")


def _staff(site: SiteConfig, staff_id: str) -> str:
    member = site.staff_member(staff_id)
    return f"{staff_id} {member.name}" if member else staff_id


def _vendor_and_handler(site: SiteConfig, vendor_id: str, handler_id: str) -> tuple[str, str]:
    vendor = next((v for v in site.vendors if v.id == vendor_id), None)
    if vendor is None:
        return vendor_id, handler_id
    handler = vendor.handler(handler_id) if handler_id else None
    return f"{vendor.id} {vendor.name}", f"{handler.id} {handler.name}" if handler else handler_id


def _content(entry: Entry, programme: str) -> str:
    label = render(f"ledger.event.{entry.type}", "ja")
    if entry.type == "correction":
        return f"{label}（連番 {entry.subject['entry']} を訂正）: {entry.payload['reason']}"
    if entry.type == "vendor.inspected":
        return f"{label}: {entry.payload['result']}"
    return f"{label}（{programme}）" if programme else label


def rows(entries: Iterable[Entry], site: SiteConfig) -> Iterable[list[str]]:
    """One row per entry, in sequence order, with the checkpoint (size/root prefix) right after it."""
    frontier = Frontier()
    programmes: dict[str, str] = {}
    for e in entries:
        frontier.append(e.leaf_hash)
        pay = e.payload
        if e.type == "job.prepared" and e.job:
            programmes[e.job] = str(pay.get("title") or pay["programme"])
        vendor_id = str(pay.get("vendor") or e.subject.get("vendor") or "")
        vendor, handler = _vendor_and_handler(site, vendor_id, str(pay.get("handler", "")))
        quantity = next((str(pay[k]) for k in QUANTITY_KEYS if k in pay), "")
        state = [str(pay[k]) for k in ("condition", "method", "note") if k in pay]
        if "verified" in pay:
            state.append("検証済" if pay["verified"] else "検証失敗")
        if "hash_matches" in pay:
            state.append("ハッシュ一致" if pay["hash_matches"] else "ハッシュ不一致")
        yield [
            e.time_jst.strftime("%Y-%m-%d %H:%M:%S"),
            _staff(site, e.actor.staff),
            _content(e, programmes.get(e.job or "", "")),
            quantity,
            str(e.seq),
            render(f"ledger.event.{e.type}", "ja"),
            e.job or "",
            str(e.subject.get("medium") or e.subject.get("notice") or ""),
            handler,
            vendor if vendor_id else "",
            str(pay.get("bag", "")),
            str(pay.get("place") or pay.get("cabinet") or ""),
            "、".join(state),
            e.actor.os_user,
            f"{frontier.size}/{frontier.root().hex()[:16]}",
        ]


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
    """Landscape A4 with the embedded Japanese font, headings repeated on every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer

    from handoff.pdf.fonts import japanese_font

    font = japanese_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=6.5, leading=8, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, fontSize=7)
    heading = ParagraphStyle("title", fontName=font, fontSize=13, leading=16)
    widths_mm = [
        24,
        24,
        32,
        10,
        9,
        16,
        22,
        18,
        20,
        22,
        14,
        16,
        16,
        11,
        27,
    ]  # 281 mm: landscape A4 less margins
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
        buf, pagesize=landscape(A4), leftMargin=8 * mm, rightMargin=8 * mm, topMargin=10 * mm,
        bottomMargin=10 * mm, title=title,
    )  # fmt: skip
    doc.build([Paragraph(_escape(title), heading), Paragraph(_escape(checkpoint), cell), Spacer(1, 3 * mm), grid])
    return buf.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def export(ledger: Ledger, fmt: str, path: Path) -> Path:
    """Write the whole ledger to ``path`` in ``fmt`` (csv, xlsx or pdf), atomically, 0600."""
    from handoff.fs import write_atomic

    table = list(rows(ledger.entries(), ledger.site))
    title = f"個人情報受渡し管理簿 — {ledger.site.name}"
    current = ledger.current_checkpoint()
    if fmt == "csv":
        data = to_csv(table)
    elif fmt == "xlsx":
        data = to_xlsx(table, title)
    else:
        note = f"管理簿チェックポイント {current.short}（件数/ルートハッシュ先頭16桁）"
        data = to_pdf(table, title, note)
    return write_atomic(path, data)
