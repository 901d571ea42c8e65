"""和暦 parsing and formatting (jp-rules §3)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.errors import ConfigError, InputError
from handoff.jp import wareki
from handoff.jp.wareki import format_wareki, parse, parse_with_warning, to_date

D = dt.date


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("4250401", "wareki_digit", D(2013, 4, 1)),
        ("R070401", "wareki_letter", D(2025, 4, 1)),
        ("r070401", "wareki_letter", D(2025, 4, 1)),
        ("H31.4.30", "wareki_dotted", D(2019, 4, 30)),
        ("R7.4.1", "wareki_dotted", D(2025, 4, 1)),
        ("令和元年5月1日", "wareki_kanji", D(2019, 5, 1)),
        ("平成三十一年四月三十日", "wareki_kanji", D(2019, 4, 30)),
        ("令和７年４月１日", "wareki_kanji", D(2025, 4, 1)),
        ("20250401", "yyyymmdd", D(2025, 4, 1)),
        ("2025-04-01", "iso", D(2025, 4, 1)),
        ("2025/4/1", "iso", D(2025, 4, 1)),
    ],
)
def test_published_examples(text: str, fmt: str, expected: dt.date) -> None:
    """Every encoding named in jp-rules §3 reads as the stated date, both declared and with to_date."""
    assert parse(text, fmt) == expected
    assert parse(text, "any") == expected
    assert to_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("明治45年7月30日", D(1912, 7, 30)),
        ("大正元年7月30日", D(1912, 7, 30)),
        ("大正15年12月25日", D(1926, 12, 25)),
        ("昭和元年12月25日", D(1926, 12, 25)),
        ("1450730", D(1912, 7, 30)),
        ("2010730", D(1912, 7, 30)),
        ("2151225", D(1926, 12, 25)),
        ("3011225", D(1926, 12, 25)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("明治元年1月25日", D(1868, 1, 25)),
    ],
)
def test_era_boundaries_and_overlap_days(text: str, expected: dt.date) -> None:
    """1912-07-30 and 1926-12-25 are valid in both adjacent eras; each era's first and last day are valid."""
    assert to_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "昭和64年1月8日",
        "3640108",
        "平成元年1月7日",
        "4010107",
        "令和元年4月30日",
        "R010430",
        "大正元年7月29日",
        "明治元年1月24日",
        "S64.1.8",
    ],
)
def test_dates_outside_their_era_are_errors(text: str) -> None:
    """昭和64年1月8日, 平成元年1月7日 and other days outside the era's period raise jp.date_era_range."""
    with pytest.raises(InputError) as info:
        to_date(text)
    assert info.value.code == "jp.date_era_range"


@pytest.mark.parametrize(
    ("text", "expected", "warn"),
    [
        ("平成31年4月30日", D(2019, 4, 30), False),
        ("平成31年5月1日", D(2019, 5, 1), True),
        ("平成32年1月1日", D(2020, 1, 1), True),
        ("4320101", D(2020, 1, 1), True),
        ("H37.4.1", D(2025, 4, 1), True),
        ("令和元年5月1日", D(2019, 5, 1), False),
    ],
)
def test_heisei_after_its_end_is_accepted_with_warning(text: str, expected: dt.date, warn: bool) -> None:
    """平成 dates after 2019-04-30 stay valid (2019 guidance) and are flagged for a warning."""
    assert parse_with_warning(text, "any") == (expected, warn)


@pytest.mark.parametrize(
    "text",
    [
        "令和7年2月29日",
        "5070229",
        "R070229",
        "R000401",
        "5000401",
        "令和0年4月1日",
        "5071301",
        "R7.13.1",
        "5070431",
        "20250230",
        "2025-02-29",
        "00000000",
    ],
)
def test_impossible_dates_are_errors(text: str) -> None:
    """Impossible dates (29 Feb of a common year, era year 0, month 13, 31 April, 0000000) raise."""
    with pytest.raises(InputError) as info:
        to_date(text)
    assert info.value.code == "jp.date_impossible"


@pytest.mark.parametrize("text", ["0000000", "9999999", "00000000", "99999999", "0000-00-00"])
def test_sentinels_are_not_special_cased(text: str) -> None:
    """Sentinels such as 0000000 are the caller's business: here they raise like any invalid date."""
    with pytest.raises(InputError):
        to_date(text)


def test_leap_day_of_a_leap_year_is_valid() -> None:
    """令和6年 is 2024, a leap year: 令和6年2月29日 exists (contrast with 令和7年2月29日)."""
    assert to_date("令和6年2月29日") == D(2024, 2, 29)
    assert to_date("R060229") == D(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "9999999",
        "6070401",
        "X070401",
        "4250401 1",
        "R7-4.1",
        "2025-4/1",
        "平成31年",
        "",
        "   ",
        "令和七十七十年1月1日",
        "2025.04.01",
    ],
)
def test_unknown_shapes_are_format_errors(text: str) -> None:
    """Values matching none of the formats (unknown era code 6/9/X, mixed separators, partial) raise."""
    with pytest.raises(InputError) as info:
        to_date(text)
    assert info.value.code == "jp.date_format"


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("4250401", "wareki_letter"),
        ("R070401", "wareki_digit"),
        ("20250401", "iso"),
        ("2025-04-01", "yyyymmdd"),
        ("H31.4.30", "wareki_kanji"),
        ("平成31年4月30日", "wareki_dotted"),
    ],
)
def test_declared_format_is_enforced(text: str, fmt: str) -> None:
    """A declared format accepts only its own shape, even when another format would read the value."""
    with pytest.raises(InputError):
        parse(text, fmt)


def test_unknown_format_name_is_a_config_error() -> None:
    """An unknown format name is a configuration error, not an input error."""
    with pytest.raises(ConfigError) as info:
        parse("20250401", "gyymmdd")
    assert info.value.code == "jp.date_format_unknown"


@pytest.mark.parametrize("text", ["R070229", "令和7年2月29日", "昭和64年1月8日", "19xx"])
def test_messages_never_contain_the_value(text: str) -> None:
    """Error messages in both languages name the rule and format, never the value itself."""
    with pytest.raises(InputError) as info:
        to_date(text)
    for lang in ("ja", "en"):
        message = info.value.message(lang)
        assert text not in message
        assert "{" not in message  # every placeholder was filled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("㍻31年4月30日", D(2019, 4, 30)),
        ("㋿元年5月1日", D(2019, 5, 1)),
        ("令和 7年 4月 1日", D(2025, 4, 1)),
        (" 4250401 ", D(2013, 4, 1)),
        ("\u30004250401", D(2013, 4, 1)),
        ("Ｒ０７０４０１", D(2025, 4, 1)),
        ("令和七年十二月二十五日", D(2025, 12, 25)),
        ("令和十年十月十日", D(2028, 10, 10)),
        ("h31.4.30", D(2019, 4, 30)),
    ],
)
def test_compatibility_forms_read_after_nfkc(text: str, expected: dt.date) -> None:
    """NFKC turns era squares (㍻ ㋿) and full-width forms into plain ones; surrounding blanks are ignored."""
    assert to_date(text) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 4, 1), "令和7年4月1日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(1926, 12, 25), "昭和元年12月25日"),
        (D(1912, 7, 30), "大正元年7月30日"),
        (D(1912, 7, 29), "明治45年7月29日"),
        (D(1868, 1, 25), "明治元年1月25日"),
    ],
)
def test_format_wareki(day: dt.date, expected: str) -> None:
    """令和7年4月1日 style with 元年 for year 1; an overlap day is written in the new era."""
    assert format_wareki(day) == expected


def test_format_before_meiji_raises() -> None:
    """There is no era in the table before 明治元年1月25日 (1868-01-25)."""
    with pytest.raises(InputError):
        format_wareki(D(1868, 1, 24))


dates = st.dates(min_value=D(1868, 1, 25), max_value=D(2099, 12, 31))


def _kanji(n: int) -> str:
    """1–99 the way a person writes it: 五, 十, 十二, 二十, 三十一."""
    d = "〇一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else d[tens]) + "十" if tens else "") + (d[ones] if ones else "")


def _kanji_year(y: int) -> str:
    return "元" if y == 1 else _kanji(y)


def _eras_for(day: dt.date) -> list[wareki.Era]:
    return [e for e in wareki.ERAS if e.first <= day and (e.last is None or day <= e.last)]


@given(dates)
def test_every_date_round_trips_through_all_wareki_forms(day: dt.date) -> None:
    """Any day, written in each era containing it (digit, letter, dotted, kanji), reads back unchanged."""
    for era in _eras_for(day):
        y = day.year - era.offset
        if y > 99:  # two-digit era years only; 明治 ended in year 45
            continue
        forms = {
            "wareki_digit": f"{era.code}{y:02d}{day.month:02d}{day.day:02d}",
            "wareki_letter": f"{era.letter}{y:02d}{day.month:02d}{day.day:02d}",
            "wareki_dotted": f"{era.letter}{y}.{day.month}.{day.day}",
            "wareki_kanji": f"{era.name}{_kanji_year(y)}年{_kanji(day.month)}月{_kanji(day.day)}日",
        }
        for fmt, text in forms.items():
            assert parse_with_warning(text, fmt) == (day, False)
            assert to_date(text) == day


@given(dates)
def test_format_wareki_round_trips(day: dt.date) -> None:
    """format_wareki output parses back to the same day as wareki_kanji."""
    assert parse(format_wareki(day), "wareki_kanji") == day


@given(st.dates(min_value=D(1000, 1, 1)))
def test_gregorian_forms_round_trip(day: dt.date) -> None:
    """YYYYMMDD and ISO (zero-padded or not, - or /) read back any day."""
    assert parse(day.strftime("%Y%m%d"), "yyyymmdd") == day
    assert parse(day.isoformat(), "iso") == day
    assert to_date(f"{day.year:04d}/{day.month}/{day.day}") == day


# Per era code of the GYYMMDD form: Gregorian year = offset + era year, first and last day (jp-rules §3). A 平成
# date after its last day is still read (and warned about), so its last day bounds nothing here.
ERA_TABLE = {"1": (1867, D(1868, 1, 25), D(1912, 7, 30)), "2": (1911, D(1912, 7, 30), D(1926, 12, 25)),
             "3": (1925, D(1926, 12, 25), D(1989, 1, 7)), "4": (1988, D(1989, 1, 8), D.max),
             "5": (2018, D(2019, 5, 1), D.max)}
ERA_LETTER = {"M": "1", "T": "2", "S": "3", "H": "4", "R": "5"}
DATE_REFUSALS = {"jp.date_format", "jp.date_impossible", "jp.date_era_range"}
_BLANK = st.sampled_from(["", " ", "\u3000"])
# Era, year and a real month and day (of a common year), so that most of them are dates; and any digits.
_SPELLED = st.builds(lambda era, year, day: f"{era}{year:02d}{day:%m%d}", st.sampled_from("12345MTSHRh"),
                     st.integers(0, 70), st.dates(min_value=D(2001, 1, 1), max_value=D(2001, 12, 31)))
_DIGITS = st.from_regex(r"[0-9MTSHRmtshr][0-9]{6}|[0-9]{8}", fullmatch=True)
_DIGIT_FORMS = st.tuples(_BLANK, st.one_of(_SPELLED, _DIGITS), _BLANK).map("".join)



def _spelled(body: str) -> dt.date | str | None:
    """What GYYMMDD or YYYYMMDD ``body`` must give: the day, or the refusal's code; None for other text."""
    if not (body.isascii() and len(body) in (7, 8) and body[1:].isdigit()):
        return None
    if len(body) == 8:
        if not body.isdigit():
            return "jp.date_format"
        year, era = int(body[:4]), None
    else:
        era = ERA_TABLE.get(ERA_LETTER.get(body[0].upper(), body[0]))
        if era is None:
            return "jp.date_format"
        if body[1:3] == "00":
            return "jp.date_impossible"
        year = era[0] + int(body[1:3])
    try:
        day = D(year, int(body[-4:-2]), int(body[-2:]))
    except ValueError:
        return "jp.date_impossible"
    return day if era is None or era[1] <= day <= era[2] else "jp.date_era_range"


@given(st.one_of(st.text(max_size=12), _DIGIT_FORMS))
def test_arbitrary_text_gives_the_date_it_spells_or_a_documented_refusal(text: str) -> None:
    """to_date gives the day GYYMMDD/YYYYMMDD text spells, else a documented date code whose message hides the text."""
    body = text.strip(" \u3000")
    expected = _spelled(body)
    try:
        day = to_date(text)
    except InputError as err:
        assert err.code in DATE_REFUSALS and expected in (None, err.code)
        for lang in ("ja", "en"):
            shown = err.message(lang)
            assert "{" not in shown and (len(body) < 4 or body not in shown)
        return
    assert expected in (None, day)
    assert isinstance(day, dt.date)


@pytest.mark.parametrize("code", sorted(ERA_TABLE))
@given(data=st.data())
def test_a_day_of_an_era_reads_back_from_its_digits(code: str, data: st.DataObject) -> None:
    """Any day of an era, written GYYMMDD with the era's digit or letter, reads back as that day."""
    offset, first, last = ERA_TABLE[code]
    last = D(2019, 4, 30) if code == "4" else min(last, D(offset + 99, 12, 31))
    day = data.draw(st.dates(min_value=first, max_value=last))
    letter = next(k for k, v in ERA_LETTER.items() if v == code)
    for era in (code, letter, letter.lower()):
        assert to_date(f"{era}{day.year - offset:02d}{day:%m%d}") == day
