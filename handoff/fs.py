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

from handoff.errors import IntegrityError, StateError, find_write_error

DIR_MODE = 0o700
FILE_MODE = 0o600
CHUNK = 4 << 20  # 4 MiB: large reads for optical drives, small enough to report progress often

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@contextlib.contextmanager
def writing_in(folder: Path) -> Iterator[None]:
    """An OSError saying the disk is full, read-only or not ours — or an error a library raised because of one —
    becomes a WriteError naming the folder (the one the OSError names, else ``folder``); others pass unchanged."""
    try:
        yield
    except Exception as exc:
        mapped = find_write_error(exc, folder)
        if mapped is None or mapped is exc:
            raise
        raise mapped from exc


def make_dir(path: Path) -> Path:
    with writing_in(path):
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
    if not path.parent.is_dir():  # a folder made here is owner-only; one the user chose (--out) keeps its mode
        make_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    # Inside the try from the start: an interrupt right after the open still removes the temp file. A full disk,
    # a read-only disk or a refused permission name the folder; the temp file goes either way.
    try:
        with writing_in(path.parent):
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(fd, "wb") as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(path)
            fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
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
    """One job's folder. ``internal/job.json``, written last by ``handoff run``, marks a finished job; a folder
    without it is an interrupted run (never used: not burned, not handed over) unless a live process still holds
    the folder's lock (``.lock``, an exclusive ``flock`` kept by the run for its whole life)."""

    root: Path

    # Not annotated, so not dataclass fields: the lock file's name and the locks this process holds (fd by root).
    LOCK = ".lock"
    FINISHED = "job.json"
    _held = dict[Path, int]()  # noqa: RUF012 -- one registry per process, shared by every JobDir on purpose

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

    @property
    def finished_marker(self) -> Path:
        return self.internal / self.FINISHED

    @property
    def finished(self) -> bool:
        """The run completed: only such a job may be burned, printed or handed over."""
        return self.finished_marker.is_file()

    @classmethod
    def create(cls, data_dir: Path, job_id: str) -> JobDir:
        """Create a new job folder, locked by this process until :meth:`release`; an existing job is never
        overwritten. The folder is made under a hidden temporary name and renamed once locked, so no other process
        ever sees it unlocked (and takes it for an interrupted run)."""
        import shutil

        jobs = make_dir(data_dir / "jobs")
        root = jobs / job_id
        if root.exists():
            raise StateError("job.exists", job=job_id)
        stage = make_dir(jobs / f".{job_id}.{secrets.token_hex(4)}.new")
        fd = cls.try_lock(stage / cls.LOCK)
        if fd is None:  # a folder made a moment ago under a random name: nobody else can hold it
            raise StateError("job.exists", job=job_id)
        try:
            for sub in ("internal", "medium", "notice", "package"):
                make_dir(stage / sub)
            try:
                # A job folder is never empty, so an existing one makes the rename fail (never replaced).
                stage.rename(root)
            except OSError:
                if root.exists():
                    raise StateError("job.exists", job=job_id) from None
                raise
            fsync_dir(jobs)
        except BaseException:
            os.close(fd)
            # The half-made folder goes, under whichever name it has (gone from ``stage``: renamed, so ours).
            shutil.rmtree(stage if stage.exists() else root, ignore_errors=True)
            raise
        cls._held[root] = fd
        return cls(root)

    @classmethod
    def open(cls, data_dir: Path, job_id: str) -> JobDir:
        root = data_dir / "jobs" / job_id
        if not root.is_dir():
            raise StateError("job.not_found", job=job_id)
        return cls(root)

    @staticmethod
    def try_lock(path: Path, *, create: bool = True) -> int | None:
        """An exclusive ``flock`` on ``path``, without waiting: the open descriptor that holds it, or None when
        another process (or another descriptor of this one) holds it, or ``path`` is missing and not ``create``.
        The kernel drops the lock when its holder dies, however it dies — that is how a live run is told from a
        killed one. The descriptor is not inherited by child processes (Python opens files non-inheritable)."""
        import fcntl

        try:
            fd = os.open(path, os.O_RDWR | (os.O_CREAT if create else 0), FILE_MODE)
        except FileNotFoundError:
            if create:
                raise
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return fd

    def hold(self) -> bool:
        """Lock this job for this process (until :meth:`release`); False when another process holds it."""
        if self.root in self._held:
            return True
        fd = self.try_lock(self.root / self.LOCK)
        if fd is None:
            return False
        self._held[self.root] = fd
        return True

    def release(self) -> None:
        """Let go of this process's lock on the job (a no-op when it holds none)."""
        fd = self._held.pop(self.root, None)
        if fd is not None:
            os.close(fd)


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
