"""Character-class scans over a whole column at once: code points laid end to end, looked up in a table.

Arrow's regex match has a fixed cost on each value before it reads a character, so scanning a column of many
short values for a class of thousands of characters (the clean JIS set, the characters NFKC turns into
digits) would cost more than reading the file. Here a column becomes one array of code points plus each row's
start; a boolean table indexed by code point answers "which rows hold a character of this class" in one numpy
pass. Callers run their exact rule only on the rows returned, so these scans may over-select, never miss.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.kernels.strings import arrow_strings, ascii_only, rows_at, utf8_buffers

CODE_POINTS = 0x110000
_BLOCK_ROWS = 1 << 16
Table = npt.NDArray[np.bool_]


class Laid(NamedTuple):
    """A column's code points end to end; row ``i`` is ``cps[starts[i]:starts[i + 1]]``. Missing values are empty.

    ``cps`` is as narrow as the column allows: uint8 for ASCII (the bytes themselves), uint16 when every
    character lies in the Basic Multilingual Plane (nearly every export), uint32 otherwise. Scans only index
    tables with it, which any unsigned type does alike; the narrow kinds are less memory the process must
    zero first (half of uint32's for most columns, and nothing new at all for an ASCII column).
    """

    cps: npt.NDArray[np.unsignedinteger[Any]]
    starts: npt.NDArray[np.int64]

    @property
    def rows(self) -> int:
        return len(self.starts) - 1


def lay_out(values: pd.Series) -> Laid:
    import pyarrow.compute as pc

    arr = arrow_strings(values)
    n = len(arr)
    if ascii_only(arr):  # one byte per character: the bytes are the code points, nothing to decode
        offsets, data = utf8_buffers(arr)
        return Laid(data[offsets[0] : offsets[-1]], offsets - offsets[0])
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(pc.utf8_length(arr).to_numpy(zero_copy_only=False), out=starts[1:])
    if n == 0 or starts[-1] == 0:
        return Laid(np.zeros(0, dtype=np.uint32), starts)
    offsets, data = utf8_buffers(arr)
    raw = data.data  # a memoryview: a block decodes without a copy of its bytes
    # Only a character beyond U+FFFF takes four bytes in UTF-8, and its first byte is 0xF0 or more: without
    # one, UTF-16 is one unit per character.
    bmp = int(data[offsets[0] : offsets[-1]].max()) < 0xF0
    codec, unit = ("utf-16-le", "<u2") if bmp else ("utf-32-le", "<u4")
    cps: npt.NDArray[np.unsignedinteger[Any]] = (
        np.empty(int(starts[-1]), dtype=np.uint16) if bmp else np.empty(int(starts[-1]), dtype=np.uint32)
    )
    # Decoded a block of rows at a time into the one result array: the whole column as a Python string
    # and its UTF-32 copy would cost up to 8 more bytes per character at once.
    for lo in range(0, n, _BLOCK_ROWS):
        hi = min(n, lo + _BLOCK_ROWS)
        text = str(raw[offsets[lo] : offsets[hi]], "utf-8")
        cps[starts[lo] : starts[hi]] = np.frombuffer(text.encode(codec), dtype=unit)
    return Laid(cps, starts)


def table_of(chars: Iterable[str | int]) -> Table:
    """A lookup table that is True at each given character (or code point)."""
    table = np.zeros(CODE_POINTS, dtype=bool)
    points = [c if isinstance(c, int) else ord(c) for c in chars]
    if points:
        table[np.array(points, dtype=np.int64)] = True
    return table


@cache
def table_of_chars(chars: frozenset[str]) -> Table:
    """``table_of`` for a fixed set, built once (a table is 1.1 MB; scans reuse it for every column)."""
    return table_of(chars)


def _beyond(laid: Laid, table: Table) -> bool:
    """True when no character of the column can be in ``table``: the class has nothing at or below the
    column's largest code point (an ASCII column against a class of non-ASCII characters, say)."""
    return not len(laid.cps) or not table[: int(laid.cps.max()) + 1].any()


def rows_with(laid: Laid, table: Table) -> npt.NDArray[np.bool_]:
    """Rows holding at least one character of ``table``."""
    if _beyond(laid, table):
        return np.zeros(laid.rows, dtype=bool)
    return rows_at(laid.starts, np.flatnonzero(table[laid.cps]))


def count_per_row(laid: Laid, table: Table) -> npt.NDArray[np.int64]:
    """How many characters of ``table`` each row holds."""
    counts = np.zeros(laid.rows, dtype=np.int64)
    if _beyond(laid, table):
        return counts
    return _sum_per_row(laid, table[laid.cps].view(np.uint8))


def _sum_per_row(laid: Laid, hits: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """Per row, the sum of ``hits`` (0 or 1 per character) over its characters.

    reduceat sums each span without an int-per-character array. It is given the non-empty rows only: their
    starts are strictly increasing and inside the array, and only empty rows lie between them. The sums are
    taken in the narrowest type that holds the longest row: summing in int64 would make numpy cast every
    character to 8 bytes first, a large block of fresh memory for a long column.
    """
    counts = np.zeros(laid.rows, dtype=np.int64)
    lengths = np.diff(laid.starts)
    if not len(hits):
        return counts
    longest = int(lengths.max())
    dtype = np.uint8 if longest < 1 << 8 else np.uint16 if longest < 1 << 16 else np.int64
    filled = lengths > 0
    counts[filled] = np.add.reduceat(hits, laid.starts[:-1][filled], dtype=dtype)
    return counts


@cache
def _classes(any_of: frozenset[str], counted: frozenset[str]) -> npt.NDArray[np.uint8]:
    """A lookup table: bit 1 at each character of ``any_of``, bit 0 at each of ``counted`` (built once)."""
    table = table_of_chars(any_of).view(np.uint8) << 1
    return np.asarray(table | table_of_chars(counted).view(np.uint8), dtype=np.uint8)


def rows_with_and_count(laid: Laid, any_of: frozenset[str], counted: frozenset[str]
                        ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int64]]:
    """``rows_with(laid, table_of_chars(any_of))`` and ``count_per_row(laid, table_of_chars(counted))`` from
    one lookup of every character instead of two (for the 個人番号 prefilter of long columns such as
    addresses)."""
    if not len(laid.cps):
        return np.zeros(laid.rows, dtype=bool), np.zeros(laid.rows, dtype=np.int64)
    classes = _classes(any_of, counted)[laid.cps]
    return rows_at(laid.starts, np.flatnonzero(classes >= 2)), _sum_per_row(laid, classes & np.uint8(1))


def first_in(laid: Laid, table: Table) -> npt.NDArray[np.bool_]:
    """Rows whose first character is in ``table`` (empty rows: False)."""
    found = np.zeros(laid.rows, dtype=bool)
    present = laid.starts[1:] > laid.starts[:-1]
    found[present] = table[laid.cps[laid.starts[:-1][present]]]
    return found
