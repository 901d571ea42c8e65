"""Customer barcodes for whole columns: the Arrow and numpy form of ``customer_barcode.encode_many``.

``encode_many`` runs Python for each address, and a 1,000,000-document run has ~600,000 distinct addresses.
Most of them are written "prefecture city 町域 住所B" or "city 町域 住所B" exactly, for a 郵便番号 with one
町域, and for those every step is a column operation here:
- the 町域 prefix is compared and cut off with Arrow kernels, one pass per distinct prefix length;
- a 住所B of digits and separators only ("3丁目12番5号 見本ハイツ101号室") gives its number as its digit runs
  joined by hyphens, in numpy; any other 住所B goes through ``extract`` once per distinct value;
- symbols, bars and check-value sums are made once per distinct 郵便番号 and per distinct number, the mod-19
  check is computed in numpy, and each output row is joined from those small tables in Arrow.
Every other row (a code with several 町域, half-width katakana, an address spelled with blanks or 大字, an
address outside its 町域, a number holding a letter) goes through the per-address encoder, which stays the
reference; property tests pin both paths to the same result.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from handoff.errors import IntegrityError
from handoff.jp import address, postal
from handoff.jp import customer_barcode as cb
from handoff.kernels.buffers import utf8_buffer
from handoff.kernels.strings import cut_prefixes, digit_bytes, nfkc_arrow, rows_at, utf8_buffers

# What a 郵便番号 allows: the literal-prefix fast path, the pattern (reference path), an office code (no
# 住所表示番号: 13 × CC4), or no barcode at all (unknown / 代表番号).
FAST, SLOW, OFFICE, NONE = 0, 1, 2, 3
# 住所B whose number is simply its digit runs, half-width, joined by single hyphens (see
# ``customer_barcode.PLAIN_CHARS``); every other 住所B goes through ``extract`` itself.
_SIMPLE = f"^[{cb.PLAIN_CHARS}]*$"


def _holding(texts: Any, byte: int) -> npt.NDArray[np.bool_]:
    """Rows whose UTF-8 holds ``byte`` (one pass over the bytes)."""
    offsets, data = utf8_buffers(texts)
    return rows_at(offsets, np.flatnonzero(data[offsets[0] : offsets[-1]] == byte) + offsets[0])


def _half_kana(texts: Any) -> npt.NDArray[np.bool_]:
    """Rows holding half-width katakana (U+FF61–U+FF9F: UTF-8 EF BD A1–BF and EF BE 80–9F), found in the
    bytes in one pass rather than by a regular expression run on every address to find almost none."""
    offsets, data = utf8_buffers(texts)
    body = data[offsets[0] : offsets[-1]]
    lead = np.flatnonzero(body[:-2] == 0xEF)  # a character of the full- and half-width block
    second, third = body[lead + 1], body[lead + 2]
    kana = lead[((second == 0xBD) & (third >= 0xA1)) | ((second == 0xBE) & (third <= 0x9F))]
    return rows_at(offsets, kana + offsets[0])


def _digit_runs(arr: Any) -> Any:
    """Per value, its ASCII digit runs joined by single hyphens ("3丁目12番5号" → "3-12-5"), in numpy.

    What ``extract`` gives for a value whose other characters are all separators, computed on the UTF-8
    bytes rather than by a (slower) regular-expression replace: a multi-byte character never holds a byte
    0x30–0x39, so it is a separator byte by byte.
    """
    n = len(arr)
    offsets, data = utf8_buffers(arr)
    buf = data[offsets[0] : offsets[-1]]
    if not len(buf):
        return _strings(np.zeros(0, dtype=np.uint8), np.zeros(n, dtype=np.int64))
    offsets = offsets - offsets[0]
    starts = offsets[:-1][offsets[1:] > offsets[:-1]]  # first byte of each non-empty value
    digit = digit_bytes(buf)
    # A run starts at a digit whose left neighbour is no digit of the same value, and ends at one whose right
    # neighbour is none; a run never crosses from one value into the next.
    after_digit = np.zeros(len(buf), dtype=bool)
    after_digit[1:] = digit[:-1]
    after_digit[starts] = False
    before_digit = np.zeros(len(buf), dtype=bool)
    before_digit[:-1] = digit[1:]
    before_digit[starts[1:] - 1] = False
    run_start = np.flatnonzero(digit & ~after_digit)
    run_end = np.flatnonzero(digit & ~before_digit)  # paired with run_start, in order
    # Value v's runs are first[v] … first[v + 1] - 1: the runs start in byte order, so one search per value
    # (not per run) finds them.
    first = np.searchsorted(run_start, offsets, side="left")
    final = np.zeros(len(run_start), dtype=bool)  # the last run of its value: no hyphen after it
    some = first[1:] > first[:-1]
    final[first[1:][some] - 1] = True
    taken = run_end - run_start + 1 + ~final  # its digits, and the hyphen after all but the last
    ends = np.cumsum(taken)
    total = np.zeros(len(ends) + 1, dtype=np.int64)
    total[1:] = ends
    lengths = total[first[1:]] - total[first[:-1]]
    # The byte after a non-final run is a separator of the same value: kept, it becomes the hyphen.
    keep = digit
    keep[run_end[~final] + 1] = True
    out = buf[keep]
    out[ends[~final] - 1] = ord("-")
    return _strings(out, lengths)


def numbers_of(rests: Any) -> Any:
    """The 住所表示番号 of each 住所B (Arrow large_string in, out): ``extract`` applied row by row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    simple = pc.match_substring_regex(rests, _SIMPLE).to_numpy(zero_copy_only=False)
    # In a simple 住所B, NFKC changes only full-width digits, hyphens and blanks, all of whose UTF-8 begins
    # with EF or E3 80; of those only the digits matter here (the others stay separators). Only values
    # holding a full-width character are normalised.
    wide = _holding(rests, 0xEF) & simple
    texts = rests
    if wide.any():
        mask = pa.array(wide)
        texts = pc.replace_with_mask(rests, mask, nfkc_arrow(rests.filter(mask)).cast(pa.large_string()))
    numbers = _digit_runs(texts)  # every row: the others are replaced below
    if simple.all():
        return numbers
    hard = pa.array(~simple)
    hard_enc = pc.dictionary_encode(rests.filter(hard))
    extracted = pa.array([cb.extract(r) for r in hard_enc.dictionary.to_pylist()], type=pa.large_string())
    return pc.replace_with_mask(numbers, hard, extracted.take(hard_enc.indices))


# A symbol's check value (0–9 digits, 10 hyphen, 11–18 CC1–CC8) per byte of a plain number; "c" stands for the
# CC4 that pads a number to 13 symbols.
_VALUE_OF = np.full(256, 255, dtype=np.uint8)
for _ch, _v in [*((str(d), d) for d in range(10)), ("-", 10), ("c", cb.VALUE["CC4"])]:
    _VALUE_OF[ord(_ch)] = _v
_BARS_OF = np.array([list(cb.BARS[cb.BY_VALUE[v]].encode("ascii")) for v in range(19)], dtype=np.uint8)
# Each symbol's name and a blank, zero-padded to 4 bytes ("1 ", "CC4 "); the zeros are dropped when joined.
_SLOT_OF = np.array([list((cb.BY_VALUE[v] + " ").encode("ascii").ljust(4, b"\0")) for v in range(19)],
                    dtype=np.uint8)
_LAST_SLOT_OF = np.array([list(cb.BY_VALUE[v].encode("ascii").ljust(4, b"\0")) for v in range(19)],
                         dtype=np.uint8)


def packed(arr: Any, width: int) -> npt.NDArray[np.uint8]:
    """The bytes of an ASCII string array whose values all have ``width`` bytes, as an (n, width) matrix."""
    import pyarrow.compute as pc

    lengths = pc.binary_length(arr).to_numpy(zero_copy_only=False)
    if arr.null_count or not (lengths == width).all():
        raise IntegrityError("mail.cb_bars_invalid")
    return utf8_buffer(arr).reshape(len(arr), width)


def _strings(data: npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64]) -> Any:
    """An Arrow large_string array from concatenated bytes and per-value lengths."""
    import pyarrow as pa

    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    # The array's own bytes become the Arrow buffer (no copy; the buffer keeps the array alive).
    body = pa.py_buffer(np.ascontiguousarray(data))
    return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), body)


def _parts_table(values: npt.NDArray[np.uint8]) -> tuple[Any, Any, npt.NDArray[np.int64]]:
    """For a (u, k) matrix of symbol values: each row's names joined by blanks, its bars, its value sum."""
    import pyarrow as pa

    u, k = values.shape
    slots = _SLOT_OF[values].reshape(u, 4 * k)
    if k:
        slots[:, 4 * (k - 1) :] = _LAST_SLOT_OF[values[:, -1]]  # no blank after the last name
    keep = slots != 0
    bars = _BARS_OF[values].reshape(-1)
    return (_strings(slots[keep], keep.sum(axis=1, dtype=np.int64)),
            pa.LargeStringArray.from_buffers(u, pa.py_buffer(np.arange(u + 1, dtype=np.int64) * 3 * k),
                                             pa.py_buffer(bars.tobytes())),
            values.sum(axis=1, dtype=np.int64))


class _PlainTables(NamedTuple):
    """Symbols (joined by blanks), bars and check-value sums per distinct code and per distinct number."""

    zip_compact: Any
    zip_bars: Any
    zip_sum: npt.NDArray[np.int64]
    number_compact: Any
    number_bars: Any
    number_sum: npt.NDArray[np.int64]


def _plain_tables(zip7s: list[str], numbers: Any) -> _PlainTables:
    """The table form of ``customer_barcode._parts`` for 7-digit codes and numbers of digits and hyphens:
    the first 13 characters, padded with CC4."""
    import pyarrow as pa
    import pyarrow.compute as pc

    zip_values = _VALUE_OF[np.frombuffer("".join(zip7s).encode("ascii"), dtype=np.uint8).reshape(-1, 7)]
    padded = pc.utf8_rpad(pc.utf8_slice_codeunits(numbers, 0, cb.ADDRESS_SYMBOLS), cb.ADDRESS_SYMBOLS, "c")
    number_values = _VALUE_OF[packed(padded.cast(pa.large_string()), cb.ADDRESS_SYMBOLS)]
    if (zip_values == 255).any() or (number_values == 255).any():
        raise IntegrityError("mail.cb_bad_number")
    return _PlainTables(*_parts_table(zip_values), *_parts_table(number_values))


def encode_arrow(codes: Any, texts: Any, spread: npt.NDArray[np.int64] | None = None) -> tuple[Any, Any, Any]:
    """(cb_symbols, cb_bars, reason) for Arrow large_string columns of 郵便番号 and 住所, row by row.

    Same values as ``encode_many(zip(codes, texts))``: reason is "" when a barcode was made, else unknown /
    daihyo / town_mismatch with both columns empty. With ``spread`` (indices into the inputs), the result
    has one row per index instead: the caller encodes each distinct address once and spreads it in the
    same gather that restores the row order.
    """
    import pyarrow.compute as pc

    n = len(codes)
    encoded = pc.dictionary_encode(codes)
    code_idx = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    known = _codes(encoded.dictionary.to_pylist())
    routes = _routes(texts, known.kinds[code_idx], code_idx, known)
    # Rows with a 住所表示番号 (office codes have the empty one). Numbers of digits and hyphens (nearly all)
    # become symbols by table lookups; a number holding a letter (A → CC1 + 0, truncation keeping a bare
    # CC) goes through the reference encoder once per distinct (code, number), as do the slow rows.
    numbers = numbers_of(routes.rests)
    plain = pc.match_substring_regex(numbers, "^[0-9-]*$").to_numpy(zero_copy_only=False)
    plain_rows, letter_rows = np.flatnonzero(plain), np.flatnonzero(~plain)
    tables, number_of = _plain_numbers(numbers, plain_rows, routes.numbered[plain_rows], known.zip7s, n)
    is_plain = np.zeros(n, dtype=bool)
    is_plain[routes.numbered[plain_rows]] = True
    whole, whole_of = _whole_values(codes, texts, code_idx, known, numbers, letter_rows, routes)
    _refuse_lost_rows(n, routes.numbered[plain_rows], routes.numbered[letter_rows], routes.slow, routes.none)
    return _assemble(tables, whole, code_idx, number_of, whole_of, is_plain,
                     np.arange(n, dtype=np.int64) if spread is None else spread)


class _Codes(NamedTuple):
    """What each distinct 郵便番号 allows, and what the paths need of it."""

    kinds: npt.NDArray[np.int8]  # FAST, SLOW, OFFICE or NONE
    none_reason: list[str]  # why a NONE code has no barcode (unknown / daihyo); "" for the others
    first: list[str]  # a FAST code's two literal 町域 prefixes ("" for the others)
    second: list[str]
    zip7s: list[str]  # the 7-digit code ("0000000" for an unknown one, whose rows never use it)


def _codes(distinct: list[str]) -> _Codes:
    """Each distinct 郵便番号 looked up once in the postal table."""
    kinds = np.full(len(distinct), NONE, dtype=np.int8)
    none_reason, first, second, zip7s = [], [], [], []
    for i, code in enumerate(distinct):
        entry = postal.lookup(code)
        prefixes: tuple[str, ...] = ()
        if entry is None and postal.box_bundle(code) is not None:
            none_reason.append("")
            kinds[i] = SLOW  # a 私書箱 包括番号: the per-address encoder reads the box number
        elif entry is None or entry.is_daihyo:
            none_reason.append("unknown" if entry is None else "daihyo")
        else:
            none_reason.append("")
            if entry.is_office:
                kinds[i] = OFFICE
            else:
                prefixes = address.literal_prefixes(entry)  # no pattern compiled unless a slow row needs it
                kinds[i] = FAST if len(prefixes) == 2 else SLOW
        p1, p2 = prefixes if len(prefixes) == 2 else ("", "")
        first.append(p1)
        second.append(p2)
        zip7s.append(entry.code if entry is not None else "0000000")  # unused for unknown codes
    return _Codes(kinds, none_reason, first, second, zip7s)


class _Routes(NamedTuple):
    """The rows (indices into the inputs) by the path they take."""

    numbered: npt.NDArray[np.int64]  # a 住所B cut by the first literal prefix, by the second, then office codes
    rests: Any  # the 住所B of each ``numbered`` row, in that order ("" for an office code)
    slow: npt.NDArray[np.int64]  # the per-address encoder's rows, ascending
    none: npt.NDArray[np.int64]  # rows whose code has no barcode


def _routes(texts: Any, kind: npt.NDArray[np.int8], code_idx: npt.NDArray[np.int64], known: _Codes) -> _Routes:
    """Which path each row takes: the literal-prefix fast path where a prefix fits, else the slow path."""
    import pyarrow as pa

    half_kana = _half_kana(texts)
    # The fast path: the first literal prefix, then the second; whatever neither takes is a slow row.
    fast = np.flatnonzero((kind == FAST) & ~half_kana)
    m1, rest1 = cut_prefixes(texts, fast, known.first, code_idx[fast])
    left = fast[~m1]
    m2, rest2 = cut_prefixes(texts, left, known.second, code_idx[left])
    by_first, by_second = fast[m1], left[m2]
    slow = np.flatnonzero((kind == SLOW) | ((kind == FAST) & half_kana))
    slow = np.sort(np.concatenate([slow, left[~m2]]))
    office = np.flatnonzero(kind == OFFICE)
    return _Routes(np.concatenate([by_first, by_second, office]),
                   pa.concat_arrays([rest1, rest2, pa.array([""] * len(office), type=pa.large_string())]),
                   slow, np.flatnonzero(kind == NONE))


def _plain_numbers(numbers: Any, plain_rows: npt.NDArray[np.int64], rows: npt.NDArray[np.int64],
                   zip7s: list[str], n: int) -> tuple[_PlainTables, npt.NDArray[np.int64]]:
    """The tables of the distinct plain numbers (``numbers[plain_rows]``, which belong to input ``rows``), and
    which distinct number each input row takes (0 for rows that take none)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    plain_enc = pc.dictionary_encode(numbers.take(pa.array(plain_rows)))
    distinct_numbers = plain_enc.dictionary if len(plain_enc.dictionary) else pa.array([""], pa.large_string())
    tables = _plain_tables(zip7s, distinct_numbers.cast(pa.large_string()))
    number_of = np.zeros(n, dtype=np.int64)
    number_of[rows] = plain_enc.indices.to_numpy(zero_copy_only=False)
    return tables, number_of


def _whole_values(codes: Any, texts: Any, code_idx: npt.NDArray[np.int64], known: _Codes, numbers: Any,
                  letter_rows: npt.NDArray[np.int64], routes: _Routes
                  ) -> tuple[list[tuple[str, str, str]], npt.NDArray[np.int64]]:
    """Whole values (symbols, bars, reason) for the rows the tables do not make, and which one each input row
    takes: numbers holding a letter (once per distinct code and number), slow rows, codes without a barcode."""
    import pyarrow as pa
    import pyarrow.compute as pc

    whole: list[tuple[str, str, str]] = []
    whole_of = np.zeros(len(codes), dtype=np.int64)
    lettered = routes.numbered[letter_rows]
    letter_pairs = pc.binary_join_element_wise(
        pa.array(known.zip7s, type=pa.large_string()).take(pa.array(code_idx[lettered])),
        numbers.take(pa.array(letter_rows)), pa.scalar(" ", pa.large_string()))
    letter_enc = pc.dictionary_encode(letter_pairs)
    for pair in letter_enc.dictionary.to_pylist():
        made = cb.encode_extracted(*pair.split(" "))
        whole.append((made.compact, made.bars, ""))
    whole_of[lettered] = letter_enc.indices.to_numpy(zero_copy_only=False)
    slow = routes.slow
    whole_of[slow] = len(whole) + np.arange(len(slow))
    whole.extend(cb.encode_many(zip(codes.take(pa.array(slow)).to_pylist(), texts.take(pa.array(slow)).to_pylist(),
                                    strict=True)))
    whole_of[routes.none] = len(whole) + code_idx[routes.none]
    whole.extend(("", "", reason) for reason in known.none_reason)
    return whole, whole_of


def _refuse_lost_rows(n: int, *paths: npt.NDArray[np.int64]) -> None:
    """Every row takes exactly one path: nothing dropped, nothing doubled."""
    seen = np.zeros(n, dtype=np.int64)
    for rows in paths:
        seen[rows] += 1
    if not (seen == 1).all():
        raise IntegrityError("run.conservation", read=n)


def _assemble(tables: _PlainTables, whole: list[tuple[str, str, str]], code_idx: npt.NDArray[np.int64],
              number_of: npt.NDArray[np.int64], whole_of: npt.NDArray[np.int64], is_plain: npt.NDArray[np.bool_],
              rows: npt.NDArray[np.int64]) -> tuple[Any, Any, Any]:
    """The three output columns for ``rows`` (indices into the inputs), each built in one pass.

    Every piece is gathered from a small table (codes, distinct numbers, the 19 check symbols), so the
    gathers stay in cache; rows that took another path are then overwritten with their whole values.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def lit(text: str) -> Any:
        return pa.scalar(text, pa.large_string())

    code, number = code_idx[rows], number_of[rows]
    check = pa.array((19 - (tables.zip_sum[code] + tables.number_sum[number]) % 19) % 19)
    check_compact, check_bars, _ = _parts_table(np.arange(19, dtype=np.uint8)[:, None])
    at_code, at_number = pa.array(code), pa.array(number)
    symbols = pc.binary_join_element_wise(tables.zip_compact.take(at_code), tables.number_compact.take(at_number),
                                          check_compact.take(check), lit(" "))
    # The start bars go on the (few hundred) codes' bars and the stop bars on the 19 check symbols' bars first:
    # a constant joined on every row costs the join kernel as much as a column.
    zip_bars = pc.binary_join_element_wise(lit(cb.START), tables.zip_bars, lit(""))
    last_bars = pc.binary_join_element_wise(check_bars, lit(cb.STOP), lit(""))
    bars = pc.binary_join_element_wise(zip_bars.take(at_code), tables.number_bars.take(at_number),
                                       last_bars.take(check), lit(""))
    plain = is_plain[rows]
    reason_table = pa.array([w[2] for w in whole] + [""], type=pa.large_string())
    reasons = reason_table.take(pa.array(np.where(plain, len(whole), whole_of[rows])))
    if not plain.all():
        other = ~plain
        mask, at = pa.array(other), pa.array(whole_of[rows][other])
        symbols = pc.replace_with_mask(symbols, mask, pa.array([w[0] for w in whole], pa.large_string()).take(at))
        bars = pc.replace_with_mask(bars, mask, pa.array([w[1] for w in whole], pa.large_string()).take(at))
    return symbols, bars, reasons
