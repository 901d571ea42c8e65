"""Ages per 年齢計算ニ関スル法律: an age is reached at the end of the day before the birthday."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from handoff.errors import InputError
from handoff.jp import age as age_module
from handoff.jp.age import age_on, child_medical_end, reaches_age_on

D = dt.date
ONE = dt.timedelta(days=1)
births = st.dates(min_value=D(1900, 1, 1), max_value=D(2030, 12, 31))


def test_reaching_age_is_the_day_before_the_birthday() -> None:
    """Born 2008-04-02: reaches 18 on 2026-04-01 (the day before the 18th birthday)."""
    assert reaches_age_on(D(2008, 4, 2), 18) == D(2026, 4, 1)
    assert reaches_age_on(D(2008, 4, 1), 18) == D(2026, 3, 31)


def test_school_year_boundary_for_child_medical_cover() -> None:
    """Born 1 April: covered until 31 March of the year of turning 18; born 2 April: one year longer."""
    assert child_medical_end(D(2008, 4, 1)) == D(2026, 3, 31)
    assert child_medical_end(D(2008, 4, 2)) == D(2027, 3, 31)
    assert child_medical_end(D(2008, 3, 31)) == D(2026, 3, 31)


@pytest.mark.parametrize(
    ("birth", "school_start"),
    [(D(2019, 4, 1), D(2025, 4, 1)), (D(2019, 4, 2), D(2026, 4, 1)), (D(2020, 3, 31), D(2026, 4, 1))],
)
def test_school_entry_rule(birth: dt.date, school_start: dt.date) -> None:
    """学校教育法 第17条: school starts in the first school year after reaching 6 (早生まれ up to 1 April)."""
    reached = reaches_age_on(birth, 6)
    april_1 = D(reached.year, 4, 1)
    assert (april_1 if reached < april_1 else D(reached.year + 1, 4, 1)) == school_start


@pytest.mark.parametrize(
    ("birth", "age", "expected"),
    [
        (D(2008, 2, 29), 18, D(2026, 2, 28)),
        (D(2008, 2, 29), 16, D(2024, 2, 28)),
        (D(2008, 2, 29), 1, D(2009, 2, 28)),
    ],
)
def test_leap_day_births_reach_age_on_28_february(birth: dt.date, age: int, expected: dt.date) -> None:
    """Born 29 February: the age is reached on 28 February, in leap and common years alike."""
    assert reaches_age_on(birth, age) == expected


def test_leap_day_birth_child_medical_end() -> None:
    """Born 2008-02-29 reaches 18 on 2026-02-28, so cover ends on 2026-03-31."""
    assert child_medical_end(D(2008, 2, 29)) == D(2026, 3, 31)


def test_first_of_january_birth_reaches_age_in_the_previous_year() -> None:
    """Born 1 January: the day before the birthday is 31 December of the previous year."""
    assert reaches_age_on(D(2000, 1, 1), 1) == D(2000, 12, 31)
    assert age_on(D(2000, 1, 1), D(2000, 12, 31)) == 1
    assert age_on(D(2000, 1, 1), D(2000, 12, 30)) == 0
    assert child_medical_end(D(2000, 1, 1)) == D(2018, 3, 31)


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (D(1948, 9, 16), D(2025, 9, 15), 77),  # reaches 77 on 2025-09-15
        (D(1948, 9, 17), D(2025, 9, 15), 76),
        (D(1948, 9, 15), D(2025, 9, 15), 77),
        (D(1948, 2, 29), D(2025, 2, 28), 77),
        (D(1948, 2, 29), D(2025, 2, 27), 76),
    ],
)
def test_keirokai_age_77(birth: dt.date, on: dt.date, expected: int) -> None:
    """敬老会 (77 and over on the reference date): counted from the day before the 77th birthday."""
    assert age_on(birth, on) == expected


def test_age_on_birth_day_is_zero() -> None:
    """On the day of birth the age is 0."""
    assert age_on(D(2020, 6, 1), D(2020, 6, 1)) == 0


def test_invalid_arguments_raise_input_error() -> None:
    """A reference date before birth or a negative age raises InputError (no value in the message)."""
    with pytest.raises(InputError) as info:
        age_on(D(2020, 6, 2), D(2020, 6, 1))
    assert info.value.code == "jp.age_before_birth"
    assert "2020" not in info.value.message("en")
    with pytest.raises(InputError):
        reaches_age_on(D(2020, 6, 2), -1)


def _completed_years(birth: dt.date, day: dt.date) -> int:
    """Birthdays that have begun by ``day``; a 29 February birthday begins on 1 March in common years."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@given(births, st.dates(min_value=D(1900, 1, 1), max_value=D(2150, 12, 30)))
def test_age_on_matches_the_day_after_rule(birth: dt.date, day: dt.date) -> None:
    """age_on(b, d) equals the birthdays begun by d + 1 day: the age rises at the end of the previous day."""
    assume(day >= birth)
    assert age_on(birth, day) == _completed_years(birth, day + ONE)


@given(births, st.integers(1, 110))
def test_reaching_day_is_the_first_day_of_that_age(birth: dt.date, age: int) -> None:
    """On reaches_age_on(b, n) the age is n; on the day before it is n - 1."""
    day = reaches_age_on(birth, age)
    assert age_on(birth, day) == age
    assert age_on(birth, day - ONE) == age - 1


@given(births, st.integers(1, 30))
def test_child_medical_end_is_the_first_31_march_on_or_after(birth: dt.date, age: int) -> None:
    """The end is a 31 March, not before the reaching day, and less than a year after it."""
    end = child_medical_end(birth, age)
    reached = reaches_age_on(birth, age)
    assert (end.month, end.day) == (3, 31)
    assert reached <= end < reached + dt.timedelta(days=366)


@given(births, st.dates(min_value=D(1900, 1, 1), max_value=D(2150, 12, 31)))
def test_age_is_monotonic(birth: dt.date, day: dt.date) -> None:
    """Age never decreases from one day to the next and rises by at most one."""
    assume(day > birth)
    assert age_on(birth, day) - age_on(birth, day - ONE) in (0, 1)


def test_age_zero_is_not_a_negative_age() -> None:
    """Only a negative age is refused (jp.age_negative); age 0 is reached the day before the day of birth."""
    assert reaches_age_on(D(2020, 6, 2), 0) == D(2020, 6, 1)
    with pytest.raises(InputError) as info:
        reaches_age_on(D(2020, 6, 2), -1)
    assert info.value.code == "jp.age_negative"


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (D.min, D.min, 0),  # 0001-01-01: the first day datetime holds
        (D.min, D(1, 12, 30), 0),
        (D.min, D(1, 12, 31), 1),  # born 1 January: reaches 1 on 31 December of the same year
        (D(2000, 1, 1), D(9998, 12, 31), 7999),  # reaches 7999 on the day before 9999-01-01
        (D(2000, 6, 1), D(9999, 5, 30), 7998),
        (D(2000, 6, 1), D(9999, 5, 31), 7999),  # reaches 7999 on 9999-05-31
        (D(2000, 6, 1), D.max, 7999),  # the 8000th birthday would fall after 9999: no such date
    ],
)
def test_age_on_at_the_ends_of_the_calendar(birth: dt.date, on: dt.date, expected: int) -> None:
    """age_on answers for any pair of dates datetime holds, years 1 to 9999, without an overflow."""
    assert age_on(birth, on) == expected


@given(births, st.dates(min_value=D(1900, 1, 1), max_value=D(2150, 12, 30)))
def test_age_on_tries_only_the_ages_reachable_that_year(birth: dt.date, day: dt.date) -> None:
    """age_on tries only the ages reachable in the reference year (y - 1, y, or y + 1 for a 1 January birth)."""
    assume(day >= birth)
    tried: list[int] = []

    def counting(b: dt.date, n: int) -> dt.date:
        tried.append(n)
        return reaches_age_on(b, n)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(age_module, "reaches_age_on", counting)
        assert age_on(birth, day) == _completed_years(birth, day + ONE)
    # y = on.year - birth.year; counting down from y + 1 reaches the answer in at most three tries.
    assert len(tried) <= 3
