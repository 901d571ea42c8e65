"""Proof sheet (校正刷り, in-house only): the first and last pieces as the vendor will print them.

For each piece: sequence, part and documents, the address block (〒, the window lines of 住所, 方書 and 様方 as
``handoff.mail.window`` lays them — the same lines the vendor file's 住所1..N hold — and 氏名, or with 連名
the name lines of 氏名1..N (``handoff.mail.joint``); the 送付先 when the row has one), the customer barcode drawn
from its bar string at the manual's dimensions (10 pt), and every document's control code drawn from the
zxing-cpp image — each decoded again with zxing-cpp before it is drawn. The Japanese font is embedded, so the
sheet prints on a PC without Japanese fonts. It holds personal data and goes only to the job's ``internal/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from handoff.fs import atomic_writer
from handoff.jp import customer_barcode as cb
from handoff.mail import inserter, joint, recipient, window
from handoff.mail.household import PIECE
from handoff.programme import ProgramSpec

if TYPE_CHECKING:
    from handoff.config import WindowProfile

MM = 72.0 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
BLOCK_H = 64 * MM
MARGIN = 15 * MM
FILE_NAME = "proof.pdf"
NAME_STEP = 6 * MM  # between two 連名 lines (12 pt)
PLAIN_CHARS = 24  # a profile without a window: lines of 24 full-width characters, as many as the address needs


def _pieces(table: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    """The first ``n`` and last ``n`` pieces (all of them when there are at most 2n), in piece order."""
    ids = pd.unique(table[PIECE])
    keep = list(ids) if len(ids) <= 2 * n else [*ids[:n], *ids[-n:]]
    groups = dict(tuple(table[table[PIECE].isin(keep)].groupby(PIECE, sort=False)))
    return [groups[i] for i in keep]


def _draw_code(c: Any, value: str, symbology: str, x: float, y: float, width: float, height: float) -> None:
    """Bars taken from the zxing-cpp rendering (one pixel row), drawn as vectors so they print sharply."""
    image = inserter.verify(value, symbology)  # rendered by zxing-cpp and decoded back before use
    row = np.asarray(image)[image.shape[0] // 2] < 128
    module = width / len(row)
    edges = np.flatnonzero(np.diff(np.r_[0, row.astype(np.int8), 0]))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        c.rect(x + start * module, y, (stop - start) * module, height, stroke=0, fill=1)


def _draw_customer(c: Any, bars: str, x: float, y_top: float) -> None:
    for bx, by, bw, bh in cb.bar_rects(bars, 10.0):
        c.rect(x + bx * MM, y_top - (by + bh) * MM, bw * MM, bh * MM, stroke=0, fill=1)


def _postal_text(code: str) -> str:
    norm = code.strip()
    return f"〒{norm[:3]}-{norm[3:]}" if len(norm) == 7 and norm.isdigit() else f"〒{norm}"


def address_lines(piece: pd.DataFrame, spec: ProgramSpec, win: WindowProfile | None) -> tuple[list[str], str, str]:
    """(郵便番号, window lines, 氏名) of a piece's destination. With the vendor's window, its lines; without one,
    lines of ``PLAIN_CHARS`` broken at the same points. A part that has no such layout (the window step sets
    such rows aside) is shown whole, one part a line: the proof never cuts an address."""
    dest = recipient.destination(piece.iloc[:1], spec)
    parts = window.parts_of(dest.address_values[0], dest.katagaki_values[0], dest.care_values[0],
                            dest.fields(dest.going[0]))
    laid = window.lay_out(parts, win.chars if win else PLAIN_CHARS, win.lines if win else None)
    lines = list(laid.lines) if not laid.overflow else [p.text for p in parts if p.text.strip()]
    return lines, dest.postal_values[0], dest.name_values[0]


def write_proof(table: pd.DataFrame, spec: ProgramSpec, path: Path, n: int = 5,
                symbology: str = "code128", job_id: str = "", window: WindowProfile | None = None) -> Path:
    """Write the proof PDF of a table that went through household, sort and barcode."""
    return draw_proof(proof_pieces(table, n), spec, path, n=n, symbology=symbology, job_id=job_id, window=window)


def proof_pieces(table: pd.DataFrame, n: int = 5) -> tuple[list[pd.DataFrame], int]:
    """What the proof sheet shows: the first and last ``n`` pieces, and how many pieces there are. A few
    rows only, so the sheet can be drawn after the run's table has been freed."""
    return _pieces(table, n), int(table[PIECE].nunique())


def draw_proof(shown: tuple[list[pd.DataFrame], int], spec: ProgramSpec, path: Path, n: int = 5,
               symbology: str = "code128", job_id: str = "", window: WindowProfile | None = None) -> Path:
    """Write the proof PDF of ``proof_pieces``' result."""
    from reportlab.pdfgen import canvas

    from handoff.pdf.fonts import japanese_font

    font = japanese_font()
    pieces, total = shown
    with atomic_writer(path) as fh:
        # The initial font is ours: otherwise reportlab starts each page with a non-embedded Helvetica.
        # (types-reportlab declares initialFontName as float: a stub bug.)
        c = canvas.Canvas(fh, pagesize=(PAGE_W, PAGE_H), pageCompression=1,
                          initialFontName=font)  # type: ignore[arg-type]
        c.setTitle(f"校正刷り {spec.id} {job_id}".strip())
        y = 0.0
        for i, piece in enumerate(pieces):
            names = name_lines(piece, spec, window)
            height = BLOCK_H + max(0, len(names) - 1) * NAME_STEP  # a block grows with its 連名 lines
            if i == 0 or y - height < MARGIN:
                if i:
                    c.showPage()
                c.setFont(font, 11)
                c.drawString(MARGIN, PAGE_H - MARGIN, f"校正刷り（庁内限り） {spec.title}")
                c.setFont(font, 8)
                note = f"ジョブ {job_id}  全{total}通のうち先頭・末尾各{n}通"
                c.drawString(MARGIN, PAGE_H - MARGIN - 12, note)
                y = PAGE_H - MARGIN - 24
            _draw_piece(c, font, piece, spec, window, symbology, (y, height), names)
            y -= height
        c.save()
    return path


def name_lines(piece: pd.DataFrame, spec: ProgramSpec, win: WindowProfile | None) -> list[str]:
    """The piece's name lines: with 連名 the lines the vendor file's 氏名1..N hold (``handoff.mail.joint``), else
    the destination's name and 「様」."""
    if joint.declares(spec):
        return joint.piece_lines(piece, spec, win)
    name = recipient.destination(piece.iloc[:1], spec).name_values[0]
    return [f"{name}{joint.HONORIFIC}"] if name else []


def _draw_piece(c: Any, font: str, piece: pd.DataFrame, spec: ProgramSpec, win: WindowProfile | None,
                symbology: str, block: tuple[float, float], names: list[str]) -> None:
    head = piece.iloc[0]
    top, height = block
    c.setLineWidth(0.3)
    c.rect(MARGIN, top - height + 2 * MM, PAGE_W - 2 * MARGIN, height - 4 * MM, stroke=1, fill=0)
    x, y = MARGIN + 4 * MM, top - 8 * MM
    c.setFont(font, 8)
    c.drawString(x, y, f"封入連番 {head['piece_seq']}  分割 {head['piece_part']}  封入枚数 {len(piece)}"
                       f"  同封物 {head['feeder_flags'] or '-'}")
    size = win.font_pt if win else 10.0
    c.setFont(font, size)
    y -= 6 * MM
    lines, postal, _ = address_lines(piece, spec, win)
    if postal:
        c.drawString(x, y, _postal_text(postal))
        y -= 5 * MM
    step = max(5 * MM, size * 1.25)
    for line in lines:
        c.drawString(x, y, line)
        y -= step
    if names:
        c.setFont(font, 12)
        for line in names:
            c.drawString(x, y - 1 * MM, line)
            y -= NAME_STEP
        y -= 8 * MM - NAME_STEP
    bars = str(head["cb_bars"])
    if bars:
        _draw_customer(c, bars, x, y)
    else:
        c.setFont(font, 8)
        c.drawString(x, y - 3 * MM, "カスタマバーコードなし（住所と町域が一致しない、または代表番号）")
    if spec.postcard:
        return
    code_x, code_w, code_h = PAGE_W - MARGIN - 62 * MM, 56 * MM, 5.5 * MM
    cy = top - 9 * MM
    for value in piece["control_code"].astype("str"):
        _draw_code(c, value, symbology, code_x, cy - code_h, code_w, code_h)
        c.setFont(font, 6)
        c.drawString(code_x, cy - code_h - 2.4 * MM, value)
        cy -= code_h + 3.6 * MM
