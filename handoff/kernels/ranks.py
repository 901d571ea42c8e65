"""Distinct values, ranks and orders of columns: encode a column once, rank and group keys, sort on all cores."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.kernels.strings import arrow_strings, from_arrow, utf8_buffers
from handoff.kernels.threads import overlapped

DISTINCT_MIN_ROWS = 10_000  # below this many rows, encoding a column costs more than it saves
DISTINCT_MAX_SHARE = 0.5  # … and when more than this share of its values are distinct
_DISTINCT_SAMPLE = 1 << 16  # rows; a column repeating each value ~10 times or more passes it
# A reorder or a ranking of a column this long is worth a sample first (below it either way is quick); that
# sample is smaller: a wrong guess there costs a little time, never a different result.
LARGE = 100_000
QUICK_SAMPLE = 1 << 14


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
    and the values met twice looked up, which is cheaper than hashing the strings, above all beside the
    threads that validate the other columns.
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

    Recipient keys are mostly numbers (受給者番号, 宛名番号) and nearly distinct, where hashing every string
    is the dear part. A column of digit strings is numbered by its ``_digit_keys`` in pandas' integer hash
    table instead.
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

    if normalise is None and len(arr) >= LARGE and mostly_distinct(arr, QUICK_SAMPLE):
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
    a source row number or a position in every caller) numpy's plain argsort, which is vectorised and far
    quicker than lexsort, gives the one possible order. With ties, a stable sort of the
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
    their rows' order, and the codes count the changes along the sorted values, so neither the sort inside
    ``np.unique`` nor a second sort by code and row is needed.
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
    the rest, and the two halves are sorted at once on two threads (householding and the postal sort each sort
    one such set: the distinct household keys or addresses, most of a large run's rows). Every value below
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
