"""Householding (名寄せ): one mail piece per recipient key, at most one envelope's capacity per piece.

The key items (``spec.recipient.key``) are compared after normalisation only — NFKC, blanks removed, 漢数字
before 丁目/番地/番/号 as digits, and 丁目/番地/番/号/の and dash look-alikes after a digit unified to one
hyphen — so "1丁目2番3号" and "1-2-3" are one household. Values themselves are never changed. A recipient
with more documents than ``profile.sheets_per_envelope`` gets several pieces marked 1/2, 2/2, … Postcard
programmes have no envelopes: every row is its own piece.

Adds ``piece_part``, ``docs_in_piece``, ``doc_index`` (strings) and ``_piece`` (int, ordered by the normalised
key, then part); rows stay in input order. Documents inside a piece follow the source row order.

A programme with 送付先 (``handoff.mail.recipient``) groups by where the piece goes: the key's 郵便番号, 住所
and 氏名 items are read from the destination (the 送付先 when the row has one), with its 方書 and 様方 added to
the key, and the destination is kept in the ``_to_*`` columns for the sort, the barcode and the proof.

A programme with 連名 (``handoff.mail.joint``) has each piece's name lines decided here: a piece addressed to its
first name only is a warning finding.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from handoff.contract import ROW, StageContext, StageResult
from handoff.kernels import threads
from handoff.kernels.address_marks import unify_marks
from handoff.kernels.halves import in_halves
from handoff.kernels.ranks import grouped_order, ranks
from handoff.kernels.rows import int_strings, join_strings
from handoff.kernels.runs import place_in_run, run_starts, scattered
from handoff.kernels.strings import arrow_strings, nfkc_arrow
from handoff.kernels.text import without_whitespace
from handoff.mail import address_fields, joint, recipient
from handoff.programme import ProgramSpec

PIECE = "_piece"
_KANJI_MARK = re.compile(r"([〇一二三四五六七八九十百千]+)(丁目|丁|番地|番|号)")


def _kanji_digits(text: str) -> str:
    from handoff.jp.customer_barcode import kanji_number

    return _KANJI_MARK.sub(lambda m: kanji_number(m.group(1)) + m.group(2), text)


_SPLIT_ROWS = 100_000  # fewer key values than this are normalised in one piece


def _normalise(arr: Any) -> Any:
    """The comparison form of key strings, a long column in two halves at once (``in_halves``)."""
    import pyarrow as pa

    if len(arr) < _SPLIT_ROWS:
        return _normalise_part(arr)
    return pa.concat_arrays(list(in_halves("household", _normalise_part, (arr,))))


def _normalise_part(arr: Any) -> Any:
    """The comparison form of key strings (pyarrow compute, and numpy for the marks)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = nfkc_arrow(arr)  # full-width → half-width; U+3000 → space
    arr = without_whitespace(arr)  # blanks separate nothing: "中野区 中央" is "中野区中央"
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
    ranked on the pool's threads: the address's single-threaded parts (its hashing and sorting) then overlap with
    the other items instead of waiting for them.
    """
    def ranked(field: str) -> np.ndarray:
        return ranks(arrow_strings(table[field]), _normalise)

    with threads.pool("household-key") as pool:
        return list(pool.map(ranked, fields))


def key_fields(spec: ProgramSpec) -> list[str]:
    """The columns householding compares: ``recipient.key``, or with 送付先 the destination's (``_to_*``) in
    place of the address block's items, and its 方書 and 様方 besides."""
    if not recipient.declares(spec):
        return spec.recipient.key
    own = address_fields(spec)
    swap = {own.postal: recipient.TO["postal"], own.address: recipient.TO["address"], own.name: recipient.TO["name"]}
    return [*(swap.get(k, k) for k in spec.recipient.key), recipient.TO["katagaki"], recipient.TO["care"]]


def _by_recipient(table: pd.DataFrame, spec: ProgramSpec) -> tuple[np.ndarray, np.ndarray]:
    """The rows in order of recipient (normalised key), then source row, and each one's recipient number in
    that order: deterministic whatever the input order. A postcard is its own recipient, in input order."""
    if spec.postcard:
        return np.arange(len(table), dtype=np.intp), np.arange(len(table), dtype=np.int64)
    return grouped_order(_key_items(table, key_fields(spec)), table[ROW].to_numpy(dtype=np.int64))


class _Cut(NamedTuple):
    """Per document, in recipient order: whether it starts its recipient, its piece's part (0, 1, …) and its
    place in that piece (0, 1, …), its recipient's number of parts, its piece's number of documents, and its
    piece's number (0, 1, …)."""

    starts: np.ndarray
    part: np.ndarray
    place: np.ndarray
    parts: np.ndarray
    docs: np.ndarray
    piece: np.ndarray


def _cut(g: np.ndarray, capacity: int) -> _Cut:
    """Each recipient's documents (``g``: each one's recipient, in order) cut into pieces of at most
    ``capacity`` documents, in order: the first ``capacity`` make part 1, the next part 2, …"""
    start = run_starts(g)
    pos = place_in_run(start)  # position of the document within its recipient
    size = np.bincount(g)[g] if len(g) else g
    part, place = pos // capacity, pos % capacity
    parts = -(-size // capacity)
    docs = np.minimum(capacity, size - part * capacity)
    piece = np.cumsum(place == 0) - 1
    return _Cut(start, part, place, parts, docs, piece)


def _numbered(table: pd.DataFrame, order: np.ndarray, cut: _Cut) -> pd.DataFrame:
    """``table`` with the numbering columns of its pieces; rows keep their input order (the sort stage
    orders them), the values made in recipient order are scattered back by position."""
    out = table.copy(deep=False)

    def back(values: np.ndarray) -> np.ndarray:
        return scattered(order, values)

    out["piece_part"] = join_strings(int_strings(back(cut.part + 1), out.index), "/",
                                     int_strings(back(cut.parts), out.index))
    out["docs_in_piece"] = int_strings(back(cut.docs), out.index)
    out["doc_index"] = int_strings(back(cut.place + 1), out.index)
    out[PIECE] = back(cut.piece.astype(np.int64))
    return out


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """Documents grouped by recipient and cut into pieces of at most one envelope's capacity."""
    capacity = 1 if spec.postcard else ctx.profile.sheets_per_envelope
    table = recipient.with_destination(table, spec)  # the table itself when the programme has no 送付先
    order, g = _by_recipient(table, spec)  # g: each row's recipient, in order
    cut = _cut(g, capacity)
    out = _numbered(table, order, cut)
    piece_start = cut.place == 0
    hist = np.bincount(cut.docs[piece_start]) if len(g) else np.zeros(0, dtype=np.int64)
    stats: dict[str, object] = {
        "pieces": int(piece_start.sum()),
        "documents": len(out),
        "recipients": int(cut.starts.sum()),
        "split_recipients": int((cut.starts & (cut.parts > 1)).sum()),
        "docs_per_piece": {str(k): int(v) for k, v in enumerate(hist) if v},
    }
    if not joint.declares(spec):
        return StageResult(out, [], stats)
    # 連名: the pieces addressed to their first name only are warnings here, where the pieces are first known.
    decided = joint.decide(out, spec, ctx.profile.window, out[PIECE].tolist())
    found = joint.findings(decided, out, spec)
    stats["joint_pieces"] = sum(len(p.lines) > 1 for p in decided.pieces)
    stats["joint_first_only"] = len(found)
    return StageResult(out, found, stats)
