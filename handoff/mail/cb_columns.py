"""Customer barcodes for whole columns: the Arrow form of ``customer_barcode.encode_many``.

``encode_many`` spends ~6 µs of Python per address; a 1,000,000-document run has ~600,000 distinct addresses.
Most of them are written "prefecture city 町域 住所B" or "city 町域 住所B" exactly, for a 郵便番号 with one
町域, and for those every step is a column operation here:
- the 町域 prefix is compared and cut off with Arrow kernels, one pass per distinct prefix length;
- ``extract`` runs once per distinct 住所B ("1丁目2番3号" recurs across towns), in Python, as the reference;
- the 郵便番号 and address symbols, bars and check-value sums are looked up per distinct value and gathered
  with ``take``; the mod-19 check is computed in numpy; the columns are joined in Arrow.
Every other row (a code with several 町域, half-width katakana, an address spelled with blanks or 大字, an
address outside its 町域) goes through ``encode_many`` itself, so both paths follow the same rules; the
equivalence is pinned by a property test.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from handoff.errors import IntegrityError
from handoff.jp import address, postal
from handoff.jp import customer_barcode as cb

# What a 郵便番号 allows: the literal-prefix fast path, the pattern (reference path), an office code (no
# 住所表示番号: 13 × CC4), or no barcode at all (unknown / 代表番号).
FAST, SLOW, OFFICE, NONE = 0, 1, 2, 3
_HALF_KANA = "[\uff61-\uff9f]"
# 住所B whose number is simply its digit runs, half-width, joined by single hyphens: digits (either width) and
# characters ``extract`` can only read as separators — blanks, hyphens, 長音, hiragana, katakana (not ・) and
# kanji other than the numerals ("3丁目12番5号 見本ハイツ101号室", "3-12-5"). Letters, F, kanji numerals,
# & / ・ ., circled or superscript digits (NFKC would make them digits) and everything else go through
# ``extract`` itself.
_SIMPLE = "^[0-9０-９\\-－‐ー \u3000\u3005\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]*$"
_KANJI_NUMERALS = "[〇一二三四五六七八九十百千]"


def numbers_of(rests: Any) -> Any:
    """The 住所表示番号 of each 住所B (Arrow large_string in, out): ``extract`` applied row by row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    simple = (pc.match_substring_regex(rests, _SIMPLE).to_numpy(zero_copy_only=False)
              & ~pc.match_substring_regex(rests, _KANJI_NUMERALS).to_numpy(zero_copy_only=False))
    easy, hard = np.flatnonzero(simple), np.flatnonzero(~simple)
    # NFKC turns only the full-width digits, hyphen and blank of this set into ASCII ones.
    digits = pc.utf8_normalize(rests.take(pa.array(easy)), "NFKC")
    easy_numbers = pc.utf8_trim(pc.replace_substring_regex(digits, "[^0-9]+", "-"), "-")
    hard_enc = pc.dictionary_encode(rests.take(pa.array(hard)))
    extracted = pa.array([cb.extract(r) for r in hard_enc.dictionary.to_pylist()], type=pa.large_string())
    hard_numbers = extracted.take(hard_enc.indices)
    back = np.empty(len(simple), dtype=np.int64)
    back[np.concatenate([easy, hard])] = np.arange(len(simple))
    return pa.concat_arrays([easy_numbers.cast(pa.large_string()), hard_numbers]).take(pa.array(back))


def _after_prefix(texts: Any, prefixes: Any) -> tuple[npt.NDArray[np.bool_], Any]:
    """Row-wise: does ``texts[i]`` start with ``prefixes[i]``, and the rest after it (only where it does)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lengths = pc.utf8_length(prefixes).to_numpy(zero_copy_only=False)
    matched = np.zeros(len(texts), dtype=bool)
    order: list[npt.NDArray[np.intp]] = []
    rests: list[Any] = []
    for n in np.unique(lengths[lengths > 0]):
        idx = np.flatnonzero(lengths == n)
        sub = texts.take(pa.array(idx))
        same = pc.fill_null(pc.equal(pc.utf8_slice_codeunits(sub, 0, int(n)), prefixes.take(pa.array(idx))), False)
        hit = same.to_numpy(zero_copy_only=False)
        matched[idx[hit]] = True
        order.append(idx[hit])
        rests.append(pc.utf8_slice_codeunits(sub.filter(same), int(n)))
    if not rests:
        return matched, pa.array([], type=pa.large_string())
    # The rests in row order of the matched rows.
    where = np.concatenate(order)
    rest = pa.concat_arrays([r.cast(pa.large_string()) for r in rests])
    return matched, rest.take(pa.array(np.argsort(where, kind="stable")))


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

    from handoff.stages.render_encode import utf8_buffer

    lengths = pc.binary_length(arr).to_numpy(zero_copy_only=False)
    if arr.null_count or not (lengths == width).all():
        raise IntegrityError("mail.cb_bars_invalid")
    return utf8_buffer(arr).reshape(len(arr), width)


def _strings(data: npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64]) -> Any:
    """An Arrow large_string array from concatenated bytes and per-value lengths."""
    import pyarrow as pa

    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data.tobytes()))


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


def symbol_columns(zip7s: list[str], code_idx: npt.NDArray[np.int64], numbers: Any) -> tuple[Any, Any]:
    """(cb_symbols, cb_bars) per row from its code (``zip7s[code_idx]``) and a number of digits and hyphens.

    The table form of ``customer_barcode._parts``: the first 13 characters, padded with CC4; the mod-19
    check; 3 bars per symbol between start and stop. Symbols, bars and sums are made once per distinct
    code and per distinct number, then gathered per row.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    zip_values = _VALUE_OF[np.frombuffer("".join(zip7s).encode("ascii"), dtype=np.uint8).reshape(-1, 7)]
    encoded = pc.dictionary_encode(numbers)
    padded = pc.utf8_rpad(pc.utf8_slice_codeunits(encoded.dictionary, 0, cb.ADDRESS_SYMBOLS),
                          cb.ADDRESS_SYMBOLS, "c")
    number_values = _VALUE_OF[packed(padded.cast(pa.large_string()), cb.ADDRESS_SYMBOLS)]
    if (zip_values == 255).any() or (number_values == 255).any():
        raise IntegrityError("mail.cb_bad_number")
    zip_compact, zip_bars, zip_sum = _parts_table(zip_values)
    number_compact, number_bars, number_sum = _parts_table(number_values)
    number_idx = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    check = pa.array((19 - (zip_sum[code_idx] + number_sum[number_idx]) % 19) % 19)
    checks = np.arange(19, dtype=np.uint8)[:, None]
    check_compact, check_bars, _ = _parts_table(checks)
    at_code, at_number = pa.array(code_idx), pa.array(number_idx)

    def lit(text: str) -> Any:
        return pa.scalar(text, pa.large_string())

    symbols = pc.binary_join_element_wise(zip_compact.take(at_code), number_compact.take(at_number),
                                          check_compact.take(check), lit(" "))
    bars = pc.binary_join_element_wise(lit(cb.START), zip_bars.take(at_code), number_bars.take(at_number),
                                       check_bars.take(check), lit(cb.STOP), lit(""))
    return symbols, bars


def encode_arrow(codes: Any, texts: Any, spread: npt.NDArray[np.int64] | None = None) -> tuple[Any, Any, Any]:
    """(cb_symbols, cb_bars, reason) for Arrow large_string columns of 郵便番号 and 住所, row by row.

    Same values as ``encode_many(zip(codes, texts))``: reason is "" when a barcode was made, else unknown /
    daihyo / town_mismatch with both columns empty. With ``spread`` (indices into the inputs), the result
    has one row per index instead: the caller encodes each distinct address once and spreads it in the
    same gather that restores the row order.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(codes)
    encoded = pc.dictionary_encode(codes)
    code_idx = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    distinct: list[str] = encoded.dictionary.to_pylist()
    kinds = np.full(len(distinct), NONE, dtype=np.int8)
    none_reason, first, second, zip7s = [], [], [], []
    for i, code in enumerate(distinct):
        entry = postal.lookup(code)
        prefixes: tuple[str, ...] = ()
        if entry is None or entry.is_daihyo:
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

    kind = kinds[code_idx]
    half_kana = pc.match_substring_regex(texts, _HALF_KANA).to_numpy(zero_copy_only=False)
    # The fast path: the first literal prefix, then the second; whatever neither takes is a slow row.
    fast = np.flatnonzero((kind == FAST) & ~half_kana)
    fast_texts = texts.take(pa.array(fast))
    first_arr = pa.array(first, type=pa.large_string())
    second_arr = pa.array(second, type=pa.large_string())
    m1, rest1 = _after_prefix(fast_texts, first_arr.take(pa.array(code_idx[fast])))
    left = np.flatnonzero(~m1)
    m2, rest2 = _after_prefix(fast_texts.take(pa.array(left)), second_arr.take(pa.array(code_idx[fast[left]])))
    by_first, by_second = fast[m1], fast[left[m2]]
    slow = np.flatnonzero((kind == SLOW) | ((kind == FAST) & half_kana))
    slow = np.sort(np.concatenate([slow, fast[left[~m2]]]))
    office = np.flatnonzero(kind == OFFICE)

    # Rows with a 住所表示番号 (office codes have the empty one). Numbers of digits and hyphens (nearly all)
    # become symbols in numpy; a number holding a letter (A → CC1 + 0, truncation keeping a bare CC) goes
    # through the reference encoder once per distinct (code, number).
    numbered = np.concatenate([by_first, by_second, office])
    rests = pa.concat_arrays([rest1, rest2, pa.array([""] * len(office), type=pa.large_string())])
    numbers = numbers_of(rests)
    plain = pc.match_substring_regex(numbers, "^[0-9-]*$").to_numpy(zero_copy_only=False)
    plain_rows, letter_rows = np.flatnonzero(plain), np.flatnonzero(~plain)
    symbols_plain, bars_plain = symbol_columns(zip7s, code_idx[numbered[plain_rows]],
                                               numbers.take(pa.array(plain_rows)))
    letter_pairs = pc.binary_join_element_wise(
        pa.array(zip7s, type=pa.large_string()).take(pa.array(code_idx[numbered[letter_rows]])),
        numbers.take(pa.array(letter_rows)), pa.scalar(" ", pa.large_string()))
    letter_enc = pc.dictionary_encode(letter_pairs)
    made = [cb.encode_extracted(*pair.split(" ")) for pair in letter_enc.dictionary.to_pylist()]
    symbols_letter = pa.array([m.compact for m in made], type=pa.large_string()).take(letter_enc.indices)
    bars_letter = pa.array([m.bars for m in made], type=pa.large_string()).take(letter_enc.indices)
    numbered = np.concatenate([numbered[plain_rows], numbered[letter_rows]])
    symbols_num = pa.concat_arrays([symbols_plain, symbols_letter])
    bars_num = pa.concat_arrays([bars_plain, bars_letter])

    # The reference for every other row.
    slow_out = cb.encode_many(zip(codes.take(pa.array(slow)).to_pylist(), texts.take(pa.array(slow)).to_pylist(),
                                  strict=True))
    none = np.flatnonzero(kind == NONE)
    none_reasons = pa.array(none_reason, type=pa.large_string()).take(pa.array(code_idx[none]))
    blank_none = pa.array([""] * len(none), type=pa.large_string())
    blank_num = pa.array([""] * len(numbered), type=pa.large_string())

    # Put the three groups back in row order.
    where = np.concatenate([numbered, slow, none])
    order = np.empty(n, dtype=np.int64)
    order[where] = np.arange(n)
    back = pa.array(order if spread is None else order[spread])
    if len(where) != n or not (np.bincount(where, minlength=n) == 1).all():  # every row once, none dropped
        raise IntegrityError("run.conservation", read=n)

    def column(num: Any, slow_values: list[str], rest: Any) -> Any:
        return pa.concat_arrays([num.cast(pa.large_string()), pa.array(slow_values, type=pa.large_string()),
                                 rest]).take(back)

    return (column(symbols_num, [s[0] for s in slow_out], blank_none),
            column(bars_num, [s[1] for s in slow_out], blank_none),
            column(blank_num, [s[2] for s in slow_out], none_reasons))
