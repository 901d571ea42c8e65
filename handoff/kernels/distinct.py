"""A function of the value alone, applied once per distinct value of a column and spread back to the rows.

Dates, codes and birth dates repeat thousands of times in a million rows: a Python call per distinct value
costs a few thousand calls, not a million.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd


def decided(values: pd.Series, decide: Callable[[str], bool]) -> npt.NDArray[np.bool_]:
    """``decide(value)`` for every row, called once per distinct value; a missing value is never chosen."""
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    verdict = np.array([decide(str(v)) for v in distinct] + [False], dtype=bool)  # code -1: missing
    return np.asarray(verdict[codes], dtype=bool)


def shown(arr: Any, show: Callable[[str], str]) -> Any:
    """``show(value)`` for every value of an Arrow large_string array (no nulls), as a dictionary array.

    ``show`` is called once per distinct value, in order of first appearance, so the first value it refuses
    (by raising) is the one whose first row comes first.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    uniques = pc.unique(arr)
    texts = [show(value) for value in uniques.to_pylist()]
    indices = pc.index_in(arr, value_set=uniques)
    return pa.DictionaryArray.from_arrays(indices, pa.array(texts, pa.large_string()))
