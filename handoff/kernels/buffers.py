"""Questions about the bytes of a whole Arrow string (or binary) column, answered on its data buffer at once.

An Arrow array keeps every value's UTF-8 bytes back to back in one buffer. A question about single bytes
("is every byte a digit?", "does any value hold a quote?") is one numpy reduction over that buffer instead of
a regular expression run on each value. Each function is pinned to a plain reference by ``tests/kernels``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from handoff.kernels.strings import utf8_buffers

U8 = npt.NDArray[np.uint8]


def utf8_buffer(arr: Any) -> U8:
    """The bytes of every value of an Arrow large_string or large_binary array, back to back (a zero-copy view
    on the Arrow data buffer)."""
    offsets, data = utf8_buffers(arr)
    return data[offsets[0] : offsets[-1]]


def all_bytes_in(arr: Any, table: npt.NDArray[np.bool_]) -> bool:
    """True when every byte of every value is one the 256-entry ``table`` marks True."""
    return bool(table[utf8_buffer(arr)].all())


def all_bytes_between(arr: Any, low: int, high: int) -> bool:
    """True when every byte of every value lies in ``low`` … ``high`` (inclusive)."""
    buf = utf8_buffer(arr)
    return bool(((buf >= low) & (buf <= high)).all())


def has_byte(arr: Any, byte: int) -> bool:
    """True when some value holds the byte ``byte``."""
    return bool((utf8_buffer(arr) == byte).any())


def has_control_byte(arr: Any) -> bool:
    """True when some value holds an ASCII control character (U+0000–U+001F or U+007F DEL).

    In UTF-8 these code points are single bytes that no other character's bytes contain. The smallest byte
    answers for all of U+0000–U+001F in one reduction (no temporary array); DEL needs one compare.
    """
    buf = utf8_buffer(arr)
    return bool(len(buf)) and (int(buf.min()) < 0x20 or bool((buf == 0x7F).any()))


def translate(raw: U8, table: bytes | bytearray) -> U8:
    """``table[b]`` for every byte ``b`` of ``raw`` (any shape; ``table``: 256 bytes), as uint8 of ``raw``'s shape.

    ``bytes.translate`` is a C loop over the bytes. Indexing a numpy table with the bytes instead makes numpy
    widen every byte to an 8-byte index first.
    """
    return np.frombuffer(raw.tobytes().translate(table), dtype=np.uint8).reshape(raw.shape)


def first_true(mask: Any) -> int:
    """The position of the first True of an Arrow boolean array that holds one."""
    return int(np.flatnonzero(mask.to_numpy(zero_copy_only=False))[0])

