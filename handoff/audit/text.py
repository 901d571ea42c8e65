"""The audit report for a terminal: the verdict, then the open items (what to do first on top), then the rest.

Lines are never cut to a width: an id printed in part would send the auditor to the wrong medium."""

from __future__ import annotations

import re

from handoff.audit.model import AuditReport, Finding
from handoff.audit.present import (
    checked_label,
    due_text,
    ids,
    label,
    made_on,
    message,
    scope_line,
    severity,
    title,
    verdict,
)

# Control characters (C0 but tab and newline, DEL, C1) from a parameter could move the cursor or recolour the
# terminal: they are shown as their code point instead.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def render_text(report: AuditReport) -> str:
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", _render(report))


def _render(report: AuditReport) -> str:
    lines = [
        title(report),
        verdict(report),
        f"{label('scope')}: {scope_line(report.scope)}",
        f"{label('auditor')}: {report.auditor}　{label('made_at')}: {made_on(report).isoformat()}",
        "",
        f"■ {label('open_items')} ({len(report.findings)})",
    ]
    found = report.sorted_findings()
    if not found:
        lines.append(f"  {label('open_items.none')}")
    for n, finding in enumerate(found, 1):
        lines += _finding(n, finding, report)
    lines += ["", f"■ {label('integrity')}", *_integrity(report), "", f"■ {label('checked')}"]
    lines += [f"  {checked_label(key)}: {count}" for key, count in report.checked.items()] or [
        f"  {label('none')}"
    ]
    return "\n".join(lines) + "\n"


def _finding(n: int, finding: Finding, report: AuditReport) -> list[str]:
    head = f"{n:>3}. [{severity(finding)}] {finding.code}"
    facts = [
        (label("seqs"), ids(finding.seqs)),
        (label("items"), ids(finding.items)),
        (label("job"), finding.job or ""),
        (label("vendor"), finding.vendor or ""),
        (label("due"), due_text(finding, report.scope.as_of)),
    ]
    detail = "　".join(f"{name}: {value}" for name, value in facts if value)
    return [head, *([f"     {detail}"] if detail else []), f"     {message(finding)}"]


def _integrity(report: AuditReport) -> list[str]:
    i = report.integrity
    result = label("integrity.ok") if i.ok else label("integrity.failed")
    return [
        f"  {label('integrity.result')}: {result}",
        f"  {label('integrity.entries')}: {i.entries}",
        f"  {label('integrity.root')}: {i.root or label('none')}",
        f"  {label('integrity.checkpoints')}: {i.checkpoints}",
        f"  {label('integrity.witnesses')}: {i.witnesses}",
        f"  {label('integrity.paper')}: {i.paper}",
    ]
