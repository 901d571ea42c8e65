"""The written spellings of one KEN_ALL place that still name its 町域 (住所A, Japan Post manual p17–p18).

住所A is "up to and including the 町域 the 郵便番号 determines", however the address spells it. KEN_ALL spells
each place one way; addresses are written in a few other ways that name exactly the same 町域, and each of
those is allowed here, none other:
- the 郡 of a 町 or 村 left out (富山県朝日町長野 for 下新川郡朝日町 長野): the 郡 is not part of the
  delivery address, and within a 郵便番号 the 町/村 is unique;
- in 京都市, 通り names with 上る/下る/東入/西入 written between the ward and the 町域
  (上京区堀川通丸太町下る田中町): they locate the 町域 in the grid and are part of 住所A;
- a number before 条, 丁目 or 線 inside a 町域 written in kanji or in digits, either way round
  (北1条西 for 北一条西, 一条通 for 1条通): the same 町域, spelled with the other numerals;
- a 町域 that only repeats the name of its 町/村/市 (利島村 利島村) left out, when a number follows
  (東京都利島村248): the address then names no other 町域 that could be meant.
Anything else (another 町域, a street name outside 京都市, a direction word with no 町域 after it) does not
match, and the caller prints no barcode.
"""

from __future__ import annotations

import re

SPACE = r"[\s\u3000]*"
# Written variants that KEN_ALL spells one way: 鎌ケ谷 / 鎌ヶ谷, 霞ケ関 / 霞ヶ関.
_VARIANTS = {"ケ": "[ケヶ]", "ヶ": "[ケヶ]"}
_KANJI_DIGITS = "〇一二三四五六七八九"
# A 町 or 村 written after its 郡 ("下新川郡朝日町"); a city such as 大和郡山市 or 蒲郡市 ends in 市 and is not split.
_GUN = re.compile(r"(.+?郡)(.+[町村])")
# A number (kanji or digits) right before 条, 丁目 or 線 inside a 町域 name.
_NUMBERED = re.compile(r"([0-9]+|[〇一二三四五六七八九十]+)(?=条|丁目|線)")
# 京都市's direction words, as addresses write them: 上る/上ル/上がる, 下る/下ル/下がる, 東入/東入る/東入ル, 西入…
_DIRECTION = r"(?:上[るル]|上がる|下[るル]|下がる|[東西]入[るル]?)"
# A 通り name and its direction(s): no digit, at most 40 characters up to the first direction word, and at
# most 20 more up to a second one (寺町通四条上る東入).
_STREET = f"(?:[^0-9０-９]{{1,40}}?{_DIRECTION}(?:[^0-9０-９]{{0,20}}?{_DIRECTION})?{SPACE})?"
_DIGIT_AHEAD = f"(?={SPACE}[0-9０-９])"


def char(ch: str) -> str:
    """One character as a pattern: ケ/ヶ either way, an ASCII letter or digit in either width."""
    if ch in _VARIANTS:
        return _VARIANTS[ch]
    if ch.isascii() and ch.isalnum():  # 町域 such as 秋月1条 / JAビル, also typed full-width (秋月１条)
        return f"[{ch}{chr(ord(ch) + 0xFEE0)}]"
    return re.escape(ch)


def chars(text: str) -> str:
    """``text`` as a pattern allowing blanks between any two characters (addresses are typed with spaces).

    Full-width digits and letters match too, so an address need not be NFKC-normalised first: normalising a
    string that needs it (full-width blank or digits) costs more than the whole extraction.
    """
    return SPACE.join(char(ch) for ch in text)


def kanji_value(text: str) -> int:
    """十一 → 11, 二十 → 20, 一〇 → 10 (numbers of a 条/丁目/線 are small: no 百 or 千 occurs in a 町域)."""
    if "十" not in text:
        return int("".join(str(_KANJI_DIGITS.index(c)) for c in text))
    tens, _, ones = text.partition("十")
    return (_KANJI_DIGITS.index(tens) if tens else 1) * 10 + (_KANJI_DIGITS.index(ones) if ones else 0)


def kanji_of(value: int) -> str:
    """11 → 十一, 20 → 二十, 5 → 五: how a 町域 writes a number below 100 in kanji."""
    tens, ones = divmod(value, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _KANJI_DIGITS[tens] + "十"
    return head + (_KANJI_DIGITS[ones] if ones or not head else "")


def _number(written: str) -> str:
    """A 条/丁目/線 number as a pattern matching its kanji and its digit spellings."""
    value = int(written) if written.isdigit() else kanji_value(written)
    spellings = dict.fromkeys([kanji_of(value), str(value), written]) if value < 100 else {written: None}
    return "(?:" + "|".join(chars(s) for s in spellings) + ")"


def town_pattern(town: str) -> str:
    """A 町域 name as a pattern, its 条/丁目/線 numbers in kanji or digits."""
    parts, at = [], 0
    for match in _NUMBERED.finditer(town):
        if match.start() > at:
            parts.append(chars(town[at : match.start()]))
        parts.append(_number(match.group(1)))
        at = match.end()
    if at < len(town):
        parts.append(chars(town[at:]))
    return SPACE.join(parts)


def without_gun(city: str) -> str | None:
    """The 町/村 of a city written after its 郡 (下新川郡朝日町 → 朝日町); None for any other city."""
    gun = _GUN.fullmatch(city)
    return None if gun is None else gun.group(2)


def city_pattern(city: str) -> str:
    """A city as a pattern: a 町/村 with its 郡 or without it."""
    short = without_gun(city)
    if short is None:
        return chars(city)
    return f"(?:{chars(city[: -len(short)])}{SPACE})?{chars(short)}"


def place_pattern(prefecture: str, city: str, town: str) -> str:
    """(prefecture) + city + (京都市 通り names) + (大字) + 町域, as written: see the module docstring."""
    parts = [f"(?:{chars(prefecture)}{SPACE})?", city_pattern(city), SPACE]
    if not town:  # a 代表番号: the 町域 is empty, 住所B starts after the city
        return "".join(parts)
    if prefecture == "京都府" and city.startswith("京都市"):
        parts.append(_STREET)
    # KEN_ALL omits 大字/字 before a 町域, addresses often write it ("大字津軽石" → 津軽石, p25 case 9).
    named = f"(?:{chars('大字')}|字)?{SPACE}{town_pattern(town)}"
    if town in (city, without_gun(city)):
        named = f"(?:{named}|{_DIGIT_AHEAD})"  # 利島村 利島村 248 or 利島村248
    parts.append(named)
    return "".join(parts)
