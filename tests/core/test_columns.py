"""Column helpers on Arrow strings agree with plain Python, value by value."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import ranks, strings

ALPHABET = st.sampled_from(["東", "京", "都", "中", "野", "区", "\u3000", " ", "1", "-", "a", "\U0002000b", "é"])
texts_strategy = st.lists(st.text(alphabet=ALPHABET, max_size=8), min_size=1, max_size=12)
prefixes_strategy = st.lists(st.text(alphabet=ALPHABET, max_size=4), min_size=1, max_size=4)


@given(texts_strategy, prefixes_strategy, st.integers(min_value=0, max_value=3), st.data())
def test_starts_with_is_str_startswith(texts: list[str], prefixes: list[str], skip: int, data: st.DataObject) -> None:
    """starts_with equals str.startswith row by row (sliced array, short texts, buffer end); empty never matches."""
    arr = pa.array(texts, type=pa.large_string()).slice(min(skip, len(texts) - 1))
    kept = texts[min(skip, len(texts) - 1):]
    rows = np.array(data.draw(st.lists(st.integers(0, len(kept) - 1), max_size=10)), dtype=np.intp)
    which = np.array(data.draw(st.lists(st.integers(0, len(prefixes) - 1), min_size=len(rows),
                                        max_size=len(rows))), dtype=np.intp)
    got = strings.starts_with(arr, rows, prefixes, which)
    expected = [bool(prefixes[w]) and kept[r].startswith(prefixes[w]) for r, w in zip(rows, which, strict=True)]
    assert got.tolist() == expected


def test_starts_with_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows beyond one comparison block are compared too (the last row's prefix ends at the buffer's end)."""
    monkeypatch.setattr(strings, "_PREFIX_BLOCK", 3)
    texts = ["東京都中野区", "東京", "京都", "東京都", "東京都中野区中央", "大阪"]
    arr = pa.array(texts, type=pa.large_string())
    got = strings.starts_with(arr, np.arange(len(texts)), ["東京都", "大阪"], np.array([0, 0, 0, 0, 0, 1]))
    assert got.tolist() == [True, False, False, True, True, True]


@given(st.lists(st.tuples(st.sampled_from(["", "1", "2", "東"]), st.sampled_from(["a", "b"]),
                          st.sampled_from(["x", "xx"])), max_size=30), st.integers(min_value=1, max_value=3))
def test_duplicated_rows_is_pandas_duplicated(rows: list[tuple[str, str, str]], width: int) -> None:
    """duplicated_rows marks exactly the rows pandas' duplicated(keep=False) marks, for one to three keys."""
    import pandas as pd

    frame = pd.DataFrame(rows or [("", "", "")], columns=["k0", "k1", "k2"]).astype(strings.STR)
    keys = ["k0", "k1", "k2"][:width]
    expected = frame.duplicated(subset=keys, keep=False).to_numpy()
    assert ranks.duplicated_rows(frame, keys).tolist() == expected.tolist()


@given(st.lists(st.text(alphabet="0129", max_size=19), max_size=40))
def test_key_codes_number_equal_values_alike(values: list[str]) -> None:
    """Digit keys ("018" and "18" distinct, up to 19 digits, blanks) are numbered exactly as their strings."""
    for keys in (values, [v for v in values if 1 <= len(v) <= 17]):  # the second: numbers, never hashed
        codes = ranks._key_codes(pa.array(keys, type=pa.large_string())).tolist()
        assert [codes[keys.index(v)] for v in keys] == codes  # equal values, equal codes
        assert len(set(codes)) == len(set(keys))  # different values, different codes
        assert sorted(set(codes)) == list(range(len(set(codes))))  # dense, as group_codes expects


@given(st.lists(st.text(alphabet="0129", min_size=1, max_size=17), max_size=40))
def test_one_digit_key_duplicates_are_pandas_duplicated(values: list[str]) -> None:
    """With one key of digit strings (sorted numbers, not hashing), the rows marked are pandas' duplicated."""
    import pandas as pd

    frame = pd.DataFrame({"k": values or ["0"]}).astype(strings.STR)
    expected = frame.duplicated(subset=["k"], keep=False).to_numpy()
    assert ranks._digit_keys(strings.arrow_strings(frame["k"])) is not None
    assert ranks.duplicated_rows(frame, ["k"]).tolist() == expected.tolist()

def test_digit_keys_with_leading_zeros_are_different_recipients() -> None:
    """受給者番号 "0000018" and "18" are not duplicates of each other; two "0000018" are."""
    import pandas as pd

    frame = pd.DataFrame({"k": ["0000018", "18", "0000018", "000018", "99999999999999999"]}).astype(strings.STR)
    assert ranks.duplicated_rows(frame, ["k"]).tolist() == [True, False, True, False, False]


@given(st.lists(st.text(alphabet=ALPHABET, max_size=6), unique=True, max_size=40))
def test_split_sort_ranks_are_code_point_order(texts: list[str]) -> None:
    """distinct_ranks split across two threads gives every value its rank in Python's code-point order."""
    arr = pa.array(texts, type=pa.large_string())
    expected = {t: i for i, t in enumerate(sorted(texts))}
    for split_from in (0, 10**9):  # always split / never split
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ranks, "SPLIT_SORT_MIN", split_from)
            assert ranks.distinct_ranks(arr).tolist() == [expected[t] for t in texts]


@given(st.lists(st.text(alphabet=ALPHABET, max_size=4), max_size=40), st.booleans())
def test_dense_and_column_ranks_are_code_point_order(texts: list[str], distinct_path: bool) -> None:
    """dense_ranks, and ranks by hashing or by sorting directly, number repeating values in code-point order."""
    arr = pa.array(texts, type=pa.large_string())
    expected = {t: i for i, t in enumerate(sorted(set(texts)))}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ranks, "SPLIT_SORT_MIN", 0)  # the two-thread split, equal values included
        assert ranks.dense_ranks(arr).tolist() == [expected[t] for t in texts]
        # the direct sort (a "mostly distinct" column) or the hash first: the same ranks
        mp.setattr(ranks, "LARGE", 0 if distinct_path else 10**9)
        mp.setattr(ranks, "QUICK_SAMPLE", 1)
        assert ranks.ranks(arr).tolist() == [expected[t] for t in texts]
        upper = {t: i for i, t in enumerate(sorted({t.upper() for t in texts}))}
        assert ranks.ranks(arr, lambda a: pa.compute.utf8_upper(a)).tolist() == [upper[t.upper()] for t in texts]


@given(st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=30),
       st.sampled_from([3, 1000, 2**40]), st.data())
def test_lex_order_is_lexsort(nkeys: int, n: int, high: int, data: st.DataObject) -> None:
    """lex_order equals np.lexsort for non-negative keys: with ties, distinct rows, and keys too large to fold."""
    keys = tuple(np.array(data.draw(st.lists(st.integers(0, high), min_size=n, max_size=n)), dtype=np.int64)
                 for _ in range(nkeys))
    assert ranks.lex_order(keys).tolist() == np.lexsort(keys).tolist()
    distinct_first = (np.arange(n, dtype=np.int64)[::-1].copy(), *keys[1:])
    assert ranks.lex_order(distinct_first).tolist() == np.lexsort(distinct_first).tolist()


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.integers(0, 2)), max_size=30),
       st.integers(min_value=1, max_value=3))
def test_group_codes_number_sorted_combinations(rows: list[tuple[int, int, int]], width: int) -> None:
    """group_codes gives each row the position of its item combination among the sorted distinct ones."""
    kept = [r[:width] for r in rows]
    expected = {combo: i for i, combo in enumerate(sorted(set(kept)))}
    items = [np.array([r[k] for r in kept], dtype=np.int64) for k in range(width)]
    got = ranks.group_codes(items)
    if width == 1:  # a single item is returned as it is
        assert got.tolist() == [r[0] for r in kept]
    else:
        assert got.tolist() == [expected[r] for r in kept]


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5), st.integers(0, 2)), max_size=40),
       st.integers(min_value=0, max_value=3), st.booleans(), st.randoms(use_true_random=False))
def test_grouped_order_is_lex_order_of_group_codes(rows: list[tuple[int, int, int]], width: int, ascending: bool,
                                                  rnd: random.Random) -> None:
    """grouped_order equals lexsort by (group_codes, row) and those codes in that order, rows ascending or not."""
    source = list(range(10, 10 + 3 * len(rows), 3))  # distinct source rows
    if not ascending:
        rnd.shuffle(source)
    row_numbers = np.array(source, dtype=np.int64)
    items = [np.array([r[k] for r in rows], dtype=np.int64) for k in range(width)]
    codes = ranks.group_codes(items) if items else np.zeros(len(rows), dtype=np.int64)
    expected = np.lexsort((row_numbers, codes)) if len(rows) else np.zeros(0, dtype=np.intp)
    order, ordered_codes = ranks.grouped_order(items, row_numbers)
    assert order.tolist() == expected.tolist()
    assert ordered_codes.tolist() == codes[expected].tolist()


def test_ascii_only_reads_every_chunk_and_errs_only_towards_no() -> None:
    """ascii_only is True for ASCII columns (chunked too) and False when any byte, even outside a slice, is not."""
    assert strings.ascii_only(pa.array(["123", "", None], type=pa.large_string()))
    assert strings.ascii_only(pa.chunked_array([["1"], ["2"]], type=pa.string()))
    assert not strings.ascii_only(pa.chunked_array([["1"], ["２"]], type=pa.string()))
    assert not strings.ascii_only(pa.array(["ａ", "1"], type=pa.large_string()).slice(1))


def test_nfkc_of_ascii_keeps_values_and_index() -> None:
    """NFKC of an ASCII column returns it as it is; a column with full-width digits is still normalised."""
    import pandas as pd

    ascii_values = pd.Series(["0123", "", "a-b"], index=[5, 6, 7], dtype="str")
    assert strings.nfkc(ascii_values).tolist() == ["0123", "", "a-b"]
    assert strings.nfkc(ascii_values).index.tolist() == [5, 6, 7]
    assert strings.nfkc(pd.Series(["０１", "1"], dtype="str")).tolist() == ["01", "1"]


def test_one_array_keeps_a_single_chunk_and_joins_several() -> None:
    """one_array gives a single chunk itself (its data buffer, no copy) and several chunks joined in order."""
    import pyarrow as pa

    from handoff.kernels.strings import one_array

    part = pa.array(["見本", "", "1-2-3"], pa.large_string())
    single = one_array(pa.chunked_array([part]))
    assert single.buffers()[2].address == part.buffers()[2].address
    assert one_array(pa.chunked_array([part, part.slice(1)])).to_pylist() == ["見本", "", "1-2-3", "", "1-2-3"]
    assert one_array(part) is part


def test_trimmed_is_what_arrow_strips() -> None:
    """TRIMMED holds exactly the characters Arrow's utf8_trim_whitespace removes, read off Arrow for every one."""
    import pyarrow.compute as pc

    points = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    out = pc.utf8_trim_whitespace(pa.array(points)).to_pylist()
    assert "".join(p for p, o in zip(points, out, strict=True) if o == "") == strings.TRIMMED


# Besides the characters stripped, ones that share their first or last UTF-8 bytes (U+200B: E2 80 8B, U+3080:
# E3 82 80, U+0080: C2 80, U+00A8: C2 A8, U+30A0: E3 82 A0) and ordinary text.
_EDGES = st.sampled_from([*strings.TRIMMED, "\u200b", "\u3080", "\u0080", "\u00a8", "\u30a0", "\u2030", "東", "ア",
                          "a", "é", "\U0002000b"])


@given(st.lists(st.text(alphabet=_EDGES, max_size=5), min_size=1, max_size=20))
def test_stripped_is_pandas_strip(texts: list[str]) -> None:
    """stripped equals pandas' str.strip on any values, and keeps the column itself when nothing would change."""
    import pandas as pd

    values = pd.Series(texts, dtype=strings.STR, index=pd.RangeIndex(3, 3 + len(texts)))
    expected = values.str.strip()
    got = strings.stripped(values)
    pd.testing.assert_series_equal(got, expected)
    if expected.equals(values):
        assert got is values


def test_stripped_keeps_a_column_with_blanks_only_inside() -> None:
    """Blanks inside values, and characters that merely share bytes with a blank, leave the column as it is."""
    import pandas as pd

    values = pd.Series(["見本\u3000花子", "\u3080", "\u00a8", "\u30a0x", "", "a b"], dtype=strings.STR)
    assert strings.stripped(values) is values
    padded = pd.Series(["見本\u3000花子", "\u3080\u3000"], dtype=strings.STR)
    assert strings.stripped(padded).tolist() == ["見本\u3000花子", "\u3080"]


@given(st.binary(max_size=40), st.lists(st.integers(min_value=0, max_value=45), max_size=20))
def test_words_at_reads_eight_bytes_with_zeros_past_the_end(data: bytes, at: list[int]) -> None:
    """words_at gives the little-endian word of the 8 bytes at each offset, bytes past the end as zero."""
    arr = pa.array([data], type=pa.large_binary())
    buf = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[: len(data)] if data else np.zeros(0, dtype=np.uint8)
    got = strings.words_at(buf, np.array(at, dtype=np.int64).reshape(-1, 1))
    padded = data + bytes(64)
    assert got.shape == (len(at), 1)
    assert got.ravel().tolist() == [int.from_bytes(padded[k : k + 8], "little") for k in at]
