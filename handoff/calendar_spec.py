"""A programme's mailing calendar (``[calendar]`` in its programme file): when its cycles fall, how early the
run is due, where the host system drops the export, and the contract period of this programme with its vendor.

Dates only, no files and no ledger: ``handoff.pipeline.due`` asks these questions of a day and then looks at the
inbox and the ledger. A cycle is named by the year and month of its mailing (``2026-10``), the id ``handoff run``
records as the job's cycle. The fiscal year (年度) starts on 1 April: fiscal year 2026 runs from 2026-04 to 2027-03.

For one cycle, counted back from its mailing day::

    opens = mailing - lead_days - open_days   the export may arrive from this day on; the cycle is due
    lead  = mailing - lead_days               the export should be in the inbox by this day
    after lead, an export not yet there is late (``handoff run --due`` exits 12); after mailing the cycle is past
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from pydantic import BaseModel, ConfigDict, Field, model_validator

from handoff.errors import InputError

CYCLE_ID = re.compile(r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])")
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CycleSpec(_Frozen):
    """One mailing of the fiscal year: its month, and its day when it differs from the calendar's."""

    month: int = Field(ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=28)
    label: str = ""  # what goes out that month (資産申告書 …), when a programme mails different documents
    assumed: bool = False  # True where the council document does not state this mailing (say why in ``note``)
    note: str = ""


class Calendar(_Frozen):
    cycles: list[CycleSpec] = Field(default_factory=list)
    monthly: bool = False  # a mailing every month of the fiscal year (督促状 …); ``cycles`` stays empty
    mailing_day: int = Field(default=20, ge=1, le=28)  # 28 at most: every month has it
    lead_days: int = Field(default=10, ge=0, le=90)  # the export is due in the inbox this many days before mailing
    open_days: int = Field(default=10, ge=1, le=90)  # how long before that an export may arrive for the cycle
    inbox: str  # glob relative to the site folder where the host system drops the export
    contract_start: dt.date | None = None  # this programme's contract with its vendor (None: the vendor's only)
    contract_end: dt.date | None = None
    warn_days: int = Field(default=30, ge=0, le=365)  # a contract or certification ending this soon is shown
    assumed: bool = False  # True where the seed states no schedule at all (随時 …)
    note: str = ""

    @model_validator(mode="after")
    def _rules(self) -> Calendar:
        if self.monthly == bool(self.cycles):
            raise ValueError("calendar needs either monthly = true or cycles, not both")
        months = [c.month for c in self.cycles]
        if len(set(months)) != len(months):
            raise ValueError("two cycles in the same month")
        inbox = PurePosixPath(self.inbox)
        if inbox.is_absolute() or ".." in inbox.parts or len(inbox.parts) < 2 or any(
                ch in "".join(inbox.parts[:-1]) for ch in "*?["):
            raise ValueError("inbox must be folder/pattern inside the site folder, the pattern in the last part")
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            raise ValueError("contract_end before contract_start")
        two_years = self.cycles_of(2000) + self.cycles_of(2001)
        for first, second in itertools.pairwise(two_years):
            if second.opens <= first.mailing:  # one export must belong to one cycle
                raise ValueError(f"cycles {first.id} and {second.id} overlap: shorten lead_days or open_days")
        return self

    def _specs(self) -> list[CycleSpec]:
        return [CycleSpec(month=m) for m in FISCAL_MONTHS] if self.monthly else self.cycles

    def cycles_of(self, fiscal_year: int) -> list[Cycle]:
        """The cycles of fiscal year ``fiscal_year`` (April to March), in mailing order."""
        found = []
        for spec in self._specs():
            year = fiscal_year if spec.month >= 4 else fiscal_year + 1
            mailing = dt.date(year, spec.month, spec.day or self.mailing_day)
            lead = mailing - dt.timedelta(days=self.lead_days)
            found.append(Cycle(f"{year:04d}-{spec.month:02d}", mailing, lead, lead - dt.timedelta(days=self.open_days),
                               spec.label, spec.assumed or self.assumed, spec.note or self.note))
        return sorted(found, key=lambda c: c.mailing)

    def cycle(self, cycle_id: str) -> Cycle | None:
        """The cycle named ``cycle_id`` (``YYYY-MM``), or None when the calendar has no mailing that month."""
        m = CYCLE_ID.fullmatch(cycle_id)
        if m is None:
            return None
        year, month = int(m["year"]), int(m["month"])
        return next((c for c in self.cycles_of(year if month >= 4 else year - 1) if c.id == cycle_id), None)

    def due_on(self, day: dt.date) -> list[Cycle]:
        """The cycles whose window (opening day to mailing day, both inclusive) holds ``day``."""
        fy = fiscal_year(day)
        return [c for y in (fy - 1, fy, fy + 1) for c in self.cycles_of(y) if c.opens <= day <= c.mailing]

    def upcoming(self, day: dt.date) -> Cycle:
        """The first cycle mailed on or after ``day``: the one a run without ``--cycle`` prepares."""
        fy = fiscal_year(day)
        return next(c for y in (fy, fy + 1) for c in self.cycles_of(y) if c.mailing >= day)

    def previous(self, cycle: Cycle) -> Cycle | None:
        """The cycle before ``cycle`` (in the fiscal year before, for its first one); None when there is none."""
        fy = fiscal_year(cycle.mailing)
        before = [c for y in (fy - 1, fy) for c in self.cycles_of(y) if c.mailing < cycle.mailing]
        return before[-1] if before else None

    def in_contract(self, day: dt.date) -> bool:
        """Whether ``day`` falls within this programme's own contract period (open ends count as within)."""
        return (self.contract_start is None or self.contract_start <= day) and (
            self.contract_end is None or day <= self.contract_end)

    def require_cycle(self, programme: str, cycle_id: str, today: dt.date) -> Cycle:
        """The cycle ``cycle_id``; InputError ``run.cycle_unknown`` listing the fiscal year's cycles otherwise."""
        found = self.cycle(cycle_id)
        if found is None:
            m = CYCLE_ID.fullmatch(cycle_id)
            fy = fiscal_year(dt.date(int(m["year"]), int(m["month"]), 1)) if m else fiscal_year(today)
            valid = "、".join(c.id for c in self.cycles_of(fy))
            raise InputError("run.cycle_unknown", programme=programme, cycle=cycle_id, fiscal_year=fy, valid=valid)
        return found


@dataclass(frozen=True)
class Cycle:
    """One mailing: its id (``YYYY-MM``), mailing day, the day the export is due, and the day its window opens."""

    id: str
    mailing: dt.date
    lead: dt.date
    opens: dt.date
    label: str = ""
    assumed: bool = False
    note: str = ""

    def late_on(self, day: dt.date) -> bool:
        """Past the day the export was due in the inbox (and not yet past the mailing)."""
        return self.lead < day <= self.mailing


def fiscal_year(day: dt.date) -> int:
    """The fiscal year (年度) holding ``day``: April to March, named by the year it starts in."""
    return day.year if day.month >= 4 else day.year - 1
