"""Prefix tests of many rows at once, each row against the prefix its own code names."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from handoff.kernels.strings import starts_with


def starts_with_any(texts: Any, rows: npt.NDArray[np.intp], choices: list[list[str]], which: npt.NDArray[np.intp]
                    ) -> npt.NDArray[np.bool_]:
    """For each ``rows[i]``: does ``texts[rows[i]]`` (Arrow large_string) begin with ``choices[k][which[i]]``
    for some ``k``? An empty prefix never matches.

    The lists are tried in order, each only on the rows the lists before it left unmatched: when the first
    list matches nearly every row, the others cost little.
    """
    ok = starts_with(texts, rows, choices[0], which)
    for prefixes in choices[1:]:
        rest = np.flatnonzero(~ok)
        ok[rest] = starts_with(texts, rows[rest], prefixes, which[rest])
    return ok
