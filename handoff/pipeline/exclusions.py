"""異動: a programme's exclusion file (``[exclusions]``), read into the keys a run leaves out and a pull list pulls.

The file is read and validated as an export is (the ``stages.extract`` readers, ``stages.validate``), through a
view of the programme whose source is the exclusion layout. Unlike an export's, a row that cannot be read is not
set aside and the rest used: the person it names could then be mailed after they died, so the whole file is
refused (exit 4) naming the row and the field — never a value — and the host system's list is fixed and given
again. A reason code the programme does not list is refused the same way: which changes exclude is the ward's
decision, never a guess.

A change counts when its day is on or before the cutoff: the mailing day of the job's cycle when the programme has
a mailing calendar with that cycle, else the day of the run. A change dated later (a planned 転出) is counted and
reported, not applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.contract import ROW, StageContext
from handoff.errors import InputError
from handoff.programme import RecipientSpec

if TYPE_CHECKING:
    from handoff.programme import Exclusions, ProgramSpec


@dataclass(frozen=True)
class Excluded:
    """What an exclusion file says: the keys that leave the mailing (with their reason's label) and counts."""

    title: str
    file_sha256: str
    cutoff: dt.date
    keys: dict[str, str] = field(repr=False)  # exclusion key → reason label (keys are personal: never shown)
    rows_read: int = 0
    excluding: int = 0  # rows whose change excludes, dated on or before the cutoff
    later: int = 0  # rows whose change excludes, dated after the cutoff: not applied
    ignored: int = 0  # rows whose reason the programme lists as not excluding

    def summary(self) -> dict[str, Any]:
        """Counts, the cutoff and the file's hash: what the run report and the ledger may carry."""
        return {"title": self.title, "file_sha256": self.file_sha256, "cutoff": self.cutoff.isoformat(),
                "rows_read": self.rows_read, "excluding": self.excluding, "later": self.later,
                "ignored": self.ignored}


def declared(spec: ProgramSpec) -> Exclusions:
    """The programme's ``[exclusions]``; a programme without one refuses an exclusion file (exit 3)."""
    from handoff.errors import ConfigError

    if spec.exclusions is None:
        raise ConfigError("exclusions.not_declared", programme=spec.id)
    return spec.exclusions


def cutoff_for(spec: ProgramSpec, cycle: str, today: dt.date) -> dt.date:
    """The last day of change that counts: the cycle's mailing day (from the calendar), else ``today``."""
    found = spec.calendar.cycle(cycle) if spec.calendar is not None and cycle else None
    return max(found.mailing, today) if found is not None else today


def view_of(spec: ProgramSpec, ex: Exclusions) -> ProgramSpec:
    """The programme as the exclusion rows see it: their layout, and a row key of the match fields, day and
    reason (the same change listed twice is a duplicate row, as in an export)."""
    key = [*ex.match, ex.date, ex.reason]
    return spec.model_copy(update={"source": ex.source, "recipient": RecipientSpec(row_key=key, key=key)})


def read_exclusions(path: Path, spec: ProgramSpec, ctx: StageContext, cutoff: dt.date) -> Excluded:
    """Read, validate and sort ``path``'s changes: any row in error or with an unlisted reason refuses the file."""
    from handoff.stages import extract, validate
    from handoff.stages.select import match_keys

    ex = declared(spec)
    view = view_of(spec, ex)
    table = extract.run(path, view, ctx).table
    checked = validate.run(table, view, ctx)
    bad = sorted((f for f in checked.findings if f.blocks_row), key=lambda f: f.row)
    if bad:
        first = bad[0]
        raise InputError("exclusions.bad_row", title=ex.title, row=first.row, field=_label(view, first.field),
                         rule=first.code, count=len({f.row for f in bad}))
    rows = checked.table
    keys = match_keys(rows, view, ex.match).tolist()
    keep: dict[str, tuple[str, str]] = {}  # key → (day, label): the latest excluding change of each key
    later = ignored = excluding = 0
    for row, key, day, code in zip(rows[ROW].tolist(), keys, rows[ex.date].tolist(), rows[ex.reason].tolist(),
                                   strict=True):
        if code in ex.ignore:
            ignored += 1
        elif code not in ex.reasons:
            raise InputError("exclusions.unknown_reason", title=ex.title, row=row, field=view.label(ex.reason),
                             programme=spec.id)
        elif dt.date.fromisoformat(day) > cutoff:
            later += 1
        else:
            excluding += 1
            if key not in keep or keep[key][0] < day:
                keep[key] = (day, ex.reasons[code])
    return Excluded(ex.title, _sha256(path), cutoff, {k: label for k, (_day, label) in keep.items()},
                    len(rows), excluding, later, ignored)


def _label(view: ProgramSpec, name: str) -> str:
    """The Japanese label of a finding's field (``a+b`` for a composite key); the name where there is none."""
    labels = []
    for part in name.split("+") if name else []:
        try:
            labels.append(view.label(part))
        except StopIteration:
            labels.append(part)
    return "・".join(labels) or "-"


def _sha256(path: Path) -> str:
    """The file's SHA-256, as read (the ledger and report may name which list was applied, not what it says)."""
    from handoff.fs import sha256_file

    return sha256_file(path)[0]
