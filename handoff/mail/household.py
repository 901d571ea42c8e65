"""Householding (名寄せ): one mail piece per recipient key, at most one envelope's capacity per piece.

The key items (``spec.recipient.key``) are compared after normalisation only — NFKC, blanks removed, 漢数字
before 丁目/番地/番/号 as digits, and 丁目/番地/番/号/の and dash look-alikes after a digit unified to one
hyphen — so "1丁目2番3号" and "1-2-3" are one household. Values themselves are never changed. A recipient
with more documents than ``profile.sheets_per_envelope`` gets several pieces marked 1/2, 2/2, … Postcard
programmes have no envelopes: every row is its own piece.

Adds ``piece_part``, ``docs_in_piece``, ``doc_index`` (strings) and ``_piece`` (int, ordered by the normalised
key, then part); rows stay in input order. Documents inside a piece follow the source row order.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from handoff.contract import ROW, StageContext, StageResult
from handoff.kernels import threads
from handoff.kernels.address_marks import unify_marks
from handoff.kernels.ranks import grouped_order, ranks
from handoff.kernels.rows import int_strings, join_strings
from handoff.kernels.strings import arrow_strings, nfkc_arrow, utf8_buffers
from handoff.programme import ProgramSpec

PIECE = "_piece"
_KANJI_MARK = re.compile(r"([〇一二三四五六七八九十百千]+)(丁目|丁|番地|番|号)")


def _kanji_digits(text: str) -> str:
    from handoff.jp.customer_barcode import kanji_number

    return _KANJI_MARK.sub(lambda m: kanji_number(m.group(1)) + m.group(2), text)


def _normalise(arr: Any) -> Any:
    """The comparison form of key strings, in two halves on two threads (Arrow's kernels release the GIL)."""
    import pyarrow as pa

    if len(arr) < 100_000:
        return _normalise_part(arr)
    half = len(arr) // 2
    with threads.pool("household") as pool:
        parts = list(pool.map(_normalise_part, (arr.slice(0, half), arr.slice(half))))
    return pa.concat_arrays(parts)


def _normalise_part(arr: Any) -> Any:
    """The comparison form of key strings (pyarrow compute, and numpy for the marks)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = nfkc_arrow(arr)  # full-width → half-width; U+3000 → space
    arr = pc.replace_substring(arr, " ", "")  # a literal pass is 3× faster than \s+ …
    offsets, data = utf8_buffers(arr)
    # … which runs only where a byte could be one of RE2's other \s (tab, line feed, form feed, CR: all
    # ≤ 0x0D), found by one reduction over the bytes
    if offsets[-1] > offsets[0] and int(data[offsets[0] : offsets[-1]].min()) <= 0x0D:
        arr = pc.replace_substring_regex(arr, r"\s+", "")
    kanji = pc.match_substring_regex(arr, _KANJI_MARK.pattern)
    if pc.any(kanji).as_py():  # 一丁目二番 → 1丁目2番 (rare: a Python pass over those values only)
        fixed = [_kanji_digits(v) for v in arr.filter(kanji).to_pylist()]
        arr = pc.replace_with_mask(arr, kanji, pa.array(fixed, type=pa.large_string()))
    # Marks after a digit as one hyphen; a hyphen not followed by a digit separates nothing:
    # "1-2-3-コーポ" == "1-2-3コーポ" == "1-2-3 コーポ".
    return unify_marks(arr)


def normalise_key(values: pd.Series) -> pd.Series:
    """The comparison form of key values, as strings (for tests and diagnostics)."""
    return pd.Series(_normalise(arrow_strings(values)).to_pylist(), index=values.index, dtype="str")


def _key_items(table: pd.DataFrame, fields: list[str]) -> list[np.ndarray]:
    """Per key item, each row's rank among the item's normalised values (``grouped_order`` combines them).

    Each item is normalised and ranked on its own distinct values: a name or a 郵便番号 repeats, so the
    regular expressions read little more than the addresses (whole keys joined by a separator made them
    read every key, and a separator inside a value could make two different keys look alike). The items are
    ranked on two threads: the address's single-threaded parts (its hashing and sorting) then overlap with
    the other items instead of waiting for them.
    """
    def ranked(field: str) -> np.ndarray:
        return ranks(arrow_strings(table[field]), _normalise)

    with threads.pool("household-key") as pool:
        return list(pool.map(ranked, fields))


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    capacity = 1 if spec.postcard else ctx.profile.sheets_per_envelope
    rows = table[ROW].to_numpy(dtype=np.int64)
    # By recipient, then source row: deterministic whatever the input order. g: each row's recipient, in order.
    if spec.postcard:  # every row its own recipient, in input order
        order = np.arange(len(table), dtype=np.intp)
        g = np.arange(len(table), dtype=np.int64)
    else:
        order, g = grouped_order(_key_items(table, spec.recipient.key), rows)
    start = np.ones(len(g), dtype=bool)
    start[1:] = g[1:] != g[:-1]
    first = np.maximum.accumulate(np.where(start, np.arange(len(g)), 0))
    pos = np.arange(len(g)) - first  # position of the document within its recipient
    size = np.bincount(g)[g] if len(g) else g
    part, index = pos // capacity, pos % capacity
    parts = -(-size // capacity)
    docs = np.minimum(capacity, size - part * capacity)
    piece_start = index == 0
    piece = np.cumsum(piece_start) - 1

    # Rows keep their input order (the sort stage orders them); values are scattered back by position.
    out = table.copy(deep=False)

    def back(values: np.ndarray) -> np.ndarray:
        scattered = np.empty_like(values)
        scattered[order] = values
        return scattered

    out["piece_part"] = join_strings(int_strings(back(part + 1), out.index), "/", int_strings(back(parts), out.index))
    out["docs_in_piece"] = int_strings(back(docs), out.index)
    out["doc_index"] = int_strings(back(index + 1), out.index)
    out[PIECE] = back(piece.astype(np.int64))
    hist = np.bincount(docs[piece_start]) if len(g) else np.zeros(0, dtype=np.int64)
    stats: dict[str, object] = {
        "pieces": int(piece_start.sum()),
        "documents": len(out),
        "recipients": int(start.sum()),
        "split_recipients": int((start & (parts > 1)).sum()),
        "docs_per_piece": {str(k): int(v) for k, v in enumerate(hist) if v},
    }
    return StageResult(out, [], stats)
