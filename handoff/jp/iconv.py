"""CP932 bytes as UTF-8, converted by the C library's iconv on several threads at once.

Python's CP932 codec runs on one thread and holds the GIL, and decoding a large export and encoding it again as
UTF-8 is the largest part of reading it. glibc's iconv converts the same bytes faster even on one thread, and
ctypes releases the GIL around each call, so the file is cut at line ends (LF is never a CP932 trail byte) and
the parts are converted side by side. The three iconv functions are
called through ctypes (standard library) rather than a binding package: nothing more is needed, and the call
must release the GIL, which ctypes guarantees.

It is used only where it cannot change a result:
- iconv must agree with Python's codec: on first use every character Python's codec decodes (all single bytes
  and all double-byte pairs) is converted by both and compared, and every byte or pair Python's codec refuses
  must be refused by iconv too. A C library that is missing, has no CP932, maps one character differently or
  accepts one sequence Python's codec refuses is not used at all.
- glibc refuses a few single bytes that Python's codec decodes (0x80, 0xA0, 0xFD–0xFF) and every byte Python
  refuses. Whenever iconv refuses anything, ``None`` is returned and the caller decodes with Python's codec,
  which then accepts, or reports the exact line and byte.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from handoff.runtime import workers

MIN_BODY = 1 << 24  # below 16 MiB Python's codec takes about as long as the comparison in usable()
_MIN_PART = 1 << 22  # below 4 MiB a second thread costs more than it saves
_FAILED = ctypes.c_size_t(-1).value
_NO_HANDLE = ctypes.c_void_p(-1).value
_Ptr = ctypes.POINTER(ctypes.c_void_p)
_Size = ctypes.POINTER(ctypes.c_size_t)


@cache
def _libc(hold_gil: bool = False) -> ctypes.CDLL | None:
    """The C library with its iconv functions typed, or None where there is none to be had.

    The process's own symbols: glibc's iconv. Through ``CDLL`` every call releases the GIL, as converting a
    large body must; ``hold_gil`` gives ``PyDLL``, whose calls keep it, for many tiny calls (see ``usable``).
    """
    try:
        lib = ctypes.PyDLL(None) if hold_gil else ctypes.CDLL(None)
        lib.iconv_open.restype = ctypes.c_void_p
        lib.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.iconv.restype = ctypes.c_size_t
        lib.iconv.argtypes = [ctypes.c_void_p, _Ptr, _Size, _Ptr, _Size]
        lib.iconv_close.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError):
        return None
    return lib


def _convert(lib: ctypes.CDLL, src: int, size: int, dst: int, room: int) -> int | None:
    """iconv ``size`` bytes at address ``src`` into ``room`` bytes at ``dst``; bytes written, or None."""
    handle = lib.iconv_open(b"UTF-8", b"CP932")
    if handle is None or handle == _NO_HANDLE:
        return None
    try:
        in_ptr, in_left = ctypes.c_void_p(src), ctypes.c_size_t(size)
        out_ptr, out_left = ctypes.c_void_p(dst), ctypes.c_size_t(room)
        done = lib.iconv(handle, ctypes.byref(in_ptr), ctypes.byref(in_left),
                         ctypes.byref(out_ptr), ctypes.byref(out_left))
        if done == _FAILED or in_left.value:
            return None  # a refused, truncated or unmappable byte: Python's codec decides
        return room - out_left.value
    finally:
        lib.iconv_close(handle)


def _probe() -> tuple[bytes, list[bytes]]:
    """Every single byte and double-byte pair Python's CP932 codec decodes, one after another (bar the five
    bytes of the module docstring); and every byte or pair it refuses."""
    decoded, refused = bytearray(), []
    for code in range(0x100):
        one = bytes([code])
        try:
            one.decode("cp932")
        except UnicodeDecodeError:
            for trail in range(0x100):
                pair = bytes([code, trail])
                try:
                    pair.decode("cp932")
                except UnicodeDecodeError:
                    refused.append(pair)
                    continue
                decoded += pair
            continue
        if code not in (0x80, 0xA0, 0xFD, 0xFE, 0xFF):  # decoded by Python only (module docstring)
            decoded += one
    return bytes(decoded), refused


@cache
def usable() -> bool:
    """Does this C library convert every CP932 character exactly as Python's codec decodes it, and refuse every
    byte or pair Python's codec refuses?"""
    lib = _libc()
    if lib is None:
        return False
    decoded, refused = _probe()
    converted = _in_parts(lib, decoded, 1, meanwhile=lambda: True)
    if converted is None or converted[0].tobytes() != decoded.decode("cp932").encode("utf-8"):
        return False
    # Thousands of two-byte calls, made while the main thread loads libraries: a call that released the GIL
    # would wait to take it back each time, so these calls keep it.
    quick = _libc(hold_gil=True) or lib
    room = ctypes.create_string_buffer(8)
    return all(_convert(quick, ctypes.cast(ctypes.c_char_p(pair), ctypes.c_void_p).value or 0, len(pair),
                        ctypes.addressof(room), len(room)) is None for pair in refused)


def cp932_to_utf8_parts(body: bytes, parts: int | None = None) -> list[npt.NDArray[np.uint8]] | None:
    """``body`` (CP932) as UTF-8 bytes, exactly as ``body.decode("cp932").encode()``, in the parts it was
    converted in: each but the last ends at a line end (LF). None when iconv cannot be used or refuses a byte
    (the caller then decodes with Python's codec).

    A reader that can take the parts one after another is spared joining them: a copy of the whole converted
    body, into memory the process has never touched, which is the dear kind (see handoff.stages.extract).
    """
    lib = _libc()
    if lib is None or len(body) < MIN_BODY:
        return None
    wanted = parts or min(4, workers())
    # The comparison with Python's codec (once per process) runs while iconv converts, so it adds no wait.
    return _in_parts(lib, body, max(1, min(wanted, len(body) // _MIN_PART)), meanwhile=usable)


def _in_parts(lib: ctypes.CDLL, body: bytes, parts: int, meanwhile: Callable[[], bool]
              ) -> list[npt.NDArray[np.uint8]] | None:
    """Convert ``body`` cut into ``parts`` at line ends, each on its own thread, while ``meanwhile`` runs
    here; the converted parts in order, or None if ``meanwhile`` returns False or a part is refused."""
    n = len(body)
    cuts = [0]
    for k in range(1, parts):
        cut = body.find(b"\n", max(cuts[-1], n * k // parts))
        if cut < 0:
            break
        cuts.append(cut + 1)
    cuts.append(n)
    src = np.frombuffer(body, dtype=np.uint8)

    def convert(span: tuple[int, int]) -> npt.NDArray[np.uint8] | None:
        start, end = span
        # A CP932 byte becomes at most 3 UTF-8 bytes (half-width kana: 1 → 3). np.empty leaves the pages
        # untouched, so only what is written counts towards memory.
        out = np.empty(3 * (end - start) + 1, dtype=np.uint8)
        size = _convert(lib, src.ctypes.data + start, end - start, out.ctypes.data, len(out))
        return None if size is None else out[:size]

    spans = list(pairwise(cuts))
    with ThreadPoolExecutor(max_workers=len(spans), thread_name_prefix="iconv") as pool:
        futures = [pool.submit(convert, span) for span in spans]
        agreed = meanwhile()
        converted = [future.result() for future in futures]
    if not agreed:
        return None
    done = [part for part in converted if part is not None]
    return done if len(done) == len(converted) else None
