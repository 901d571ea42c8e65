"""Job folders and atomic, owner-only writes.

Layout of one job (DESIGN.md §3): ``<data>/jobs/<job-id>/`` with ``medium/``, ``notice/``, ``internal/``;
folders 0700, files 0600. A file appears under its final name only when complete (temp + fsync + rename),
so a crash leaves either the old state or the new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from handoff.errors import StateError

DIR_MODE = 0o700
FILE_MODE = 0o600


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
