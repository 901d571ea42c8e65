"""Address marks after a number as one hyphen, for a whole column at once, on its UTF-8 bytes.

Householding compares addresses with 丁目/番地/番/号/の/ノ and dash look-alikes after a digit written as one
hyphen, and without hyphens that separate nothing ("1丁目2番3号" = "1-2-3" = "1-2-3-"). The rules are two
regular-expression replaces (``REFERENCE``; a test pins ``unify_marks`` to them), but RE2 needs its slower
engine for their capture group, which would make them the dearest part of householding. Here the same rewrite
is a few passes of numpy over the bytes, plus a short loop over the places where a mark can start, the byte
after each run of digits.

The rules, exactly as the reference applies them:
1. A run of marks right after an ASCII digit becomes one "-". The run is read greedily: 丁目 and 番地 are
   one mark each, 目 and 地 are marks only right after 丁 and 番, and an ASCII "-" is a mark too.
2. Then every run of "-" followed by the end of the value or by a character other than a digit is removed,
   and a run of two or more followed by a digit becomes one "-" (a single one before a digit stays).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from handoff.kernels.strings import digit_bytes, utf8_buffers

# The reference: what ``unify_marks`` must equal ([0-9], not \d: ASCII only in RE2 as well).
REFERENCE = (
    (r"([0-9])(?:丁目|丁|番地|番|号|の|ノ|[‐‑‒–—―−ー-])+", r"\1-"),
    (r"-+([^0-9]|$)", r"\1"),
)

HYPHEN = ord("-")


def _code(char: str) -> int:
    """A three-byte UTF-8 character as one integer (its bytes, big-endian)."""
    return int.from_bytes(char.encode("utf-8"), "big")  # every mark but "-" is three bytes long


_SINGLE = np.array(sorted(_code(c) for c in "丁番号のノ‐‑‒–—―−ー"), dtype=np.int64)
# A mark of two characters: the first (itself a mark) and the second, which is a mark only after it.
_PAIRS = ((_code("丁"), _code("目")), (_code("番"), _code("地")))


def unify_marks(arr: Any) -> Any:
    """The column (an Arrow string array without nulls) with both rules applied to every value.

    Both rules start at an ASCII digit or a "-" and read only forward, so the part of a value before its
    first digit or hyphen (prefecture, city and town: most of an address's bytes) is never changed, and the
    rest changes exactly as it would in place. Only those rests are worked, once per distinct rest (丁目・番地
    ・号 numbers recur across a ward), and each value is its untouched head joined to its rest's result.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets, data = utf8_buffers(arr)
    n = len(arr)
    if not n or offsets[-1] == offsets[0]:
        return _unify_all(arr)
    body = data[offsets[0] : offsets[-1]]
    marks = np.flatnonzero(digit_bytes(body) | (body == HYPHEN)) + offsets[0]
    # Each value's first digit or hyphen, or its end when it holds none.
    nxt = np.searchsorted(marks, offsets[:-1], side="left")
    found = marks[np.minimum(nxt, max(len(marks) - 1, 0))] if len(marks) else offsets[1:]
    cut = np.where((nxt < len(marks)) & (found < offsets[1:]), found, offsets[1:])
    # Heads and rests alternate in one array over the same bytes: head 0, rest 0, head 1, … (no copy).
    bounds = np.empty(2 * n + 1, dtype=np.int64)
    bounds[0 : 2 * n : 2] = offsets[:-1]
    bounds[1 : 2 * n : 2] = cut
    bounds[2 * n] = offsets[-1]
    halves = pa.LargeStringArray.from_buffers(2 * n, pa.py_buffer(bounds), arr.buffers()[2])
    heads = halves.take(pa.array(np.arange(0, 2 * n, 2)))
    rests = pc.dictionary_encode(halves.take(pa.array(np.arange(1, 2 * n, 2))))
    unified = _unify_all(rests.dictionary).take(rests.indices)
    return pc.binary_join_element_wise(heads, unified, pa.scalar("", pa.large_string()))


def _unify_all(arr: Any) -> Any:
    """``unify_marks`` over every byte of every value (the rules as numpy passes).

    Both rules are decided on the original bytes and applied in one compaction: after rule 1, each new
    hyphen follows a digit and precedes the character after its run, which is neither a mark nor "-", so
    the hyphens rule 2 sees are those new ones, alone, and the untouched runs of "-" elsewhere.
    """
    import pyarrow as pa

    offsets, data = utf8_buffers(arr)
    size = int(offsets[-1] - offsets[0])
    if not size:
        return arr.cast(pa.large_string())
    # Padded so that a 4-byte word can be read at every position; ``size`` stays the values' length.
    buf = np.zeros(size + 4, dtype=np.uint8)
    buf[:size] = data[offsets[0] : offsets[-1]]
    offsets = offsets - offsets[0]
    starts = np.zeros(size + 1, dtype=bool)  # the first byte of each value, and the end
    starts[offsets] = True
    run_start, run_bytes = _mark_runs(buf, size, starts)
    buf[run_start] = HYPHEN  # a run's first byte becomes its hyphen, the rest of the run goes
    drop = run_bytes - 1
    gone = np.repeat(run_start + 1 - np.cumsum(drop) + drop, drop) + np.arange(int(drop.sum()))
    buf[gone] = 0  # no longer a "-" for rule 2
    loose = _loose_hyphens(buf, size, starts, run_start, run_start + run_bytes)
    keep = np.ones(size, dtype=bool)
    keep[gone] = False
    keep[loose] = False
    # The offsets move back by the bytes removed before each value's start (no removal spans two values).
    at = np.concatenate([run_start, loose])
    counts = np.concatenate([drop, np.ones(len(loose), dtype=np.int64)])
    order = np.argsort(at, kind="stable")
    total = np.zeros(len(at) + 1, dtype=np.int64)
    np.cumsum(counts[order], out=total[1:])
    new_offsets = offsets - total[np.searchsorted(at[order], offsets, side="left")]
    return pa.LargeStringArray.from_buffers(len(offsets) - 1, pa.py_buffer(new_offsets),
                                            pa.py_buffer(buf[:size][keep]))


def _words(buf: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint32]:
    """Every byte position of ``buf`` as the start of a big-endian 4-byte word (a strided view, no copy)."""
    return np.ndarray(shape=(len(buf) - 3,), dtype=">u4", buffer=buf, strides=(1,))


def _mark_length(buf: npt.NDArray[np.uint8], size: int, at: npt.NDArray[np.int64],
                 starts: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Bytes of the mark that starts at each position (0: none), not reading into the next value.

    Values are whole UTF-8, so a three-byte character whose first byte lies in a value lies in it whole;
    only the first byte of each character read must be checked against the value starts.
    """
    length = np.zeros(len(at), dtype=np.int64)
    inside = np.flatnonzero(~starts[at])
    word = _words(buf)[at[inside]]
    first = word >> 24
    length[inside[first == HYPHEN]] = 1
    wide = (first >= 0xE0) & (at[inside] + 3 <= size)  # the first byte of a three-byte character
    code = (word >> 8).astype(np.int64)
    nearest = _SINGLE[np.minimum(np.searchsorted(_SINGLE, code), len(_SINGLE) - 1)]
    length[inside[wide & (nearest == code)]] = 3
    for lead, second in _PAIRS:  # 丁目 and 番地 are taken whole, as the reference's alternation does
        pair = inside[wide & (code == lead)]
        pair = pair[(at[pair] + 6 <= size) & ~starts[np.minimum(at[pair] + 3, size)]]
        length[pair[(_words(buf)[at[pair] + 3] >> 8) == second]] = 6
    return length


def _mark_runs(buf: npt.NDArray[np.uint8], size: int, starts: npt.NDArray[np.bool_]
               ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Rule 1: where each run of marks after a digit starts, and its length in bytes.

    A run can only start right after a digit, so only those places are read, one mark further on each
    round, until every run has ended.
    """
    digit = digit_bytes(buf[:size])
    after = np.flatnonzero(digit[:-1] & ~digit[1:]) + 1  # the byte after the last digit of a run
    run = np.zeros(len(after), dtype=np.int64)  # bytes of marks read so far
    live = np.arange(len(after))
    while len(live):
        step = _mark_length(buf, size, after[live] + run[live], starts)
        run[live] += step
        live = live[step > 0]
    found = run > 0
    return after[found], run[found]


def _loose_hyphens(buf: npt.NDArray[np.uint8], size: int, starts: npt.NDArray[np.bool_],
                   new: npt.NDArray[np.int64], after_new: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Rule 2: the positions of the hyphens to remove. ``new`` are rule 1's hyphens, each followed (once
    its run is gone) by the byte at ``after_new``; every other "-" is followed by the next byte."""
    at = np.flatnonzero(buf[:size] == HYPHEN)
    if not len(at):
        return at
    first = np.ones(len(at), dtype=bool)
    first[1:] = (at[1:] != at[:-1] + 1) | starts[at[1:]]
    last = np.ones(len(at), dtype=bool)
    last[:-1] = first[1:]
    run = np.cumsum(first) - 1
    nxt = at + 1
    is_new = np.zeros(size, dtype=bool)
    is_new[new] = True
    nxt[is_new[at]] = after_new  # a new hyphen is a run of its own (both in byte order)
    nxt = nxt[last]  # the byte after each run: in the same value unless a value starts there
    before_digit = ~starts[nxt] & digit_bytes(buf[nxt])
    loose: npt.NDArray[np.int64] = at[~last | ~before_digit[run]]  # keep only the last hyphen of a run a digit follows
    return loose
