"""Handover receipt (受領書) PDF, and the checkpoint block other paper (notices, labels, certificates) reuses.

The receipt carries the ledger checkpoint taken right after the handover was recorded: its short form in words
and the full signed note as a QR code. The vendor keeps the receipt, so a ledger rewritten later no longer
matches paper held outside the office.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from handoff.config import SiteConfig, Vendor
    from handoff.ledger.events import Entry
    from handoff.ledger.paths import SignedCheckpoint

KINDS = {"medium": "電子媒体（暗号化DVD-R）", "notice": "パスワード通知書", "paper": "紙"}
PAPER_KINDS = {"proof": "校正紙", "list": "名簿", "other": "その他の紙"}
DAY_LABELS = {"handed_over": "引渡日", "returned": "返却日"}


def draw_checkpoint(c: Canvas, x: float, y: float, signed: SignedCheckpoint, size: float = 0.0) -> None:
    """Checkpoint block for any handoff PDF: QR of the signed note with the short form beside it."""
    from reportlab.lib.units import mm

    from handoff.pdf.draw import draw_qr
    from handoff.pdf.fonts import japanese_font

    size = size or 30 * mm
    draw_qr(c, signed.note, x, y, size)
    font = japanese_font()
    c.setFont(font, 8)
    c.drawString(x + size + 3 * mm, y + size - 8, "管理簿チェックポイント（件数/ルートハッシュ先頭16桁）")
    c.setFont(font, 12)
    c.drawString(x + size + 3 * mm, y + size - 24, signed.short)
    c.setFont(font, 7)
    c.drawString(x + size + 3 * mm, y + size - 36, signed.checkpoint.origin)


def render_receipt(entry: Entry, signed: SignedCheckpoint, site: SiteConfig, programme: str, *,
                   paper_kind: str | None = None) -> bytes:
    """The receipt for one ``*.handed_over`` entry, A4 portrait; ``paper_kind`` is a paper's registered kind."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from handoff.pdf.fonts import japanese_font

    kind = entry.type.split(".", 1)[0]
    rows = _receipt_rows(entry, site, programme, kind, paper_kind)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    c.setTitle(f"受領書 {entry.subject[kind]}")
    font = japanese_font()
    width, height = A4
    c.setFont(font, 18)
    c.drawCentredString(width / 2, height - 30 * mm, f"受　領　書（{KINDS[kind]}）")
    c.setFont(font, 10)
    c.drawString(20 * mm, height - 42 * mm, f"{site.name} 御中")
    c.drawString(20 * mm, height - 50 * mm, "下記のとおり受領しました。")
    y = _draw_rows(c, rows, height - 62 * mm)
    y = _draw_signature_lines(c, y - 8 * mm)
    _draw_contacts(c, site.vendor(str(entry.payload["vendor"])), y - 2 * mm)
    draw_checkpoint(c, 20 * mm, 25 * mm, signed)
    c.setFont(font, 7)
    c.drawString(
        20 * mm,
        18 * mm,
        "この受領書は保管してください。記載のチェックポイントは、区の管理簿が後から書き換えられていないことの照合に使います。",
    )
    c.showPage()
    c.save()
    return buf.getvalue()


def when_rows(entry: Entry) -> list[tuple[str, str]]:
    """When it happened. An entry recorded after the fact carries its declared date (``on``): that is the day
    of the handover or return, and the moment it was recorded stands beside it as 記録日時, so the paper never
    gives the recording day as the day of the handover."""
    recorded = entry.time_jst.strftime("%Y年%m月%d日 %H時%M分")
    on = entry.payload.get("on")
    if not isinstance(on, str):
        return [("日時", recorded)]
    action = entry.type.split(".", 1)[1]
    day = dt.date.fromisoformat(on).strftime("%Y年%m月%d日")
    return [(DAY_LABELS.get(action, "実施日"), day), ("記録日時", recorded)]


def _receipt_rows(entry: Entry, site: SiteConfig, programme: str, kind: str,
                  paper_kind: str | None = None) -> list[tuple[str, str]]:
    """The receipt's table: what was handed over, when, how many, by whom to whom, and the ledger entry."""
    pay = entry.payload
    vendor = site.vendor(str(pay["vendor"]))
    handler = vendor.handler(str(pay["handler"]))
    staff = site.staff_member(entry.actor.staff)
    what = KINDS[kind]
    if kind == "paper" and paper_kind:
        what = f"{KINDS[kind]}（{PAPER_KINDS.get(paper_kind, paper_kind)}）"
    # A paper's quantity is its pages (rules: paper.handed_over); everything else counts the job's records.
    paper = kind == "paper"
    quantity = ("数量（枚数）", f"{pay['quantity']} 枚") if paper else ("数量（件数）", f"{pay['quantity']} 件")
    return [
        *when_rows(entry),
        ("情報の内容", f"{what}　{programme}"),
        ("ジョブ", entry.job or ""),
        ("識別番号", str(entry.subject[kind])),
        quantity,
        ("委託事業者", f"{vendor.id} {vendor.name}"),
        (
            "受領者（取扱者）",
            f"{pay['handler']} {handler.name if handler else ''}　{handler.role if handler else ''}",
        ),
        ("交付者（職員）", f"{entry.actor.staff} {staff.name if staff else ''}"),
        ("鍵付きカバン・封印番号", str(pay.get("bag", ""))),
        ("場所", str(pay.get("place", ""))),
        ("管理簿の連番", str(entry.seq)),
    ]


def _draw_rows(c: Canvas, rows: list[tuple[str, str]], y: float) -> float:
    """Each (label, value) in a boxed row, from ``y`` down; returns the ``y`` below the last row."""
    from reportlab.lib.units import mm

    for label, value in rows:
        c.rect(20 * mm, y - 3 * mm, 50 * mm, 9 * mm)
        c.rect(70 * mm, y - 3 * mm, 120 * mm, 9 * mm)
        c.drawString(23 * mm, y, label)
        c.drawString(73 * mm, y, value)
        y -= 9 * mm
    return y


def _draw_signature_lines(c: Canvas, y: float) -> float:
    """The lines for the receiver's signature and the issuing staff's seal, from ``y`` down; returns the ``y``
    below them."""
    from reportlab.lib.units import mm

    for label in ("受領者署名", "交付者確認印"):
        c.drawString(20 * mm, y, f"{label}：")
        c.line(50 * mm, y - 1 * mm, 120 * mm, y - 1 * mm)
        y -= 12 * mm
    return y


def _draw_contacts(c: Canvas, vendor: Vendor, y: float) -> None:
    """The vendor's emergency contacts from the contract (site.toml), from ``y`` down: whom to call at once
    if anything handed over is lost, damaged or late."""
    from reportlab.lib.units import mm

    c.drawString(20 * mm, y, "緊急連絡先（紛失・破損・遅延などの事故の際は直ちに連絡してください）")
    contacts = vendor.emergency_contacts
    lines = [f"{k.name}　電話 {k.phone}" for k in contacts] or ["（契約に記載なし）"]
    for line in lines:  # at most four (site.toml refuses more): the space above the checkpoint block
        y -= 6 * mm
        c.drawString(25 * mm, y, line)
