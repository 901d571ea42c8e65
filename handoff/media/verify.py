"""Read-back helpers: hash files and devices in chunks, never loading an image into memory.

A burned disc is longer than its image (drives and ``cdrecord`` pad the track), so a read-back hashes
exactly the image's byte count and compares that with the image's SHA-256.
"""

from __future__ import annotations

from pathlib import Path

from handoff.errors import IntegrityError
from handoff.fs import CHUNK, Progress, sha256_file, sha256_prefix

__all__ = ["BLOCK", "CHUNK", "Progress", "device_path", "is_pseudo_drive", "read_back", "sha256_file",
           "sha256_prefix"]

BLOCK = 2048  # ISO 9660 / DVD logical block


def device_path(device: str) -> Path:
    """The readable path behind an xorriso drive address (``stdio:/x.iso`` → ``/x.iso``)."""
    return Path(device.removeprefix("stdio:"))


def is_pseudo_drive(device: str) -> bool:
    """``stdio:`` addresses are regular files used as drives (tests, dry runs); they are never ejected."""
    return device.startswith("stdio:")


def read_back(device: str, size: int, expected_sha256: str, progress: Progress | None = None) -> str:
    """Hash ``size`` bytes read from ``device``; raise IntegrityError when they differ from the image."""
    try:
        actual = sha256_prefix(device_path(device), size, progress)
    except OSError as exc:
        raise IntegrityError("media.readback_failed", device=device, reason=type(exc).__name__) from None
    if actual != expected_sha256:
        raise IntegrityError("media.readback_mismatch", device=device)
    return actual
