"""The ledger API the rest of handoff calls: record events, read the current checkpoint, verify.

Every write: take the store's write lock, bring the in-memory frontier up to the head (other writers may
have appended), refuse to sign on top of a head that does not match its own last checkpoint, give each entry
its time (never before the last one's), check the custody rules and the one-job-per-cycle rule, insert the
entries and one signed checkpoint in the same transaction, then refresh the checkpoint file kept outside the
database. A refused entry rolls the transaction back, so nothing is written. Every rule that depends on what
is already recorded is checked here, under the lock, so two writers can never both pass it.

The module is one unit: the write path, the frontier and checkpoint file it keeps in step, and the reading calls
that answer from the same open store belong together.
"""

from __future__ import annotations

import datetime as dt
import fcntl
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from handoff.errors import ConfigError, IntegrityError, StateError
from handoff.ledger import clock, cycles, events, rules
from handoff.ledger.backends import open_store
from handoff.ledger.checkpoint import Checkpoint, NoteError, open_note, sign
from handoff.ledger.drafts import (
    FIRST_ITEM_EVENT,
    INBOUND_ITEM_EVENT,
    draft,
    entry_of,
    item_known,
    job_entries,
    resolve,
    to_row,
)
from handoff.ledger.events import Actor, Draft, Entry
from handoff.ledger.keys import Signer, create_key_files, load_signer, load_verifier
from handoff.ledger.merkle import Frontier
from handoff.ledger.paths import LedgerPaths, SignedCheckpoint, read_note
from handoff.ledger.store import Store, StoredCheckpoint

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.verify import VerifyReport


def store_target(site: SiteConfig, paths: LedgerPaths) -> str:
    """The SQLite file in the data folder, or the PostgreSQL URL from site.toml (which must then be set)."""
    if site.ledger.backend != "postgresql":
        return str(paths.db)
    if not site.ledger.url:
        raise ConfigError("ledger.no_url")
    return site.ledger.url


class Ledger:
    """An open ledger; use as a context manager. One per process is enough (it caches the frontier)."""

    def __init__(self, site: SiteConfig, store: Store, signer: Signer, paths: LedgerPaths) -> None:
        self.site, self.store, self.signer, self.paths = site, store, signer, paths
        meta = store.meta()
        stored = meta.get("verifier")
        # The key files outside the database are the reference: a key replaced inside it is tampering.
        if stored != load_verifier(paths.verifier).text() or stored != signer.verifier.text():
            raise IntegrityError("ledger.key_mismatch")
        if "origin" not in meta:  # handoff writes it with the key when it creates the store
            raise IntegrityError("ledger.store_damaged", location=store.location)
        self.origin = meta["origin"]
        self._frontier: Frontier | None = None
        self._last: SignedCheckpoint | None = None

    @classmethod
    def open(cls, site: SiteConfig) -> Ledger:
        paths = LedgerPaths.of(site)
        signer = load_signer(paths.signer)
        try:
            store = open_store(site.ledger.backend, store_target(site, paths))
        except StateError as exc:
            if exc.code != "ledger.not_initialised" or not paths.checkpoint.exists():
                raise
            # The checkpoint file outside says this ledger was created, and how far it went: its store is gone.
            held = read_note(paths.checkpoint)
            size = held.size if held is not None else "?"
            raise IntegrityError("ledger.store_missing", location=exc.params["location"], size=size) from None
        try:
            return cls(site, store, signer, paths)
        except BaseException:
            store.close()
            raise

    @classmethod
    def create(cls, site: SiteConfig) -> Ledger:
        """New key pair, new store, and the signed checkpoint of the empty tree, stored and published."""
        from handoff.fs import make_dir

        paths = LedgerPaths.of(site)
        make_dir(paths.root)
        signer = create_key_files(paths.signer, paths.verifier, site.ledger.origin)
        store = open_store(site.ledger.backend, store_target(site, paths), create=True)
        created = events.format_time(dt.datetime.now(dt.UTC))
        meta = {"origin": site.ledger.origin, "verifier": signer.verifier.text(), "format": "1", "created": created}
        store.create(meta)
        ledger = cls(site, store, signer, paths)
        ledger.record_many([])
        return ledger

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------------
    def record(
        self,
        event_type: str,
        subject: Mapping[str, str],
        payload: Mapping[str, Any],
        actor: Actor | str,
        *,
        at: dt.datetime | None = None,
    ) -> Entry:
        """Append one event after the custody rules accept it; CustodyError (exit 6) writes nothing."""
        return self.record_many([draft(event_type, subject, payload, actor, at=at)])[0]

    def record_many(self, drafts: Sequence[Draft]) -> list[Entry]:
        """Append several events in one transaction under one checkpoint (all or nothing)."""
        with self.store.write() as tx:
            size = tx.size()
            frontier = self._synced_frontier(tx, size).copy()
            last = _last_time(tx, size)
            sealed: list[Entry] = []
            histories: dict[str, list[Entry]] = {}
            for d in drafts:
                d = resolve(tx, d)
                events.validate(d)
                d, last = clock.stamp(d, last)  # same-day and contract rules judge the time that is recorded
                job = d.subject.get("job")
                if job and job not in histories:
                    histories[job] = job_entries(tx, job)
                history = histories[job] if job else []
                d = rules.check(
                    d,
                    rules.replay(history),
                    self.site,
                    item_known=item_known(tx, d, sealed),
                    size=frontier.size,
                    history=history,
                    target=_correction_target(tx, d, sealed),
                )
                cycles.check(tx, d, sealed)
                entry = events.seal(d, frontier.size)
                sealed.append(entry)
                history.append(entry)
                frontier.append(entry.leaf_hash)
            tx.insert([to_row(e) for e in sealed])
            cp = Checkpoint(self.origin, frontier.size, frontier.root())
            note = sign(cp, self.signer)
            if sealed or tx.latest_checkpoint() is None:
                tx.add_checkpoint(StoredCheckpoint(cp.size, cp.root, note))
        self._frontier = frontier
        self._last = SignedCheckpoint(cp, note)
        self._publish(note, cp.size)
        if sealed:
            from handoff.log import get_logger

            types = sorted({e.type for e in sealed})
            get_logger().info("ledger.appended", first=sealed[0].seq, count=len(sealed), types=types, short=cp.short)
        return sealed

    def _synced_frontier(self, tx: Store, size: int) -> Frontier:
        """The frontier at ``size``. IntegrityError when the head is not what its own last checkpoint signed, or
        when the database is behind (or off) the checkpoint file outside it, or holds entries while that file is
        missing or unreadable: appending then would sign a fork and, once past the file's size (or in its place),
        overwrite the only local evidence of a truncation or restore."""
        held = read_note(self.paths.checkpoint)
        if held is not None and held.size > size:
            raise IntegrityError("ledger.external_truncated", size=held.size, entries=size)
        if self._frontier is None or self._frontier.size > size:
            self._frontier = Frontier()
            if held is not None:  # a full rebuild is the moment to check the file's root cheaply
                self._frontier.extend(tx.leaf_hashes(0, held.size))
                if self._frontier.size != held.size or self._frontier.root() != held.root:
                    raise IntegrityError("ledger.external_mismatch", size=held.size)
        if size > self._frontier.size:
            hashes = tx.leaf_hashes(self._frontier.size, size)
            if len(hashes) != size - self._frontier.size:
                raise IntegrityError("ledger.head_mismatch", size=size)
            self._frontier.extend(hashes)
        latest = tx.latest_checkpoint()
        if latest is None and size:
            raise IntegrityError("ledger.no_checkpoint")
        if latest is not None and (latest.size, latest.root) != (size, self._frontier.root()):
            raise IntegrityError("ledger.head_mismatch", size=size)
        if held is None and size:  # appending now would replace the missing file with one that blesses the store
            unreadable = self.paths.checkpoint.exists()
            raise IntegrityError("ledger.external_bad_signature" if unreadable else "ledger.external_missing")
        return self._frontier

    def _publish(self, note: str, size: int) -> None:
        """Refresh the checkpoint file outside the database, never over a newer one (file lock + compare)."""
        from handoff.fs import make_dir, write_atomic

        make_dir(self.paths.root)
        with self.paths.lock.open("a") as lock:
            self.paths.lock.chmod(0o600)
            fcntl.flock(lock, fcntl.LOCK_EX)
            held = read_note(self.paths.checkpoint)
            if held is None or held.size < size:
                write_atomic(self.paths.checkpoint, note.encode())

    # --- reading -------------------------------------------------------------------------------------
    @property
    def last_checkpoint(self) -> SignedCheckpoint:
        """The checkpoint this instance signed with its last write (what a receipt for that write shows)."""
        return self._last or self.current_checkpoint()

    def vendor_of(self, kind: str, item: str) -> str | None:
        """The vendor of the job a medium or notice belongs to, or None when the item is unknown."""
        makers = (FIRST_ITEM_EVENT.get(kind), INBOUND_ITEM_EVENT.get(kind))
        first = [r for r in self.store.rows_for(item=item) if r.type in makers]
        if not first or first[0].job is None:
            return None
        if first[0].type == INBOUND_ITEM_EVENT.get(kind):  # a disc or notice the vendor sent: its receipt says whose
            received = [e for e in self.entries(job=first[0].job) if e.type == INBOUND_ITEM_EVENT["medium"]]
            return str(received[0].payload["vendor"]) if received else None
        job = next((e for e in self.entries(job=first[0].job) if e.type == "job.prepared"), None)
        return str(job.payload["vendor"]) if job else None

    def current_checkpoint(self) -> SignedCheckpoint:
        latest = self.store.latest_checkpoint()
        if latest is None:
            raise IntegrityError("ledger.no_checkpoint")
        try:
            cp = open_note(latest.note, [self.signer.verifier])
        except NoteError:
            raise IntegrityError("ledger.checkpoint_bad_signature", size=latest.size) from None
        return SignedCheckpoint(cp, latest.note)

    def entries(self, *, job: str | None = None) -> Iterator[Entry]:
        rows = self.store.rows_for(job=job) if job else self.store.iter_rows()
        for row in rows:
            yield entry_of(row)

    def verify(self, witness_notes: Sequence[str] = ()) -> VerifyReport:
        from handoff.ledger.verify import verify_store

        external = self.paths.checkpoint.read_text(encoding="utf-8") if self.paths.checkpoint.exists() else None
        return verify_store(
            self.store,
            load_verifier(self.paths.verifier),
            external_note=external,
            witness_notes=witness_notes,
        )


def _correction_target(tx: Store, d: Draft, sealed: Sequence[Entry]) -> Entry | None:
    """The entry a correction with changes corrects (stored, or earlier in the same batch), for the rules to
    check the corrected entry again; None for anything else (the rules refuse a missing target themselves)."""
    if d.type != "correction" or not d.payload.get("changes") or not d.subject.get("entry", "").isdigit():
        return None
    seq = int(d.subject["entry"])
    pending = next((e for e in sealed if e.seq == seq), None)
    if pending is not None:
        return pending
    row = tx.row(seq)
    return entry_of(row) if row is not None else None


def _last_time(tx: Store, size: int) -> str | None:
    """The stored time of the entry before the ones being appended (None when there is none)."""
    last = tx.last_time() if size else None
    if last is not None and type(last) is not str:
        raise IntegrityError("ledger.entry_altered", seq=size - 1)
    return last


# --- the calls other parts of handoff make (each opens the site's ledger, appends, closes) ----------------
def open_ledger(site: SiteConfig) -> Ledger:
    return Ledger.open(site)


def record(
    site: SiteConfig,
    event_type: str,
    subject: Mapping[str, str],
    payload: Mapping[str, Any],
    actor: Actor | str,
) -> Entry:
    """Append one event to the site's ledger. ``actor`` is an Actor or a staff id (the OS user is added)."""
    with Ledger.open(site) as ledger:
        return ledger.record(event_type, subject, payload, actor)


def cycle_holder(site: SiteConfig, programme: str, cycle: str) -> str | None:
    """The job holding ``programme``'s mailing ``cycle`` (the latest one not abandoned), or None: ``handoff run``
    asks before its long work; the ledger asks again under its write lock when the job is recorded."""
    with Ledger.open(site) as ledger:
        return cycles.holder(ledger.store, programme, cycle)


def cycle_skipped(site: SiteConfig, programme: str, cycle: str) -> Entry | None:
    """The ``cycle.skipped`` standing for ``programme``'s mailing ``cycle`` (the ward decided not to make it)."""
    with Ledger.open(site) as ledger:
        return cycles.skipped(ledger.store, programme, cycle)


def current_checkpoint(site: SiteConfig) -> SignedCheckpoint:
    """The latest signed checkpoint, for printing on notices, labels, receipts and certificate templates."""
    with Ledger.open(site) as ledger:
        return ledger.current_checkpoint()


def job_prepared(
    site: SiteConfig,
    actor: Actor | str,
    *,
    job: str,
    programme: str,
    council_reference: str,
    approved_items: Sequence[str],
    vendor: str,
    quantity: int,
    zip_sha256: str,
    iso_sha256: str,
    counts: Mapping[str, int] | None = None,
    media: int | None = None,
    title: str | None = None,
    cycle: str | None = None,
    rerun_reason: str | None = None,
) -> Entry:
    """``handoff run``: the job exists, what it carries (items, not values), its ZIP and ISO hashes.

    ``cycle`` names the mailing cycle (one handoff per programme and cycle); ``rerun_reason`` is the recorded
    reason for a second handoff of the same cycle.
    """
    payload: dict[str, Any] = {
        "programme": programme,
        "council_reference": council_reference,
        "approved_items": list(approved_items),
        "vendor": vendor,
        "quantity": quantity,
        "zip_sha256": zip_sha256,
        "iso_sha256": iso_sha256,
    }
    optional = {"counts": dict(counts) if counts is not None else None, "media": media, "title": title,
                "cycle": cycle, "rerun_reason": rerun_reason}
    payload.update({k: v for k, v in optional.items() if v is not None})
    return record(site, "job.prepared", {"job": job}, payload, actor)


def medium_written(
    site: SiteConfig,
    actor: Actor | str,
    *,
    job: str,
    medium: str,
    iso_sha256: str,
    verified: bool,
    readback_sha256: str | None = None,
    drive: str | None = None,
    tool: str | None = None,
    media_type: str | None = None,
) -> Entry:
    """Burning: a medium was written; ``verified`` = read-back result (failed ones are never handed over)."""
    optional = {"readback_sha256": readback_sha256, "drive": drive, "tool": tool, "media_type": media_type}
    payload: dict[str, Any] = {"iso_sha256": iso_sha256, "verified": verified}
    payload.update({k: v for k, v in optional.items() if v is not None})
    return record(site, "medium.written", {"job": job, "medium": medium}, payload, actor)


def notice_printed(
    site: SiteConfig,
    actor: Actor | str,
    *,
    job: str,
    notice: str,
    printer: str | None = None,
    pages: int | None = None,
) -> Entry:
    """Printing: password notice ``notice`` of ``job`` exists on paper (the password is never recorded)."""
    optional = {"printer": printer, "pages": pages}
    payload = {k: v for k, v in optional.items() if v is not None}
    return record(site, "notice.printed", {"job": job, "notice": notice}, payload, actor)


def job_abandoned(site: SiteConfig, actor: Actor | str, *, job: str, reason: str,
                  removed: Sequence[str] = ()) -> Entry:
    """A job that can never be completed: nothing of it is burned, printed or handed over from now on, and its
    mailing cycle may be run again without a re-run reason. ``removed`` names the files taken out of its folder."""
    payload: dict[str, Any] = {"reason": reason}
    if removed:
        payload["removed"] = list(removed)
    return record(site, "job.abandoned", {"job": job}, payload, actor)


def correction_payload(
    ledger: Ledger, seq: int, reason: str, *, void: bool, sets: Sequence[str]
) -> tuple[Entry, dict[str, Any]]:
    """The entry ``seq`` and the payload of a correction of it (``void``, or ``sets`` as key=value changes),
    refused before anything is shown or written: no such entry, one already voided, a correction, or a change
    its event cannot carry (CustodyError, exit 6); a reason that is not one line of text (InputError)."""
    from handoff.errors import CustodyError, InputError
    from handoff.ledger import corrections

    if not events.KINDS["text"](reason):
        raise InputError("ledger.bad_field", event="correction", field="reason", kind="text")
    if void == bool(sets):
        raise CustodyError("correction.nothing")
    row = ledger.store.row(seq) if seq >= 0 else None
    if row is None:
        raise CustodyError("custody.correction_target", entry=seq)
    target = entry_of(row)
    corrections.check_target(target)
    mark = corrections.marks(ledger.entries(job=target.job) if target.job else ledger.entries()).get(seq)
    if mark is not None and mark.voided_by is not None:
        raise CustodyError("custody.already_void", entry=seq)
    if void:
        return target, {"reason": reason, "void": True}
    return target, {"reason": reason, "changes": corrections.typed_changes(target, corrections.parse_sets(sets))}
