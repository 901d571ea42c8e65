"""Records assembled from cell columns equal records joined value by value."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import records

CELL = st.binary(max_size=5).map(lambda b: b.replace(b"\n", b"."))


def binary(cells: list[bytes]) -> pa.Array:
    """The cells as an Arrow large_binary array."""
    return pa.array(cells, type=pa.large_binary())


@given(st.lists(CELL, max_size=12), st.integers(5, 8), st.booleans())
def test_padded_is_ljust_or_rjust(cells: list[bytes], width: int, right: bool) -> None:
    """padded fills each cell with spaces to the width, on the side its alignment says."""
    lengths = np.array([len(c) for c in cells], dtype=np.int64)
    got = records.padded(binary(cells), lengths, width, right).to_pylist()
    assert got == [c.rjust(width) if right else c.ljust(width) for c in cells]


@given(st.lists(st.lists(st.sampled_from([b"a", b'"', b"\x81"]), max_size=5).map(b"".join), max_size=12))
def test_doubled_is_bytes_replace(cells: list[bytes]) -> None:
    """doubled writes every quote byte twice and leaves every other byte alone."""
    assert records.doubled(binary(cells), b'"').to_pylist() == [c.replace(b'"', b'""') for c in cells]


@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=10))
def test_delimited_is_join_per_row(rows: list[list[bytes]]) -> None:
    """delimited writes opening, the cells joined by the separator, and closing, row after row."""
    columns = [binary([r[k] for r in rows]) for k in range(3)]
    got = bytes(records.delimited(columns, b'"', b'","', b'"\r\n'))
    assert got == b"".join(b'"' + b'","'.join(r) + b'"\r\n' for r in rows)


@given(st.lists(st.tuples(st.binary(min_size=2, max_size=2), st.binary(min_size=3, max_size=3)), max_size=10),
       st.sampled_from([b"\n", b"\r\n"]))
def test_fixed_width_is_concatenation_per_row(rows: list[tuple[bytes, bytes]], ending: bytes) -> None:
    """fixed_width writes each row's cells side by side, then the ending."""
    columns = [binary([r[k] for r in rows]) for k in range(2)]
    got = bytes(records.fixed_width(columns, [2, 3], len(rows), ending))
    assert got == b"".join(a + b + ending for a, b in rows)
