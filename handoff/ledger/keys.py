"""The installation's Ed25519 key, in the text forms of Go's ``note`` package (C2SP signed-note).

Signer file (0600): ``PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte seed)>``.
Verifier file: ``<name>+<hex key id>+<base64(0x01 || 32-byte public key)>``, kept beside the signer and
outside the database, so a public key replaced inside the database no longer matches it.
Key id = the first 4 bytes of ``SHA-256(name || 0x0A || 0x01 || public key)``.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from handoff.errors import ConfigError, StateError

ALG_ED25519 = 0x01


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG_ED25519]) + public).digest()[:4]


def _check_name(name: str) -> None:
    # Go's note package forbids these: the name is a field of a space- and plus-separated line.
    if not name or any(c.isspace() or c == "+" for c in name):
        raise ConfigError("ledger.bad_key_name", name=name)


@dataclass(frozen=True)
class Verifier:
    name: str
    public: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public)

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True

    def text(self) -> str:
        enc = base64.b64encode(bytes([ALG_ED25519]) + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{enc}"


class Signer:
    def __init__(self, name: str, seed: bytes) -> None:
        _check_name(name)
        self.name = name
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self._seed = seed
        public = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.verifier = Verifier(name, public)

    @classmethod
    def generate(cls, name: str) -> Signer:
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return cls(name, seed)

    @property
    def key_id(self) -> bytes:
        return self.verifier.key_id

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def text(self) -> str:
        enc = base64.b64encode(bytes([ALG_ED25519]) + self._seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id.hex()}+{enc}"


def _split_key(text: str, parts: int) -> list[str]:
    # The base64 key itself may contain '+', so split off only the leading fields (as Go's note package does).
    fields = text.strip().split("+", parts - 1)
    if len(fields) != parts:
        raise ValueError("wrong number of fields")
    return fields


def parse_verifier(text: str) -> Verifier:
    """Verifier from its text; the key id in the text must match the key (catches a hand-edited file)."""
    name, hexid, enc = _split_key(text, 3)
    raw = base64.b64decode(enc, validate=True)
    if len(raw) != 33 or raw[0] != ALG_ED25519:
        raise ValueError("not an Ed25519 verifier key")
    v = Verifier(name, raw[1:])
    if v.key_id.hex() != hexid:
        raise ValueError("key id does not match the key")
    return v


def parse_signer(text: str) -> Signer:
    fields = _split_key(text, 5)
    if fields[:2] != ["PRIVATE", "KEY"]:
        raise ValueError("not a signer key")
    raw = base64.b64decode(fields[4], validate=True)
    if len(raw) != 33 or raw[0] != ALG_ED25519:
        raise ValueError("not an Ed25519 signer key")
    signer = Signer(fields[2], raw[1:])
    if signer.key_id.hex() != fields[3]:
        raise ValueError("key id does not match the key")
    return signer


def create_key_files(signer_path: Path, verifier_path: Path, name: str) -> Signer:
    """Write a new key pair (0600 each, atomically); never replaces an existing key."""
    from handoff.fs import write_atomic

    for path in (signer_path, verifier_path):
        if path.exists():
            raise StateError("ledger.key_exists", path=str(path))
    signer = Signer.generate(name)
    write_atomic(verifier_path, (signer.verifier.text() + "\n").encode())
    write_atomic(signer_path, (signer.text() + "\n").encode())
    return signer


def load_signer(path: Path) -> Signer:
    try:
        return parse_signer(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        raise ConfigError("ledger.key_missing", path=str(path)) from None
    except (ValueError, UnicodeDecodeError):
        raise ConfigError("ledger.key_invalid", path=str(path)) from None


def load_verifier(path: Path) -> Verifier:
    try:
        return parse_verifier(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        raise ConfigError("ledger.key_missing", path=str(path)) from None
    except (ValueError, UnicodeDecodeError):
        raise ConfigError("ledger.key_invalid", path=str(path)) from None
