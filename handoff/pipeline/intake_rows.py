"""The rows of an inbound data member: read and validated as an export is, then written for the host's import.

The programme's ``[inbound]`` table is laid over the programme as a view (its ``source``, a ``row_key`` and an
output of the import's fields), so the same readers (``stages.extract``) and rules (``stages.validate``) apply:
a row with an error finding (by row number and field, never a value) goes to the exceptions list instead of the
import file, and rows read = rows imported + rows excepted. The import file is built in memory; the caller
writes it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handoff.contract import ROW, StageContext
from handoff.errors import InputError, IntegrityError, PolicyError
from handoff.programme import OutputSpec, RecipientSpec

if TYPE_CHECKING:
    import pandas as pd

    from handoff.config import SiteConfig
    from handoff.programme import Inbound, InboundOutput, ProgramSpec
    from handoff.report import Finding

CODECS = {"cp932": "cp932", "utf-8": "utf-8"}


@dataclass(frozen=True)
class Rows:
    """The outcome of reading the rows: counts, findings, and the import file's bytes (never shown by repr)."""

    view: ProgramSpec
    findings: list[Finding]
    rows_read: int
    rows_imported: int
    rows_excepted: int
    import_bytes: bytes = field(repr=False)
    import_sha256: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def view_of(spec: ProgramSpec, inbound: Inbound) -> ProgramSpec:
    """The programme as the inbound rows see it: their layout, their key, the import's fields as the output."""
    out = inbound.output
    return spec.model_copy(update={
        "source": inbound.source,
        "recipient": RecipientSpec(row_key=list(inbound.row_key), key=list(inbound.row_key)),
        "output": OutputSpec(format=out.format, header=out.header, fields=list(out.fields)),
    })


def read_rows(data: bytes, spec: ProgramSpec, inbound: Inbound, site: SiteConfig, job: str) -> Rows:
    """Read ``data`` as ``[inbound] source`` declares it, validate, and render the rows without errors."""
    from handoff.config import VendorProfile
    from handoff.report import count_by_code
    from handoff.stages import validate
    from handoff.stages.extract.delimited import read_delimited
    from handoff.stages.extract.fixed import read_fixed
    from handoff.stages.extract.lines import all_blank, position

    view = view_of(spec, inbound)
    if all_blank(data):
        raise InputError("input.empty", path=inbound.title)
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = position(data, nul)
        raise InputError("input.nul_byte", line=line, offset=col)
    table = read_fixed(data, view) if view.source.format == "fixed" else read_delimited(data, view)
    if table.empty:
        raise InputError("input.no_rows", path=inbound.title)
    out = inbound.output
    profile = VendorProfile(encoding=out.encoding, allow_vendor_extensions=out.allow_vendor_extensions,
                            line_ending=out.line_ending)
    result = validate.run(table, view, StageContext(job_id=job, site=site, profile=profile))
    bad = {f.row for f in result.findings if f.blocks_row}
    kept = result.table[~result.table[ROW].isin(bad)]
    rows_read, rows_imported = len(table), len(kept)
    excepted = int(result.table[ROW].isin(bad).sum())
    if rows_read != rows_imported + excepted:  # rows in = rows out + exceptions, or nothing is written
        raise IntegrityError("intake.not_conserved", read=rows_read, imported=rows_imported, excepted=excepted)
    body = render(kept, out, view)
    return Rows(view, result.findings, rows_read, rows_imported, excepted, body, hashlib.sha256(body).hexdigest(),
                count_by_code(result.findings))


def render(table: pd.DataFrame, out: InboundOutput, view: ProgramSpec) -> bytes:
    """The import file: CSV (every field quoted) or fixed width (padded with spaces to its bytes), in the
    declared encoding, strictly (validation has excepted the rows it could not carry)."""
    from handoff.stages.validate_rules import as_written

    codec = CODECS[out.encoding]
    eol = "\r\n" if out.line_ending == "crlf" else "\n"
    columns = [as_written(table[f.field].astype(str), f.style).tolist() for f in out.fields]
    lines: list[bytes] = []
    if out.format == "csv" and out.header:
        lines.append((_csv([view.label(f.field) for f in out.fields]) + eol).encode(codec))
    for row, values in zip(table[ROW].tolist(), zip(*columns, strict=True), strict=True):
        if out.format == "csv":
            lines.append(_encoded(_csv(list(values)) + eol, codec, row))
        else:
            lines.append(_fixed(values, out, codec, row) + eol.encode("ascii"))
    return b"".join(lines)


def _csv(values: list[str]) -> str:
    return ",".join('"' + v.replace('"', '""') + '"' for v in values)


def _encoded(text: str, codec: str, row: int, field_name: str = "") -> bytes:
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        raise PolicyError("intake.unencodable", row=row, field=field_name or "-") from None


def _fixed(values: tuple[str, ...], out: InboundOutput, codec: str, row: int) -> bytes:
    parts = []
    for value, spec in zip(values, out.fields, strict=True):
        raw = _encoded(value, codec, row, spec.field)
        if len(raw) > spec.bytes:
            raise PolicyError("intake.too_long", row=row, field=spec.field, bytes=spec.bytes)
        pad = b" " * (spec.bytes - len(raw))
        parts.append(pad + raw if spec.align == "right" else raw + pad)
    return b"".join(parts)
