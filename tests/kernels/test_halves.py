"""Work split into halves gives the same as the work done whole."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels.halves import costly_halves, in_halves


@given(st.lists(st.text(alphabet="ab東", max_size=3), min_size=1, max_size=20))
def test_in_halves_is_the_work_on_each_half(values: list[str]) -> None:
    """Concatenated, the two halves' results are the whole column's result, for every pair of columns."""
    left = pa.array(values, type=pa.large_string())
    right = pa.array(values[::-1], type=pa.large_string())
    first, second = in_halves("test", lambda a, b: pc.binary_join_element_wise(a, b, pa.scalar("|", pa.large_string())), (left, right))
    assert pa.concat_arrays([first, second]).to_pylist() == [a + "|" + b for a, b in zip(values, values[::-1],
                                                                                         strict=True)]


def test_costly_halves_split_only_long_distinct_columns_of_other_than_ascii() -> None:
    """Only a column at least min_rows long, nearly distinct and not ASCII is cut into two halves."""
    distinct_kanji = pd.Series([f"東{i}" for i in range(1000)], dtype="str")
    assert costly_halves(distinct_kanji, 100) == [slice(0, 500), slice(500, 1000)]
    assert costly_halves(distinct_kanji, 2000) == [None]
    assert costly_halves(pd.Series([str(i) for i in range(1000)], dtype="str"), 100) == [None]
    assert costly_halves(pd.Series(["東"] * 1000, dtype="str"), 100) == [None]
