"""Digit grids read and write digit strings as a plain loop over the characters does."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import digits

VALUE = st.text(alphabet=st.sampled_from(["0", "1", "5", "9", "a", "/", ":", "１", "é", "東"]), max_size=9)


def reference_digit_grids(values: list[str], lengths: tuple[int, ...]) -> dict[int, tuple[list[int], list[list[int]]]]:
    """Per length: the positions of values of exactly that many ASCII digits, and their digits."""
    found: dict[int, tuple[list[int], list[list[int]]]] = {}
    for length in lengths:
        rows = [i for i, v in enumerate(values) if len(v) == length and all("0" <= c <= "9" for c in v)]
        found[length] = (rows, [[int(c) for c in values[i]] for i in rows])
    return found


def reference_ascii_digit_sum(codes: list[str], weights: list[int]) -> list[int]:
    """The weighted sum of each code's first digits."""
    return [sum(int(c) * w for c, w in zip(code, weights, strict=False)) for code in codes]


@given(st.lists(VALUE, max_size=20), st.integers(0, 3), st.sets(st.integers(1, 8), min_size=1))
def test_digit_grids_are_the_reference(values: list[str], skip: int, lengths: set[int]) -> None:
    """digit_grids finds exactly the all-ASCII-digit values of each length, with their digits (sliced arrays too)."""
    skip = min(skip, len(values))
    arr = pa.array(values, type=pa.large_string()).slice(skip)
    kept = values[skip:]
    expected = reference_digit_grids(kept, tuple(sorted(lengths)))
    got = {length: (rows.tolist(), grid.tolist()) for length, rows, grid in digits.digit_grids(arr, tuple(sorted(lengths)))}
    for length in lengths:
        # a length no value has in bytes is left out; one whose values all fail is there, empty
        assert got.get(length, ([], [])) == expected[length]


def test_digit_grids_refuse_values_longer_than_a_word() -> None:
    """Lengths outside 1 to 8 bytes are refused, not misread."""
    with pytest.raises(ValueError):
        digits.digit_grids(pa.array(["123456789"], type=pa.large_string()), (9,))


@given(st.lists(st.integers(0, 10**6 - 1), min_size=1, max_size=20), st.integers(0, 3), st.integers(6, 8))
def test_put_digits_writes_zfill(values: list[int], col: int, width: int) -> None:
    """put_digits writes str(v).zfill(width) into its columns and leaves the others alone."""
    grid = np.full((len(values), col + width + 1), ord("x"), dtype=np.uint8)
    digits.put_digits(grid, col, np.array(values, dtype=np.int64), width)
    rows = [bytes(row).decode() for row in grid]
    assert rows == ["x" * col + str(v).zfill(width) + "x" for v in values]


@given(st.lists(st.text(alphabet="0123456789", min_size=5, max_size=5), min_size=1, max_size=20),
       st.lists(st.integers(0, 9), min_size=1, max_size=5))
def test_ascii_digit_sum_is_the_weighted_sum(codes: list[str], weights: list[int]) -> None:
    """ascii_digit_sum of ASCII digit bytes is the weighted sum of the digits."""
    grid = np.frombuffer("".join(codes).encode(), dtype=np.uint8).reshape(len(codes), 5)
    assert digits.ascii_digit_sum(grid, weights).tolist() == reference_ascii_digit_sum(codes, weights)


@given(st.lists(st.text(alphabet="0123456789AZ", min_size=4, max_size=4), max_size=20))
def test_grid_strings_are_the_rows(codes: list[str]) -> None:
    """grid_strings gives each row of the grid as one string."""
    grid = np.frombuffer("".join(codes).encode(), dtype=np.uint8).reshape(len(codes), 4)
    assert digits.grid_strings(grid).to_pylist() == codes
