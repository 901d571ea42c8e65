"""A returned disc proves itself: it is read back and compared with what ``medium.written`` recorded.

The read covers exactly the image's byte count (drives pad the track; ``cdrecord`` adds 300 KiB), taken from
the medium's status file in the job folder, and its SHA-256 must equal the ``iso_sha256`` in the ledger. A disc
that matches is returned as usual (``medium.returned`` with ``readback_sha256`` and ``hash_matches``). One that
does not, or cannot be read in full, is not returned: an ``incident.recorded`` of kind ``hash_mismatch`` or
``unreadable`` is written instead and an IntegrityError tells the operator to keep the disc and report it. A
missing image file is a mistyped path, not a fact about the disc: it is refused and nothing is recorded.

Incidents themselves (record, close) are also written from here, with their job and item looked up first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.errors import CustodyError, HandoffError, InputError, IntegrityError, StateError

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.events import Entry
    from handoff.ledger.service import Ledger



@dataclass(frozen=True)
class Readback:
    """What reading a returned disc found: ``problem`` is None (it matches), hash_mismatch or unreadable."""

    job: str
    medium: str
    expected: str
    actual: str | None
    problem: str | None
    reason: str = ""  # the read error's code, for the log


def locate_item(ledger: Ledger, item: str) -> tuple[str, str]:
    """(kind, job) of a medium, notice or paper, from the entry that created it; CustodyError when there is none."""
    from handoff.ledger.drafts import FIRST_ITEM_EVENT, INBOUND_ITEM_EVENT, entry_of

    # The event that creates each kind: the ward's own items, and the vendor's discs and notices received.
    kind_of = {event: kind for events in (FIRST_ITEM_EVENT, INBOUND_ITEM_EVENT) for kind, event in events.items()}
    for row in ledger.store.rows_for(item=item):
        kind = kind_of.get(row.type)
        if kind is not None and row.job:
            entry_of(row)  # an edited row is refused (IntegrityError) before anything is decided on it
            return kind, row.job
    raise CustodyError("custody.unknown_id", item=item)


def written(site: SiteConfig, medium: str) -> tuple[str, str, int]:
    """(job, iso_sha256 as recorded, image byte count) of a medium; refused when either is unknown."""
    from handoff.fs import JobDir
    from handoff.ledger.service import Ledger
    from handoff.media.status import medium_status

    with Ledger.open(site) as ledger:
        kind, job = locate_item(ledger, medium)
        if kind != "medium":
            raise CustodyError("custody.return_not_medium", item=medium)
        entry = next(e for e in ledger.entries(job=job) if e.type == "medium.written" and e.item == medium)
    status = medium_status(JobDir.open(site.data_path, job), medium)
    size = status.details.get("image_size")
    if not isinstance(size, int) or size <= 0:
        raise StateError("custody.return_no_size", medium=medium, job=job)
    return job, str(entry.payload["iso_sha256"]), size


def read_returned(site: SiteConfig, medium: str, *, image: Path | None = None, device: str | None = None) -> Readback:
    """Read exactly the image's byte count from ``image`` (a file or ``stdio:`` path) or ``device`` (a drive,
    checked block by block first) and compare it with the recorded hash."""
    from handoff.media.burn import verify_device
    from handoff.media.verify import device_path, sha256_prefix

    job, expected, size = written(site, medium)
    if image is not None:
        path = device_path(str(image))
        if not path.is_file():
            raise InputError("custody.return_image_missing", path=str(path), medium=medium)
        try:
            actual = sha256_prefix(path, size)
        except IntegrityError as exc:  # shorter than the image: a truncated read
            return Readback(job, medium, expected, None, "unreadable", exc.code)
        except OSError as exc:
            return Readback(job, medium, expected, None, "unreadable", type(exc).__name__)
        return Readback(job, medium, expected, actual, None if actual == expected else "hash_mismatch")
    if device is None:
        raise InputError("custody.return_source")
    try:
        verify_device(device, size, expected)
    except IntegrityError as exc:
        problem = "hash_mismatch" if exc.code == "media.readback_mismatch" else "unreadable"
        return Readback(job, medium, expected, None, problem, exc.code)
    return Readback(job, medium, expected, expected, None)


def refuse_return(site: SiteConfig, staff: str, back: Readback) -> HandoffError:
    """Record the incident for a disc that did not prove itself; the error to raise (exit 7) names its entry."""
    from handoff.ledger import service
    from handoff.log import get_logger
    from handoff.messages import render

    problem = back.problem or "unreadable"
    note = render(f"custody.incident.note.{problem}", "ja")
    entry = service.record(site, "incident.recorded", {"job": back.job, "medium": back.medium},
                           {"kind": problem, "reported_by": staff, "note": note}, staff)
    get_logger(job=back.job).warning("medium.return_refused", medium=back.medium, problem=problem,
                                     reason=back.reason, entry=entry.seq)
    return IntegrityError(f"custody.return_{problem}", medium=back.medium, seq=entry.seq)


def incident_subject(ledger: Ledger, job: str | None, item: str | None) -> dict[str, str]:
    """The subject of a new incident: the job, or the item with the job it belongs to."""
    if item is None:
        if job is None:
            raise InputError("custody.incident_subject")
        return {"job": job}
    kind, owner = locate_item(ledger, item)
    if job is not None and job != owner:
        raise CustodyError("custody.unknown_item", item=item, job=job)
    return {"job": owner, kind: item}


def close_subject(ledger: Ledger, seq: int) -> dict[str, str]:
    """The subject of closing incident ``seq``: the entry and its job (the rules check it is an open one)."""
    from handoff.ledger.drafts import entry_of

    row = ledger.store.row(seq)
    target: Entry | None = entry_of(row) if row is not None else None
    if target is None or target.type != "incident.recorded" or target.job is None:
        raise CustodyError("custody.incident_not_open", entry=seq)
    return {"entry": str(seq), "job": target.job}
