"""Japan Post customer barcode (カスタマバーコード), exactly per shared/reference/customer-barcode.md.

Start + 郵便番号 (7) + 住所表示番号 (13) + check + stop = 67 bars of F (long), A (ascender), D (descender),
T (timing). The 住所表示番号 comes only from 住所B (after the 町域, see ``handoff.jp.address``); a 代表番号,
an unknown code or an address outside the code's 町域 gets no barcode, never a guess.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

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

# Rules 1–2 and the (unofficial, universal) full-width → half-width step in one C-level pass:
# upper-case letters, delete & / ・ . (both widths), ＡＢ１２ → AB12.
_TRANS: dict[int, int | None] = {ord(c): None for c in "&/・.＆／．･"}
_TRANS.update({0xFF10 + i: 0x30 + i for i in range(10)})
_TRANS.update({0xFF21 + i: 0x41 + i for i in range(26)})
_TRANS.update({0xFF41 + i: 0x41 + i for i in range(26)})
_TRANS.update({0x61 + i: 0x41 + i for i in range(26)})
_TRANS.update({0xFF0D: 0x2D, 0x3000: 0x20})
_KANJI_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_UNIT = {"十": 10, "百": 100, "千": 1000}
# 補足1: kanji numerals immediately before these markers are numbers; elsewhere they are just kanji.
_KANJI_BEFORE_MARK = re.compile(r"([〇一二三四五六七八九十百千]+)(?=丁目|丁|番地|番|号|地割|線|の|ノ)")
# 補足2/3: a lone F after digits is a floor: dropped at the end, a hyphen when something extractable follows.
_FLOOR_LAST = re.compile(r"(?<=\d)F(?![A-Z])(?=[^0-9A-Z]*$)")
_FLOOR = re.compile(r"(?<=\d)F(?![A-Z])")
# Rules 3–5: runs of anything but digits and single letters (≥2-letter runs included) become one hyphen.
_JUNK = re.compile(r"(?:[A-Z]{2,}|[^0-9A-Z])+")
# 補足4: no hyphen next to a letter (3-20-5-B604 → 3-20-5B604); 補足5 follows (L-B → LB is kept).
_LETTER_HYPHEN = re.compile(r"-(?=[A-Z])|(?<=[A-Z])-")
_NUMBER = re.compile(r"[0-9A-Z-]*")


class NoCustomerBarcode(InputError):
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


def _kanji_number(text: str) -> str:
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
    """The 住所表示番号 of 住所B by the manual's basic rules 1–6 and supplementary rules 1–5."""
    text = address_b.translate(_TRANS)
    if _KANJI_BEFORE_MARK.search(text):
        text = _KANJI_BEFORE_MARK.sub(lambda m: _kanji_number(m.group(1)), text)
    if "F" in text:
        text = _FLOOR.sub("-", _FLOOR_LAST.sub("", text))
    text = _JUNK.sub("-", text).strip("-")
    # A trailing hyphen (typed or left by a floor/kanji marker) precedes nothing extractable: rule 4 drops it.
    return _LETTER_HYPHEN.sub("", text)


def _symbols(number: str) -> list[str]:
    out: list[str] = []
    for ch in number:
        if ch in LETTER:
            out.extend(LETTER[ch])
        else:
            out.append(ch)
        if len(out) >= ADDRESS_SYMBOLS:
            break
    # Truncating at 13 keeps a letter's control code whose digit would be the 14th (p12, p20).
    out = out[:ADDRESS_SYMBOLS]
    return out + ["CC4"] * (ADDRESS_SYMBOLS - len(out))


def check_symbol(symbols: list[str]) -> str:
    """Mod-19 check (p21): the value that makes the sum of all 21 values a multiple of 19."""
    return BY_VALUE[(19 - sum(VALUE[s] for s in symbols) % 19) % 19]


def encode_extracted(zip7: str, number: str) -> CustomerBarcode:
    """Barcode from a 7-digit code and an extracted number; ``number=""`` gives 13 × CC4 (大口事業所, p22)."""
    if not (len(zip7) == 7 and zip7.isascii() and zip7.isdigit()):
        raise InputError("mail.cb_bad_zip")
    if not _NUMBER.fullmatch(number):
        raise InputError("mail.cb_bad_number")
    symbols = [*zip7, *_symbols(number)]
    check = check_symbol(symbols)
    bars = START + "".join(BARS[s] for s in symbols) + BARS[check] + STOP
    return CustomerBarcode(zip7, number, symbols, check, bars)


def encode(postal_code: str, address_text: str) -> CustomerBarcode:
    """The customer barcode for a 郵便番号 and full address; raises NoCustomerBarcode when none may be printed."""
    entry = postal.lookup(postal_code)
    if entry is None:
        raise NoCustomerBarcode("unknown")
    if entry.is_daihyo:
        raise NoCustomerBarcode("daihyo")
    if entry.is_office:
        return encode_extracted(entry.code, "")
    try:
        _, rest = address.split(entry.code, address_text)
    except InputError:
        raise NoCustomerBarcode("town_mismatch") from None
    return encode_extracted(entry.code, extract(rest))


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
    body = "".join(f'<rect x="{x:.3f}" y="{y:.3f}" width="{rw:.3f}" height="{rh:.3f}"/>' for x, y, rw, rh in rects)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.3f}mm" height="{h:.3f}mm" '
        f'viewBox="0 0 {w:.3f} {h:.3f}"><g fill="#000">{body}</g></svg>'
    )


def bench_extract(n: int = 200_000) -> float:
    """Addresses per second for ``extract`` on ``n`` distinct synthetic 住所B strings (for scripts/bench)."""
    forms = ("{a}丁目{b}-{c}", "{a}-{b}-{c} コーポ{d}号", "{k}丁目{b}番{c}号", "{a}丁目{b}番地{c} ハイツ{d}",
             "{a}-{b}-{c} ABCビル{e}F", "{a}-{b} {c}号 Lタワー B{d}")
    kanji = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
    texts = [
        forms[i % len(forms)].format(a=1 + i % 9, b=1 + i % 37, c=1 + i % 53, d=101 + i % 900, e=1 + i % 30,
                                     k=kanji[i % 10])
        for i in range(n)
    ]
    start = time.perf_counter()
    for text in texts:
        extract(text)
    return n / (time.perf_counter() - start)
