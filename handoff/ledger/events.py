"""Ledger events: what each type must carry, validation, and the canonical bytes that become a Merkle leaf.

Fail closed on content: every payload key is declared per event type, and subject ids must look like ids, so a
name or an address cannot ride along in an undeclared field. Floats are refused because their JSON text is not
canonical across implementations.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from handoff.errors import InputError
from handoff.ledger.merkle import leaf_hash

TOKYO = ZoneInfo("Asia/Tokyo")
FORMAT_VERSION = 1
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,95}")
OS_USER_RE = re.compile(r"[^\s\x00-\x1f\x7f]{1,64}")
SHA256_RE = re.compile(r"[0-9a-f]{64}")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
TEXT_MAX = 200


def _text(v: object) -> bool:
    return isinstance(v, str) and 0 < len(v) <= TEXT_MAX and not any(c in v for c in "\r\n\t\x00")


def _int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _id(v: object) -> bool:
    return isinstance(v, str) and ID_RE.fullmatch(v) is not None


def _date(v: object) -> bool:
    if not (isinstance(v, str) and DATE_RE.fullmatch(v)):
        return False
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _scalar(v: object) -> bool:
    return v is None or isinstance(v, bool) or _int(v) or _text(v)


KINDS: dict[str, Callable[[object], bool]] = {
    "id": _id,
    "ids": lambda v: isinstance(v, list) and all(_id(x) for x in v),
    "text": _text,
    "texts": lambda v: isinstance(v, list) and all(_text(x) for x in v),
    "int": _int,
    "bool": lambda v: isinstance(v, bool),
    "sha256": lambda v: isinstance(v, str) and SHA256_RE.fullmatch(v) is not None,
    "date": _date,
    "dates": lambda v: isinstance(v, list) and all(_date(x) for x in v),
    "counts": lambda v: isinstance(v, dict) and all(_id(k) and _int(x) for k, x in v.items()),
    "changes": lambda v: isinstance(v, dict) and all(_id(k) and _scalar(x) for k, x in v.items()),
}


@dataclass(frozen=True)
class EventSpec:
    subjects: tuple[str, ...]
    required: Mapping[str, str]
    optional: Mapping[str, str] = field(default_factory=dict)
    optional_subjects: tuple[str, ...] = ()


# The bag/seal number is optional here so that its absence is refused by the custody rule (exit 6), with the
# rule's own message, rather than as a malformed call.
_HANDOVER = {"vendor": "id", "handler": "id", "quantity": "int"}
_WHERE = {"place": "text", "condition": "text", "bag": "text"}
_RETURN_OPT = _WHERE
# The declared date of an event recorded after the fact (a return signed for yesterday); the entry's time stays
# the moment it was recorded, and the custody rules judge the day by this date (handoff.ledger.rules.event_date).
_ON = {"on": "date"}

EVENTS: dict[str, EventSpec] = {
    "job.prepared": EventSpec(
        ("job",),
        {
            "programme": "id",
            "council_reference": "text",
            "approved_items": "texts",
            "vendor": "id",
            "quantity": "int",
            "zip_sha256": "sha256",
            "iso_sha256": "sha256",
        },
        {"counts": "counts", "media": "int", "title": "text", "cycle": "id", "rerun_reason": "text",
         # The site's confirmation of the programme's assumed items (site.toml [[confirmations]]), one list
         # position per confirmation the run relied on: the council document checked, its date, who checked.
         "assumed_items": "texts", "confirmation_references": "texts", "confirmation_dates": "dates",
         "confirmed_by": "ids", "confirmation_example": "bool",
         # 異動 the run left out (handoff run --exclusions): which list (its hash) and how many rows.
         "exclusions_sha256": "sha256", "rows_excluded": "int",
         # A pull list (引抜きリスト, handoff pull): the job whose printed pieces it pulls, and how many.
         "pull_of": "id", "pull_documents": "int", "pull_pieces": "int",
         # The inserter job code the job's control codes begin with, where the profile gives each job its own.
         "job_code": "id"},
    ),
    # A job that can never be completed (its run was interrupted after job.prepared, before the password notice
    # existed): nothing of it may be burned, printed or handed over, and its cycle is free again.
    "job.abandoned": EventSpec(("job",), {"reason": "text"}, {"removed": "texts"}),
    "medium.written": EventSpec(
        ("job", "medium"),
        {"iso_sha256": "sha256", "verified": "bool"},
        {"drive": "text", "tool": "text", "media_type": "text", "readback_sha256": "sha256"},
    ),
    "medium.stored": EventSpec(("job", "medium"), {"cabinet": "text"}, _ON),
    "notice.printed": EventSpec(("job", "notice"), {}, {"printer": "text", "pages": "int"}),
    "notice.stored": EventSpec(("job", "notice"), {"cabinet": "text"}, _ON),
    "medium.handed_over": EventSpec(("job", "medium"), _HANDOVER, {**_WHERE, **_ON}),
    "notice.handed_over": EventSpec(("job", "notice"), _HANDOVER, {**_WHERE, **_ON}),
    "medium.returned": EventSpec(
        ("job", "medium"),
        {"handler": "id"},
        {**_RETURN_OPT, **_ON, "readback_sha256": "sha256", "hash_matches": "bool"},
    ),
    "notice.returned": EventSpec(("job", "notice"), {"handler": "id"}, {**_RETURN_OPT, **_ON}),
    # Paper other than the password notice that goes to the vendor and comes back (printed proofs, lists): given
    # an id when it is made (``paper.registered``), then handed over, returned and destroyed like a notice. Its
    # ``kind`` is one of handoff.ledger.rules.PAPER_KINDS; a handover's ``quantity`` is its number of pages.
    "paper.registered": EventSpec(("job", "paper"), {"kind": "id", "pages": "int"}, {"note": "text"}),
    "paper.handed_over": EventSpec(("job", "paper"), _HANDOVER, {**_WHERE, **_ON}),
    "paper.returned": EventSpec(("job", "paper"), {"handler": "id"}, {**_RETURN_OPT, **_ON}),
    "deletion_certificate.received": EventSpec(
        ("job",),
        {
            "vendor": "id",
            "scan_sha256": "sha256",
            "method": "text",
            "performed_on": "date",
            "performed_by": "id",
            "verified_by": "id",
        },
        {
            "media": "ids",
            "zip_sha256": "sha256",
            "media_type": "text",
            "tool": "text",
            "verification": "text",
            "place": "text",
            "checkpoint": "text",
        },
    ),
    "medium.destroyed": EventSpec(("job", "medium"), {"method": "text"}, {"witness": "id", "place": "text", **_ON}),
    "notice.destroyed": EventSpec(("job", "notice"), {"method": "text"}, {"witness": "id", "place": "text", **_ON}),
    "paper.destroyed": EventSpec(("job", "paper"), {"method": "text"}, {"witness": "id", "place": "text", **_ON}),
    # ``source``: what was reconciled — "scans" (codes read from the envelopes) or "log" (the inserter's own
    # output log, handoff.pipeline.inspection.read_log); ``faulted``: pieces the machine reported as faulted.
    "delivery.inspected": EventSpec(
        ("job",), {"inspected": "int", "passed": "int"},
        {"defects": "int", "quantity": "int", "note": "text", "source": "id", "faulted": "int"},
    ),
    # 返戻: envelopes the post office brought back (あて所不明 …), their control codes scanned. Counts only: which
    # pieces came back is in the job's internal list (piece numbers and codes), whose SHA-256 is ``list_sha256``.
    "mail.returned": EventSpec(
        ("job",), {"scanned": "int", "matched": "int"},
        {"duplicates": "int", "unknown": "int", "other_job": "int", "quantity": "int", "list_sha256": "sha256",
         "note": "text"},
    ),
    # 引抜き at the ward: pieces of a job whose envelopes are already back from the vendor (its delivery inspected),
    # taken out by the ward itself (handoff pull). Counts only; which pieces is in the job's in-house list, whose
    # SHA-256 is ``list_sha256``; ``exclusions_sha256`` names the exclusion file applied.
    "mail.pulled": EventSpec(
        ("job",), {"documents": "int", "pieces": "int", "list_sha256": "sha256"},
        {"exclusions_sha256": "sha256", "note": "text"},
    ),
    # Data the vendor sends back (handoff intake): an inbound job of its own, whose medium is received from the
    # vendor's handler (``records``: the count on the vendor's slip; ``sha256``/``bytes``: the AES ZIP on the disc),
    # whose password notice is received on another day, and whose archive is then read (counts and hashes only).
    # The medium and the notice then go back to the vendor (``*.handed_over``) or are destroyed like any other.
    "inbound.received": EventSpec(
        ("job", "medium"),
        {"programme": "id", "vendor": "id", "handler": "id", "sha256": "sha256", "bytes": "int", "records": "int"},
        {"kind": "text", **_WHERE, **_ON},
    ),
    "inbound.notice_received": EventSpec(("job", "notice"), {"handler": "id"}, {**_WHERE, **_ON}),
    "inbound.read": EventSpec(
        ("job", "medium"),
        {"sha256": "sha256", "member_sha256": "sha256", "rows_read": "int", "rows_imported": "int",
         "rows_excepted": "int", "import_sha256": "sha256", "import_bytes": "int"},
        {"counts": "counts", "import_file": "text", "member_bytes": "int"},
    ),
    # A mailing cycle the ward decided not to make (a supervisor's decision, with its reason): it is no longer
    # reported as missed or due. A later run of the cycle still makes it, with the run's own record.
    "cycle.skipped": EventSpec(("programme",), {"cycle": "id", "reason": "text"}, {}),
    "vendor.inspected": EventSpec(
        ("vendor",), {"performed_on": "date", "result": "text"},
        {"place": "text", "inspector": "id", "inspectors": "ids"},
    ),
    "correction": EventSpec(
        ("entry",), {"reason": "text"}, {"void": "bool", "changes": "changes"}, optional_subjects=("job",)
    ),
}
# Incidents (a lost or damaged item, a returned disc that does not read back as written, …): an open one holds
# its medium or notice where it is until a supervisor closes it (handoff.ledger.rules.check_incidents).
INCIDENT_KINDS = ("lost", "damaged", "hash_mismatch", "unreadable", "late", "other")
EVENTS["incident.recorded"] = EventSpec(
    ("job",), {"kind": "id", "reported_by": "id"}, {"note": "text"}, optional_subjects=("medium", "notice", "paper")
)
EVENTS["incident.closed"] = EventSpec(
    ("entry",), {"outcome": "text", "closed_by": "id"}, optional_subjects=("job",)
)
ITEM_KEYS = ("medium", "notice", "paper", "vendor")  # the one subject a row is indexed by besides its job


@dataclass(frozen=True)
class Actor:
    """Who recorded the entry: the ward staff id (from site.toml) and the OS login that ran handoff."""

    staff: str
    os_user: str

    @classmethod
    def current(cls, staff: str) -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry (containers): the uid still identifies the login
            user = f"uid{os.getuid()}"
        return cls(staff, user)


@dataclass(frozen=True)
class Draft:
    """An entry before the ledger gives it a sequence number."""

    type: str
    subject: Mapping[str, str]
    payload: Mapping[str, Any]
    actor: Actor
    time: dt.datetime
    # The time came from this machine's clock rather than from the caller: the ledger takes it again under its
    # write lock, so a writer that waited for another never records a time before the other's.
    from_clock: bool = False


@dataclass(frozen=True)
class Entry:
    seq: int
    time: dt.datetime
    actor: Actor
    type: str
    subject: Mapping[str, str]
    payload: Mapping[str, Any]
    data: bytes = field(repr=False, compare=False, default=b"")

    @property
    def job(self) -> str | None:
        return self.subject.get("job")

    @property
    def item(self) -> str | None:
        return item_of(self.subject)

    @property
    def leaf_hash(self) -> bytes:
        return leaf_hash(self.data)

    @property
    def time_jst(self) -> dt.datetime:
        return self.time.astimezone(TOKYO)


def item_of(subject: Mapping[str, str]) -> str | None:
    """The id a row is indexed by besides its job: the medium, the notice, the paper or the vendor."""
    for key in ITEM_KEYS:  # a plain loop: verify calls this for every entry
        if key in subject:
            return subject[key]
    return None


def format_time(t: dt.datetime) -> str:
    """UTC, ISO 8601, to the microsecond, always the same width (so text order is time order): the same text as
    strftime("%Y-%m-%dT%H:%M:%S.%fZ") gives for years 1000–9999, zero-padded below them, and faster."""
    return t.astimezone(dt.UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def canonical(obj: Mapping[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8 as is: the same dict always gives the same bytes."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def validate(draft: Draft) -> None:
    """Refuse an unknown type, a missing or undeclared key, a value of the wrong kind (names the key only)."""
    spec = EVENTS.get(draft.type)
    if spec is None:
        raise InputError("ledger.unknown_event", event=draft.type)
    allowed_subjects = set(spec.subjects) | set(spec.optional_subjects)
    for key in spec.subjects:
        if key not in draft.subject:
            raise InputError("ledger.missing_field", event=draft.type, field=f"subject.{key}")
    for key, value in draft.subject.items():
        if key not in allowed_subjects:
            raise InputError("ledger.undeclared_field", event=draft.type, field=f"subject.{key}")
        if not _id(value):
            raise InputError("ledger.bad_field", event=draft.type, field=f"subject.{key}", kind="id")
    for key in spec.required:
        if key not in draft.payload:
            raise InputError("ledger.missing_field", event=draft.type, field=key)
    for key, value in draft.payload.items():
        kind = spec.required.get(key) or spec.optional.get(key)
        if kind is None:
            raise InputError("ledger.undeclared_field", event=draft.type, field=key)
        if not KINDS[kind](value):
            raise InputError("ledger.bad_field", event=draft.type, field=key, kind=kind)
    if not _id(draft.actor.staff):
        raise InputError("ledger.bad_field", event=draft.type, field="actor.staff", kind="id")
    if not OS_USER_RE.fullmatch(draft.actor.os_user):
        raise InputError("ledger.bad_field", event=draft.type, field="actor.os_user", kind="id")
    if draft.time.tzinfo is None:
        raise InputError("ledger.bad_field", event=draft.type, field="time", kind="aware datetime")


def seal(draft: Draft, seq: int) -> Entry:
    """Give the draft its sequence number and canonical bytes. The sequence is inside the leaf, so rows
    swapped or renumbered in the database no longer match their position in the tree."""
    subject, payload = dict(draft.subject), dict(draft.payload)
    obj = {
        "v": FORMAT_VERSION,
        "seq": seq,
        "time": format_time(draft.time),
        "actor": {"staff": draft.actor.staff, "os_user": draft.actor.os_user},
        "type": draft.type,
        "subject": subject,
        "payload": payload,
    }
    data = canonical(obj)
    return Entry(seq, draft.time.astimezone(dt.UTC), draft.actor, draft.type, subject, payload, data)


def parse_time(text: str) -> dt.datetime:
    """A stored time (``format_time``) as an aware UTC datetime."""
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def parse(data: bytes) -> Entry:
    """Entry from its stored bytes; raises ValueError (callers turn it into an integrity finding)."""
    obj = json.loads(data)
    if not isinstance(obj, dict) or obj.get("v") != FORMAT_VERSION:
        raise ValueError("unknown entry format")
    time = parse_time(obj["time"])
    actor = Actor(obj["actor"]["staff"], obj["actor"]["os_user"])
    return Entry(int(obj["seq"]), time, actor, obj["type"], obj["subject"], obj["payload"], data)
