"""The password notice (パスワード通知書): one A4 page, Japanese, fonts embedded, written only to ``notice/``.

It is the only place the password exists besides the ZIP's key derivation: generated during the run, printed
with ``lp`` and deleted (:mod:`handoff.package.notice_print`). It is never regenerated — the password is not
stored — so a lost notice means a new job.

Text layer contract (external checks read it with ``pdftotext``): exactly one line starts with ``パスワード``
and holds ``パスワード: `` followed by the password exactly as typed (no separators); the grouped display
shows the groups of 4 as separate words. No other line starts with ``パスワード``.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.fs import JobDir, write_atomic
from handoff.package import notice_id as make_notice_id
from handoff.pdf.draw import draw_qr, mono_font, text_width

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from handoff.package.password import Password

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT = 18 * MM, 192 * MM
RULES = (
    "1. 本通知書は、電子媒体（DVD-R）とは別の機会に手渡しします（同じ日には渡しません）。",
    "2. 受渡しは鍵付きカバンに入れて行い、届出のあった取扱責任者・取扱者だけが扱います。",
    "3. 受領後は施錠できるキャビネットで保管し、電子媒体とは別のキャビネットに入れてください。",
    "4. 本通知書の複写・撮影・電子化、電子メール等での送信はしないでください。",
    "5. 業務終了後に返却してください（電子媒体とともに返却し、消去証明書を提出）。",
)


@dataclass(frozen=True)
class NoticeInfo:
    """Everything printed besides the password: ids and names, no personal data."""

    job_id: str
    medium_ids: tuple[str, ...]
    programme_id: str
    programme_title: str
    vendor_id: str
    vendor_name: str
    issuer: str  # the ward (site name)
    issued: dt.date
    checkpoint: str = ""  # ledger checkpoint short form, when the ledger has one
    checkpoint_note: str = ""  # the signed note text, printed as a QR code

    @property
    def notice_id(self) -> str:
        return make_notice_id(self.job_id)


def notice_file(job: JobDir) -> Path:
    return job.notice / f"{make_notice_id(job.job_id)}.pdf"


def write_notice(job: JobDir, password: Password, info: NoticeInfo) -> Path:
    """Write the notice PDF into the job's ``notice/`` folder (0600, atomic) and return its path."""
    from handoff.errors import StateError

    target = notice_file(job)
    if target.exists():
        raise StateError("notice.exists", job=job.job_id)
    return write_atomic(target, render_notice(password, info))


def render_notice(password: Password, info: NoticeInfo) -> bytes:
    """The notice as PDF bytes (kept in memory until written)."""
    from reportlab.pdfgen.canvas import Canvas

    from handoff.pdf.fonts import japanese_font

    jp, mono = japanese_font(), mono_font()
    buf = io.BytesIO()
    # initialFontName: otherwise reportlab references Helvetica (not embedded) on every page.
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), pageCompression=1,  # types-reportlab: initialFontName "float"
               initialFontName=jp, lang="ja")  # type: ignore[arg-type]
    c.setTitle("パスワード通知書")  # metadata: the title only
    c.setAuthor(info.issuer)
    _header(c, jp, info)
    _ids(c, jp, mono, info)
    _password(c, jp, mono, password)
    _rules(c, jp)
    _receipt(c, jp)
    _checkpoint(c, jp, mono, info)
    c.setFont(jp, 8)
    c.drawString(LEFT, _y(287), "本通知書のPDFは印刷後に削除され、再発行はできません"
                                "（紛失した場合は新しいジョブで作り直します）。")
    c.showPage()
    c.save()
    return buf.getvalue()


def _y(mm_from_top: float) -> float:
    return PAGE_H - mm_from_top * MM


def _header(c: Canvas, jp: str, info: NoticeInfo) -> None:
    c.setFont(jp, 9)
    c.drawRightString(RIGHT, _y(14), f"通知書番号 {info.notice_id}")
    c.drawRightString(RIGHT, _y(19), f"発行日 {info.issued.year}年{info.issued.month}月{info.issued.day}日")
    c.setFont(jp, 20)
    # One word for pdftotext: no other text line may start with パスワード (see the module docstring).
    c.drawCentredString(PAGE_W / 2, _y(32), "暗号化データ用パスワード通知書")
    c.setFont(jp, 12)
    c.drawString(LEFT, _y(44), f"{info.vendor_name}　御中")
    c.setFont(jp, 11)
    c.drawRightString(RIGHT, _y(50), info.issuer)
    c.setFont(jp, 10)
    c.drawString(LEFT, _y(58), "委託業務で受け渡す暗号化データ（電子媒体）を開くための文字列を、"
                               "次のとおり通知します。")


def _ids(c: Canvas, jp: str, mono: str, info: NoticeInfo) -> None:
    rows = [
        ("通知書番号", info.notice_id),
        ("ジョブID", info.job_id),
        ("媒体ID", ", ".join(info.medium_ids)),
        ("事業", f"{info.programme_title}（{info.programme_id}）"),
        ("委託事業者", f"{info.vendor_name}（{info.vendor_id}）"),
    ]
    top, h = 63, 7
    c.setLineWidth(0.6)
    c.rect(LEFT, _y(top + h * len(rows)), RIGHT - LEFT, h * len(rows) * MM)
    c.line(LEFT + 30 * MM, _y(top), LEFT + 30 * MM, _y(top + h * len(rows)))
    for i, (label, value) in enumerate(rows):
        base = top + h * i
        if i:
            c.line(LEFT, _y(base), RIGHT, _y(base))
        c.setFont(jp, 10)
        c.drawString(LEFT + 2 * MM, _y(base + 5), label)
        font = mono if label in ("通知書番号", "ジョブID", "媒体ID") else jp
        size = 10.0
        while size > 6 and text_width(value, font, size) > RIGHT - LEFT - 34 * MM:
            size -= 0.5
        c.setFont(font, size)
        c.drawString(LEFT + 32 * MM, _y(base + 5), value)


def _password(c: Canvas, jp: str, mono: str, password: Password) -> None:
    top, bottom = 103, 160
    c.setLineWidth(1.6)
    c.rect(LEFT, _y(bottom), RIGHT - LEFT, (bottom - top) * MM)
    c.setFont(jp, 11)
    c.drawString(LEFT + 4 * MM, _y(top + 7), "■ 解凍用パスワード（読みやすいよう4文字ずつ区切って表示）")
    groups = password.groups()
    size = 26
    step = text_width("MMMM", mono, size) + 9 * MM
    for row, chunk in enumerate((groups[:4], groups[4:])):
        width = step * len(chunk) - 9 * MM
        x = (PAGE_W - width) / 2
        for group in chunk:
            c.setFont(mono, size)
            c.drawString(x, _y(top + 20 + row * 13), group)
            x += step
    c.setFont(jp, 13)
    c.drawString(LEFT + 4 * MM, _y(top + 44), "パスワード: " + password.typed())
    c.setFont(jp, 9)
    count = len(password.typed())
    c.drawString(LEFT + 4 * MM, _y(top + 51),
                 f"入力方法: 7-Zip の入力欄に、上の行の{count}文字を区切り（空白・ハイフン）なしで入力します。")
    c.drawString(LEFT + 4 * MM, _y(top + 55.5),
                 "英字はすべて大文字です。数字の 0・1 と英字の I・O は使っていません。")


def _rules(c: Canvas, jp: str) -> None:
    c.setFont(jp, 11)
    c.drawString(LEFT, _y(170), "■ 取扱い上の注意")
    c.setFont(jp, 9.5)
    for i, rule in enumerate(RULES):
        c.drawString(LEFT + 3 * MM, _y(177 + i * 6), rule)


def _receipt(c: Canvas, jp: str) -> None:
    top, bottom, right = 212, 278, 118
    c.setLineWidth(0.8)
    c.rect(LEFT, _y(bottom), (right - 18) * MM, (bottom - top) * MM)
    c.setFont(jp, 11)
    c.drawString(LEFT + 3 * MM, _y(top + 7), "受領欄（受領者が記入）")
    c.setFont(jp, 10)
    c.drawString(LEFT + 3 * MM, _y(top + 19), "受領日　　　　　年　　　月　　　日")
    c.drawString(LEFT + 3 * MM, _y(top + 31), "受領者氏名（取扱責任者・取扱者）")
    c.line(LEFT + 3 * MM, _y(top + 41), LEFT + 68 * MM, _y(top + 41))
    c.drawString(LEFT + 3 * MM, _y(top + 51), "交付者（区職員）氏名")
    c.line(LEFT + 3 * MM, _y(top + 61), LEFT + 68 * MM, _y(top + 61))
    c.rect(LEFT + 73 * MM, _y(top + 40), 24 * MM, 24 * MM)
    c.setFont(jp, 8)
    c.drawCentredString(LEFT + 85 * MM, _y(top + 44), "受領印")


def _checkpoint(c: Canvas, jp: str, mono: str, info: NoticeInfo) -> None:
    left, top, bottom = 122 * MM, 212, 278
    c.setLineWidth(0.8)
    c.rect(left, _y(bottom), RIGHT - left, (bottom - top) * MM)
    c.setFont(jp, 10)
    c.drawString(left + 3 * MM, _y(top + 7), "管理簿チェックポイント")
    if not info.checkpoint:
        c.setFont(jp, 8)
        c.drawString(left + 3 * MM, _y(top + 14), "（管理簿の記録後に記入）")
        return
    c.setFont(mono, 7)
    width = RIGHT - left - 6 * MM
    lines = [w for part in info.checkpoint.splitlines() for w in _wrap(part, mono, 7, width)]
    for i, line in enumerate(lines[:4]):
        c.drawString(left + 3 * MM, _y(top + 13 + i * 3.5), line)
    if info.checkpoint_note:
        draw_qr(c, info.checkpoint_note, left + 20 * MM, _y(bottom - 3), 30 * MM)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for ch in text:
        if text_width(current + ch, font, size) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines
