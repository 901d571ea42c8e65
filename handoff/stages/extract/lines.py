"""Where things are in an export's bytes: line ends as the csv module counts them, positions for error messages,
the body of records, and each record's source line number.

Safe on CP932 bytes: its trail bytes are 0x40 and above, so LF, CR, comma, tab, quote and 0x1A are always
themselves.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

CODECS = {"cp932": "cp932", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}
UTF8_BOM = b"\xef\xbb\xbf"


def all_blank(data: bytes) -> bool:
    """Only CR, LF, tab, space and 0x1A (EOF) — looked at a MiB at a time, without a copy of the file."""
    step = 1 << 20
    return not any(data[i : i + step].strip(b"\r\n\t \x1a") for i in range(0, len(data), step))


def content_end(data: bytes) -> int:
    """The offset after the last byte that is not CR, LF or 0x1A (EOF), found from the end a block at a time."""
    end = len(data)
    while end:
        block = data[max(0, end - 4096) : end]
        kept = len(block.rstrip(b"\r\n\x1a"))
        if kept:
            return end - len(block) + kept
        end -= len(block)
    return 0


def line_ends(data: bytes, start: int = 0, end: int | None = None) -> int:
    """Line ends in ``data[start:end]`` as the csv module counts lines (and Arrow ends records): LF, CR LF, and a
    CR alone."""
    return data.count(b"\n", start, end) + data.count(b"\r", start, end) - data.count(b"\r\n", start, end)


def last_line_start(data: bytes, start: int, end: int) -> int:
    """Where the last line of ``data[start:end]`` begins (``start`` when it holds no line end)."""
    return max(data.rfind(b"\n", start, end), data.rfind(b"\r", start, end), start - 1) + 1


def first_break(data: bytes, end: int) -> tuple[int, int]:
    """Where the first line of ``data[:end]`` stops, and where the next begins: after its LF, CR LF or lone CR
    (``end`` and ``end`` when there is no line end)."""
    lf = data.find(b"\n", 0, end)
    cr = data.find(b"\r", 0, end if lf < 0 else lf)
    stop = cr if cr >= 0 else lf
    if stop < 0:
        return end, end
    return stop, stop + (2 if data[stop : stop + 2] == b"\r\n" else 1)


def first_blank_line(data: bytes, start: int, end: int) -> int:
    """Where the first empty line of ``data[start:end]`` begins (-1: none): a line end at ``start``, or one
    right after another line end — LF LF, LF CR or CR CR (CR LF is one line end). Three searches in C."""
    if start < end and data[start] in b"\r\n":
        return start
    hits = [i + 1 for i in (data.find(pair, start, end) for pair in (b"\n\n", b"\n\r", b"\r\r")) if i >= 0]
    return min(hits, default=-1)


def blank_line_starts(data: npt.NDArray[np.uint8], block: int = 1 << 24) -> npt.NDArray[np.int64]:
    """Every offset where an empty line begins (as ``first_blank_line`` finds the first), compared a block at
    a time so that the masks of a large export stay a few tens of MB."""
    found = [np.zeros(0, dtype=np.int64)]
    if len(data) and data[0] in (0x0A, 0x0D):
        found.append(np.zeros(1, dtype=np.int64))
    for lo in range(1, len(data), block):
        part = data[lo - 1 : lo + block]  # one byte before the block: the line end it may follow
        here, before = part[1:], part[:-1]
        after_lf = (before == 0x0A) & ((here == 0x0A) | (here == 0x0D))
        after_cr = (before == 0x0D) & (here == 0x0D)
        found.append(np.flatnonzero(after_lf | after_cr).astype(np.int64) + lo)
    return np.concatenate(found)


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line number and byte offset within that line of absolute ``offset``."""
    return line_ends(data, 0, offset) + 1, offset - last_line_start(data, 0, offset) + 1


@dataclass(frozen=True)
class Body:
    """The records of the file, ``data[start:end]``, without a copy of them (an export can be hundreds of MB).
    Offsets given and returned are within the body."""

    data: bytes = field(repr=False)  # the whole file (never shown: it is an export)
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def view(self) -> memoryview:
        return memoryview(self.data)[self.start : self.end]

    def has(self, byte: bytes) -> bool:
        return self.data.find(byte, self.start, self.end) >= 0

    def text(self, encoding: str, lo: int = 0, hi: int | None = None) -> str:
        """Bytes ``lo``…``hi`` of the body, decoded (strictly, like ``bytes.decode``)."""
        stop = self.end if hi is None else self.start + hi
        return str(memoryview(self.data)[self.start + lo : stop], CODECS[encoding])


def line_numbers(body: Body, encoding: str, delimiter: str, rows: int, first_line: int, newlines: int
                 ) -> npt.NDArray[np.int64] | list[int]:
    """Source line of each record (``newlines``: the body's line ends, see line_ends); a quoted value spanning
    lines makes the csv module count them."""
    if newlines + 1 == rows:
        return np.arange(first_line, first_line + rows, dtype=np.int64)  # no Python int per row
    reader = csv.reader(io.StringIO(body.text(encoding), newline=""), delimiter=delimiter)
    starts: list[int] = []
    prev_end = 0
    for _ in reader:
        starts.append(first_line + prev_end)
        prev_end = reader.line_num
    return starts
