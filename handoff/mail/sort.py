"""Postal sort: pieces in order of 郵便番号, then address, then recipient key, then source row.

Sorting is done per piece (on its first document), never per row, so a piece's documents stay together
even when two children's rows spell their guardian's address differently. Assigns ``piece_seq`` 1..N
(zero-padded to ``profile.inserter.piece_digits``) and each document's ``doc_index`` within its piece; the
result depends only on the rows, not on their input order. Householding's numbering (``_piece``, and
``doc_index`` in source-row order) puts each document in its place without sorting the rows; a table numbered
otherwise is sorted, with the same result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.contract import ROW, StageContext, StageResult
from handoff.errors import ConfigError
from handoff.kernels.ranks import lex_order, ranks
from handoff.kernels.rows import int_strings, ints_of, take_rows
from handoff.kernels.strings import arrow_strings, nfkc_arrow
from handoff.mail import address_fields
from handoff.mail.household import PIECE
from handoff.programme import ProgramSpec


def normalise_postal(arr: Any) -> Any:
    """郵便番号 (Arrow strings) in NFKC with no hyphen after the 3rd digit: only for ordering (validate
    already checked them)."""
    import pyarrow.compute as pc

    arr = nfkc_arrow(arr)
    return pc.replace_substring_regex(pc.utf8_trim_whitespace(arr), r"^(\d{3})\D", r"\1")


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    return table[name].fillna("").astype("str") if name else pd.Series("", index=table.index, dtype="str")


def _within(table: pd.DataFrame) -> npt.NDArray[np.int64] | None:
    """Each document's place in its piece as householding numbered it (``doc_index`` - 1), or None when the
    table has no such numbering."""
    if not len(table) or "doc_index" not in table:
        return None
    try:
        return ints_of(table["doc_index"]) - 1
    except (TypeError, ValueError):  # Arrow's refusal to cast a non-number (ArrowInvalid) is a ValueError
        return None


def _starts(sizes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Where each of consecutive spans of ``sizes`` begins: 0, then the running total."""
    begin = np.zeros(len(sizes), dtype=np.int64)
    np.cumsum(sizes[:-1], out=begin[1:])
    return begin


def _piece_major(rows: npt.NDArray[np.int64], piece: npt.NDArray[np.int64], within: npt.NDArray[np.int64]
                 ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]] | None:
    """``lex_order((rows, piece))`` and each piece's first slot in it, placed by householding's numbering
    instead of sorted: piece ``p`` occupies slots ``begin[p]`` … in order of ``within`` (``doc_index`` - 1).

    Householding numbers the pieces 0, 1, … and the documents of each piece by source row, so the documents
    go straight to their slots. Anything else (a table not made by householding) returns None, and the caller
    sorts: every piece must be present, every slot filled once, and rows must ascend inside each piece.
    """
    n = len(piece)
    if not n or int(piece.min()) < 0 or int(within.min()) < 0:
        return None
    size = np.bincount(piece)
    if not bool(size.all()):
        return None
    begin = _starts(size)
    if not bool((within < size[piece]).all()):
        return None
    slot = begin[piece] + within
    filled = np.zeros(n, dtype=bool)
    filled[slot] = True
    if not bool(filled.all()):  # two documents in one slot
        return None
    by_piece = np.empty(n, dtype=np.intp)
    by_piece[slot] = np.arange(n)
    r = rows[by_piece]
    later = np.ones(n, dtype=bool)
    later[begin] = False  # a piece's first slot follows nothing of its own
    if not bool((r[1:] > r[:-1])[later[1:]].all()):
        return None
    return by_piece, begin


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    fields = address_fields(spec)
    digits = ctx.profile.inserter.piece_digits
    rows = table[ROW].to_numpy(dtype=np.int64)
    piece = table[PIECE].to_numpy(dtype=np.int64)
    within = _within(table)
    placed = None if within is None else _piece_major(rows, piece, within)
    if placed is None:
        by_piece = lex_order((rows, piece))
        p = piece[by_piece]
        first = np.ones(len(p), dtype=bool)
        first[1:] = p[1:] != p[:-1]
    else:
        by_piece, begin = placed
        p = piece[by_piece]
        first = np.zeros(len(p), dtype=bool)
        first[begin] = True
    # The first document (lowest source row) of every piece; only the columns the order needs.
    heads = take_rows(table[[c for c in (fields.postal, fields.address) if c]], by_piece[first])
    # Ranks of the distinct values only (a few hundred codes, one address per piece), in code-point order.
    postal = ranks(arrow_strings(_column(heads, fields.postal)), normalise_postal)
    addr = ranks(arrow_strings(_column(heads, fields.address)))
    # _piece already runs in normalised-key order (then part), so it stands for the recipient key here; it
    # differs between any two pieces, so the source row never has to decide (and the keys fold into one int).
    head_order = lex_order((p[first], addr, postal))
    if len(head_order) >= 10**digits:
        raise ConfigError("mail.piece_seq_overflow", digits=digits)
    rank_of_piece = np.empty(int(piece.max()) + 1 if len(piece) else 0, dtype=np.int64)
    rank_of_piece[p[first][head_order]] = np.arange(len(head_order))
    rank = rank_of_piece[piece]
    if placed is None or within is None:
        order = lex_order((rows, rank))
    else:  # the pieces' slots moved to their ranks' places, documents keeping their places in the piece
        order = np.empty(len(rank), dtype=np.intp)
        order[_starts(np.bincount(rank))[rank] + within] = np.arange(len(rank))

    out = take_rows(table, order).reset_index(drop=True)
    r = rank[order]
    start = np.ones(len(r), dtype=bool)
    start[1:] = r[1:] != r[:-1]
    begin = np.maximum.accumulate(np.where(start, np.arange(len(r)), 0))
    out[PIECE] = r
    out["piece_seq"] = int_strings(r + 1, out.index, digits)
    out["doc_index"] = int_strings(np.arange(len(r)) - begin + 1, out.index)
    return StageResult(out, [], {"pieces": len(head_order), "documents": len(out)})
