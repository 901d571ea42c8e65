"""The stage contract shared by every stage."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import pandas as pd

    from handoff.config import SiteConfig, VendorProfile
    from handoff.pipeline.report import Finding

ROW = "_row"  # column holding the source row number
TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class StageContext:
    """What a stage may know besides its input: the clock, the job id, the RNG, the site and vendor profile."""

    job_id: str
    site: SiteConfig
    profile: VendorProfile
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(TOKYO))
    rng: random.Random = field(default_factory=random.Random)

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(TOKYO).date()


@dataclass
class StageResult:
    table: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, object] = field(default_factory=dict)
