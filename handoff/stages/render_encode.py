"""Encode whole columns into the vendor's bytes, fast, without ever deciding a character's fate here.

The authority on what a vendor may receive is ``handoff.jp.charset.encode_vendor``. Calling it once per value
would cost ~1 µs × millions, so each *distinct* character of a column is asked once (cached), and then:

- a character it refuses stops the render, naming the row and field (and the code point, never the value);
- a character whose vendor bytes equal the plain codec's bytes is *plain*: the column goes through the C codec
  in one call (``str.encode`` over the whole column);
- a character whose vendor bytes differ (CP932 vendor extensions in IBM form: 髙 → FBFC where Python's codec
  writes the NEC-selected EEE0) is a *variant*: only the rows holding one are re-encoded value by value with
  ``encode_vendor``.

Distinct characters are read straight from the column's UTF-8 buffer with numpy (lead bytes + continuation
bytes → code points), so no Python object per character or per value is created on the fast path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from handoff.errors import HandoffError, PolicyError

U8 = npt.NDArray[np.uint8]
CODEC = {"cp932": "cp932", "utf-8": "utf-8"}


def utf8_buffer(arr: pa.LargeStringArray | pa.LargeBinaryArray) -> U8:
    """The bytes of every value, back to back (a zero-copy view on the Arrow data buffer)."""
    if len(arr) == 0:
        return np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    if data is None:
        return np.zeros(0, dtype=np.uint8)
    return np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]


def first_row(arr: pa.LargeStringArray, chars: list[str]) -> int:
    """Index of the first value holding any of ``chars`` (only called on a refusal; one RE2 pass)."""
    pattern = "[" + "".join(_re2_escape(c) for c in chars) + "]"
    hits = np.flatnonzero(pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False))
    return int(hits[0]) if hits.size else 0


def _re2_escape(ch: str) -> str:
    return f"\\x{{{ord(ch):X}}}"


def distinct_chars(buf: U8) -> list[str]:
    """Every distinct non-ASCII character in a UTF-8 byte buffer (Arrow guarantees valid UTF-8)."""
    present = np.zeros(0x110000, dtype=bool)  # a presence map: O(n), no sort
    leads = np.flatnonzero(buf >= 0xC0)  # one pass over the bytes; the rest works on lead positions only
    kinds = buf[leads]
    for lead_lo, lead_hi, width, mask in ((0xC0, 0xE0, 2, 0x1F), (0xE0, 0xF0, 3, 0x0F), (0xF0, 0xF8, 4, 0x07)):
        pos = leads[(kinds >= lead_lo) & (kinds < lead_hi)]
        if not pos.size:
            continue
        cps = buf[pos].astype(np.uint32) & mask
        for k in range(1, width):
            cps = (cps << 6) | (buf[pos + k].astype(np.uint32) & 0x3F)
        present[cps] = True
    return [chr(int(c)) for c in np.flatnonzero(present)]


def ascii_present(buf: U8, chars: list[str]) -> list[str]:
    """Which of the given ASCII characters occur in the buffer (one vectorised compare each)."""
    return [c for c in chars if bool((buf == ord(c)).any())]


@dataclass(frozen=True)
class Refused(Exception):
    """A character the vendor's encoding cannot carry; ``row`` is the 0-based position in the column."""

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

    def classify(self, ch: str) -> tuple[str, str]:
        """("plain" | "variant" | "refused", rule code) for one character, cached per profile."""
        return _classify(self, ch)

    def encode_column(self, arr: pa.LargeStringArray | pa.DictionaryArray) -> pa.LargeBinaryArray:
        """All values of one column in vendor bytes; raises :class:`Refused` for the first refused character.

        A dictionary array (dates: a thousand distinct values in a million rows) is encoded once per
        distinct value and expanded with ``take``.
        """
        if isinstance(arr, pa.DictionaryArray):
            try:
                encoded = self.encode_column(arr.dictionary.cast(pa.large_string()))
            except Refused as exc:
                hits = np.flatnonzero(pc.equal(arr.indices, exc.row).to_numpy(zero_copy_only=False))
                raise Refused(int(hits[0]), exc.codepoint, exc.rule) from None
            return pc.take(encoded, arr.indices)
        original = arr
        buf = utf8_buffer(arr)
        if not buf.size or int(buf.max()) < 0x80:
            chars = ascii_present(buf, _special_ascii(self))
        else:
            chars = distinct_chars(buf) + ascii_present(buf, _special_ascii(self))
        kinds = {c: self.classify(c) for c in chars}
        refused = {c: rule for c, (kind, rule) in kinds.items() if kind == "refused"}
        if refused:
            row = first_row(arr, list(refused))
            ch = next(c for c in (arr[row].as_py() or "") if c in refused)  # first in the row's own order
            raise Refused(row, f"U+{ord(ch):04X}", refused[ch])
        variants = [c for c, (kind, _) in kinds.items() if kind == "variant"]
        mask = None
        if variants:
            mask = pc.match_substring_regex(arr, "[" + "".join(_re2_escape(c) for c in variants) + "]")
            # Blank those rows for the bulk codec pass; they are filled from encode_vendor below.
            arr = pc.replace_with_mask(arr, mask, pa.array([""] * pc.sum(mask).as_py(), pa.large_string()))
        if self.codec == "utf-8" or not any(ord(c) >= 0x80 for c in chars):
            plain = arr.cast(pa.large_binary())  # ASCII and UTF-8: the bytes are already right (no copy)
        else:
            plain = _codec_encode(arr, self.codec)
        if mask is None:
            return plain
        rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
        fixed = pa.array([self.vendor_bytes(original[int(i)].as_py() or "") for i in rows], pa.large_binary())
        return pc.replace_with_mask(plain, mask, fixed)

    def encode_text(self, text: str) -> bytes:
        """A short fixed text (the header line): straight through ``encode_vendor``."""
        return self.vendor_bytes(text)


def _codec_encode(arr: pa.LargeStringArray, codec: str) -> pa.LargeBinaryArray:
    """Encode a whole column in one codec call; value boundaries are recovered from newline positions.

    Safe because values never hold a line break (checked before) and 0x0A is never part of a CP932
    double-byte character (second bytes are 0x40–0xFC).
    """
    nl = pa.scalar("\n", pa.large_string())
    joined = pc.binary_join_element_wise(arr, nl, pa.scalar("", pa.large_string()))
    text = str(memoryview(utf8_buffer(joined)), "utf-8")
    data = text.encode(codec)  # strict: every character was classified plain or variant above
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0x0A)
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64)
    lengths = ends - starts
    # Rebuild as a binary array without the separators: offsets = cumulative lengths.
    body = np.frombuffer(data, dtype=np.uint8)
    keep = np.ones(body.size, dtype=bool)
    keep[ends] = False
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(arr), [None, pa.py_buffer(offsets), pa.py_buffer(body[keep].tobytes())]
    )


@cache
def _classify(codec: VendorCodec, ch: str) -> tuple[str, str]:
    try:
        vendor = codec.vendor_bytes(ch)
    except HandoffError as exc:
        if not isinstance(exc, PolicyError):
            raise
        return "refused", exc.code
    try:
        plain = ch.encode(codec.codec)
    except UnicodeEncodeError:
        plain = b""
    return ("plain" if plain == vendor else "variant"), ""


@cache
def _special_ascii(codec: VendorCodec) -> list[str]:
    """Printable ASCII the profile does not pass through unchanged (normally none)."""
    return [chr(i) for i in range(0x20, 0x7F) if _classify(codec, chr(i))[0] != "plain"]
