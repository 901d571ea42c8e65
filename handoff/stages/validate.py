"""Validate extracted rows into findings (code, severity, row, field — never the value) and normalise values.

Rules per shared/reference/jp-rules.md. Work is vectorised over columns and cached per distinct value, because a
run may hold a million rows. Output: the same table with normalised values (郵便番号 as 7 digits, dates as ISO,
numbers NFKC), and the findings.
"""

from __future__ import annotations

import pandas as pd

from handoff.pipeline.report import Finding, Severity
from handoff.programme import FieldSpec, ProgramSpec
from handoff.stages import validate_rules as rules
from handoff.stages.base import ROW, StageContext, StageResult
from handoff.stages.codepoints import lay_out
from handoff.stages.columns import as_str, nfkc

SEVERITY: dict[str, Severity] = {
    "required.missing": "error",
    "postal.format": "error",
    "postal.unknown": "error",
    "postal.address_mismatch": "error",
    "postal.daihyo": "warning",
    "checkdigit.invalid": "error",
    "number.format": "error",
    "date.invalid": "error",
    "date.sentinel_undeclared": "error",
    "date.heisei_after_end": "warning",
    "length.over": "error",
    "charset.not_cp932": "error",
    "charset.private_use": "error",
    "charset.variation_selector": "error",
    "charset.roundtrip_change": "error",
    "charset.vendor_extension": "error",
    "charset.vendor_extension_allowed": "info",
    "charset.substituted": "warning",
    "csv.formula_injection": "error",
    "duplicate.row_key": "error",
}


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    out = table.copy()
    findings: list[Finding] = []
    rows = out[ROW].to_numpy()

    def add(code: str, mask: object, field: str, details: list[str] | None = None) -> None:
        idx = pd.Series(mask, index=out.index).to_numpy().nonzero()[0]
        for j, i in enumerate(idx):
            findings.append(Finding(code, SEVERITY[code], int(rows[i]), field, details[j] if details else ""))

    outgoing = set(spec.output_fields)
    lengths = {o.field: o.bytes for o in spec.output.fields if o.bytes and o.style == "text"}
    for col in spec.source.columns:
        values = as_str(out[col.field]).str.strip()
        blank = values == ""
        if col.required:
            add("required.missing", blank, col.field)
        values, new = _check_kind(values, blank, col, spec, out)
        out[col.field] = values
        for code, mask, details in new:
            add(code, mask, col.field, details)
        if col.field in outgoing:
            laid = lay_out(values)
            for code, mask, details in rules.charset_findings(values, laid, ctx.profile):
                add(code, mask, col.field, details)
            if col.field in lengths:
                add("length.over", rules.over_length(values, ctx.profile.encoding, lengths[col.field]),
                    col.field)
            if spec.output.format == "csv":
                add("csv.formula_injection", rules.formula_start(laid), col.field)
    keys = list(spec.recipient.row_key)
    dup = out.duplicated(subset=keys, keep=False) & (out[keys] != "").all(axis=1)
    add("duplicate.row_key", dup, "+".join(spec.recipient.row_key))
    findings.sort(key=lambda f: (f.row, f.field, f.code))
    return StageResult(out, findings)


def _check_kind(
    values: pd.Series, blank: pd.Series, col: FieldSpec, spec: ProgramSpec, table: pd.DataFrame
) -> tuple[pd.Series, list[tuple[str, pd.Series, list[str] | None]]]:
    """Normalised values and (code, mask, details) for the field's kind."""
    found: list[tuple[str, pd.Series, list[str] | None]] = []
    if col.kind == "postal":
        address = next((c.field for c in spec.source.columns if c.kind == "address"), "")
        addr = table[address].astype("str").str.strip() if address else None
        values, found = rules.postal(values, blank, addr)
    elif col.kind in ("kouhi", "jukyusha"):
        values = nfkc(values)
        found = [("checkdigit.invalid", ~blank & ~rules.kouhi_valid(values), None)]
    elif col.kind in ("number", "amount"):
        values = nfkc(values)
        found = [("number.format", ~blank & ~values.str.fullmatch(r"\d+"), None)]
    elif col.kind == "date":
        values, found = rules.dates(values, blank, col)
    return values, found
