"""Small text tools for Arrow string columns and whole-column strings: a column as large_string, whitespace
removed, a regular-expression class of given characters, the distinct characters of a text."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from handoff.kernels.buffers import U8
from handoff.kernels.strings import one_array, utf8_buffers

# What RE2's \s matches (tab, line feed, form feed, carriage return, space): every one of them is a byte of
# 0x0D or less, except the space.
RE2_WHITESPACE = "\t\n\f\r "


def large_strings(column: pd.Series) -> Any:
    """A pandas column as one Arrow large_string array, a missing value as ""."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = one_array(pa.array(column))
    if arr.type != pa.large_string():
        arr = arr.cast(pa.large_string())
    return pc.fill_null(arr, "")


def without_whitespace(arr: Any) -> Any:
    """An Arrow large_string array with every character of ``RE2_WHITESPACE`` removed.

    A literal replace of the space is much cheaper than a ``\\s+`` regular expression; the expression then
    runs only when some byte could be one of the others (all ≤ 0x0D), found by one reduction over the bytes.
    """
    import pyarrow.compute as pc

    arr = pc.replace_substring(arr, " ", "")
    offsets, data = utf8_buffers(arr)
    if offsets[-1] > offsets[0] and int(data[offsets[0] : offsets[-1]].min()) <= 0x0D:
        arr = pc.replace_substring_regex(arr, r"\s+", "")
    return arr


def char_class(chars: list[str]) -> str:
    """An RE2 character class matching exactly the given characters (each written as a code-point escape)."""
    return "[" + "".join(f"\\x{{{ord(ch):X}}}" for ch in chars) + "]"


def distinct_chars(text: str) -> list[str]:
    """Every distinct non-ASCII character of ``text``, in code-point order.

    A presence map over its UTF-16 code units (a memcpy for CPython's 2-byte strings): no Python object per
    character. Supplementary characters (surrogate pairs) are read from UTF-32 instead.
    """
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    present = np.zeros(0x10000, dtype=bool)
    present[units] = True
    present[:0x80] = False
    if present[0xD800:0xE000].any():  # supplementary characters: pair the surrogates up
        wide = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return [chr(int(c)) for c in np.unique(wide[wide >= 0x80])]
    return [chr(int(c)) for c in np.flatnonzero(present)]


def ascii_present(buf: U8, chars: list[str]) -> list[str]:
    """Which of the given ASCII characters occur in the byte buffer ``buf`` (one vectorised compare each)."""
    return [c for c in chars if bool((buf == ord(c)).any())]
