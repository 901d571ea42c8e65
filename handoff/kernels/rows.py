"""Rows and integer columns: gather rows of a table, format integers, read integer columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.kernels import ranks, threads
from handoff.kernels.ranks import mostly_distinct
from handoff.kernels.strings import arrow_strings, from_arrow, one_array

_SMALL_INTS = 1024  # below this largest value (and from this many rows), formatting is a table lookup


def int_strings(values: npt.ArrayLike, index: pd.Index, width: int = 0) -> pd.Series:
    """Non-negative integers as decimal strings (``str(v).zfill(width)``), by Arrow's cast and left pad.

    ``astype("str")`` formats a million integers one Python object at a time; sequence numbers, N-of-M and
    document indexes are written for every row of a run.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    v = np.asarray(values, dtype=np.int64)
    if len(v) and int(v.min()) < 0:
        raise ValueError("int_strings takes non-negative integers")
    top = int(v.max()) if len(v) else 0
    if top < _SMALL_INTS <= len(v):  # N of M, document indexes: gathered from the few texts they can be
        table = pa.array([str(i).zfill(width) for i in range(top + 1)], type=pa.large_string())
        return from_arrow(table.take(pa.array(v)), index)
    text = pc.cast(pa.array(v), pa.large_string())
    if width:
        text = pc.utf8_lpad(text, width, "0")  # pads only values shorter than ``width``, as zfill
    return from_arrow(text, index)


def ints_of(values: pd.Series) -> npt.NDArray[np.int64]:
    """Decimal strings (e.g. ``int_strings`` output) as int64, parsed by Arrow; a non-number raises."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return np.asarray(pc.cast(arrow_strings(values), pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def join_strings(left: pd.Series, sep: str, right: pd.Series) -> pd.Series:
    """Row-wise ``left + sep + right`` in Arrow (both Arrow-backed, same index)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    joined = pc.binary_join_element_wise(arrow_strings(left), arrow_strings(right), pa.scalar(sep, pa.large_string()))
    return from_arrow(joined, left.index)


def take_rows(table: pd.DataFrame, positions: npt.ArrayLike) -> pd.DataFrame:
    """``table.iloc[positions]`` (index labels included), its columns gathered on the worker threads.

    A gather of a million strings is bound by memory latency, not arithmetic; Arrow's ``take`` and numpy's
    release the GIL, so the reorders of the sort and the filters of check gather several columns at once.
    """

    at = np.asarray(positions, dtype=np.int64)
    index = table.index[at]
    # A reorder (the postal sort) reads every value at a random place; a filter reads them in order.
    scattered = len(at) >= ranks.LARGE and not bool((at[1:] > at[:-1]).all())

    def gather(i: int) -> Any:
        values = table.iloc[:, i].array
        if scattered and isinstance(values, pd.arrays.ArrowStringArray):
            return _gather_repeating(values, at)
        return values.take(at)

    with threads.pool("take") as pool:
        arrays = list(pool.map(gather, range(table.shape[1])))
    out = pd.DataFrame(dict(enumerate(arrays)), index=index, copy=False)
    out.columns = table.columns
    return out


def _gather_repeating(values: Any, at: npt.NDArray[np.int64]) -> Any:
    """``values.take(at)`` for a string column, by way of a dictionary when its values repeat.

    A scattered gather of many strings waits on memory for every value. When a column holds few distinct
    values (dates, 郵便番号, 負担者番号, N of M), Arrow encodes it once (hashing reads it in order), gathers
    the small indices, and looks each one up in a dictionary that stays in cache, which is much quicker.
    Nearly distinct columns (受給者番号, addresses) would pay for the hashing and gain nothing, so an evenly
    spread sample decides: the dictionary is used only when at most half of the sampled values are distinct.
    The strings are the same either way.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = one_array(values._pa_array)
    if mostly_distinct(arr, ranks.QUICK_SAMPLE):
        return values.take(at)
    encoded = pc.dictionary_encode(arr)
    gathered = encoded.dictionary.take(encoded.indices.take(pa.array(at)))
    return from_arrow(gathered.cast(pa.large_string()), pd.RangeIndex(len(at))).array
