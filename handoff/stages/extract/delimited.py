"""CSV and TSV exports: the header and line bookkeeping on bytes, the body parsed by pyarrow.

The body goes to pyarrow as UTF-8 (CP932 converted by iconv, see handoff.jp.iconv) or, where iconv refused a
byte, with Python's codec decoding it while pyarrow's threads parse. Python's codec decodes the whole file only
to locate an error. pyarrow's own messages quote the offending line, so they are never shown: every refusal is
located again here and names the line, byte offset or column.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from handoff.contract import ROW
from handoff.errors import InputError
from handoff.jp import iconv
from handoff.kernels.strings import STR
from handoff.programme import ProgramSpec, SourceSpec
from handoff.stages.extract.header import check_header, counted
from handoff.stages.extract.lines import (
    CODECS,
    UTF8_BOM,
    Body,
    content_end,
    first_blank_line,
    first_break,
    line_ends,
    line_numbers,
    position,
)
from handoff.stages.extract.quotes import (
    Records,
    open_at_end,
    refuse_blank_records,
    refuse_misplaced_quotes,
    refuse_open_quote,
)

if TYPE_CHECKING:
    from handoff.stages.extract.read_ahead import Ahead

MAX_FIELD_CHARS = 4096  # a host-export field is short; a huge one means a broken quote or a wrong file

_Parts = list[npt.NDArray[np.uint8]]  # UTF-8 in the parts iconv converted, each ending at a line end


def read_delimited(data: bytes, spec: ProgramSpec, ahead: Ahead | None = None) -> pd.DataFrame:
    """The declared columns of a CSV/TSV export plus ``ROW``. ``ahead``: ``data`` as read ahead, with its
    conversion."""
    src, limits = spec.source, spec.limits
    data = _without_bom(data, src.encoding)
    end = content_end(data)
    delimiter = "\t" if src.format == "tsv" else ","
    header_stop, second_start = first_break(data, end)
    first = _first_record(data, header_stop, src.encoding, delimiter)
    if len(first) > limits.max_columns:
        raise InputError("input.too_many_columns", found=counted(len(first)), limit=counted(limits.max_columns),
                         programme=spec.id)
    columns, body, first_line = _layout(first, src, data, second_start, end)
    if not body:
        return pd.DataFrame(columns=[*columns, ROW])  # no record: extract refuses it, naming the file
    quoted = body.has(b'"')  # 0x22 is never a CP932 trail byte
    if not quoted and _lines_past(body, limits.max_rows):
        raise InputError("input.too_many_rows", limit=counted(limits.max_rows), programme=spec.id)
    utf8 = _utf8_of_body(body, src, ahead, header_stop, len(data) - end)
    raw = _parse_body(body, src.encoding, delimiter, len(first), first_line, data, utf8, quoted)
    if len(raw) > limits.max_rows:
        raise InputError("input.too_many_rows", limit=counted(limits.max_rows), programme=spec.id)
    maybe_blank = _empty_record(raw)
    frame = pd.DataFrame({field: raw[f"c{idx}"] for field, idx in columns.items()})
    frame[ROW] = _source_lines(body, src.encoding, delimiter, len(frame), first_line, quoted, maybe_blank)
    return frame


def _empty_record(raw: pd.DataFrame) -> bool:
    """Does a record hold only empty values? Arrow reads an empty line as such a record, so a body without one
    has no empty line and need not be searched for one. Column by column, stopping at the first column in
    which no row that is empty so far is empty too (most often the first)."""
    empty = None
    for name in raw.columns:
        here = pc.equal(pc.binary_length(pa.array(raw[name].array)), 0)
        empty = here if empty is None else pc.and_(empty, here)
        if not pc.any(empty).as_py():
            return False
    return empty is not None


def _lines_past(body: Body, limit: int) -> bool:
    """Does the body hold more than ``limit`` lines (so, without a quote, more records)? Counted only where the
    lines of its first MiB, as many again, would pass the limit: an export of ordinary size is not counted
    twice (the parsed records are checked against the limit anyway), a file far past it is refused unparsed."""
    sample = min(len(body), 1 << 20)
    estimate = len(body) * (body.data.count(b"\n", body.start, body.start + sample) + 1) / max(sample, 1)
    return estimate > limit and body.data.count(b"\n", body.start, body.end) >= limit


def _without_bom(data: bytes, encoding: str) -> bytes:
    """``data`` without a UTF-8 BOM; a BOM on a file declared CP932 is a wrong declaration."""
    if encoding == "cp932" and data.startswith(UTF8_BOM):
        raise InputError("input.encoding_mismatch", declared=encoding, found="UTF-8 (BOM)")
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]  # the BOM carries no data; tolerate it rather than break the header
    return data


def _first_record(data: bytes, stop: int, encoding: str, delimiter: str) -> list[str]:
    """The values of the file's first line, ``data[:stop]`` (the header, or the first record)."""
    try:
        line = data[:stop].decode(CODECS[encoding])
    except UnicodeDecodeError:
        _refuse_undecodable(data, encoding)  # raises, naming line 1 and the byte offset
        raise
    try:
        return next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error as exc:
        raise InputError("input.unterminated_quote" if open_at_end(str(exc)) else "input.quote_misplaced",
                         line=1) from None


def _layout(first: list[str], src: SourceSpec, data: bytes, second_start: int, end: int
            ) -> tuple[dict[str, int], Body, int]:
    """Each field's column index, the body of records, and the line number of the body's first record."""
    if src.header:
        return check_header([h.strip() for h in first], src), Body(data, second_start, end), 2
    needed = max(c.position for c in src.columns)
    if len(first) < needed:
        raise InputError("input.too_few_columns", line=1, expected=needed, found=len(first))
    return {c.field: c.position - 1 for c in src.columns}, Body(data, 0, end), 1


def _refuse_undecodable(data: bytes, encoding: str) -> None:
    """Raise InputError naming the line and byte offset of the first byte that does not decode, if any."""
    if encoding == "cp932" and data.startswith(UTF8_BOM):
        raise InputError("input.encoding_mismatch", declared=encoding, found="UTF-8 (BOM)")
    if encoding == "utf-8" and data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]  # the BOM carries no data; tolerate it rather than break the header
    try:
        data.decode(CODECS[encoding])
    except UnicodeDecodeError as exc:
        line, col = position(data, exc.start)
        raise InputError("input.decode", encoding=encoding, line=line, offset=col) from None


def _utf8_of_body(body: Body, src: SourceSpec, ahead: Ahead | None, header_stop: int, trailing: int
                  ) -> _Parts | None:
    """The body converted from CP932 by iconv (from the read-ahead, if there was one); None where Arrow is to
    decode the body itself: a UTF-8 file, or CP932 that iconv refused or cannot convert."""
    if ahead is not None:
        return _cut_parts(ahead.utf8, header_stop if src.header else -1, trailing)
    return iconv.cp932_to_utf8_parts(bytes(body.view)) if src.encoding == "cp932" else None


def _cut_parts(parts: _Parts | None, header_stop: int, trailing: int) -> _Parts | None:
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
        body[0] = first[first_break(head, len(head))[1] :]
    while trailing and body:
        last = body.pop()
        cut = min(trailing, len(last))
        trailing -= cut
        if len(last) > cut:
            body.append(last[: len(last) - cut])
    return [part for part in body if len(part)]


def _source_lines(body: Body, encoding: str, delimiter: str, rows: int, first_line: int, quoted: bool,
                  maybe_blank: bool) -> npt.NDArray[np.int64] | list[int]:
    """The source line of each record; in a quoted body, after its quoting has been checked strictly.
    ``maybe_blank``: may the body hold an empty line (see _empty_record)?"""
    blank = first_blank_line(body.data, body.start, body.end) if maybe_blank else -1
    if not quoted:
        # Without a quote no value holds a line break: each record is one line, whether lines end in CR LF,
        # LF or CR, so the line ends need not be counted. An empty line is no record (Arrow would read one
        # with every value empty): the first one is refused.
        if blank >= 0:
            raise InputError("input.blank_line", line=first_line + line_ends(body.data, body.start, blank))
        return np.arange(first_line, first_line + rows, dtype=np.int64)
    newlines = line_ends(body.data, body.start, body.end)
    lines = line_numbers(body, encoding, delimiter, rows, first_line, newlines)
    records = Records(body, encoding, delimiter, first_line, lines, newlines)
    if blank >= 0:
        refuse_blank_records(records)  # an empty line inside a quoted value is part of the value
    refuse_open_quote(records)
    refuse_misplaced_quotes(records)
    return lines


def _parse_body(body: Body, encoding: str, delimiter: str, width: int, first_line: int, data: bytes,
                utf8: _Parts | None, quoted: bool) -> pd.DataFrame:
    """The body as a frame with columns c0…cN. pyarrow does the work; on any error we locate it ourselves.

    ``utf8``: the body converted from CP932 by iconv, in parts cut at line ends; None: pyarrow decodes ``body``
    itself (with Python's codec for CP932), which accepts it or fails, and the error is then located below.
    ``quoted``: does the body hold a quote byte? Only a quoted value can hold a line break. A body without a
    single quote has none, and Arrow then cuts it into blocks without a serial quote-aware pass over it first.
    """
    names = [f"c{i}" for i in range(width)]
    sources = _sources(body, utf8, quoted)
    options = _options(names, delimiter, encoding, arrow_decodes=utf8 is None, quoted=quoted)
    del utf8
    try:
        tables = _read_sources(sources, options)
    except (pa.ArrowException, UnicodeDecodeError):
        _refuse_unparsable(body, data, encoding, delimiter, width, first_line)
    tbl = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    del tables
    _refuse_long_values(tbl, names)
    # Each column as one Arrow array, not one chunk per 16 MiB block: the stages hand columns to kernels and
    # numpy as single arrays, and a chunked column would be copied whole each time. Joined one column at a
    # time (here, where the only reference to the table is), so that only one column is ever held twice.
    joined = {}
    for name in names:
        joined[name] = tbl.column(name).combine_chunks()
        tbl = tbl.drop_columns([name])
    tbl = pa.table(joined)
    del joined
    # Arrow-backed string columns: no Python object per cell (a million rows stay cheap).
    frame: pd.DataFrame = tbl.to_pandas(types_mapper={pa.string(): STR}.get)
    return frame


def _sources(body: Body, utf8: _Parts | None, quoted: bool) -> list[Any]:
    """What Arrow reads, one after another: the body's bytes, or its UTF-8 in one piece or in parts."""
    if utf8 is None:
        return [io.BytesIO(body.view)]  # Arrow decodes (with Python's codec for CP932)
    if quoted and len(utf8) > 1:
        return [np.concatenate(utf8)]  # a quoted value may span the line end where the parts were cut
    # Parts cut at line ends are CSV bodies of their own. Read one after another, they are joined below
    # with the blocks Arrow makes anyway, instead of being joined here first (see iconv.cp932_to_utf8_parts).
    return list(utf8)


class _Options(NamedTuple):
    read: Any
    parse: Any
    convert: Any


def _options(names: list[str], delimiter: str, encoding: str, *, arrow_decodes: bool, quoted: bool) -> _Options:
    """Arrow's CSV options: every value a non-null string, line breaks in values only where there are quotes."""
    read = pacsv.ReadOptions(
        column_names=names,
        block_size=1 << 24,  # 16 MiB: with Python's codec, decoding (one thread) overlaps with parsing
        encoding="cp932" if encoding == "cp932" and arrow_decodes else "utf8",
    )
    parse = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False,
        # CP932 reaches Arrow as UTF-8 that an encoder wrote (iconv, or Python's codec inside Arrow's reader):
        # valid by construction, so Arrow need not validate every value again. A file declared UTF-8 is read
        # as it is and validated.
        check_utf8=encoding != "cp932",
    )
    return _Options(read, parse, convert)


def _read_sources(sources: list[Any], options: _Options) -> list[Any]:
    """One Arrow table per source, read in turn; each source leaves ``sources`` (and memory) once read."""
    tables = []
    while sources:
        source = sources.pop(0)
        reader = source if isinstance(source, io.BytesIO) else pa.BufferReader(pa.py_buffer(source))
        tables.append(pacsv.read_csv(reader, read_options=options.read, parse_options=options.parse,
                                     convert_options=options.convert))
        del source, reader
    return tables


def _refuse_unparsable(body: Body, data: bytes, encoding: str, delimiter: str, width: int, first_line: int
                       ) -> NoReturn:
    """Name what Arrow refused: an undecodable byte, else the first bad record, else the body's first line."""
    _refuse_undecodable(data, encoding)
    _locate_parse_error(body.text(encoding), delimiter, width, first_line)
    raise InputError("input.parse", line=first_line) from None


def _refuse_long_values(tbl: Any, names: list[str]) -> None:
    """No value may hold more than MAX_FIELD_CHARS characters."""
    for i, name in enumerate(names):
        # Byte lengths come from the offsets alone; a value of at most MAX_FIELD_CHARS bytes cannot have more
        # characters, so the characters are counted only in a column that holds a longer value.
        if not tbl.num_rows or (pc.max(pc.binary_length(tbl.column(name))).as_py() or 0) <= MAX_FIELD_CHARS:
            continue
        lengths = pc.utf8_length(tbl.column(name))
        if pc.max(lengths).as_py() > MAX_FIELD_CHARS:
            row = pc.index(pc.greater(lengths, MAX_FIELD_CHARS), True).as_py()
            raise InputError("input.field_too_long", row=row + 1, column=i + 1, limit=MAX_FIELD_CHARS)


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
        code = "input.unterminated_quote" if open_at_end(str(exc)) else "input.quote_misplaced"
        raise InputError(code, line=line) from None
