"""外字 and the vendor's character set: classify characters, substitute from a table, encode vendor output.

Everything works on NFC text (jp-rules §4), so positions are indices into that form — with one exception, see
:func:`normalize`: CJK compatibility ideographs are kept, because NFC would silently swap 22 of the IBM
extension characters (神 U+FA19, 塚 館 都 隆 …) for their unified forms, i.e. change a name's glyph
outside the configured substitution table.

JIS X 0208 membership is decided by the CP932 byte range a character encodes to, not by the ``euc_jp``
codec: the vendor reads CP932, so the question is which CP932 area a character lands in, and Python's
``euc_jp`` answers a different one (it also carries JIS X 0212, where 髙 lives, and maps 〜 differently).
In CP932 the lead bytes 0x81–0x84, 0x88–0x9F and 0xE0–0xEA are JIS X 0208 rows 1–8 and 16–84; 0x87 is
NEC row 13, 0xED–0xEE the NEC-selected IBM extension, 0xFA–0xFC the IBM extension, 0xF0–0xF9 the user
area (private use).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from handoff.errors import ConfigError, PolicyError

Kind = Literal["not_cp932", "private_use", "variation_selector", "roundtrip_change", "vendor_extension"]
KINDS: tuple[Kind, ...] = (
    "not_cp932", "private_use", "variation_selector", "roundtrip_change", "vendor_extension"
)

_JIS_LEADS = frozenset([*range(0x81, 0x85), *range(0x88, 0xA0), *range(0xE0, 0xEB)])
_NEC_SELECTED_LEADS = (0xED, 0xEE)
_IBM_LEADS = (0xFA, 0xFB, 0xFC)
_TRAILS = [*range(0x40, 0x7F), *range(0x80, 0xFD)]
_PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U0010ffff"


# CJK COMPATIBILITY IDEOGRAPHS and its supplement: starters that compose with nothing, so normalising the
# text between them gives NFC everywhere else.
_COMPAT_IDEOGRAPHS = re.compile("([\uf900-\ufaff\U0002f800-\U0002fa1f])")


def normalize(text: str) -> str:
    """NFC, except that CJK compatibility ideographs stay as written (no silent glyph change in names)."""
    if _COMPAT_IDEOGRAPHS.search(text) is None:
        return unicodedata.normalize("NFC", text)
    parts = _COMPAT_IDEOGRAPHS.split(text)
    # odd indices are the captured compatibility ideographs
    return "".join(p if i % 2 else unicodedata.normalize("NFC", p) for i, p in enumerate(parts))


@dataclass(frozen=True, slots=True)
class CharFinding:
    """A character that will not print as written: class, 0-based position in normalize(text), code point."""

    kind: Kind
    position: int
    codepoint: int
    char_name: str


def _is_private_use(cp: int) -> bool:
    return 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000


def _is_variation_selector(cp: int) -> bool:
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


@lru_cache(maxsize=8192)
def kind_of(ch: str) -> Kind | None:
    """The class of one (NFC) character, or None when it prints as written from CP932."""
    cp = ord(ch)
    if _is_variation_selector(cp):
        return "variation_selector"
    if _is_private_use(cp):
        return "private_use"
    try:
        data = ch.encode("cp932")
    except UnicodeEncodeError:
        return "not_cp932"
    if data.decode("cp932") != ch:
        return "roundtrip_change"
    if len(data) == 1:
        # ASCII and JIS X 0201 katakana; 0x80 is a Microsoft decoding artefact (U+0080), nothing printable.
        return None if data[0] < 0x80 or 0xA1 <= data[0] <= 0xDF else "not_cp932"
    return None if data[0] in _JIS_LEADS else "vendor_extension"


def _decode_area(leads: Iterable[int]) -> dict[bytes, str]:
    area: dict[bytes, str] = {}
    for lead in leads:
        for trail in _TRAILS:
            seq = bytes((lead, trail))
            try:
                area[seq] = seq.decode("cp932")
            except UnicodeDecodeError:
                continue
    return area


@cache
def clean_chars() -> frozenset[str]:
    """Characters needing no report: ASCII, half-width katakana, JIS X 0208 that round-trips and is NFC.

    ASCII is clean as a whole: the yen/backslash and overline/tilde glyph question is settled by the vendor's
    font, not by the bytes, and control characters are the file layout's concern, not the character set's.
    """
    chars = {chr(cp) for cp in range(0x80)} | {chr(cp) for cp in range(0xFF61, 0xFFA0)}
    for seq, ch in _decode_area(sorted(_JIS_LEADS)).items():
        # U+212B ANGSTROM SIGN is JIS but NFC turns it into U+00C5, which CP932 lacks: not clean.
        if ch.encode("cp932") == seq and unicodedata.is_normalized("NFC", ch):
            chars.add(ch)
    return frozenset(chars)


def _char_class(chars: Iterable[str]) -> str:
    """A regex character-class body of literal characters (no \\u escapes, so pandas can hand it to RE2)."""
    cps = sorted(ord(c) for c in chars)
    parts: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        lo, hi = re.escape(chr(cps[i])), re.escape(chr(cps[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "".join(parts)


@cache
def unsafe_pattern() -> re.Pattern[str]:
    """Matches any character outside :func:`clean_chars`; use it to pick the values worth classifying.

    A value without a match classifies clean. The converse holds for normalised text; a value that is not
    (decomposed が) may match and still classify clean once normalised. The pattern uses no \\u escapes or
    lookarounds, so pandas runs ``.str.contains(unsafe_pattern())`` in pyarrow's RE2 (tested).
    """
    non_ascii = sorted(c for c in clean_chars() if ord(c) >= 0x80)
    return re.compile(rf"[^\x00-\x7f{_char_class(non_ascii)}]")


def classify(text: str) -> list[CharFinding]:
    """One finding per character of normalize(``text``) that will not print as written, in position order."""
    text = normalize(text)
    findings: list[CharFinding] = []
    for match in unsafe_pattern().finditer(text):
        ch = match.group()
        kind = kind_of(ch)
        if kind is not None:
            findings.append(CharFinding(kind, match.start(), ord(ch), unicodedata.name(ch, "")))
    return findings


# --- writing the vendor file ----------------------------------------------------------------------------


@cache
def ibm_forms() -> dict[str, bytes]:
    """Characters Python writes in the NEC-selected area (0xED/0xEE) -> the IBM bytes Windows and iconv write.

    Built by decoding both areas and pairing them by character; 髙 -> FB FC (Python alone writes EE E0).
    """
    ibm = {ch: seq for seq, ch in _decode_area(_IBM_LEADS).items()}
    forms: dict[str, bytes] = {}
    for seq, ch in _decode_area(_NEC_SELECTED_LEADS).items():
        if ch.encode("cp932") == seq:  # skip duplicates Python writes elsewhere (￢ -> 81CA)
            forms[ch] = ibm[ch]
    return forms


_UTF8_REFUSED = re.compile(f"[{_PRIVATE_USE}\ud800-\udfff]")
_UTF8_SURROGATE = re.compile("[\ud800-\udfff]")


def _refusal(text: str, position: int, encoding: str, kind: str) -> PolicyError:
    ch = text[position]
    # position is 1-based here: it is read by people, next to the row number and field.
    return PolicyError("jp.unencodable", position=position + 1, codepoint=f"U+{ord(ch):04X}",
                       encoding=encoding, kind=kind)


def encode_vendor(text: str, encoding: str, allow_extensions: bool, extension_form: str, *,
                  allow_private_use: bool = False) -> bytes:
    """normalize(``text``) as vendor bytes, or PolicyError ``jp.unencodable`` naming position and U+XXXX.

    Never replaces or drops a character. Refused: anything the encoding cannot carry; private-use characters
    unless ``allow_private_use`` (their glyph is whatever the vendor's 外字 slot holds); for CP932, vendor
    extensions unless ``allow_extensions``, written in the IBM form (as Windows and iconv do) or the NEC form.
    Round-trip changes (〜 U+301C) are written as their JIS code, like iconv; classify reports them.
    """
    if encoding not in ("cp932", "utf-8") or extension_form not in ("ibm", "nec"):
        raise ConfigError("jp.encoding_unknown", encoding=encoding, form=extension_form)
    if text.isascii():
        return text.encode("ascii")  # identical bytes in both encodings
    if encoding == "utf-8":
        text = normalize(text)
        bad = (_UTF8_SURROGATE if allow_private_use else _UTF8_REFUSED).search(text)
        if bad is not None:
            kind = "private_use" if _is_private_use(ord(bad.group())) else "surrogate"
            raise _refusal(text, bad.start(), encoding, kind)
        return text.encode("utf-8")
    # Fast path for ~all values: clean characters are NFC-stable and plain JIS/ASCII/kana in CP932.
    if unsafe_pattern().search(text) is None:
        return text.encode("cp932")
    ibm = extension_form == "ibm"
    return _encode_cp932_flagged(normalize(text), allow_extensions, ibm, allow_private_use)


def _encode_cp932_flagged(text: str, allow_extensions: bool, ibm: bool, allow_private_use: bool) -> bytes:
    nec_selected = False
    for match in unsafe_pattern().finditer(text):
        ch = match.group()
        kind = kind_of(ch)
        if kind is None or kind == "roundtrip_change":
            continue
        if kind == "vendor_extension" and allow_extensions:
            nec_selected = nec_selected or ch in ibm_forms()
            continue
        if kind == "private_use" and allow_private_use:
            continue  # U+E000–U+E757 encode to the user area; the rest fail in the encoder below
        raise _refusal(text, match.start(), "cp932", kind)
    try:
        data = text.encode("cp932")
    except UnicodeEncodeError as exc:
        raise _refusal(text, exc.start, "cp932", kind_of(text[exc.start]) or "not_cp932") from None
    if ibm and nec_selected:
        forms = ibm_forms()
        data = b"".join(forms.get(ch) or ch.encode("cp932") for ch in text)
    return data


# --- substitution from the ward's 外字 table -------------------------------------------------------------


@lru_cache(maxsize=64)
def _table_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so 葛 + IVS is replaced as a unit before a bare 葛 entry could match its base.
    return re.compile("|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True)))


def _check_table(table: Mapping[str, str]) -> dict[str, str]:
    normal: dict[str, str] = {}
    for key, value in table.items():
        nkey = normalize(key)
        single = len(nkey) == 1
        with_selector = len(nkey) == 2 and _is_variation_selector(ord(nkey[1]))
        if not (single or with_selector) or not value:
            cps = " ".join(f"U+{ord(c):04X}" for c in key)
            raise ConfigError("jp.substitution_entry", key=cps or "(空)")
        normal[nkey] = normalize(value)
    return normal


def substitute(text: str, table: Mapping[str, str]) -> tuple[str, list[tuple[int, int, int]]]:
    """Apply the configured 外字 table to normalize(``text``): (new text, [(position, from U+, to U+)]).

    Keys are one character, or one character plus a variation selector; positions index the normalised input,
    ``from`` is the key's base character and ``to`` the replacement's first character.
    """
    text = normalize(text)
    normal = _check_table(table)
    if not normal:
        return text, []
    done: list[tuple[int, int, int]] = []

    def replace(match: re.Match[str]) -> str:
        new = normal[match.group()]
        done.append((match.start(), ord(match.group()[0]), ord(new[0])))
        return new

    return _table_pattern(tuple(sorted(normal))).sub(replace, text), done
