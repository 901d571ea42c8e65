"""Signed notes and checkpoints against the Go sumdb/note and C2SP published examples."""

from __future__ import annotations

import base64
import hashlib

import pytest

from handoff.ledger import checkpoint as cp
from handoff.ledger.keys import Signer, parse_signer, parse_verifier

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
