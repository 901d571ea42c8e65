"""Probable 個人番号 (My Number) in outgoing text: a fail-closed tripwire, not a validator.

About 1 in 10 random 12-digit strings passes the check digit (000000000000 does), so a hit means "probably a
My Number": no print programme is approved to carry one (jp-rules §2). 法人番号 (13 digits) and longer digit
runs are public or something else and must not match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from stdnum.jp import in_ as stdnum_in

if TYPE_CHECKING:
    from handoff.kernels.codepoints import Laid

# Separators of 4-4-4 groups after NFKC. Beyond the usual - ‐ − ー (－ and ｰ become - and ー under NFKC),
# the dashes ‒ – — ― are accepted too: ― is what CP932 data holds for a dash, and fail-closed favours a hit.
_SEPARATORS = " -\u2010\u2012\u2013\u2014\u2015\u2212\u30fc"
_SEP = f"[{re.escape(_SEPARATORS)}]"
_PROBABLE = re.compile(
    rf"(?<![0-9])(?:[0-9]{{12}}(?![0-9])"  # exactly 12 digits, not part of a longer run
    # 4-4-4 groups that do not continue a longer grouped number on either side (no 1-2345-6789-0123)
    rf"|(?<![0-9]{_SEP})[0-9]{{4}}{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}(?![0-9])(?!{_SEP}[0-9]))"
)
_NOT_DIGIT = re.compile(r"[^0-9]")
_ASCII_DIGITS = frozenset("0123456789")

# Code-point ranges that hold no character whose NFKC form contains a digit or separator (CJK ideographs,
# Hangul, surrogates, private use); skipping them keeps the one-off scan below in milliseconds.
_SKIP = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xF8FF))
_SCAN_LIMIT = 0x20000  # planes 0 and 1; tests check the full range gives the same sets


def find_probable(text: str) -> list[tuple[int, int]]:
    """(start, end) spans in NFKC(``text``) of 12-digit runs or 4-4-4 groups passing the 個人番号 check."""
    text = unicodedata.normalize("NFKC", text)
    spans = []
    for match in _PROBABLE.finditer(text):
        if stdnum_in.is_valid(_NOT_DIGIT.sub("", match.group())):
            spans.append(match.span())
    return spans


def _scan(limit: int, skip: tuple[tuple[int, int], ...]) -> Iterator[int]:
    start = 0
    for lo, hi in sorted(skip):
        yield from range(start, min(lo, limit))
        start = max(start, hi + 1)
    yield from range(start, limit)


def _sources(chars: Iterable[str]) -> tuple[str, str]:
    """Of ``chars``: (the non-ASCII ones whose NFKC holds a digit, those whose NFKC is exactly one separator),
    each in code-point order."""
    digitish: set[str] = set()
    sepish: set[str] = set()
    for ch in chars:
        norm = unicodedata.normalize("NFKC", ch)
        if ch >= "\x80" and any("0" <= c <= "9" for c in norm):
            digitish.add(ch)
        if len(norm) == 1 and norm in _SEPARATORS:
            sepish.add(ch)
    return "".join(sorted(digitish)), "".join(sorted(sepish))


@lru_cache(maxsize=4)
def nfkc_sources(limit: int = _SCAN_LIMIT, skip: tuple[tuple[int, int], ...] = _SKIP) -> tuple[str, str]:
    """(non-ASCII characters whose NFKC holds a digit, characters whose NFKC is exactly one separator).

    A character without a decomposition mapping is its own NFKC (a lone starter has nothing to compose
    with; Hangul syllables, the one algorithmic case, recompose to themselves), so only the few thousand
    characters that have one are normalised, and the separators themselves, not every code point at the
    start of every run. Cached, as every outgoing column asks for it.
    :func:`nfkc_sources_by_scan` normalises every code point; the tests check both give the same sets.
    """
    decomposable = (ch for ch in map(chr, _scan(limit, skip)) if unicodedata.decomposition(ch))
    return _sources(chain(decomposable, (ch for ch in _SEPARATORS if ord(ch) < limit)))


def nfkc_sources_by_scan(limit: int = 0x110000) -> tuple[str, str]:
    """:func:`nfkc_sources` by normalising every code point below ``limit`` (the reference; slow, for tests)."""
    return _sources(map(chr, range(limit)))


def column_has_probable(values: pd.Series, laid: Laid | None = None) -> pd.Series:
    """Per value: does it hold a probable 個人番号? A whole-column prefilter, the exact check on candidates.

    NFKC makes digits only from the characters :func:`nfkc_sources` lists, so a value without one of those
    needs 12 ASCII digits of its own to hold a 12-digit run. Candidates are therefore the values with at least
    12 ASCII digits or any such character — a superset of what :func:`find_probable` reports. Missing values
    are False. ``laid`` is ``lay_out(values)`` when the caller has it already.
    """
    from handoff.kernels.codepoints import lay_out, rows_with, rows_with_and_count, table_of_chars

    digitish = frozenset(nfkc_sources()[0])
    laid = lay_out(values) if laid is None else laid
    # Positional numpy masks: the result must not depend on the index being unique.
    if (np.diff(laid.starts) >= 12).any():
        candidate, digits = rows_with_and_count(laid, digitish, _ASCII_DIGITS)
        candidate |= digits >= 12
    else:  # shorter values cannot hold 12 digits; most columns stop here
        candidate = rows_with(laid, table_of_chars(digitish))
    result = np.zeros(len(values), dtype=bool)
    if candidate.any():
        result[candidate] = [bool(find_probable(v)) for v in values[candidate].tolist()]
    return pd.Series(result, index=values.index, dtype=bool)
