"""検証番号 of 公費負担者番号 / 受給者番号 / 保険者番号 (jp-rules §1)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from handoff.errors import HandoffError, InputError
from handoff.jp.checkdigit import check_digit, is_valid_jukyusha, is_valid_kouhi

digits = st.text(alphabet="0123456789", min_size=1, max_size=12)


@pytest.mark.parametrize("number", ["88134457", "54016027", "33120015", "01040013"])
def test_published_valid_numbers(number: str) -> None:
    """The published correct numbers (東京都 マル子 88134457, 法別54, two 保険者番号) are valid."""
    assert is_valid_kouhi(number)


def test_published_misprint_is_invalid() -> None:
    """88134458, misprinted on about 1,300 certificates in Tokyo, fails the check."""
    assert not is_valid_kouhi("88134458")


def test_check_digit_of_published_body() -> None:
    """The rule worked by hand on 8813445: weighted digit sum 33, so the check digit is 10 - 3 = 7."""
    assert check_digit("8813445") == "7"


def test_leading_zero_is_data() -> None:
    """01040013 keeps its leading 0: dropping it leaves 7 digits, which is not a valid 8-digit number."""
    assert is_valid_kouhi("01040013")
    assert not is_valid_kouhi("1040013")


def test_full_width_digits_after_nfkc() -> None:
    """Full-width digits from host exports are read after NFKC."""
    assert is_valid_kouhi("８８１３４４５７")
    assert not is_valid_kouhi("８８１３４４５８")


@pytest.mark.parametrize(
    "number",
    ["", "8813445", "881344570", "8813445a", " 88134457", "88134457 ", "8813-4457", "٨٨١٣٤٤٥٧", "88134457\n"],
)
def test_wrong_length_or_non_digits_are_invalid(number: str) -> None:
    """Wrong length, letters, blanks, separators or non-ASCII digit systems make the number invalid."""
    assert not is_valid_kouhi(number)


def test_jukyusha_uses_seven_digits() -> None:
    """受給者番号: the same rule over a 6-digit body, so 7 digits; an 8-digit 公費負担者番号 is rejected."""
    # body 813445 by hand: 5×2→1, 4, 4×2=8, 3, 1×2=2, 8 → 26, so the check digit is 10 - 6 = 4
    assert is_valid_jukyusha("8134454")
    assert not is_valid_jukyusha("8134457")
    assert not is_valid_jukyusha("88134457")
    assert is_valid_kouhi("8134454", length=7)


def test_check_digit_rejects_non_digits_without_echoing_value() -> None:
    """A non-digit body raises InputError jp.checkdigit_body naming its length; the message never shows the value."""
    with pytest.raises(InputError) as info:
        check_digit("12x4")
    assert info.value.code == "jp.checkdigit_body"
    assert info.value.params == {"length": 4}  # the message names the body's length, not its characters
    assert "12x4" not in str(info.value)
    assert "12x4" not in info.value.message("en")


@given(digits)
def test_agrees_with_luhn(body: str) -> None:
    """The rule is the Luhn scheme: python-stdnum's independent Luhn implementation agrees on every body."""
    assert check_digit(body) == luhn.calc_check_digit(body)


@given(digits.filter(lambda b: len(b) >= 1))
def test_exactly_one_check_digit_is_valid(body: str) -> None:
    """For every body exactly one of the ten possible last digits makes a valid number."""
    n = len(body) + 1
    assert sum(is_valid_kouhi(body + d, length=n) for d in "0123456789") == 1


@given(digits, st.data())
def test_single_digit_errors_are_detected(body: str, data: st.DataObject) -> None:
    """Changing any one body digit always invalidates the number (digit-sum of 2d is a permutation)."""
    number = body + check_digit(body)
    i = data.draw(st.integers(0, len(body) - 1))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != body[i]]))
    assert not is_valid_kouhi(number[:i] + new + number[i + 1 :], length=len(number))


@given(st.text(alphabet="0123456789", min_size=2, max_size=12), st.data())
def test_adjacent_transpositions_are_detected(body: str, data: st.DataObject) -> None:
    """Swapping two adjacent different body digits is detected, except the Luhn blind spot 09 <-> 90."""
    i = data.draw(st.integers(0, len(body) - 2))
    a, b = body[i], body[i + 1]
    if a == b or {a, b} == {"0", "9"}:
        return
    swapped = body[:i] + b + a + body[i + 2 :]
    number = swapped + check_digit(body)
    assert not is_valid_kouhi(number, length=len(number))


@given(digits)
def test_leading_zeros_do_not_change_the_check_digit(body: str) -> None:
    """Weights count from the last digit, so leading zeros never change the check digit."""
    assert check_digit("00" + body) == check_digit(body)


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Eight digits (a valid number about one time in ten), or seven or nine, some written full width, now and then with one character
# from anywhere inserted; and any text at all.
_NEAR_NUMBERS = st.tuples(st.one_of(st.from_regex(r"[0-9]{8}", fullmatch=True),
                                    st.from_regex(r"[0-9]{7}|[0-9]{9}", fullmatch=True)), st.booleans(),
                          st.one_of(st.just(""), st.characters()), st.integers(0, 8)).map(
    lambda t: (t[0].translate(_FULL_WIDTH) if t[1] else t[0])[: t[3]] + t[2] + t[0][t[3]:])


@given(st.one_of(st.text(max_size=10), _NEAR_NUMBERS))
def test_any_text_is_valid_exactly_when_it_is_eight_digits_passing_luhn(text: str) -> None:
    """is_valid_kouhi never raises and is True exactly for NFKC text of 8 digits passing Luhn (python-stdnum)."""
    nfkc = unicodedata.normalize("NFKC", text)
    expected = len(nfkc) == 8 and nfkc.isascii() and nfkc.isdigit() and luhn.is_valid(nfkc)
    try:
        assert is_valid_kouhi(text) is expected
    except HandoffError:  # pragma: no cover - would be a bug
        pytest.fail("is_valid_kouhi raised")
