"""Postal sort: pieces in order of 郵便番号, then address, then recipient key, then source row.

Sorting is done per piece (on its first document), never per row, so a piece's documents stay together
even when two children's rows spell their guardian's address differently. Assigns ``piece_seq`` 1..N
(zero-padded to ``profile.inserter.piece_digits``) and each document's ``doc_index`` within its piece; the
result depends only on the rows, not on their input order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from handoff.errors import ConfigError
from handoff.mail import address_fields
from handoff.programme import ProgramSpec
from handoff.stages.base import ROW, StageContext, StageResult
from handoff.stages.columns import arrow_strings, int_strings, lex_order, nfkc_arrow, ranks, take_rows
from handoff.stages.household import PIECE


def normalise_postal(arr: Any) -> Any:
    """郵便番号 (Arrow strings) in NFKC with no hyphen after the 3rd digit: only for ordering (validate
    already checked them)."""
    import pyarrow.compute as pc

    arr = nfkc_arrow(arr)
    return pc.replace_substring_regex(pc.utf8_trim_whitespace(arr), r"^(\d{3})\D", r"\1")


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    return table[name].fillna("").astype("str") if name else pd.Series("", index=table.index, dtype="str")


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    fields = address_fields(spec)
    digits = ctx.profile.inserter.piece_digits
    rows = table[ROW].to_numpy(dtype=np.int64)
    piece = table[PIECE].to_numpy(dtype=np.int64)
    by_piece = lex_order((rows, piece))
    p = piece[by_piece]
    first = np.ones(len(p), dtype=bool)
    first[1:] = p[1:] != p[:-1]
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
    order = lex_order((rows, rank))

    out = take_rows(table, order).reset_index(drop=True)
    r = rank[order]
    start = np.ones(len(r), dtype=bool)
    start[1:] = r[1:] != r[:-1]
    begin = np.maximum.accumulate(np.where(start, np.arange(len(r)), 0))
    out[PIECE] = r
    out["piece_seq"] = int_strings(r + 1, out.index, digits)
    out["doc_index"] = int_strings(np.arange(len(r)) - begin + 1, out.index)
    return StageResult(out, [], {"pieces": len(head_order), "documents": len(out)})
