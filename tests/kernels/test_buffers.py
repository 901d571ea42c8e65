"""Whole-buffer byte questions agree with the same question asked value by value."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import buffers

TEXT = st.text(alphabet=st.sampled_from(["a", "0", "9", '"', "\\", "\t", "\n", "\x7f", "\x1f", " ", "~", "東", "é",
                                         "\U0002000b", "\x80"]), max_size=6)
COLUMN = st.lists(TEXT, max_size=12)


def sliced(values: list[str], skip: int) -> tuple[pa.Array, list[str]]:
    """An Arrow large_string array of ``values`` without its first ``skip`` (a slice: offsets not from 0)."""
    skip = min(skip, len(values))
    return pa.array(values, type=pa.large_string()).slice(skip), values[skip:]


def reference_all_bytes_in(values: list[str], allowed: set[int]) -> bool:
    """Every UTF-8 byte of every value is in ``allowed``."""
    return all(b in allowed for v in values for b in v.encode("utf-8"))


def reference_has_control_byte(values: list[str]) -> bool:
    """Some character is U+0000–U+001F or U+007F."""
    return any(ord(c) < 0x20 or c == "\x7f" for v in values for c in v)


@given(COLUMN, st.integers(0, 3))
def test_utf8_buffer_is_the_values_bytes_joined(values: list[str], skip: int) -> None:
    """utf8_buffer is the values' UTF-8 bytes back to back, for a sliced array too."""
    arr, kept = sliced(values, skip)
    assert buffers.utf8_buffer(arr).tobytes() == "".join(kept).encode("utf-8")


@given(COLUMN, st.integers(0, 3), st.sets(st.integers(0, 255)))
def test_all_bytes_in_is_the_reference(values: list[str], skip: int, allowed: set[int]) -> None:
    """all_bytes_in answers as the byte-by-byte reference, whatever the table."""
    arr, kept = sliced(values, skip)
    table = np.zeros(256, dtype=bool)
    table[list(allowed)] = True
    assert buffers.all_bytes_in(arr, table) == reference_all_bytes_in(kept, allowed)


@given(COLUMN, st.integers(0, 3), st.integers(0, 255), st.integers(0, 255))
def test_all_bytes_between_is_the_reference(values: list[str], skip: int, low: int, high: int) -> None:
    """all_bytes_between answers as the reference with the range as the allowed set."""
    arr, kept = sliced(values, skip)
    assert buffers.all_bytes_between(arr, low, high) == reference_all_bytes_in(kept, set(range(low, high + 1)))


@given(COLUMN, st.integers(0, 3), st.sampled_from([0x22, 0x5C, 0x0A, 0x80, 0xE6]))
def test_has_byte_is_the_reference(values: list[str], skip: int, byte: int) -> None:
    """has_byte finds a byte exactly when some value's UTF-8 holds it."""
    arr, kept = sliced(values, skip)
    assert buffers.has_byte(arr, byte) == any(byte in v.encode("utf-8") for v in kept)


@given(COLUMN, st.integers(0, 3))
def test_has_control_byte_is_the_reference(values: list[str], skip: int) -> None:
    """has_control_byte finds C0 and DEL exactly, never the bytes of other characters (é, 𠮷, U+0080)."""
    arr, kept = sliced(values, skip)
    assert buffers.has_control_byte(arr) == reference_has_control_byte(kept)


@given(st.binary(max_size=40), st.binary(min_size=256, max_size=256), st.integers(1, 4))
def test_translate_is_a_table_lookup_per_byte(data: bytes, table: bytes, width: int) -> None:
    """translate maps every byte through the table and keeps the array's shape."""
    rows = len(data) // width
    raw = np.frombuffer(data[: rows * width], dtype=np.uint8).reshape(rows, width)
    got = buffers.translate(raw, table)
    assert got.shape == raw.shape
    assert got.reshape(-1).tolist() == [table[b] for b in data[: rows * width]]


@given(st.lists(st.booleans()).filter(any))
def test_first_true_is_the_first_true(mask: list[bool]) -> None:
    """first_true is the index of the first True of an Arrow boolean array."""
    assert buffers.first_true(pa.array(mask)) == mask.index(True)
