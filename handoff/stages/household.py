"""Householding (名寄せ): one mail piece per recipient key, at most one envelope's capacity per piece.

The key items (``spec.recipient.key``) are compared after normalisation only — NFKC, blanks removed, 漢数字
before 丁目/番地/番/号 as digits, and 丁目/番地/番/号/の and dash look-alikes after a digit unified to one
hyphen — so "1丁目2番3号" and "1-2-3" are one household. Values themselves are never changed. A recipient
with more documents than ``profile.sheets_per_envelope`` gets several pieces marked 1/2, 2/2, … Postcard
programmes have no envelopes: every row is its own piece.

Adds ``piece_part``, ``docs_in_piece``, ``doc_index`` (strings) and ``_piece`` (int, ordered by the normalised
key, then part). Documents inside a piece follow the source row order.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from handoff.programme import ProgramSpec
from handoff.stages.base import ROW, StageContext, StageResult

PIECE = "_piece"
_KANJI_MARK = re.compile(r"([〇一二三四五六七八九十百千]+)(丁目|丁|番地|番|号)")


def _kanji_digits(text: str) -> str:
    from handoff.jp.customer_barcode import kanji_number

    return _KANJI_MARK.sub(lambda m: kanji_number(m.group(1)) + m.group(2), text)


def normalise_key(values: pd.Series) -> pd.Series:
    """The comparison form of key values (vectorised with pyarrow compute; RE2 patterns, no lookaround)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    arr = pc.utf8_normalize(pa.array(values.astype("str").tolist(), type=pa.string()), "NFKC")
    arr = pc.replace_substring_regex(arr, r"\s+", "")
    kanji = pc.match_substring_regex(arr, _KANJI_MARK.pattern)
    if pc.any(kanji).as_py():
        py = arr.to_pylist()
        for i in np.flatnonzero(kanji.to_numpy(zero_copy_only=False)):
            py[i] = _kanji_digits(py[i])
        arr = pa.array(py, type=pa.string())
    arr = pc.replace_substring_regex(arr, r"(\d)(?:丁目|丁|番地|番|号|の|ノ|[‐‑‒–—―−ー-])", r"\1-")
    arr = pc.replace_substring_regex(arr, r"-+", "-")
    # A hyphen not followed by a digit separates nothing: "1-2-3-コーポ" == "1-2-3コーポ" == "1-2-3 コーポ".
    arr = pc.replace_substring_regex(arr, r"-(\D|$)", r"\1")
    return pd.Series(arr.to_pylist(), index=values.index, dtype="str")


def _key_codes(table: pd.DataFrame, fields: list[str]) -> np.ndarray:
    """Per row, an int whose order is the lexicographic order of the normalised key tuple."""
    columns = []
    for name in fields:
        codes, uniques = pd.factorize(table[name].fillna(""), sort=False)
        # Normalise each distinct value once: a household's key repeats on every one of its rows.
        norm = normalise_key(pd.Series(uniques, dtype="str"))
        ncodes, _ = pd.factorize(norm, sort=True)
        columns.append(np.asarray(ncodes)[codes])
    if not columns:
        return np.zeros(len(table), dtype=np.int64)
    order = np.lexsort(columns[::-1])
    stacked = np.stack(columns, axis=1)[order]
    change = np.ones(len(order), dtype=bool)
    change[1:] = (stacked[1:] != stacked[:-1]).any(axis=1)
    group = np.empty(len(order), dtype=np.int64)
    group[order] = np.cumsum(change) - 1
    return group


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    capacity = 1 if spec.postcard else ctx.profile.sheets_per_envelope
    rows = table[ROW].to_numpy(dtype=np.int64)
    group = np.arange(len(table), dtype=np.int64) if spec.postcard else _key_codes(table, spec.recipient.key)
    order = np.lexsort((rows, group))  # by recipient, then source row: deterministic whatever the input order
    g = group[order]
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

    out = table.iloc[order].reset_index(drop=True).copy()
    out["piece_part"] = pd.Series(part + 1).astype("str") + "/" + pd.Series(parts).astype("str")
    out["docs_in_piece"] = pd.Series(docs).astype("str")
    out["doc_index"] = pd.Series(index + 1).astype("str")
    out[PIECE] = piece.astype(np.int64)
    hist = np.bincount(docs[piece_start]) if len(g) else np.zeros(0, dtype=np.int64)
    stats: dict[str, object] = {
        "pieces": int(piece_start.sum()),
        "documents": len(out),
        "recipients": int(start.sum()),
        "split_recipients": int((start & (parts > 1)).sum()),
        "docs_per_piece": {str(k): int(v) for k, v in enumerate(hist) if v},
    }
    return StageResult(out, [], stats)
