"""Barcodes per document: the inserter control code and the Japan Post customer barcode.

Adds ``control_code`` and ``feeder_flags`` (both empty for postcards: no inserter), ``cb_symbols`` (the 20
data symbols and the check symbol, names joined by single spaces, e.g. "2 6 3 … CC4 5": at most 83 ASCII
bytes) and ``cb_bars`` (67 F/A/D/T). A row whose code is a 代表番号 or unknown, or whose address does not
begin with the code's 町域, gets empty customer-barcode columns and a warning ``mail.cb_no_barcode``
(detail daihyo / unknown / town_mismatch): the piece is still mailed, at the full rate, and never with a
guessed barcode.

Verification, and why it is not "render and decode all of them":
- control codes: rendering plus zxing-cpp decoding costs ~90 µs per symbol, ~90 s for 1,000,000 documents,
  and every document has a distinct value. The vendor renders the symbols from the ``control_code`` column,
  so what handoff must prove is that the values are well-formed and that the symbology round-trips them.
  Every value is checked structurally (length, digits, mod-10 check, vectorised); a sample is rendered and
  decoded with zxing-cpp: the first and last documents (the proof sheet's), the first document of every
  (N, M) combination, one value per check digit, and up to ``SAMPLE`` random ones. Value-dependent encoder
  bugs such as python-barcode's dropped leading "99" show up on any value of the affected shape, and the
  sample covers every shape the layout can take. The proof sheet decodes everything it prints as well.
- customer barcodes: the bars are a table lookup of the symbols, so every distinct bar string is decoded
  back (vectorised): 67 bars, start/stop, valid triples and the mod-19 sum; a sample is also compared with
  its ``cb_symbols``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from handoff.errors import IntegrityError
from handoff.jp import customer_barcode as cb
from handoff.mail import address_fields, cb_columns, inserter
from handoff.mail.cb_columns import packed
from handoff.pipeline.report import Finding
from handoff.programme import ProgramSpec
from handoff.stages.base import ROW, StageContext, StageResult
from handoff.stages.columns import arrow_strings, from_arrow

SAMPLE = 500
NO_BARCODE = "mail.cb_no_barcode"


def control_codes(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> tuple[pd.Series, str]:
    """All control codes (vectorised) and the feeder digits of this programme's pieces."""
    prof = ctx.profile.inserter
    flags = inserter.feeder_flags(prof, spec.enclosures)
    if len(table) == 0:
        return pd.Series([], dtype="str"), flags
    # compose() is the reference; this is the same layout built column-wise, checked against it below.
    inserter.compose(prof, 1, 1, 1, flags)
    seq = table["piece_seq"].astype("str")
    idx = table["doc_index"].astype("str").str.zfill(2)
    docs = table["docs_in_piece"].astype("str").str.zfill(2)
    body = prof.job_code + seq + idx + docs + flags
    length = inserter.code_length(prof) - 1
    if prof.symbology == "itf" and len(body.iloc[0]) < length:
        body = "0" + body
    if not (body.str.len() == length).all() or not body.str.fullmatch(r"\d+").all():
        raise IntegrityError("mail.control_code_layout")
    digits = np.frombuffer("".join(body.tolist()).encode("ascii"), dtype=np.uint8).reshape(-1, length) - 48
    weights = np.where(np.arange(length)[::-1] % 2 == 0, 3, 1)
    check = (10 - (digits.astype(np.int64) @ weights) % 10) % 10
    values = body + pd.Series(check.astype(np.uint8) + 48, index=body.index).map(chr)
    first = table.iloc[0]
    if values.iloc[0] != inserter.compose(prof, int(first["piece_seq"]), int(first["doc_index"]),
                                          int(first["docs_in_piece"]), flags):
        raise IntegrityError("mail.control_code_layout")
    return values, flags


def verify_sample(values: pd.Series, table: pd.DataFrame, symbology: str, ctx: StageContext) -> int:
    """Render and decode the sample described in the module docstring; returns how many were verified."""
    n = len(values)
    picks = set(range(min(n, 30))) | set(range(max(0, n - 30), n))
    combos = table["doc_index"].astype("str") + "/" + table["docs_in_piece"].astype("str")
    picks |= set(np.flatnonzero(~combos.duplicated().to_numpy()).tolist())
    picks |= set(np.flatnonzero(~values.str[-1].duplicated().to_numpy()).tolist())
    picks |= set(ctx.rng.sample(range(n), min(SAMPLE, n)))
    sample = values.iloc[sorted(picks)].drop_duplicates()
    for value in sample:
        if not inserter.is_valid(value):
            raise IntegrityError("mail.control_code_layout")
        inserter.verify(value, symbology)
    return len(sample)


# F, A, D, T → 0..3 (255: not a bar); a triple's code is a*16 + b*4 + c → its check value (255: no symbol).
_BAR_INDEX = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate("FADT"):
    _BAR_INDEX[ord(_c)] = _i
_TRIPLE_VALUE = np.full(256, 255, dtype=np.uint8)
for _sym, _bars in cb.BARS.items():
    _TRIPLE_VALUE[sum(int(_BAR_INDEX[ord(c)]) << (4 - 2 * k) for k, c in enumerate(_bars))] = cb.VALUE[_sym]


def check_bars(bars: Any) -> None:
    """Decode every bar string back (vectorised, uint8): length, start/stop, valid triples, mod-19 sum.

    ``bars``: an Arrow string array of non-empty bar strings.
    """
    if len(bars) == 0:
        return
    raw = packed(bars, 67)
    start_ok = (raw[:, 0] == ord("F")) & (raw[:, 1] == ord("D"))
    ends = start_ok & (raw[:, 65] == ord("D")) & (raw[:, 66] == ord("F"))
    tri = _BAR_INDEX[raw[:, 2:65]].reshape(len(bars), 21, 3)
    if (tri == 255).any():
        raise IntegrityError("mail.cb_bars_invalid")
    values = _TRIPLE_VALUE[(tri[:, :, 0] << 4) | (tri[:, :, 1] << 2) | tri[:, :, 2]]
    ok = ends & (values != 255).all(axis=1) & (values.sum(axis=1, dtype=np.int32) % 19 == 0)
    if not ok.all():
        raise IntegrityError("mail.cb_bars_invalid")


def customer_barcodes(postal: pd.Series, address: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(cb_symbols, cb_bars, reason) per row, computed once per run of equal (郵便番号, 住所).

    After the sort, a piece's documents are adjacent and nearly always spell its address the same way, so
    comparing each row with the one before finds the distinct addresses without hashing a million strings;
    an address that recurs further away is simply encoded again (same result).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, texts = arrow_strings(postal), arrow_strings(address)
    n = len(codes)
    new = np.ones(n, dtype=bool)
    if n > 1:
        same = pc.and_(pc.equal(codes.slice(1), codes.slice(0, n - 1)), pc.equal(texts.slice(1), texts.slice(0, n - 1)))
        new[1:] = ~same.to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(new)
    run_of_row = np.cumsum(new) - 1  # which run (distinct address) each row belongs to
    at = pa.array(starts)
    symbols, bars, reasons = cb_columns.encode_arrow(codes.take(at), texts.take(at), spread=run_of_row)
    # Every row holds a copy of its run's first row: decoding the first rows decodes every distinct value.
    firsts = bars.take(at)
    check_bars(firsts.filter(pc.equal(reasons.take(at), pa.scalar("", pa.large_string()))))
    step = max(1, n // 50)
    for i in range(0, n, step):  # the symbols column says what the bars say
        bar = bars[i].as_py()
        if bar and cb.decode_bars(bar) != symbols[i].as_py().split(" "):
            raise IntegrityError("mail.cb_bars_invalid")
    return from_arrow(symbols, postal.index), from_arrow(bars, postal.index), from_arrow(reasons, postal.index)


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    out = table.copy()
    fields = address_fields(spec)
    stats: dict[str, object] = {}
    if spec.postcard:
        out["control_code"] = ""
        out["feeder_flags"] = ""
    else:
        values, flags = control_codes(out, spec, ctx)
        out["control_code"] = values.to_numpy()
        out["feeder_flags"] = flags
        stats["control_codes_verified"] = verify_sample(values, out, ctx.profile.inserter.symbology, ctx)
    out["cb_symbols"], out["cb_bars"], reason = customer_barcodes(out[fields.postal], out[fields.address])
    missing = np.flatnonzero((reason != "").to_numpy())
    rows = out[ROW].to_numpy()
    reasons = reason.to_numpy()
    findings = [
        Finding(NO_BARCODE, "warning", int(rows[i]), fields.address, str(reasons[i])) for i in missing
    ]
    stats["customer_barcodes"] = len(out) - len(missing)
    counts = reason[reason != ""].value_counts().sort_index()
    stats["no_customer_barcode"] = {str(r): int(c) for r, c in counts.items()}
    return StageResult(out, findings, stats)
