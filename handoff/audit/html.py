"""The audit report as one self-contained HTML file: the auditor opens it on a ward PC with no network and
prints it (A4).

Nothing is loaded from anywhere: no script, font, image or style sheet outside the file, and the
Content-Security-Policy says so to the browser. Every text that comes from the ledger or the catalogue is escaped.
The timelines are inline SVG; a late span is hatched and labelled, so it reads without colour (and in print).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape

from handoff.audit.model import STEPS, AuditReport, Finding, JobTimeline, Span
from handoff.audit.present import (
    checked_label,
    date_range,
    days_overdue,
    due_text,
    fiscal_year,
    items_of,
    label,
    made_on,
    message,
    scope_parts,
    severity,
    span_end,
    span_text,
    step,
    ticks,
    title,
    verdict,
    verdict_class,
)
from handoff.messages import current_lang

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# One colour per step; the legend names them and every bar carries its own <title>, so colour is never the only cue.
STEP_FILL = {
    "prepared": "#c7d7ea",
    "written": "#9fbfdf",
    "stored": "#d9d9d9",
    "handed_over": "#f2c185",
    "returned": "#a8d5a2",
    "certified": "#7fbf7f",
    "destroyed": "#b0b0b0",
}
STYLE = """
:root { color-scheme: light; }
body { font-family: "IPAexGothic", "IPAGothic", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif;
       margin: 1.5rem; color: #111; line-height: 1.5; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #333; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
.verdict { font-weight: bold; padding: .5rem .75rem; border: 2px solid #333; }
.verdict-open { border-style: dashed; }
.verdict-integrity { border-width: 4px; }
dl.scope { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; }
dl.scope dt { font-weight: bold; }
dl.scope dd { margin: 0; }
table { border-collapse: collapse; margin: .5rem 0; }
caption { text-align: left; font-weight: bold; padding: .2rem 0; }
th, td { border: 1px solid #888; padding: .25rem .4rem; vertical-align: top; text-align: left; }
thead th { background: #eee; white-space: nowrap; }
td.due { white-space: nowrap; }
td.num { text-align: right; }
.id { white-space: nowrap; font-family: "DejaVu Sans Mono", monospace; }
.ids .id::after { content: ", "; }
.ids .id:last-child::after { content: ""; }
.ids { word-break: keep-all; }
table.findings { width: 100%; }
tr.finding td.message { min-width: 22rem; }
.sev { font-weight: bold; white-space: nowrap; }
.sev-integrity { text-decoration: underline double; }
.late { font-weight: bold; }
.timeline { display: block; max-width: 100%; height: auto; }
.timeline text { font-size: 11px; fill: #111; }
.timeline .item { font-family: "DejaVu Sans Mono", monospace; }
.timeline .overdue-label { font-weight: bold; fill: #8b0000; }
figure { margin: .5rem 0 1.5rem; }
figcaption { font-size: .9rem; }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; list-style: none; font-size: .9rem; }
.swatch { display: inline-block; width: 1.2em; height: .8em; border: 1px solid #333; vertical-align: middle; }
.swatch-overdue { background: repeating-linear-gradient(45deg, #fff 0 2px, #8b0000 2px 4px); }
tr.attention td { font-weight: bold; }
footer { margin-top: 2rem; border-top: 1px solid #333; padding-top: .5rem; }
.signature { display: inline-block; width: 14rem; height: 2.5rem; border: 1px solid #333; vertical-align: middle;
             margin-left: .5rem; }
@page { size: A4; margin: 15mm 12mm; }
@media print {
  body { margin: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def render_html(report: AuditReport) -> str:
    lang = current_lang()
    heading = title(report)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)} — {_e(report.scope.as_of.isoformat())}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(heading)}</h1>",
        f'<p class="verdict verdict-{verdict_class(report)}" role="status">{_e(verdict(report))}</p>',
        _scope(report),
        "</header>",
        "<main>",
        _open_items(report),
        _integrity(report),
        _timelines(report),
        _vendors(report),
        _checked(report),
        "</main>",
        _footer(report),
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _ids(values: tuple[object, ...] | list[str]) -> str:
    """Ids side by side, each kept whole on its line (a line may break only between them)."""
    return "".join(f'<span class="id">{_e(v)}</span>' for v in values)


def _scope(report: AuditReport) -> str:
    rows = [*scope_parts(report.scope), (label("auditor"), report.auditor),
            (label("made_at"), made_on(report).isoformat())]
    body = "".join(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in rows)
    return f'<dl class="scope" aria-label="{_e(label("scope"))}">{body}</dl>'


def _open_items(report: AuditReport) -> str:
    found = report.sorted_findings()
    out = ['<section id="open-items" aria-labelledby="h-open-items">',
           f'<h2 id="h-open-items">{_e(label("open_items"))} ({len(found)})</h2>']
    if not found:
        out.append(f'<p class="none">{_e(label("open_items.none"))}</p>')
        return "\n".join([*out, "</section>"])
    cols = ("severity", "code", "seqs", "items", "job", "vendor", "due", "message")
    out += [
        f"<p>{_e(label('open_items.note'))}</p>",
        '<table class="findings">',
        f"<caption>{_e(label('open_items'))}</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_e(label(c))}</th>' for c in cols) + "</tr></thead>",
        "<tbody>",
        *(_finding(n, f, report) for n, f in enumerate(found, 1)),
        "</tbody>",
        "</table>",
        "</section>",
    ]
    return "\n".join(out)


def _finding(n: int, f: Finding, report: AuditReport) -> str:
    due = _e(due_text(f, report.scope.as_of))
    if days_overdue(f.due, report.scope.as_of):
        due = f'<span class="late">{due}</span>'
    cells = [
        f'<td class="sev sev-{_e(f.severity)}">{_e(severity(f))}</td>',
        f'<th scope="row" class="code"><span class="id">{_e(f.code)}</span></th>',
        f'<td class="ids">{_ids(f.seqs)}</td>',
        f'<td class="ids">{_ids(f.items)}</td>',
        f'<td class="ids">{_ids((f.job,) if f.job else ())}</td>',
        f'<td class="ids">{_ids((f.vendor,) if f.vendor else ())}</td>',
        f'<td class="due">{due}</td>',
        f'<td class="message">{_e(message(f))}</td>',
    ]
    return (f'<tr class="finding severity-{_e(f.severity)}" id="finding-{n}" data-code="{_e(f.code)}">'
            + "".join(cells) + "</tr>")


def _integrity(report: AuditReport) -> str:
    i = report.integrity
    rows = [
        (label("integrity.result"), label("integrity.ok") if i.ok else label("integrity.failed")),
        (label("integrity.entries"), str(i.entries)),
        (label("integrity.root"), i.root or label("none")),
        (label("integrity.checkpoints"), str(i.checkpoints)),
        (label("integrity.witnesses"), str(i.witnesses)),
        (label("integrity.paper"), str(i.paper)),
    ]
    body = "".join(f'<tr><th scope="row">{_e(k)}</th><td class="{"id" if k == rows[2][0] else ""}">{_e(v)}</td></tr>'
                   for k, v in rows)
    return (f'<section id="integrity" aria-labelledby="h-integrity"><h2 id="h-integrity">{_e(label("integrity"))}'
            f'</h2><table class="integrity{"" if i.ok else " failed"}"><caption>{_e(label("integrity"))}</caption>'
            f"<tbody>{body}</tbody></table></section>")


def _timelines(report: AuditReport) -> str:
    out = ['<section id="timelines" aria-labelledby="h-timelines">',
           f'<h2 id="h-timelines">{_e(label("timelines"))}</h2>']
    if not report.timelines:
        out.append(f'<p class="none">{_e(label("timelines.none"))}</p>')
        return "\n".join([*out, "</section>"])
    legend = "".join(f'<li><span class="swatch" style="background:{STEP_FILL[s]}"></span> {_e(step(s))}</li>'
                     for s in STEPS)
    legend += f'<li><span class="swatch swatch-overdue"></span> {_e(label("timeline.overdue"))}</li>'
    out += [f"<p>{_e(label('timeline.legend'))}</p>", f'<ul class="legend">{legend}</ul>']
    for n, timeline in enumerate(report.timelines, 1):
        out.append(_timeline(n, timeline, report.scope.as_of))
    out.append("</section>")
    return "\n".join(out)


Scale = Callable[[dt.date], float]
# Geometry of a chart, in SVG user units (the svg scales down to the page width).
ROW, BAR, TOP, CHART, TAIL, CHAR = 24, 14, 34, 560, 150, 7.2


def _timeline(n: int, tl: JobTimeline, as_of: dt.date) -> str:
    rows = items_of(tl) or [tl.job]
    first, last = date_range(tl, as_of)
    days = (last - first).days + 1
    left = int(max(len(r) for r in rows) * CHAR) + 16  # ids in a monospaced font: the column fits the longest
    width, height = left + CHART + TAIL, TOP + ROW * len(rows) + 8
    hatch = f"hatch-{n}"

    def x(day: dt.date) -> float:
        return left + (day - first).days * CHART / days

    aria = label("timeline.label", job=tl.job)
    svg = [
        f'<svg class="timeline" role="img" aria-label="{_e(aria)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" data-job="{_e(tl.job)}">',
        f"<title>{_e(aria)}</title>",
        f'<defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8b0000" stroke-width="3"/></pattern></defs>',
        *_axis(first, last, x, height),
    ]
    for r, item in enumerate(rows):
        y = TOP + r * ROW
        svg.append(f'<text class="item" x="4" y="{y + ROW / 2 + 4}">{_e(item)}</text>')
        svg.append(f'<line x1="{left}" y1="{y + ROW}" x2="{left + CHART}" y2="{y + ROW}" stroke="#eee"/>')
        for span in (s for s in tl.spans if s.item == item):
            svg += _bar(span, as_of, x, y + (ROW - BAR) / 2, CHART / days, hatch)
    mark = x(as_of) + CHART / days
    svg.append(f'<line class="as-of" x1="{mark:.1f}" y1="{TOP - 6}" x2="{mark:.1f}" y2="{height - 4}" '
               'stroke="#000" stroke-dasharray="4 3"><title>'
               f'{_e(label("scope.as_of"))} {_e(as_of.isoformat())}</title></line>')
    svg.append("</svg>")
    caption = label("timeline.caption", job=tl.job, programme=tl.programme, vendor=tl.vendor,
                    prepared=tl.prepared.isoformat())
    extra = f" {_e(label('timeline.cycle'))} {_e(tl.cycle)}" if tl.cycle else ""
    still_out = ""
    if tl.open_items:
        still_out = (f'<p class="still-out">{_e(label("timeline.open_items"))}: '
                     f'<span class="ids">{_ids(tl.open_items)}</span></p>')
    return (f'<figure class="job-timeline" id="timeline-{n}"><h3>{_e(label("job"))} <span class="id">{_e(tl.job)}'
            f'</span></h3>{"".join(svg)}<figcaption>{_e(caption)}{extra}</figcaption>{still_out}</figure>')


def _axis(first: dt.date, last: dt.date, x: Scale, height: int) -> list[str]:
    marks, form = ticks(first, last)
    out = []
    for day in marks:
        pos = x(day)
        out.append(f'<line x1="{pos:.1f}" y1="{TOP - 4}" x2="{pos:.1f}" y2="{height - 4}" stroke="#ddd"/>')
        out.append(f'<text class="tick" x="{pos:.1f}" y="{TOP - 8}" text-anchor="middle">'
                   f"{_e(day.strftime(form))}</text>")
    return out


def _bar(span: Span, as_of: dt.date, x: Scale, y: float, day_w: float, hatch: str) -> list[str]:
    """A span's bar; where it runs past its deadline, a hatched part with its own title and a visible label."""
    end = span_end(span, as_of)
    x0, x1 = x(span.start), x(end) + day_w
    text = span_text(span, as_of)
    fill = STEP_FILL.get(span.step, "#ccc")
    dash = ' stroke-dasharray="3 2"' if span.end is None else ""
    out = [f'<rect class="bar step-{_e(span.step)}" x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 2):.1f}" '
           f'height="{BAR}" fill="{fill}" stroke="#333"{dash}><title>{_e(text)}</title></rect>']
    word = step(span.step)
    if x1 - x0 > len(word) * 12 + 6:
        out.append(f'<text class="step" x="{x0 + 3:.1f}" y="{y + BAR - 3:.1f}">{_e(word)}</text>')
    if not span.overdue:
        return out
    late_from = max(span.start, span.due + dt.timedelta(days=1)) if span.due and span.due < end else span.start
    h0 = x(late_from)
    out.append(f'<rect class="overdue" x="{h0:.1f}" y="{y:.1f}" width="{max(x1 - h0, 3):.1f}" height="{BAR}" '
               f'fill="url(#{hatch})" stroke="#8b0000" stroke-width="2"><title>{_e(text)}</title></rect>')
    late = days_overdue(span.due, as_of, span.end)
    words = label("overdue_days", days=late) if late else label("timeline.overdue")
    out.append(f'<text class="overdue-label" x="{x1 + 4:.1f}" y="{y + BAR - 3:.1f}">{_e(words)}</text>')
    return out


def _vendors(report: AuditReport) -> str:
    out = ['<section id="vendors" aria-labelledby="h-vendors">', f'<h2 id="h-vendors">{_e(label("vendors"))}</h2>']
    if not report.vendors:
        out.append(f'<p class="none">{_e(label("vendors.none"))}</p>')
        return "\n".join([*out, "</section>"])
    counts = ("jobs", "media_out", "notices_out", "certificates", "inspections", "open_incidents", "findings")
    head = (f'<th scope="col">{_e(label("vendor"))}</th><th scope="col">{_e(label("scope.fiscal_year"))}</th>'
            + "".join(f'<th scope="col">{_e(label("vendors." + c))}</th>' for c in counts))
    body = []
    for v in sorted(report.vendors, key=lambda v: (v.vendor, v.fiscal_year)):
        attention = v.media_out or v.notices_out or v.open_incidents or v.findings
        cells = "".join(f'<td class="num">{_e(getattr(v, c))}</td>' for c in counts)
        body.append(f'<tr class="vendor-year{" attention" if attention else ""}" data-vendor="{_e(v.vendor)}" '
                    f'data-fiscal-year="{v.fiscal_year}"><th scope="row"><span class="id">{_e(v.vendor)}</span>'
                    f"</th><td>{_e(fiscal_year(v.fiscal_year))}</td>{cells}</tr>")
    out += ['<table class="vendors">', f"<caption>{_e(label('vendors'))}</caption>", f"<thead><tr>{head}</tr></thead>",
            "<tbody>", *body, "</tbody></table></section>"]
    return "\n".join(out)


def _checked(report: AuditReport) -> str:
    rows = "".join(f'<tr><th scope="row">{_e(checked_label(k))}</th><td class="num">{_e(v)}</td></tr>'
                   for k, v in report.checked.items())
    body = (f'<table class="checked"><caption>{_e(label("checked"))}</caption><tbody>{rows}</tbody></table>'
            if rows else f'<p class="none">{_e(label("none"))}</p>')
    return (f'<section id="checked" aria-labelledby="h-checked"><h2 id="h-checked">{_e(label("checked"))}</h2>'
            f"{body}</section>")


def _footer(report: AuditReport) -> str:
    return (f'<footer><p>{_e(label("signed"))}</p><p>{_e(label("auditor"))} <span class="id">{_e(report.auditor)}'
            f'</span>　{_e(label("made_at"))} {_e(made_on(report).isoformat())}　{_e(label("signature"))}'
            f'<span class="signature" role="img" aria-label="{_e(label("signature"))}"></span></p></footer>')
