"""The audit's integrity half: read-only opening, typed paper checkpoints, the witness file, forks and truncation."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from handoff.audit.integrity import append_witness, parse_paper, read_only_store, split_notes
from handoff.audit.model import Scope
from handoff.audit.run import audit
from handoff.config import SiteConfig
from handoff.errors import CustodyError, InputError, IntegrityError
from handoff.ledger.keys import load_verifier
from handoff.ledger.merkle import Frontier
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger
from handoff.ledger.verify import verify_store
from tests.ledger.helpers import STAFF, jst, prepare

AS_OF = Scope(as_of=jst(20).date())


def _root_at(site: SiteConfig, size: int) -> bytes:
    """The tree's root at ``size``, computed here from the stored leaf hashes (RFC 9162 by merkle.Frontier)."""
    with Ledger.open(site) as ledger:
        leaves = ledger.store.leaf_hashes(0, size)
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


def _verify(site: SiteConfig, paper: list[tuple[int, bytes]]) -> None:
    paths = LedgerPaths.of(site)
    with read_only_store(site) as store:
        verify_store(store, load_verifier(paths.verifier), external_note=paths.checkpoint.read_text(),
                     paper=paper)


def _witness(site: SiteConfig, path: Path) -> None:
    """Keep the ledger's current signed checkpoint in the auditor's witness file, as a clean audit does."""
    with Ledger.open(site) as ledger:
        note = ledger.current_checkpoint().note
    held = split_notes(path.read_text(encoding="utf-8")) if path.exists() else []
    append_witness(path, note, held)


def test_paper_checkpoint_forms() -> None:
    """A typed checkpoint is size/hex with at least 16 hex digits; blanks around the slash are forgiven."""
    assert parse_paper(["12/0123456789abcdef", " 7 / 0123456789ABCDEF00 "]) == [
        (12, bytes.fromhex("0123456789abcdef")), (7, bytes.fromhex("0123456789abcdef00"))]
    for bad in ("12/0123456789abcde", "x/0123456789abcdef", "12:0123456789abcdef", "12/0123456789abcdef0"):
        with pytest.raises(InputError) as err:
            parse_paper(["1/0123456789abcdef", bad])
        assert err.value.code == "audit.checkpoint_form" and err.value.params["index"] == 2


def test_paper_checkpoint_matches_the_tree(sqlite_site: SiteConfig) -> None:
    """A checkpoint typed from paper passes when the tree at its size begins with its digits, else exit 7."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    root = _root_at(sqlite_site, 3)
    _verify(sqlite_site, [(3, root[:8])])
    wrong = bytes([root[0] ^ 1]) + root[1:8]
    with pytest.raises(IntegrityError) as err:
        _verify(sqlite_site, [(3, wrong)])
    assert err.value.code == "ledger.paper_mismatch" and err.value.params["size"] == 3
    with pytest.raises(IntegrityError) as err:
        _verify(sqlite_site, [(99, root[:8])])
    assert err.value.code == "ledger.paper_ahead" and err.value.params["entries"] == 5


def test_witness_file_keeps_every_note(tmp_path: Path, sqlite_site: SiteConfig) -> None:
    """Notes appended to the witness file are read back one by one, unchanged; the same note is not added twice."""
    path = tmp_path / "witness.txt"
    _witness(sqlite_site, path)
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        second = ledger.current_checkpoint().note
    _witness(sqlite_site, path)
    _witness(sqlite_site, path)
    notes = split_notes(path.read_text(encoding="utf-8"))
    assert len(notes) == 2 and notes[1] == second


def test_read_only_sqlite_leaves_the_file_as_it_was(sqlite_site: SiteConfig) -> None:
    """The audit's SQLite store refuses any write, and reading leaves the ledger file byte-identical."""
    db = LedgerPaths.of(sqlite_site).db
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with read_only_store(sqlite_site) as store:
        assert store.size() == 5
        with pytest.raises(sqlite3.OperationalError, match="readonly"), store.write():
            store._exec("DELETE FROM {e}")
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def _backup(site: SiteConfig, to: Path) -> None:
    shutil.copytree(LedgerPaths.of(site).root, to)


def _restore(site: SiteConfig, backup: Path) -> None:
    root = LedgerPaths.of(site).root
    shutil.rmtree(root)
    shutil.copytree(backup, root)


def test_truncated_after_the_witness(tmp_path: Path, sqlite_site: SiteConfig) -> None:
    """A ledger restored from a copy older than the auditor's witness is a truncation: integrity finding, no more."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    _backup(sqlite_site, tmp_path / "old")
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger, "J2", day=2)
    witness = tmp_path / "witness.txt"
    _witness(sqlite_site, witness)
    _restore(sqlite_site, tmp_path / "old")  # consistent on its own: its checkpoint file is as old as it
    report = audit(sqlite_site, AS_OF, auditor="A001", witness=witness)
    assert not report.integrity.ok and [f.code for f in report.findings] == ["ledger.witness_ahead"]
    assert report.findings[0].severity == "integrity" and report.timelines == []
    assert len(split_notes(witness.read_text(encoding="utf-8"))) == 1  # a failed audit adds nothing


def test_fork_against_the_witness(tmp_path: Path, sqlite_site: SiteConfig) -> None:
    """A ledger restored from an older copy and extended differently no longer matches the witness: a fork."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    _backup(sqlite_site, tmp_path / "old")
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger, "J2", day=2)
    witness = tmp_path / "witness.txt"
    _witness(sqlite_site, witness)
    _restore(sqlite_site, tmp_path / "old")
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger, "J3", day=3)  # the same number of entries, other contents
        ledger.record("notice.printed", {"job": "J3", "notice": "J3-N2"}, {}, STAFF, at=jst(3, 11))
    report = audit(sqlite_site, AS_OF, auditor="A001", witness=witness)
    assert [f.code for f in report.findings] == ["ledger.witness_mismatch"]
    assert report.findings[0].params["size"] == 10


def test_typed_paper_checkpoint_catches_a_fork(tmp_path: Path, sqlite_site: SiteConfig) -> None:
    """Without a witness file, the short checkpoint printed on a receipt is enough to catch the same fork."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    _backup(sqlite_site, tmp_path / "old")
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger, "J2", day=2)
        printed = ledger.current_checkpoint().short
    _restore(sqlite_site, tmp_path / "old")
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger, "J3", day=3)
    report = audit(sqlite_site, AS_OF, auditor="A001", checkpoints=[printed])
    assert [f.code for f in report.findings] == ["ledger.paper_mismatch"]


def test_only_an_auditor_or_supervisor_audits(sqlite_site: SiteConfig) -> None:
    """An operator's or an unknown staff id is refused before the ledger is opened (exit 6)."""
    for staff, code in (("S001", "audit.role_refused"), ("X999", "custody.unknown_staff")):
        with pytest.raises(CustodyError) as err:
            audit(sqlite_site, AS_OF, auditor=staff)
        assert err.value.code == code


def test_read_only_store_refuses_writes_on_every_backend(site: SiteConfig) -> None:
    """On SQLite and PostgreSQL alike, the store the audit opens refuses an insert, and the ledger is unchanged."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
    with read_only_store(site) as store:
        rows = store.rows_for(job="J1")
        with pytest.raises(Exception, match=r"(?i)read.?only"), store.write():
            store.insert(rows[:1])
        assert store.size() == 5
    with Ledger.open(site) as ledger:
        assert ledger.verify().entries == 5
