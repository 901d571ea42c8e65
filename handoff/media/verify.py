"""Read-back helpers: hash files and devices in chunks, never loading an image into memory.

A burned disc is longer than its image (drives and ``cdrecord`` pad the track), so a read-back hashes
exactly the image's byte count and compares that with the image's SHA-256.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from handoff.errors import IntegrityError

CHUNK = 4 << 20  # 4 MiB: large reads for optical drives, small enough to report progress often
BLOCK = 2048  # ISO 9660 / DVD logical block

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


def device_path(device: str) -> Path:
    """The readable path behind an xorriso drive address (``stdio:/x.iso`` → ``/x.iso``)."""
    return Path(device.removeprefix("stdio:"))


def is_pseudo_drive(device: str) -> bool:
    """``stdio:`` addresses are regular files used as drives (tests, dry runs); they are never ejected."""
    return device.startswith("stdio:")


def sha256_file(path: Path, progress: Progress | None = None) -> tuple[str, int]:
    """SHA-256 and size of a whole file."""
    total = path.stat().st_size
    return sha256_prefix(path, total, progress), total


def sha256_prefix(path: Path, size: int, progress: Progress | None = None) -> str:
    """SHA-256 of exactly the first ``size`` bytes; a short read (a truncated disc) is an IntegrityError."""
    digest = hashlib.sha256()
    done = 0
    with path.open("rb", buffering=0) as fh:
        while done < size:
            chunk = fh.read(min(CHUNK, size - done))
            if not chunk:
                raise IntegrityError("media.readback_short", device=str(path), read=done, expected=size)
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, size)
    return digest.hexdigest()


def read_back(device: str, size: int, expected_sha256: str, progress: Progress | None = None) -> str:
    """Hash ``size`` bytes read from ``device``; raise IntegrityError when they differ from the image."""
    try:
        actual = sha256_prefix(device_path(device), size, progress)
    except OSError as exc:
        raise IntegrityError("media.readback_failed", device=device, reason=type(exc).__name__) from None
    if actual != expected_sha256:
        raise IntegrityError("media.readback_mismatch", device=device)
    return actual
