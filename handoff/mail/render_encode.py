"""Encode whole columns into the vendor's bytes, fast, without ever deciding a character's fate here.

The authority on what a vendor may receive is ``handoff.jp.charset.encode_vendor``. Calling it once per value
would cost microseconds × millions, so each *distinct* character of a column is asked once (cached):

- a character whose vendor bytes equal the plain codec's bytes is *plain*; a column of plain characters goes
  through the C codec in one call (``str.encode`` over the whole column) — or no call at all for ASCII/UTF-8;
- any other character (CP932 vendor extensions in IBM form: 髙 → FBFC where Python's codec writes the
  NEC-selected EEE0; 〜 written as its JIS code; anything refused) sends just the rows holding it through
  ``encode_vendor`` value by value, in row order: its bytes are used, or its refusal stops the render naming
  the row, the field and the code point (never the value).

Distinct characters are read straight from the column's UTF-8 buffer with numpy (lead bytes + continuation
bytes → code points), so no Python object per character or per value is created on the fast path.
"""

from __future__ import annotations

import codecs
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from handoff.errors import IntegrityError, PolicyError

U8 = npt.NDArray[np.uint8]
CODEC = {"cp932": "cp932", "utf-8": "utf-8"}


def utf8_buffer(arr: pa.LargeStringArray | pa.LargeBinaryArray) -> U8:
    """The bytes of every value, back to back (a zero-copy view on the Arrow data buffer)."""
    from handoff.kernels.strings import utf8_buffers

    offsets, data = utf8_buffers(arr)
    return data[offsets[0] : offsets[-1]]


def _re2_escape(ch: str) -> str:
    return f"\\x{{{ord(ch):X}}}"


def distinct_chars(text: str) -> list[str]:
    """Every distinct non-ASCII character of ``text``: a presence map over its UTF-16 code units (a memcpy
    for CPython's 2-byte strings), no Python object per character."""
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    present = np.zeros(0x10000, dtype=bool)
    present[units] = True
    present[:0x80] = False
    if present[0xD800:0xE000].any():  # supplementary characters: pair the surrogates up
        wide = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return [chr(int(c)) for c in np.unique(wide[wide >= 0x80])]
    return [chr(int(c)) for c in np.flatnonzero(present)]


def ascii_present(buf: U8, chars: list[str]) -> list[str]:
    """Which of the given ASCII characters occur in the buffer (one vectorised compare each)."""
    return [c for c in chars if bool((buf == ord(c)).any())]


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
            text = _joined_text(arr)
        suspect = specials + [c for c in distinct_chars(text) if not self.plain(c)]
        if not suspect:
            return _bulk(arr, text, self.codec)
        # Rows holding a character that is not plain go through encode_vendor value by value, in row order,
        # so the first refusal is the first row that cannot be carried, with encode_vendor's own reason.
        mask = pc.match_substring_regex(arr, "[" + "".join(_re2_escape(c) for c in suspect) + "]")
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


def _joined_text(arr: pa.LargeStringArray) -> str:
    """The column as one str, each value followed by a line feed (the value boundary after encoding)."""
    nl, empty = pa.scalar("\n", pa.large_string()), pa.scalar("", pa.large_string())
    joined = pc.binary_join_element_wise(arr, nl, empty)
    return str(utf8_buffer(joined).data, "utf-8")


def _bulk(arr: pa.LargeStringArray, text: str, codec: str, allowed: pa.BooleanArray | None = None
          ) -> pa.LargeBinaryArray:
    """Encode a whole column in one codec call; value boundaries are recovered from the line feeds.

    Safe because values never hold a line break (refused before) and 0x0A is never part of a CP932
    double-byte character (second bytes are 0x40–0xFC). Strict, unless ``allowed`` marks rows whose bytes
    the caller replaces: a character the codec cannot write becomes "?" there, and anywhere else it is an
    error (IntegrityError: a character that is not plain was missed).
    """
    if codec == "utf-8" or text.isascii():
        return arr.cast(pa.large_binary())  # the Arrow UTF-8 bytes are already right (no copy)
    if allowed is None:
        data = np.frombuffer(text.encode(codec), dtype=np.uint8)  # strict: every character here is plain
    else:
        data = np.frombuffer(_encode_marking(arr, text, codec, allowed), dtype=np.uint8)
    ends = np.flatnonzero(data == 0x0A)
    keep = np.ones(data.size, dtype=bool)
    keep[ends] = False
    offsets = np.empty(len(ends) + 1, dtype=np.int64)
    offsets[0] = 0
    offsets[1:] = ends - np.arange(len(ends))  # each boundary shifts left by the line feeds removed so far
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(arr), [None, pa.py_buffer(offsets), pa.py_buffer(data[keep].tobytes())]
    )


_MARK_ERRORS = "handoff-render-mark"
_failed = threading.local()  # the positions the handler replaced, per thread (render runs on two)


def _mark(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: "?" for each character the codec cannot write, and remember where it was."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    _failed.positions.extend(range(exc.start, exc.end))
    return "?" * (exc.end - exc.start), exc.end


codecs.register_error(_MARK_ERRORS, _mark)


def _encode_marking(arr: pa.LargeStringArray, text: str, codec: str, allowed: pa.BooleanArray) -> bytes:
    """``text.encode(codec)`` writing "?" for what the codec cannot encode, and only inside ``allowed`` rows."""
    _failed.positions = []
    encoded = text.encode(codec, errors=_MARK_ERRORS)
    if _failed.positions:
        # Each value is followed by its line feed in ``text``: value i ends before ends[i].
        ends = np.cumsum(pc.utf8_length(arr).to_numpy(zero_copy_only=False) + 1)
        rows = np.searchsorted(ends, np.asarray(_failed.positions), side="right")
        if not np.asarray(allowed.to_numpy(zero_copy_only=False))[rows].all():
            raise IntegrityError("render.unencodable_missed")
    return encoded


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
