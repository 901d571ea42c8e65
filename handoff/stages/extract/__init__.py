"""Read a host export into the stage table, exactly as the programme declares it — never by guessing.

CSV/TSV in CP932, UTF-8 or UTF-8 with BOM (:mod:`.delimited`, its quoting checked by :mod:`.quotes`),
fixed-width records with CP932 byte positions (:mod:`.fixed`), and xlsx (:mod:`.xlsx`); a header row names
every declared column once (:mod:`.header`). Every row keeps its source line number (``ROW``, counted by
:mod:`.lines`). Problems that make the file unreadable raise InputError naming the line, byte offset or column —
never a value. Only a regular file is read (:mod:`.opening`), and an export past the programme's ``[limits]``
is refused before it is read in full. A file refused for its encoding or its header is looked at once more
(:mod:`.hints`): it may be another programme's export, or this one's in another encoding.

The readers are imported when ``run`` needs them: the commands import :mod:`.read_ahead` from here before
pandas and pyarrow load, so that a large export is read and converted meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

from handoff.contract import StageContext, StageResult
from handoff.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from handoff.programme import ProgramSpec


def run(path: Path, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """Read ``path`` per ``spec.source`` into a table of strings plus ``ROW``; only a regular file is read."""
    from handoff.stages.extract.opening import open_input, shown_path

    src = spec.source
    with open_input(path, ctx.site.input.follow_symlinks) as fh:
        try:
            if src.format == "xlsx":
                from handoff.stages.extract.xlsx import read_xlsx

                table = read_xlsx(fh, path, spec)
            else:
                table = _read_text(fh, path, spec)
        except InputError as refusal:
            from handoff.stages.extract import hints

            # An xlsx programme reads its header from the sheet (kept on the refusal); a text file's first
            # line is read again from the same open file, whatever the programme's format.
            hint = hints.explain(refusal, None if _is_zip(fh) else fh, spec, ctx.site.pipelines_path)
            raise (hint or hints.plain(refusal)) from None
    if table.empty:
        raise InputError("input.no_rows", path=shown_path(path))
    return StageResult(table, [], {"rows_read": len(table)})


def _is_zip(fh: BinaryIO) -> bool:
    """Does the file start as a ZIP (an xlsx) does? Its bytes are no text line to look at."""
    fh.seek(0)
    return fh.read(4) == b"PK\x03\x04"


def _read_text(fh: BinaryIO, path: Path, spec: ProgramSpec) -> pd.DataFrame:
    """A CSV, TSV or fixed-width export, refused when it is blank or holds a NUL byte."""
    from handoff.stages.extract import read_ahead
    from handoff.stages.extract.delimited import read_delimited
    from handoff.stages.extract.fixed import read_fixed
    from handoff.stages.extract.lines import all_blank, position
    from handoff.stages.extract.opening import shown_path

    src = spec.source
    ahead = read_ahead.take(path, src)  # the file already read (and converted) while the libraries loaded
    data = ahead.data if ahead is not None else fh.read()
    if all_blank(data):
        raise InputError("input.empty", path=shown_path(path))
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = position(data, nul)
        raise InputError("input.nul_byte", line=line, offset=col)
    return read_fixed(data, spec) if src.format == "fixed" else read_delimited(data, spec, ahead)
