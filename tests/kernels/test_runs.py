"""Runs and groups agree with plain loops over the rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import runs

KEYS = st.lists(st.integers(0, 3), max_size=30)


def reference_run_starts(keys: list[object]) -> list[bool]:
    """True where a key differs from the one before, and at the first."""
    return [i == 0 or keys[i] != keys[i - 1] for i in range(len(keys))]


def reference_place_in_run(keys: list[object]) -> list[int]:
    """Each position's count of equal keys right before it."""
    places: list[int] = []
    for i in range(len(keys)):
        places.append(places[-1] + 1 if i and keys[i] == keys[i - 1] else 0)
    return places


def reference_grouped(rows: list[int], group: list[int]) -> list[int]:
    """The positions by group, then row (``lex_order((rows, group))``)."""
    return sorted(range(len(rows)), key=lambda i: (group[i], rows[i]))


@given(KEYS)
def test_run_starts_and_places_are_the_reference(keys: list[int]) -> None:
    """run_starts and place_in_run number the runs of equal keys as a loop does."""
    start = runs.run_starts(np.array(keys, dtype=np.int64))
    assert start.tolist() == reference_run_starts(keys)
    assert runs.place_in_run(start).tolist() == reference_place_in_run(keys)


@given(st.lists(st.tuples(st.sampled_from(["1", "2", "東"]), st.sampled_from(["", "a"])), max_size=30))
def test_arrow_run_starts_compare_every_column(rows: list[tuple[str, str]]) -> None:
    """arrow_run_starts starts a run wherever any column changes, as the reference on the row tuples."""
    columns = [pa.array([r[k] for r in rows], type=pa.large_string()) for k in (0, 1)]
    assert runs.arrow_run_starts(columns).tolist() == reference_run_starts(list(rows))


@given(st.lists(st.integers(0, 5), max_size=20))
def test_span_starts_are_running_totals(sizes: list[int]) -> None:
    """span_starts is 0 then the running total of the sizes before each span."""
    assert runs.span_starts(np.array(sizes, dtype=np.int64)).tolist() == [sum(sizes[:i]) for i in range(len(sizes))]


@given(st.permutations(list(range(12))))
def test_scattered_puts_values_back(order: list[int]) -> None:
    """scattered(order, values[order]) gives values back."""
    values = np.arange(100, 112)
    assert runs.scattered(np.array(order), values[order]).tolist() == values.tolist()


@st.composite
def numbered(draw: st.DrawFn) -> tuple[list[int], list[int], list[int]]:
    """Rows (distinct, any order), their groups (0 … k-1, none empty) and each row's place in its group by row."""
    group = draw(st.lists(st.integers(0, 4), min_size=1, max_size=25))
    names = sorted(set(group))
    group = [names.index(g) for g in group]
    rows = draw(st.permutations(list(range(100, 100 + len(group)))))
    within = [sum(1 for j in range(len(group)) if group[j] == group[i] and rows[j] < rows[i]) for i in range(len(group))]
    return list(rows), group, within


@given(numbered())
def test_numbered_order_is_the_sorted_order(case: tuple[list[int], list[int], list[int]]) -> None:
    """A true numbering gives the order by group then row, each group's first slot, and by_slot agrees."""
    rows, group, within = case
    placed = runs.numbered_order(np.array(rows), np.array(group), np.array(within))
    assert placed is not None
    order, begin = placed
    expected = reference_grouped(rows, group)
    assert order.tolist() == expected
    assert begin.tolist() == [expected.index(min((i for i in range(len(rows)) if group[i] == g),
                                                 key=lambda i: rows[i])) for g in range(max(group) + 1)]
    assert runs.by_slot(np.array(group), np.array(within)).tolist() == expected


@given(numbered(), st.data())
def test_numbered_order_refuses_a_false_numbering(case: tuple[list[int], list[int], list[int]],
                                                  data: st.DataObject) -> None:
    """A numbering changed in one place is refused (None) unless it still numbers the rows truly."""
    rows, group, within = case
    i = data.draw(st.integers(0, len(rows) - 1))
    within[i] = data.draw(st.integers(-1, len(rows)))
    truth = [sum(1 for j in range(len(group)) if group[j] == group[k] and rows[j] < rows[k]) for k in range(len(rows))]
    placed = runs.numbered_order(np.array(rows), np.array(group), np.array(within))
    assert (placed is not None) == (within == truth)


def test_numbered_order_refuses_a_missing_group_and_an_empty_table() -> None:
    """Groups numbered with a gap, a negative group, or no rows at all: None, and the caller sorts."""
    assert runs.numbered_order(np.array([1, 2]), np.array([0, 2]), np.array([0, 0])) is None
    assert runs.numbered_order(np.array([1, 2]), np.array([-1, 0]), np.array([0, 0])) is None
    empty = np.zeros(0, dtype=np.int64)
    assert runs.numbered_order(empty, empty, empty) is None
