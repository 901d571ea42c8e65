"""A whole string column encoded by a Python codec in one call, its value boundaries kept by line feeds.

Encoding a million values one by one costs a Python call each. Joined into one text, each value followed by a
line feed, the column goes through the C codec at once, and the line feeds in the result give the value
boundaries back. That is exact for a codec that writes a line feed as the byte 0x0A and never uses 0x0A inside
another character's bytes (UTF-8, CP932, Shift_JIS, EUC-JP), and for values that hold no line feed.
"""

from __future__ import annotations

import codecs
import threading
from typing import Any

import numpy as np

from handoff.kernels.buffers import utf8_buffer


class UnmarkedError(ValueError):
    """The codec could not write a character outside the rows a caller allowed to be replaced."""


def joined_text(arr: Any) -> str:
    """The Arrow large_string column as one str, each value followed by a line feed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    nl, empty = pa.scalar("\n", pa.large_string()), pa.scalar("", pa.large_string())
    joined = pc.binary_join_element_wise(arr, nl, empty)
    return str(utf8_buffer(joined).data, "utf-8")


def encode_joined(arr: Any, text: str, codec: str, allowed: Any = None) -> Any:
    """``arr`` (whose ``joined_text`` is ``text``) encoded by ``codec``, as an Arrow large_binary array.

    Strict, unless ``allowed`` (an Arrow boolean array) marks rows whose bytes the caller replaces: a character
    the codec cannot write becomes "?" there, and anywhere else raises :class:`UnmarkedError`. A UTF-8 or ASCII
    column is its own Arrow bytes (no copy).
    """
    import pyarrow as pa

    if codec == "utf-8" or text.isascii():
        return arr.cast(pa.large_binary())
    if allowed is None:
        data = np.frombuffer(text.encode(codec), dtype=np.uint8)
    else:
        data = np.frombuffer(_encode_marking(arr, text, codec, allowed), dtype=np.uint8)
    ends = np.flatnonzero(data == 0x0A)
    keep = np.ones(data.size, dtype=bool)
    keep[ends] = False
    offsets = np.empty(len(ends) + 1, dtype=np.int64)
    offsets[0] = 0
    offsets[1:] = ends - np.arange(len(ends))  # each boundary shifts left by the line feeds removed so far
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(arr), [None, pa.py_buffer(offsets), pa.py_buffer(data[keep].tobytes())]
    )


_MARK_ERRORS = "handoff-column-mark"
_failed = threading.local()  # the positions the handler replaced, per thread (columns encode on several)


def _mark(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: "?" for each character the codec cannot write, and remember where it was."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    _failed.positions.extend(range(exc.start, exc.end))
    return "?" * (exc.end - exc.start), exc.end


codecs.register_error(_MARK_ERRORS, _mark)


def _encode_marking(arr: Any, text: str, codec: str, allowed: Any) -> bytes:
    """``text.encode(codec)`` writing "?" for what the codec cannot encode, and only inside ``allowed`` rows."""
    import pyarrow.compute as pc

    _failed.positions = []
    encoded = text.encode(codec, errors=_MARK_ERRORS)
    if _failed.positions:
        # Each value is followed by its line feed in ``text``: value i ends before ends[i].
        ends = np.cumsum(pc.utf8_length(arr).to_numpy(zero_copy_only=False) + 1)
        rows = np.searchsorted(ends, np.asarray(_failed.positions), side="right")
        if not np.asarray(allowed.to_numpy(zero_copy_only=False))[rows].all():
            raise UnmarkedError("a character the codec cannot write lies outside the allowed rows")
    return encoded
