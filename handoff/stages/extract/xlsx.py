"""xlsx input via openpyxl. Formulas and merged cells are refused, not guessed at."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from handoff.contract import ROW
from handoff.errors import InputError
from handoff.programme import SourceSpec
from handoff.stages.extract.header import check_header


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


def read_xlsx(path: Path, src: SourceSpec) -> pd.DataFrame:
    """The sheet ``src.sheet`` (default: the first) as a table of strings plus ``ROW``, the sheet's row number."""
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read-only: read-only sheets cannot report merged cells, which we must refuse. A file object
        # (not a name) so that the declared format decides, not the file's extension.
        with path.open("rb") as fh:
            wb = openpyxl.load_workbook(fh, data_only=False)
    except (BadZipFile, KeyError, OSError, ValueError, InvalidFileException):
        raise InputError("input.xlsx_unreadable", path=str(path)) from None
    if src.sheet and src.sheet not in wb.sheetnames:
        raise InputError("input.xlsx_sheet", sheet=src.sheet)
    ws = wb[src.sheet] if src.sheet else wb.worksheets[0]
    if ws.merged_cells.ranges:
        raise InputError("input.xlsx_merged", cells=str(sorted(str(r) for r in ws.merged_cells.ranges)[0]))
    rows = ws.iter_rows()
    records: list[list[str]] = []
    numbers: list[int] = []
    header: list[str] | None = None
    for row in rows:
        values = []
        for cell in row:
            if cell.data_type == "f":
                raise InputError("input.xlsx_formula", cell=str(cell.coordinate))
            values.append(_cell_text(cell.value))
        if header is None and src.header:
            header = values
            continue
        if not any(values):
            continue  # Excel keeps formatted empty rows; they hold no data
        records.append(values)
        numbers.append(int(row[0].row or 0) if row else 0)
    if src.header:
        while header and header[-1] == "":
            header.pop()
        index = check_header(header or [], src)
    else:
        index = {c.field: c.position - 1 for c in src.columns}
    width = max((len(r) for r in records), default=0)
    data = {f: [r[i] if i < len(r) else "" for r in records] for f, i in index.items()} if width else {}
    frame = pd.DataFrame(data, columns=list(index))
    frame[ROW] = numbers
    return frame
