"""Checkpoints (C2SP tlog-checkpoint) wrapped in signed notes (C2SP signed-note), Ed25519.

A note is ``<origin>\\n<size>\\n<base64 root>\\n``, a blank line, then one line per signature:
``— <key name> <base64(key id || sig)>``. Signatures by unknown keys are ignored (witness cosignatures, key
rotation); a note that no known key verifies is rejected.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass

from handoff.ledger.keys import Signer, Verifier

SIG_PREFIX = "\u2014 "  # em dash and a space, exactly as C2SP signed-note writes it
_SIZE_RE = re.compile(r"0|[1-9][0-9]*")


class NoteError(ValueError):
    """A note that is malformed or that no known key verifies."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @property
    def short(self) -> str:
        """What paper carries: tree size and the first 16 hex digits of the root."""
        return f"{self.size}/{self.root.hex()[:16]}"


def sign_text(text: str, signer: Signer) -> str:
    """A signed note over ``text`` (which must end in a newline)."""
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    sig = base64.b64encode(signer.key_id + signer.sign(text.encode())).decode()
    return f"{text}\n{SIG_PREFIX}{signer.name} {sig}\n"


def sign(checkpoint: Checkpoint, signer: Signer) -> str:
    return sign_text(checkpoint.body(), signer)


def strict_b64decode(text: str) -> bytes:
    """Base64 in its one canonical spelling: non-zero padding bits would let two texts carry one signature."""
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode("ascii") != text:
        raise binascii.Error("non-canonical base64")
    return raw


def parse_body(body: str) -> Checkpoint:
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not lines[0] or not _SIZE_RE.fullmatch(lines[1]):
        raise NoteError("malformed checkpoint body")
    try:
        root = strict_b64decode(lines[2])
    except binascii.Error:
        raise NoteError("malformed root hash") from None
    if len(root) != 32:
        raise NoteError("root hash is not 32 bytes")
    return Checkpoint(lines[0], int(lines[1]), root)


def open_text(note: str, verifiers: Iterable[Verifier]) -> str:
    """The text of a note that a known key verifies; NoteError otherwise."""
    body, sep, sigs = note.partition("\n\n")
    if not sep or not sigs.endswith("\n"):
        raise NoteError("malformed signed note")
    body += "\n"
    known = {(v.name, v.key_id): v for v in verifiers}
    verified = False
    for line in sigs[:-1].split("\n"):
        if not line.startswith(SIG_PREFIX):
            raise NoteError("malformed signature line")
        name, _, enc = line[len(SIG_PREFIX) :].rpartition(" ")
        try:
            raw = strict_b64decode(enc)
        except binascii.Error:
            raise NoteError("malformed signature") from None
        if len(raw) < 5:
            raise NoteError("malformed signature")
        verifier = known.get((name, raw[:4]))
        if verifier is None:
            continue  # an unknown key (a witness, a rotated key) is not an error
        if not verifier.verify(body.encode(), raw[4:]):
            raise NoteError("signature does not verify")
        verified = True
    if not verified:
        raise NoteError("no known key signed this note")
    return body


def open_note(note: str, verifiers: Iterable[Verifier]) -> Checkpoint:
    """Verify the note against the known keys and return its checkpoint; raise NoteError otherwise."""
    return parse_body(open_text(note, verifiers))
