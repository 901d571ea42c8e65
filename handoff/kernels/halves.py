"""Long columns worked in two halves at once, on the threads of one pool.

The column kernels (Arrow, numpy) release the GIL, so a row-by-row transform of a long column finishes
sooner as two halves on two threads. Only transforms whose result for a row depends on that row alone (or on
a neighbour whose run the caller re-reads at the cut) may be split.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

from handoff.kernels import threads
from handoff.kernels.ranks import mostly_distinct
from handoff.kernels.strings import arrow_strings, ascii_only

R = TypeVar("R")


def in_halves(name: str, work: Callable[..., R], columns: tuple[Any, ...]) -> tuple[R, R]:
    """``work`` on the first halves of the Arrow ``columns`` (all of one length) and on their second halves,
    at once on the pool ``name``; the two results in row order."""
    half = len(columns[0]) // 2
    firsts = tuple(c.slice(0, half) for c in columns)
    seconds = tuple(c.slice(half) for c in columns)
    with threads.pool(name) as pool:
        first, second = pool.map(lambda part: work(*part), (firsts, seconds))
    return first, second


def costly_halves(values: pd.Series, min_rows: int) -> list[slice | None]:
    """``[None]`` (the column whole), or the two halves of a column of at least ``min_rows`` values that is
    nearly distinct and holds other than ASCII (an address column: no distinct values to share the work, and
    the costliest characters to scan)."""
    if len(values) < min_rows:
        return [None]
    arr = arrow_strings(values)
    if ascii_only(arr) or not mostly_distinct(arr):
        return [None]
    half = len(values) // 2
    return [slice(0, half), slice(half, len(values))]
