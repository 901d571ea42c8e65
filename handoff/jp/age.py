"""Ages per 年齢計算ニ関スル法律 and 民法 第143条: an age is reached at the end of the day before the
birthday.

So the legal "date of reaching age n" (n歳に達する日) is the day before the n-th birthday, and someone born
on 1 April reaches 6 (or 18) on 31 March, one school year ahead of someone born on 2 April. For a
29 February birth the period ends on the day before the 応当日 (28 February), or, in a year with no
29 February, on the last day of the month — 28 February either way.
"""

from __future__ import annotations

import datetime as dt

from handoff.errors import InputError

_ONE_DAY = dt.timedelta(days=1)


def reaches_age_on(birth: dt.date, age: int) -> dt.date:
    """The day someone born on ``birth`` reaches ``age`` (n歳に達する日): the day before the birthday."""
    if age < 0:
        raise InputError("jp.age_negative")
    year = birth.year + age
    if birth.month == 2 and birth.day == 29:
        return dt.date(year, 2, 28)
    return dt.date(year, birth.month, birth.day) - _ONE_DAY


def age_on(birth: dt.date, on: dt.date) -> int:
    """The legal age on ``on``: the number of ages n ≥ 1 whose reaching day is on or before ``on``."""
    if on < birth:
        raise InputError("jp.age_before_birth")
    # Reaching n happens in year birth.year + n, or in the year before for a 1 January birth; so the answer is
    # one of two candidates.
    age = on.year - birth.year + 1
    while age > 0 and (birth.year + age > dt.MAXYEAR or reaches_age_on(birth, age) > on):
        age -= 1
    return age


def child_medical_end(birth: dt.date, age: int = 18) -> dt.date:
    """Last day of 子ども医療証 cover: the first 31 March on or after the day of reaching ``age``.

    (「18歳に達する日以後の最初の3月31日まで」)
    """
    reached = reaches_age_on(birth, age)
    march_31 = dt.date(reached.year, 3, 31)
    return march_31 if reached <= march_31 else dt.date(reached.year + 1, 3, 31)
