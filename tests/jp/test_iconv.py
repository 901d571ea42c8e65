"""CP932 → UTF-8 by the C library's iconv: the same text as Python's codec, or no answer at all."""

from __future__ import annotations

import ctypes
import threading
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff.jp import iconv

pytestmark = pytest.mark.skipif(not iconv.usable(), reason="this C library's iconv has no CP932 that matches "
                                "Python's codec: extraction decodes with Python's codec alone")


def _python(data: bytes) -> bytes | None:
    try:
        return data.decode("cp932").encode("utf-8")
    except UnicodeDecodeError:
        return None


def _sequences() -> list[bytes]:
    """Every single byte and every pair that begins with a byte above 0x7F (33,024 sequences)."""
    return [bytes([b]) for b in range(256)] + [bytes([a, b]) for a in range(0x80, 0x100) for b in range(256)]


@pytest.mark.parametrize("hold_gil", [False, True])
def test_every_sequence_converts_as_python_decodes_or_not_at_all(hold_gil: bool) -> None:
    """For each of the 33,024 byte sequences, iconv's UTF-8 is Python's, or iconv refuses it (either binding)."""
    lib = iconv._libc(hold_gil)
    assert lib is not None
    differing, python_only = [], []
    for seq in _sequences():
        out = bytearray(8)
        buf = (ctypes.c_char * 8).from_buffer(out)
        src = ctypes.create_string_buffer(seq, len(seq))
        size = iconv._convert(lib, ctypes.addressof(src), len(seq), ctypes.addressof(buf), 8)
        expected = _python(seq)
        if size is None:
            if expected is not None:
                python_only.append(seq)
        elif bytes(out[:size]) != expected:
            differing.append(seq)
    assert differing == []
    # Python's codec alone decodes five single bytes: every sequence iconv refuses and Python reads holds one,
    # and on those the caller falls back to Python's codec.
    assert python_only and all(set(seq) & {0x80, 0xA0, 0xFD, 0xFE, 0xFF} for seq in python_only)


def test_every_character_at_once_matches_python() -> None:
    """All 9,795 characters Python's codec decodes, in one body cut into parts, come out as Python's."""
    probe = iconv._probe()[0]
    for parts in (1, 2, 3):
        converted = iconv._in_parts(iconv._libc(), probe, parts, meanwhile=lambda: True)  # type: ignore[arg-type]
        assert converted is not None
        assert b"".join(part.tobytes() for part in converted) == probe.decode("cp932").encode("utf-8")


# 19 MB of CP932 lines: above MIN_BODY, so iconv is asked (a smaller body is left to Python's codec unasked).
LARGE = "見本　花子,東京都\r\n".encode("cp932") * 1_000_000


@pytest.mark.parametrize("byte", [b"\x80", b"\xa0", b"\xfd", b"\x81\x20", b"\x81\n"])
def test_a_byte_iconv_refuses_gives_no_answer(byte: bytes) -> None:
    """A byte glibc refuses, anywhere in a large body, makes the whole answer None (the caller decides)."""
    at = len(LARGE) * 3 // 4
    assert iconv.cp932_to_utf8_parts(LARGE[:at] + byte + LARGE[at:], parts=4) is None
    assert iconv.cp932_to_utf8_parts(LARGE[:at] + b"\n" + LARGE[at:], parts=4) is not None


def test_a_lead_byte_cut_off_at_the_end_gives_no_answer() -> None:
    """A body ending in the first byte of a double-byte character is not converted (the caller reports it)."""
    assert iconv.cp932_to_utf8_parts("見本".encode("cp932") * 5_000_000 + b"\x8c", parts=2) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="cp932", exclude_characters="\x80\uf8f0\uf8f1\uf8f2\uf8f3¢£¬‖−〜"),
                        max_size=40), max_size=60),
       st.integers(min_value=1, max_value=5))
def test_lines_cut_into_parts_convert_like_python(lines: list[str], parts: int) -> None:
    """Any CP932 text, cut at any of its line ends into up to five parts, converts exactly as Python decodes."""
    body = "\n".join(lines).encode("cp932")
    converted = iconv._in_parts(iconv._libc(), body, parts, meanwhile=lambda: True)  # type: ignore[arg-type]
    assert converted is not None
    assert b"".join(part.tobytes() for part in converted) == body.decode("cp932").encode("utf-8")
    # each part but the last ends at a line end: a reader may take them one after another
    assert all(part.tobytes().endswith(b"\n") for part in converted[:-1])


def test_no_answer_when_the_library_disagrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the probe finds iconv differs from Python's codec, nothing it converted is used."""
    monkeypatch.setattr(iconv, "usable", lambda: False)
    assert iconv.cp932_to_utf8_parts("見本".encode("cp932") * 5_000_000) is None


def test_small_bodies_are_left_to_pythons_codec() -> None:
    """Below 16 MiB Python's codec is as quick as the one-time comparison, so no answer is given."""
    assert iconv.cp932_to_utf8_parts("見本".encode("cp932") * 1000) is None
    assert iconv.cp932_to_utf8_parts("見本".encode("cp932") * 5_000_000) is not None


def test_the_probe_holds_every_sequence_pythons_codec_decodes_or_refuses() -> None:
    """_probe: the 9,795 characters Python decodes from single bytes and pairs (bar 0x80, 0xA0, 0xFD–0xFF), and every pair after a lead byte that Python refuses: between them, all 256 trails of each lead byte."""
    decoded, refused = iconv._probe()
    assert len(decoded.decode("cp932")) == 9795
    leads = [b for b in range(0x100) if _python(bytes([b])) is None]
    assert len(leads) == 60  # 0x81–0x9F and 0xE0–0xFC
    assert all(_python(pair) is None for pair in refused)
    pairs, i = set(), 0
    while i < len(decoded):  # the probe is its sequences one after another: a lead byte starts a pair
        step = 2 if decoded[i] in leads else 1
        if step == 2:
            pairs.add(decoded[i:i + 2])
        i += step
    for lead in leads:
        trails = [bytes([lead, t]) for t in range(0x100)]
        assert all((pair in pairs) != (pair in refused) for pair in trails)


_LINE = b"a" * 1023 + b"\n"
_MIB = 1 << 20


@pytest.mark.parametrize(("asked", "mib", "expected"), [(1, 17, 1), (3, 17, 3), (4, 17, 4), (8, 17, 4), (8, 24, 6)])
def test_the_body_is_cut_into_the_parts_asked_but_none_below_4_mib(asked: int, mib: int, expected: int) -> None:
    """The parts asked for, but never one under 4 MiB: 17 MiB gives at most 4 parts, 24 MiB at most 6."""
    converted = iconv.cp932_to_utf8_parts(_LINE * (mib * 1024), parts=asked)
    assert converted is not None and len(converted) == expected


def test_unasked_the_body_is_cut_into_at_most_four_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a part count, min(4, workers) parts: four even where the site allows eight worker threads."""
    monkeypatch.setattr(iconv, "workers", lambda: 8)
    converted = iconv.cp932_to_utf8_parts(_LINE * (40 * 1024))
    assert converted is not None and len(converted) == 4
    monkeypatch.setattr(iconv, "workers", lambda: 2)
    converted = iconv.cp932_to_utf8_parts(_LINE * (40 * 1024))
    assert converted is not None and len(converted) == 2


def test_a_body_of_exactly_16_mib_is_converted() -> None:
    """MIN_BODY itself is large enough: only a body below 16 MiB is left to Python's codec."""
    body = _LINE * (16 * 1024)
    assert len(body) == iconv.MIN_BODY
    converted = iconv.cp932_to_utf8_parts(body, parts=1)
    assert converted is not None and converted[0].tobytes() == body


@pytest.mark.parametrize(("body", "parts"), [(_LINE * (20 * 1024), 2), (_LINE * (20 * 1024), 3),
                                             (_LINE * (20 * 1024), 5), (b"\n\n", 3)],
                         ids=["20MiB-2", "20MiB-3", "20MiB-5", "2-bytes-3"])
def test_each_cut_is_the_first_line_end_after_its_share(body: bytes, parts: int) -> None:
    """Part k ends at the first line end at or after k/parts of the body, so the parts are as equal as lines allow (a share that rounds down to offset 0 is cut at a line end there too)."""
    converted = iconv._in_parts(iconv._libc(), body, parts, meanwhile=lambda: True)  # type: ignore[arg-type]
    assert converted is not None and len(converted) == parts
    ends = np.cumsum([len(part) for part in converted])
    for k, end in enumerate(ends[:-1], start=1):
        assert k * len(body) // parts < end <= k * len(body) // parts + len(_LINE)
    assert b"".join(part.tobytes() for part in converted) == body


def test_the_parts_reserve_at_most_three_bytes_a_body_byte() -> None:
    """The output buffers (np.empty, untouched until written) total 3 bytes per CP932 byte, plus one per part."""
    body = _LINE * 1024
    tracemalloc.start()
    try:
        converted = iconv._in_parts(iconv._libc(), body, 4, meanwhile=lambda: True)  # type: ignore[arg-type]
        numpy_only = tracemalloc.DomainFilter(inclusive=True, domain=np.lib.tracemalloc_domain)
        reserved = sum(s.size for s in tracemalloc.take_snapshot().filter_traces([numpy_only]).statistics("filename"))
    finally:
        tracemalloc.stop()
    assert converted is not None and b"".join(part.tobytes() for part in converted) == body
    assert 3 * len(body) <= reserved <= 3 * len(body) + 4


class _NoCp932:
    """The C library of a system without CP932: glibc's own iconv_open fails; iconv and iconv_close are recorded."""

    def __init__(self) -> None:
        self.real = iconv._libc()
        self.calls: list[str] = []

    def iconv_open(self, to: bytes, _from: bytes) -> int | None:
        return self.real.iconv_open(to, b"NO-SUCH-CHARSET")  # type: ignore[union-attr, no-any-return]

    def iconv(self, *_args: object) -> int:
        self.calls.append("iconv")
        return iconv._FAILED

    def iconv_close(self, _handle: object) -> int:
        self.calls.append("iconv_close")
        return 0


def test_a_library_without_cp932_is_not_used() -> None:
    """When iconv_open fails, _convert answers None and never passes the failed handle to iconv or iconv_close."""
    lib = _NoCp932()
    assert lib.iconv_open(b"UTF-8", b"CP932") == ctypes.c_void_p(-1).value
    room = ctypes.create_string_buffer(8)
    src = ctypes.create_string_buffer(b"a", 1)
    assert iconv._convert(lib, ctypes.addressof(src), 1, ctypes.addressof(room), 8) is None  # type: ignore[arg-type]
    assert lib.calls == []


def test_the_conversion_threads_are_named_iconv() -> None:
    """The threads converting the parts are named iconv_N, so a stack dump of a slow run says what they are."""
    seen: list[str] = []

    def meanwhile() -> bool:
        seen.extend(thread.name for thread in threading.enumerate())
        return True

    assert iconv._in_parts(iconv._libc(), _LINE * 64, 2, meanwhile=meanwhile) is not None  # type: ignore[arg-type]
    assert "iconv_0" in seen
