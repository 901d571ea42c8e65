"""Read a host export into the stage table, exactly as the programme declares it — never by guessing.

CSV/TSV (CP932, UTF-8 or UTF-8 with BOM), fixed-width records with CP932 byte positions, and xlsx. Every row
keeps its source line number (``ROW``). Problems that make the file unreadable raise InputError naming the line,
byte offset or column — never a value; pyarrow's own messages quote the offending line, so they are never shown.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.errors import InputError
from handoff.programme import ProgramSpec, SourceSpec
from handoff.stages.base import ROW, StageContext, StageResult

MAX_FIELD_CHARS = 4096  # a host-export field is short; a huge one means a broken quote or a wrong file
_CODECS = {"cp932": "cp932", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}
_UTF8_BOM = b"\xef\xbb\xbf"


def run(path: Path, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """Read ``path`` per ``spec.source`` into a table of strings plus ``ROW``."""
    src = spec.source
    if not path.is_file():
        raise InputError("input.not_found", path=str(path))
    if src.format == "xlsx":
        from handoff.stages.extract_xlsx import read_xlsx

        table = read_xlsx(path, src)
    else:
        data = path.read_bytes()
        if _all_blank(data):
            raise InputError("input.empty", path=str(path))
        nul = data.find(b"\x00")
        if nul >= 0:
            line, col = _position(data, nul)
            raise InputError("input.nul_byte", line=line, offset=col)
        table = _read_fixed(data, src) if src.format == "fixed" else _read_delimited(data, src)
    if table.empty:
        raise InputError("input.no_rows", path=str(path))
    return StageResult(table, [], {"rows_read": len(table)})


def _all_blank(data: bytes) -> bool:
    """Only CR, LF, tab, space and 0x1A (EOF) — looked at a MiB at a time, without a copy of the file."""
    step = 1 << 20
    return not any(data[i : i + step].strip(b"\r\n\t \x1a") for i in range(0, len(data), step))


def _content_end(data: bytes) -> int:
    """The offset after the last byte that is not CR, LF or 0x1A (EOF), found from the end a block at a time."""
    end = len(data)
    while end:
        block = data[max(0, end - 4096) : end]
        kept = len(block.rstrip(b"\r\n\x1a"))
        if kept:
            return end - len(block) + kept
        end -= len(block)
    return 0


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line number and byte offset within that line of absolute ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _decode(data: bytes, encoding: str) -> str:
    if encoding == "cp932" and data.startswith(_UTF8_BOM):
        raise InputError("input.encoding_mismatch", declared=encoding, found="UTF-8 (BOM)")
    if encoding == "utf-8" and data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]  # the BOM carries no data; tolerate it rather than break the header
    try:
        return data.decode(_CODECS[encoding])
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise InputError("input.decode", encoding=encoding, line=line, offset=col) from None


def _read_delimited(data: bytes, src: SourceSpec) -> pd.DataFrame:
    """Header and line bookkeeping on bytes; pyarrow decodes the body while its threads parse it.

    Safe on CP932 bytes: its trail bytes are 0x40 and above, so LF, CR, comma, tab, quote and 0x1A are always
    themselves. Decoding the whole file up front (a Python string of it, then UTF-8 again) cost a second and a
    few hundred MB on a million rows; it now happens only to locate an error.
    """
    if src.encoding == "cp932" and data.startswith(_UTF8_BOM):
        raise InputError("input.encoding_mismatch", declared=src.encoding, found="UTF-8 (BOM)")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]  # the BOM carries no data; tolerate it rather than break the header
    end = _content_end(data)  # the body is cut out once: each copy of a million-row export costs ~0.07 s
    delimiter = "\t" if src.format == "tsv" else ","
    first_end = data.find(b"\n", 0, end)
    header_bytes = data[:end] if first_end < 0 else data[:first_end]
    try:
        header_line = header_bytes.decode(_CODECS[src.encoding]).rstrip("\r")
    except UnicodeDecodeError:
        _decode(data, src.encoding)  # raises, naming line 1 and the byte offset
        raise
    first = next(csv.reader([header_line], delimiter=delimiter), [])
    width = len(first)
    if src.header:
        columns = _check_header([h.strip() for h in first], src)
        body = b"" if first_end < 0 else data[first_end + 1 : end]
        first_line = 2
    else:
        needed = max(c.position for c in src.columns)
        if width < needed:
            raise InputError("input.too_few_columns", line=1, expected=needed, found=width)
        columns = {c.field: c.position - 1 for c in src.columns}
        body = data[:end]
        first_line = 1
    if not body:
        raise InputError("input.no_rows", path="")
    raw = _parse_body(body, src.encoding, delimiter, width, first_line, data)
    frame = pd.DataFrame({field: raw[f"c{idx}"] for field, idx in columns.items()})
    newlines = body.count(b"\n")
    lines = _line_numbers(body, src.encoding, delimiter, len(frame), first_line, newlines)
    _refuse_open_quote(body, src.encoding, delimiter, int(lines[-1]) - first_line, int(lines[-1]), newlines)
    frame[ROW] = lines
    return frame


def _check_header(names: list[str], src: SourceSpec) -> dict[str, int]:
    declared = [c.column for c in src.columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError("input.header_duplicate", columns="、".join(dupes))
    missing = [n for n in declared if n not in names]
    unexpected = [n for n in names if n not in declared]
    if missing or unexpected:
        raise InputError(
            "input.header_mismatch",
            missing="、".join(missing) or "—",
            unexpected="、".join(unexpected) or "—",
        )
    return {c.field: names.index(c.column) for c in src.columns}


def _parse_body(body: bytes, encoding: str, delimiter: str, width: int, first_line: int, data: bytes
                ) -> pd.DataFrame:
    """The body as a frame with columns c0…cN. pyarrow does the work; on any error we locate it ourselves."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    names = [f"c{i}" for i in range(width)]
    try:
        tbl = pacsv.read_csv(
            io.BytesIO(body),
            # 16 MiB blocks: decoding (one thread) overlaps with parsing the blocks already decoded
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24,
                                           encoding="cp932" if encoding == "cp932" else "utf8"),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, UnicodeDecodeError):
        _decode(data, encoding)  # an undecodable byte: raises with its line and offset
        text = body.decode(_CODECS[encoding])
        _locate_parse_error(text, delimiter, width, first_line)
        raise InputError("input.parse", line=first_line) from None
    import pyarrow.compute as pc

    for i, name in enumerate(names):
        # Byte lengths come from the offsets alone; a value of at most MAX_FIELD_CHARS bytes cannot have more
        # characters, so the characters are counted only in a column that holds a longer value.
        if not tbl.num_rows or (pc.max(pc.binary_length(tbl.column(name))).as_py() or 0) <= MAX_FIELD_CHARS:
            continue
        lengths = pc.utf8_length(tbl.column(name))
        if pc.max(lengths).as_py() > MAX_FIELD_CHARS:
            row = pc.index(pc.greater(lengths, MAX_FIELD_CHARS), True).as_py()
            raise InputError("input.field_too_long", row=row + 1, column=i + 1, limit=MAX_FIELD_CHARS)
    # Arrow-backed string columns: no Python object per cell (a million rows stay cheap).
    from handoff.stages.columns import STR

    frame: pd.DataFrame = tbl.to_pandas(types_mapper={pa.string(): STR}.get)
    return frame


def _locate_parse_error(body: str, delimiter: str, width: int, first_line: int) -> None:
    """Walk the body with the csv module to name the first bad line (the slow path, only on error)."""
    csv.field_size_limit(1 << 30)
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    line = first_line  # where the record being read starts: an error names its first line
    try:
        for record in reader:
            if not record:
                raise InputError("input.blank_line", line=line)
            if len(record) != width:
                raise InputError("input.column_count", line=line, expected=width, found=len(record))
            if any(len(v) > MAX_FIELD_CHARS for v in record):
                raise InputError("input.field_too_long", row=line, column=0, limit=MAX_FIELD_CHARS)
            line = first_line + reader.line_num
    except csv.Error:
        raise InputError("input.unterminated_quote", line=line) from None


def _line_numbers(body: bytes, encoding: str, delimiter: str, rows: int, first_line: int, newlines: int
                  ) -> npt.NDArray[np.int64] | list[int]:
    """Source line of each record (``newlines``: the body's LF count); a quoted value spanning lines makes
    the csv module count them."""
    if newlines + 1 == rows:
        return np.arange(first_line, first_line + rows, dtype=np.int64)  # a list of a million ints: 0.2 s
    reader = csv.reader(io.StringIO(body.decode(_CODECS[encoding]), newline=""), delimiter=delimiter)
    starts: list[int] = []
    prev_end = 0
    for _ in reader:
        starts.append(first_line + prev_end)
        prev_end = reader.line_num
    return starts


def _read_fixed(data: bytes, src: SourceSpec) -> pd.DataFrame:
    """Fixed-width records: positions are CP932 bytes, so a double-byte character counts two."""
    if src.encoding != "cp932" and data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    data = data.rstrip(b"\x1a")
    width = src.record_bytes
    if b"\n" in data:
        lines = data.rstrip(b"\r\n").split(b"\n")
        lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
        for i, ln in enumerate(lines):
            if len(ln) != width:
                raise InputError("input.record_length", line=i + 1, expected=width, found=len(ln))
        blob = b"".join(lines)
    else:
        if len(data) % width:
            raise InputError("input.record_length", line=len(data) // width + 1, expected=width,
                             found=len(data) % width)
        blob = data
    rows = len(blob) // width
    grid = np.frombuffer(blob, dtype=np.uint8).reshape(rows, width)
    frame = pd.DataFrame({c.field: _fixed_column(grid, c.start, c.length, c.label, src.encoding)
                          for c in src.columns})
    frame[ROW] = np.arange(1, rows + 1)
    return frame


def _fixed_column(grid: npt.NDArray[np.uint8], start: int, length: int, label: str, encoding: str) -> list[str]:
    """Decode one column of every record at once; LF ends each value and can never be a CP932 trail byte."""
    part = grid[:, start - 1 : start - 1 + length]
    joined = np.concatenate([part, np.full((part.shape[0], 1), 0x0A, dtype=np.uint8)], axis=1).tobytes()
    try:
        text = joined.decode(_CODECS[encoding])
    except UnicodeDecodeError as exc:
        record = exc.start // (length + 1) + 1
        raise InputError("input.fixed_decode", line=record, field=label, offset=start) from None
    values = text.split("\n")[:-1]
    if len(values) != part.shape[0]:
        raise InputError("input.fixed_decode", line=0, field=label, offset=start)
    return [v.rstrip(" \u3000") for v in values]


def _refuse_open_quote(body: bytes, encoding: str, delimiter: str, newlines_before: int, line: int,
                       newlines: int) -> None:
    """The last record must not end inside a quote. Arrow keeps everything after an unclosed quote as one value
    and reports no error, so a quote opened in the last column swallows the rest of the file: the rows after
    it would vanish without a trace. Python's csv module, strict, reads only that record (from ``line``, after
    the body's first ``newlines_before`` newlines) and says whether its end is still inside the quote.
    """
    if newlines_before == 0:
        start = 0
    elif newlines == newlines_before:  # one line per record: the last starts after the last newline
        start = body.rfind(b"\n") + 1
    else:
        start = int(np.flatnonzero(np.frombuffer(body, dtype=np.uint8) == 0x0A)[newlines_before - 1]) + 1
    last = body[start:].decode(_CODECS[encoding])
    try:
        for _ in csv.reader(io.StringIO(last, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        # "unexpected end of data" is the csv module's one message for a quote still open at the end; any
        # other strictness (a stray character after a closing quote) is left to Arrow, as on every other line.
        if "end of data" in str(exc):
            raise InputError("input.unterminated_quote", line=line) from None
