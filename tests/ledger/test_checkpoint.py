"""Signed notes and checkpoints against the Go sumdb/note and C2SP published examples; and the full verification
in-process, where each tampering must name its exact code and params (which entry, size, first and last)."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3

import pytest

from handoff.config import SiteConfig
from handoff.errors import IntegrityError
from handoff.ledger import checkpoint as cp
from handoff.ledger.backends import open_store
from handoff.ledger.keys import Signer, load_signer, load_verifier, parse_signer, parse_verifier
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger
from handoff.ledger.store_sqlite import SqliteStore
from handoff.ledger.verify import VerifyReport, verify_store

from .helpers import STAFF, jst

# golang.org/x/mod/sumdb/note documentation example; Ed25519 is deterministic, so the signature must match
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotp"
    + "RZb6KE6RyyBwJnAM=\n"
)
# C2SP signed-note specification, "Verifier keys" example
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n"
    "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuw"
    "HjG1Yu72IneyaQM=\n"
)
ORIGIN = "handoff.example-ward.invalid/ledger"


def test_signing_reproduces_the_go_example_byte_for_byte() -> None:
    """Our signer key parsing, key id and note layout give exactly Go's signed note."""
    signer = parse_signer(GO_SKEY)
    assert signer.verifier.text() == GO_VKEY
    assert cp.sign_text(GO_TEXT, signer) == GO_NOTE


def test_go_and_spec_notes_open_with_their_verifier_keys() -> None:
    """Notes signed by other implementations verify with our parser."""
    assert cp.open_text(GO_NOTE, [parse_verifier(GO_VKEY)]) == GO_TEXT
    assert cp.open_text(SPEC_NOTE, [parse_verifier(SPEC_VKEY)]) == "This is an example message.\n"


def test_key_id_is_first_four_bytes_of_sha256_of_name_newline_alg_key() -> None:
    """Key id = SHA-256(name || 0x0A || 0x01 || public key)[:4], computed here independently."""
    v = parse_verifier(GO_VKEY)
    raw = base64.b64decode(GO_VKEY.split("+", 2)[2])
    assert hashlib.sha256(b"PeterNeumann\n" + raw).digest()[:4] == v.key_id == bytes.fromhex("c74f20a3")


def test_checkpoint_body_and_roundtrip() -> None:
    """The body is origin, size and base64 root on three lines; a signed checkpoint opens to the same."""
    signer = Signer.generate(ORIGIN)
    point = cp.Checkpoint(ORIGIN, 42, bytes(range(32)))
    assert point.body() == f"{ORIGIN}\n42\n{base64.b64encode(bytes(range(32))).decode()}\n"
    note = cp.sign(point, signer)
    assert note.startswith(point.body() + "\n— " + ORIGIN + " ")
    assert cp.open_note(note, [signer.verifier]) == point
    assert point.short == "42/0001020304050607"


def test_unknown_signatures_are_ignored_but_needed_key_is_required() -> None:
    """A witness cosignature does not break verification; a note only a stranger signed is rejected."""
    ours, witness = Signer.generate(ORIGIN), Signer.generate("witness.example")
    note = cp.sign(cp.Checkpoint(ORIGIN, 1, b"\x11" * 32), ours)
    cosigned = note + cp.sign_text(cp.Checkpoint(ORIGIN, 1, b"\x11" * 32).body(), witness).split("\n\n", 1)[1]
    assert cp.open_note(cosigned, [ours.verifier]).size == 1
    with pytest.raises(cp.NoteError):
        cp.open_note(note, [witness.verifier])


@pytest.mark.parametrize(
    "mutate",
    [
        lambda n: n.replace("\n1\n", "\n2\n", 1),  # size changed
        lambda n: n.replace(ORIGIN, "other.example/log", 1),  # origin changed in the body
        lambda n: n[:-3] + ("A" if n[-3] != "A" else "B") + n[-2:],  # signature changed
        lambda n: n.replace("\n\n", "\n", 1),  # no blank line
        lambda n: n.replace("— ", "- ", 1),  # not an em dash
        lambda n: n.rstrip("\n"),  # no final newline
    ],
)
def test_altered_notes_are_rejected(mutate: object) -> None:
    """Any change to body, signature or layout makes open_note raise NoteError."""
    signer = Signer.generate(ORIGIN)
    note = cp.sign(cp.Checkpoint(ORIGIN, 1, b"\x22" * 32), signer)
    assert callable(mutate)
    with pytest.raises(cp.NoteError):
        cp.open_note(mutate(note), [signer.verifier])


@pytest.mark.parametrize(
    "body",
    [
        f"{ORIGIN}\n01\n{base64.b64encode(b'x' * 32).decode()}\n",  # leading zero
        f"{ORIGIN}\n1\n{base64.b64encode(b'x' * 31).decode()}\n",  # short root
        f"{ORIGIN}\n1\nnot base64!\n",
        f"{ORIGIN}\n1\n",
        f"\n1\n{base64.b64encode(b'x' * 32).decode()}\n",
    ],
)
def test_malformed_bodies_are_rejected(body: str) -> None:
    """parse_body refuses what C2SP tlog-checkpoint does not allow."""
    with pytest.raises(cp.NoteError):
        cp.parse_body(body)


def test_keys_with_wrong_id_or_algorithm_are_rejected() -> None:
    """A hand-edited key file (key id not matching, wrong algorithm byte) does not load."""
    with pytest.raises(ValueError):
        parse_verifier(GO_VKEY.replace("c74f20a3", "c74f20a4"))
    raw = base64.b64decode(GO_VKEY.split("+", 2)[2])
    bad = "PeterNeumann+c74f20a3+" + base64.b64encode(b"\x02" + raw[1:]).decode()
    with pytest.raises(ValueError):
        parse_verifier(bad)


# --- full verification in-process: each tampering names its exact code and params ---------------------------

ENTRIES = 6


@pytest.fixture
def six(sqlite_site: SiteConfig) -> SiteConfig:
    """A SQLite ledger of 6 entries appended one by one: checkpoints at sizes 0 to 6, the file at 6."""
    with Ledger.open(sqlite_site) as ledger:
        for day in range(1, ENTRIES + 1):
            payload = {"performed_on": f"2026-06-0{day}", "result": "良"}
            ledger.record("vendor.inspected", {"vendor": "V01"}, payload, STAFF, at=jst(day))
    return sqlite_site


def mth(entries: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 MTH written out here, apart from handoff.ledger.merkle."""
    if not entries:
        return hashlib.sha256(b"").digest()
    if len(entries) == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = 1 << ((len(entries) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(entries[:k]) + mth(entries[k:])).digest()


def edit(site: SiteConfig, *statements: str, params: tuple[object, ...] = ()) -> None:
    """Run SQL on the SQLite file as someone with file access would, append-only triggers dropped."""
    lite = sqlite3.connect(LedgerPaths.of(site).db)
    for table in ("meta", "entries", "checkpoints"):
        for op in ("update", "delete"):
            lite.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
    for stmt in statements:
        lite.execute(stmt, params)
    lite.commit()
    lite.close()


def entry_bytes(site: SiteConfig) -> list[bytes]:
    lite = sqlite3.connect(LedgerPaths.of(site).db)
    try:
        return [bytes(r[0]) for r in lite.execute("SELECT data FROM entries ORDER BY seq")]
    finally:
        lite.close()


def stored_note(site: SiteConfig, size: int) -> str:
    with Ledger.open(site) as ledger:
        return next(s.note for s in ledger.store.checkpoints() if s.size == size)


def signed(site: SiteConfig, size: int, root: bytes, *, origin: str | None = None, stranger: bool = False) -> str:
    """A note for ``size``/``root``, signed with the ledger's own key (or a stranger's of the same name)."""
    name = site.ledger.origin
    signer = Signer.generate(name) if stranger else load_signer(LedgerPaths.of(site).signer)
    return cp.sign(cp.Checkpoint(origin or name, size, root), signer)


def verified(site: SiteConfig, *witnesses: str) -> VerifyReport:
    with Ledger.open(site) as ledger:
        return ledger.verify(list(witnesses))


def refused(site: SiteConfig, *witnesses: str) -> tuple[str, dict[str, object]]:
    with pytest.raises(IntegrityError) as raised:
        verified(site, *witnesses)
    return raised.value.code, raised.value.params


def test_clean_ledger_reports_size_checkpoints_root_and_witnesses(six: SiteConfig) -> None:
    """An untouched ledger: entries, checkpoints, the RFC 9162 root of its bytes, latest, file and witnesses."""
    root = mth(entry_bytes(six))
    head = cp.Checkpoint(six.ledger.origin, ENTRIES, root)
    older = cp.open_note(stored_note(six, 3), [load_verifier(LedgerPaths.of(six).verifier)])
    report = verified(six, LedgerPaths.of(six).checkpoint.read_text(encoding="utf-8"), stored_note(six, 3))
    assert (report.entries, report.checkpoints, report.root) == (ENTRIES, ENTRIES + 1, root)
    assert report.latest == report.external == head
    assert report.witnesses == [head, older]
    assert older.size == 3 and older.root == mth(entry_bytes(six)[:3])


def test_empty_ledger_verifies_at_the_empty_tree(sqlite_site: SiteConfig) -> None:
    """A ledger just created: no entries, its one checkpoint and the file both at the empty tree's hash."""
    empty = cp.Checkpoint(sqlite_site.ledger.origin, 0, hashlib.sha256(b"").digest())
    report = verified(sqlite_site)
    assert (report.entries, report.checkpoints, report.root, report.witnesses) == (0, 1, empty.root, [])
    assert report.latest == report.external == empty


def test_a_key_other_than_the_stored_one_is_key_mismatch(six: SiteConfig) -> None:
    """verify_store given a verifier key the store does not hold refuses before reading anything else."""
    stranger = Signer.generate(six.ledger.origin).verifier
    with Ledger.open(six) as ledger, pytest.raises(IntegrityError) as raised:
        verify_store(ledger.store, stranger, external_note=LedgerPaths.of(six).checkpoint.read_text("utf-8"))
    assert (raised.value.code, raised.value.params) == ("ledger.key_mismatch", {})


@pytest.mark.parametrize("origin", ["XXXX", ORIGIN])
def test_a_store_without_its_origin_verifies_no_note(six: SiteConfig, origin: str) -> None:
    """The origin row deleted from meta: the checkpoint file is refused whatever origin the key signed in it."""
    edit(six, "DELETE FROM meta WHERE key = 'origin'")
    note = signed(six, ENTRIES, mth(entry_bytes(six)), origin=origin)
    verifier = load_verifier(LedgerPaths.of(six).verifier)
    with open_store("sqlite", str(LedgerPaths.of(six).db)) as store, pytest.raises(IntegrityError) as raised:
        verify_store(store, verifier, external_note=note)
    assert (raised.value.code, raised.value.params) == ("ledger.external_bad_signature", {})


@pytest.mark.parametrize("stranger", [True, False], ids=["other-key", "other-origin"])
def test_a_checkpoint_file_not_ours_is_external_bad_signature(six: SiteConfig, stranger: bool) -> None:
    """The file outside signed by another key, or by ours for another log: external_bad_signature."""
    note = signed(six, ENTRIES, mth(entry_bytes(six)), stranger=stranger, origin=None if stranger else "other/log")
    LedgerPaths.of(six).checkpoint.write_text(note, encoding="utf-8")
    assert refused(six) == ("ledger.external_bad_signature", {})


@pytest.mark.parametrize("stranger", [True, False], ids=["other-key", "other-origin"])
def test_a_witness_not_ours_is_named_by_its_position(six: SiteConfig, stranger: bool) -> None:
    """The second witness signed by another key, or by ours for another log: witness_bad_signature, witness 2."""
    good = stored_note(six, 2)
    bad = signed(six, 2, mth(entry_bytes(six)[:2]), stranger=stranger, origin=None if stranger else "other/log")
    assert refused(six, good, bad) == ("ledger.witness_bad_signature", {"witness": 2})


def test_a_stored_checkpoint_signed_by_another_key_names_its_size(six: SiteConfig) -> None:
    """A checkpoint row whose note another key signed: checkpoint_bad_signature naming that size."""
    note = signed(six, 3, mth(entry_bytes(six)[:3]), stranger=True)
    edit(six, "UPDATE checkpoints SET note = ? WHERE size = 3", params=(note,))
    assert refused(six) == ("ledger.checkpoint_bad_signature", {"size": 3})


def test_a_stored_checkpoint_root_column_disagreeing_with_its_note(six: SiteConfig) -> None:
    """A checkpoint row whose root column is not what its (valid) note signed: checkpoint_bad_signature."""
    edit(six, "UPDATE checkpoints SET root = ? WHERE size = 3", params=(b"\x00" * 32,))
    assert refused(six) == ("ledger.checkpoint_bad_signature", {"size": 3})


def test_no_stored_checkpoint_at_all(six: SiteConfig) -> None:
    """Every checkpoint row deleted: no_checkpoint."""
    edit(six, "DELETE FROM checkpoints")
    assert refused(six) == ("ledger.no_checkpoint", {})


def test_the_empty_tree_checkpoint_is_compared_too(six: SiteConfig) -> None:
    """The size-0 checkpoint re-signed with the ledger's key over a wrong root: checkpoint_mismatch 0, 0..0."""
    wrong = b"\x01" * 32
    edit(six, "UPDATE checkpoints SET root = ?, note = ? WHERE size = 0", params=(wrong, signed(six, 0, wrong)))
    assert refused(six) == ("ledger.checkpoint_mismatch", {"size": 0, "first": 0, "last": 0})


def test_a_rewritten_entry_is_placed_after_the_last_good_checkpoint(six: SiteConfig) -> None:
    """Entry 4 rewritten with its hash: the checkpoint at 5 mismatches and the change lies in entries 4..4."""
    new = entry_bytes(six)[4].replace('"result":"良"'.encode(), '"result":"否"'.encode())
    leaf = hashlib.sha256(b"\x00" + new).digest()
    edit(six, "UPDATE entries SET data = ?, leaf_hash = ? WHERE seq = 4", params=(new, leaf))
    assert refused(six) == ("ledger.checkpoint_mismatch", {"size": 5, "first": 4, "last": 4})


@pytest.mark.parametrize("size", [0, 3])
def test_a_witness_with_another_root_mismatches_from_the_start(six: SiteConfig, size: int) -> None:
    """A witness signed by the key over another root: witness_mismatch covering entries 0..size-1 (0..0 at 0)."""
    witness = signed(six, size, b"\x02" * 32)
    assert refused(six, witness) == ("ledger.witness_mismatch", {"size": size, "first": 0, "last": max(size - 1, 0)})


def test_a_checkpoint_file_with_another_root_mismatches_from_the_start(six: SiteConfig) -> None:
    """The file outside signed by the key over another root: external_mismatch covering every entry."""
    LedgerPaths.of(six).checkpoint.write_text(signed(six, ENTRIES, b"\x02" * 32), encoding="utf-8")
    assert refused(six) == ("ledger.external_mismatch", {"size": ENTRIES, "first": 0, "last": ENTRIES - 1})


def test_checkpoints_past_the_end_name_their_size_and_the_entries_left(six: SiteConfig) -> None:
    """Entries 4 and 5 deleted: the checkpoint at 5 is past the 4 entries left (truncated 5, entries 4)."""
    edit(six, "DELETE FROM entries WHERE seq >= 4")
    assert refused(six) == ("ledger.truncated", {"size": 5, "entries": 4})


def test_a_witness_ahead_names_its_size_and_the_entries(six: SiteConfig) -> None:
    """A witness for a size the ledger never reached: witness_ahead naming that size and the entries."""
    assert refused(six, signed(six, ENTRIES + 2, b"\x03" * 32)) == (
        "ledger.witness_ahead", {"size": ENTRIES + 2, "entries": ENTRIES})


def test_an_appended_row_names_the_first_unsigned_entry(six: SiteConfig) -> None:
    """A well-formed row added by hand after the last checkpoint: unsigned_entries from 6, 7 entries."""
    obj = json.loads(entry_bytes(six)[-1])
    obj["seq"] = ENTRIES
    new = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    edit(six, "INSERT INTO entries VALUES (?, ?, ?, NULL, 'V01', ?, ?)",
         params=(ENTRIES, obj["time"], obj["type"], new, hashlib.sha256(b"\x00" + new).digest()))
    assert refused(six) == ("ledger.unsigned_entries", {"first": ENTRIES, "entries": ENTRIES + 1})


def test_a_leaf_hash_stored_as_text_is_an_altered_entry(six: SiteConfig) -> None:
    """The stored leaf hash of entry 2 written over as TEXT (its hex): entry_altered naming 2, not a crash."""
    edit(six, "UPDATE entries SET leaf_hash = hex(leaf_hash) WHERE seq = 2")
    assert refused(six) == ("ledger.entry_altered", {"seq": 2})


@pytest.mark.parametrize("columns", [{5}, {6}, {5, 6}], ids=["data", "leaf", "both"])
def test_buffers_from_the_driver_verify_as_bytes(sqlite_site: SiteConfig, columns: set[int]) -> None:
    """Entry bytes or leaf hashes read as memoryview (as some drivers return BLOBs) verify to the same bytes."""
    with Ledger.open(sqlite_site) as ledger:
        ledger.record("vendor.inspected", {"vendor": "V01"}, {"performed_on": "2026-06-01", "result": "良"}, STAFF,
                      at=jst(1))
    with Ledger.open(sqlite_site) as ledger:
        assert isinstance(ledger.store, SqliteStore) and ledger.store._conn is not None

        def buffers(_cursor: sqlite3.Cursor, row: tuple[object, ...]) -> tuple[object, ...]:
            if len(row) != 7:  # only entry rows (ENTRY_COLS)
                return row
            return tuple(memoryview(v) if i in columns and isinstance(v, bytes) else v for i, v in enumerate(row))

        ledger.store._conn.row_factory = buffers
        report = ledger.verify()
    assert type(report.root) is bytes and report.root == mth(entry_bytes(sqlite_site)) and report.entries == 1
