"""What a refused export probably is: another programme's file, or this programme's in another encoding.

Asked only after the readers refused a file, and only about its first line (the header, if it has one). The
first line's bytes are decoded again with the encodings host systems write (CP932, UTF-8 with or without a BOM,
EUC-JP) and cut at commas and tabs. A hint is given when

- under another encoding, the first line holds every column the programme declares (the encoding is wrong);
- the first line holds every column another programme of the site declares (the file is that programme's);
- the declared encoding makes the line mojibake — many characters a header hardly holds (JIS level-2 kanji,
  half-width katakana, symbols) — and another encoding gives far fewer (the encoding is probably that one).

A hint names only programme ids, column counts and encodings, never a cell: the first line of a file without
its header is a resident's record.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from handoff.errors import ConfigError, InputError
from handoff.programme import ProgramSpec, load_programme, programme_paths
from handoff.stages.extract.header import HeaderError, counted

# The refusals a wrong file or a wrong encoding leads to; any other refusal is about the file's body.
EXPLAINED = frozenset({
    "input.decode", "input.encoding_mismatch", "input.header_missing", "input.header_duplicate",
    "input.header_mismatch", "input.too_few_columns", "input.column_count", "input.record_length",
    "input.fixed_decode", "input.xlsx_unreadable",
})
HEAD_BYTES = 1 << 16  # the first line is looked for this far; a longer header is cut (its cells still count)
# The encodings tried, as Python names them, and as messages show them.
ENCODINGS = {"cp932": "CP932 (Shift_JIS)", "utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "euc-jp": "EUC-JP"}
GARBLED_SHARE = 0.3  # of the non-ASCII characters unlikely in a header: the line is mojibake
CLEAN_SHARE = 0.1  # at most this share unlikely under another encoding: that one reads it
FEWER = 4  # and at least this many times fewer unlikely characters than under the declared one


@dataclass(frozen=True)
class Reading:
    """The first line decoded with one encoding."""

    encoding: str
    text: str

    def cells(self, delimiter: str) -> set[str]:
        """The line's cells, trimmed, as the readers trim header cells."""
        try:
            row = next(csv.reader([self.text], delimiter=delimiter), [])
        except csv.Error:
            row = self.text.split(delimiter)
        return {c.strip() for c in row}


def explain(refusal: InputError, fh: BinaryIO | None, spec: ProgramSpec, pipelines: Path) -> InputError | None:
    """A clearer refusal for ``refusal`` when the file's first line says what went wrong, else None.
    ``fh``: the export, opened (None: the stage read no bytes of its own, an xlsx sheet)."""
    if refusal.code not in EXPLAINED:
        return None
    readings = _readings(fh) if fh is not None else []
    src = spec.source
    # input.encoding_mismatch names the encoding found already (a BOM says it): only the programme is looked for.
    encodings = bool(readings) and refusal.code != "input.encoding_mismatch"
    if encodings and src.format in ("csv", "tsv") and src.header:
        declared = {c.column for c in src.columns}
        delimiter = "\t" if src.format == "tsv" else ","
        if any(_declared(r.encoding) == _declared(src.encoding) and declared <= r.cells(delimiter)
               for r in readings):
            return None  # the header is the programme's own, as declared: the refusal is about the body
        for reading in readings:
            if _declared(reading.encoding) != _declared(src.encoding) and declared <= reading.cells(delimiter):
                return InputError("input.header_encoding", programme=spec.id, found=ENCODINGS[reading.encoding],
                                  declared=ENCODINGS[src.encoding], count=counted(len(declared)))
    cell_sets = [r.cells(d) for r in readings for d in (",", "\t")]
    if isinstance(refusal, HeaderError):
        cell_sets.append({c.strip() for c in refusal.cells})
    other = _other_programme(cell_sets, spec, pipelines)
    if other is not None:
        return InputError("input.header_other_programme", programme=spec.id, other=other.id,
                          count=counted(len(other.source.columns)))
    if encodings and src.format != "xlsx":
        found = _probable_encoding(readings, _declared(src.encoding))
        if found is not None:
            return InputError("input.encoding_probable", programme=spec.id, found=ENCODINGS[found],
                              declared=ENCODINGS[src.encoding])
    return None


def plain(refusal: InputError) -> InputError:
    """``refusal`` without the header cells a :class:`HeaderError` keeps: what leaves the stage holds none."""
    return InputError(refusal.code, **refusal.params) if isinstance(refusal, HeaderError) else refusal


def _declared(encoding: str) -> str:
    """The reading that stands for the declared encoding: a UTF-8 file's BOM is tolerated, so UTF-8 with a BOM
    is read as declared UTF-8 too."""
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _readings(fh: BinaryIO) -> list[Reading]:
    """The first line under every encoding that decodes it (UTF-8 without its BOM, if it has one)."""
    fh.seek(0)
    head = fh.read(HEAD_BYTES)
    stops = [i for i in (head.find(b"\r"), head.find(b"\n")) if i >= 0]
    line = head[: min(stops)] if stops else head
    bom = line.startswith(b"\xef\xbb\xbf")
    readings = []
    for encoding in ("cp932", "utf-8", "euc-jp"):
        try:
            text = line.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except UnicodeDecodeError:
            continue
        if text:
            readings.append(Reading("utf-8-sig" if encoding == "utf-8" and bom else encoding, text))
    return readings


def _other_programme(cell_sets: list[set[str]], spec: ProgramSpec, pipelines: Path) -> ProgramSpec | None:
    """The site's other programme whose declared header columns all appear in one of ``cell_sets`` (the one
    with most columns, if several do)."""
    matches = [o for o in _others(spec, pipelines)
               if any({c.column for c in o.source.columns} <= cells for cells in cell_sets)]
    return max(matches, key=lambda o: len(o.source.columns), default=None)


def _others(spec: ProgramSpec, pipelines: Path) -> Iterable[ProgramSpec]:
    """The site's other programmes that read a header; a programme file that does not load is passed over
    (its own commands report it), so that it cannot hide the refusal being explained."""
    for path in programme_paths(pipelines):
        try:
            other = load_programme(path)
        except (ConfigError, OSError):
            continue
        if other.id != spec.id and other.source.header and other.source.format != "fixed" and all(
                c.column for c in other.source.columns):
            yield other


def _probable_encoding(readings: list[Reading], declared: str) -> str | None:
    """The encoding that reads the first line with far fewer unlikely characters than the declared one, when
    the declared one leaves it mojibake or does not decode it at all."""
    by_encoding = {_declared(r.encoding): r for r in readings}
    own = by_encoding.get(declared)
    if own is not None:
        unlikely, wide = _oddness(own.text)
        if unlikely < 2 or unlikely < GARBLED_SHARE * wide:
            return None
    else:
        unlikely = float("inf")
    best: tuple[float, str] | None = None
    for reading in readings:
        if _declared(reading.encoding) == declared:
            continue
        odd, wide = _oddness(reading.text)
        if wide and odd <= CLEAN_SHARE * wide and odd * FEWER <= unlikely and (best is None or odd < best[0]):
            best = (odd, reading.encoding)
    return best[1] if best else None


def _oddness(text: str) -> tuple[float, int]:
    """How many of ``text``'s characters a header hardly holds, and how many characters are not plain ASCII."""
    odd = 0.0
    wide = 0
    for ch in text:
        if " " <= ch <= "~" or ch == "\t":
            continue
        wide += 1
        odd += _unlikely(ch)
    return odd, wide


def _unlikely(ch: str) -> float:
    """1 for a character unlikely in a Japanese header, ½ for half-width katakana (old hosts write headers in
    it, and mojibake is full of it), 0 for kana, CJK punctuation, full-width ASCII and JIS level-1 kanji."""
    o = ord(ch)
    if 0x3000 <= o <= 0x303F or 0x3041 <= o <= 0x3096 or 0x30A1 <= o <= 0x30FC or 0xFF01 <= o <= 0xFF5E:
        return 0.0
    if 0xFF61 <= o <= 0xFF9F:
        return 0.5
    if 0x4E00 <= o <= 0x9FFF:
        return 0.0 if _jis_level_1(ch) else 1.0
    return 1.0


def _jis_level_1(ch: str) -> bool:
    """Is ``ch`` a JIS X 0208 level-1 kanji (the common ones)? In EUC-JP their first byte is 0xB0 to 0xCF."""
    try:
        raw = ch.encode("euc-jp")
    except UnicodeEncodeError:
        return False
    return len(raw) == 2 and 0xB0 <= raw[0] <= 0xCF
