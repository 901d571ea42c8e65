"""The in-house pull index of a job whose programme declares exclusions: which document of which piece each
exclusion key is, so a pull list (引抜きリスト, ``handoff pull``) can be made after the pieces are printed.

``internal/pull_index.tsv`` (0600, in the in-house work folder with the job's other in-house files): a first line
of JSON (format, job, programme, the match fields), then one line per document — piece number, part, place in
the piece, control code (empty for a postcard) and the exclusion key. The key is the row's own identifier (宛名番号):
it stays in-house; the pull list made from it carries piece numbers and codes only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.contract import MATCH_KEY
from handoff.errors import StateError
from handoff.fs import write_atomic

if TYPE_CHECKING:
    import pandas as pd

    from handoff.programme import ProgramSpec

FORMAT = "handoff-pull-index/1"
FILE_NAME = "pull_index.tsv"
_COLUMNS = ("piece_seq", "piece_part", "doc_index", "control_code")


@dataclass(frozen=True)
class Document:
    """One document of the job as the vendor's file numbers it (no personal value)."""

    piece: str  # as the vendor file writes it (000012)
    part: str
    index: str
    code: str


@dataclass(frozen=True)
class Index:
    """A job's pull index: its documents by exclusion key, and how many documents each envelope (piece and
    part) holds."""

    job: str
    programme: str
    by_key: dict[str, list[Document]] = field(repr=False)
    docs_per_piece: dict[tuple[str, str], int] = field(repr=False)


def pull_index(table: pd.DataFrame, spec: ProgramSpec, job_id: str) -> bytes:
    """The index file's bytes from the final piece table (a column a postcard job lacks is left empty)."""
    head = {"format": FORMAT, "job": job_id, "programme": spec.id,
            "match": list(spec.exclusions.match) if spec.exclusions else []}
    n = len(table)
    columns = [table[c].astype(str).tolist() if c in table.columns else [""] * n for c in (*_COLUMNS, MATCH_KEY)]
    lines = ["\t".join(values) for values in zip(*columns, strict=True)]
    return (json.dumps(head, ensure_ascii=False, separators=(",", ":")) + "\n"
            + "".join(f"{line}\n" for line in lines)).encode("utf-8")


def write_index(internal: Path, data: bytes) -> Path:
    """``internal/pull_index.tsv`` (0600, like every in-house file)."""
    return write_atomic(internal / FILE_NAME, data)


def read_index(internal: Path, job_id: str) -> Index:
    """The job's pull index; a job made before its programme declared exclusions has none (exit 9)."""
    path = internal / FILE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StateError("pull.no_index", job=job_id) from None
    head_line, _, body = text.partition("\n")
    head = json.loads(head_line)
    if head.get("format") != FORMAT or head.get("job") != job_id:
        raise StateError("pull.no_index", job=job_id)
    by_key: dict[str, list[Document]] = {}
    per_piece: dict[tuple[str, str], int] = {}
    for line in body.splitlines():
        piece, part, index, code, key = line.split("\t", 4)
        by_key.setdefault(key, []).append(Document(piece, part, index, code))
        per_piece[(piece, part)] = per_piece.get((piece, part), 0) + 1
    return Index(job_id, str(head.get("programme", "")), by_key, per_piece)
