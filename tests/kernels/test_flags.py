"""Flags spread and merged by the kernels equal flags handled one row at a time."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import flags


def reference_spread(mask: list[bool], details: list[str] | None, at: list[int]) -> tuple[list[bool], list[str] | None]:
    """Row by row: a row is flagged when its value is, and takes its value's detail."""
    rows = [mask[a] for a in at]
    if details is None:
        return rows, None
    of_value = dict(zip([i for i, m in enumerate(mask) if m], details, strict=True))
    return rows, [of_value[a] for a in at if mask[a]]


def reference_merged(rows: list[int], positions: list[list[int]], keys: list[list[int]]) -> list[tuple[int, int]]:
    """Every (list, position) pair sorted by row, then the lists' keys, then list order (a stable sort)."""
    pairs = [(j, p) for j, ps in enumerate(positions) for p in ps]
    return sorted(pairs, key=lambda jp: (rows[jp[1]], *[key[jp[0]] for key in keys]))


@given(st.lists(st.booleans(), min_size=1, max_size=8), st.data(), st.booleans())
def test_spread_flags_is_row_by_row(mask: list[bool], data: st.DataObject, with_details: bool) -> None:
    """spread_flags gives each row its value's flag and detail, in row order."""
    at = data.draw(st.lists(st.integers(0, len(mask) - 1), max_size=20))
    details = [f"d{i}" for i, m in enumerate(mask) if m] if with_details else None
    got_rows, got_details = flags.spread_flags(np.array(mask), details, np.array(at, dtype=np.intp))
    assert (got_rows.tolist(), got_details) == reference_spread(mask, details, at)


@given(st.integers(1, 10).flatmap(lambda n: st.tuples(
    st.permutations(list(range(100, 100 + n))),
    st.lists(st.lists(st.integers(0, n - 1), unique=True).map(sorted), min_size=1, max_size=4))), st.data())
def test_merged_order_is_a_stable_sort(case: tuple[list[int], list[list[int]]], data: st.DataObject) -> None:
    """merged_order orders the flags by row, then by the lists' keys, ties in list order."""
    rows, positions = case
    keys = [data.draw(st.lists(st.integers(0, 2), min_size=len(positions), max_size=len(positions)))
            for _ in range(2)]
    order, part, at = flags.merged_order(np.array(rows), [np.array(p, dtype=np.intp) for p in positions], keys)
    got = list(zip(part[order].tolist(), at[order].tolist(), strict=True))
    assert got == reference_merged(rows, positions, keys)
