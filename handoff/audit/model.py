"""What an audit produces: findings, the per-job timeline, the per-vendor table. No personal data ever enters
here: the ledger holds none, and the audit reads nothing else but the site and programme files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["integrity", "error", "warning"]
# The order findings are shown in: integrity first (it stops everything else), then what must be fixed.
SEVERITY_ORDER: dict[str, int] = {"integrity": 0, "error": 1, "warning": 2}


@dataclass(frozen=True)
class Scope:
    """What the audit looks at. ``as_of`` is the day deadlines are judged on (Japan date); the fiscal year
    (April–March, named by the year it starts in) limits the jobs and the inspections looked at."""

    as_of: dt.date
    fiscal_year: int | None = None
    programme: str | None = None
    vendor: str | None = None

    def period(self) -> tuple[dt.date, dt.date] | None:
        """First and last day of the fiscal year, or None for every year."""
        if self.fiscal_year is None:
            return None
        return dt.date(self.fiscal_year, 4, 1), dt.date(self.fiscal_year + 1, 3, 31)


def fiscal_year_of(day: dt.date) -> int:
    """The Japanese fiscal year a day falls in, named by the calendar year it starts in (April–March)."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class Finding:
    """One thing the auditor must look at: a message code (``audit.<rule>`` in the catalogue, whose text says
    what to do), the entries (seq) and items concerned, and parameters for the text (ids and dates only)."""

    code: str
    severity: Severity
    seqs: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    job: str | None = None
    vendor: str | None = None
    due: dt.date | None = None  # the deadline that was missed, where there is one
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[int, str, int, str]:
        return (SEVERITY_ORDER[self.severity], (self.due or dt.date.max).isoformat(),
                self.seqs[0] if self.seqs else -1, self.code)


# The steps of a job's custody, in order, as the timeline draws them.
STEPS = ("prepared", "written", "stored", "handed_over", "returned", "certified", "destroyed")


@dataclass(frozen=True)
class Span:
    """One item's stay in one state on the timeline: from ``start`` to ``end`` (None: still there on as_of).
    ``due`` is the deadline of the step that ends the span (return, certificate), if any; ``overdue`` is true
    when the span went (or is still going) past it."""

    item: str  # a medium, notice or paper id; the job id for job-level spans (prepared, certified)
    step: str  # one of STEPS
    start: dt.date
    end: dt.date | None = None
    due: dt.date | None = None
    overdue: bool = False


@dataclass
class JobTimeline:
    job: str
    programme: str
    vendor: str
    prepared: dt.date
    cycle: str | None = None
    spans: list[Span] = field(default_factory=list)
    open_items: list[str] = field(default_factory=list)  # handed over and neither returned nor destroyed


@dataclass
class VendorYear:
    """One row of the per-vendor table: a vendor's custody in one fiscal year."""

    vendor: str
    fiscal_year: int
    jobs: int = 0
    media_out: int = 0  # handed over and not yet back or destroyed on as_of
    notices_out: int = 0
    certificates: int = 0  # jobs with a complete deletion certificate
    inspections: int = 0  # on-site inspections (vendor.inspected) in the year
    open_incidents: int = 0
    findings: int = 0


@dataclass
class Integrity:
    """What integrity checking proved: the tree size and root, the checkpoints and witnesses it matched."""

    entries: int = 0
    root: str = ""  # hex
    checkpoints: int = 0
    witnesses: int = 0
    paper: int = 0  # typed paper checkpoints matched
    ok: bool = True


@dataclass
class AuditReport:
    scope: Scope
    auditor: str  # the auditor's staff id (signs the PDF)
    made_at: dt.datetime  # when the audit ran (aware, UTC)
    integrity: Integrity
    findings: list[Finding] = field(default_factory=list)
    timelines: list[JobTimeline] = field(default_factory=list)
    vendors: list[VendorYear] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # what was looked at: jobs, media, notices, …

    @property
    def clean(self) -> bool:
        return self.integrity.ok and not self.findings

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: f.sort_key)
