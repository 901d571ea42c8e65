"""Disc label PDF: job id, medium id (also as Code 128), medium n of N, ledger checkpoint (short form and a QR
of the signed note) — no personal data.

Deliberately no programme title: a lost disc should not announce that it holds, say, welfare recipients.
The label is harmless, so it lives in the job folder itself (``label-<medium-id>.pdf``), not in ``notice/``.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.fs import JobDir, write_atomic
from handoff.pdf.draw import draw_code128, draw_qr, mono_font, text_width

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
BOX_W, BOX_H = 120 * MM, 80 * MM  # cut out and put in the disc case
QR = 25  # mm, quiet zone included


@dataclass(frozen=True)
class LabelInfo:
    job_id: str
    medium_id: str
    index: int
    count: int
    created: dt.date
    checkpoint: str = ""
    checkpoint_note: str = ""  # the signed note: a QR code beside the ids, readable without the ward's PC


def label_file(job: JobDir, medium_id: str) -> Path:
    return job.root / f"label-{medium_id}.pdf"


def write_label(job: JobDir, info: LabelInfo) -> Path:
    return write_atomic(label_file(job, info.medium_id), render_label(info))


def render_label(info: LabelInfo) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from handoff.pdf.fonts import japanese_font

    jp, mono = japanese_font(), mono_font()
    buf = io.BytesIO()
    # initialFontName: otherwise reportlab references Helvetica (not embedded) on every page.
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), pageCompression=1,  # types-reportlab: initialFontName "float"
               initialFontName=jp, lang="ja")  # type: ignore[arg-type]
    c.setTitle(f"媒体ラベル {info.medium_id}")
    x0, y0 = 20 * MM, PAGE_H - 20 * MM - BOX_H
    c.setDash(3, 3)
    c.setLineWidth(0.5)
    c.rect(x0, y0, BOX_W, BOX_H)  # cut line
    c.setDash()
    c.setFont(jp, 13)
    c.drawString(x0 + 6 * MM, y0 + BOX_H - 10 * MM, f"受渡し媒体　{info.index} / {info.count}　取扱注意")
    c.setFont(jp, 8)
    c.drawString(x0 + 6 * MM, y0 + BOX_H - 16 * MM,
                 "暗号化済み。パスワード通知書とは別に保管・受渡しすること。")
    if info.checkpoint_note:  # right of the ids, above the Code 128; ids stay clear of it at 7.5 pt
        draw_qr(c, info.checkpoint_note, x0 + BOX_W - (QR + 2) * MM, y0 + 38 * MM, QR * MM)
    _field(c, jp, mono, x0, y0 + BOX_H - 24 * MM, "ジョブID", info.job_id)
    _field(c, jp, mono, x0, y0 + BOX_H - 30 * MM, "媒体ID", info.medium_id)
    _field(c, jp, mono, x0, y0 + BOX_H - 36 * MM, "作成日", info.created.isoformat())
    draw_code128(c, info.medium_id, x0 + 6 * MM, y0 + 16 * MM, BOX_W - 12 * MM, 18 * MM)
    c.setFont(mono, 7)
    c.drawCentredString(x0 + BOX_W / 2, y0 + 12 * MM, info.medium_id)
    c.setFont(jp, 7)
    checkpoint = " ".join(info.checkpoint.split()) or "（管理簿の記録後に記入）"
    size = 7.0
    while size > 4 and text_width(checkpoint, mono, size) > BOX_W - 30 * MM:
        size -= 0.5
    c.drawString(x0 + 6 * MM, y0 + 5 * MM, "管理簿")
    c.setFont(mono if info.checkpoint.strip() else jp, size)
    c.drawString(x0 + 16 * MM, y0 + 5 * MM, checkpoint)
    c.showPage()
    c.save()
    return buf.getvalue()


def _field(c: Canvas, jp: str, mono: str, x: float, y: float, label: str, value: str) -> None:
    c.setFont(jp, 9)
    c.drawString(x + 6 * MM, y, label)
    c.setFont(mono, 7.5)
    c.drawString(x + 26 * MM, y, value)
