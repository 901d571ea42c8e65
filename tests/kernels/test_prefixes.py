"""Prefix tests against several lists equal str.startswith tried list by list."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels.prefixes import starts_with_any

ALPHABET = st.sampled_from(["東", "京", "都", "中", "野", "1", " ", "\U0002000b"])


def reference_starts_with_any(texts: list[str], rows: list[int], choices: list[list[str]], which: list[int]
                              ) -> list[bool]:
    """Row by row: some list's prefix for the row's code is non-empty and begins the text."""
    return [any(c[w] and texts[r].startswith(c[w]) for c in choices) for r, w in zip(rows, which, strict=True)]


@given(st.lists(st.text(alphabet=ALPHABET, max_size=6), min_size=1, max_size=10),
       st.lists(st.lists(st.text(alphabet=ALPHABET, max_size=3), min_size=3, max_size=3), min_size=1, max_size=3),
       st.data())
def test_starts_with_any_is_the_reference(texts: list[str], choices: list[list[str]], data: st.DataObject) -> None:
    """starts_with_any equals the reference for any rows, codes and lists of prefixes."""
    rows = data.draw(st.lists(st.integers(0, len(texts) - 1), max_size=12))
    which = data.draw(st.lists(st.integers(0, 2), min_size=len(rows), max_size=len(rows)))
    got = starts_with_any(pa.array(texts, type=pa.large_string()), np.array(rows, dtype=np.intp), choices,
                          np.array(which, dtype=np.intp))
    assert got.tolist() == reference_starts_with_any(texts, rows, choices, which)
