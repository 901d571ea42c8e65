"""Integrity first: the ledger opened read-only, its tree recomputed, every checkpoint checked against the keys,
the checkpoint file, the auditor's own witness file and checkpoints typed from paper.

The auditor trusts nothing on the operators' PC but the bytes: the public key file, the checkpoint file and the
auditor's own witness file, which only the auditor writes (one signed note per clean audit, appended).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.errors import ConfigError, InputError, IntegrityError
from handoff.ledger.backends import open_store
from handoff.ledger.checkpoint import SIG_PREFIX
from handoff.ledger.keys import load_verifier
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import store_target
from handoff.ledger.store import Store
from handoff.ledger.verify import VerifyReport, verify_store

if TYPE_CHECKING:
    from handoff.config import SiteConfig

# What paper carries (a receipt, a disc label, a certificate): "size/first hex digits of the root". At least 16
# digits (what handoff prints), so that a typed checkpoint is a real check, not a formality.
_PAPER_RE = re.compile(r"(\d+)\s*/\s*([0-9a-fA-F]{16,64})")


@contextmanager
def read_only_store(site: SiteConfig) -> Iterator[Store]:
    """The site's ledger store, opened so that nothing can be written: SQLite ``mode=ro``; PostgreSQL with
    ``[ledger] audit_url`` (a role with read rights only) when set, and a read-only session in any case."""
    paths = LedgerPaths.of(site)
    target = store_target(site, paths)
    if site.ledger.backend == "postgresql" and site.ledger.audit_url:
        target = site.ledger.audit_url
    store = open_store(site.ledger.backend, target, read_only=True)
    try:
        yield store
    finally:
        store.close()


def parse_paper(texts: Sequence[str]) -> list[tuple[int, bytes]]:
    """Checkpoints typed from paper as (size, the root's first bytes); a malformed one is refused, naming which."""
    out: list[tuple[int, bytes]] = []
    for i, text in enumerate(texts, 1):
        m = _PAPER_RE.fullmatch(text.strip())
        if m is None or len(m.group(2)) % 2:
            raise InputError("audit.checkpoint_form", index=i)
        out.append((int(m.group(1)), bytes.fromhex(m.group(2))))
    return out


def split_notes(text: str) -> list[str]:
    """The signed notes of a witness file, in order. Each is its body lines, one blank line and its signature
    lines; blank lines between notes are allowed. A malformed note is kept as it is, and fails its check."""
    notes: list[str] = []
    body: list[str] = []
    sigs: list[str] = []
    in_sigs = False
    for line in text.splitlines():
        if in_sigs:
            if line.startswith(SIG_PREFIX):
                sigs.append(line)
                continue
            notes.append("\n".join(body) + "\n\n" + "\n".join(sigs) + ("\n" if sigs else ""))
            body, sigs, in_sigs = [], [], False
        if not line.strip():
            in_sigs = bool(body)  # the blank line after a body: its signatures follow
            continue
        body.append(line)
    if body:
        notes.append("\n".join(body) + "\n\n" + "\n".join(sigs) + ("\n" if sigs else ""))
    return notes


def read_witness(path: Path | None) -> list[str]:
    """The auditor's witness file: empty when it does not exist yet (the first audit starts it)."""
    if path is None or not path.exists():
        return []
    try:
        return split_notes(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise InputError("audit.witness_unreadable", path=path.name) from None


@dataclass(frozen=True)
class Proven:
    """What integrity checking proved: the report, the entries it read (parsed JSON and bytes, in order) and the
    latest signed checkpoint note in the store (what a clean audit appends to the witness file)."""

    report: VerifyReport
    note: str
    entries: list[tuple[dict[str, Any], bytes]]


def prove(store: Store, site: SiteConfig, witness_notes: Sequence[str], paper: Sequence[tuple[int, bytes]]
          ) -> Proven:
    """Recompute the tree and check every checkpoint; raise IntegrityError at the first problem."""
    paths = LedgerPaths.of(site)
    if not paths.verifier.exists():
        raise ConfigError("audit.no_verifier", path=str(paths.verifier))
    external = paths.checkpoint.read_text(encoding="utf-8") if paths.checkpoint.exists() else None
    kept: list[tuple[dict[str, Any], bytes]] = []
    report = verify_store(store, load_verifier(paths.verifier), external_note=external,
                          witness_notes=witness_notes, paper=paper, keep=kept)
    latest = store.latest_checkpoint()
    if latest is None:  # verify_store refuses a store without checkpoints; kept for the type checker
        raise IntegrityError("ledger.no_checkpoint")
    return Proven(report, latest.note, kept)


def append_witness(path: Path, note: str, held: Sequence[str]) -> bool:
    """Add the checkpoint to the auditor's witness file when it is new (a larger tree than the last one held).
    Appending keeps every earlier note: a later fork is caught against any of them."""
    from handoff.fs import write_atomic

    if held and held[-1] == note:
        return False
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    joined = previous + ("\n" if previous and not previous.endswith("\n\n") else "") + note
    write_atomic(path, joined.encode())
    return True
