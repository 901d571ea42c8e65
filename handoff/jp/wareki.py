"""和暦 (Japanese era dates) as found in host exports, to and from ``datetime.date``.

A table and ``datetime.date`` instead of japanera/jeraconv: japanera rejects the overlap days and starts
明治 on another day, jeraconv is unmaintained (shared/reference/jp-rules.md §3). Formats are declared per
column in the programme file, never guessed; ``any`` exists for ad-hoc input.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from handoff.errors import ConfigError, InputError


@dataclass(frozen=True, slots=True)
class Era:
    code: str  # digit used by GYYMMDD exports
    letter: str
    name: str
    romaji: str
    first: dt.date
    last: dt.date | None  # None: the current era
    offset: int  # Gregorian year = offset + era year


# Dates before 明治6年 (1873) were lunisolar; like every converter we compute them proleptically. No recipient
# alive was born then, and the table's first day follows jp-rules §3.
ERAS: tuple[Era, ...] = (
    Era("1", "M", "明治", "Meiji", dt.date(1868, 1, 25), dt.date(1912, 7, 30), 1867),
    Era("2", "T", "大正", "Taisho", dt.date(1912, 7, 30), dt.date(1926, 12, 25), 1911),
    Era("3", "S", "昭和", "Showa", dt.date(1926, 12, 25), dt.date(1989, 1, 7), 1925),
    Era("4", "H", "平成", "Heisei", dt.date(1989, 1, 8), dt.date(2019, 4, 30), 1988),
    Era("5", "R", "令和", "Reiwa", dt.date(2019, 5, 1), None, 2018),
)
_HEISEI = ERAS[3]
_BY_KEY: dict[str, Era] = {k: e for e in ERAS for k in (e.code, e.letter, e.letter.lower(), e.name)}

FORMATS = ("wareki_digit", "wareki_letter", "wareki_dotted", "wareki_kanji", "yyyymmdd", "iso", "any")

_KANJI_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KNUM = "[〇一二三四五六七八九十]{1,4}"
_NUM = rf"[0-9]{{1,2}}|{_KNUM}"

# Each pattern yields named groups era/y/m/d (or y/m/d for Gregorian forms).
_PATTERNS: dict[str, re.Pattern[str]] = {
    "wareki_digit": re.compile(r"(?P<era>[1-5])(?P<y>[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
    "wareki_letter": re.compile(r"(?P<era>[MTSHRmtshr])(?P<y>[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
    # One separator, used twice (H31.4.30; H31/4/30 also seen). 元 for year 1 appears in hand-typed data.
    "wareki_dotted": re.compile(
        r"(?P<era>[MTSHRmtshr])\s*(?P<y>[0-9]{1,2}|元)(?P<sep>[./-])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    ),
    "wareki_kanji": re.compile(
        rf"(?P<era>明治|大正|昭和|平成|令和)\s*(?P<y>{_NUM}|元)\s*年\s*(?P<m>{_NUM})\s*月\s*(?P<d>{_NUM})\s*日"
    ),
    "yyyymmdd": re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})"),
    "iso": re.compile(r"(?P<y>[0-9]{4})(?P<sep>[-/])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"),
}
# For "any", the order only matters for speed: the shapes are mutually exclusive.
_ANY_ORDER = ("wareki_digit", "yyyymmdd", "iso", "wareki_letter", "wareki_dotted", "wareki_kanji")


def _kanji_number(text: str) -> int | None:
    """1–99 written 五, 十二, 三十一 (or positionally 二〇); None when the form is not a number."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        if "十" in ones or len(tens) > 1 or len(ones) > 1 or tens == "〇" or ones == "〇":
            return None
        return (_KANJI_DIGIT[tens] if tens else 1) * 10 + (_KANJI_DIGIT[ones] if ones else 0)
    if len(text) > 2:
        return None
    value = 0
    for ch in text:
        value = value * 10 + _KANJI_DIGIT[ch]
    return value


def _number(part: str) -> int | None:
    if part.isascii():  # the regexes admit only ASCII digits, 元 or kanji numerals
        return int(part)
    return 1 if part == "元" else _kanji_number(part)


def _clean(text: str) -> str:
    # ASCII is the common case (GYYMMDD from the host); NFKC turns full-width digits, ㋿/㍻ and 　 into plain
    # forms. Surrounding blanks come from fixed-width exports and are not part of the value.
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


def _build(fmt: str, match: re.Match[str]) -> tuple[dt.date, bool]:
    numbers = [_number(part) for part in match.group("y", "m", "d")]
    if None in numbers:
        raise InputError("jp.date_format", fmt=fmt)
    year, month, day = (n or 0 for n in numbers)
    era = _BY_KEY[match.group("era")] if "era" in match.re.groupindex else None
    if era is not None:
        if year == 0:  # 元年 is year 1; an era year 0 does not exist
            raise InputError("jp.date_impossible", fmt=fmt)
        year += era.offset
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise InputError("jp.date_impossible", fmt=fmt) from None
    if era is None:
        return date, False
    if date < era.first:
        raise _out_of_era(era)
    if era.last is not None and date > era.last:
        if era is _HEISEI:
            # 2019 government guidance: 平成 dates after the change of era stay valid; the caller warns.
            return date, True
        raise _out_of_era(era)
    return date, False


def _out_of_era(era: Era) -> InputError:
    last = era.last.isoformat() if era.last else ""
    first = era.first.isoformat()
    return InputError("jp.date_era_range", era=era.name, era_en=era.romaji, first=first, last=last)


@lru_cache(maxsize=65536)
def parse_with_warning(text: str, fmt: str) -> tuple[dt.date, bool]:
    """The date in ``text`` read as ``fmt``, and True when it is a 平成 date after 2019-04-30 (warn, accept).

    Raises InputError for a value that is not in the format or not a real date in its era, and ConfigError
    for an unknown ``fmt``. Sentinels such as 0000000 are the caller's business: here they are invalid dates.
    """
    if fmt not in FORMATS:
        raise ConfigError("jp.date_format_unknown", fmt=fmt, allowed=", ".join(FORMATS))
    cleaned = _clean(text)
    for name in _ANY_ORDER if fmt == "any" else (fmt,):
        match = _PATTERNS[name].fullmatch(cleaned)
        if match is not None:
            return _build(name, match)
    raise InputError("jp.date_format", fmt=fmt)


def parse(text: str, fmt: str) -> dt.date:
    """The date in ``text`` read as ``fmt`` (one of FORMATS); see :func:`parse_with_warning`."""
    return parse_with_warning(text, fmt)[0]


def to_date(text: str) -> dt.date:
    """The date in ``text`` in any supported form (4250401, R070401, H31.4.30, 令和元年5月1日, ISO …)."""
    return parse_with_warning(text, "any")[0]


def era_of(date: dt.date) -> Era:
    """The era a date is written in; on the overlap days (1912-07-30, 1926-12-25) the new one, as official."""
    for era in reversed(ERAS):
        if date >= era.first:
            return era
    raise InputError("jp.date_before_meiji")


def format_wareki(date: dt.date) -> str:
    """令和7年4月1日 style, 元年 for year 1; raises InputError before 明治."""
    era = era_of(date)
    year = date.year - era.offset
    return f"{era.name}{'元' if year == 1 else year}年{date.month}月{date.day}日"
