"""Full verification: recompute every leaf and the tree from the entry bytes, check every checkpoint.

Trust nothing stored but the bytes of each entry: stored leaf hashes and index columns are compared with what
the bytes give, every checkpoint's signature is checked with the key kept *outside* the database, and the
checkpoint file kept outside the database (and any witness the caller holds: an auditor's file, a note typed
from paper) must match the tree at its size. The first problem found, in sequence order, is raised as an
IntegrityError naming the entry or the checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from handoff.errors import IntegrityError
from handoff.ledger import events
from handoff.ledger.checkpoint import Checkpoint, NoteError, open_note
from handoff.ledger.keys import Verifier
from handoff.ledger.merkle import EMPTY_ROOT, Frontier, leaf_hash
from handoff.ledger.store import Row, Store

# kind of a checkpoint to compare -> the code raised when its root differs from the recomputed tree
_MISMATCH = {
    "db": "ledger.checkpoint_mismatch",
    "external": "ledger.external_mismatch",
    "witness": "ledger.witness_mismatch",
}
_AHEAD = {
    "db": "ledger.truncated",
    "external": "ledger.external_truncated",
    "witness": "ledger.witness_ahead",
}


@dataclass
class VerifyReport:
    entries: int = 0
    checkpoints: int = 0
    root: bytes = EMPTY_ROOT
    latest: Checkpoint | None = None
    external: Checkpoint | None = None
    witnesses: list[Checkpoint] = field(default_factory=list)


@dataclass(frozen=True, order=True)
class _Target:
    size: int
    order: int  # database checkpoints first at equal size: they name the stored evidence
    kind: str
    root: bytes


def _open(note: str, verifier: Verifier, origin: str, code: str, **params: object) -> Checkpoint:
    try:
        cp = open_note(note, [verifier])
    except NoteError:
        raise IntegrityError(code, **params) from None
    if cp.origin != origin:
        raise IntegrityError(code, **params)
    return cp


def verify_store(
    store: Store,
    verifier: Verifier,
    *,
    external_note: str | None,
    witness_notes: Sequence[str] = (),
    require_external: bool = True,
) -> VerifyReport:
    """Verify everything; return a report or raise IntegrityError at the first problem."""
    meta = store.meta()
    if meta.get("verifier") != verifier.text():
        raise IntegrityError("ledger.key_mismatch")
    origin = meta.get("origin", "")
    report = VerifyReport()
    targets: list[_Target] = []
    if external_note is not None:
        report.external = _open(external_note, verifier, origin, "ledger.external_bad_signature")
        targets.append(_Target(report.external.size, 1, "external", report.external.root))
    elif require_external:
        raise IntegrityError("ledger.external_missing")
    for i, note in enumerate(witness_notes, 1):
        cp = _open(note, verifier, origin, "ledger.witness_bad_signature", witness=i)
        report.witnesses.append(cp)
        targets.append(_Target(cp.size, 2, "witness", cp.root))
    with store.snapshot():
        stored = store.checkpoints()
        for sc in stored:
            cp = _open(sc.note, verifier, origin, "ledger.checkpoint_bad_signature", size=sc.size)
            if (cp.size, cp.root) != (sc.size, sc.root):
                raise IntegrityError("ledger.checkpoint_bad_signature", size=sc.size)
            targets.append(_Target(cp.size, 0, "db", cp.root))
        if not stored:
            raise IntegrityError("ledger.no_checkpoint")
        report.latest = Checkpoint(origin, stored[-1].size, stored[-1].root)
        report.checkpoints = len(stored)
        targets.sort()
        frontier = Frontier()
        t = 0
        good = 0  # size of the last database checkpoint that matched: a mismatch lies after it
        t, good = _check_targets(targets, t, frontier, good)
        # Checkpoints are compared when the tree reaches their size; the loop only compares two integers
        # for every other entry (it runs once per entry of the ledger).
        due = targets[t].size if t < len(targets) else -1
        for row in store.iter_rows():
            _check_row(row, frontier.size)
            frontier.append(row.leaf_hash)
            if frontier.size == due:
                t, good = _check_targets(targets, t, frontier, good)
                due = targets[t].size if t < len(targets) else -1
    if t < len(targets):
        target = targets[t]
        raise IntegrityError(_AHEAD[target.kind], size=target.size, entries=frontier.size)
    if report.latest.size != frontier.size:
        raise IntegrityError("ledger.unsigned_entries", first=report.latest.size, entries=frontier.size)
    report.entries = frontier.size
    report.root = frontier.root()
    return report


_DECODER = json.JSONDecoder()


def _check_row(row: Row, expected: int) -> None:
    """The row is where its bytes say it is, its hash is of its bytes, and its index columns agree with them.

    Only the JSON is parsed (no datetime parsing): verify must run at tens of thousands of entries a second.
    """
    if row.seq != expected:
        raise IntegrityError("ledger.entry_missing", seq=expected)
    if leaf_hash(row.data) != row.leaf_hash:
        raise IntegrityError("ledger.entry_altered", seq=row.seq)
    try:
        # raw_decode: json.loads' wrapper and whitespace scan cost a fifth of verify; the entry bytes are
        # canonical JSON, so anything after the object means the row was altered
        text = row.data.decode("utf-8")
        obj, end = _DECODER.raw_decode(text)
        if end != len(text):
            raise ValueError("trailing data")
        subject = obj["subject"]
        seq, indexed = obj["seq"], (obj["type"], subject.get("job"), events.item_of(subject), obj["time"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise IntegrityError("ledger.entry_altered", seq=row.seq) from None
    if seq != row.seq:
        raise IntegrityError("ledger.entry_misplaced", seq=row.seq, recorded=seq)
    if obj.get("v") != events.FORMAT_VERSION or indexed != (row.type, row.job, row.item, row.time):
        raise IntegrityError("ledger.entry_altered", seq=row.seq)


def _check_targets(targets: list[_Target], t: int, frontier: Frontier, good: int) -> tuple[int, int]:
    while t < len(targets) and targets[t].size == frontier.size:
        target = targets[t]
        if frontier.root() != target.root:
            first = good if target.kind == "db" else 0
            raise IntegrityError(_MISMATCH[target.kind], size=target.size, first=first, last=max(target.size - 1, 0))
        if target.kind == "db":
            good = target.size
        t += 1
    return t, good
