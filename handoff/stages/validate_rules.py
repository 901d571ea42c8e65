"""Column-wise checks used by the validate stage; each returns masks (and details of codes, never values)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from handoff.config import VendorProfile
from handoff.errors import HandoffError
from handoff.programme import FieldSpec

Found = list[tuple[str, pd.Series, list[str] | None]]

_DOUBLE_BYTE = r"[^\x00-\x7f\uff61-\uff9f]"  # CP932 writes everything but ASCII and half-width kana in 2 bytes
_CLASS_CODE = {
    "not_cp932": "charset.not_cp932",
    "private_use": "charset.private_use",
    "variation_selector": "charset.variation_selector",
    "roundtrip_change": "charset.roundtrip_change",
    "vendor_extension": "charset.vendor_extension",
}


def postal(values: pd.Series, blank: pd.Series, address: pd.Series | None) -> tuple[pd.Series, Found]:
    """郵便番号: 7 digits after NFKC; exists; prefecture+city begin the address; 代表番号 noted."""
    from handoff.jp import postal as jpostal

    norm = values.str.normalize("NFKC").str.replace(r"^(\d{3})[-‐−ー]", r"\1", regex=True)
    ok_format = norm.str.fullmatch(r"\d{7}")
    bad_format = ~blank & ~ok_format
    info = {code: jpostal.lookup(code) for code in pd.unique(norm[ok_format])}
    entry = norm.map(info)
    known = entry.notna()
    unknown = ok_format & ~known
    daihyo = known & entry.map(lambda e: bool(e is not None and e.is_daihyo), na_action="ignore").fillna(False)
    mismatch = pd.Series(False, index=values.index)
    if address is not None:
        prefix = entry.map(lambda e: (e.prefecture, e.city), na_action="ignore")
        mismatch = pd.Series(
            [
                bool(p == p and isinstance(p, tuple) and not _begins(a, p))
                for a, p in zip(address.tolist(), prefix.tolist(), strict=True)
            ],
            index=values.index,
        )
    found: Found = [
        ("postal.format", bad_format, None),
        ("postal.unknown", unknown, None),
        ("postal.address_mismatch", mismatch & ~address.eq("") if address is not None else mismatch, None),
        ("postal.daihyo", daihyo.astype(bool), None),
    ]
    return norm.where(ok_format, values), found


def _begins(address: str, pref_city: tuple[str, str]) -> bool:
    """Addresses are written with the prefecture (東京都新宿区…) or, within the prefecture, without it."""
    pref, city = pref_city
    compact = address.replace(" ", "").replace("\u3000", "")
    return compact.startswith(pref + city) or compact.startswith(city)


def kouhi_valid(values: pd.Series) -> pd.Series:
    """公費負担者番号 / 受給者番号 check digits, vectorised (same rule as jp.checkdigit.is_valid_kouhi)."""
    result = pd.Series(False, index=values.index)
    for length in (7, 8):
        mask = values.str.fullmatch(r"\d{%d}" % length).fillna(False).astype(bool)
        if not mask.any():
            continue
        blob = "".join(values[mask].tolist()).encode("ascii")
        digits = (np.frombuffer(blob, dtype=np.uint8) - 48).reshape(-1, length).astype(np.int64)
        body, check = digits[:, :-1], digits[:, -1]
        # weights 2,1,2,… from the last body digit; two-digit products add their digits (14 → 1+4)
        weights = np.array([2 if (length - 2 - i) % 2 == 0 else 1 for i in range(length - 1)])
        prod = body * weights
        total = (prod // 10 + prod % 10).sum(axis=1)
        expected = (10 - total % 10) % 10
        result[mask] = expected == check
    return result


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
    parsed = {v: _parse_date(v, col.date_format) for v in pd.unique(values[todo])}
    iso = values.map(lambda v: parsed[v][0] if v in parsed else "")
    code = values.map(lambda v: parsed[v][1] if v in parsed else "")
    found: Found = [
        (c, todo & (code == c), None)
        for c in ("date.invalid", "date.sentinel_undeclared", "date.heisei_after_end")
    ]
    # A declared sentinel means "no date": it leaves as empty, never as a fake date.
    return iso.where(todo, ""), found


def byte_length(values: pd.Series, encoding: str) -> pd.Series:
    if encoding == "utf-8":
        return values.map(lambda v: len(v.encode("utf-8")))
    return values.str.len() + values.str.count(_DOUBLE_BYTE)


def charset_findings(values: pd.Series, profile: VendorProfile) -> Found:
    """Classify only values holding a character outside the clean set; one finding per value and class.

    The detail lists position and code point of each character (e.g. ``3:U+9AD9``), never the value.
    """
    from handoff.jp import charset

    flagged = values.str.contains(charset.unsafe_pattern(), regex=True).to_numpy(dtype=bool)
    key = (frozenset(profile.gaiji), profile.allow_vendor_extensions, profile.encoding)
    masks: dict[str, np.ndarray] = {}
    details: dict[str, list[str]] = {}
    for pos, value in zip(np.nonzero(flagged)[0], values[flagged].tolist(), strict=True):
        for code, detail in _classify_value(value, key):
            masks.setdefault(code, np.zeros(len(values), dtype=bool))[pos] = True
            details.setdefault(code, []).append(detail)  # positions ascend, so details follow the mask order
    return [(code, pd.Series(mask, index=values.index), details[code]) for code, mask in masks.items()]


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
