"""Fixed-width records: positions are CP932 bytes, so a double-byte character counts two."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from handoff.contract import ROW
from handoff.errors import InputError
from handoff.programme import ProgramSpec
from handoff.stages.extract.header import counted
from handoff.stages.extract.lines import CODECS, UTF8_BOM


def read_fixed(data: bytes, spec: ProgramSpec) -> pd.DataFrame:
    """The records of ``data``, each ``src.record_bytes`` long (one a line, or run together), cut into the
    declared columns."""
    src = spec.source
    if src.encoding != "cp932" and data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    data = data.rstrip(b"\x1a")
    width = src.record_bytes
    limit = spec.limits.max_rows
    # A record with its line end takes at most width + 2 bytes: a file holding more bytes than the limit's
    # records can is refused before it is cut into lines (the lines are counted once cut).
    if len(data) // (width + 2 if b"\n" in data else width) > limit:
        raise InputError("input.too_many_rows", limit=counted(limit), programme=spec.id)
    if b"\n" in data:
        lines = data.rstrip(b"\r\n").split(b"\n")
        if len(lines) > limit:
            raise InputError("input.too_many_rows", limit=counted(limit), programme=spec.id)
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
        text = joined.decode(CODECS[encoding])
    except UnicodeDecodeError as exc:
        record = exc.start // (length + 1) + 1
        raise InputError("input.fixed_decode", line=record, field=label, offset=start) from None
    values = text.split("\n")[:-1]
    if len(values) != part.shape[0]:
        raise InputError("input.fixed_decode", line=0, field=label, offset=start)
    return [v.rstrip(" \u3000") for v in values]
