"""One worksheet of an xlsx file, streamed: its declared size, its rows one at a time, and its merged cells.

openpyxl's read-only mode keeps memory bounded, but its public rows cannot say whether cells are merged. Its
own sheet parser can: it reads the rows as they come and the merged ranges (stored after the rows) at the
end. So the sheet is read with that parser, given exactly what openpyxl's read-only worksheet gives it (the
shared strings, the date formats), and nothing of the sheet is held but the row being read.

Anything the file does not allow to be read (a broken zip, malformed XML, a cell pointing at no shared
string) is one refusal, ``input.xlsx_unreadable``, naming the file only.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from handoff.errors import InputError
from handoff.stages.extract.opening import shown_path

Cells = list[dict[str, Any]]  # openpyxl's parsed cells of one row: "column" (1-based), "value", "data_type"

# What reading a malformed workbook can raise, in openpyxl, ElementTree and zipfile.
_UNREADABLE = (BadZipFile, KeyError, IndexError, OSError, ValueError, TypeError, EOFError, ParseError,
               zlib.error)


class Sheet:
    """The chosen worksheet of an open read-only workbook."""

    def __init__(self, ws: Any, path: Path) -> None:
        self._ws = ws  # openpyxl's ReadOnlyWorksheet
        self._path = path
        self._merged: Any = None

    @property
    def declared(self) -> tuple[int, int] | None:
        """(last row, last column) of the sheet's declared ``<dimension>``; None when it declares none."""
        rows, columns = self._ws.max_row, self._ws.max_column
        return (int(rows), int(columns)) if rows and columns else None

    def rows(self) -> Iterator[tuple[int, Cells]]:
        """Each row the sheet holds, as (row number, cells), one at a time; rows it omits are not yielded."""
        from openpyxl.worksheet._reader import WorkSheetParser

        ws, wb = self._ws, self._ws.parent
        try:
            with ws._get_source() as source:
                parser = WorkSheetParser(source, ws._shared_strings, data_only=False, epoch=wb.epoch,
                                         date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
                yield from parser.parse()
                self._merged = parser.merged_cells
        except _UNREADABLE:
            raise _unreadable(self._path) from None

    def merged(self) -> str:
        """The first merged range (``C2:D2``) once every row has been read; "" when none is merged."""
        from openpyxl.utils import get_column_letter
        from openpyxl.utils.cell import range_boundaries

        ranges = []
        for merge in getattr(self._merged, "mergeCell", None) or []:
            try:  # rebuilt from numbers: the file's own text is never shown
                c1, r1, c2, r2 = range_boundaries(str(merge.ref))
            except (TypeError, ValueError):
                ranges.append("—")
                continue
            ranges.append(f"{get_column_letter(c1 or 1)}{r1}:{get_column_letter(c2 or 1)}{r2}")
        return sorted(ranges)[0] if ranges else ""


@contextmanager
def open_sheet(fh: BinaryIO, path: Path, name: str) -> Iterator[Sheet]:
    """The sheet ``name`` (empty: the first) of the workbook in ``fh``, read-only; the workbook is closed after."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # A file object (not a name) so that the declared format decides, not the file's extension.
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=False)
    except (*_UNREADABLE, InvalidFileException):
        raise _unreadable(path) from None
    try:
        if name and name not in wb.sheetnames:
            raise InputError("input.xlsx_sheet", sheet=name)
        try:
            ws = wb[name] if name else wb.worksheets[0]  # reads the sheet's declared size
        except _UNREADABLE:
            raise _unreadable(path) from None
        yield Sheet(ws, path)
    finally:
        wb.close()


def _unreadable(path: Path) -> InputError:
    return InputError("input.xlsx_unreadable", path=shown_path(path))
