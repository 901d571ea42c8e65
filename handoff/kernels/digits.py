"""Digit strings as grids of bytes, one row per value: read values of n ASCII digits, write integers as digits.

A column of fixed-length digit strings (check-digit numbers, control codes) is a (rows × digits) uint8 grid.
Reading and writing it as a grid needs no Python object per value and no per-character gather; the rules that
weigh the digits (which weights, which modulus) belong to the callers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from handoff.kernels.strings import utf8_buffers, words_at

Grid = npt.NDArray[np.uint8]
_ZERO = ord("0")


def digit_grids(arr: Any, lengths: tuple[int, ...]) -> list[tuple[int, npt.NDArray[np.intp], Grid]]:
    """For each length in ``lengths`` (1 to 8) held by some value of ``arr`` (Arrow large_string): the rows
    whose value is exactly that many ASCII digits, and their digits (0–9) as a (rows × length) grid.

    Each value of ``length`` UTF-8 bytes is read as one unaligned little-endian 64-bit word at its offset
    (``words_at``): byte k of the word is the value's k-th byte, and the bytes past its end (the next value's)
    are cut off. A byte of a non-ASCII character is 0x80 or more, so a value whose bytes all lie below
    "0" + 10 after subtracting "0" (uint8 wraps the bytes below "0" round to 0xD0 and up) is exactly that
    many ASCII digits.
    """
    if any(not 1 <= length <= 8 for length in lengths):
        raise ValueError("digit_grids reads values of 1 to 8 bytes")
    offsets, data = utf8_buffers(arr)
    byte_lengths = np.diff(offsets)
    grids: list[tuple[int, npt.NDArray[np.intp], Grid]] = []
    for length in lengths:
        rows = np.flatnonzero(byte_lengths == length)
        if not len(rows):
            continue
        digits = words_at(data, offsets[rows]).view(np.uint8).reshape(-1, 8)[:, :length] - np.uint8(_ZERO)
        if int(digits.max()) >= 10:  # a letter or another character somewhere: keep the all-digit rows
            keep = (digits < 10).all(axis=1)
            rows, digits = rows[keep], digits[keep]
        grids.append((length, rows, digits))
    return grids


def put_digits(grid: Grid, col: int, values: npt.NDArray[np.int64] | int, width: int) -> None:
    """Write each row's value of ``values`` (non-negative, below 10**width; or one int for every row) as
    ``width`` ASCII digits, zero-padded, into ``grid[:, col : col + width]``."""
    for k in range(width):
        grid[:, col + k] = (np.asarray(values) // 10 ** (width - 1 - k)) % 10 + _ZERO


def ascii_digit_sum(grid: Grid, weights: list[int]) -> npt.NDArray[np.int32]:
    """Per row, the sum of ``weights[k]`` × the digit written as the ASCII byte ``grid[:, k]``.

    Summed a column at a time in int32: a matrix product would widen the whole grid to int64 first.
    """
    total = np.full(len(grid), -_ZERO * sum(weights), dtype=np.int32)  # every digit is its ASCII byte
    for k, weight in enumerate(weights):
        total += grid[:, k].astype(np.int32) * weight
    return total


def grid_strings(grid: Grid) -> Any:
    """The rows of an ASCII byte grid as an Arrow large_string array (the grid's bytes are its data buffer)."""
    import pyarrow as pa

    n, width = grid.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(grid.tobytes()))
