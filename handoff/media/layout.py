"""How a job's ZIP is laid onto discs: a disc's capacity, the byte range each disc carries, its volume id.

The vendor profile declares the medium (``[vendor_profiles.X.medium]``: CD-R, DVD-R or BD-R, and how many bytes
one disc may hold, by default the type's capacity: handoff.config.MEDIUM_BYTES). A ZIP that does not fit one disc
is cut into byte ranges, one per disc (7-Zip's split-archive naming, ``<job-id>.zip.001`` …); see
``handoff.media.iso`` for the images themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from handoff.config import MEDIUM_BYTES
from handoff.errors import StateError

DVD_R_BYTES = MEDIUM_BYTES["DVD-R"]
MEDIUM_TYPES = tuple(MEDIUM_BYTES)  # CD-R, DVD-R, BD-R
FILE_MAX = (1 << 32) - 2048  # one ISO 9660 extent, block aligned
RESERVE = 2 << 20  # ISO/Joliet/UDF structures and the README stay well under this


@dataclass(frozen=True)
class Part:
    name: str  # Joliet/UDF name on the disc
    offset: int  # byte offset in the ZIP
    length: int
    sha256: str


@dataclass(frozen=True)
class MediumImage:
    medium_id: str
    index: int  # 1-based
    count: int
    path: Path
    volume_id: str
    size: int
    sha256: str
    part: Part


def plan_parts(zip_size: int, capacity: int = DVD_R_BYTES) -> list[tuple[int, int]]:
    """Byte ranges of the ZIP, one per medium: [(offset, length), …]."""
    per_disc = min(capacity - RESERVE, FILE_MAX)
    if per_disc <= 0:
        raise StateError("media.capacity_too_small", capacity=capacity)
    if zip_size <= per_disc:
        return [(0, zip_size)]
    return [(off, min(per_disc, zip_size - off)) for off in range(0, zip_size, per_disc)]


def volume_id(job_id: str, index: int = 1, count: int = 1) -> str:
    """ISO 9660 volume id: ``YYYYMMDD_HHMMSS_<hex>[_<i>OF<n>]_<PROGRAMME>`` cut to 32 d-characters."""
    m = re.fullmatch(r"(\d{8})-(\d{6})-(.+)-([0-9a-f]{4})", job_id)
    head, tail = (f"{m[1]}_{m[2]}_{m[4]}", m[3]) if m else (job_id, "")
    if count > 1:
        head += f"_{index}OF{count}"
    text = f"{head}_{tail}" if tail else head
    return re.sub(r"[^A-Z0-9_]", "_", text.upper())[:32].rstrip("_")
