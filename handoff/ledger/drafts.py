"""Turning a call into a complete draft, inside the writer's transaction.

Operators name a medium, a notice or a paper by its own id; the job it belongs to (and the job of an entry being
corrected) is looked up here, so the custody rules always see the whole job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from handoff.errors import CustodyError, IntegrityError
from handoff.ledger import events
from handoff.ledger.events import Actor, Draft, Entry
from handoff.ledger.merkle import leaf_hash
from handoff.ledger.store import Row, Store

FIRST_ITEM_EVENT = {"medium": "medium.written", "notice": "notice.printed", "paper": "paper.registered"}
# Items received from a vendor (handoff intake) begin with these instead: kind of item -> the event that made it.
INBOUND_ITEM_EVENT = {"medium": "inbound.received", "notice": "inbound.notice_received"}


def draft(
    event_type: str,
    subject: Mapping[str, str],
    payload: Mapping[str, Any],
    actor: Actor | str,
    *,
    at: dt.datetime | None = None,
) -> Draft:
    who = actor if isinstance(actor, Actor) else Actor.current(actor)
    if at is None:
        return Draft(event_type, dict(subject), dict(payload), who, dt.datetime.now(dt.UTC), from_clock=True)
    return Draft(event_type, dict(subject), dict(payload), who, at)


def resolve(tx: Store, d: Draft) -> Draft:
    """Fill in the job from the item (media and notices are known by their own id) or the corrected entry."""
    subject = dict(d.subject)
    if d.type == "correction" and "job" not in subject:
        target = tx.row(int(subject["entry"])) if subject.get("entry", "").isdigit() else None
        if target is None:
            raise CustodyError("custody.correction_target", entry=subject.get("entry", ""))
        if target.job:
            subject["job"] = target.job
    kind = d.type.split(".", 1)[0]
    payload = d.payload
    if kind in FIRST_ITEM_EVENT and d.type != FIRST_ITEM_EVENT[kind] and "job" not in subject and kind in subject:
        makers = (FIRST_ITEM_EVENT[kind], INBOUND_ITEM_EVENT.get(kind))
        first = [r for r in tx.rows_for(item=subject[kind]) if r.type in makers]
        if not first or first[0].job is None:
            raise CustodyError("custody.unknown_id", item=subject[kind])
        subject["job"] = first[0].job
        if first[0].type.startswith("inbound.") and d.type.endswith(".handed_over") and not payload.get("vendor"):
            payload = {**payload, "vendor": _inbound_vendor(tx, first[0].job)}
    # Built directly rather than with dataclasses.replace: this runs for every entry of a batch append.
    return Draft(d.type, subject, payload, d.actor, d.time, d.from_clock)


def _inbound_vendor(tx: Store, job: str) -> str:
    """The vendor an inbound job's medium came from: an item handed back goes to that vendor unless told."""
    for row in tx.rows_for(job=job):
        if row.type == "inbound.received":
            return str(entry_of(row).payload["vendor"])
    return ""


def entry_of(row: Row) -> Entry:
    """The entry a stored row holds. IntegrityError when its bytes are not the ones its leaf hash was made of,
    do not parse, or name another position: a custody decision is never taken on an edited row."""
    if leaf_hash(row.data) != row.leaf_hash:
        raise IntegrityError("ledger.entry_altered", seq=row.seq)
    try:
        entry = events.parse(row.data)
    except (ValueError, KeyError, TypeError, AttributeError):  # json's errors are ValueErrors
        raise IntegrityError("ledger.entry_altered", seq=row.seq) from None
    if entry.seq != row.seq:
        raise IntegrityError("ledger.entry_misplaced", seq=row.seq, recorded=entry.seq)
    return entry


def job_entries(tx: Store, job: str) -> list[Entry]:
    return [entry_of(r) for r in tx.rows_for(job=job)]


def item_known(tx: Store, d: Draft, pending: Sequence[Entry]) -> bool:
    """Whether a new medium/notice id is already used anywhere in the ledger (ids are unique across jobs)."""
    kind = next((k for k, event in INBOUND_ITEM_EVENT.items() if event == d.type), d.type.split(".", 1)[0])
    if d.type not in (FIRST_ITEM_EVENT.get(kind), INBOUND_ITEM_EVENT.get(kind)):
        return False
    item = d.subject[kind]
    return bool(tx.rows_for(item=item)) or any(e.item == item for e in pending)


def to_row(e: Entry) -> Row:
    return Row(e.seq, events.format_time(e.time), e.type, e.job, e.item, e.data, e.leaf_hash)
