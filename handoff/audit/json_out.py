"""The audit report as JSON for scripts and other tools: a fixed shape, dates as ISO text.

The keys are an interface (tests and the ward's own scripts read them): add none without saying so."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import orjson

from handoff.audit.model import AuditReport, Finding, JobTimeline
from handoff.audit.present import message


def render_json(report: AuditReport) -> str:
    scope = report.scope
    doc: dict[str, Any] = {
        "clean": report.clean,
        "findings": [_finding(f) for f in report.sorted_findings()],
        "checked": dict(report.checked),
        "integrity": dataclasses.asdict(report.integrity),
        "scope": {
            "as_of": scope.as_of.isoformat(),
            "fiscal_year": scope.fiscal_year,
            "programme": scope.programme,
            "vendor": scope.vendor,
        },
        "auditor": report.auditor,
        "made_at": report.made_at.isoformat(),
        "timelines": [_timeline(tl) for tl in report.timelines],
        "vendors": [dataclasses.asdict(v) for v in report.vendors],
    }
    # orjson: a year's timelines are hundreds of thousands of values, which the standard library's encoder takes
    # seconds over (more than the whole audit); orjson writes UTF-8 as is and indents by two like json.dumps.
    return orjson.dumps(doc, default=_iso, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "severity": f.severity,
        "seq": list(f.seqs),
        "items": list(f.items),
        "job": f.job,
        "vendor": f.vendor,
        "due": _iso(f.due) if f.due else None,
        "message": message(f),
    }


def _timeline(tl: JobTimeline) -> dict[str, Any]:
    return {
        "job": tl.job,
        "programme": tl.programme,
        "vendor": tl.vendor,
        "prepared": _iso(tl.prepared),
        "cycle": tl.cycle,
        "spans": [
            {
                "item": s.item,
                "step": s.step,
                "start": _iso(s.start),
                "end": _iso(s.end) if s.end else None,
                "due": _iso(s.due) if s.due else None,
                "overdue": s.overdue,
            }
            for s in tl.spans
        ],
        "open_items": list(tl.open_items),
    }


def _iso(value: object) -> str:
    """Dates and times as ISO text; anything else a finding parameter might hold, as its text."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)
