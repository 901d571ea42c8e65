"""Date text in the host formats, written independently of handoff.jp.wareki (which tests read it back)."""

from __future__ import annotations

import datetime as dt

# (digit code, letter, kanji, first day, Gregorian offset)
ERAS = (
    ("5", "R", "令和", dt.date(2019, 5, 1), 2018),
    ("4", "H", "平成", dt.date(1989, 1, 8), 1988),
    ("3", "S", "昭和", dt.date(1926, 12, 25), 1925),
    ("2", "T", "大正", dt.date(1912, 7, 30), 1911),
    ("1", "M", "明治", dt.date(1868, 1, 25), 1867),
)


def _era(day: dt.date) -> tuple[str, str, str, int]:
    for digit, letter, kanji, first, offset in ERAS:
        if day >= first:
            return digit, letter, kanji, day.year - offset
    raise ValueError("before 明治")


def write(day: dt.date, fmt: str) -> str:
    if fmt in ("iso", "any"):
        return day.isoformat()
    if fmt == "yyyymmdd":
        return f"{day:%Y%m%d}"
    digit, letter, kanji, year = _era(day)
    if fmt == "wareki_digit":
        return f"{digit}{year:02d}{day.month:02d}{day.day:02d}"
    if fmt == "wareki_letter":
        return f"{letter}{year:02d}{day.month:02d}{day.day:02d}"
    if fmt == "wareki_dotted":
        return f"{letter}{year}.{day.month}.{day.day}"
    return f"{kanji}{'元' if year == 1 else year}年{day.month}月{day.day}日"


def heisei_late(fmt: str) -> str:
    """平成31年5月1日 — legally valid after the era change, reported as a warning."""
    return {"wareki_digit": "4310501", "wareki_letter": "H310501", "wareki_kanji": "平成31年5月1日",
            "wareki_dotted": "H31.5.1"}.get(fmt, "")


def impossible(fmt: str) -> str:
    """令和7年2月29日 does not exist."""
    return {"wareki_digit": "5070229", "wareki_letter": "R070229", "wareki_kanji": "令和7年2月29日",
            "wareki_dotted": "R7.2.29", "iso": "2025-02-29", "yyyymmdd": "20250229"}[fmt]


def reaches(birth: dt.date, years: int) -> dt.date:
    """The day one reaches ``years`` (the day before the birthday; 29 Feb births count from 1 March)."""
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:
        birthday = dt.date(birth.year + years, 3, 1)
    return birthday - dt.timedelta(days=1)
