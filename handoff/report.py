"""Findings and the run report: codes, row numbers and field names — never values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one row (row 0 = the whole file). ``detail`` holds codes only (e.g. U+9AD9)."""

    code: str
    severity: Severity
    row: int
    field: str = ""
    detail: str = ""

    @property
    def blocks_row(self) -> bool:
        return self.severity == "error"


def count_by_code(findings: Iterable[Finding]) -> dict[str, int]:
    return dict(sorted(Counter(f.code for f in findings).items()))


def count_by_field(findings: Iterable[Finding]) -> dict[str, dict[str, int]]:
    """code → field → count: which item each finding code concerns (the summary names the item)."""
    counts = Counter((f.code, f.field) for f in findings)
    out: dict[str, dict[str, int]] = {}
    for (code, name), n in sorted(counts.items()):
        out.setdefault(code, {})[name] = n
    return out


@dataclass
class RunReport:
    """What a run did, safe to print, log and keep: no personal data."""

    programme: str
    job_id: str
    rows_read: int = 0
    rows_selected: int = 0
    rows_not_selected: int = 0
    rows_excepted: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    findings_by_field: dict[str, dict[str, int]] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    charset_classes: dict[str, int] = field(default_factory=dict)
    substitutions: dict[str, int] = field(default_factory=dict)  # "U+20BB7→U+5409" -> count
    approved_items: list[str] = field(default_factory=list)
    output_fields: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def count_findings(self, findings: Iterable[Finding]) -> None:
        """Set ``findings`` (code → count) and ``findings_by_field`` (code → field → count) together."""
        listed = list(findings)
        self.findings = count_by_code(listed)
        self.findings_by_field = count_by_field(listed)

    @property
    def conserved(self) -> bool:
        return self.rows_read == self.rows_selected + self.rows_not_selected + self.rows_excepted

    def to_json(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "job_id": self.job_id,
            "counts": {
                "rows_read": self.rows_read,
                "rows_selected": self.rows_selected,
                "rows_not_selected": self.rows_not_selected,
                "rows_excepted": self.rows_excepted,
            },
            "conserved": self.conserved,
            "findings": self.findings,
            "findings_by_field": self.findings_by_field,
            "severities": self.severities,
            "charset_classes": self.charset_classes,
            "substitutions": self.substitutions,
            "approved_items": self.approved_items,
            "output_fields": self.output_fields,
            **self.extra,
        }
