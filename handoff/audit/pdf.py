"""The audit report as an A4 PDF with the embedded Japanese font, for the file and for the inspection.

Every page carries the title, scope and as-of day on top, and the page number, the auditor's id, the day the
audit ran and a box for the auditor's signature at the foot: a loose page still says what it belongs to and who
answers for it. A fiscal-year audit adds the annual inspection pack (年次立入検査資料): per vendor, its jobs, the
media still out, the certificates and the open questions.

Table cells are broken into lines here, not by reportlab: a run of id characters is never split (an id read in two
halves sends someone to the wrong disc), so the column of ids is made as wide as its longest id and the other
columns wrap instead. The module is one unit: the page frame, the cell breaking and every section share one
canvas, one set of layout measures and the page-break logic.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from handoff.audit.model import STEPS, AuditReport, Finding, JobTimeline, Span
from handoff.audit.present import (
    certified_on,
    checked_label,
    date_range,
    days_overdue,
    due_text,
    fiscal_year,
    handed_over,
    ids,
    items_of,
    label,
    made_on,
    message,
    scope_line,
    scope_parts,
    severity,
    span_end,
    step,
    ticks,
    title,
    vendor_findings,
    verdict,
)

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 14 * MM, 24 * MM, 26 * MM
WIDTH = PAGE_W - 2 * MARGIN_X
PAD = 2.5  # cell padding, points
SIZE, MIN_SIZE = 8.0, 5.5  # table text; smaller only when the ids would not fit the page otherwise
TOKEN = re.compile(r"[A-Za-z0-9._:\-]+|\s+|.", re.DOTALL)
NO_LINE_START = set("、。，．,.)）」』】〕:：;；!！?？ー")
NO_LINE_END = set("(（「『【〔")
STEP_RGB = {
    "prepared": (0.78, 0.84, 0.92),
    "written": (0.62, 0.75, 0.87),
    "stored": (0.85, 0.85, 0.85),
    "handed_over": (0.95, 0.76, 0.52),
    "returned": (0.66, 0.84, 0.64),
    "certified": (0.50, 0.75, 0.50),
    "destroyed": (0.69, 0.69, 0.69),
}
LATE_RGB = (0.55, 0.0, 0.0)


def render_pdf(report: AuditReport) -> bytes:
    from handoff.pdf.fonts import japanese_font

    font = japanese_font()
    story = _story(report, font)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=f"{title(report)} {report.scope.as_of.isoformat()}",
        author=report.auditor, subject=scope_line(report.scope),
    )  # fmt: skip
    doc.build(story, canvasmaker=_numbered(report, font))
    return buf.getvalue()


# --- text: lines broken between ids, never inside one ----------------------------------------------------------


def _width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines no wider than ``width``, breaking only between tokens: a run of id characters is one
    token (wider than the line, it stands alone on its line, whole); any other character is a token of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in TOKEN.findall(paragraph):
            if token.isspace():
                line += " " if line else ""
                continue
            if line and token not in NO_LINE_START and _width(line + token, font, size) > width:
                carry = ""
                while line and line[-1] in NO_LINE_END:  # an opening bracket goes down with what it opens
                    carry, line = line[-1] + carry, line[:-1]
                if line.strip():
                    lines.append(line.rstrip())
                line = carry + token
            else:
                line += token
        lines.append(line.rstrip())
    return lines


def _longest_token(text: str, font: str, size: float) -> float:
    return max((_width(tok, font, size) for tok in TOKEN.findall(text) if not tok.isspace()), default=0.0)


def _para(text: str, font: str, size: float, width: float) -> Any:
    """A paragraph already broken into lines that fit ``width``, so reportlab has nothing left to break."""
    style = ParagraphStyle("cell", fontName=font, fontSize=size, leading=size * 1.3, splitLongWords=0)
    lines = [_escape(line) for line in wrap(text, font, size, width - 0.5)]
    return Paragraph("<br/>".join(lines), style)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- tables ----------------------------------------------------------------------------------------------------


def _table(head: Sequence[str] | None, rows: Sequence[Sequence[str]], font: str, flex: Sequence[int],
           notes: Sequence[str | None] = ()) -> Any:
    """A table whose every column is at least as wide as its longest id; short columns are as wide as their
    text, and the ``flex`` columns share what is left. ``notes`` (one per row) adds a full-width row under its row
    (a finding's message). Smaller type is used only when the ids alone would not fit the page."""
    size = SIZE
    while True:
        widths = _widths(head, rows, font, size, WIDTH)
        if widths is not None or size <= MIN_SIZE:
            break
        size -= 0.5
    if widths is None:  # ids wider than the page even in the smallest type: they overflow, whole
        widths = _widths(head, rows, font, size, float("inf")) or []
    spare = max(WIDTH - sum(widths), 0)
    share = spare / max(len(flex), 1)
    widths = [w + (share if i in flex else 0) for i, w in enumerate(widths)]
    data: list[list[Any]] = []
    style: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("FONTNAME", (0, 0), (-1, -1), font),  # the spanned-over empty cells too: no unembedded default font
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if head is not None:
        data.append([_para(h, font, size, w - 2 * PAD) for h, w in zip(head, widths, strict=True)])
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")))
    for n, row in enumerate(rows):
        data.append([_para(v, font, size, w - 2 * PAD) for v, w in zip(row, widths, strict=True)])
        note = notes[n] if n < len(notes) else None
        if note is not None:
            r = len(data)
            data.append([_para(note, font, size, sum(widths) - 2 * PAD)] + [""] * (len(widths) - 1))
            style += [("SPAN", (0, r), (-1, r)), ("NOSPLIT", (0, r - 1), (-1, r)),
                      ("LINEABOVE", (0, r), (-1, r), 0.2, colors.lightgrey)]
    if head is None:
        style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")))
    table = LongTable(data, colWidths=widths, repeatRows=1 if head is not None else 0, hAlign="LEFT")
    table.setStyle(style)
    return table


def _widths(head: Sequence[str] | None, rows: Sequence[Sequence[str]], font: str, size: float,
            room: float) -> list[float] | None:
    """Column widths that fit ``room``: never below a column's longest unbreakable token (an id) or four
    characters of its heading; up to its whole text where that is short (30 mm) and there is room. None when the
    ids alone do not fit."""
    cols = len(head) if head is not None else len(rows[0])
    least, wish = [], []
    for i in range(cols):
        texts = [row[i] for row in rows]
        heading = [_width(head[i][:4], font, size), _longest_token(head[i], font, size)] if head else [0.0]
        floor = max([_longest_token(t, font, size) for t in texts] + heading)
        whole = max([_width(t, font, size) for t in texts] + ([_width(head[i], font, size)] if head else [0.0]))
        least.append(floor + 2 * PAD + 1)
        wish.append(max(floor, min(whole, 30 * MM)) + 2 * PAD + 1)
    if sum(least) > room:
        return None
    if sum(wish) <= room:
        return wish
    ratio = (room - sum(least)) / (sum(wish) - sum(least))
    return [lo + (hi - lo) * ratio for lo, hi in zip(least, wish, strict=True)]


def _findings_table(found: Sequence[Finding], report: AuditReport, font: str) -> Any:
    cols = ("severity", "code", "seqs", "items", "job", "vendor", "due")
    rows = [[severity(f), f.code, ids(f.seqs), ids(f.items), f.job or "", f.vendor or "",
             due_text(f, report.scope.as_of)] for f in found]
    notes = [f"{label('message')}: {message(f)}" for f in found]
    return _table([label(c) for c in cols], rows, font, flex=(3, 6), notes=notes)


# --- the story -------------------------------------------------------------------------------------------------


class _Styles:
    def __init__(self, font: str) -> None:
        self.h1 = ParagraphStyle("h1", fontName=font, fontSize=15, leading=19, spaceAfter=4)
        self.h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=15, spaceBefore=9, spaceAfter=4)
        self.h3 = ParagraphStyle("h3", fontName=font, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12.5, wordWrap="CJK")
        self.verdict = ParagraphStyle("verdict", parent=self.body, fontSize=10, leading=14, borderWidth=1.2,
                                      borderColor=colors.HexColor("#333333"), borderPadding=5, spaceBefore=4,
                                      spaceAfter=10)


def _p(text: str, style: Any) -> Any:
    return Paragraph(_escape(text), style)


def _story(report: AuditReport, font: str) -> list[Flowable]:
    st = _Styles(font)
    found = report.sorted_findings()
    story: list[Flowable] = [
        _p(title(report), st.h1),
        _p(verdict(report), st.verdict),
        _table(None, [[name, value] for name, value in _scope_rows(report)], font, flex=(1,)),
        _p(f"{label('open_items')} ({len(found)})", st.h2),
    ]
    if found:
        story += [_p(label("open_items.note"), st.body), Spacer(1, 2 * MM), _findings_table(found, report, font)]
    else:
        story.append(_p(label("open_items.none"), st.body))
    story += [_p(label("integrity"), st.h2), _integrity(report, font)]
    story += [CondPageBreak(60 * MM), _p(label("timelines"), st.h2)]
    if report.timelines:
        story += [_p(label("timeline.legend"), st.body), _Legend(font), Spacer(1, 2 * MM)]
        for tl in report.timelines:
            story += _timeline(tl, report, font, st)
    else:
        story.append(_p(label("timelines.none"), st.body))
    story += [CondPageBreak(40 * MM), _p(label("vendors"), st.h2), _vendors(report, font, st)]
    story += [_p(label("checked"), st.h2), _checked(report, font, st)]
    if report.scope.fiscal_year is not None:
        for vendor in _pack_vendors(report):
            story += [PageBreak(), *_pack(report, vendor, font, st)]
    return story


def _scope_rows(report: AuditReport) -> list[tuple[str, str]]:
    return [*scope_parts(report.scope), (label("auditor"), report.auditor),
            (label("made_at"), made_on(report).isoformat())]


def _integrity(report: AuditReport, font: str) -> Any:
    i = report.integrity
    rows = [
        [label("integrity.result"), label("integrity.ok") if i.ok else label("integrity.failed")],
        [label("integrity.entries"), str(i.entries)],
        [label("integrity.root"), i.root or label("none")],
        [label("integrity.checkpoints"), str(i.checkpoints)],
        [label("integrity.witnesses"), str(i.witnesses)],
        [label("integrity.paper"), str(i.paper)],
    ]
    return _table(None, rows, font, flex=(1,))


def _vendors(report: AuditReport, font: str, st: _Styles, only: str | None = None, year: int | None = None) -> Any:
    rows_of = sorted((v for v in report.vendors if (only is None or v.vendor == only)
                      and (year is None or v.fiscal_year == year)),
                     key=lambda v: (v.vendor, v.fiscal_year))
    if not rows_of:
        return _p(label("vendors.none"), st.body)
    counts = ("jobs", "media_out", "notices_out", "certificates", "inspections", "open_incidents", "findings")
    head = [label("vendor"), label("scope.fiscal_year"), *(label(f"vendors.{c}") for c in counts)]
    rows = [[v.vendor, fiscal_year(v.fiscal_year), *(str(getattr(v, c)) for c in counts)] for v in rows_of]
    return _table(head, rows, font, flex=tuple(range(2, len(head))))


def _checked(report: AuditReport, font: str, st: _Styles) -> Any:
    if not report.checked:
        return _p(label("none"), st.body)
    rows = [[checked_label(k), str(v)] for k, v in report.checked.items()]
    return _table(None, rows, font, flex=(1,))


# --- the annual inspection pack ------------------------------------------------------------------------------


def _pack_vendors(report: AuditReport) -> list[str]:
    """The vendors the pack has a section for: each with a row in the year, a job, or a finding."""
    year = report.scope.fiscal_year
    names = {v.vendor for v in report.vendors if v.fiscal_year == year}
    names |= {tl.vendor for tl in report.timelines}
    names |= {f.vendor for f in report.findings if f.vendor}
    if report.scope.vendor:
        names &= {report.scope.vendor}
    return sorted(names)


def _pack(report: AuditReport, vendor: str, font: str, st: _Styles) -> list[Flowable]:
    none = label("none")
    jobs = [tl for tl in report.timelines if tl.vendor == vendor]
    year = report.scope.fiscal_year
    pack = f"{label('pack_title')} {fiscal_year(year)}" if year is not None else label("pack_title")
    story: list[Flowable] = [
        _p(f"{pack} — {label('pack.vendor', vendor=vendor)}", st.h2),
        _vendors(report, font, st, only=vendor, year=year),
        _p(label("pack.jobs"), st.h3),
    ]
    if jobs:
        head = [label("job"), label("pack.programme"), label("timeline.cycle"), label("pack.prepared"),
                label("pack.certificates"), label("timeline.open_items")]
        rows = [[tl.job, tl.programme, tl.cycle or "", tl.prepared.isoformat(),
                 _iso(certified_on(tl)) or none, ids(tl.open_items) or none] for tl in jobs]
        story.append(_table(head, rows, font, flex=(1, 5)))
    else:
        story.append(_p(none, st.body))
    story.append(_p(label("pack.media_out"), st.h3))
    out = [(tl, item, handed_over(tl, item)) for tl in jobs for item in tl.open_items]
    if out:
        head = [label("items"), label("job"), label("pack.handed_over"), label("due"), label("timeline.overdue")]
        rows = [[item, tl.job, span.start.isoformat() if span else "", span.due.isoformat() if span and span.due
                 else "", _late(span, report.scope.as_of)] for tl, item, span in out]
        story.append(_table(head, rows, font, flex=(4,)))
    else:
        story.append(_p(none, st.body))
    story.append(_p(label("pack.certificates"), st.h3))
    certified = [(tl.job, certified_on(tl)) for tl in jobs]
    if any(day for _, day in certified):
        rows = [[job, day.isoformat()] for job, day in certified if day]
        story.append(_table([label("job"), label("pack.certified_on")], rows, font, flex=(1,)))
    else:
        story.append(_p(none, st.body))
    story.append(_p(label("pack.questions"), st.h3))
    questions = vendor_findings(report, vendor)
    story.append(_findings_table(questions, report, font) if questions else _p(none, st.body))
    return story


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _late(span: Span | None, as_of: dt.date) -> str:
    if span is None or not span.overdue:
        return ""
    days = days_overdue(span.due, as_of, span.end)
    return label("overdue_days", days=days) if days else label("timeline.overdue")


# --- the timeline chart --------------------------------------------------------------------------------------

ROW, BAR, AXIS, TAIL, ROWS_PER_CHART = 12.0, 8.0, 14.0, 70.0, 40


def _timeline(tl: JobTimeline, report: AuditReport, font: str, st: _Styles) -> list[Flowable]:
    caption = label("timeline.caption", job=tl.job, programme=tl.programme, vendor=tl.vendor,
                    prepared=tl.prepared.isoformat())
    if tl.cycle:
        caption += f" {label('timeline.cycle')} {tl.cycle}"
    rows = items_of(tl) or [tl.job]
    charts: list[Flowable] = [_Chart(tl, rows[i:i + ROWS_PER_CHART], report.scope.as_of, font)
                              for i in range(0, len(rows), ROWS_PER_CHART)]
    parts: list[Flowable] = [_p(f"{label('job')} {tl.job}", st.h3), charts[0], _p(caption, st.body)]
    if tl.open_items:
        parts.append(_p(f"{label('timeline.open_items')}: {ids(tl.open_items)}", st.body))
    return [KeepTogether(parts[:3]), *charts[1:], *parts[3:]]


def _hatch(c: Canvas, x: float, y: float, w: float, h: float) -> None:
    """Diagonal lines inside a rectangle and a heavy border: late time that reads without colour."""
    c.saveState()
    path = c.beginPath()
    path.rect(x, y, w, h)
    c.clipPath(path, stroke=0, fill=0)
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, w, h, stroke=0, fill=1)
    c.setStrokeColorRGB(*LATE_RGB)
    c.setLineWidth(0.9)
    start = x - h
    while start < x + w:
        c.line(start, y, start + h, y + h)
        start += 2.6
    c.restoreState()
    c.setStrokeColorRGB(*LATE_RGB)
    c.setLineWidth(1.2)
    c.rect(x, y, w, h, stroke=1, fill=0)


class _Chart(Flowable):
    """One job's timeline: a row per item, a bar per step along a date axis, late parts hatched and labelled."""

    def __init__(self, tl: JobTimeline, rows: list[str], as_of: dt.date, font: str) -> None:
        super().__init__()
        self.tl, self.rows, self.as_of, self.font = tl, rows, as_of, font
        self.first, self.last = date_range(tl, as_of)
        self.left = max(_width(r, font, 6.5) for r in rows) + 6
        self.width = WIDTH
        self.height = AXIS + ROW * len(rows) + 4

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def x(self, day: dt.date) -> float:
        days = (self.last - self.first).days + 1
        return float(self.left + (day - self.first).days * (self.width - self.left - TAIL) / days)

    def draw(self) -> None:
        c: Canvas = self.canv
        top = self.height - AXIS
        day_w = self.x(self.first + dt.timedelta(days=1)) - self.x(self.first)
        marks, form = ticks(self.first, self.last)
        c.setFont(self.font, 5.5)
        for day in marks:
            pos = self.x(day)
            c.setStrokeGray(0.85)
            c.setLineWidth(0.3)
            c.line(pos, 2, pos, top + 2)
            c.setFillGray(0.2)
            c.drawCentredString(pos, top + 5, day.strftime(form))
        for r, item in enumerate(self.rows):
            y = top - (r + 1) * ROW + (ROW - BAR) / 2
            c.setFillGray(0)
            c.setFont(self.font, 6.5)
            c.drawString(0, y + 1.5, item)
            for span in (s for s in self.tl.spans if s.item == item):
                self._bar(c, span, y, day_w)
        c.setStrokeGray(0)
        c.setLineWidth(0.6)
        c.setDash(2, 2)
        pos = self.x(self.as_of) + day_w
        c.line(pos, 0, pos, top + 2)
        c.setDash()

    def _bar(self, c: Canvas, span: Span, y: float, day_w: float) -> None:
        end = span_end(span, self.as_of)
        x0, x1 = self.x(span.start), self.x(end) + day_w
        c.setFillColorRGB(*STEP_RGB.get(span.step, (0.8, 0.8, 0.8)))
        c.setStrokeGray(0.2)
        c.setLineWidth(0.4)
        c.rect(x0, y, max(x1 - x0, 1.5), BAR, stroke=1, fill=1)
        word = step(span.step)
        c.setFont(self.font, 5.5)
        if x1 - x0 > _width(word, self.font, 5.5) + 3:
            c.setFillGray(0)
            c.drawString(x0 + 1.5, y + 2, word)
        if not span.overdue:
            return
        late_from = max(span.start, span.due + dt.timedelta(days=1)) if span.due and span.due < end else span.start
        h0 = self.x(late_from)
        _hatch(c, h0, y, max(x1 - h0, 2.5), BAR)
        c.setFillColorRGB(*LATE_RGB)
        c.setFont(self.font, 6)
        c.drawString(x1 + 2, y + 2, _late(span, self.as_of))


class _Legend(Flowable):
    """The steps' colours and the hatching, named."""

    def __init__(self, font: str) -> None:
        super().__init__()
        self.font = font
        self.width, self.height = WIDTH, 10.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c: Canvas = self.canv
        x = 0.0
        c.setFont(self.font, 7)
        for name in STEPS:
            c.setFillColorRGB(*STEP_RGB[name])
            c.setStrokeGray(0.2)
            c.rect(x, 1.5, 12, 7, stroke=1, fill=1)
            c.setFillGray(0)
            c.drawString(x + 14, 2.5, step(name))
            x += 18 + _width(step(name), self.font, 7)
        _hatch(c, x, 1.5, 12, 7)
        c.setFillColorRGB(*LATE_RGB)
        c.drawString(x + 14, 2.5, label("timeline.overdue"))


# --- every page: header and footer ---------------------------------------------------------------------------


def _numbered(report: AuditReport, font: str) -> type[Canvas]:
    """A canvas that keeps its pages until the end, so each footer can say "page n of m"."""
    class Pages(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # reportlab's default first font (Helvetica) would be listed, unembedded, on every page
            super().__init__(*args, **{**kwargs, "initialFontName": font})
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 — reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab starts a fresh page state here

        def save(self) -> None:
            total = len(self._pages)
            for n, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                _decorate(self, report, font, n, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return Pages


def _decorate(c: Canvas, report: AuditReport, font: str, page: int, pages: int) -> None:
    c.saveState()
    c.setFillGray(0)
    top = PAGE_H - 11 * MM
    c.setFont(font, 10)
    c.drawString(MARGIN_X, top, title(report))
    c.setFont(font, 8)
    as_of = f"{label('scope.as_of')} {report.scope.as_of.isoformat()}"
    c.drawRightString(PAGE_W - MARGIN_X, top, as_of)
    c.setFont(font, 7)
    c.drawString(MARGIN_X, top - 4.5 * MM, f"{label('scope')}: {scope_line(report.scope)}")
    c.setLineWidth(0.5)
    c.line(MARGIN_X, top - 6.5 * MM, PAGE_W - MARGIN_X, top - 6.5 * MM)

    base = 10 * MM
    c.line(MARGIN_X, base + 11 * MM, PAGE_W - MARGIN_X, base + 11 * MM)
    c.setFont(font, 8)
    who = f"{label('auditor')} {report.auditor}　{label('made_at')} {made_on(report).isoformat()}"
    c.drawString(MARGIN_X, base + 3 * MM, who)
    c.setFont(font, 6.5)
    c.drawString(MARGIN_X, base + 7.5 * MM, label("signed"))
    box_x = MARGIN_X + _width(who, font, 8) + 6 * MM
    c.setFont(font, 8)
    c.drawString(box_x, base + 3 * MM, label("signature"))
    box_x += _width(label("signature"), font, 8) + 2 * MM
    c.rect(box_x, base, 48 * MM, 9 * MM, stroke=1, fill=0)
    c.drawRightString(PAGE_W - MARGIN_X, base + 3 * MM, label("page", page=page, pages=pages))
    c.restoreState()
