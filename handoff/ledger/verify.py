"""Full verification: recompute every leaf and the tree from the entry bytes, check every checkpoint.

Trust nothing stored but the bytes of each entry: stored leaf hashes and index columns are compared with what
the bytes give, every checkpoint's signature is checked with the key kept *outside* the database, and the
checkpoint file kept outside the database (and any witness the caller holds: an auditor's file, a note typed
from paper) must match the tree at its size. The first problem found, in sequence order, is raised as an
IntegrityError naming the entry or the checkpoint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from handoff.errors import IntegrityError
from handoff.ledger import events
from handoff.ledger.checkpoint import Checkpoint, NoteError, open_note
from handoff.ledger.clock import shown
from handoff.ledger.keys import Verifier
from handoff.ledger.merkle import EMPTY_ROOT, Frontier, leaf_hash
from handoff.ledger.store import Store

# kind of a checkpoint to compare -> the code raised when its root differs from the recomputed tree
_MISMATCH = {
    "db": "ledger.checkpoint_mismatch",
    "external": "ledger.external_mismatch",
    "witness": "ledger.witness_mismatch",
    "paper": "ledger.paper_mismatch",
}
_AHEAD = {
    "db": "ledger.truncated",
    "external": "ledger.external_truncated",
    "witness": "ledger.witness_ahead",
    "paper": "ledger.paper_ahead",
}


@dataclass
class VerifyReport:
    entries: int = 0
    checkpoints: int = 0
    root: bytes = EMPTY_ROOT
    latest: Checkpoint | None = None
    external: Checkpoint | None = None
    witnesses: list[Checkpoint] = field(default_factory=list)
    paper: int = 0  # checkpoints typed from paper that matched


@dataclass(frozen=True, order=True)
class _Target:
    size: int
    order: int  # database checkpoints first at equal size: they name the stored evidence
    kind: str
    root: bytes  # the whole root, or its first bytes for a checkpoint typed from paper


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
    paper: Sequence[tuple[int, bytes]] = (),
    keep: list[tuple[dict[str, Any], bytes]] | None = None,
) -> VerifyReport:
    """Verify everything; return a report or raise IntegrityError at the first problem. With ``keep``, each
    entry's parsed JSON and bytes are appended to it as they are proven (the audit reads them once, here).

    The checkpoint file outside the database is required whatever the backend: without it a store restored
    from an older copy would verify, since nothing else remembers how far the ledger had gone."""
    meta = store.meta()
    if meta.get("verifier") != verifier.text():
        raise IntegrityError("ledger.key_mismatch")
    origin = meta.get("origin", "")
    if external_note is None:
        raise IntegrityError("ledger.external_missing")
    report = VerifyReport()
    targets = _outside_targets(report, verifier, origin, external_note, witness_notes, paper)
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
        previous = ""  # the stored time of the entry before: times never go backwards
        for page in store.raw_pages(fetch_ahead=True):
            for entry in page:
                leaf = _check_entry(entry, frontier.size, previous, keep)
                previous = entry[1]
                frontier.append(leaf)
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


def _outside_targets(report: VerifyReport, verifier: Verifier, origin: str, external_note: str,
                     witness_notes: Sequence[str], paper: Sequence[tuple[int, bytes]]) -> list[_Target]:
    """The checkpoints held outside the database, opened and noted in ``report``: the checkpoint file, the
    witnesses, and checkpoints typed from paper (a receipt, a disc label: a size and the first digits of the
    root). The paper carries no signature, so a typed checkpoint only ever adds a check: the tree at that size
    must begin so."""
    report.external = _open(external_note, verifier, origin, "ledger.external_bad_signature")
    targets = [_Target(report.external.size, 1, "external", report.external.root)]
    for i, note in enumerate(witness_notes, 1):
        cp = _open(note, verifier, origin, "ledger.witness_bad_signature", witness=i)
        report.witnesses.append(cp)
        targets.append(_Target(cp.size, 2, "witness", cp.root))
    targets += [_Target(size, 3, "paper", prefix) for size, prefix in paper]
    report.paper = len(paper)
    return targets


def _check_entry(entry: Sequence[Any], expected: int, previous: str,
                 keep: list[tuple[dict[str, Any], bytes]] | None = None) -> bytes:
    """The entry (a stored row: ``ENTRY_COLS``) is where its bytes say it is, its hash is of its bytes, its
    index columns agree with them, and its time is not before ``previous`` (the time of the entry before it);
    returns its leaf hash.

    Only the JSON is parsed, by orjson (no datetime parsing): verify reads every entry of the ledger, and
    orjson parses several times faster than the standard library's parser.
    """
    seq, at, type_, job, item, data, stored_leaf = entry
    if type(seq) is not int or seq != expected:
        raise IntegrityError("ledger.entry_missing", seq=expected)
    if type(data) is not bytes or type(stored_leaf) is not bytes:
        # A driver's buffer type (memoryview) is read as bytes; TEXT or a number written over a BLOB is an edit.
        if not isinstance(data, bytearray | memoryview | bytes) or not isinstance(
                stored_leaf, bytearray | memoryview | bytes):
            raise IntegrityError("ledger.entry_altered", seq=seq)
        data, stored_leaf = bytes(data), bytes(stored_leaf)
    if leaf_hash(data) != stored_leaf:
        raise IntegrityError("ledger.entry_altered", seq=seq)
    try:
        # The entry bytes are canonical JSON: one object and nothing around it (orjson would allow blanks).
        if data[:1] != b"{" or data[-1:] != b"}":
            raise ValueError("not one object")
        obj = orjson.loads(data)
        subject = obj["subject"]
        recorded, indexed = obj["seq"], (obj["type"], subject.get("job"), events.item_of(subject), obj["time"])
    except (ValueError, KeyError, TypeError, AttributeError):  # orjson.JSONDecodeError is a ValueError
        raise IntegrityError("ledger.entry_altered", seq=seq) from None
    if recorded != seq:
        raise IntegrityError("ledger.entry_misplaced", seq=seq, recorded=recorded)
    if obj.get("v") != events.FORMAT_VERSION or indexed != (type_, job, item, at) or type(at) is not str:
        raise IntegrityError("ledger.entry_altered", seq=seq)
    if at < previous:  # fixed-width ISO texts in UTC: the text order is the time order
        raise IntegrityError("ledger.time_backwards", seq=seq, time=shown(at), previous=shown(previous))
    if keep is not None:  # the audit reads the entries it has just proven, without parsing them twice
        keep.append((obj, data))
    return stored_leaf


def _check_targets(targets: list[_Target], t: int, frontier: Frontier, good: int) -> tuple[int, int]:
    while t < len(targets) and targets[t].size == frontier.size:
        target = targets[t]
        if frontier.root()[:len(target.root)] != target.root:
            first = good if target.kind == "db" else 0
            raise IntegrityError(_MISMATCH[target.kind], size=target.size, first=first, last=max(target.size - 1, 0))
        if target.kind == "db":
            good = target.size
        t += 1
    return t, good
