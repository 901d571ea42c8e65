"""Runs and groups of rows as numpy arrays: where runs of equal keys start, places within a run, and the order
of rows grouped by a numbering they already carry.

A run is a stretch of consecutive rows with equal keys (a recipient's documents after householding, a piece's
after the sort); a group is every row with one group number, wherever it stands.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def run_starts(keys: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """True at each position whose key differs from the one before, and at the first."""
    start = np.ones(len(keys), dtype=bool)
    start[1:] = keys[1:] != keys[:-1]
    return start


def arrow_run_starts(columns: list[Any]) -> npt.NDArray[np.bool_]:
    """``run_starts`` of rows made of several Arrow columns of equal length (no nulls): True where any
    column's value differs from the row before, and at the first row."""
    import pyarrow.compute as pc

    n = len(columns[0])
    new = np.ones(n, dtype=bool)
    if n > 1:
        same = pc.equal(columns[0].slice(1), columns[0].slice(0, n - 1))
        for column in columns[1:]:
            same = pc.and_(same, pc.equal(column.slice(1), column.slice(0, n - 1)))
        new[1:] = ~same.to_numpy(zero_copy_only=False)
    return new


def place_in_run(start: npt.NDArray[np.bool_]) -> Ints:
    """Each position's distance from the start of its run (``start``: ``run_starts`` of the keys)."""
    first = np.maximum.accumulate(np.where(start, np.arange(len(start)), 0))
    return np.arange(len(start)) - first


def span_starts(sizes: Ints) -> Ints:
    """Where each of consecutive spans of ``sizes`` begins: 0, then the running total."""
    begin = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=begin[1:])
    return begin


def scattered(order: npt.NDArray[np.intp], values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``values`` given in ``order`` put back in place: position ``order[i]`` takes ``values[i]``."""
    out = np.empty_like(values)
    out[order] = values
    return out


def by_slot(group: Ints, within: Ints) -> npt.NDArray[np.intp]:
    """The positions with groups ``0, 1, …`` one after another, each group's members in order of ``within``
    (0, 1, … inside every group, each once): member ``within[i]`` of group ``group[i]`` takes the slot
    ``span_starts(sizes)[group[i]] + within[i]``. Groups must be numbered without gaps."""
    order = np.empty(len(group), dtype=np.intp)
    order[span_starts(np.bincount(group))[group] + within] = np.arange(len(group))
    return order


def numbered_order(rows: Ints, group: Ints, within: Ints) -> tuple[npt.NDArray[np.intp], Ints] | None:
    """``lex_order((rows, group))`` (by group, then by row) and each group's first slot in it, found from a
    numbering the rows carry instead of by sorting: group ``g`` occupies slots ``begin[g]`` … in order of
    ``within`` (the place of each row in its group, from 0).

    When the numbering is not one that order could give — a group number missing, a slot filled twice or
    left empty, or rows not ascending inside a group — it returns None and the caller sorts.
    """
    n = len(group)
    if not n or int(group.min()) < 0 or int(within.min()) < 0:
        return None
    size = np.bincount(group)
    if not bool(size.all()):
        return None
    begin = span_starts(size)
    if not bool((within < size[group]).all()):
        return None
    slot = begin[group] + within
    filled = np.zeros(n, dtype=bool)
    filled[slot] = True
    if not bool(filled.all()):  # two rows in one slot
        return None
    in_order = np.empty(n, dtype=np.intp)
    in_order[slot] = np.arange(n)
    r = rows[in_order]
    later = np.ones(n, dtype=bool)
    later[begin] = False  # a group's first slot follows nothing of its own
    if not bool((r[1:] > r[:-1])[later[1:]].all()):
        return None
    return in_order, begin
