"""Render the vendor data file in memory from the final piece table (never written to disk in plain).

Layouts (``spec.output.format``):

- **csv** — RFC 4180 with *every field quoted*: ``"value"``, a ``"`` inside a value written as ``""``, fields
  separated by ``,``, every record (the last included) ended by the profile's line ending (CRLF or LF). With
  ``header = true`` the first record holds the Japanese labels (quoted the same way). ``bytes`` is a
  maximum for the unquoted value. Quoting every field is chosen over minimal quoting so that a vendor's
  reader never has to guess, and leading zeros / ``=`` stay visibly text.
- **fixed** — each field exactly ``bytes`` bytes in the vendor encoding, padded with the half-width space
  (0x20), on the right (``align = "left"``) or on the left (``"right"``); no separators, no header.

A value longer than its byte limit is refused naming row and field — never truncated (a cut name or address
would be a misdelivered letter). Values holding a control character (a line break included) are refused
too: vendor print systems read record by record. Every character goes through the rules of
``handoff.jp.charset.encode_vendor`` (see :mod:`handoff.mail.render_encode` for how that stays fast).
Styles: ``date_iso`` checks the value is an ISO date; ``date_wareki`` prints it as 令和7年4月1日;
``digits`` allows ASCII digits only.

After the programme's fields come the window's 住所1..N (a profile with a window) and the 連名 name lines
氏名1..max (a programme with ``[recipient.joint]``), checked and encoded as every other field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from handoff.contract import ROW, RenderedFile
from handoff.errors import HandoffError, PolicyError
from handoff.kernels import threads
from handoff.kernels.buffers import all_bytes_between, first_true, has_control_byte
from handoff.kernels.distinct import shown
from handoff.kernels.records import delimited, doubled, fixed_width, padded
from handoff.kernels.text import large_strings
from handoff.mail import address_fields, joint, recipient
from handoff.mail.render_encode import RefusedError, VendorCodec
from handoff.programme import SYSTEM_FIELDS, OutputField, ProgramSpec

if TYPE_CHECKING:
    import pandas as pd

    from handoff.config import VendorProfile, WindowProfile

EOL = {"crlf": b"\r\n", "lf": b"\n"}
MEMBER = {"csv": "data.csv", "fixed": "data.txt"}
CHUNK_ROWS = 200_000


def render_file(table: pd.DataFrame, spec: ProgramSpec, profile: VendorProfile) -> RenderedFile:
    """The vendor data file for ``table`` per ``spec.output`` and the vendor ``profile``."""
    check_columns(table, spec)
    rows = _row_numbers(table)
    codec = VendorCodec(profile.encoding, profile.allow_vendor_extensions, profile.extension_byte_form)
    eol = EOL[profile.line_ending]
    fields = list(spec.output.fields)
    labels = [spec.label(o.field) for o in fields]
    columns = []
    for out in spec.output.fields:
        raw = large_strings(table[out.field])  # a missing value is an empty field (required items were validated)
        _refuse_controls(raw, out.field, rows)
        columns.append(_styled(raw, out, rows))
    if profile.window is not None and not spec.postcard:
        for out, lines in _window_columns(table, spec, profile.window, profile.encoding, rows):
            fields.append(out)
            labels.append(out.field)
            columns.append(lines)
    if joint.declares(spec):  # 連名: the columns 氏名1..max after the window's lines
        for out, names in _joint_columns(table, spec, profile):
            fields.append(out)
            labels.append(out.field)
            columns.append(names)
    parts: list[bytes | memoryview] = [_header(spec, labels, codec, eol)]
    digest = hashlib.sha256(parts[0])

    def chunk(start: int) -> memoryview:
        piece = [c.slice(start, CHUNK_ROWS) for c in columns]
        return _render_rows(piece, fields, spec, codec, eol, rows[start : start + CHUNK_ROWS])

    # Row chunks bound the working memory to a few times one chunk; the result costs its size once. Chunks
    # are rendered on the pool's threads: Arrow's kernels and numpy release the GIL while another thread
    # encodes. Results (and a refusal) are taken in row order, so the first refused row is still the one named.
    with threads.pool("render") as pool:
        for part in pool.map(chunk, range(0, len(table), CHUNK_ROWS)):
            digest.update(part)
            parts.append(part)
    fixed = spec.output.format == "fixed"
    return RenderedFile(
        chunks=tuple(parts),
        size=sum(memoryview(p).nbytes for p in parts),
        member_name=MEMBER[spec.output.format],
        encoding=profile.encoding,
        line_ending=profile.line_ending,
        sha256=digest.hexdigest(),
        rows=len(table),
        layout=spec.output.format,
        fields=tuple(o.field for o in fields),
        record_bytes=sum(o.bytes for o in fields) if fixed else 0,
    )


def _header(spec: ProgramSpec, labels: list[str], codec: VendorCodec, eol: bytes) -> bytes:
    if spec.output.format == "fixed" or not spec.output.header:
        return b""
    quoted = [label.replace('"', '""') for label in labels]
    return codec.encode_text('"' + '","'.join(quoted) + '"') + eol


def _window_columns(table: pd.DataFrame, spec: ProgramSpec, win: WindowProfile, encoding: str,
                    rows: npt.NDArray[np.int64]) -> list[tuple[OutputField, pa.LargeStringArray]]:
    """The columns 住所1..N: the destination laid into the profile's window lines (``handoff.mail.window``).
    Each holds at most ``chars`` full-width characters: twice that in CP932 bytes, three times in UTF-8. A row
    that does not fit was set aside by the window step; meeting one here is refused, never cut."""
    from handoff.mail import window

    per_char = 2 if encoding == "cp932" else 3
    columns, bad = window.window_lines(table, spec, win)
    if bad is not None:
        field = window.layouts(table.iloc[bad : bad + 1], spec, win)[0].overflow
        raise PolicyError(window.OVERFLOW, row=int(rows[bad]), field=field)
    return [(OutputField(field=window.LABEL.format(n=n + 1), bytes=win.chars * per_char), column)
            for n, column in enumerate(columns)]


def _joint_columns(table: pd.DataFrame, spec: ProgramSpec, profile: VendorProfile
                   ) -> list[tuple[OutputField, pa.LargeStringArray]]:
    """The columns 氏名1..max: each document's piece's name lines (``handoff.mail.joint``), pieces by
    ``piece_seq``. A line is a name as written (a shared family name as blanks no wider) and 「 様」, so it
    takes at most the name field's bytes and the honorific's; a CSV name field without a limit gives none."""
    assert spec.recipient.joint is not None  # noqa: S101 -- the caller asked joint.declares()
    win = profile.window
    decided = joint.decide(table, spec, win, table["piece_seq"].astype("str").tolist())
    sources = {spec.recipient.joint.field}
    if recipient.declares(spec) and spec.recipient.joint.field == address_fields(spec).name:
        sources.add(spec.recipient.send_to.get("name", spec.recipient.joint.field))
    limits = [o.bytes for o in spec.output.fields if o.field in sources]
    honorific = len(joint.HONORIFIC.encode("cp932" if profile.encoding == "cp932" else "utf-8"))
    size = max(limits) + honorific if limits and all(limits) else 0
    return [(OutputField(field=joint.LABEL.format(n=n + 1), bytes=size), pa.array(column, pa.large_string()))
            for n, column in enumerate(joint.columns(decided, spec.recipient.joint.max))]


def _render_rows(
    columns: list[pa.LargeStringArray | pa.DictionaryArray],
    fields: list[OutputField],
    spec: ProgramSpec,
    codec: VendorCodec,
    eol: bytes,
    rows: npt.NDArray[np.int64],
) -> memoryview:
    """The records of one chunk of rows, as vendor bytes (a view: copied once, by the final join)."""
    fixed = spec.output.format == "fixed"
    cells: list[pa.LargeBinaryArray] = []
    for out, text in zip(fields, columns, strict=True):
        try:
            encoded = codec.encode_column(text)
        except RefusedError as exc:
            raise PolicyError("render.unencodable", row=int(rows[exc.row]), field=out.field,
                              char=exc.codepoint, rule=exc.rule) from None
        lengths = pc.binary_length(encoded).to_numpy(zero_copy_only=False)
        _refuse_overlong(lengths, out, rows)
        cells.append(padded(encoded, lengths, out.bytes, out.align == "right") if fixed else _quoted(encoded))
    if fixed:  # every field exactly its bytes, no separators
        return fixed_width(cells, [o.bytes for o in fields], len(rows), eol)
    return delimited(cells, b'"', b'","', b'"' + eol)  # every field quoted


def check_columns(table: pd.DataFrame, spec: ProgramSpec) -> None:
    """Fail closed: a column that is neither an output field nor a system field stops the render."""
    allowed = set(spec.output_fields) | set(SYSTEM_FIELDS) | {ROW}
    for name in table.columns:
        if name not in allowed:
            raise PolicyError("render.column_not_approved", programme=spec.id, field=str(name))
    for name in spec.output_fields:
        if name not in table.columns:
            raise PolicyError("render.column_missing", programme=spec.id, field=name)


def _row_numbers(table: pd.DataFrame) -> npt.NDArray[np.int64]:
    if ROW in table.columns:
        return np.asarray(table[ROW].to_numpy(), dtype=np.int64)
    return np.arange(1, len(table) + 1, dtype=np.int64)


def _styled(
    arr: pa.LargeStringArray, out: OutputField, rows: npt.NDArray[np.int64]
) -> pa.LargeStringArray | pa.DictionaryArray:
    """The column as its style writes it: text as it is, digits checked, dates formatted."""
    if out.style == "text":
        return arr
    if out.style == "digits":
        if not all_bytes_between(arr, 0x30, 0x39):  # ASCII digits only
            row = rows[first_true(pc.match_substring_regex(arr, "[^0-9]"))]
            raise PolicyError("render.not_digits", row=int(row), field=out.field)
        return arr
    return _dates(arr, out, rows)


def _dates(arr: pa.LargeStringArray, out: OutputField, rows: npt.NDArray[np.int64]) -> pa.DictionaryArray:
    """ISO dates as the style writes them, each distinct date formatted once (few even in a million rows);
    a value that is not an ISO date is refused, naming the first row holding one."""

    def text(value: str) -> str:
        try:
            return _date_text(value, out.style)
        except (ValueError, HandoffError):
            row = rows[first_true(pc.equal(arr, pa.scalar(value, pa.large_string())))]
            raise PolicyError("render.bad_date", row=int(row), field=out.field) from None

    return shown(arr, text)


def _date_text(value: str, style: str) -> str:
    if value == "":
        return ""
    if len(value) != 10:
        raise ValueError("not an ISO date")
    day = dt.date.fromisoformat(value)
    if style == "date_iso":
        return value
    from handoff.jp.wareki import format_wareki

    return format_wareki(day)


def _refuse_controls(arr: pa.LargeStringArray, name: str, rows: npt.NDArray[np.int64]) -> None:
    """A control character (a line break included) stops the render: vendors read record by record."""
    if has_control_byte(arr):
        row = rows[first_true(pc.match_substring_regex(arr, r"[\x00-\x1f\x7f]"))]
        raise PolicyError("render.control_char", row=int(row), field=name)


def _refuse_overlong(lengths: npt.NDArray[np.int64], out: OutputField, rows: npt.NDArray[np.int64]) -> None:
    if not out.bytes:
        return
    over = np.flatnonzero(lengths > out.bytes)
    if over.size:
        i = int(over[0])
        raise PolicyError("render.too_long", row=int(rows[i]), field=out.field, bytes=int(lengths[i]),
                          limit=out.bytes)


def _quoted(encoded: pa.LargeBinaryArray) -> pa.LargeBinaryArray:
    """A CSV cell's quotes doubled. 0x22 never occurs inside a CP932 double-byte character (second bytes are
    0x40–0xFC), so the byte-level doubling is exact in both vendor encodings."""
    return doubled(encoded, b'"')
