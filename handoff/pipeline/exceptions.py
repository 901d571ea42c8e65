"""The in-house exceptions list: which rows to fix in the host system and why (row, field, code, message).

It names rows and fields, never values, and is written 0600 into the job's ``internal/`` folder.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from handoff.messages import render
from handoff.pipeline.report import Finding, RunReport
from handoff.pipeline.workspace import write_atomic
from handoff.programme import ProgramSpec

HEADINGS = {"ja": ["行番号", "項目", "コード", "重大度", "内容", "詳細"],
            "en": ["row", "field", "code", "severity", "message", "detail"]}
SEVERITY_JA = {"error": "除外", "warning": "警告", "info": "情報"}


def field_label(spec: ProgramSpec, name: str) -> str:
    labels = {c.field: c.label for c in spec.source.columns}
    return "・".join(labels.get(part, part) for part in name.split("+"))


def exceptions_csv(findings: Iterable[Finding], spec: ProgramSpec, lang: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADINGS[lang])
    # Label and message depend only on (field, code, severity): made once each, not once per finding
    # (a large export can have tens of thousands of findings of a handful of kinds).
    texts: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for f in findings:
        kind = (f.field, f.code, f.severity)
        text = texts.get(kind)
        if text is None:
            label = field_label(spec, f.field)
            severity = SEVERITY_JA[f.severity] if lang == "ja" else f.severity
            text = texts[kind] = (label, severity, render(f"finding.{f.code}", lang, field=label))
        writer.writerow([f.row, text[0], f.code, text[1], text[2], f.detail])
    # UTF-8 with BOM so that Excel on the ward's PCs opens the Japanese text correctly.
    return buf.getvalue().encode("utf-8-sig")


def write_internal(internal: Path, findings: list[Finding], report: RunReport, spec: ProgramSpec,
                   lang: str) -> dict[str, Path]:
    return {
        "exceptions": write_atomic(internal / "exceptions.csv", exceptions_csv(findings, spec, lang)),
        "report": write_report(internal, report),
    }


def write_report(internal: Path, report: RunReport) -> Path:
    """The run report (no personal data) as ``report.json``; written again when a run learns more."""
    return write_atomic(internal / "report.json",
                        json.dumps(report.to_json(), ensure_ascii=False, indent=2).encode("utf-8"))
