"""One handoff per programme and mailing cycle: which job holds a cycle, looked up inside the writer's lock.

A job holds its cycle from its ``job.prepared`` on, unless it was abandoned (never completed) or its
``job.prepared`` was voided by a correction. A second ``job.prepared`` for a held cycle needs a re-run reason.
A cycle the ward decided not to make is recorded as ``cycle.skipped`` (by a supervisor, with the reason): it is
then neither due nor missed, and a later run of it still makes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from handoff.errors import StateError
from handoff.ledger import rules
from handoff.ledger.drafts import entry_of, job_entries
from handoff.ledger.events import Draft, Entry, canonical
from handoff.ledger.store import Store

JOB_CODES = 99  # inserter job codes 01 … 99 (handoff.pipeline.job_codes)


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


def skipped(store: Store, programme: str, cycle: str, pending: Sequence[Entry] = ()) -> Entry | None:
    """The ``cycle.skipped`` that stands for ``programme``'s ``cycle`` (the ward decided not to make it), or None.
    A skip voided by a correction no longer stands."""
    needle = canonical({"cycle": cycle})[1:-1]
    found = [entry_of(row) for row in store.prepared_rows(needle, "cycle.skipped")]
    found += [e for e in pending if e.type == "cycle.skipped"]
    for entry in reversed(found):
        if entry.subject.get("programme") != programme or entry.payload.get("cycle") != cycle:
            continue
        voids = [entry_of(row) for row in store.prepared_rows(canonical({"entry": str(entry.seq)})[1:-1],
                                                              "correction")]
        if not any(v.subject.get("entry") == str(entry.seq) and v.payload.get("void") for v in voids):
            return entry
    return None


def coded_jobs(store: Store, vendor: str, pending: Sequence[Entry] = ()) -> list[Entry]:
    """The vendor's ``job.prepared`` entries that carry an inserter job code (``job_code = "auto"``), oldest
    first."""
    found = [entry_of(row) for row in store.prepared_rows(canonical({"vendor": vendor})[1:-1])]
    found += [e for e in pending if e.type == "job.prepared"]
    return sorted((e for e in found if e.payload.get("vendor") == vendor and "job_code" in e.payload),
                  key=lambda e: e.seq)


def check_job_code(store: Store, vendor: str, job_code: str, pending: Sequence[Entry]) -> None:
    """Refuse an inserter job code one of the vendor's last 98 coded jobs has (two runs at the same moment took
    the same one): StateError ``run.job_code_taken`` (exit 9)."""
    recent = coded_jobs(store, vendor, pending)[-(JOB_CODES - 1):]
    taken = next((e for e in recent if e.payload["job_code"] == job_code), None)
    if taken is not None:
        raise StateError("run.job_code_taken", vendor=vendor, job_code=job_code, job=taken.job or "-")


def check(store: Store, draft: Draft, pending: Sequence[Entry]) -> None:
    """Refuse a ``job.prepared`` for a cycle another job holds, unless it carries a re-run reason: StateError
    ``run.cycle_done`` (exit 9), the refusal ``handoff run`` gives before its work, now given atomically. Refuse
    a ``cycle.skipped`` for a cycle a job holds or a skip already stands for (exit 9)."""
    pay = draft.payload
    if draft.type == "cycle.skipped":
        programme, cycle = draft.subject["programme"], str(pay["cycle"])
        job = holder(store, programme, cycle, pending)
        if job is not None:
            raise StateError("schedule.skip_made", programme=programme, cycle=cycle, job=job)
        earlier = skipped(store, programme, cycle, pending)
        if earlier is not None:
            raise StateError("schedule.skip_twice", programme=programme, cycle=cycle, entry=earlier.seq)
        return
    if draft.type == "job.prepared" and "job_code" in pay:
        check_job_code(store, str(pay["vendor"]), str(pay["job_code"]), pending)
    if draft.type != "job.prepared" or "cycle" not in pay or "rerun_reason" in pay:
        return
    held = holder(store, str(pay["programme"]), str(pay["cycle"]), pending)
    if held is not None:
        raise StateError("run.cycle_done", programme=pay["programme"], cycle=pay["cycle"], job=held)
