"""Corrections: what a ``correction`` entry may change, and the corrected view of the entries it targets.

Nothing recorded is ever edited. A correction either voids its target (``void = true``) or carries
``changes`` {key: value} that readers and the custody rules lay over the target's payload; the original bytes,
and so the Merkle tree, stay as they were. A change may only name a payload key the target's event declares,
with a value of that key's kind, so a correction can never smuggle in a field the event could not carry.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from handoff.errors import CustodyError
from handoff.ledger.events import EVENTS, KINDS, Entry

# Kinds a correction can carry: its ``changes`` hold scalars only, so a list or a map is voided and recorded again.
SCALAR_KINDS = ("id", "text", "int", "bool", "sha256", "date")
TRUE, FALSE = ("true", "yes", "はい"), ("false", "no", "いいえ")


def parse_sets(sets: Iterable[str]) -> dict[str, str]:
    """``key=value`` texts as a dict (the last one for a key wins); a text without '=' is refused."""
    out: dict[str, str] = {}
    for text in sets:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise CustodyError("correction.set_form")
        out[key.strip()] = value.strip()
    return out


def _typed(kind: str, text: str) -> object:
    if kind == "int":
        return int(text) if text.isdigit() else None
    if kind == "bool":
        low = text.lower()
        return True if low in TRUE else False if low in FALSE else None
    return text


def check_target(target: Entry) -> None:
    """A correction corrects an original record: correcting a correction would make the view depend on order."""
    if target.type == "correction":
        raise CustodyError("correction.of_correction", entry=target.seq)


def _kind(target: Entry, key: str) -> str:
    """The kind of payload key ``key`` of ``target``'s event; CustodyError for a subject id, an undeclared key
    or a list."""
    spec = EVENTS[target.type]
    if key in spec.subjects or key in spec.optional_subjects:
        raise CustodyError("correction.subject", key=key, entry=target.seq)
    kind = spec.required.get(key) or spec.optional.get(key)
    if kind is None:
        keys = ", ".join(sorted({*spec.required, *spec.optional})) or "-"
        raise CustodyError("correction.key", key=key, event=target.type, keys=keys)
    if kind not in SCALAR_KINDS:
        raise CustodyError("correction.list", key=key, kind=kind)
    return kind


def typed_changes(target: Entry, raw: Mapping[str, str]) -> dict[str, Any]:
    """The changes for ``target`` with typed values. CustodyError naming the key (never its value) for a
    correction of a correction, a subject id, an undeclared key, or a value of the wrong kind."""
    check_target(target)
    out: dict[str, Any] = {}
    for key, text in raw.items():
        kind = _kind(target, key)
        value = _typed(kind, text)
        if value is None or not KINDS[kind](value):
            raise CustodyError("correction.value", key=key, kind=kind)
        out[key] = value
    if not out:
        raise CustodyError("correction.nothing")
    return out


def check_changes(target: Entry, changes: Mapping[str, Any]) -> None:
    """The same refusals as typed_changes, for changes already typed (a correction recorded through the API
    is held to what ``ledger correct`` would accept)."""
    check_target(target)
    for key, value in changes.items():
        kind = _kind(target, key)
        if not KINDS[kind](value):
            raise CustodyError("correction.value", key=key, kind=kind)


@dataclass
class Marks:
    """What later entries say about one entry: the correction that voided it, those that changed it."""

    voided_by: int | None = None
    corrected_by: dict[int, list[str]] = field(default_factory=dict)  # correction seq -> the keys it changed
    changes: dict[str, Any] = field(default_factory=dict)  # merged, later corrections win


def marks(entries: Iterable[Entry]) -> dict[int, Marks]:
    """Entry seq -> its marks, from every correction among ``entries`` (in sequence order)."""
    out: dict[int, Marks] = {}
    for e in entries:
        if e.type != "correction" or not str(e.subject.get("entry", "")).isdigit():
            continue
        m = out.setdefault(int(e.subject["entry"]), Marks())
        if e.payload.get("void"):
            m.voided_by = m.voided_by if m.voided_by is not None else e.seq
        changes = e.payload.get("changes")
        if isinstance(changes, dict) and changes:
            m.corrected_by[e.seq] = list(changes)
            m.changes.update(changes)
    return out


def corrected(entries: Sequence[Entry]) -> list[Entry]:
    """``entries`` with each non-void correction's changes laid over its target's payload (same seq and bytes:
    the view is for reading and for the custody rules, never for storing)."""
    found = {seq: m.changes for seq, m in marks(entries).items() if m.changes}
    if not found:
        return list(entries)
    return [dataclasses.replace(e, payload={**e.payload, **found[e.seq]}) if e.seq in found else e for e in entries]
