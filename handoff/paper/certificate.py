"""Deletion certificate (消去証明書) template: a pre-filled A4 form the ward sends to the vendor.

The ward fills in what was handed over (job, media, ZIP hash) and the ledger checkpoint, in words and as a QR
code; the vendor fills in how, when, where and by whom its copies were erased and verified, and seals it. The
fields follow NIST SP 800-88 Rev.1 App. G, adapted to optical discs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from handoff.config import SiteConfig
    from handoff.ledger.paths import SignedCheckpoint

TITLE = "データ消去証明書"
STATEMENT = "下記の委託業務で取り扱った情報（複製・一時ファイルを含む）を、復元できない方法で消去したことを証明します。"
# (label, hint printed small in the blank) for what the vendor writes in
BLANKS = (
    ("媒体の種類", "例: DVD-R、業務用PCの内蔵ディスク"),
    ("消去方法", "例: 破砕、溶解、専用ソフトによる上書き"),
    ("使用した機器・ツール", "機器名・型番・ソフト名と版"),
    ("検証方法", "例: 破片の目視確認、読取り不能の確認"),
    ("実施日", "　　　　年　　月　　日"),
    ("実施場所", ""),
)
PEOPLE = ("実施者", "確認者")
PERSON_HINT = "氏名　　　　　　　　　　　　職名　　　　　　　　　　　　取扱者ID"
SIGN_LINE = "証明日　　　　年　　月　　日　　　事業者名・代表者　　　　　　　　　　　　　　　印"
FOOTER = "記入・押印のうえ原本を区に返送してください。チェックポイントは区の管理簿の照合に使います。"
MEDIA_PER_LINE = 64  # characters of medium ids on one line of the table


def render_certificate_template(
    job: str,
    vendor_id: str,
    programme: str,
    zip_sha256: str,
    media: Sequence[str],
    signed: SignedCheckpoint,
    site: SiteConfig,
) -> bytes:
    """The certificate template for ``job``, A4 portrait, one page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from handoff.paper.receipt import draw_checkpoint
    from handoff.pdf.fonts import japanese_font

    vendor = next((v for v in site.vendors if v.id == vendor_id), None)
    filled = [
        ("委託元", [site.name]),
        ("委託事業者", [f"{vendor_id} {vendor.name if vendor else ''}"]),
        ("ジョブID", [job]),
        ("業務（情報の内容）", [programme]),
        ("媒体ID", _wrap_ids(media)),
        ("媒体数", [f"{len(media)} 枚"]),
        ("ZIP の SHA-256", [zip_sha256]),
    ]
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    c.setTitle(f"{TITLE} {job}")
    font = japanese_font()
    width, height = A4
    c.setFont(font, 18)
    c.drawCentredString(width / 2, height - 25 * mm, TITLE)
    c.setFont(font, 10)
    c.drawString(20 * mm, height - 36 * mm, f"{site.name} 御中")
    c.setFont(font, 9)
    c.drawString(20 * mm, height - 43 * mm, STATEMENT)
    y = _heading(c, "1. 消去の対象（区が記入済み）", height - 52 * mm)
    y = _draw_filled(c, filled, y)
    y = _heading(c, "2. 消去の内容（事業者が記入）", y - 3 * mm)
    y = _draw_blanks(c, y)
    y = _heading(c, "3. 実施者・確認者（事業者が記入・押印）", y - 3 * mm)
    y = _draw_people(c, y)
    c.setFont(font, 10)
    c.drawString(20 * mm, y - 6 * mm, SIGN_LINE)
    draw_checkpoint(c, 20 * mm, 22 * mm, signed, 28 * mm)
    c.setFont(font, 7)
    c.drawString(20 * mm, 15 * mm, FOOTER)
    c.showPage()
    c.save()
    return buf.getvalue()


def _heading(c: Canvas, text: str, y: float) -> float:
    from reportlab.lib.units import mm

    from handoff.pdf.fonts import japanese_font

    c.setFont(japanese_font(), 10)
    c.drawString(20 * mm, y, text)
    return y - 7 * mm


def _wrap_ids(ids: Sequence[str]) -> list[str]:
    """The medium ids joined by 、 in lines of about MEDIA_PER_LINE characters, never cutting an id."""
    lines: list[str] = []
    for medium in ids:
        if lines and len(lines[-1]) + 1 + len(medium) <= MEDIA_PER_LINE:
            lines[-1] += "、" + medium
        else:
            lines.append(medium)
    return lines or ["（なし）"]


def _draw_filled(c: Canvas, rows: list[tuple[str, list[str]]], y: float) -> float:
    """Each (label, lines) in a boxed row, as tall as its lines; returns the ``y`` below the table."""
    from reportlab.lib.units import mm

    from handoff.pdf.fonts import japanese_font

    font = japanese_font()
    for label, lines in rows:
        tall = 5 * mm * (len(lines) - 1) + 8 * mm
        c.rect(20 * mm, y - tall + 5 * mm, 45 * mm, tall)
        c.rect(65 * mm, y - tall + 5 * mm, 125 * mm, tall)
        c.setFont(font, 9)
        c.drawString(22 * mm, y, label)
        c.setFont(font, 8 if max(len(line) for line in lines) > 50 else 9)
        for i, line in enumerate(lines):
            c.drawString(67 * mm, y - i * 5 * mm, line)
        y -= tall
    return y


def _draw_blanks(c: Canvas, y: float) -> float:
    """The rows the vendor writes in, each with a small grey hint."""
    from reportlab.lib.units import mm

    from handoff.pdf.fonts import japanese_font

    font = japanese_font()
    for label, hint in BLANKS:
        c.rect(20 * mm, y - 5 * mm, 45 * mm, 10 * mm)
        c.rect(65 * mm, y - 5 * mm, 125 * mm, 10 * mm)
        c.setFont(font, 9)
        c.drawString(22 * mm, y - 1 * mm, label)
        c.setFillGray(0.45)
        c.setFont(font, 7)
        c.drawString(67 * mm, y + 2 * mm, hint)
        c.setFillGray(0)
        y -= 10 * mm
    return y


def _draw_people(c: Canvas, y: float) -> float:
    """Who erased and who verified: name, title, vendor staff id and seal, each in its own box."""
    from reportlab.lib.units import mm

    from handoff.pdf.fonts import japanese_font

    font = japanese_font()
    for label in PEOPLE:
        c.rect(20 * mm, y - 9 * mm, 45 * mm, 14 * mm)
        c.rect(65 * mm, y - 9 * mm, 125 * mm, 14 * mm)
        c.circle(180 * mm, y - 2 * mm, 5 * mm)  # where the seal goes
        c.setFont(font, 9)
        c.drawString(22 * mm, y - 3 * mm, label)
        c.setFillGray(0.45)
        c.setFont(font, 7)
        c.drawString(67 * mm, y + 2 * mm, PERSON_HINT)
        c.drawCentredString(180 * mm, y - 3 * mm, "印")
        c.setFillGray(0)
        y -= 14 * mm
    return y
