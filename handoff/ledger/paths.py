"""Where the ledger keeps its files, and the signed checkpoint as the rest of handoff passes it around."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.ledger.checkpoint import Checkpoint, parse_body

if TYPE_CHECKING:
    from handoff.config import SiteConfig


@dataclass(frozen=True)
class LedgerPaths:
    """Everything the ledger keeps in ``<data dir>/ledger/`` (folder 0700, files 0600)."""

    root: Path

    @classmethod
    def of(cls, site: SiteConfig) -> LedgerPaths:
        return cls(site.data_path / "ledger")

    @property
    def db(self) -> Path:
        return self.root / "ledger.sqlite"

    @property
    def signer(self) -> Path:
        return self.root / "ledger.key"

    @property
    def verifier(self) -> Path:
        """The public key outside the database: replacing the one inside no longer matches it."""
        return self.root / "ledger.pub"

    @property
    def checkpoint(self) -> Path:
        """The latest signed checkpoint outside the database: a truncated or restored database won't match."""
        return self.root / "checkpoint.txt"

    @property
    def lock(self) -> Path:
        return self.root / "checkpoint.lock"

    @property
    def receipts(self) -> Path:
        return self.root / "receipts"


@dataclass(frozen=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    note: str  # the full C2SP signed note: what a QR code on paper carries

    @property
    def short(self) -> str:
        """Tree size and the first 16 hex digits of the root, for printing in words."""
        return self.checkpoint.short

    @property
    def size(self) -> int:
        return self.checkpoint.size


def read_note(path: Path) -> Checkpoint | None:
    """The checkpoint in the note at ``path``, unverified (verify checks the signature), or None if absent."""
    try:
        body = path.read_text(encoding="utf-8").partition("\n\n")[0] + "\n"
        return parse_body(body)
    except (FileNotFoundError, ValueError):
        return None
