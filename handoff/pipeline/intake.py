"""``handoff intake``: data a vendor sends back (seed 002 ④ 支給予定データ), received, opened and handed to the host.

Three steps, each a ledger entry, on at least two days (the medium and its password notice arrive on separate
occasions, never on the same day):

1. ``receive``: the disc (or the ZIP itself) is checked without the password — every member plain, AES-256,
   expected — hashed, and recorded as ``inbound.received`` with a new inbound job and medium id
   (``<job>-M1``). Nothing is written to disk.
2. ``receive_notice``: the vendor's password notice, ``inbound.notice_received`` (``<job>-N1``), on a later day.
3. ``read``: the same ZIP (its SHA-256 must match), opened with the password typed from the notice, every member
   authenticated and inflated within the limits (``handoff.package.unpack``), the rows read and validated as an
   export is (``[inbound] source``), the host-import file and the exceptions list written atomically into the
   inbound job's ``internal/`` folder (``<data>/inbound/<job>/``), and ``inbound.read`` recorded with counts and
   SHA-256 hashes. Nothing else is written anywhere: no member is ever extracted to disk.

The medium and the notice then go back to the vendor (``custody handover``) or are destroyed (``custody
destroy``) like the ward's own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from handoff.errors import ConfigError, CustodyError, InputError, IntegrityError, StateError
from handoff.fs import JobDir, make_dir, write_atomic
from handoff.package.unpack import Policy, check_members, open_zip, read_members
from handoff.package.unpack_disc import archive_in, sha256_of
from handoff.pipeline.intake_rows import Rows, read_rows

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.events import Entry
    from handoff.programme import Inbound, ProgramSpec

INBOUND_DIR = "inbound"  # <data>/inbound/<job>: apart from jobs/, which holds the ward's own (outbound) jobs
EXCEPTIONS = "exceptions.csv"
REPORT = "intake.json"


@dataclass(frozen=True)
class Source:
    """Where the vendor's ZIP is read from: an image or ZIP file, or a drive (``stdio:`` paths are files)."""

    image: Path | None = None
    device: str | None = None


@dataclass(frozen=True)
class Look:
    """What the disc holds, checked without the password, and the receipt of that same ZIP if there is one."""

    sha256: str
    size: int
    members: int
    received: Entry | None = None


@dataclass(frozen=True)
class Intake:
    """What reading did: ids, counts, hashes and file names only."""

    job: str
    medium: str
    rows_read: int
    rows_imported: int
    rows_excepted: int
    import_path: Path
    import_sha256: str
    exceptions_path: Path
    seq: int
    checkpoint: str
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"stage": "read", "job": self.job, "medium": self.medium, "rows_read": self.rows_read,
                "rows_imported": self.rows_imported, "rows_excepted": self.rows_excepted,
                "import_file": str(self.import_path), "import_sha256": self.import_sha256,
                "exceptions": str(self.exceptions_path), "entry": self.seq, "checkpoint": self.checkpoint,
                "findings": self.counts}


def inbound_of(spec: ProgramSpec) -> Inbound:
    if spec.inbound is None:
        raise ConfigError("intake.no_inbound", programme=spec.id)
    return spec.inbound


def policy_of(inbound: Inbound) -> Policy:
    return Policy(inbound.data_member, tuple(inbound.other_members), inbound.max_bytes, inbound.max_ratio)


@contextlib.contextmanager
def _opened(site: SiteConfig, source: Source) -> Iterator[IO[bytes]]:
    """The image (a regular file only, as ``--input`` is opened) or the drive, read-only."""
    from handoff.media.verify import device_path
    from handoff.stages.extract.opening import open_input, shown_path

    if source.image is not None:
        with open_input(source.image, site.input.follow_symlinks) as fh:
            yield fh
        return
    if source.device is None:
        raise InputError("intake.no_source")
    path = device_path(source.device)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError("intake.device_unreadable", device=shown_path(str(path)),
                         reason=type(exc).__name__) from None
    with os.fdopen(fd, "rb") as fh:
        yield fh


@contextlib.contextmanager
def _archive(site: SiteConfig, inbound: Inbound, source: Source) -> Iterator[IO[bytes]]:
    with _opened(site, source) as fh, archive_in(fh, inbound.archive, inbound.max_archive_bytes) as stream:
        yield stream


def look(site: SiteConfig, spec: ProgramSpec, source: Source) -> Look:
    """Check the ZIP without the password (PolicyError for anything hostile) and find its receipt, if any."""
    inbound = inbound_of(spec)
    with _archive(site, inbound, source) as stream:
        digest, size = sha256_of(stream)
        _data, others = check_members(open_zip(stream), policy_of(inbound))
    return Look(digest, size, 1 + len(others), _received(site, spec.id, digest))


def _received(site: SiteConfig, programme: str, digest: str) -> Entry | None:
    """The latest receipt of the ZIP with this SHA-256 for ``programme``."""
    from handoff.ledger.service import Ledger

    with Ledger.open(site) as ledger:
        found = [e for e in ledger.entries() if e.type == "inbound.received"
                 and e.payload["programme"] == programme and e.payload["sha256"] == digest]
    return found[-1] if found else None


def receive(site: SiteConfig, spec: ProgramSpec, staff: str, seen: Look, *, handler: str, quantity: int,
            vendor: str | None = None, where: dict[str, str | None] | None = None) -> tuple[Entry, str]:
    """``inbound.received``: a new inbound job and its medium; the entry and the checkpoint's short form."""
    from handoff.fs import new_job_id
    from handoff.ledger.events import TOKYO
    from handoff.ledger.service import Ledger
    from handoff.media import medium_id

    inbound = inbound_of(spec)
    job = new_job_id(f"{spec.id}-in", dt.datetime.now(TOKYO))
    payload: dict[str, Any] = {"programme": spec.id, "vendor": vendor or spec.vendor, "handler": handler,
                               "sha256": seen.sha256, "bytes": seen.size, "records": quantity,
                               "kind": inbound.title}
    payload.update({k: v for k, v in (where or {}).items() if v is not None})
    with Ledger.open(site) as ledger:
        entry = ledger.record("inbound.received", {"job": job, "medium": medium_id(job, 1)}, payload, staff)
        return entry, ledger.last_checkpoint.short


def awaiting_notice(site: SiteConfig, programme: str) -> str:
    """The one inbound job of ``programme`` whose medium was received and whose notice was not."""
    from handoff.ledger.service import Ledger

    with Ledger.open(site) as ledger:
        entries = list(ledger.entries())
    received = [e.job for e in entries if e.type == "inbound.received" and e.payload["programme"] == programme]
    noticed = {e.job for e in entries if e.type == "inbound.notice_received"}
    waiting = [job for job in received if job and job not in noticed]
    if not waiting:
        raise StateError("intake.nothing_awaiting", programme=programme)
    if len(waiting) > 1:
        raise StateError("intake.several_awaiting", programme=programme, jobs=", ".join(waiting))
    return waiting[0]


def receive_notice(site: SiteConfig, spec: ProgramSpec, staff: str, *, handler: str, job: str | None = None,
                   where: dict[str, str | None] | None = None) -> tuple[Entry, str]:
    """``inbound.notice_received`` for ``job`` (or the one awaiting its notice); refused on the medium's day."""
    from handoff.ledger.service import Ledger
    from handoff.package import notice_id

    inbound_of(spec)
    job = job or awaiting_notice(site, spec.id)
    payload: dict[str, Any] = {"handler": handler}
    payload.update({k: v for k, v in (where or {}).items() if v is not None})
    with Ledger.open(site) as ledger:
        entry = ledger.record("inbound.notice_received", {"job": job, "notice": notice_id(job)}, payload, staff)
        return entry, ledger.last_checkpoint.short


def ready_to_read(site: SiteConfig, staff: str, received: Entry) -> None:
    """Refuse before the password is asked for what the ledger would refuse after the work (the same rules)."""
    from handoff.ledger import rules
    from handoff.ledger.service import Ledger

    rules.require_role(site, staff, "inbound.read")
    job = str(received.job)
    with Ledger.open(site) as ledger:
        js = rules.replay(list(ledger.entries(job=job)))
    if js.read is not None:
        raise CustodyError("intake.already_read", job=job, entry=js.read.seq)
    if not any(s.kind == "notice" and s.received_on is not None for s in js.items.values()):
        raise CustodyError("intake.notice_missing", job=job)
    state = js.items[received.subject["medium"]].state
    if state not in ("received", "stored"):
        raise CustodyError("intake.medium_not_here", job=job, medium=received.subject["medium"], state=state)


def read(site: SiteConfig, spec: ProgramSpec, staff: str, source: Source, received: Entry,
         password: bytes) -> Intake:
    """Open, authenticate, read and validate the rows; write the host-import file; record ``inbound.read``."""
    from handoff.log import get_logger

    inbound = inbound_of(spec)
    job, medium = str(received.job), received.subject["medium"]
    ready_to_read(site, staff, received)
    with _archive(site, inbound, source) as stream:
        digest, _size = sha256_of(stream)
        if digest != received.payload["sha256"]:
            raise IntegrityError("intake.disc_changed", job=job, medium=medium)
        data, others = check_members(open_zip(stream), policy_of(inbound))
        contents = read_members(stream, data, others, password, policy_of(inbound))
    rows = read_rows(contents.data, spec, inbound, site, job)
    if rows.rows_read != received.payload["records"]:
        raise IntegrityError("intake.count_mismatch", job=job, read=rows.rows_read,
                             declared=received.payload["records"])
    folder = JobDir(make_dir(site.data_path / INBOUND_DIR) / job)
    make_dir(folder.root)
    if not folder.hold():  # another intake of the same job is writing its files now
        raise StateError("intake.busy", job=job)
    try:
        written = _write(folder, inbound, rows, spec)
        try:
            entry, short = _record_read(site, staff, job, medium, digest, contents.sha256, len(contents.data),
                                        rows, inbound.output.name)
        except BaseException:
            for path in written.values():  # plaintext rows that the ledger does not know of do not stay
                path.unlink(missing_ok=True)
            raise
    finally:
        folder.release()
    get_logger(job=job).info("intake.read", medium=medium, rows_read=rows.rows_read,
                             rows_imported=rows.rows_imported, rows_excepted=rows.rows_excepted, entry=entry.seq)
    return Intake(job, medium, rows.rows_read, rows.rows_imported, rows.rows_excepted, written["import"],
                  rows.import_sha256, written["exceptions"], entry.seq, short, rows.counts)


def _write(folder: JobDir, inbound: Inbound, rows: Rows, spec: ProgramSpec) -> dict[str, Path]:
    """The host-import file, the exceptions list and the report, each atomically, into ``internal/`` only.
    Leftovers of a read that was never recorded (its files, or temp files of one cut off) go first."""
    from handoff.messages import current_lang
    from handoff.pipeline.exceptions import exceptions_csv

    internal = make_dir(folder.internal)
    target = internal / inbound.output.name
    for leftover in internal.iterdir():
        if leftover.name in (inbound.output.name, EXCEPTIONS, REPORT) or leftover.name.endswith(".part"):
            leftover.unlink(missing_ok=True)
    written = {"exceptions": write_atomic(internal / EXCEPTIONS,
                                          exceptions_csv(rows.findings, rows.view, current_lang()))}
    try:
        written["import"] = write_atomic(target, rows.import_bytes)
        report = {"programme": spec.id, "job": folder.job_id, "rows_read": rows.rows_read,
                  "rows_imported": rows.rows_imported, "rows_excepted": rows.rows_excepted,
                  "findings": rows.counts, "import_file": inbound.output.name, "import_sha256": rows.import_sha256,
                  "import_bytes": len(rows.import_bytes)}
        written["report"] = write_atomic(internal / REPORT,
                                         json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8"))
    except BaseException:
        for path in written.values():
            path.unlink(missing_ok=True)
        raise
    return written


def _record_read(site: SiteConfig, staff: str, job: str, medium: str, digest: str, member_sha256: str,
                 member_bytes: int, rows: Rows, name: str) -> tuple[Entry, str]:
    """``inbound.read``: the ZIP, the data member and the import file by SHA-256, and the counts (no value)."""
    from handoff.ledger.service import Ledger

    payload: dict[str, Any] = {
        "sha256": digest, "member_sha256": member_sha256, "member_bytes": member_bytes,
        "rows_read": rows.rows_read, "rows_imported": rows.rows_imported, "rows_excepted": rows.rows_excepted,
        "import_sha256": rows.import_sha256, "import_bytes": len(rows.import_bytes), "import_file": name,
        "counts": rows.counts,
    }
    with Ledger.open(site) as ledger:
        entry = ledger.record("inbound.read", {"job": job, "medium": medium}, payload, staff)
        return entry, ledger.last_checkpoint.short

