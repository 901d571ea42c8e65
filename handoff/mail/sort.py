"""Postal sort: pieces in order of 郵便番号, then address, then recipient key, then source row.

The 郵便番号 and address are where the piece goes: the 送付先 when householding made the ``_to_*`` columns.

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
from handoff.kernels.runs import by_slot, numbered_order, place_in_run, run_starts
from handoff.kernels.strings import arrow_strings, nfkc_arrow
from handoff.mail import address_fields, recipient
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


def _by_piece(table: pd.DataFrame, within: npt.NDArray[np.int64] | None
              ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_], bool]:
    """The documents by piece, then source row; which of them is its piece's first (lowest source row); and
    whether householding's numbering placed them (rather than a sort)."""
    rows = table[ROW].to_numpy(dtype=np.int64)
    piece = table[PIECE].to_numpy(dtype=np.int64)
    # Householding numbers the pieces 0, 1, … and each piece's documents by source row: those numbers place the
    # documents directly. A table numbered otherwise gives None, and is sorted.
    placed = None if within is None else numbered_order(rows, piece, within)
    if placed is None:
        by_piece = lex_order((rows, piece))
        return by_piece, run_starts(piece[by_piece]), False
    by_piece, begin = placed
    first = np.zeros(len(by_piece), dtype=bool)
    first[begin] = True
    return by_piece, first, True


def _piece_ranks(table: pd.DataFrame, spec: ProgramSpec, by_piece: npt.NDArray[np.intp],
                 first: npt.NDArray[np.bool_]) -> tuple[npt.NDArray[np.int64], int]:
    """Each document's piece's rank in the postal order (郵便番号, then address, then recipient key, of the
    piece's first document), and the number of pieces."""
    fields = address_fields(spec)
    # Where the piece goes: householding's destination columns when the programme has 送付先.
    postal_col = recipient.column(table, "postal", fields.postal)
    address_col = recipient.column(table, "address", fields.address)
    piece = table[PIECE].to_numpy(dtype=np.int64)
    p = piece[by_piece]
    # The first document (lowest source row) of every piece; only the columns the order needs.
    heads = take_rows(table[[c for c in (postal_col, address_col) if c]], by_piece[first])
    # Ranks of the distinct values only (a few hundred codes, one address per piece), in code-point order.
    postal = ranks(arrow_strings(_column(heads, postal_col)), normalise_postal)
    addr = ranks(arrow_strings(_column(heads, address_col)))
    # _piece already runs in normalised-key order (then part), so it stands for the recipient key here; it
    # differs between any two pieces, so the source row never has to decide (and the keys fold into one int).
    head_order = lex_order((p[first], addr, postal))
    rank_of_piece = np.empty(int(piece.max()) + 1 if len(piece) else 0, dtype=np.int64)
    rank_of_piece[p[first][head_order]] = np.arange(len(head_order))
    return rank_of_piece[piece], len(head_order)


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """The documents in postal order of their pieces, numbered ``piece_seq`` and ``doc_index``."""
    digits = ctx.profile.inserter.piece_digits
    within = _within(table)
    by_piece, first, placed = _by_piece(table, within)
    rank, pieces = _piece_ranks(table, spec, by_piece, first)
    if pieces >= 10**digits:
        raise ConfigError("mail.piece_seq_overflow", digits=digits)
    if not placed or within is None:
        order = lex_order((table[ROW].to_numpy(dtype=np.int64), rank))
    else:  # the pieces' slots moved to their ranks' places, documents keeping their places in the piece
        order = by_slot(rank, within)

    out = take_rows(table, order).reset_index(drop=True)
    r = rank[order]
    out[PIECE] = r
    out["piece_seq"] = int_strings(r + 1, out.index, digits)
    out["doc_index"] = int_strings(place_in_run(run_starts(r)) + 1, out.index)
    return StageResult(out, [], {"pieces": pieces, "documents": len(out)})
