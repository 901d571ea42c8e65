"""Text columns on pandas' Arrow-backed strings: dtype, NFKC, trimming, UTF-8 buffers, prefixes and words.

pyarrow compute runs in C++ without Python per cell; numpy reads the UTF-8 bytes directly where Arrow has no
kernel. Each function is pinned to a plain reference by property tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas 3's default "str" dtype


def as_str(values: pd.Series) -> pd.Series:
    return values if values.dtype == STR else values.astype(STR)


def arrow_strings(values: pd.Series) -> Any:
    """A pyarrow large_string array of ``values`` (blanks for missing), without a round trip through Python."""
    import pyarrow as pa

    arr = one_array(pa.array(values.fillna("").astype("str").array))
    return arr.cast(pa.large_string())  # pandas' own string type: one type for every kernel


def one_array(arr: Any) -> Any:
    """An Arrow array for a ChunkedArray (pandas' storage): its only chunk as it is, or the chunks joined
    (``combine_chunks`` copies even a single chunk, the whole column's bytes)."""
    import pyarrow as pa

    if not isinstance(arr, pa.ChunkedArray):
        return arr
    return arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()


def from_arrow(arr: Any, index: pd.Index) -> pd.Series:
    """An Arrow string array as a pandas string column (no Python object per value)."""
    return pd.Series(pd.arrays.ArrowStringArray(arr), index=index).astype(STR)


# Characters that NFKC leaves alone wherever they stand: each is its own NFKC form, a starter (combining class
# 0), and never the second half of a canonical composition, so no neighbour can change it either. A value
# made only of these is already NFKC. ASCII, the common Japanese punctuation, kana (not the combining voiced
# marks U+3099/U+309A) and the CJK ideographs cover nearly every value of a host export; the test derives
# each property from unicodedata.
NFKC_STABLE = ((0x00, 0x7F), (0x3001, 0x3002), (0x3005, 0x3011), (0x3041, 0x3096), (0x309D, 0x309E),
               (0x30A1, 0x30FA), (0x30FC, 0x30FE), (0x3400, 0x4DBF), (0x4E00, 0x9FFF))
_MAY_CHANGE = "[^" + "".join(f"\\x{{{lo:04X}}}-\\x{{{hi:04X}}}" for lo, hi in NFKC_STABLE) + "]"


# What Arrow's utf8_trim_whitespace (pandas' ``str.strip()``) removes from either end of a value, read off Arrow
# for every code point by a test.
TRIMMED = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
           + "\u2028\u2029\u202f\u205f\u3000")


def _trimmed_bytes() -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], dict[int, npt.NDArray[np.int32]]]:
    """For TRIMMED's characters in UTF-8: which bytes begin one, which end one, and each one's bytes as a
    big-endian number, by length (1, 2 or 3 bytes)."""
    begins, ends = np.zeros(256, dtype=bool), np.zeros(256, dtype=bool)
    codes: dict[int, list[int]] = {1: [], 2: [], 3: []}
    for ch in TRIMMED:
        raw = ch.encode()
        begins[raw[0]] = ends[raw[-1]] = True
        codes[len(raw)].append(int.from_bytes(raw, "big"))
    return begins, ends, {n: np.array(c, dtype=np.int32) for n, c in codes.items()}


_TRIM_BEGINS, _TRIM_ENDS, _TRIM_CODES = _trimmed_bytes()


def stripped(values: pd.Series) -> pd.Series:
    """``values.str.strip()`` (a pandas string column), or ``values`` itself when no value begins or ends with a
    character it would remove: host exports rarely pad a CSV value, and the strip writes a new copy of every
    column, in fresh memory, even when it changes nothing.

    Only values whose first or last byte may belong to such a character are looked at closer: their first and
    last three bytes, compared with those characters' UTF-8. UTF-8 tells a character's first byte from the
    others, so a match is that character. Bytes read past a value's end, or before its start, belong to the
    neighbouring value; they can only make a match, and a match means the column is stripped in full.
    """
    offsets, data = utf8_buffers(arrow_strings(values))
    if not len(data):
        return values
    # An empty value reads the next value's first byte and the previous value's last (or the data's first or
    # last byte, by ``clip``): more candidates, never fewer.
    head = np.flatnonzero(_TRIM_BEGINS.take(np.take(data, offsets[:-1], mode="clip")))
    tail = np.flatnonzero(_TRIM_ENDS.take(np.take(data, offsets[1:] - 1, mode="clip")))
    if not len(head) and not len(tail):
        return values

    def code(at: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
        """The three bytes from each offset ``at`` (clipped to the data) as a big-endian number."""
        out = np.zeros(len(at), dtype=np.int32)
        for k in range(3):
            out = (out << 8) | np.take(data, at + k, mode="clip")
        return out

    first, final = code(offsets[head]), code(offsets[tail + 1] - 3)
    for n, known in _TRIM_CODES.items():
        if np.isin(first >> (8 * (3 - n)), known).any() or np.isin(final & ((1 << (8 * n)) - 1), known).any():
            return values.str.strip()
    return values


def ascii_only(arr: Any) -> bool:
    """True when every byte of an Arrow string array's data (each chunk's) is ASCII: one reduction, no
    per-value work. Bytes outside a slice or under a null can only make it say False (then callers take
    their general path)."""
    import pyarrow as pa

    for chunk in arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]:
        data = chunk.buffers()[2]
        if data is not None and int(np.frombuffer(data, dtype=np.uint8).max(initial=0)) >= 0x80:
            return False
    return True


def nfkc_arrow(arr: Any) -> Any:
    """NFKC of an Arrow string array, normalising only the values that hold a character outside NFKC_STABLE.

    ``utf8_normalize`` costs the same on a value that is already NFKC as on one that is not; a DFA match
    finds the few that are not in a fraction of that time. U+3000 (in most names) is replaced by U+0020
    first: that is its compatibility decomposition, so the result is exactly NFKC of the whole array.
    """
    arr = one_array(arr)
    if ascii_only(arr):  # ASCII is its own NFKC (number columns, codes, ISO dates)
        return arr
    return _nfkc_not_ascii(arr)


def _nfkc_not_ascii(arr: Any) -> Any:
    """``nfkc_arrow`` of one array known to hold a non-ASCII byte (the ASCII check is not made twice)."""
    import pyarrow.compute as pc

    arr = pc.replace_substring(arr, "\u3000", " ")
    changing = pc.fill_null(pc.match_substring_regex(arr, _MAY_CHANGE), False)
    count = pc.sum(changing).as_py() or 0
    if count == 0:
        return arr
    if count * 4 > len(arr):  # mostly changing: one pass over all is cheaper than filter and scatter
        return pc.utf8_normalize(arr, "NFKC")
    return pc.replace_with_mask(arr, changing, pc.utf8_normalize(arr.filter(changing), "NFKC"))


def nfkc(values: pd.Series) -> pd.Series:
    """NFKC in Arrow (pandas' own .str.normalize calls Python once per value)."""
    import pyarrow as pa

    arr = as_str(values).array
    if ascii_only(arr._pa_array):
        return as_str(values)
    normalised = _nfkc_not_ascii(one_array(arr._pa_array))
    out = normalised.to_pandas(types_mapper={pa.string(): STR, pa.large_string(): STR}.get)
    return pd.Series(out.to_numpy() if not isinstance(out, pd.Series) else out.array, index=values.index,
                     dtype=STR)


def map_unique(values: pd.Series, fn: Callable[[str], str]) -> pd.Series:
    """``fn`` applied once per distinct value, spread back with an Arrow ``take`` (no per-row Python call)."""
    import pyarrow as pa

    codes, uniques = pd.factorize(as_str(values), use_na_sentinel=True)
    mapped = pa.array([fn(str(u)) for u in uniques] + [""], type=pa.large_string())
    codes = np.where(codes < 0, len(uniques), codes)  # missing values map to ""
    taken = mapped.take(pa.array(codes))
    return from_arrow(taken, values.index)


def cut_prefixes(texts: Any, rows: npt.NDArray[np.intp], prefixes: list[str], which: npt.NDArray[np.intp]
                 ) -> tuple[npt.NDArray[np.bool_], Any]:
    """For each ``rows[i]``: does ``texts[rows[i]]`` begin with ``prefixes[which[i]]`` (``starts_with``), and,
    for the rows that do (in order), the text after that prefix as one Arrow large_string array."""
    hit = starts_with(texts, rows, prefixes, which)
    cut = np.array([len(p.encode("utf-8")) for p in prefixes], dtype=np.int64)
    return hit, without_head(texts, rows[hit], cut[which[hit]] if len(cut) else np.zeros(0, dtype=np.int64))


def without_head(texts: Any, rows: npt.NDArray[np.intp], head: npt.NDArray[np.int64]) -> Any:
    """``texts[rows[i]]`` without its first ``head[i]`` bytes (each cut at a character boundary), in one gather.

    Every value is seen as two, its head and its tail, by a second offsets array over the same bytes (no
    copy); Arrow's take then gathers the tails, where slicing per prefix length in Arrow would walk each
    value's characters twice.
    """
    import pyarrow as pa

    offsets, data = utf8_buffers(texts)
    n = len(texts)
    split = offsets[:-1].copy()
    split[rows] += head
    if (split > offsets[1:]).any():
        raise ValueError("a head is longer than its value")
    both = np.empty(2 * n + 1, dtype=np.int64)
    both[0::2], both[1::2] = offsets, split
    halves = pa.LargeStringArray.from_buffers(2 * n, pa.py_buffer(both), pa.py_buffer(data))
    return halves.take(pa.array(2 * np.asarray(rows, dtype=np.int64) + 1))


_PREFIX_BLOCK = 1 << 16  # rows compared at once: bounds the (rows × prefix words) gather to a few MB


def utf8_buffers(arr: Any) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """Offsets (``len + 1``, int64) and the data buffer of an Arrow large_string (or large_binary) array, as
    numpy views (no copy). A sliced array's offsets start ``arr.offset`` entries into its offsets buffer."""
    bufs = arr.buffers()
    if len(arr) == 0 or bufs[1] is None:  # an empty array may come without an offsets buffer
        return np.zeros(len(arr) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(bufs[1], dtype=np.int64, count=len(arr) + 1, offset=arr.offset * 8)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    return offsets, data


def digit_bytes(buf: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Which bytes of a UTF-8 buffer are ASCII digits, in one compare: the subtraction wraps in uint8, so every
    byte below "0" becomes 0xD0 or more and only "0"–"9" land below 10."""
    return np.asarray((buf - np.uint8(0x30)) < 10, dtype=bool)


def rows_at(offsets: npt.NDArray[np.int64], at: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """Which values hold one of the positions ``at`` (``offsets``: each value's start, then the end; bytes or
    code points). An empty value starts where the next one does, so it is never the last start ≤ a position."""
    found = np.zeros(len(offsets) - 1, dtype=bool)
    found[np.searchsorted(offsets, at, side="right") - 1] = True
    return found


def words_at(data: npt.NDArray[np.uint8], at: npt.NDArray[np.int64]) -> npt.NDArray[np.uint64]:
    """For each byte offset in ``at`` (any shape), the little-endian 64-bit word of ``data[at]``…``data[at + 7]``,
    the first byte in its low byte; bytes past the end of ``data`` read as zero.

    Read through a strided view of ``data`` itself: only a word that would run past the end is taken from a
    copy of the last bytes; a padded copy of the whole buffer would write fresh memory the size of the column
    at each call.
    """
    n = len(data)
    out = np.zeros(np.shape(at), dtype=np.uint64)
    inside = at <= n - 8
    if n >= 8:
        whole = np.ndarray(shape=(n - 7,), dtype="<u8", buffer=data, strides=(1,))
        out[inside] = whole[at[inside]]
    near_end = ~inside & (at >= 0) & (at < n)
    if near_end.any():
        kept = min(n, 8)
        tail = np.zeros(16, dtype=np.uint8)
        tail[:kept] = data[n - kept :]
        out[near_end] = np.ndarray(shape=(9,), dtype="<u8", buffer=tail, strides=(1,))[at[near_end] - (n - kept)]
    return out


def starts_with(texts: Any, rows: npt.NDArray[np.intp], prefixes: list[str], which: npt.NDArray[np.intp]
                ) -> npt.NDArray[np.bool_]:
    """For each ``rows[i]``: does ``texts[rows[i]]`` (an Arrow large_string array) begin with
    ``prefixes[which[i]]``? An empty prefix never matches.

    A string begins with another exactly when its UTF-8 bytes begin with the other's bytes, so the rows are
    compared in numpy, eight bytes at a time: the text is read as unaligned 64-bit words at any byte offset,
    and each prefix is a few words with a mask over its last one, where slicing and comparing each row in
    Arrow would build a new string per row.
    """
    offsets, data = utf8_buffers(texts)
    encoded = [p.encode("utf-8") for p in prefixes]
    need = np.array([len(b) for b in encoded], dtype=np.int64)
    result = np.zeros(len(rows), dtype=bool)
    if not len(encoded) or not need.max() or not len(rows):
        return result
    words = -(-int(need.max()) // 8)
    grid = np.zeros((len(encoded), words * 8), dtype=np.uint8)
    mask = np.zeros_like(grid)
    for i, b in enumerate(encoded):
        grid[i, : len(b)] = np.frombuffer(b, dtype=np.uint8)
        mask[i, : len(b)] = 0xFF  # the prefix's own bytes; the rest of its last word matches anything
    grid_words, mask_words = grid.view("<u8"), mask.view("<u8")
    step = np.arange(words) * 8
    for lo in range(0, len(rows), _PREFIX_BLOCK):
        r, w = rows[lo : lo + _PREFIX_BLOCK], which[lo : lo + _PREFIX_BLOCK]
        start = offsets[r]
        fits = (need[w] > 0) & (offsets[r + 1] - start >= need[w])
        # A word past a short text reads the next one (or zeros past the end); ``fits`` rules those out.
        head = words_at(data, start[:, None] + step)
        result[lo : lo + len(r)] = fits & ((head & mask_words[w]) == grid_words[w]).all(axis=1)
    return result
