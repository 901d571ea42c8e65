"""Probable 個人番号 detection (jp-rules §2)."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.jp import cn as stdnum_cn
from stdnum.jp import in_ as stdnum_in

from handoff.jp import mynumber
from handoff.jp.mynumber import column_has_probable, find_probable

SEPARATORS = ["-", "‐", "−", "ー", "－", " ", "\u3000", "ｰ", "―"]


@pytest.mark.parametrize(
    ("number", "hit"),
    [
        ("621498320257", True),
        ("621498320258", False),
        ("123456789018", True),
        ("123456789019", False),
        ("000000000000", True),
    ],
)
def test_published_examples(number: str, hit: bool) -> None:
    """jp-rules §2: the valid examples (and 000000000000) are hits; the one-digit-off ones are not."""
    assert find_probable(number) == ([(0, 12)] if hit else [])
    assert find_probable(f"番号{number}です") == ([(2, 14)] if hit else [])


def test_full_width_digits_after_nfkc() -> None:
    """Full-width digits are found; spans index the NFKC text."""
    assert find_probable("ＩＤ：６２１４９８３２０２５７") == [(3, 15)]


@pytest.mark.parametrize("sep", SEPARATORS)
def test_four_four_four_groups(sep: str) -> None:
    """4-4-4 groups separated by a space or any hyphen-like mark (after NFKC) are found."""
    text = f"個人番号 6214{sep}9832{sep}0257 を記載"
    normalised = unicodedata.normalize("NFKC", text)
    assert [normalised[a:b] for a, b in find_probable(text)] == [normalised[5:19]]


@pytest.mark.parametrize(
    "text",
    [
        "6214983202570",
        "1621498320257",
        "5835678256246",
        "62149832025701234",
        "6214 98320257",
        "6214--9832-0257",
        "6214-9832-02570",
        "1-6214-9832-0257",
        "6214-9832-0257-1",
        "621498320257"[:11],
    ],
)
def test_longer_runs_and_other_shapes_do_not_match(text: str) -> None:
    """13-digit 法人番号 and longer runs, other groupings and chained groups are not probable 個人番号."""
    assert find_probable(text) == []


def test_corporate_number_example_is_valid_but_not_a_hit() -> None:
    """5835678256246 is a valid 法人番号 (stdnum.jp.cn); it must not be mistaken for a 個人番号."""
    assert stdnum_cn.is_valid("5835678256246")
    assert find_probable("法人番号5835678256246") == []


def test_two_numbers_in_one_value() -> None:
    """Every probable number in a value is reported."""
    assert find_probable("621498320257/123456789018") == [(0, 12), (13, 25)]


valid_numbers = st.text(alphabet="0123456789", min_size=11, max_size=11).map(
    lambda body: body + stdnum_in.calc_check_digit(body)
)
# Surrounding text that cannot extend a digit run: no digits, no characters NFKC turns into digits/separators.
filler = st.text(alphabet=st.sampled_from("山田太郎東京都区様ABCxyz。、()"), max_size=6)


@given(filler, valid_numbers, filler, st.sampled_from(["", *SEPARATORS]), st.booleans())
def test_any_valid_number_is_found_embedded(
    before: str, number: str, after: str, sep: str, wide: bool
) -> None:
    """Any 12-digit string passing stdnum is found in text, plain or in 4-4-4 groups, ASCII or full-width."""
    if wide:
        number = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    grouped = number if not sep else f"{number[:4]}{sep}{number[4:8]}{sep}{number[8:]}"
    text = before + grouped + after
    spans = find_probable(text)
    assert len(spans) == 1
    assert column_has_probable(pd.Series([text, before + after], dtype="str")).tolist() == [True, False]


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_exactly_the_stdnum_valid_runs_are_hits(number: str) -> None:
    """A bare 12-digit run is a hit exactly when python-stdnum accepts it."""
    assert bool(find_probable(number)) == stdnum_in.is_valid(number)


values_strategy = st.lists(
    st.one_of(
        st.text(alphabet=st.sampled_from("0123456789０１２３４５６７８９ -－ー　①⑫㉑山a"), max_size=20),
        valid_numbers,
        st.text(max_size=10),
    ),
    max_size=8,
)


@given(values_strategy)
def test_column_matches_find_probable(values: list[str]) -> None:
    """The vectorised column check agrees value by value with find_probable (the prefilter loses nothing)."""
    expected = [bool(find_probable(v)) for v in values]
    for dtype in ("str", "object"):
        assert column_has_probable(pd.Series(values, dtype=dtype)).tolist() == expected


def test_column_keeps_index_and_treats_missing_as_false() -> None:
    """The result has the input's index (even with duplicate labels) and missing values are False."""
    series = pd.Series(
        ["621498320257", None, "山田", "６２１４ ９８３２ ０２５７"], index=[5, 5, 7, 1], dtype="str"
    )
    result = column_has_probable(series)
    assert result.tolist() == [True, False, False, True]
    assert result.index.tolist() == [5, 5, 7, 1]
    assert result.dtype == bool


def test_column_with_circled_numbers() -> None:
    """Characters NFKC turns into several digits (⑫ -> 12) are caught through the NFKC path."""
    text = "⑫" * 6  # NFKC: 121212121212
    assert column_has_probable(pd.Series([text])).tolist() == [bool(find_probable(text))]


def test_prefilter_scan_covers_every_code_point() -> None:
    """The fast scan (decomposable characters of planes 0-1 only) finds what normalising all of Unicode finds."""
    assert mynumber.nfkc_sources() == mynumber.nfkc_sources_by_scan()


_ranges = st.lists(st.tuples(st.integers(0, 80), st.integers(0, 30)).map(lambda r: (r[0], r[0] + r[1])), max_size=4)


@given(st.integers(0, 100), _ranges)
def test_scan_yields_each_code_point_outside_the_skipped_ranges_once(limit: int, skip: list[tuple[int, int]]) -> None:
    """The prefilter's scan visits every code point below the limit once, in order, except the skipped ranges."""
    expected = [cp for cp in range(limit) if not any(lo <= cp <= hi for lo, hi in skip)]
    assert list(mynumber._scan(limit, tuple(skip))) == expected
