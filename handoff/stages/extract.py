"""Read a host export into the stage table, exactly as the programme declares it — never by guessing.

CSV/TSV (CP932, UTF-8 or UTF-8 with BOM), fixed-width records with CP932 byte positions, and xlsx. Every row
keeps its source line number (``ROW``). Problems that make the file unreadable raise InputError naming the line,
byte offset or column — never a value; pyarrow's own messages quote the offending line, so they are never shown.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.contract import ROW, StageContext, StageResult
from handoff.errors import InputError
from handoff.programme import ProgramSpec, SourceSpec
from handoff.stages.header import check_header

if TYPE_CHECKING:
    from handoff.stages.read_ahead import Ahead

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
        from handoff.stages import read_ahead

        ahead = read_ahead.take(path, src)  # the file already read (and converted) while the libraries loaded
        data = ahead.data if ahead is not None else path.read_bytes()
        if _all_blank(data):
            raise InputError("input.empty", path=str(path))
        nul = data.find(b"\x00")
        if nul >= 0:
            line, col = _position(data, nul)
            raise InputError("input.nul_byte", line=line, offset=col)
        table = _read_fixed(data, src) if src.format == "fixed" else _read_delimited(data, src, ahead)
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


def _line_ends(data: bytes, start: int = 0, end: int | None = None) -> int:
    """Line ends in ``data[start:end]`` as the csv module counts lines (and Arrow ends records): LF, CR LF, and a
    CR alone."""
    return data.count(b"\n", start, end) + data.count(b"\r", start, end) - data.count(b"\r\n", start, end)


def _last_line_start(data: bytes, start: int, end: int) -> int:
    """Where the last line of ``data[start:end]`` begins (``start`` when it holds no line end)."""
    return max(data.rfind(b"\n", start, end), data.rfind(b"\r", start, end), start - 1) + 1


def _first_line(data: bytes, end: int) -> tuple[int, int]:
    """Where the first line of ``data[:end]`` stops, and where the next begins: after its LF, CR LF or lone CR
    (``end`` and ``end`` when there is no line end)."""
    lf = data.find(b"\n", 0, end)
    cr = data.find(b"\r", 0, end if lf < 0 else lf)
    stop = cr if cr >= 0 else lf
    if stop < 0:
        return end, end
    return stop, stop + (2 if data[stop : stop + 2] == b"\r\n" else 1)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line number and byte offset within that line of absolute ``offset``."""
    return _line_ends(data, 0, offset) + 1, offset - _last_line_start(data, 0, offset) + 1


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


def _read_delimited(data: bytes, src: SourceSpec, ahead: Ahead | None = None) -> pd.DataFrame:
    """Header and line bookkeeping on bytes; the body goes to pyarrow as UTF-8 (CP932 converted by iconv, see
    handoff.jp.iconv) or, where iconv refused a byte, with Python's codec decoding it while pyarrow's threads
    parse. ``ahead``: ``data`` as read ahead, with its conversion.

    Safe on CP932 bytes: its trail bytes are 0x40 and above, so LF, CR, comma, tab, quote and 0x1A are always
    themselves. Decoding the whole file up front (a Python string of it, then UTF-8 again) cost a second and a
    few hundred MB on a million rows; Python's codec now decodes it only to locate an error.
    """
    if src.encoding == "cp932" and data.startswith(_UTF8_BOM):
        raise InputError("input.encoding_mismatch", declared=src.encoding, found="UTF-8 (BOM)")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]  # the BOM carries no data; tolerate it rather than break the header
    end = _content_end(data)
    delimiter = "\t" if src.format == "tsv" else ","
    first_stop, second_start = _first_line(data, end)
    try:
        header_line = data[:first_stop].decode(_CODECS[src.encoding])
    except UnicodeDecodeError:
        _decode(data, src.encoding)  # raises, naming line 1 and the byte offset
        raise
    try:
        first = next(csv.reader([header_line], delimiter=delimiter, strict=True), [])
    except csv.Error as exc:
        raise InputError("input.unterminated_quote" if _open_at_end(str(exc)) else "input.quote_misplaced",
                         line=1) from None
    width = len(first)
    if src.header:
        columns = check_header([h.strip() for h in first], src)
        body = _Body(data, second_start, end)
        first_line = 2
    else:
        needed = max(c.position for c in src.columns)
        if width < needed:
            raise InputError("input.too_few_columns", line=1, expected=needed, found=width)
        columns = {c.field: c.position - 1 for c in src.columns}
        body = _Body(data, 0, end)
        first_line = 1
    if not body:
        raise InputError("input.no_rows", path="")
    if ahead is not None:
        utf8 = _utf8_body(ahead.utf8, first_stop if src.header else -1, len(data) - end)
    else:
        from handoff.jp.iconv import cp932_to_utf8_parts

        utf8 = cp932_to_utf8_parts(bytes(body.view)) if src.encoding == "cp932" else None
    quoted = body.has(b'"')  # 0x22 is never a CP932 trail byte
    raw = _parse_body(body, src.encoding, delimiter, width, first_line, data, utf8, quoted)
    frame = pd.DataFrame({field: raw[f"c{idx}"] for field, idx in columns.items()})
    if quoted:
        newlines = _line_ends(body.data, body.start, body.end)
        lines = _line_numbers(body, src.encoding, delimiter, len(frame), first_line, newlines)
        records = _Records(body, src.encoding, delimiter, first_line, lines, newlines)
        _refuse_open_quote(records)
        _refuse_misplaced_quotes(records)
        frame[ROW] = lines
    else:
        # Without a quote no value holds a line break, and a blank line is refused by the parser: each record
        # is one line, whether lines end in CR LF, LF or CR. Counting the LFs to learn that took 0.03 s.
        frame[ROW] = np.arange(first_line, first_line + len(frame), dtype=np.int64)
    return frame


@dataclass(frozen=True)
class _Body:
    """The records of the file, ``data[start:end]``, without a copy of them: a copy of a million-row export
    cost about 0.04 s and 109 MB of new memory. Offsets given and returned are within the body."""

    data: bytes = field(repr=False)  # the whole file (never shown: it is an export)
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def view(self) -> memoryview:
        return memoryview(self.data)[self.start : self.end]

    def has(self, byte: bytes) -> bool:
        return self.data.find(byte, self.start, self.end) >= 0

    def text(self, encoding: str, lo: int = 0, hi: int | None = None) -> str:
        """Bytes ``lo``…``hi`` of the body, decoded (strictly, like ``bytes.decode``)."""
        stop = self.end if hi is None else self.start + hi
        return str(memoryview(self.data)[self.start + lo : stop], _CODECS[encoding])


def _utf8_body(parts: list[npt.NDArray[np.uint8]] | None, header_stop: int, trailing: int
               ) -> list[npt.NDArray[np.uint8]] | None:
    """The body's UTF-8, cut from the UTF-8 of the whole file in its converted parts (views, no copy).

    ``header_stop``: where the header line stops in the file (-1: no header); ``trailing``: how many bytes
    were cut off the end. Both cuts carry over: CR and LF are one byte each in both encodings and never part of
    another character's bytes, so the header line ends at the first of them in both, and the bytes cut from
    the end (CR, LF, 0x1A) are one ASCII byte each in both.
    """
    if parts is None:
        return None
    body = list(parts)
    if header_stop >= 0:
        first = body[0]
        # a CP932 byte is 3 UTF-8 at most; the header's line end is in the first part, which ends at a line end
        head = first[: 3 * header_stop + 2].tobytes()
        body[0] = first[_first_line(head, len(head))[1] :]
    while trailing and body:
        last = body.pop()
        cut = min(trailing, len(last))
        trailing -= cut
        if len(last) > cut:
            body.append(last[: len(last) - cut])
    return [part for part in body if len(part)]


def _parse_body(body: _Body, encoding: str, delimiter: str, width: int, first_line: int, data: bytes,
                utf8: list[npt.NDArray[np.uint8]] | None, quoted: bool) -> pd.DataFrame:
    """The body as a frame with columns c0…cN. pyarrow does the work; on any error we locate it ourselves.

    ``utf8``: the body converted from CP932 by iconv, in parts cut at line ends; None: pyarrow decodes ``body``
    itself (with Python's codec for CP932), which accepts it or fails, and the error is then located below.
    ``quoted``: does the body hold a quote byte? Only a quoted value can hold a line break. A body without a
    single quote has none, and Arrow then cuts it into blocks without a serial quote-aware pass over it first:
    0.3 s instead of 0.5 s on a million rows.
    """
    import pyarrow as pa
    from pyarrow import csv as pacsv

    names = [f"c{i}" for i in range(width)]
    sources: list[Any]
    if utf8 is None:
        sources = [io.BytesIO(body.view)]  # Arrow decodes (with Python's codec for CP932)
    elif quoted and len(utf8) > 1:
        sources = [np.concatenate(utf8)]  # a quoted value may span the line end where the parts were cut
    else:
        # Parts cut at line ends are CSV bodies of their own. Read one after another, they are joined below
        # with the blocks Arrow makes anyway, instead of being joined here first (see iconv.cp932_to_utf8_parts).
        sources = list(utf8)
    read_options = pacsv.ReadOptions(
        column_names=names,
        block_size=1 << 24,  # 16 MiB: with Python's codec, decoding (one thread) overlaps with parsing
        encoding="cp932" if encoding == "cp932" and utf8 is None else "utf8",
    )
    del utf8
    parse_options = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted, ignore_empty_lines=False)
    convert_options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False,
        # CP932 reaches Arrow as UTF-8 that an encoder wrote (iconv, or Python's codec inside Arrow's reader):
        # valid by construction, so Arrow need not validate every value again (about 0.08 s of CPU for a
        # million rows). A file declared UTF-8 is read as it is and validated.
        check_utf8=encoding != "cp932",
    )
    tables = []
    try:
        while sources:  # each source is dropped once read (about 130 MB in all for a million rows)
            source = sources.pop(0)
            reader = source if isinstance(source, io.BytesIO) else pa.BufferReader(pa.py_buffer(source))
            tables.append(pacsv.read_csv(reader, read_options=read_options, parse_options=parse_options,
                                         convert_options=convert_options))
            del source, reader
    except (pa.ArrowException, UnicodeDecodeError):
        _decode(data, encoding)  # an undecodable byte: raises with its line and offset
        text = body.text(encoding)
        _locate_parse_error(text, delimiter, width, first_line)
        raise InputError("input.parse", line=first_line) from None
    tbl = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    del tables
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
    # Each column as one Arrow array, not one chunk per 16 MiB block: the stages hand columns to kernels and
    # numpy as single arrays, and a chunked column was copied whole each time (about 0.4 s of a million-row
    # check). Joined one column at a time, so that only one column is ever held twice.
    joined = {}
    for name in names:
        joined[name] = tbl.column(name).combine_chunks()
        tbl = tbl.drop_columns([name])
    tbl = pa.table(joined)
    del joined
    # Arrow-backed string columns: no Python object per cell (a million rows stay cheap).
    from handoff.kernels.strings import STR

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
    except csv.Error as exc:
        code = "input.unterminated_quote" if _open_at_end(str(exc)) else "input.quote_misplaced"
        raise InputError(code, line=line) from None


def _open_at_end(complaint: str) -> bool:
    """Is this strict csv complaint a quote still open at the end of the data? "unexpected end of data" is the
    csv module's one message for it; its others (text after a closing quote) are misplaced quoting."""
    return "end of data" in complaint


def _line_numbers(body: _Body, encoding: str, delimiter: str, rows: int, first_line: int, newlines: int
                  ) -> npt.NDArray[np.int64] | list[int]:
    """Source line of each record (``newlines``: the body's line ends, see _line_ends); a quoted value spanning
    lines makes the csv module count them."""
    if newlines + 1 == rows:
        return np.arange(first_line, first_line + rows, dtype=np.int64)  # a list of a million ints: 0.2 s
    reader = csv.reader(io.StringIO(body.text(encoding), newline=""), delimiter=delimiter)
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


class _Records:
    """Records of a parsed body, re-read with Python's csv module in strict mode.

    Arrow's parser is lenient where RFC 4180 is not, and silently so: an unclosed quote keeps the rest of the
    file as one value, and text after a closing quote is appended to the value without its quotes. Reading
    the few records concerned again, strictly, tells a malformed export from a well-formed one.
    """

    def __init__(self, body: _Body, encoding: str, delimiter: str, first_line: int,
                 lines: npt.NDArray[np.int64] | list[int], newlines: int) -> None:
        self.body, self.encoding, self.delimiter = body, encoding, delimiter
        self.first_line = first_line
        self.lines = np.asarray(lines, dtype=np.int64)  # the first line of each record
        self.newlines = newlines
        self._breaks: npt.NDArray[np.int64] | None = None

    @property
    def breaks(self) -> npt.NDArray[np.int64]:
        """Byte offsets of the body's line ends: each LF and each CR not followed by one (made on first use:
        most bodies never need them)."""
        if self._breaks is None:
            data = np.frombuffer(self.body.view, dtype=np.uint8)
            ends = data == 0x0A
            ends[:-1] |= (data[:-1] == 0x0D) & ~ends[1:]
            ends[-1:] |= data[-1:] == 0x0D
            self._breaks = np.flatnonzero(ends)
        return self._breaks

    def _line_offset(self, line: int) -> int:
        """Byte offset of the start of ``line`` (a line number of the file)."""
        k = line - self.first_line  # line ends before it in the body
        if k == 0:
            return 0
        if k == self.newlines:  # the last line: no table of line breaks needed
            return _last_line_start(self.body.data, self.body.start, self.body.end) - self.body.start
        return int(self.breaks[k - 1]) + 1

    def records_at(self, offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Index of the record holding each byte offset of the body (distinct, ascending)."""
        lines = self.first_line + np.searchsorted(self.breaks, offsets)
        return np.unique(np.searchsorted(self.lines, lines, side="right") - 1)

    def strict_error(self, first: int, last: int | None = None) -> tuple[str, int]:
        """The csv module's first complaint about records ``first`` … ``last`` (default: ``first``) read
        strictly, and the first line of the record it concerns; ``("", 0)`` when there is none."""
        last = first if last is None else last
        start = self._line_offset(int(self.lines[first]))
        end = (len(self.body) if last + 1 == len(self.lines)
               else self._line_offset(int(self.lines[last + 1])))
        text = self.body.text(self.encoding, start, end)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True)
        line = int(self.lines[first])
        try:
            for _ in reader:
                line = int(self.lines[first]) + reader.line_num
        except csv.Error as exc:
            return str(exc), line
        return "", 0


def _refuse_open_quote(records: _Records) -> None:
    """The last record must not end inside a quote: Arrow would keep everything after an unclosed quote in
    the last column as one value and report no error, so the rows after it would vanish without a trace."""
    last = len(records.lines) - 1
    # Any other strictness is judged by _refuse_misplaced_quotes.
    if _open_at_end(records.strict_error(last)[0]):
        raise InputError("input.unterminated_quote", line=int(records.lines[last]))


_ONE_BY_ONE = 10_000  # more suspect quotes than this: the whole body is read strictly, in one pass
_QUOTE_BLOCK = 1 << 24  # bytes compared at a time: bounds the masks of a large export to a few tens of MB


def _refuse_misplaced_quotes(records: _Records) -> None:
    """Text right after a closing quote (``"Sunrise"Mansion``) is malformed: Arrow would drop the quotes and
    join the text. Suspects are runs of an odd number of quotes with text on both sides — a closing quote,
    perhaps after escaped pairs — and their records are read strictly. Inside an unquoted value such a run is
    a literal quote and passes; an even run is escaped quotes (or literal ones) and is not a suspect. A
    well-formed export, quoted or not, has no suspect, and is compared in numpy a block at a time.
    """
    if not records.body.has(b'"'):
        return
    data = np.frombuffer(records.body.view, dtype=np.uint8)
    n = len(data)
    suspects: list[int] = []
    for lo in range(1, n - 1, _QUOTE_BLOCK):
        hi = min(n - 1, lo + _QUOTE_BLOCK)
        part = data[lo - 1 : hi + 1]  # one byte of context on each side
        quote = part == 0x22
        text = ~(quote | (part == ord(records.delimiter)) | (part == 0x0D) | (part == 0x0A))
        after_text = quote[1:-1] & text[:-2]
        single = np.flatnonzero(after_text & text[2:])
        longer = np.flatnonzero(after_text & quote[2:])
        suspects += (single + lo).tolist()
        for start in (longer + lo).tolist():  # a run of quotes after text: escaped pairs, mostly
            end = start + 1
            while end + 1 < n and data[end + 1] == 0x22:
                end += 1
            run_is_odd = (end - start) % 2 == 0
            if run_is_odd and end + 1 < n and data[end + 1] not in (ord(records.delimiter), 0x0D, 0x0A):
                suspects.append(start)
        if len(suspects) > _ONE_BY_ONE:
            break
    if len(suspects) > _ONE_BY_ONE:  # literal quotes all over an unquoted export, say
        problem, line = records.strict_error(0, len(records.lines) - 1)
        if problem:
            raise InputError("input.quote_misplaced", line=line)
        return
    for record in records.records_at(np.array(suspects, dtype=np.int64)).tolist():
        if records.strict_error(record)[0]:
            raise InputError("input.quote_misplaced", line=int(records.lines[record]))
