"""What the text, HTML and PDF reports say alike: labels from the catalogue, the verdict, the scope in words, a
finding's message and how late it is. Each renderer only lays these out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from handoff.audit.model import STEPS, AuditReport, Finding, JobTimeline, Scope, Span
from handoff.messages import CATALOGUE, t

JST = dt.timezone(dt.timedelta(hours=9), "JST")
PREFIX = "audit.report."
# The ledger's ids are made of these characters only; a run of them is never broken across lines.
ID_RUN = re.compile(r"[A-Za-z0-9._:\-]+")
# Keys of ``render``'s own signature: a finding parameter of that name would collide with them.
_RESERVED = frozenset({"code", "lang"})


def label(key: str, **params: object) -> str:
    """A heading or label of the report in the current language."""
    return t(PREFIX + key, **params)


def verdict(report: AuditReport) -> str:
    if not report.integrity.ok:
        return label("verdict.integrity")
    if report.findings:
        return label("verdict.open", count=len(report.findings))
    return label("verdict.clean")


def verdict_class(report: AuditReport) -> str:
    """``clean``, ``open`` or ``integrity``: the kind of verdict, for styling and tests."""
    if not report.integrity.ok:
        return "integrity"
    return "open" if report.findings else "clean"


def fiscal_year(year: int) -> str:
    return label("fiscal_year", year=year)


def scope_parts(scope: Scope) -> list[tuple[str, str]]:
    """(label, value) for each side of the scope, "all" where it is not limited."""
    every = label("scope.all")
    return [
        (label("scope.as_of"), scope.as_of.isoformat()),
        (label("scope.fiscal_year"), fiscal_year(scope.fiscal_year) if scope.fiscal_year is not None else every),
        (label("scope.programme"), scope.programme or every),
        (label("scope.vendor"), scope.vendor or every),
    ]


def scope_line(scope: Scope) -> str:
    return label("sep").join(f"{name} {value}" for name, value in scope_parts(scope))


def title(report: AuditReport) -> str:
    """The report's title; the fiscal-year report is the annual inspection pack."""
    if report.scope.fiscal_year is None:
        return label("title")
    return f"{label('title')} — {label('pack_title')} {fiscal_year(report.scope.fiscal_year)}"


def message(finding: Finding) -> str:
    """The finding's text in the current language (the catalogue says what to do)."""
    params = {k: v for k, v in finding.params.items() if k not in _RESERVED}
    return t(finding.code, **params)


def severity(finding: Finding) -> str:
    return label(f"severity.{finding.severity}")


def days_overdue(due: dt.date | None, as_of: dt.date, end: dt.date | None = None) -> int:
    """Days past ``due`` on ``end`` (or on as_of while it goes on); 0 when not late or no deadline."""
    if due is None:
        return 0
    return max(0, ((end or as_of) - due).days)


def due_text(finding: Finding, as_of: dt.date) -> str:
    if finding.due is None:
        return ""
    late = days_overdue(finding.due, as_of)
    if not late:
        return finding.due.isoformat()
    return label("due_late", due=finding.due.isoformat(), late=label("overdue_days", days=late))


def ids(values: Iterable[object]) -> str:
    """Ids joined so that a line may break between them and never inside one."""
    return ", ".join(str(v) for v in values)


def step(name: str) -> str:
    return label(f"step.{name}") if name in STEPS else name


def checked_label(key: str) -> str:
    """The words for a count the audit checked; the key itself for a count this catalogue does not know."""
    code = f"{PREFIX}checked.{key}"
    return t(code) if code in CATALOGUE else key


def made_on(report: AuditReport) -> dt.date:
    """The Japan date the audit ran on (``made_at`` is UTC)."""
    made = report.made_at if report.made_at.tzinfo else report.made_at.replace(tzinfo=dt.UTC)
    return made.astimezone(JST).date()


def span_end(span: Span, as_of: dt.date) -> dt.date:
    """The last day of the span as drawn: its end, or as_of while it goes on (never before its start)."""
    return max(span.start, span.end or as_of)


def span_text(span: Span, as_of: dt.date) -> str:
    """One line naming the item, step, dates, deadline and lateness of a span (the chart's tooltip and label)."""
    end = span.end.isoformat() if span.end else label("timeline.ongoing")
    text = label("timeline.span", item=span.item, step=step(span.step), start=span.start.isoformat(), end=end)
    if span.due is not None:
        text += label("sep") + label("timeline.span_due", due=span.due.isoformat())
    if span.overdue:
        late = days_overdue(span.due, as_of, span.end)
        text += label("sep") + (label("overdue_days", days=late) if late else label("timeline.overdue"))
    return text


def items_of(timeline: JobTimeline) -> list[str]:
    """The rows of a job's chart: the job's own row first, then each item in the order it first appears."""
    seen: dict[str, None] = {timeline.job: None} if any(s.item == timeline.job for s in timeline.spans) else {}
    for span in timeline.spans:
        seen.setdefault(span.item, None)
    return list(seen)


def date_range(timeline: JobTimeline, as_of: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day a job's chart shows: from its preparation to as_of or the last date it names."""
    days = [timeline.prepared, as_of]
    for span in timeline.spans:
        days += [span.start, span_end(span, as_of)] + ([span.due] if span.due else [])
    return min(days), max(days)


def handed_over(timeline: JobTimeline, item: str) -> Span | None:
    """The last handover span of ``item`` (where its return deadline is), if any."""
    spans = [s for s in timeline.spans if s.item == item and s.step == "handed_over"]
    return spans[-1] if spans else None


def certified_on(timeline: JobTimeline) -> dt.date | None:
    """The day the deletion certificates covered the job: the end of its wait for them (None while it goes on)."""
    spans = [s for s in timeline.spans if s.step == "certified"]
    return spans[-1].end if spans else None


def ticks(first: dt.date, last: dt.date) -> tuple[list[dt.date], str]:
    """Dates to mark along a chart's axis and their strftime form: days, weeks or month starts, whichever keeps
    the marks to about a dozen."""
    span = (last - first).days + 1
    if span <= 16:
        return [first + dt.timedelta(days=d) for d in range(span)], "%m-%d"
    if span <= 100:
        return [first + dt.timedelta(days=d) for d in range(0, span, 7)], "%m-%d"
    every = max(1, round(span / 30 / 10))
    marks: list[dt.date] = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first and (day.month - 1) % every == 0:
            marks.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return marks, "%Y-%m"


def vendor_findings(report: AuditReport, vendor: str) -> list[Finding]:
    """The findings about one vendor: named by it, or about one of its jobs."""
    jobs = {tl.job for tl in report.timelines if tl.vendor == vendor}
    return [f for f in report.sorted_findings() if f.vendor == vendor or (f.vendor is None and f.job in jobs)]
