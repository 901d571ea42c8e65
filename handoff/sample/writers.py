"""Write synthetic rows in the programme's declared source format (CSV/TSV, fixed width, xlsx).

Every file appears under its name only when complete (``fs.atomic_writer``), and a write that fails names the
folder (exit 11), as every other file handoff writes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from handoff.fs import atomic_writer, write_atomic
from handoff.programme import ProgramSpec
from handoff.sample.households import Row

PROGRESS_EVERY = 1000  # rows between two calls of a progress hook


def write(spec: ProgramSpec, rows: list[Row], path: Path, progress: Callable[[int], None] | None = None) -> None:
    """``rows`` in ``spec``'s source format at ``path``. ``progress(rows done so far)`` is called every
    :data:`PROGRESS_EVERY` rows and once all are done (before the file is in place)."""
    src = spec.source
    counted = _counted(rows, progress)
    if src.format == "xlsx":
        _xlsx(spec, counted, path)
        return
    write_atomic(path, _fixed(spec, counted) if src.format == "fixed" else _delimited(spec, counted))


def _counted(rows: list[Row], progress: Callable[[int], None] | None) -> Iterable[Row]:
    """``rows``, calling ``progress`` as they are taken (``rows`` itself when there is no hook)."""
    if progress is None:
        return rows

    def counting() -> Iterator[Row]:
        done = 0
        for done, row in enumerate(rows, 1):
            yield row
            if done % PROGRESS_EVERY == 0:
                progress(done)
        if done % PROGRESS_EVERY:
            progress(done)

    return counting()


def write_expected(expected: dict[str, Any], path: Path) -> Path:
    target = path.with_name(path.name + ".expected.json")
    return write_atomic(target, json.dumps(expected, ensure_ascii=False, indent=2).encode("utf-8"))


def _ordered(spec: ProgramSpec) -> list[tuple[str, str]]:
    cols = spec.source.columns
    if not spec.source.header:
        cols = sorted(cols, key=lambda c: c.position)
    return [(c.field, c.column) for c in cols]


def _delimited(spec: ProgramSpec, rows: Iterable[Row]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t" if spec.source.format == "tsv" else ",", lineterminator="\r\n")
    cols = _ordered(spec)
    if spec.source.header:
        writer.writerow([name for _, name in cols])
    writer.writerows([row.values[f] for f, _ in cols] for row in rows)
    codec = {"cp932": "cp932", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}[spec.source.encoding]
    return buf.getvalue().encode(codec)


def _fixed(spec: ProgramSpec, rows: Iterable[Row]) -> bytes:
    cols = sorted(spec.source.columns, key=lambda c: c.start)
    out = bytearray()
    for row in rows:
        for c in cols:
            raw = row.values[c.field].encode("cp932")
            if len(raw) > c.length:
                raise ValueError(f"sample value too long for {c.field}")
            out += raw + b" " * (c.length - len(raw))
        out += b"\r\n"
    return bytes(out)


def _xlsx(spec: ProgramSpec, rows: Iterable[Row], path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("抽出データ")
    cols = _ordered(spec)
    ws.append([name for _, name in cols])
    for row in rows:
        # strings, so postal codes keep their leading zeros; a value starting with "=" stays text (a planted
        # formula-injection case), as a host system would write it
        ws.append([_text_cell(ws, row.values[f]) for f, _ in cols])
    with atomic_writer(path) as fh:
        wb.save(fh)


def _text_cell(ws: Any, value: str) -> Any:
    if not value.startswith("="):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell
