"""Whole-column code-point scans agree with plain Python, value by value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.jp import charset
from handoff.kernels.codepoints import count_per_row, first_in, lay_out, rows_with, rows_with_and_count, table_of
from handoff.stages.validate_rules import over_length, unsafe_table

CLASS = "0123456789髙﨑=@\U0002000b"
values_strategy = st.lists(
    st.one_of(st.none(), st.text(alphabet=st.sampled_from(CLASS + "山田a-　①"), max_size=15), st.text(max_size=8)),
    max_size=12,
)


@given(values_strategy, st.integers(min_value=0, max_value=3))
def test_scans_match_python(values: list[str | None], skip: int) -> None:
    """rows_with, count_per_row and first_in equal per-value Python, also on a sliced, null-holding column."""
    series = pd.Series(values, dtype="str").iloc[skip:]
    texts = ["" if v is None or v != v else v for v in values[skip:]]
    table = table_of(CLASS)
    laid = lay_out(series)
    assert rows_with(laid, table).tolist() == [any(c in CLASS for c in t) for t in texts]
    assert count_per_row(laid, table).tolist() == [sum(c in CLASS for c in t) for t in texts]
    assert first_in(laid, table).tolist() == [bool(t) and t[0] in CLASS for t in texts]



@given(values_strategy, st.integers(min_value=0, max_value=3))
def test_one_lookup_gives_both_scans(values: list[str | None], skip: int) -> None:
    """rows_with_and_count equals rows_with of one class and count_per_row of another, on the same layout."""
    laid = lay_out(pd.Series(values, dtype="str").iloc[skip:])
    found, counts = rows_with_and_count(laid, frozenset("髙﨑①\U0002000b"), frozenset("0123456789"))
    assert found.tolist() == rows_with(laid, table_of("髙﨑①\U0002000b")).tolist()
    assert counts.tolist() == count_per_row(laid, table_of("0123456789")).tolist()

@given(st.lists(st.text(max_size=10), max_size=10))
def test_unsafe_table_is_the_unsafe_pattern(values: list[str]) -> None:
    """The lookup table flags exactly the values charset.unsafe_pattern() finds a character in."""
    flagged = rows_with(lay_out(pd.Series(values, dtype="str")), unsafe_table())
    assert flagged.tolist() == [charset.unsafe_pattern().search(v) is not None for v in values]


def test_counts_are_exact_past_narrow_sums() -> None:
    """Counts stay exact for rows of 255, 256 and over 65,535 matching characters (sums are taken narrow)."""
    values = ["a" * 255, "a" * 256 + "b", "ab" * 3, "", "a" * 70_000, "b" * 300]
    expected = [v.count("a") for v in values]
    for kept in (values, values[:4]):  # with and without a row too long for 16-bit sums
        laid = lay_out(pd.Series(kept, dtype="str"))
        assert count_per_row(laid, table_of("a")).tolist() == expected[: len(kept)]


def test_empty_and_all_blank_columns() -> None:
    """A column of no rows or only blanks lays out to no code points and flags nothing."""
    for values in ([], ["", None, ""]):
        laid = lay_out(pd.Series(values, dtype="str"))
        assert laid.rows == len(values)
        assert not rows_with(laid, table_of("a")).any()
        assert count_per_row(laid, table_of("a")).tolist() == [0] * len(values)


def test_block_boundaries_do_not_shift_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decoding a block of rows at a time gives the same code points as one pass, at any block size."""
    from handoff.kernels import codepoints

    values = ["髙橋", "", None, "a\U0002000b", "①②", "x", "東京都千代田区"] * 5
    series = pd.Series(values, dtype="str").iloc[1:]
    whole = "".join("" if v is None else v for v in values[1:])
    for block in (1, 2, 3, 7, 1 << 16):
        monkeypatch.setattr(codepoints, "_BLOCK_ROWS", block)
        laid = lay_out(series)
        assert laid.cps.tolist() == [ord(c) for c in whole]


@given(st.lists(st.one_of(st.text(alphabet="0123456789", min_size=6, max_size=9),
                          st.text(alphabet="0123456789a-１٣", max_size=9)), max_size=30))
def test_vectorised_check_digits_match_the_scalar_rule(values: list[str]) -> None:
    """validate's check (NFKC, then the column rule) equals jp.checkdigit for 7/8 digits, rejects all else."""
    from handoff.jp.checkdigit import is_valid_jukyusha, is_valid_kouhi
    from handoff.kernels.strings import nfkc
    from handoff.stages.validate_rules import kouhi_valid

    expected = [is_valid_kouhi(v) or is_valid_jukyusha(v) for v in values]
    assert kouhi_valid(nfkc(pd.Series(values, dtype="str"))).tolist() == expected


@given(st.lists(st.integers(min_value=0, max_value=10**12), max_size=30), st.integers(min_value=0, max_value=8))
def test_int_strings_are_str_zfill(values: list[int], width: int) -> None:
    """rows.int_strings formats like str(v).zfill(width), as an Arrow-backed string column."""
    from handoff.kernels.rows import int_strings
    from handoff.kernels.strings import STR

    series = int_strings(values, pd.RangeIndex(len(values)), width)
    assert series.tolist() == [str(v).zfill(width) for v in values] and series.dtype == STR


@pytest.mark.parametrize(("top", "width"), [(0, 0), (50, 0), (50, 3), (1023, 2), (1024, 0), (99_999, 6)])
def test_int_strings_of_a_large_column_small_or_not(top: int, width: int) -> None:
    """A long column of small integers (the lookup-table path) formats exactly as one of large ones (Arrow's cast)."""
    import numpy as np

    from handoff.kernels.rows import int_strings
    from handoff.kernels.strings import STR

    values = np.random.default_rng(top).integers(0, top + 1, 3000)
    values[0] = top
    series = int_strings(values, pd.RangeIndex(3000, 6000), width)
    assert series.tolist() == [str(v).zfill(width) for v in values] and series.dtype == STR
    assert series.index.tolist() == list(range(3000, 6000))


@given(st.lists(st.integers(min_value=0, max_value=19), max_size=20))
def test_take_rows_is_iloc(positions: list[int]) -> None:
    """rows.take_rows gives what DataFrame.iloc gives: values, dtypes and index labels, any order or repeats."""
    from handoff.kernels.rows import take_rows

    table = pd.DataFrame({"name": pd.array([f"見本{i}" if i % 7 else None for i in range(20)], dtype="str"),
                          "row": list(range(100, 120)), "flag": [i % 2 == 0 for i in range(20)]},
                         index=pd.Index(range(40, 0, -2)))
    pd.testing.assert_frame_equal(take_rows(table, positions), table.iloc[positions])


@pytest.mark.parametrize("seed", range(4))
def test_take_rows_reorder_by_dictionary_is_iloc(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scattered take_rows gives what DataFrame.iloc gives, via a dictionary (repeats, nulls) or not."""
    import numpy as np

    from handoff.kernels import ranks, rows

    monkeypatch.setattr(ranks, "LARGE", 100)
    monkeypatch.setattr(ranks, "QUICK_SAMPLE", 64)
    rng = np.random.default_rng(seed)
    n = 3000
    few = [None if i % 11 == 0 else f"{i % 13:02d}号" for i in range(n)]
    table = pd.DataFrame({"few": pd.array(few, dtype="str"),
                          "many": pd.array([f"見本{i}" for i in range(n)], dtype="str"),
                          "row": np.arange(n)}, index=pd.Index(range(2 * n, 0, -2)))
    positions = rng.permutation(n)[: n - seed * 100]
    pd.testing.assert_frame_equal(rows.take_rows(table, positions), table.iloc[positions])


@given(st.integers(min_value=1, max_value=9).flatmap(
    lambda k: st.lists(st.text(alphabet="0123456789a", min_size=k, max_size=k), min_size=1, max_size=30)))
def test_check_digits_of_same_width_columns_match_the_scalar_rule(values: list[str]) -> None:
    """A column of equally long values (read as one grid, a letter or not) is checked as jp.checkdigit does."""
    from handoff.jp.checkdigit import is_valid_jukyusha, is_valid_kouhi
    from handoff.stages.validate_rules import kouhi_valid

    expected = [is_valid_kouhi(v) or is_valid_jukyusha(v) for v in values]
    assert kouhi_valid(pd.Series(values, dtype="str")).tolist() == expected



@given(st.lists(st.sampled_from(["0000018", "2000001", "12345é", "12345Ä", "1234山", "123456a", "88134457", "1234567é"]),
                min_size=1, max_size=20))
def test_check_digits_of_same_byte_width_columns_match_the_scalar_rule(values: list[str]) -> None:
    """Values of one UTF-8 length but different character counts (é, 山) are checked as jp.checkdigit does."""
    from handoff.jp.checkdigit import is_valid_jukyusha, is_valid_kouhi
    from handoff.stages.validate_rules import kouhi_valid

    expected = [is_valid_kouhi(v) or is_valid_jukyusha(v) for v in values]
    assert kouhi_valid(pd.Series(values, dtype="str")).tolist() == expected

def test_nfkc_stable_characters_cannot_change_under_nfkc() -> None:
    """Every NFKC_STABLE character is its own NFKC, a starter, and never the second half of a composition."""
    import unicodedata

    from handoff.kernels.strings import NFKC_STABLE

    seconds = set()
    for cp in range(0x110000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<") and len(decomposition.split()) == 2:
            seconds.add(int(decomposition.split()[1], 16))
    for lo, hi in NFKC_STABLE:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            assert unicodedata.normalize("NFKC", ch) == ch and unicodedata.combining(ch) == 0, hex(cp)
            assert cp not in seconds, hex(cp)


NFKC_ALPHABET = "山田太郎かがきゃアガ々ー〇、。１２３ＡＢ　 \tｶﾞｶﾟ\u3099\u309a①㈱髙﨑\ufa11丁目番地-－"


# Characters this Python's Unicode data knows (Arrow's may be newer: a later version's additions are not compared)
KNOWN = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cn", "Cs"))


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(NFKC_ALPHABET), max_size=12),
                          st.text(alphabet=KNOWN, max_size=6)), max_size=40))
def test_nfkc_arrow_is_nfkc(values: list[str | None]) -> None:
    """strings.nfkc_arrow equals unicodedata's NFKC value by value, whichever share of values needs it."""
    import unicodedata

    import pyarrow as pa

    from handoff.kernels.strings import nfkc_arrow

    out = nfkc_arrow(pa.array(values, type=pa.large_string())).to_pylist()
    assert out == [None if v is None else unicodedata.normalize("NFKC", v) for v in values]


def test_ascii_columns_are_laid_out_from_their_bytes() -> None:
    """An ASCII column (missing values and an offset included) lays out exactly as the decoding path would."""
    values = ["x", "0123", "", None, "a-b", "9"] * 3
    series = pd.Series(values, dtype="str").iloc[1:]
    laid = lay_out(series)
    kept = ["" if v is None else v for v in values[1:]]
    assert laid.cps.dtype == np.uint8 and laid.cps.tolist() == [ord(c) for c in "".join(kept)]
    assert np.diff(laid.starts).tolist() == [len(v) for v in kept]


@pytest.mark.parametrize(("last", "dtype"), [("\uffff", np.uint16), ("\U00010000", np.uint32),
                                             ("\U0002000b", np.uint32)])
def test_code_points_are_as_narrow_as_the_column_allows(last: str, dtype: type) -> None:
    """A column of BMP characters lays out in 16 bits, one holding a character beyond U+FFFF in 32, same points."""
    values = ["髙橋", "", "東京都千代田区", "ｱ①", "x" + last] * 3
    laid = lay_out(pd.Series(values, dtype="str"))
    assert laid.cps.dtype == dtype and laid.cps.tolist() == [ord(c) for c in "".join(values)]
    assert rows_with(laid, table_of(last)).tolist() == [last in v for v in values]


def test_a_class_above_every_character_finds_nothing_and_one_below_still_counts() -> None:
    """The shortcut for classes beyond a column's largest code point returns nothing; others still count."""
    laid = lay_out(pd.Series(["12a", "", "b"], dtype="str"))
    assert rows_with(laid, table_of("髙")).tolist() == [False, False, False]
    assert count_per_row(laid, table_of("髙")).tolist() == [0, 0, 0]
    assert rows_with(laid, table_of("b髙")).tolist() == [False, False, True]
    assert count_per_row(laid, table_of("12")).tolist() == [2, 0, 0]


@given(st.lists(st.text(alphabet="aZ9 -ｱｶﾞ山田髙①", max_size=12), max_size=12),
       st.lists(st.text(alphabet="aZ9 -山é\U0002000b", max_size=12), max_size=12),
       st.integers(min_value=0, max_value=24), st.integers(min_value=0, max_value=3))
def test_over_length_is_the_encoded_length(cp932: list[str], utf8: list[str], limit: int, skip: int) -> None:
    """A value is over its byte limit exactly when Python's codec writes more bytes (CP932 and UTF-8, sliced)."""
    for encoding, texts in (("cp932", cp932), ("utf-8", utf8)):
        series = pd.Series(texts, dtype="str").iloc[skip:]
        got = over_length(series, lay_out(series), encoding, limit)
        assert got.index.equals(series.index)
        assert got.tolist() == [len(t.encode(encoding)) > limit for t in texts[skip:]]
