"""Character-class scans over a whole column at once: code points laid end to end, looked up in a table.

Arrow's regex match spends about 100 ns on each value before it reads a character, so scanning a column of a
million short values for a class of thousands of characters (the clean JIS set, the characters NFKC turns
into digits) cost more than reading the file. Here a column becomes one array of code points plus each row's
start; a boolean table indexed by code point answers "which rows hold a character of this class" in one numpy
pass. Callers run their exact rule only on the rows returned, so these scans may over-select, never miss.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.stages.columns import as_str

CODE_POINTS = 0x110000
Table = npt.NDArray[np.bool_]


class Laid(NamedTuple):
    """A column's code points end to end; row ``i`` is ``cps[starts[i]:starts[i + 1]]``. Missing values are empty."""

    cps: npt.NDArray[np.uint32]
    starts: npt.NDArray[np.int64]

    @property
    def rows(self) -> int:
        return len(self.starts) - 1


def lay_out(values: pd.Series) -> Laid:
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(as_str(values).array, type=pa.large_string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.fill_null(arr, "")
    n = len(arr)
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(pc.utf8_length(arr).to_numpy(zero_copy_only=False), out=starts[1:])
    data = arr.buffers()[2]
    if n == 0 or data is None or starts[-1] == 0:
        return Laid(np.zeros(0, dtype=np.uint32), starts)
    # large_string offsets are int64; a sliced array starts ``arr.offset`` entries into the buffer
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64, count=n + 1, offset=arr.offset * 8)
    text = str(memoryview(data)[offsets[0] : offsets[-1]], "utf-8")
    return Laid(np.frombuffer(text.encode("utf-32-le"), dtype="<u4"), starts)


def table_of(chars: Iterable[str | int]) -> Table:
    """A lookup table that is True at each given character (or code point)."""
    table = np.zeros(CODE_POINTS, dtype=bool)
    points = [c if isinstance(c, int) else ord(c) for c in chars]
    if points:
        table[np.array(points, dtype=np.int64)] = True
    return table


def rows_with(laid: Laid, table: Table) -> npt.NDArray[np.bool_]:
    """Rows holding at least one character of ``table``."""
    found = np.zeros(laid.rows, dtype=bool)
    hits = np.flatnonzero(table[laid.cps])
    if len(hits):
        found[np.searchsorted(laid.starts, hits, side="right") - 1] = True
    return found


def count_per_row(laid: Laid, table: Table) -> npt.NDArray[np.int64]:
    """How many characters of ``table`` each row holds."""
    # int32 running totals where they fit: half the memory of int64 on the longest columns
    kind = np.int32 if len(laid.cps) < np.iinfo(np.int32).max else np.int64
    running: npt.NDArray[np.signedinteger] = np.zeros(len(laid.cps) + 1, dtype=kind)
    np.cumsum(table[laid.cps], out=running[1:])
    counts: npt.NDArray[np.int64] = np.subtract(running[laid.starts[1:]], running[laid.starts[:-1]], dtype=np.int64)
    return counts


def first_in(laid: Laid, table: Table) -> npt.NDArray[np.bool_]:
    """Rows whose first character is in ``table`` (empty rows: False)."""
    found = np.zeros(laid.rows, dtype=bool)
    present = laid.starts[1:] > laid.starts[:-1]
    found[present] = table[laid.cps[laid.starts[:-1][present]]]
    return found
