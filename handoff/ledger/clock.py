"""Recorded times never go backwards: each entry's time is at or after the time of the entry before it.

A clock set back would otherwise let a notice be recorded as handed over on another day than its medium, and
the paper record of the day would no longer match the ledger. So the time of a new entry is compared, under the
write lock, with the last recorded one; verify checks the same order for every stored entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from handoff.errors import IntegrityError
from handoff.ledger.events import TOKYO, Draft, format_time, parse_time

# Writers on different machines (a shared PostgreSQL ledger) read clocks that differ by a little even when all
# are synchronised. A time taken from the clock that is behind the last entry by no more than this is recorded as
# that entry's time rather than refused; a clock further behind is wrong and is refused.
SKEW = dt.timedelta(seconds=2)


def shown(stored: str) -> str:
    """A stored time (UTC, ISO) as people read it: Japan time to the second."""
    try:
        return parse_time(stored).astimezone(TOKYO).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return stored


def stamp(draft: Draft, last: str | None) -> tuple[Draft, str]:
    """The draft with the time it is recorded at, and that time as stored: taken now when it came from the
    clock, never before ``last`` (the stored time of the entry before it). IntegrityError
    ``ledger.clock_behind`` when it would be."""
    when = dt.datetime.now(dt.UTC) if draft.from_clock else draft.time
    text = format_time(when)
    if last is not None and text < last:  # fixed-width ISO texts: text order is time order
        earlier = parse_time(last)
        if not draft.from_clock or earlier - when > SKEW:
            raise IntegrityError("ledger.clock_behind", time=shown(text), last=shown(last))
        when, text = earlier, last
    if when is draft.time and not draft.from_clock:
        return draft, text  # a time given by the caller and in order: nothing to change (appends in batches)
    return dataclasses.replace(draft, time=when, from_clock=False), text
