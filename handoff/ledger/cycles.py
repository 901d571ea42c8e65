"""One handoff per programme and mailing cycle: which job holds a cycle, looked up inside the writer's lock.

A job holds its cycle from its ``job.prepared`` on, unless it was abandoned (never completed) or its
``job.prepared`` was voided by a correction. A second ``job.prepared`` for a held cycle needs a re-run reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from handoff.errors import StateError
from handoff.ledger import rules
from handoff.ledger.drafts import entry_of, job_entries
from handoff.ledger.events import Draft, Entry, canonical
from handoff.ledger.store import Store


def holder(store: Store, programme: str, cycle: str, pending: Sequence[Entry] = ()) -> str | None:
    """The latest job that holds ``programme``'s ``cycle``, or None. ``pending`` are entries of the same
    transaction not yet inserted."""
    # The cycle as it appears in the canonical entry bytes: the database finds the few candidate rows.
    needle = canonical({"cycle": cycle})[1:-1]
    found = [entry_of(row) for row in store.prepared_rows(needle)]
    found += [e for e in pending if e.type == "job.prepared"]
    for entry in reversed(found):
        if entry.job is None or entry.payload.get("programme") != programme or entry.payload.get("cycle") != cycle:
            continue
        history = job_entries(store, entry.job) + [e for e in pending if e.job == entry.job]
        state = rules.replay(history)
        if state.prepared is not None and state.abandoned is None:
            return entry.job
    return None


def check(store: Store, draft: Draft, pending: Sequence[Entry]) -> None:
    """Refuse a ``job.prepared`` for a cycle another job holds, unless it carries a re-run reason: StateError
    ``run.cycle_done`` (exit 9), the refusal ``handoff run`` gives before its work, now given atomically."""
    pay = draft.payload
    if draft.type != "job.prepared" or "cycle" not in pay or "rerun_reason" in pay:
        return
    held = holder(store, str(pay["programme"]), str(pay["cycle"]), pending)
    if held is not None:
        raise StateError("run.cycle_done", programme=pay["programme"], cycle=pay["cycle"], job=held)
