"""Fast column helpers on pandas' Arrow-backed strings (pyarrow compute runs in C++ without Python per cell)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.overlap import overlapped

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
    (``combine_chunks`` copies even a single chunk: 40 MB for an address column of a million rows)."""
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
    character it would remove: host exports rarely pad a CSV value, and the strip wrote a new copy of every
    column (60 MB of fresh memory for a million addresses, 200 MB for the whole export) to change nothing.

    Only values whose first or last byte may belong to such a character are looked at closer: their first and
    last three bytes, compared with those characters' UTF-8. UTF-8 tells a character's first byte from the
    others, so a match is that character. Bytes read past a value's end, or before its start, belong to the
    neighbouring value; they can only make a match, and a match means the strip is made as before.
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
    copy); Arrow's take then gathers the tails. Slicing per prefix length in Arrow walked each value's
    characters twice.
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
    copy of the last bytes. (A padded copy of the whole buffer, as before, wrote 60 MB of fresh memory for a
    million addresses at each call.)
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
    and each prefix is a few words with a mask over its last one. Slicing and comparing each row in Arrow
    cost ten times more on a million addresses.
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


DISTINCT_MIN_ROWS = 10_000  # below this many rows, encoding a column costs more than it saves
DISTINCT_MAX_SHARE = 0.5  # … and when more than this share of its values are distinct
_DISTINCT_SAMPLE = 1 << 16  # rows; a column repeating each value ~10 times or more passes it
# A reorder or a ranking of a column this long is worth a sample first (below it either way is quick); that
# sample is smaller: a wrong guess there costs a little time, never a different result.
_LARGE = 100_000
_QUICK_SAMPLE = 1 << 14


def by_distinct(values: pd.Series) -> tuple[pd.Series, npt.NDArray[np.intp]] | None:
    """``(distinct values, each row's position among them)`` when a column repeats enough to be worth
    checking once per distinct value (公費負担者番号, dates, 郵便番号); None otherwise.

    A rule that depends on the value alone then runs on the distinct values, and ``distinct.iloc[at]`` (or
    a mask ``m[at]``) gives it back for every row.
    """
    import pyarrow.compute as pc

    if len(values) < DISTINCT_MIN_ROWS:
        return None
    arr = arrow_strings(values)
    # A sample settles most columns without encoding them: one of nearly distinct values (受給者番号,
    # addresses) shows it in a sample of 65,536 rows. The full count below still decides the rest.
    if mostly_distinct(arr):
        return None
    encoded = pc.dictionary_encode(arr)
    if len(encoded.dictionary) > DISTINCT_MAX_SHARE * len(values):
        return None
    distinct = from_arrow(encoded.dictionary, pd.RangeIndex(len(encoded.dictionary)))
    return distinct, np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.intp)


def duplicated_rows(frame: pd.DataFrame, keys: list[str]) -> npt.NDArray[np.bool_]:
    """Rows whose values in ``keys`` equal another row's — every row of such a group, as pandas'
    ``duplicated(keep=False)`` — from a numbering of each key's values (``_key_codes``).

    One key of digit strings (受給者番号 …, the usual recipient key) needs no numbering: its numbers are sorted
    and the values met twice looked up (0.02 s for a million rows; numbering them by hashing took 0.06 s,
    and more beside the threads that validate the other columns).
    """
    if len(keys) == 1:
        numbers = _digit_keys(arrow_strings(frame[keys[0]]))
        if numbers is not None:
            return _repeated(numbers)
    codes = group_codes([_key_codes(arrow_strings(frame[key])) for key in keys])
    return np.asarray(np.bincount(codes)[codes] > 1, dtype=bool) if len(codes) else np.zeros(0, dtype=bool)


def _repeated(values: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Which of ``values`` occur more than once (every occurrence)."""
    ordered = np.sort(values)
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])  # few: the duplicates of an export
    if not len(twice):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(twice, values), len(twice) - 1)
    return np.asarray(twice[at] == values, dtype=bool)


_DIGIT_KEY_MAX = 17  # digits: 10**len + value stays below 2**63


def _digit_keys(arr: Any) -> npt.NDArray[np.int64] | None:
    """Each value of ``arr`` (1–17 ASCII digits, no nulls) as the number 10**len + value, which is equal for
    equal strings only (leading zeros stay significant: "018" and "18" differ); None for any other column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets, data = utf8_buffers(arr)
    lengths = np.diff(offsets)
    body = data[offsets[0] : offsets[-1]]
    if not (len(arr) and not arr.null_count and int(lengths.min()) >= 1 and int(lengths.max()) <= _DIGIT_KEY_MAX
            and int(body.min()) >= 0x30 and int(body.max()) <= 0x39):
        return None
    numbers = np.asarray(pc.cast(arr, pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
    # lengths index a table of powers of ten (np.power on int64 is slower and no more exact)
    return numbers + np.array([10**k for k in range(_DIGIT_KEY_MAX + 1)], dtype=np.int64)[lengths]


def _key_codes(arr: Any) -> npt.NDArray[np.int64]:
    """Dense codes 0, 1, … numbering the distinct values of ``arr`` (equal values, equal codes).

    Recipient keys are mostly numbers (受給者番号, 宛名番号) and nearly distinct, where hashing a million
    strings cost 0.2–0.5 s. A column of digit strings is numbered by its ``_digit_keys`` in pandas' integer
    hash table instead.
    """
    import pyarrow.compute as pc

    numbers = _digit_keys(arr)
    if numbers is not None:
        return np.asarray(pd.factorize(numbers)[0], dtype=np.int64)
    return np.asarray(pc.dictionary_encode(arr).indices.to_numpy(zero_copy_only=False), dtype=np.int64)


def spread(distinct: pd.Series, at: npt.NDArray[np.intp], index: pd.Index) -> pd.Series:
    """``distinct`` (strings) back on the rows: row ``i`` takes ``distinct[at[i]]`` (an Arrow gather)."""
    import pyarrow as pa

    return from_arrow(arrow_strings(distinct).take(pa.array(at)), index)


def respelled(values: pd.Series, before: Any, after: Any, at: Any) -> pd.Series:
    """The rows of ``values`` with each distinct value respelled: row ``i`` holds ``before[at[i]]`` and takes
    ``after[at[i]]`` (``before``/``after``: Arrow strings, one per distinct value; ``at``: numpy or Arrow
    indices). When no distinct value changed (names, ISO dates, 郵便番号 already as 7 digits) that is
    ``values`` itself, returned without gathering a million strings back.
    """
    import pyarrow as pa

    if after.equals(before):
        return values
    return from_arrow(after.take(at if isinstance(at, pa.Array) else pa.array(at)), values.index)


def ranks(arr: Any, normalise: Callable[[Any], Any] | None = None) -> npt.NDArray[np.int64]:
    """Each value's rank among the distinct values of ``arr`` (Arrow strings, no nulls) in code-point order,
    after ``normalise`` (an Arrow-to-Arrow function) when given: equal ranks are equal (normalised) values.

    Arrow hashes the column once; only the distinct values are normalised and sorted (UTF-8 byte order is
    code-point order), and the normalised values, which may now repeat, are numbered by sorting them. A
    nearly distinct column without ``normalise`` (the pieces' addresses in the postal sort) is sorted
    directly: hashing it would find almost nothing to save. The householding key and the postal sort rank
    this way.
    """
    import pyarrow.compute as pc

    if normalise is None and len(arr) >= _LARGE and mostly_distinct(arr, _QUICK_SAMPLE):
        return dense_ranks(arr)
    raw = pc.dictionary_encode(arr)
    of_raw = distinct_ranks(raw.dictionary) if normalise is None else dense_ranks(normalise(raw.dictionary))
    return np.asarray(of_raw[raw.indices.to_numpy(zero_copy_only=False)], dtype=np.int64)


def mostly_distinct(arr: Any, sample: int = _DISTINCT_SAMPLE) -> bool:
    """True when more than ``DISTINCT_MAX_SHARE`` of an evenly spread sample of ``arr``'s values (Arrow) are
    distinct (受給者番号, addresses): hashing the column would find little to share. False when it is empty."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(arr):
        return False
    picked = arr.take(pa.array(np.linspace(0, len(arr) - 1, min(sample, len(arr)), dtype=np.int64)))
    return bool(pc.count_distinct(picked, mode="all").as_py() > DISTINCT_MAX_SHARE * len(picked))


def lex_order(keys: tuple[npt.NDArray[np.int64], ...]) -> npt.NDArray[np.intp]:
    """``np.lexsort(keys)`` (the last key sorts first) for non-negative integer keys, faster.

    The keys are folded into one int64 where they fit. When the folded values are distinct (the first key is
    a source row number or a position in every caller) numpy's plain argsort, which is vectorised, gives the
    one possible order: 0.02 s against lexsort's 0.2 s for a million rows. With ties, a stable sort of the
    folded keys gives lexsort's own order; keys too large to fold go to lexsort.
    """
    if not keys or not len(keys[0]):
        return np.lexsort(keys) if keys else np.zeros(0, dtype=np.intp)
    folded = _fold(keys)
    if folded is None:
        return np.asarray(np.lexsort(keys), dtype=np.intp)
    order = np.argsort(folded)
    in_order = folded[order]
    if len(in_order) > 1 and not bool((in_order[1:] > in_order[:-1]).all()):
        order = np.argsort(folded, kind="stable")  # equal folded keys keep their positions, as lexsort
    return np.asarray(order, dtype=np.intp)


def _fold(keys: tuple[npt.NDArray[np.int64], ...]) -> npt.NDArray[np.int64] | None:
    """Non-negative integer keys (the last sorts first) as one int64 in the same order, or None when they
    do not fit."""
    folded = np.zeros(len(keys[0]), dtype=np.int64)
    span = 1
    for key in reversed(keys):
        low, high = int(key.min()), int(key.max())
        if low < 0 or span * (high + 1) >= 1 << 63:
            return None
        folded = folded * (high + 1) + key
        span *= high + 1
    return folded


def group_codes(items: list[npt.NDArray[np.int64]]) -> npt.NDArray[np.int64]:
    """Per row, 0, 1, … numbering the distinct combinations of ``items`` (one array of non-negative ints per
    item, e.g. ranks or dictionary indices; the first item sorts first), in that order. A single item is
    returned as it is: ranks and dictionary indices already number their values."""
    if len(items) == 1:
        return items[0]
    keys = tuple(reversed(items))
    folded = _fold(keys) if len(items[0]) else None
    if folded is not None:
        # Equal combinations get one code whatever their order among themselves: a plain (unstable) sort of
        # the folded keys suffices, where lex_order would sort a second time, stably, because of the ties.
        inverse = np.unique(folded, return_inverse=True)[1]
        return np.asarray(inverse, dtype=np.int64).reshape(-1)
    order = lex_order(keys)
    new = np.zeros(len(order), dtype=bool)
    new[:1] = True
    for item in items:
        ordered = item[order]
        new[1:] |= ordered[1:] != ordered[:-1]
    codes = np.empty(len(order), dtype=np.int64)
    codes[order] = np.cumsum(new) - 1
    return codes


def grouped_order(items: list[npt.NDArray[np.int64]], rows: npt.NDArray[np.int64]
                  ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    """The positions in order of ``items`` (as ``group_codes``), then of ``rows`` (distinct source rows), and
    each position's group code in that order: ``lex_order((rows, codes))`` and ``codes[order]`` for
    ``codes = group_codes(items)``.

    When the items fold into one int64 and the rows already ascend (a table in source order, as householding
    gets it), one stable sort of the folded items gives both: equal items keep their positions, which are
    their rows' order, and the codes count the changes along the sorted values. That replaces the sort inside
    ``np.unique`` and the second sort by code and row.
    """
    folded = _fold(tuple(reversed(items))) if len(items) > 1 and len(rows) else None
    if folded is None or not bool((rows[1:] > rows[:-1]).all()):
        codes = group_codes(items) if items else np.zeros(len(rows), dtype=np.int64)
        order = lex_order((rows, codes))
        return order, codes[order]
    order = np.asarray(np.argsort(folded, kind="stable"), dtype=np.intp)
    ordered = folded[order]
    new = np.ones(len(ordered), dtype=np.int64)
    new[1:] = ordered[1:] != ordered[:-1]
    ordered_codes = np.cumsum(new)
    ordered_codes -= 1
    return order, ordered_codes


SPLIT_SORT_MIN = 100_000  # distinct values; below this a second thread costs more than it saves


def distinct_ranks(distinct: Any) -> npt.NDArray[np.int64]:
    """The rank of each of ``distinct`` (Arrow strings, no two equal, no nulls) in code-point order."""
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[_sort_order(distinct)] = np.arange(len(distinct))
    return rank


def dense_ranks(values: Any) -> npt.NDArray[np.int64]:
    """The rank of each of ``values`` (Arrow strings, no nulls) among the distinct ones in code-point order:
    equal values share a rank, and the ranks run 0, 1, … without gaps.

    Equal values sort next to each other, so comparing each sorted value with the one before numbers them,
    without hashing the column.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    order = _sort_order(values)
    rank = np.empty(n, dtype=np.int64)
    if n:
        ordered = values.take(pa.array(order))
        new = np.ones(n, dtype=bool)
        new[1:] = pc.not_equal(ordered.slice(1), ordered.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        rank[order] = np.cumsum(new) - 1
    return rank


def _sort_order(values: Any) -> npt.NDArray[np.intp]:
    """Positions of ``values`` (Arrow strings, no nulls) in code-point order; equal values in any order.

    Arrow sorts strings on one thread: a large array is split at a sampled pivot into the values below it and
    the rest, and the two halves are sorted at once on two threads (about 0.3 s for the ~600,000 distinct
    household keys or addresses of a million-row run, and each stage sorts one such set). Every value below
    the pivot sorts before every other (equal values fall on the same side), so the halves' orders
    concatenate into the whole order.
    """
    import pyarrow.compute as pc

    n = len(values)
    if n < max(2, SPLIT_SORT_MIN) or values.null_count:
        return np.asarray(pc.array_sort_indices(values).to_numpy(), dtype=np.intp)
    sample = values.take(np.linspace(0, n - 1, 1001, dtype=np.int64))
    pivot = sample.take(pc.array_sort_indices(sample))[len(sample) // 2]
    below = np.asarray(pc.less(values, pivot).to_numpy(zero_copy_only=False), dtype=bool)

    def order_of(positions: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
        return np.asarray(positions[pc.array_sort_indices(values.take(positions)).to_numpy()], dtype=np.intp)

    low, high = overlapped(partial(order_of, np.flatnonzero(below)), partial(order_of, np.flatnonzero(~below)))
    return np.concatenate([low, high])


_SMALL_INTS = 1024  # below this largest value (and from this many rows), formatting is a table lookup


def int_strings(values: npt.ArrayLike, index: pd.Index, width: int = 0) -> pd.Series:
    """Non-negative integers as decimal strings (``str(v).zfill(width)``), by Arrow's cast and left pad.

    ``astype("str")`` formats a million integers one Python object at a time; sequence numbers, N-of-M and
    document indexes are written for every row of a run.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    v = np.asarray(values, dtype=np.int64)
    if len(v) and int(v.min()) < 0:
        raise ValueError("int_strings takes non-negative integers")
    top = int(v.max()) if len(v) else 0
    if top < _SMALL_INTS <= len(v):  # N of M, document indexes: gathered from the few texts they can be
        table = pa.array([str(i).zfill(width) for i in range(top + 1)], type=pa.large_string())
        return from_arrow(table.take(pa.array(v)), index)
    text = pc.cast(pa.array(v), pa.large_string())
    if width:
        text = pc.utf8_lpad(text, width, "0")  # pads only values shorter than ``width``, as zfill
    return from_arrow(text, index)


def ints_of(values: pd.Series) -> npt.NDArray[np.int64]:
    """Decimal strings (e.g. ``int_strings`` output) as int64, parsed by Arrow; a non-number raises."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return np.asarray(pc.cast(arrow_strings(values), pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def join_strings(left: pd.Series, sep: str, right: pd.Series) -> pd.Series:
    """Row-wise ``left + sep + right`` in Arrow (both Arrow-backed, same index)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    joined = pc.binary_join_element_wise(arrow_strings(left), arrow_strings(right), pa.scalar(sep, pa.large_string()))
    return from_arrow(joined, left.index)


def take_rows(table: pd.DataFrame, positions: npt.ArrayLike) -> pd.DataFrame:
    """``table.iloc[positions]`` (index labels included), its columns gathered on two threads.

    A gather of a million strings is bound by memory latency, not arithmetic; Arrow's ``take`` and numpy's
    release the GIL, so two columns at a time nearly halve the reorders of the sort and the filters of check.
    """
    from concurrent.futures import ThreadPoolExecutor

    at = np.asarray(positions, dtype=np.int64)
    index = table.index[at]
    # A reorder (the postal sort) reads every value at a random place; a filter reads them in order.
    scattered = len(at) >= _LARGE and not bool((at[1:] > at[:-1]).all())

    def gather(i: int) -> Any:
        values = table.iloc[:, i].array
        if scattered and isinstance(values, pd.arrays.ArrowStringArray):
            return _gather_repeating(values, at)
        return values.take(at)

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="take") as pool:
        arrays = list(pool.map(gather, range(table.shape[1])))
    out = pd.DataFrame(dict(enumerate(arrays)), index=index, copy=False)
    out.columns = table.columns
    return out


def _gather_repeating(values: Any, at: npt.NDArray[np.int64]) -> Any:
    """``values.take(at)`` for a string column, by way of a dictionary when its values repeat.

    A scattered gather of a million strings waits on memory for every value (about 0.13 s per column on the
    benchmark machine). When a column holds few distinct values (dates, 郵便番号, 負担者番号, N of M), Arrow
    encodes it once (hashing reads it in order), gathers the small indices, and looks each one up in a
    dictionary that stays in cache: about 0.05 s. Nearly distinct columns (受給者番号, addresses) would pay
    for the hashing and gain nothing, so an evenly spread sample decides: the dictionary is used only when at
    most half of the sampled values are distinct. The strings are the same either way.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = one_array(values._pa_array)
    if mostly_distinct(arr, _QUICK_SAMPLE):
        return values.take(at)
    encoded = pc.dictionary_encode(arr)
    gathered = encoded.dictionary.take(encoded.indices.take(pa.array(at)))
    return from_arrow(gathered.cast(pa.large_string()), pd.RangeIndex(len(at))).array
