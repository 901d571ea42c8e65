"""Encode whole columns into the vendor's bytes, fast, without ever deciding a character's fate here.

The authority on what a vendor may receive is ``handoff.jp.charset.encode_vendor``. Calling it once per value
would cost microseconds × millions, so each *distinct* character of a column is asked once (cached):

- a character whose vendor bytes equal the plain codec's bytes is *plain*; a column of plain characters goes
  through the C codec in one call (``str.encode`` over the whole column) — or no call at all for ASCII/UTF-8;
- any other character (CP932 vendor extensions in IBM form: 髙 → FBFC where Python's codec writes the
  NEC-selected EEE0; 〜 written as its JIS code; anything refused) sends just the rows holding it through
  ``encode_vendor`` value by value, in row order: its bytes are used, or its refusal stops the render naming
  the row, the field and the code point (never the value).

The byte-level work lives in kernels: the distinct characters of a column (``kernels.text``) and the
one-call encoding of a whole column (``kernels.column_codec``), so no Python object per character or per
value is created on the fast path. That encoding keeps value boundaries by line feeds, which is exact here
because values never hold a line break (refused before) and 0x0A is never part of a CP932 double-byte
character (second bytes are 0x40–0xFC).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from handoff.errors import IntegrityError, PolicyError
from handoff.kernels.buffers import utf8_buffer
from handoff.kernels.column_codec import UnmarkedError, encode_joined, joined_text
from handoff.kernels.text import ascii_present, char_class, distinct_chars

CODEC = {"cp932": "cp932", "utf-8": "utf-8"}


@dataclass(frozen=True)
class RefusedError(Exception):
    """A value ``encode_vendor`` refuses; ``row`` is its 0-based position in the column."""

    row: int
    codepoint: str
    rule: str


@dataclass(frozen=True)
class VendorCodec:
    encoding: str
    allow_extensions: bool
    extension_form: str

    @property
    def codec(self) -> str:
        return CODEC[self.encoding]

    def vendor_bytes(self, text: str) -> bytes:
        """``encode_vendor`` with this profile (the slow, authoritative path)."""
        from handoff.jp.charset import encode_vendor

        return encode_vendor(text, self.encoding, self.allow_extensions, self.extension_form)

    def plain(self, ch: str) -> bool:
        """True when ``encode_vendor`` writes exactly the codec's bytes for ``ch`` (cached per profile)."""
        return _plain(self, ch)

    def encode_column(self, arr: pa.LargeStringArray | pa.DictionaryArray) -> pa.LargeBinaryArray:
        """All values of one column in vendor bytes; raises :class:`RefusedError` for the first refused value.

        A dictionary array (dates: a thousand distinct values in a million rows) is encoded once per
        distinct value and expanded with ``take``.
        """
        if isinstance(arr, pa.DictionaryArray):
            try:
                encoded = self.encode_column(arr.dictionary.cast(pa.large_string()))
            except RefusedError as exc:
                hits = np.flatnonzero(pc.equal(arr.indices, exc.row).to_numpy(zero_copy_only=False))
                raise RefusedError(int(hits[0]), exc.codepoint, exc.rule) from None
            return pc.take(encoded, arr.indices)
        buf = utf8_buffer(arr)
        specials = ascii_present(buf, _special_ascii(self))
        if not buf.size or int(buf.max()) < 0x80:
            if not specials:
                return arr.cast(pa.large_binary())  # ASCII: the Arrow bytes are the vendor bytes (no copy)
            text = ""
        else:
            text = joined_text(arr)
        suspect = specials + [c for c in distinct_chars(text) if not self.plain(c)]
        if not suspect:
            return _bulk(arr, text, self.codec)
        # Rows holding a character that is not plain go through encode_vendor value by value, in row order,
        # so the first refusal is the first row that cannot be carried, with encode_vendor's own reason.
        mask = pc.match_substring_regex(arr, char_class(suspect))
        rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
        fixed = []
        for i in rows:
            value = arr[int(i)].as_py() or ""
            try:
                fixed.append(self.vendor_bytes(value))
            except PolicyError as exc:
                raise RefusedError(int(i), str(exc.params.get("codepoint", "")),
                              str(exc.params.get("kind", exc.code))) from None
        # The whole column is still encoded in one call (the rows just encoded are overwritten); a character
        # the codec cannot write is allowed only inside those rows, which ``_bulk`` checks.
        plain = _bulk(arr, text, self.codec, allowed=mask)
        return pc.replace_with_mask(plain, mask, pa.array(fixed, pa.large_binary()))

    def encode_text(self, text: str) -> bytes:
        """A short fixed text (the header line): straight through ``encode_vendor``."""
        return self.vendor_bytes(text)




def _bulk(arr: pa.LargeStringArray, text: str, codec: str, allowed: pa.BooleanArray | None = None
          ) -> pa.LargeBinaryArray:
    """The column in one codec call (``encode_joined``). Strict, unless ``allowed`` marks rows whose bytes the
    caller replaces; a character the codec cannot write anywhere else means a character that is not plain
    was missed: IntegrityError, never a silent "?"."""
    try:
        return encode_joined(arr, text, codec, allowed)
    except UnmarkedError:
        raise IntegrityError("render.unencodable_missed") from None


# encode_vendor normalises whole values (NFC), so a character that can compose with the one before it is
# never plain on its own: combining marks, Hangul V/T jamo, and these ccc=0 second halves of canonical
# compositions (Indic vowel signs …).
_ZERO_CCC_SECONDS = frozenset(map(chr, (
    0x9BE, 0x9D7, 0xB3E, 0xB56, 0xB57, 0xBBE, 0xBD7, 0xCC2, 0xCD5, 0xCD6, 0xD3E, 0xD57, 0xDCF, 0xDDF, 0xFB5,
    0xFB7, 0x102E, 0x1B35, 0x11127, 0x1133E, 0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930,
)))


def _composes(ch: str) -> bool:
    return bool(unicodedata.combining(ch)) or ch in _ZERO_CCC_SECONDS or 0x1161 <= ord(ch) <= 0x11C2


@cache
def _plain(codec: VendorCodec, ch: str) -> bool:
    if _composes(ch):
        return False
    try:
        vendor = codec.vendor_bytes(ch)
    except PolicyError:
        return False
    try:
        return ch.encode(codec.codec) == vendor
    except UnicodeEncodeError:
        return False


@cache
def _special_ascii(codec: VendorCodec) -> list[str]:
    """Printable ASCII the profile does not pass through unchanged (normally none)."""
    return [chr(i) for i in range(0x20, 0x7F) if not _plain(codec, chr(i))]
