"""Flags on rows (positions a rule flagged, with an optional text per flagged position): spread from distinct
values to rows, and several lists of them merged into one order."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Positions = npt.NDArray[np.intp]


def spread_flags(mask: Any, details: list[str] | None, at: Positions
                 ) -> tuple[npt.NDArray[np.bool_], list[str] | None]:
    """A flag over distinct values as a flag over rows: ``mask`` (one per distinct value) and ``details``
    (one per flagged value, in order, or None) become a row mask and one detail per flagged row, in row order
    (``at``: each row's distinct value)."""
    per_value = np.asarray(mask, dtype=bool)
    rows = per_value[at]
    if details is None:
        return rows, None
    text = np.empty(len(per_value), dtype=object)
    text[np.flatnonzero(per_value)] = details  # details follow the flagged values in order
    return rows, text[at[rows]].tolist()


def merged_order(rows: npt.NDArray[np.int64], positions: list[Positions], keys: list[list[int]]
                 ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], Positions]:
    """The flagged positions of several lists, merged in order of their row, then of each list's keys.

    ``positions[j]``: list ``j``'s positions (ascending); ``keys[k][j]``: list ``j``'s ``k``-th key (the first
    key sorts first after the row). Returns ``(order, part, at)``: ``at`` is every list's positions one after
    another and ``part`` the list of each; ``order`` orders them. The sort is stable: flags equal in row and
    keys keep the order of the lists.
    """
    sizes = [len(p) for p in positions]
    part = np.repeat(np.arange(len(positions)), sizes)
    at = np.concatenate(positions)
    ranks = [np.array(key)[part] for key in keys]
    order = np.lexsort((*reversed(ranks), rows[at]))
    return order, part, at
