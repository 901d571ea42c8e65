"""The Japanese (or English) summary printed after check and run — counts and codes only."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from handoff.cli.common import console
from handoff.messages import t
from handoff.programme import ProgramSpec
from handoff.report import RunReport


def print_summary(report: RunReport, spec: ProgramSpec, paths: dict[str, Path]) -> None:
    console.print(t("summary.title", programme=spec.title, id=spec.id))
    counts = Table(show_header=False, box=None)
    for key, value in (
        ("summary.rows_read", report.rows_read),
        ("summary.rows_selected", report.rows_selected),
        ("summary.rows_not_selected", report.rows_not_selected),
        ("summary.rows_excepted", report.rows_excepted),
    ):
        counts.add_row(t(key), f"{value:,}")
    console.print(counts)
    console.print(t("summary.conserved") if report.conserved else t("summary.not_conserved"))
    _exclusions(report)
    if report.findings:
        table = Table(t("summary.finding_code"), t("summary.severity"), t("summary.count"),
                      t("summary.meaning"))
        for code, n in report.findings.items():
            severity = t(f"severity.{report.severities.get(code, 'error')}")
            # One row per item the code concerns, so the meaning names the real item ("…" only if unknown).
            for name, count in (report.findings_by_field.get(code) or {"": n}).items():
                table.add_row(code, severity, f"{count:,}", t(f"finding.{code}", field=_labels(spec, name)))
        console.print(table)
    if report.substitutions:
        console.print(t("summary.substitutions", count=sum(report.substitutions.values())))
    console.print(t("summary.approved", items="、".join(report.approved_items)))
    for text in report.extra.get("warnings", []):  # a contract or certification ending soon
        console.print(t("summary.warning", text=text), markup=False, style="bold yellow")
    if discount := report.extra.get("postal_discount"):
        from handoff.mail.discount import summary_lines

        for line in summary_lines(discount):
            console.print(line, markup=False)
    for name, path in paths.items():
        console.print(t(f"summary.path.{name}", path=str(path)))


def _exclusions(report: RunReport) -> None:
    """異動: the file applied (counts, the cutoff) and the rows it left out by reason — part of 対象外."""
    if file := report.extra.get("exclusions"):
        console.print(t("summary.exclusions", title=file["title"], rows=file["rows_read"], excluding=file["excluding"],
                        later=file["later"], cutoff=file["cutoff"], ignored=file["ignored"]), markup=False)
    if (by_reason := report.extra.get("rows_excluded")) is not None:
        reasons = "、".join(f"{label} {n:,}" for label, n in by_reason.items()) or "-"
        console.print(t("summary.excluded", count=sum(by_reason.values()), reasons=reasons), markup=False)


def _labels(spec: ProgramSpec, name: str) -> str:
    """The Japanese item label(s) of a finding's field ("a+b" for a composite key); "…" when there is none."""
    if not name:
        return "…"
    labels = []
    for part in name.split("+"):
        try:
            labels.append(spec.label(part))
        except StopIteration:  # a field outside the programme (should not happen): its name, never a value
            labels.append(part)
    return "・".join(labels)
