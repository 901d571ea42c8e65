"""Job folders and atomic, owner-only writes.

Layout of one job (DESIGN.md §3): ``<data>/jobs/<job-id>/`` with ``medium/``, ``notice/``, ``internal/``;
folders 0700, files 0600. A file appears under its final name only when complete (temp + fsync + rename),
so a crash leaves either the old state or the new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from handoff.errors import IntegrityError, StateError

DIR_MODE = 0o700
FILE_MODE = 0o600
CHUNK = 4 << 20  # 4 MiB: large reads for optical drives, small enough to report progress often

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


def make_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    path.chmod(DIR_MODE)
    return path


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (the directory entry itself is flushed)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file; on success it is fsynced and renamed to ``path``; on failure it is removed."""
    make_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_atomic(path: Path, data: bytes) -> Path:
    with atomic_writer(path) as fh:
        fh.write(data)
    return path


def new_job_id(programme_id: str, now: dt.datetime) -> str:
    """ASCII, sortable, unique: ``<YYYYMMDD>-<HHMMSS>-<programme>-<4 hex>`` (also the ISO volume id basis)."""
    return f"{now:%Y%m%d-%H%M%S}-{programme_id}-{secrets.token_hex(2)}"


@dataclass(frozen=True)
class JobDir:
    root: Path

    @property
    def job_id(self) -> str:
        return self.root.name

    @property
    def medium(self) -> Path:
        return self.root / "medium"

    @property
    def notice(self) -> Path:
        return self.root / "notice"

    @property
    def internal(self) -> Path:
        return self.root / "internal"

    @property
    def package(self) -> Path:
        """The sealed package folder (the encrypted ZIP and its SHA-256)."""
        return self.root / "package"

    @classmethod
    def create(cls, data_dir: Path, job_id: str) -> JobDir:
        """Create a new job folder; an existing job is never overwritten."""
        jobs = make_dir(data_dir / "jobs")
        root = jobs / job_id
        try:
            root.mkdir(mode=DIR_MODE)
        except FileExistsError:
            raise StateError("job.exists", job=job_id) from None
        job = cls(root)
        for sub in (job.internal, job.medium, job.notice, job.package):
            make_dir(sub)
        return job

    @classmethod
    def open(cls, data_dir: Path, job_id: str) -> JobDir:
        root = data_dir / "jobs" / job_id
        if not root.is_dir():
            raise StateError("job.not_found", job=job_id)
        return cls(root)


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
