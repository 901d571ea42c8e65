"""Functions applied once per distinct value give what they give applied to every row."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import distinct

VALUES = st.lists(st.sampled_from(["2019-04-30", "2019-05-01", "", "x", "東"]), max_size=20)


@given(st.lists(st.one_of(st.none(), st.sampled_from(["2019-04-30", "2019-05-01", "", "x"])), max_size=20))
def test_decided_is_decide_per_row(values: list[str | None]) -> None:
    """decided equals decide on every row, a missing value never chosen, and asks once per distinct value."""
    calls: list[str] = []

    def decide(value: str) -> bool:
        calls.append(value)
        return value.startswith("2019")

    got = distinct.decided(pd.Series(values, dtype="str"), decide)
    assert got.tolist() == [v is not None and v.startswith("2019") for v in values]
    assert sorted(calls) == sorted({v for v in values if v is not None})


@given(VALUES)
def test_shown_is_show_per_row(values: list[str]) -> None:
    """shown, decoded, equals show on every row."""
    got = distinct.shown(pa.array(values, type=pa.large_string()), lambda v: f"<{v}>")
    assert got.cast(pa.large_string()).to_pylist() == [f"<{v}>" for v in values]


@given(VALUES.filter(lambda vs: "x" in vs))
def test_shown_refuses_at_the_first_row_refused(values: list[str]) -> None:
    """show is asked in order of first appearance, so its first refusal is of the first row it refuses."""
    seen: list[str] = []

    def show(value: str) -> str:
        seen.append(value)
        if value in ("x", "東"):
            raise ValueError(value)
        return value

    with pytest.raises(ValueError) as err:
        distinct.shown(pa.array(values, type=pa.large_string()), show)
    assert str(err.value) == next(v for v in values if v in ("x", "東"))
