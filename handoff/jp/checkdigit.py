"""検証番号 of 公費負担者番号 (8 digits), 公費受給者番号 (7 digits) and 保険者番号.

Rule (national notice, quoted by the Tokyo Metropolitan Government on 2024-10-03): weight the body digits
2, 1, 2, … starting from the LAST body digit, add the digits of each product, and the check digit is
10 minus the last digit of the sum (0 when that digit is 0). This is the Luhn scheme.
Numbers stay strings throughout: a leading 0 is data (01040013 is a real 保険者番号).
"""

from __future__ import annotations

import re
import unicodedata

from handoff.errors import InputError

KOUHI_LENGTH = 8  # 法別番号(2) + 都道府県番号(2) + 実施機関番号(3) + 検証番号(1)
JUKYUSHA_LENGTH = 7  # 6-digit body + 検証番号; same rule per public clinic software (keep configurable)

# re.ASCII: str.isdigit() and a Unicode \d would also accept e.g. Arabic-Indic digits, which NFKC keeps.
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# digit-sum of 2*d for d = 0..9 (14 -> 1+4 = 5)
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _normalise(number: str) -> str:
    # Full-width digits (０１０４…) are common in host exports; NFKC maps them to ASCII. Nothing is stripped:
    # a stray space means the field is not a clean number and must fail.
    return number if number.isascii() else unicodedata.normalize("NFKC", number)


def check_digit(body: str) -> str:
    """The 検証番号 for ``body`` (one or more digits, NFKC-normalised); raises InputError otherwise."""
    body = _normalise(body)
    if not _DIGITS.fullmatch(body):
        raise InputError("jp.checkdigit_body", length=len(body))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = ord(ch) - 48
        total += _DOUBLED[d] if i % 2 == 0 else d
    return str((10 - total % 10) % 10)


def is_valid_kouhi(number: str, *, length: int = KOUHI_LENGTH) -> bool:
    """True when ``number`` has exactly ``length`` digits (after NFKC) and its last digit is the 検証番号."""
    number = _normalise(number)
    if len(number) != length or length < 2 or not _DIGITS.fullmatch(number):
        return False
    return check_digit(number[:-1]) == number[-1]


def is_valid_jukyusha(number: str) -> bool:
    """公費受給者番号: 7 digits, the same rule applied to the 6-digit body."""
    return is_valid_kouhi(number, length=JUKYUSHA_LENGTH)
