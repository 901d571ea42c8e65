"""CP932 → UTF-8 by the C library's iconv: the same text as Python's codec, or no answer at all."""

from __future__ import annotations

import ctypes

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
        assert converted is not None and b"".join(converted) == probe.decode("cp932").encode("utf-8")


@pytest.mark.parametrize("byte", [b"\x80", b"\xa0", b"\xfd", b"\x81\x20", b"\x81\n"])
def test_a_byte_iconv_refuses_gives_no_answer(byte: bytes) -> None:
    """A byte glibc refuses, anywhere in a large body, makes the whole answer None (the caller decides)."""
    body = "見本　花子,東京都\r\n".encode("cp932") * 500_000
    at = len(body) * 3 // 4
    assert iconv.cp932_to_utf8_parts(body[:at] + byte + body[at:], parts=4) is None


def test_a_lead_byte_cut_off_at_the_end_gives_no_answer() -> None:
    """A body ending in the first byte of a double-byte character is not converted (the caller reports it)."""
    assert iconv.cp932_to_utf8_parts("見本".encode("cp932") * 3_000_000 + b"\x8c", parts=2) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="cp932", exclude_characters="\x80\uf8f0\uf8f1\uf8f2\uf8f3¢£¬‖−〜"),
                        max_size=40), max_size=60),
       st.integers(min_value=1, max_value=5))
def test_lines_cut_into_parts_convert_like_python(lines: list[str], parts: int) -> None:
    """Any CP932 text, cut at any of its line ends into up to five parts, converts exactly as Python decodes."""
    body = "\n".join(lines).encode("cp932")
    converted = iconv._in_parts(iconv._libc(), body, parts, meanwhile=lambda: True)  # type: ignore[arg-type]
    assert converted is not None and b"".join(converted) == body.decode("cp932").encode("utf-8")
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
