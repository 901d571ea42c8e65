"""Barcodes per document: the inserter control code and the Japan Post customer barcode.

Adds ``control_code`` and ``feeder_flags`` (both empty for postcards: no inserter), ``cb_symbols`` (the 20
data symbols and the check symbol, names joined by single spaces, e.g. "2 6 3 … CC4 5": at most 83 ASCII
bytes) and ``cb_bars`` (67 F/A/D/T). A row whose code is a 代表番号 or unknown, or whose address does not
begin with the code's 町域, gets empty customer-barcode columns and a warning ``mail.cb_no_barcode``
(detail daihyo / unknown / town_mismatch): the piece is still mailed, at the full rate, and never with a
guessed barcode.

Verification, and why it is not "render and decode all of them":
- control codes: rendering and decoding a symbol with zxing-cpp costs far more than making its value (more
  than a minute for a million documents), and every document has a distinct value. The vendor renders the
  symbols from the ``control_code`` column, so what handoff must prove is that the values are well-formed
  and that the symbology round-trips them.
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
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from handoff.contract import ROW, StageContext, StageResult
from handoff.errors import IntegrityError
from handoff.jp import customer_barcode as cb
from handoff.kernels.buffers import translate, utf8_buffer
from handoff.kernels.digits import ascii_digit_sum, grid_strings, put_digits
from handoff.kernels.halves import in_halves
from handoff.kernels.rows import ints_of
from handoff.kernels.runs import arrow_run_starts
from handoff.kernels.strings import arrow_strings, from_arrow
from handoff.kernels.threads import overlapped
from handoff.mail import address_fields, cb_columns, inserter, recipient
from handoff.mail.cb_columns import packed
from handoff.programme import ProgramSpec
from handoff.report import Finding

SAMPLE = 500
NO_BARCODE = "mail.cb_no_barcode"


def control_codes(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> tuple[pd.Series, str]:
    """All control codes and the feeder digits of this programme's pieces.

    Built as a grid of digit bytes (one row per document, ``kernels.digits``) and handed to Arrow as one
    buffer, with no Python string per code. ``compose()`` stays the reference: ``verify_sample`` compares
    every sampled value with it.
    """
    prof = ctx.profile.inserter
    flags = inserter.feeder_flags(prof, spec.enclosures)
    n = len(table)
    if n == 0:
        return pd.Series([], dtype="str"), flags
    inserter.compose(prof, 1, 1, 1, flags)  # refuses a malformed job code or feeder digits (ConfigError)
    seq = ints_of(table["piece_seq"])
    idx = ints_of(table["doc_index"])
    docs = ints_of(table["docs_in_piece"])
    if not (((seq > 0) & (seq < 10**prof.piece_digits)) & (idx > 0) & (idx <= docs) & (docs < 100)).all():
        raise IntegrityError("mail.control_code_layout")  # sort and household guarantee these ranges
    length = inserter.code_length(prof)
    grid = np.full((n, length), ord("0"), dtype=np.uint8)  # an ITF pad is the leading "0" left in place
    col = length - 1 - (2 + prof.piece_digits + 4 + len(flags))  # the body: job, seq, N, M, flags
    for value, width in ((int(prof.job_code), 2), (seq, prof.piece_digits), (idx, 2), (docs, 2),
                         (int(flags), len(flags))):
        put_digits(grid, col, value, width)
        col += width
    _put_check_digit(grid)
    return from_arrow(grid_strings(grid), table.index), flags


def _put_check_digit(grid: npt.NDArray[np.uint8]) -> None:
    """The last column of a grid of ASCII digits: the GS1 mod-10 check digit of the others (weights 3, 1, 3,
    … from the right)."""
    weights = np.where(np.arange(grid.shape[1] - 1)[::-1] % 2 == 0, 3, 1).tolist()
    grid[:, -1] = (10 - ascii_digit_sum(grid, weights) % 10) % 10 + ord("0")


def verify_sample(values: pd.Series, table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> int:
    """Render and decode the sample described in the module docstring; returns how many were verified.

    Each sampled value must also equal ``inserter.compose`` of its row (the reference layout).
    """
    prof = ctx.profile.inserter
    flags = inserter.feeder_flags(prof, spec.enclosures)
    n = len(values)
    idx = ints_of(table["doc_index"])
    docs = ints_of(table["docs_in_piece"])
    seq = ints_of(table["piece_seq"])
    raw = utf8_buffer(arrow_strings(values))
    if raw.size != n * inserter.code_length(prof):
        raise IntegrityError("mail.control_code_layout")
    checks = raw.reshape(n, -1)[:, -1]
    picks = set(range(min(n, 30))) | set(range(max(0, n - 30), n))
    picks |= set(np.unique(idx * 100 + docs, return_index=True)[1].tolist())  # every (N, M) combination
    picks |= set(np.unique(checks, return_index=True)[1].tolist())  # every check digit
    picks |= set(ctx.rng.sample(range(n), min(SAMPLE, n)))
    seen: set[str] = set()
    for i in sorted(picks):
        value = str(values.iloc[i])
        if value != inserter.compose(prof, int(seq[i]), int(idx[i]), int(docs[i]), flags):
            raise IntegrityError("mail.control_code_layout")
        if value in seen:
            continue
        seen.add(value)
        if not inserter.is_valid(value):
            raise IntegrityError("mail.control_code_layout")
        inserter.verify(value, prof.symbology)
    return len(seen)


# F, A, D, T → 0..3 (255: not a bar); a triple's code is a*16 + b*4 + c → its check value (255: no symbol).
# Both are byte tables for ``kernels.buffers.translate``.
_BAR_INDEX = bytearray(b"\xff" * 256)
for _i, _c in enumerate("FADT"):
    _BAR_INDEX[ord(_c)] = _i
_TRIPLE_VALUE = bytearray(b"\xff" * 256)
for _sym, _bars in cb.BARS.items():
    _TRIPLE_VALUE[sum(_BAR_INDEX[ord(c)] << (4 - 2 * k) for k, c in enumerate(_bars))] = cb.VALUE[_sym]


def check_bars(bars: Any) -> None:
    """Decode every bar string back (vectorised): length, start/stop, valid triples, mod-19 sum.

    ``bars``: an Arrow string array of non-empty bar strings.
    """
    n = len(bars)
    if n == 0:
        return
    raw = packed(bars, 67)
    ok = (raw[:, 0] == ord("F")) & (raw[:, 1] == ord("D")) & (raw[:, 65] == ord("D")) & (raw[:, 66] == ord("F"))
    bar_of = translate(raw, _BAR_INDEX)
    if int(bar_of.max()) == 255:  # a byte that is no bar
        raise IntegrityError("mail.cb_bars_invalid")
    tri = bar_of[:, 2:65].reshape(n, 21, 3)
    code = (tri[:, :, 0] << 2 | tri[:, :, 1]) << 2 | tri[:, :, 2]
    values = translate(code.astype(np.uint8, copy=False), _TRIPLE_VALUE)
    if 255 in values:  # a triple that is no symbol
        raise IntegrityError("mail.cb_bars_invalid")
    if not (ok & (values.sum(axis=1, dtype=np.uint16) % 19 == 0)).all():
        raise IntegrityError("mail.cb_bars_invalid")


_SPLIT_ROWS = 200_000  # fewer rows than this are encoded in one piece


def customer_barcodes(postal: pd.Series, address: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(cb_symbols, cb_bars, reason) per row, computed once per run of equal (郵便番号, 住所).

    After the sort, a piece's documents are adjacent and nearly always spell its address the same way, so
    comparing each row with the one before finds the distinct addresses without hashing a million strings;
    an address that recurs further away is simply encoded again (same result). A long column is encoded in
    two halves at once (``in_halves``): a run cut by the halves is encoded in both, which gives it the same
    symbols and bars.
    """
    codes, texts = arrow_strings(postal), arrow_strings(address)
    n = len(codes)
    if n < _SPLIT_ROWS:
        symbols, bars, reasons = _customer_part(codes, texts)
    else:
        parts = in_halves("barcode", _customer_part, (codes, texts))
        symbols, bars, reasons = (pa.concat_arrays([part[k] for part in parts]) for k in range(3))
    step = max(1, n // 50)
    for i in range(0, n, step):  # the symbols column says what the bars say
        bar = bars[i].as_py()
        if bar and cb.decode_bars(bar) != symbols[i].as_py().split(" "):
            raise IntegrityError("mail.cb_bars_invalid")
    return from_arrow(symbols, postal.index), from_arrow(bars, postal.index), from_arrow(reasons, postal.index)


def _customer_part(codes: Any, texts: Any) -> tuple[Any, Any, Any]:
    """(cb_symbols, cb_bars, reason) as Arrow arrays for the rows of ``codes`` and ``texts``, one encoding per
    run of equal rows; every distinct bar string made is decoded back (``check_bars``)."""
    import pyarrow.compute as pc

    new = arrow_run_starts([codes, texts])
    starts = np.flatnonzero(new)
    run_of_row = np.cumsum(new) - 1  # which run (distinct address) each row belongs to
    at = pa.array(starts)
    symbols, bars, reasons = cb_columns.encode_arrow(codes.take(at), texts.take(at), spread=run_of_row)
    # Every row holds a copy of its run's first row: decoding the first rows decodes every distinct value.
    firsts = bars.take(at)
    check_bars(firsts.filter(pc.equal(reasons.take(at), pa.scalar("", pa.large_string()))))
    return symbols, bars, reasons


def _inserter_columns(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> tuple[Any, Any, int]:
    """(control_code, feeder_flags, how many codes zxing-cpp verified) for every document."""
    values, flags = control_codes(table, spec, ctx)
    return values, flags, verify_sample(values, table, spec, ctx)


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """Inserter control codes and customer barcodes for every document; a missing barcode is a warning."""
    out = table.copy()
    fields = address_fields(spec)
    stats: dict[str, object] = {}
    # The inserter codes (with their zxing-cpp sample) and the customer barcodes read different columns and
    # write nothing shared: the codes are made on a worker thread while the customer barcodes are made here.
    made, (symbols, bars, reason) = overlapped(
        lambda: None if spec.postcard else _inserter_columns(out, spec, ctx),
        lambda: customer_barcodes(*recipient.barcode_columns(out, spec)),  # the 送付先 where a row has one
    )
    if made is None:
        out["control_code"] = ""
        out["feeder_flags"] = ""
    else:
        out["control_code"], out["feeder_flags"], stats["control_codes_verified"] = made
    out["cb_symbols"], out["cb_bars"] = symbols, bars
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
