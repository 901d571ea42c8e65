"""The types that cross layers: the stage contract shared by every stage, and the rendered vendor file."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from handoff.config import SiteConfig, VendorProfile
    from handoff.report import Finding

ROW = "_row"  # column holding the source row number
# The row's exclusion key (its ``[exclusions] match`` values joined), carried with the pieces of a programme that
# declares exclusions so a pull list can find them later; a stage column, it never reaches the vendor file.
MATCH_KEY = "_match_key"
TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class StageContext:
    """What a stage may know besides its input: the clock, the job id, the RNG, the site and vendor profile."""

    job_id: str
    site: SiteConfig
    profile: VendorProfile
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(TOKYO))
    rng: random.Random = field(default_factory=random.Random)
    # 異動 given to this run (handoff run --exclusions): exclusion key → the reason's label; None: none given
    excluded: Mapping[str, str] | None = None

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(TOKYO).date()


@dataclass
class StageResult:
    table: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedFile:
    """The vendor data file, in memory, as consecutive chunks. ``repr`` never shows the data.

    Chunks rather than one ``bytes``: joining them would hold a large file twice at the peak of a run; the
    package streams them into the ZIP.
    """

    chunks: tuple[bytes | memoryview, ...] = field(repr=False)
    size: int
    member_name: str
    encoding: str
    line_ending: str
    sha256: str
    rows: int
    layout: str  # "csv" | "fixed"
    fields: tuple[str, ...]
    record_bytes: int = 0  # fixed width: bytes per record without the line ending

    @property
    def data(self) -> bytes:
        """The whole file as one ``bytes`` (a copy: for small files and tests)."""
        return b"".join(self.chunks)
