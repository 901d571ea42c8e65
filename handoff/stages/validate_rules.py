"""Column-wise checks used by the validate stage; each returns masks (and details of codes, never values)."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.config import VendorProfile
from handoff.errors import HandoffError
from handoff.kernels.codepoints import (
    CODE_POINTS,
    Laid,
    Table,
    first_in,
    rows_with,
    table_of_chars,
)
from handoff.kernels.digits import digit_grids
from handoff.kernels.prefixes import starts_with_any
from handoff.kernels.ranks import respelled
from handoff.kernels.strings import arrow_strings, map_unique, nfkc_arrow, utf8_buffers
from handoff.programme import FieldSpec

# (finding code, per-row mask, per-flagged-row details or None)
Found = list[tuple[str, pd.Series | npt.NDArray[np.bool_], list[str] | None]]

_FORMULA = frozenset("=+-@\t\r")
_CONTROLS = frozenset(map(chr, (*range(0x20), 0x7F)))
_CLASS_CODE = {
    "not_cp932": "charset.not_cp932",
    "private_use": "charset.private_use",
    "variation_selector": "charset.variation_selector",
    "roundtrip_change": "charset.roundtrip_change",
    "vendor_extension": "charset.vendor_extension",
}


def postal(values: pd.Series, blank: pd.Series, address: pd.Series | None) -> tuple[pd.Series, Found]:
    """郵便番号: 7 digits after NFKC; exists; prefecture+city begin the address; 代表番号 noted.

    A ward's export holds a few hundred distinct codes in a million rows: every rule runs once per distinct
    spelling (Arrow's dictionary encoding) and reaches the rows through its index.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from handoff.jp import postal as jpostal

    encoded = pc.dictionary_encode(arrow_strings(values))
    at = encoded.indices.to_numpy(zero_copy_only=False)
    spellings = encoded.dictionary.cast(pa.large_string())
    # NFKC turns － into "-"; the other dash look-alikes are mapped here; one hyphen (160-0023) is allowed
    norm = pc.replace_substring(pc.replace_substring_regex(nfkc_arrow(spellings), "[‐‑−ー]", "-"), "-", "",
                                max_replacements=1)
    ok = pc.match_substring_regex(norm, r"^[0-9]{7}$").to_numpy(zero_copy_only=False)
    codes = norm.to_pylist()
    entries = [jpostal.lookup(code) if good else None for code, good in zip(codes, ok, strict=True)]
    listed = np.array([e is not None for e in entries], dtype=bool)
    # A 私書箱 包括番号 (manual p22) is in neither KEN_ALL nor the 事業所 data: known, with no place to compare.
    known = listed | np.array([bool(good) and e is None and jpostal.box_bundle(code) is not None
                               for code, good, e in zip(codes, ok, entries, strict=True)], dtype=bool)
    daihyo = np.array([e is not None and e.is_daihyo for e in entries], dtype=bool)
    ok_format = ok[at]
    bad_format = ~blank.to_numpy(dtype=bool) & ~ok_format
    known_rows = known[at]
    mismatch = np.zeros(len(values), dtype=bool)
    if address is not None:
        places = [_place(e) for e in entries]
        rows = np.flatnonzero(listed[at] & (address != "").to_numpy(dtype=bool))
        mismatch[rows] = ~_begins_with_place(arrow_strings(address), places, at, rows)
    found: Found = [
        ("postal.format", bad_format, None),
        ("postal.unknown", ok_format & ~known_rows, None),
        ("postal.address_mismatch", mismatch, None),
        ("postal.daihyo", daihyo[at] & known_rows, None),
    ]
    written = pc.if_else(pa.array(ok), norm, spellings)  # a malformed code stays as written
    return respelled(values, spellings, written, encoded.indices), found


def _place(e: Any) -> tuple[str, str, str, str]:
    """(prefecture+city, city, and the same two with a 町/村's 郡 left out — as people often write it, manual
    p17) of a KEN_ALL entry; blanks for none."""
    from handoff.jp import town_match

    if e is None:
        return ("", "", "", "")
    short = town_match.without_gun(e.city) or e.city
    return (e.prefecture + e.city, e.city, e.prefecture + short, short)


def _begins_with_place(address: Any, places: list[tuple[str, str, str, str]], code_of: npt.NDArray[np.intp],
                       rows: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """For ``rows``: does the address, blanks removed, begin with its code's prefecture+city, or (within the
    prefecture) with the city, the 郡 of a 町/村 written or left out? ``places`` holds (prefecture+city, city,
    and both without the 郡) per distinct code.

    Nearly every address is written without a blank inside its place name and with its 郡, so the address is
    compared as it is first; only the rows that fail are compared again with their blanks removed and with the
    郡 left out. A place name that holds a blank itself can never match a blank-free address, so it is left out of
    the first comparison too.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    full, city, full_short, short = (
        [p[k] if not any(b in p[k] for b in " \u3000") else "" for p in places] for k in (0, 1, 2, 3))
    codes = code_of[rows]
    # the city alone is the exception: compared on the rows left only
    ok = starts_with_any(address, rows, [full, city], codes)
    retry = np.flatnonzero(~ok)
    if len(retry):
        compact = pc.replace_substring(pc.replace_substring(address.take(pa.array(rows[retry])), " ", ""),
                                       "\u3000", "")
        ok[retry] = starts_with_any(compact.cast(pa.large_string()), np.arange(len(retry)),
                                    [full, city, full_short, short], codes[retry])
    return ok


def kouhi_valid(values: pd.Series) -> pd.Series:
    """公費負担者番号 / 受給者番号 check digits, vectorised (same rule as jp.checkdigit.is_valid_kouhi).

    Only a value of 7 or 8 ASCII digits can pass: those values are read as digit grids (``digit_grids``)
    and every other value fails.
    """
    result = np.zeros(len(values), dtype=bool)
    for _, rows, digits in digit_grids(arrow_strings(values), (7, 8)):
        result[rows] = _kouhi_check_holds(digits)
    return pd.Series(result, index=values.index)


def _kouhi_check_holds(digits: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Per row of a digit grid (7 or 8 digits): the last digit is the check digit of the others — weights
    2, 1, 2, … from the last body digit, two-digit products adding their digits (14 → 1+4), and the check
    digit making the sum a multiple of 10."""
    length = digits.shape[1]
    # small integer types throughout: a digit times 2 is at most 18, eight of those sum to under 256
    body, check = digits[:, :-1], digits[:, -1]
    weights = np.array([2 if (length - 2 - i) % 2 == 0 else 1 for i in range(length - 1)], dtype=np.uint8)
    prod = body * weights
    total = (prod // 10 + prod % 10).sum(axis=1, dtype=np.uint16)
    return np.asarray((10 - total % 10) % 10 == check, dtype=bool)


@lru_cache(maxsize=1 << 17)
def _parse_date(text: str, fmt: str) -> tuple[str, str]:
    """(ISO date or "", finding code or "") for one distinct value."""
    from handoff.jp import wareki

    try:
        day, heisei_late = wareki.parse_with_warning(text, fmt)
    except HandoffError:
        digits = text.replace("-", "").replace("/", "")
        if len(set(digits)) == 1 and digits[:1] in ("0", "9"):
            return "", "date.sentinel_undeclared"
        return "", "date.invalid"
    return day.isoformat(), "date.heisei_after_end" if heisei_late else ""


def dates(values: pd.Series, blank: pd.Series, col: FieldSpec) -> tuple[pd.Series, Found]:
    sentinel = values.isin(col.sentinels) if col.sentinels else pd.Series(False, index=values.index)
    todo = ~blank & ~sentinel
    fmt = col.date_format
    iso = map_unique(values, lambda v: _parse_date(v, fmt)[0] if v else "")
    code = map_unique(values, lambda v: _parse_date(v, fmt)[1] if v else "")
    found: Found = [
        (c, todo & (code == c), None)
        for c in ("date.invalid", "date.sentinel_undeclared", "date.heisei_after_end")
    ]
    # A declared sentinel means "no date": it leaves as empty, never as a fake date.
    return iso.where(todo, ""), found


def over_length(values: pd.Series, laid: Laid, encoding: str, limit: int) -> pd.Series:
    """Values longer than ``limit`` bytes in the vendor encoding (``laid``: ``lay_out(values)``).

    In UTF-8 the value's own bytes are the answer. In CP932 a character takes 1 or 2 bytes, so an ASCII value
    (as many UTF-8 bytes as characters) is its length, and of the others only those with more than limit/2
    characters can be too long: only those few are counted exactly. Characters per value come from the
    layout, bytes from the Arrow offsets: no pass over the strings.
    """
    offsets, _ = utf8_buffers(arrow_strings(values))
    utf8_bytes = np.diff(offsets)
    if encoding == "utf-8":
        return pd.Series(utf8_bytes > limit, index=values.index)
    if len(laid.cps) == offsets[-1] - offsets[0]:  # as many characters as bytes: all ASCII, one byte each
        return pd.Series(utf8_bytes > limit, index=values.index)
    chars = np.diff(laid.starts)
    ascii_only = utf8_bytes == chars
    result = ascii_only & (chars > limit)
    candidate = ~ascii_only & (chars * 2 > limit)
    if candidate.any():
        result[candidate] = [_byte_len(v, encoding) > limit for v in values[candidate].tolist()]
    return pd.Series(result, index=values.index)


def control_chars(values: pd.Series, laid: Laid) -> npt.NDArray[np.bool_]:
    """Values holding an ASCII control character (U+0000–U+001F or DEL: a line break, a tab, BEL …), which the
    render refuses. Two reductions over the laid-out characters answer for nearly every column: it holds none
    (its smallest character is a space or above, and no DEL)."""
    cps = laid.cps
    if not len(cps) or (int(cps.min()) >= 0x20 and not (cps == 0x7F).any()):
        return np.zeros(len(values), dtype=bool)
    return rows_with(laid, table_of_chars(_CONTROLS))


def not_digits(values: pd.Series) -> npt.NDArray[np.bool_]:
    """Values of a ``digits`` output field holding anything but ASCII digits (an empty value passes)."""
    import pyarrow.compute as pc

    digits = pc.match_substring_regex(arrow_strings(values), "^[0-9]*$")
    return ~np.asarray(digits.to_numpy(zero_copy_only=False), dtype=bool)


def as_written(values: pd.Series, style: str) -> pd.Series:
    """The text the render writes for ``values`` (ISO dates, for a date style): a 和暦 date for
    ``date_wareki``, the value itself otherwise. Each distinct date is written once."""
    if style != "date_wareki":
        return values
    import datetime as dt

    from handoff.jp.wareki import format_wareki

    def written(value: str) -> str:
        try:
            return format_wareki(dt.date.fromisoformat(value)) if len(value) == 10 else value
        except (ValueError, HandoffError):
            return value  # not a date: the date rules report it

    return map_unique(values, written)


def _byte_len(value: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(value.encode("utf-8"))
    # CP932 writes ASCII and half-width katakana in one byte, every other character in two; counting avoids
    # an encode that would fail on characters reported separately as 外字 findings.
    return sum(1 if ch < "\x80" or "\uff61" <= ch <= "\uff9f" else 2 for ch in value)


def charset_findings(values: pd.Series, laid: Laid, profile: VendorProfile) -> Found:
    """Classify only values holding a character outside the clean set; one finding per value and class.

    The detail lists position and code point of each character (e.g. ``3:U+9AD9``), never the value.
    """
    flagged = rows_with(laid, unsafe_table())
    key = (frozenset(profile.gaiji), profile.allow_vendor_extensions, profile.encoding)
    masks: dict[str, np.ndarray] = {}
    details: dict[str, list[str]] = {}
    for pos, value in zip(np.nonzero(flagged)[0], values[flagged].tolist(), strict=True):
        for code, detail in _classify_value(value, key):
            if code not in masks:
                masks[code] = np.zeros(len(values), dtype=bool)
            masks[code][pos] = True
            details.setdefault(code, []).append(detail)  # positions ascend, so details follow the mask order
    return [(code, pd.Series(mask, index=values.index), details[code]) for code, mask in masks.items()]


@cache
def unsafe_table() -> Table:
    """True at every character outside charset.clean_chars() — the class of charset.unsafe_pattern()."""
    from handoff.jp import charset

    table = np.ones(CODE_POINTS, dtype=bool)
    table[:0x80] = False
    table[[ord(c) for c in charset.clean_chars() if ord(c) >= 0x80]] = False
    return table


def formula_start(laid: Laid) -> npt.NDArray[np.bool_]:
    """Values a spreadsheet would run as a formula: first character = + - @, tab or CR."""
    return first_in(laid, table_of_chars(_FORMULA))


@lru_cache(maxsize=1 << 16)
def _classify_value(
    value: str, key: tuple[frozenset[str], bool, str]
) -> tuple[tuple[str, str], ...]:
    from handoff.jp import charset

    gaiji, allow_extensions, encoding = key
    result: dict[str, list[str]] = {}
    for f in charset.classify(value):
        if chr(f.codepoint) in gaiji:
            code = "charset.substituted"
        elif f.kind == "vendor_extension" and allow_extensions:
            code = "charset.vendor_extension_allowed"
        elif encoding == "utf-8" and f.kind != "private_use":
            continue  # UTF-8 carries every other class as it is
        else:
            code = _CLASS_CODE[f.kind]
        result.setdefault(code, []).append(f"{f.position + 1}:U+{f.codepoint:04X}")
    return tuple((code, " ".join(parts)) for code, parts in result.items())
