"""The in-house exceptions list is exactly what the csv module writes for its rows."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from handoff.config import load_site
from handoff.messages import render
from handoff.pipeline.exceptions import HEADINGS, SEVERITY_JA, exceptions_csv, field_label
from handoff.programme import find_programme
from handoff.report import Finding

SPEC = find_programme(load_site().pipelines_path, "kodomo-iryosho")
FIELDS = [c.field for c in SPEC.source.columns] + ["jukyusha_bango+jido_shimei", "", "不明"]
CODES = ["required.missing", "postal.unknown", "charset.substituted", "duplicate.row_key", "date.invalid"]

findings_strategy = st.lists(
    st.builds(
        Finding,
        code=st.sampled_from(CODES),
        severity=st.sampled_from(["error", "warning", "info"]),
        row=st.integers(min_value=0, max_value=10**7),
        field=st.sampled_from(FIELDS),
        detail=st.one_of(st.just(""), st.text(alphabet=' ,"\r\nU+0123456789:ABCDEF髙', max_size=12)),
    ),
    max_size=30,
)


def _reference(findings: list[Finding], lang: str) -> bytes:
    """A csv.writer row per finding: what the list held when it was written line by line."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADINGS[lang])
    for f in findings:
        label = field_label(SPEC, f.field)
        severity = SEVERITY_JA[f.severity] if lang == "ja" else f.severity
        writer.writerow([f.row, label, f.code, severity, render(f"finding.{f.code}", lang, field=label), f.detail])
    return buf.getvalue().encode("utf-8-sig")


@settings(max_examples=200, deadline=None)
@given(findings_strategy, st.sampled_from(["ja", "en"]))
def test_exceptions_list_is_the_csv_modules_output(findings: list[Finding], lang: str) -> None:
    """Byte for byte the csv module's rows (quoting, empty and lone details, CRLF, BOM), in both languages."""
    assert exceptions_csv(findings, SPEC, lang) == _reference(findings, lang)
