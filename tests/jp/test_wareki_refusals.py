"""和暦 kanji numerals and the parameters of each date refusal (jp-rules §3, handoff/messages/jp.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from handoff.errors import InputError
from handoff.jp.wareki import parse, parse_with_warning, to_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和七年一二月二五日", D(2025, 12, 25)),  # 一二 = 12, 二五 = 25, digit by digit
        ("平成二〇年四月一〇日", D(2008, 4, 10)),
        ("令和二年二月二九日", D(2020, 2, 29)),
        ("昭和六四年一月七日", D(1989, 1, 7)),
        ("令和九十九年一月一日", D(2117, 1, 1)),  # 99, the largest two-digit era year
    ],
)
def test_positional_kanji_numerals(text: str, expected: dt.date) -> None:
    """Kanji digits written positionally (二〇, 一二, 二五) read as the two-digit number they spell."""
    assert parse(text, "wareki_kanji") == expected


@pytest.mark.parametrize(
    "text",
    [
        "令和十十年1月1日",  # 十 twice
        "令和二十十年1月1日",
        "令和二二十年1月1日",  # two digits before 十
        "令和7年十二三月1日",  # two digits after 十
        "令和〇十五年1月1日",  # 〇 as the tens of a 十 form
        "令和7年4月十〇日",  # 〇 as the ones of a 十 form (十 alone is 10)
        "令和7年4月二十〇日",
        "令和一〇〇年1月1日",  # three positional digits: not an era year of one or two digits
        "令和7年4月一〇〇一日",
    ],
)
def test_malformed_kanji_numerals_are_format_errors(text: str) -> None:
    """A kanji numeral that is not 1–99 written the usual or the positional way is jp.date_format for the kanji form."""
    with pytest.raises(InputError) as info:
        to_date(text)
    assert info.value.code == "jp.date_format"
    assert info.value.params == {"fmt": "wareki_kanji"}
    for lang in ("ja", "en"):
        assert "wareki_kanji" in info.value.message(lang)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("R000401", "wareki_letter"),  # era year 0
        ("5000401", "wareki_digit"),
        ("R070229", "wareki_letter"),  # 29 February of a common year
        ("R7.13.1", "wareki_dotted"),
        ("令和7年2月29日", "wareki_kanji"),
        ("20250230", "yyyymmdd"),
    ],
)
def test_impossible_dates_name_the_format_that_read_them(text: str, fmt: str) -> None:
    """jp.date_impossible names the format whose shape the value has (read as "any" or declared)."""
    for declared in ("any", fmt):
        with pytest.raises(InputError) as info:
            parse(text, declared)
        assert info.value.code == "jp.date_impossible"
        assert info.value.params == {"fmt": fmt}


@pytest.mark.parametrize(
    ("text", "params"),
    [
        ("昭和64年1月8日", {"era": "昭和", "era_en": "Showa", "first": "1926-12-25", "last": "1989-01-07"}),
        ("平成元年1月7日", {"era": "平成", "era_en": "Heisei", "first": "1989-01-08", "last": "2019-04-30"}),
        ("M450731", {"era": "明治", "era_en": "Meiji", "first": "1868-01-25", "last": "1912-07-30"}),
        ("2010729", {"era": "大正", "era_en": "Taisho", "first": "1912-07-30", "last": "1926-12-25"}),
        ("R010430", {"era": "令和", "era_en": "Reiwa", "first": "2019-05-01", "last": ""}),
    ],
)
def test_era_range_refusal_names_the_era_and_its_period(text: str, params: dict[str, str]) -> None:
    """jp.date_era_range names the era (ja and romaji) and its first and last day (jp-rules §3); 令和 has no last."""
    with pytest.raises(InputError) as info:
        to_date(text)
    assert info.value.code == "jp.date_era_range"
    assert info.value.params == params
    assert f"（{params['first']}〜{params['last']}）" in info.value.message("ja")
    assert f"{params['era_en']} ({params['first']} to {params['last']})" in info.value.message("en")


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("20250401", "yyyymmdd", D(2025, 4, 1)),
        ("2019-05-01", "iso", D(2019, 5, 1)),
        ("2030/1/1", "iso", D(2030, 1, 1)),
        ("R070401", "wareki_letter", D(2025, 4, 1)),
        ("昭和64年1月7日", "wareki_kanji", D(1989, 1, 7)),
    ],
)
def test_only_heisei_after_its_end_warns(text: str, fmt: str, expected: dt.date) -> None:
    """The warning flag is for 平成 dates after 2019-04-30 only: Gregorian and other era dates never warn."""
    assert parse_with_warning(text, fmt) == (expected, False)
    assert parse_with_warning(text, "any") == (expected, False)
