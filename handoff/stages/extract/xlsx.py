"""xlsx input via openpyxl, streamed: formulas and merged cells are refused, not guessed at, and a sheet past
the programme's limits is refused before it is read in full.

The sheet is read in openpyxl's read-only mode, with the parser that mode uses (:mod:`.sheet`), one row at a
time: a workbook opened whole costs gigabytes and minutes for a sheet of a million rows. The sheet's declared
size (its ``<dimension>``) is checked before any row is read; the rows read are counted too, since a file may
declare no size or a wrong one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from handoff.contract import ROW
from handoff.errors import InputError
from handoff.programme import Limits, ProgramSpec
from handoff.stages.extract.header import check_header, counted
from handoff.stages.extract.sheet import Cells, Sheet, open_sheet


def _cell_text(value: Any) -> str:
    """Excel stores numbers and dates as such; turn them back into the text the host system meant."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(fh: BinaryIO, path: Path, spec: ProgramSpec) -> pd.DataFrame:
    """The sheet ``source.sheet`` (default: the first) as a table of strings plus ``ROW``, the sheet's row
    number."""
    with open_sheet(fh, path, spec.source.sheet) as sheet:
        _refuse_declared_size(sheet, spec)
        frame = _read_rows(sheet.rows(), spec)
        merged = sheet.merged()
    if merged:
        raise InputError("input.xlsx_merged", cells=merged)
    return frame


def _refuse_declared_size(sheet: Sheet, spec: ProgramSpec) -> None:
    """The size the sheet declares, checked against the limits before a row is read."""
    if sheet.declared is not None:
        rows, columns = sheet.declared
        _refuse_past_limits(rows, columns, spec)


def _read_rows(rows: Iterable[tuple[int, Cells]], spec: ProgramSpec) -> pd.DataFrame:
    """The declared columns of every row that holds a value; the first such row is the header if there is
    one. Each row's cells are looked at once: a formula is refused, the limits are checked."""
    src = spec.source
    index = None if src.header else {c.field: c.position - 1 for c in src.columns}
    columns: dict[str, list[str]] = {f: [] for f in index} if index is not None else {}
    numbers: list[int] = []
    widest = 0
    for number, cells in rows:
        values, last = _row_values(number, cells)
        widest = max(widest, last)
        _refuse_past_limits(number, widest, spec)
        if not values:
            continue  # Excel keeps formatted empty rows; they hold no data
        if index is None:
            index = check_header([values.get(i, "") for i in range(1, max(values) + 1)], src)
            columns = {f: [] for f in index}
            continue
        for field, i in index.items():
            columns[field].append(values.get(i + 1, ""))
        numbers.append(number)
    if index is None:
        check_header([], src)  # a sheet without a single value has no header: refused as such
    frame = pd.DataFrame(columns)
    frame[ROW] = numbers
    return frame


def _row_values(number: int, cells: Cells) -> tuple[dict[int, str], int]:
    """The row's non-empty values by column number (1-based), and its last cell's column (a cell counts even
    when empty); a formula is refused by its cell."""
    values: dict[int, str] = {}
    last = 0
    for cell in cells:
        column = int(cell["column"])
        last = max(last, column)
        if cell["data_type"] == "f":
            from openpyxl.utils import get_column_letter

            raise InputError("input.xlsx_formula", cell=f"{get_column_letter(column)}{number}")
        text = _cell_text(cell["value"])
        if text:
            values[column] = text
    return values, last


def _refuse_past_limits(rows: int, columns: int, spec: ProgramSpec) -> None:
    """``rows``: the sheet's last row so far (the header counts), ``columns``: its widest row so far."""
    limits: Limits = spec.limits
    if columns > limits.max_columns:
        raise InputError("input.too_many_columns", found=counted(columns), limit=counted(limits.max_columns),
                         programme=spec.id)
    if rows - (1 if spec.source.header else 0) > limits.max_rows:
        raise InputError("input.too_many_rows", limit=counted(limits.max_rows), programme=spec.id)
    if rows * columns > limits.max_cells:
        raise InputError("input.too_many_cells", rows=counted(rows), columns=counted(columns),
                         limit=counted(limits.max_cells), programme=spec.id)
